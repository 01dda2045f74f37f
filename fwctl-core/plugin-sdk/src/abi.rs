//! The plugin ABI: `#[repr(C)]` definitions mirrored byte for byte by
//! `fwctl-core/plugin-sdk/include/fwctl_plugin.h`.
//!
//! A plugin is a shared library exporting one symbol, [`ENTRY_SYMBOL`]
//! (`fwctl_plugin_v1`, the name is historical: every ABI version uses it and the
//! version lives in the vtable), a C function taking no arguments and returning a
//! pointer to a static [`VTable`].
//!
//! ABI version 2 (this one) adds [`VTable::rpc_v2`]: the RPC entry point with the
//! caller's memory ([`UserOps`], `copy_from_user`/`copy_to_user` semantics), the
//! response written straight into the caller's buffer ([`RPC_DIRECT`]), and a
//! response length that may exceed the caller's buffer. A version 1 plugin
//! (`abi_version` 1, `struct_size` 104, the header shipped as
//! `fwctl_plugin_v1.h`) still loads and behaves as before. Everything crossing the boundary is plain C: integers,
//! pointers, caller-allocated buffers and fixed-size arrays. Entry points return
//! `0` on success or a negative Linux errno; no Rust types, allocators or unwinding
//! cross. Every size and offset below is pinned at compile time, and a test
//! compiles the C header and compares its `sizeof`/`offsetof` with these.
//!
//! Extensibility follows the uAPI's `copy_struct_from_user` rule: the vtable
//! starts with `abi_version` and `struct_size`; a vtable larger than the host
//! knows is accepted only if every byte past the host's [`VTable`] is zero.

use core::ffi::{c_char, c_void};
use core::mem::{align_of, offset_of, size_of};

/// The ABI version this host implements (`FWCTL_PLUGIN_ABI_VERSION`); it also
/// accepts [`ABI_VERSION_V1`] plugins.
pub const ABI_VERSION: u32 = 2;
/// The first ABI version, still accepted (no `rpc_v2`, `struct_size` >= 104).
pub const ABI_VERSION_V1: u32 = 1;
/// `sizeof(struct fwctl_plugin_vtable)` of ABI version 1 (LP64).
pub const VTABLE_V1_SIZE: u32 = 104;
/// The one symbol a plugin exports (`FWCTL_PLUGIN_ENTRY`).
pub const ENTRY_SYMBOL: &str = "fwctl_plugin_v1";
/// Returned by an entry point that hit an internal fault it could contain (the
/// Rust SDK returns it when it catches a panic). The host marks the plugin failed.
pub const FAULT: i32 = -0x1000;
/// Largest `struct_size` the host reads (anything larger is refused unread).
pub const MAX_STRUCT_SIZE: u32 = 4096;
/// Longest name or version string, without its NUL.
pub const MAX_STRING_LEN: usize = 63;
/// Most device instances one `probe` call may create.
pub const MAX_DEVICES: u32 = 64;
/// Capacity of the buffer the host passes to `info`.
pub const INFO_CAPACITY: u32 = 4096;

/// `fwctl_plugin_describe.flags`: `expected_out_len` is valid.
pub const DESCRIBE_EXPECTED_OUT_LEN: u32 = 1 << 0;
/// `fwctl_plugin_describe.flags`: the command accesses register `register_id`.
pub const DESCRIBE_REGISTER: u32 = 1 << 1;
/// `fwctl_plugin_describe.flags`: the register access is a write.
pub const DESCRIBE_REGISTER_WRITE: u32 = 1 << 2;
/// `fwctl_plugin_describe.flags`: the names are given by `name_id` and
/// `register_name_id` (ids of the plugin's name table, see [`NameFn`]), not as text.
pub const DESCRIBE_NAME_IDS: u32 = 1 << 3;
/// `fwctl_plugin_describe.min_scope` when the driver refuses the request at every scope.
pub const SCOPE_NONE: i32 = -1;

/// `rpc` return value: the response was written in place over the request (the
/// first `out_len` bytes of it, `out_len <= request_len`), not to `out`.
pub const RPC_IN_PLACE: i32 = 1;

/// `rpc_v2` return value: the response was written into the caller's buffer at
/// `out_addr` with `copy_to_user` (its first `min(out_len, out_capacity)` bytes);
/// `out_len` is the driver's length and may exceed `out_capacity`.
pub const RPC_DIRECT: i32 = 2;

/// Lowest negative errno a kernel function may return (`-MAX_ERRNO`): entry
/// points returning `-4095..=-1` that the host's errno set lacks are logged and
/// answered as `EIO`; anything below is garbage.
pub const MAX_ERRNO: i32 = 4095;

/// `fwctl_plugin_status.flags`: the status means success.
pub const STATUS_OK: u32 = 1 << 0;
/// `fwctl_plugin_status.flags`: `syndrome` is valid.
pub const STATUS_SYNDROME: u32 = 1 << 1;
/// `fwctl_plugin_status.flags`: the name is given by `name_id`, not as text.
pub const STATUS_NAME_ID: u32 = 1 << 2;

/// A name id meaning "no name" (`FWCTL_PLUGIN_NO_NAME`).
pub const NO_NAME: u32 = u32::MAX;
/// Name ids are below this (`FWCTL_PLUGIN_MAX_NAME_IDS`); a larger one is garbage.
pub const MAX_NAME_IDS: u32 = 1024;
/// Capacity of the buffer the host passes to `name_text` (`FWCTL_PLUGIN_NAME_CAPACITY`).
pub const NAME_CAPACITY: u32 = 64;
/// `sizeof(struct fwctl_plugin_vtable)` of ABI version 2 before `name_text` was
/// added: the smallest version 2 vtable accepted.
pub const VTABLE_V2_0_SIZE: u32 = 112;
/// `sizeof(struct fwctl_plugin_vtable)` of ABI version 2 before `features`.
pub const VTABLE_V2_1_SIZE: u32 = 120;
/// `sizeof(struct fwctl_plugin_describe)` before the name ids: a plugin may
/// answer with ids only when the host's `struct_size` is at least [`size_of`]
/// the current struct.
pub const DESCRIBE_V2_0_SIZE: u32 = 136;
/// `sizeof(struct fwctl_plugin_status)` before `name_id`.
pub const STATUS_V2_0_SIZE: u32 = 68;

/// `probe(config, config_len, devices, max_devices, n_devices)`: create device
/// instances from a configuration string (NUL-terminated, `config_len` bytes
/// without the NUL). Writes at most `max_devices` opaque device pointers.
pub type ProbeFn = unsafe extern "C" fn(
    config: *const c_char,
    config_len: u32,
    devices: *mut *mut c_void,
    max_devices: u32,
    n_devices: *mut u32,
) -> i32;
/// `remove(device)`: destroy a device instance; all its contexts are closed first.
pub type RemoveFn = unsafe extern "C" fn(device: *mut c_void);
/// `identity(device, out)`: fill identity strings (optional entry point).
pub type IdentityFn = unsafe extern "C" fn(device: *mut c_void, out: *mut Identity) -> i32;
/// `open(device, ctx)`: create a per-handle context (the kernel's `open_uctx`).
pub type OpenFn = unsafe extern "C" fn(device: *mut c_void, ctx: *mut *mut c_void) -> i32;
/// `close(ctx)`: release a context; called exactly once per successful open.
pub type CloseFn = unsafe extern "C" fn(ctx: *mut c_void);
/// `info(ctx, out, capacity, out_len)`: device data for `FWCTL_INFO` (optional).
pub type InfoFn =
    unsafe extern "C" fn(ctx: *mut c_void, out: *mut u8, capacity: u32, out_len: *mut u32) -> i32;
/// `describe(device, request, len, out)`: decode a request without touching the
/// device (optional).
pub type DescribeFn =
    unsafe extern "C" fn(device: *mut c_void, request: *const u8, len: u32, out: *mut Description) -> i32;
/// `decode_status(device, response, len, out)`: `1` when an in-band status was
/// decoded into `out`, `0` when the response carries none (optional).
pub type DecodeStatusFn =
    unsafe extern "C" fn(device: *mut c_void, response: *const u8, len: u32, out: *mut Status) -> i32;
/// `rpc(ctx, scope, request, request_len, out, out_capacity, out_len)`: deliver one
/// RPC. The request buffer is the plugin's to overwrite. Returns `0` with the
/// response (at most `out_capacity` bytes) in `out`, or [`RPC_IN_PLACE`] with the
/// response over the request (at most `request_len` bytes); its length goes to
/// `out_len`. The two in-place forms mirror the kernel's `fw_rpc` contract.
pub type RpcFn = unsafe extern "C" fn(
    ctx: *mut c_void,
    scope: u32,
    request: *mut u8,
    request_len: u32,
    out: *mut u8,
    out_capacity: u32,
    out_len: *mut u32,
) -> i32;

/// `copy_from_user(cookie, dst, src_addr, len)`: copy `len` bytes of the caller's
/// memory at `src_addr` into `dst`; returns the number of bytes **not** copied
/// (0 on success), zero-filling them, as the kernel's `copy_from_user`.
pub type CopyFromUserFn =
    unsafe extern "C" fn(cookie: *mut c_void, dst: *mut u8, src_addr: u64, len: u64) -> u64;
/// `copy_to_user(cookie, dst_addr, src, len)`: copy `len` bytes from `src` into the
/// caller's memory at `dst_addr`; returns the number of bytes **not** copied.
pub type CopyToUserFn =
    unsafe extern "C" fn(cookie: *mut c_void, dst_addr: u64, src: *const u8, len: u64) -> u64;

/// `struct fwctl_plugin_user`: the caller's address space, valid only during the
/// `rpc_v2` call it is passed to. Addresses are the caller's (`u64`), never
/// dereferenced by the plugin directly.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct UserOps {
    /// The host's `sizeof(struct fwctl_plugin_user)`.
    pub struct_size: u32,
    /// Reserved, 0.
    pub flags: u32,
    /// Passed back to the two callbacks.
    pub cookie: *mut c_void,
    /// Never NULL.
    pub copy_from_user: Option<CopyFromUserFn>,
    /// Never NULL.
    pub copy_to_user: Option<CopyToUserFn>,
}

/// `struct fwctl_plugin_rpc_args`: one RPC as `rpc_v2` receives it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RpcArgs {
    /// In: the host's `sizeof(struct fwctl_plugin_rpc_args)`.
    pub struct_size: u32,
    /// In: the `fwctl_rpc_scope`, already validated.
    pub scope: u32,
    /// In: the request (the core's copy of `fwctl_rpc.in`), the plugin's to overwrite.
    pub request: *mut u8,
    /// In: bytes at `request`.
    pub request_len: u32,
    /// In: the caller's response buffer size.
    pub out_capacity: u32,
    /// In: the caller's address of its response buffer.
    pub out_addr: u64,
    /// Out: the response length (for [`RPC_IN_PLACE`] at most `request_len`; for
    /// [`RPC_DIRECT`] the driver's length, which may exceed `out_capacity`).
    pub out_len: u32,
    /// In: 0. Out: `FWCTL_PLUGIN_RPC_*` bits ([`RPC_STATUS_DECODED`],
    /// [`RPC_NO_STATUS`]); a plugin that does not know them leaves 0.
    pub flags: u32,
    /// In: the caller's memory.
    pub user: *const UserOps,
    /// In (`struct_size >= 56`): where the plugin may decode the in-band status
    /// of the response it delivers (as `decode_status` would), or NULL when the
    /// host does not want it. Saves the host a `decode_status` call and, for
    /// [`RPC_DIRECT`], reading the response back from the caller's buffer.
    pub status: *mut Status,
    /// In (`struct_size >= 64`, and only to a plugin whose vtable has
    /// [`FEATURE_DESCRIBE_IN_RPC`]): where the plugin describes the request as
    /// it received it, before delivering it (exactly as `describe` would), or
    /// NULL. Such a plugin sets exactly one of [`RPC_DESCRIBED`] and
    /// [`RPC_NOT_DESCRIBED`], whether or not the delivery then succeeds. Saves
    /// the host a separate `describe` call when it wants the description only
    /// for what it records after the delivery.
    pub describe: *mut Description,
}

/// `fwctl_plugin_rpc_args.flags` (out): the plugin decoded the response's status
/// into `*status` (only when `status` was not NULL).
pub const RPC_STATUS_DECODED: u32 = 1 << 0;
/// `fwctl_plugin_rpc_args.flags` (out): the plugin looked, and the response
/// carries no status (as `decode_status` returning 0).
pub const RPC_NO_STATUS: u32 = 1 << 1;
/// `sizeof(struct fwctl_plugin_rpc_args)` before `status` was added: a plugin
/// may write `*status` only when the host's `struct_size` is larger.
pub const RPC_ARGS_V2_0_SIZE: u32 = 48;
/// `fwctl_plugin_rpc_args.flags` (out): the plugin described the request, as
/// it received it and before delivering it, into `*describe` (as `describe`
/// would).
pub const RPC_DESCRIBED: u32 = 1 << 2;
/// `fwctl_plugin_rpc_args.flags` (out): the plugin has no description of the
/// request (as `describe` returning an error or being absent).
pub const RPC_NOT_DESCRIBED: u32 = 1 << 3;
/// `sizeof(struct fwctl_plugin_rpc_args)` before `describe` was added: a
/// plugin may use `describe` only when the host's `struct_size` is larger.
pub const RPC_ARGS_V2_1_SIZE: u32 = 56;
/// [`VTable::features`]: `rpc_v2` honours `fwctl_plugin_rpc_args.describe`
/// (describes the request in the same call, before delivering it).
pub const FEATURE_DESCRIBE_IN_RPC: u64 = 1 << 0;

/// `name_text(id, out, capacity, len)`: the text of name id `id` (below
/// [`MAX_NAME_IDS`]) of the plugin's name table, at most `capacity` bytes of
/// UTF-8 into `out` and its length into `len`; `0`, or `-ENOENT` for an id never
/// given out. The text of an id never changes: the host asks once per id and
/// process. Optional; a plugin without it never reports ids.
pub type NameFn = unsafe extern "C" fn(id: u32, out: *mut u8, capacity: u32, len: *mut u32) -> i32;

/// `rpc_v2(ctx, args)`: deliver one RPC (ABI version 2). Returns
/// [`RPC_IN_PLACE`] (response over the request) or [`RPC_DIRECT`] (response in the
/// caller's buffer), `args.out_len` set; or a negative errno (not delivered).
pub type RpcV2Fn = unsafe extern "C" fn(ctx: *mut c_void, args: *mut RpcArgs) -> i32;

/// `struct fwctl_plugin_vtable`: what [`ENTRY_SYMBOL`] returns (128 bytes on LP64;
/// version 1's was the first 104 and version 2's earlier releases the first 112
/// and 120, which still load: a shorter vtable of a version is read as if
/// zero-extended).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VTable {
    /// [`ABI_VERSION`] or [`ABI_VERSION_V1`].
    pub abi_version: u32,
    /// `sizeof` the plugin's vtable: at least `size_of::<VTable>()` for version 2,
    /// [`VTABLE_V1_SIZE`] for version 1.
    pub struct_size: u32,
    /// A `fwctl_device_type` value other than `ERROR`.
    pub device_type: u32,
    /// Reserved, must be 0.
    pub flags: u32,
    /// NUL-terminated plugin name, at most [`MAX_STRING_LEN`] bytes.
    pub name: *const c_char,
    /// NUL-terminated plugin version, at most [`MAX_STRING_LEN`] bytes.
    pub version: *const c_char,
    /// Required.
    pub probe: Option<ProbeFn>,
    /// Required.
    pub remove: Option<RemoveFn>,
    /// Optional (NULL: no identity beyond the plugin name).
    pub identity: Option<IdentityFn>,
    /// Required.
    pub open: Option<OpenFn>,
    /// Required.
    pub close: Option<CloseFn>,
    /// Optional (NULL: no info op, the core zero-fills).
    pub info: Option<InfoFn>,
    /// Optional (NULL: requests cannot be described, `EOPNOTSUPP`).
    pub describe: Option<DescribeFn>,
    /// Optional (NULL: responses carry no decodable status).
    pub decode_status: Option<DecodeStatusFn>,
    /// Required in version 1; in version 2, used only when `rpc_v2` is NULL.
    pub rpc: Option<RpcFn>,
    /// Version 2: the RPC entry point with the caller's memory. One of `rpc` and
    /// `rpc_v2` is required.
    pub rpc_v2: Option<RpcV2Fn>,
    /// Version 2, `struct_size >= 120`: the name table behind the name ids of
    /// `describe` and of decoded statuses (optional).
    pub name_text: Option<NameFn>,
    /// Version 2, `struct_size >= 128`: `FWCTL_PLUGIN_FEATURE_*` bits, what
    /// the plugin's `rpc_v2` honours beyond the first version 2
    /// ([`FEATURE_DESCRIBE_IN_RPC`]). Bits a host does not know are ignored.
    pub features: u64,
}

impl VTable {
    /// Every field zero / NULL (valid: all fields are integers, raw pointers or
    /// nullable function pointers).
    pub const ZEROED: VTable = VTable {
        abi_version: 0,
        struct_size: 0,
        device_type: 0,
        flags: 0,
        name: core::ptr::null(),
        version: core::ptr::null(),
        probe: None,
        remove: None,
        identity: None,
        open: None,
        close: None,
        info: None,
        describe: None,
        decode_status: None,
        rpc: None,
        rpc_v2: None,
        name_text: None,
        features: 0,
    };
}

/// `struct fwctl_plugin_identity`: filled by `identity`. Strings are not
/// NUL-terminated; their lengths are in the `*_len` fields.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Identity {
    /// In: the host's `sizeof(struct fwctl_plugin_identity)`.
    pub struct_size: u32,
    /// Out: bytes of `parent` used.
    pub parent_len: u32,
    /// Out: bytes of `fw_version` used.
    pub fw_version_len: u32,
    /// Out: bytes of `serial` used.
    pub serial_len: u32,
    /// The parent device, e.g. a PCI address.
    pub parent: [u8; 64],
    /// Firmware version.
    pub fw_version: [u8; 32],
    /// Serial number.
    pub serial: [u8; 64],
}

/// `struct fwctl_plugin_describe`: a request decoded by `describe`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Description {
    /// In: the host's `sizeof(struct fwctl_plugin_describe)`.
    pub struct_size: u32,
    /// The command opcode in the device's numbering.
    pub opcode: u32,
    /// The opcode modifier (0 when none).
    pub op_mod: u32,
    /// Lowest allowed `fwctl_rpc_scope`, or [`SCOPE_NONE`].
    pub min_scope: i32,
    /// `FWCTL_PLUGIN_EFFECT_*` bits (the values of [`fwctl_subsys::driver::Effects`]).
    pub effects: u32,
    /// `FWCTL_PLUGIN_DESCRIBE_*` bits.
    pub flags: u32,
    /// Expected response length (valid with [`DESCRIBE_EXPECTED_OUT_LEN`]).
    pub expected_out_len: u32,
    /// Register id (valid with [`DESCRIBE_REGISTER`]).
    pub register_id: u32,
    /// Bytes of `name` used (0: unnamed).
    pub name_len: u32,
    /// Bytes of `register_name` used (0: unnamed).
    pub register_name_len: u32,
    /// The command's name.
    pub name: [u8; 64],
    /// The register's name.
    pub register_name: [u8; 32],
    /// The command's name id, or [`NO_NAME`] (valid with [`DESCRIBE_NAME_IDS`]).
    pub name_id: u32,
    /// The register's name id, or [`NO_NAME`] (valid with [`DESCRIBE_NAME_IDS`]).
    pub register_name_id: u32,
}

/// `struct fwctl_plugin_status`: an in-band device status decoded by `decode_status`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Status {
    /// In: the host's `sizeof(struct fwctl_plugin_status)`.
    pub struct_size: u32,
    /// The raw status code.
    pub code: u32,
    /// Vendor error identifier (valid with [`STATUS_SYNDROME`]).
    pub syndrome: u32,
    /// `FWCTL_PLUGIN_STATUS_*` bits.
    pub flags: u32,
    /// Bytes of `name` used.
    pub name_len: u32,
    /// The status name, e.g. `BAD_OP_ERR`.
    pub name: [u8; 48],
    /// The status name's id, or [`NO_NAME`] (valid with [`STATUS_NAME_ID`]).
    pub name_id: u32,
}

impl Identity {
    /// A zeroed struct whose `struct_size` is the host's `sizeof`.
    pub const fn new() -> Self {
        Identity {
            struct_size: size_of::<Identity>() as u32,
            parent_len: 0,
            fw_version_len: 0,
            serial_len: 0,
            parent: [0; 64],
            fw_version: [0; 32],
            serial: [0; 64],
        }
    }
}

impl Description {
    /// A zeroed struct whose `struct_size` is the host's `sizeof`.
    pub const fn new() -> Self {
        Description {
            struct_size: size_of::<Description>() as u32,
            opcode: 0,
            op_mod: 0,
            min_scope: SCOPE_NONE,
            effects: 0,
            flags: 0,
            expected_out_len: 0,
            register_id: 0,
            name_len: 0,
            register_name_len: 0,
            name: [0; 64],
            register_name: [0; 32],
            name_id: NO_NAME,
            register_name_id: NO_NAME,
        }
    }
}

impl Status {
    /// A zeroed struct whose `struct_size` is the host's `sizeof`.
    pub const fn new() -> Self {
        Status {
            struct_size: size_of::<Status>() as u32,
            code: 0,
            syndrome: 0,
            flags: 0,
            name_len: 0,
            name: [0; 48],
            name_id: NO_NAME,
        }
    }
}

impl Default for Identity {
    fn default() -> Self {
        Self::new()
    }
}

impl Default for Description {
    fn default() -> Self {
        Self::new()
    }
}

impl Default for Status {
    fn default() -> Self {
        Self::new()
    }
}

/// Copy `s` into a fixed array, truncated at a UTF-8 character boundary; returns
/// the number of bytes used.
pub fn fill_str(dst: &mut [u8], s: &str) -> u32 {
    let mut n = s.len().min(dst.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    dst[..n].copy_from_slice(&s.as_bytes()[..n]);
    n as u32
}

// Layout pins (LP64: pointers are 8 bytes). The C header is checked against the
// same numbers by tests/tests/it/plugin_abi.rs.
#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(size_of::<VTable>() == 128);
    assert!(offset_of!(VTable, name_text) == 112);
    assert!(offset_of!(VTable, features) == 120);
    assert!(VTABLE_V2_1_SIZE as usize == offset_of!(VTable, features));
    assert!(VTABLE_V2_0_SIZE as usize == offset_of!(VTable, name_text));
    assert!(align_of::<VTable>() == 8);
    assert!(offset_of!(VTable, abi_version) == 0);
    assert!(offset_of!(VTable, struct_size) == 4);
    assert!(offset_of!(VTable, device_type) == 8);
    assert!(offset_of!(VTable, flags) == 12);
    assert!(offset_of!(VTable, name) == 16);
    assert!(offset_of!(VTable, version) == 24);
    assert!(offset_of!(VTable, probe) == 32);
    assert!(offset_of!(VTable, remove) == 40);
    assert!(offset_of!(VTable, identity) == 48);
    assert!(offset_of!(VTable, open) == 56);
    assert!(offset_of!(VTable, close) == 64);
    assert!(offset_of!(VTable, info) == 72);
    assert!(offset_of!(VTable, describe) == 80);
    assert!(offset_of!(VTable, decode_status) == 88);
    assert!(offset_of!(VTable, rpc) == 96);
    assert!(offset_of!(VTable, rpc_v2) == 104);
    assert!(VTABLE_V1_SIZE as usize == offset_of!(VTable, rpc_v2));
    assert!(size_of::<UserOps>() == 32);
    assert!(offset_of!(UserOps, struct_size) == 0);
    assert!(offset_of!(UserOps, flags) == 4);
    assert!(offset_of!(UserOps, cookie) == 8);
    assert!(offset_of!(UserOps, copy_from_user) == 16);
    assert!(offset_of!(UserOps, copy_to_user) == 24);
    assert!(size_of::<RpcArgs>() == 64);
    assert!(offset_of!(RpcArgs, describe) == 56);
    assert!(RPC_ARGS_V2_1_SIZE as usize == offset_of!(RpcArgs, describe));
    assert!(RPC_ARGS_V2_0_SIZE as usize == offset_of!(RpcArgs, status));
    assert!(offset_of!(RpcArgs, status) == 48);
    assert!(offset_of!(RpcArgs, struct_size) == 0);
    assert!(offset_of!(RpcArgs, scope) == 4);
    assert!(offset_of!(RpcArgs, request) == 8);
    assert!(offset_of!(RpcArgs, request_len) == 16);
    assert!(offset_of!(RpcArgs, out_capacity) == 20);
    assert!(offset_of!(RpcArgs, out_addr) == 24);
    assert!(offset_of!(RpcArgs, out_len) == 32);
    assert!(offset_of!(RpcArgs, flags) == 36);
    assert!(offset_of!(RpcArgs, user) == 40);
    // A NULL entry point is a NULL function pointer.
    assert!(size_of::<Option<RpcFn>>() == size_of::<*const c_void>());
};

const _: () = {
    assert!(size_of::<Identity>() == 176);
    assert!(align_of::<Identity>() == 4);
    assert!(offset_of!(Identity, struct_size) == 0);
    assert!(offset_of!(Identity, parent_len) == 4);
    assert!(offset_of!(Identity, fw_version_len) == 8);
    assert!(offset_of!(Identity, serial_len) == 12);
    assert!(offset_of!(Identity, parent) == 16);
    assert!(offset_of!(Identity, fw_version) == 80);
    assert!(offset_of!(Identity, serial) == 112);

    assert!(size_of::<Description>() == 144);
    assert!(DESCRIBE_V2_0_SIZE as usize == offset_of!(Description, name_id));
    assert!(offset_of!(Description, register_name_id) == 140);
    assert!(align_of::<Description>() == 4);
    assert!(offset_of!(Description, struct_size) == 0);
    assert!(offset_of!(Description, opcode) == 4);
    assert!(offset_of!(Description, op_mod) == 8);
    assert!(offset_of!(Description, min_scope) == 12);
    assert!(offset_of!(Description, effects) == 16);
    assert!(offset_of!(Description, flags) == 20);
    assert!(offset_of!(Description, expected_out_len) == 24);
    assert!(offset_of!(Description, register_id) == 28);
    assert!(offset_of!(Description, name_len) == 32);
    assert!(offset_of!(Description, register_name_len) == 36);
    assert!(offset_of!(Description, name) == 40);
    assert!(offset_of!(Description, register_name) == 104);

    assert!(size_of::<Status>() == 72);
    assert!(STATUS_V2_0_SIZE as usize == offset_of!(Status, name_id));
    assert!(align_of::<Status>() == 4);
    assert!(offset_of!(Status, struct_size) == 0);
    assert!(offset_of!(Status, code) == 4);
    assert!(offset_of!(Status, syndrome) == 8);
    assert!(offset_of!(Status, flags) == 12);
    assert!(offset_of!(Status, name_len) == 16);
    assert!(offset_of!(Status, name) == 20);

    // The bit values of `Effects` cross the boundary unchanged: they are ABI too.
    assert!(fwctl_subsys::driver::Effects::READ.bits() == 1);
    assert!(fwctl_subsys::driver::Effects::WRITE_CONFIG.bits() == 2);
    assert!(fwctl_subsys::driver::Effects::CONFIG_ON_RESET.bits() == 4);
    assert!(fwctl_subsys::driver::Effects::WRITE_DEBUG.bits() == 8);
    assert!(fwctl_subsys::driver::Effects::DISRUPTIVE.bits() == 16);
    assert!(fwctl_subsys::driver::Effects::DEBUG_READ.bits() == 32);
};
