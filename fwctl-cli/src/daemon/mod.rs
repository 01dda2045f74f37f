//! `fwctld`: the daemon that owns the devices, the policy, taint and audit, and
//! serves them over Unix sockets ([`fwctl_core::server`]).
//!
//! Start-up: parse arguments, load the configuration (built-in default when
//! `/etc/fwctl/fwctld.toml` does not exist), open the audit log and the taint
//! record in the state directory, install the policy, block the signals it handles
//! (so every thread inherits the mask), start the server, tell systemd it is ready.
//! Then one thread waits for signals: SIGHUP reloads the policy (a bad file keeps
//! the last good one) and reopens the audit log; SIGTERM/SIGINT shut down cleanly.

pub mod config;
pub mod drivers;
pub mod state;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use fwctl_core::Subsystem;
use fwctl_core::server::{DeviceSpec, Limits, Server, ServerConfig};
use fwctl_core::taint::Taint;
use fwctl_core::transport::daemon::default_runtime_dir;
use nix::sys::signal::{SigSet, Signal};

use config::Config;
use state::{AuditLog, DaemonAdmin, FileTaintStore};

/// Command line of `fwctld`.
#[derive(Debug, Parser)]
#[command(
    name = "fwctld",
    version,
    about = "fwctl daemon: serves fwctl devices over Unix sockets, enforcing policy, taint and audit"
)]
pub struct Args {
    /// Configuration file [default: /etc/fwctl/fwctld.toml, or one built-in simulated device if absent]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Policy file (overrides the configuration's `policy`)
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Directory of the device and control sockets [default: /run/fwctl for root, else $XDG_RUNTIME_DIR/fwctl]
    #[arg(long, value_name = "DIR")]
    pub runtime_dir: Option<PathBuf>,
    /// Directory of the taint record and the audit log [default: /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl]
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Directory relative plugin paths are resolved against
    #[arg(long, value_name = "DIR", default_value = "/usr/lib/fwctl/plugins")]
    pub plugin_dir: PathBuf,
}

/// The default state directory.
pub fn default_state_dir() -> PathBuf {
    if nix::unistd::geteuid().is_root() {
        return PathBuf::from("/var/lib/fwctl");
    }
    if let Some(d) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("fwctl");
    }
    match std::env::var_os("HOME") {
        Some(h) => PathBuf::from(h).join(".local/state/fwctl"),
        None => PathBuf::from("/var/lib/fwctl"),
    }
}

fn log(msg: &str) {
    eprintln!("fwctld: {msg}");
}

/// Tell systemd (Type=notify) that start-up finished.
fn notify_ready() {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr, UnixDatagram};
    let Some(path) = std::env::var_os("NOTIFY_SOCKET") else { return };
    let path = path.to_string_lossy().into_owned();
    let addr = match path.strip_prefix('@') {
        Some(abs) => SocketAddr::from_abstract_name(abs.as_bytes()),
        None => SocketAddr::from_pathname(&path),
    };
    if let (Ok(sock), Ok(addr)) = (UnixDatagram::unbound(), addr) {
        let _ = sock.send_to_addr(b"READY=1", &addr);
    }
}

fn limits(c: &config::LimitsConfig) -> Limits {
    let mut l = Limits::default();
    if let Some(n) = c.max_connections {
        l.max_connections = n;
    }
    if let Some(n) = c.max_inflight_bytes {
        // At least one maximal frame must fit, or large RPCs would wait forever.
        l.max_inflight_bytes = n.max(fwctl_core::server::wire::MAX_PAYLOAD);
    }
    if let Some(ms) = c.frame_timeout_ms {
        l.frame_timeout = Duration::from_millis(ms.max(1));
    }
    l
}

fn policy_loader(path: &Path) -> Result<state::PolicyLoader, String> {
    Err(format!(
        "policy {}: this fwctld was built without the policy engine; start it without --policy",
        path.display()
    ))
}

/// Run the daemon until SIGTERM/SIGINT. Returns the process exit code.
pub fn run(args: Args) -> i32 {
    match serve(args) {
        Ok(()) => 0,
        Err(msg) => {
            log(&msg);
            1
        }
    }
}

/// Raise the open-file limit to its hard maximum: each connection holds a socket
/// and a pidfd, and a thousand clients are an ordinary load.
fn raise_nofile() {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE)
        && soft < hard
        && let Err(e) = setrlimit(Resource::RLIMIT_NOFILE, hard, hard)
    {
        log(&format!("cannot raise the open-file limit from {soft} to {hard}: {e}"));
    }
}

fn serve(args: Args) -> Result<(), String> {
    raise_nofile();
    let config = Config::load(args.config.as_deref()).map_err(|e| e.to_string())?;
    let runtime_dir = args.runtime_dir.clone().unwrap_or_else(default_runtime_dir);
    let state_dir = args.state_dir.clone().unwrap_or_else(default_state_dir);
    std::fs::create_dir_all(&state_dir)
        .map_err(|e| format!("cannot create state directory {}: {e}", state_dir.display()))?;

    let specs = config
        .devices
        .iter()
        .map(|d| drivers::factory(d, &args.plugin_dir).map(|make| DeviceSpec { label: d.name.clone(), make }))
        .collect::<Result<Vec<_>, _>>()?;

    let taint = Arc::new(FileTaintStore::new(&state_dir));
    if let Some(rec) = taint.load() {
        log(&format!(
            "taint record present (first set by {}({}) uid {} on {}): TAINT_FWCTL stays set until cleared",
            rec.comm, rec.pid, rec.uid, rec.device
        ));
    }
    let subsystem = Subsystem::with_taint(Taint::new(taint.exists(), taint.clone()));
    let audit_path = state_dir.join("audit.log");
    let audit = Arc::new(
        AuditLog::open(&audit_path)
            .map_err(|e| format!("cannot open audit log {}: {e}", audit_path.display()))?,
    );
    let policy_path = args.policy.clone().or(config.policy.clone());
    let policy = match &policy_path {
        Some(p) => Some((p.clone(), policy_loader(p)?)),
        None => None,
    };
    let admin = Arc::new(DaemonAdmin { subsystem: subsystem.clone(), audit: audit.clone(), taint, policy });
    log(&admin.install()?);

    // Block the handled signals before any thread exists, so all inherit the mask
    // and only the sigwait below receives them.
    let mut signals = SigSet::empty();
    for s in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
        signals.add(s);
    }
    signals.thread_block().map_err(|e| format!("cannot block signals: {e}"))?;

    let mut sc = ServerConfig::new(&runtime_dir);
    sc.limits = limits(&config.limits);
    let server = Server::start(subsystem.clone(), sc, specs, admin.clone()).map_err(|e| e.to_string())?;
    let names: Vec<String> = subsystem.devices().iter().map(|d| d.view.name.clone()).collect();
    log(&format!("serving {} in {} (pid {})", names.join(", "), runtime_dir.display(), std::process::id()));
    notify_ready();

    loop {
        match signals.wait() {
            Ok(Signal::SIGHUP) => {
                match fwctl_core::server::Admin::reload_policy(&*admin) {
                    Ok(m) => log(&m),
                    Err(e) => log(&format!("SIGHUP: {e}")),
                }
                if let Err(e) = audit.reopen() {
                    log(&format!("SIGHUP: cannot reopen the audit log {}: {e}", audit_path.display()));
                }
            }
            Ok(sig) => {
                log(&format!("{sig}: shutting down"));
                break;
            }
            Err(e) => return Err(format!("waiting for signals: {e}")),
        }
    }
    server.shutdown();
    audit.write(serde_json::json!({"event": "shutdown"}), true);
    audit.flush();
    log("stopped");
    Ok(())
}
