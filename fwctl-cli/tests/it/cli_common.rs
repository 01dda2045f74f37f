//! Shared by the end-to-end tests of the real `fwctl` binary: an isolated
//! environment (policy, state, runtime, HOME and XDG directories all inside one
//! temporary directory), so no test ever reads or writes the real /etc, /var,
//! /run or the user's home.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A shipped policy, e.g. `lab.toml`.
pub fn shipped(name: &str) -> PathBuf {
    repo().join("policies").join(name)
}

/// A policy that narrows nothing.
pub const OPEN_POLICY: &str =
    "version = 1\n\n[[rule]]\nname = \"tests-open\"\nusers = [\"*\"]\nmax_scope = \"debug-write-full\"\n";

/// One isolated environment; the directory is removed on drop.
pub struct Env {
    /// The temporary directory.
    pub dir: PathBuf,
    /// `FWCTL_POLICY` (None: unset, so the per-user default under XDG_CONFIG_HOME applies).
    pub policy: Option<PathBuf>,
}

impl Env {
    /// A fresh environment using `policy` (None: no policy file given).
    pub fn with_policy(policy: Option<PathBuf>) -> Env {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "fwctl-cli-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Env { dir, policy }
    }

    /// A fresh environment with the permissive lab policy (root may use every scope).
    pub fn lab() -> Env {
        Self::with_policy(Some(shipped("lab.toml")))
    }

    /// A fresh environment whose policy lets everyone use every scope the driver
    /// and the kernel rules allow (the subsystem without an admin policy).
    pub fn open() -> Env {
        let mut env = Self::with_policy(None);
        let path = env.dir.join("open.toml");
        std::fs::write(&path, OPEN_POLICY).unwrap();
        env.policy = Some(path);
        env
    }

    /// A directory `name` inside the environment owned by `uid:gid`, mode 0700: an
    /// unprivileged user's own state directory. Its parents stay root-owned and not
    /// world-writable, as fwctl requires of any directory it writes in.
    pub fn owned_dir(&self, name: &str, uid: u32, gid: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let dir = self.dir.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        dir
    }

    /// The state directory (taint record, audit log).
    pub fn state(&self) -> PathBuf {
        self.dir.join("state")
    }

    /// The audit log.
    pub fn audit_log(&self) -> PathBuf {
        self.state().join("audit.log")
    }

    /// The system daemon runtime directory fwctl looks in first (not created:
    /// its existence is a sign of a real fwctl, which stops the simulator).
    pub fn run_dir(&self) -> PathBuf {
        self.dir.join("run")
    }

    /// `fwctl` with the isolated environment (no arguments yet).
    pub fn command(&self) -> Command {
        self.command_for(Path::new(env!("CARGO_BIN_EXE_fwctl")))
    }

    /// `program` with the isolated environment (for wrappers: `script`, `setpriv`).
    pub fn command_for(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        self.apply(&mut c);
        c
    }

    /// Put the isolated environment on `c`.
    pub fn apply(&self, c: &mut Command) {
        c.env_remove("FWCTL_TRANSPORT")
            .env_remove("FWCTL_AUDIT_LOG")
            .env_remove("VISUAL")
            .env_remove("EDITOR")
            .env("HOME", self.dir.join("home"))
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("XDG_STATE_HOME", self.dir.join("xdg-state"))
            .env("XDG_RUNTIME_DIR", self.dir.join("xdg-run"))
            .env("FWCTL_STATE_DIR", self.state())
            .env_remove("FWCTL_RUNTIME_DIR")
            .env("FWCTL_SYSTEM_RUNTIME_DIR", self.run_dir())
            .env("FWCTL_DAEMON_CONFIG", self.dir.join("fwctld.toml"))
            .env("FWCTL_DEV_DIR", self.dir.join("dev-fwctl"))
            .stdin(Stdio::null());
        match &self.policy {
            Some(p) => c.env("FWCTL_POLICY", p),
            None => c.env_remove("FWCTL_POLICY"),
        };
    }

    /// Run `fwctl args…`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Standard output as text.
pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The line that ends standard error whenever the simulator answered.
pub const SIMULATED_MARKER: &str = "fwctl: simulated: ";

/// Standard error as text, without the simulator's closing marker line
/// (tests of the marker itself use [`raw_err`]).
pub fn err(o: &Output) -> String {
    strip_marker(&raw_err(o))
}

/// Standard error exactly as written.
pub fn raw_err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `stderr` without a final simulator marker line.
pub fn strip_marker(stderr: &str) -> String {
    let body = stderr.strip_suffix('\n').unwrap_or(stderr);
    match body.rfind('\n').map_or(Some(0), |i| Some(i + 1)) {
        Some(start) if body[start..].starts_with(SIMULATED_MARKER) => stderr[..start].to_string(),
        _ => stderr.to_string(),
    }
}

/// Standard output parsed as one JSON value.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out(o)))
}
