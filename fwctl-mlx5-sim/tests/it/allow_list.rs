//! The driver's allow-list against the reference table (mlx5.md §5), transcribed
//! here independently: every (opcode, scope) pair, and the ACCESS_REG op_mod rule.

use crate::common;

use common::*;
use fwctl_core::driver::Driver;
use fwctl_core::{Errno, RpcScope};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Min {
    Any,
    Dro,
    Dw,
    Reg,
}

/// Reference table §5, in its own order.
#[rustfmt::skip]
const REFERENCE: &[(u16, Min)] = &[
    (0x0100, Min::Any), (0x0101, Min::Any), (0x0107, Min::Dro), (0x0109, Min::Any), (0x010a, Min::Dro),
    (0x010c, Min::Dro), (0x010e, Min::Any), (0x0111, Min::Dro), (0x0117, Min::Dro), (0x0201, Min::Dro),
    (0x0203, Min::Dro), (0x0303, Min::Dro), (0x0402, Min::Dro), (0x050b, Min::Dro), (0x0512, Min::Dro),
    (0x0602, Min::Dro), (0x0702, Min::Dro), (0x0707, Min::Dro), (0x0713, Min::Dro), (0x0716, Min::Dro),
    (0x0719, Min::Dro), (0x0722, Min::Dro), (0x0725, Min::Dro), (0x0727, Min::Dro), (0x0728, Min::Dro),
    (0x0730, Min::Dro), (0x0731, Min::Any), (0x0732, Min::Dro), (0x0740, Min::Any), (0x0750, Min::Dro),
    (0x0752, Min::Dro), (0x0754, Min::Dro), (0x0760, Min::Any), (0x0762, Min::Any), (0x0764, Min::Dro),
    (0x0765, Min::Dro), (0x076f, Min::Dro), (0x0770, Min::Dro), (0x0773, Min::Dro), (0x0781, Min::Dro),
    (0x0784, Min::Dro), (0x0805, Min::Reg), (0x080b, Min::Dro), (0x080d, Min::Dro), (0x0813, Min::Dro),
    (0x0819, Min::Dro), (0x0820, Min::Dw),  (0x0821, Min::Dro), (0x0822, Min::Dro), (0x0823, Min::Any),
    (0x0824, Min::Dro), (0x0826, Min::Dro), (0x082a, Min::Dro), (0x0831, Min::Dro), (0x0842, Min::Dro),
    (0x0903, Min::Dro), (0x0907, Min::Dro), (0x090b, Min::Dro), (0x090f, Min::Dro), (0x0911, Min::Dro),
    (0x0915, Min::Dro), (0x0919, Min::Dro), (0x0932, Min::Dro), (0x0935, Min::Dro), (0x0937, Min::Dro),
    (0x093b, Min::Dro), (0x093f, Min::Dro), (0x0942, Min::Dro), (0x0962, Min::Dro), (0x0964, Min::Dro),
    (0x0971, Min::Dro), (0x0981, Min::Dro), (0x0a02, Min::Dro), (0x0a05, Min::Dro), (0x0a09, Min::Dro),
    (0x0b02, Min::Dro), (0x0b03, Min::Dro), (0x0b05, Min::Dro), (0x0b07, Min::Dro), (0x0b08, Min::Dro),
    (0x0b0a, Min::Dro), (0x0b0c, Min::Reg), (0x0b0d, Min::Dro), (0x0b0f, Min::Dro), (0x0b13, Min::Dro),
    (0x0b14, Min::Dro), (0x0b22, Min::Any), (0x0b28, Min::Dro), (0x0b2a, Min::Dro), (0x0b2e, Min::Any),
    (0x0b2f, Min::Dro), (0x8000, Min::Dro), (0x8001, Min::Dro), (0x8006, Min::Dro),
];

fn reference_allows(opcode: u16, op_mod: u16, scope: RpcScope) -> bool {
    match REFERENCE.iter().find(|(o, _)| *o == opcode).map(|(_, m)| *m) {
        None => false,
        Some(Min::Any) => true,
        Some(Min::Dro) => scope >= RpcScope::DebugReadOnly,
        Some(Min::Dw) => scope >= RpcScope::DebugWrite,
        Some(Min::Reg) if op_mod == 0 => true,
        Some(Min::Reg) => scope >= RpcScope::DebugReadOnly,
    }
}

#[test]
fn reference_totals_are_11_any_80_read_only_1_write_2_op_mod() {
    let count = |m| REFERENCE.iter().filter(|(_, x)| *x == m).count();
    assert_eq!(
        (REFERENCE.len(), count(Min::Any), count(Min::Dro), count(Min::Dw), count(Min::Reg)),
        (94, 11, 80, 1, 2)
    );
    assert_eq!(fwctl_mlx5_sim::allow_list::ALLOW_LIST.len(), 94);
}

#[test]
fn every_opcode_at_every_scope_matches_the_reference() {
    let dev = Mlx5Device::new(SimConfig::default()).unwrap();
    let ctx = dev.open().unwrap();
    let mut mismatches = Vec::new();
    for opcode in 0..=u16::MAX {
        for scope in RpcScope::ALL {
            let mut r = req(opcode, 0, 16);
            let got = match ctx.fw_rpc(scope, &mut r, 16) {
                Err(Errno::EBADMSG) => false,
                Ok(_) | Err(_) => true,
            };
            if got != reference_allows(opcode, 0, scope) {
                mismatches.push((opcode, scope));
            }
            // describe() agrees with the decision without touching the device.
            let d = dev.describe(&req(opcode, 0, 16)).unwrap();
            assert_eq!(d.allowed_at(scope), got, "describe {opcode:#x} {scope}");
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:x?}");
    ctx.close();
}

#[test]
fn register_access_write_is_allowed_everywhere_and_read_needs_debug_read_only() {
    let rig = Rig::default();
    let h = rig.open();
    for opcode in [0x0805u16, 0x0b0c] {
        for op_mod in [0u16, 1, 2, 0x8000, 0xffff] {
            for scope in RpcScope::ALL {
                let r = rig.rpc(&h, scope, &req(opcode, op_mod, 16), 16);
                let allowed = !matches!(r, Err(Errno::EBADMSG));
                assert_eq!(
                    allowed,
                    reference_allows(opcode, op_mod, scope),
                    "{opcode:#x} op_mod {op_mod} {scope}"
                );
            }
        }
        // Named: a write at CONFIGURATION passes, a read at CONFIGURATION is EBADMSG.
        assert!(rig.rpc(&h, CONF, &req(opcode, 0, 16), 16).is_ok());
        assert_eq!(rig.rpc(&h, CONF, &req(opcode, 1, 16), 16), Err(Errno::EBADMSG));
    }
}

#[test]
fn refused_commands_never_reach_the_firmware() {
    let rig = Rig::default();
    let h = rig.open();
    let before = rig.dev.commands_seen();
    assert_eq!(rig.rpc(&h, RpcScope::DebugWriteFull, &req(0x0a04, 0, 64), 16), Err(Errno::EPERM));
    let mut root = rig.me.clone();
    root.cap_sys_rawio = true;
    let mut out = [0u8; 16];
    for op in [0x0a04u16, 0x0a06, 0x0200, 0x0800, 0x0a08, 0x0751] {
        assert_eq!(
            h.rpc(&root, RpcScope::DebugWriteFull as u32, &req(op, 0, 64), &mut out),
            Err(Errno::EBADMSG)
        );
    }
    assert_eq!(rig.rpc(&h, DRO, &req(0x0820, 0, 32), 16), Err(Errno::EBADMSG));
    assert_eq!(rig.dev.commands_seen(), before);
}

#[test]
fn buffers_shorter_than_the_mailbox_header_are_emsgsize() {
    let rig = Rig::default();
    let h = rig.open();
    assert_eq!(rig.rpc(&h, CONF, &req(0x0101, 0, 16)[..15], 272), Err(Errno::EMSGSIZE));
    assert_eq!(rig.rpc(&h, CONF, &req(0x0101, 0, 16), 15), Err(Errno::EMSGSIZE));
    // Not even an unknown opcode gets EBADMSG first: the length check comes first.
    assert_eq!(rig.rpc(&h, CONF, &req(0xffff, 0, 8), 16), Err(Errno::EMSGSIZE));
}

#[test]
fn describe_names_scopes_effects_and_registers() {
    let dev = Mlx5Device::new(SimConfig::default()).unwrap();
    let d = dev.describe(&req(0x0101, 0, 16)).unwrap();
    assert_eq!(d.name.as_deref(), Some("QUERY_ADAPTER"));
    assert_eq!(d.min_scope, Some(RpcScope::Configuration));
    assert_eq!(d.expected_out_len, Some(272));
    let d = dev.describe(&req(0x0a04, 0, 64)).unwrap();
    assert_eq!((d.name.as_deref(), d.min_scope), (Some("CREATE_UCTX"), None));
    let d = dev.describe(&req(0x0820, 0, 32)).unwrap();
    assert_eq!(d.min_scope, Some(RpcScope::DebugWrite));
    assert!(d.effects.contains(fwctl_core::driver::Effects::WRITE_DEBUG));
    let mut r = req(0x0805, 1, 32);
    r[10..12].copy_from_slice(&0x5006u16.to_be_bytes());
    let d = dev.describe(&r).unwrap();
    let reg = d.register.unwrap();
    assert_eq!((reg.id, reg.name.as_deref(), reg.write), (0x5006, Some("PAOS"), false));
    assert_eq!(d.min_scope, Some(RpcScope::DebugReadOnly));
    assert_eq!(d.expected_out_len, Some(32));
    assert_eq!(dev.describe(&[0u8; 15]), Err(Errno::EMSGSIZE));
}
