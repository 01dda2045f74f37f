//! Fixtures for running programs against fwctl's FUSE device nodes: mounting
//! them in a temporary directory (or saying why not: SKIP), the raw `ioctl(2)` a
//! C program would issue, and memory mappings with holes and read-only pages.
#![allow(unsafe_code)] // raw ioctl(2) and mmap(2): the FFI a C caller uses

use std::fs::File;
use std::num::NonZeroUsize;
use std::os::fd::AsRawFd;
use std::ptr::NonNull;

use fwctl_core::Subsystem;
use fwctl_fuse::{DevNodes, DevNodesConfig, MountError};
use nix::libc;
use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, mprotect, munmap};

use crate::daemon::TempDir;

/// Why FUSE device nodes cannot be tested here, if they cannot.
pub fn unavailable() -> Option<String> {
    if !nix::unistd::geteuid().is_root() {
        return Some("not root: mounting FUSE device nodes needs CAP_SYS_ADMIN (CI runs as root)".into());
    }
    if File::options().read(true).write(true).open("/dev/fuse").is_err() {
        return Some("/dev/fuse cannot be opened (no fuse module or no device node)".into());
    }
    None
}

/// Device nodes of a subsystem mounted in a temporary directory. Unmounted
/// (handles closed) before the directory is removed.
#[derive(Debug)]
pub struct Nodes {
    /// The mounted nodes.
    pub nodes: Option<DevNodes>,
    /// The subsystem behind them.
    pub subsystem: Subsystem,
    /// The mount point's parent.
    pub dir: TempDir,
}

impl Nodes {
    /// Mount `subsystem`'s devices with `mode` (owner root, group root); `None`
    /// with a SKIP line when this machine cannot.
    pub fn mount(tag: &str, subsystem: Subsystem, mode: u32) -> Option<Nodes> {
        if let Some(why) = unavailable() {
            eprintln!("SKIP: {why}");
            return None;
        }
        let dir = TempDir::new(tag);
        let mut config = DevNodesConfig::new(dir.path().join("dev"));
        config.mode = mode;
        match DevNodes::mount(subsystem.clone(), config) {
            Ok(n) => Some(Nodes { nodes: Some(n), subsystem, dir }),
            Err(e @ MountError::Mount { err: nix::errno::Errno::EPERM, .. }) => {
                eprintln!("SKIP: {e} (a container without CAP_SYS_ADMIN?)");
                None
            }
            Err(e) => panic!("mounting device nodes: {e}"),
        }
    }

    /// The node of device `name`.
    pub fn node(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join("dev").join(name)
    }

    /// Open `fwctlN` read-write, as a tool does.
    pub fn open(&self, name: &str) -> std::io::Result<File> {
        File::options().read(true).write(true).open(self.node(name))
    }

    /// Unmount now.
    pub fn unmount(&mut self) {
        if let Some(n) = self.nodes.take() {
            n.unmount();
        }
    }
}

impl Drop for Nodes {
    fn drop(&mut self) {
        self.unmount();
    }
}

/// `ioctl(fd, cmd, arg)` exactly as a C program issues it: `Err(errno)` on -1.
///
/// `arg` may be any address: the kernel (and our FUSE server) only ever access
/// memory through `copy_from_user`-like paths that fault safely, so an invalid
/// address is an `EFAULT`, never a crash. Memory it names that the test owns
/// must not be borrowed while this runs.
pub fn raw_ioctl(fd: &File, cmd: u32, arg: u64) -> Result<(), i32> {
    // SAFETY: ioctl(2) with an integer argument; the kernel validates every user
    // address it dereferences (EFAULT), and the buffers the test points it at are
    // plain bytes owned by the caller and not otherwise borrowed during the call.
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), cmd as libc::Ioctl, arg as libc::c_ulong) };
    if r < 0 { Err(nix::errno::Errno::last_raw()) } else { Ok(()) }
}

/// Anonymous pages with a chosen layout: `pages` read-write pages, of which some
/// may later be unmapped or made read-only, for pointers into holes and
/// buffers straddling a mapping's end.
#[derive(Debug)]
pub struct Pages {
    base: NonNull<libc::c_void>,
    len: usize,
    page: usize,
}

impl Pages {
    /// `pages` zeroed read-write pages.
    pub fn new(pages: usize) -> Pages {
        let page =
            nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE).ok().flatten().unwrap_or(4096) as usize;
        let len = page * pages.max(1);
        let nz = NonZeroUsize::new(len).unwrap_or(NonZeroUsize::MIN);
        // SAFETY: a fresh anonymous private mapping; no existing memory is affected.
        let base = unsafe {
            mmap_anonymous(None, nz, ProtFlags::PROT_READ | ProtFlags::PROT_WRITE, MapFlags::MAP_PRIVATE)
        }
        .unwrap_or_else(|e| panic!("mmap: {e}"));
        Pages { base, len, page }
    }

    /// The page size.
    pub fn page(&self) -> usize {
        self.page
    }

    /// Address of byte `off`.
    pub fn addr(&self, off: usize) -> u64 {
        self.base.as_ptr() as u64 + off as u64
    }

    /// Unmap page `i` (it becomes a hole: any access is EFAULT).
    pub fn unmap(&mut self, i: usize) {
        // SAFETY: page `i` lies inside our own mapping and nothing borrows it.
        let p = unsafe { NonNull::new_unchecked(self.base.as_ptr().byte_add(i * self.page)) };
        // SAFETY: as above; unmapping a page of our private mapping.
        unsafe { munmap(p, self.page) }.unwrap_or_else(|e| panic!("munmap: {e}"));
    }

    /// Make page `i` read-only.
    pub fn read_only(&mut self, i: usize) {
        // SAFETY: page `i` lies inside our own mapping.
        let p = unsafe { NonNull::new_unchecked(self.base.as_ptr().byte_add(i * self.page)) };
        // SAFETY: changing the protection of our own page; nothing holds a &mut to it.
        unsafe { mprotect(p, self.page, ProtFlags::PROT_READ) }.unwrap_or_else(|e| panic!("mprotect: {e}"));
    }

    /// Copy `bytes` to offset `off` (which must be in a mapped, writable page).
    pub fn write(&mut self, off: usize, bytes: &[u8]) {
        assert!(off + bytes.len() <= self.len);
        // SAFETY: in bounds of our mapping (asserted), the caller keeps the pages
        // touched mapped and writable.
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                self.base.as_ptr().cast::<u8>().add(off),
                bytes.len(),
            )
        }
    }

    /// Read `len` bytes at `off` (a mapped page).
    pub fn read(&self, off: usize, len: usize) -> Vec<u8> {
        assert!(off + len <= self.len);
        let mut v = vec![0u8; len];
        // SAFETY: in bounds (asserted); the caller keeps those pages mapped.
        unsafe {
            std::ptr::copy_nonoverlapping(self.base.as_ptr().cast::<u8>().add(off), v.as_mut_ptr(), len)
        }
        v
    }
}

impl Drop for Pages {
    fn drop(&mut self) {
        // SAFETY: unmapping our whole range (holes included, which munmap allows).
        let _ = unsafe { munmap(self.base, self.len) };
    }
}

/// Lazily detaches a mount point when dropped: a daemon killed by a test (or a
/// failed assertion) must not leave a dead FUSE mount behind in `/tmp`.
#[derive(Debug)]
pub struct MountGuard(pub std::path::PathBuf);

impl Drop for MountGuard {
    fn drop(&mut self) {
        let _ = nix::mount::umount2(&self.0, nix::mount::MntFlags::MNT_DETACH);
    }
}

/// Whether `dir` is a mount point of this process's mount namespace.
pub fn is_mount_point(dir: &std::path::Path) -> bool {
    let Ok(info) = std::fs::read_to_string("/proc/self/mountinfo") else { return false };
    let want = dir.to_string_lossy();
    info.lines().any(|l| l.split(' ').nth(4) == Some(&*want))
}

/// The directory of this repository's `tests/fixtures/real-clients`.
pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real-clients")
}

/// Compile `tests/fixtures/real-clients/<name>.c` with `cc` into `out_dir`
/// (`-static` when asked); `Err` with the reason when no compiler (or, for a
/// static build, no static C library) is available.
pub fn compile_c(
    name: &str,
    out_dir: &std::path::Path,
    static_link: bool,
) -> Result<std::path::PathBuf, String> {
    let src = fixtures_dir().join(format!("{name}.c"));
    let out = out_dir.join(if static_link { format!("{name}-static") } else { name.to_string() });
    let mut cmd = std::process::Command::new("cc");
    cmd.args(["-O2", "-Wall", "-Wextra", "-Werror", "-o"]).arg(&out).arg(&src);
    if static_link {
        cmd.arg("-static");
    }
    match cmd.output() {
        Ok(o) if o.status.success() => Ok(out),
        Ok(o) => Err(format!("cc failed: {}", String::from_utf8_lossy(&o.stderr))),
        Err(e) => Err(format!("no C compiler (cc): {e}")),
    }
}

/// The preload library of `fwctl exec` (`libfwctl_preload.so`), built (once per
/// process) with the profile of the running test, next to the `fwctl` binary
/// where `fwctl exec` looks for it.
pub fn preload_library() -> std::path::PathBuf {
    static BUILT: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let fwctl = crate::daemon::binary("fwctl");
    let dir = fwctl.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let built = BUILT.get_or_init(|| {
        let Some(cargo) = std::env::var_os("CARGO") else { return Ok(()) };
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "--quiet", "-p", "fwctl-preload"]);
        if dir.ends_with("release") {
            cmd.arg("--release");
        }
        let out = cmd.output().map_err(|e| e.to_string())?;
        if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
    });
    if let Err(e) = built {
        panic!("cannot build the preload library: {e}");
    }
    let p = dir.join("libfwctl_preload.so");
    assert!(p.exists(), "{} not found", p.display());
    p
}
