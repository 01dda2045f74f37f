//! Cost of `fwctl exec` (the preload library) against fwctld's own socket
//! client, same daemon, same run:
//!
//! * socket client: `fwctl_core::transport::Daemon` → `DaemonChannel::rpc`,
//!   the IOCTL frame the daemon's own client library sends, from this process;
//! * exec path: `fwctl exec -- rpc_loop /dev/fwctl/fwctl0 N`, a C program
//!   issuing plain `ioctl(2)`s that the preload library turns into the same
//!   IOCTL frame, reading and writing the program's memory with
//!   `process_vm_readv`/`writev`. Timed inside the program (its start-up and
//!   `fwctl exec`'s are not counted). Target: ≤ 1.1× the socket client.
//!
//! Both run mlx5 QUERY_ADAPTER (16-byte request, 272-byte response) on the
//! same daemon. Rounds alternate; the ratio is the median of per-round ratios.
//! The daemon's share of a round trip is the same for both clients, so the
//! client's own CPU time per call (user and kernel time of its system calls:
//! the socket client's thread, the C program's process) is reported too: on a
//! shared machine it moves far less than the wall clock, and the difference
//! is what the exec path adds to every round trip.
//!
//! `EXEC_BENCH_COMPARE=/path/to/libfwctl_preload.so` adds a client: the
//! same C program under that preload library (e.g. an older build), in the
//! same rounds. `EXEC_BENCH_ALTERNATE=1` adds the C program in its `alternate`
//! mode (its request from one of two buffers in turn, so no call repeats the
//! last one's struct and the library's speculative path never applies), under
//! this build's library and, with `EXEC_BENCH_COMPARE`, under that one too.
//! `EXEC_BENCH_FRESH=1` adds the socket client as each exec round runs: a new
//! connection per round (so a new connection thread in the daemon), 200
//! untimed calls, then the timed ones, as `rpc_loop` does; each exec row then
//! also gives its ratio to it. Needs `cc` (prints SKIP otherwise).
#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap aborts the run

use std::time::Instant;

use fwctl_core::transport::{Channel, Daemon};
use fwctl_mlx5_sim::prm;
use fwctl_tests::bench::{Row, median, median_ns_per_op, print_table};
use fwctl_tests::daemon::{Fwctld, TempDir};
use fwctl_tests::real_clients::{compile_c, preload_library};
use nix::sys::resource::{UsageWho, getrusage};

const SIM: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n[device.params]\nseed = 5\n";
const ROUNDS: usize = 11;
const BATCH: usize = 3000;

/// This thread's CPU time (user and system), in nanoseconds.
fn thread_cpu_ns() -> f64 {
    let u = getrusage(UsageWho::RUSAGE_THREAD).unwrap();
    let us = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 * 1e6 + t.tv_usec() as f64;
    (us(u.user_time()) + us(u.system_time())) * 1e3
}

/// Wall and CPU nanoseconds per call of `f`, over `batch` calls.
fn timed(batch: usize, mut f: impl FnMut()) -> (f64, f64) {
    let (t, c) = (Instant::now(), thread_cpu_ns());
    for _ in 0..batch {
        f();
    }
    let cpu = thread_cpu_ns() - c;
    (t.elapsed().as_nanos() as f64 / batch as f64, cpu / batch as f64)
}

fn main() {
    let bin = TempDir::new("exec-bench");
    let prog = match compile_c("rpc_loop", bin.path(), false) {
        Ok(p) => p,
        Err(e) => return eprintln!("SKIP: {e}"),
    };
    preload_library();
    let mut rows = Vec::new();
    for audit in ["all", "none"] {
        // The policy's audit level: "all" (the default, one audit line per
        // RPC) or "none", which leaves the two clients' own costs to compare.
        let policy = bin.path().join(format!("policy-{audit}.toml"));
        std::fs::write(
            &policy,
            format!(
                "version = 1\naudit = \"{audit}\"\n[[rule]]\nname = \"bench\"\nusers = [\"*\"]\nmax_scope = \"debug-write-full\"\n"
            ),
        )
        .unwrap();
        let d = Fwctld::start(SIM, &["--policy", policy.to_str().unwrap()]);
        let mut ch = Daemon::new(&d.runtime_dir).connect("fwctl0").unwrap();
        let req = prm::build::query_adapter();
        let mut out = vec![0u8; 272];
        let mut socket = || {
            ch.rpc(0, &req, &mut out).unwrap();
        };
        let compare = std::env::var_os("EXEC_BENCH_COMPARE");
        let exec = |preload: Option<&std::ffi::OsStr>, alternate: bool| -> (f64, f64) {
            let mut c = d.fwctl();
            c.arg("exec");
            if let Some(p) = preload {
                c.arg("--preload").arg(p);
            }
            c.arg("--").arg(&prog).args(["/dev/fwctl/fwctl0", &BATCH.to_string()]);
            if alternate {
                c.arg("alternate");
            }
            let o = c.output().unwrap();
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(o.status.success(), "{text}{}", String::from_utf8_lossy(&o.stderr));
            let mut w = text.split_whitespace();
            let mut field = |name: &str| -> f64 {
                assert_eq!(w.next(), Some(name), "{text}");
                w.next().and_then(|v| v.parse().ok()).unwrap()
            };
            (field("ns_per_op"), field("cpu_ns_per_op"))
        };
        median_ns_per_op(3, 500, &mut socket); // warm-up
        // The exec clients after the socket client (index 0): the library
        // (this build's, or EXEC_BENCH_COMPARE's) and the program's mode.
        let mut execs = vec![(None, false, "fwctl exec, ioctl(2) in a C program".to_string())];
        let other = compare.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
        if compare.is_some() {
            execs.push((compare.as_deref(), false, format!("fwctl exec with EXEC_BENCH_COMPARE={other}")));
        }
        if std::env::var_os("EXEC_BENCH_ALTERNATE").is_some() {
            execs.push((None, true, "fwctl exec, C program, alternate".to_string()));
            if compare.is_some() {
                execs.push((compare.as_deref(), true, format!("fwctl exec, alternate, with {other}")));
            }
        }
        // The socket client with a fresh connection per round (the last client).
        let fresh = std::env::var_os("EXEC_BENCH_FRESH").is_some();
        let fresh_round = || -> (f64, f64) {
            let mut ch = Daemon::new(&d.runtime_dir).connect("fwctl0").unwrap();
            let mut out = vec![0u8; 272];
            for _ in 0..200 {
                ch.rpc(0, &req, &mut out).unwrap();
            }
            timed(BATCH, || {
                ch.rpc(0, &req, &mut out).unwrap();
            })
        };
        // Per client: wall and CPU ns per call, one sample per round.
        let clients = 1 + execs.len() + usize::from(fresh);
        let mut wall = vec![Vec::new(); clients];
        let mut cpu = vec![Vec::new(); clients];
        for round in 0..ROUNDS {
            for k in 0..clients {
                let v = (round + k) % clients;
                let (w, c) = match v {
                    0 => timed(BATCH, &mut socket),
                    _ if v <= execs.len() => exec(execs[v - 1].0, execs[v - 1].1),
                    _ => fresh_round(),
                };
                wall[v].push(w);
                cpu[v].push(c);
            }
        }
        let ratio = |a: &[f64], b: &[f64]| {
            let mut r: Vec<f64> = a.iter().zip(b).map(|(x, y)| x / y).collect();
            median(&mut r)
        };
        let diff = |a: &[f64], b: &[f64]| {
            let mut r: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
            median(&mut r)
        };
        let names: Vec<String> =
            std::iter::once("socket client, DaemonChannel::rpc (IOCTL frame)".to_string())
                .chain(execs.iter().map(|e| e.2.clone()))
                .chain(fresh.then(|| "socket client, a fresh connection per round".to_string()))
                .collect();
        for v in 0..clients {
            let (mw, mc) = (median(&mut wall[v].clone()), median(&mut cpu[v].clone()));
            let note = if v == 0 {
                "baseline".to_string()
            } else {
                let to_fresh = if fresh && v <= execs.len() {
                    format!("; {:.3}x the fresh-connection client", ratio(&wall[v], &wall[clients - 1]))
                } else {
                    String::new()
                };
                format!(
                    "median of per-round ratios {:.3}x, ratio of medians {:.3}x (target <= 1.1x){to_fresh}",
                    ratio(&wall[v], &wall[0]),
                    mw / median(&mut wall[0].clone())
                )
            };
            rows.push(Row { name: format!("audit={audit}: {}", names[v]), value: mw, unit: "ns/op", note });
            let note = if v == 0 {
                "client CPU (user + its system calls), baseline".to_string()
            } else {
                format!("client CPU, median per-round difference {:+.0} ns", diff(&cpu[v], &cpu[0]))
            };
            rows.push(Row { name: format!("audit={audit}:   client CPU"), value: mc, unit: "ns/op", note });
        }
    }
    print_table(
        "fwctl exec: a C program's ioctl(2) through the preload library vs the daemon's socket client",
        &rows,
    );
}
