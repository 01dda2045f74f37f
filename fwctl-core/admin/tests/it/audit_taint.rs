//! The persistent taint record: survives a new subsystem, first record wins,
//! clearing needs root and a reason and is audited.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use crate::common;

use std::sync::Arc;

use common::{TestDriver, req, root, scratch, user};
use fwctl_admin::audit::{self, AuditEvent, AuditFilter, AuditLevel, AuditLog};
use fwctl_admin::taint_store::{TaintRecordStore, TaintStoreError};
use fwctl_subsys::Subsystem;
use fwctl_subsys::hooks::Hooks;
use fwctl_uapi::RpcScope;

fn subsystem(state: &std::path::Path, log: &Arc<AuditLog>) -> (Subsystem, Arc<TaintRecordStore>, u32) {
    let store = Arc::new(TaintRecordStore::open(state).unwrap());
    let fwctl = Subsystem::with_taint(store.taint());
    let minor = fwctl.register(Arc::new(TestDriver::new("1.0"))).unwrap();
    fwctl.set_hooks(Hooks { policy: None, audit: Some(log.clone()) });
    (fwctl, store, minor)
}

#[test]
fn the_first_tainting_rpc_survives_a_restart_and_is_not_overwritten() {
    let dir = scratch("taint");
    let state = dir.join("state");
    let log = Arc::new(AuditLog::open(&dir.join("audit.log"), AuditLevel::None).unwrap());
    let (fwctl, store, minor) = subsystem(&state, &log);
    assert!(!fwctl.taint().is_tainted());
    let alice = user(1000, 1000, &[], false);
    let h = fwctl.open(minor, &alice).unwrap();
    let mut out = [0u8; 4];
    h.rpc(&alice, RpcScope::DebugWrite as u32, &req(0x01, 0, RpcScope::Configuration, 0), &mut out).unwrap();
    let first = store.load().unwrap().unwrap();
    assert_eq!(
        (first.device.as_str(), first.uid, first.pid, first.comm.as_str()),
        ("fwctl0", 1000, 4242, "tester")
    );
    assert_eq!(
        (first.scope, first.opcode, first.command.as_deref()),
        (RpcScope::DebugWrite, Some(1), Some("QUERY_HCA_CAP"))
    );
    drop(h);
    drop(fwctl);

    // "Restart": a new store and a new subsystem on the same state directory.
    let (fwctl, store, minor) = subsystem(&state, &log);
    assert!(fwctl.taint().is_tainted(), "the flag starts set from the record");
    assert_eq!(fwctl.taint().mask(), 524_288);
    let r = root();
    let h = fwctl.open(minor, &r).unwrap();
    h.rpc(&r, RpcScope::DebugWriteFull as u32, &req(0x02, 0, RpcScope::Configuration, 0), &mut out).unwrap();
    assert_eq!(store.load().unwrap().unwrap(), first, "the first record is kept");
    // Taint events reach the audit log even at level none.
    let events = audit::read(log.path(), &AuditFilter::default()).unwrap().records;
    assert_eq!(events.iter().map(|e| e.event).collect::<Vec<_>>(), vec![AuditEvent::Taint]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn clearing_needs_root_and_a_reason_and_is_audited() {
    let dir = scratch("clear");
    let state = dir.join("state");
    let log = Arc::new(AuditLog::open(&dir.join("audit.log"), AuditLevel::All).unwrap());
    let (fwctl, store, minor) = subsystem(&state, &log);
    let r = root();
    let h = fwctl.open(minor, &r).unwrap();
    let mut out = [0u8; 4];
    h.rpc(&r, RpcScope::DebugWrite as u32, &req(0x05, 0, RpcScope::Configuration, 0), &mut out).unwrap();
    let record = store.load().unwrap().unwrap();

    let alice = user(1000, 1000, &[], true);
    let e = store.clear("done", &alice, Some(&log), Some(fwctl.taint())).unwrap_err();
    assert!(matches!(e, TaintStoreError::NotRoot { uid: 1000 }));
    assert_eq!(e.to_string(), "only root may clear the taint record (you are uid 1000)");
    assert!(matches!(store.clear("  ", &r, Some(&log), Some(fwctl.taint())), Err(TaintStoreError::NoReason)));
    assert!(store.is_tainted() && fwctl.taint().is_tainted(), "refused clears change nothing");

    let cleared = store.clear("firmware reflashed, ticket 42", &r, Some(&log), Some(fwctl.taint())).unwrap();
    assert_eq!(cleared, Some(record.clone()));
    assert!(!store.is_tainted() && !fwctl.taint().is_tainted());
    assert_eq!(store.load().unwrap(), None);
    let entries = audit::read(log.path(), &AuditFilter::default()).unwrap().records;
    let last = entries.last().unwrap();
    assert_eq!(last.event, AuditEvent::TaintCleared);
    assert_eq!((last.uid, last.reason.as_deref()), (0, Some("firmware reflashed, ticket 42")));
    assert_eq!(last.cleared.as_ref(), Some(&record));
    // A new subsystem now starts clean.
    let (fwctl, _, _) = subsystem(&state, &log);
    assert!(!fwctl.taint().is_tainted());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_corrupt_record_still_counts_as_tainted() {
    let dir = scratch("corrupt");
    let store = TaintRecordStore::open(&dir).unwrap();
    std::fs::write(store.path(), b"{\"time\": 1, tru").unwrap();
    assert!(store.is_tainted());
    assert!(matches!(store.load(), Err(TaintStoreError::Corrupt { .. })));
    assert_eq!(store.clear("reset", &root(), None, None).unwrap(), None);
    assert!(!store.is_tainted());
    std::fs::remove_dir_all(dir).unwrap();
}
