//! Bounded load: 4 clients × 100,000 RPCs through the real daemon, every response
//! checked against a per-request checksum, daemon memory flat.

use fwctl_core::server::ControlRequest;
use fwctl_core::transport::{Daemon, Transport};
use fwctl_tests::daemon::Fwctld;

const CLIENTS: u64 = 4;
const RPCS: u64 = 100_000;
const WARMUP: u64 = 5_000;

/// FNV-1a over the request's first 8 bytes.
fn checksum(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &x| (h ^ x as u64).wrapping_mul(0x0100_0000_01b3))
}

fn request(client: u64, i: u64) -> [u8; 16] {
    let mut r = [0u8; 16];
    r[..8].copy_from_slice(&(client << 48 | i).to_le_bytes());
    let c = checksum(&r[..8]);
    r[8..].copy_from_slice(&c.to_le_bytes());
    r
}

#[test]
fn four_clients_times_100k_rpcs_lose_and_corrupt_nothing_and_memory_stays_flat() {
    let config = "[[device]]\nname = \"lb0\"\ndriver = \"loopback\"\n[device.params]\nresponse_len = 272\n";
    let d = Fwctld::start(config, &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let run = |from: u64, to: u64| {
        std::thread::scope(|s| {
            for c in 0..CLIENTS {
                let daemon = &daemon;
                s.spawn(move || {
                    let mut ch = daemon.open("fwctl0").unwrap();
                    let mut out = [0xEEu8; 272];
                    for i in from..to {
                        let req = request(c, i);
                        let r = ch.rpc(0, &req, &mut out).unwrap();
                        assert_eq!(r.out_len, 272);
                        let id = u64::from_le_bytes(out[..8].try_into().unwrap());
                        let sum = u64::from_le_bytes(out[8..16].try_into().unwrap());
                        assert_eq!(id, c << 48 | i, "response for another request");
                        assert_eq!(sum, checksum(&out[..8]), "corrupted response");
                        assert!(out[16..].iter().all(|&b| b == 0), "corrupted padding");
                    }
                });
            }
        })
    };
    run(0, WARMUP);
    let rss_warm = d.rss();
    run(WARMUP, RPCS);
    let rss_end = d.rss();
    let status = d.control(&ControlRequest::Status).unwrap();
    assert_eq!(status["rpcs"], CLIENTS * RPCS, "no RPC lost or duplicated");
    let growth = rss_end.saturating_sub(rss_warm);
    eprintln!("daemon RSS: {rss_warm} B after warm-up, {rss_end} B after {} RPCs", CLIENTS * RPCS);
    assert!(growth < 4 << 20, "daemon RSS grew by {growth} bytes under load");
}
