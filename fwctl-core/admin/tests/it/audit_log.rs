//! The audit log: fields of each line, levels, append-only behaviour, reopen,
//! torn lines and filters.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use crate::common;

use std::io::Write;
use std::sync::Arc;

use common::{TestDriver, req, root, scratch, user};
use fwctl_admin::audit::{self, AuditEvent, AuditFilter, AuditLevel, AuditLog};
use fwctl_admin::policy::{self, StaticResolver};
use fwctl_subsys::Subsystem;
use fwctl_subsys::hooks::Hooks;
use fwctl_uapi::{Errno, RpcScope};

const POLICY: &str = "version = 1\n[[rule]]\nname = \"no-bob\"\naction = \"deny\"\nusers = [2000]\n\
                      [[rule]]\nname = \"everyone\"\nusers = [\"*\"]\nmax_scope = \"debug-write\"\n";

fn setup(level: AuditLevel, name: &str) -> (std::path::PathBuf, Subsystem, Arc<AuditLog>, u32) {
    let dir = scratch(name);
    let log = Arc::new(AuditLog::open(&dir.join("log/audit.log"), level).unwrap());
    let fwctl = Subsystem::new();
    let minor = fwctl.register(Arc::new(TestDriver::new("1.0"))).unwrap();
    let p = policy::load_str_with(POLICY, "policy.toml", &StaticResolver::new()).unwrap().policy;
    fwctl.set_hooks(Hooks { policy: Some(p), audit: Some(log.clone()) });
    (dir, fwctl, log, minor)
}

#[test]
fn sha256_matches_the_fips_test_vector() {
    assert_eq!(audit::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn every_rpc_decision_is_a_json_line_with_its_fields() {
    let (dir, fwctl, log, minor) = setup(AuditLevel::All, "fields");
    let alice = user(1000, 1000, &[], false);
    let h = fwctl.open(minor, &alice).unwrap();
    let request = req(0x01, 3, RpcScope::Configuration, 0);
    let mut out = [0u8; 8];
    h.rpc(&alice, RpcScope::DebugReadOnly as u32, &request, &mut out).unwrap();
    let bob = user(2000, 2000, &[], false);
    assert_eq!(h.rpc(&bob, RpcScope::Configuration as u32, &request, &mut out), Err(Errno::EPERM));
    assert_eq!(fwctl.open(minor, &bob).err(), Some(Errno::EPERM));

    let r = audit::read(log.path(), &AuditFilter::default()).unwrap();
    assert!(!r.torn_tail && r.bad_lines.is_empty());
    assert_eq!(r.records.len(), 3);
    let ok = &r.records[0];
    assert_eq!(ok.event, AuditEvent::Rpc);
    assert_eq!(
        (ok.device.as_deref(), ok.uid, ok.pid, ok.comm.as_str()),
        (Some("fwctl0"), 1000, 4242, "tester")
    );
    assert_eq!(ok.scope.as_deref(), Some("debug-read-only"));
    assert_eq!((ok.opcode, ok.op_mod, ok.command.as_deref()), (Some(1), Some(3), Some("QUERY_HCA_CAP")));
    assert_eq!((ok.in_len, ok.out_capacity, ok.out_len), (Some(4), Some(8), Some(4)));
    assert_eq!(ok.errno, None);
    assert_eq!(ok.rule.as_deref(), Some("everyone"));
    assert_eq!(ok.sha256.as_deref(), Some(audit::sha256_hex(&request).as_str()));
    assert!(ok.time > 1_600_000_000);
    let denied = &r.records[1];
    assert_eq!((denied.errno.as_deref(), denied.rule.as_deref()), (Some("EPERM"), Some("no-bob")));
    assert_eq!(denied.reason.as_deref(), Some("denied by rule 'no-bob' (policy.toml:2)"));
    assert_eq!(denied.out_len, None, "not delivered");
    let open = &r.records[2];
    assert_eq!((open.event, open.errno.as_deref()), (AuditEvent::OpenDenied, Some("EPERM")));
    // The line itself is plain JSON with the documented names.
    let first = std::fs::read_to_string(log.path()).unwrap().lines().next().unwrap().to_string();
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    for key in [
        "time", "event", "device", "uid", "pid", "comm", "scope", "opcode", "op_mod", "command", "in_len",
        "out_len", "rule", "sha256",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {first}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn levels_filter_rpcs_but_never_taint_events() {
    let alice = user(1000, 1000, &[], false);
    let bob = user(2000, 2000, &[], false);
    let request = req(0x01, 0, RpcScope::Configuration, 0);
    let mut out = [0u8; 4];
    for (level, want) in [
        (AuditLevel::Denials, vec![AuditEvent::Taint, AuditEvent::Rpc]),
        (AuditLevel::None, vec![AuditEvent::Taint]),
    ] {
        let (dir, fwctl, log, minor) = setup(level, level.name());
        let h = fwctl.open(minor, &alice).unwrap();
        h.rpc(&alice, RpcScope::DebugWrite as u32, &request, &mut out).unwrap();
        let _ = h.rpc(&bob, RpcScope::DebugWrite as u32, &request, &mut out);
        let got: Vec<AuditEvent> = audit::read(log.path(), &AuditFilter::default())
            .unwrap()
            .records
            .iter()
            .map(|r| r.event)
            .collect();
        assert_eq!(got, want, "level {}", level.name());
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn a_torn_last_line_and_corrupt_lines_are_skipped_and_reported() {
    let (dir, fwctl, log, minor) = setup(AuditLevel::All, "torn");
    let r = root();
    let h = fwctl.open(minor, &r).unwrap();
    let mut out = [0u8; 4];
    h.rpc(&r, 0, &req(1, 0, RpcScope::Configuration, 0), &mut out).unwrap();
    let mut f = std::fs::OpenOptions::new().append(true).open(log.path()).unwrap();
    f.write_all(b"not json at all\n").unwrap();
    drop(f);
    h.rpc(&r, 0, &req(2, 0, RpcScope::Configuration, 0), &mut out).unwrap();
    // A crash mid-write: the last line has no newline.
    let mut f = std::fs::OpenOptions::new().append(true).open(log.path()).unwrap();
    f.write_all(b"{\"time\":17000,\"event\":\"rp").unwrap();
    drop(f);
    let got = audit::read(log.path(), &AuditFilter::default()).unwrap();
    assert!(got.torn_tail);
    assert_eq!(got.bad_lines, vec![2]);
    assert_eq!(got.records.iter().map(|r| r.opcode).collect::<Vec<_>>(), vec![Some(1), Some(2)]);
    // Bytes that are not UTF-8 are one more bad line, never a failure.
    let parsed = audit::parse(b"\xff\xfe\n", &AuditFilter::default());
    assert_eq!((parsed.records.len(), parsed.bad_lines.clone(), parsed.torn_tail), (0, vec![1], false));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn filters_device_denied_uid_and_tail() {
    let (dir, fwctl, log, minor) = setup(AuditLevel::All, "filters");
    let second = fwctl.register(Arc::new(TestDriver::new("1.0"))).unwrap();
    let alice = user(1000, 1000, &[], false);
    let bob = user(2000, 2000, &[], false);
    let mut out = [0u8; 4];
    for m in [minor, second] {
        let h = fwctl.open(m, &alice).unwrap();
        for op in 1..=3u8 {
            h.rpc(&alice, 0, &req(op, 0, RpcScope::Configuration, 0), &mut out).unwrap();
            let _ = h.rpc(&bob, 0, &req(op, 0, RpcScope::Configuration, 0), &mut out);
        }
    }
    let read = |f: AuditFilter| audit::read(log.path(), &f).unwrap().records;
    assert_eq!(read(AuditFilter::default()).len(), 12);
    let dev1 = read(AuditFilter { device: Some("fwctl1".into()), ..Default::default() });
    assert!(dev1.len() == 6 && dev1.iter().all(|r| r.device.as_deref() == Some("fwctl1")));
    let denied = read(AuditFilter { denied_only: true, ..Default::default() });
    assert!(denied.len() == 6 && denied.iter().all(|r| r.uid == 2000));
    assert_eq!(read(AuditFilter { uid: Some(1000), ..Default::default() }).len(), 6);
    let tail = read(AuditFilter {
        device: Some("fwctl0".into()),
        denied_only: true,
        tail: Some(2),
        ..Default::default()
    });
    assert_eq!(tail.iter().map(|r| r.opcode).collect::<Vec<_>>(), vec![Some(2), Some(3)]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_log_is_append_only_and_reopens_after_rotation() {
    let dir = scratch("rotate");
    let path = dir.join("audit.log");
    std::fs::write(&path, "{\"old\":true}\n").unwrap();
    let log = AuditLog::open(&path, AuditLevel::All).unwrap();
    let cleared = |log: &AuditLog, why: &str| log.record_taint_cleared(&root(), why, None).unwrap();
    cleared(&log, "one");
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("{\"old\":true}\n"), "never truncates");
    let rotated = dir.join("audit.log.1");
    std::fs::rename(&path, &rotated).unwrap();
    cleared(&log, "two");
    log.reopen().unwrap();
    cleared(&log, "three");
    let reasons = |p: &std::path::Path| -> Vec<String> {
        audit::read(p, &AuditFilter::default())
            .unwrap()
            .records
            .into_iter()
            .filter_map(|r| r.reason)
            .collect()
    };
    assert_eq!(reasons(&rotated), vec!["one", "two"], "before reopen, lines follow the renamed file");
    assert_eq!(reasons(&path), vec!["three"]);
    assert_eq!(log.write_errors(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn audit_levels_parse() {
    assert_eq!("denials".parse::<AuditLevel>().unwrap(), AuditLevel::Denials);
    let e = "loud".parse::<AuditLevel>().unwrap_err();
    assert_eq!((e.setting, e.value.as_str()), ("audit level", "loud"));
    assert_eq!(e.to_string(), "unknown audit level 'loud' (all, denials, none)");
    assert_eq!(
        "sometimes".parse::<fwctl_admin::audit::AuditSync>().unwrap_err().to_string(),
        "unknown sync 'sometimes' (critical, always)"
    );
}
