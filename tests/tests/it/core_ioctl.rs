//! The ioctl dispatcher against drivers/fwctl/main.c (kernel-fwctl.md §1–§2, §7):
//! every errno path, with argument structs built byte by byte as a C caller
//! would lay them out, resolved through a `SegmentMemory` address space.
//!
//! Numbers (ioctl numbers, sizes, offsets, errno values, taint mask) are restated
//! from the reference, never taken from fwctl-core's own constants.

#![expect(clippy::unwrap_used, reason = "tests may unwrap: a panic is a test failure")]

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use fwctl_core::driver::{Driver, DriverContext, RpcResponse};
use fwctl_core::uapi::DeviceType;
use fwctl_core::{Credentials, Errno, Handle, RpcScope, SegmentMemory, Subsystem};
use fwctl_tests::echo::EchoDriver;

// kernel-fwctl.md §1.1: _IO(0x9A, 0) and _IO(0x9A, 1).
const INFO: u32 = 0x9A00;
const RPC: u32 = 0x9A01;
const MIB2: u32 = 2 * 1024 * 1024;

// Where the test "process" keeps things in its address space.
const ARG: u64 = 0x7f00_0000_1000;
const IN: u64 = 0x7f00_1000_0000;
const OUT: u64 = 0x7f00_2000_0000;
const UNMAPPED: u64 = 0x6000_0000_0000;

/// `struct fwctl_rpc` as a C caller fills it: size@0 scope@4 in_len@8 out_len@12
/// in@16 out@24, native endian.
fn rpc_struct(size: u32, scope: u32, in_len: u32, out_len: u32, in_ptr: u64, out_ptr: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(32);
    b.extend_from_slice(&size.to_ne_bytes());
    b.extend_from_slice(&scope.to_ne_bytes());
    b.extend_from_slice(&in_len.to_ne_bytes());
    b.extend_from_slice(&out_len.to_ne_bytes());
    b.extend_from_slice(&in_ptr.to_ne_bytes());
    b.extend_from_slice(&out_ptr.to_ne_bytes());
    assert_eq!(b.len(), 32);
    b
}

/// `struct fwctl_info`: size@0 flags@4 out_device_type@8 device_data_len@12
/// out_device_data@16.
fn info_struct(size: u32, flags: u32, device_type: u32, data_len: u32, data_ptr: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(24);
    b.extend_from_slice(&size.to_ne_bytes());
    b.extend_from_slice(&flags.to_ne_bytes());
    b.extend_from_slice(&device_type.to_ne_bytes());
    b.extend_from_slice(&data_len.to_ne_bytes());
    b.extend_from_slice(&data_ptr.to_ne_bytes());
    assert_eq!(b.len(), 24);
    b
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().unwrap())
}

/// A caller without CAP_SYS_RAWIO.
fn user() -> Credentials {
    Credentials { uid: 1000, gid: 1000, pid: 4242, comm: "fwtool".into(), ..Default::default() }
}

/// A caller holding CAP_SYS_RAWIO.
fn rawio() -> Credentials {
    Credentials { cap_sys_rawio: true, ..user() }
}

struct Fx {
    fw: Subsystem,
    minor: u32,
    drv: EchoDriver,
    h: Handle,
    log: Arc<Mutex<Vec<String>>>,
}

impl Fx {
    fn logs(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
    fn rpcs(&self) -> usize {
        self.drv.counters.rpcs.load(Ordering::SeqCst)
    }
    fn infos(&self) -> usize {
        self.drv.counters.infos.load(Ordering::SeqCst)
    }
}

fn subsystem_with_log() -> (Subsystem, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let fw = Subsystem::new();
    let sink = log.clone();
    fw.set_log(Arc::new(move |m: &str| sink.lock().unwrap().push(m.to_string())));
    (fw, log)
}

fn fixture() -> Fx {
    let (fw, log) = subsystem_with_log();
    let drv = EchoDriver::new();
    let minor = fw.register(Arc::new(drv.clone())).unwrap();
    let h = fw.open(minor, &user()).unwrap();
    Fx { fw, minor, drv, h, log }
}

/// Issue FWCTL_RPC with `arg` at ARG, `req` at IN and an `out_cap`-byte buffer
/// pre-filled with 0xEE at OUT. Returns (result, struct as left in memory, out).
fn raw_rpc(
    h: &Handle,
    creds: &Credentials,
    arg: Vec<u8>,
    req: &[u8],
    out_cap: usize,
) -> (Result<(), Errno>, Vec<u8>, Vec<u8>) {
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, arg).map_owned(IN, req.to_vec()).map_owned(OUT, vec![0xEE; out_cap]);
    let r = h.ioctl(creds, RPC, ARG, &mut mem);
    (r, mem.take_owned(ARG).unwrap(), mem.take_owned(OUT).unwrap())
}

fn rpc_at(
    h: &Handle,
    creds: &Credentials,
    scope: u32,
    req: &[u8],
    out_cap: usize,
) -> (Result<(), Errno>, Vec<u8>, Vec<u8>) {
    let arg = rpc_struct(32, scope, req.len() as u32, out_cap as u32, IN, OUT);
    raw_rpc(h, creds, arg, req, out_cap)
}

// ---------------------------------------------------------------- ENOTTY

#[test]
fn enotty_for_a_wrong_type_byte_before_any_memory_is_read() {
    let fx = fixture();
    let mut empty = SegmentMemory::new(); // nothing mapped: reading the size would be EFAULT
    for cmd in [0x9B00, 0x9B01, 0x0001, 0x0000, 0x9900, 0xFF01] {
        assert_eq!(fx.h.ioctl(&user(), cmd, ARG, &mut empty), Err(Errno::ENOTTY), "cmd {cmd:#x}");
    }
    assert_eq!(fx.rpcs(), 0);
}

#[test]
fn enotty_for_every_nr_from_2_to_255() {
    let fx = fixture();
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, rpc_struct(32, 0, 0, 0, IN, OUT));
    for nr in 2u32..=255 {
        assert_eq!(fx.h.ioctl(&user(), 0x9A00 | nr, ARG, &mut mem), Err(Errno::ENOTTY), "nr {nr}");
    }
    // 0x9A02..0x9A0F are reserved for fwctl but unassigned: still ENOTTY.
    assert_eq!(fx.rpcs(), 0);
}

#[test]
fn enotty_when_direction_or_size_bits_are_set() {
    let fx = fixture();
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, rpc_struct(32, 0, 0, 0, IN, OUT)).map_owned(IN, vec![]).map_owned(OUT, vec![]);
    // _IOWR(0x9A, 1, 32), _IOW, _IOR, the powerpc-style _IO (dir NONE = 1 at bit 29),
    // size bits only, and INFO with read/write bits.
    for cmd in [
        0xC020_9A01,
        0x4020_9A01,
        0x8020_9A01,
        0x2000_9A01,
        0x0020_9A01,
        0xC018_9A00,
        0x2000_9A00,
        0x0001_9A01,
    ] {
        assert_eq!(fx.h.ioctl(&user(), cmd, ARG, &mut mem), Err(Errno::ENOTTY), "cmd {cmd:#x}");
    }
    assert_eq!(fx.rpcs(), 0);
    // The same memory with the right number works, so only the number was wrong.
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Ok(()));
}

// ---------------------------------------------------------------- EFAULT

#[test]
fn efault_when_the_size_word_is_unmapped_or_partly_mapped() {
    let fx = fixture();
    let mut empty = SegmentMemory::new();
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut empty), Err(Errno::EFAULT));
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut empty), Err(Errno::EFAULT));
    let mut half = SegmentMemory::new();
    half.map_owned(ARG, 32u32.to_ne_bytes()[..2].to_vec());
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut half), Err(Errno::EFAULT));
    assert_eq!(fx.h.ioctl(&user(), RPC, u64::MAX - 1, &mut half), Err(Errno::EFAULT), "address wrap");
}

#[test]
fn efault_when_the_struct_is_only_partly_mapped() {
    let fx = fixture();
    for mapped in [4usize, 16, 31] {
        let mut mem = SegmentMemory::new();
        mem.map_owned(ARG, rpc_struct(32, 0, 4, 4, IN, OUT)[..mapped].to_vec())
            .map_owned(IN, vec![1; 4])
            .map_owned(OUT, vec![0; 4]);
        assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Err(Errno::EFAULT), "{mapped} bytes mapped");
        let mut mem = SegmentMemory::new();
        mem.map_owned(ARG, info_struct(24, 0, 0, 0, 0)[..mapped.min(23)].to_vec());
        assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::EFAULT));
    }
    assert_eq!(fx.rpcs(), 0);
}

#[test]
fn a_struct_split_across_adjacent_mappings_reads_as_one() {
    // Neighbouring pages are one flat range for a C caller.
    let fx = fixture();
    let arg = rpc_struct(32, 0, 4, 4, IN, OUT);
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, arg[..10].to_vec())
        .map_owned(ARG + 10, arg[10..].to_vec())
        .map_owned(IN, b"abcd".to_vec())
        .map_owned(OUT, vec![0; 4]);
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Ok(()));
    assert_eq!(mem.segment(OUT).unwrap(), b"abcd");
}

#[test]
fn efault_for_an_unmapped_request_pointer_without_reaching_the_driver() {
    let fx = fixture();
    let arg = rpc_struct(32, 0, 16, 16, UNMAPPED, OUT);
    let (r, back, out) = raw_rpc(&fx.h, &user(), arg.clone(), &[], 16);
    assert_eq!(r, Err(Errno::EFAULT));
    assert_eq!(fx.rpcs(), 0);
    assert_eq!(back, arg, "the struct is not written back on error");
    assert_eq!(out, vec![0xEE; 16]);
    // A request longer than its mapping faults too.
    let (r, _, _) = raw_rpc(&fx.h, &user(), rpc_struct(32, 0, 17, 16, IN, OUT), &[7; 16], 16);
    assert_eq!(r, Err(Errno::EFAULT));
    assert_eq!(fx.rpcs(), 0);
}

#[test]
fn efault_for_a_bad_response_pointer_after_the_driver_ran() {
    // main.c copies the response out after fw_rpc: the RPC was delivered.
    let fx = fixture();
    let (r, _, _) = raw_rpc(&fx.h, &user(), rpc_struct(32, 0, 4, 4, IN, UNMAPPED), b"ping", 4);
    assert_eq!(r, Err(Errno::EFAULT));
    assert_eq!(fx.rpcs(), 1);
    // A read-only response buffer faults the same way.
    let req = *b"ping";
    let ro = [0u8; 4];
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, rpc_struct(32, 0, 4, 4, IN, OUT)).map_ro(IN, &req).map_ro(OUT, &ro);
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Err(Errno::EFAULT));
    assert_eq!(fx.rpcs(), 2);
}

#[test]
fn empty_buffers_never_fault_whatever_their_pointers() {
    // copy_from_user/copy_to_user of 0 bytes succeed for any address.
    let fx = fixture();
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, rpc_struct(32, 0, 0, 0, 0, UNMAPPED));
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Ok(()));
    assert_eq!(fx.rpcs(), 1);
    assert_eq!(u32_at(mem.segment(ARG).unwrap(), 12), 0);
}

#[test]
fn efault_when_the_struct_cannot_be_written_back() {
    // ucmd_respond fails after the handler ran: the caller sees EFAULT.
    let fx = fixture();
    let arg = rpc_struct(32, 0, 4, 4, IN, OUT);
    let mut mem = SegmentMemory::new();
    mem.map_ro(ARG, &arg).map_owned(IN, b"ping".to_vec()).map_owned(OUT, vec![0; 4]);
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Err(Errno::EFAULT));
    assert_eq!(fx.rpcs(), 1);
}

#[test]
fn efault_for_a_bad_device_data_pointer() {
    let fx = fixture();
    *fx.drv.config.info.lock().unwrap() = Some(vec![1, 2, 3, 4]);
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 0, 0, 8, UNMAPPED));
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::EFAULT));
    // Without an info op the core clears the buffer itself: same fault.
    *fx.drv.config.info.lock().unwrap() = None;
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::EFAULT));
    // A buffer shorter than device_data_len faults in the zero padding.
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 0, 0, 8, OUT)).map_owned(OUT, vec![0xEE; 6]);
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::EFAULT));
}

// ---------------------------------------------------------------- EINVAL

#[test]
fn einval_when_size_is_below_24_for_info_and_32_for_rpc() {
    let fx = fixture();
    for size in 0u32..24 {
        let mut mem = SegmentMemory::new();
        mem.map_owned(ARG, info_struct(size, 0, 0, 0, 0));
        assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::EINVAL), "info size {size}");
    }
    for size in 0u32..32 {
        let mut mem = SegmentMemory::new();
        mem.map_owned(ARG, rpc_struct(size, 0, 0, 0, IN, OUT)).map_owned(IN, vec![]).map_owned(OUT, vec![]);
        assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Err(Errno::EINVAL), "rpc size {size}");
    }
    // A size word alone (the rest unmapped) is enough to get EINVAL.
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, 31u32.to_ne_bytes().to_vec());
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Err(Errno::EINVAL));
    assert_eq!((fx.rpcs(), fx.infos()), (0, 0));
}

// ---------------------------------------------------------------- E2BIG, size handling

#[test]
fn e2big_for_a_non_zero_byte_beyond_the_known_struct() {
    let fx = fixture();
    for (size, bad) in [(33u32, 32usize), (40, 39), (4096, 4000), (4096, 32)] {
        let mut arg = rpc_struct(size, 0, 4, 4, IN, OUT);
        arg.resize(size as usize, 0);
        arg[bad] = 0x01;
        let (r, back, _) = raw_rpc(&fx.h, &user(), arg.clone(), b"ping", 4);
        assert_eq!(r, Err(Errno::E2BIG), "size {size} byte {bad}");
        assert_eq!(back, arg);
        let mut info = info_struct(size, 0, 0, 0, 0);
        info.resize(size as usize, 0);
        info[bad] = 0x80;
        let mut mem = SegmentMemory::new();
        mem.map_owned(ARG, info);
        assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::E2BIG));
    }
    assert_eq!(fx.rpcs(), 0);
}

#[test]
fn a_larger_size_with_a_zero_tail_is_accepted_and_the_tail_is_never_written() {
    let fx = fixture();
    // The tail is read-only: any write-back beyond 32 bytes would fault.
    let tail = vec![0u8; 4096 - 32];
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, rpc_struct(4096, 0, 4, 4, IN, OUT))
        .map_ro(ARG + 32, &tail)
        .map_owned(IN, b"ping".to_vec())
        .map_owned(OUT, vec![0; 4]);
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut mem), Ok(()));
    assert_eq!(mem.segment(OUT).unwrap(), b"ping");
    assert_eq!(u32_at(mem.segment(ARG).unwrap(), 0), 4096, "size is written back verbatim");

    let tail = vec![0u8; 1000 - 24];
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(1000, 0, 0, 0, 0)).map_ro(ARG + 24, &tail);
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Ok(()));
    assert_eq!(u32_at(mem.segment(ARG).unwrap(), 8), 1, "out_device_type = MLX5");
}

#[test]
fn huge_sizes_scan_the_tail_in_order() {
    let fx = fixture();
    // 4 GiB - 1 with only 64 bytes mapped: the zero scan runs into unmapped memory.
    let mut arg = rpc_struct(u32::MAX, 0, 4, 4, IN, OUT);
    arg.resize(64, 0);
    let (r, _, _) = raw_rpc(&fx.h, &user(), arg.clone(), b"ping", 4);
    assert_eq!(r, Err(Errno::EFAULT));
    // A non-zero byte found before the fault wins: E2BIG, as check_zeroed_user does.
    arg[40] = 1;
    let (r, _, _) = raw_rpc(&fx.h, &user(), arg, b"ping", 4);
    assert_eq!(r, Err(Errno::E2BIG));
    // One MiB of zeros is just a long scan.
    let mut big = rpc_struct(1 << 20, 0, 4, 4, IN, OUT);
    big.resize(1 << 20, 0);
    let (r, back, out) = raw_rpc(&fx.h, &user(), big, b"ping", 4);
    assert_eq!(r, Ok(()));
    assert_eq!(&out, b"ping");
    assert!(back[32..].iter().all(|&b| b == 0));
    assert_eq!(fx.rpcs(), 1);
}

#[test]
fn copy_back_is_min_of_user_and_kernel_size_and_leaves_bytes_beyond_untouched() {
    let fx = fixture();
    // size 32, but the caller's allocation has 8 more bytes of its own after it.
    let mut arg = rpc_struct(32, 0, 4, 16, IN, OUT);
    arg.extend_from_slice(&[0xAB; 8]);
    let (r, back, out) = raw_rpc(&fx.h, &user(), arg.clone(), b"ping", 16);
    assert_eq!(r, Ok(()));
    assert_eq!(&back[32..], &[0xAB; 8], "bytes beyond size untouched");
    // Input fields are re-written verbatim; out_len becomes the driver's length
    // (the echo driver pads to the capacity when it does not answer in place).
    assert_eq!(&back[..12], &arg[..12]);
    assert_eq!(u32_at(&back, 12), 16);
    assert_eq!(&back[16..32], &arg[16..32]);
    assert_eq!(&out[..4], b"ping");

    // INFO: 24 bytes written back, the caller's neighbouring bytes untouched.
    let mut info = info_struct(24, 0, 0xDEAD, 0, 0);
    info.extend_from_slice(&[0xCD; 8]);
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info);
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Ok(()));
    let back = mem.segment(ARG).unwrap();
    assert_eq!((u32_at(back, 0), u32_at(back, 4), u32_at(back, 8), u32_at(back, 12)), (24, 0, 1, 0));
    assert_eq!(&back[24..], &[0xCD; 8]);
}

// ---------------------------------------------------------------- FWCTL_INFO

#[test]
fn info_flags_are_eopnotsupp_without_calling_the_driver() {
    let fx = fixture();
    *fx.drv.config.info.lock().unwrap() = Some(vec![1; 8]);
    for flags in [1u32, 2, 0x8000_0000, u32::MAX] {
        let mut mem = SegmentMemory::new();
        mem.map_owned(ARG, info_struct(24, flags, 0, 8, OUT)).map_owned(OUT, vec![0xEE; 8]);
        assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::EOPNOTSUPP), "flags {flags:#x}");
        assert_eq!(mem.segment(OUT).unwrap(), &[0xEE; 8]);
    }
    assert_eq!(fx.infos(), 0);
}

#[test]
fn info_copies_the_driver_data_and_zero_pads_the_rest() {
    let fx = fixture();
    *fx.drv.config.info.lock().unwrap() = Some(vec![1, 2, 3]);
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 0, 0, 8, OUT)).map_owned(OUT, vec![0xEE; 8]);
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Ok(()));
    assert_eq!(mem.segment(OUT).unwrap(), &[1, 2, 3, 0, 0, 0, 0, 0]);
    let back = mem.segment(ARG).unwrap();
    assert_eq!(u32_at(back, 8), 1, "FWCTL_DEVICE_TYPE_MLX5");
    assert_eq!(u32_at(back, 12), 3, "the driver's length");
    assert_eq!(fx.infos(), 1);
}

#[test]
fn info_truncates_to_the_user_buffer_and_reports_the_full_length() {
    let fx = fixture();
    *fx.drv.config.info.lock().unwrap() = Some((1..=8).collect());
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 0, 0, 4, OUT)).map_owned(OUT, vec![0xEE; 8]);
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Ok(()));
    assert_eq!(mem.segment(OUT).unwrap(), &[1, 2, 3, 4, 0xEE, 0xEE, 0xEE, 0xEE]);
    assert_eq!(u32_at(mem.segment(ARG).unwrap(), 12), 8);
}

#[test]
fn info_with_device_data_len_zero_does_not_call_the_driver_and_reports_zero() {
    let fx = fixture();
    *fx.drv.config.info.lock().unwrap() = Some(vec![9; 8]);
    // out_device_data points nowhere: no user memory is touched either.
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 0, 0, 0, UNMAPPED));
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Ok(()));
    let back = mem.segment(ARG).unwrap();
    assert_eq!(u32_at(back, 8), 1);
    assert_eq!(u32_at(back, 12), 0, "a size probe does not reveal the real size");
    assert_eq!(fx.infos(), 0, "the info op is not called");
}

#[test]
fn info_without_an_info_op_zero_fills_and_reports_zero() {
    let fx = fixture(); // EchoConfig::info = None: no info op
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 0, 0, 8, OUT)).map_owned(OUT, vec![0xEE; 8]);
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Ok(()));
    assert_eq!(mem.segment(OUT).unwrap(), &[0; 8]);
    assert_eq!(u32_at(mem.segment(ARG).unwrap(), 12), 0);
}

#[test]
fn info_returns_the_driver_errno_and_writes_nothing() {
    struct Failing;
    struct FailingCtx;
    impl Driver for Failing {
        fn device_type(&self) -> DeviceType {
            DeviceType::Pds
        }
        fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
            Ok(Box::new(FailingCtx))
        }
    }
    impl DriverContext for FailingCtx {
        fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
            Some(Err(Errno::ENOMEM))
        }
        fn fw_rpc(&self, _: RpcScope, _: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
            Err(Errno::EIO)
        }
        fn close(self: Box<Self>) {}
    }
    let fw = Subsystem::new();
    let h = fw.open(fw.register(Arc::new(Failing)).unwrap(), &user()).unwrap();
    let info = info_struct(24, 0, 0, 8, OUT);
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info.clone()).map_owned(OUT, vec![0xEE; 8]);
    assert_eq!(h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::ENOMEM));
    assert_eq!(mem.segment(ARG).unwrap(), &info[..]);
    assert_eq!(mem.segment(OUT).unwrap(), &[0xEE; 8]);
    // With device_data_len 0 the failing op is never reached: success, type PDS (4).
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 0, 0, 0, 0));
    assert_eq!(h.ioctl(&user(), INFO, ARG, &mut mem), Ok(()));
    assert_eq!(u32_at(mem.segment(ARG).unwrap(), 8), 4);
}

// ---------------------------------------------------------------- FWCTL_RPC limits and scopes

#[test]
fn emsgsize_above_2_mib_and_exactly_2_mib_is_accepted() {
    let fx = fixture();
    // in_len exactly 2 MiB: delivered (echo answers in place, out capacity 16).
    let req = vec![0x5A; MIB2 as usize];
    let (r, back, out) = raw_rpc(&fx.h, &user(), rpc_struct(32, 0, MIB2, 16, IN, OUT), &req, 16);
    assert_eq!(r, Ok(()));
    assert_eq!(u32_at(&back, 12), MIB2, "the full response length is reported");
    assert_eq!(out, vec![0x5A; 16]);
    // out_len exactly 2 MiB.
    let (r, _, out) = raw_rpc(&fx.h, &user(), rpc_struct(32, 0, 4, MIB2, IN, OUT), b"ping", MIB2 as usize);
    assert_eq!(r, Ok(()));
    assert_eq!(&out[..4], b"ping");
    assert_eq!(fx.rpcs(), 2);
    // One byte more, in or out: EMSGSIZE, before anything is read from in/out.
    for (in_len, out_len) in [(MIB2 + 1, 16), (4, MIB2 + 1), (u32::MAX, 0), (0, u32::MAX)] {
        let arg = rpc_struct(32, 0, in_len, out_len, UNMAPPED, UNMAPPED);
        let (r, _, _) = raw_rpc(&fx.h, &user(), arg, &[], 0);
        assert_eq!(r, Err(Errno::EMSGSIZE), "in {in_len} out {out_len}");
    }
    assert_eq!(fx.rpcs(), 2);
}

#[test]
fn emsgsize_is_checked_before_the_scope() {
    let fx = fixture();
    for scope in [4u32, u32::MAX, 3, 2] {
        let arg = rpc_struct(32, scope, MIB2 + 1, 0, IN, OUT);
        let (r, _, _) = raw_rpc(&fx.h, &user(), arg, &[], 0);
        assert_eq!(r, Err(Errno::EMSGSIZE), "scope {scope}");
    }
    assert!(!fx.fw.taint().is_tainted(), "EMSGSIZE comes before the taint step");
}

#[test]
fn eopnotsupp_for_unknown_scopes() {
    let fx = fixture();
    for scope in [4u32, 5, 0x100, 0x8000_0000, u32::MAX] {
        let (r, _, out) = rpc_at(&fx.h, &rawio(), scope, b"ping", 4);
        assert_eq!(r, Err(Errno::EOPNOTSUPP), "scope {scope}");
        assert_eq!(out, vec![0xEE; 4]);
    }
    assert_eq!(fx.rpcs(), 0);
    assert!(!fx.fw.taint().is_tainted());
}

#[test]
fn every_valid_scope_is_delivered() {
    let fx = fixture();
    for scope in 0u32..=3 {
        let (r, back, out) = rpc_at(&fx.h, &rawio(), scope, b"abcd", 4);
        assert_eq!(r, Ok(()), "scope {scope}");
        assert_eq!((&out[..], u32_at(&back, 12)), (&b"abcd"[..], 4));
    }
    assert_eq!(fx.rpcs(), 4);
}

#[test]
fn eperm_for_debug_write_full_without_cap_sys_rawio_and_success_with_it() {
    let fx = fixture();
    let (r, back, out) = rpc_at(&fx.h, &user(), 3, b"ping", 4);
    assert_eq!(r, Err(Errno::EPERM));
    assert_eq!((u32_at(&back, 12), out), (4, vec![0xEE; 4]));
    assert_eq!(fx.rpcs(), 0);
    assert!(!fx.fw.taint().is_tainted(), "the EPERM path does not taint");
    assert!(fx.logs().is_empty());
    // Checked per call: the same handle with the capability succeeds.
    let (r, _, out) = rpc_at(&fx.h, &rawio(), 3, b"ping", 4);
    assert_eq!((r, &out[..]), (Ok(()), &b"ping"[..]));
    // ... and loses it again when the caller drops it.
    assert_eq!(rpc_at(&fx.h, &user(), 3, b"ping", 4).0, Err(Errno::EPERM));
    // DEBUG_WRITE needs no capability.
    assert_eq!(rpc_at(&fx.h, &user(), 2, b"ping", 4).0, Ok(()));
}

// ---------------------------------------------------------------- responses

#[test]
fn truncation_reports_the_driver_length_and_copies_only_what_fits() {
    let fx = fixture();
    // 16-byte request echoed in place, 8-byte buffer inside a 12-byte mapping.
    let req: Vec<u8> = (0u8..16).collect();
    let (r, back, out) = raw_rpc(&fx.h, &user(), rpc_struct(32, 0, 16, 8, IN, OUT), &req, 12);
    assert_eq!(r, Ok(()));
    assert_eq!(u32_at(&back, 12), 16, "caller can detect truncation: out_len > capacity");
    assert_eq!(&out[..8], &req[..8]);
    assert_eq!(&out[8..], &[0xEE; 4], "nothing written past the capacity");
}

#[test]
fn a_short_response_leaves_the_rest_of_the_out_buffer_as_it_was() {
    // Unlike INFO, the RPC path does not zero the unused tail of out.
    let fx = fixture();
    *fx.drv.config.response.lock().unwrap() = Some(vec![1, 2, 3, 4]);
    let (r, back, out) = rpc_at(&fx.h, &user(), 0, b"a request", 16);
    assert_eq!(r, Ok(()));
    assert_eq!(u32_at(&back, 12), 4);
    assert_eq!(&out[..4], &[1, 2, 3, 4]);
    assert_eq!(&out[4..], &[0xEE; 12]);
}

#[test]
fn in_place_responses_are_copied_out() {
    let fx = fixture();
    let req: Vec<u8> = (100u8..116).collect();
    let (r, back, out) = rpc_at(&fx.h, &user(), 1, &req, 16);
    assert_eq!(r, Ok(()));
    assert_eq!((out, u32_at(&back, 12)), (req, 16));
}

#[test]
fn an_in_place_length_beyond_the_request_is_eio() {
    let fx = fixture();
    fx.drv.config.garbage_len.store(true, Ordering::SeqCst);
    let arg = rpc_struct(32, 0, 4, 4, IN, OUT);
    let (r, back, out) = raw_rpc(&fx.h, &user(), arg.clone(), b"ping", 4);
    assert_eq!(r, Err(Errno::EIO));
    assert_eq!(back, arg, "struct not written back");
    assert_eq!(out, vec![0xEE; 4], "nothing copied out");
    assert_eq!(fx.rpcs(), 1);
}

#[test]
fn driver_errnos_pass_through_and_leave_the_buffers_alone() {
    let fx = fixture();
    for e in [Errno::EBADMSG, Errno::EREMOTEIO, Errno::EINVAL, Errno::ETIMEDOUT] {
        *fx.drv.config.fail_rpc.lock().unwrap() = Some(e);
        let arg = rpc_struct(32, 1, 4, 4, IN, OUT);
        let (r, back, out) = raw_rpc(&fx.h, &user(), arg.clone(), b"ping", 4);
        assert_eq!(r, Err(e));
        assert_eq!((back, out), (arg, vec![0xEE; 4]));
    }
}

// ---------------------------------------------------------------- ENODEV

#[test]
fn enodev_after_unregister_with_struct_errors_taking_precedence() {
    let fx = fixture();
    fx.fw.unregister(fx.minor).unwrap();
    // A well-formed call: ENODEV for both ioctls.
    let (r, back, out) = rpc_at(&fx.h, &user(), 0, b"ping", 4);
    assert_eq!(r, Err(Errno::ENODEV));
    assert_eq!((u32_at(&back, 12), out), (4, vec![0xEE; 4]));
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 0, 0, 0, 0));
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::ENODEV));
    // INFO flags are checked by the handler, which is not reached any more.
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, info_struct(24, 1, 0, 0, 0));
    assert_eq!(fx.h.ioctl(&user(), INFO, ARG, &mut mem), Err(Errno::ENODEV));
    // So are the RPC checks (scope, size caps).
    assert_eq!(rpc_at(&fx.h, &user(), 9, b"ping", 4).0, Err(Errno::ENODEV));
    let (r, _, _) = raw_rpc(&fx.h, &user(), rpc_struct(32, 0, MIB2 + 1, 0, IN, OUT), &[], 0);
    assert_eq!(r, Err(Errno::ENODEV));
    // Everything before the registration lock still wins, in main.c's order.
    let mut empty = SegmentMemory::new();
    assert_eq!(fx.h.ioctl(&user(), 0xC020_9A01, ARG, &mut empty), Err(Errno::ENOTTY));
    assert_eq!(fx.h.ioctl(&user(), RPC, ARG, &mut empty), Err(Errno::EFAULT));
    let (r, _, _) = raw_rpc(&fx.h, &user(), rpc_struct(31, 0, 4, 4, IN, OUT), b"ping", 4);
    assert_eq!(r, Err(Errno::EINVAL));
    let mut arg = rpc_struct(40, 0, 4, 4, IN, OUT);
    arg.resize(40, 0);
    arg[39] = 1;
    assert_eq!(raw_rpc(&fx.h, &user(), arg, b"ping", 4).0, Err(Errno::E2BIG));
    assert_eq!(fx.rpcs(), 0);
    // The typed API shares the path.
    let mut out = [0u8; 4];
    assert_eq!(fx.h.rpc(&user(), 0, b"ping", &mut out), Err(Errno::ENODEV));
    assert_eq!(fx.h.info(&user(), &mut out), Err(Errno::ENODEV));
}

// ---------------------------------------------------------------- taint

const WARNING: &str = "fwtool(4242): has requested full access to the physical device";

#[test]
fn debug_write_taints_once_with_a_warning_naming_comm_pid_and_device() {
    let fx = fixture();
    assert_eq!((fx.fw.taint().mask(), fx.fw.taint().letter()), (0, ' '));
    assert_eq!(rpc_at(&fx.h, &user(), 2, b"ping", 4).0, Ok(()));
    assert!(fx.fw.taint().is_tainted());
    assert_eq!(fx.fw.taint().mask(), 524_288, "1 << 19 in /proc/sys/kernel/tainted");
    assert_eq!(fx.fw.taint().letter(), 'J');
    let logs = fx.logs();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(logs[0].contains(WARNING), "{}", logs[0]);
    assert!(logs[0].starts_with("fwctl fwctl0: "), "dev_warn prefix names the device: {}", logs[0]);
    // Later tainting requests neither warn nor re-taint, on any handle or scope.
    let h2 = fx.fw.open(fx.minor, &rawio()).unwrap();
    assert_eq!(rpc_at(&h2, &rawio(), 3, b"ping", 4).0, Ok(()));
    assert_eq!(rpc_at(&fx.h, &user(), 2, b"ping", 4).0, Ok(()));
    assert_eq!(fx.logs().len(), 1);
}

#[test]
fn debug_write_full_taints_too() {
    let fx = fixture();
    assert_eq!(rpc_at(&fx.h, &rawio(), 3, b"ping", 4).0, Ok(()));
    assert_eq!(fx.fw.taint().mask(), 524_288);
    assert_eq!(fx.logs().len(), 1);
}

#[test]
fn scopes_0_and_1_never_taint() {
    let fx = fixture();
    for _ in 0..3 {
        for scope in [0u32, 1] {
            assert_eq!(rpc_at(&fx.h, &rawio(), scope, b"ping", 4).0, Ok(()));
        }
    }
    assert!(!fx.fw.taint().is_tainted());
    assert_eq!((fx.fw.taint().mask(), fx.fw.taint().letter()), (0, ' '));
    assert!(fx.logs().is_empty());
}

#[test]
fn taint_is_set_even_when_the_driver_refuses_the_command() {
    let fx = fixture();
    *fx.drv.config.fail_rpc.lock().unwrap() = Some(Errno::EBADMSG);
    assert_eq!(rpc_at(&fx.h, &user(), 2, b"ping", 4).0, Err(Errno::EBADMSG));
    assert_eq!(fx.rpcs(), 1);
    assert!(fx.fw.taint().is_tainted());
    assert_eq!(fx.logs().len(), 1);
}

#[test]
fn taint_is_set_before_the_request_is_even_copied_in() {
    // main.c taints before copy_from_user: a bad `in` pointer still taints.
    let fx = fixture();
    let (r, _, _) = raw_rpc(&fx.h, &user(), rpc_struct(32, 2, 4, 4, UNMAPPED, OUT), &[], 4);
    assert_eq!(r, Err(Errno::EFAULT));
    assert!(fx.fw.taint().is_tainted());
    assert_eq!(fx.rpcs(), 0);
}

/// A driver that records, at the moment fw_rpc runs, whether the subsystem was
/// already tainted.
struct TaintProbe {
    fw: Subsystem,
    seen: Arc<Mutex<Vec<bool>>>,
}
struct TaintProbeCtx {
    fw: Subsystem,
    seen: Arc<Mutex<Vec<bool>>>,
}
impl Driver for TaintProbe {
    fn device_type(&self) -> DeviceType {
        DeviceType::Cxl
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(TaintProbeCtx { fw: self.fw.clone(), seen: self.seen.clone() }))
    }
}
impl DriverContext for TaintProbeCtx {
    fn fw_rpc(&self, _: RpcScope, _: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        self.seen.lock().unwrap().push(self.fw.taint().is_tainted());
        Err(Errno::EPERM) // and refuse it
    }
    fn close(self: Box<Self>) {}
}

#[test]
fn the_driver_sees_a_debug_write_only_after_taint_is_set() {
    let (fw, log) = subsystem_with_log();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let minor = fw.register(Arc::new(TaintProbe { fw: fw.clone(), seen: seen.clone() })).unwrap();
    let h = fw.open(minor, &user()).unwrap();
    assert_eq!(rpc_at(&h, &user(), 1, b"x", 1).0, Err(Errno::EPERM));
    assert_eq!(rpc_at(&h, &user(), 2, b"x", 1).0, Err(Errno::EPERM));
    assert_eq!(*seen.lock().unwrap(), vec![false, true]);
    assert_eq!(log.lock().unwrap().len(), 1);
    fw.unregister(minor).unwrap(); // drops the driver's reference cycle
}
