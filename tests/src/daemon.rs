//! Fixtures for tests that run the real `fwctld` binary: building and locating
//! binaries, a daemon on a temporary runtime directory, and an unprivileged OS
//! user for clients.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fwctl_core::server::{ControlRequest, STATUS_FILE, control_call};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::Value;

/// The directory holding this build's binaries (`target/debug` or `target/release`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/<profile>/deps/<test binary>, or target/<profile>/<bin>
    let mut dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir
}

/// Path of a binary of this workspace, built (once per process) with the same
/// profile as the running test or benchmark, so it is never stale.
pub fn binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let dir = profile_dir();
    let built = BUILT.get_or_init(|| {
        let Some(cargo) = std::env::var_os("CARGO") else { return Ok(()) };
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "--quiet", "-p", "fwctl-cli", "-p", "fwctl-tests", "--bins"]);
        if dir.ends_with("release") {
            cmd.arg("--release");
        }
        let out = cmd.output().map_err(|e| e.to_string())?;
        if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
    });
    if let Err(e) = built {
        panic!("cannot build the workspace binaries: {e}");
    }
    let p = dir.join(name);
    assert!(p.exists(), "binary {} not found", p.display());
    p
}

/// A temporary directory removed on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh directory (mode 0755 so an unprivileged client can reach sockets in it).
    pub fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "fwctl-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod temp dir");
        TempDir(p)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Wait (bounded) until `f` holds; false if it never did. Not a timing assertion:
/// the bound only keeps a broken build from hanging the suite.
pub fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    f()
}

/// The policy the fixture gives a daemon started without `--policy`: every
/// caller may use every scope, so only the kernel's own rules apply
/// (`debug-write-full` still needs `CAP_SYS_RAWIO`: a policy only narrows).
/// Written to a file in the daemon's temporary directory: tests never read
/// `/etc/fwctl/policy.toml`.
pub const OPEN_POLICY: &str = "version = 1\n\
[[rule]]\n\
name = \"everyone\"\n\
users = [\"*\"]\n\
max_scope = \"debug-write-full\"\n";

/// Environment variables that would redirect the daemon's or the CLI's paths;
/// removed from every child so a developer's settings never leak into a test.
const PATH_ENV: &[&str] =
    &["FWCTL_POLICY", "FWCTL_STATE_DIR", "FWCTL_AUDIT_LOG", "FWCTL_RUNTIME_DIR", "FWCTL_TRANSPORT"];

/// Write `text` to `path` atomically (temporary file, then rename), as an
/// administrator's editor would, so a reload never reads half a file.
pub fn write_atomically(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).expect("write temporary file");
    std::fs::rename(&tmp, path).expect("rename into place");
}

/// A running `fwctld` on temporary directories.
#[derive(Debug)]
pub struct Fwctld {
    child: Option<Child>,
    /// Holds the runtime, state and config directories.
    pub dir: TempDir,
    /// `--runtime-dir`.
    pub runtime_dir: PathBuf,
    /// `--state-dir`.
    pub state_dir: PathBuf,
    /// The configuration file.
    pub config: PathBuf,
    /// The policy file (`--policy`): the fixture's [`OPEN_POLICY`] unless the
    /// arguments named another.
    pub policy: PathBuf,
}

/// A configuration with one loopback device answering `response_len` bytes.
pub fn loopback_config(devices: usize, extra: &str) -> String {
    let mut s = extra.to_string();
    for i in 0..devices {
        s.push_str(&format!("\n[[device]]\nname = \"lb{i}\"\ndriver = \"loopback\"\n"));
    }
    s
}

impl Fwctld {
    /// Start `fwctld` with configuration `config` and extra arguments; waits until it serves.
    pub fn start(config: &str, args: &[&str]) -> Fwctld {
        let dir = TempDir::new("fwctld");
        Self::start_in(dir, config, args)
    }

    /// Start in an existing directory (to restart with the same state).
    pub fn start_in(dir: TempDir, config: &str, args: &[&str]) -> Fwctld {
        let runtime_dir = dir.path().join("run");
        let state_dir = dir.path().join("state");
        let cfg = dir.path().join("fwctld.toml");
        std::fs::write(&cfg, config).expect("write config");
        let mut cmd = Command::new(binary("fwctld"));
        cmd.arg("--config")
            .arg(&cfg)
            .arg("--runtime-dir")
            .arg(&runtime_dir)
            .arg("--state-dir")
            .arg(&state_dir);
        let policy = match args.iter().position(|a| *a == "--policy") {
            Some(i) => PathBuf::from(args.get(i + 1).expect("--policy needs a file")),
            None => {
                let p = dir.path().join("policy.toml");
                if !p.exists() {
                    std::fs::write(&p, OPEN_POLICY).expect("write policy");
                }
                cmd.arg("--policy").arg(&p);
                p
            }
        };
        for k in PATH_ENV {
            cmd.env_remove(k);
        }
        let child = cmd
            .args(args)
            .stdin(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("fwctld.log")).expect("log file"))
            .spawn()
            .expect("spawn fwctld");
        let mut d = Fwctld { child: Some(child), dir, runtime_dir, state_dir, config: cfg, policy };
        let status = d.runtime_dir.join(STATUS_FILE);
        let up = wait_until(Duration::from_secs(30), || status.exists() || d.exited());
        assert!(up && !d.exited(), "fwctld did not start:\n{}", d.log());
        d
    }

    fn exited(&mut self) -> bool {
        self.child.as_mut().is_none_or(|c| c.try_wait().ok().flatten().is_some())
    }

    /// The daemon's pid.
    pub fn pid(&self) -> Pid {
        Pid::from_raw(self.child.as_ref().map_or(0, |c| c.id() as i32))
    }

    /// Its stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("fwctld.log")).unwrap_or_default()
    }

    /// Wait (at most 10 s) until every audit line of the answers the test has
    /// seen was written (or failed and was queued): fwctld writes the line of
    /// an RPC that does not taint *after* its reply, on its background writer
    /// (`Documentation/daemon.md`), so a line may land a moment after the
    /// client saw the answer. The daemon's `status` says how many lines are
    /// staged — a line is staged before its reply is sent — so this waits for
    /// that to reach 0. A daemon that no longer answers has nothing staged
    /// that could still be written. Without the `status` verb (it is root's),
    /// wait until the log file stops growing.
    pub fn wait_audit_written(&self) {
        let path = self.state_dir.join("audit.log");
        let staged = || {
            self.control(&fwctl_core::server::ControlRequest::Status).ok().map(|s| s["audit_staged"].as_u64())
        };
        match staged() {
            Some(Some(_)) => {
                wait_until(Duration::from_secs(10), || staged().flatten().is_none_or(|n| n == 0));
            }
            _ => {
                let size = || std::fs::metadata(&path).map_or(0, |m| m.len());
                let mut last = size();
                for _ in 0..200 {
                    std::thread::sleep(Duration::from_millis(10));
                    let now = size();
                    if now == last {
                        break;
                    }
                    last = now;
                }
            }
        }
    }

    /// The audit log so far, once every line of the answers seen was written
    /// ([`Fwctld::wait_audit_written`]).
    pub fn audit(&self) -> Vec<Value> {
        self.wait_audit_written();
        let path = self.state_dir.join("audit.log");
        std::fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Replace the policy file (atomically); the daemon reads it on SIGHUP or `reload`.
    pub fn write_policy(&self, text: &str) {
        write_atomically(&self.policy, text);
    }

    /// Send SIGHUP and wait (bounded) until the daemon logged the outcome of the
    /// reload it triggers: `true` when the policy was installed, `false` when it
    /// was rejected.
    pub fn sighup(&self) -> bool {
        let count = |log: &str| log.matches("SIGHUP: ").count();
        let before = count(&self.log());
        self.signal(Signal::SIGHUP);
        let done = wait_until(Duration::from_secs(30), || count(&self.log()) > before);
        assert!(done, "fwctld did not log the SIGHUP reload:\n{}", self.log());
        let log = self.log();
        let last = log.lines().rev().find(|l| l.contains("SIGHUP: ")).unwrap_or_default();
        !last.contains("rejected")
    }

    /// The real `fwctl` binary, set to reach this daemon:
    /// `fwctl --transport daemon --runtime-dir DIR`, with the arguments to follow.
    pub fn fwctl(&self) -> Command {
        self.fwctl_with(Command::new(binary("fwctl")))
    }

    /// [`Fwctld::fwctl`] run through `wrapper` (e.g. [`TestUser::command`]).
    pub fn fwctl_with(&self, mut wrapper: Command) -> Command {
        for k in PATH_ENV {
            wrapper.env_remove(k);
        }
        wrapper.arg("--transport").arg("daemon").arg("--runtime-dir").arg(&self.runtime_dir);
        wrapper
    }

    /// Send a signal.
    pub fn signal(&self, sig: Signal) {
        kill(self.pid(), sig).expect("signal fwctld");
    }

    /// A control verb.
    pub fn control(&self, req: &ControlRequest) -> Result<Value, String> {
        control_call(&self.runtime_dir, req).map_err(|e| e.to_string())
    }

    /// Wait (bounded) until `n` device requests are inside the daemon's
    /// dispatcher (the status verb's `in_flight`): the signal that an RPC a test
    /// started is being served, instead of a sleep.
    pub fn wait_in_flight(&self, n: u64) {
        let seen = wait_until(Duration::from_secs(30), || {
            self.control(&ControlRequest::Status).is_ok_and(|s| s["in_flight"] == n)
        });
        assert!(seen, "fwctld never had {n} request(s) in flight:\n{}", self.log());
    }

    /// Resident set size of the daemon in bytes.
    pub fn rss(&self) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        s.lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }

    /// Wait (bounded) for the daemon to exit on its own; its status, or `None`
    /// if it is still running after `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                return Some(s);
            }
            if start.elapsed() >= limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM and wait for exit; returns the exit status and the directory (for a restart).
    pub fn stop(mut self) -> (ExitStatus, TempDir) {
        self.signal(Signal::SIGTERM);
        let status = self.child.take().expect("child").wait().expect("wait fwctld");
        let dir = std::mem::replace(&mut self.dir, TempDir(PathBuf::new()));
        (status, dir)
    }
}

impl Drop for Fwctld {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub use crate::users::TestUser;
