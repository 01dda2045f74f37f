//! Bounded load, short: 4 clients × 5,000 RPCs through the real daemon, every
//! response checked, nothing lost, daemon memory flat. The full 4 × 100,000 run
//! with throughput is `cargo bench -p fwctl-tests --bench daemon_load`.

use fwctl_tests::daemon::Fwctld;
use fwctl_tests::load::{LOAD_CONFIG, run};

#[test]
fn four_clients_lose_and_corrupt_nothing_and_memory_stays_flat() {
    let d = Fwctld::start(LOAD_CONFIG, &[]);
    let r = run(&d, 4, 1_000, 5_000);
    assert_eq!(r.counted, r.sent, "no RPC lost or duplicated");
    let growth = r.rss_end.saturating_sub(r.rss_warm);
    assert!(growth < 4 << 20, "daemon RSS grew by {growth} bytes under load");
}
