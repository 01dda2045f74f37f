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
//! Needs `cc` (prints SKIP otherwise).
#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap aborts the run

use fwctl_core::transport::{Channel, Daemon};
use fwctl_mlx5_sim::prm;
use fwctl_tests::bench::{Row, median, median_ns_per_op, print_table};
use fwctl_tests::daemon::{Fwctld, TempDir};
use fwctl_tests::real_clients::{compile_c, preload_library};

const SIM: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n[device.params]\nseed = 5\n";
const ROUNDS: usize = 11;
const BATCH: usize = 3000;

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
        let exec = || -> f64 {
            let o = d
                .fwctl()
                .args(["exec", "--"])
                .arg(&prog)
                .args(["/dev/fwctl/fwctl0", &BATCH.to_string()])
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(o.status.success(), "{text}{}", String::from_utf8_lossy(&o.stderr));
            text.trim().strip_prefix("ns_per_op ").and_then(|v| v.parse().ok()).unwrap()
        };
        median_ns_per_op(3, 500, &mut socket); // warm-up
        let (mut s, mut e, mut r) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let (a, b) = if round % 2 == 0 {
                let a = median_ns_per_op(1, BATCH, &mut socket);
                (a, exec())
            } else {
                let b = exec();
                (median_ns_per_op(1, BATCH, &mut socket), b)
            };
            s.push(a);
            e.push(b);
            r.push(b / a);
        }
        let ratio = median(&mut r);
        let (ms, me) = (median(&mut s), median(&mut e));
        rows.push(Row {
            name: format!("audit={audit}: socket client, DaemonChannel::rpc (IOCTL frame)"),
            value: ms,
            unit: "ns/op",
            note: "baseline".into(),
        });
        rows.push(Row {
            name: format!("audit={audit}: fwctl exec, ioctl(2) in a C program"),
            value: me,
            unit: "ns/op",
            note: format!(
                "median of per-round ratios {ratio:.3}x, ratio of medians {:.3}x (target <= 1.1x)",
                me / ms
            ),
        });
    }
    print_table(
        "fwctl exec: a C program's ioctl(2) through the preload library vs the daemon's socket client",
        &rows,
    );
}
