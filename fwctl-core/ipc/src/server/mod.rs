//! The daemon side of the privilege boundary (DESIGN.md §3): one Unix stream
//! socket per device at `<runtime-dir>/fwctlN`, one open [`Handle`](fwctl_subsys::Handle) per
//! connection, the caller's identity from the operating system ([`peer`]), and a
//! root-only control socket.
//!
//! The wire protocol ([`wire`]) is the ioctl itself; the server rebuilds the
//! caller's memory from the request ([`memory`]) and runs the core's dispatcher,
//! so every errno is the kernel's.
//!
//! Threads, not an async runtime: an accept thread per socket and a thread per
//! connection, bounded by [`Limits::max_connections`]; payload buffers are
//! bounded all together by [`Limits::max_inflight_bytes`]. A connection that
//! sends garbage gets an error frame and is closed; one that stalls in the middle
//! of a frame is closed after [`Limits::frame_timeout`]; an idle connection (an
//! open file nobody uses) costs one sleeping thread.
//!
//! The runtime directory is created 0755 whatever the umask, and refused when it
//! exists but is not owned by the daemon's user or is writable by group or
//! others ([`fwctl_os::TrustedDir`]); every file in it is written relative to its
//! descriptor, never through a symbolic link. `fwctld.lock` in it is held
//! (`flock`) for the server's life: a second server on the same directory is
//! refused with "already running (pid N)" before it touches any socket.
//!
//! Runtime directory contents:
//! - `fwctlN`: device sockets (mode [`ServerConfig::device_socket_mode`]);
//! - `control`: the control socket (mode 0600, peers other than root refused);
//! - `query`: the query socket (mode 0666): a caller's own rights and the
//!   daemon's identity, never another user's ([`query`]);
//! - `devices.json`: the device list and taint state for clients (the analogue
//!   of `/sys/class/fwctl`), rewritten atomically on every change.

mod conn;
mod control;
mod error;
mod limits;
pub mod memory;
pub mod peer;
pub mod query;
pub mod speculate;
pub mod wire;

use std::collections::HashMap;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use limits::Budget;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thiserror::Error;

use fwctl_subsys::creds::Credentials;
use fwctl_subsys::driver::{Driver, RpcDescription};
use fwctl_subsys::subsystem::{DeviceView, Subsystem};
use fwctl_subsys::sync::lock;
use fwctl_uapi::RpcScope;

pub use control::{ControlRequest, control_call};
pub use error::{AdminError, BadRequest, CallError, DriverBuildError};
pub use query::{QueryRequest, query_call};

/// What an accepted connection is for.
#[derive(Debug, Clone, Copy)]
enum Accept {
    /// A device socket: one open file of this minor.
    Device(u32),
    /// The root-only control socket.
    Control,
    /// The query socket (anyone; answers about the caller only).
    Query,
}

/// Name of the control socket inside the runtime directory.
pub const CONTROL_SOCKET: &str = "control";
/// Name of the query socket inside the runtime directory: any local user may
/// ask about their own rights ([`query`]).
pub const QUERY_SOCKET: &str = "query";
/// Name of the single-instance lock file inside the runtime directory.
pub const LOCK_FILE: &str = "fwctld.lock";
/// Name of the device list inside the runtime directory.
pub const STATUS_FILE: &str = "devices.json";

/// Resource bounds of a server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open connections over all device sockets; one more is refused with an error frame.
    pub max_connections: usize,
    /// Payload bytes being received or processed at once over all connections.
    pub max_inflight_bytes: usize,
    /// Longest a client may take to send the rest of a frame it started.
    pub frame_timeout: Duration,
    /// Longest a reply may wait for a client that does not read.
    pub write_timeout: Duration,
    /// Stack size of connection threads.
    pub thread_stack: usize,
    /// Open device connections one non-root uid may hold (D2: no user can take
    /// every connection, or every driver context, from the others).
    pub max_connections_per_uid: usize,
    /// Connections of [`Limits::max_connections`] only root may use: root can
    /// always connect to clear a situation.
    pub root_reserve: usize,
    /// In-flight payload bytes of one non-root uid over all its connections
    /// (at least one maximal frame).
    pub max_inflight_bytes_per_uid: usize,
    /// Bytes of [`Limits::max_inflight_bytes`] only root's frames may use.
    pub inflight_root_reserve: usize,
    /// After a connection thread has answered a frame, how long it keeps
    /// polling its socket, yielding the CPU between polls to any other thread
    /// that wants it, before it goes to sleep waiting for the next frame
    /// (`Duration::ZERO`: never). A client that sends its next request within
    /// this window finds the thread awake, which spares the wake-up of a
    /// sleeping thread: on a virtual machine an inter-processor interrupt
    /// and a halted vCPU brought back by the host, several microseconds of
    /// every round trip. Adaptive per connection: one whose last request came
    /// later than the window does not poll until a request comes within it
    /// again, so a connection used now and then costs at most one window
    /// ([`fwctl_os::busy_poll`]).
    pub busy_poll: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 4096,
            max_inflight_bytes: 64 * 1024 * 1024,
            frame_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            thread_stack: 256 * 1024,
            max_connections_per_uid: 256,
            root_reserve: 16,
            max_inflight_bytes_per_uid: 16 * 1024 * 1024,
            inflight_root_reserve: 4 * 1024 * 1024,
            busy_poll: Duration::from_micros(50),
        }
    }
}

/// Where and how a server listens.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The runtime directory (created if missing).
    pub runtime_dir: PathBuf,
    /// Resource bounds.
    pub limits: Limits,
    /// Permission bits of device sockets. Access control is the policy's job, so
    /// the default lets everyone connect (0666), as a policy-less kernel would not.
    pub device_socket_mode: u32,
}

impl ServerConfig {
    /// Defaults for `runtime_dir`.
    pub fn new(runtime_dir: impl Into<PathBuf>) -> Self {
        ServerConfig { runtime_dir: runtime_dir.into(), limits: Limits::default(), device_socket_mode: 0o666 }
    }
}

/// Builds the drivers of one configured entry (a plugin may create several
/// devices from one entry); called at start and for every hot-plug.
pub type DriverFactory = Arc<dyn Fn() -> Result<Vec<Arc<dyn Driver>>, DriverBuildError> + Send + Sync>;

/// A device the server brings up, by configuration label.
#[derive(Clone)]
pub struct DeviceSpec {
    /// The configuration's name for the device (used by the `plug` verb).
    pub label: String,
    /// How to build its driver.
    pub make: DriverFactory,
}

impl std::fmt::Debug for DeviceSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceSpec").field("label", &self.label).finish()
    }
}

/// The daemon-level services the control verbs reach beyond the subsystem:
/// policy reload, persisted taint and the audit of control actions.
pub trait Admin: Send + Sync {
    /// Reload the policy; `Ok(summary)` or the reason the new one was rejected
    /// (the last good policy stays installed).
    fn reload_policy(&self) -> Result<String, AdminError>;
    /// Clear the taint record with a reason.
    fn clear_taint(&self, reason: &str, by: &Credentials) -> Result<(), AdminError>;
    /// Record a control verb and its outcome in the audit log.
    fn record_control(&self, by: &Credentials, request: &Value, outcome: &Result<Value, AdminError>);
    /// Extra fields for the `status` verb.
    fn status(&self) -> Value {
        Value::Null
    }
    /// What any local user may know about the policy in force, for the query
    /// socket's `hello` verb (`fwctl --version`): its source and load time.
    fn public_status(&self) -> Value {
        Value::Null
    }
    /// The rights of `creds` under the installed policy (`fwctl policy show
    /// --me`): the rules naming them and, per device in `devices`, whether they
    /// may open it. Nothing about rules that do not name them.
    fn rights(&self, _creds: &Credentials, _devices: &[DeviceView]) -> Result<Value, AdminError> {
        Err(AdminError::NoPolicy)
    }
    /// The installed policy's answer for `creds` on `device` (`fwctl policy
    /// explain` against the daemon): a serialized explanation.
    fn explain(
        &self,
        _creds: &Credentials,
        _device: &DeviceView,
        _scope: Option<RpcScope>,
        _description: Option<&RpcDescription>,
    ) -> Result<Value, AdminError> {
        Err(AdminError::NoPolicy)
    }
}

/// An [`Admin`] with no policy and no audit: reload is refused, taint clears in memory.
#[derive(Debug)]
pub struct NoAdmin {
    subsystem: Subsystem,
}

impl NoAdmin {
    /// Administer `subsystem`'s taint only.
    pub fn new(subsystem: Subsystem) -> Self {
        NoAdmin { subsystem }
    }
}

impl Admin for NoAdmin {
    fn reload_policy(&self) -> Result<String, AdminError> {
        Err(AdminError::NoPolicyFile)
    }
    fn clear_taint(&self, _reason: &str, _by: &Credentials) -> Result<(), AdminError> {
        self.subsystem.taint().clear();
        Ok(())
    }
    fn record_control(&self, _by: &Credentials, _request: &Value, _outcome: &Result<Value, AdminError>) {}
}

/// Why a server could not start or a device could not be added.
#[derive(Debug, Error)]
pub enum ServerError {
    /// A filesystem or socket operation failed.
    #[error("{what} {path}: {err}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// On which path.
        path: PathBuf,
        /// The error.
        err: io::Error,
    },
    /// The runtime directory is unsafe, or another server holds it.
    #[error(transparent)]
    Dir(#[from] fwctl_os::OsError),
    /// A driver could not be built or registered.
    #[error("device '{label}': {why}")]
    Device {
        /// The configuration label.
        label: String,
        /// What went wrong.
        why: String,
    },
}

fn io_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> ServerError + 'a {
    move |err| ServerError::Io { what, path: path.to_path_buf(), err }
}

/// A listening socket and its accept thread.
struct Listener {
    path: PathBuf,
    /// A second descriptor of the listening socket, to wake its `accept` by
    /// `shutdown` even when the socket file was deleted (D6).
    wake: Option<UnixListener>,
    label: String,
    closing: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Refusals counted but not logged yet, and when the last line was written.
type RefusalBurst = (u64, Option<Instant>);

/// What a logged refusal refused (each kind has its own bursts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Refused {
    /// A connection, over a connection limit.
    Connection,
    /// A frame, whose bytes the in-flight budget could not hold in time.
    Frame,
}

pub(crate) struct Shared {
    subsystem: Subsystem,
    /// The runtime directory, checked once and used through its descriptor.
    dir: fwctl_os::TrustedDir,
    /// `fwctld.lock`, held for the server's life.
    _lock: nix::fcntl::Flock<std::fs::File>,
    config: ServerConfig,
    specs: Vec<DeviceSpec>,
    admin: Arc<dyn Admin>,
    stopping: AtomicBool,
    listeners: Mutex<HashMap<u32, Listener>>,
    control: Mutex<Option<Listener>>,
    /// The query socket's acceptor.
    query: Mutex<Option<Listener>>,
    /// Open device connections (a clone of each stream, to shut them down).
    conns: Mutex<HashMap<u64, UnixStream>>,
    active: Mutex<usize>,
    /// Open device connections per uid.
    per_uid: Mutex<HashMap<u32, usize>>,
    /// Refusals not yet logged, per uid and kind of refusal, and when the last
    /// line was written (one line per burst, D2/C5).
    refusal_log: Mutex<HashMap<(u32, Refused), RefusalBurst>>,
    idle: Condvar,
    budget: Budget,
    next_conn: AtomicU64,
    published_taint: AtomicBool,
    /// Failed devices (e.g. of a misbehaving plugin) when `devices.json` was written.
    published_failed: AtomicUsize,
    /// Configured devices that could not be brought up at start: (label, why).
    unavailable: Mutex<Vec<(String, String)>>,
    /// The numbers each configured entry's devices had when last plugged: a
    /// `replug` (a restarted plugin host) gives them the same `fwctlN` again.
    numbers: Mutex<HashMap<String, Vec<u32>>>,
    rpcs: AtomicU64,
    /// Device frames inside the dispatcher now (the status verb's `in_flight`):
    /// tests wait on it instead of sleeping.
    in_flight: AtomicU64,
    refused: AtomicU64,
    started: Instant,
    /// Serialises device-set changes (plug, unplug, shutdown).
    topology: Mutex<()>,
    /// Serialises writers of `devices.json` (they share its temporary file).
    publishing: Mutex<()>,
}

/// A running daemon server. Dropping it shuts it down.
pub struct Server {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("runtime_dir", &self.shared.config.runtime_dir).finish()
    }
}

impl Server {
    /// Bring up every device of `specs` on `subsystem`, create their sockets and the
    /// control socket under `config.runtime_dir`, and start serving.
    ///
    /// A device whose driver cannot be built (a plugin that fails to load or
    /// probe) is logged with its label and left out; the others are served, the
    /// `status` verb lists it under `unavailable`, and `plug LABEL` retries it.
    /// Only a failure of the server itself (directory, sockets) is an error.
    pub fn start(
        subsystem: Subsystem,
        config: ServerConfig,
        specs: Vec<DeviceSpec>,
        admin: Arc<dyn Admin>,
    ) -> Result<Server, ServerError> {
        let dir = config.runtime_dir.clone();
        let trusted = fwctl_os::TrustedDir::ensure(&dir, 0o755, "runtime directory")?;
        let instance = trusted.lock(LOCK_FILE)?;
        let budget = Budget::new(&config.limits);
        let shared = Arc::new(Shared {
            subsystem,
            dir: trusted,
            _lock: instance,
            config,
            specs,
            admin,
            stopping: AtomicBool::new(false),
            listeners: Mutex::new(HashMap::new()),
            control: Mutex::new(None),
            query: Mutex::new(None),
            conns: Mutex::new(HashMap::new()),
            active: Mutex::new(0),
            per_uid: Mutex::new(HashMap::new()),
            refusal_log: Mutex::new(HashMap::new()),
            idle: Condvar::new(),
            budget,
            next_conn: AtomicU64::new(1),
            published_taint: AtomicBool::new(false),
            published_failed: AtomicUsize::new(0),
            unavailable: Mutex::new(Vec::new()),
            numbers: Mutex::new(HashMap::new()),
            rpcs: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            started: Instant::now(),
            topology: Mutex::new(()),
            publishing: Mutex::new(()),
        });
        let server = Server { shared: shared.clone() };
        for spec in shared.specs.clone() {
            match shared.plug(&spec, false) {
                Ok(names) => shared.log(&format!("device '{}': {}", spec.label, names.join(", "))),
                Err(e @ ServerError::Device { .. }) => {
                    shared.log(&format!("{e}; serving the other devices"));
                    lock(&shared.unavailable).push((spec.label.clone(), e.to_string()));
                }
                Err(e) => return Err(e),
            }
        }
        let path = dir.join(CONTROL_SOCKET);
        let listener = bind(&path, 0o600)?;
        let l = shared.spawn_acceptor(listener, path, "control".into(), Accept::Control);
        *lock(&shared.control) = Some(l);
        let path = dir.join(QUERY_SOCKET);
        let listener = bind(&path, 0o666)?;
        let l = shared.spawn_acceptor(listener, path, "query".into(), Accept::Query);
        *lock(&shared.query) = Some(l);
        shared.publish();
        Ok(server)
    }

    /// The subsystem being served.
    pub fn subsystem(&self) -> &Subsystem {
        &self.shared.subsystem
    }

    /// The runtime directory.
    pub fn runtime_dir(&self) -> &Path {
        &self.shared.config.runtime_dir
    }

    /// Hot-unplug a device by name (open handles then see `ENODEV`).
    pub fn unplug(&self, name: &str) -> Result<(), AdminError> {
        self.shared.unplug(name)
    }

    /// Hot-unplug every device of the configured entry `label` (e.g. its plugin
    /// host died) and list the entry as unavailable with `why` until it is
    /// plugged again; returns the names unplugged.
    pub fn unplug_label(&self, label: &str, why: &str) -> Vec<String> {
        self.shared.unplug_label(label, why)
    }

    /// Hot-plug the configured device `label`; returns its new name.
    pub fn plug(&self, label: &str) -> Result<String, AdminError> {
        self.shared.plug_label(label, false)
    }

    /// [`plug`](Self::plug) an entry that is coming back (its plugin host was
    /// restarted): its devices get the numbers they had when it was last
    /// plugged, where no registered device has them (a removed device still
    /// held by open handles does not count), so scripts and device nodes find
    /// them again. A `plug` verb gives the lowest free numbers, as the kernel.
    pub fn replug(&self, label: &str) -> Result<String, AdminError> {
        self.shared.plug_label(label, true)
    }

    /// Rewrite `devices.json` (e.g. after the taint flag was cleared).
    pub fn publish(&self) {
        self.shared.publish();
    }

    /// Clean shutdown: stop accepting, let in-flight RPCs finish and reply, close
    /// every connection (and so every handle, exactly once), unregister devices,
    /// remove the sockets. Idempotent.
    pub fn shutdown(&self) {
        self.shared.shutdown();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.shutdown();
    }
}

/// Create a listening socket at `path` with permission bits `mode`, replacing a
/// stale socket but never any other kind of file.
fn bind(path: &Path, mode: u32) -> Result<UnixListener, ServerError> {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_socket() {
            return Err(ServerError::Io {
                what: "refusing to replace non-socket",
                path: path.to_path_buf(),
                err: io::Error::new(io::ErrorKind::AlreadyExists, "exists and is not a socket"),
            });
        }
        std::fs::remove_file(path).map_err(io_err("cannot remove stale socket", path))?;
    }
    let l = UnixListener::bind(path).map_err(io_err("cannot bind", path))?;
    // Accepted sockets inherit SO_PASSCRED: from the moment a client connects,
    // the kernel stamps every message with its sender's credentials (peer.rs).
    nix::sys::socket::setsockopt(&l, nix::sys::socket::sockopt::PassCred, &true).map_err(|e| {
        ServerError::Io { what: "cannot set SO_PASSCRED on", path: path.to_path_buf(), err: e.into() }
    })?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(io_err("cannot set permissions of", path))?;
    Ok(l)
}

/// A registered connection; unregisters it on drop.
pub(crate) struct ConnGuard<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for ConnGuard<'_> {
    fn drop(&mut self) {
        lock(&self.shared.conns).remove(&self.id);
    }
}

/// Counts a connection as active (overall and for its uid) for its lifetime.
struct Active<'a>(&'a Shared, u32);

impl Drop for Active<'_> {
    fn drop(&mut self) {
        self.0.release_slot(self.1);
    }
}

impl Shared {
    fn log(&self, msg: &str) {
        eprintln!("fwctld: {msg}");
    }

    fn spawn_acceptor(
        self: &Arc<Self>,
        listener: UnixListener,
        path: PathBuf,
        label: String,
        minor: Accept,
    ) -> Listener {
        let closing = Arc::new(AtomicBool::new(false));
        let flag = closing.clone();
        let wake = listener.try_clone().ok();
        let shared = self.clone();
        let thread = std::thread::Builder::new()
            .name(format!("accept-{label}"))
            .stack_size(self.config.limits.thread_stack)
            .spawn(move || shared.accept_loop(listener, minor, &flag))
            .ok();
        if thread.is_none() {
            self.log(&format!("cannot start the accept thread for {}", path.display()));
        }
        Listener { path, wake, label, closing, thread }
    }

    fn accept_loop(self: Arc<Self>, listener: UnixListener, minor: Accept, closing: &AtomicBool) {
        loop {
            let stream = match listener.accept() {
                Ok((s, _)) => s,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    if closing.load(Ordering::Acquire) {
                        return;
                    }
                    // EMFILE and friends: back off instead of spinning.
                    self.log(&format!("accept failed: {e}"));
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            if closing.load(Ordering::Acquire) {
                return;
            }
            match minor {
                Accept::Device(minor) => self.admit(stream, minor),
                Accept::Control => self.spawn_control(stream),
                Accept::Query => self.admit_query(stream),
            }
        }
    }

    /// Give back a connection slot of `uid`.
    fn release_slot(&self, uid: u32) {
        {
            let mut per = lock(&self.per_uid);
            if let Some(c) = per.get_mut(&uid) {
                *c = c.saturating_sub(1);
                if *c == 0 {
                    per.remove(&uid);
                }
            }
        }
        let mut n = lock(&self.active);
        *n = n.saturating_sub(1);
        self.idle.notify_all();
    }

    /// Log a refusal of `uid`, once per burst and kind: the first refusal is
    /// logged, later ones within 10 s are counted and summarised with the next
    /// line.
    pub(super) fn log_refusal(&self, uid: u32, what: Refused, why: &str) {
        const BURST: Duration = Duration::from_secs(10);
        let mut map = lock(&self.refusal_log);
        let e = map.entry((uid, what)).or_insert((0, None));
        match e.1 {
            Some(t) if t.elapsed() < BURST => e.0 += 1,
            _ => {
                let suppressed = std::mem::take(&mut e.0);
                e.1 = Some(Instant::now());
                drop(map);
                let more = if suppressed > 0 {
                    format!(" ({suppressed} more refused before)")
                } else {
                    String::new()
                };
                let what = match what {
                    Refused::Connection => "a connection",
                    Refused::Frame => "a frame",
                };
                self.log(&format!("refused {what} of uid {uid}: {why}{more}"));
            }
        }
    }

    /// Start serving an accepted device connection, within the connection
    /// limits ([`Shared::take_slot`]).
    fn admit(self: &Arc<Self>, stream: UnixStream, minor: u32) {
        let Some(uid) = self.take_slot(&stream) else { return };
        let shared = self.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("fwctl{minor}-conn"))
            .stack_size(self.config.limits.thread_stack)
            .spawn(move || {
                let _active = Active(&shared, uid);
                conn::serve(&shared, stream, minor);
            });
        if let Err(e) = spawned {
            self.log(&format!("cannot start a connection thread: {e}"));
            self.release_slot(uid);
        }
    }

    /// Serve an accepted query-socket connection, within the same limits as a
    /// device connection: anyone may connect, so it must not cost more.
    fn admit_query(self: &Arc<Self>, stream: UnixStream) {
        let Some(uid) = self.take_slot(&stream) else { return };
        let shared = self.clone();
        let spawned = std::thread::Builder::new()
            .name("query-conn".into())
            .stack_size(self.config.limits.thread_stack)
            .spawn(move || {
                let _active = Active(&shared, uid);
                query::serve(&shared, stream);
            });
        if let Err(e) = spawned {
            self.log(&format!("cannot start a query thread: {e}"));
            self.release_slot(uid);
        }
    }

    /// Count a new connection against the limits: overall, per uid (root
    /// exempt), and the last [`Limits::root_reserve`] slots for root only.
    /// `Some(uid)` holds a slot (give it back with [`Shared::release_slot`]);
    /// `None` means the peer got an error frame and the connection is dropped.
    fn take_slot(&self, stream: &UnixStream) -> Option<u32> {
        let limits = &self.config.limits;
        // SO_PEERCRED is the connect-time identity; a refusal needs no more.
        let uid = nix::sys::socket::getsockopt(&stream, nix::sys::socket::sockopt::PeerCredentials)
            .map_or(u32::MAX, |c| c.uid());
        let refusal = {
            let mut n = lock(&self.active);
            let mut per = lock(&self.per_uid);
            let mine = per.get(&uid).copied().unwrap_or(0);
            if self.stopping.load(Ordering::Acquire) {
                Some("fwctld is shutting down".to_string())
            } else if *n >= limits.max_connections {
                Some(format!("too many connections (limit {})", limits.max_connections))
            } else if uid != 0 && *n >= limits.max_connections.saturating_sub(limits.root_reserve) {
                Some(format!(
                    "too many connections (the last {} of {} are reserved for root)",
                    limits.root_reserve, limits.max_connections
                ))
            } else if uid != 0 && mine >= limits.max_connections_per_uid {
                Some(format!(
                    "too many connections from uid {uid} (limit {} per user)",
                    limits.max_connections_per_uid
                ))
            } else {
                *n += 1;
                *per.entry(uid).or_insert(0) += 1;
                None
            }
        };
        if let Some(why) = refusal {
            self.refused.fetch_add(1, Ordering::Relaxed);
            self.log_refusal(uid, Refused::Connection, &why);
            let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
            let _ = wire::write_frame(&mut &*stream, wire::Kind::Error, why.as_bytes());
            return None;
        }
        Some(uid)
    }

    fn spawn_control(self: &Arc<Self>, stream: UnixStream) {
        let shared = self.clone();
        let spawned = std::thread::Builder::new()
            .name("control-conn".into())
            .stack_size(self.config.limits.thread_stack)
            .spawn(move || control::serve(&shared, stream));
        if let Err(e) = spawned {
            self.log(&format!("cannot start a control thread: {e}"));
        }
    }

    /// Register a connection for shutdown; unregistered when the returned guard
    /// drops, also when the connection thread unwinds (no stream clone, and so no
    /// fd, outlives its connection).
    fn register_conn(&self, stream: &UnixStream) -> Option<ConnGuard<'_>> {
        let id = self.next_conn.fetch_add(1, Ordering::Relaxed);
        let clone = stream.try_clone().ok()?;
        lock(&self.conns).insert(id, clone);
        // A shutdown that started before we registered would miss us.
        if self.stopping.load(Ordering::Acquire) {
            let _ = stream.shutdown(std::net::Shutdown::Read);
        }
        Some(ConnGuard { shared: self, id })
    }

    /// Build the drivers of `spec`, register them and open their sockets; returns
    /// the new device names. All or nothing: on failure nothing stays registered.
    fn plug(self: &Arc<Self>, spec: &DeviceSpec, keep_numbers: bool) -> Result<Vec<String>, ServerError> {
        let dev_err = |why: String| ServerError::Device { label: spec.label.clone(), why };
        let drivers = (spec.make)().map_err(|e| dev_err(e.to_string()))?;
        if drivers.is_empty() {
            return Err(dev_err("the driver created no device".into()));
        }
        let mut plugged: Vec<(u32, Listener)> = Vec::new();
        let undo = |plugged: Vec<(u32, Listener)>| {
            for (minor, l) in plugged {
                self.close_listener(l);
                let _ = self.subsystem.unregister(minor);
            }
        };
        let numbers = if keep_numbers { lock(&self.numbers).get(&spec.label).cloned() } else { None }
            .unwrap_or_default();
        for (i, driver) in drivers.into_iter().enumerate() {
            let minor = match self.subsystem.register_preferring(driver, numbers.get(i).copied()) {
                Ok(m) => m,
                Err(e) => {
                    undo(plugged);
                    return Err(dev_err(format!("cannot register: {e}")));
                }
            };
            let path = self.config.runtime_dir.join(format!("fwctl{minor}"));
            let listener = match bind(&path, self.config.device_socket_mode) {
                Ok(l) => l,
                Err(e) => {
                    let _ = self.subsystem.unregister(minor);
                    undo(plugged);
                    return Err(e);
                }
            };
            plugged.push((
                minor,
                self.spawn_acceptor(listener, path, spec.label.clone(), Accept::Device(minor)),
            ));
        }
        let names = plugged.iter().map(|(m, _)| format!("fwctl{m}")).collect();
        lock(&self.numbers).insert(spec.label.clone(), plugged.iter().map(|(m, _)| *m).collect());
        lock(&self.listeners).extend(plugged);
        lock(&self.unavailable).retain(|(label, _)| *label != spec.label);
        Ok(names)
    }

    fn plug_label(self: &Arc<Self>, label: &str, keep_numbers: bool) -> Result<String, AdminError> {
        let _topology = lock(&self.topology);
        if self.stopping.load(Ordering::Acquire) {
            return Err(AdminError::ShuttingDown);
        }
        let spec = self
            .specs
            .iter()
            .find(|s| s.label == label)
            .ok_or_else(|| AdminError::NoConfiguredDevice(label.to_string()))?
            .clone();
        if lock(&self.listeners).values().any(|l| l.label == label) {
            return Err(AdminError::AlreadyPlugged(label.to_string()));
        }
        let names = self.plug(&spec, keep_numbers)?;
        self.publish();
        Ok(names.join(" "))
    }

    /// Stop an acceptor: flag it, wake its blocking `accept` with a connection of
    /// our own, join it and remove the socket file.
    fn close_listener(&self, mut l: Listener) {
        l.closing.store(true, Ordering::Release);
        // shutdown(2) on a listening socket makes a blocked accept return, with
        // or without its file; the connect is the fallback.
        match &l.wake {
            Some(w)
                if nix::sys::socket::shutdown(w.as_raw_fd(), nix::sys::socket::Shutdown::Both).is_ok() => {}
            _ => {
                let _ = UnixStream::connect(&l.path);
            }
        }
        if let Some(t) = l.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&l.path);
    }

    fn unplug(&self, name: &str) -> Result<(), AdminError> {
        let _topology = lock(&self.topology);
        let minor =
            self.subsystem.minor_by_name(name).ok_or_else(|| AdminError::NoDevice(name.to_string()))?;
        // Like cdev_device_del: the node goes first, then unregister waits for
        // in-flight calls and closes every open context.
        if let Some(l) = lock(&self.listeners).remove(&minor) {
            self.close_listener(l);
        }
        self.subsystem
            .unregister(minor)
            .map_err(|e| AdminError::Unregister { name: name.to_string(), why: e.to_string() })?;
        self.publish();
        Ok(())
    }

    fn unplug_label(&self, label: &str, why: &str) -> Vec<String> {
        let _topology = lock(&self.topology);
        let minors: Vec<u32> =
            lock(&self.listeners).iter().filter(|(_, l)| l.label == label).map(|(m, _)| *m).collect();
        let mut names = Vec::new();
        for minor in minors {
            let listener = lock(&self.listeners).remove(&minor);
            if let Some(l) = listener {
                self.close_listener(l);
            }
            if self.subsystem.unregister(minor).is_ok() {
                names.push(format!("fwctl{minor}"));
            }
        }
        let mut unavailable = lock(&self.unavailable);
        unavailable.retain(|(l, _)| l != label);
        unavailable.push((label.to_string(), why.to_string()));
        drop(unavailable);
        self.publish();
        names
    }

    /// Refresh `devices.json` if the taint flag changed since it was written.
    fn publish_if_taint_changed(&self) {
        let now = self.subsystem.taint().is_tainted();
        if self.published_taint.load(Ordering::Acquire) != now {
            self.publish();
        }
    }

    /// Refresh `devices.json` if the number of failed devices changed (a plugin
    /// misbehaved and its devices now answer `ENXIO`). Only called on `ENXIO`.
    fn publish_if_failures_changed(&self) {
        let failed = self
            .subsystem
            .devices()
            .iter()
            .filter(|d| d.state == fwctl_subsys::subsystem::DeviceState::Failed)
            .count();
        if self.published_failed.load(Ordering::Acquire) != failed {
            self.publish();
        }
    }

    /// Atomically rewrite `devices.json`.
    fn publish(&self) {
        let _one_writer = lock(&self.publishing);
        let tainted = self.subsystem.taint().is_tainted();
        self.published_taint.store(tainted, Ordering::Release);
        let summaries = self.subsystem.devices();
        let failed =
            summaries.iter().filter(|d| d.state == fwctl_subsys::subsystem::DeviceState::Failed).count();
        self.published_failed.store(failed, Ordering::Release);
        let devices: Vec<Value> = summaries
            .iter()
            .map(|d| {
                let mut v = serde_json::to_value(d).unwrap_or_default();
                // Handle counts change on every connection; the file would be stale.
                if let Some(o) = v.as_object_mut() {
                    o.remove("open_handles");
                }
                v
            })
            .collect();
        let doc = json!({"pid": std::process::id(), "tainted": tainted, "devices": devices});
        // Through the directory's descriptor, O_EXCL|O_NOFOLLOW temporary: no
        // symbolic link planted in the directory can redirect the write.
        if let Err(e) = self.dir.install(STATUS_FILE, doc.to_string().as_bytes(), 0o644, false) {
            self.log(&format!("cannot write {STATUS_FILE}: {e}"));
        }
    }

    fn status(&self) -> Value {
        json!({
            "pid": std::process::id(),
            "uptime_secs": self.started.elapsed().as_secs(),
            "runtime_dir": self.config.runtime_dir.display().to_string(),
            "connections": *lock(&self.active),
            "max_connections": self.config.limits.max_connections,
            "refused_connections": self.refused.load(Ordering::Relaxed),
            "rpcs": self.rpcs.load(Ordering::Relaxed),
            "audit_staged": self.subsystem.hooks().audit.map_or(0, |a| a.staged_count()),
            "in_flight": self.in_flight.load(Ordering::SeqCst),
            "inflight_bytes": self.budget.in_use(self.config.limits.max_inflight_bytes),
            "tainted": self.subsystem.taint().is_tainted(),
            "devices": self.subsystem.devices(),
            "unavailable": lock(&self.unavailable)
                .iter()
                .map(|(label, why)| json!({"label": label, "error": why}))
                .collect::<Vec<_>>(),
            "admin": self.admin.status(),
        })
    }

    fn shutdown(&self) {
        let _topology = lock(&self.topology);
        if self.stopping.swap(true, Ordering::AcqRel) {
            return;
        }
        // 1. Stop accepting.
        let listeners: Vec<Listener> = lock(&self.listeners).drain().map(|(_, l)| l).collect();
        for l in listeners {
            self.close_listener(l);
        }
        if let Some(l) = lock(&self.control).take() {
            self.close_listener(l);
        }
        if let Some(l) = lock(&self.query).take() {
            self.close_listener(l);
        }
        // 2. No more requests: each connection finishes the RPC it is running,
        //    replies, then reads end-of-file and closes its handle.
        for s in lock(&self.conns).values() {
            let _ = s.shutdown(std::net::Shutdown::Read);
        }
        let mut n = lock(&self.active);
        while *n > 0 {
            n = self.idle.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        drop(n);
        // 3. Unregister what is left (no handle is open any more).
        for d in self.subsystem.devices() {
            let _ = self.subsystem.unregister(d.view.minor);
        }
        let _ = self.dir.remove(STATUS_FILE);
    }
}
