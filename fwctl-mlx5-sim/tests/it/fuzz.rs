//! Arbitrary bytes through the driver, the firmware and the decoders: always an
//! answer or an errno, never a panic.

use fwctl_core::RpcScope;
use fwctl_core::driver::Driver;
use fwctl_mlx5_sim::{Mlx5Device, SimConfig, prm};
use proptest::prelude::*;

/// Opcodes worth hitting: every implemented one plus a few others.
const OPCODES: [u16; 26] = [
    0x100, 0x101, 0x107, 0x109, 0x10a, 0x203, 0x750, 0x754, 0x770, 0x773, 0x805, 0x80d, 0x819, 0x820, 0x821,
    0x822, 0x824, 0x826, 0xa04, 0xa05, 0xa06, 0xb0c, 0xb22, 0x303, 0x0, 0xffff,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn any_request_gets_an_answer_or_an_errno(
        op in prop::sample::select(OPCODES.to_vec()),
        op_mod in prop::sample::select(vec![0u16, 1, 2, 3, 0x1b, 0xffff]),
        reg in prop::sample::select(vec![0x5003u16, 0x5004, 0x5006, 0x5008, 0x507f, 0x6001, 0x9009, 0x900a, 0x9060, 0x9061, 0x907f, 0x1234]),
        mut body in prop::collection::vec(any::<u8>(), 0..400),
        out_cap in 0usize..700,
        scope in 0u32..4,
    ) {
        let dev = Mlx5Device::new(SimConfig::default()).unwrap();
        let ctx = dev.open().unwrap();
        if body.len() >= 12 {
            body[0..2].copy_from_slice(&op.to_be_bytes());
            body[6..8].copy_from_slice(&op_mod.to_be_bytes());
            body[10..12].copy_from_slice(&reg.to_be_bytes());
        }
        let request = body.clone();
        let _ = dev.describe(&request);
        let _ = prm::decode_request(&request);
        let scope = RpcScope::from_u32(scope).unwrap();
        if let Ok(resp) = ctx.fw_rpc(scope, &mut body, out_cap) {
            let out = match resp {
                fwctl_core::driver::RpcResponse::InPlace(n) => body[..n].to_vec(),
                fwctl_core::driver::RpcResponse::Buffer(v) => v,
            };
            prop_assert_eq!(out.len(), out_cap);
            let _ = prm::decode_exchange(&request, &out);
            prop_assert!(dev.decode_status(&out).is_some());
        }
        ctx.close();
        prop_assert!(dev.firmware().live_uids().is_empty());
    }
}
