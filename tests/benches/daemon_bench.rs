//! The daemon transport against its physical floor.
//!
//! - RPC round trip through `fwctld` to the simulated mlx5 device (QUERY_ADAPTER:
//!   16-byte request, 272-byte response) vs a raw Unix-socket ping-pong of the same sizes between two
//!   threads, with 1 and 2 concurrent clients. Target: ≤ 1.5× the ping-pong.
//! - Daemon RSS growth over 1,000,000 RPCs (target < 1 MiB).
//! - Daemon RSS with 1,000 idle connections (target < 64 MiB).
//!
//! Run: `cargo bench -p fwctl-tests --bench daemon_bench`.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

use fwctl_core::transport::{Channel, Daemon, Transport};
use fwctl_tests::bench::{Row, keep, median_ns_per_op, print_table};
use fwctl_tests::daemon::Fwctld;

const REQ: usize = 16;
const RESP: usize = 272;
const SAMPLES: usize = 15;
const BATCH: usize = 2_000;

/// Median ns per round trip for each of `clients` concurrent clients, averaged.
fn concurrent(clients: usize, make: impl Fn() -> Box<dyn FnMut() + Send> + Sync) -> f64 {
    let per: Vec<f64> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..clients)
            .map(|_| {
                let mut f = make();
                s.spawn(move || median_ns_per_op(SAMPLES, BATCH, &mut *f))
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap_or(f64::NAN)).collect()
    });
    per.iter().sum::<f64>() / per.len() as f64
}

/// A ping-pong pair: a server thread answering every 16-byte message with 272 bytes.
fn raw_pair() -> Box<dyn FnMut() + Send> {
    let (mut client, mut server) = UnixStream::pair().expect("socketpair");
    std::thread::spawn(move || {
        let mut req = [0u8; REQ];
        let resp = [7u8; RESP];
        while server.read_exact(&mut req).is_ok() {
            if server.write_all(&resp).is_err() {
                break;
            }
        }
    });
    let req = [1u8; REQ];
    let mut resp = [0u8; RESP];
    Box::new(move || {
        client.write_all(&req).expect("write");
        client.read_exact(&mut resp).expect("read");
        keep(&resp);
    })
}

fn daemon_client(daemon: &Daemon) -> Box<dyn FnMut() + Send> {
    let mut ch = daemon.open("fwctl0").expect("open fwctl0");
    let req = fwctl_mlx5_sim::prm::build::query_adapter();
    assert_eq!(req.len(), REQ);
    let mut resp = [0u8; RESP];
    Box::new(move || {
        let r = ch.rpc(0, &req, &mut resp).expect("rpc");
        keep(r);
    })
}

fn main() {
    let config = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n";
    let d = Fwctld::start(config, &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut rows = Vec::new();
    for clients in [1, 2] {
        let raw = concurrent(clients, raw_pair);
        let via = concurrent(clients, || daemon_client(&daemon));
        rows.push(Row {
            name: format!("raw unix ping-pong 16/272 B, {clients} client(s)"),
            value: raw,
            unit: "ns/op",
            note: "baseline".into(),
        });
        rows.push(Row {
            name: format!("fwctld RPC 16/272 B, {clients} client(s)"),
            value: via,
            unit: "ns/op",
            note: format!("{:.2}x baseline (target <= 1.5x)", via / raw),
        });
    }
    print_table("daemon round trip (median of batches)", &rows);

    let mut mem = Vec::new();
    let mut ch = daemon.open("fwctl0").expect("open");
    let mut resp = [0u8; RESP];
    let req = fwctl_mlx5_sim::prm::build::query_adapter();
    for _ in 0..50_000 {
        ch.rpc(0, &req, &mut resp).expect("rpc");
    }
    let before = d.rss();
    for _ in 0..1_000_000 {
        ch.rpc(0, &req, &mut resp).expect("rpc");
    }
    let growth = d.rss().saturating_sub(before);
    mem.push(Row {
        name: "daemon RSS growth over 1,000,000 RPCs".into(),
        value: growth as f64 / 1024.0,
        unit: "KiB",
        note: format!("from {} KiB (target < 1024 KiB)", before / 1024),
    });
    drop(ch);
    let idle: Vec<Box<dyn Channel>> = (0..1000).map(|_| daemon.open("fwctl0").expect("open")).collect();
    let rss = d.rss();
    mem.push(Row {
        name: "daemon RSS with 1,000 idle connections".into(),
        value: rss as f64 / (1024.0 * 1024.0),
        unit: "MiB",
        note: "target < 64 MiB".into(),
    });
    drop(idle);
    print_table("daemon memory", &mem);
}
