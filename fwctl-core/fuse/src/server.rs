//! The FUSE server: one regular file `fwctlN` per registered device in a
//! directory, whose `open`/`ioctl`/`release` are the kernel's fwctl fops.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use fwctl_subsys::device::DeviceState;
use fwctl_subsys::handle::Handle;
use fwctl_subsys::subsystem::Subsystem;
use fwctl_uapi::{FWCTL_INFO, FWCTL_RPC};
use nix::errno::Errno as NixErrno;
use nix::libc;
use nix::mount::{MntFlags, MsFlags};
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};
use thiserror::Error;
use zerocopy::{FromBytes, IntoBytes};

use crate::abi::{self, op};
use crate::identity::{IdentityCache, LastCaller};
use crate::memory::ProcessMemory;

/// How the device nodes are served.
#[derive(Debug, Clone)]
pub struct DevNodesConfig {
    /// Where to mount (created if missing), e.g. `/dev/fwctl`.
    pub dir: PathBuf,
    /// Permission bits of every node (the kernel's default for fwctl: `0o600`).
    pub mode: u32,
    /// Owner of the nodes (the kernel's: root).
    pub uid: u32,
    /// Group of the nodes (the kernel's: root).
    pub gid: u32,
    /// Threads reading requests (each serves one request at a time).
    pub threads: usize,
}

impl DevNodesConfig {
    /// The kernel's defaults (`root:root 0600`) at `dir`, two threads.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DevNodesConfig { dir: dir.into(), mode: 0o600, uid: 0, gid: 0, threads: 2 }
    }
}

/// Why the nodes could not be mounted.
#[derive(Debug, Error)]
pub enum MountError {
    /// `/dev/fuse` could not be opened.
    #[error("cannot open /dev/fuse: {0} (is the fuse module loaded and /dev/fuse present?)")]
    DevFuse(std::io::Error),
    /// The mount point could not be prepared.
    #[error("cannot prepare the mount point {dir}: {err}")]
    MountPoint {
        /// The directory.
        dir: PathBuf,
        /// The reason.
        err: std::io::Error,
    },
    /// `mount(2)` failed (it needs CAP_SYS_ADMIN).
    #[error("cannot mount the fwctl device nodes at {dir}: {err}{hint}")]
    Mount {
        /// The directory.
        dir: PathBuf,
        /// The error.
        err: NixErrno,
        /// What to do about it.
        hint: &'static str,
    },
    /// A thread could not be started.
    #[error("cannot start the device-node threads: {0}")]
    Thread(std::io::Error),
}

/// Device nodes served over FUSE. Dropping it (or [`DevNodes::unmount`])
/// unmounts, closes every handle still open exactly once and ends the threads.
#[derive(Debug)]
pub struct DevNodes {
    dir: PathBuf,
    state: Arc<State>,
    stop: Option<OwnedFd>,
    threads: Vec<JoinHandle<()>>,
    tids: Vec<i32>,
}

struct State {
    fuse: File,
    stop: OwnedFd,
    subsystem: Subsystem,
    mode: u32,
    uid: u32,
    gid: u32,
    mounted_at: u64,
    files: Mutex<HashMap<u64, Arc<OpenFile>>>,
    next_fh: AtomicU64,
    identities: IdentityCache,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("mode", &self.mode)
            .field("uid", &self.uid)
            .field("gid", &self.gid)
            .finish()
    }
}

/// One open file of a node: its uctx, and where the caller's last `FWCTL_RPC`
/// with its struct at `arg` had its `in` buffer (`(arg, in, in_len)`), read
/// ahead with the next call's struct when the struct is at the same address.
struct OpenFile {
    handle: Handle,
    last_in: Mutex<Option<(u64, u64, usize)>>,
}

/// The node id of device `minor` (1 is the root directory).
fn node_of(minor: u32) -> u64 {
    u64::from(minor) + 2
}

/// The request buffer: the kernel needs room for the largest write it may send
/// (`max_write` + headers) and at least `FUSE_MIN_READ_BUFFER`.
const MAX_WRITE: u32 = 4096;
const BUF_LEN: usize = 64 * 1024;

/// Epoll data of /dev/fuse and of the stop pipe.
const FUSE: u64 = 0;
const STOP: u64 = 1;

impl DevNodes {
    /// Mount the nodes of `subsystem`'s devices at `config.dir`. A stale FUSE
    /// mount left there by a crashed daemon (`ENOTCONN`) is detached first.
    pub fn mount(subsystem: Subsystem, config: DevNodesConfig) -> Result<DevNodes, MountError> {
        let dir = config.dir.clone();
        recover_stale_mount(&dir);
        std::fs::create_dir_all(&dir).map_err(|err| MountError::MountPoint { dir: dir.clone(), err })?;
        let fuse = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open("/dev/fuse")
            .map_err(MountError::DevFuse)?;
        let opts = format!(
            "fd={},rootmode=40000,user_id={},group_id={},allow_other,default_permissions",
            fuse.as_raw_fd(),
            nix::unistd::geteuid().as_raw(),
            nix::unistd::getegid().as_raw()
        );
        nix::mount::mount(
            Some("fwctl"),
            &dir,
            Some("fuse.fwctl"),
            MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC,
            Some(opts.as_str()),
        )
        .map_err(|err| MountError::Mount {
            dir: dir.clone(),
            err,
            hint: if err == NixErrno::EPERM { " (mounting needs root: CAP_SYS_ADMIN)" } else { "" },
        })?;
        let (stop_rd, stop_wr) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| {
            let _ = nix::mount::umount2(&dir, MntFlags::MNT_DETACH);
            MountError::Thread(e.into())
        })?;
        let state = Arc::new(State {
            fuse,
            stop: stop_rd,
            subsystem,
            mode: config.mode & 0o7777,
            uid: config.uid,
            gid: config.gid,
            mounted_at: SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
            files: Mutex::new(HashMap::new()),
            next_fh: AtomicU64::new(1),
            identities: IdentityCache::new(),
        });
        let mut nodes = DevNodes { dir, state, stop: Some(stop_wr), threads: Vec::new(), tids: Vec::new() };
        let (started, tids) = std::sync::mpsc::channel();
        for i in 0..config.threads.max(1) {
            let (st, started) = (nodes.state.clone(), started.clone());
            // Made here, so that a thread never starts without it.
            let ep = nodes.state.waiter().map_err(|e| MountError::Thread(e.into()))?;
            let t = std::thread::Builder::new()
                .name(format!("fwctl-fuse-{i}"))
                .spawn(move || {
                    let _ = started.send(nix::unistd::gettid().as_raw());
                    st.serve(&ep)
                })
                .map_err(MountError::Thread)?; // `nodes` drops: unmounted
            nodes.threads.push(t);
        }
        drop(started);
        // Each thread's id, sent as it starts (the loop ends early only if a
        // thread died before sending).
        nodes.tids = tids.iter().take(nodes.threads.len()).collect();
        Ok(nodes)
    }

    /// The mount point.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many handles are open through the nodes.
    pub fn open_handles(&self) -> usize {
        self.state.files.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// The kernel thread ids of the threads serving the nodes, e.g. to watch
    /// them in `/proc/self/task/<tid>/`.
    pub fn server_threads(&self) -> Vec<i32> {
        self.tids.clone()
    }

    /// Unmount now (also done on drop).
    pub fn unmount(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let Some(stop) = self.stop.take() else { return };
        // Detach first so no new path lookup reaches us, then stop the threads;
        // closing /dev/fuse (the last reference to `state`) aborts the connection,
        // so a file still open on a node gets ENOTCONN from then on.
        let _ = nix::mount::umount2(&self.dir, MntFlags::MNT_DETACH);
        let _ = nix::unistd::write(&stop, &[1u8]);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        // Every handle still open is closed exactly once here.
        self.state.files.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

impl Drop for DevNodes {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A FUSE mount whose server died answers `ENOTCONN` to everything: detach it.
fn recover_stale_mount(dir: &Path) {
    if let Err(e) = std::fs::metadata(dir)
        && e.raw_os_error() == Some(libc::ENOTCONN)
    {
        let _ = nix::mount::umount2(dir, MntFlags::MNT_DETACH);
    }
}

/// What one server thread keeps from request to request, so that serving an
/// ioctl allocates nothing once its buffers have grown: the reply being built,
/// the caller-memory buffers, and the identity of the caller it served last.
struct Worker {
    out: Vec<u8>,
    mem: ProcessMemory,
    last: LastCaller,
}

/// Queue a reply: the header, then `body`.
fn reply_ok(reply: &mut Vec<u8>, unique: u64, body: &[u8]) -> bool {
    reply.clear();
    let h = abi::OutHeader { len: (16 + body.len()) as u32, error: 0, unique };
    reply.extend_from_slice(h.as_bytes());
    reply.extend_from_slice(body);
    true
}

/// Queue an error reply.
fn reply_err(reply: &mut Vec<u8>, unique: u64, errno: i32) -> bool {
    reply.clear();
    reply.extend_from_slice(abi::OutHeader { len: 16, error: -errno, unique }.as_bytes());
    true
}

impl State {
    fn serve(&self, ep: &Epoll) {
        let mut buf = vec![0u8; BUF_LEN.max(abi::MIN_READ_BUFFER)];
        let mut w = Worker {
            out: Vec::with_capacity(256),
            mem: ProcessMemory::deferred(0),
            last: LastCaller::default(),
        };
        // As fwctld's connection threads: an RPC's audit line that needs no sync
        // is written after the reply (by the audit writer, or by this thread
        // before it reads the next request), not before it.
        let _write_behind = fwctl_subsys::hooks::WriteBehind::begin();
        // Each thread waits in its own epoll, on /dev/fuse with EPOLLEXCLUSIVE:
        // a request that finds threads waiting wakes one of them, not all (with
        // poll(2), every idle thread woke, and all but one found nothing to read).
        let mut events = [EpollEvent::empty(); 2];
        loop {
            let n = match ep.wait(&mut events, EpollTimeout::NONE) {
                Ok(n) => n,
                Err(NixErrno::EINTR) => continue,
                Err(_) => return,
            };
            if events.iter().take(n).any(|e| e.data() == STOP) {
                return;
            }
            let n = match (&self.fuse).read(&mut buf) {
                Ok(n) => n,
                Err(e) => match e.raw_os_error() {
                    // Another thread took the request, or it was interrupted.
                    Some(libc::EAGAIN) | Some(libc::EINTR) | Some(libc::ENOENT) => continue,
                    // ENODEV: unmounted; anything else: the connection is unusable.
                    _ => return,
                },
            };
            let Some(req) = buf.get(..n) else { continue };
            if self.handle(&mut w, req) {
                // ENOENT: the request was interrupted meanwhile; nothing to do.
                let _ = (&self.fuse).write(&w.out);
            }
            fwctl_subsys::hooks::flush_staged();
        }
    }

    /// A serving thread's epoll: /dev/fuse (exclusive) and the stop pipe.
    fn waiter(&self) -> nix::Result<Epoll> {
        let ep = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
        ep.add(&self.fuse, EpollEvent::new(EpollFlags::EPOLLIN | EpollFlags::EPOLLEXCLUSIVE, FUSE))?;
        ep.add(&self.stop, EpollEvent::new(EpollFlags::EPOLLIN, STOP))?;
        Ok(ep)
    }

    /// Serve one request; `true` when `w.out` holds its reply.
    fn handle(&self, w: &mut Worker, req: &[u8]) -> bool {
        let Ok((h, body)) = abi::InHeader::read_from_prefix(req) else { return false };
        let u = h.unique;
        let reply = &mut w.out;
        match h.opcode {
            op::INIT => {
                let Ok((init, _)) = abi::InitIn::read_from_prefix(body) else {
                    return reply_err(reply, u, libc::EPROTO);
                };
                if init.major != abi::KERNEL_VERSION {
                    return reply_err(reply, u, libc::EPROTO);
                }
                let out = abi::InitOut {
                    major: abi::KERNEL_VERSION,
                    minor: init.minor.min(abi::KERNEL_MINOR_VERSION),
                    max_readahead: init.max_readahead,
                    flags: 0,
                    max_background: 16,
                    congestion_threshold: 12,
                    max_write: MAX_WRITE,
                    time_gran: 1,
                    ..Default::default()
                };
                reply_ok(reply, u, out.as_bytes())
            }
            op::LOOKUP => {
                if h.nodeid != abi::ROOT_ID {
                    return reply_err(reply, u, libc::ENOTDIR);
                }
                let name = body.split(|&b| b == 0).next().unwrap_or_default();
                let Some(minor) =
                    std::str::from_utf8(name).ok().and_then(|n| self.subsystem.minor_by_name(n))
                else {
                    return reply_err(reply, u, libc::ENOENT);
                };
                let out = abi::EntryOut {
                    nodeid: node_of(minor),
                    attr: self.node_attr(minor),
                    ..Default::default()
                };
                reply_ok(reply, u, out.as_bytes())
            }
            op::GETATTR => match self.attr(h.nodeid) {
                Some(attr) => reply_ok(reply, u, abi::AttrOut { attr, ..Default::default() }.as_bytes()),
                None => reply_err(reply, u, libc::ENOENT),
            },
            // chmod/chown/truncate: the nodes' ownership is the daemon's configuration.
            op::SETATTR => reply_err(reply, u, libc::EPERM),
            op::OPENDIR => {
                if h.nodeid != abi::ROOT_ID {
                    return reply_err(reply, u, libc::ENOTDIR);
                }
                reply_ok(reply, u, abi::OpenOut::default().as_bytes())
            }
            op::READDIR => match abi::ReadIn::read_from_prefix(body) {
                Ok((r, _)) => reply_ok(reply, u, &self.readdir(r.offset, r.size as usize)),
                Err(_) => reply_err(reply, u, libc::EINVAL),
            },
            op::RELEASEDIR | op::FLUSH | op::DESTROY => reply_ok(reply, u, &[]),
            op::STATFS => reply_ok(
                reply,
                u,
                abi::StatfsOut { bsize: 4096, namelen: 255, frsize: 4096, ..Default::default() }.as_bytes(),
            ),
            op::OPEN => self.open(reply, &h),
            // fwctl's fops have no read/write: vfs_read/vfs_write answer EINVAL.
            op::READ | op::WRITE => reply_err(reply, u, libc::EINVAL),
            op::RELEASE => {
                if let Ok((r, _)) = abi::FhIn::read_from_prefix(body) {
                    // Dropping the last reference closes the uctx (once).
                    let f = self.files.lock().unwrap_or_else(PoisonError::into_inner).remove(&r.fh);
                    drop(f);
                }
                reply_ok(reply, u, &[])
            }
            op::IOCTL => self.ioctl(w, &h, body),
            op::FORGET | op::BATCH_FORGET | op::INTERRUPT => false,
            _ => reply_err(reply, u, libc::ENOSYS),
        }
    }

    fn open(&self, reply: &mut Vec<u8>, h: &abi::InHeader) -> bool {
        let u = h.unique;
        if h.nodeid == abi::ROOT_ID {
            return reply_err(reply, u, libc::EISDIR);
        }
        let Some(minor) = h.nodeid.checked_sub(2).and_then(|m| u32::try_from(m).ok()) else {
            return reply_err(reply, u, libc::ENOENT);
        };
        let creds = match self.identities.refresh(h.uid, h.gid, h.pid) {
            Ok(c) => c,
            Err(e) => return reply_err(reply, u, e.code()),
        };
        match self.subsystem.open(minor, &creds) {
            Ok(handle) => {
                let fh = self.next_fh.fetch_add(1, Ordering::Relaxed);
                self.files
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(fh, Arc::new(OpenFile { handle, last_in: Mutex::new(None) }));
                let out = abi::OpenOut {
                    fh,
                    open_flags: abi::FOPEN_DIRECT_IO | abi::FOPEN_NONSEEKABLE,
                    padding: 0,
                };
                reply_ok(reply, u, out.as_bytes())
            }
            Err(e) => reply_err(reply, u, e.code()),
        }
    }

    fn ioctl(&self, w: &mut Worker, h: &abi::InHeader, body: &[u8]) -> bool {
        let u = h.unique;
        let reply = &mut w.out;
        let Ok((io, _)) = abi::IoctlIn::read_from_prefix(body) else {
            return reply_err(reply, u, libc::EINVAL);
        };
        // A directory has no fwctl ioctls; fwctl's fops have no compat_ioctl, so a
        // 32-bit caller gets ENOTTY from compat_sys_ioctl.
        if io.flags & (abi::IOCTL_DIR | abi::IOCTL_COMPAT) != 0 {
            return reply_err(reply, u, libc::ENOTTY);
        }
        // The dispatcher's first two steps (drivers/fwctl/main.c): a number that is
        // not exactly FWCTL_INFO or FWCTL_RPC is ENOTTY before anything is read,
        // so it is answered here without looking up the caller.
        if io.cmd != FWCTL_INFO && io.cmd != FWCTL_RPC {
            return reply_err(reply, u, libc::ENOTTY);
        }
        let Some(file) = self.files.lock().unwrap_or_else(PoisonError::into_inner).get(&io.fh).cloned()
        else {
            return reply_err(reply, u, libc::EBADF);
        };
        let creds = match self.identities.credentials_for(&mut w.last, h.uid, h.gid, h.pid) {
            Ok(c) => c,
            Err(e) => return reply_err(reply, u, e.code()),
        };
        // Copy-outs are gathered and written by one process_vm_writev; a fault
        // there is the ioctl's EFAULT, as copy_to_user's would have been.
        let mem = &mut w.mem;
        mem.reuse(creds.pid);
        let last = *file.last_in.lock().unwrap_or_else(PoisonError::into_inner);
        if io.cmd == FWCTL_RPC
            && let Some((arg, at, len)) = last
            && arg == io.arg
        {
            mem.set_read_ahead(at, len);
        }
        let result = file.handle.ioctl(creds, io.cmd, io.arg, mem);
        if io.cmd == FWCTL_RPC {
            // struct fwctl_rpc: size, scope, in_len, out_len, in, out.
            let mut b = [0u8; 24];
            let seen = if mem.fetched(io.arg, &mut b) {
                let word = |o: usize| u32::from_ne_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
                let ptr = u64::from_ne_bytes([b[16], b[17], b[18], b[19], b[20], b[21], b[22], b[23]]);
                (word(0) >= 24).then_some((io.arg, ptr, word(8) as usize))
            } else {
                None
            };
            *file.last_in.lock().unwrap_or_else(PoisonError::into_inner) = seen;
        }
        match mem.flush().and(result) {
            Ok(()) => reply_ok(reply, u, abi::IoctlOut::default().as_bytes()),
            Err(e) => reply_err(reply, u, e.code()),
        }
    }

    fn attr(&self, nodeid: u64) -> Option<abi::Attr> {
        if nodeid == abi::ROOT_ID {
            return Some(abi::Attr {
                ino: abi::ROOT_ID,
                mode: libc::S_IFDIR | 0o755,
                nlink: 2,
                blksize: 4096,
                atime: self.mounted_at,
                mtime: self.mounted_at,
                ctime: self.mounted_at,
                ..Default::default()
            });
        }
        let minor = u32::try_from(nodeid.checked_sub(2)?).ok()?;
        self.subsystem
            .devices()
            .iter()
            .any(|d| d.view.minor == minor && d.state != DeviceState::Removed)
            .then(|| self.node_attr(minor))
    }

    fn node_attr(&self, minor: u32) -> abi::Attr {
        abi::Attr {
            ino: node_of(minor),
            mode: libc::S_IFREG | self.mode,
            nlink: 1,
            uid: self.uid,
            gid: self.gid,
            blksize: 4096,
            atime: self.mounted_at,
            mtime: self.mounted_at,
            ctime: self.mounted_at,
            ..Default::default()
        }
    }

    /// `.`, `..`, then one entry per device by minor, from entry `offset` on,
    /// as many as fit in `size` bytes.
    fn readdir(&self, offset: u64, size: usize) -> Vec<u8> {
        let mut names: Vec<(u64, String, u32)> = vec![
            (abi::ROOT_ID, ".".into(), libc::DT_DIR.into()),
            (abi::ROOT_ID, "..".into(), libc::DT_DIR.into()),
        ];
        let mut devs: Vec<(u32, String)> = self
            .subsystem
            .devices()
            .into_iter()
            .filter(|d| d.state != DeviceState::Removed)
            .map(|d| (d.view.minor, d.view.name.clone()))
            .collect();
        devs.sort();
        names.extend(devs.into_iter().map(|(m, n)| (node_of(m), n, u32::from(libc::DT_REG))));
        let mut out = Vec::new();
        for (i, (ino, name, typ)) in
            names.iter().enumerate().skip(usize::try_from(offset).unwrap_or(usize::MAX))
        {
            let rec = (24 + name.len()).div_ceil(8) * 8;
            if out.len() + rec > size {
                break;
            }
            let d = abi::Dirent { ino: *ino, off: i as u64 + 1, namelen: name.len() as u32, typ: *typ };
            out.extend_from_slice(d.as_bytes());
            out.extend_from_slice(name.as_bytes());
            out.resize(out.len() + rec - 24 - name.len(), 0);
        }
        out
    }
}
