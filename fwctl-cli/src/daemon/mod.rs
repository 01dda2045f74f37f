//! `fwctld`: the daemon that owns the devices, the policy, taint and audit, and
//! serves them over Unix sockets ([`fwctl_core::server`]).
//!
//! Start-up: parse arguments, load the configuration (built-in default when
//! `/etc/fwctl/fwctld.toml` does not exist), resolve the policy, state and audit
//! paths ([`fwctl_core::policy::paths`]), open the audit log
//! ([`fwctl_core::audit::AuditLog`]) and the taint record
//! ([`fwctl_core::taint_store::TaintRecordStore`]), load and install the policy
//! (the built-in default when the file does not exist; a bad file refuses to
//! start), block the signals it handles (so every thread inherits the mask), start
//! the server (a device whose plugin fails to load is logged and left out), tell
//! systemd it is ready. Then one thread waits for signals: SIGHUP reopens the
//! audit log and reloads the policy (a bad file is rejected with its
//! file:line:column and the last good policy stays); SIGTERM/SIGINT shut down
//! cleanly. How to run it: `Documentation/daemon.md`.

pub mod config;
pub mod devnodes;
pub mod drivers;
pub mod hosts;
pub mod state;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use fwctl_core::Subsystem;
use fwctl_core::audit::AuditLog;
use fwctl_core::policy::paths::{PathFlags, Paths};
use fwctl_core::server::{DeviceSpec, Limits, Server, ServerConfig};
use fwctl_core::taint_store::TaintRecordStore;
use fwctl_core::transport::daemon::default_runtime_dir;
use nix::sys::signal::{SigSet, Signal};

use config::Config;
use state::DaemonAdmin;

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
    /// Policy file (overrides the configuration's `policy` and $FWCTL_POLICY) [default: /etc/fwctl/policy.toml for root; the built-in default policy while it does not exist]
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Directory of the device and control sockets [default: /run/fwctl for root, else $XDG_RUNTIME_DIR/fwctl]
    #[arg(long, value_name = "DIR")]
    pub runtime_dir: Option<PathBuf>,
    /// Directory of the taint record and the audit log (overrides $FWCTL_STATE_DIR) [default: /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl]
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Audit log file (overrides $FWCTL_AUDIT_LOG) [default: audit.log in the state directory]
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
    /// Directory relative plugin paths are resolved against
    #[arg(long, value_name = "DIR", default_value = "/usr/lib/fwctl/plugins")]
    pub plugin_dir: PathBuf,
    /// Also serve each device as a node DIR/fwctlN over FUSE, for unmodified programs (root; `auto`: /dev/fwctl when root, /dev/fuse exists and the kernel has no fwctl devices) [default: the configuration's `dev_dir`, else none]
    #[arg(long, value_name = "DIR")]
    pub dev_dir: Option<PathBuf>,
    /// Permission bits of the device nodes, octal [default: 0600, as the kernel's]
    #[arg(long, value_name = "MODE", value_parser = devnodes::parse_mode)]
    pub dev_mode: Option<u32>,
    /// Group (name or gid) owning the device nodes [default: the daemon's, root]
    #[arg(long, value_name = "GROUP")]
    pub dev_group: Option<String>,
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
    if let Some(n) = c.max_connections_per_uid {
        l.max_connections_per_uid = n;
    }
    if let Some(n) = c.root_reserve {
        l.root_reserve = n;
    }
    if let Some(n) = c.max_inflight_bytes_per_uid {
        l.max_inflight_bytes_per_uid = n;
    }
    if let Some(n) = c.inflight_root_reserve {
        l.inflight_root_reserve = n;
    }
    if let Some(us) = c.busy_poll_us {
        // At most a millisecond: the poll is for a client in a loop.
        l.busy_poll = Duration::from_micros(us.min(1000));
    }
    l
}

/// Set when `run` returns: an `exit()` before that is not ours.
static LEAVING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Exit status when something in the process (a plugin) called `exit()` while
/// the daemon was serving (`EX_SOFTWARE`): never 0, so a supervisor restarts it.
pub const EXIT_FOREIGN: i32 = 70;

/// The `atexit` hook: an `exit()` that did not come from [`run`] returning
/// (review finding C3: a plugin calling `exit(0)` ended fwctld with status 0).
extern "C" fn on_foreign_exit() {
    if !LEAVING.load(std::sync::atomic::Ordering::SeqCst) {
        let msg = b"fwctld: exit() called while serving (by a plugin?): exiting with status 70\n";
        #[allow(unsafe_code)]
        // SAFETY: write(2) to stderr with a static buffer and its length, then
        // _exit(2): both async-signal-safe, no Rust state touched.
        unsafe {
            nix::libc::write(2, msg.as_ptr().cast(), msg.len());
            nix::libc::_exit(EXIT_FOREIGN);
        }
    }
}

/// Exit status when SIGTERM could not finish within `shutdown_timeout_ms` (a
/// call into an in-process plugin that never returns): `EX_TEMPFAIL`.
pub const EXIT_STUCK: i32 = 75;

/// Default bound of a SIGTERM, in milliseconds.
pub const DEFAULT_SHUTDOWN_TIMEOUT_MS: u64 = 10_000;

/// Default deadline of one call into a plugin host, in milliseconds.
pub const DEFAULT_CALL_TIMEOUT_MS: u64 = 30_000;

/// Default first restart delay of a dead plugin host, in milliseconds.
pub const DEFAULT_RESTART_BACKOFF_MS: u64 = 500;

/// Default longest restart delay of a dead plugin host, in milliseconds.
pub const DEFAULT_RESTART_BACKOFF_MAX_MS: u64 = 60_000;

/// Run the daemon until SIGTERM/SIGINT. Returns the process exit code.
pub fn run(args: Args) -> i32 {
    #[allow(unsafe_code)]
    // SAFETY: atexit takes a plain `extern "C" fn()` with no captured state.
    let _ = unsafe { nix::libc::atexit(on_foreign_exit) };
    let code = match serve(args) {
        Ok(()) => 0,
        Err(msg) => {
            log(&msg);
            1
        }
    };
    LEAVING.store(true, std::sync::atomic::Ordering::SeqCst);
    code
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
    // Block the handled signals before any thread exists (the audit writer,
    // plugin hosts' readers, acceptors, connections), so all inherit the mask
    // and only the sigwait below receives them. A thread that did not block
    // them would take a SIGTERM with the default action whenever the main
    // thread is not in that sigwait (starting up, reloading): the process
    // killed, not shut down.
    let mut signals = SigSet::empty();
    for s in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
        signals.add(s);
    }
    signals.thread_block().map_err(|e| format!("cannot block signals: {e}"))?;
    raise_nofile();
    let config = Config::load(args.config.as_deref()).map_err(|e| e.to_string())?;
    let runtime_dir = args.runtime_dir.clone().unwrap_or_else(default_runtime_dir);
    let paths = Paths::resolve(&PathFlags {
        policy: args.policy.clone().or(config.policy.clone()),
        state_dir: args.state_dir.clone(),
        audit_log: args.audit_log.clone(),
    });

    let ms = |v: Option<u64>, default: u64| Duration::from_millis(v.unwrap_or(default).max(1));
    let (on_exit, host_exits) = hosts::channel();
    let host_table = Arc::new(hosts::HostTable::default());
    let hosting = drivers::Hosting {
        options: fwctl_core::plugin::remote::HostOptions::this_program(
            "",
            ms(config.plugins.call_timeout_ms, DEFAULT_CALL_TIMEOUT_MS),
            false,
        ),
        on_exit: Some(on_exit),
        table: Some(host_table.clone()),
    };
    let backoff = hosts::Backoff {
        initial: ms(config.plugins.restart_backoff_ms, DEFAULT_RESTART_BACKOFF_MS),
        max: ms(config.plugins.restart_backoff_max_ms, DEFAULT_RESTART_BACKOFF_MAX_MS),
    };
    let shutdown_bound = ms(config.limits.shutdown_timeout_ms, DEFAULT_SHUTDOWN_TIMEOUT_MS);
    let specs = config
        .devices
        .iter()
        .map(|d| {
            drivers::factory_with(d, &args.plugin_dir, &hosting)
                .map(|make| DeviceSpec { label: d.name.clone(), make })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;

    let taint = Arc::new(TaintRecordStore::open(&paths.state_dir).map_err(|e| e.to_string())?);
    match taint.load() {
        Ok(Some(rec)) => log(&format!(
            "taint record present (first set by {}({}) uid {} on {}): TAINT_FWCTL stays set until cleared",
            rec.comm, rec.pid, rec.uid, rec.device
        )),
        Ok(None) => {}
        Err(e) => log(&format!("{e}: TAINT_FWCTL stays set until cleared")),
    }
    let subsystem = Subsystem::with_taint(taint.taint());
    // The level is the policy's; it is set when the policy is installed below.
    let audit = Arc::new(
        AuditLog::open(&paths.audit_log, fwctl_core::audit::AuditLevel::default())
            .map_err(|e| e.to_string())?,
    );
    // RPC lines that need no sync are written by a thread of their own, in
    // batches (`AuditLog::start_writer`); without it, each connection thread
    // writes its line after its reply.
    let audit_writer = audit
        .start_writer()
        .inspect_err(|e| log(&format!("audit: no background writer ({e}); connection threads write")))
        .ok();
    let admin = Arc::new(DaemonAdmin::new(subsystem.clone(), audit, taint, paths.policy.clone()));
    log(&admin.load_policy().map_err(|e| format!("cannot start: {e}"))?);

    let mut sc = ServerConfig::new(&runtime_dir);
    sc.limits = limits(&config.limits);
    let server =
        Arc::new(Server::start(subsystem.clone(), sc, specs, admin.clone()).map_err(|e| e.to_string())?);
    admin.set_plugin_hosts(host_table.clone());
    let mut supervisor =
        hosts::Supervisor::start(server.clone(), admin.clone(), host_exits, backoff, host_table);
    let names: Vec<String> = subsystem.devices().iter().map(|d| d.view.name.clone()).collect();
    let dev_settings = devnodes::DevSettings {
        dir: args.dev_dir.clone().or(config.dev_dir.clone()),
        mode: args.dev_mode.or(config.dev_mode),
        group: args.dev_group.clone().or(config.dev_group.clone()),
    };
    let mut notes = Vec::new();
    let dev_nodes = match devnodes::start(&subsystem, &dev_settings, &mut notes) {
        Ok(n) => n,
        Err(e) => {
            server.shutdown();
            return Err(format!("cannot start: {e}"));
        }
    };
    notes.iter().for_each(|n| log(n));
    log(&format!("serving {} in {} (pid {})", names.join(", "), runtime_dir.display(), std::process::id()));
    notify_ready();
    // Once a second: write audit records kept while the log could not be
    // written (the disk freed up), and the ended refusal windows' summaries.
    let ticker_stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ticker = {
        let (admin, stop) = (admin.clone(), ticker_stop.clone());
        std::thread::Builder::new().name("audit-tick".into()).spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Acquire) {
                std::thread::park_timeout(Duration::from_secs(1));
                admin.audit_tick();
            }
        })
    };

    loop {
        match signals.wait() {
            Ok(Signal::SIGHUP) => {
                // Reopen first, so the reload's own audit line lands in the new file.
                if let Err(e) = admin.reopen_audit() {
                    log(&format!("SIGHUP: cannot reopen the audit log: {e}"));
                }
                match admin.load_policy() {
                    Ok(m) => log(&format!("SIGHUP: {m}")),
                    Err(e) => log(&format!("SIGHUP: {e}")),
                }
            }
            Ok(sig) => {
                log(&format!("{sig}: shutting down"));
                break;
            }
            Err(e) => return Err(format!("waiting for signals: {e}")),
        }
    }
    ticker_stop.store(true, std::sync::atomic::Ordering::Release);
    if let Ok(t) = ticker {
        t.thread().unpark();
        let _ = t.join();
    }
    supervisor.stop();
    bounded_shutdown(server, dev_nodes, &admin, shutdown_bound);
    admin.record_shutdown();
    drop(audit_writer);
    log("stopped");
    Ok(())
}

/// Shut down within `bound` whatever the plugins do (review D4): the orderly
/// shutdown runs on its own thread; after half the bound, plugin hosts still
/// busy are killed (their calls answer `ENODEV` at once); at the bound, a call
/// stuck in an in-process plugin is abandoned: fwctld logs it, audits it and
/// exits with [`EXIT_STUCK`] without waiting for it.
fn bounded_shutdown(
    server: Arc<Server>,
    dev_nodes: Option<fwctl_fuse::DevNodes>,
    admin: &DaemonAdmin,
    bound: Duration,
) {
    let started = std::time::Instant::now();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let orderly = move || {
        // Unmount first: open node handles are closed before the devices go away.
        drop(dev_nodes);
        server.shutdown();
        let _ = done_tx.send(());
    };
    if let Err(e) = std::thread::Builder::new().name("shutdown".into()).spawn(orderly) {
        log(&format!("cannot start the shutdown thread: {e}"));
        return;
    }
    if done_rx.recv_timeout(bound / 2).is_ok() {
        return;
    }
    let killed = fwctl_core::plugin::remote::kill_all("killed at shutdown: its calls did not finish in time");
    log(&format!(
        "shutdown: calls still running after {} ms; killed {killed} plugin host(s)",
        started.elapsed().as_millis()
    ));
    if done_rx.recv_timeout(bound.saturating_sub(started.elapsed())).is_ok() {
        return;
    }
    let msg = format!(
        "shutdown did not finish within {} ms (a call into an in-process plugin never returned): exiting with status {EXIT_STUCK}",
        bound.as_millis()
    );
    log(&msg);
    admin.record_shutdown_error(&msg);
    LEAVING.store(true, std::sync::atomic::Ordering::SeqCst);
    // Not exit(): atexit handlers and destructors would wait for the stuck thread.
    #[allow(unsafe_code)]
    // SAFETY: _exit(2) ends the process at once; nothing is touched afterwards.
    unsafe {
        nix::libc::_exit(EXIT_STUCK)
    };
}
