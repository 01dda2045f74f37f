//! [`ProcessMemory`]: the caller's own address space as the dispatcher's
//! [`UserMemory`], through `process_vm_readv(2)`/`process_vm_writev(2)`.
//!
//! This is what `copy_from_user`/`copy_to_user` are for the kernel's fwctl:
//! an address that is not mapped (or, for a write, not writable) in the caller
//! is `EFAULT`. A write that runs from mapped into unmapped memory leaves the
//! bytes before the fault written, as `copy_to_user` does (it reports how many
//! bytes it could not copy; fwctl turns any shortfall into `EFAULT`); a read that
//! faults part way is `EFAULT` with the bytes read so far discarded, as
//! `copy_from_user` into a kernel buffer is. `process_vm_writev` does not force
//! its way into read-only pages (no `FOLL_FORCE`), so a read-only `out` buffer
//! is `EFAULT`, as it is for `copy_to_user`.

use std::cell::RefCell;
use std::io::{IoSlice, IoSliceMut};

use fwctl_subsys::memory::UserMemory;
use fwctl_uapi::errno::Errno;
use nix::sys::uio::{RemoteIoVec, process_vm_readv, process_vm_writev};
use nix::unistd::Pid;

/// The memory of process (or thread) `pid`, read and written in place.
///
/// The caller must keep `pid` from being recycled while this is used: the FUSE
/// server does, because the calling thread is blocked in its `ioctl` until the
/// reply is written.
///
/// One system call costs microseconds, so the first read fetches its whole page
/// (at most [`ProcessMemory::WINDOW`] bytes) and later reads inside that window
/// are served from it: the dispatcher reads `size`, then the whole struct, and
/// often an `in` buffer on the same (stack or heap) page, before or after the
/// struct. Reading within a page never faults where the requested bytes would
/// not (protection is per page). Writes go to the process at once and update the window, or,
/// made with [`ProcessMemory::deferred`], are gathered and written by one
/// `process_vm_writev` in [`ProcessMemory::flush`].
///
/// [`ProcessMemory::read_ahead`] names one more range for that first system
/// call to fetch (the FUSE server passes the `in` buffer of the caller's last
/// call with the same struct): when the dispatcher then reads it, no second
/// system call is needed. It is only a prefetch: a range that faults is simply
/// not kept, and reads outside what was fetched go to the process as before.
///
/// A server serves many requests with one `ProcessMemory`: [`ProcessMemory::reuse`]
/// turns it into the memory of the next caller, keeping its buffers, so a
/// request allocates nothing here once the buffers have grown to its sizes.
#[derive(Debug, Clone)]
pub struct ProcessMemory {
    pid: Pid,
    /// The first read's page window.
    window: RefCell<Window>,
    /// The range to fetch with the first read.
    ahead: Option<(u64, usize)>,
    /// What that range fetched.
    extra: RefCell<Window>,
    /// Deferred writes, in order (`None`: writes go out at once).
    pending: Option<Pending>,
}

/// Bytes fetched from the process at `base`: `buf[..valid]` (the buffer is
/// kept, and only grows, across [`ProcessMemory::reuse`]).
#[derive(Debug, Clone, Default)]
struct Window {
    base: u64,
    valid: usize,
    buf: Vec<u8>,
}

impl Window {
    /// The fetched bytes, if any.
    fn bytes(&self) -> Option<(u64, &[u8])> {
        self.buf.get(..self.valid).filter(|b| !b.is_empty()).map(|b| (self.base, b))
    }

    /// A buffer of `len` bytes to fetch into (not yet valid).
    fn prepare(&mut self, len: usize) -> &mut [u8] {
        self.valid = 0;
        if self.buf.len() < len {
            self.buf.resize(len, 0);
        }
        &mut self.buf[..len]
    }

    /// Serve `dst` from the fetched bytes if it lies inside them.
    fn serve(&self, addr: u64, dst: &mut [u8]) -> bool {
        let Some((base, bytes)) = self.bytes() else { return false };
        let Some(off) = addr.checked_sub(base).and_then(|o| usize::try_from(o).ok()) else {
            return false;
        };
        match bytes.get(off..off.saturating_add(dst.len())) {
            Some(src) => {
                dst.copy_from_slice(src);
                true
            }
            None => false,
        }
    }

    /// Keep the fetched bytes equal to memory after a write of `src` at `addr`.
    fn update(&mut self, addr: u64, src: &[u8]) {
        let valid = self.valid;
        let Some(bytes) = self.buf.get_mut(..valid) else { return };
        overlay(self.base, bytes, addr, src);
    }
}

/// Copy the part of `src` (bytes at `at`) that falls in `dst` (bytes at `addr`).
fn overlay(addr: u64, dst: &mut [u8], at: u64, src: &[u8]) {
    let ws = addr.max(at);
    let we = addr.saturating_add(dst.len() as u64).min(at.saturating_add(src.len() as u64));
    if ws < we {
        let (d, s, n) = ((ws - addr) as usize, (ws - at) as usize, (we - ws) as usize);
        dst[d..d + n].copy_from_slice(&src[s..s + n]);
    }
}

/// Deferred writes: their bytes back to back in `data`, their targets in
/// `pieces` (address, length), and the remote iovecs of the next flush.
#[derive(Debug, Clone, Default)]
struct Pending {
    data: Vec<u8>,
    pieces: Vec<(u64, usize)>,
    remote: Vec<RemoteIoVec>,
}

impl Pending {
    fn clear(&mut self) {
        self.data.clear();
        self.pieces.clear();
    }

    /// Each deferred write, in order.
    fn iter(&self) -> impl Iterator<Item = (u64, &[u8])> {
        let mut off = 0usize;
        self.pieces.iter().map(move |&(at, len)| {
            let b = self.data.get(off..off + len).unwrap_or_default();
            off += len;
            (at, b)
        })
    }
}

/// The largest piece handed to one system call (the kernel caps an iovec at
/// `MAX_RW_COUNT`; our payloads are at most 2 MiB, so this is never reached in
/// practice but keeps the arithmetic honest).
const MAX_PIECE: usize = 1 << 30;

impl ProcessMemory {
    /// The memory of `pid`.
    pub fn new(pid: i32) -> Self {
        ProcessMemory {
            pid: Pid::from_raw(pid),
            window: RefCell::default(),
            ahead: None,
            extra: RefCell::default(),
            pending: None,
        }
    }

    /// The memory of `pid` for a new request, keeping this one's buffers (and
    /// whether writes are deferred). What was fetched, the range to read
    /// ahead and any deferred write not flushed are forgotten.
    pub fn reuse(&mut self, pid: i32) {
        self.pid = Pid::from_raw(pid);
        self.forget_fetched();
        self.ahead = None;
        if let Some(p) = self.pending.as_mut() {
            p.clear();
        }
    }

    /// Also fetch `[addr, addr + len)` (at most [`ProcessMemory::MAX_AHEAD`]
    /// bytes) with the first read's system call, to serve a later read of it.
    /// Ignored when empty, too long or wrapping.
    pub fn read_ahead(mut self, addr: u64, len: usize) -> Self {
        self.set_read_ahead(addr, len);
        self
    }

    /// [`ProcessMemory::read_ahead`], in place.
    pub fn set_read_ahead(&mut self, addr: u64, len: usize) {
        if len > 0 && len <= Self::MAX_AHEAD && range_ok(addr, len).is_ok() {
            self.ahead = Some((addr, len));
        }
    }

    /// Longest range [`ProcessMemory::read_ahead`] fetches.
    pub const MAX_AHEAD: usize = 64 * 1024;

    /// Fill `dst` with the bytes already fetched at `addr`, without a system
    /// call (e.g. the struct, after the call, to learn its `in` buffer);
    /// `false` when they were not all fetched.
    pub fn fetched(&self, addr: u64, dst: &mut [u8]) -> bool {
        self.read_window(addr, dst)
    }

    /// The memory of `pid`, its writes gathered until [`ProcessMemory::flush`]
    /// (or until [`ProcessMemory::MAX_PENDING`] bytes wait): the dispatcher's
    /// copy-outs (the buffer, then the struct) cost one system call instead of
    /// two. `flush` writes them in order and stops at the first fault, exactly
    /// where `copy_to_user` would have stopped; the ioctl's result is then
    /// `EFAULT`, whatever the dispatcher returned.
    pub fn deferred(pid: i32) -> Self {
        ProcessMemory { pending: Some(Pending::default()), ..Self::new(pid) }
    }

    /// Most bytes a deferred memory holds before writing them out.
    pub const MAX_PENDING: usize = 64 * 1024;

    /// Write the deferred writes, in order, with one `process_vm_writev`.
    /// `Err(EFAULT)` when one faulted (the bytes before the fault are written,
    /// later writes are not).
    pub fn flush(&mut self) -> Result<(), Errno> {
        let Some(p) = self.pending.as_mut() else { return Ok(()) };
        if p.pieces.is_empty() {
            return Ok(());
        }
        p.remote.clear();
        let mut ok = true;
        for &(addr, len) in &p.pieces {
            match range_ok(addr, len) {
                Ok(base) => p.remote.push(RemoteIoVec { base, len }),
                Err(_) => {
                    // Written up to here, as copy_to_user stops at the fault.
                    ok = false;
                    break;
                }
            }
        }
        let total: usize = p.remote.iter().map(|r| r.len).sum();
        let written = match p.data.get(..total) {
            Some(bytes) if total > 0 => process_vm_writev(self.pid, &[IoSlice::new(bytes)], &p.remote),
            _ => Ok(0),
        };
        p.clear();
        match written {
            Ok(n) if ok && n == total => Ok(()),
            _ => {
                self.forget_fetched();
                Err(Errno::EFAULT)
            }
        }
    }

    /// Most bytes read ahead.
    pub const WINDOW: usize = 4096;

    fn page_size() -> usize {
        static PAGE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *PAGE.get_or_init(|| {
            nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
                .ok()
                .flatten()
                .and_then(|p| usize::try_from(p).ok())
                .filter(|p| p.is_power_of_two())
                .unwrap_or(4096)
        })
    }

    /// Serve `dst` from the window (or the range read ahead) if it lies inside it.
    fn read_window(&self, addr: u64, dst: &mut [u8]) -> bool {
        self.window.borrow().serve(addr, dst) || self.extra.borrow().serve(addr, dst)
    }

    /// The first read: `n` bytes from `start` (a page) into the window, and
    /// the range named by [`ProcessMemory::read_ahead`] unless the window holds
    /// it, in one system call. The page is all or `EFAULT`; the range is kept only if it
    /// was read whole.
    fn read_first(&self, start: usize, n: usize) -> Result<(), Errno> {
        let mut window = self.window.borrow_mut();
        // A range inside the window comes with it: no second iovec (each costs
        // the kernel a page lookup in the caller).
        let ahead = self
            .ahead
            .and_then(|(addr, len)| Some((addr, usize::try_from(addr).ok()?, len)))
            .filter(|&(_, base, len)| !(base >= start && base.saturating_add(len) <= start + n));
        let Some((addr, base, len)) = ahead else {
            read_direct(self.pid, start, window.prepare(n))?;
            (window.base, window.valid) = (start as u64, n);
            return Ok(());
        };
        let mut extra = self.extra.borrow_mut();
        let remote = [RemoteIoVec { base: start, len: n }, RemoteIoVec { base, len }];
        let mut local = [IoSliceMut::new(window.prepare(n)), IoSliceMut::new(extra.prepare(len))];
        match process_vm_readv(self.pid, &mut local, &remote) {
            Ok(got) if got == n + len => {
                (window.base, window.valid) = (start as u64, n);
                (extra.base, extra.valid) = (addr, len);
                Ok(())
            }
            Ok(got) if got >= n => {
                (window.base, window.valid) = (start as u64, n);
                Ok(())
            }
            // The page itself faulted: copy_from_user fails.
            Ok(_) | Err(_) => Err(Errno::EFAULT),
        }
    }

    /// Lay deferred writes not yet flushed over bytes just read at `addr`, so a
    /// read after a write sees the write.
    fn overlay_pending(&self, addr: u64, dst: &mut [u8]) {
        for (at, bytes) in self.pending.iter().flat_map(Pending::iter) {
            overlay(addr, dst, at, bytes);
        }
    }

    /// Nothing fetched is served any more (a new request, or a write that
    /// faulted part way).
    fn forget_fetched(&mut self) {
        self.window.get_mut().valid = 0;
        self.extra.get_mut().valid = 0;
    }

    /// Keep what was fetched equal to memory after a write of `src` at `addr`.
    fn update_fetched(&mut self, addr: u64, src: &[u8]) {
        self.window.get_mut().update(addr, src);
        self.extra.get_mut().update(addr, src);
    }

    /// The pid this memory belongs to.
    pub fn pid(&self) -> i32 {
        self.pid.as_raw()
    }
}

/// Read `dst.len()` bytes at `start` of `pid`; any shortfall is `EFAULT`.
fn read_direct(pid: Pid, start: usize, dst: &mut [u8]) -> Result<(), Errno> {
    let mut done = 0;
    while done < dst.len() {
        let n = (dst.len() - done).min(MAX_PIECE);
        let remote = [RemoteIoVec { base: start + done, len: n }];
        let mut local = [IoSliceMut::new(&mut dst[done..done + n])];
        match process_vm_readv(pid, &mut local, &remote) {
            Ok(got) if got == n => done += n,
            // A short read stopped at an unmapped page: copy_from_user fails.
            Ok(_) | Err(_) => return Err(Errno::EFAULT),
        }
    }
    Ok(())
}

/// `[addr, addr + len)` must not wrap and must fit a `usize` address, as
/// `access_ok` demands.
fn range_ok(addr: u64, len: usize) -> Result<usize, Errno> {
    let start = usize::try_from(addr).map_err(|_| Errno::EFAULT)?;
    start.checked_add(len).ok_or(Errno::EFAULT)?;
    Ok(start)
}

impl UserMemory for ProcessMemory {
    fn read(&self, addr: u64, dst: &mut [u8]) -> Result<(), Errno> {
        if dst.is_empty() {
            return Ok(());
        }
        let start = range_ok(addr, dst.len())?;
        if self.read_window(addr, dst) {
            return Ok(());
        }
        let page = Self::page_size();
        let page_start = start & !(page - 1);
        let to_page_end = page - (start - page_start);
        if self.window.borrow().valid != 0 || dst.len() > to_page_end.min(Self::WINDOW) {
            read_direct(self.pid, start, dst)?;
            self.overlay_pending(addr, dst);
            return Ok(());
        }
        // First read: fetch the whole page (same faults as `dst` alone), or on
        // pages larger than the window, the window from `dst` on.
        if page <= Self::WINDOW {
            self.read_first(page_start, page)?;
        } else {
            self.read_first(start, to_page_end.min(Self::WINDOW))?;
        }
        // Deferred writes made before this first read stay visible.
        if let Some(p) = self.pending.as_ref() {
            for w in [&self.window, &self.extra] {
                let mut w = w.borrow_mut();
                for (at, bytes) in p.iter() {
                    w.update(at, bytes);
                }
            }
        }
        if self.read_window(addr, dst) { Ok(()) } else { Err(Errno::EFAULT) }
    }

    fn write(&mut self, addr: u64, src: &[u8]) -> Result<(), Errno> {
        if src.is_empty() {
            return Ok(());
        }
        let start = range_ok(addr, src.len())?;
        if let Some(p) = self.pending.as_mut()
            && src.len() <= Self::MAX_PENDING
        {
            p.data.extend_from_slice(src);
            p.pieces.push((addr, src.len()));
            let queued = p.data.len();
            self.update_fetched(addr, src);
            if queued > Self::MAX_PENDING {
                self.flush()?;
            }
            return Ok(());
        }
        self.flush()?;
        let mut done = 0;
        while done < src.len() {
            let n = (src.len() - done).min(MAX_PIECE);
            let remote = [RemoteIoVec { base: start + done, len: n }];
            let local = [IoSlice::new(&src[done..done + n])];
            match process_vm_writev(self.pid, &local, &remote) {
                Ok(got) if got == n => done += n,
                // The bytes before the fault stay written, as with copy_to_user.
                Ok(_) | Err(_) => {
                    self.forget_fetched();
                    return Err(Errno::EFAULT);
                }
            }
        }
        // Keep the window equal to the process's memory.
        self.update_fetched(addr, src);
        Ok(())
    }

    fn zero(&mut self, addr: u64, len: usize) -> Result<(), Errno> {
        const CHUNK: usize = 64 * 1024;
        if len == 0 {
            return Ok(());
        }
        range_ok(addr, len)?;
        let zeros = vec![0u8; len.min(CHUNK)];
        let mut off = 0usize;
        while off < len {
            let n = (len - off).min(CHUNK);
            self.write(addr + off as u64, &zeros[..n])?;
            off += n;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> ProcessMemory {
        ProcessMemory::new(std::process::id() as i32)
    }

    #[test]
    fn reads_and_writes_this_process() {
        let src = *b"hello, fwctl";
        let mut dst = [0u8; 12];
        me().read(src.as_ptr() as u64, &mut dst).unwrap();
        assert_eq!(dst, src);
        let mut target = [0u8; 5];
        me().write(target.as_mut_ptr() as u64, b"abcde").unwrap();
        assert_eq!(&target, b"abcde");
        me().zero(target.as_mut_ptr() as u64, 3).unwrap();
        assert_eq!(&target, b"\0\0\0de");
    }

    #[test]
    fn null_and_wrapping_ranges_fault_but_empty_ones_do_not() {
        let mut b = [0u8; 4];
        assert_eq!(me().read(0, &mut b), Err(Errno::EFAULT));
        assert_eq!(me().read(u64::MAX - 1, &mut b), Err(Errno::EFAULT));
        assert_eq!(me().write(8, b"x"), Err(Errno::EFAULT));
        assert_eq!(me().read(0, &mut []), Ok(()));
        assert_eq!(me().write(0, &[]), Ok(()));
        assert_eq!(me().zero(0, 0), Ok(()));
    }

    #[test]
    fn deferred_writes_go_out_in_order_at_flush_and_stop_at_a_fault() {
        let mut a = *b"....";
        let mut b = *b"....";
        let (pa, pb) = (a.as_mut_ptr() as u64, b.as_mut_ptr() as u64);
        let mut m = ProcessMemory::deferred(std::process::id() as i32);
        m.write(pa, b"abcd").unwrap();
        // A read after the write sees it, before anything reached memory.
        let mut d = [0u8; 4];
        m.read(pa, &mut d).unwrap();
        assert_eq!(&d, b"abcd");
        assert_eq!(std::hint::black_box(&a), b"....");
        m.write(8, b"x").unwrap(); // an unmapped address: found at flush
        m.write(pb, b"zz").unwrap();
        assert_eq!(m.flush(), Err(Errno::EFAULT));
        assert_eq!(std::hint::black_box(&a), b"abcd", "written before the fault");
        assert_eq!(std::hint::black_box(&b), b"....", "nothing after the fault");
        m.write(pb, b"ok").unwrap();
        assert_eq!(m.flush(), Ok(()));
        assert_eq!(&std::hint::black_box(&b)[..2], b"ok");
    }

    #[test]
    fn the_read_ahead_window_sees_later_writes() {
        let mut buf = *b"0123456789abcdef";
        let a = buf.as_mut_ptr() as u64;
        let mut m = me();
        let mut d = [0u8; 4];
        m.read(a, &mut d).unwrap();
        assert_eq!(&d, b"0123");
        m.write(a + 2, b"XY").unwrap();
        let mut d = [0u8; 6];
        m.read(a, &mut d).unwrap();
        assert_eq!(&d, b"01XY45");
        assert_eq!(&buf[..6], b"01XY45");
    }

    #[test]
    fn a_range_read_ahead_is_fetched_with_the_first_read_and_a_faulting_one_is_dropped() {
        let arg = *b"the struct......";
        let mut input = *b"the in buffer";
        let pin = input.as_mut_ptr() as u64;
        let m = me().read_ahead(pin, input.len());
        let mut d = [0u8; 4];
        m.read(arg.as_ptr() as u64, &mut d).unwrap();
        // Fetched by that first read: a later change is not seen (a snapshot,
        // as the page window is).
        input[0] = b'T';
        let mut got = [0u8; 13];
        m.read(pin, &mut got).unwrap();
        assert_eq!(&got, b"the in buffer");
        let mut three = [0u8; 3];
        assert!(m.fetched(pin, &mut three));
        assert_eq!(&three, b"the");
        // An unmapped range is not kept: reading it is still EFAULT.
        let m = me().read_ahead(8, 16);
        m.read(arg.as_ptr() as u64, &mut d).unwrap();
        assert_eq!(&d, b"the ");
        assert_eq!(m.read(8, &mut got), Err(Errno::EFAULT));
        assert!(!m.fetched(8, &mut [0u8; 1]));
        std::hint::black_box(&mut input);
    }

    #[test]
    fn the_first_read_fetches_its_whole_page_and_no_further() {
        let page = ProcessMemory::page_size();
        let mut v = vec![7u8; 3 * page];
        let base = v.as_mut_ptr() as u64;
        let p = (base + page as u64 - 1) & !(page as u64 - 1); // a page inside `v`
        let m = me();
        let mut d = [0u8; 8];
        m.read(p + 100, &mut d).unwrap();
        // Bytes before the struct on its page (an `in` buffer there) come with it...
        assert!(m.fetched(p + 16, &mut [0u8; 32]));
        assert!(m.fetched(p + page as u64 - 8, &mut [0u8; 8]));
        // ...the next page does not.
        assert!(!m.fetched(p + page as u64 - 4, &mut [0u8; 8]));
        assert!(!m.fetched(p - 1, &mut [0u8; 1]));
        std::hint::black_box(&mut v);
    }

    #[test]
    fn a_reused_memory_forgets_the_last_request() {
        let mut buf = *b"0123456789abcdef";
        let a = buf.as_mut_ptr() as u64;
        let mut m = ProcessMemory::deferred(std::process::id() as i32).read_ahead(a + 8, 4);
        let mut d = [0u8; 4];
        m.read(a, &mut d).unwrap();
        m.write(a, b"WXYZ").unwrap();
        m.reuse(std::process::id() as i32);
        assert_eq!(m.flush(), Ok(()));
        assert_eq!(&std::hint::black_box(&buf)[..4], b"0123", "an unflushed write is dropped");
        buf[0] = b'N';
        buf[8] = b'M';
        assert!(!m.fetched(a, &mut d), "nothing fetched yet");
        m.read(a, &mut d).unwrap();
        assert_eq!(&d, b"N123", "the new request reads memory as it is now");
        m.read(a + 8, &mut d).unwrap();
        assert_eq!(&d, b"M9ab");
        // Still deferred: a write waits for the flush.
        m.write(a, b"ok").unwrap();
        assert_eq!(&std::hint::black_box(&buf)[..2], b"N1");
        assert_eq!(m.flush(), Ok(()));
        assert_eq!(&std::hint::black_box(&buf)[..2], b"ok");
    }

    #[test]
    fn read_only_memory_cannot_be_written() {
        static RO: [u8; 16] = [7; 16];
        assert_eq!(me().write(RO.as_ptr() as u64, b"no"), Err(Errno::EFAULT));
        assert_eq!(RO, [7; 16]);
    }
}
