//! UCTX lifecycle, uid stamping, firmware-side uid/ownership checks, faults,
//! and concurrency.

#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use crate::common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::*;
use fwctl_core::driver::Driver;
use fwctl_core::{Errno, Handle};
use fwctl_mlx5_sim::prm::build;
use fwctl_mlx5_sim::{DeliveryError, Fault, Firmware, Mlx5Device, SimConfig};

fn info(rig: &Rig, h: &Handle) -> (u32, u32, u32, u32) {
    let mut d = [0u8; 8];
    let r = h.info(&rig.me, &mut d).unwrap();
    let uid = u32::from_ne_bytes(d[0..4].try_into().unwrap());
    let caps = u32::from_ne_bytes(d[4..8].try_into().unwrap());
    (r.device_type, r.device_data_len, uid, caps)
}

#[test]
fn each_handle_gets_its_own_uid_with_tools_caps() {
    let rig = Rig::default();
    let a = rig.open();
    let b = rig.open();
    let (ta, la, ua, ca) = info(&rig, &a);
    let (_, _, ub, cb) = info(&rig, &b);
    assert_eq!((ta, la, ca, cb), (1, 8, 0x4, 0x4));
    assert_ne!(ua, ub);
    let live: Vec<u16> = rig.dev.firmware().live_uids().iter().map(|(u, _)| *u).collect();
    assert_eq!(live, vec![ua as u16, ub as u16]);
    assert!(rig.dev.firmware().live_uids().iter().all(|(_, c)| *c == 0x4));
}

#[test]
fn without_tools_resources_the_uid_has_no_caps() {
    let rig = Rig::new(SimConfig { uctx_cap: 0x3, ..SimConfig::default() });
    let h = rig.open();
    assert_eq!(info(&rig, &h).3, 0);
    // Global state is out of reach: a PAOS write is refused by the firmware.
    let w =
        build::access_reg_by_name("PAOS", true, &[("local_port", "1"), ("ase", "1"), ("admin_status", "2")])
            .unwrap();
    let out = rig.rpc(&h, CONF, &w, 32).unwrap();
    assert_eq!(status(&out), (0x03, fwctl_mlx5_sim::firmware::syndrome::MISSING_CAP));
}

#[test]
fn close_and_unplug_destroy_the_uid_and_live_uids_are_never_reused() {
    let rig = Rig::default();
    let fw = rig.dev.firmware().clone();
    let hs: Vec<Handle> = (0..3).map(|_| rig.open()).collect();
    let uids: Vec<u32> = hs.iter().map(|h| info(&rig, h).2).collect();
    let mut hs = hs.into_iter();
    let first = hs.next().unwrap();
    drop(first);
    assert_eq!(fw.live_uids().len(), 2);
    assert!(!fw.live_uids().iter().any(|(u, _)| u32::from(*u) == uids[0]));
    let again = rig.open();
    let new_uid = info(&rig, &again).2;
    let live: BTreeSet<u32> = uids[1..].iter().copied().collect();
    assert!(!live.contains(&new_uid), "a live uid was handed out twice");
    // Hot-unplug closes every remaining context (DESTROY_UCTX each).
    let rest: Vec<Handle> = hs.collect();
    rig.fwctl.unregister(rig.minor).unwrap();
    assert!(fw.live_uids().is_empty());
    let mut out = [0u8; 16];
    assert_eq!(again.rpc(&rig.me, 1, &build::nop(), &mut out), Err(Errno::ENODEV));
    drop(rest);
}

#[test]
fn the_request_cannot_choose_its_uid() {
    let rig = Rig::default();
    let a = rig.open();
    let b = rig.open();
    let ub = info(&rig, &b).2 as u16;
    // A forges B's uid in the header and asks for B's context: still invisible.
    let mut q = build::query_uctx(ub);
    q[2..4].copy_from_slice(&ub.to_be_bytes());
    let out = rig.rpc(&a, DRO, &q, 64).unwrap();
    assert_eq!(status(&out), (0x05, fwctl_mlx5_sim::firmware::syndrome::NO_SUCH_OBJECT));
    // Forging uid 0 (the kernel) does not help either.
    q[2..4].copy_from_slice(&[0, 0]);
    assert_eq!(rig.rpc(&a, DRO, &q, 64).unwrap()[0], 0x05);
    // B sees its own.
    assert_eq!(rig.rpc(&b, DRO, &build::query_uctx(ub), 64).unwrap()[0], 0x00);
}

#[test]
fn objects_of_another_uid_are_invisible() {
    let rig = Rig::default();
    let a = rig.open();
    let b = rig.open();
    let ub = info(&rig, &b).2 as u16;
    let set = rig.dev.firmware().alloc_q_counter(ub).unwrap();
    assert_eq!(rig.rpc(&b, DRO, &build::query_q_counter(set, false), 256).unwrap()[0], 0x00);
    assert_eq!(rig.rpc(&a, DRO, &build::query_q_counter(set, false), 256).unwrap()[0], 0x05);
    // A set that does not exist answers exactly the same.
    let none = rig.rpc(&a, DRO, &build::query_q_counter(200, false), 256).unwrap();
    let other = rig.rpc(&a, DRO, &build::query_q_counter(set, false), 256).unwrap();
    assert_eq!(status(&none), status(&other));
    // Destroying B's uid frees what it owned.
    drop(b);
    assert_eq!(rig.rpc(&a, DRO, &build::query_q_counter(set, false), 256).unwrap()[0], 0x05);
}

#[test]
fn firmware_rejects_unknown_uids_unknown_opcodes_missing_features_and_short_buffers() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    let mut out = vec![0u8; 272];
    let mut q = build::query_adapter();
    q[2..4].copy_from_slice(&0x7777u16.to_be_bytes());
    fw.execute(&q, &mut out).unwrap();
    assert_eq!(status(&out), (0x05, fwctl_mlx5_sim::firmware::syndrome::NO_SUCH_UID));
    // CREATE_UCTX is the kernel's: a user uid may not create contexts.
    let mut k = vec![0u8; 16];
    fw.execute(&build::create_uctx(0x4), &mut k).unwrap();
    let uid = u16::from_be_bytes([k[10], k[11]]);
    let mut c = build::create_uctx(0x4);
    c[2..4].copy_from_slice(&uid.to_be_bytes());
    fw.execute(&c, &mut k).unwrap();
    assert_eq!(k[0], 0x03);
    // Caps the device does not offer.
    fw.execute(&build::create_uctx(0x20), &mut k).unwrap();
    assert_eq!(k[0], 0x03);
    // Through the driver: allowed, but a feature this device lacks (FPGA_QUERY_QP
    // on a ConnectX-7) is BAD_OP in band; an opcode firmware does not know at all too.
    let rig = Rig::default();
    let h = rig.open();
    let out = rig.rpc(&h, DRO, &req(0x0962, 0, 16), 112).unwrap();
    assert_eq!(status(&out), (0x02, fwctl_mlx5_sim::firmware::syndrome::FEATURE_NOT_SUPPORTED));
    let mut raw = vec![0u8; 16];
    fw.execute(&req(0x0999, 0, 16), &mut raw).unwrap();
    assert_eq!(status(&raw), (0x02, fwctl_mlx5_sim::firmware::syndrome::BAD_OPCODE));
    assert_eq!(rig.rpc(&h, DRO, &req(0x0770, 0, 16), 528).unwrap()[0], 0x50, "32-byte command sent as 16");
    assert_eq!(rig.rpc(&h, CONF, &req(0x0101, 0, 16), 16).unwrap()[0], 0x51, "272-byte answer into 16");
    // Out buffer not larger than the request: answered in place, still correct.
    let inplace = rig.rpc(&h, DRO, &req(0x080d, 0, 64), 16).unwrap();
    assert_eq!(inplace, vec![0u8; 16]);
}

#[test]
fn uctx_limit_fails_open_with_eagain() {
    let rig = Rig::new(SimConfig { max_uctx: 2, ..SimConfig::default() });
    let _a = rig.open();
    let _b = rig.open();
    // NO_RES_ERR from CREATE_UCTX maps to EAGAIN (cmd_status_to_err).
    assert_eq!(rig.fwctl.open(rig.minor, &rig.me).err(), Some(Errno::EAGAIN));
}

#[test]
fn timeout_is_etimedout_until_recovery() {
    let rig = Rig::default();
    let h = rig.open();
    rig.dev.faults().inject(Fault::Timeout);
    assert_eq!(rig.rpc(&h, DRO, &build::nop(), 16), Err(Errno::ETIMEDOUT));
    assert_eq!(rig.rpc(&h, CONF, &build::query_adapter(), 272), Err(Errno::ETIMEDOUT));
    rig.dev.faults().recover();
    assert_eq!(rig.rpc(&h, DRO, &build::nop(), 16).unwrap()[0], 0);
}

#[test]
fn not_ready_is_in_band_and_fails_open_with_eagain() {
    let rig = Rig::default();
    let h = rig.open();
    rig.dev.faults().inject(Fault::NotReady);
    let out = rig.rpc(&h, CONF, &build::query_adapter(), 272).unwrap();
    assert_eq!(out[0], 0x07);
    assert_eq!(rig.fwctl.open(rig.minor, &rig.me).err(), Some(Errno::EAGAIN));
    rig.dev.faults().recover();
    assert_eq!(rig.rpc(&h, CONF, &build::query_adapter(), 272).unwrap()[0], 0);
}

#[test]
fn internal_error_is_enxio_with_driver_status_and_handles_still_close() {
    let rig = Rig::default();
    let h = rig.open();
    let fw = rig.dev.firmware().clone();
    rig.dev.faults().inject(Fault::InternalError);
    assert_eq!(rig.rpc(&h, CONF, &build::query_adapter(), 272), Err(Errno::ENXIO));
    assert_eq!(rig.fwctl.open(rig.minor, &rig.me).err(), Some(Errno::ENXIO));
    // What the driver synthesised: 0xfe / 0xbadd00de, decoded by name.
    let mut out = [0u8; 16];
    assert_eq!(fw.execute(&build::nop(), &mut out).unwrap_err().errno(), Errno::ENXIO);
    let st = rig.dev.decode_status(&out).unwrap();
    assert_eq!(
        (st.code, st.name.as_ref(), st.syndrome, st.ok),
        (0xfe, "DRIVER_STATUS_ABORTED", Some(0xbadd00de), false)
    );
    // Teardown still works: closing releases the uid.
    drop(h);
    assert!(fw.live_uids().is_empty());
    rig.dev.faults().recover();
    let h = rig.open();
    assert_eq!(rig.rpc(&h, CONF, &build::query_adapter(), 272).unwrap()[0], 0);
}

#[test]
fn delivery_errors_map_to_the_kernel_errnos() {
    let rig = Rig::default();
    let h = rig.open();
    for (d, e) in [
        (DeliveryError::Signature, Errno::EBADR),
        (DeliveryError::Token, Errno::EBADR),
        (DeliveryError::BadBlockNumber, Errno::EFAULT),
        (DeliveryError::OutputPointer, Errno::EFAULT),
        (DeliveryError::InputPointer, Errno::EFAULT),
        (DeliveryError::FwInternal, Errno::EIO),
        (DeliveryError::InputLength, Errno::ENOMSG),
        (DeliveryError::OutputLength, Errno::ENOMSG),
        (DeliveryError::ReservedNotCleared, Errno::ENOMSG),
        (DeliveryError::BadCommandType, Errno::ENOMSG),
    ] {
        rig.dev.faults().inject_once(Fault::Delivery(d));
        assert_eq!(rig.rpc(&h, DRO, &build::nop(), 16), Err(e), "{d:?}");
        // One-shot: the next command is fine.
        assert_eq!(rig.rpc(&h, DRO, &build::nop(), 16).unwrap()[0], 0);
    }
}

#[test]
fn dry_run_and_describe_never_reach_the_firmware() {
    let rig = Rig::default();
    let h = rig.open();
    let before = rig.dev.commands_seen();
    let d = h.dry_run(&rig.me, 0, &build::query_adapter()).unwrap();
    assert_eq!(d.description.unwrap().name.as_deref(), Some("QUERY_ADAPTER"));
    h.describe(&build::nop()).unwrap();
    assert_eq!(rig.dev.commands_seen(), before);
    rig.rpc(&h, DRO, &build::nop(), 16).unwrap();
    assert_eq!(rig.dev.commands_seen(), before + 1);
}

#[test]
fn several_devices_have_distinct_identities() {
    let devs = Mlx5Device::fleet(4, 7).unwrap();
    let ids: BTreeSet<_> = devs.iter().map(|d| (d.identity().parent, d.identity().serial)).collect();
    assert_eq!(ids.len(), 4);
    let macs: BTreeSet<u64> = devs.iter().map(|d| d.firmware().config().vport_mac(0)).collect();
    assert_eq!(macs.len(), 4);
    assert_eq!(SimConfig::fleet(4, 7), SimConfig::fleet(4, 7), "deterministic");
    assert_eq!(devs[0].identity().fw_version.as_deref(), Some("28.39.1002"));
    assert!(Mlx5Device::new(SimConfig { psid: "X".repeat(17), ..SimConfig::default() }).is_err());
    assert!(Mlx5Device::new(SimConfig { num_ports: 0, ..SimConfig::default() }).is_err());
}

#[test]
fn many_handles_at_once_keep_state_consistent() {
    let rig = Arc::new(Rig::default());
    let before = rig.dev.commands_seen();
    const THREADS: usize = 8;
    const ROUNDS: usize = 100;
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let rig = rig.clone();
            std::thread::spawn(move || {
                let h = rig.open();
                let uid = info(&rig, &h).2 as u16;
                let text = format!("writer-{t}");
                for _ in 0..ROUNDS {
                    let q = rig.rpc(&h, DRO, &build::query_uctx(uid), 64).unwrap();
                    assert_eq!((q[0], be32(&q, 16)), (0, 4), "each handle sees its own uctx");
                    let w =
                        build::access_reg_by_name("NODE_DESC", true, &[("node_description", &text)]).unwrap();
                    assert_eq!(rig.rpc(&h, CONF, &w, 80).unwrap()[0], 0);
                    let a = rig.rpc(&h, CONF, &build::query_adapter(), 272).unwrap();
                    assert_eq!(&a[256..269], b"MT_0000000838");
                }
                uid
            })
        })
        .collect();
    let uids: BTreeSet<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(uids.len(), THREADS);
    assert!(rig.dev.firmware().live_uids().is_empty(), "every handle closed its uid");
    // open + 3 per round + close, per thread: nothing lost, nothing doubled.
    assert_eq!(rig.dev.commands_seen() - before, (THREADS * (2 + 3 * ROUNDS)) as u64);
    let h = rig.open();
    let nd = rig.rpc(&h, DRO, &build::access_reg_by_name("NODE_DESC", false, &[]).unwrap(), 80).unwrap();
    let s = String::from_utf8_lossy(&nd[16..]).trim_end_matches('\0').to_string();
    assert!((0..THREADS).any(|t| s == format!("writer-{t}")), "{s}");
}
