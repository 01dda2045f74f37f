//! Fuzz the simulated mlx5 firmware's mailbox parser through the driver: any
//! bytes, any opcode/op_mod/register id (taken from the input), any output
//! capacity and scope. Every request ends in an answer of exactly the requested
//! length with a decodable status, or an errno — never a panic — and closing the
//! context leaves no firmware uid behind.

#![no_main]

use fwctl_core::RpcScope;
use fwctl_core::driver::{Driver, RpcResponse};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig, prm};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&[scope, cap_hi, cap_lo], body)) = data.split_first_chunk::<3>() else { return };
    let Some(scope) = RpcScope::from_u32(u32::from(scope % 4)) else { return };
    let out_cap = usize::from(u16::from_be_bytes([cap_hi, cap_lo])) % 8192;
    let Ok(dev) = Mlx5Device::new(SimConfig::default()) else { return };
    let Ok(ctx) = dev.open() else { return };
    let request = body.to_vec();
    let _ = dev.describe(&request);
    let _ = prm::decode_request(&request);
    let mut buf = request.clone();
    if let Ok(resp) = ctx.fw_rpc(scope, &mut buf, out_cap) {
        let out = match resp {
            RpcResponse::InPlace(n) => buf[..n].to_vec(),
            RpcResponse::Buffer(v) => v,
        };
        assert_eq!(out.len(), out_cap, "the firmware answers exactly the requested length");
        let _ = prm::decode_exchange(&request, &out);
        assert!(dev.decode_status(&out).is_some(), "every answer carries a status");
    }
    ctx.close();
    assert!(dev.firmware().live_uids().is_empty(), "closing the context destroys its uid");
});
