//! Issue 11, audit off the critical path: write-behind of the audit lines that
//! need no sync (`fwctl_core::hooks::WriteBehind`).
//!
//! On a thread that opted in (fwctld's connection threads), an RPC's line at a
//! non-tainting scope under `sync = "critical"` is not written before the
//! reply: without a background writer it is staged and written by the thread
//! after the reply, before it reads its next request; with one
//! (`AuditLog::start_writer`, which fwctld runs) it is handed to the writer,
//! which writes the lines of the RPCs answered within a millisecond with one
//! `write(2)`. Everything else keeps its order: a tainting RPC's line and
//! every line under `sync = "always"` are in the file before the call
//! returns, after every line handed off before. A line that cannot be written
//! is queued like any other, and `on_failure = "refuse"` then refuses the next
//! tainting RPC. Through fwctld: every answered RPC's line is written, and
//! before the daemon exits on SIGTERM.

use std::sync::Arc;

use fwctl_core::audit::{AuditEvent, AuditFilter, AuditLevel, AuditLog, AuditSettings, AuditSync};
use fwctl_core::hooks::{AuditSink, Hooks, WriteBehind, flush_staged};
use fwctl_core::transport::{Daemon, Transport};
use fwctl_core::{Credentials, Errno, Handle, RpcScope, Subsystem};
use fwctl_tests::daemon::{Fwctld, TempDir, loopback_config};
use fwctl_tests::echo::EchoDriver;
use fwctl_tests::tmpfs::{Tmpfs, fill};
use serde_json::Value;

fn root() -> Credentials {
    Credentials {
        uid: 0,
        gid: 0,
        pid: 4242,
        comm: "wb-test".into(),
        cap_sys_rawio: true,
        ..Default::default()
    }
}

/// An echo device audited (level `all`) to `<dir>/audit.log`, opened by root.
fn audited(dir: &std::path::Path) -> (Subsystem, Arc<AuditLog>, Handle) {
    let log = Arc::new(AuditLog::open(&dir.join("audit.log"), AuditLevel::All).expect("audit log"));
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    let minor = fw.register(Arc::new(EchoDriver::new())).expect("register");
    let sink: Arc<dyn AuditSink> = log.clone();
    fw.set_hooks(Hooks { policy: None, audit: Some(sink) });
    let h = fw.open(minor, &root()).expect("open");
    (fw, log, h)
}

fn rpc(h: &Handle, scope: RpcScope, req: &[u8]) -> Result<(), Errno> {
    let mut out = [0u8; 64];
    h.rpc(&root(), scope as u32, req, &mut out).map(|_| ())
}

/// The `rpc` lines in the log, as (scope, sha256) pairs.
fn rpc_lines(log: &AuditLog) -> Vec<(String, String)> {
    let r = fwctl_core::audit::read(log.path(), &AuditFilter::default()).expect("read the log");
    assert!(!r.torn_tail && r.bad_lines.is_empty(), "{r:?}");
    r.records
        .into_iter()
        .filter(|r| r.event == AuditEvent::Rpc)
        .map(|r| (r.scope.unwrap_or_default(), r.sha256.unwrap_or_default()))
        .collect()
}

fn sha(bytes: &[u8]) -> String {
    fwctl_core::audit::sha256_hex(bytes)
}

#[test]
fn a_staged_line_is_written_by_the_flush_or_the_guard_and_never_without_an_opt_in() {
    let dir = TempDir::new("wb-stage");
    let (_fw, log, h) = audited(dir.path());
    // No opt-in: written before the call returns.
    rpc(&h, RpcScope::Configuration, b"plain").expect("rpc");
    assert_eq!(rpc_lines(&log), vec![("configuration".into(), sha(b"plain"))]);

    let wb = WriteBehind::begin();
    rpc(&h, RpcScope::Configuration, b"staged-1").expect("rpc");
    assert_eq!(rpc_lines(&log).len(), 1, "a line that needs no sync waits for the flush");
    assert_eq!(log.staged_count(), 1, "counted as staged (fwctld's status reports it)");
    flush_staged();
    assert_eq!(rpc_lines(&log).get(1), Some(&("configuration".into(), sha(b"staged-1"))), "flushed");
    assert_eq!(log.staged_count(), 0);
    // The guard's drop flushes.
    rpc(&h, RpcScope::DebugReadOnly, b"staged-2").expect("rpc");
    assert_eq!(rpc_lines(&log).len(), 2);
    assert_eq!(log.staged_count(), 1);
    drop(wb);
    assert_eq!(log.staged_count(), 0);
    assert_eq!(
        rpc_lines(&log).get(2),
        Some(&("debug-read-only".into(), sha(b"staged-2"))),
        "the guard's drop flushes"
    );
    // The opt-in ended with the guard.
    rpc(&h, RpcScope::Configuration, b"plain-2").expect("rpc");
    assert_eq!(rpc_lines(&log).len(), 4);
    assert_eq!(log.write_errors(), 0);
}

#[test]
fn a_tainting_rpc_and_every_rpc_under_sync_always_are_written_before_the_call_returns() {
    let dir = TempDir::new("wb-order");
    let (fw, log, h) = audited(dir.path());
    let _wb = WriteBehind::begin();
    rpc(&h, RpcScope::Configuration, b"staged").expect("rpc");
    rpc(&h, RpcScope::DebugWrite, b"taints").expect("rpc");
    assert!(fw.taint().is_tainted(), "the debug-write tainted");
    // No flush yet: the tainting RPC's line is there, and the staged one went first.
    let lines = rpc_lines(&log);
    assert_eq!(
        lines,
        vec![("configuration".into(), sha(b"staged")), ("debug-write".into(), sha(b"taints"))],
        "a tainting RPC's line waited for a flush, or lines lost their order"
    );
    let full = fwctl_core::audit::read(log.path(), &AuditFilter::default()).expect("read");
    assert!(full.records.iter().any(|r| r.event == AuditEvent::Taint), "the taint line is written too");

    log.configure(&AuditSettings { sync: AuditSync::Always, ..AuditSettings::default() });
    rpc(&h, RpcScope::Configuration, b"always").expect("rpc");
    assert_eq!(
        rpc_lines(&log).last(),
        Some(&("configuration".into(), sha(b"always"))),
        "sync = \"always\": written before the call returns"
    );
}

/// Full disk: the staged line's write fails after the reply, the record is
/// queued and reported (`write_errors`, `pending`), `on_failure = "refuse"`
/// refuses the next tainting RPC with the write's errno, and once the disk has
/// room the queued line is written.
#[test]
fn a_staged_line_that_cannot_be_written_is_queued_and_the_next_tainting_rpc_is_refused() {
    let base = TempDir::new("wb-full");
    let mnt = base.path().join("fs");
    let Some(_fs) = Tmpfs::mount_for_test(&mnt, "256k") else { return };
    let (_fw, log, h) = audited(&mnt);
    let filler = fill(&mnt);
    let wb = WriteBehind::begin();
    rpc(&h, RpcScope::Configuration, b"no-room").expect("served: its line waits");
    assert_eq!((log.write_errors(), log.pending()), (0, 0), "nothing written before the flush");
    flush_staged();
    assert_eq!((log.write_errors(), log.pending()), (1, 1), "the failed staged line is queued and counted");
    assert!(log.is_failing());
    assert_eq!(
        rpc(&h, RpcScope::DebugWrite, b"taint"),
        Err(Errno::ENOSPC),
        "on_failure = refuse: a tainting RPC is refused while a record waits"
    );
    drop(wb);
    std::fs::remove_file(filler).expect("free the disk");
    assert_eq!(log.retry(), Ok(()));
    assert_eq!(rpc_lines(&log).first(), Some(&("configuration".into(), sha(b"no-room"))));
}

/// Wait (bounded) until the log has no line staged or handed off.
fn written(log: &AuditLog) -> bool {
    fwctl_tests::daemon::wait_until(std::time::Duration::from_secs(10), || log.staged_count() == 0)
}

/// With fwctld's background writer running, a connection thread only hands
/// the line over: the writer writes it with nobody flushing, in order; a line
/// written directly (a tainting RPC's) comes after every line its thread
/// handed off before; stopping the writer writes what it held; and one log
/// has one writer.
#[test]
fn the_background_writer_writes_handed_off_lines_in_order_and_direct_lines_after_them() {
    let dir = TempDir::new("wb-writer");
    let (_fw, log, h) = audited(dir.path());
    let writer = log.start_writer().expect("start the writer");
    assert!(log.start_writer().is_err(), "a second writer for the same log");
    let _wb = WriteBehind::begin();
    let reqs: Vec<Vec<u8>> = (0..50u8).map(|i| vec![i; 3]).collect();
    for r in &reqs {
        rpc(&h, RpcScope::Configuration, r).expect("rpc");
    }
    // Nobody flushes on this thread: the writer does.
    assert!(written(&log), "handed-off lines were never written");
    let want: Vec<(String, String)> = reqs.iter().map(|r| ("configuration".into(), sha(r))).collect();
    assert_eq!(rpc_lines(&log), want, "lines lost or out of order");

    // Handed off, then at once a tainting RPC, written directly: after them.
    for r in &reqs[..10] {
        rpc(&h, RpcScope::DebugReadOnly, r).expect("rpc");
    }
    rpc(&h, RpcScope::DebugWrite, b"taints").expect("rpc");
    let lines = rpc_lines(&log);
    assert_eq!(lines.len(), 61, "the direct line did not wait for the handed-off ones: {lines:?}");
    assert_eq!(lines.last(), Some(&("debug-write".into(), sha(b"taints"))));

    // Stopping writes what is left.
    for r in &reqs[..5] {
        rpc(&h, RpcScope::Configuration, r).expect("rpc");
    }
    drop(writer);
    assert_eq!(log.staged_count(), 0);
    assert_eq!(rpc_lines(&log).len(), 66, "lines held by the writer were lost when it stopped");
    assert_eq!(log.write_errors(), 0);
}

/// Full disk with the background writer: a tainting RPC that arrives while
/// lines wait for the writer is judged after they are written, so the
/// failure of their write refuses it at once (`on_failure = "refuse"`),
/// exactly as without the writer.
#[test]
fn with_the_background_writer_a_failed_handed_off_line_refuses_the_next_tainting_rpc_at_once() {
    let base = TempDir::new("wb-writer-full");
    let mnt = base.path().join("fs");
    let Some(_fs) = Tmpfs::mount_for_test(&mnt, "256k") else { return };
    let (_fw, log, h) = audited(&mnt);
    let writer = log.start_writer().expect("start the writer");
    let filler = fill(&mnt);
    let _wb = WriteBehind::begin();
    rpc(&h, RpcScope::Configuration, b"no-room").expect("served: its line waits for the writer");
    assert_eq!(
        rpc(&h, RpcScope::DebugWrite, b"taint"),
        Err(Errno::ENOSPC),
        "a tainting RPC was served before the line waiting for the writer was found unwritable"
    );
    assert!(log.is_failing());
    std::fs::remove_file(filler).expect("free the disk");
    assert_eq!(log.retry(), Ok(()));
    drop(writer);
    assert_eq!(rpc_lines(&log).first(), Some(&("configuration".into(), sha(b"no-room"))));
}

fn status_rpcs(d: &Fwctld) -> u64 {
    d.control(&fwctl_core::server::ControlRequest::Status).ok().and_then(|s| s["rpcs"].as_u64()).unwrap_or(0)
}

fn daemon_rpc_shas(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .filter(|r| r["event"] == "rpc")
        .map(|r| r["sha256"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// fwctld hands each answered RPC's line to its background writer: every
/// answer the client saw has its line once nothing is staged (what
/// `Fwctld::audit` waits for), and a SIGTERM while the connection sits idle
/// loses nothing (the lines come before the `shutdown` line).
#[test]
fn fwctld_writes_every_answered_rpcs_line_and_all_before_exiting() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut ch = daemon.open("fwctl0").expect("open");
    let mut out = [0u8; 2];
    let requests: Vec<[u8; 2]> = (0..20u8).map(|i| [i, 2]).collect();
    for (i, req) in requests.iter().enumerate() {
        ch.rpc(0, req, &mut out).expect("rpc");
        if i > 0 {
            let shas = daemon_rpc_shas(&d.audit());
            assert!(
                shas.contains(&sha(&requests[i - 1])),
                "request {}'s line was not written after its answer",
                i - 1
            );
        }
    }
    assert_eq!(status_rpcs(&d), 20);
    // The connection stays open and idle; SIGTERM.
    let (status, dir) = d.stop();
    assert!(status.success());
    drop(ch);
    let text = std::fs::read_to_string(dir.path().join("state/audit.log")).expect("audit log");
    let lines: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let shas = daemon_rpc_shas(&lines);
    for req in &requests {
        assert!(shas.contains(&sha(req)), "the line of {req:?} is missing after SIGTERM");
    }
    let last_rpc = lines.iter().rposition(|r| r["event"] == "rpc").expect("rpc lines");
    let shutdown = lines.iter().position(|r| r["event"] == "shutdown").expect("a shutdown line");
    assert!(last_rpc < shutdown, "an RPC line was written after the shutdown line");
}
