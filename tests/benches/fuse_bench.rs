//! Cost of fwctl's FUSE device nodes (`fwctld --dev-dir`), as a C tool sees it:
//! `ioctl(2)` on a node, against two same-run baselines.
//!
//! * raw kernel null ioctl: `ioctl(/dev/null, FWCTL_INFO)`, which the kernel
//!   refuses (ENOTTY) without leaving the syscall layer: the floor of any ioctl;
//! * FUSE floor: an ioctl on the node that our server answers at once (an
//!   unknown number, ENOTTY before anything is looked up): the kernel's FUSE
//!   round trip through `/dev/fuse` and a server thread;
//! * FUSE RPC: mlx5 QUERY_ADAPTER (16-byte request, 272-byte response) through
//!   the node, identity from `/proc/<tid>/status`, the caller's memory through
//!   `process_vm_readv`/`writev`. Target: ≤ 1.3× the FUSE floor.
//!
//! Samples are interleaved round by round; each ratio is the median of per-round
//! ratios. Needs root and `/dev/fuse` (prints SKIP otherwise).
#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap aborts the run

use std::fs::File;
use std::time::Instant;

use fwctl_core::Subsystem;
use fwctl_fuse::ProcessMemory;
use fwctl_mlx5_sim::{Mlx5Device, SimConfig, prm};
use fwctl_tests::bench::{Row, median, median_ns_per_op, print_table};
use fwctl_tests::real_clients::{Nodes, raw_ioctl};

const ROUNDS: usize = 31;
const BATCH: usize = 2000;

fn time(batch: usize, mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..batch {
        f();
    }
    t.elapsed().as_nanos() as f64 / batch as f64
}

fn main() {
    let s = Subsystem::new();
    s.register(Mlx5Device::new(SimConfig::with_seed(1)).unwrap().into_driver()).unwrap();
    let Some(nodes) = Nodes::mount("fuse-bench", s, 0o600) else { return };
    let node = nodes.open("fwctl0").unwrap();
    let null = File::open("/dev/null").unwrap();
    let (node, null) = (&node, &null);

    let req = prm::build::query_adapter();
    let mut out = vec![0u8; 272];
    let mut rpc = Vec::new();
    for w in [32u32, 0, req.len() as u32, 272] {
        rpc.extend(w.to_ne_bytes());
    }
    rpc.extend((req.as_ptr() as u64).to_ne_bytes());
    rpc.extend((out.as_mut_ptr() as u64).to_ne_bytes());
    let rpc_arg = rpc.as_mut_ptr() as u64;

    let me = fwctl_core::Credentials::current();
    let tid = nix::unistd::gettid().as_raw();
    let ref_s = Subsystem::new();
    ref_s.register(Mlx5Device::new(SimConfig::with_seed(1)).unwrap().into_driver()).unwrap();
    let h = ref_s.open(0, &me).unwrap();
    let mut rpc2 = rpc.clone();
    let rpc2_arg = rpc2.as_mut_ptr() as u64;
    // Components, measured in this process for the breakdown (not interleaved).
    let status_ns = median_ns_per_op(11, 200, || {
        std::fs::read_to_string(format!("/proc/{tid}/status")).unwrap();
    });
    let segment_ns = median_ns_per_op(11, 500, || {
        let mut o = [0u8; 272];
        h.rpc(&me, 0, &req, &mut o).unwrap();
    });
    let process_ns = median_ns_per_op(11, 500, || {
        // As the server does it: the `in` buffer read ahead with the struct,
        // the copy-outs gathered into one write.
        let mut mem =
            ProcessMemory::deferred(std::process::id() as i32).read_ahead(req.as_ptr() as u64, req.len());
        h.ioctl(&me, 0x9A01, rpc2_arg, &mut mem).unwrap();
        mem.flush().unwrap();
    });
    let mut variants: Vec<Box<dyn FnMut()>> = vec![
        Box::new(|| assert_eq!(raw_ioctl(null, 0x9A00, 0), Err(nix::libc::ENOTTY))),
        Box::new(|| assert_eq!(raw_ioctl(node, 0x9A02, 0), Err(nix::libc::ENOTTY))),
        Box::new(move || raw_ioctl(node, 0x9A01, rpc_arg).unwrap()),
    ];
    for v in variants.iter_mut() {
        time(BATCH / 4, v); // warm-up
    }
    let mut samples = vec![Vec::new(); variants.len()];
    for round in 0..ROUNDS {
        for k in 0..variants.len() {
            let v = (round + k) % variants.len();
            let batch = if v == 0 { BATCH * 10 } else { BATCH };
            samples[v].push(time(batch, &mut variants[v]));
        }
    }
    let ratio = |a: usize, b: usize| {
        let mut r: Vec<f64> = samples[a].iter().zip(&samples[b]).map(|(x, y)| x / y).collect();
        median(&mut r)
    };
    let r = ratio(2, 1);
    let med: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
    drop(variants);
    assert_eq!(out[0], 0, "QUERY_ADAPTER status OK");
    print_table(
        "FUSE device nodes: ioctl(2) from this process",
        &[
            Row {
                name: "raw kernel null ioctl (/dev/null, ENOTTY)".into(),
                value: med[0],
                unit: "ns/op",
                note: "for scale".into(),
            },
            Row {
                name: "FUSE floor: node ioctl answered at once (ENOTTY)".into(),
                value: med[1],
                unit: "ns/op",
                note: "baseline".into(),
            },
            Row {
                name: "FUSE RPC: mlx5 QUERY_ADAPTER 16/272 B".into(),
                value: med[2],
                unit: "ns/op",
                note: format!("median of per-round ratios {r:.3}x the FUSE floor (target <= 1.3x)"),
            },
            Row {
                name: "  part: in-process dispatcher, typed API (segments)".into(),
                value: segment_ns,
                unit: "ns/op",
                note: "same RPC, no FUSE, no process_vm_*".into(),
            },
            Row {
                name: "  part: in-process dispatcher over ProcessMemory".into(),
                value: process_ns,
                unit: "ns/op",
                note: "same RPC, the caller's memory through one process_vm_readv and one process_vm_writev"
                    .into(),
            },
            Row {
                name: "  part: read /proc/<tid>/status".into(),
                value: status_ns,
                unit: "ns/op",
                note: "paid at open and a thread's first ioctl only (capget only when the call needs it)"
                    .into(),
            },
        ],
    );
}
