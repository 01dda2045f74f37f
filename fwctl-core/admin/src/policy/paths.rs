//! Where the policy, the state directory and the audit log live.
//!
//! Root: `/etc/fwctl/policy.toml` and `/var/lib/fwctl/`. Anyone else:
//! `$XDG_CONFIG_HOME/fwctl/policy.toml` (default `~/.config`) and
//! `$XDG_STATE_HOME/fwctl/` (default `~/.local/state`). Precedence, highest
//! first: a command-line flag, the environment (`FWCTL_POLICY`,
//! `FWCTL_STATE_DIR`, `FWCTL_AUDIT_LOG`), then those defaults.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable naming the policy file.
pub const ENV_POLICY: &str = "FWCTL_POLICY";
/// Environment variable naming the state directory.
pub const ENV_STATE_DIR: &str = "FWCTL_STATE_DIR";
/// Environment variable naming the audit log file.
pub const ENV_AUDIT_LOG: &str = "FWCTL_AUDIT_LOG";
/// Root's policy file.
pub const SYSTEM_POLICY: &str = "/etc/fwctl/policy.toml";
/// Root's state directory.
pub const SYSTEM_STATE_DIR: &str = "/var/lib/fwctl";

/// Resolved locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The policy file (may not exist: the built-in default is used then).
    pub policy: PathBuf,
    /// The state directory (taint record).
    pub state_dir: PathBuf,
    /// The audit log file (default: `audit.log` in the state directory).
    pub audit_log: PathBuf,
}

/// Command-line overrides; `None` means "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathFlags {
    /// `--policy FILE`.
    pub policy: Option<PathBuf>,
    /// `--state-dir DIR`.
    pub state_dir: Option<PathBuf>,
    /// `--audit-log FILE`.
    pub audit_log: Option<PathBuf>,
}

impl Paths {
    /// Resolve for the current process: its effective uid and environment.
    pub fn resolve(flags: &PathFlags) -> Paths {
        let is_root = nix::unistd::geteuid().is_root();
        Self::resolve_with(flags, is_root, |k| std::env::var_os(k))
    }

    /// Resolve with an explicit root flag and environment (testable).
    pub fn resolve_with(flags: &PathFlags, is_root: bool, env: impl Fn(&str) -> Option<OsString>) -> Paths {
        let var = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        let home = || var("HOME").unwrap_or_else(|| PathBuf::from("/"));
        let policy = flags.policy.clone().or_else(|| var(ENV_POLICY)).unwrap_or_else(|| {
            if is_root {
                PathBuf::from(SYSTEM_POLICY)
            } else {
                var("XDG_CONFIG_HOME").unwrap_or_else(|| home().join(".config")).join("fwctl/policy.toml")
            }
        });
        let state_dir = flags.state_dir.clone().or_else(|| var(ENV_STATE_DIR)).unwrap_or_else(|| {
            if is_root {
                PathBuf::from(SYSTEM_STATE_DIR)
            } else {
                var("XDG_STATE_HOME").unwrap_or_else(|| home().join(".local/state")).join("fwctl")
            }
        });
        let audit_log = flags
            .audit_log
            .clone()
            .or_else(|| var(ENV_AUDIT_LOG))
            .unwrap_or_else(|| state_dir.join("audit.log"));
        Paths { policy, state_dir, audit_log }
    }

    /// The previous policy kept by an install: `policy.toml.bak`.
    pub fn backup_of(policy: &Path) -> PathBuf {
        with_suffix(policy, ".bak")
    }

    /// The lock file editors take: `policy.toml.lock`.
    pub fn lock_of(policy: &Path) -> PathBuf {
        with_suffix(policy, ".lock")
    }
}

pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s: OsString = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}
