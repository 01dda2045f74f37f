//! The caller's address space as rebuilt from an ioctl request: only the segments
//! the request carries exist, so a pointer or length that does not fit them is
//! `EFAULT`, exactly as an unmapped user address is in the kernel.

use crate::server::wire::{IoctlRequest, Written};
use fwctl_subsys::ioctl::UserMemory;
use fwctl_uapi::errno::Errno;

/// Largest buffer a connection keeps between requests; larger ones are freed so
/// idle connections stay small.
const KEEP: usize = 64 * 1024;

#[derive(Debug, Default)]
struct Seg {
    addr: u64,
    len: u64,
    writable: bool,
    /// Materialised prefix of the segment; bytes past it read as zero. Output-only
    /// segments start empty and grow only as far as they are written, so a caller
    /// announcing a huge buffer costs nothing until the dispatcher writes to it.
    bytes: Vec<u8>,
    /// Hull of the ranges written, `[start, end)` relative to `addr`.
    dirty: Option<(u64, u64)>,
}

impl Seg {
    fn mark(&mut self, off: u64, len: u64) {
        if len == 0 {
            return;
        }
        let end = off + len;
        self.dirty = Some(match self.dirty {
            None => (off, end),
            Some((s, e)) => (s.min(off), e.max(end)),
        });
    }
}

/// A [`UserMemory`] over the segments of one request, reused across requests.
#[derive(Debug, Default)]
pub struct FrameMemory {
    segs: Vec<Seg>,
    used: usize,
}

impl FrameMemory {
    /// An empty address space.
    pub fn new() -> Self {
        Self::default()
    }

    /// Map the segments of `req`, dropping the previous request's.
    pub fn load(&mut self, req: &IoctlRequest<'_>) {
        self.used = 0;
        for (h, data) in &req.segments {
            if self.used == self.segs.len() {
                self.segs.push(Seg::default());
            }
            let s = &mut self.segs[self.used];
            self.used += 1;
            s.addr = h.addr;
            s.len = h.len as u64;
            s.writable = h.writable();
            s.dirty = None;
            s.bytes.clear();
            if let Some(d) = data {
                s.bytes.extend_from_slice(d);
            }
        }
    }

    /// Free large buffers kept from the last request.
    pub fn trim(&mut self) {
        for s in &mut self.segs {
            if s.bytes.capacity() > KEEP {
                s.bytes = Vec::new();
            }
        }
    }

    /// The segment holding byte `addr`: its index, the offset of `addr` in it
    /// and how many bytes of it remain from there. A segment that would wrap the
    /// address space maps nothing.
    fn locate(&self, addr: u64) -> Option<(usize, u64, u64)> {
        self.segs[..self.used].iter().enumerate().find_map(|(i, s)| {
            s.addr.checked_add(s.len)?;
            let off = addr.checked_sub(s.addr)?;
            let avail = s.len.checked_sub(off).filter(|&n| n > 0)?;
            Some((i, off, avail))
        })
    }

    /// Split `[addr, addr + len)` into per-segment pieces (segment, offset,
    /// length), in order: adjacent segments behave as one flat range, as
    /// neighbouring pages do for a C caller. `EFAULT` if any byte is unmapped,
    /// or, when `write`, not writable. Zero bytes never fault (the
    /// [`UserMemory`] contract, as `copy_from_user(dst, NULL, 0)`).
    fn pieces(
        &self,
        addr: u64,
        len: u64,
        write: bool,
        mut f: impl FnMut(usize, u64, u64),
    ) -> Result<(), Errno> {
        let mut done = 0u64;
        while done < len {
            let at = addr.checked_add(done).ok_or(Errno::EFAULT)?;
            let (i, off, avail) = self.locate(at).ok_or(Errno::EFAULT)?;
            if write && !self.segs[i].writable {
                return Err(Errno::EFAULT);
            }
            let n = avail.min(len - done);
            f(i, off, n);
            done += n;
        }
        Ok(())
    }

    /// The ranges written by the last call, in segment order. The data of a
    /// range is its materialised prefix; the rest of the range is zeros (it was
    /// cleared, never materialised). Never panics, whatever was written where.
    pub fn written(&self) -> impl Iterator<Item = Written<'_>> {
        self.segs[..self.used].iter().enumerate().filter_map(|(i, s)| {
            let (start, end) = s.dirty?;
            let have = s.bytes.len() as u64;
            let data_start = start.min(have);
            let data_end = end.min(have).max(data_start);
            Some(Written {
                segment: i as u32,
                offset: start as u32,
                len: (end - start) as u32,
                data: if start <= have { &s.bytes[data_start as usize..data_end as usize] } else { &[] },
            })
        })
    }

    /// Number of segments with written ranges.
    pub fn written_count(&self) -> u32 {
        self.segs[..self.used].iter().filter(|s| s.dirty.is_some()).count() as u32
    }
}

/// Copy `src`, a range of `bytes` starting at `off`, into `dst` of the same
/// length: the materialised part, then zeros.
#[inline]
fn copy_out(bytes: &[u8], off: u64, dst: &mut [u8]) {
    let off = (off as usize).min(bytes.len());
    let have = (bytes.len() - off).min(dst.len());
    dst[..have].copy_from_slice(&bytes[off..off + have]);
    dst[have..].fill(0);
}

impl FrameMemory {
    /// The segment holding all of `[addr, addr + len)`, `len > 0`: its index
    /// and the offset of `addr` in it (the common case: one struct, one
    /// buffer), else `None` (spanning segments, or unmapped: the general path).
    #[inline]
    fn within_one(&self, addr: u64, len: u64) -> Option<(usize, u64)> {
        let (i, off, avail) = self.locate(addr)?;
        (len > 0 && avail >= len).then_some((i, off))
    }
}

impl UserMemory for FrameMemory {
    fn read(&self, addr: u64, dst: &mut [u8]) -> Result<(), Errno> {
        if let Some((i, off)) = self.within_one(addr, dst.len() as u64) {
            copy_out(&self.segs[i].bytes, off, dst);
            return Ok(());
        }
        let mut done = 0usize;
        self.pieces(addr, dst.len() as u64, false, |i, off, n| {
            copy_out(&self.segs[i].bytes, off, &mut dst[done..done + n as usize]);
            done += n as usize;
        })
    }

    /// Like `copy_to_user`: the bytes before the first unmapped or read-only
    /// byte are written (and reported), then `EFAULT`.
    fn write(&mut self, addr: u64, src: &[u8]) -> Result<(), Errno> {
        fn put(s: &mut Seg, off: u64, src: &[u8]) {
            let (off_us, end) = (off as usize, off as usize + src.len());
            if s.bytes.len() < end {
                s.bytes.resize(end, 0);
            }
            s.bytes[off_us..end].copy_from_slice(src);
            s.mark(off, src.len() as u64);
        }
        if let Some((i, off)) = self.within_one(addr, src.len() as u64)
            && self.segs[i].writable
        {
            put(&mut self.segs[i], off, src);
            return Ok(());
        }
        let ok = self.writable_prefix(addr, src.len() as u64);
        let mut done = 0usize;
        self.each_piece_mut(addr, ok, |s, off, n| {
            put(s, off, &src[done..done + n as usize]);
            done += n as usize;
        });
        if ok < src.len() as u64 { Err(Errno::EFAULT) } else { Ok(()) }
    }

    /// Like `clear_user`: up to the first unmapped or read-only byte.
    fn zero(&mut self, addr: u64, len: usize) -> Result<(), Errno> {
        let ok = self.writable_prefix(addr, len as u64);
        self.each_piece_mut(addr, ok, |s, off, n| {
            // Only the materialised part needs clearing: the rest already reads as zero.
            let start = (off as usize).min(s.bytes.len());
            let end = (off.saturating_add(n) as usize).min(s.bytes.len());
            s.bytes[start..end].fill(0);
            s.mark(off, n);
        });
        if ok < len as u64 { Err(Errno::EFAULT) } else { Ok(()) }
    }
}

impl FrameMemory {
    /// How many bytes of `[addr, addr + len)`, from its start, are mapped and
    /// writable (`len` when all are).
    fn writable_prefix(&self, addr: u64, len: u64) -> u64 {
        let mut done = 0u64;
        while done < len {
            let Some((i, _, avail)) = addr.checked_add(done).and_then(|at| self.locate(at)) else { break };
            if !self.segs[i].writable {
                break;
            }
            done += avail.min(len - done);
        }
        done
    }

    /// Visit the pieces of a range already checked by [`FrameMemory::pieces`].
    fn each_piece_mut(&mut self, addr: u64, len: u64, mut f: impl FnMut(&mut Seg, u64, u64)) {
        let mut done = 0u64;
        while done < len {
            let Some((i, off, avail)) = addr.checked_add(done).and_then(|at| self.locate(at)) else { return };
            let n = avail.min(len - done);
            f(&mut self.segs[i], off, n);
            done += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::wire::{SEG_DATA, SEG_WRITABLE, SegmentHeader};

    fn req<'a>(segs: Vec<(SegmentHeader, Option<&'a [u8]>)>) -> IoctlRequest<'a> {
        IoctlRequest { cmd: 0, arg: 0, segments: segs.into_iter().collect() }
    }

    #[test]
    fn only_mapped_ranges_resolve() {
        let data = [7u8; 8];
        let mut m = FrameMemory::new();
        m.load(&req(vec![
            (SegmentHeader { addr: 100, len: 8, flags: SEG_DATA }, Some(&data[..])),
            (SegmentHeader { addr: 200, len: 1 << 31, flags: SEG_WRITABLE }, None),
        ]));
        let mut b = [0u8; 8];
        m.read(100, &mut b).unwrap();
        assert_eq!(b, [7; 8]);
        assert_eq!(m.read(101, &mut b), Err(Errno::EFAULT), "crosses the end of the segment");
        assert_eq!(m.read(0, &mut []), Ok(()), "zero bytes never fault, even at NULL");
        assert_eq!(m.write(1, &[]), Ok(()));
        assert_eq!(m.write(100, &[1]), Err(Errno::EFAULT), "read-only segment");
        assert_eq!(m.read(u64::MAX - 2, &mut b), Err(Errno::EFAULT));
        m.write(204, b"abcd").unwrap();
        m.zero(208, 1 << 30).unwrap();
        let w: Vec<_> = m.written().collect();
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].segment, w[0].offset, w[0].len, w[0].data), (1, 4, 4 + (1 << 30), &b"abcd"[..]));
    }

    #[test]
    fn clearing_inside_an_unmaterialised_output_segment_is_reported_without_panicking() {
        // The review's crash: FWCTL_INFO zeroes device data in the middle of an
        // output-only segment that was never written.
        let mut m = FrameMemory::new();
        m.load(&req(vec![(SegmentHeader { addr: 0x1000, len: 512, flags: SEG_WRITABLE }, None)]));
        m.zero(0x1000 + 256, 64).unwrap();
        let w: Vec<_> = m.written().collect();
        assert_eq!((w[0].offset, w[0].len, w[0].data), (256, 64, &[][..]));
    }

    #[test]
    fn ranges_spanning_adjacent_segments_read_and_write_as_one() {
        let (a, b) = ([1u8; 4], [2u8; 4]);
        let mut m = FrameMemory::new();
        m.load(&req(vec![
            (SegmentHeader { addr: 100, len: 4, flags: SEG_DATA | SEG_WRITABLE }, Some(&a[..])),
            (SegmentHeader { addr: 104, len: 4, flags: SEG_DATA | SEG_WRITABLE }, Some(&b[..])),
            (SegmentHeader { addr: 108, len: 4, flags: SEG_DATA }, Some(&b[..])),
        ]));
        let mut x = [0u8; 8];
        m.read(100, &mut x).unwrap();
        assert_eq!(x, [1, 1, 1, 1, 2, 2, 2, 2]);
        m.write(102, &[9, 9, 9, 9]).unwrap();
        m.read(100, &mut x).unwrap();
        assert_eq!(x, [1, 1, 9, 9, 9, 9, 2, 2]);
        assert_eq!(m.write(106, &[7; 4]), Err(Errno::EFAULT), "the third segment is read-only");
        m.read(100, &mut x).unwrap();
        assert_eq!(x, [1, 1, 9, 9, 9, 9, 7, 7], "written up to the fault, as copy_to_user");
    }
}
