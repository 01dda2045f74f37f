//! Issue 11 / code review §0 #1: the daemon's memory model (`FrameMemory`, the
//! caller's address space rebuilt from a frame) behaves exactly as the
//! in-process `SegmentMemory` for any ioctl: same errno, same bytes written
//! back. A property test runs random ioctls (valid, mutated and garbage
//! `fwctl_rpc`/`fwctl_info` structs, pointers into, across and outside adjacent
//! segments, NULL with zero length) through both and compares byte for byte;
//! the review's crash (FWCTL_INFO clearing device data inside an output-only
//! segment of a driver without info) is pinned through a real daemon.

use std::sync::Arc;

use fwctl_core::server::memory::FrameMemory;
use fwctl_core::server::wire::{IoctlRequest, SEG_DATA, SEG_WRITABLE, SegmentHeader, Segments};
use fwctl_core::transport::daemon::UserSegment;
use fwctl_core::transport::{Daemon, Transport};
use fwctl_core::{Credentials, Errno, SegmentMemory, Subsystem, UserMemory};
use fwctl_tests::daemon::{Fwctld, loopback_config};
use fwctl_tests::echo::EchoDriver;
use proptest::prelude::*;

const INFO: u32 = 0x9A00;
const RPC: u32 = 0x9A01;
const BASE: u64 = 0x7f00_0000_1000;

#[derive(Debug, Clone)]
struct Seg {
    /// Gap after the previous segment's end (0: adjacent).
    gap: u64,
    bytes: Vec<u8>,
    data: bool,
    writable: bool,
}

impl Seg {
    /// What the caller's memory holds before the call, as both models see it:
    /// an output-only segment carries no bytes on the wire and reads as zeros.
    fn image(&self) -> Vec<u8> {
        if self.data { self.bytes.clone() } else { vec![0; self.bytes.len()] }
    }
}

fn layout(segs: &[Seg]) -> Vec<u64> {
    let mut at = BASE;
    segs.iter()
        .map(|s| {
            at += s.gap;
            let a = at;
            at += s.bytes.len() as u64;
            a
        })
        .collect()
}

/// A struct of `cmd` at the first segment, pointing into the layout.
fn structured(cmd: u32, size: u32, a: u32, b: u32, p: u64, q: u64) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&size.to_ne_bytes());
    if cmd == RPC {
        v.extend_from_slice(&(a % 4).to_ne_bytes()); // scope
        v.extend_from_slice(&a.to_ne_bytes()); // in_len
        v.extend_from_slice(&b.to_ne_bytes()); // out_len
        v.extend_from_slice(&p.to_ne_bytes());
        v.extend_from_slice(&q.to_ne_bytes());
    } else {
        v.extend_from_slice(&0u32.to_ne_bytes()); // flags
        v.extend_from_slice(&0u32.to_ne_bytes()); // out_device_type
        v.extend_from_slice(&b.to_ne_bytes()); // device_data_len
        v.extend_from_slice(&q.to_ne_bytes());
    }
    v
}

fn seg_strategy() -> impl Strategy<Value = Seg> {
    (
        prop_oneof![Just(0u64), 1u64..64, Just(0x1000u64)],
        proptest::collection::vec(any::<u8>(), 1..80),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(gap, bytes, data, writable)| Seg { gap, bytes, data: data || !writable, writable })
}

fn run_segment_memory(
    cmd: u32,
    arg: u64,
    segs: &[Seg],
    creds: &Credentials,
) -> (Result<(), Errno>, Vec<Vec<u8>>) {
    let fw = Subsystem::new();
    let minor = fw.register(Arc::new(EchoDriver::new())).expect("register");
    let h = fw.open(minor, creds).expect("open");
    let addrs = layout(segs);
    let images: Vec<Vec<u8>> = segs.iter().map(Seg::image).collect();
    let mut mem = SegmentMemory::new();
    for ((s, a), img) in segs.iter().zip(&addrs).zip(&images) {
        if s.writable {
            mem.map_owned(*a, img.clone());
        } else {
            mem.map_ro(*a, img);
        }
    }
    let r = h.ioctl(creds, cmd, arg, &mut mem);
    let after = addrs
        .iter()
        .zip(segs)
        .map(
            |(a, s)| {
                if s.bytes.is_empty() { Vec::new() } else { mem.segment(*a).unwrap_or_default().to_vec() }
            },
        )
        .collect();
    (r, after)
}

fn run_frame_memory(
    cmd: u32,
    arg: u64,
    segs: &[Seg],
    creds: &Credentials,
) -> (Result<(), Errno>, Vec<Vec<u8>>) {
    let fw = Subsystem::new();
    let minor = fw.register(Arc::new(EchoDriver::new())).expect("register");
    let h = fw.open(minor, creds).expect("open");
    let addrs = layout(segs);
    let req = IoctlRequest {
        cmd,
        arg,
        segments: segs
            .iter()
            .zip(&addrs)
            .map(|(s, a)| {
                let flags = if s.data { SEG_DATA } else { 0 } | if s.writable { SEG_WRITABLE } else { 0 };
                (SegmentHeader { addr: *a, len: s.bytes.len() as u32, flags }, s.data.then_some(&s.bytes[..]))
            })
            .collect(),
    };
    let mut mem = FrameMemory::new();
    mem.load(&req);
    let r = h.ioctl(creds, cmd, arg, &mut mem);
    // What the client does with the reply: copy each written range back.
    let mut after: Vec<Vec<u8>> = segs.iter().map(Seg::image).collect();
    for w in mem.written() {
        let img = &mut after[w.segment as usize];
        let (off, len) = (w.offset as usize, w.len as usize);
        img[off..off + w.data.len()].copy_from_slice(w.data);
        img[off + w.data.len()..off + len].fill(0);
    }
    (r, after)
}

fn creds(rawio: bool) -> Credentials {
    Credentials {
        uid: 1000,
        gid: 1000,
        pid: 4242,
        comm: "prop".into(),
        cap_sys_rawio: rawio,
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, ..ProptestConfig::default() })]

    #[test]
    fn the_daemon_memory_model_gives_the_in_process_errno_and_bytes(
        cmd in prop_oneof![Just(RPC), Just(INFO), any::<u32>()],
        mut segs in proptest::collection::vec(seg_strategy(), 1..5),
        size in prop_oneof![Just(24u32), Just(32u32), 0u32..64],
        a in prop_oneof![Just(0u32), 1u32..40],
        b in prop_oneof![Just(0u32), 1u32..40],
        p_sel in 0usize..6, p_off in 0u64..40,
        q_sel in 0usize..6, q_off in 0u64..40,
        arg_off in prop_oneof![Just(0u64), 0u64..8],
        rawio in any::<bool>(),
        structured_arg in any::<bool>(),
    ) {
        let addrs = layout(&segs);
        let pick = |sel: usize, off: u64| match sel {
            0 => 0, // NULL
            s if s - 1 < addrs.len() => addrs[s - 1] + off,
            _ => 0x6000_0000_0000 + off, // unmapped
        };
        if structured_arg {
            let st = structured(cmd, size, a, b, pick(p_sel, p_off), pick(q_sel, q_off));
            segs[0].bytes = st;
            segs[0].data = true;
            segs[0].writable = true;
        }
        let arg = layout(&segs)[0] + arg_off;
        let c = creds(rawio);
        let inproc = run_segment_memory(cmd, arg, &segs, &c);
        let daemon = run_frame_memory(cmd, arg, &segs, &c);
        prop_assert_eq!(inproc, daemon);
    }
}

#[test]
fn empty_buffers_never_fault_in_the_daemon_memory_model() {
    let mut m = FrameMemory::new();
    m.load(&IoctlRequest { cmd: RPC, arg: 0, segments: Segments::new() });
    assert_eq!(m.read(0, &mut []), Ok(()));
    assert_eq!(m.write(0, &[]), Ok(()));
    assert_eq!(m.zero(0, 0), Ok(()));
}

#[test]
fn info_clearing_device_data_inside_an_output_segment_is_answered_by_the_daemon() {
    // The loopback driver has no info op: FWCTL_INFO zeroes device_data_len
    // bytes at out_device_data, here in the middle of an output-only segment.
    // The old daemon panicked in the connection thread and the client hung.
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut ch = daemon.connect("fwctl0").expect("connect");
    // The old daemon never answered: bound the wait so the failure is a failure.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let arg_addr = 0x7f00_0000_1000u64;
        let out_addr = 0x7f00_0001_0000u64;
        let mut arg = structured(INFO, 24, 0, 16, 0, out_addr + 256);
        let mut out = vec![0xAAu8; 512];
        let mut segs = [UserSegment::InOut(arg_addr, &mut arg), UserSegment::Out(out_addr, &mut out)];
        let r = ch.ioctl(INFO, arg_addr, &mut segs);
        let mut buf = [0u8; 2];
        let again = fwctl_core::transport::Channel::rpc(&mut ch, 0, &[1, 2], &mut buf).map(|_| ());
        let _ = tx.send((r, out, again));
    });
    let (r, out, again) = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("no answer from the daemon in 30 s:\n{}", d.log()));
    assert_eq!(r, Ok(()), "{}", d.log());
    assert_eq!(&out[256..272], &[0u8; 16], "the device data was cleared");
    assert_eq!(&out[..256], &[0xAAu8; 256][..], "bytes before it untouched");
    assert_eq!(again, Ok(()), "the connection still serves:\n{}", d.log());
    let _ = daemon.open("fwctl0").expect("open");
}

/// Which pages of `p` (of `n`) are mapped, and writable, from `/proc/self/maps`.
fn page_states(p: &fwctl_tests::real_clients::Pages, n: usize) -> Vec<Option<bool>> {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("/proc/self/maps");
    let ranges: Vec<(u64, u64, bool)> = maps
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (a, b) = f.next()?.split_once('-')?;
            let perms = f.next()?;
            Some((
                u64::from_str_radix(a, 16).ok()?,
                u64::from_str_radix(b, 16).ok()?,
                perms.as_bytes()[1] == b'w',
            ))
        })
        .collect();
    (0..n)
        .map(|i| {
            let at = p.addr(i * p.page());
            ranges.iter().find(|(a, b, _)| *a <= at && at < *b).map(|r| r.2)
        })
        .collect()
}

/// The kernel errno table of `real_clients_fuse.rs` (restated from
/// `drivers/fwctl/main.c`), run through the daemon's memory model: each case's
/// pages (holes, read-only pages and all) become the frame's segments, as the
/// client library would send them, and the result must be the kernel's errno
/// and exactly the bytes the in-process dispatcher leaves in real memory.
#[test]
fn the_kernel_errno_table_through_the_daemon_memory_model() {
    use fwctl_core::server::wire::SegmentHeader;
    use fwctl_fuse::ProcessMemory;
    use fwctl_tests::real_clients::Pages;
    const PAGES: usize = 4;
    let drv = EchoDriver::new();
    *drv.config.info.lock().unwrap_or_else(|e| e.into_inner()) = Some(b"ECHOINFO".to_vec());
    let fw = Subsystem::new();
    let minor = fw.register(Arc::new(drv)).expect("register");
    let me = Credentials::current();
    let h = fw.open(minor, &me).expect("open");
    let mut failures = Vec::new();
    let table = crate::real_clients_fuse::cases();
    assert!(table.len() >= 25, "the table shrank to {}", table.len());
    for c in table {
        let mut p = Pages::new(PAGES);
        let arg = (c.setup)(&mut p);
        let pg = p.page();
        // The frame: one segment per mapped page, with its bytes.
        let states = page_states(&p, PAGES);
        let images: Vec<Option<Vec<u8>>> =
            states.iter().enumerate().map(|(i, s)| s.map(|_| p.read(i * pg, pg))).collect();
        let mut segments = Segments::new();
        let mut index = Vec::new();
        for (i, (s, img)) in states.iter().zip(&images).enumerate() {
            if let (Some(w), Some(img)) = (s, img) {
                let flags = SEG_DATA | if *w { SEG_WRITABLE } else { 0 };
                segments
                    .push((SegmentHeader { addr: p.addr(i * pg), len: pg as u32, flags }, Some(&img[..])));
                index.push(i);
            }
        }
        let mut mem = FrameMemory::new();
        mem.load(&IoctlRequest { cmd: c.cmd, arg, segments });
        let daemon = h.ioctl(&me, c.cmd, arg, &mut mem).err().map_or(0, |e| e.code());
        // What the client copies back into its pages.
        let mut after = images.clone();
        for w in mem.written() {
            let Some(img) = after[index[w.segment as usize]].as_mut() else { continue };
            let (off, len) = (w.offset as usize, w.len as usize);
            img[off..off + w.data.len()].copy_from_slice(w.data);
            img[off + w.data.len()..off + len].fill(0);
        }
        // The in-process dispatcher over the real pages.
        let mut real = ProcessMemory::new(std::process::id() as i32);
        let in_process = h.ioctl(&me, c.cmd, arg, &mut real).err().map_or(0, |e| e.code());
        let same_bytes = states.iter().enumerate().all(|(i, s)| match (s, &after[i]) {
            (Some(_), Some(img)) => p.read(i * pg, pg) == *img,
            _ => true,
        });
        if daemon != c.want || in_process != c.want || !same_bytes {
            failures.push(format!(
                "{}: daemon memory model {daemon}, in-process {in_process}, kernel {}; bytes {}",
                c.name,
                c.want,
                if same_bytes { "same" } else { "differ" }
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
