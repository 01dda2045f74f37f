//! The conformance suite (`tests/conformance/`): a C client written from the
//! uAPI facts runs every errno path of FWCTL_INFO/FWCTL_RPC on a simulated
//! mlx5 device through each real path, and its output must equal, line for
//! line, the output of the *same C code* run inside this test process with
//! each ioctl handed to the in-process dispatcher (the suite is also built as
//! a shared library taking an ioctl function). So the paths cannot drift from
//! the dispatcher, and the dispatcher's answers are the kernel's (pinned by
//! `core_ioctl.rs`).
//!
//! Paths: dynamically linked as root through fwctld's FUSE nodes; statically
//! linked as an unprivileged user through the FUSE nodes; dynamically linked
//! under `fwctl exec`, as root and as an unprivileged user. Each prints SKIP
//! where this machine lacks root, `/dev/fuse` or `cc`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![allow(unsafe_code)] // loading the suite's shared library and calling it: FFI

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_ulong, c_void};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use fwctl_core::{Credentials, Handle, Subsystem};
use fwctl_fuse::ProcessMemory;
use fwctl_mlx5_sim::{Mlx5Device, SimConfig};
use fwctl_tests::daemon::{Fwctld, TempDir, TestUser, binary, wait_until};
use fwctl_tests::real_clients::{MountGuard, preload_library, unavailable};

const SIM: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n[device.params]\nseed = 5\n";

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

/// Compile the suite: `Program` (optionally `-static`) or `Library`.
enum Build {
    Program { static_link: bool },
    Library,
}

fn compile(out_dir: &Path, how: Build) -> Result<PathBuf, String> {
    let src = conformance_dir().join("fwctl_conformance.c");
    let (name, extra): (&str, &[&str]) = match how {
        Build::Program { static_link: false } => ("fwctl_conformance", &[]),
        Build::Program { static_link: true } => ("fwctl_conformance-static", &["-static"]),
        Build::Library => ("libfwctl_conformance.so", &["-shared", "-fPIC", "-DCONFORMANCE_LIB"]),
    };
    let out = out_dir.join(name);
    let o = Command::new("cc")
        .args(["-O2", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(conformance_dir())
        .args(extra)
        .arg("-o")
        .arg(&out)
        .arg(&src)
        .output()
        .map_err(|e| format!("no C compiler (cc): {e}"))?;
    if o.status.success() {
        Ok(out)
    } else {
        Err(format!("cc failed: {}", String::from_utf8_lossy(&o.stderr)))
    }
}

type RunFn = unsafe extern "C" fn(
    c_int,
    extern "C" fn(c_int, c_ulong, *mut c_void) -> c_int,
    *mut c_char,
    usize,
) -> c_int;

thread_local! {
    static REFERENCE: RefCell<Option<(Handle, Credentials)>> = const { RefCell::new(None) };
}

/// The suite's ioctl function for the in-process run: the dispatcher over this
/// process's own memory (`ProcessMemory`, faults as `copy_*_user` would).
extern "C" fn in_process_ioctl(_fd: c_int, cmd: c_ulong, arg: *mut c_void) -> c_int {
    REFERENCE.with(|r| {
        let r = r.borrow();
        let Some((h, creds)) = r.as_ref() else { return -nix::libc::EBADF };
        let mut mem = ProcessMemory::new(std::process::id() as i32);
        match h.ioctl(creds, cmd as u32, arg as u64, &mut mem) {
            Ok(()) => 0,
            Err(e) => -e.code(),
        }
    })
}

/// The suite's output with every ioctl answered by the in-process dispatcher,
/// for a caller with `creds`, on a fresh device like the daemon's.
fn in_process(lib: &Path, creds: Credentials) -> String {
    in_process_run(lib, creds, b"fwctl_conformance_run\0")
}

/// [`in_process`] through the suite's entry point `entry` (NUL-terminated).
fn in_process_run(lib: &Path, creds: Credentials, entry: &[u8]) -> String {
    let subsystem = Subsystem::new();
    subsystem.register(Arc::new(Mlx5Device::new(SimConfig::with_seed(5)).unwrap())).unwrap();
    let h = subsystem.open(0, &creds).unwrap();
    REFERENCE.with(|r| *r.borrow_mut() = Some((h, creds)));
    let mut buf = vec![0u8; 64 * 1024];
    // SAFETY: the library is the suite built by this test; its one entry point
    // has the declared signature, writes at most `buf.len()` bytes into `buf`,
    // and touches no memory but its own fresh mappings and `buf`.
    let r = unsafe {
        let lib = libloading::Library::new(lib).unwrap();
        let run: libloading::Symbol<'_, RunFn> = lib.get(entry).unwrap();
        run(0, in_process_ioctl, buf.as_mut_ptr().cast(), buf.len())
    };
    REFERENCE.with(|r| r.borrow_mut().take());
    assert_eq!(r, 0, "the output buffer overflowed");
    let n = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8(buf[..n].to_vec()).unwrap()
}

fn root_creds() -> Credentials {
    Credentials::current()
}

fn user_creds(u: &TestUser) -> Credentials {
    Credentials { uid: u.uid, gid: u.gid, groups: Vec::new(), cap_sys_rawio: false, ..Credentials::current() }
}

fn run(mut c: Command) -> String {
    let o = c.output().unwrap();
    assert!(o.status.success(), "{c:?}: {:?}\n{}", o.status, String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Lines that differ, for a readable failure.
fn diff(got: &str, want: &str) -> String {
    let (g, w): (Vec<_>, Vec<_>) = (got.lines().collect(), want.lines().collect());
    let mut d = String::new();
    for i in 0..g.len().max(w.len()) {
        if g.get(i) != w.get(i) {
            d.push_str(&format!(
                "path:       {}\nin-process: {}\n",
                g.get(i).unwrap_or(&"-"),
                w.get(i).unwrap_or(&"-")
            ));
        }
    }
    d
}

fn assert_same(what: &str, got: &str, want: &str) {
    assert!(got.lines().count() >= 30, "{what}: the suite did not run:\n{got}");
    assert!(got == want, "{what} differs from the in-process dispatcher:\n{}", diff(got, want));
}

/// A daemon serving fresh device nodes (mode 0666) in a temporary directory.
fn fuse_daemon(tag: &str) -> Option<(Fwctld, PathBuf, MountGuard, TempDir)> {
    if let Some(why) = unavailable() {
        eprintln!("SKIP: {why}");
        return None;
    }
    let dir = TempDir::new(tag);
    let dev = dir.path().join("dev");
    let guard = MountGuard(dev.clone());
    let d = Fwctld::start(SIM, &["--dev-dir", dev.to_str().unwrap(), "--dev-mode", "0666"]);
    assert!(wait_until(Duration::from_secs(10), || dev.join("fwctl0").exists()), "{}", d.log());
    Some((d, dev.join("fwctl0"), guard, dir))
}

#[test]
fn the_suite_in_process_is_the_kernels_errno_table() {
    // The differential is only as good as the reference: a few of its lines,
    // with the kernel's errnos (ENOTTY 25, EFAULT 14, EINVAL 22, E2BIG 7,
    // EOPNOTSUPP 95, EMSGSIZE 90, EBADMSG 74, EPERM 1).
    let bin = TempDir::new("conf-ref");
    let lib = match compile(bin.path(), Build::Library) {
        Ok(l) => l,
        Err(e) => return eprintln!("SKIP: {e}"),
    };
    let root = in_process(&lib, root_creds());
    let user = in_process(&lib, Credentials { cap_sys_rawio: false, ..root_creds() });
    for want in [
        "nr-2 25",
        "iowr-info 25",
        "null-arg 14",
        "info-size-23 22",
        "info-size-32-nonzero-tail 7",
        "info-flags-1 95",
        "info-len-0-quirk 0 type 1 len 0 data ",
        "info-data-read-only 14",
        "rpc-in-too-long 90",
        "rpc-not-on-the-allow-list 74",
        "rpc-out-straddling-a-hole 14 out_len 272",
        "rpc-struct-read-only 14",
        "rpc-debug-write-full 0",
    ] {
        assert!(root.lines().any(|l| l.starts_with(want)), "{want:?} not in:\n{root}");
    }
    assert!(user.lines().any(|l| l.starts_with("rpc-debug-write-full 1 ")), "{user}");
}

#[test]
fn dynamic_as_root_through_fuse_nodes() {
    let bin = TempDir::new("conf-root-fuse");
    let (exe, lib) = match (
        compile(bin.path(), Build::Program { static_link: false }),
        compile(bin.path(), Build::Library),
    ) {
        (Ok(e), Ok(l)) => (e, l),
        (Err(e), _) | (_, Err(e)) => return eprintln!("SKIP: {e}"),
    };
    let Some((_d, node, _g, _dir)) = fuse_daemon("conf-root") else { return };
    let mut c = Command::new(exe);
    c.arg(node);
    assert_same("dynamic, root, FUSE", &run(c), &in_process(&lib, root_creds()));
}

#[test]
fn static_as_an_unprivileged_user_through_fuse_nodes() {
    let Some(user) = TestUser::ensure() else { return };
    let bin = TempDir::new("conf-user-fuse");
    let (exe, lib) = match (
        compile(bin.path(), Build::Program { static_link: true }),
        compile(bin.path(), Build::Library),
    ) {
        (Ok(e), Ok(l)) => (e, l),
        (Err(e), _) | (_, Err(e)) => return eprintln!("SKIP: {e}"),
    };
    let Some((_d, node, _g, _dir)) = fuse_daemon("conf-user") else { return };
    let mut c = user.command(&exe);
    c.arg(node);
    assert_same("static, unprivileged, FUSE", &run(c), &in_process(&lib, user_creds(&user)));
}

#[test]
fn dynamic_under_fwctl_exec_as_root_and_as_an_unprivileged_user() {
    let bin = TempDir::new("conf-exec");
    let (exe, lib) = match (
        compile(bin.path(), Build::Program { static_link: false }),
        compile(bin.path(), Build::Library),
    ) {
        (Ok(e), Ok(l)) => (e, l),
        (Err(e), _) | (_, Err(e)) => return eprintln!("SKIP: {e}"),
    };
    preload_library();
    let exec = |d: &Fwctld, wrapper: Command, args: &[&str]| {
        let mut c = d.fwctl_with(wrapper);
        c.args(["exec", "--"]).arg(&exe).arg("/dev/fwctl/fwctl0").args(args);
        run(c)
    };
    let d = Fwctld::start(SIM, &[]);
    assert_same(
        "dynamic, root, fwctl exec",
        &exec(&d, Command::new(binary("fwctl")), &[]),
        &in_process(&lib, root_creds()),
    );
    drop(d);
    // Each ioctl twice in a row: the second call of a case names the struct
    // and `out` the first did, so the library receives its reply straight
    // into them, faults and odd replies included. A fresh daemon: FWCTL_INFO
    // reports the uctx's id, the first of the device's, as in process.
    let d = Fwctld::start(SIM, &[]);
    assert_same(
        "dynamic, root, fwctl exec, each ioctl twice",
        &exec(&d, Command::new(binary("fwctl")), &["twice"]),
        &in_process_run(&lib, root_creds(), b"fwctl_conformance_run_twice\0"),
    );
    drop(d);
    // Each ioctl four times with the library guessing whenever a struct
    // repeats (never backing off): the repeated calls of a case go without
    // reading their struct, the daemon checking the guess, faults and odd
    // replies included.
    let d = Fwctld::start(SIM, &[]);
    let mut c = Command::new(binary("fwctl"));
    c.env("FWCTL_EXEC_SPECULATE", "always");
    assert_same(
        "dynamic, root, fwctl exec, each ioctl four times, speculating",
        &exec(&d, c, &["four"]),
        &in_process_run(&lib, root_creds(), b"fwctl_conformance_run_four\0"),
    );
    drop(d);
    if let Some(user) = TestUser::ensure() {
        let d = Fwctld::start(SIM, &[]);
        assert_same(
            "dynamic, unprivileged, fwctl exec",
            &exec(&d, user.command(&binary("fwctl")), &[]),
            &in_process(&lib, user_creds(&user)),
        );
    }
}
