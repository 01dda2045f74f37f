//! Issue 11, taint exactly as the kernel sets it, with a policy installed, and
//! the clear-taint race (review finding L2).
//!
//! `drivers/fwctl/main.c` `fwctl_cmd_rpc` sets the taint (`test_and_set_bit`,
//! `add_taint(TAINT_FWCTL)`) for DEBUG_WRITE and DEBUG_WRITE_FULL right after
//! the scope switch, *before* `copy_from_user` and `fw_rpc`: a request the
//! driver then refuses has tainted anyway. A policy is not in the kernel; it
//! judges only requests the driver accepts, and its refusal does not taint (the
//! one deliberate difference, `Documentation/user-api.md`).

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fwctl_core::hooks::Hooks;
use fwctl_core::taint_store::TaintRecordStore;
use fwctl_core::{Credentials, Errno, RpcScope, Subsystem};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig, allow_list, prm};
use fwctl_tests::daemon::TempDir;
use fwctl_tests::echo::EchoDriver;

/// uid 1000 may use QUERY_ADAPTER up to debug-write; nobody else anything.
const POLICY: &str = r#"
version = 1
audit = "none"

[[rule]]
name = "writer"
users = [1000]
max_scope = "debug-write"
opcodes = ["QUERY_ADAPTER"]
"#;

fn caller(uid: u32) -> Credentials {
    Credentials { uid, gid: uid, pid: 4242, comm: "taint-test".into(), ..Default::default() }
}

/// A fresh mlx5 device (and so a fresh taint flag) under [`POLICY`], opened by uid 1000.
fn mlx5_with_policy() -> (Subsystem, fwctl_core::Handle) {
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    let minor =
        fw.register(Mlx5Device::new(SimConfig::with_seed(5)).expect("sim").into_driver()).expect("register");
    let loaded = fwctl_core::policy::load_str(POLICY, "taint.toml").expect("policy");
    fw.set_hooks(Hooks { policy: Some(loaded.policy.clone()), audit: None });
    let h = fw.open(minor, &caller(1000)).expect("open");
    (fw, h)
}

/// A 16-byte mailbox with `opcode` (big-endian, bits 31:16 of dword 0).
fn mailbox(opcode: u16) -> Vec<u8> {
    let mut m = prm::build::query_adapter();
    m[0..2].copy_from_slice(&opcode.to_be_bytes());
    m
}

fn rpc(h: &fwctl_core::Handle, uid: u32, scope: RpcScope, req: &[u8]) -> Result<(), Errno> {
    let mut out = vec![0u8; 512];
    h.rpc(&caller(uid), scope as u32, req, &mut out).map(|_| ())
}

#[test]
fn with_a_policy_a_request_the_driver_refuses_gets_the_drivers_errno_not_eperm() {
    let (fw, h) = mlx5_with_policy();
    // mlx5ctl_fw_rpc: a request shorter than the mailbox header is EMSGSIZE,
    // whoever asks; the policy (which refuses uid 2000 everything) never judges it.
    assert_eq!(rpc(&h, 2000, RpcScope::Configuration, &[0u8; 8]), Err(Errno::EMSGSIZE));
    assert_eq!(rpc(&h, 1000, RpcScope::Configuration, &[0u8; 8]), Err(Errno::EMSGSIZE));
    // A well-formed request the policy refuses: the policy's errno.
    assert_eq!(rpc(&h, 2000, RpcScope::Configuration, &prm::build::query_adapter()), Err(Errno::EPERM));
    assert_eq!(rpc(&h, 1000, RpcScope::Configuration, &prm::build::query_adapter()), Ok(()));
    assert!(!fw.taint().is_tainted(), "nothing here was at a tainting scope");
    // The dry run answers the same.
    let dry = h.dry_run(&caller(2000), 0, &[0u8; 8]).expect("dry run");
    assert_eq!(dry.decision.errno, Some(Errno::EMSGSIZE), "{:?}", dry.decision);
}

#[test]
fn a_debug_write_request_the_driver_refuses_still_taints_as_in_the_kernel() {
    // Too short for the driver.
    let (fw, h) = mlx5_with_policy();
    assert_eq!(rpc(&h, 1000, RpcScope::DebugWrite, &[0u8; 8]), Err(Errno::EMSGSIZE));
    assert!(fw.taint().is_tainted(), "the kernel taints before fw_rpc refuses");

    // A command the driver's allow-list refuses at every scope: EBADMSG, tainted.
    let refused = (0x100u16..0x1000).find(|op| allow_list::min_scope(*op, 0).is_none()).expect("an opcode");
    let (fw, h) = mlx5_with_policy();
    assert_eq!(rpc(&h, 1000, RpcScope::DebugWrite, &mailbox(refused)), Err(Errno::EBADMSG));
    assert!(fw.taint().is_tainted(), "EBADMSG from the allow-list comes after the taint in the kernel");
}

#[test]
fn a_policy_refusal_does_not_taint_and_an_allowed_debug_write_does() {
    let (fw, h) = mlx5_with_policy();
    assert_eq!(rpc(&h, 2000, RpcScope::DebugWrite, &prm::build::query_adapter()), Err(Errno::EPERM));
    assert!(!fw.taint().is_tainted(), "a policy refusal never taints (the documented difference)");
    assert_eq!(rpc(&h, 1000, RpcScope::DebugWrite, &prm::build::query_adapter()), Ok(()));
    assert!(fw.taint().is_tainted());
}

/// L2: `clear-taint` removes the record and then clears the flag; a tainting
/// RPC that arrived in between found the flag still set, recorded nothing, and
/// was delivered — afterwards the system was untainted with no record. Now a
/// clearing and a tainting RPC exclude each other: the RPC waits, then finds
/// the flag clear and records again.
#[test]
fn l2_a_tainting_rpc_during_clear_taint_is_recorded_after_the_clearing() {
    let dir = TempDir::new("l2");
    let store = Arc::new(TaintRecordStore::open(&dir.path().join("state")).expect("store"));
    let fw = Subsystem::with_taint(store.taint());
    fw.set_log(Arc::new(|_: &str| {}));
    let minor = fw.register(Arc::new(EchoDriver::new())).expect("register");
    let h = Arc::new(fw.open(minor, &caller(0)).expect("open"));
    assert_eq!(rpc(&h, 0, RpcScope::DebugWrite, b"first"), Ok(()));
    assert!(store.is_tainted(), "the first debug-write left a record");

    // The clearing, slowed down between removing the record and clearing the
    // flag (the window the review widened with an fsync delay).
    let (in_clear, in_clear_rx) = mpsc::channel();
    let clearing = {
        let (fw, store) = (fw.clone(), store.clone());
        std::thread::spawn(move || {
            fw.taint()
                .clear_with(|| {
                    let _ = in_clear.send(());
                    let r = store.clear("l2 test", &caller(0), None, None).map(|_| ());
                    std::thread::sleep(Duration::from_millis(300));
                    r
                })
                .expect("clear");
            Instant::now()
        })
    };
    in_clear_rx.recv_timeout(Duration::from_secs(10)).expect("the clearing started");
    let rpc_thread = {
        let h = h.clone();
        std::thread::spawn(move || {
            let r = rpc(&h, 0, RpcScope::DebugWrite, b"during");
            (r, Instant::now())
        })
    };
    let cleared_at = clearing.join().expect("clearing thread");
    let (r, delivered_at) = rpc_thread.join().expect("rpc thread");
    assert_eq!(r, Ok(()), "the RPC is served (after the clearing)");
    assert!(delivered_at >= cleared_at, "the tainting RPC did not wait for the clearing");
    assert!(fw.taint().is_tainted(), "a debug-write was delivered: the system is tainted");
    let rec = store.load().expect("record").expect("a record was written again after the clearing");
    assert_eq!(rec.scope, RpcScope::DebugWrite);
}
