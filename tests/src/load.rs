//! Bounded load through the real daemon: N clients each sending their share of
//! RPCs to one loopback device, every response checked against a per-request
//! checksum, the daemon's RSS sampled after a warm-up and at the end. Shared by
//! the short smoke test (`daemon_load`) and the full run (`benches/daemon_load.rs`).

use std::time::{Duration, Instant};

use fwctl_core::server::ControlRequest;
use fwctl_core::transport::{Daemon, Transport};

use crate::daemon::Fwctld;

/// What one load run measured.
#[derive(Debug, Clone, Copy)]
pub struct LoadReport {
    /// RSS of the daemon after the warm-up, in bytes.
    pub rss_warm: u64,
    /// RSS at the end, in bytes.
    pub rss_end: u64,
    /// RPCs the daemon counted (status verb `rpcs`).
    pub counted: u64,
    /// RPCs the clients sent.
    pub sent: u64,
    /// Wall time of the measured part (after the warm-up).
    pub elapsed: Duration,
}

/// The loopback device the load runs against: 272-byte responses.
pub const LOAD_CONFIG: &str =
    "[[device]]\nname = \"lb0\"\ndriver = \"loopback\"\n[device.params]\nresponse_len = 272\n";

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

/// `clients` clients × `rpcs` RPCs each (the first `warmup` not measured) on a
/// daemon started with [`LOAD_CONFIG`]. Panics on a lost, foreign or corrupted
/// response.
pub fn run(d: &Fwctld, clients: u64, warmup: u64, rpcs: u64) -> LoadReport {
    let daemon = Daemon::new(&d.runtime_dir);
    let run = |from: u64, to: u64| {
        std::thread::scope(|s| {
            for c in 0..clients {
                let daemon = &daemon;
                s.spawn(move || {
                    let mut ch = daemon.open("fwctl0").expect("open fwctl0");
                    let mut out = [0xEEu8; 272];
                    for i in from..to {
                        let req = request(c, i);
                        let r = ch.rpc(0, &req, &mut out).expect("rpc");
                        assert_eq!(r.out_len, 272);
                        let word = |at: usize| {
                            let mut w = [0u8; 8];
                            w.copy_from_slice(&out[at..at + 8]);
                            u64::from_le_bytes(w)
                        };
                        assert_eq!(word(0), c << 48 | i, "response for another request");
                        assert_eq!(word(8), checksum(&out[..8]), "corrupted response");
                        assert!(out[16..].iter().all(|&b| b == 0), "corrupted padding");
                    }
                });
            }
        })
    };
    run(0, warmup);
    let rss_warm = d.rss();
    let start = Instant::now();
    run(warmup, rpcs);
    let elapsed = start.elapsed();
    let rss_end = d.rss();
    let status = d.control(&ControlRequest::Status).expect("status verb");
    let counted = status["rpcs"].as_u64().unwrap_or(0);
    LoadReport { rss_warm, rss_end, counted, sent: clients * rpcs, elapsed }
}
