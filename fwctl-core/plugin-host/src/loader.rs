//! Loading plugin libraries and calling into them: the only `unsafe` of the core
//! besides the ioctl path.
//!
//! Everything a plugin hands back is distrusted: the vtable is validated once at
//! load (version, size rule, device type, strings, required entry points), and
//! every length a call returns is checked against the capacity the host gave. A
//! plugin that returns garbage, or reports [`abi::FAULT`] (the Rust SDK's code for
//! a caught panic), is marked failed: from then on the host never calls into it
//! again and every device it created answers `ENXIO`. A plugin that crashes the
//! process (a segfault in C) cannot be contained in-process; `fwctl plugin check`
//! exists to find that out before a daemon loads it.
//!
//! Loading is race-free (review P4/D5): the path is opened once with
//! `O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC` (a FIFO cannot hang it), the descriptor
//! is `fstat`ed (a regular file, owned by root or this user, not group/other
//! writable), its ELF headers are checked against the file size (a truncated copy
//! is refused before mapping, instead of faulting with SIGBUS), and the library
//! is `dlopen`ed through `/proc/self/fd/N` — the very file that was checked,
//! whatever the name points to by then. Libraries are opened with
//! `RTLD_NOW | RTLD_LOCAL` (unresolved symbols fail the load, not a later call)
//! and are never unloaded: code and statics stay mapped for the process lifetime
//! (unloading libraries with TLS or atexit handlers is unreliable), so "unload"
//! means removing a plugin's devices. The descriptor stays open as long, so the
//! dynamic loader's name for the object is never reused; a rebuilt plugin (a new
//! file) loads as a new library.
#![expect(unsafe_code, reason = "dlopen/dlsym through libloading and calls through the plugin's C vtable")]

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{CString, c_char, c_void};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};

use super::PluginError;
use super::names;
use fwctl_plugin_sdk::abi::{self, VTable};
use fwctl_plugin_sdk::sdk::ExportedVTable;
use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use fwctl_subsys::UserMemory;
use fwctl_subsys::driver::{
    DeviceStatus, DriverReply, Effects, RegisterAccess, RpcCall, RpcDescription, RpcResponse, StatusSlot,
    copy_from_user, copy_to_user,
};
use fwctl_subsys::sync::lock;
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{DeviceType, RpcScope};

/// Environment variable that, set to `1`, disables the owner/mode checks.
/// For development only; every load under it prints a warning.
pub const INSECURE_ENV: &str = "FWCTL_PLUGIN_ALLOW_INSECURE";

/// How plugins are loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Load files that are group/other-writable or owned by another user. A
    /// development switch: each such load prints a warning and is listed as insecure.
    pub allow_insecure: bool,
}

impl LoadOptions {
    /// Options from the environment: `allow_insecure` iff [`INSECURE_ENV`] is `1`.
    pub fn from_env() -> Self {
        LoadOptions { allow_insecure: std::env::var_os(INSECURE_ENV).is_some_and(|v| v == "1") }
    }
}

/// What a validated plugin says about itself, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    /// The resolved path of the library (or `<static:NAME>` for a linked-in vtable).
    pub path: PathBuf,
    /// The plugin's name.
    pub name: String,
    /// The plugin's version string.
    pub version: String,
    /// The device type of every device it creates.
    pub device_type: DeviceType,
    /// The plugin's `abi_version`.
    pub abi_version: u32,
    /// The plugin's `struct_size`.
    pub struct_size: u32,
    /// Loaded with the permission checks disabled.
    pub insecure: bool,
}

/// The validated entry points (function pointers are `Send + Sync`; the vtable's
/// raw string pointers are not kept).
#[derive(Clone, Copy)]
struct Entries {
    probe: abi::ProbeFn,
    remove: abi::RemoveFn,
    identity: Option<abi::IdentityFn>,
    open: abi::OpenFn,
    close: abi::CloseFn,
    info: Option<abi::InfoFn>,
    describe: Option<abi::DescribeFn>,
    decode_status: Option<abi::DecodeStatusFn>,
    rpc: Rpc,
    name_text: Option<abi::NameFn>,
    /// `rpc_v2` describes the request in the same call
    /// ([`abi::FEATURE_DESCRIBE_IN_RPC`]).
    describes_in_rpc: bool,
}

/// The RPC entry point the host calls: version 2's when the plugin has it.
#[derive(Clone, Copy)]
enum Rpc {
    V1(abi::RpcFn),
    V2(abi::RpcV2Fn),
}

/// An opaque device pointer created by a plugin's `probe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawDevice(NonNull<c_void>);
/// An opaque context pointer created by a plugin's `open`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawContext(NonNull<c_void>);

// SAFETY: the pointers are opaque tokens the host only passes back to the plugin.
// The ABI requires plugin entry points to be callable from any thread and
// concurrently (as kernel fwctl ops are); plugin-guide.md states the contract.
unsafe impl Send for RawDevice {}
// SAFETY: as above.
unsafe impl Sync for RawDevice {}
// SAFETY: as above.
unsafe impl Send for RawContext {}
// SAFETY: as above.
unsafe impl Sync for RawContext {}

/// A loaded, validated plugin. Lives for the rest of the process (the registry
/// keeps it); dropping every device is what "unloading" means.
pub struct PluginLibrary {
    info: PluginInfo,
    entries: Entries,
    failure: OnceLock<String>,
    live_devices: AtomicUsize,
    /// The text of each name id the plugin has reported, asked once (empty
    /// when the plugin has no `name_text` entry point).
    name_ids: Box<[OnceLock<&'static str>]>,
    /// Kept so the mapping is never closed (the registry never drops this value).
    _library: Option<Library>,
}

impl std::fmt::Debug for PluginLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginLibrary")
            .field("info", &self.info)
            .field("failure", &self.failure.get())
            .finish()
    }
}

/// Loaded libraries, keyed by (device, inode) of the file: loading the same file
/// again returns the same library (the dynamic loader would too).
pub(crate) struct Registry {
    pub(crate) libraries: Vec<Arc<PluginLibrary>>,
    by_file: HashMap<(u64, u64), Arc<PluginLibrary>>,
}

pub(crate) fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(Registry { libraries: Vec::new(), by_file: HashMap::new() }))
}

/// Load the plugin at `path` (or return it if this file is already loaded).
///
/// # Safety
/// Loading a library runs its initialisers (ELF constructors, and the entry
/// function) in this process: arbitrary native code that Rust cannot check. The
/// caller asserts that the file at `path` is trusted to run with this process's
/// privileges. The owner/mode checks below only bound *who* could have put the
/// code there; they cannot make the code itself sound.
pub unsafe fn load(path: &Path, options: &LoadOptions) -> Result<Arc<PluginLibrary>, PluginError> {
    let io_err = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::NotFound {
            PluginError::NotFound { path: path.to_path_buf() }
        } else {
            PluginError::Io { path: path.to_path_buf(), err: source }
        }
    };
    let resolved = std::fs::canonicalize(path).map_err(io_err)?;
    // Race-free: everything below looks at this one descriptor, and the library
    // is loaded from it (`/proc/self/fd/N`), never by name again (review P4/D5).
    let opened = open_checked(&resolved).map_err(|e| match e {
        OpenProblem::Io(source) => io_err(source),
        OpenProblem::NotRegular(what) => PluginError::NotRegularFile { path: resolved.clone(), what },
    })?;
    let (file, meta) = opened;
    let insecure = match permission_problem(meta.uid(), meta.mode()) {
        None => false,
        Some(reason) if options.allow_insecure => {
            eprintln!(
                "fwctl: WARNING: loading plugin {} although {reason}: permission checks are DISABLED ({INSECURE_ENV}); never do this in production",
                resolved.display()
            );
            true
        }
        Some(reason) => return Err(PluginError::InsecurePermissions { path: resolved, reason }),
    };
    match check_elf_file(&file, meta.len()) {
        Ok(()) => {}
        Err(ElfProblem::NotSharedObject(detail)) => {
            return Err(PluginError::NotSharedObject { path: resolved, detail });
        }
        Err(ElfProblem::Truncated(detail)) => return Err(PluginError::Truncated { path: resolved, detail }),
    }

    let mut reg = lock(registry());
    let key = (meta.dev(), meta.ino());
    if let Some(lib) = reg.by_file.get(&key) {
        return Ok(lib.clone());
    }
    let by_fd = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    // SAFETY: dlopen runs the library's initialisers: arbitrary code. That is the
    // purpose of a plugin; the owner/mode checks above (on the very file that is
    // mapped: it is opened through the checked descriptor) bound who could have
    // put the code there. RTLD_NOW resolves every symbol now, so a broken library
    // fails here instead of at a later call.
    let library =
        unsafe { Library::open(Some(&by_fd), RTLD_NOW | RTLD_LOCAL) }.map_err(|e| dl_error(&resolved, e))?;
    // The dynamic loader now knows this object by the name `/proc/self/fd/N` and
    // would hand it out again for that name: keep the descriptor open for the
    // process lifetime (as the library itself is), so `N` never names another file.
    std::mem::forget(file);
    // SAFETY: the ABI defines the entry symbol as `const struct fwctl_plugin_vtable
    // *fwctl_plugin_v1(void)`, which is this type.
    let entry =
        unsafe { library.get::<unsafe extern "C" fn() -> *const VTable>(abi::ENTRY_SYMBOL.as_bytes()) };
    let entry = match entry {
        Ok(sym) => *sym,
        Err(_) => {
            // Keep the library mapped: its initialisers have run and its
            // finalisers are no safer to run than anything else in it.
            std::mem::forget(library);
            return Err(PluginError::MissingSymbol { path: resolved, symbol: abi::ENTRY_SYMBOL });
        }
    };
    // SAFETY: calling the plugin's entry function, which takes no arguments.
    let vtable = unsafe { entry() };
    // SAFETY: the ABI says the entry function returns NULL or a pointer to a
    // vtable of at least the two leading u32 that stays valid while the library
    // is mapped (forever: the library is never closed); `validate` checks NULL
    // and alignment before reading.
    let validated = unsafe { validate(vtable) };
    let (info, entries) = match validated {
        Ok(v) => v,
        Err(e) => {
            std::mem::forget(library);
            return Err(e);
        }
    };
    let lib = Arc::new(PluginLibrary {
        info: PluginInfo { path: resolved, insecure, ..info },
        name_ids: name_table(&entries),
        entries,
        failure: OnceLock::new(),
        live_devices: AtomicUsize::new(0),
        _library: Some(library),
    });
    reg.by_file.insert(key, lib.clone());
    reg.libraries.push(lib.clone());
    Ok(lib)
}

impl PluginLibrary {
    /// Use a vtable linked into this process (no library file), with the same
    /// validation as [`load`]. For plugins linked statically and for testing SDK
    /// plugins in-process. `origin` names it in listings (`<static:ORIGIN>`).
    ///
    /// Safe because an [`ExportedVTable`] can only be built by the SDK from a
    /// [`Plugin`](fwctl_plugin_sdk::sdk::Plugin) implementation: its entry points
    /// are the SDK's shims and its strings `'static` C literals.
    pub fn from_static(
        vtable: &'static ExportedVTable,
        origin: &str,
    ) -> Result<Arc<PluginLibrary>, PluginError> {
        // SAFETY: `vtable.get()` is a `'static`, aligned, fully initialised
        // `VTable` built by the SDK: its strings are NUL-terminated literals and
        // its entry points the SDK's shims, which honour the ABI contract.
        unsafe { Self::from_linked(vtable.get(), origin) }
    }

    /// Use a vtable of a plugin linked into this process from another language
    /// (a C plugin compiled into the binary, its entry symbol renamed), with the
    /// same validation as [`load`]. `origin` names it in listings (`<static:ORIGIN>`).
    ///
    /// # Safety
    ///
    /// As for [`load`]: the vtable's strings must be NUL-terminated and live as
    /// long as the process, and its entry points must honour the ABI contract
    /// (`fwctl_plugin.h`); the caller vouches for the code linked in.
    pub unsafe fn from_linked(
        vtable: &'static VTable,
        origin: &str,
    ) -> Result<Arc<PluginLibrary>, PluginError> {
        // SAFETY: the caller guarantees the vtable's contents (see # Safety).
        let (info, entries) = unsafe { validate(vtable) }?;
        let lib = Arc::new(PluginLibrary {
            info: PluginInfo { path: PathBuf::from(format!("<static:{origin}>")), ..info },
            name_ids: name_table(&entries),
            entries,
            failure: OnceLock::new(),
            live_devices: AtomicUsize::new(0),
            _library: None,
        });
        lock(registry()).libraries.push(lib.clone());
        Ok(lib)
    }

    /// What the plugin says about itself and where it was loaded from.
    pub fn info(&self) -> &PluginInfo {
        &self.info
    }

    /// The plugin's name.
    pub fn name(&self) -> &str {
        &self.info.name
    }

    /// The plugin's version.
    pub fn version(&self) -> &str {
        &self.info.version
    }

    /// The device type of its devices.
    pub fn device_type(&self) -> DeviceType {
        self.info.device_type
    }

    /// `Some(reason)` once the plugin has misbehaved (panicked, returned garbage).
    pub fn failure(&self) -> Option<&str> {
        self.failure.get().map(String::as_str)
    }

    /// Devices created by this plugin and not yet removed.
    pub fn live_devices(&self) -> usize {
        self.live_devices.load(Ordering::SeqCst)
    }

    /// Mark the plugin failed (first reason wins) and say so once on stderr.
    #[cold]
    fn fail(&self, reason: String) -> Errno {
        let reason = format!("plugin '{}' {reason}", self.info.name);
        if self.failure.set(reason.clone()).is_ok() {
            eprintln!("fwctl: {reason}; its devices are marked failed (ENXIO)");
        }
        Errno::ENXIO
    }

    #[cold]
    fn garbage(&self, entry: &str, what: std::fmt::Arguments<'_>) -> Errno {
        self.fail(format!("returned garbage from {entry}: {what}"))
    }

    fn alive(&self) -> Result<(), Errno> {
        if self.failure.get().is_some() { Err(Errno::ENXIO) } else { Ok(()) }
    }

    /// Interpret an entry point's return code: `0` is success, a known negative
    /// errno is passed on, [`abi::FAULT`] and anything else fail the plugin.
    #[inline]
    fn result(&self, entry: &str, ret: i32) -> Result<(), Errno> {
        if ret == 0 { Ok(()) } else { self.result_slow(entry, ret) }
    }

    #[cold]
    fn result_slow(&self, entry: &str, ret: i32) -> Result<(), Errno> {
        match ret {
            0 => Ok(()),
            abi::FAULT => Err(self.fail(format!("panicked or faulted in {entry} (FWCTL_PLUGIN_FAULT)"))),
            r => match Errno::from_negative(r) {
                Some(e) => Err(e),
                // A kernel errno this host's set does not name: the driver's
                // answer, not garbage. Passed on as EIO and logged.
                None if (-abi::MAX_ERRNO..0).contains(&r) => {
                    eprintln!(
                        "fwctl: plugin '{}' returned errno {} from {entry}, which this host does not know; reporting EIO",
                        self.info.name, -r
                    );
                    Err(Errno::EIO)
                }
                None => {
                    Err(self.garbage(entry, format_args!("return value {r} is not 0 or a negative errno")))
                }
            },
        }
    }

    /// Call `probe` with `config`; the raw device pointers it created.
    pub(crate) fn probe_raw(&self, config: &str) -> Result<Vec<RawDevice>, PluginError> {
        self.alive().map_err(|_| self.failed_error())?;
        let config = CString::new(config).map_err(|_| PluginError::BadConfig)?;
        let len = u32::try_from(config.as_bytes().len()).map_err(|_| PluginError::BadConfig)?;
        let mut devices = vec![ptr::null_mut::<c_void>(); abi::MAX_DEVICES as usize];
        let mut n = 0u32;
        // SAFETY: `config` is NUL-terminated with `len` bytes before the NUL;
        // `devices` has room for MAX_DEVICES pointers; `n` is a valid u32 out-pointer.
        let ret = unsafe {
            (self.entries.probe)(config.as_ptr(), len, devices.as_mut_ptr(), abi::MAX_DEVICES, &mut n)
        };
        match self.result("probe", ret) {
            Ok(()) => {}
            Err(_) if self.failure.get().is_some() => return Err(self.failed_error()),
            Err(e) => return Err(PluginError::ProbeFailed(e)),
        }
        if n > abi::MAX_DEVICES {
            self.garbage("probe", format_args!("{n} devices, capacity {}", abi::MAX_DEVICES));
            return Err(self.failed_error());
        }
        let raw: Option<Vec<RawDevice>> =
            devices[..n as usize].iter().map(|p| NonNull::new(*p).map(RawDevice)).collect();
        let Some(raw) = raw else {
            self.garbage("probe", format_args!("a NULL device pointer"));
            return Err(self.failed_error());
        };
        self.live_devices.fetch_add(raw.len(), Ordering::SeqCst);
        Ok(raw)
    }

    fn failed_error(&self) -> PluginError {
        PluginError::Failed(self.failure().unwrap_or("unknown failure").to_string())
    }

    /// Destroy a device (all its contexts are closed). Not called on a failed plugin.
    pub(crate) fn remove(&self, dev: RawDevice) {
        self.live_devices.fetch_sub(1, Ordering::SeqCst);
        if self.alive().is_ok() {
            // SAFETY: `dev` came from this plugin's probe and is removed once (the
            // host's device object owns it and calls this from its Drop).
            unsafe { (self.entries.remove)(dev.0.as_ptr()) }
        }
    }

    /// The device's identity strings, if the plugin has the entry point.
    pub(crate) fn identity(&self, dev: RawDevice) -> Option<abi::Identity> {
        let f = self.entries.identity?;
        self.alive().ok()?;
        let mut out = abi::Identity::new();
        // SAFETY: `dev` is a live device of this plugin; `out` is a valid struct
        // whose `struct_size` tells the plugin how much it may write.
        let ret = unsafe { f(dev.0.as_ptr(), &mut out) };
        self.result("identity", ret).ok()?;
        let bad = [
            (out.parent_len, out.parent.len()),
            (out.fw_version_len, out.fw_version.len()),
            (out.serial_len, out.serial.len()),
        ]
        .into_iter()
        .find(|(len, cap)| *len as usize > *cap);
        if let Some((len, cap)) = bad {
            self.garbage("identity", format_args!("string length {len} beyond capacity {cap}"));
            return None;
        }
        Some(out)
    }

    /// `open_uctx`.
    pub(crate) fn open(&self, dev: RawDevice) -> Result<RawContext, Errno> {
        self.alive()?;
        let mut ctx = ptr::null_mut();
        // SAFETY: `dev` is a live device of this plugin; `ctx` is a valid out-pointer.
        let ret = unsafe { (self.entries.open)(dev.0.as_ptr(), &mut ctx) };
        self.result("open", ret)?;
        NonNull::new(ctx).map(RawContext).ok_or_else(|| self.garbage("open", format_args!("a NULL context")))
    }

    /// `close_uctx`. Not called on a failed plugin (its state is not trusted).
    pub(crate) fn close(&self, ctx: RawContext) {
        if self.alive().is_ok() {
            // SAFETY: `ctx` came from this plugin's open and is closed exactly once
            // (DriverContext::close consumes its owner).
            unsafe { (self.entries.close)(ctx.0.as_ptr()) }
        }
    }

    /// The `info` op: `None` when the plugin has none.
    pub(crate) fn device_info(&self, ctx: RawContext) -> Option<Result<Vec<u8>, Errno>> {
        let f = self.entries.info?;
        if let Err(e) = self.alive() {
            return Some(Err(e));
        }
        let mut buf = vec![0u8; abi::INFO_CAPACITY as usize];
        let mut len = 0u32;
        // SAFETY: `ctx` is a live context; `buf` has INFO_CAPACITY writable bytes.
        let ret = unsafe { f(ctx.0.as_ptr(), buf.as_mut_ptr(), abi::INFO_CAPACITY, &mut len) };
        Some(self.result("info", ret).and_then(|()| {
            if len > abi::INFO_CAPACITY {
                return Err(
                    self.garbage("info", format_args!("length {len} beyond capacity {}", abi::INFO_CAPACITY))
                );
            }
            buf.truncate(len as usize);
            Ok(buf)
        }))
    }

    /// `describe`, converted: lengths, scope and name ids checked (garbage
    /// otherwise). `EOPNOTSUPP` without the op.
    #[inline]
    pub(crate) fn describe(&self, dev: RawDevice, request: &[u8]) -> Result<RpcDescription, Errno> {
        let f = self.entries.describe.ok_or(Errno::EOPNOTSUPP)?;
        self.alive()?;
        let len = u32::try_from(request.len()).map_err(|_| Errno::EMSGSIZE)?;
        let mut d = abi::Description::new();
        // SAFETY: `dev` is live; `request` has `len` readable bytes; `d` is valid.
        let ret = unsafe { f(dev.0.as_ptr(), request.as_ptr(), len, &mut d) };
        self.result("describe", ret)?;
        self.description("describe", &d)
    }

    /// A description the plugin filled (by `describe`, or by `rpc_v2` with
    /// [`abi::RPC_DESCRIBED`]), converted: lengths, scope and name ids checked
    /// (garbage otherwise).
    #[inline(always)]
    fn description(&self, entry: &str, d: &abi::Description) -> Result<RpcDescription, Errno> {
        if d.name_len as usize > d.name.len() || d.register_name_len as usize > d.register_name.len() {
            return Err(self.garbage(
                entry,
                format_args!("name lengths {}/{} beyond capacity", d.name_len, d.register_name_len),
            ));
        }
        let min_scope = match d.min_scope {
            abi::SCOPE_NONE => None,
            s => match u32::try_from(s).ok().and_then(RpcScope::from_u32) {
                Some(s) => Some(s),
                None => return Err(self.garbage(entry, format_args!("min_scope {s}"))),
            },
        };
        let (name, register_name) = if d.flags & abi::DESCRIBE_NAME_IDS != 0 {
            (self.name_of_id(entry, d.name_id)?, self.name_of_id(entry, d.register_name_id)?)
        } else {
            (names::name(&d.name, d.name_len), names::name(&d.register_name, d.register_name_len))
        };
        let register = (d.flags & abi::DESCRIBE_REGISTER != 0).then_some(RegisterAccess {
            id: d.register_id,
            name: register_name,
            write: d.flags & abi::DESCRIBE_REGISTER_WRITE != 0,
        });
        Ok(RpcDescription {
            opcode: d.opcode,
            op_mod: d.op_mod,
            name,
            min_scope,
            // Bits a newer plugin defines and this host does not know are dropped.
            effects: Effects::from_bits_truncate(d.effects),
            expected_out_len: (d.flags & abi::DESCRIBE_EXPECTED_OUT_LEN != 0)
                .then_some(d.expected_out_len as usize),
            register,
        })
    }

    /// The text of name id `id` ([`abi::NO_NAME`]: none): from the table, or
    /// asked of the plugin's `name_text` once and kept. An id beyond the table, or
    /// one the plugin cannot name, is garbage.
    #[inline(always)]
    fn name_of_id(&self, entry: &str, id: u32) -> Result<Option<Cow<'static, str>>, Errno> {
        if id == abi::NO_NAME {
            return Ok(None);
        }
        let Some(slot) = self.name_ids.get(id as usize) else {
            return Err(self.garbage(
                entry,
                format_args!("name id {id} (the plugin has no name table, or beyond {})", abi::MAX_NAME_IDS),
            ));
        };
        match slot.get() {
            Some(s) => Ok(Some(Cow::Borrowed(s))),
            None => self.ask_name(entry, id, slot),
        }
    }

    #[cold]
    fn ask_name(
        &self,
        entry: &str,
        id: u32,
        slot: &OnceLock<&'static str>,
    ) -> Result<Option<Cow<'static, str>>, Errno> {
        let Some(f) = self.entries.name_text else {
            return Err(self.garbage(entry, format_args!("name id {id} without a name_text entry point")));
        };
        let mut buf = [0u8; abi::NAME_CAPACITY as usize];
        let mut len = 0u32;
        // SAFETY: `buf` has NAME_CAPACITY writable bytes; `len` is a valid out-pointer.
        let ret = unsafe { f(id, buf.as_mut_ptr(), abi::NAME_CAPACITY, &mut len) };
        if let Err(e) = self.result("name_text", ret) {
            // An id the plugin itself gave out and cannot name: garbage.
            return Err(if self.failure.get().is_some() {
                e
            } else {
                self.garbage(entry, format_args!("name id {id}, which name_text refuses ({})", e.name()))
            });
        }
        if len > abi::NAME_CAPACITY {
            return Err(self
                .garbage("name_text", format_args!("length {len} beyond capacity {}", abi::NAME_CAPACITY)));
        }
        let text = names::name(&buf, len);
        if let Some(Cow::Borrowed(s)) = text {
            let _ = slot.set(s);
        }
        Ok(text)
    }

    /// `decode_status`: `None` when the response carries no status (or on error).
    pub(crate) fn decode_status(&self, dev: RawDevice, response: &[u8]) -> Option<DeviceStatus> {
        let f = self.entries.decode_status?;
        self.alive().ok()?;
        let len = u32::try_from(response.len()).ok()?;
        let mut out = abi::Status::new();
        // SAFETY: `dev` is live; `response` has `len` readable bytes; `out` is valid.
        let ret = unsafe { f(dev.0.as_ptr(), response.as_ptr(), len, &mut out) };
        match ret {
            0 => None,
            1 => self.checked_status("decode_status", &out),
            r => {
                let _ = self.result("decode_status", r);
                None
            }
        }
    }

    /// A status the plugin filled, its name length or id checked (garbage otherwise).
    #[inline(always)]
    fn checked_status(&self, entry: &str, s: &abi::Status) -> Option<DeviceStatus> {
        let name = if s.flags & abi::STATUS_NAME_ID != 0 {
            self.name_of_id(entry, s.name_id).ok()?
        } else if s.name_len as usize > s.name.len() {
            self.garbage(entry, format_args!("status name length {} beyond capacity", s.name_len));
            return None;
        } else {
            names::name(&s.name, s.name_len)
        };
        Some(DeviceStatus {
            code: s.code,
            name: match name {
                Some(n) => n,
                None => unnamed_status(s.code),
            },
            syndrome: (s.flags & abi::STATUS_SYNDROME != 0).then_some(s.syndrome),
            ok: s.flags & abi::STATUS_OK != 0,
        })
    }

    /// The status `rpc_v2` reported through `args.flags`/`args.status`: exactly
    /// one of the two known bits, and only when the host offered the field.
    #[inline(always)]
    fn status_answer(
        &self,
        entry: &str,
        flags: u32,
        offered: Option<&abi::Status>,
    ) -> Result<StatusSlot, Errno> {
        match (flags, offered) {
            (abi::RPC_STATUS_DECODED, Some(s)) => match self.checked_status(entry, s) {
                Some(decoded) => Ok(StatusSlot::Decoded(Some(decoded))),
                None => Err(Errno::ENXIO),
            },
            (abi::RPC_NO_STATUS, Some(_)) => Ok(StatusSlot::Decoded(None)),
            (f, offered) => Err(self.garbage(
                entry,
                format_args!(
                    "flags {f:#x} (status offered: {}): not one known status bit",
                    offered.is_some()
                ),
            )),
        }
    }

    /// `fw_rpc` over `request` (the core's private copy, which the plugin may
    /// overwrite): the response in place or in a new buffer, as the core expects.
    pub(crate) fn rpc(
        &self,
        ctx: RawContext,
        scope: RpcScope,
        request: &mut [u8],
        out_capacity: usize,
    ) -> Result<RpcResponse, Errno> {
        /// Per-thread response buffer for responses that will fit over the
        /// request, so such calls cost no allocation. Zeroed before every call:
        /// a plugin that reports more than it wrote must not leak an earlier
        /// response. Larger responses get a fresh zeroed buffer that becomes
        /// the response itself (no copy).
        const KEEP_LIMIT: usize = 64 * 1024;
        thread_local! {
            static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        self.alive()?;
        if out_capacity > request.len() {
            let mut out = fwctl_subsys::memory::zeroed_buffer(out_capacity);
            return self.rpc_into(ctx, scope, request, &mut out).map(|n| match n {
                Delivered::InPlace(n) => RpcResponse::InPlace(n),
                Delivered::Out(n) if n <= request.len() => {
                    request[..n].copy_from_slice(&out[..n]);
                    RpcResponse::InPlace(n)
                }
                Delivered::Out(n) => {
                    out.truncate(n);
                    RpcResponse::Buffer(out)
                }
            });
        }
        SCRATCH.with(|cell| {
            let mut fresh = Vec::new();
            let mut borrowed = cell.try_borrow_mut();
            let out = match &mut borrowed {
                Ok(v) => &mut **v,
                Err(_) => &mut fresh,
            };
            out.clear();
            out.resize(out_capacity, 0);
            let response = self.rpc_into(ctx, scope, request, out).map(|n| match n {
                Delivered::InPlace(n) => RpcResponse::InPlace(n),
                // out_capacity <= request.len(), so the response fits over the request.
                Delivered::Out(n) => {
                    request[..n].copy_from_slice(&out[..n]);
                    RpcResponse::InPlace(n)
                }
            });
            if out.capacity() > KEEP_LIMIT {
                *out = Vec::new();
            }
            response
        })
    }

    /// Call `rpc` with `out` as the response buffer; where the response went
    /// and its (checked) length.
    fn rpc_into(
        &self,
        ctx: RawContext,
        scope: RpcScope,
        request: &mut [u8],
        out: &mut [u8],
    ) -> Result<Delivered, Errno> {
        let req_len = u32::try_from(request.len()).map_err(|_| Errno::EMSGSIZE)?;
        let cap = u32::try_from(out.len()).map_err(|_| Errno::EMSGSIZE)?;
        let mut out_len = 0u32;
        // SAFETY: `ctx` is live; `request` has `req_len` bytes the plugin may read
        // and overwrite; `out` has `cap` writable bytes; `out_len` is a valid
        // out-pointer. The two buffers do not overlap.
        let Rpc::V1(rpc) = self.entries.rpc else { return Err(Errno::EOPNOTSUPP) };
        // SAFETY: as above.
        let ret = unsafe {
            rpc(
                ctx.0.as_ptr(),
                scope.as_u32(),
                request.as_mut_ptr(),
                req_len,
                out.as_mut_ptr(),
                cap,
                &mut out_len,
            )
        };
        match ret {
            abi::RPC_IN_PLACE if out_len > req_len => Err(self.garbage(
                "rpc",
                format_args!("in-place out_len {out_len} beyond the request length {req_len}"),
            )),
            abi::RPC_IN_PLACE => Ok(Delivered::InPlace(out_len as usize)),
            r => self.result("rpc", r).and_then(|()| {
                if out_len > cap {
                    Err(self.garbage("rpc", format_args!("out_len {out_len} beyond capacity {cap}")))
                } else {
                    Ok(Delivered::Out(out_len as usize))
                }
            }),
        }
    }
}

impl PluginLibrary {
    /// Whether the plugin delivers RPCs through version 2's `rpc_v2`.
    pub fn has_rpc_v2(&self) -> bool {
        matches!(self.entries.rpc, Rpc::V2(_))
    }

    /// Whether the plugin's `rpc_v2` describes the request in the same call
    /// ([`abi::FEATURE_DESCRIBE_IN_RPC`]).
    pub fn describes_in_rpc(&self) -> bool {
        self.entries.describes_in_rpc
    }

    /// `fw_rpc` with the caller's memory: `rpc_v2` when the plugin has it, else
    /// version 1's `rpc` (which never sees the caller's memory). With `status`
    /// [`StatusSlot::Wanted`], `rpc_v2` is offered `args.status` and a status the
    /// plugin decoded comes back as [`StatusSlot::Decoded`] (checked as
    /// `decode_status`'s answer is).
    #[inline(always)]
    pub(crate) fn rpc_user(
        &self,
        ctx: RawContext,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
    ) -> Result<DriverReply, Errno> {
        let Rpc::V2(f) = self.entries.rpc else {
            let _ = status;
            return self.rpc(ctx, call.scope, request, call.out_capacity).map(DriverReply::Response);
        };
        if *status == StatusSlot::NotWanted {
            return self.rpc_v2_plain(f, ctx, call, request);
        }
        self.rpc_v2(f, ctx, call, request, status, None)
    }

    /// [`rpc_v2`](Self::rpc_v2) with nothing offered but the answer: the
    /// common case (a C client, a device node, `fwctl exec`).
    #[inline(always)]
    fn rpc_v2_plain(
        &self,
        f: abi::RpcV2Fn,
        ctx: RawContext,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
    ) -> Result<DriverReply, Errno> {
        let mut args = self.v2_args(call, request)?;
        let ops = user_ops(call);
        args.user = &ops;
        let req_len = args.request_len;
        // SAFETY: as in `rpc_v2`, with `status` and `describe` NULL.
        let ret = unsafe { f(ctx.0.as_ptr(), &mut args) };
        let n = args.out_len;
        if args.flags != 0 {
            self.unoffered_flags(ret, args.flags)?;
        }
        match ret {
            // As in `rpc_v2`.
            abi::RPC_DIRECT => Ok(DriverReply::Direct(n as usize)),
            abi::RPC_IN_PLACE if n <= req_len => Ok(DriverReply::Response(RpcResponse::InPlace(n as usize))),
            r => self.rpc_v2_refused(r, n, req_len),
        }
    }

    /// `rpc_v2`'s arguments for `call` over `request` (the plugin alive, the
    /// lengths checked), offering nothing yet: `user`, `status` and `describe`
    /// NULL.
    #[inline(always)]
    fn v2_args(&self, call: &RpcCall<'_>, request: &mut [u8]) -> Result<abi::RpcArgs, Errno> {
        self.alive()?;
        Ok(abi::RpcArgs {
            struct_size: size_of::<abi::RpcArgs>() as u32,
            scope: call.scope.as_u32(),
            request: request.as_mut_ptr(),
            request_len: u32::try_from(request.len()).map_err(|_| Errno::EMSGSIZE)?,
            out_capacity: u32::try_from(call.out_capacity).map_err(|_| Errno::EMSGSIZE)?,
            out_addr: call.out_addr,
            out_len: 0,
            flags: 0,
            user: ptr::null(),
            status: ptr::null_mut(),
            describe: ptr::null_mut(),
        })
    }

    /// Flags in answer to a call that offered nothing: garbage, unless the
    /// call failed anyway (as [`rpc_flags`](Self::rpc_flags) judges them).
    #[cold]
    #[inline(never)]
    fn unoffered_flags(&self, ret: i32, flags: u32) -> Result<(), Errno> {
        self.rpc_flags(ret, flags, None, &mut StatusSlot::NotWanted, None)
    }

    /// `rpc_v2`'s return value when it is not a delivered response: an errno,
    /// or garbage.
    #[cold]
    #[inline(never)]
    fn rpc_v2_refused(&self, ret: i32, n: u32, req_len: u32) -> Result<DriverReply, Errno> {
        match ret {
            abi::RPC_IN_PLACE => Err(self
                .garbage("rpc_v2", format_args!("in-place out_len {n} beyond the request length {req_len}"))),
            0 => Err(self.garbage("rpc_v2", format_args!("returned 0 (neither IN_PLACE nor DIRECT)"))),
            r => self.result("rpc_v2", r).and(Err(Errno::EIO)),
        }
    }

    /// [`rpc_user`](Self::rpc_user), also describing `request` as it was before
    /// delivery into `description` (as [`describe`](Self::describe) would,
    /// `None` where it fails):
    /// in the same `rpc_v2` call when the plugin has
    /// [`abi::FEATURE_DESCRIBE_IN_RPC`], else by a `describe` call first.
    #[inline]
    pub(crate) fn rpc_described(
        &self,
        dev: RawDevice,
        ctx: RawContext,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
        description: &mut Option<RpcDescription>,
    ) -> Result<DriverReply, Errno> {
        match self.entries.rpc {
            Rpc::V2(f) if self.entries.describes_in_rpc => {
                *description = None;
                self.rpc_v2(f, ctx, call, request, status, Some(description))
            }
            _ => {
                *description = self.describe(dev, request).ok();
                self.rpc_user(ctx, call, request, status)
            }
        }
    }

    /// One `rpc_v2` call; with `described`, `args.describe` is offered and the
    /// plugin's description (checked) lands there.
    #[inline(always)]
    fn rpc_v2(
        &self,
        f: abi::RpcV2Fn,
        ctx: RawContext,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
        described: Option<&mut Option<RpcDescription>>,
    ) -> Result<DriverReply, Errno> {
        let mut args = self.v2_args(call, request)?;
        let ops = user_ops(call);
        args.user = &ops;
        let req_len = args.request_len;
        let want_status = *status == StatusSlot::Wanted;
        // Each struct is set up only when offered.
        let mut decoded = std::mem::MaybeUninit::<abi::Status>::uninit();
        let mut decoded = want_status.then(|| decoded.write(abi::Status::new()));
        let mut description = std::mem::MaybeUninit::<abi::Description>::uninit();
        let mut description = described.is_some().then(|| description.write(abi::Description::new()));
        args.status = decoded.as_deref_mut().map_or(ptr::null_mut(), ptr::from_mut);
        args.describe = description.as_deref_mut().map_or(ptr::null_mut(), ptr::from_mut);
        // SAFETY: `ctx` is a live context of this plugin; `args` is a valid struct
        // whose `request` has `req_len` bytes the plugin may overwrite, whose
        // `user` (with the cookie it carries) outlives the call, and whose
        // `status` and `describe` are NULL or valid, writable structs.
        let ret = unsafe { f(ctx.0.as_ptr(), &mut args) };
        let (n, flags) = (args.out_len, args.flags);
        if flags != 0 || described.is_some() {
            self.rpc_flags(ret, flags, decoded.as_deref(), status, described.zip(description))?;
        }
        match ret {
            // The driver's length, which may exceed the caller's buffer (the core
            // reports it as the kernel does; the bytes copied were bounded by
            // `copy_to_user` on the caller's memory).
            abi::RPC_DIRECT => Ok(DriverReply::Direct(n as usize)),
            abi::RPC_IN_PLACE if n <= req_len => Ok(DriverReply::Response(RpcResponse::InPlace(n as usize))),
            r => self.rpc_v2_refused(r, n, req_len),
        }
    }

    /// What `rpc_v2` reported in `args.flags`: the status (only for a delivered
    /// RPC, only when offered, exactly one bit) and the description (when
    /// offered exactly one bit, delivered or not; never when not offered).
    /// Anything else is garbage.
    #[inline(always)]
    fn rpc_flags(
        &self,
        ret: i32,
        flags: u32,
        decoded: Option<&abi::Status>,
        status: &mut StatusSlot,
        described: Option<(&mut Option<RpcDescription>, &mut abi::Description)>,
    ) -> Result<(), Errno> {
        const STATUS: u32 = abi::RPC_STATUS_DECODED | abi::RPC_NO_STATUS;
        const DESCRIBE: u32 = abi::RPC_DESCRIBED | abi::RPC_NOT_DESCRIBED;
        if ret == abi::FAULT {
            // The plugin is failed below; nothing it wrote is read.
            return Ok(());
        }
        if flags & !(STATUS | DESCRIBE) != 0 {
            return Err(self.garbage("rpc_v2", format_args!("flags {flags:#x}: unknown bits")));
        }
        match (described, flags & DESCRIBE) {
            (Some((out, d)), abi::RPC_DESCRIBED) => *out = Some(self.description("rpc_v2", d)?),
            (Some(_), abi::RPC_NOT_DESCRIBED) => {}
            (None, 0) => {}
            (offered, bits) => {
                return Err(self.garbage(
                    "rpc_v2",
                    format_args!(
                        "flags {bits:#x} (describe offered: {}): not one known describe bit",
                        offered.is_some()
                    ),
                ));
            }
        }
        if ret > 0 && flags & STATUS != 0 {
            *status = self.status_answer("rpc_v2", flags & STATUS, decoded)?;
        }
        Ok(())
    }
}

/// The caller's memory as `rpc_v2`'s callbacks find it: the cookie is a (thin)
/// pointer to the (fat) `&mut dyn UserMemory` in `call`; nothing else touches
/// `call` until the call returns.
#[inline(always)]
fn user_ops(call: &mut RpcCall<'_>) -> abi::UserOps {
    abi::UserOps {
        struct_size: size_of::<abi::UserOps>() as u32,
        flags: 0,
        cookie: (&raw mut call.user).cast::<c_void>(),
        copy_from_user: Some(host_copy_from_user),
        copy_to_user: Some(host_copy_to_user),
    }
}

/// The name of a status the plugin gave none.
#[cold]
fn unnamed_status(code: u32) -> Cow<'static, str> {
    Cow::Owned(format!("status 0x{code:x}"))
}

/// Recover the caller's memory from a callback cookie.
///
/// # Safety
/// `cookie` is the `UserOps::cookie` of an `rpc_v2` call in progress.
unsafe fn cookie_user<'a>(cookie: *mut c_void) -> &'a mut &'a mut dyn UserMemory {
    // SAFETY: per the contract, `cookie` points to the `RpcCall::user` of `rpc_v2`,
    // alive and otherwise unused until `rpc_v2` returns.
    unsafe { &mut *cookie.cast::<&mut dyn UserMemory>() }
}

/// `fwctl_plugin_user.copy_from_user` for the host's callers.
///
/// # Safety
/// Called by the plugin during `rpc_v2` with the cookie it was given and `dst`
/// pointing to `len` writable bytes.
unsafe extern "C" fn host_copy_from_user(cookie: *mut c_void, dst: *mut u8, src: u64, len: u64) -> u64 {
    let Ok(n) = usize::try_from(len) else { return len };
    if n == 0 {
        return 0;
    }
    if cookie.is_null() || dst.is_null() || n > MAX_USER_COPY {
        return len;
    }
    // SAFETY: the plugin passes its own `len` writable bytes at `dst` (memcpy's contract).
    let dst = unsafe { std::slice::from_raw_parts_mut(dst, n) };
    // SAFETY: the cookie is the one this call was given.
    let user = unsafe { cookie_user(cookie) };
    catch_unwind(AssertUnwindSafe(|| copy_from_user(&**user, dst, src) as u64)).unwrap_or(len)
}

/// `fwctl_plugin_user.copy_to_user` for the host's callers.
///
/// # Safety
/// Called by the plugin during `rpc_v2` with the cookie it was given and `src`
/// pointing to `len` readable bytes.
unsafe extern "C" fn host_copy_to_user(cookie: *mut c_void, dst: u64, src: *const u8, len: u64) -> u64 {
    let Ok(n) = usize::try_from(len) else { return len };
    if n == 0 {
        return 0;
    }
    if cookie.is_null() || src.is_null() || n > MAX_USER_COPY {
        return len;
    }
    // SAFETY: the plugin passes its own `len` readable bytes at `src`.
    let src = unsafe { std::slice::from_raw_parts(src, n) };
    // SAFETY: the cookie is the one this call was given.
    let user = unsafe { cookie_user(cookie) };
    // The whole copy first (the usual case); the kernel's partial-copy probing
    // only when it faults.
    catch_unwind(AssertUnwindSafe(|| match user.write(dst, src) {
        Ok(()) => 0,
        Err(_) => copy_to_user(&mut **user, dst, src) as u64,
    }))
    .unwrap_or(len)
}

/// Largest single caller-memory copy a plugin may ask for: the uAPI's largest
/// buffer. Longer requests fault whole, as they could not be mapped anyway.
const MAX_USER_COPY: usize = fwctl_uapi::MAX_RPC_LEN;

/// Where a plugin put its response, with the length checked against capacity.
enum Delivered {
    /// Over the request.
    InPlace(usize),
    /// In the `out` buffer.
    Out(usize),
}

/// The name-id table of a plugin: one slot per possible id when it has the
/// `name_text` entry point, none otherwise.
fn name_table(entries: &Entries) -> Box<[OnceLock<&'static str>]> {
    let n = if entries.name_text.is_some() { abi::MAX_NAME_IDS as usize } else { 0 };
    (0..n).map(|_| OnceLock::new()).collect()
}

/// `Some(reason)` when a file with this owner and mode could be replaced by
/// someone other than root or the current user.
fn permission_problem(uid: u32, mode: u32) -> Option<String> {
    if mode & 0o022 != 0 {
        return Some(format!("it is writable by group/others (mode {:04o})", mode & 0o7777));
    }
    let me = nix::unistd::geteuid().as_raw();
    if uid != 0 && uid != me {
        return Some(format!("it is owned by uid {uid}, not root or the current user (uid {me})"));
    }
    None
}

/// Why [`open_checked`] refused a path.
enum OpenProblem {
    /// The OS refused (not found, permission, ...).
    Io(std::io::Error),
    /// Not a regular file: what it is instead.
    NotRegular(&'static str),
}

/// Open `path` without following a symbolic link in its last component, without
/// blocking on a FIFO, close-on-exec; then `fstat` the descriptor and make sure it
/// is a regular file. Everything later is checked on (and loaded from) this
/// descriptor, so replacing the name afterwards changes nothing.
fn open_checked(path: &Path) -> Result<(File, std::fs::Metadata), OpenProblem> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let flags = nix::libc::O_NOFOLLOW | nix::libc::O_CLOEXEC | nix::libc::O_NONBLOCK | nix::libc::O_NOCTTY;
    let file = match std::fs::OpenOptions::new().read(true).custom_flags(flags).open(path) {
        Ok(f) => f,
        // O_NOFOLLOW on a symbolic link: the name was re-pointed after it was resolved.
        Err(e) if e.raw_os_error() == Some(nix::libc::ELOOP) => {
            return Err(OpenProblem::NotRegular("a symbolic link (replaced while it was being loaded?)"));
        }
        Err(e) => return Err(OpenProblem::Io(e)),
    };
    let meta = file.metadata().map_err(OpenProblem::Io)?;
    let t = meta.file_type();
    let what = if t.is_file() {
        return Ok((file, meta));
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Err(OpenProblem::NotRegular(what))
}

/// Why [`check_elf_file`] refused a file.
#[derive(Debug, PartialEq, Eq)]
enum ElfProblem {
    /// Not an ELF shared object at all.
    NotSharedObject(String),
    /// An ELF shared object whose headers point past the end of the file:
    /// mapping it would fault (SIGBUS) on first touch.
    Truncated(String),
}

/// Check, before anything is mapped, that `file` (of `size` bytes) is an ELF
/// shared object whose program headers, loadable segments and section header
/// table all lie inside the file: a truncated copy would otherwise be mapped and
/// kill the process with SIGBUS when the loader touches the missing pages.
fn check_elf_file(file: &File, size: u64) -> Result<(), ElfProblem> {
    use std::os::unix::fs::FileExt;
    let not_so = |s: &str| ElfProblem::NotSharedObject(s.to_string());
    let read_at = |buf: &mut [u8], off: u64| -> Result<usize, ElfProblem> {
        let mut got = 0;
        while got < buf.len() {
            match file.read_at(&mut buf[got..], off + got as u64) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(ElfProblem::NotSharedObject(format!("cannot read the ELF headers: {e}")));
                }
            }
        }
        Ok(got)
    };
    let mut hdr = [0u8; 64];
    let got = read_at(&mut hdr, 0)?;
    if got < 4 || hdr[..4] != *b"\x7fELF" {
        return Err(not_so("no ELF magic (is this a shared library?)"));
    }
    let wide = match hdr[4] {
        1 => false,
        2 => true,
        c => return Err(ElfProblem::NotSharedObject(format!("unknown ELF class {c}"))),
    };
    let le = match hdr[5] {
        1 => true,
        2 => false,
        d => return Err(ElfProblem::NotSharedObject(format!("unknown ELF data encoding {d}"))),
    };
    let ehsize = if wide { 64 } else { 52 };
    if got < 18 {
        return Err(ElfProblem::Truncated("truncated ELF header".into()));
    }
    let u16_at = |b: &[u8], o: usize| {
        let v = [b[o], b[o + 1]];
        u64::from(if le { u16::from_le_bytes(v) } else { u16::from_be_bytes(v) })
    };
    let u32_at = |b: &[u8], o: usize| {
        let v = [b[o], b[o + 1], b[o + 2], b[o + 3]];
        u64::from(if le { u32::from_le_bytes(v) } else { u32::from_be_bytes(v) })
    };
    let u64_at = |b: &[u8], o: usize| {
        let mut v = [0u8; 8];
        v.copy_from_slice(&b[o..o + 8]);
        if le { u64::from_le_bytes(v) } else { u64::from_be_bytes(v) }
    };
    match u16_at(&hdr, 16) {
        3 => {}
        1 => return Err(not_so("an ELF relocatable object (.o), not a shared object: link with -shared")),
        2 => return Err(not_so("an ELF executable, not a shared object")),
        t => return Err(ElfProblem::NotSharedObject(format!("ELF type {t}, not a shared object"))),
    }
    if got < ehsize {
        return Err(ElfProblem::Truncated(format!("the file is {size} bytes, shorter than its ELF header")));
    }
    let (phoff, shoff, phentsize, phnum, shentsize, shnum) = if wide {
        (
            u64_at(&hdr, 32),
            u64_at(&hdr, 40),
            u16_at(&hdr, 54),
            u16_at(&hdr, 56),
            u16_at(&hdr, 58),
            u16_at(&hdr, 60),
        )
    } else {
        (
            u32_at(&hdr, 28),
            u32_at(&hdr, 32),
            u16_at(&hdr, 42),
            u16_at(&hdr, 44),
            u16_at(&hdr, 46),
            u16_at(&hdr, 48),
        )
    };
    let min_phent = if wide { 56 } else { 32 };
    if phnum == 0 || phentsize < min_phent {
        return Err(ElfProblem::NotSharedObject(format!(
            "bad program header table ({phnum} entries of {phentsize} bytes)"
        )));
    }
    let beyond = |what: &str, off: u64, len: u64| match off.checked_add(len) {
        Some(end) if end <= size => Ok(()),
        _ => Err(ElfProblem::Truncated(format!(
            "{what} at offset {off} ({len} bytes) ends beyond the file's {size} bytes"
        ))),
    };
    // Both fit in u64: u16 * u16.
    beyond("the program header table", phoff, phnum * phentsize)?;
    if shoff != 0 && shnum != 0 {
        beyond("the section header table", shoff, shnum * shentsize)?;
    }
    let mut table = vec![0u8; (phnum * phentsize) as usize];
    if read_at(&mut table, phoff)? < table.len() {
        return Err(ElfProblem::Truncated("the program header table could not be read whole".into()));
    }
    let mut loads = 0;
    for ph in table.chunks_exact(phentsize as usize) {
        const PT_LOAD: u64 = 1;
        let (p_type, p_offset, p_filesz) = if wide {
            (u32_at(ph, 0), u64_at(ph, 8), u64_at(ph, 32))
        } else {
            (u32_at(ph, 0), u32_at(ph, 4), u32_at(ph, 16))
        };
        if p_type == PT_LOAD {
            loads += 1;
            beyond("a loadable segment", p_offset, p_filesz)?;
        }
    }
    if loads == 0 {
        return Err(not_so("no loadable segment"));
    }
    Ok(())
}

fn dl_error(path: &Path, e: libloading::Error) -> PluginError {
    let detail = match &e {
        libloading::Error::DlOpen { source } => source.to_string(),
        other => other.to_string(),
    };
    // glibc reports these for files that are ELF but not loadable objects.
    if detail.contains("invalid ELF header")
        || detail.contains("file too short")
        || detail.contains("ELF file")
    {
        PluginError::NotSharedObject { path: path.to_path_buf(), detail }
    } else {
        PluginError::LoadFailed { path: path.to_path_buf(), detail }
    }
}

/// Validate the vtable a plugin returned; copy out what the host keeps.
///
/// # Safety
/// `vt` is NULL, or points to at least `struct_size` readable bytes (its second
/// u32) whose `name`/`version` pointers are NULL or NUL-terminated strings, and
/// whose non-NULL entry points are functions of the ABI's signatures.
unsafe fn validate(vt: *const VTable) -> Result<(PluginInfo, Entries), PluginError> {
    if vt.is_null() {
        return Err(PluginError::BadVTablePointer { detail: "NULL" });
    }
    if !vt.is_aligned() {
        return Err(PluginError::BadVTablePointer { detail: "misaligned" });
    }
    // SAFETY: the plugin promises `vt` points to at least `struct_size` readable
    // bytes; every version of the vtable starts with the two u32 read here.
    let (abi_version, struct_size) = unsafe { ((*vt).abi_version, (*vt).struct_size) };
    // Size first, per version: the smallest vtable of each version, and what this
    // host knows of it (a version 2 vtable between the two is read as if
    // zero-extended: its later optional entry points are NULL).
    let (min, known) = match abi_version {
        abi::ABI_VERSION_V1 => (abi::VTABLE_V1_SIZE, abi::VTABLE_V1_SIZE),
        abi::ABI_VERSION => (abi::VTABLE_V2_0_SIZE, size_of::<VTable>() as u32),
        _ => {
            return Err(PluginError::AbiVersionMismatch { found: abi_version, supported: abi::ABI_VERSION });
        }
    };
    if struct_size < min {
        return Err(PluginError::StructTooSmall { size: struct_size, min });
    }
    let known = known.min(struct_size);
    if struct_size > abi::MAX_STRUCT_SIZE {
        return Err(PluginError::StructTooLarge {
            size: struct_size,
            known,
            detail: format!("the limit is {} bytes", abi::MAX_STRUCT_SIZE),
        });
    }
    // SAFETY: `struct_size` bytes at `vt` are readable (the plugin's promise,
    // bounded by MAX_STRUCT_SIZE above).
    let bytes = unsafe { std::slice::from_raw_parts(vt.cast::<u8>(), struct_size as usize) };
    if let Some(off) = bytes[known as usize..].iter().position(|b| *b != 0) {
        return Err(PluginError::StructTooLarge {
            size: struct_size,
            known,
            detail: format!("byte {} of the unknown tail is non-zero", known as usize + off),
        });
    }
    // An older vtable is shorter: copy the `known` bytes it has into a zeroed
    // current one (the fields it lacks stay NULL).
    let mut v = VTable::ZEROED;
    // SAFETY: `known` (<= size_of::<VTable>()) bytes at `vt` are readable (checked
    // above against `struct_size`); `v` is a separate, writable VTable; every bit
    // pattern is valid for its fields (integers, raw pointers, nullable fns).
    unsafe { ptr::copy_nonoverlapping(vt.cast::<u8>(), (&raw mut v).cast::<u8>(), known as usize) };
    if v.flags != 0 {
        return Err(PluginError::ReservedFlags(v.flags));
    }
    let device_type = DeviceType::from_u32(v.device_type)
        .filter(|t| *t != DeviceType::Error)
        .ok_or(PluginError::UnknownDeviceType(v.device_type))?;
    // SAFETY: per this function's contract, the strings are NULL or NUL-terminated.
    let name = unsafe { read_string("name", v.name) }?;
    // SAFETY: as above.
    let version = unsafe { read_string("version", v.version) }?;
    fn need<F>(f: Option<F>, name: &'static str) -> Result<F, PluginError> {
        f.ok_or(PluginError::MissingEntryPoint(name))
    }
    let entries = Entries {
        probe: need(v.probe, "probe")?,
        remove: need(v.remove, "remove")?,
        identity: v.identity,
        open: need(v.open, "open")?,
        close: need(v.close, "close")?,
        info: v.info,
        describe: v.describe,
        decode_status: v.decode_status,
        name_text: v.name_text,
        describes_in_rpc: v.features & abi::FEATURE_DESCRIBE_IN_RPC != 0 && v.rpc_v2.is_some(),
        rpc: match (abi_version, v.rpc_v2, v.rpc) {
            (abi::ABI_VERSION_V1, _, rpc) => Rpc::V1(need(rpc, "rpc")?),
            (_, Some(v2), _) => Rpc::V2(v2),
            (_, None, Some(v1)) => Rpc::V1(v1),
            (_, None, None) => return Err(PluginError::MissingEntryPoint("rpc_v2 (or rpc)")),
        },
    };
    let info = PluginInfo {
        path: PathBuf::new(),
        name,
        version,
        device_type,
        abi_version,
        struct_size,
        insecure: false,
    };
    Ok((info, entries))
}

/// Read a NUL-terminated string of at most [`abi::MAX_STRING_LEN`] bytes, never
/// reading past the first NUL or the limit.
///
/// # Safety
/// `p` is NULL or points to readable bytes up to a NUL or `MAX_STRING_LEN + 1`
/// bytes, whichever comes first.
unsafe fn read_string(field: &'static str, p: *const c_char) -> Result<String, PluginError> {
    let bad = |detail: &str| PluginError::BadString { field, detail: detail.into() };
    if p.is_null() {
        return Err(bad("NULL"));
    }
    let mut bytes = Vec::new();
    loop {
        // SAFETY: the ABI requires a NUL-terminated string; bytes are read one at
        // a time up to the first NUL, and at most MAX_STRING_LEN + 1 of them.
        let b = unsafe { *p.add(bytes.len()) } as u8;
        if b == 0 {
            break;
        }
        if bytes.len() == abi::MAX_STRING_LEN {
            return Err(bad("not NUL-terminated within 63 bytes"));
        }
        bytes.push(b);
    }
    let s = String::from_utf8(bytes).map_err(|_| bad("not UTF-8"))?;
    if s.is_empty() || s.chars().any(char::is_control) {
        return Err(bad("empty or containing control characters"));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_rule() {
        let me = nix::unistd::geteuid().as_raw();
        assert_eq!(permission_problem(0, 0o100755), None);
        assert_eq!(permission_problem(me, 0o100700), None);
        assert!(permission_problem(0, 0o100775).is_some_and(|r| r.contains("group/others")));
        assert!(permission_problem(0, 0o100757).is_some_and(|r| r.contains("0757")));
        if me != 4242 {
            assert!(permission_problem(4242, 0o100755).is_some_and(|r| r.contains("uid 4242")));
        }
    }
}
