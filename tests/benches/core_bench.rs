//! FWCTL_RPC through `Handle::ioctl` with the echo driver (16-byte request,
//! 16-byte response), against the cost of one null `ioctl()` system call measured
//! in the same run: an unknown ioctl number on `/dev/null`, which the kernel
//! answers with ENOTTY.
//!
//! Run: `cargo bench -p fwctl-tests --bench core_bench`.
//! Targets: RPC median <= 1.0x the null syscall; 0 heap allocations per RPC
//! (the echo driver answers in place and the core reuses its request buffer).

// The only unsafe code here is the baseline's raw ioctl(2) call (FFI).
#![expect(unsafe_code, reason = "FFI: the baseline's raw ioctl(2) call")]
#![expect(clippy::unwrap_used, reason = "a benchmark that cannot set up should stop loudly")]

use std::fs::File;
use std::os::fd::AsRawFd;
use std::sync::Arc;

use fwctl_core::driver::{Driver, DriverContext, RpcResponse};
use fwctl_core::uapi::{DeviceType, FWCTL_RPC, FwctlRpc};
use fwctl_core::{Credentials, Errno, RpcScope, SegmentMemory, Subsystem};
use fwctl_tests::bench::{Row, keep, median_ns_per_op, print_table};
use fwctl_tests::echo::EchoDriver;
use zerocopy::IntoBytes;

const SAMPLES: usize = 31;
const BATCH: usize = 20_000;
const ALLOC_OPS: u64 = 10_000;

// `_IO(0x9A, 0x7F)`: inside fwctl's reserved range, never assigned, and not a
// number /dev/null (the mem driver) understands: ENOTTY after a full syscall.
nix::ioctl_none!(
    /// `ioctl(fd, _IO(0x9A, 0x7F))`.
    null_ioctl,
    0x9A,
    0x7F
);

/// A driver that answers every RPC in place and does nothing else: measuring
/// through it separates the core's own cost from the echo driver's bookkeeping
/// (its counters and configuration mutexes).
struct Bare;
struct BareCtx;
impl Driver for Bare {
    fn device_type(&self) -> DeviceType {
        DeviceType::Mlx5
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(BareCtx))
    }
}
impl DriverContext for BareCtx {
    fn fw_rpc(&self, _: RpcScope, req: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        Ok(RpcResponse::InPlace(req.len()))
    }
    fn close(self: Box<Self>) {}
}

fn null_syscall(fd: i32) -> Result<i32, nix::errno::Errno> {
    // SAFETY: FFI. `fd` is an open descriptor of /dev/null owned by the caller for
    // the whole benchmark; an `_IO` request carries no argument, so the kernel
    // reads or writes no memory of ours. It only returns ENOTTY.
    unsafe { null_ioctl(fd) }
}

fn main() {
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    let minor = fw.register(Arc::new(EchoDriver::new())).unwrap();
    let creds =
        Credentials { comm: "core_bench".into(), pid: std::process::id() as i32, ..Default::default() };
    let handle = fw.open(minor, &creds).unwrap();

    // The caller's memory is laid out once, as a C program's would be.
    const ARG: u64 = 0x1000;
    const IN: u64 = 0x2000;
    const OUT: u64 = 0x3000;
    let arg = FwctlRpc {
        size: 32,
        scope: RpcScope::Configuration as u32,
        in_len: 16,
        out_len: 16,
        in_: IN,
        out: OUT,
    };
    let request: Vec<u8> = (0u8..16).collect();
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, arg.as_bytes().to_vec()).map_ro(IN, &request).map_owned(OUT, vec![0; 16]);

    // Sanity: the measured call really is a successful echo RPC.
    handle.ioctl(&creds, FWCTL_RPC, ARG, &mut mem).unwrap();
    assert_eq!(mem.segment(OUT).unwrap(), &request[..]);

    let devnull = File::open("/dev/null").unwrap();
    let fd = devnull.as_raw_fd();
    assert_eq!(null_syscall(fd), Err(nix::errno::Errno::ENOTTY), "baseline must be a failing null ioctl");

    // Interleave the two measurements so drift on the shared machine hits both.
    let mut rpc_runs = Vec::new();
    let mut sys_runs = Vec::new();
    for _ in 0..3 {
        sys_runs.push(median_ns_per_op(SAMPLES, BATCH, || {
            keep(null_syscall(keep(fd))).ok();
        }));
        rpc_runs.push(median_ns_per_op(SAMPLES, BATCH, || {
            let r: Result<(), Errno> = handle.ioctl(&creds, FWCTL_RPC, keep(ARG), &mut mem);
            keep(r).ok();
        }));
    }
    let rpc_ns = fwctl_tests::bench::median(&mut rpc_runs);
    let sys_ns = fwctl_tests::bench::median(&mut sys_runs);

    let allocs = allocation_counter::measure(|| {
        for _ in 0..ALLOC_OPS {
            keep(handle.ioctl(&creds, FWCTL_RPC, keep(ARG), &mut mem)).ok();
        }
    });
    let allocs_per_op = allocs.count_total as f64 / ALLOC_OPS as f64;

    // For comparison: the core alone, with a driver that does nothing.
    let bare = fw.open(fw.register(Arc::new(Bare)).unwrap(), &creds).unwrap();
    let bare_ns = median_ns_per_op(SAMPLES, BATCH, || {
        keep(bare.ioctl(&creds, FWCTL_RPC, keep(ARG), &mut mem)).ok();
    });

    // For comparison: the typed API maps its slices into a fresh SegmentMemory per call.
    let mut out = [0u8; 16];
    let typed_ns = median_ns_per_op(SAMPLES, BATCH, || {
        keep(handle.rpc(&creds, 0, keep(&request), &mut out)).ok();
    });
    let typed_allocs = allocation_counter::measure(|| {
        for _ in 0..ALLOC_OPS {
            keep(handle.rpc(&creds, 0, keep(&request), &mut out)).ok();
        }
    });

    let ratio = rpc_ns / sys_ns;
    print_table(
        "FWCTL_RPC through Handle::ioctl, echo driver, 16-byte request / 16-byte response",
        &[
            Row {
                name: "null ioctl() syscall (ENOTTY on /dev/null)".into(),
                value: sys_ns,
                unit: "ns/op",
                note: "baseline, same run".into(),
            },
            Row {
                name: "FWCTL_RPC via Handle::ioctl".into(),
                value: rpc_ns,
                unit: "ns/op",
                note: format!(
                    "{ratio:.2}x baseline (target <= 1.0x: {})",
                    if ratio <= 1.0 { "met" } else { "MISSED" }
                ),
            },
            Row {
                name: "heap allocations per FWCTL_RPC".into(),
                value: allocs_per_op,
                unit: "allocs",
                note: format!(
                    "{} bytes/op (target 0: {})",
                    allocs.bytes_total / ALLOC_OPS,
                    if allocs.count_total == 0 { "met" } else { "MISSED" }
                ),
            },
            Row {
                name: "FWCTL_RPC via Handle::ioctl, do-nothing driver".into(),
                value: bare_ns,
                unit: "ns/op",
                note: format!("{:.2}x baseline (the core's own share, informational)", bare_ns / sys_ns),
            },
            Row {
                name: "typed Handle::rpc (maps slices per call)".into(),
                value: typed_ns,
                unit: "ns/op",
                note: format!(
                    "{:.1} allocs/op, {:.2}x baseline (informational)",
                    typed_allocs.count_total as f64 / ALLOC_OPS as f64,
                    typed_ns / sys_ns
                ),
            },
        ],
    );
}
