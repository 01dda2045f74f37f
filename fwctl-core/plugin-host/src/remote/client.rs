//! fwctld's side of a plugin host: start it, forward driver calls, bound each
//! call by a deadline, notice its death.

use std::collections::HashMap;
use std::io::BufReader;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak, mpsc};
use std::time::{Duration, Instant};

use fwctl_subsys::driver::{
    DeviceIdentity, DeviceStatus, Driver, DriverContext, DriverReply, RpcCall, RpcDescription, RpcResponse,
    StatusSlot, copy_from_user, copy_to_user,
};
use fwctl_subsys::sync::lock;
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{DeviceType, RpcScope};

use super::conn::{Conn, ConnError};
use super::host::{CONN_FD, HOST_FD, HOST_FLAG};
use super::wire::{self, Dec, Enc, Frame, Malformed};
use crate::{PluginError, PluginInfo};

/// How to start plugin hosts, and how long a call may take.
#[derive(Debug, Clone)]
pub struct HostOptions {
    /// The program to run: one whose `main` calls
    /// [`host_main_from_args`](super::host_main_from_args) when its first
    /// argument is [`HOST_FLAG`] (fwctld: `/proc/self/exe`).
    pub program: PathBuf,
    /// Longest any single call (load, probe, open, info, describe, rpc, ...) may
    /// take before the host is killed.
    pub call_timeout: Duration,
    /// Load files that fail the owner/mode checks (development only).
    pub allow_insecure: bool,
    /// A name for messages (fwctld: the configuration label).
    pub label: String,
}

impl HostOptions {
    /// Options that re-run this executable as the host, with `call_timeout`.
    pub fn this_program(label: &str, call_timeout: Duration, allow_insecure: bool) -> Self {
        HostOptions {
            program: PathBuf::from("/proc/self/exe"),
            call_timeout,
            allow_insecure,
            label: label.to_string(),
        }
    }
}

/// Round trips made to a plugin host ([`PluginHost::round_trips`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoundTrips {
    /// Requests (probe, open, info, describe, decode_status, rpc).
    pub requests: u64,
    /// Caller-memory callbacks answered during RPCs.
    pub callbacks: u64,
}

/// Why a host stopped, as reported to its exit hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostExit {
    /// The label of [`HostOptions`].
    pub label: String,
    /// The host's process id.
    pub pid: u32,
    /// What happened, e.g. `killed by signal SIGSEGV` or `rpc exceeded its deadline of 100 ms`.
    pub reason: String,
    /// How long it had been serving.
    pub uptime: Duration,
}

/// Called once, from the host's reader thread, when an established host dies
/// unexpectedly (not when it is stopped on purpose).
pub type ExitHook = Arc<dyn Fn(HostExit) + Send + Sync>;

/// Every live host, so a shutdown can kill them all.
fn live() -> &'static Mutex<Vec<Weak<Inner>>> {
    static LIVE: OnceLock<Mutex<Vec<Weak<Inner>>>> = OnceLock::new();
    LIVE.get_or_init(|| Mutex::new(Vec::new()))
}

/// Kill every plugin host of this process (a shutdown that cannot wait any
/// longer for their calls): their calls in flight answer `ENODEV` at once.
/// Exit hooks do not run. Returns how many were killed.
pub fn kill_all(why: &str) -> usize {
    let hosts: Vec<Arc<Inner>> = lock(live()).iter().filter_map(Weak::upgrade).collect();
    let mut n = 0;
    for h in hosts {
        if !h.gone() {
            h.stop(why);
            n += 1;
        }
    }
    n
}

/// A request to the spawner thread.
type SpawnRequest = (Command, mpsc::Sender<std::io::Result<Child>>);

/// Hosts are forked by one long-lived thread: `PR_SET_PDEATHSIG` fires when the
/// *thread* that forked the child exits, and connection threads come and go.
fn spawn(cmd: Command) -> std::io::Result<Child> {
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<SpawnRequest>>> = OnceLock::new();
    let tx = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<SpawnRequest>();
        let started = std::thread::Builder::new().name("plugin-spawner".into()).spawn(move || {
            for (mut cmd, reply) in rx {
                let _ = reply.send(cmd.spawn());
            }
        });
        if let Err(e) = started {
            eprintln!("fwctl: cannot start the plugin-host spawner thread: {e}");
        }
        Mutex::new(tx)
    });
    let (reply_tx, reply_rx) = mpsc::channel();
    lock(tx).send((cmd, reply_tx)).map_err(|_| std::io::Error::other("the plugin-host spawner is gone"))?;
    reply_rx.recv().map_err(|_| std::io::Error::other("the plugin-host spawner is gone"))?
}

/// Most connections fwctld keeps to one host (so most calls in it at once);
/// more callers wait for one to come free, within their deadline.
const MAX_CONNS: usize = 64;

/// The pooled connections of a host.
#[derive(Debug, Default)]
struct Pool {
    idle: Vec<Conn>,
    /// Connections in existence (idle or in a call).
    total: usize,
}

struct Inner {
    label: String,
    pid: u32,
    /// The control connection (greeting, probe, remove, close); its reader
    /// thread notices the host's death.
    writer: Mutex<UnixStream>,
    /// Where new call connections are handed to the host (`SCM_RIGHTS`).
    conn_passer: Mutex<UnixStream>,
    /// Call connections: each call takes one, writes its request and reads
    /// the answer itself, on its own thread.
    pool: Mutex<Pool>,
    /// Signalled when a connection comes free, or the host dies.
    freed: Condvar,
    /// Requests sent (each one round trip), and caller-memory callbacks
    /// answered (one more round trip each).
    calls: AtomicU64,
    callbacks: AtomicU64,
    /// Callers waiting for frames of their request, by id (0: the greeting).
    pending: Mutex<HashMap<u64, mpsc::Sender<Frame>>>,
    next_id: AtomicU64,
    /// Set (first reason wins) when the host is dead or being killed; set under
    /// the `pending` lock by the reader, so no caller registers after it.
    dead: OnceLock<String>,
    /// Stopped on purpose (dropped, or killed at shutdown): no exit hook.
    stopping: AtomicBool,
    hook: Mutex<Option<ExitHook>>,
    timeout: Duration,
    /// The plugin's own failure (garbage, panics) as the host reports it.
    failure: OnceLock<String>,
    child: Mutex<Child>,
    started: Instant,
}

fn describe_status(st: ExitStatus) -> String {
    if let Some(sig) = st.signal() {
        let name = nix::sys::signal::Signal::try_from(sig).map(|s| s.as_str()).unwrap_or("?");
        format!("killed by signal {sig} ({name})")
    } else {
        format!("exited with status {}", st.code().unwrap_or(-1))
    }
}

impl Inner {
    fn gone(&self) -> bool {
        self.dead.get().is_some()
    }

    /// Kill the process; `reason` becomes the exit reason unless one is set.
    fn kill(&self, reason: String) {
        let _ = self.dead.set(reason);
        // std's Child::kill never signals a reaped process (no pid reuse race).
        let _ = lock(&self.child).kill();
    }

    fn stop(&self, why: &str) {
        self.stopping.store(true, Ordering::SeqCst);
        self.kill(why.to_string());
    }

    fn send(&self, id: u64, op: u8, body: &[u8]) -> Result<(), Errno> {
        let mut w = lock(&self.writer);
        wire::write_frame(&mut *w, id, op, body).map_err(|_| Errno::ENODEV)
    }

    /// The reader thread: route frames to their callers until the host is gone,
    /// then reap it and report.
    fn read_loop(self: Arc<Self>, stream: UnixStream) {
        let mut r = BufReader::new(stream);
        let why = loop {
            match wire::read_frame(&mut r) {
                Ok(f) => {
                    let tx = lock(&self.pending).get(&f.id).cloned();
                    // A frame for nobody: a late answer to a call that gave up.
                    if let Some(tx) = tx {
                        let _ = tx.send(f);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    break format!("sent a malformed frame ({e})");
                }
                Err(_) => break String::new(),
            }
        };
        let status = {
            let mut child = lock(&self.child);
            // End-of-file usually means it exited; give it a moment to be reaped
            // with its real status, then make sure.
            let t0 = Instant::now();
            let mut st = child.try_wait().ok().flatten();
            while st.is_none() && t0.elapsed() < Duration::from_millis(200) {
                std::thread::sleep(Duration::from_millis(5));
                st = child.try_wait().ok().flatten();
            }
            if st.is_none() {
                let _ = child.kill();
                st = child.wait().ok();
            }
            st
        };
        let observed = match (why.is_empty(), status) {
            (false, _) => why,
            (true, Some(st)) => describe_status(st),
            (true, None) => "its socket closed".into(),
        };
        {
            let mut pending = lock(&self.pending);
            let _ = self.dead.set(observed);
            // Every waiting caller sees its channel close: ENODEV.
            pending.clear();
        }
        lock(&self.pool).idle.clear();
        self.freed.notify_all();
        lock(live()).retain(|w| w.strong_count() > 0 && !std::ptr::eq(w.as_ptr(), Arc::as_ptr(&self)));
        let reason = self.dead.get().cloned().unwrap_or_default();
        let reason = match status {
            Some(st) if !reason.contains("status") && !reason.contains("signal") => {
                format!("{reason}; {}", describe_status(st))
            }
            _ => reason,
        };
        if !self.stopping.load(Ordering::SeqCst) {
            let hook = lock(&self.hook).take();
            if let Some(hook) = hook {
                hook(HostExit {
                    label: self.label.clone(),
                    pid: self.pid,
                    reason,
                    uptime: self.started.elapsed(),
                });
            }
        }
    }

    /// One request on the control connection and its answer (probe only: it
    /// is rare, and may take long).
    fn call(&self, what: &str, op: u8, body: &[u8]) -> Result<Frame, Errno> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        {
            let mut pending = lock(&self.pending);
            if self.gone() {
                return Err(Errno::ENODEV);
            }
            pending.insert(id, tx);
        }
        let result = (|| {
            self.send(id, op, body)?;
            self.calls.fetch_add(1, Ordering::Relaxed);
            match rx.recv_timeout(self.timeout) {
                Ok(f) if f.op == wire::REPLY => Ok(f),
                Ok(_) => Err(self.garbage(what)),
                Err(mpsc::RecvTimeoutError::Timeout) => Err(self.overran(what)),
                Err(mpsc::RecvTimeoutError::Disconnected) => Err(Errno::ENODEV),
            }
        })();
        lock(&self.pending).remove(&id);
        result
    }

    /// The call `what` overran its deadline: kill the host. The caller gets
    /// `ETIMEDOUT`; later callers of its devices `ENODEV` (they are unplugged).
    fn overran(&self, what: &str) -> Errno {
        self.kill(format!("{what} exceeded its deadline of {} ms", self.timeout.as_millis()));
        Errno::ETIMEDOUT
    }

    /// One request on a pooled connection and its answer, read on this thread,
    /// serving the RPC's caller-memory callbacks meanwhile. A deadline overrun
    /// is `ETIMEDOUT`; any other failure of the host (dead, garbage) `ENODEV`.
    fn call_conn(
        &self,
        what: &str,
        op: u8,
        body: &[u8],
        user: Option<&mut RpcCall<'_>>,
    ) -> Result<Frame, Errno> {
        let started = Instant::now();
        let deadline = started + self.timeout;
        let mut conn = self.take_conn(what, deadline)?;
        match self.exchange(&mut conn, what, op, body, (started, deadline), user) {
            Ok(f) => {
                self.put_conn(conn);
                Ok(f)
            }
            Err(e) => {
                // The connection is in an unknown state: never reuse it.
                drop(conn);
                lock(&self.pool).total -= 1;
                self.freed.notify_one();
                Err(e)
            }
        }
    }

    fn take_conn(&self, what: &str, deadline: Instant) -> Result<Conn, Errno> {
        let mut pool = lock(&self.pool);
        loop {
            if self.gone() {
                return Err(Errno::ENODEV);
            }
            if let Some(c) = pool.idle.pop() {
                return Ok(c);
            }
            if pool.total < MAX_CONNS {
                pool.total += 1;
                drop(pool);
                let made = self.new_conn();
                if made.is_err() {
                    lock(&self.pool).total -= 1;
                    self.freed.notify_one();
                }
                return made.map_err(|e| {
                    // The host no longer takes connections: it is broken.
                    self.kill(format!("cannot hand it a connection for {what}: {e}"));
                    Errno::ENODEV
                });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                // Every connection is in a call that started earlier, and so
                // overruns first: the host is killed by one of those.
                return Err(Errno::ETIMEDOUT);
            }
            pool = self
                .freed
                .wait_timeout(pool, left.min(Duration::from_millis(100)))
                .map_or_else(|e| e.into_inner().0, |(g, _)| g);
        }
    }

    fn put_conn(&self, conn: Conn) {
        let mut pool = lock(&self.pool);
        if self.gone() {
            pool.total -= 1;
        } else {
            pool.idle.push(conn);
        }
        drop(pool);
        self.freed.notify_one();
    }

    /// A new connection, its other end handed to the host (which serves it on
    /// a thread of its own).
    fn new_conn(&self) -> std::io::Result<Conn> {
        use nix::sys::socket::{ControlMessage, MsgFlags, sendmsg};
        let (mine, theirs) = UnixStream::pair()?;
        let fds = [theirs.as_raw_fd()];
        let cmsg = [ControlMessage::ScmRights(&fds)];
        let iov = [std::io::IoSlice::new(&[0u8])];
        let passer = lock(&self.conn_passer);
        sendmsg::<()>(passer.as_raw_fd(), &iov, &cmsg, MsgFlags::MSG_NOSIGNAL, None)?;
        drop(passer);
        Conn::new(mine, Some(self.timeout))
    }

    fn exchange(
        &self,
        conn: &mut Conn,
        what: &str,
        op: u8,
        body: &[u8],
        call: (Instant, Instant),
        mut user: Option<&mut RpcCall<'_>>,
    ) -> Result<Frame, Errno> {
        let lost = |e: ConnError| match e {
            ConnError::TimedOut => self.overran(what),
            ConnError::Closed => Errno::ENODEV,
            ConnError::Malformed => self.garbage(what),
        };
        conn.send(1, op, body).map_err(lost)?;
        self.calls.fetch_add(1, Ordering::Relaxed);
        loop {
            let f = conn.read_frame(Some(call)).map_err(lost)?;
            if conn.has_leftover() {
                return Err(self.garbage(what));
            }
            match f.op {
                wire::REPLY => return Ok(f),
                wire::COPY_FROM | wire::COPY_TO if user.is_some() => {
                    self.callbacks.fetch_add(1, Ordering::Relaxed);
                    let answer = user.as_deref_mut().map(|call| serve_copy(call, &f));
                    match answer {
                        Some(Ok((op, body))) => conn.send(1, op, &body).map_err(lost)?,
                        _ => return Err(self.garbage(what)),
                    }
                }
                _ => return Err(self.garbage(what)),
            }
        }
    }

    fn garbage(&self, what: &str) -> Errno {
        self.kill(format!("sent a malformed answer to {what}"));
        Errno::ENODEV
    }

    /// Decode a reply: the plugin failure state, then the status byte.
    fn reply<'a>(&self, what: &str, f: &'a Frame) -> Result<(u8, Dec<'a>), Errno> {
        let mut d = Dec::new(&f.body);
        let parsed = (|| -> Result<u8, Malformed> {
            if let Some(failure) = d.opt_str()? {
                let _ = self.failure.set(failure);
            }
            d.u8()
        })();
        match parsed {
            Ok(status) => Ok((status, d)),
            Err(Malformed) => Err(self.garbage(what)),
        }
    }

    fn errno_of(&self, what: &str, d: &mut Dec<'_>) -> Errno {
        match d.u32().ok().and_then(|c| i32::try_from(c).ok()).and_then(Errno::from_code) {
            Some(e) => e,
            None => self.garbage(what),
        }
    }
}

/// Answer one caller-memory callback of an RPC in progress.
fn serve_copy(call: &mut RpcCall<'_>, f: &Frame) -> Result<(u8, Vec<u8>), Malformed> {
    let mut d = Dec::new(&f.body);
    let addr = d.u64()?;
    if f.op == wire::COPY_FROM {
        let len = usize::try_from(d.u64()?).map_err(|_| Malformed)?;
        if len > fwctl_uapi::MAX_RPC_LEN {
            return Ok((wire::COPY_FROM_DONE, Enc::new().u64(len as u64).bytes(&[]).0));
        }
        let mut buf = vec![0u8; len];
        let not_copied = copy_from_user(&*call.user, &mut buf, addr);
        Ok((wire::COPY_FROM_DONE, Enc::new().u64(not_copied as u64).bytes(&buf).0))
    } else {
        let src = d.bytes()?;
        let not_written = copy_to_user(&mut *call.user, addr, src);
        Ok((wire::COPY_TO_DONE, Enc::new().u64(not_written as u64).0))
    }
}

/// A running plugin host (one plugin library in its own process). Dropping the
/// last reference (its devices hold one each) stops the process.
pub struct PluginHost {
    inner: Arc<Inner>,
    info: PluginInfo,
    has_rpc_v2: bool,
}

impl std::fmt::Debug for PluginHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginHost").field("pid", &self.inner.pid).field("info", &self.info).finish()
    }
}

impl Drop for PluginHost {
    fn drop(&mut self) {
        self.inner.stop("stopped (no device left)");
    }
}

impl PluginHost {
    /// Start a host for the library at `path` and wait (at most the call
    /// timeout) for it to load it. A load refused by the loader comes back as
    /// the loader's own [`PluginError`]; a host that crashes or hangs while
    /// loading is [`PluginError::Failed`] with what happened.
    pub fn spawn(path: &Path, opts: &HostOptions) -> Result<Arc<PluginHost>, PluginError> {
        let failed = |why: String| PluginError::Failed(format!("plugin host for {}: {why}", path.display()));
        let (mine, theirs) = UnixStream::pair().map_err(|e| failed(format!("socketpair: {e}")))?;
        let (passer, passed) = UnixStream::pair().map_err(|e| failed(format!("socketpair: {e}")))?;
        let mut cmd = Command::new(&opts.program);
        cmd.arg0("fwctl-plugin-host");
        cmd.arg(HOST_FLAG).arg(path).arg(if opts.allow_insecure { "1" } else { "0" });
        cmd.stdin(Stdio::null());
        let (fd, conn_fd) = (theirs.as_raw_fd(), passed.as_raw_fd());
        #[allow(unsafe_code)]
        // SAFETY: the closure runs in the child between fork and exec and makes
        // only async-signal-safe calls (dup2, fcntl, sigprocmask, prctl) on
        // integers and a stack-local signal set; it allocates nothing.
        unsafe {
            cmd.pre_exec(move || {
                use nix::libc;
                // Put `from` on `to` (not close-on-exec).
                let place = |from: i32, to: i32| -> std::io::Result<()> {
                    let ok = if from == to {
                        libc::fcntl(from, libc::F_SETFD, 0) == 0
                    } else {
                        libc::dup2(from, to) == to
                    };
                    if ok { Ok(()) } else { Err(std::io::Error::last_os_error()) }
                };
                // The second socket must not sit where the first goes.
                let mut conn_fd = conn_fd;
                if conn_fd == HOST_FD {
                    conn_fd = libc::fcntl(conn_fd, libc::F_DUPFD_CLOEXEC, CONN_FD + 1);
                    if conn_fd < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                place(fd, HOST_FD)?;
                place(conn_fd, CONN_FD)?;
                // fwctld blocks the signals it waits for; the host must not.
                let mut none: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut none);
                libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
                // Die with fwctld (the spawner thread lives as long as it).
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                // Not in fwctld's process group: a terminal's ^C is fwctld's to handle.
                libc::setpgid(0, 0);
                Ok(())
            });
        }
        let child =
            spawn(cmd).map_err(|e| failed(format!("cannot start {}: {e}", opts.program.display())))?;
        drop((theirs, passed));
        let pid = child.id();
        // The host's acceptor never blocks for long; this only bounds a stuck one.
        passer
            .set_write_timeout(Some(opts.call_timeout.max(Duration::from_millis(1))))
            .map_err(|e| failed(format!("socket: {e}")))?;
        let reader = mine.try_clone().map_err(|e| failed(format!("socket: {e}")))?;
        let inner = Arc::new(Inner {
            label: opts.label.clone(),
            pid,
            writer: Mutex::new(mine),
            conn_passer: Mutex::new(passer),
            pool: Mutex::new(Pool::default()),
            freed: Condvar::new(),
            calls: AtomicU64::new(0),
            callbacks: AtomicU64::new(0),
            pending: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            dead: OnceLock::new(),
            stopping: AtomicBool::new(false),
            hook: Mutex::new(None),
            timeout: opts.call_timeout,
            failure: OnceLock::new(),
            child: Mutex::new(child),
            started: Instant::now(),
        });
        let (hello_tx, hello_rx) = mpsc::channel();
        lock(&inner.pending).insert(0, hello_tx);
        lock(live()).push(Arc::downgrade(&inner));
        let r = inner.clone();
        if let Err(e) =
            std::thread::Builder::new().name("plugin-host-reader".into()).spawn(move || r.read_loop(reader))
        {
            inner.stop("no reader thread");
            return Err(failed(format!("cannot start its reader thread: {e}")));
        }
        let hello = hello_rx.recv_timeout(opts.call_timeout);
        lock(&inner.pending).remove(&0);
        let died = |inner: &Arc<Inner>| {
            // Wait for the reader to reap it, for the real reason.
            let _ = wait_reaped(inner);
            inner.dead.get().cloned().unwrap_or_else(|| "died".into())
        };
        let frame = match hello {
            Ok(f) => f,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                inner.stop(&format!("loading exceeded its deadline of {} ms", opts.call_timeout.as_millis()));
                return Err(failed(format!(
                    "loading exceeded its deadline of {} ms; killed",
                    opts.call_timeout.as_millis()
                )));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                inner.stopping.store(true, Ordering::SeqCst);
                return Err(failed(format!("died while loading the library: {}", died(&inner))));
            }
        };
        let mut d = Dec::new(&frame.body);
        match frame.op {
            wire::HELLO => match super::dec_info(&mut d) {
                Ok((info, has_rpc_v2)) => Ok(Arc::new(PluginHost { inner, info, has_rpc_v2 })),
                Err(Malformed) => {
                    inner.stop("malformed greeting");
                    Err(failed("sent a malformed greeting".into()))
                }
            },
            wire::LOAD_ERROR => {
                inner.stop("load refused");
                let kind = d.string().unwrap_or_default();
                let msg = d.string().unwrap_or_default();
                Err(load_error(path, &kind, msg))
            }
            _ => {
                inner.stop("malformed greeting");
                Err(failed("sent a malformed greeting".into()))
            }
        }
    }

    /// What the plugin declared.
    pub fn info(&self) -> &PluginInfo {
        &self.info
    }

    /// Whether the plugin has ABI v2's `rpc_v2`.
    pub fn has_rpc_v2(&self) -> bool {
        self.has_rpc_v2
    }

    /// The host's process id.
    pub fn pid(&self) -> u32 {
        self.inner.pid
    }

    /// Round trips made to this host so far: requests, and the caller-memory
    /// callbacks answered during RPCs (a pointer-carrying request's reads, or
    /// writes outside the response buffer).
    pub fn round_trips(&self) -> RoundTrips {
        RoundTrips {
            requests: self.inner.calls.load(Ordering::Relaxed),
            callbacks: self.inner.callbacks.load(Ordering::Relaxed),
        }
    }

    /// `Some(reason)` once the plugin misbehaved (garbage answers, a panic):
    /// its devices are listed as failed, and the host is not restarted for it.
    pub fn failure(&self) -> Option<String> {
        self.inner.failure.get().cloned()
    }

    /// `Some(reason)` once the host is dead (or being killed).
    pub fn exit_reason(&self) -> Option<String> {
        self.inner.dead.get().cloned()
    }

    /// Call `hook` when the host dies unexpectedly from now on (at once if it
    /// already has). Replaces an earlier hook.
    pub fn set_exit_hook(&self, hook: ExitHook) {
        *lock(&self.inner.hook) = Some(hook);
        // Died before the hook was in place: the reader found none. Report now.
        if self.inner.gone()
            && !self.inner.stopping.load(Ordering::SeqCst)
            && wait_reaped(&self.inner)
            && let Some(hook) = lock(&self.inner.hook).take()
        {
            hook(HostExit {
                label: self.inner.label.clone(),
                pid: self.inner.pid,
                reason: self.inner.dead.get().cloned().unwrap_or_default(),
                uptime: self.inner.started.elapsed(),
            });
        }
    }

    /// Kill the host as if it had crashed (`reason` is what its exit reports);
    /// the exit hook runs.
    pub fn kill(&self, reason: &str) {
        self.inner.kill(reason.to_string());
    }

    /// `probe(config)` in the host: its devices as drivers.
    pub fn probe(self: &Arc<Self>, config: &str) -> Result<Vec<Arc<RemoteDriver>>, PluginError> {
        if config.contains('\0') {
            return Err(PluginError::BadConfig);
        }
        let failed = |why: String| PluginError::Failed(format!("its host, in probe: {why}"));
        let body = Enc::new().str(config).0;
        let f = self
            .inner
            .call("probe", wire::PROBE, &body)
            .map_err(|_| failed(self.exit_reason().unwrap_or_else(|| "the plugin host died".into())))?;
        let (status, mut d) = self.inner.reply("probe", &f).map_err(|_| failed("malformed answer".into()))?;
        let devices = (|| -> Result<Result<Vec<Arc<RemoteDriver>>, PluginError>, Malformed> {
            match status {
                wire::R_OK => {
                    let n = d.u64()?;
                    if n > u64::from(fwctl_plugin_sdk::abi::MAX_DEVICES) {
                        return Err(Malformed);
                    }
                    let mut v = Vec::new();
                    for _ in 0..n {
                        let dev = d.u64()?;
                        let identity = super::dec_identity(&mut d)?;
                        v.push(Arc::new(RemoteDriver { host: self.clone(), dev, identity }));
                    }
                    Ok(Ok(v))
                }
                wire::R_PLUGIN_ERROR => {
                    let kind = d.string()?;
                    let msg = d.string()?;
                    Ok(Err(match kind.as_str() {
                        "bad-config" => PluginError::BadConfig,
                        _ => PluginError::Failed(msg),
                    }))
                }
                _ => Err(Malformed),
            }
        })();
        match devices {
            Ok(r) => r,
            Err(Malformed) => {
                self.inner.garbage("probe");
                Err(failed("malformed answer".into()))
            }
        }
    }
}

/// Wait (briefly) until the reader has reaped a dead host; whether it has.
fn wait_reaped(inner: &Arc<Inner>) -> bool {
    let t0 = Instant::now();
    // The reader removes itself from `live` after reaping.
    while t0.elapsed() < Duration::from_secs(2) {
        if !lock(live()).iter().any(|w| std::ptr::eq(w.as_ptr(), Arc::as_ptr(inner))) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// Rebuild the loader's error from the host's report (kind and message).
fn load_error(path: &Path, kind: &str, msg: String) -> PluginError {
    let path = path.to_path_buf();
    match kind {
        "not-found" => PluginError::NotFound { path },
        "insecure-permissions" => PluginError::InsecurePermissions { path, reason: msg },
        "not-shared-object" => PluginError::NotSharedObject { path, detail: msg },
        "truncated" => PluginError::Truncated { path, detail: msg },
        _ => PluginError::LoadFailed { path, detail: msg },
    }
}

/// A device of a plugin running in a [`PluginHost`].
pub struct RemoteDriver {
    host: Arc<PluginHost>,
    dev: u64,
    identity: DeviceIdentity,
}

impl std::fmt::Debug for RemoteDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteDriver").field("host", &self.host).field("dev", &self.dev).finish()
    }
}

impl RemoteDriver {
    /// The host this device lives in.
    pub fn host(&self) -> &Arc<PluginHost> {
        &self.host
    }
}

impl Drop for RemoteDriver {
    fn drop(&mut self) {
        let _ = self.host.inner.send(0, wire::REMOVE, &Enc::new().u64(self.dev).0);
    }
}

impl Driver for RemoteDriver {
    fn device_type(&self) -> DeviceType {
        self.host.info.device_type
    }

    fn identity(&self) -> DeviceIdentity {
        self.identity.clone()
    }

    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        let inner = &self.host.inner;
        let f = inner.call_conn("open", wire::OPEN, &Enc::new().u64(self.dev).0, None)?;
        let (status, mut d) = inner.reply("open", &f)?;
        match status {
            wire::R_OK => {
                let ctx = d.u64().map_err(|_| inner.garbage("open"))?;
                Ok(Box::new(RemoteContext { host: self.host.clone(), dev: self.dev, ctx }))
            }
            wire::R_ERRNO => Err(inner.errno_of("open", &mut d)),
            _ => Err(inner.garbage("open")),
        }
    }

    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        let inner = &self.host.inner;
        let f =
            inner.call_conn("describe", wire::DESCRIBE, &Enc::new().u64(self.dev).bytes(request).0, None)?;
        let (status, mut d) = inner.reply("describe", &f)?;
        match status {
            wire::R_OK => super::dec_description(&mut d).map_err(|_| inner.garbage("describe")),
            wire::R_ERRNO => Err(inner.errno_of("describe", &mut d)),
            _ => Err(inner.garbage("describe")),
        }
    }

    fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        let cached = LAST_STATUS.with(|c| {
            let mut c = c.borrow_mut();
            match c.take() {
                Some((key, r, status))
                    if key == (Arc::as_ptr(&self.host.inner) as usize, self.dev) && r == response =>
                {
                    Some(status)
                }
                other => {
                    *c = other;
                    None
                }
            }
        });
        if let Some(status) = cached {
            return status;
        }
        let inner = &self.host.inner;
        let body = Enc::new().u64(self.dev).bytes(response).0;
        let f = inner.call_conn("decode_status", wire::DECODE_STATUS, &body, None).ok()?;
        let (status, mut d) = inner.reply("decode_status", &f).ok()?;
        match status {
            wire::R_OK => super::dec_status(&mut d).map_err(|_| inner.garbage("decode_status")).ok(),
            _ => None,
        }
    }

    fn failure(&self) -> Option<String> {
        self.host.inner.failure.get().cloned()
    }
}

/// An open context in a plugin host.
struct RemoteContext {
    host: Arc<PluginHost>,
    /// The device's id in the host (for the status cache).
    dev: u64,
    ctx: u64,
}

/// ((host, device), response, the status the host decoded from it).
type CachedStatus = ((usize, u64), Vec<u8>, Option<DeviceStatus>);

/// Longest response whose status is kept for the `decode_status` that follows.
const STATUS_CACHE_MAX: usize = 64 * 1024;

std::thread_local! {
    /// The status the host decoded with this thread's last RPC reply: ((host,
    /// device), response, status). The core asks `decode_status` of the
    /// same response on the same thread right after the RPC; answering from here
    /// saves a round trip to the host.
    static LAST_STATUS: std::cell::RefCell<Option<CachedStatus>> =
        const { std::cell::RefCell::new(None) };
}

/// Decode the optional status after an RPC reply's response; hand it to the
/// core's slot, or remember it for the `decode_status` that follows.
fn take_status(
    dev: (usize, u64),
    response: &[u8],
    d: &mut Dec<'_>,
    slot: Option<&mut StatusSlot>,
) -> Result<(), Malformed> {
    let status = match d.u8()? {
        0 => None,
        1 => Some(super::dec_status(d)?),
        _ => return Err(Malformed),
    };
    match slot {
        // Not asked for: nothing to hand over or remember.
        Some(StatusSlot::NotWanted) => {}
        Some(slot) => *slot = StatusSlot::Decoded(status),
        None if response.len() <= STATUS_CACHE_MAX => {
            LAST_STATUS.with(|c| *c.borrow_mut() = Some((dev, response.to_vec(), status)));
        }
        None => {}
    }
    Ok(())
}

/// Apply the writes to the caller's memory the host held back (those into the
/// response buffer), in order, as `copy_to_user` would have made them: `false`
/// once one is not written whole (the rest are dropped).
fn apply_writes(d: &mut Dec<'_>, mut user: Option<&mut RpcCall<'_>>) -> Result<bool, Malformed> {
    let n = d.u64()?;
    let mut all = true;
    for _ in 0..n {
        let addr = d.u64()?;
        let bytes = d.bytes()?;
        // The host holds writes back only when it was given the caller's memory.
        let call = user.as_deref_mut().ok_or(Malformed)?;
        if all && copy_to_user(&mut *call.user, addr, bytes) != 0 {
            all = false;
        }
    }
    Ok(all)
}

/// The first `len` bytes of the response buffer at `out_addr` as the applied
/// writes left them (for the status cache of a direct reply).
fn written_response(writes: &[u8], out_addr: u64, len: usize) -> Result<Vec<u8>, Malformed> {
    let mut d = Dec::new(writes);
    let mut v = vec![0u8; len];
    for _ in 0..d.u64()? {
        let addr = d.u64()?;
        let bytes = d.bytes()?;
        let Some(off) = addr.checked_sub(out_addr).and_then(|o| usize::try_from(o).ok()) else { continue };
        if off < len {
            let n = bytes.len().min(len - off);
            v[off..off + n].copy_from_slice(&bytes[..n]);
        }
    }
    Ok(v)
}

impl RemoteContext {
    /// This device's key in the status cache.
    fn key(&self) -> (usize, u64) {
        (Arc::as_ptr(&self.host.inner) as usize, self.dev)
    }

    /// One RPC in one request: the request bytes go with it, writes into the
    /// response buffer and the response's status come back with the answer,
    /// and (with `describe`) so does the request's description, made by the
    /// host before delivery. Only other caller memory (pointers inside the
    /// request) costs a callback round trip each.
    fn rpc(
        &self,
        scope: RpcScope,
        out_capacity: usize,
        mut user: Option<&mut RpcCall<'_>>,
        request: &mut [u8],
        describe: bool,
        mut slot: Option<&mut StatusSlot>,
    ) -> (Option<RpcDescription>, Result<DriverReply, Errno>) {
        let inner = &self.host.inner;
        let out_addr = user.as_ref().map_or(0, |c| c.out_addr);
        // The core does not look at the status: the host need not decode it
        // (and nothing is cached: the host sends none).
        let no_status = slot.as_deref().is_some_and(|s| *s == StatusSlot::NotWanted);
        let mut flags = u8::from(user.is_some()) | if describe { RPC_DESCRIBE } else { 0 };
        if no_status {
            flags |= RPC_NO_STATUS;
        }
        let body = Enc::new()
            .u64(self.ctx)
            .u32(scope.as_u32())
            .u64(out_addr)
            .u64(out_capacity as u64)
            .u8(flags)
            .bytes(request)
            .0;
        let f = match inner.call_conn("rpc", wire::RPC, &body, user.as_deref_mut()) {
            Ok(f) => f,
            Err(e) => return (None, Err(e)),
        };
        let mut d = Dec::new(&f.body);
        let reply = (|| -> Result<(Option<RpcDescription>, Result<DriverReply, Errno>), Malformed> {
            if let Some(failure) = d.opt_str()? {
                let _ = inner.failure.set(failure);
            }
            let writes_at = d.rest();
            let written = apply_writes(&mut d, user.as_deref_mut())?;
            let writes = &writes_at[..writes_at.len() - d.rest().len()];
            let description = match d.u8()? {
                0 => None,
                1 => None,
                2 => Some(super::dec_description(&mut d)?),
                _ => return Err(Malformed),
            };
            let result = match d.u8()? {
                wire::R_OK => match d.u8()? {
                    wire::RPC_IN_PLACE => {
                        let bytes = d.bytes()?;
                        let dst = request.get_mut(..bytes.len()).ok_or(Malformed)?;
                        dst.copy_from_slice(bytes);
                        take_status(self.key(), bytes, &mut d, slot.take())?;
                        Ok(DriverReply::Response(RpcResponse::InPlace(bytes.len())))
                    }
                    wire::RPC_BUFFER => {
                        let bytes = d.bytes()?;
                        take_status(self.key(), bytes, &mut d, slot.take())?;
                        Ok(DriverReply::Response(RpcResponse::Buffer(bytes.to_vec())))
                    }
                    wire::RPC_DIRECT => {
                        let len = usize::try_from(d.u64()?).map_err(|_| Malformed)?;
                        let shown = len.min(out_capacity);
                        if d.peek_u8()? == 1 && written {
                            let response = written_response(writes, out_addr, shown)?;
                            take_status(self.key(), &response, &mut d, slot.take())?;
                        } else {
                            let _ = d.u8()?;
                        }
                        Ok(DriverReply::Direct(len))
                    }
                    _ => return Err(Malformed),
                },
                wire::R_ERRNO => Err(inner.errno_of("rpc", &mut d)),
                _ => return Err(Malformed),
            };
            // Part of the response buffer could not be written: the caller
            // gets what copy_to_user's failure gives in the kernel.
            let result = if written { result } else { Err(Errno::EFAULT) };
            Ok((description, result))
        })();
        reply.unwrap_or_else(|Malformed| (None, Err(inner.garbage("rpc"))))
    }
}

/// RPC request flag: describe the request (before delivery) and send the
/// description with the answer.
pub(crate) const RPC_DESCRIBE: u8 = 2;

/// RPC request flag: nobody looks at the response's status; do not decode it.
pub(crate) const RPC_NO_STATUS: u8 = 4;

impl DriverContext for RemoteContext {
    fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
        let inner = &self.host.inner;
        let f = match inner.call_conn("info", wire::INFO, &Enc::new().u64(self.ctx).0, None) {
            Ok(f) => f,
            Err(e) => return Some(Err(e)),
        };
        let (status, mut d) = match inner.reply("info", &f) {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        match status {
            wire::R_NONE => None,
            wire::R_OK => Some(d.bytes().map(<[u8]>::to_vec).map_err(|_| inner.garbage("info"))),
            wire::R_ERRNO => Some(Err(inner.errno_of("info", &mut d))),
            _ => Some(Err(inner.garbage("info"))),
        }
    }

    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno> {
        match self.rpc(scope, out_capacity, None, request, false, None).1? {
            DriverReply::Response(r) => Ok(r),
            // A driver that wrote to caller memory it was not given: it faulted.
            DriverReply::Direct(_) => Err(Errno::EFAULT),
        }
    }

    fn fw_rpc_user(&self, call: &mut RpcCall<'_>, request: &mut [u8]) -> Result<DriverReply, Errno> {
        let (scope, cap) = (call.scope, call.out_capacity);
        self.rpc(scope, cap, Some(call), request, false, None).1
    }

    fn fw_rpc_status(
        &self,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
    ) -> Result<DriverReply, Errno> {
        let (scope, cap) = (call.scope, call.out_capacity);
        self.rpc(scope, cap, Some(call), request, false, Some(status)).1
    }

    fn fw_rpc_described(
        &self,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
        description: &mut Option<RpcDescription>,
        _describe: &dyn Fn(&[u8]) -> Option<RpcDescription>,
    ) -> Result<DriverReply, Errno> {
        let (scope, cap) = (call.scope, call.out_capacity);
        let (described, reply) = self.rpc(scope, cap, Some(call), request, true, Some(status));
        *description = described;
        reply
    }

    fn close(self: Box<Self>) {
        let _ = self.host.inner.send(0, wire::CLOSE, &Enc::new().u64(self.ctx).0);
    }
}
