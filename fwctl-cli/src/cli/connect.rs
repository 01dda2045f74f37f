//! Choosing the transport (`--transport auto|daemon|embedded|kernel`).
//!
//! `auto` prefers what is real: the kernel's `/dev/fwctl`, then a `fwctld`
//! daemon (the system one in `/run/fwctl` first, then the per-user one in
//! `$XDG_RUNTIME_DIR/fwctl`), and only then the embedded *simulated* subsystem —
//! and that only when the machine shows no sign of a real fwctl: no device
//! nodes, no daemon runtime directory, no daemon configuration, no
//! `--runtime-dir`. A daemon that is configured but does not answer (crashed,
//! stale sockets, wrong directory) is an error naming what was found and the
//! fix, never a simulated answer. Asking for the daemon or the kernel
//! explicitly when it is not there is an error (exit 4) that says where fwctl
//! looked.

use std::path::{Path, PathBuf};

use fwctl_core::server::{CallError, ControlRequest, QueryRequest, control_call, query_call};
use fwctl_core::transport::{Daemon, Kernel, Transport};

use crate::cli::GlobalOpts;
use crate::cli::embedded;
use crate::cli::exit::CliError;

/// The `--transport` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TransportChoice {
    /// Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded.
    Auto,
    /// A `fwctld` daemon's sockets under the runtime directory.
    Daemon,
    /// The subsystem built in this process with the simulated device.
    Embedded,
    /// Real ioctls on `/dev/fwctl/fwctlN`.
    Kernel,
}

/// A connected transport and why it was the one chosen.
pub struct Connected {
    /// The transport.
    pub transport: Box<dyn Transport>,
    /// Why it was chosen (`auto` explains its pick; explicit choices say so).
    pub reason: String,
}

impl Connected {
    /// A transport chosen for `reason`.
    pub fn new(transport: impl Transport + 'static, reason: impl Into<String>) -> Self {
        Connected { transport: Box::new(transport), reason: reason.into() }
    }
}

/// The sysfs class directory the kernel transport reads device types from.
const SYS_DIR: &str = "/sys/class/fwctl";

/// The system daemon's runtime directory (the systemd unit's `RuntimeDirectory`).
pub const SYSTEM_RUNTIME_DIR: &str = "/run/fwctl";

/// The daemon configuration file the systemd unit passes to `fwctld`.
pub const DAEMON_CONFIG: &str = "/etc/fwctl/fwctld.toml";

/// The per-user runtime directory, `$XDG_RUNTIME_DIR/fwctl`, if the variable is set.
pub fn user_runtime_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()).map(|d| PathBuf::from(d).join("fwctl"))
}

/// The runtime directories searched for a daemon, in order: `--runtime-dir`
/// alone when given; else the system one, then the per-user one.
pub fn runtime_dirs(global: &GlobalOpts) -> Vec<PathBuf> {
    if let Some(dir) = &global.runtime_dir {
        return vec![dir.clone()];
    }
    let mut dirs = vec![global.system_runtime_dir.clone()];
    if let Some(user) = user_runtime_dir()
        && user != global.system_runtime_dir
    {
        dirs.push(user);
    }
    dirs
}

/// The daemon's runtime directory: `--runtime-dir`; else the first searched
/// directory a daemon serves; else the first that exists; else the system one.
pub fn runtime_dir(global: &GlobalOpts) -> PathBuf {
    let dirs = runtime_dirs(global);
    dirs.iter()
        .find(|d| alive(&Daemon::new(d.as_path())))
        .or_else(|| dirs.iter().find(|d| d.is_dir()))
        .or(dirs.first())
        .cloned()
        .unwrap_or_else(|| global.system_runtime_dir.clone())
}

/// The daemon serving one of [`runtime_dirs`], if any.
pub fn running_daemon(global: &GlobalOpts) -> Option<Daemon> {
    runtime_dirs(global).into_iter().map(Daemon::new).find(alive)
}

/// Whether the daemon of a runtime directory is alive: its `devices.json`
/// names a process that exists and is not a zombie (a crashed daemon its
/// parent has not reaped yet serves nothing).
pub fn alive(daemon: &Daemon) -> bool {
    if !daemon.is_running() {
        return false;
    }
    let Some(pid) = status_pid(daemon.runtime_dir()) else { return false };
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name, which may contain spaces.
        Ok(stat) => stat.rsplit_once(')').is_none_or(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => true,
    }
}

/// The pid a runtime directory's `devices.json` names, if it names one.
pub fn status_pid(dir: &Path) -> Option<i64> {
    let bytes = crate::cli::files::read_capped(&dir.join(fwctl_core::server::STATUS_FILE), 1 << 20).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("pid").and_then(serde_json::Value::as_i64)
}

/// Signs that this machine has a real fwctl although nothing answered: each a
/// sentence naming what was found. Empty means the simulator may answer.
pub fn signs_of_real_fwctl(global: &GlobalOpts) -> Vec<String> {
    let mut signs = Vec::new();
    if let Some(dir) = &global.runtime_dir {
        signs.push(format!("--runtime-dir (or FWCTL_RUNTIME_DIR) names {}", dir.display()));
    }
    for dir in runtime_dirs(global) {
        if let Some(pid) = status_pid(&dir) {
            signs.push(format!(
                "{}/{} names fwctld pid {pid}, which is not running (it crashed or was killed; its sockets are stale)",
                dir.display(),
                fwctl_core::server::STATUS_FILE
            ));
        } else if dir.is_dir() {
            signs.push(format!(
                "the daemon runtime directory {} exists but no fwctld serves it",
                dir.display()
            ));
        }
    }
    if global.daemon_config.exists() {
        signs.push(format!("the daemon configuration {} exists", global.daemon_config.display()));
    }
    if global.dev_dir.is_dir() {
        signs.push(format!("{} exists but has no fwctl device nodes", global.dev_dir.display()));
    }
    signs
}

/// The error when a real fwctl is configured here but nothing answered.
fn unreachable(signs: &[String]) -> CliError {
    let mut msg = String::from("no fwctl answered, and this machine is set up for a real one: ");
    msg.push_str(&signs.join("; "));
    CliError::no_device(msg).with_hint(
        "start fwctld (`systemctl start fwctld`, or `fwctld --runtime-dir DIR`) or point --runtime-dir at \
         the directory it serves; `--transport embedded` (or --simulate) asks the simulated device instead",
    )
}

/// Build the transport the global options ask for.
pub fn connect(global: &GlobalOpts) -> Result<Connected, CliError> {
    let choice = if global.simulate { TransportChoice::Embedded } else { global.transport };
    match choice {
        TransportChoice::Embedded => {
            let why = if global.simulate { "--simulate" } else { "--transport embedded" };
            Ok(Connected::new(
                embedded::transport(global)?,
                format!("{why}: the in-process simulated subsystem"),
            ))
        }
        TransportChoice::Daemon => {
            let Some(daemon) = running_daemon(global) else {
                let dirs: Vec<String> =
                    runtime_dirs(global).iter().map(|d| d.display().to_string()).collect();
                let stale = signs_of_real_fwctl(global).into_iter().find(|s| s.contains("not running"));
                let mut err = CliError::no_device(format!(
                    "no fwctld is serving {} (--transport daemon)",
                    dirs.join(" or ")
                ));
                if let Some(stale) = stale {
                    err.message.push_str(&format!(": {stale}"));
                }
                return Err(err.with_hint("start fwctld, or point --runtime-dir at its runtime directory"));
            };
            crate::cli::watchdog::waiting_for(format!("fwctld ({})", daemon.runtime_dir().display()));
            let reason = format!("--transport daemon: {}", daemon_identity(daemon.runtime_dir()));
            Ok(Connected::new(daemon, reason))
        }
        TransportChoice::Kernel => {
            let kernel = Kernel::new(&global.dev_dir, SYS_DIR);
            if !kernel.available() {
                return Err(CliError::no_device(format!(
                    "no fwctl device nodes in {} (--transport kernel)",
                    global.dev_dir.display()
                ))
                .with_hint("load a fwctl driver, or use --transport daemon/embedded"));
            }
            Ok(Connected::new(
                kernel,
                format!("--transport kernel: device nodes in {}", global.dev_dir.display()),
            ))
        }
        TransportChoice::Auto => {
            let kernel = Kernel::new(&global.dev_dir, SYS_DIR);
            if kernel.available() {
                let reason = format!("kernel fwctl device nodes found in {}", global.dev_dir.display());
                return Ok(Connected::new(kernel, reason));
            }
            if let Some(daemon) = running_daemon(global) {
                crate::cli::watchdog::waiting_for(format!("fwctld ({})", daemon.runtime_dir().display()));
                let reason = format!(
                    "no device nodes in {}; {}",
                    global.dev_dir.display(),
                    daemon_identity(daemon.runtime_dir())
                );
                return Ok(Connected::new(daemon, reason));
            }
            let signs = signs_of_real_fwctl(global);
            if !signs.is_empty() {
                return Err(unreachable(&signs));
            }
            let dirs: Vec<String> = runtime_dirs(global).iter().map(|d| d.display().to_string()).collect();
            let reason = format!(
                "no device nodes in {}, no fwctld runtime directory ({}) and no {}: \
                 using the in-process simulated subsystem",
                global.dev_dir.display(),
                dirs.join(", "),
                global.daemon_config.display()
            );
            Ok(Connected::new(embedded::transport(global)?, reason))
        }
    }
}

/// Which daemon serves `dir`: `fwctld pid N serving DIR`, plus its policy
/// source and load time from its query socket (which answers everyone).
pub fn daemon_identity(dir: &Path) -> String {
    let pid = status_pid(dir).map(|p| format!(" pid {p}")).unwrap_or_default();
    let mut s = format!("fwctld{pid} serving {}", dir.display());
    if let Ok(hello) = query_call(dir, &QueryRequest::Hello) {
        let policy = &hello["policy"];
        if let Some(source) = policy["source"].as_str() {
            s.push_str(&format!(", policy {source}"));
        }
        if let Some(at) = policy["loaded_at"].as_u64() {
            s.push_str(&format!(" loaded {}", crate::cli::output::utc_time(at)));
        }
    }
    s
}

/// The `daemon:` line of `fwctl --version`: which fwctl would answer a command
/// run with these options, without running one.
pub fn who_answers(global: &GlobalOpts) -> String {
    let choice = if global.simulate { TransportChoice::Embedded } else { global.transport };
    let kernel = Kernel::new(&global.dev_dir, SYS_DIR);
    let daemon = running_daemon(global);
    match (choice, &daemon) {
        (TransportChoice::Embedded, _) => "simulator (--simulate / --transport embedded)".into(),
        (TransportChoice::Kernel, _) if kernel.available() => {
            format!("none: the kernel answers (device nodes in {})", global.dev_dir.display())
        }
        (TransportChoice::Auto, _) if kernel.available() => format!(
            "none: the kernel answers (device nodes in {}){}",
            global.dev_dir.display(),
            daemon
                .as_ref()
                .map(|d| format!("; also running: {}", daemon_identity(d.runtime_dir())))
                .unwrap_or_default()
        ),
        (TransportChoice::Auto | TransportChoice::Daemon, Some(d)) => daemon_identity(d.runtime_dir()),
        _ => {
            let dirs: Vec<String> = runtime_dirs(global).iter().map(|d| d.display().to_string()).collect();
            let signs = signs_of_real_fwctl(global);
            if choice == TransportChoice::Auto && signs.is_empty() {
                format!("none (no fwctld serves {}): commands use the simulator", dirs.join(" or "))
            } else if signs.is_empty() {
                format!("none (no fwctld serves {}): commands fail", dirs.join(" or "))
            } else {
                format!("none (no fwctld serves {}): commands fail: {}", dirs.join(" or "), signs.join("; "))
            }
        }
    }
}

/// The running daemon and what its control socket says about itself
/// (`Err` with the daemon's reason when it refuses, e.g. a non-root caller).
pub struct DaemonStatus {
    /// Its runtime directory.
    pub dir: PathBuf,
    /// Its pid, from `devices.json`.
    pub pid: Option<i64>,
    /// The `status` verb's answer.
    pub status: Result<serde_json::Value, CallError>,
}

impl DaemonStatus {
    /// `fwctld pid N (DIR)`.
    pub fn name(&self) -> String {
        match self.pid {
            Some(p) => format!("fwctld pid {p} ({})", self.dir.display()),
            None => format!("fwctld ({})", self.dir.display()),
        }
    }
}

/// The status of the daemon the options point at, when one is running.
pub fn daemon_status(global: &GlobalOpts) -> Option<DaemonStatus> {
    let daemon = running_daemon(global)?;
    let dir = daemon.runtime_dir().to_path_buf();
    crate::cli::watchdog::waiting_for(format!("fwctld's control socket in {}", dir.display()));
    let status = control_call(&dir, &ControlRequest::Status);
    Some(DaemonStatus { pid: status_pid(&dir), dir, status })
}
