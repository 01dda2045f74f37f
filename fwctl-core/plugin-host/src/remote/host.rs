//! The plugin host process: one plugin library, served to fwctld over the
//! socket it inherited as descriptor 3.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::OsString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use fwctl_subsys::UserMemory;
use fwctl_subsys::driver::{Driver, DriverContext, DriverReply, RpcCall, RpcResponse, StatusSlot};
use fwctl_subsys::sync::lock;
use fwctl_uapi::RpcScope;
use fwctl_uapi::errno::Errno;

use super::conn::Conn;
use super::wire::{self, Dec, Enc, Frame, Malformed};
use crate::{LoadOptions, PluginDriver};

/// The first argument that makes a program (fwctld, or a test binary) run as a
/// plugin host: `PROGRAM --plugin-host PATH 0|1` (1: permission checks off).
pub const HOST_FLAG: &str = "--plugin-host";

/// The descriptor a host finds its control socket on.
pub(crate) const HOST_FD: i32 = 3;

/// The descriptor on which fwctld hands the host call connections
/// (`SCM_RIGHTS`), each served on a thread of its own.
pub(crate) const CONN_FD: i32 = 4;

/// Most call connections a host serves at once (fwctld opens at most 64).
const MAX_CONNS: usize = 64;

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
/// two sockets closed, no core dumps. A seccomp filter is not installed (see
/// `Documentation/daemon.md`).
fn sandbox() -> Result<(), String> {
    #[allow(unsafe_code)]
    // SAFETY: plain syscalls with integer arguments; no memory is passed.
    unsafe {
        if nix::libc::prctl(nix::libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err(format!("PR_SET_NO_NEW_PRIVS: {}", std::io::Error::last_os_error()));
        }
        // close_range(5, ~0, 0): everything above the two sockets.
        if nix::libc::syscall(nix::libc::SYS_close_range, CONN_FD as u32 + 1, u32::MAX, 0u32) != 0 {
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
        |fd: i32| std::fs::metadata(format!("/proc/self/fd/{fd}")).is_ok_and(|m| m.file_type().is_socket());
    if !is_socket(HOST_FD) || !is_socket(CONN_FD) {
        log(&format!(
            "descriptors {HOST_FD} and {CONN_FD} are not sockets: the plugin host is started by fwctld, not by hand"
        ));
        return 2;
    }
    #[allow(unsafe_code)]
    // SAFETY: fwctld put the sockets on HOST_FD and CONN_FD before exec;
    // nothing else in this process owns those descriptors, so taking ownership
    // of them is sound.
    let (fd, conn_fd) = unsafe { (OwnedFd::from_raw_fd(HOST_FD), OwnedFd::from_raw_fd(CONN_FD)) };
    let stream = UnixStream::from(fd);
    let conns = UnixStream::from(conn_fd);
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
        serving: AtomicUsize::new(0),
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
            // The daemon rebuilds the error from its kind, path and detail
            // (`load_error`): send the detail alone, or its message would name
            // the path and "cannot load plugin" twice.
            let detail = match &e {
                crate::PluginError::InsecurePermissions { reason: detail, .. }
                | crate::PluginError::NotSharedObject { detail, .. }
                | crate::PluginError::Truncated { detail, .. }
                | crate::PluginError::LoadFailed { detail, .. } => detail.clone(),
                other => other.to_string(),
            };
            host.send(0, wire::LOAD_ERROR, &Enc::new().str(e.kind()).str(&detail).0);
            return 3;
        }
    }
    let acceptor = host.clone();
    if std::thread::Builder::new().name("plugin-conns".into()).spawn(move || acceptor.accept(&conns)).is_err()
    {
        log("cannot start the connection thread; exiting");
        return 2;
    }
    let mut reader = std::io::BufReader::new(stream);
    loop {
        let frame = match wire::read_frame(&mut reader) {
            Ok(f) => f,
            // fwctld hung up (or is gone): the devices go with us.
            Err(_) => return 0,
        };
        let id = frame.id;
        match host.handle(frame) {
            Ok(Some(payload)) => host.send(id, wire::REPLY, &host.reply_body(payload)),
            Ok(None) => {}
            Err(Malformed) => {
                log("malformed request from fwctld; exiting");
                return 2;
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
    /// Call connections being served.
    serving: AtomicUsize,
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

    /// A reply's body: the plugin's failure state, then the payload.
    fn reply_body(&self, payload: Enc) -> Vec<u8> {
        let failure = self.lib.get().and_then(|l| l.failure().map(str::to_owned));
        let mut body = Enc::new().opt_str(failure.as_deref());
        body.0.extend_from_slice(&payload.0);
        body.0
    }

    /// Take call connections from fwctld, each served on a thread of its own,
    /// until fwctld hangs up.
    fn accept(self: Arc<Self>, passer: &UnixStream) {
        use nix::sys::socket::{ControlMessageOwned, MsgFlags, recvmsg};
        loop {
            let mut byte = [0u8; 1];
            let mut iov = [std::io::IoSliceMut::new(&mut byte)];
            let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
            let msg = match recvmsg::<()>(
                passer.as_raw_fd(),
                &mut iov,
                Some(&mut space),
                MsgFlags::MSG_CMSG_CLOEXEC,
            ) {
                Ok(m) => m,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(_) => return,
            };
            if msg.bytes == 0 {
                return;
            }
            let Ok(cmsgs) = msg.cmsgs() else { return };
            for c in cmsgs {
                let ControlMessageOwned::ScmRights(fds) = c else { continue };
                for fd in fds {
                    #[allow(unsafe_code)]
                    // SAFETY: the kernel just installed `fd` in this process for
                    // this message; nothing else owns it.
                    let stream = UnixStream::from(unsafe { OwnedFd::from_raw_fd(fd) });
                    if self.serving.load(Ordering::SeqCst) >= MAX_CONNS {
                        // fwctld keeps to its own cap; one more is a broken peer.
                        continue;
                    }
                    self.serving.fetch_add(1, Ordering::SeqCst);
                    let host = self.clone();
                    let started = std::thread::Builder::new()
                        .name("plugin-call".into())
                        .spawn(move || host.serve(stream));
                    if started.is_err() {
                        self.serving.fetch_sub(1, Ordering::SeqCst);
                    }
                }
            }
        }
    }

    /// Serve one call connection: read a request, answer it on this thread
    /// (an RPC's caller-memory callbacks go back and forth on it), repeat.
    fn serve(self: Arc<Self>, stream: UnixStream) {
        let Ok(mut conn) = Conn::new(stream, None) else { return };
        while let Ok(f) = conn.read_frame(None) {
            let id = f.id;
            let answer = if f.op == wire::RPC { self.rpc(&mut conn, f) } else { self.handle(f) };
            match answer {
                Ok(Some(payload)) => {
                    if conn.send(id, wire::REPLY, &self.reply_body(payload)).is_err() {
                        break;
                    }
                }
                Ok(None) => {}
                Err(Malformed) => {
                    log("malformed request from fwctld; exiting");
                    std::process::exit(2);
                }
            }
        }
        self.serving.fetch_sub(1, Ordering::SeqCst);
    }

    fn device(&self, id: u64) -> Option<Arc<PluginDriver>> {
        read(&self.devices).get(&id).cloned()
    }

    fn context(&self, id: u64) -> Option<Arc<Slot>> {
        read(&self.contexts).get(&id).cloned()
    }

    /// A request other than an RPC: its reply payload, if it has one.
    fn handle(&self, f: Frame) -> Result<Option<Enc>, Malformed> {
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
                        Ok(Some(e))
                    }
                    Err(err) => {
                        Ok(Some(Enc::new().u8(wire::R_PLUGIN_ERROR).str(err.kind()).str(&err.to_string())))
                    }
                }
            }
            wire::REMOVE => {
                write(&self.devices).remove(&d.u64()?);
                Ok(None)
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
                Ok(Some(payload))
            }
            wire::CLOSE => {
                let slot = write(&self.contexts).remove(&d.u64()?);
                if let Some(ctx) = slot.and_then(|s| write(&s.ctx).take()) {
                    ctx.close();
                }
                Ok(None)
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
                Ok(Some(payload))
            }
            wire::DESCRIBE => {
                let dev = d.u64()?;
                let request = d.bytes()?;
                let payload =
                    match self.device(dev).ok_or(Errno::ENODEV).and_then(|drv| drv.describe(request)) {
                        Ok(r) => super::enc_description(Enc::new().u8(wire::R_OK), &r),
                        Err(e) => errno(e),
                    };
                Ok(Some(payload))
            }
            wire::DECODE_STATUS => {
                let dev = d.u64()?;
                let response = d.bytes()?;
                let payload = match self.device(dev).and_then(|drv| drv.decode_status(response)) {
                    Some(s) => super::enc_status(Enc::new().u8(wire::R_OK), &s),
                    None => Enc::new().u8(wire::R_NONE),
                };
                Ok(Some(payload))
            }
            _ => Err(Malformed),
        }
    }

    /// An RPC, on the thread serving its connection: the reply payload holds
    /// the writes into the response buffer held back, the description (if
    /// asked), then the result with the response's status.
    fn rpc(&self, conn: &mut Conn, f: Frame) -> Result<Option<Enc>, Malformed> {
        let mut d = Dec::new(&f.body);
        let ctx_id = d.u64()?;
        let scope = RpcScope::from_u32(d.u32()?).ok_or(Malformed)?;
        let out_addr = d.u64()?;
        let out_capacity = usize::try_from(d.u64()?).map_err(|_| Malformed)?;
        let flags = d.u8()?;
        let (with_user, describe) = (flags & 1 != 0, flags & super::client::RPC_DESCRIBE != 0);
        let want_status = flags & super::client::RPC_NO_STATUS == 0;
        let mut request = d.bytes()?.to_vec();
        let enodev = || Enc::new().u64(0).u8(0).u8(wire::R_ERRNO).u32(Errno::ENODEV.code() as u32);
        let Some(slot) = self.context(ctx_id) else { return Ok(Some(enodev())) };
        let guard = read(&slot.ctx);
        let Some(ctx) = guard.as_ref() else { return Ok(Some(enodev())) };
        let mut user = Callbacks {
            conn: RefCell::new(conn),
            id: f.id,
            enabled: with_user,
            out_addr,
            out_capacity,
            held: RefCell::new(Held::default()),
            lost_write: Cell::new(false),
        };
        let mut call = RpcCall { scope, out_addr, out_capacity, user: &mut user };
        // Described as it was before delivery (an in-place answer overwrites
        // it), and the status decoded, in the same call into the plugin when it
        // can (`fw_rpc_described`, `fw_rpc_status`).
        let mut decoded = if want_status { StatusSlot::Wanted } else { StatusSlot::NotWanted };
        let mut described = None;
        let result = if describe {
            let describe = |r: &[u8]| slot.dev.describe(r).ok();
            ctx.fw_rpc_described(&mut call, &mut request, &mut decoded, &mut described, &describe)
        } else {
            ctx.fw_rpc_status(&mut call, &mut request, &mut decoded)
        };
        let description = describe.then_some(described);
        drop(guard);
        let held = user.held.into_inner();
        let mut e = Enc::new();
        if user.lost_write.get() {
            // A held-back write failed when it had to be made early: the
            // plugin was told it succeeded, so the whole RPC faults.
            e = e.u64(0).u8(0).u8(wire::R_ERRNO).u32(Errno::EFAULT.code() as u32);
            return Ok(Some(e));
        }
        e = e.u64(held.writes.len() as u64);
        for (addr, bytes) in &held.writes {
            e = e.u64(*addr).bytes(bytes);
        }
        e = match description {
            None => e.u8(0),
            Some(None) => e.u8(1),
            Some(Some(r)) => super::enc_description(e.u8(2), &r),
        };
        // The in-band status of the response goes with it: fwctld asks for it
        // next (`decode_status`), and this saves that round trip.
        // What the plugin decoded with its answer, else decoded here.
        let decoded = match decoded {
            StatusSlot::Decoded(s) => Some(s),
            _ => None,
        };
        let status = |response: &[u8]| match decoded {
            Some(s) => s,
            None => want_status.then(|| slot.dev.decode_status(response)).flatten(),
        };
        let payload = match result {
            Ok(DriverReply::Response(RpcResponse::InPlace(n))) => {
                let n = n.min(request.len());
                let e = e.u8(wire::R_OK).u8(wire::RPC_IN_PLACE).bytes(&request[..n]);
                enc_opt_status(e, status(&request[..n]))
            }
            Ok(DriverReply::Response(RpcResponse::Buffer(v))) => {
                let e = e.u8(wire::R_OK).u8(wire::RPC_BUFFER).bytes(&v);
                enc_opt_status(e, status(&v))
            }
            Ok(DriverReply::Direct(n)) => {
                let e = e.u8(wire::R_OK).u8(wire::RPC_DIRECT).u64(n as u64);
                // The status of what fwctld will read back, when the held
                // writes are all of it.
                let shown = n.min(out_capacity);
                let known = (held.prefix >= shown).then(|| held.shadow.get(..shown)).flatten();
                enc_opt_status(e, known.and_then(status))
            }
            Err(err) => e.u8(wire::R_ERRNO).u32(err.code() as u32),
        };
        Ok(Some(payload))
    }
}

fn enc_opt_status(e: Enc, s: Option<fwctl_subsys::driver::DeviceStatus>) -> Enc {
    match s {
        None => e.u8(0),
        Some(s) => super::enc_status(e.u8(1), &s),
    }
}

/// Writes into the caller's response buffer, held back to go with the reply.
#[derive(Debug, Default)]
struct Held {
    /// In order: (address, bytes).
    writes: Vec<(u64, Vec<u8>)>,
    bytes: usize,
    /// The response buffer as the writes leave it, from its start.
    shadow: Vec<u8>,
    /// How much of `shadow` from its start the writes cover.
    prefix: usize,
}

/// The caller's memory of one RPC, reached through fwctld on the RPC's
/// connection. Writes that fall inside the response buffer are held back and
/// go with the reply (fwctld makes them, in order, before it looks at the
/// result); everything else is a callback round trip, made after the held
/// writes so the order is kept.
struct Callbacks<'a> {
    conn: RefCell<&'a mut Conn>,
    id: u64,
    /// False for an RPC without caller memory: every access faults.
    enabled: bool,
    out_addr: u64,
    out_capacity: usize,
    held: RefCell<Held>,
    /// A held write that failed when made early: the RPC faults.
    lost_write: Cell<bool>,
}

impl Callbacks<'_> {
    fn ask(&self, op: u8, body: &[u8], answer: u8) -> Option<Frame> {
        let mut conn = self.conn.borrow_mut();
        conn.send(self.id, op, body).ok()?;
        conn.read_frame(None).ok().filter(|f| f.op == answer)
    }

    /// Make the held writes now (before a callback, to keep the order).
    fn flush(&self) {
        let writes = std::mem::take(&mut *self.held.borrow_mut());
        for (addr, bytes) in writes.writes {
            if self.lost_write.get() {
                break;
            }
            if self.write_now(addr, &bytes).is_err() {
                self.lost_write.set(true);
            }
        }
    }

    fn write_now(&self, addr: u64, src: &[u8]) -> Result<(), Errno> {
        let body = Enc::new().u64(addr).bytes(src).0;
        let f = self.ask(wire::COPY_TO, &body, wire::COPY_TO_DONE).ok_or(Errno::EFAULT)?;
        match Dec::new(&f.body).u64() {
            Ok(0) => Ok(()),
            _ => Err(Errno::EFAULT),
        }
    }

    /// Hold `src` for `addr` back if it lies inside the response buffer.
    fn hold(&self, addr: u64, src: &[u8]) -> bool {
        let Some(off) = addr.checked_sub(self.out_addr).and_then(|o| usize::try_from(o).ok()) else {
            return false;
        };
        let mut held = self.held.borrow_mut();
        if off.checked_add(src.len()).is_none_or(|end| end > self.out_capacity)
            || held.bytes + src.len() > fwctl_uapi::MAX_RPC_LEN
        {
            return false;
        }
        let end = off + src.len();
        if held.shadow.len() < end {
            held.shadow.resize(end, 0);
        }
        held.shadow[off..end].copy_from_slice(src);
        if off <= held.prefix {
            held.prefix = held.prefix.max(end);
        }
        held.bytes += src.len();
        held.writes.push((addr, src.to_vec()));
        true
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
        self.flush();
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
        if self.hold(addr, src) {
            return Ok(());
        }
        self.flush();
        self.write_now(addr, src)
    }
}
