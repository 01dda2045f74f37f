//! Issue 11, taint and audit fail closed (review finding L1): with the state
//! filesystem full, a tainting RPC is refused with `ENOSPC` instead of being
//! delivered without its durable record; once space is back, the next one is
//! recorded and delivered, and the record survives a restart. The audit log
//! behaves like auditd's `disk_full_action` (`[audit] on_failure`): records
//! wait in a bounded queue and are written once the disk frees, tainting RPCs
//! are refused meanwhile (or served with `continue`), overflow is counted in a
//! `records-lost` line, and lines stay whole across the failure. Needs root (a
//! 256 KiB tmpfs); SKIP otherwise.

use std::process::Command;

use std::time::Duration;

use fwctl_core::server::ControlRequest;

use fwctl_core::transport::{Daemon, Transport};
use fwctl_tests::daemon::{Fwctld, TempDir, binary, loopback_config};
use fwctl_tests::tmpfs::{Tmpfs, fill};
use serde_json::Value;

fn debug_write(d: &Fwctld) -> Value {
    let out = Command::new(binary("fwctl-probe"))
        .arg(&d.runtime_dir)
        .args(["fwctl0", "rpc", "2", "0102", "2"])
        .output()
        .expect("fwctl-probe");
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

#[test]
fn l1_a_tainting_rpc_is_refused_while_its_record_cannot_be_written_and_recorded_once_it_can() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP: not root: cannot mount the small tmpfs for the full-disk case");
        return;
    }
    let base = TempDir::new("l1");
    let state = base.path().join("state");
    let Some(_fs) = Tmpfs::mount(&state) else {
        eprintln!("SKIP: mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?)");
        return;
    };
    let d = Fwctld::start_in(base, &loopback_config(1, ""), &[]);
    let filler = fill(&d.state_dir);
    let r = debug_write(&d);
    assert_eq!(r["result"], "ENOSPC", "a tainting RPC was delivered without its record: {r}\n{}", d.log());
    let status = d.control(&ControlRequest::Status).expect("status");
    assert_eq!(status["tainted"], false, "nothing was delivered, nothing is tainted");
    assert!(d.log().contains("taint record cannot be written"), "{}", d.log());

    std::fs::remove_file(&filler).expect("free the disk");
    let r = debug_write(&d);
    assert_eq!(r["result"], "ok", "{r}\n{}", d.log());
    assert!(d.state_dir.join("taint.json").exists(), "the record is on disk");
    // Every line of the audit log is whole JSON (no torn line glued to the next).
    let text = std::fs::read_to_string(d.state_dir.join("audit.log")).unwrap_or_default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let parsed: Result<Value, _> = serde_json::from_str(line);
        if parsed.is_err() {
            // A piece cut by ENOSPC is allowed only alone on its line, and never
            // when it would swallow a following record.
            assert!(!line.contains("}{"), "two records glued into one line: {line}");
        }
    }
    let (status, dir) = d.stop();
    assert!(status.success());
    let d = Fwctld::start_in(dir, &loopback_config(1, ""), &[]);
    assert_eq!(
        d.control(&ControlRequest::Status).expect("status")["tainted"],
        true,
        "the taint survived a restart"
    );
}

fn audit_policy(on_failure: &str) -> String {
    format!(
        "version = 1\n[audit]\nlevel = \"all\"\non_failure = \"{on_failure}\"\n\
         [[rule]]\nname = \"everyone\"\nusers = [\"*\"]\nmax_scope = \"debug-write-full\"\n"
    )
}

fn status_u64(d: &Fwctld, key: &str) -> u64 {
    d.control(&ControlRequest::Status).ok().and_then(|s| s["admin"][key].as_u64()).unwrap_or(u64::MAX)
}

/// Every complete line is one record; a piece cut by ENOSPC may only stand
/// alone on its line (never glued to the record after it).
fn assert_lines_whole(d: &Fwctld) {
    let text = std::fs::read_to_string(d.state_dir.join("audit.log")).unwrap_or_default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if serde_json::from_str::<Value>(line).is_err() {
            assert!(line.matches("{\"time\":").count() <= 1, "a torn piece swallowed a record: {line}");
        }
    }
}

/// Audit fails closed like auditd's `disk_full_action`: with the state
/// filesystem full, RPCs at safe scopes are served and their records wait in
/// memory; a tainting RPC is refused (`on_failure = "refuse"`, the default)
/// until every pending record is written, which happens on its own once the
/// disk has room. With `on_failure = "continue"` it is served, and records
/// beyond the bounded queue are counted in a `records-lost` line.
#[test]
fn audit_on_failure_refuses_tainting_rpcs_while_records_wait_and_writes_them_once_the_disk_frees() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP: not root: cannot mount the small tmpfs for the full-disk case");
        return;
    }
    let base = TempDir::new("audit-full");
    let state = base.path().join("state");
    // Room, once freed, for the whole pending queue (4,096 lines of ~400 bytes).
    let Some(_fs) = Tmpfs::mount_sized(&state, "4m") else {
        eprintln!("SKIP: mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?)");
        return;
    };
    std::fs::write(base.path().join("policy.toml"), audit_policy("refuse")).expect("policy");
    let d = Fwctld::start_in(base, &loopback_config(1, ""), &[]);
    // Tainted first: the taint record exists, so only the audit log is at stake.
    assert_eq!(debug_write(&d)["result"], "ok", "{}", d.log());
    let filler = fill(&d.state_dir);

    let daemon = Daemon::new(&d.runtime_dir);
    let mut ch = daemon.open("fwctl0").expect("open");
    let mut out = [0u8; 2];
    for i in 0..40u8 {
        assert!(ch.rpc(0, &[i, 2], &mut out).is_ok(), "a configuration RPC was refused");
    }
    // The lines are written after the replies (by the background writer).
    d.wait_audit_written();
    assert!(status_u64(&d, "audit_pending") > 0, "nothing is pending on a full disk?\n{}", d.log());
    let r = debug_write(&d);
    assert_eq!(r["result"], "ENOSPC", "a tainting RPC was served while audit records were pending: {r}");
    assert!(d.log().contains("cannot write a record"), "{}", d.log());

    std::fs::remove_file(&filler).expect("free the disk");
    assert!(
        fwctl_tests::daemon::wait_until(Duration::from_secs(10), || status_u64(&d, "audit_pending") == 0),
        "pending records were not written after the disk freed\n{}",
        d.log()
    );
    assert_eq!(debug_write(&d)["result"], "ok", "{}", d.log());
    let served: Vec<Value> =
        d.audit().into_iter().filter(|r| r["event"] == "rpc" && r["scope"] == "configuration").collect();
    assert_eq!(served.len(), 40, "every served RPC has its line");
    assert_lines_whole(&d);

    // `continue`: served; records beyond the queue are counted as lost.
    d.write_policy(&audit_policy("continue"));
    assert!(d.sighup(), "{}", d.log());
    let filler = fill(&d.state_dir);
    let n = fwctl_core::audit::MAX_PENDING_RECORDS + 300;
    for i in 0..n {
        assert!(ch.rpc(0, &[(i % 256) as u8, 2], &mut out).is_ok());
    }
    assert_eq!(debug_write(&d)["result"], "ok", "on_failure = continue serves tainting RPCs");
    let lost = status_u64(&d, "audit_lost");
    assert!(lost >= 200 && lost != u64::MAX, "lost {lost}");
    std::fs::remove_file(&filler).expect("free the disk");
    assert!(
        fwctl_tests::daemon::wait_until(Duration::from_secs(10), || {
            d.audit().iter().any(|r| r["event"] == "records-lost")
        }),
        "no records-lost line\n{}",
        d.log()
    );
    let line = d.audit().into_iter().find(|r| r["event"] == "records-lost").expect("line");
    // The status verbs asked meanwhile are audited too, and may have been lost as well.
    let reported = line["lost"].as_u64().unwrap_or(0);
    assert!(reported >= lost, "{line} vs {lost}");
    assert!(d.log().contains(&format!("{reported} audit records lost")), "{}", d.log());
    assert_lines_whole(&d);
}
