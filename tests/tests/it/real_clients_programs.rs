//! Unmodified programs against `fwctld --dev-dir`: a C client (dynamically and
//! statically linked, compiled here with `cc`) and a Python `fcntl.ioctl`
//! client, as root and as an unprivileged user, through the daemon's FUSE
//! nodes; the daemon's clean unmount on SIGTERM and its recovery from the dead
//! mount a killed daemon leaves. Each prints SKIP and why where this machine
//! lacks root, `/dev/fuse`, `cc` or `python3`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use fwctl_tests::daemon::{Fwctld, TempDir, TestUser, wait_until};
use fwctl_tests::real_clients::{MountGuard, compile_c, fixtures_dir, is_mount_point, unavailable};
use nix::sys::signal::Signal;

const SIM: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n[device.params]\nseed = 5\n";

/// What both clients print for a caller holding CAP_SYS_RAWIO, with the
/// kernel's errnos: EFAULT 14 for a NULL argument, ENOTTY 25 for an unknown
/// number, EINVAL 22 for a short size.
pub(crate) const AS_ROOT: &str =
    "open 0\ninfo 0 1 8 padded\nrpc 0 272 0 MT_0000000838\nrpc_full 0\nnull 14\nunknown 25\nsize 22\n";
/// Without CAP_SYS_RAWIO, DEBUG_WRITE_FULL is EPERM (1), checked per call.
pub(crate) const AS_USER: &str =
    "open 0\ninfo 0 1 8 padded\nrpc 0 272 0 MT_0000000838\nrpc_full 1\nnull 14\nunknown 25\nsize 22\n";

struct Daemon {
    d: Option<Fwctld>,
    _guard: MountGuard,
    dev: PathBuf,
    _dir: TempDir,
}

impl Daemon {
    fn start(tag: &str, mode: Option<&str>) -> Option<Daemon> {
        Self::start_with(tag, mode, None)
    }

    fn start_with(tag: &str, mode: Option<&str>, group: Option<&str>) -> Option<Daemon> {
        if let Some(why) = unavailable() {
            eprintln!("SKIP: {why}");
            return None;
        }
        let dir = TempDir::new(tag);
        let dev = dir.path().join("dev");
        let guard = MountGuard(dev.clone());
        let mut args = vec!["--dev-dir", dev.to_str().unwrap()];
        if let Some(m) = mode {
            args.extend(["--dev-mode", m]);
        }
        if let Some(g) = group {
            args.extend(["--dev-group", g]);
        }
        let d = Fwctld::start(SIM, &args);
        assert!(wait_until(Duration::from_secs(10), || dev.join("fwctl0").exists()), "no node:\n{}", d.log());
        Some(Daemon { d: Some(d), _guard: guard, dev, _dir: dir })
    }

    fn node(&self) -> PathBuf {
        self.dev.join("fwctl0")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(d) = self.d.take() {
            let _ = d.stop();
        }
    }
}

fn programs(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut v = Vec::new();
    match compile_c("fwctl_client", dir, false) {
        Ok(p) => v.push(("C (dynamic)".to_string(), p)),
        Err(e) => eprintln!("SKIP: the C client: {e}"),
    }
    match compile_c("fwctl_client", dir, true) {
        Ok(p) => v.push(("C (static)".to_string(), p)),
        Err(e) => eprintln!("SKIP: the statically linked C client: {e}"),
    }
    v
}

/// `/usr/bin/python3` (readable by every user, unlike a per-user installation).
fn python() -> Option<PathBuf> {
    let p = PathBuf::from("/usr/bin/python3");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIP: the Python client: no /usr/bin/python3");
        None
    }
}

fn run(mut cmd: Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{:?} failed: {}", cmd, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn c_and_python_clients_as_root() {
    let Some(d) = Daemon::start("rc-prog-root", None) else { return };
    let bin = TempDir::new("rc-bin");
    let mut ran = 0;
    for (what, p) in programs(bin.path()) {
        let mut c = Command::new(p);
        c.arg(d.node());
        assert_eq!(run(c), AS_ROOT, "{what}");
        ran += 1;
    }
    // Each QUERY_ADAPTER through the node has its audit line (the default
    // policy audits every RPC; the node's server thread hands it off as a
    // connection thread does).
    let audited = d.d.as_ref().map_or_else(Vec::new, Fwctld::audit);
    let lines = audited
        .iter()
        .filter(|r| r["event"] == "rpc" && r["comm"] == "fwctl_client" && r["command"] == "QUERY_ADAPTER")
        .count();
    assert_eq!(lines, ran, "QUERY_ADAPTER lines of the C clients: {audited:?}");
    if let Some(py) = python() {
        let mut c = Command::new(py);
        c.arg(fixtures_dir().join("fwctl_client.py")).arg(d.node());
        assert_eq!(run(c), AS_ROOT, "Python");
    }
}

#[test]
fn unprivileged_clients_through_0666_nodes_get_eperm_at_full_scope() {
    let Some(user) = TestUser::ensure() else { return };
    let Some(d) = Daemon::start("rc-prog-user", Some("0666")) else { return };
    let bin = TempDir::new("rc-bin");
    for (what, p) in programs(bin.path()) {
        let mut c = user.command(&p);
        c.arg(d.node());
        assert_eq!(run(c), AS_USER, "{what}");
    }
    if let Some(py) = python() {
        let mut c = user.command(&py);
        c.arg(fixtures_dir().join("fwctl_client.py")).arg(d.node());
        assert_eq!(run(c), AS_USER, "Python");
    }
}

#[test]
fn the_default_0600_node_refuses_other_users() {
    let Some(user) = TestUser::ensure() else { return };
    let Some(d) = Daemon::start("rc-prog-0600", None) else { return };
    let Some(py) = python() else { return };
    let mut c = user.command(&py);
    c.arg(fixtures_dir().join("fwctl_client.py")).arg(d.node());
    let out = c.output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "open 13\n", "EACCES from the node's mode");
}

#[test]
fn dev_group_and_dev_mode_let_a_group_in() {
    use std::os::unix::fs::MetadataExt;
    let Some(user) = TestUser::ensure() else { return };
    let Some(d) = Daemon::start_with("rc-prog-group", Some("0660"), Some(&user.name)) else { return };
    let m = std::fs::metadata(d.node()).unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o660, 0, user.gid));
    let Some(py) = python() else { return };
    let mut c = user.command(&py);
    c.arg(fixtures_dir().join("fwctl_client.py")).arg(d.node());
    assert_eq!(run(c), AS_USER, "a member of the node's group opens it");
}

#[test]
fn sigterm_unmounts_and_a_dead_mount_is_recovered() {
    if let Some(why) = unavailable() {
        eprintln!("SKIP: {why}");
        return;
    }
    let dir = TempDir::new("rc-stale");
    let dev = dir.path().join("dev");
    let _guard = MountGuard(dev.clone());
    let args = ["--dev-dir", dev.to_str().unwrap()];

    // A killed daemon leaves a mount whose server is gone: ENOTCONN.
    let d = Fwctld::start(SIM, &args);
    assert!(wait_until(Duration::from_secs(10), || dev.join("fwctl0").exists()));
    d.signal(Signal::SIGKILL);
    assert!(wait_until(Duration::from_secs(10), || {
        std::fs::metadata(&dev).err().and_then(|e| e.raw_os_error()) == Some(nix::libc::ENOTCONN)
    }));
    drop(d);

    // The next daemon detaches it and serves again.
    let d = Fwctld::start(SIM, &args);
    assert!(wait_until(Duration::from_secs(10), || dev.join("fwctl0").exists()), "{}", d.log());
    assert!(is_mount_point(&dev));

    // SIGTERM: unmounted before exit, no mount left behind.
    let (status, _dir) = d.stop();
    assert!(status.success());
    assert!(!is_mount_point(&dev), "still mounted after SIGTERM");
    assert!(std::fs::read_dir(&dev).unwrap().next().is_none());
}
