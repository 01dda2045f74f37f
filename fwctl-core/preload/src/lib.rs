//! # fwctl-preload
//!
//! The `LD_PRELOAD` library of `fwctl exec` (see `Documentation/real-clients.md`).
//! It interposes the few libc functions an fwctl tool uses to find and drive a
//! device, and passes everything else to libc (`dlsym(RTLD_NEXT, …)`):
//!
//! * `open`/`openat` (and their `64`, `_2` fortify variants) of
//!   `/dev/fwctl/fwctlN`: a connection to the daemon's socket `fwctlN`, whose
//!   file descriptor the caller gets (the daemon opens one uctx for it, with
//!   the identity the kernel reports for the connecting process);
//! * `ioctl` on such a descriptor: one IOCTL frame with the caller's memory
//!   (`conn`), the daemon's dispatcher answers; `read`/`write` give `EINVAL`
//!   and `mmap` `ENODEV` as the kernel's node does;
//! * `close`: the connection ends, the daemon closes the uctx;
//! * `stat`/`fstat`/`statx`…: a character device `M:N`;
//! * path functions (`open`, `opendir`, `stat`, `access`, `readlink`,
//!   `realpath`, `fopen`, `glob`…): the prefixes `fwctl exec` lists
//!   (`/sys/class/fwctl`, `/sys/dev/char/M:N`, the parents, `/dev/fwctl`)
//!   are rewritten to its faked sysfs tree, and resolved paths mapped back.
//!
//! Identity is not the library's to give: the daemon takes it from the kernel
//! (`SO_PEERCRED`, `SCM_CREDENTIALS` on every frame). Nothing here panics across
//! the C boundary: every entry point catches a panic and fails with `EIO`.
#![allow(unsafe_code)] // an LD_PRELOAD library is FFI through and through; each block says why it holds

mod config;
mod conn;

use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char, c_int, c_ulong, c_void};
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use nix::libc::{self, mode_t, size_t, ssize_t};

use config::Mode;
use conn::Conn;

/// Resolve the next definition of a libc symbol once, as a typed function pointer.
macro_rules! real {
    ($name:literal, $ty:ty) => {
        real!(@ concat!($name, "\0"), $ty)
    };
    (@ $cname:expr, $ty:ty) => {{
        static P: AtomicUsize = AtomicUsize::new(0);
        let p = resolve(&P, $cname);
        if p == 0 {
            None
        } else {
            #[allow(unused_unsafe)] // also expanded inside unsafe blocks
            // SAFETY: `p` is the address of libc's function of this name, whose
            // C signature is `$ty`.
            let f = unsafe { std::mem::transmute::<usize, $ty>(p) };
            Some(f)
        }
    }};
}

/// The address of the next definition of `cname` (NUL-terminated) after this
/// library, cached in `slot`; 0 when there is none.
fn resolve(slot: &AtomicUsize, cname: &'static str) -> usize {
    let mut p = slot.load(Ordering::Relaxed);
    if p == 0 {
        // SAFETY: dlsym with a NUL-terminated name; RTLD_NEXT finds the
        // definition after this library (libc's).
        p = unsafe { libc::dlsym(libc::RTLD_NEXT, cname.as_ptr().cast()) } as usize;
        slot.store(p, Ordering::Relaxed);
    }
    p
}

fn set_errno(e: c_int) {
    // SAFETY: __errno_location returns this thread's errno slot.
    unsafe { *libc::__errno_location() = e };
}

/// Run an entry point's body; a panic becomes `fail` with errno EIO.
fn guard<T>(fail: T, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => {
            set_errno(libc::EIO);
            fail
        }
    }
}

// ---------------------------------------------------------------------------
// Open devices, by file descriptor.

/// An fd this library answers for.
struct Entry {
    minor: u32,
    /// `Some` in exec mode (the daemon connection); `None` for a real node
    /// opened in sysfs-only mode (only its `fstat` is ours).
    conn: Option<Mutex<Conn>>,
}

/// Bit per fd below 65,536 (a fast "not ours" for every read/write/ioctl).
static BITS: [AtomicU64; 1024] = [const { AtomicU64::new(0) }; 1024];
static HIGH: AtomicUsize = AtomicUsize::new(0);
/// The devices by descriptor.
type FdTable = HashMap<c_int, Arc<Entry>, BuildHasherDefault<FdHasher>>;

static TABLE: LazyLock<Mutex<FdTable>> = LazyLock::new(|| Mutex::new(HashMap::default()));

/// The table's hash of a file descriptor: a multiply (a descriptor is no
/// attacker's choice of key, and every ioctl hashes one; SipHash cost more
/// than the rest of the lookup).
#[derive(Default)]
struct FdHasher(u64);

impl Hasher for FdHasher {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_i32(&mut self, i: i32) {
        self.0 = u64::from(i as u32);
    }
}

fn maybe_ours(fd: c_int) -> bool {
    match usize::try_from(fd) {
        Ok(i) if i < 65536 => BITS[i / 64].load(Ordering::Acquire) & (1 << (i % 64)) != 0,
        Ok(_) => HIGH.load(Ordering::Acquire) > 0,
        Err(_) => false,
    }
}

fn lookup(fd: c_int) -> Option<Arc<Entry>> {
    if !maybe_ours(fd) {
        return None;
    }
    TABLE.lock().ok()?.get(&fd).cloned()
}

fn insert(fd: c_int, e: Entry) {
    insert_shared(fd, Arc::new(e));
}

/// Answer for `fd` with `e`, which another descriptor may share (a `dup`: the
/// same open file, the same daemon connection, as the kernel's `struct file`).
fn insert_shared(fd: c_int, e: Arc<Entry>) {
    if let Ok(mut t) = TABLE.lock() {
        if t.insert(fd, e).is_some() {
            return; // already counted in BITS/HIGH
        }
        match usize::try_from(fd) {
            Ok(i) if i < 65536 => {
                BITS[i / 64].fetch_or(1 << (i % 64), Ordering::AcqRel);
            }
            _ => {
                HIGH.fetch_add(1, Ordering::AcqRel);
            }
        }
    }
}

fn remove(fd: c_int) -> Option<Arc<Entry>> {
    if !maybe_ours(fd) {
        return None;
    }
    let mut t = TABLE.lock().ok()?;
    let e = t.remove(&fd)?;
    match usize::try_from(fd) {
        Ok(i) if i < 65536 => {
            BITS[i / 64].fetch_and(!(1 << (i % 64)), Ordering::AcqRel);
        }
        _ => {
            HIGH.fetch_sub(1, Ordering::AcqRel);
        }
    }
    Some(e)
}

// ---------------------------------------------------------------------------
// Paths.

/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn cstr<'a>(p: *const c_char) -> Option<&'a CStr> {
    // SAFETY: per the function's contract.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) })
}

/// The path to hand to libc: the rewritten one, or the caller's.
struct PathArg {
    owned: Option<CString>,
    orig: *const c_char,
}

impl PathArg {
    fn ptr(&self) -> *const c_char {
        self.owned.as_ref().map_or(self.orig, |c| c.as_ptr())
    }
}

/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn rewrite(p: *const c_char) -> PathArg {
    // SAFETY: per the function's contract.
    let owned = unsafe { cstr(p) }.and_then(|c| config::get()?.redirect(c));
    PathArg { owned, orig: p }
}

/// Map a resolved path in `buf` (NUL-terminated, writable) back from the tree.
///
/// # Safety
/// `buf` is NULL or a writable NUL-terminated string.
unsafe fn unmap_in_place(buf: *mut c_char) {
    let Some(cfg) = config::get() else { return };
    // SAFETY: per the function's contract.
    let Some(s) = (unsafe { cstr(buf) }) else { return };
    let len = s.to_bytes().len();
    if let Some(n) = cfg.unmap_len(s.to_bytes()) {
        // SAFETY: moving the tail (and its NUL) to the front of the same buffer.
        unsafe { std::ptr::copy(buf.add(n), buf, len - n + 1) };
    }
}

/// The minor of a device node path in exec mode (an open we answer).
fn exec_node(path: &CStr) -> Option<(u32, &'static config::Config)> {
    let cfg = config::get()?;
    let minor = cfg.node_minor(path.to_bytes())?;
    Some((minor, cfg))
}

/// The relative name `fwctlN` opened under a directory fd that is the tree's
/// `dev/fwctl` (e.g. `openat(dirfd("/dev/fwctl"), "fwctl0")`).
fn node_under_dirfd(dirfd: c_int, path: &CStr) -> Option<(u32, &'static config::Config)> {
    let cfg = config::get()?;
    let name = std::str::from_utf8(path.to_bytes()).ok()?;
    if dirfd == libc::AT_FDCWD || name.starts_with('/') {
        return None;
    }
    let minor = fwctl_uapi::DeviceName::from_name(name)?.minor();
    // A raw readlinkat: libc's would come back into this library.
    let proc = CString::new(format!("/proc/self/fd/{dirfd}")).ok()?;
    let mut buf = [0u8; 4096];
    // SAFETY: readlinkat(2) into our own buffer of the length given.
    let n = unsafe {
        libc::syscall(libc::SYS_readlinkat, libc::AT_FDCWD, proc.as_ptr(), buf.as_mut_ptr(), buf.len())
    };
    let n = usize::try_from(n).ok().filter(|&n| n < buf.len())?;
    let mut full = buf[..n].to_vec();
    full.extend_from_slice(b"/");
    full.extend_from_slice(name.as_bytes());
    (cfg.node_minor(&full) == Some(minor)).then_some((minor, cfg))
}

// ---------------------------------------------------------------------------
// open / openat.

fn open_device(minor: u32, cfg: &config::Config, flags: c_int, real_open: impl FnOnce() -> c_int) -> c_int {
    match cfg.mode {
        Mode::Exec => {
            if !cfg.listed(minor) {
                set_errno(libc::ENOENT);
                return -1;
            }
            match conn::open(&cfg.runtime_dir, minor, flags & libc::O_CLOEXEC != 0) {
                Ok(fd) => {
                    insert(fd, Entry { minor, conn: Some(Mutex::new(Conn::new(fd, cfg.speculate))) });
                    fd
                }
                Err(e) => {
                    set_errno(e);
                    -1
                }
            }
        }
        Mode::SysfsOnly => {
            let fd = real_open();
            if fd >= 0 {
                insert(fd, Entry { minor, conn: None });
            }
            fd
        }
    }
}

type OpenFn = unsafe extern "C" fn(*const c_char, c_int, mode_t) -> c_int;
type OpenatFn = unsafe extern "C" fn(c_int, *const c_char, c_int, mode_t) -> c_int;

/// # Safety
/// As `open(2)`.
unsafe fn do_open(real: Option<OpenFn>, path: *const c_char, flags: c_int, mode: mode_t) -> c_int {
    guard(-1, || {
        let Some(real) = real else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: `path` is the caller's path string.
        let p = unsafe { rewrite(path) };
        // SAFETY: `path` is the caller's path string.
        if let Some((minor, cfg)) = unsafe { cstr(path) }.and_then(exec_node) {
            // SAFETY: libc's open with the (rewritten) path.
            return open_device(minor, cfg, flags, || unsafe { real(p.ptr(), flags, mode) });
        }
        // SAFETY: libc's open with the (rewritten) path and the caller's flags.
        unsafe { real(p.ptr(), flags, mode) }
    })
}

/// # Safety
/// As `openat(2)`.
unsafe fn do_openat(
    real: Option<OpenatFn>,
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    mode: mode_t,
) -> c_int {
    guard(-1, || {
        let Some(real) = real else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: `path` is the caller's path string.
        let p = unsafe { rewrite(path) };
        // SAFETY: `path` is the caller's path string.
        let node = unsafe { cstr(path) }.and_then(|c| exec_node(c).or_else(|| node_under_dirfd(dirfd, c)));
        if let Some((minor, cfg)) = node {
            // SAFETY: libc's openat with the (rewritten) path.
            return open_device(minor, cfg, flags, || unsafe { real(dirfd, p.ptr(), flags, mode) });
        }
        // SAFETY: libc's openat with the (rewritten) path and the caller's flags.
        unsafe { real(dirfd, p.ptr(), flags, mode) }
    })
}

/// `open(2)`. The mode argument is read only with `O_CREAT`/`O_TMPFILE`, as libc does.
///
/// # Safety
/// As `open(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn open(path: *const c_char, flags: c_int, mode: mode_t) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_open(real!("open", OpenFn), path, flags, mode) }
}

/// `open64(2)`.
///
/// # Safety
/// As `open(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn open64(path: *const c_char, flags: c_int, mode: mode_t) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_open(real!("open64", OpenFn), path, flags, mode) }
}

/// `__open_2` (`_FORTIFY_SOURCE`'s `open` without a mode).
///
/// # Safety
/// As `open(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __open_2(path: *const c_char, flags: c_int) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_open(real!("open", OpenFn), path, flags, 0) }
}

/// `__open64_2`.
///
/// # Safety
/// As `open(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __open64_2(path: *const c_char, flags: c_int) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_open(real!("open64", OpenFn), path, flags, 0) }
}

/// `openat(2)`.
///
/// # Safety
/// As `openat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn openat(dirfd: c_int, path: *const c_char, flags: c_int, mode: mode_t) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_openat(real!("openat", OpenatFn), dirfd, path, flags, mode) }
}

/// `openat64(2)`.
///
/// # Safety
/// As `openat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn openat64(dirfd: c_int, path: *const c_char, flags: c_int, mode: mode_t) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_openat(real!("openat64", OpenatFn), dirfd, path, flags, mode) }
}

/// `__openat_2`.
///
/// # Safety
/// As `openat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __openat_2(dirfd: c_int, path: *const c_char, flags: c_int) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_openat(real!("openat", OpenatFn), dirfd, path, flags, 0) }
}

/// `__openat64_2`.
///
/// # Safety
/// As `openat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __openat64_2(dirfd: c_int, path: *const c_char, flags: c_int) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_openat(real!("openat64", OpenatFn), dirfd, path, flags, 0) }
}

// ---------------------------------------------------------------------------
// close, ioctl, read, write.

/// `close(2)`: for a device, the connection ends and the daemon closes the uctx.
///
/// # Safety
/// As `close(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn close(fd: c_int) -> c_int {
    guard(-1, || {
        drop(remove(fd));
        match real!("close", unsafe extern "C" fn(c_int) -> c_int) {
            // SAFETY: libc's close on the caller's descriptor.
            Some(f) => unsafe { f(fd) },
            None => {
                set_errno(libc::ENOSYS);
                -1
            }
        }
    })
}

/// `ioctl(2)`: on a device, the kernel's fwctl dispatcher (in the daemon) over
/// the caller's memory; anything else is libc's.
///
/// # Safety
/// As `ioctl(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ioctl(fd: c_int, request: c_ulong, arg: *mut c_void) -> c_int {
    guard(-1, || {
        if let Some(e) = lookup(fd)
            && let Some(conn) = &e.conn
        {
            let Ok(mut c) = conn.lock() else {
                set_errno(libc::EIO);
                return -1;
            };
            // The kernel's ioctl number is the low 32 bits of `request`.
            return match c.ioctl(fd, request as u32, arg as u64) {
                Ok(()) => 0,
                Err(errno) => {
                    set_errno(errno);
                    -1
                }
            };
        }
        match real!("ioctl", unsafe extern "C" fn(c_int, c_ulong, *mut c_void) -> c_int) {
            // SAFETY: libc's ioctl with the caller's arguments.
            Some(f) => unsafe { f(fd, request, arg) },
            None => {
                set_errno(libc::ENOSYS);
                -1
            }
        }
    })
}

/// After a successful duplication of `old` onto `new` (`new >= 0`): `new`
/// names the same open device, as a duplicated kernel descriptor does; a
/// device `new` replaced is forgotten. The connection (the uctx) ends with the
/// last of the descriptors.
fn duplicated(old: c_int, new: c_int) {
    if new < 0 || new == old {
        return;
    }
    drop(remove(new));
    if let Some(e) = lookup(old) {
        insert_shared(new, e);
    }
}

/// `dup(2)`: a copy of a device descriptor reaches the same device.
///
/// # Safety
/// As `dup(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dup(old: c_int) -> c_int {
    guard(-1, || {
        let Some(f) = real!("dup", unsafe extern "C" fn(c_int) -> c_int) else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: libc's dup with the caller's descriptor.
        let new = unsafe { f(old) };
        duplicated(old, new);
        new
    })
}

/// `dup2(2)`.
///
/// # Safety
/// As `dup2(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dup2(old: c_int, new: c_int) -> c_int {
    guard(-1, || {
        let Some(f) = real!("dup2", unsafe extern "C" fn(c_int, c_int) -> c_int) else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: libc's dup2 with the caller's descriptors.
        let r = unsafe { f(old, new) };
        duplicated(old, r);
        r
    })
}

/// `dup3(2)`.
///
/// # Safety
/// As `dup3(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dup3(old: c_int, new: c_int, flags: c_int) -> c_int {
    guard(-1, || {
        let Some(f) = real!("dup3", unsafe extern "C" fn(c_int, c_int, c_int) -> c_int) else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: libc's dup3 with the caller's arguments.
        let r = unsafe { f(old, new, flags) };
        duplicated(old, r);
        r
    })
}

type FcntlFn = unsafe extern "C" fn(c_int, c_int, c_ulong) -> c_int;

/// # Safety
/// As `fcntl(2)`.
unsafe fn do_fcntl(real: Option<FcntlFn>, fd: c_int, cmd: c_int, arg: c_ulong) -> c_int {
    guard(-1, || {
        let Some(f) = real else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: libc's fcntl with the caller's arguments.
        let r = unsafe { f(fd, cmd, arg) };
        if cmd == libc::F_DUPFD || cmd == libc::F_DUPFD_CLOEXEC {
            duplicated(fd, r);
        }
        r
    })
}

/// `fcntl(2)`: `F_DUPFD`/`F_DUPFD_CLOEXEC` of a device descriptor reach the
/// same device; every other command is libc's. The variadic argument is taken
/// as one register-sized word and passed on unchanged (an `int`, a pointer or
/// nothing, as the command says).
///
/// # Safety
/// As `fcntl(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fcntl(fd: c_int, cmd: c_int, arg: c_ulong) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_fcntl(real!("fcntl", FcntlFn), fd, cmd, arg) }
}

/// `fcntl64(2)`.
///
/// # Safety
/// As `fcntl(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fcntl64(fd: c_int, cmd: c_int, arg: c_ulong) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_fcntl(real!("fcntl64", FcntlFn), fd, cmd, arg) }
}

fn is_device_conn(fd: c_int) -> bool {
    lookup(fd).is_some_and(|e| e.conn.is_some())
}

/// `read(2)`: `EINVAL` on a device (the kernel's node has no `read`).
///
/// # Safety
/// As `read(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn read(fd: c_int, buf: *mut c_void, n: size_t) -> ssize_t {
    guard(-1, || {
        if is_device_conn(fd) {
            set_errno(libc::EINVAL);
            return -1;
        }
        match real!("read", unsafe extern "C" fn(c_int, *mut c_void, size_t) -> ssize_t) {
            // SAFETY: libc's read with the caller's arguments.
            Some(f) => unsafe { f(fd, buf, n) },
            None => {
                set_errno(libc::ENOSYS);
                -1
            }
        }
    })
}

/// `write(2)`: `EINVAL` on a device (the kernel's node has no `write`).
///
/// # Safety
/// As `write(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn write(fd: c_int, buf: *const c_void, n: size_t) -> ssize_t {
    guard(-1, || {
        if is_device_conn(fd) {
            set_errno(libc::EINVAL);
            return -1;
        }
        match real!("write", unsafe extern "C" fn(c_int, *const c_void, size_t) -> ssize_t) {
            // SAFETY: libc's write with the caller's arguments.
            Some(f) => unsafe { f(fd, buf, n) },
            None => {
                set_errno(libc::ENOSYS);
                -1
            }
        }
    })
}

// ---------------------------------------------------------------------------
// stat family.

/// The `struct stat` of device `minor`: a character device `major:minor`,
/// mode 0600, owned by the caller (under `fwctl exec` the node is the caller's
/// to open; the daemon's policy decides what it may do).
fn fake_stat(cfg: &config::Config, minor: u32, st: *mut libc::stat64) {
    // SAFETY: an all-zero `struct stat` is valid.
    let mut s: libc::stat64 = unsafe { std::mem::zeroed() };
    s.st_mode = libc::S_IFCHR | 0o600;
    s.st_rdev = libc::makedev(cfg.major, minor);
    s.st_nlink = 1;
    s.st_ino = 0x4657_0000 + u64::from(minor);
    s.st_dev = libc::makedev(0, 6);
    s.st_blksize = 4096;
    // SAFETY: geteuid/getegid cannot fail.
    (s.st_uid, s.st_gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    // SAFETY: `st` is the caller's stat buffer.
    unsafe { st.write(s) };
}

/// Adjust a successful real stat of a sysfs-only node into a character device.
fn patch_stat(cfg: &config::Config, minor: u32, st: *mut libc::stat64) {
    // SAFETY: `st` was just filled by libc.
    let s = unsafe { &mut *st };
    s.st_mode = libc::S_IFCHR | (s.st_mode & 0o7777);
    s.st_rdev = libc::makedev(cfg.major, minor);
}

/// The device node a stat of `path` is about, if any (its minor, and the configuration).
fn stat_node(path: &CStr) -> Option<(u32, &'static config::Config)> {
    exec_node(path)
}

type StatFn = unsafe extern "C" fn(*const c_char, *mut libc::stat64) -> c_int;
type FstatFn = unsafe extern "C" fn(c_int, *mut libc::stat64) -> c_int;
type FstatatFn = unsafe extern "C" fn(c_int, *const c_char, *mut libc::stat64, c_int) -> c_int;

/// # Safety
/// As `stat(2)`.
unsafe fn do_stat(real: Option<StatFn>, path: *const c_char, st: *mut libc::stat64) -> c_int {
    guard(-1, || {
        let Some(real) = real else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: the caller's path.
        let p = unsafe { rewrite(path) };
        // SAFETY: the caller's path.
        if let Some((minor, cfg)) = unsafe { cstr(path) }.and_then(stat_node) {
            if cfg.mode == Mode::Exec {
                if !cfg.listed(minor) {
                    set_errno(libc::ENOENT);
                    return -1;
                }
                fake_stat(cfg, minor, st);
                return 0;
            }
            // SAFETY: libc's stat on the real node.
            let r = unsafe { real(p.ptr(), st) };
            if r == 0 {
                patch_stat(cfg, minor, st);
            }
            return r;
        }
        // SAFETY: libc's stat with the (rewritten) path.
        unsafe { real(p.ptr(), st) }
    })
}

/// # Safety
/// As `fstat(2)`.
unsafe fn do_fstat(real: Option<FstatFn>, fd: c_int, st: *mut libc::stat64) -> c_int {
    guard(-1, || {
        let Some(real) = real else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        if let Some(e) = lookup(fd)
            && let Some(cfg) = config::get()
        {
            if e.conn.is_some() {
                fake_stat(cfg, e.minor, st);
                return 0;
            }
            // SAFETY: libc's fstat on the caller's descriptor.
            let r = unsafe { real(fd, st) };
            if r == 0 {
                patch_stat(cfg, e.minor, st);
            }
            return r;
        }
        // SAFETY: libc's fstat on the caller's descriptor.
        unsafe { real(fd, st) }
    })
}

/// # Safety
/// As `fstatat(2)`.
unsafe fn do_fstatat(
    real: Option<FstatatFn>,
    dirfd: c_int,
    path: *const c_char,
    st: *mut libc::stat64,
    flags: c_int,
) -> c_int {
    // SAFETY: the caller's path.
    let empty = unsafe { cstr(path) }.is_some_and(|c| c.is_empty());
    if empty && flags & libc::AT_EMPTY_PATH != 0 && lookup(dirfd).is_some() {
        // SAFETY: fstat of the descriptor itself.
        return unsafe { do_fstat(real!("fstat64", FstatFn), dirfd, st) };
    }
    // SAFETY: the caller's path.
    if unsafe { cstr(path) }.and_then(stat_node).is_some() {
        // SAFETY: an absolute node path: the dirfd does not matter.
        return unsafe { do_stat(real!("stat64", StatFn), path, st) };
    }
    guard(-1, || {
        let Some(real) = real else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: the caller's path.
        let p = unsafe { rewrite(path) };
        // SAFETY: libc's fstatat with the (rewritten) path.
        unsafe { real(dirfd, p.ptr(), st, flags) }
    })
}

/// `stat(2)`.
///
/// # Safety
/// As `stat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stat(path: *const c_char, st: *mut libc::stat64) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_stat(real!("stat", StatFn), path, st) }
}

/// `stat64(2)`.
///
/// # Safety
/// As `stat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stat64(path: *const c_char, st: *mut libc::stat64) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_stat(real!("stat64", StatFn), path, st) }
}

/// `lstat(2)` (a node is no link: as `stat`).
///
/// # Safety
/// As `lstat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lstat(path: *const c_char, st: *mut libc::stat64) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_stat(real!("lstat", StatFn), path, st) }
}

/// `lstat64(2)`.
///
/// # Safety
/// As `lstat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lstat64(path: *const c_char, st: *mut libc::stat64) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_stat(real!("lstat64", StatFn), path, st) }
}

/// `fstat(2)`.
///
/// # Safety
/// As `fstat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstat(fd: c_int, st: *mut libc::stat64) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_fstat(real!("fstat", FstatFn), fd, st) }
}

/// `fstat64(2)`.
///
/// # Safety
/// As `fstat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstat64(fd: c_int, st: *mut libc::stat64) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_fstat(real!("fstat64", FstatFn), fd, st) }
}

/// `fstatat(2)`.
///
/// # Safety
/// As `fstatat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstatat(
    dirfd: c_int,
    path: *const c_char,
    st: *mut libc::stat64,
    flags: c_int,
) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_fstatat(real!("fstatat", FstatatFn), dirfd, path, st, flags) }
}

/// `fstatat64(2)`.
///
/// # Safety
/// As `fstatat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstatat64(
    dirfd: c_int,
    path: *const c_char,
    st: *mut libc::stat64,
    flags: c_int,
) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_fstatat(real!("fstatat64", FstatatFn), dirfd, path, st, flags) }
}

/// `statx(2)`: a device's descriptor or node path is a character device `M:N`.
///
/// # Safety
/// As `statx(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn statx(
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    mask: libc::c_uint,
    buf: *mut libc::statx,
) -> c_int {
    guard(-1, || {
        type StatxFn =
            unsafe extern "C" fn(c_int, *const c_char, c_int, libc::c_uint, *mut libc::statx) -> c_int;
        // SAFETY: the caller's path.
        let c = unsafe { cstr(path) };
        let by_fd = c.is_some_and(|c| c.is_empty()) && flags & libc::AT_EMPTY_PATH != 0;
        let target = if by_fd { lookup(dirfd).map(|e| (e.minor, e.conn.is_some())) } else { None };
        let node = c.and_then(stat_node).map(|(m, cfg)| (m, cfg.mode == Mode::Exec));
        if let (Some((minor, fake)), Some(cfg)) = (target.or(node), config::get()) {
            let mut st: libc::stat64 = {
                // SAFETY: an all-zero `struct stat` is valid.
                unsafe { std::mem::zeroed() }
            };
            let r = if fake {
                if !by_fd && !cfg.listed(minor) {
                    set_errno(libc::ENOENT);
                    return -1;
                }
                fake_stat(cfg, minor, &mut st);
                0
            } else if by_fd {
                // SAFETY: fstat of the caller's descriptor into our buffer.
                unsafe { do_fstat(real!("fstat64", FstatFn), dirfd, &mut st) }
            } else {
                // SAFETY: stat of the caller's path into our buffer.
                unsafe { do_stat(real!("stat64", StatFn), path, &mut st) }
            };
            if r != 0 {
                return r;
            }
            // SAFETY: an all-zero `struct statx` is valid.
            let mut x: libc::statx = unsafe { std::mem::zeroed() };
            x.stx_mask = libc::STATX_BASIC_STATS;
            x.stx_mode = st.st_mode as u16;
            x.stx_nlink = st.st_nlink as u32;
            x.stx_uid = st.st_uid;
            x.stx_gid = st.st_gid;
            x.stx_ino = st.st_ino;
            x.stx_blksize = st.st_blksize as u32;
            x.stx_rdev_major = libc::major(st.st_rdev);
            x.stx_rdev_minor = libc::minor(st.st_rdev);
            x.stx_dev_major = libc::major(st.st_dev);
            x.stx_dev_minor = libc::minor(st.st_dev);
            // SAFETY: the caller's statx buffer.
            unsafe { buf.write(x) };
            return 0;
        }
        let Some(real) = real!("statx", StatxFn) else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: the caller's path.
        let p = unsafe { rewrite(path) };
        // SAFETY: libc's statx with the (rewritten) path.
        unsafe { real(dirfd, p.ptr(), flags, mask, buf) }
    })
}

// ---------------------------------------------------------------------------
// Other path functions: rewritten prefixes, resolved paths mapped back.

macro_rules! path_fn {
    ($(#[$doc:meta])* $name:ident ( $path:ident : *const c_char $(, $a:ident : $t:ty)* ) -> $ret:ty = $fail:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// As the libc function of the same name.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($path: *const c_char $(, $a: $t)*) -> $ret {
            guard($fail, || {
                let Some(f) = real!(@ concat!(stringify!($name), "\0"), unsafe extern "C" fn(*const c_char $(, $t)*) -> $ret) else {
                    set_errno(libc::ENOSYS);
                    return $fail;
                };
                // SAFETY: the caller's path.
                let p = unsafe { rewrite($path) };
                // SAFETY: libc's function with the (rewritten) path and the caller's other arguments.
                unsafe { f(p.ptr() $(, $a)*) }
            })
        }
    };
}

path_fn!(
    /// `access(2)`.
    access(path: *const c_char, mode: c_int) -> c_int = -1
);
path_fn!(
    /// `euidaccess(3)`.
    euidaccess(path: *const c_char, mode: c_int) -> c_int = -1
);
path_fn!(
    /// `eaccess(3)`.
    eaccess(path: *const c_char, mode: c_int) -> c_int = -1
);
path_fn!(
    /// `opendir(3)`.
    opendir(path: *const c_char) -> *mut libc::DIR = std::ptr::null_mut()
);
path_fn!(
    /// `readlink(2)`.
    readlink(path: *const c_char, buf: *mut c_char, n: size_t) -> ssize_t = -1
);
path_fn!(
    /// `fopen(3)`.
    fopen(path: *const c_char, mode: *const c_char) -> *mut libc::FILE = std::ptr::null_mut()
);
path_fn!(
    /// `fopen64(3)`.
    fopen64(path: *const c_char, mode: *const c_char) -> *mut libc::FILE = std::ptr::null_mut()
);
path_fn!(
    /// `chdir(2)`.
    chdir(path: *const c_char) -> c_int = -1
);
path_fn!(
    /// `scandir(3)`.
    scandir(
        path: *const c_char,
        list: *mut *mut *mut libc::dirent,
        filter: Option<unsafe extern "C" fn(*const libc::dirent) -> c_int>,
        cmp: Option<unsafe extern "C" fn(*mut *const libc::dirent, *mut *const libc::dirent) -> c_int>
    ) -> c_int = -1
);

/// `faccessat(2)`.
///
/// # Safety
/// As `faccessat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn faccessat(dirfd: c_int, path: *const c_char, mode: c_int, flags: c_int) -> c_int {
    guard(-1, || {
        let Some(f) = real!("faccessat", unsafe extern "C" fn(c_int, *const c_char, c_int, c_int) -> c_int)
        else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: the caller's path.
        let p = unsafe { rewrite(path) };
        // SAFETY: libc's faccessat with the (rewritten) path.
        unsafe { f(dirfd, p.ptr(), mode, flags) }
    })
}

/// `readlinkat(2)`.
///
/// # Safety
/// As `readlinkat(2)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn readlinkat(
    dirfd: c_int,
    path: *const c_char,
    buf: *mut c_char,
    n: size_t,
) -> ssize_t {
    guard(-1, || {
        let Some(f) =
            real!("readlinkat", unsafe extern "C" fn(c_int, *const c_char, *mut c_char, size_t) -> ssize_t)
        else {
            set_errno(libc::ENOSYS);
            return -1;
        };
        // SAFETY: the caller's path.
        let p = unsafe { rewrite(path) };
        // SAFETY: libc's readlinkat with the (rewritten) path and the caller's buffer.
        unsafe { f(dirfd, p.ptr(), buf, n) }
    })
}

/// `realpath(3)`: a path through the fake tree resolves to the `/sys/…` it stands for.
///
/// # Safety
/// As `realpath(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn realpath(path: *const c_char, resolved: *mut c_char) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        let Some(f) = real!("realpath", unsafe extern "C" fn(*const c_char, *mut c_char) -> *mut c_char)
        else {
            set_errno(libc::ENOSYS);
            return std::ptr::null_mut();
        };
        // SAFETY: the caller's path.
        let p = unsafe { rewrite(path) };
        // SAFETY: libc's realpath with the (rewritten) path and the caller's buffer.
        let r = unsafe { f(p.ptr(), resolved) };
        // SAFETY: a NUL-terminated path libc just wrote (caller's buffer or malloc'ed).
        unsafe { unmap_in_place(r) };
        r
    })
}

/// `canonicalize_file_name(3)`.
///
/// # Safety
/// As `canonicalize_file_name(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn canonicalize_file_name(path: *const c_char) -> *mut c_char {
    guard(std::ptr::null_mut(), || {
        let Some(f) = real!("canonicalize_file_name", unsafe extern "C" fn(*const c_char) -> *mut c_char)
        else {
            set_errno(libc::ENOSYS);
            return std::ptr::null_mut();
        };
        // SAFETY: the caller's path.
        let p = unsafe { rewrite(path) };
        // SAFETY: libc's function with the (rewritten) path.
        let r = unsafe { f(p.ptr()) };
        // SAFETY: a malloc'ed NUL-terminated path libc just returned.
        unsafe { unmap_in_place(r) };
        r
    })
}

type GlobFn = unsafe extern "C" fn(
    *const c_char,
    c_int,
    Option<extern "C" fn(*const c_char, c_int) -> c_int>,
    *mut libc::glob_t,
) -> c_int;

/// # Safety
/// As `glob(3)`.
unsafe fn do_glob(
    real: Option<GlobFn>,
    pattern: *const c_char,
    flags: c_int,
    errfunc: Option<extern "C" fn(*const c_char, c_int) -> c_int>,
    g: *mut libc::glob_t,
) -> c_int {
    guard(libc::GLOB_ABORTED, || {
        let Some(real) = real else { return libc::GLOB_ABORTED };
        // SAFETY: the caller's pattern.
        let p = unsafe { rewrite(pattern) };
        // SAFETY: libc's glob with the (rewritten) pattern and the caller's glob_t.
        let r = unsafe { real(p.ptr(), flags, errfunc, g) };
        if r == 0 && p.owned.is_some() && !g.is_null() {
            // SAFETY: glob filled `g`: gl_pathv holds gl_offs NULLs then
            // gl_pathc malloc'ed strings, each writable and NUL-terminated.
            unsafe {
                let g = &*g;
                for i in 0..g.gl_pathc {
                    unmap_in_place(*g.gl_pathv.add(g.gl_offs + i));
                }
            }
        }
        r
    })
}

/// `glob(3)`: a pattern under a faked prefix lists the fake tree, with the
/// paths the program asked about.
///
/// # Safety
/// As `glob(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn glob(
    pattern: *const c_char,
    flags: c_int,
    errfunc: Option<extern "C" fn(*const c_char, c_int) -> c_int>,
    g: *mut libc::glob_t,
) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_glob(real!("glob", GlobFn), pattern, flags, errfunc, g) }
}

/// `glob64(3)` (the same structure on 64-bit glibc).
///
/// # Safety
/// As `glob(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn glob64(
    pattern: *const c_char,
    flags: c_int,
    errfunc: Option<extern "C" fn(*const c_char, c_int) -> c_int>,
    g: *mut libc::glob_t,
) -> c_int {
    // SAFETY: forwarding the caller's arguments.
    unsafe { do_glob(real!("glob64", GlobFn), pattern, flags, errfunc, g) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn without_configuration_everything_passes_through() {
        // This test binary exports the interposers too: with no FWCTL_EXEC_*
        // environment they must behave as libc.
        assert!(super::config::get().is_none());
        let f = std::fs::File::open("/proc/self/status");
        assert!(f.is_ok());
        assert!(std::fs::metadata("/proc/self").is_ok_and(|m| m.is_dir()));
        assert!(std::fs::read_link("/proc/self/exe").is_ok());
    }
}
