//! QUERY_ADAPTER (16 B in / 272 B out) through core + mlx5 driver + simulated
//! firmware, against the echo driver with the same buffer sizes, in the same run.
//! Target: mlx5 median <= 2x the echo median.

use fwctl_core::{Credentials, RpcScope, Subsystem};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig, prm};
use fwctl_tests::bench::{Row, keep, median_ns_per_op, print_table};
use fwctl_tests::echo::EchoDriver;

const SAMPLES: usize = 31;
const BATCH: usize = 2000;

fn main() {
    let me = Credentials::default();
    let fwctl = Subsystem::new();

    let echo = fwctl.register(std::sync::Arc::new(EchoDriver::new())).expect("register echo");
    let echo_h = fwctl.open(echo, &me).expect("open echo");
    let Ok(dev) = Mlx5Device::new(SimConfig::default()) else { panic!("simulated device") };
    let mlx5 = fwctl.register(dev.into_driver()).expect("register mlx5");
    let mlx5_h = fwctl.open(mlx5, &me).expect("open mlx5");

    let request = prm::build::query_adapter();
    let mut out = vec![0u8; 272];
    let scope = RpcScope::Configuration as u32;

    let echo_ns = median_ns_per_op(SAMPLES, BATCH, || {
        keep(echo_h.rpc(&me, scope, &request, &mut out).map(|r| r.out_len).unwrap_or(0));
    });
    let mlx5_ns = median_ns_per_op(SAMPLES, BATCH, || {
        keep(mlx5_h.rpc(&me, scope, &request, &mut out).map(|r| r.out_len).unwrap_or(0));
    });
    assert_eq!(&out[256..269], b"MT_0000000838", "the benchmark measured real QUERY_ADAPTER answers");

    let ratio = mlx5_ns / echo_ns;
    print_table(
        "mlx5: QUERY_ADAPTER 16 B in / 272 B out (median of 31 batches of 2000)",
        &[
            Row {
                name: "echo driver RPC (baseline)".into(),
                value: echo_ns,
                unit: "ns/op",
                note: String::new(),
            },
            Row {
                name: "mlx5 QUERY_ADAPTER via core+driver+firmware".into(),
                value: mlx5_ns,
                unit: "ns/op",
                note: format!("{ratio:.2}x baseline (target <= 2.0x)"),
            },
        ],
    );
}
