//! The plugin host process: one plugin library, served to fwctld over the
//! socket it inherited as descriptor 3.

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};

use fwctl_subsys::UserMemory;
use fwctl_subsys::driver::{Driver, DriverContext, DriverReply, RpcCall, RpcResponse};
use fwctl_subsys::sync::lock;
use fwctl_uapi::RpcScope;
use fwctl_uapi::errno::Errno;

use super::wire::{self, Dec, Enc, Frame, Malformed};
use crate::{LoadOptions, PluginDriver};

/// The first argument that makes a program (fwctld, or a test binary) run as a
/// plugin host: `PROGRAM --plugin-host PATH 0|1` (1: permission checks off).
pub const HOST_FLAG: &str = "--plugin-host";

/// The descriptor a host finds its socket on.
pub(crate) const HOST_FD: i32 = 3;

/// Most worker threads a host runs RPCs on at once; more wait in line (and the
/// caller's deadline bounds the wait).
const MAX_WORKERS: usize = 64;

/// Entry point for `PROGRAM --plugin-host PATH 0|1`: `args` are the arguments
/// after the flag. Returns the exit status.
pub fn host_main_from_args(args: &[OsString]) -> i32 {
    match args {
        [path, insecure] => host_main(Path::new(path), insecure == "1"),
        _ => {
            eprintln!("fwctl-plugin-host: usage: {HOST_FLAG} PATH 0|1 (started by fwctld, not by hand)");
            2
        }
    }
}

fn log(msg: &str) {
    eprintln!("fwctl-plugin-host[{}]: {msg}", std::process::id());
}

/// Restrict this process before any plugin code runs: no new privileges
/// (setuid binaries a plugin executes gain nothing), every descriptor but the
/// socket closed, no core dumps. A seccomp filter is not installed (see
/// `Documentation/daemon.md`).
fn sandbox() -> Result<(), String> {
    #[allow(unsafe_code)]
    // SAFETY: plain syscalls with integer arguments; no memory is passed.
    unsafe {
        if nix::libc::prctl(nix::libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err(format!("PR_SET_NO_NEW_PRIVS: {}", std::io::Error::last_os_error()));
        }
        // close_range(4, ~0, 0): everything above the socket.
        if nix::libc::syscall(nix::libc::SYS_close_range, HOST_FD as u32 + 1, u32::MAX, 0u32) != 0 {
            return Err(format!("close_range: {}", std::io::Error::last_os_error()));
        }
    }
    use nix::sys::resource::{Resource, setrlimit};
    setrlimit(Resource::RLIMIT_CORE, 0, 0).map_err(|e| format!("RLIMIT_CORE: {e}"))?;
    // fwctld may have died between fork and PR_SET_PDEATHSIG (set before exec).
    if nix::unistd::getppid().as_raw() == 1 {
        return Err("fwctld is gone".into());
    }
    Ok(())
}

/// Run the host: sandbox, load `path`, greet fwctld, serve until it hangs up.
pub fn host_main(path: &Path, allow_insecure: bool) -> i32 {
    // Started by hand, descriptor 3 is not our socket: refuse before taking it.
    use std::os::unix::fs::FileTypeExt;
    let is_socket =
        std::fs::metadata(format!("/proc/self/fd/{HOST_FD}")).is_ok_and(|m| m.file_type().is_socket());
    if !is_socket {
        log(&format!(
            "descriptor {HOST_FD} is not a socket: the plugin host is started by fwctld, not by hand"
        ));
        return 2;
    }
    #[allow(unsafe_code)]
    // SAFETY: fwctld put the socket on HOST_FD before exec; nothing else in this
    // process owns that descriptor, so taking ownership of it is sound.
    let fd = unsafe { OwnedFd::from_raw_fd(HOST_FD) };
    let stream = UnixStream::from(fd);
    if let Err(e) = sandbox() {
        log(&format!("cannot sandbox the plugin host: {e}"));
        return 2;
    }
    let Ok(writer) = stream.try_clone() else { return 2 };
    let host = Arc::new(Host {
        writer: Mutex::new(writer),
        devices: RwLock::new(HashMap::new()),
        contexts: RwLock::new(HashMap::new()),
        next: AtomicU64::new(1),
        waiting: Mutex::new(HashMap::new()),
        lib: std::sync::OnceLock::new(),
    });
    // SAFETY: fwctld's configuration names this library as a plugin, which is the
    // administrator declaring it trusted to run (here, in a sandboxed process).
    #[allow(unsafe_code)]
    let loaded = unsafe { crate::load(path, &LoadOptions { allow_insecure }) };
    match loaded {
        Ok(lib) => {
            let body = super::enc_info(Enc::new(), lib.info(), lib.has_rpc_v2()).0;
            let _ = host.lib.set(lib);
            host.send(0, wire::HELLO, &body);
        }
        Err(e) => {
            host.send(0, wire::LOAD_ERROR, &Enc::new().str(e.kind()).str(&e.to_string()).0);
            return 3;
        }
    }
    let pool = Pool::new(host.clone());
    let mut reader = std::io::BufReader::new(stream);
    loop {
        let frame = match wire::read_frame(&mut reader) {
            Ok(f) => f,
            // fwctld hung up (or is gone): the devices go with us.
            Err(_) => return 0,
        };
        match frame.op {
            wire::COPY_FROM_DONE | wire::COPY_TO_DONE => {
                if let Some(tx) = lock(&host.waiting).get(&frame.id) {
                    let _ = tx.send(frame);
                }
            }
            wire::RPC => pool.submit(frame),
            _ => {
                if host.handle(frame).is_err() {
                    log("malformed request from fwctld; exiting");
                    return 2;
                }
            }
        }
    }
}

/// An open context and the device it belongs to.
struct Slot {
    dev: Arc<PluginDriver>,
    ctx: RwLock<Option<Box<dyn DriverContext>>>,
}

struct Host {
    writer: Mutex<UnixStream>,
    devices: RwLock<HashMap<u64, Arc<PluginDriver>>>,
    contexts: RwLock<HashMap<u64, Arc<Slot>>>,
    next: AtomicU64,
    /// RPCs waiting for a callback's answer, by request id.
    waiting: Mutex<HashMap<u64, mpsc::Sender<Frame>>>,
    lib: std::sync::OnceLock<Arc<crate::PluginLibrary>>,
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|e| e.into_inner())
}
fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}

impl Host {
    fn send(&self, id: u64, op: u8, body: &[u8]) {
        let mut w = lock(&self.writer);
        if wire::write_frame(&mut *w, id, op, body).is_err() {
            // fwctld is gone; the reader sees end-of-file and the host exits.
        }
    }

    /// A reply: the plugin's failure state, then the status byte and payload.
    fn reply(&self, id: u64, payload: Enc) {
        let failure = self.lib.get().and_then(|l| l.failure().map(str::to_owned));
        let mut body = Enc::new().opt_str(failure.as_deref());
        body.0.extend_from_slice(&payload.0);
        self.send(id, wire::REPLY, &body.0);
    }

    fn device(&self, id: u64) -> Option<Arc<PluginDriver>> {
        read(&self.devices).get(&id).cloned()
    }

    fn context(&self, id: u64) -> Option<Arc<Slot>> {
        read(&self.contexts).get(&id).cloned()
    }

    fn handle(&self, f: Frame) -> Result<(), Malformed> {
        let mut d = Dec::new(&f.body);
        let errno = |e: Errno| Enc::new().u8(wire::R_ERRNO).u32(e.code() as u32);
        match f.op {
            wire::PROBE => {
                let config = String::from_utf8(d.bytes()?.to_vec()).map_err(|_| Malformed)?;
                let Some(lib) = self.lib.get() else { return Err(Malformed) };
                match lib.probe(&config) {
                    Ok(drivers) => {
                        let mut e = Enc::new().u8(wire::R_OK).u64(drivers.len() as u64);
                        let mut devs = write(&self.devices);
                        for drv in drivers {
                            let id = self.next.fetch_add(1, Ordering::Relaxed);
                            e = super::enc_identity(e.u64(id), &drv.identity());
                            devs.insert(id, drv);
                        }
                        drop(devs);
                        self.reply(f.id, e);
                    }
                    Err(err) => {
                        self.reply(
                            f.id,
                            Enc::new().u8(wire::R_PLUGIN_ERROR).str(err.kind()).str(&err.to_string()),
                        );
                    }
                }
            }
            wire::REMOVE => {
                write(&self.devices).remove(&d.u64()?);
            }
            wire::OPEN => {
                let dev = d.u64()?;
                let opened =
                    self.device(dev).ok_or(Errno::ENODEV).and_then(|drv| drv.open().map(|c| (drv, c)));
                let payload = match opened {
                    Ok((dev, ctx)) => {
                        let id = self.next.fetch_add(1, Ordering::Relaxed);
                        write(&self.contexts).insert(id, Arc::new(Slot { dev, ctx: RwLock::new(Some(ctx)) }));
                        Enc::new().u8(wire::R_OK).u64(id)
                    }
                    Err(e) => errno(e),
                };
                self.reply(f.id, payload);
            }
            wire::CLOSE => {
                let slot = write(&self.contexts).remove(&d.u64()?);
                if let Some(ctx) = slot.and_then(|s| write(&s.ctx).take()) {
                    ctx.close();
                }
            }
            wire::INFO => {
                let slot = self.context(d.u64()?);
                let guard = slot.as_ref().map(|s| read(&s.ctx));
                let payload = match guard.as_ref().and_then(|g| g.as_ref()) {
                    None => errno(Errno::ENODEV),
                    Some(ctx) => match ctx.info() {
                        None => Enc::new().u8(wire::R_NONE),
                        Some(Ok(data)) => Enc::new().u8(wire::R_OK).bytes(&data),
                        Some(Err(e)) => errno(e),
                    },
                };
                self.reply(f.id, payload);
            }
            wire::DESCRIBE => {
                let dev = d.u64()?;
                let request = d.bytes()?;
                let payload =
                    match self.device(dev).ok_or(Errno::ENODEV).and_then(|drv| drv.describe(request)) {
                        Ok(r) => super::enc_description(Enc::new().u8(wire::R_OK), &r),
                        Err(e) => errno(e),
                    };
                self.reply(f.id, payload);
            }
            wire::DECODE_STATUS => {
                let dev = d.u64()?;
                let response = d.bytes()?;
                let payload = match self.device(dev).and_then(|drv| drv.decode_status(response)) {
                    Some(s) => super::enc_status(Enc::new().u8(wire::R_OK), &s),
                    None => Enc::new().u8(wire::R_NONE),
                };
                self.reply(f.id, payload);
            }
            _ => return Err(Malformed),
        }
        Ok(())
    }

    /// An RPC, on a worker thread (it may call back into fwctld for the
    /// caller's memory, and the reader must stay free to route the answers).
    fn rpc(self: &Arc<Self>, f: Frame) -> Result<(), Malformed> {
        let mut d = Dec::new(&f.body);
        let ctx_id = d.u64()?;
        let scope = RpcScope::from_u32(d.u32()?).ok_or(Malformed)?;
        let out_addr = d.u64()?;
        let out_capacity = usize::try_from(d.u64()?).map_err(|_| Malformed)?;
        let with_user = d.u8()? != 0;
        let mut request = d.bytes()?.to_vec();
        let Some(slot) = self.context(ctx_id) else {
            self.reply(f.id, Enc::new().u8(wire::R_ERRNO).u32(Errno::ENODEV.code() as u32));
            return Ok(());
        };
        let guard = read(&slot.ctx);
        let Some(ctx) = guard.as_ref() else {
            self.reply(f.id, Enc::new().u8(wire::R_ERRNO).u32(Errno::ENODEV.code() as u32));
            return Ok(());
        };
        let (tx, rx) = mpsc::channel();
        lock(&self.waiting).insert(f.id, tx);
        let mut user = Callbacks { host: self, id: f.id, answers: rx, enabled: with_user };
        let mut call = RpcCall { scope, out_addr, out_capacity, user: &mut user };
        let result = ctx.fw_rpc_user(&mut call, &mut request);
        drop(guard);
        lock(&self.waiting).remove(&f.id);
        // The in-band status of the response goes with it: fwctld asks for it
        // next (`decode_status`), and this saves that round trip.
        let status = |response: &[u8]| slot.dev.decode_status(response);
        let payload = match result {
            Ok(DriverReply::Response(RpcResponse::InPlace(n))) => {
                let n = n.min(request.len());
                let e = Enc::new().u8(wire::R_OK).u8(wire::RPC_IN_PLACE).bytes(&request[..n]);
                enc_opt_status(e, status(&request[..n]))
            }
            Ok(DriverReply::Response(RpcResponse::Buffer(v))) => {
                let e = Enc::new().u8(wire::R_OK).u8(wire::RPC_BUFFER).bytes(&v);
                enc_opt_status(e, status(&v))
            }
            Ok(DriverReply::Direct(n)) => Enc::new().u8(wire::R_OK).u8(wire::RPC_DIRECT).u64(n as u64),
            Err(e) => Enc::new().u8(wire::R_ERRNO).u32(e.code() as u32),
        };
        self.reply(f.id, payload);
        Ok(())
    }
}

fn enc_opt_status(e: Enc, s: Option<fwctl_subsys::driver::DeviceStatus>) -> Enc {
    match s {
        None => e.u8(0),
        Some(s) => super::enc_status(e.u8(1), &s),
    }
}

/// The caller's memory of one RPC, reached through fwctld.
struct Callbacks<'a> {
    host: &'a Host,
    id: u64,
    answers: mpsc::Receiver<Frame>,
    /// False for an RPC without caller memory: every access faults.
    enabled: bool,
}

impl Callbacks<'_> {
    fn ask(&self, op: u8, body: &[u8], answer: u8) -> Option<Frame> {
        self.host.send(self.id, op, body);
        self.answers.recv().ok().filter(|f| f.op == answer)
    }
}

impl UserMemory for Callbacks<'_> {
    fn read(&self, addr: u64, dst: &mut [u8]) -> Result<(), Errno> {
        if dst.is_empty() {
            return Ok(());
        }
        if !self.enabled {
            return Err(Errno::EFAULT);
        }
        let body = Enc::new().u64(addr).u64(dst.len() as u64).0;
        let f = self.ask(wire::COPY_FROM, &body, wire::COPY_FROM_DONE).ok_or(Errno::EFAULT)?;
        let mut d = Dec::new(&f.body);
        let not_copied = d.u64().map_err(|_| Errno::EFAULT)?;
        let data = d.bytes().map_err(|_| Errno::EFAULT)?;
        if not_copied != 0 || data.len() != dst.len() {
            return Err(Errno::EFAULT);
        }
        dst.copy_from_slice(data);
        Ok(())
    }

    fn write(&mut self, addr: u64, src: &[u8]) -> Result<(), Errno> {
        if src.is_empty() {
            return Ok(());
        }
        if !self.enabled {
            return Err(Errno::EFAULT);
        }
        let body = Enc::new().u64(addr).bytes(src).0;
        let f = self.ask(wire::COPY_TO, &body, wire::COPY_TO_DONE).ok_or(Errno::EFAULT)?;
        match Dec::new(&f.body).u64() {
            Ok(0) => Ok(()),
            _ => Err(Errno::EFAULT),
        }
    }
}

/// Worker threads for RPCs, started on demand up to [`MAX_WORKERS`].
struct Pool {
    host: Arc<Host>,
    tx: mpsc::Sender<Frame>,
    rx: Arc<Mutex<mpsc::Receiver<Frame>>>,
    idle: Arc<AtomicUsize>,
    workers: AtomicUsize,
}

impl Pool {
    fn new(host: Arc<Host>) -> Pool {
        let (tx, rx) = mpsc::channel();
        Pool {
            host,
            tx,
            rx: Arc::new(Mutex::new(rx)),
            idle: Arc::new(AtomicUsize::new(0)),
            workers: AtomicUsize::new(0),
        }
    }

    fn submit(&self, f: Frame) {
        if self.idle.load(Ordering::SeqCst) == 0 && self.workers.load(Ordering::SeqCst) < MAX_WORKERS {
            self.workers.fetch_add(1, Ordering::SeqCst);
            let (host, rx, idle) = (self.host.clone(), self.rx.clone(), self.idle.clone());
            let spawned = std::thread::Builder::new().name("plugin-rpc".into()).spawn(move || {
                loop {
                    idle.fetch_add(1, Ordering::SeqCst);
                    let job = lock(&rx).recv();
                    idle.fetch_sub(1, Ordering::SeqCst);
                    let Ok(job) = job else { return };
                    if host.rpc(job).is_err() {
                        log("malformed RPC request from fwctld; exiting");
                        std::process::exit(2);
                    }
                }
            });
            if spawned.is_err() {
                self.workers.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let _ = self.tx.send(f);
    }
}
