//! QUERY_HCA_CAP (16 B in / 4112 B out) through the fwctl core, the mlx5 driver
//! and the simulated firmware, against an echo driver with the same buffer
//! sizes, in the same run (target: ≤ 2× the echo RPC); and RESOURCE_DUMP
//! throughput over a full segment (every chunk until `more_dump` clears).
//!
//! `cargo run --release -p fwctl-mlx5-sim --example hca_cap_bench`

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use fwctl_core::driver::{DeviceIdentity, Driver, DriverContext, Effects, RpcDescription, RpcResponse};
use fwctl_core::uapi::DeviceType;
use fwctl_core::{Credentials, Errno, RpcScope, Subsystem};
use fwctl_mlx5_sim::prm::{build, caps, registers};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig};

const SAMPLES: usize = 31;
const BATCH: usize = 500;

/// The baseline: answers every request with its own bytes, zero-padded.
#[derive(Debug)]
struct Echo;

#[derive(Debug)]
struct EchoCtx;

impl Driver for Echo {
    fn device_type(&self) -> DeviceType {
        DeviceType::Mlx5
    }
    fn identity(&self) -> DeviceIdentity {
        DeviceIdentity { driver: "echo".into(), ..Default::default() }
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(EchoCtx))
    }
    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        Ok(RpcDescription {
            opcode: 0,
            op_mod: 0,
            name: Some("ECHO".into()),
            min_scope: Some(RpcScope::Configuration),
            effects: Effects::READ,
            expected_out_len: Some(request.len()),
            register: None,
        })
    }
}

impl DriverContext for EchoCtx {
    fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
        None
    }
    fn fw_rpc(&self, _: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno> {
        let mut v = request.to_vec();
        v.resize(out_capacity.max(request.len()), 0);
        Ok(RpcResponse::Buffer(v))
    }
    fn close(self: Box<Self>) {}
}

fn median_ns_per_op(mut f: impl FnMut()) -> f64 {
    for _ in 0..BATCH {
        f();
    }
    let mut v: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..BATCH {
                f();
            }
            t.elapsed().as_nanos() as f64 / BATCH as f64
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let me = Credentials::default();
    let fwctl = Subsystem::new();
    let echo = fwctl.open(fwctl.register(Arc::new(Echo))?, &me)?;
    let mlx5 = fwctl.open(fwctl.register(Mlx5Device::new(SimConfig::default())?.into_driver())?, &me)?;

    let request = build::query_hca_cap(caps::GENERAL, caps::CapMode::Cur);
    let mut out = vec![0u8; 4112];
    let conf = RpcScope::Configuration as u32;
    let echo_ns = median_ns_per_op(|| {
        black_box(echo.rpc(&me, conf, &request, &mut out).map(|r| r.out_len).unwrap_or(0));
    });
    let cap_ns = median_ns_per_op(|| {
        black_box(mlx5.rpc(&me, conf, &request, &mut out).map(|r| r.out_len).unwrap_or(0));
    });
    if out[0] != 0 {
        return Err("QUERY_HCA_CAP did not succeed".into());
    }

    // RESOURCE_DUMP: chunks until more_dump clears, at debug-read-only.
    let dro = RpcScope::DebugReadOnly as u32;
    let reg = registers::by_id(registers::id::RESOURCE_DUMP).ok_or("RESOURCE_DUMP")?;
    let mut dump_bytes = 0usize;
    let t = Instant::now();
    let rounds = 2000;
    for _ in 0..rounds {
        let mut seq = 0u8;
        loop {
            let seq_text = seq.to_string();
            let q = build::access_reg(reg, false, &[("segment_type", "0x1000"), ("seq_num", &seq_text)])?;
            let mut o = vec![0u8; q.len()];
            mlx5.rpc(&me, dro, &q, &mut o)?;
            if o[0] != 0 {
                return Err("RESOURCE_DUMP failed".into());
            }
            dump_bytes += 208;
            if o[16] & 0x80 == 0 {
                break;
            }
            seq += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();

    println!("\n## mlx5-sim: QUERY_HCA_CAP 16 B in / 4112 B out (median of {SAMPLES} batches of {BATCH})");
    println!("echo driver RPC (baseline)         {echo_ns:>9.0} ns/op");
    println!(
        "mlx5 QUERY_HCA_CAP (GENERAL, cur)  {cap_ns:>9.0} ns/op  {:.2}x baseline (target <= 2.0x)",
        cap_ns / echo_ns
    );
    println!(
        "RESOURCE_DUMP segment 0x1000       {:>9.1} MB/s of inline dump data ({} segments)",
        dump_bytes as f64 / secs / 1e6,
        rounds
    );
    Ok(())
}
