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

    fn locate(&self, addr: u64, len: usize) -> Option<(usize, u64)> {
        let end = addr.checked_add(len as u64)?;
        self.segs[..self.used]
            .iter()
            .position(|s| addr >= s.addr && end <= s.addr + s.len)
            .map(|i| (i, addr - self.segs[i].addr))
    }

    /// The ranges written by the last call, in segment order.
    pub fn written(&self) -> impl Iterator<Item = Written<'_>> {
        self.segs[..self.used].iter().enumerate().filter_map(|(i, s)| {
            let (start, end) = s.dirty?;
            let data_end = end.min(s.bytes.len() as u64).max(start);
            Some(Written {
                segment: i as u32,
                offset: start as u32,
                len: (end - start) as u32,
                data: &s.bytes[start as usize..data_end as usize],
            })
        })
    }

    /// Number of segments with written ranges.
    pub fn written_count(&self) -> u32 {
        self.segs[..self.used].iter().filter(|s| s.dirty.is_some()).count() as u32
    }
}

impl UserMemory for FrameMemory {
    fn read(&self, addr: u64, dst: &mut [u8]) -> Result<(), Errno> {
        let (i, off) = self.locate(addr, dst.len()).ok_or(Errno::EFAULT)?;
        let bytes = &self.segs[i].bytes;
        let off = off as usize;
        // Copy the materialised part, zero the rest.
        let have = bytes.len().saturating_sub(off).min(dst.len());
        dst[..have].copy_from_slice(&bytes[off.min(bytes.len())..off.min(bytes.len()) + have]);
        dst[have..].fill(0);
        Ok(())
    }

    fn write(&mut self, addr: u64, src: &[u8]) -> Result<(), Errno> {
        let (i, off) = self.locate(addr, src.len()).ok_or(Errno::EFAULT)?;
        let s = &mut self.segs[i];
        if !s.writable {
            return Err(Errno::EFAULT);
        }
        let off_us = off as usize;
        let end = off_us + src.len();
        if s.bytes.len() < end {
            s.bytes.resize(end, 0);
        }
        s.bytes[off_us..end].copy_from_slice(src);
        s.mark(off, src.len() as u64);
        Ok(())
    }

    fn zero(&mut self, addr: u64, len: usize) -> Result<(), Errno> {
        let (i, off) = self.locate(addr, len).ok_or(Errno::EFAULT)?;
        let s = &mut self.segs[i];
        if !s.writable {
            return Err(Errno::EFAULT);
        }
        // Only the materialised part needs clearing: the rest already reads as zero.
        let start = (off as usize).min(s.bytes.len());
        let end = (off as usize).saturating_add(len).min(s.bytes.len());
        s.bytes[start..end].fill(0);
        s.mark(off, len as u64);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::wire::{SEG_DATA, SEG_WRITABLE, SegmentHeader};

    fn req<'a>(segs: Vec<(SegmentHeader, Option<&'a [u8]>)>) -> IoctlRequest<'a> {
        IoctlRequest { cmd: 0, arg: 0, segments: segs }
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
        assert_eq!(m.write(100, &[1]), Err(Errno::EFAULT), "read-only segment");
        assert_eq!(m.read(u64::MAX - 2, &mut b), Err(Errno::EFAULT));
        m.write(204, b"abcd").unwrap();
        m.zero(208, 1 << 30).unwrap();
        let w: Vec<_> = m.written().collect();
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].segment, w[0].offset, w[0].len, w[0].data), (1, 4, 4 + (1 << 30), &b"abcd"[..]));
    }
}
