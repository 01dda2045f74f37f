//! Bounded load: 4 clients × 100,000 RPCs through the real daemon (loopback
//! device, 272-byte responses), every response checked against a per-request
//! checksum; prints throughput and the daemon's RSS after warm-up and at the end.
//!
//! Run: `cargo bench -p fwctl-tests --bench daemon_load`.
//! Targets: no RPC lost or corrupted; RSS growth after warm-up < 4 MiB.

use fwctl_tests::daemon::Fwctld;
use fwctl_tests::load::{LOAD_CONFIG, run};

const CLIENTS: u64 = 4;
const RPCS: u64 = 100_000;
const WARMUP: u64 = 5_000;

fn main() {
    let d = Fwctld::start(LOAD_CONFIG, &[]);
    let r = run(&d, CLIENTS, WARMUP, RPCS);
    let measured = CLIENTS * (RPCS - WARMUP);
    let per_sec = measured as f64 / r.elapsed.as_secs_f64();
    let growth = r.rss_end.saturating_sub(r.rss_warm);
    println!("daemon_load: {CLIENTS} clients x {RPCS} RPCs (first {WARMUP} each not timed)");
    println!("  RPCs counted by the daemon: {} of {}", r.counted, r.sent);
    println!("  throughput: {per_sec:.0} RPC/s ({:.2} us per RPC, all clients)", 1e6 / per_sec);
    println!(
        "  daemon RSS: {} KiB after warm-up, {} KiB at the end (+{} KiB)",
        r.rss_warm >> 10,
        r.rss_end >> 10,
        growth >> 10
    );
    assert_eq!(r.counted, r.sent, "RPCs lost or duplicated");
    assert!(growth < 4 << 20, "daemon RSS grew by {growth} bytes under load");
}
