//! One open device: a connection to the daemon's socket `fwctlN`, and the
//! ioctl forwarded over it with the caller's own memory.
//!
//! The caller's memory is touched only by the kernel, never by a plain load or
//! store of this library, so an unmapped or read-only address is an `EFAULT`
//! return, never a crash, exactly where `copy_from_user`/`copy_to_user` would
//! fault, and a copy running into a hole stops there. Three kernel paths do it:
//!
//! * the argument struct is read with `process_vm_readv` on this very process
//!   (its bytes decide which buffers the dispatcher reads);
//! * the buffers the dispatcher reads (`in`) travel as `sendmsg` iovecs that
//!   point into the caller's memory: the kernel copies them into the frame.
//!   A frame that fits one socket buffer is sent whole or not at all, so a fault
//!   there (`EFAULT`, nothing sent) falls back to reading the readable prefix
//!   with `process_vm_readv`, whose frame makes the daemon fault at the same
//!   byte as `copy_from_user` would;
//! * the reply to an `FWCTL_RPC` is received with one `recvmsg` whose iovecs
//!   are laid out for the reply the dispatcher gives (the struct's segment is
//!   sent first, so its range comes first and `out`, the one range of unknown
//!   length, last): the frame's head and range heads into this library's
//!   buffers, the struct's 32 bytes and the `out` bytes straight into the
//!   caller's memory, where the socket layer's `copy_to_user` writes them. An
//!   error reply (20 bytes) never reaches the caller's memory; a shorter `out`
//!   is a shorter read. Anything else that landed (a reply of another shape,
//!   an `ERROR` frame, a fault part-way) is undone: the struct and `out` as
//!   they were before the call are at hand (the struct read at the start; `out`
//!   read with it, in the same `process_vm_readv`, when the previous call used
//!   the same struct and the same `out`: the fast path is taken only then),
//!   and the frame is then written the exact way below;
//! * any other reply (`FWCTL_INFO`, a zero tail, an unusual layout) is
//!   received whole and written with `process_vm_writev` in the kernel's order
//!   (the buffers, then the struct), which stops at the first fault as
//!   `copy_to_user` does.
//!
//! A repeated call skips the first of those system calls (leaving `sendmsg`,
//! then `poll` and `recvmsg`, as the daemon's own socket client waits and
//! reads: see `wait_readable`): the speculative path. When the last
//! struct forwarded on this connection was at the same address and the struct
//! there has repeated unchanged (the slow path compares it for free, see
//! `Trust`), the call sends an `IOCTL_IF_SAME` frame
//! (`fwctl_ipc::server::speculate`) without reading the struct: the kernel
//! copies the struct itself and `in` (at the address the last struct named)
//! from the caller's memory at `sendmsg` time, and the frame carries the struct
//! bytes expected. The daemon compares them before anything runs:
//!
//! * the same: the request run is exactly the one the program made (the struct
//!   and `in` as the kernel copied them). The daemon sends only replies that
//!   land exactly in the one-`recvmsg` layout (an error, the struct alone, the
//!   struct and `out` from its start without a zero tail), and holds any other
//!   (an `ERROR` frame, another shape) behind a 16-byte `HELD` frame that stays
//!   in this library's buffer; the reply is then fetched and written the exact
//!   way. So nothing needs undoing in `out`, and `out` is not read before the
//!   call. A fault part-way through the receive is mended as above: the struct
//!   as it was is the expected bytes, and a reply that lands exactly rewrites
//!   the prefix of `out` the fault left with the same bytes. The reply fits one
//!   `sk_buff` (`out` at most 4 KiB), so it is received whole or not at all;
//! * different: a 16-byte `HELD` frame says nothing ran (no driver call, no
//!   audit line, no taint), and the call takes the slow path. The connection
//!   then stops guessing until the struct repeats unchanged again, for twice
//!   as many calls after each failed guess (at most 64), so a program that
//!   fills its struct differently every call pays no extra round trip;
//! * the struct or `in` unmapped: `sendmsg` fails with `EFAULT` having sent
//!   nothing, and the slow path gives the kernel's answer.
//!
//! One request is outstanding per connection at a time, and each reply is
//! consumed whole (or the connection is marked broken): so the socket never
//! holds more than the reply being received, and a read may ask for more bytes
//! than the frame has.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use fwctl_ipc::server::speculate;
use fwctl_ipc::server::wire::{self, Kind, SEG_DATA, SEG_WRITABLE, SegmentHeader};
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{FWCTL_INFO, FWCTL_RPC, FWCTL_RPC_MIN_SIZE, MAX_RPC_LEN};
use nix::libc;
use nix::sys::socket::{self, AddressFamily, MsgFlags, SockFlag, SockType, UnixAddr};
use nix::sys::uio::{RemoteIoVec, process_vm_readv, process_vm_writev};
use nix::unistd::Pid;

/// Largest zero fill gathered into the one copy-out system call.
const MAX_GATHER: usize = 1024 * 1024;

/// Longest argument struct forwarded (its `size` may say more: see [`Conn::ioctl`]).
const STRUCT_CAP: usize = 64 * 1024;

/// The page size the read-ahead stays within (4 KiB divides every Linux page size).
const PAGE: usize = 4096;

/// Bytes of the argument struct read ahead with its first system call (the
/// kernel's `fwctl_info` is 24 bytes, `fwctl_rpc` 32); a larger `size` is
/// read as a buffer is.
const WINDOW: usize = 64;

/// `sizeof(struct fwctl_rpc)`, the bytes `ucmd_respond` copies back (any
/// `size` the dispatcher accepts is at least this: it is the `min_size`).
const RPC_STRUCT: usize = FWCTL_RPC_MIN_SIZE as usize;

/// Frame offset of the struct's bytes in the reply the one-`recvmsg` receive
/// expects: header, result, range count, the struct's range head.
const AT_STRUCT: usize = wire::HEADER_LEN + 8 + 16;

/// Frame offset of the `out` range head in that reply.
const AT_OUT_HEAD: usize = AT_STRUCT + RPC_STRUCT;

/// Frame offset of the `out` bytes in that reply.
const AT_OUT: usize = AT_OUT_HEAD + 16;

/// Longest `out` buffer received straight into (its bytes before the call are
/// read with the struct, to undo a reply of another shape).
const SAVE_CAP: usize = 4096;

/// First read of a reply received whole.
const FIRST_READ: usize = 4096;

/// `SKB_MAX_HEAD(0) + UNIX_SKB_FRAGS_SZ` is above this (`net/unix/af_unix.c`,
/// `unix_stream_sendmsg`: one `sk_buff` holds at most that much, and at most
/// `(sk_sndbuf >> 1) - 64`); a frame no longer than both is sent as one
/// `sk_buff`, so all of it or nothing.
const ONE_SKB: usize = 32 * 1024;

/// The open device.
#[derive(Debug)]
pub struct Conn {
    fd: RawFd,
    out: Vec<u8>,
    /// A reply received whole: `frame[..frame_len]`.
    frame: Vec<u8>,
    frame_len: usize,
    window: Vec<u8>,
    regions: Vec<Region>,
    segs: Vec<SegmentHeader>,
    /// The one-`recvmsg` receive: the frame head and the struct's range head.
    head: [u8; AT_STRUCT],
    /// And the `out` range head.
    out_head: [u8; 16],
    /// The previous RPC's struct address, `out` and `out_len`: the buffer
    /// read into `saved` with the next struct at that address.
    prev: Option<Prev>,
    /// `out`'s bytes before this call (see [`Conn::read_struct`]).
    saved: Vec<u8>,
    /// Replies received with the one `recvmsg`, and of those, the ones mended
    /// (tests check the path taken).
    #[cfg(test)]
    laid_out: (usize, usize),
    /// Longest frame `sendmsg` sends as one `sk_buff` on this socket.
    one_skb: usize,
    /// A frame went out in part: the stream is out of step, every call is `EIO`.
    broken: bool,
    /// What the request head in `out` was encoded for (see [`Conn::send_direct`]).
    head_key: Option<HeadKey>,
    /// The speculative request, and when to send it.
    spec: Option<Box<Spec>>,
    trust: Trust,
    /// Speculative calls that ran, that were not run (the struct differed),
    /// and whose reply was fetched (tests check the path taken).
    #[cfg(test)]
    spoke: (usize, usize, usize),
}

fn errno_of(e: nix::errno::Errno) -> i32 {
    e as i32
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

/// Connect to `<runtime_dir>/fwctl<minor>` and read the daemon's answer to the
/// open (the `HELLO` frame). `Ok(fd)`: the socket, which becomes the caller's
/// file descriptor.
pub fn open(runtime_dir: &Path, minor: u32, cloexec: bool) -> Result<RawFd, i32> {
    let path = runtime_dir.join(format!("fwctl{minor}"));
    let flags = if cloexec { SockFlag::SOCK_CLOEXEC } else { SockFlag::empty() };
    let sock = socket::socket(AddressFamily::Unix, SockType::Stream, flags, None).map_err(errno_of)?;
    let addr = UnixAddr::new(path.as_os_str().as_bytes()).map_err(errno_of)?;
    socket::connect(sock.as_raw_fd(), &addr).map_err(|e| match e {
        nix::errno::Errno::ENOENT => libc::ENOENT,
        nix::errno::Errno::EACCES | nix::errno::Errno::EPERM => libc::EACCES,
        // A socket nobody serves: the device has no driver behind it.
        _ => libc::ENXIO,
    })?;
    let mut head = [0u8; wire::HEADER_LEN];
    recv_exact(sock.as_raw_fd(), &mut head).map_err(|_| libc::EIO)?;
    let h = wire::decode_header(&head).map_err(|_| libc::EIO)?;
    let mut body = vec![0u8; h.len];
    recv_exact(sock.as_raw_fd(), &mut body).map_err(|_| libc::EIO)?;
    if h.kind != Kind::Hello {
        return Err(libc::EIO);
    }
    let code = body.first_chunk::<4>().map(|b| u32::from_le_bytes(*b)).ok_or(libc::EIO)?;
    match wire::decode_result(Kind::Hello, code) {
        Ok(Ok(())) => Ok(into_raw(sock)),
        Ok(Err(e)) => Err(e.code()),
        Err(_) => Err(libc::EIO),
    }
}

fn into_raw(fd: OwnedFd) -> RawFd {
    std::os::fd::IntoRawFd::into_raw_fd(fd)
}

fn recv_exact(fd: RawFd, mut buf: &mut [u8]) -> Result<(), nix::errno::Errno> {
    while !buf.is_empty() {
        match socket::recv(fd, buf, MsgFlags::MSG_WAITALL) {
            Ok(0) => return Err(nix::errno::Errno::ECONNRESET),
            Ok(n) => buf = &mut buf[n..],
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn send_all(fd: RawFd, mut buf: &[u8]) -> Result<(), nix::errno::Errno> {
    while !buf.is_empty() {
        match socket::send(fd, buf, MsgFlags::MSG_NOSIGNAL) {
            Ok(n) => buf = &buf[n..],
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Read as much of `[addr, addr + len)` of process `pid` (this one) as is
/// readable, from the front.
fn read_prefix(pid: Pid, addr: u64, dst: &mut [u8]) -> usize {
    if dst.is_empty() {
        return 0;
    }
    let Ok(base) = usize::try_from(addr) else { return 0 };
    let len = dst.len();
    let remote = [RemoteIoVec { base, len }];
    let mut local = [IoSliceMut::new(dst)];
    process_vm_readv(pid, &mut local, &remote).unwrap_or(0)
}

fn write_zeros(pid: Pid, mut addr: u64, mut len: usize) -> bool {
    static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];
    while len > 0 {
        let n = len.min(ZEROS.len());
        let Ok(base) = usize::try_from(addr) else { return false };
        let remote = [RemoteIoVec { base, len: n }];
        let local = [IoSlice::new(&ZEROS[..n])];
        if !matches!(process_vm_writev(pid, &local, &remote), Ok(w) if w == n) {
            return false;
        }
        addr += n as u64;
        len -= n;
    }
    true
}

fn write_all_in_order(pid: Pid, writes: &[(u64, Vec<u8>)]) -> bool {
    let total: usize = writes.iter().map(|(_, b)| b.len()).sum();
    if total == 0 {
        return true;
    }
    let mut remote = Vec::with_capacity(writes.len());
    for (addr, b) in writes {
        let Ok(base) = usize::try_from(*addr) else { return false };
        remote.push(RemoteIoVec { base, len: b.len() });
    }
    let local: Vec<IoSlice<'_>> = writes.iter().map(|(_, b)| IoSlice::new(b)).collect();
    matches!(process_vm_writev(pid, &local, &remote), Ok(n) if n == total)
}

/// Scan `[start, start + len)` of process `pid`: how many bytes from the start
/// are readable zeros, and the non-zero byte that ends them, if one does
/// (otherwise a fault or the end does).
fn scan_zeros(pid: Pid, start: u64, len: u64) -> (u64, Option<u8>) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut off = 0u64;
    while off < len {
        let n = (len - off).min(buf.len() as u64) as usize;
        let got = read_prefix(pid, start + off, &mut buf[..n]);
        if let Some(i) = buf[..got].iter().position(|&b| b != 0) {
            return (off + i as u64, Some(buf[i]));
        }
        off += got as u64;
        if got < n {
            break;
        }
    }
    (off, None)
}

/// A piece of the caller's memory the dispatcher may touch.
#[derive(Debug, Clone, Copy)]
struct Region {
    addr: u64,
    len: u64,
    read: bool,
    write: bool,
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    b.get(off..off + 4).map(|s| u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    let s = b.get(off..off + 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_ne_bytes(a))
}

/// Merge overlapping regions in place (the wire protocol wants disjoint
/// segments; a caller may well pass the same buffer as `in` and `out`).
fn merge(v: &mut Vec<Region>) {
    // Usually there is nothing to do (and the order does not matter).
    let apart = |a: &Region, b: &Region| {
        a.addr.saturating_add(a.len) <= b.addr || b.addr.saturating_add(b.len) <= a.addr
    };
    if v.iter().enumerate().all(|(i, a)| a.len > 0 && v[..i].iter().all(|b| apart(a, b))) {
        return;
    }
    v.retain(|r| r.len > 0);
    v.sort_unstable_by_key(|r| r.addr);
    // Join the overlapping ones.
    let mut kept = 0usize;
    for i in 0..v.len() {
        let r = v[i];
        if kept > 0 {
            let last = &mut v[kept - 1];
            if r.addr < last.addr.saturating_add(last.len) {
                let end = (last.addr.saturating_add(last.len)).max(r.addr.saturating_add(r.len));
                last.len = end - last.addr;
                last.read |= r.read;
                last.write |= r.write;
                continue;
            }
        }
        v[kept] = r;
        kept += 1;
    }
    v.truncate(kept);
}

/// This process's id, for `process_vm_readv`/`writev` on itself.
///
/// Cached in a page of its own marked `MADV_WIPEONFORK`: the kernel hands a
/// forked child (by `fork`, or a raw `clone` that bypasses libc's handlers)
/// that page zeroed, so a child reads its own id again and never addresses its
/// parent. A `CLONE_VM` child shares the page, and with it the address space
/// the id names. Without the page (`mmap` or `madvise` refused), every call
/// asks `getpid`.
fn this_pid() -> Pid {
    use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
    /// 0: not set up yet; 1: unavailable; otherwise the page's address.
    static SLOT: AtomicUsize = AtomicUsize::new(0);
    let mut at = SLOT.load(Ordering::Acquire);
    if at == 0 {
        at = wipe_on_fork_page().unwrap_or(1);
        if let Err(won) = SLOT.compare_exchange(0, at, Ordering::AcqRel, Ordering::Acquire) {
            if at != 1 {
                // SAFETY: the page this call mapped, never published.
                unsafe { libc::munmap(at as *mut libc::c_void, PAGE) };
            }
            at = won;
        }
    }
    if at == 1 {
        return Pid::this();
    }
    // SAFETY: `at` is a live, page-aligned, read-write mapping never unmapped
    // (published once, for the process's life), so a suitably aligned AtomicI32.
    let cached = unsafe { &*(at as *const AtomicI32) };
    match cached.load(Ordering::Relaxed) {
        0 => {
            let pid = Pid::this();
            cached.store(pid.as_raw(), Ordering::Relaxed);
            pid
        }
        pid => Pid::from_raw(pid),
    }
}

/// A zeroed private page the kernel wipes in forked children.
fn wipe_on_fork_page() -> Option<usize> {
    // SAFETY: a fresh private anonymous mapping, touched only through this module.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            PAGE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return None;
    }
    // SAFETY: advice on the mapping just made.
    if unsafe { libc::madvise(p, PAGE, libc::MADV_WIPEONFORK) } != 0 {
        // SAFETY: the mapping just made.
        unsafe { libc::munmap(p, PAGE) };
        return None;
    }
    Some(p as usize)
}

/// The bytes of `region` inside `window` (which starts at `base`), if all are there.
fn in_window(window: &[u8], base: u64, r: &Region) -> Option<usize> {
    let off = usize::try_from(r.addr.checked_sub(base)?).ok()?;
    let end = off.checked_add(usize::try_from(r.len).ok()?)?;
    (end <= window.len()).then_some(off)
}

/// What an IOCTL request's head (header, command, segment table) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HeadKey {
    cmd: u32,
    arg: u64,
    n: usize,
    segs: [SegmentHeader; 4],
}

/// The previous RPC on a connection (see [`Conn::read_struct`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Prev {
    arg: u64,
    out: u64,
    out_len: u32,
}

/// Where the one-`recvmsg` receive puts an RPC reply: frame bytes
/// `[AT_STRUCT, AT_OUT_HEAD)` at `arg`, `[AT_OUT, AT_OUT + out_len)` at `out`.
#[derive(Debug, Clone, Copy)]
struct Layout {
    arg: u64,
    out: u64,
    out_len: usize,
    /// The index of `out`'s segment in the request (`u32::MAX`: none).
    out_seg: u32,
    /// Whether `saved` holds `out` as it was before the call (else a reply
    /// landing there cannot be undone: the speculative path, whose replies
    /// the daemon keeps to the shapes that land exactly).
    saved: bool,
}

/// The speculative request for the next call with the struct at `arg` (see
/// [`Conn::speculate`]): the last struct forwarded there, and the frame made
/// for it.
#[derive(Debug, Clone)]
struct Spec {
    arg: u64,
    /// The struct's segment as last sent: the bytes the daemon must find.
    expected: [u8; WINDOW],
    len: usize,
    /// The frame up to the struct's bytes: header, expected bytes, the IOCTL
    /// request's head (the data follows from the caller's memory).
    head: Vec<u8>,
    /// The buffers sent after the struct (`in`), from the caller's memory.
    reads: [(u64, usize); 3],
    nreads: usize,
    /// The frame's length.
    total: usize,
    segs: Vec<SegmentHeader>,
    layout: Layout,
}

/// Most calls a struct must repeat unchanged before the speculative path is
/// taken again after a guess failed (the wait doubles with each failure).
const MAX_NEED: u32 = 64;

/// When to speculate: only after the struct at one address was seen
/// unchanged `need` calls in a row (compared in the slow path, for free).
#[derive(Debug, Clone, Copy)]
struct Trust {
    armed: bool,
    streak: u32,
    need: u32,
    mode: Speculate,
}

/// Whether a descriptor sends speculative requests (`FWCTL_EXEC_SPECULATE`,
/// see [`crate::config`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Speculate {
    /// Never: every call reads its struct first (`0`).
    Off,
    /// Once the struct repeats, waiting twice as long after each failed guess
    /// (the default).
    #[default]
    Repeat,
    /// Once the struct repeats, never waiting longer (`always`): every call
    /// that repeats the previous one is speculative, as tests want.
    Always,
}

fn le32(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4).map_or(u32::MAX, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Read `[a, a + da.len())` and `[b, b + db.len())` of process `pid` with one
/// system call; the bytes read, from the front (a fault ends the copy).
fn read_two(pid: Pid, a: u64, da: &mut [u8], b: u64, db: &mut [u8]) -> usize {
    let (Ok(a), Ok(b)) = (usize::try_from(a), usize::try_from(b)) else { return 0 };
    let remote = [RemoteIoVec { base: a, len: da.len() }, RemoteIoVec { base: b, len: db.len() }];
    let mut local = [IoSliceMut::new(da), IoSliceMut::new(db)];
    process_vm_readv(pid, &mut local, &remote).unwrap_or(0)
}

/// Wait until `fd` has something to read: before a reply's first receive, and
/// when a caller made the descriptor non-blocking (the reply is on its way).
///
/// With `poll(POLLIN)` rather than by blocking in `recvmsg`: a reader blocked
/// in a receive on a Unix socket is also woken each time the daemon consumes
/// the request this socket sent (`unix_write_space` wakes every sleeper on
/// the socket), only to find nothing and sleep again, a second wake-up per
/// round trip (an inter-processor interrupt on a VM); a `poll` waiter is woken
/// for `POLLIN` only. The daemon's socket client waits the same way. An error
/// here (`EINTR`) is left to the receive that follows, which then blocks.
fn wait_readable(fd: RawFd) {
    let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: poll(2) on one pollfd of ours.
    unsafe { libc::poll(&mut p, 1, -1) };
}

impl Conn {
    /// Wrap a connected socket.
    pub fn new(fd: RawFd, speculate: Speculate) -> Conn {
        let mut sndbuf: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: getsockopt(2) into a c_int of the length given.
        let r = unsafe {
            libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_SNDBUF, (&raw mut sndbuf).cast(), &mut len)
        };
        let half = if r == 0 { usize::try_from(sndbuf / 2 - 64).unwrap_or(0) } else { 0 };
        Conn {
            fd,
            out: Vec::new(),
            frame: Vec::new(),
            frame_len: 0,
            window: Vec::with_capacity(WINDOW),
            regions: Vec::with_capacity(4),
            segs: Vec::with_capacity(4),
            head: [0; AT_STRUCT],
            out_head: [0; 16],
            prev: None,
            saved: Vec::new(),
            #[cfg(test)]
            laid_out: (0, 0),
            head_key: None,
            one_skb: half.min(ONE_SKB),
            broken: false,
            spec: None,
            trust: Trust { armed: false, streak: 0, need: 1, mode: speculate },
            #[cfg(test)]
            spoke: (0, 0, 0),
        }
    }

    /// The regions an ioctl `cmd` with argument `arg` may touch, read from the
    /// caller as the dispatcher will need them: the struct (its `size`, capped),
    /// then what its pointers name (lengths the kernel refuses before reading
    /// are not sent).
    fn plan(regions: &mut Vec<Region>, pid: Pid, cmd: u32, arg: u64, window: &[u8]) -> Option<(u64, u64)> {
        regions.clear();
        if cmd != FWCTL_INFO && cmd != FWCTL_RPC {
            return None;
        }
        let mut head = [0u8; 32];
        let n = if window.len() >= head.len() {
            head.copy_from_slice(&window[..32]);
            32
        } else {
            read_prefix(pid, arg, &mut head)
        };
        let Some(size) = u32_at(&head[..n], 0) else {
            // The size word itself faults: send what is readable (the server
            // then faults where copy_from_user would).
            regions.push(Region { addr: arg, len: n as u64, read: true, write: true });
            merge(regions);
            return None;
        };
        let struct_len = (size as usize).min(STRUCT_CAP) as u64;
        regions.push(Region { addr: arg, len: struct_len, read: true, write: true });
        let b = &head[..n.min(size as usize)];
        if cmd == FWCTL_INFO {
            if let (Some(len), Some(ptr)) = (u32_at(b, 12), u64_at(b, 16)) {
                regions.push(Region { addr: ptr, len: len.into(), read: false, write: true });
            }
        } else if let (Some(in_len), Some(out_len), Some(inp), Some(out)) =
            (u32_at(b, 8), u32_at(b, 12), u64_at(b, 16), u64_at(b, 24))
            && in_len as usize <= MAX_RPC_LEN
            && out_len as usize <= MAX_RPC_LEN
        {
            regions.push(Region { addr: inp, len: in_len.into(), read: true, write: false });
            regions.push(Region { addr: out, len: out_len.into(), read: false, write: true });
        }
        merge(regions);
        // The struct's segment first: the daemon reports written ranges in
        // segment order, so the struct's (32 bytes for an RPC) comes before
        // `out`'s, whose length only the reply tells (see `receive_rpc`).
        if let Some(i) = regions.iter().position(|r| r.addr == arg) {
            regions[..=i].rotate_right(1);
        }
        // A `size` beyond STRUCT_CAP: the rest of the struct, which the
        // dispatcher only checks for zeros (when no buffer overlaps it).
        let end = arg.checked_add(u64::from(size))?;
        let tail = (arg + struct_len, end - arg - struct_len);
        (tail.1 > 0 && regions.iter().all(|r| r.addr == arg || r.addr >= end || r.addr + r.len <= arg))
            .then_some(tail)
    }

    /// `ioctl(fd, cmd, arg)` as the kernel's fwctl node answers it, the
    /// dispatcher running in the daemon. `Err(errno)` on failure.
    ///
    /// A struct `size` above 64 KiB is forwarded as its first 64 KiB and what
    /// the zero check of the rest would find. One difference from the kernel,
    /// at sizes no real caller uses: when a buffer lies inside such a struct,
    /// only the first 64 KiB go (an all-zero rest is then `EFAULT`).
    /// `fd` is the descriptor the caller used (the one opened, or a `dup` of it).
    pub fn ioctl(&mut self, fd: RawFd, cmd: u32, arg: u64) -> Result<(), i32> {
        self.fd = fd;
        if self.broken {
            return Err(libc::EIO);
        }
        // Read per call: a forked child's memory is its own.
        let pid = this_pid();
        if cmd == FWCTL_RPC
            && self.trust.armed
            && self.spec.as_ref().is_some_and(|s| s.arg == arg)
            && let Some(r) = self.speculate(pid)
        {
            return r;
        }
        let saved = self.read_struct(pid, cmd, arg);
        let mut regions = std::mem::take(&mut self.regions);
        let tail = Self::plan(&mut regions, pid, cmd, arg, &self.window);
        let mut segs = std::mem::take(&mut self.segs);
        let mut direct = false;
        let sent = match tail {
            Some(_) => self.send_read(&mut segs, pid, cmd, arg, &regions, tail),
            None => match self.send_direct(&mut segs, cmd, arg, &regions) {
                Ok(true) => {
                    direct = true;
                    Ok(())
                }
                Ok(false) => self.send_read(&mut segs, pid, cmd, arg, &regions, None),
                Err(e) => Err(e),
            },
        };
        let shape = self.layout(cmd, arg, &segs, tail.is_some());
        let r = sent.and_then(|()| {
            match shape.filter(|l| l.out_len == 0 || saved == Some((l.out, l.out_len as u32))) {
                Some(l) => self.receive_rpc(pid, &l, &segs, false).unwrap_or(Err(libc::EIO)),
                None => self.receive_whole(pid, arg, &segs),
            }
        });
        self.prev = (cmd == FWCTL_RPC)
            .then(|| Some(Prev { arg, out: u64_at(&self.window, 24)?, out_len: u32_at(&self.window, 12)? }))
            .flatten();
        self.remember(cmd, arg, &segs, shape.filter(|_| direct));
        (self.regions, self.segs) = (regions, segs);
        r
    }

    /// After a call that read its struct: whether it is the struct last seen
    /// at that address (then a speculative request would have run: one more
    /// call in a row, see [`Trust`]; once enough, the request is made, from
    /// this call's segments and its reply's one-`recvmsg` layout `l`, given
    /// only when its buffers went straight from the caller's memory), or else
    /// the struct to compare the next call with. A struct that changes every
    /// call costs a 32-byte comparison and copy, no frame is made for it.
    fn remember(&mut self, cmd: u32, arg: u64, segs: &[SegmentHeader], l: Option<Layout>) {
        let same = self.spec.as_ref().is_some_and(|s| {
            cmd == FWCTL_RPC && s.arg == arg && self.window.get(..s.len) == Some(&s.expected[..s.len])
        });
        if same {
            let t = &mut self.trust;
            t.streak = t.streak.saturating_add(1);
            if !t.armed && t.streak >= t.need && t.mode != Speculate::Off {
                let mut spec = self.spec.take();
                let made = match (spec.as_mut(), l) {
                    (Some(s), Some(l)) => self.make_request(s, cmd, segs, l),
                    _ => false,
                };
                (self.spec, self.trust.armed) = (spec, made);
            }
            return;
        }
        (self.trust.streak, self.trust.armed) = (0, false);
        match segs.first().map(|f| f.len as usize) {
            Some(len)
                if cmd == FWCTL_RPC && segs[0].addr == arg && len <= WINDOW && self.window.len() >= len =>
            {
                let s = self.spec.get_or_insert_with(|| {
                    Box::new(Spec {
                        arg,
                        expected: [0; WINDOW],
                        len,
                        head: Vec::new(),
                        reads: [(0, 0); 3],
                        nreads: 0,
                        total: 0,
                        segs: Vec::new(),
                        layout: Layout { arg, out: 0, out_len: 0, out_seg: u32::MAX, saved: false },
                    })
                });
                (s.arg, s.len) = (arg, len);
                s.expected[..len].copy_from_slice(&self.window[..len]);
            }
            _ => self.spec = None,
        }
    }

    /// Make the speculative request for the struct `s` expects (its buffers
    /// reused), from the segments of a call that sent that struct. `false`
    /// when it does not qualify: an `out` longer than [`SAVE_CAP`] (the
    /// daemon's reply stays one `sk_buff`, received whole or not at all), or a
    /// frame longer than one `sk_buff`.
    fn make_request(&self, s: &mut Spec, cmd: u32, segs: &[SegmentHeader], l: Layout) -> bool {
        const SEG: SegmentHeader = SegmentHeader { addr: 0, len: 0, flags: 0 };
        let len = s.len;
        if segs.first().is_none_or(|f| f.len as usize != len) || l.out_len > SAVE_CAP || segs.len() > 4 {
            return false;
        }
        (s.nreads, s.layout) = (0, Layout { saved: false, ..l });
        let mut data_len = len;
        for h in segs[1..].iter().filter(|h| h.has_data() && h.len > 0) {
            let Some(slot) = s.reads.get_mut(s.nreads) else { return false };
            *slot = (h.addr, h.len as usize);
            s.nreads += 1;
            data_len += h.len as usize;
        }
        let mut pairs: [(SegmentHeader, Option<&[u8]>); 4] = [(SEG, None); 4];
        for (p, h) in pairs.iter_mut().zip(segs) {
            p.0 = *h;
        }
        wire::begin_frame(&mut s.head, Kind::IoctlIfSame);
        speculate::encode_expected(&mut s.head, &s.expected[..len]);
        wire::encode_ioctl(&mut s.head, cmd, s.arg, &pairs[..segs.len()]);
        s.total = s.head.len() + data_len;
        let Ok(payload) = u32::try_from(s.total - wire::HEADER_LEN) else { return false };
        s.head[8..12].copy_from_slice(&payload.to_le_bytes());
        s.segs.clear();
        s.segs.extend_from_slice(segs);
        s.total <= self.one_skb
    }

    /// Send the speculative request (the struct and `in` copied by the
    /// kernel from the caller's memory, with the struct bytes expected) and
    /// receive its reply. `None`: take the slow path (the daemon found
    /// another struct and ran nothing, or the kernel met a fault reading the
    /// caller's memory and sent nothing).
    fn speculate(&mut self, pid: Pid) -> Option<Result<(), i32>> {
        let spec = self.spec.take()?;
        let r = self.speculate_with(pid, &spec);
        self.spec = Some(spec);
        if r.is_none() {
            let t = &mut self.trust;
            (t.armed, t.streak) = (false, 0);
        }
        r
    }

    fn speculate_with(&mut self, pid: Pid, s: &Spec) -> Option<Result<(), i32>> {
        const NONE: libc::iovec = libc::iovec { iov_base: std::ptr::null_mut(), iov_len: 0 };
        let mut iov = [NONE; 5];
        iov[0] = libc::iovec { iov_base: s.head.as_ptr().cast_mut().cast(), iov_len: s.head.len() };
        // Only the kernel dereferences the caller's addresses (copy_from_user in sendmsg).
        iov[1] = libc::iovec { iov_base: s.arg as usize as *mut libc::c_void, iov_len: s.len };
        for (slot, &(addr, len)) in iov[2..].iter_mut().zip(&s.reads[..s.nreads]) {
            *slot = libc::iovec { iov_base: addr as usize as *mut libc::c_void, iov_len: len };
        }
        // SAFETY: an all-zero msghdr is valid (no name, no control data).
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_iov = iov.as_mut_ptr();
        msg.msg_iovlen = 2 + s.nreads;
        loop {
            // SAFETY: sendmsg(2) reads the iovecs: our own buffer, alive for
            // the call, and caller addresses the kernel checks and copies from.
            let r = unsafe { libc::sendmsg(self.fd, &msg, libc::MSG_NOSIGNAL) };
            match usize::try_from(r) {
                Ok(n) if n == s.total => break,
                Ok(_) => {
                    // Impossible for one sk_buff; the stream is out of step.
                    self.broken = true;
                    return Some(Err(libc::EIO));
                }
                Err(_) => match last_errno() {
                    libc::EINTR => {}
                    // Nothing sent: the slow path gives the kernel's answer.
                    libc::EFAULT => return None,
                    _ => return Some(Err(libc::EIO)),
                },
            }
        }
        // The struct before the call, should a receive need undoing (the
        // daemon ran the call only if the struct was these bytes).
        self.window.clear();
        self.window.extend_from_slice(&s.expected[..s.len]);
        let r = self.receive_rpc(pid, &s.layout, &s.segs, true);
        #[cfg(test)]
        {
            if r.is_some() {
                self.spoke.0 += 1;
            } else {
                self.spoke.1 += 1;
            }
        }
        if r.is_none() && self.trust.mode == Speculate::Repeat {
            self.trust.need = self.trust.need.saturating_mul(2).min(MAX_NEED);
        }
        r
    }

    /// Read the argument struct into `window` with one system call (and
    /// whatever follows it on its page, up to [`WINDOW`] bytes: protection is
    /// per page, so this faults no more than the struct alone would). At
    /// least `sizeof(struct fwctl_rpc)` is asked for, so a struct across a
    /// page boundary is read whole by that one call too (or as far as it is
    /// readable: the read stops at the first unreadable byte).
    ///
    /// When the previous RPC used a struct at the same address, its `out`
    /// buffer (up to [`SAVE_CAP`] bytes) is read into `saved` by the same
    /// call: if this RPC names the same buffer, those are its bytes before the
    /// call, and the reply may be received straight into it. Returns that
    /// buffer (address, length) when all of it was read.
    fn read_struct(&mut self, pid: Pid, cmd: u32, arg: u64) -> Option<(u64, u32)> {
        self.window.clear();
        if cmd != FWCTL_INFO && cmd != FWCTL_RPC {
            return None;
        }
        let want = (PAGE - (arg as usize & (PAGE - 1))).clamp(RPC_STRUCT, WINDOW);
        self.window.resize(want, 0);
        let prev = self.prev.filter(|p| cmd == FWCTL_RPC && p.arg == arg && p.out_len as usize <= SAVE_CAP);
        let Some(p) = prev else {
            let n = read_prefix(pid, arg, &mut self.window);
            self.window.truncate(n);
            return None;
        };
        self.saved.resize(p.out_len as usize, 0);
        let n = read_two(pid, arg, &mut self.window, p.out, &mut self.saved);
        self.window.truncate(n.min(want));
        (n == want + self.saved.len()).then_some((p.out, p.out_len))
    }

    /// The one-`recvmsg` layout for this call's reply, when its shape allows
    /// it: an RPC whose whole struct was read (to undo a write to it), sent as
    /// the first segment, every other segment read-only but `out`. (The slow
    /// path also needs `out` empty or its bytes before the call in `saved`.)
    fn layout(&self, cmd: u32, arg: u64, segs: &[SegmentHeader], tail: bool) -> Option<Layout> {
        if cmd != FWCTL_RPC || tail || self.window.len() < RPC_STRUCT {
            return None;
        }
        let w = &self.window;
        let (size, out_len, out) = (u32_at(w, 0)?, u32_at(w, 12)?, u64_at(w, 24)?);
        let first = segs.first()?;
        if (size as usize) < RPC_STRUCT
            || first.addr != arg
            || first.flags != SEG_DATA | SEG_WRITABLE
            || (first.len as usize) < RPC_STRUCT
        {
            return None;
        }
        let mut out_seg = None;
        for (i, s) in segs.iter().enumerate().skip(1) {
            if s.writable() {
                if out_seg.is_some() || s.addr != out || s.len != out_len || s.has_data() {
                    return None;
                }
                out_seg = u32::try_from(i).ok();
            }
        }
        if out_len > 0 && out_seg.is_none() {
            return None;
        }
        Some(Layout {
            arg,
            out,
            out_len: out_len as usize,
            out_seg: out_seg.unwrap_or(u32::MAX),
            saved: true,
        })
    }

    /// Send the IOCTL frame with the buffers the dispatcher reads as iovecs
    /// into the caller's memory, its segments put in `segs`. `Ok(false)` when
    /// that cannot be done exactly: the frame is longer than one `sk_buff`, or
    /// the kernel met a fault while copying (then nothing was sent).
    fn send_direct(
        &mut self,
        segs: &mut Vec<SegmentHeader>,
        cmd: u32,
        arg: u64,
        regions: &[Region],
    ) -> Result<bool, i32> {
        const NONE: libc::iovec = libc::iovec { iov_base: std::ptr::null_mut(), iov_len: 0 };
        const SEG: SegmentHeader = SegmentHeader { addr: 0, len: 0, flags: 0 };
        // At most three regions: the struct and two buffers.
        let mut pairs: [(SegmentHeader, Option<&[u8]>); 4] = [(SEG, None); 4];
        let mut iov = [NONE; 5];
        let (mut n, mut v) = (0usize, 1usize);
        let mut data_len = 0usize;
        segs.clear();
        for r in regions {
            let Ok(len) = u32::try_from(r.len) else { return Ok(false) };
            let (Some(pair), Some(slot)) = (pairs.get_mut(n), iov.get_mut(v)) else { return Ok(false) };
            let flags = if r.read { SEG_DATA } else { 0 } | if r.write { SEG_WRITABLE } else { 0 };
            if r.read && len > 0 {
                *slot = match in_window(&self.window, arg, r) {
                    Some(off) => libc::iovec {
                        iov_base: self.window[off..off + len as usize].as_ptr().cast_mut().cast(),
                        iov_len: len as usize,
                    },
                    // Only the kernel dereferences this (copy_from_user in sendmsg).
                    None => {
                        libc::iovec { iov_base: r.addr as usize as *mut libc::c_void, iov_len: len as usize }
                    }
                };
                v += 1;
                data_len += len as usize;
            }
            *pair = (SegmentHeader { addr: r.addr, len, flags }, None);
            segs.push(pair.0);
            n += 1;
        }
        // The frame's head depends on these alone: a call naming the same
        // memory as the last one sends the same head again.
        let key = HeadKey { cmd, arg, n, segs: [pairs[0].0, pairs[1].0, pairs[2].0, pairs[3].0] };
        if self.head_key != Some(key) {
            self.head_key = None;
            self.out.clear();
            wire::begin_frame(&mut self.out, Kind::Ioctl);
            wire::encode_ioctl(&mut self.out, cmd, arg, &pairs[..n]);
            let payload =
                u32::try_from(self.out.len() + data_len - wire::HEADER_LEN).map_err(|_| libc::EMSGSIZE)?;
            self.out[8..12].copy_from_slice(&payload.to_le_bytes());
            self.head_key = Some(key);
        }
        let total = self.out.len() + data_len;
        if total > self.one_skb {
            return Ok(false);
        }
        iov[0] = libc::iovec { iov_base: self.out.as_mut_ptr().cast(), iov_len: self.out.len() };
        // SAFETY: an all-zero msghdr is valid (no name, no control data).
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_iov = iov.as_mut_ptr();
        msg.msg_iovlen = v;
        loop {
            // SAFETY: sendmsg(2) reads the iovecs: our own buffers, alive for
            // the call, and caller addresses the kernel checks and copies from.
            let r = unsafe { libc::sendmsg(self.fd, &msg, libc::MSG_NOSIGNAL) };
            match usize::try_from(r) {
                Ok(n) if n == total => return Ok(true),
                Ok(_) => {
                    // Impossible for one sk_buff; the stream is out of step.
                    self.broken = true;
                    return Err(libc::EIO);
                }
                Err(_) => match last_errno() {
                    libc::EINTR => {}
                    libc::EFAULT => return Ok(false),
                    _ => return Err(libc::EIO),
                },
            }
        }
    }

    /// Send the IOCTL frame with the buffers read first with
    /// `process_vm_readv`: a region that faults part-way is sent up to the
    /// fault, so the daemon's dispatcher faults at the same byte.
    ///
    /// `tail`: the part of a struct beyond [`STRUCT_CAP`] (its `size` says
    /// more), which the dispatcher reads only to check that it is zero
    /// (`check_zeroed_user`). It is scanned here, and sent as what the
    /// dispatcher would find: a segment without data (it reads as zeros) up
    /// to the first non-zero byte or fault, then that byte.
    fn send_read(
        &mut self,
        segs: &mut Vec<SegmentHeader>,
        pid: Pid,
        cmd: u32,
        arg: u64,
        regions: &[Region],
        tail: Option<(u64, u64)>,
    ) -> Result<(), i32> {
        let mut data: Vec<Vec<u8>> = Vec::with_capacity(regions.len());
        segs.clear();
        for r in regions {
            let flags = if r.read { SEG_DATA } else { 0 } | if r.write { SEG_WRITABLE } else { 0 };
            let Ok(len) = u32::try_from(r.len) else { continue };
            if r.read {
                let buf = match in_window(&self.window, arg, r) {
                    Some(off) => self.window[off..off + len as usize].to_vec(),
                    None => {
                        let mut buf = vec![0u8; len as usize];
                        let got = read_prefix(pid, r.addr, &mut buf);
                        buf.truncate(got);
                        buf
                    }
                };
                let got = buf.len();
                if got == 0 {
                    continue;
                }
                segs.push(SegmentHeader { addr: r.addr, len: got as u32, flags });
                data.push(buf);
            } else {
                segs.push(SegmentHeader { addr: r.addr, len, flags });
                data.push(Vec::new());
            }
        }
        let whole_struct = |segs: &[SegmentHeader]| {
            segs.iter().any(|s| s.addr == arg && u64::from(s.len) == STRUCT_CAP as u64 && s.has_data())
        };
        if let Some((start, len)) = tail
            && whole_struct(segs)
        {
            let (zeros, nonzero) = scan_zeros(pid, start, len);
            // The dispatcher, as the kernel, checks aligned words: the
            // non-zero byte goes with its whole word (on one page, so readable).
            let word = match nonzero {
                Some(_) => ((start + zeros) & !7).max(start),
                None => start + zeros,
            };
            if let Ok(n) = u32::try_from(word - start)
                && n > 0
            {
                segs.push(SegmentHeader { addr: start, len: n, flags: 0 });
                data.push(Vec::new());
            }
            if nonzero.is_some() {
                let mut w = vec![0u8; ((word | 7) + 1).min(start + len).saturating_sub(word) as usize];
                let got = read_prefix(pid, word, &mut w);
                w.truncate(got);
                if let Ok(n) = u32::try_from(got)
                    && n > 0
                {
                    segs.push(SegmentHeader { addr: word, len: n, flags: SEG_DATA });
                    data.push(w);
                }
            }
        }
        let pairs: Vec<(SegmentHeader, Option<&[u8]>)> =
            segs.iter().zip(&data).map(|(s, d)| (*s, s.has_data().then_some(&d[..]))).collect();
        self.head_key = None;
        self.out.clear();
        wire::begin_frame(&mut self.out, Kind::Ioctl);
        wire::encode_ioctl(&mut self.out, cmd, arg, &pairs);
        wire::finish_frame(&mut self.out).map_err(|_| libc::EMSGSIZE)?;
        send_all(self.fd, &self.out).map_err(|_| libc::EIO)
    }

    /// One `recvmsg` into the layout `l`, from frame byte `done` on (a
    /// stream may deliver the reply in pieces): the bytes received, or the errno.
    fn recv_layout(&mut self, l: &Layout, done: usize) -> Result<usize, i32> {
        const NONE: libc::iovec = libc::iovec { iov_base: std::ptr::null_mut(), iov_len: 0 };
        // Only the kernel dereferences the caller's addresses (copy_to_user in recvmsg).
        let parts: [(usize, usize, *mut u8); 4] = [
            (0, AT_STRUCT, self.head.as_mut_ptr()),
            (AT_STRUCT, RPC_STRUCT, l.arg as usize as *mut u8),
            (AT_OUT_HEAD, AT_OUT - AT_OUT_HEAD, self.out_head.as_mut_ptr()),
            (AT_OUT, l.out_len, l.out as usize as *mut u8),
        ];
        let mut iov = [NONE; 4];
        let mut v = 0usize;
        for (start, len, base) in parts {
            let skip = done.saturating_sub(start);
            if skip < len {
                // `wrapping_add`: never dereferenced here; for our buffers, `skip < len`.
                iov[v] = libc::iovec { iov_base: base.wrapping_add(skip).cast(), iov_len: len - skip };
                v += 1;
            }
        }
        // SAFETY: an all-zero msghdr is valid (no name, no control data).
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_iov = iov.as_mut_ptr();
        msg.msg_iovlen = v;
        // SAFETY: recvmsg(2) writes into the iovecs: our own buffers (alive and
        // borrowed mutably for the call), and caller addresses the kernel checks.
        let r = unsafe { libc::recvmsg(self.fd, &mut msg, 0) };
        usize::try_from(r).map_err(|_| last_errno())
    }

    /// Receive an RPC's reply with one `recvmsg` laid out as `l` (more only if
    /// it arrives in pieces). The dispatcher answers an RPC with one of three
    /// shapes, each of which lands exactly: an error (20 bytes, all in our
    /// buffer); success with the struct's range only; success with the
    /// struct's range and then `out`'s, `out_len` bytes or fewer (a shorter
    /// read). Anything else, or a fault, is mended by [`Conn::mend`].
    ///
    /// `spec`: the request was speculative; its reply may also be a `HELD`
    /// frame (16 bytes, all in our buffer). `None`: it said the request did
    /// not run.
    fn receive_rpc(
        &mut self,
        pid: Pid,
        l: &Layout,
        segs: &[SegmentHeader],
        spec: bool,
    ) -> Option<Result<(), i32>> {
        #[cfg(test)]
        {
            self.laid_out.0 += 1;
        }
        let end = AT_OUT + l.out_len;
        let mut done = 0usize;
        let mut total = None;
        let mut kind = Kind::Error;
        let mut fault = false;
        wait_readable(self.fd);
        loop {
            if total.is_none() && done >= wire::HEADER_LEN {
                match self.head.first_chunk().map(wire::decode_header) {
                    Some(Ok(h)) => (total, kind) = (Some(wire::HEADER_LEN + h.len), h.kind),
                    _ => return Some(self.lost(pid, l, done, false)),
                }
                if kind == Kind::Held && !(spec && total == Some(speculate::HELD_LEN)) {
                    return Some(self.lost(pid, l, done, false));
                }
            }
            let target = total.map_or(wire::HEADER_LEN, |t: usize| t.min(end));
            if done >= target {
                break;
            }
            match self.recv_layout(l, done) {
                Ok(0) => return Some(self.lost(pid, l, done, false)),
                Ok(n) => done += n,
                Err(libc::EINTR) => {}
                Err(libc::EAGAIN) => wait_readable(self.fd),
                Err(libc::EFAULT) => {
                    fault = true;
                    break;
                }
                Err(_) => return Some(self.lost(pid, l, done, true)),
            }
        }
        if kind == Kind::Held && !fault {
            return self.held(pid, l.arg, segs);
        }
        if !fault
            && kind == Kind::IoctlReply
            && total == Some(done)
            && let Some(r) = self.landed(l, done)
        {
            return Some(r);
        }
        #[cfg(test)]
        {
            self.laid_out.1 += 1;
        }
        Some(self.mend(pid, l, segs, done, fault))
    }

    /// A `HELD` answer to a speculative request, in `head`: `None` when the
    /// request did not run, else its reply, fetched and written the exact way.
    fn held(&mut self, pid: Pid, arg: u64, segs: &[SegmentHeader]) -> Option<Result<(), i32>> {
        match speculate::decode_held(&self.head[wire::HEADER_LEN..speculate::HELD_LEN]) {
            Ok(false) => None,
            Ok(true) => {
                #[cfg(test)]
                {
                    self.spoke.2 += 1;
                }
                if send_all(self.fd, &wire::encode_header(Kind::FetchReply, 0)).is_err() {
                    self.broken = true;
                    return Some(Err(libc::EIO));
                }
                Some(self.receive_whole(pid, arg, segs))
            }
            Err(_) => {
                self.broken = true;
                Some(Err(libc::EIO))
            }
        }
    }

    /// The result of an `IOCTL_REPLY` of `total` bytes received into the
    /// layout `l`, if it has one of the shapes that land exactly.
    fn landed(&self, l: &Layout, total: usize) -> Option<Result<(), i32>> {
        let result = wire::decode_result(Kind::IoctlReply, le32(&self.head, 12)).ok()?.map_err(Errno::code);
        let count = le32(&self.head, 16);
        if count == 0 {
            return (total == wire::HEADER_LEN + 8).then_some(result);
        }
        let whole = RPC_STRUCT as u32;
        // The struct's range: segment 0, all of `fwctl_rpc`, on the wire.
        let head = [le32(&self.head, 20), le32(&self.head, 24), le32(&self.head, 28), le32(&self.head, 32)];
        if head != [0, 0, whole, whole] {
            return None;
        }
        match count {
            1 => (total == AT_OUT_HEAD).then_some(result),
            2 => {
                let o = &self.out_head;
                let len = le32(o, 8) as usize;
                let fits = len <= l.out_len && total == AT_OUT + len;
                (le32(o, 0) == l.out_seg && le32(o, 4) == 0 && le32(o, 12) as usize == len && fits)
                    .then_some(result)
            }
            _ => None,
        }
    }

    /// The connection failed in the middle of a reply: undo what landed, and
    /// every later call is `EIO`.
    fn lost(&mut self, pid: Pid, l: &Layout, done: usize, fault: bool) -> Result<(), i32> {
        self.broken = true;
        self.undo(pid, l, done, fault);
        Err(libc::EIO)
    }

    /// Put back what a receive into `l` may have written in the caller's
    /// memory: the struct and `out` as they were before the call. `done`:
    /// frame bytes received; `fault`: a receive faulted after them (it may
    /// have written any part of the rest of the layout).
    fn undo(&self, pid: Pid, l: &Layout, done: usize, fault: bool) {
        let out = if fault { l.out_len } else { done.saturating_sub(AT_OUT).min(l.out_len) };
        if l.saved
            && let Some(b) = self.saved.get(..out)
            && !b.is_empty()
        {
            let _ = write_all_in_order(pid, &[(l.out, b.to_vec())]);
        }
        if (fault || done > AT_STRUCT)
            && let Some(b) = self.window.get(..RPC_STRUCT)
        {
            let _ = write_all_in_order(pid, &[(l.arg, b.to_vec())]);
        }
    }

    /// A reply received into `l` that did not land exactly (`done` bytes of it
    /// received; `fault`: the next receive faulted): rebuild the frame (what
    /// went to the caller read back), receive the rest, put back the struct
    /// and `out` as they were, and write the frame the exact way.
    fn mend(
        &mut self,
        pid: Pid,
        l: &Layout,
        segs: &[SegmentHeader],
        done: usize,
        fault: bool,
    ) -> Result<(), i32> {
        let mut f = std::mem::take(&mut self.frame);
        if f.len() < done {
            f.resize(done, 0);
        }
        let ours = |at: usize, len: usize| at.min(done)..(at + len).min(done);
        let r = ours(0, AT_STRUCT);
        f[r.clone()].copy_from_slice(&self.head[..r.len()]);
        let r = ours(AT_OUT_HEAD, AT_OUT - AT_OUT_HEAD);
        f[r.clone()].copy_from_slice(&self.out_head[..r.len()]);
        let mut read_back = true;
        for (at, len, addr) in [(AT_STRUCT, RPC_STRUCT, l.arg), (AT_OUT, l.out_len, l.out)] {
            let r = ours(at, len);
            let n = r.len();
            read_back &= read_prefix(pid, addr, &mut f[r]) == n;
        }
        self.frame = f;
        let rest = self.receive_rest(done);
        self.undo(pid, l, done, fault);
        rest?;
        if !read_back {
            return Err(libc::EFAULT);
        }
        self.apply(pid, l.arg, segs)
    }

    /// Receive the frame into `frame` from byte `done` on (the bytes before
    /// are there already): the header if it is not complete, then the rest.
    fn receive_rest(&mut self, done: usize) -> Result<(), i32> {
        let mut f = std::mem::take(&mut self.frame);
        let r = (|| {
            if f.len() < wire::HEADER_LEN {
                f.resize(wire::HEADER_LEN, 0);
            }
            if done < wire::HEADER_LEN {
                recv_exact(self.fd, &mut f[done..wire::HEADER_LEN]).map_err(|_| libc::EIO)?;
            }
            let h = f.first_chunk().map(wire::decode_header).and_then(Result::ok).ok_or(libc::EIO)?;
            let total = wire::HEADER_LEN + h.len;
            if f.len() < total {
                f.resize(total, 0);
            }
            let from = done.max(wire::HEADER_LEN).min(total);
            recv_exact(self.fd, &mut f[from..total]).map_err(|_| libc::EIO)?;
            self.frame_len = total;
            Ok(())
        })();
        self.frame = f;
        if r.is_err() {
            self.broken = true;
        }
        r
    }

    /// Receive the whole reply here, then write what the dispatcher wrote.
    fn receive_whole(&mut self, pid: Pid, arg: u64, segs: &[SegmentHeader]) -> Result<(), i32> {
        if self.frame.len() < FIRST_READ {
            self.frame.resize(FIRST_READ, 0);
        }
        // One read takes the whole reply when it is in the socket already
        // (nothing else can be: one request is outstanding).
        wait_readable(self.fd);
        let n = loop {
            match socket::recv(self.fd, &mut self.frame, MsgFlags::empty()) {
                Ok(0) => {
                    self.broken = true;
                    return Err(libc::EIO);
                }
                Ok(n) => break n,
                Err(nix::errno::Errno::EINTR) => {}
                Err(nix::errno::Errno::EAGAIN) => wait_readable(self.fd),
                Err(_) => {
                    self.broken = true;
                    return Err(libc::EIO);
                }
            }
        };
        let n = n.min(self.frame.len());
        self.receive_rest(n)?;
        self.apply(pid, arg, segs)
    }

    /// Write what the reply in `frame` says the dispatcher wrote, with
    /// `process_vm_writev` in the kernel's order.
    fn apply(&self, pid: Pid, arg: u64, segs: &[SegmentHeader]) -> Result<(), i32> {
        let frame = self.frame.get(..self.frame_len).ok_or(libc::EIO)?;
        let (h, payload) = frame.split_first_chunk::<{ wire::HEADER_LEN }>().ok_or(libc::EIO)?;
        if wire::decode_header(h).map_err(|_| libc::EIO)?.kind != Kind::IoctlReply {
            return Err(libc::EIO);
        }
        let reply = wire::decode_ioctl_reply(payload).map_err(|_| libc::EIO)?;
        // Copy out in the kernel's order: the buffers first, the struct last
        // (`ucmd_respond`), with one process_vm_writev that stops at the first
        // fault as copy_to_user does.
        let is_struct = |i: u32| segs.get(i as usize).is_some_and(|s| s.addr == arg);
        let ordered = reply
            .written
            .iter()
            .filter(|w| !is_struct(w.segment))
            .chain(reply.written.iter().filter(|w| is_struct(w.segment)));
        let mut writes: Vec<(u64, Vec<u8>)> = Vec::with_capacity(reply.written.len());
        let mut zeros: Vec<(u64, usize)> = Vec::with_capacity(reply.written.len());
        for w in ordered {
            let seg = segs.get(w.segment as usize).ok_or(libc::EIO)?;
            if !seg.writable() || u64::from(w.offset) + u64::from(w.len) > u64::from(seg.len) {
                return Err(libc::EIO);
            }
            let at = seg.addr + u64::from(w.offset);
            let pad = w.len as usize - w.data.len();
            let mut bytes = Vec::with_capacity(w.data.len() + pad.min(MAX_GATHER));
            bytes.extend_from_slice(w.data);
            if pad <= MAX_GATHER {
                bytes.resize(w.len as usize, 0);
                zeros.push((0, 0));
            } else {
                // A huge zero fill (FWCTL_INFO into a huge buffer): written in
                // pieces rather than gathered.
                zeros.push((at + w.data.len() as u64, pad));
            }
            writes.push((at, bytes));
        }
        let ok = if zeros.iter().all(|z| z.1 == 0) {
            write_all_in_order(pid, &writes)
        } else {
            writes.iter().zip(&zeros).all(|((at, b), (zat, n))| {
                write_all_in_order(pid, &[(*at, b.clone())]) && (*n == 0 || write_zeros(pid, *zat, *n))
            })
        };
        if !ok {
            return Err(libc::EFAULT);
        }
        reply.result.map_err(Errno::code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_buffers_become_one_segment() {
        let r = |addr, len, read, write| Region { addr, len, read, write };
        let mut m = vec![
            r(100, 32, true, true),
            r(200, 16, true, false),
            r(208, 16, false, true),
            r(0, 0, true, false),
        ];
        merge(&mut m);
        assert_eq!(m.len(), 2);
        assert_eq!((m[1].addr, m[1].len, m[1].read, m[1].write), (200, 24, true, true));
    }

    #[test]
    fn the_cached_pid_is_this_process_and_a_forked_child_gets_its_own() {
        assert_eq!(this_pid(), Pid::this());
        assert_eq!(this_pid(), Pid::this(), "from the cache");
        let (mut r, mut w) = std::os::unix::net::UnixStream::pair().unwrap();
        // SAFETY: the child only computes, writes to a socket and exits.
        match unsafe { nix::unistd::fork() }.unwrap() {
            nix::unistd::ForkResult::Child => {
                let same = this_pid() == Pid::this();
                let _ = std::io::Write::write_all(&mut w, &[u8::from(same)]);
                // SAFETY: leave the child without running the parent's destructors.
                unsafe { libc::_exit(0) };
            }
            nix::unistd::ForkResult::Parent { child } => {
                let mut b = [9u8];
                std::io::Read::read_exact(&mut r, &mut b).unwrap();
                nix::sys::wait::waitpid(child, None).unwrap();
                assert_eq!(b, [1], "the child's cached pid is its own");
            }
        }
    }

    #[test]
    fn unreadable_memory_reads_as_nothing_and_writes_fail() {
        let mut b = [0u8; 8];
        assert_eq!(read_prefix(Pid::this(), 0, &mut b), 0);
        assert!(!write_all_in_order(Pid::this(), &[(8, b"x".to_vec())]));
        let mut y = [0u8; 4];
        let py = y.as_mut_ptr() as u64;
        assert!(!write_all_in_order(
            Pid::this(),
            &[(py, b"ab".to_vec()), (8, b"x".to_vec()), (py + 2, b"cd".to_vec())]
        ));
        assert_eq!(std::hint::black_box(&y), b"ab\0\0", "stops at the fault");
        assert!(write_zeros(Pid::this(), py, 4));
        assert_eq!(std::hint::black_box(&y), &[0; 4]);
        let x = [7u8; 8];
        assert_eq!(read_prefix(Pid::this(), x.as_ptr() as u64, &mut b), 8);
        assert_eq!(b, x);
        // A read running into a hole stops there with what it read (the
        // kernel's page-granular partial transfer, which `read_struct`'s
        // read-ahead relies on for a struct that ends at a page end).
        let hole = Pages::new(libc::PROT_NONE);
        let mut w = [0u8; RPC_STRUCT];
        assert_eq!(read_prefix(Pid::this(), hole.0 as u64 + (PAGE - 24) as u64, &mut w), 24);
    }

    /// Two pages: the first read-write, the second `prot` (`PROT_NONE`: a hole).
    struct Pages(*mut u8);

    impl Pages {
        fn new(prot: libc::c_int) -> Pages {
            // SAFETY: a fresh private anonymous mapping; its second page's
            // protection is changed, nothing else is touched.
            unsafe {
                let p = libc::mmap(
                    std::ptr::null_mut(),
                    2 * PAGE,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                );
                assert_ne!(p, libc::MAP_FAILED);
                assert_eq!(libc::mprotect(p.cast::<u8>().add(PAGE).cast(), PAGE, prot), 0);
                Pages(p.cast())
            }
        }

        /// The address `back` bytes before the second page.
        fn edge(&self, back: usize) -> u64 {
            self.0 as u64 + (PAGE - back) as u64
        }

        /// The second page.
        fn second(&self) -> *mut u8 {
            self.0.wrapping_add(PAGE)
        }

        /// Change the second page's protection.
        fn protect(&self, prot: libc::c_int) {
            // SAFETY: the second page of the mapping made in `new`.
            assert_eq!(unsafe { libc::mprotect(self.second().cast(), PAGE, prot) }, 0);
        }
    }

    impl Drop for Pages {
        fn drop(&mut self) {
            // SAFETY: the mapping made in `new`.
            unsafe { libc::munmap(self.0.cast(), 2 * PAGE) };
        }
    }

    fn pair() -> (Conn, std::os::unix::net::UnixStream, std::os::unix::net::UnixStream) {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        (Conn::new(a.as_raw_fd(), Speculate::Repeat), a, b)
    }

    #[test]
    fn a_buffer_that_faults_while_sent_sends_nothing_and_the_read_path_takes_over() {
        let (mut c, _a, mut b) = pair();
        let hole = Pages::new(libc::PROT_NONE);
        let straddling = Region { addr: hole.edge(8), len: 16, read: true, write: false };
        let mut segs = Vec::new();
        assert_eq!(c.send_direct(&mut segs, FWCTL_RPC, 0x1000, &[straddling]), Ok(false));
        b.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 256];
        assert_eq!(std::io::Read::read(&mut b, &mut buf).unwrap_err().kind(), std::io::ErrorKind::WouldBlock);
        // The read path sends the readable prefix: 8 bytes.
        c.send_read(&mut segs, Pid::this(), FWCTL_RPC, 0x1000, &[straddling], None).unwrap();
        assert_eq!(segs, [SegmentHeader { addr: hole.edge(8), len: 8, flags: SEG_DATA }]);
        // And a readable buffer goes out whole, from the caller's memory.
        let ok = [5u8; 16];
        let r = Region { addr: ok.as_ptr() as u64, len: 16, read: true, write: false };
        assert_eq!(c.send_direct(&mut segs, FWCTL_RPC, 0x1000, &[r]), Ok(true));
        std::thread::sleep(std::time::Duration::from_millis(10));
        let mut got = Vec::new();
        while let Ok(n) = std::io::Read::read(&mut b, &mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
        let h = wire::decode_header(got.first_chunk().unwrap()).unwrap();
        let first = wire::HEADER_LEN + h.len;
        let req = wire::decode_ioctl(&got[wire::HEADER_LEN..first]).unwrap();
        assert_eq!(req.segments[0].1, Some(&[0u8; 8][..]), "the readable prefix");
        let h2 = wire::decode_header(got[first..].first_chunk().unwrap()).unwrap();
        let req2 =
            wire::decode_ioctl(&got[first + wire::HEADER_LEN..first + wire::HEADER_LEN + h2.len]).unwrap();
        assert_eq!(req2.segments[0].1, Some(&ok[..]));
        assert_eq!(got.len(), first + wire::HEADER_LEN + h2.len, "exactly two whole frames");
    }

    /// The segments of the one frame `b` received.
    fn sent_segments(b: &mut std::os::unix::net::UnixStream) -> Vec<(SegmentHeader, Option<Vec<u8>>)> {
        let mut h = [0u8; wire::HEADER_LEN];
        std::io::Read::read_exact(b, &mut h).unwrap();
        let mut p = vec![0u8; wire::decode_header(&h).unwrap().len];
        std::io::Read::read_exact(b, &mut p).unwrap();
        wire::decode_ioctl(&p)
            .unwrap()
            .segments
            .into_iter()
            .map(|(s, d)| (s, d.map(<[u8]>::to_vec)))
            .collect()
    }

    #[test]
    fn a_request_head_is_sent_again_only_for_the_same_memory() {
        let (mut c, _a, mut b) = pair();
        let (x, y) = ([5u8; 16], [6u8; 8]);
        let rx = Region { addr: x.as_ptr() as u64, len: 16, read: true, write: false };
        let ry = Region { addr: y.as_ptr() as u64, len: 8, read: true, write: false };
        let mut segs = Vec::new();
        // The read path in between writes a whole frame where the head was kept.
        for (r, read_path) in [(rx, false), (rx, false), (rx, true), (rx, false), (ry, false)] {
            if read_path {
                c.send_read(&mut segs, Pid::this(), FWCTL_RPC, 0x1000, &[r], None).unwrap();
            } else {
                assert_eq!(c.send_direct(&mut segs, FWCTL_RPC, 0x1000, &[r]), Ok(true));
            }
            let seg = SegmentHeader { addr: r.addr, len: r.len as u32, flags: SEG_DATA };
            assert_eq!(sent_segments(&mut b), [(seg, Some(bytes(r.addr, r.len as usize)))]);
        }
    }

    #[test]
    fn a_struct_beyond_64_kib_is_sent_as_what_its_zero_check_would_find() {
        let (mut c, _a, mut b) = pair();
        let size = STRUCT_CAP + 64 * 1024;
        let mut s = vec![0u8; size];
        s[..4].copy_from_slice(&(size as u32).to_ne_bytes());
        let arg = s.as_ptr() as u64;
        let mut regions = Vec::new();
        let tail = Conn::plan(&mut regions, Pid::this(), FWCTL_INFO, arg, &s[..WINDOW]);
        assert_eq!(tail, Some((arg + STRUCT_CAP as u64, (size - STRUCT_CAP) as u64)));
        let mut segs = Vec::new();
        c.send_read(&mut segs, Pid::this(), FWCTL_INFO, arg, &regions, tail).unwrap();
        let sent = sent_segments(&mut b);
        assert_eq!(sent.len(), 2);
        assert_eq!((sent[0].0.addr, sent[0].0.len as usize), (arg, STRUCT_CAP));
        // All zero: one segment without data, which reads as zeros.
        assert_eq!(sent[1], (SegmentHeader { addr: tail.unwrap().0, len: 64 * 1024, flags: 0 }, None));
        // A non-zero byte 1000 bytes into the tail: zeros up to it, then it.
        s[STRUCT_CAP + 1000] = 7;
        c.send_read(&mut segs, Pid::this(), FWCTL_INFO, arg, &regions, tail).unwrap();
        let sent = sent_segments(&mut b);
        assert_eq!(sent[1], (SegmentHeader { addr: tail.unwrap().0, len: 1000, flags: 0 }, None));
        // The byte goes with its aligned word (arg and 1000 are 8-aligned).
        let word = SegmentHeader { addr: tail.unwrap().0 + 1000, len: 8, flags: SEG_DATA };
        assert_eq!(sent[2], (word, Some(vec![7, 0, 0, 0, 0, 0, 0, 0])));
        // A buffer inside the struct: no tail handling (the first 64 KiB only).
        let mut regions = Vec::new();
        s[12..16].copy_from_slice(&8u32.to_ne_bytes());
        s[16..24].copy_from_slice(&(arg + 70_000).to_ne_bytes());
        assert_eq!(Conn::plan(&mut regions, Pid::this(), FWCTL_INFO, arg, &s[..WINDOW]), None);
    }

    /// A fake daemon on `b`: every IOCTL frame is answered with `answer`'s
    /// frame (given the request and the call's number from 0), written in
    /// `pieces` writes 5 ms apart. A speculative frame is checked and answered
    /// by the daemon's rules ([`speculate`]): not run, or run and its reply
    /// sent, or held for `FETCH_REPLY` when it would not land in place.
    fn daemon(
        mut b: std::os::unix::net::UnixStream,
        pieces: usize,
        answer: impl Fn(&wire::IoctlRequest<'_>, usize) -> Vec<u8> + Send + 'static,
    ) -> std::thread::JoinHandle<()> {
        std::thread::spawn(move || {
            let (mut call, mut held) = (0, Vec::new());
            loop {
                let mut h = [0u8; wire::HEADER_LEN];
                if std::io::Read::read_exact(&mut b, &mut h).is_err() {
                    return;
                }
                let h = wire::decode_header(&h).unwrap();
                let mut p = vec![0u8; h.len];
                std::io::Read::read_exact(&mut b, &mut p).unwrap();
                let f = match h.kind {
                    Kind::Ioctl => answer(&wire::decode_ioctl(&p).unwrap(), call),
                    Kind::IoctlIfSame => {
                        let (expected, req) = speculate::decode(&p).unwrap();
                        let mut f = Vec::new();
                        if !speculate::struct_is(&req, expected).unwrap() {
                            speculate::encode_held(&mut f, speculate::NOT_RUN);
                            std::io::Write::write_all(&mut b, &f).unwrap();
                            continue;
                        }
                        let reply = answer(&req, call);
                        let kind = wire::decode_header(reply.first_chunk().unwrap()).unwrap().kind;
                        let lands = kind == Kind::IoctlReply
                            && wire::decode_ioctl_reply(&reply[wire::HEADER_LEN..])
                                .is_ok_and(|r| speculate::lands_in_place(&req, r.written.into_iter()));
                        if lands {
                            reply
                        } else {
                            held = reply;
                            speculate::encode_held(&mut f, speculate::HELD);
                            std::io::Write::write_all(&mut b, &f).unwrap();
                            call += 1;
                            continue;
                        }
                    }
                    Kind::FetchReply => {
                        std::io::Write::write_all(&mut b, &std::mem::take(&mut held)).unwrap();
                        continue;
                    }
                    k => panic!("unexpected {k:?} frame"),
                };
                call += 1;
                for c in f.chunks(f.len().div_ceil(pieces)) {
                    std::io::Write::write_all(&mut b, c).unwrap();
                    if pieces > 1 {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                }
            }
        })
    }

    /// A reply frame: `result`, then `(segment, offset, len, data)` ranges.
    fn reply(result: Result<(), Errno>, ranges: &[(u32, u32, u32, &[u8])]) -> Vec<u8> {
        let mut f = Vec::new();
        wire::begin_frame(&mut f, Kind::IoctlReply);
        wire::encode_ioctl_reply_head(&mut f, result, ranges.len() as u32);
        for &(segment, offset, len, data) in ranges {
            wire::encode_written(&mut f, &wire::Written { segment, offset, len, data });
        }
        wire::finish_frame(&mut f).unwrap();
        f
    }

    /// The dispatcher's answer to an RPC: `out` gets `len` bytes of `0x40 + i`
    /// (at most `out_len`), then the struct (segment 0) comes back with
    /// `out_len = len`; the ranges in segment order, as the daemon lists them.
    fn rpc_reply(req: &wire::IoctlRequest<'_>, len: usize) -> Vec<u8> {
        let mut st = req.segments[0].1.unwrap()[..RPC_STRUCT].to_vec();
        let (out_len, out) = (u32_at(&st, 12).unwrap(), u64_at(&st, 24).unwrap());
        st[12..16].copy_from_slice(&(len as u32).to_ne_bytes());
        let data: Vec<u8> = (0..len.min(out_len as usize)).map(|i| 0x40 + i as u8).collect();
        let out_seg = req.segments.iter().position(|(s, _)| s.addr == out).unwrap() as u32;
        let mut ranges = vec![(0, 0, RPC_STRUCT as u32, &st[..])];
        if !data.is_empty() {
            ranges.push((out_seg, 0, data.len() as u32, &data[..]));
        }
        reply(Ok(()), &ranges)
    }

    /// An RPC struct at `at` (the caller's memory) naming `input` and `out`.
    fn put_rpc(at: *mut u8, input: &[u8], out: u64, out_len: u32) -> u64 {
        let mut st = [0u8; RPC_STRUCT];
        st[0..4].copy_from_slice(&(RPC_STRUCT as u32).to_ne_bytes());
        st[8..12].copy_from_slice(&(input.len() as u32).to_ne_bytes());
        st[12..16].copy_from_slice(&out_len.to_ne_bytes());
        st[16..24].copy_from_slice(&(input.as_ptr() as u64).to_ne_bytes());
        st[24..32].copy_from_slice(&out.to_ne_bytes());
        // SAFETY: `at` points to RPC_STRUCT writable bytes of the test's own.
        unsafe { std::ptr::copy_nonoverlapping(st.as_ptr(), at, RPC_STRUCT) };
        at as u64
    }

    /// `len` bytes at `at`, read as the caller sees them.
    fn bytes(at: u64, len: usize) -> Vec<u8> {
        // SAFETY: test memory, mapped readable for the test's life.
        std::hint::black_box(unsafe { std::slice::from_raw_parts(at as *const u8, len) }.to_vec())
    }

    fn fill(at: u64, len: usize, v: u8) {
        // SAFETY: test memory, mapped writable.
        unsafe { std::ptr::write_bytes(at as *mut u8, v, len) };
    }

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| 0x40 + i as u8).collect()
    }

    /// 64 bytes of `out`, 0xEE before the call, after a reply that wrote
    /// `pattern(16)` at offset 8.
    fn written_from_8() -> Vec<u8> {
        let mut want = vec![0xEE; 8];
        want.extend(pattern(16));
        want.resize(64, 0xEE);
        want
    }

    /// A connection to a fake [`daemon`], test memory (two pages, the second
    /// `prot`) and an `in` buffer.
    struct Rig {
        c: Conn,
        a: std::os::unix::net::UnixStream,
        d: std::thread::JoinHandle<()>,
        mem: Pages,
        input: Box<[u8; 16]>,
    }

    impl Rig {
        /// The slow path only (never speculating).
        fn new(
            pieces: usize,
            prot: libc::c_int,
            answer: impl Fn(&wire::IoctlRequest<'_>, usize) -> Vec<u8> + Send + 'static,
        ) -> Rig {
            Rig::with(pieces, prot, false, answer)
        }

        fn with(
            pieces: usize,
            prot: libc::c_int,
            speculating: bool,
            answer: impl Fn(&wire::IoctlRequest<'_>, usize) -> Vec<u8> + Send + 'static,
        ) -> Rig {
            let (mut c, a, b) = pair();
            if !speculating {
                c.trust.mode = Speculate::Off;
            }
            let d = daemon(b, pieces, answer);
            Rig { c, a, d, mem: Pages::new(prot), input: Box::new([1u8; 16]) }
        }

        /// An RPC struct at `at` naming `out`.
        fn put(&self, at: *mut u8, out: u64, out_len: u32) -> u64 {
            put_rpc(at, &self.input[..], out, out_len)
        }

        fn call(&mut self, arg: u64) -> Result<(), i32> {
            self.c.ioctl(self.a.as_raw_fd(), FWCTL_RPC, arg)
        }

        /// Close the connection; the daemon ends.
        fn finish(self) {
            let Rig { c, a, d, .. } = self;
            drop((c, a));
            d.join().unwrap();
        }
    }

    #[test]
    fn an_rpc_reply_lands_with_one_receive_and_a_shorter_out_is_a_shorter_read() {
        let lens = [64usize, 64, 40, 0];
        let mut r = Rig::new(1, libc::PROT_READ, move |req, call| rpc_reply(req, lens[call]));
        let out = r.mem.0 as u64 + 256;
        let arg = r.put(r.mem.0, out, 64);
        for (call, &len) in lens.iter().enumerate() {
            fill(out, 64, 0xEE);
            assert_eq!(r.call(arg), Ok(()));
            let mut want = pattern(len);
            want.resize(64, 0xEE);
            assert_eq!(bytes(out, 64), want, "call {call}: out, and nothing past the response");
            assert_eq!(u32_at(&bytes(arg, 16), 12), Some(len as u32), "call {call}: out_len");
            r.put(r.mem.0, out, 64);
        }
        // The first call has no saved `out`; the others take the one receive.
        assert_eq!(r.c.laid_out, (3, 0));
        r.finish();
    }

    #[test]
    fn an_error_or_an_error_frame_leaves_the_struct_and_out_as_they_were() {
        let mut r = Rig::new(1, libc::PROT_READ, |req, call| match call {
            0 | 3 => rpc_reply(req, 64),
            1 => reply(Err(Errno::EPERM), &[]),
            _ => {
                let mut f = Vec::new();
                wire::begin_frame(&mut f, Kind::Error);
                f.extend_from_slice(&[b'x'; 300]);
                wire::finish_frame(&mut f).unwrap();
                f
            }
        });
        let out = r.mem.0 as u64 + 512;
        let arg = r.put(r.mem.0, out, 64);
        assert_eq!(r.call(arg), Ok(()));
        r.put(r.mem.0, out, 64);
        fill(out, 64, 0xEE);
        let before = (bytes(arg, RPC_STRUCT), bytes(out, 64));
        assert_eq!(r.call(arg), Err(libc::EPERM));
        assert_eq!((bytes(arg, RPC_STRUCT), bytes(out, 64)), before, "an error writes nothing");
        assert_eq!(r.c.laid_out, (1, 0), "landed whole in our buffer");
        assert_eq!(r.call(arg), Err(libc::EIO));
        assert_eq!((bytes(arg, RPC_STRUCT), bytes(out, 64)), before, "nor does an ERROR frame");
        assert_eq!(r.c.laid_out, (2, 1), "its text landed, and was undone");
        assert_eq!(r.call(arg), Ok(()), "the stream is in step");
        assert_eq!(bytes(out, 64), pattern(64));
        r.finish();
    }

    #[test]
    fn a_reply_of_another_shape_is_undone_and_written_the_exact_way() {
        let mut r = Rig::new(1, libc::PROT_READ, |req, call| {
            if call == 0 {
                return rpc_reply(req, 64);
            }
            let st = req.segments[0].1.unwrap()[..RPC_STRUCT].to_vec();
            let out = u64_at(&st, 24).unwrap();
            let out_seg = req.segments.iter().position(|(s, _)| s.addr == out).unwrap() as u32;
            match call {
                // `out` written from offset 8 only.
                1 => reply(Ok(()), &[(0, 0, 32, &st), (out_seg, 8, 16, &pattern(16))]),
                // A zero tail: 4 bytes on the wire, 16 written.
                _ => reply(Ok(()), &[(0, 0, 32, &st), (out_seg, 0, 16, &pattern(4))]),
            }
        });
        let out = r.mem.0 as u64 + 512;
        let arg = r.put(r.mem.0, out, 64);
        assert_eq!(r.call(arg), Ok(()));
        fill(out, 64, 0xEE);
        assert_eq!(r.call(arg), Ok(()));
        assert_eq!(bytes(out, 64), written_from_8(), "bytes 0..8 as they were");
        fill(out, 64, 0xEE);
        assert_eq!(r.call(arg), Ok(()));
        let mut want = pattern(4);
        want.resize(16, 0);
        want.resize(64, 0xEE);
        assert_eq!(bytes(out, 64), want);
        assert_eq!(r.c.laid_out, (2, 2));
        r.finish();
    }

    #[test]
    fn a_reply_in_pieces_is_received_from_where_each_read_stopped() {
        let mut r = Rig::new(5, libc::PROT_READ, |req, _| rpc_reply(req, 100));
        let out = r.mem.0 as u64 + 512;
        let arg = r.put(r.mem.0, out, 100);
        for _ in 0..2 {
            fill(out, 100, 0);
            assert_eq!(r.call(arg), Ok(()));
            assert_eq!(bytes(out, 100), pattern(100));
        }
        assert_eq!(r.c.laid_out, (1, 0));
        r.finish();
    }

    #[test]
    fn a_fault_in_out_writes_its_prefix_and_leaves_the_struct_as_it_was() {
        // 48 bytes: the struct comes back with another `out_len`. `out` runs
        // 24 bytes into its page, then into a read-only one.
        let mut r = Rig::new(1, libc::PROT_READ, |req, _| rpc_reply(req, 48));
        let out = r.mem.edge(24);
        let arg = r.put(r.mem.0, out, 64);
        for call in 0..2 {
            fill(out, 24, 0xEE);
            let before = bytes(arg, RPC_STRUCT);
            assert_eq!(r.call(arg), Err(libc::EFAULT), "call {call}");
            assert_eq!(bytes(out, 24), pattern(24), "call {call}: the writable prefix");
            assert_eq!(bytes(arg, RPC_STRUCT), before, "call {call}: the struct is not written");
        }
        assert_eq!(r.c.laid_out, (1, 1));
        // The stream is in step: with `out` writable, the next call succeeds.
        r.mem.protect(libc::PROT_READ | libc::PROT_WRITE);
        assert_eq!(r.call(arg), Ok(()));
        assert_eq!(bytes(out, 48), pattern(48));
        assert_eq!(u32_at(&bytes(arg, 16), 12), Some(48));
        r.finish();
    }

    #[test]
    fn a_read_only_struct_gets_out_written_then_efault() {
        let mut r = Rig::new(1, libc::PROT_READ | libc::PROT_WRITE, |req, _| rpc_reply(req, 64));
        let out = r.mem.0 as u64 + 512;
        let arg = r.put(r.mem.second(), out, 64);
        r.mem.protect(libc::PROT_READ);
        let before = bytes(arg, RPC_STRUCT);
        for call in 0..2 {
            fill(out, 64, 0xEE);
            assert_eq!(r.call(arg), Err(libc::EFAULT), "call {call}");
            assert_eq!(bytes(out, 64), pattern(64), "call {call}: out is written first");
            assert_eq!(bytes(arg, RPC_STRUCT), before);
        }
        assert_eq!(r.c.laid_out, (1, 1));
        r.finish();
    }

    #[test]
    fn a_speculative_reply_of_another_shape_is_held_then_fetched_and_written_the_exact_way() {
        let mut r = Rig::with(1, libc::PROT_READ, true, |req, call| {
            let st = req.segments[0].1.unwrap()[..RPC_STRUCT].to_vec();
            let out = u64_at(&st, 24).unwrap();
            let out_seg = req.segments.iter().position(|(s, _)| s.addr == out).unwrap() as u32;
            match call {
                // `out` written from offset 8 only.
                2 => reply(Ok(()), &[(0, 0, 32, &st), (out_seg, 8, 16, &pattern(16))]),
                3 => {
                    let mut f = Vec::new();
                    wire::begin_frame(&mut f, Kind::Error);
                    f.extend_from_slice(&[b'x'; 300]);
                    wire::finish_frame(&mut f).unwrap();
                    f
                }
                _ => rpc_reply(req, 64),
            }
        });
        let out = r.mem.0 as u64 + 512;
        let arg = r.put(r.mem.0, out, 64);
        for _ in 0..2 {
            assert_eq!(r.call(arg), Ok(()), "the slow path, twice: the struct repeats");
        }
        assert_eq!(r.c.spoke, (0, 0, 0));
        fill(out, 64, 0xEE);
        assert_eq!(r.call(arg), Ok(()));
        assert_eq!(bytes(out, 64), written_from_8(), "bytes 0..8 as they were");
        assert_eq!(r.c.spoke, (1, 0, 1), "speculative, its reply held and fetched");
        fill(out, 64, 0xEE);
        let before = (bytes(arg, RPC_STRUCT), bytes(out, 64));
        assert_eq!(r.call(arg), Err(libc::EIO));
        assert_eq!((bytes(arg, RPC_STRUCT), bytes(out, 64)), before, "an ERROR frame writes nothing");
        assert_eq!(r.c.spoke, (2, 0, 2));
        assert_eq!(r.call(arg), Ok(()), "the stream is in step");
        assert_eq!(bytes(out, 64), pattern(64));
        assert_eq!(r.c.spoke, (3, 0, 2), "this reply landed in place");
        assert_eq!(r.c.laid_out.1, 0, "nothing needed undoing");
        r.finish();
    }

    use fwctl_tests::daemon::TempDir;
    use fwctl_tests::echo::EchoDriver;

    /// fwctld's server, in this process, with an echo driver that counts its
    /// calls, and an open connection to it through [`open`].
    struct Live {
        c: Conn,
        fd: RawFd,
        drv: EchoDriver,
        server: fwctl_core::server::Server,
        _dir: TempDir,
    }

    impl Live {
        fn new() -> Live {
            use fwctl_core::server::{DeviceSpec, NoAdmin, Server, ServerConfig};
            use std::sync::Arc;
            let dir = TempDir::new("preload-speculate");
            let subsystem = fwctl_core::Subsystem::new();
            let drv = EchoDriver::new();
            let d = drv.clone();
            let make: fwctl_core::server::DriverFactory =
                Arc::new(move || Ok(vec![Arc::new(d.clone()) as Arc<dyn fwctl_core::driver::Driver>]));
            let spec = DeviceSpec { label: "echo".into(), make };
            let admin = Arc::new(NoAdmin::new(subsystem.clone()));
            let server = Server::start(subsystem, ServerConfig::new(dir.path()), vec![spec], admin).unwrap();
            let fd = open(dir.path(), 0, true).unwrap();
            Live { c: Conn::new(fd, Speculate::Repeat), fd, drv, server, _dir: dir }
        }

        fn call(&mut self, arg: u64) -> Result<(), i32> {
            self.c.ioctl(self.fd, FWCTL_RPC, arg)
        }

        /// The driver's `fw_rpc` calls so far.
        fn runs(&self) -> usize {
            self.drv.counters.rpcs.load(std::sync::atomic::Ordering::SeqCst)
        }
    }

    impl Drop for Live {
        fn drop(&mut self) {
            // SAFETY: the connection this rig opened, closed once.
            unsafe { libc::close(self.fd) };
            self.server.shutdown();
        }
    }

    /// An RPC struct at `at`: `scope`, `in_len` bytes at `inp`, `out`.
    fn put_at(at: *mut u8, scope: u32, inp: u64, in_len: u32, out: u64, out_len: u32) -> u64 {
        let mut st = [0u8; RPC_STRUCT];
        st[0..4].copy_from_slice(&(RPC_STRUCT as u32).to_ne_bytes());
        st[4..8].copy_from_slice(&scope.to_ne_bytes());
        st[8..12].copy_from_slice(&in_len.to_ne_bytes());
        st[12..16].copy_from_slice(&out_len.to_ne_bytes());
        st[16..24].copy_from_slice(&inp.to_ne_bytes());
        st[24..32].copy_from_slice(&out.to_ne_bytes());
        // SAFETY: `at` points to RPC_STRUCT writable bytes of the test's own.
        unsafe { std::ptr::copy_nonoverlapping(st.as_ptr(), at, RPC_STRUCT) };
        at as u64
    }

    /// Calls of the struct `put` puts (again before each call, as a program
    /// that fills its struct each time does) until one runs speculatively
    /// (at most `limit`); the calls made.
    fn until_spoken(l: &mut Live, limit: usize, mut put: impl FnMut() -> u64) -> usize {
        let hits = l.c.spoke.0;
        for n in 1..=limit {
            assert_eq!(l.call(put()), Ok(()));
            if l.c.spoke.0 > hits {
                return n;
            }
        }
        panic!("no speculative call in {limit}");
    }

    #[test]
    fn a_repeated_struct_goes_without_being_read_and_in_is_read_fresh() {
        let l = ten_calls_with_the_struct_at(0);
        assert_eq!(l.c.spoke, (8, 0, 0), "two calls read the struct, then none");
        assert_eq!(l.c.laid_out.1, 0);
        assert_eq!(l.runs(), 10, "each call ran once");
    }

    /// A struct that straddles two pages (where the stack of a C program
    /// under address-space randomisation puts it now and then) is read with
    /// the same one system call, so its calls take the same paths.
    #[test]
    fn a_struct_across_a_page_boundary_takes_the_same_paths() {
        let l = ten_calls_with_the_struct_at(PAGE - 16);
        assert_eq!(l.c.spoke, (8, 0, 0), "two calls read the struct, then none");
        assert_eq!(l.c.laid_out, (9, 0), "every reply but the first (no saved `out`) with the one receive");
        assert_eq!(l.runs(), 10, "each call ran once");
    }

    /// Ten echo calls with the same struct at `offset` of two fresh pages,
    /// new bytes in `in` each time, each answer checked; the connection after.
    fn ten_calls_with_the_struct_at(offset: usize) -> Live {
        let mut l = Live::new();
        let mem = Pages::new(libc::PROT_READ | libc::PROT_WRITE);
        assert!(offset + RPC_STRUCT <= 2 * PAGE && !(1024..2048 + 64).contains(&offset));
        // SAFETY: within the two pages (checked above), clear of `in` and `out`.
        let at = unsafe { mem.0.add(offset) };
        let (input, out) = (mem.0 as u64 + 1024, mem.0 as u64 + 2048);
        for i in 0..10u8 {
            // The same struct, new bytes in `in`.
            let arg = put_at(at, 0, input, 16, out, 64);
            fill(input, 16, i + 1);
            fill(out, 64, 0xEE);
            assert_eq!(l.call(arg), Ok(()), "call {i}");
            // The echo driver pads its answer with zeros to `out_len`.
            let mut want = vec![i + 1; 16];
            want.resize(64, 0);
            assert_eq!(bytes(out, 64), want, "call {i}: the echo of this call's `in`");
            assert_eq!(u32_at(&bytes(arg, 16), 12), Some(64), "call {i}: out_len");
        }
        l
    }

    #[test]
    fn a_struct_that_changed_runs_nothing_and_the_call_takes_the_slow_path() {
        let mut l = Live::new();
        *l.drv.config.min_scope.lock().unwrap() = Some(fwctl_core::RpcScope::DebugReadOnly);
        let mem = Pages::new(libc::PROT_READ | libc::PROT_WRITE);
        let (input, out, out2) = (mem.0 as u64 + 1024, mem.0 as u64 + 2048, mem.0 as u64 + 3072);
        fill(input, 16, 7);
        let mut calls = until_spoken(&mut l, 3, || put_at(mem.0, 1, input, 16, out, 64));
        // Each change: one guess that the daemon refuses, then that call the
        // slow way. `Some(n)`: the echo of `n` bytes; `None`: EBADMSG, the
        // scope below the driver's minimum.
        let changes = [
            (1, 8, out, Some(8)),  // in_len
            (1, 8, out2, Some(8)), // the out pointer
            (0, 8, out2, None),    // the scope
        ];
        for (n, &(scope, in_len, o, echoed)) in changes.iter().enumerate() {
            fill(out, 64, 0xEE);
            fill(out2, 64, 0xEE);
            let spoke = l.c.spoke;
            let want = if echoed.is_some() { Ok(()) } else { Err(libc::EBADMSG) };
            assert_eq!(l.call(put_at(mem.0, scope, input, in_len, o, 64)), want, "change {n}");
            calls += 1;
            assert_eq!(l.c.spoke, (spoke.0, spoke.1 + 1, spoke.2), "change {n}: not run, then the slow path");
            if let Some(len) = echoed {
                assert_eq!(bytes(o, len), vec![7; len], "change {n}: the new struct's answer");
                calls += until_spoken(&mut l, 2 * MAX_NEED as usize, || {
                    put_at(mem.0, scope, input, in_len, o, 64)
                });
            }
        }
        // EBADMSG is the echo driver's own refusal: it ran, for the new scope.
        assert_eq!(l.runs(), calls, "the driver ran once per call, never for a guess");
    }

    #[test]
    fn an_unmapped_struct_or_in_on_a_later_call_is_efault_and_runs_nothing() {
        let mut l = Live::new();
        let mem = Pages::new(libc::PROT_READ | libc::PROT_WRITE);
        let (input, out) = (mem.0 as u64 + 1024, mem.0 as u64 + 2048);
        // The struct on the second page, then that page unmapped (PROT_NONE).
        let calls = until_spoken(&mut l, 3, || put_at(mem.second(), 0, input, 16, out, 64));
        mem.protect(libc::PROT_NONE);
        let spoke = l.c.spoke;
        assert_eq!(l.call(mem.second() as u64), Err(libc::EFAULT));
        assert_eq!((l.c.spoke, l.runs()), (spoke, calls), "nothing sent speculatively, nothing ran");
        mem.protect(libc::PROT_READ | libc::PROT_WRITE);
        // `in` on the second page, then unmapped.
        let mut calls = calls
            + until_spoken(&mut l, 2 * MAX_NEED as usize, || {
                put_at(mem.0, 0, mem.second() as u64, 16, out, 64)
            });
        mem.protect(libc::PROT_NONE);
        let spoke = l.c.spoke;
        assert_eq!(l.call(mem.0 as u64), Err(libc::EFAULT));
        assert_eq!((l.c.spoke, l.runs()), (spoke, calls));
        mem.protect(libc::PROT_READ | libc::PROT_WRITE);
        assert_eq!(l.call(put_at(mem.0, 0, mem.second() as u64, 16, out, 64)), Ok(()));
        calls += 1;
        assert_eq!(l.runs(), calls);
    }

    #[test]
    fn a_program_that_allocates_in_for_every_call_pays_no_extra_round_trip() {
        let mut l = Live::new();
        let mem = Pages::new(libc::PROT_READ | libc::PROT_WRITE);
        let out = mem.0 as u64 + 2048;
        let mut kept = Vec::new();
        let mut fresh_in = || {
            let b = Box::new([3u8; 16]);
            let at = b.as_ptr() as u64;
            kept.push(b);
            put_at(mem.0, 0, at, 16, out, 64)
        };
        for _ in 0..50 {
            assert_eq!(l.call(fresh_in()), Ok(()));
        }
        assert_eq!(l.c.spoke, (0, 0, 0), "never guessed");
        // A struct that repeats, then one that changes every call: one guess fails.
        let input = mem.0 as u64 + 1024;
        let calls = until_spoken(&mut l, 3, || put_at(mem.0, 0, input, 16, out, 64));
        for _ in 0..50 {
            assert_eq!(l.call(fresh_in()), Ok(()));
        }
        assert_eq!(l.c.spoke, (1, 1, 0), "one guess not run, then none");
        assert_eq!(l.runs(), 50 + calls + 50);
    }

    #[test]
    fn a_fault_on_a_speculative_call_writes_what_the_kernel_would() {
        let mut l = Live::new();
        let mem = Pages::new(libc::PROT_READ);
        let input = Box::new([5u8; 48]);
        // `out` runs 24 bytes into its page, then into a read-only one: the
        // 48-byte echo faults there, the struct keeps its out_len.
        let out = mem.edge(24);
        let arg = put_at(mem.0, 0, input.as_ptr() as u64, 48, out, 64);
        let mut hits = 0;
        for call in 0..4 {
            fill(out, 24, 0xEE);
            let before = bytes(arg, RPC_STRUCT);
            assert_eq!(l.call(arg), Err(libc::EFAULT), "call {call}");
            assert_eq!(bytes(out, 24), vec![5; 24], "call {call}: the writable prefix");
            assert_eq!(bytes(arg, RPC_STRUCT), before, "call {call}: the struct is not written");
            hits = l.c.spoke.0;
        }
        assert_eq!(hits, 2, "two of them speculative");
        // A read-only struct: `out` is written, then EFAULT.
        let mem2 = Pages::new(libc::PROT_READ | libc::PROT_WRITE);
        let out = mem2.0 as u64 + 512;
        let arg = put_at(mem2.second(), 0, input.as_ptr() as u64, 48, out, 64);
        mem2.protect(libc::PROT_READ);
        let before = bytes(arg, RPC_STRUCT);
        for call in 0..4 {
            fill(out, 64, 0xEE);
            assert_eq!(l.call(arg), Err(libc::EFAULT), "call {call}");
            let mut want = vec![5; 48];
            want.resize(64, 0);
            assert_eq!(bytes(out, 64), want, "call {call}: out is written first");
            assert_eq!(bytes(arg, RPC_STRUCT), before);
        }
        assert_eq!(l.c.spoke.0, hits + 2);
        assert_eq!(l.runs(), 8);
    }
}
