//! Fuzz the daemon's memory model against the in-process one: random ioctl
//! arguments (numbers, struct sizes and fields, pointers into, across and
//! outside up to four segments, adjacent or not, read-only or output-only)
//! run once over `SegmentMemory` (what embedded callers use) and once over
//! `FrameMemory` (the caller's memory as fwctld rebuilds it from an IOCTL
//! frame, no socket needed). The errno and every byte the client would see
//! afterwards must be identical.

#![no_main]

use std::sync::Arc;

use fwctl_core::server::memory::FrameMemory;
use fwctl_core::server::wire::{IoctlRequest, SEG_DATA, SEG_WRITABLE, SegmentHeader, Segments};
use fwctl_core::{Credentials, Errno, SegmentMemory, Subsystem, UserMemory};
use fwctl_tests::echo::EchoDriver;
use libfuzzer_sys::fuzz_target;

const BASE: u64 = 0x7f00_0000_1000;

struct Seg {
    addr: u64,
    bytes: Vec<u8>,
    data: bool,
    writable: bool,
}

impl Seg {
    /// What the caller's memory holds before the call (an output-only segment
    /// carries no bytes on the wire and reads as zeros).
    fn image(&self) -> Vec<u8> {
        if self.data { self.bytes.clone() } else { vec![0; self.bytes.len()] }
    }
}

/// A little reader over the fuzzer's bytes (zeros once they run out).
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn u8(&mut self) -> u8 {
        let (b, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.0 = rest;
        b
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.u8()).collect()
    }
}

fn handle(info: bool) -> fwctl_core::Handle {
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    let drv = EchoDriver::new();
    if info {
        *drv.config.info.lock().unwrap_or_else(|e| e.into_inner()) = Some(b"ECHOINFO".to_vec());
    }
    let minor = fw.register(Arc::new(drv)).expect("register");
    fw.open(minor, &Credentials::default()).expect("open")
}

fn run_segment(
    h: &fwctl_core::Handle,
    c: &Credentials,
    cmd: u32,
    arg: u64,
    segs: &[Seg],
) -> (Result<(), Errno>, Vec<Vec<u8>>) {
    let images: Vec<Vec<u8>> = segs.iter().map(Seg::image).collect();
    let mut mem = SegmentMemory::new();
    for (s, img) in segs.iter().zip(&images) {
        if s.writable {
            mem.map_owned(s.addr, img.clone());
        } else {
            mem.map_ro(s.addr, img);
        }
    }
    let r = h.ioctl(c, cmd, arg, &mut mem);
    let after = segs.iter().map(|s| mem.segment(s.addr).unwrap_or_default().to_vec()).collect();
    (r, after)
}

fn run_frame(
    h: &fwctl_core::Handle,
    c: &Credentials,
    cmd: u32,
    arg: u64,
    segs: &[Seg],
) -> (Result<(), Errno>, Vec<Vec<u8>>) {
    let req = IoctlRequest {
        cmd,
        arg,
        segments: segs
            .iter()
            .map(|s| {
                let flags = if s.data { SEG_DATA } else { 0 } | if s.writable { SEG_WRITABLE } else { 0 };
                (
                    SegmentHeader { addr: s.addr, len: s.bytes.len() as u32, flags },
                    s.data.then_some(&s.bytes[..]),
                )
            })
            .collect(),
    };
    let mut mem = FrameMemory::new();
    mem.load(&req);
    let r = h.ioctl(c, cmd, arg, &mut mem);
    let mut after: Vec<Vec<u8>> = segs.iter().map(Seg::image).collect();
    for w in mem.written() {
        let img = &mut after[w.segment as usize];
        let (off, len) = (w.offset as usize, w.len as usize);
        img[off..off + w.data.len()].copy_from_slice(w.data);
        img[off + w.data.len()..off + len].fill(0);
    }
    (r, after)
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input(data);
    let sel = inp.u8();
    let cmd = match sel % 4 {
        0 => 0x9A00,
        1 => 0x9A01,
        2 => 0x9A00 | u32::from(inp.u8()),
        _ => inp.u32(),
    };
    let creds = Credentials { cap_sys_rawio: sel & 0x10 != 0, ..Default::default() };
    let nsegs = 1 + (inp.u8() % 4) as usize;
    let mut segs = Vec::new();
    let mut at = BASE;
    for _ in 0..nsegs {
        let g = inp.u8();
        at += match g % 4 {
            0 => 0,
            1 => u64::from(g >> 2),
            2 => 0x1000,
            _ => 1,
        };
        let len = 1 + (inp.u8() % 80) as usize;
        let flags = inp.u8();
        let writable = flags & 1 != 0;
        let data = flags & 2 != 0 || !writable;
        segs.push(Seg { addr: at, bytes: inp.bytes(len), data, writable });
        at += len as u64;
    }
    // Often: a well-formed struct at the first segment, pointing into the layout.
    let structured = sel & 0x20 != 0;
    if structured {
        let size = match inp.u8() % 4 {
            0 => 24,
            1 => 32,
            2 => 40,
            _ => u32::from(inp.u8()),
        };
        let pick = |inp: &mut Input<'_>| -> u64 {
            let s = inp.u8();
            let off = u64::from(inp.u8() % 96);
            match s % 6 {
                0 => 0,
                n if (n as usize) <= segs.len() => segs[n as usize - 1].addr + off,
                _ => 0x6000_0000_0000 + off,
            }
        };
        let (a, b) = (inp.u32() % 200, inp.u32() % 200);
        let (p, q) = (pick(&mut inp), pick(&mut inp));
        let mut v = Vec::new();
        v.extend_from_slice(&size.to_ne_bytes());
        if cmd == 0x9A01 {
            v.extend_from_slice(&(a % 5).to_ne_bytes());
            v.extend_from_slice(&a.to_ne_bytes());
            v.extend_from_slice(&b.to_ne_bytes());
            v.extend_from_slice(&p.to_ne_bytes());
            v.extend_from_slice(&q.to_ne_bytes());
        } else {
            v.extend_from_slice(&(a & 1).to_ne_bytes());
            v.extend_from_slice(&0u32.to_ne_bytes());
            v.extend_from_slice(&b.to_ne_bytes());
            v.extend_from_slice(&q.to_ne_bytes());
        }
        let tail = inp.u8() % 16;
        v.extend(std::iter::repeat_n(if tail & 1 == 0 { 0 } else { tail }, tail as usize));
        let first_len = v.len();
        segs[0].bytes = v;
        segs[0].data = true;
        segs[0].writable = true;
        // Keep later segments after the (possibly longer) first one.
        let mut at = segs[0].addr + first_len as u64;
        for s in segs.iter_mut().skip(1) {
            at = at.max(s.addr);
            s.addr = at;
            at += s.bytes.len() as u64;
        }
    }
    let arg = segs[0].addr + u64::from(inp.u8() % 8);
    let h = handle(sel & 0x40 != 0);
    let in_process = run_segment(&h, &creds, cmd, arg, &segs);
    let daemon = run_frame(&h, &creds, cmd, arg, &segs);
    assert_eq!(in_process, daemon, "cmd {cmd:#x} arg {arg:#x}");
    // The empty-buffer contract holds for the daemon's model too.
    let mut m = FrameMemory::new();
    m.load(&IoctlRequest { cmd, arg, segments: Segments::new() });
    assert_eq!(m.read(arg, &mut []), Ok(()));
});
