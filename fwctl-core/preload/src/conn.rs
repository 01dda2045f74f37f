//! One open device: a connection to the daemon's socket `fwctlN`, and the
//! ioctl forwarded over it with the caller's own memory.
//!
//! The caller's memory is read and written with `process_vm_readv`/
//! `process_vm_writev` on this very process: an unmapped or read-only address
//! is an `EFAULT` return, never a crash, exactly where `copy_from_user`/
//! `copy_to_user` would fault; a copy running into a hole stops there.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use fwctl_ipc::server::wire::{self, Kind, SEG_DATA, SEG_WRITABLE, SegmentHeader};
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{FWCTL_INFO, FWCTL_RPC, MAX_RPC_LEN};
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

/// An open device.
#[derive(Debug)]
pub struct Conn {
    fd: RawFd,
    out: Vec<u8>,
    payload: Vec<u8>,
}

fn errno_of(e: nix::errno::Errno) -> i32 {
    e as i32
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

/// Read as much of `[addr, addr + len)` as is readable, from the front.
fn read_prefix(addr: u64, dst: &mut [u8]) -> usize {
    if dst.is_empty() {
        return 0;
    }
    let Ok(base) = usize::try_from(addr) else { return 0 };
    let len = dst.len();
    let remote = [RemoteIoVec { base, len }];
    let mut local = [IoSliceMut::new(dst)];
    process_vm_readv(Pid::this(), &mut local, &remote).unwrap_or(0)
}

fn write_zeros(mut addr: u64, mut len: usize) -> bool {
    static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];
    while len > 0 {
        let n = len.min(ZEROS.len());
        let Ok(base) = usize::try_from(addr) else { return false };
        let remote = [RemoteIoVec { base, len: n }];
        let local = [IoSlice::new(&ZEROS[..n])];
        if !matches!(process_vm_writev(Pid::this(), &local, &remote), Ok(w) if w == n) {
            return false;
        }
        addr += n as u64;
        len -= n;
    }
    true
}

fn write_all_in_order(writes: &[(u64, Vec<u8>)]) -> bool {
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
    matches!(process_vm_writev(Pid::this(), &local, &remote), Ok(n) if n == total)
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

/// Merge overlapping regions (the wire protocol wants disjoint segments; a
/// caller may well pass the same buffer as `in` and `out`).
fn merge(mut v: Vec<Region>) -> Vec<Region> {
    v.retain(|r| r.len > 0);
    v.sort_by_key(|r| r.addr);
    let mut out: Vec<Region> = Vec::with_capacity(v.len());
    for r in v {
        if let Some(last) = out.last_mut()
            && r.addr < last.addr.saturating_add(last.len)
        {
            let end = (last.addr.saturating_add(last.len)).max(r.addr.saturating_add(r.len));
            last.len = end - last.addr;
            last.read |= r.read;
            last.write |= r.write;
            continue;
        }
        out.push(r);
    }
    out
}

impl Conn {
    /// Wrap a connected socket.
    pub fn new(fd: RawFd) -> Conn {
        Conn { fd, out: Vec::new(), payload: Vec::new() }
    }

    /// The regions an ioctl `cmd` with argument `arg` may touch, read from the
    /// caller as the dispatcher will need them: the struct (its `size`, capped),
    /// then what its pointers name (lengths the kernel refuses before reading
    /// are not sent).
    fn plan(cmd: u32, arg: u64, window: &[u8]) -> Vec<Region> {
        let mut regions = Vec::with_capacity(3);
        if cmd != FWCTL_INFO && cmd != FWCTL_RPC {
            return regions;
        }
        let mut head = [0u8; 32];
        let n = if window.len() >= head.len() {
            head.copy_from_slice(&window[..32]);
            32
        } else {
            read_prefix(arg, &mut head)
        };
        let Some(size) = u32_at(&head[..n], 0) else {
            // The size word itself faults: send what is readable (the server
            // then faults where copy_from_user would).
            regions.push(Region { addr: arg, len: n as u64, read: true, write: true });
            return regions;
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
        merge(regions)
    }

    /// `ioctl(fd, cmd, arg)` as the kernel's fwctl node answers it, the
    /// dispatcher running in the daemon. `Err(errno)` on failure.
    ///
    /// Differences from the kernel, all at sizes no real caller uses: a struct
    /// `size` above 64 KiB is forwarded as its first 64 KiB (so an all-zero
    /// tail beyond that is `EFAULT`, not accepted).
    pub fn ioctl(&mut self, cmd: u32, arg: u64) -> Result<(), i32> {
        // One system call reads the struct and whatever shares its page (an
        // `in` buffer on the stack, typically); reading to the page's end faults
        // no more than the struct alone would (protection is per page).
        let window = if cmd == FWCTL_INFO || cmd == FWCTL_RPC {
            let to_page_end = PAGE - (arg as usize & (PAGE - 1));
            let mut w = vec![0u8; to_page_end];
            let n = read_prefix(arg, &mut w);
            w.truncate(n);
            w
        } else {
            Vec::new()
        };
        let regions = Self::plan(cmd, arg, &window);
        let in_window = |r: &Region| {
            r.addr.checked_sub(arg).and_then(|off| usize::try_from(off).ok()).and_then(|off| {
                let end = off.checked_add(usize::try_from(r.len).ok()?)?;
                window.get(off..end)
            })
        };
        // Read what the dispatcher reads; a region that faults part-way is sent
        // up to the fault, so the daemon's dispatcher faults at the same byte.
        let mut data: Vec<Vec<u8>> = Vec::with_capacity(regions.len());
        let mut segs: Vec<SegmentHeader> = Vec::with_capacity(regions.len());
        for r in &regions {
            let flags = if r.read { SEG_DATA } else { 0 } | if r.write { SEG_WRITABLE } else { 0 };
            let Ok(len) = u32::try_from(r.len) else { continue };
            if r.read {
                let buf = match in_window(r) {
                    Some(bytes) => bytes.to_vec(),
                    None => {
                        let mut buf = vec![0u8; len as usize];
                        let got = read_prefix(r.addr, &mut buf);
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
        let pairs: Vec<(SegmentHeader, Option<&[u8]>)> =
            segs.iter().zip(&data).map(|(s, d)| (*s, s.has_data().then_some(&d[..]))).collect();
        self.out.clear();
        wire::begin_frame(&mut self.out, Kind::Ioctl);
        wire::encode_ioctl(&mut self.out, cmd, arg, &pairs);
        wire::finish_frame(&mut self.out).map_err(|_| libc::EMSGSIZE)?;
        send_all(self.fd, &self.out).map_err(|_| libc::EIO)?;
        let mut h = [0u8; wire::HEADER_LEN];
        recv_exact(self.fd, &mut h).map_err(|_| libc::EIO)?;
        let header = wire::decode_header(&h).map_err(|_| libc::EIO)?;
        self.payload.resize(header.len, 0);
        recv_exact(self.fd, &mut self.payload).map_err(|_| libc::EIO)?;
        if header.kind != Kind::IoctlReply {
            return Err(libc::EIO);
        }
        let reply = wire::decode_ioctl_reply(&self.payload).map_err(|_| libc::EIO)?;
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
            write_all_in_order(&writes)
        } else {
            writes.iter().zip(&zeros).all(|((at, b), (zat, n))| {
                write_all_in_order(&[(*at, b.clone())]) && (*n == 0 || write_zeros(*zat, *n))
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
        let m = merge(vec![
            r(100, 32, true, true),
            r(200, 16, true, false),
            r(208, 16, false, true),
            r(0, 0, true, false),
        ]);
        assert_eq!(m.len(), 2);
        assert_eq!((m[1].addr, m[1].len, m[1].read, m[1].write), (200, 24, true, true));
    }

    #[test]
    fn unreadable_memory_reads_as_nothing_and_writes_fail() {
        let mut b = [0u8; 8];
        assert_eq!(read_prefix(0, &mut b), 0);
        assert!(!write_all_in_order(&[(8, b"x".to_vec())]));
        let mut y = [0u8; 4];
        let py = y.as_mut_ptr() as u64;
        assert!(!write_all_in_order(&[(py, b"ab".to_vec()), (8, b"x".to_vec()), (py + 2, b"cd".to_vec())]));
        assert_eq!(std::hint::black_box(&y), b"ab\0\0", "stops at the fault");
        assert!(write_zeros(py, 4));
        assert_eq!(std::hint::black_box(&y), &[0; 4]);
        let x = [7u8; 8];
        assert_eq!(read_prefix(x.as_ptr() as u64, &mut b), 8);
        assert_eq!(b, x);
    }
}
