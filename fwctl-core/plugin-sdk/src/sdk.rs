//! The Rust plugin SDK: write ordinary [`Driver`]s, export them through the C ABI.
//!
//! A vendor implements [`Plugin`] (name, version, device type, and a `probe` that
//! turns a configuration string into drivers) and invokes
//! [`declare_plugin!`](crate::declare_plugin) once in a `cdylib` crate. The macro
//! exports `fwctl_plugin_v1`, returning a static vtable whose entry points are the
//! shims in this module: they convert between the C structs and the core's types,
//! and catch every panic (returning [`abi::FAULT`], which makes the host mark the
//! plugin failed) so no unwinding ever crosses the boundary.
//!
//! The same driver code can be linked in directly (`Subsystem::register`) and
//! shipped as a plugin; `fwctl-mlx5-sim` is built both ways.
//!
//! ```
//! use std::ffi::CStr;
//! use std::sync::Arc;
//! use fwctl_subsys::driver::{Driver, DriverContext, RpcResponse};
//! use fwctl_plugin_sdk::sdk::{ExportedVTable, Plugin};
//! use fwctl_plugin_host::PluginLibrary;
//! use fwctl_uapi::{DeviceType, Errno, RpcScope};
//!
//! struct Echo;
//! struct EchoCtx;
//! impl Driver for Echo {
//!     fn device_type(&self) -> DeviceType { DeviceType::Pds }
//!     fn open(&self) -> Result<Box<dyn DriverContext>, Errno> { Ok(Box::new(EchoCtx)) }
//! }
//! impl DriverContext for EchoCtx {
//!     fn fw_rpc(&self, _: RpcScope, req: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
//!         Ok(RpcResponse::InPlace(req.len()))
//!     }
//!     fn close(self: Box<Self>) {}
//! }
//!
//! struct EchoPlugin;
//! impl Plugin for EchoPlugin {
//!     const NAME: &'static CStr = c"echo";
//!     const VERSION: &'static CStr = c"1.0";
//!     const DEVICE_TYPE: DeviceType = DeviceType::Pds;
//!     fn probe(_config: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
//!         Ok(vec![Arc::new(Echo)])
//!     }
//! }
//! // In a cdylib: `fwctl_plugin_sdk::declare_plugin!(EchoPlugin);`. In-process, the same
//! // vtable can be validated and used without a library file:
//! static VTABLE: ExportedVTable = ExportedVTable::new::<EchoPlugin>();
//! let lib = PluginLibrary::from_static(&VTABLE, "echo").unwrap();
//! assert_eq!(lib.probe("").unwrap().len(), 1);
//! ```
#![expect(unsafe_code, reason = "the C ABI shims: extern \"C\" entry points, raw vtable and buffer pointers")]

use std::borrow::Cow;
use std::ffi::{CStr, c_char, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use crate::abi::{self, VTable};
use crate::names;
use fwctl_subsys::UserMemory;
use fwctl_subsys::driver::{Driver, DriverContext, DriverReply, RpcCall, RpcResponse, StatusSlot};
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{DeviceType, RpcScope};

/// What a Rust vendor implements: metadata plus a `probe` creating drivers.
pub trait Plugin: 'static {
    /// The plugin's name (at most 63 bytes, printable).
    const NAME: &'static CStr;
    /// The plugin's version (at most 63 bytes, printable).
    const VERSION: &'static CStr;
    /// The device type of every device it creates.
    const DEVICE_TYPE: DeviceType;
    /// Create device instances from a configuration string (syntax defined by the
    /// plugin; the empty string means defaults). At most [`abi::MAX_DEVICES`].
    fn probe(config: &str) -> Result<Vec<Arc<dyn Driver>>, Errno>;
}

/// A vtable that can live in a `static` (its pointers are to `'static`, immutable
/// strings and to functions).
#[repr(transparent)]
pub struct ExportedVTable(VTable);

// SAFETY: the only pointers inside are `'static` C string literals (from
// `Plugin::NAME`/`VERSION`) and function pointers; nothing is ever written.
unsafe impl Sync for ExportedVTable {}

impl ExportedVTable {
    /// The vtable for plugin `P`, its entry points being this module's shims.
    pub const fn new<P: Plugin>() -> Self {
        ExportedVTable(VTable {
            abi_version: abi::ABI_VERSION,
            struct_size: size_of::<VTable>() as u32,
            device_type: P::DEVICE_TYPE as u32,
            flags: 0,
            name: P::NAME.as_ptr(),
            version: P::VERSION.as_ptr(),
            probe: Some(probe::<P>),
            remove: Some(remove),
            identity: Some(identity),
            open: Some(open),
            close: Some(close),
            info: Some(info),
            describe: Some(describe),
            decode_status: Some(decode_status),
            rpc: Some(rpc),
            rpc_v2: Some(rpc_v2),
            name_text: Some(name_text),
            features: abi::FEATURE_DESCRIBE_IN_RPC,
        })
    }

    /// The vtable.
    pub const fn get(&'static self) -> &'static VTable {
        &self.0
    }
}

/// Export plugin type `$plugin` (implementing [`Plugin`]) through the entry symbol
/// `fwctl_plugin_v1` with an ABI version 2 vtable (`rpc_v2`: drivers get the
/// caller's memory through [`DriverContext::fw_rpc_user`]). Invoke once per `cdylib`.
#[macro_export]
macro_rules! declare_plugin {
    ($plugin:ty) => {
        /// The fwctl plugin entry point (the vtable is ABI version 2).
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        pub extern "C" fn fwctl_plugin_v1() -> *const $crate::abi::VTable {
            static VTABLE: $crate::sdk::ExportedVTable = $crate::sdk::ExportedVTable::new::<$plugin>();
            VTABLE.get()
        }
    };
}

/// A plugin-side device: what the opaque device pointer points to.
type DeviceBox = Arc<dyn Driver>;
/// A plugin-side context: what the opaque context pointer points to. It keeps
/// its device's driver, which decodes the status of the responses the context
/// delivers (`rpc_v2`'s `status`) without a second call from the host.
struct ContextBox {
    ctx: Box<dyn DriverContext>,
    dev: DeviceBox,
}

/// Run an entry point body, turning a panic into [`abi::FAULT`]. The host never
/// calls a faulted plugin again, so state a panic left half-updated is not observed.
fn guard(f: impl FnOnce() -> i32) -> i32 {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(abi::FAULT)
}

fn errno(e: Errno) -> i32 {
    e.negative()
}

/// # Safety
/// ABI contract: `config` has `config_len` readable bytes (or is NULL),
/// `devices` has room for `max_devices` pointers, `n_devices` is writable.
unsafe extern "C" fn probe<P: Plugin>(
    config: *const c_char,
    config_len: u32,
    devices: *mut *mut c_void,
    max_devices: u32,
    n_devices: *mut u32,
) -> i32 {
    guard(|| {
        if devices.is_null() || n_devices.is_null() {
            return errno(Errno::EINVAL);
        }
        let bytes: &[u8] = if config.is_null() || config_len == 0 {
            &[]
        } else {
            // SAFETY: the host passes `config_len` readable bytes at `config`.
            unsafe { std::slice::from_raw_parts(config.cast::<u8>(), config_len as usize) }
        };
        let Ok(config) = std::str::from_utf8(bytes) else { return errno(Errno::EINVAL) };
        let drivers = match P::probe(config) {
            Ok(d) => d,
            Err(e) => return errno(e),
        };
        if drivers.len() > max_devices as usize {
            return errno(Errno::ENOSPC);
        }
        let n = drivers.len() as u32;
        for (i, d) in drivers.into_iter().enumerate() {
            let raw = Box::into_raw(Box::new(d)).cast::<c_void>();
            // SAFETY: `i < max_devices`, so the slot is inside the host's array.
            unsafe { *devices.add(i) = raw };
        }
        // SAFETY: checked non-NULL above; the host passes a writable u32.
        unsafe { *n_devices = n };
        0
    })
}

/// Borrow the driver behind a device pointer.
///
/// # Safety
/// `dev` must come from [`probe`] and not have been removed.
unsafe fn device<'a>(dev: *mut c_void) -> &'a DeviceBox {
    // SAFETY: per the function's contract, `dev` is a live `Box<DeviceBox>`.
    unsafe { &*dev.cast::<DeviceBox>() }
}

/// # Safety
/// `dev` comes from `probe` and is removed once.
unsafe extern "C" fn remove(dev: *mut c_void) {
    let _ = guard(|| {
        if !dev.is_null() {
            // SAFETY: `dev` was made by `Box::into_raw` in `probe`; removed once.
            drop(unsafe { Box::from_raw(dev.cast::<DeviceBox>()) });
        }
        0
    });
}

/// # Safety
/// `dev` is live; `out` points to a writable `fwctl_plugin_identity`.
unsafe extern "C" fn identity(dev: *mut c_void, out: *mut abi::Identity) -> i32 {
    guard(|| {
        if dev.is_null() || out.is_null() {
            return errno(Errno::EINVAL);
        }
        // SAFETY: checked non-NULL; the host passes a valid, writable struct.
        let out = unsafe { &mut *out };
        if (out.struct_size as usize) < size_of::<abi::Identity>() {
            return errno(Errno::EINVAL);
        }
        // SAFETY: `dev` is a live device (ABI contract).
        let id = unsafe { device(dev) }.identity();
        out.parent_len = abi::fill_str(&mut out.parent, id.parent.as_deref().unwrap_or(""));
        out.fw_version_len = abi::fill_str(&mut out.fw_version, id.fw_version.as_deref().unwrap_or(""));
        out.serial_len = abi::fill_str(&mut out.serial, id.serial.as_deref().unwrap_or(""));
        0
    })
}

/// # Safety
/// `dev` is live; `ctx` is writable.
unsafe extern "C" fn open(dev: *mut c_void, ctx: *mut *mut c_void) -> i32 {
    guard(|| {
        if dev.is_null() || ctx.is_null() {
            return errno(Errno::EINVAL);
        }
        // SAFETY: `dev` is a live device (ABI contract).
        let dev = unsafe { device(dev) };
        match dev.open() {
            Ok(c) => {
                let raw = Box::into_raw(Box::new(ContextBox { ctx: c, dev: dev.clone() })).cast::<c_void>();
                // SAFETY: checked non-NULL; the host passes a writable pointer slot.
                unsafe { *ctx = raw };
                0
            }
            Err(e) => errno(e),
        }
    })
}

/// # Safety
/// `ctx` comes from `open` and is closed once.
unsafe extern "C" fn close(ctx: *mut c_void) {
    let _ = guard(|| {
        if !ctx.is_null() {
            // SAFETY: `ctx` was made by `Box::into_raw` in `open`; closed once.
            let b: Box<ContextBox> = unsafe { Box::from_raw(ctx.cast::<ContextBox>()) };
            b.ctx.close();
        }
        0
    });
}

/// Borrow the context behind a context pointer.
///
/// # Safety
/// `ctx` must come from [`open`] and not have been closed.
unsafe fn context<'a>(ctx: *mut c_void) -> &'a ContextBox {
    // SAFETY: per the function's contract, `ctx` is a live `Box<ContextBox>`.
    unsafe { &*ctx.cast::<ContextBox>() }
}

/// # Safety
/// `ctx` is live; `out` has `capacity` writable bytes; `out_len` is writable.
unsafe extern "C" fn info(ctx: *mut c_void, out: *mut u8, capacity: u32, out_len: *mut u32) -> i32 {
    guard(|| {
        if ctx.is_null() || out_len.is_null() || (out.is_null() && capacity != 0) {
            return errno(Errno::EINVAL);
        }
        // SAFETY: `ctx` is a live context (ABI contract).
        let data = match unsafe { context(ctx) }.ctx.info() {
            // No info op: zero bytes of device data, which the core treats the same.
            None => Vec::new(),
            Some(Ok(d)) => d,
            Some(Err(e)) => return errno(e),
        };
        let n = data.len().min(capacity as usize);
        if n > 0 {
            // SAFETY: `out` has `capacity >= n` writable bytes; `data` is a separate allocation.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), out, n) };
        }
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { *out_len = n as u32 };
        0
    })
}

/// Request bytes passed by the host (empty for a NULL or zero-length request).
///
/// # Safety
/// `p` has `len` readable bytes when non-NULL.
unsafe fn input<'a>(p: *const u8, len: u32) -> &'a [u8] {
    if p.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: per the function's contract.
        unsafe { std::slice::from_raw_parts(p, len as usize) }
    }
}

/// # Safety
/// `dev` is live; `request` has `len` readable bytes; `out` is a writable struct.
unsafe extern "C" fn describe(
    dev: *mut c_void,
    request: *const u8,
    len: u32,
    out: *mut abi::Description,
) -> i32 {
    guard(|| {
        if dev.is_null() || out.is_null() {
            return errno(Errno::EINVAL);
        }
        // SAFETY: checked non-NULL; the host passes a valid, writable struct.
        let out = unsafe { &mut *out };
        if out.struct_size < abi::DESCRIBE_V2_0_SIZE {
            return errno(Errno::EINVAL);
        }
        // SAFETY: the ABI contract of this entry point.
        let (drv, req) = unsafe { (device(dev), input(request, len)) };
        match drv.describe(req) {
            Ok(d) => {
                fill_description(out, &d);
                0
            }
            Err(e) => errno(e),
        }
    })
}

/// Fill a `fwctl_plugin_describe` (of at least the first version 2 size) from
/// the driver's description: both names by id when the host's struct has the
/// id fields and both names have one (or are absent), else both as text.
fn fill_description(out: &mut abi::Description, d: &fwctl_subsys::driver::RpcDescription) {
    out.opcode = d.opcode;
    out.op_mod = d.op_mod;
    out.min_scope = d.min_scope.map_or(abi::SCOPE_NONE, |s| s.as_u32() as i32);
    out.effects = d.effects.bits();
    out.flags = 0;
    if let Some(n) = d.expected_out_len.and_then(|n| u32::try_from(n).ok()) {
        out.flags |= abi::DESCRIBE_EXPECTED_OUT_LEN;
        out.expected_out_len = n;
    }
    let register_name = d.register.as_ref().and_then(|r| r.name.as_ref());
    if let Some(r) = &d.register {
        out.flags |= abi::DESCRIBE_REGISTER;
        if r.write {
            out.flags |= abi::DESCRIBE_REGISTER_WRITE;
        }
        out.register_id = r.id;
    }
    // A host that knows name ids has the fields for them. The usual case,
    // names of the driver's tables with their ids cached, costs no call.
    if out.struct_size as usize >= size_of::<abi::Description>() {
        let cached = |n: Option<&Cow<'static, str>>| n.map_or(Some(abi::NO_NAME), names::cached_id);
        if let (Some(n), Some(r)) = (cached(d.name.as_ref()), cached(register_name)) {
            out.flags |= abi::DESCRIBE_NAME_IDS;
            out.name_id = n;
            out.register_name_id = r;
            return;
        }
    }
    fill_description_names(out, d);
}

/// The names of [`fill_description`] when not both cached: by id when both
/// have (or now get) one, else both as text.
#[cold]
#[inline(never)]
fn fill_description_names(out: &mut abi::Description, d: &fwctl_subsys::driver::RpcDescription) {
    let register_name = d.register.as_ref().and_then(|r| r.name.as_ref());
    let by_id = if out.struct_size as usize >= size_of::<abi::Description>() {
        match (d.name.as_ref().map(names::id_of), register_name.map(names::id_of)) {
            (Some(None), _) | (_, Some(None)) => None,
            (n, r) => Some((n.flatten().unwrap_or(abi::NO_NAME), r.flatten().unwrap_or(abi::NO_NAME))),
        }
    } else {
        None
    };
    if let Some((n, r)) = by_id {
        out.flags |= abi::DESCRIBE_NAME_IDS;
        out.name_id = n;
        out.register_name_id = r;
    } else {
        out.name_len = abi::fill_str(&mut out.name, d.name.as_deref().unwrap_or(""));
        out.register_name_len = abi::fill_str(&mut out.register_name, register_name.map_or("", |n| n));
    }
}

/// # Safety
/// `dev` is live; `response` has `len` readable bytes; `out` is a writable struct.
unsafe extern "C" fn decode_status(
    dev: *mut c_void,
    response: *const u8,
    len: u32,
    out: *mut abi::Status,
) -> i32 {
    guard(|| {
        if dev.is_null() || out.is_null() {
            return errno(Errno::EINVAL);
        }
        // SAFETY: checked non-NULL; the host passes a valid, writable struct.
        let out = unsafe { &mut *out };
        if out.struct_size < abi::STATUS_V2_0_SIZE {
            return errno(Errno::EINVAL);
        }
        // SAFETY: the ABI contract of this entry point.
        let (drv, resp) = unsafe { (device(dev), input(response, len)) };
        let Some(s) = drv.decode_status(resp) else { return 0 };
        fill_status(out, &s);
        1
    })
}

/// # Safety
/// `ctx` is live; `request` has `request_len` bytes the plugin may overwrite;
/// `out` has `out_capacity` writable bytes; `out_len` is writable.
unsafe extern "C" fn rpc(
    ctx: *mut c_void,
    scope: u32,
    request: *mut u8,
    request_len: u32,
    out: *mut u8,
    out_capacity: u32,
    out_len: *mut u32,
) -> i32 {
    guard(|| {
        if ctx.is_null() || out_len.is_null() || (out.is_null() && out_capacity != 0) {
            return errno(Errno::EINVAL);
        }
        let Some(scope) = RpcScope::from_u32(scope) else { return errno(Errno::EOPNOTSUPP) };
        let req: &mut [u8] = if request.is_null() || request_len == 0 {
            &mut []
        } else {
            // SAFETY: the host passes `request_len` bytes that are ours to overwrite.
            unsafe { std::slice::from_raw_parts_mut(request, request_len as usize) }
        };
        // SAFETY: `ctx` is a live context (ABI contract).
        let c = unsafe { context(ctx) };
        match c.ctx.fw_rpc(scope, req, out_capacity as usize) {
            Err(e) => errno(e),
            // The driver's bug (a length beyond the request) is reported as EIO,
            // as the core does for a linked-in driver.
            Ok(RpcResponse::InPlace(n)) if n > req.len() => errno(Errno::EIO),
            Ok(RpcResponse::InPlace(n)) => {
                // SAFETY: checked non-NULL; writable per the contract.
                unsafe { *out_len = n as u32 };
                abi::RPC_IN_PLACE
            }
            Ok(RpcResponse::Buffer(v)) => {
                // The host's buffer is the caller's: a longer response is truncated to it.
                let n = v.len().min(out_capacity as usize);
                if n > 0 {
                    // SAFETY: `out` has `out_capacity >= n` writable bytes; `v` is ours.
                    unsafe { std::ptr::copy_nonoverlapping(v.as_ptr(), out, n) };
                }
                // SAFETY: checked non-NULL; writable per the contract.
                unsafe { *out_len = n as u32 };
                0
            }
        }
    })
}

/// The caller's memory as the host's `rpc_v2` callbacks give it, seen as the
/// core's [`UserMemory`] so drivers use the same [`RpcCall`] in-process and in a
/// plugin. All or nothing: a short copy is `EFAULT` (partial copies are available
/// through [`fwctl_subsys::driver::copy_from_user`], which probes with these).
struct HostMemory {
    cookie: *mut c_void,
    from: abi::CopyFromUserFn,
    to: abi::CopyToUserFn,
}

impl UserMemory for HostMemory {
    fn read(&self, addr: u64, dst: &mut [u8]) -> Result<(), Errno> {
        if dst.is_empty() {
            return Ok(());
        }
        // SAFETY: the host's callback with the cookie of the call in progress and
        // `dst.len()` writable bytes at `dst`.
        let left = unsafe { (self.from)(self.cookie, dst.as_mut_ptr(), addr, dst.len() as u64) };
        if left == 0 { Ok(()) } else { Err(Errno::EFAULT) }
    }

    fn write(&mut self, addr: u64, src: &[u8]) -> Result<(), Errno> {
        if src.is_empty() {
            return Ok(());
        }
        // SAFETY: as above, with `src.len()` readable bytes at `src`.
        let left = unsafe { (self.to)(self.cookie, addr, src.as_ptr(), src.len() as u64) };
        if left == 0 { Ok(()) } else { Err(Errno::EFAULT) }
    }
}

/// # Safety
/// `ctx` is live; `args` points to a valid `fwctl_plugin_rpc_args` whose
/// `request` has `request_len` bytes that are ours to overwrite and whose `user`
/// is valid for the duration of the call.
unsafe extern "C" fn rpc_v2(ctx: *mut c_void, args: *mut abi::RpcArgs) -> i32 {
    // Nothing here can panic (integer compares of the host's struct): each
    // path has its own guard.
    // SAFETY: NULL or the host's valid struct for the call.
    let Some(a) = (unsafe { args.as_ref() }) else { return errno(Errno::EINVAL) };
    // The host wants the response's status, or the request described before
    // delivery (and has the fields to take them): the general path. Only
    // fields inside the host's `struct_size` are read.
    if (a.struct_size > abi::RPC_ARGS_V2_0_SIZE && !a.status.is_null())
        || (a.struct_size > abi::RPC_ARGS_V2_1_SIZE && !a.describe.is_null())
    {
        // SAFETY: the ABI contract of this entry point.
        unsafe { rpc_v2_metadata(ctx, args) }
    } else {
        // SAFETY: the ABI contract of this entry point.
        unsafe { rpc_v2_plain(ctx, args) }
    }
}

/// [`rpc_v2_body`] under the panic guard (`extern "C"`: it cannot unwind,
/// so [`rpc_v2`] reaches it with a jump).
///
/// # Safety
/// As [`rpc_v2`].
#[inline(never)]
unsafe extern "C" fn rpc_v2_plain(ctx: *mut c_void, args: *mut abi::RpcArgs) -> i32 {
    // SAFETY: as this function's contract.
    guard(|| unsafe { rpc_v2_body(ctx, args) })
}

/// [`rpc_v2_described`] under the panic guard (`extern "C"`, as [`rpc_v2_plain`]).
///
/// # Safety
/// As [`rpc_v2`].
#[inline(never)]
unsafe extern "C" fn rpc_v2_metadata(ctx: *mut c_void, args: *mut abi::RpcArgs) -> i32 {
    // SAFETY: as this function's contract.
    guard(|| unsafe { rpc_v2_described(ctx, args) })
}

/// One `rpc_v2` call's arguments, checked.
struct V2Call<'a> {
    c: &'a ContextBox,
    args: &'a mut abi::RpcArgs,
    scope: RpcScope,
    req: &'a mut [u8],
    mem: HostMemory,
}

/// Check `rpc_v2`'s arguments; the errno to return when they are unusable.
///
/// # Safety
/// As [`rpc_v2`].
#[inline(always)]
unsafe fn v2_call<'a>(ctx: *mut c_void, args: *mut abi::RpcArgs) -> Result<V2Call<'a>, i32> {
    // SAFETY: NULL or the host's valid, writable struct for the call.
    let Some(args) = (unsafe { args.as_mut() }) else { return Err(errno(Errno::EINVAL)) };
    // A host of the first version 2 passes the struct without `status`.
    if ctx.is_null() || args.struct_size < abi::RPC_ARGS_V2_0_SIZE {
        return Err(errno(Errno::EINVAL));
    }
    // SAFETY: NULL or valid for the call (ABI contract).
    let Some(ops) = (unsafe { args.user.as_ref() }) else { return Err(errno(Errno::EINVAL)) };
    let (Some(from), Some(to)) = (ops.copy_from_user, ops.copy_to_user) else {
        return Err(errno(Errno::EINVAL));
    };
    let Some(scope) = RpcScope::from_u32(args.scope) else { return Err(errno(Errno::EOPNOTSUPP)) };
    let req: &mut [u8] = if args.request.is_null() || args.request_len == 0 {
        &mut []
    } else {
        // SAFETY: the host passes `request_len` bytes that are ours to overwrite.
        unsafe { std::slice::from_raw_parts_mut(args.request, args.request_len as usize) }
    };
    // SAFETY: `ctx` is a live context (ABI contract).
    let c = unsafe { context(ctx) };
    Ok(V2Call { c, args, scope, req, mem: HostMemory { cookie: ops.cookie, from, to } })
}

impl HostMemory {
    /// A separate response buffer written straight into the caller's (no copy
    /// through the host), with the host's callback directly: its first
    /// `min(len, cap)` bytes, `EFAULT` when they do not fit the caller's memory.
    #[inline(always)]
    fn respond(&self, out_addr: u64, cap: usize, response: &[u8]) -> Result<(), i32> {
        let n = response.len().min(cap);
        // SAFETY: the host's callback with the cookie of the call in progress
        // and `n` readable bytes at `response`.
        if n > 0 && unsafe { (self.to)(self.cookie, out_addr, response.as_ptr(), n as u64) } != 0 {
            return Err(errno(Errno::EFAULT));
        }
        Ok(())
    }
}

/// [`rpc_v2`] when the host wants neither the status nor a description: the
/// common case (a C client, a device node, `fwctl exec`), kept as short as a
/// linked-in driver's call allows.
///
/// # Safety
/// As [`rpc_v2`].
#[inline(always)]
unsafe fn rpc_v2_body(ctx: *mut c_void, args: *mut abi::RpcArgs) -> i32 {
    // SAFETY: as this function's contract.
    let V2Call { c, args, scope, req, mut mem } = match unsafe { v2_call(ctx, args) } {
        Ok(v) => v,
        Err(e) => return e,
    };
    let (out_addr, cap) = (args.out_addr, args.out_capacity as usize);
    let mut call = RpcCall { scope, out_addr, out_capacity: cap, user: &mut mem };
    let reply = c.ctx.fw_rpc_status(&mut call, req, &mut StatusSlot::NotWanted);
    let (ret, n) = match reply {
        Ok(DriverReply::Response(RpcResponse::Buffer(v))) => {
            if let Err(e) = mem.respond(out_addr, cap, &v) {
                return e;
            }
            (abi::RPC_DIRECT, v.len())
        }
        // The driver's bug (a length beyond the request) is EIO, as in the core.
        Ok(DriverReply::Response(RpcResponse::InPlace(n))) if n > req.len() => return errno(Errno::EIO),
        Ok(DriverReply::Response(RpcResponse::InPlace(n))) => (abi::RPC_IN_PLACE, n),
        Ok(DriverReply::Direct(n)) => (abi::RPC_DIRECT, n),
        Err(e) => return errno(e),
    };
    let Ok(n) = u32::try_from(n) else { return errno(Errno::EIO) };
    args.out_len = n;
    ret
}

/// [`rpc_v2`] when the host offered `status` or `describe` (`struct_size`
/// says it has the field and the pointer is not NULL).
///
/// # Safety
/// As [`rpc_v2`].
#[inline(always)]
unsafe fn rpc_v2_described(ctx: *mut c_void, args: *mut abi::RpcArgs) -> i32 {
    // SAFETY: as this function's contract.
    let V2Call { c, args, scope, req, mut mem } = match unsafe { v2_call(ctx, args) } {
        Ok(v) => v,
        Err(e) => return e,
    };
    let status = if args.struct_size > abi::RPC_ARGS_V2_0_SIZE { args.status } else { std::ptr::null_mut() };
    // SAFETY: non-NULL, and the host's `struct_size` says it has the field:
    // a valid, writable struct for the duration of the call.
    let mut status_out = unsafe { status.as_mut() }.filter(|out| out.struct_size >= abi::STATUS_V2_0_SIZE);
    let mut slot = if status_out.is_none() { StatusSlot::NotWanted } else { StatusSlot::Wanted };
    let describe =
        if args.struct_size > abi::RPC_ARGS_V2_1_SIZE { args.describe } else { std::ptr::null_mut() };
    // SAFETY: non-NULL, and the host's `struct_size` says it has the field: a
    // valid, writable struct for the duration of the call.
    if let Some(out) = unsafe { describe.as_mut() }
        && out.struct_size >= abi::DESCRIBE_V2_0_SIZE
    {
        // Described before delivery with the device's `describe`, as the
        // core's default `fw_rpc_described` does for a linked-in driver.
        args.flags |= match &c.dev.describe(req) {
            Ok(d) => {
                fill_description(out, d);
                abi::RPC_DESCRIBED
            }
            Err(_) => abi::RPC_NOT_DESCRIBED,
        };
    }
    let (out_addr, cap) = (args.out_addr, args.out_capacity as usize);
    let mut call = RpcCall { scope, out_addr, out_capacity: cap, user: &mut mem };
    let reply = c.ctx.fw_rpc_status(&mut call, req, &mut slot);
    let wanted = slot == StatusSlot::Wanted;
    let (ret, n) = match reply {
        Err(e) => return errno(e),
        Ok(DriverReply::Response(RpcResponse::Buffer(v))) => {
            if let Err(e) = mem.respond(out_addr, cap, &v) {
                return e;
            }
            // Its status decoded while it is at hand.
            if let Some(out) = status_out.as_deref_mut()
                && wanted
            {
                args.flags |= report_status(out, c.dev.decode_status(&v).as_ref());
            }
            (abi::RPC_DIRECT, v.len())
        }
        Ok(DriverReply::Response(RpcResponse::InPlace(n))) if n > req.len() => return errno(Errno::EIO),
        Ok(DriverReply::Response(RpcResponse::InPlace(n))) => {
            if let Some(out) = status_out.as_deref_mut()
                && wanted
            {
                args.flags |= report_status(out, c.dev.decode_status(&req[..n]).as_ref());
            }
            (abi::RPC_IN_PLACE, n)
        }
        Ok(DriverReply::Direct(n)) => (abi::RPC_DIRECT, n),
    };
    let Ok(n) = u32::try_from(n) else { return errno(Errno::EIO) };
    // What the driver decoded itself.
    if let (Some(out), StatusSlot::Decoded(decoded)) = (status_out, slot) {
        args.flags |= report_status(out, decoded.as_ref());
    }
    args.out_len = n;
    ret
}

/// Fill the host's status from the driver's decoding; the flag saying so.
#[inline]
fn report_status(out: &mut abi::Status, decoded: Option<&fwctl_subsys::driver::DeviceStatus>) -> u32 {
    match decoded {
        Some(s) => {
            fill_status(out, s);
            abi::RPC_STATUS_DECODED
        }
        None => abi::RPC_NO_STATUS,
    }
}

/// Fill a `fwctl_plugin_status` (of at least the first version 2 size) from
/// the driver's decoding: the name by id when the host's struct has the field
/// and the name has an id.
fn fill_status(out: &mut abi::Status, s: &fwctl_subsys::driver::DeviceStatus) {
    out.code = s.code;
    out.flags = if s.ok { abi::STATUS_OK } else { 0 };
    if let Some(syn) = s.syndrome {
        out.flags |= abi::STATUS_SYNDROME;
        out.syndrome = syn;
    }
    let ids = out.struct_size as usize >= size_of::<abi::Status>();
    // The usual case, a name of the driver's table with its id cached, costs no call.
    if ids && let Some(id) = names::cached_id(&s.name) {
        out.flags |= abi::STATUS_NAME_ID;
        out.name_id = id;
        return;
    }
    fill_status_name(out, &s.name, ids);
}

/// The name of [`fill_status`] when its id is not cached: by id when it has
/// (or now gets) one and the host's struct has the field, else as text.
#[cold]
#[inline(never)]
#[expect(clippy::ptr_arg, reason = "only a borrowed `&'static str` has an id: the variant matters")]
fn fill_status_name(out: &mut abi::Status, name: &Cow<'static, str>, ids: bool) {
    match if ids { names::id_of(name) } else { None } {
        Some(id) => {
            out.flags |= abi::STATUS_NAME_ID;
            out.name_id = id;
        }
        None => out.name_len = abi::fill_str(&mut out.name, name),
    }
}

/// # Safety
/// `out` has `capacity` writable bytes; `len` is writable.
unsafe extern "C" fn name_text(id: u32, out: *mut u8, capacity: u32, len: *mut u32) -> i32 {
    guard(|| {
        if len.is_null() || (out.is_null() && capacity != 0) {
            return errno(Errno::EINVAL);
        }
        let Some(text) = names::text_of(id) else { return errno(Errno::ENOENT) };
        let dst: &mut [u8] = if capacity == 0 {
            &mut []
        } else {
            // SAFETY: the host passes `capacity` writable bytes at `out`.
            unsafe { std::slice::from_raw_parts_mut(out, capacity as usize) }
        };
        let n = abi::fill_str(dst, text);
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { *len = n };
        0
    })
}
