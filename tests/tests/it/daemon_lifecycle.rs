//! The daemon's life: hot-unplug with handles held and RPCs in flight, hot-plug,
//! taint persisted across a restart and cleared by root with a reason, clean
//! shutdown on SIGTERM with an RPC in flight, SIGHUP reopening the audit log.

use std::time::Duration;

use fwctl_core::server::ControlRequest;
use fwctl_core::transport::{Daemon, Transport};
use fwctl_core::{DeviceState, Errno};
use fwctl_tests::daemon::{Fwctld, loopback_config, wait_until};
use nix::sys::signal::Signal;

fn sleep_request(ms: u32) -> Vec<u8> {
    let mut r = b"SLEEP".to_vec();
    r.extend_from_slice(&ms.to_le_bytes());
    r
}

#[test]
fn hot_unplug_lets_in_flight_rpcs_finish_then_open_handles_see_enodev() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut held = daemon.open("fwctl0").unwrap();
    let mut busy = daemon.open("fwctl0").unwrap();
    let in_flight = std::thread::spawn(move || {
        let mut out = [0u8; 16];
        let r = busy.rpc(0, &sleep_request(500), &mut out);
        (r, busy)
    });
    d.wait_in_flight(1);
    d.control(&ControlRequest::Unplug("fwctl0".into())).unwrap();
    let (r, mut busy) = in_flight.join().unwrap();
    assert_eq!(r.unwrap().out_len, 16, "an RPC already in the driver completes, as in the kernel");
    let mut out = [0u8; 4];
    assert_eq!(held.rpc(0, b"x", &mut out), Err(Errno::ENODEV));
    assert_eq!(busy.rpc(0, b"x", &mut out), Err(Errno::ENODEV));
    assert_eq!(held.info(&mut out), Err(Errno::ENODEV));
    assert_eq!(daemon.open("fwctl0").err(), Some(Errno::ENODEV), "the socket is gone");
    let listed = daemon.list().unwrap();
    assert_eq!((listed.len(), listed[0].state), (1, DeviceState::Removed), "listed as removed while held");
    assert!(d.control(&ControlRequest::Unplug("fwctl0".into())).is_err());
    // Plug it back: minor 0 is still held by the open handles, so it comes back as fwctl1.
    let name = d.control(&ControlRequest::Plug("lb0".into())).unwrap();
    assert_eq!(name, "fwctl1");
    assert!(d.control(&ControlRequest::Plug("lb0".into())).unwrap_err().contains("already"));
    assert!(d.control(&ControlRequest::Plug("nope".into())).unwrap_err().contains("no configured device"));
    let mut fresh = daemon.open("fwctl1").unwrap();
    assert_eq!(fresh.rpc(0, b"back", &mut out).unwrap().out_len, 4);
    assert_eq!(held.rpc(0, b"x", &mut out), Err(Errno::ENODEV), "old handles stay dead");
    drop((held, busy));
    let gone = wait_until(Duration::from_secs(30), || {
        daemon.list().unwrap().iter().map(|d| d.view.name.clone()).collect::<Vec<_>>() == ["fwctl1"]
    });
    assert!(gone, "the removed device disappears with its last handle");
}

#[test]
fn taint_survives_a_restart_until_root_clears_it_with_a_reason() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    assert_eq!(daemon.tainted(), Some(false));
    let mut ch = daemon.open("fwctl0").unwrap();
    let mut out = [0u8; 4];
    ch.rpc(2, b"dbg!", &mut out).unwrap(); // DEBUG_WRITE taints
    assert_eq!(daemon.tainted(), Some(true));
    drop(ch);
    let (status, dir) = d.stop();
    assert!(status.success());

    let config = loopback_config(1, "");
    let d = Fwctld::start_in(dir, &config, &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    assert_eq!(daemon.tainted(), Some(true), "the taint record was persisted");
    let st = d.control(&ControlRequest::Status).unwrap();
    assert_eq!(st["tainted"], true);
    assert_eq!(st["admin"]["taint_record"]["pid"], std::process::id());
    assert_eq!(st["admin"]["taint_record"]["scope"], "debug-write");
    d.control(&ControlRequest::ClearTaint("firmware reflashed, ticket 42".into())).unwrap();
    assert_eq!(daemon.tainted(), Some(false));
    let cleared = d.audit().into_iter().find(|e| e["event"] == "taint-cleared").expect("clearing is audited");
    assert_eq!(cleared["reason"], "firmware reflashed, ticket 42");
    assert_eq!(cleared["uid"], 0, "cleared by root");
    assert_eq!(cleared["cleared"]["scope"], "debug-write", "the cleared record is kept in the audit line");
    let (_, dir) = d.stop();
    let d = Fwctld::start_in(dir, &config, &[]);
    assert_eq!(Daemon::new(&d.runtime_dir).tainted(), Some(false));
}

#[test]
fn sigterm_finishes_in_flight_rpcs_and_removes_the_sockets() {
    let d = Fwctld::start(&loopback_config(2, ""), &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut busy = daemon.open("fwctl1").unwrap();
    let mut idle = daemon.open("fwctl0").unwrap();
    let in_flight = std::thread::spawn(move || {
        let mut out = [0u8; 9];
        let r = busy.rpc(0, &sleep_request(400), &mut out);
        (r, busy)
    });
    d.wait_in_flight(1);
    let runtime = d.runtime_dir.clone();
    let (status, dir) = d.stop();
    assert!(status.success(), "clean exit");
    let (r, mut busy) = in_flight.join().unwrap();
    assert_eq!(r.unwrap().out_len, 9, "the in-flight RPC got its reply");
    let mut out = [0u8; 1];
    assert_eq!(busy.rpc(0, b"x", &mut out), Err(Errno::EIO), "then the connection closed");
    assert_eq!(idle.rpc(0, b"x", &mut out), Err(Errno::EIO));
    for f in ["fwctl0", "fwctl1", "control", "devices.json"] {
        assert!(!runtime.join(f).exists(), "{f} removed");
    }
    let log = std::fs::read_to_string(dir.path().join("fwctld.log")).unwrap();
    assert!(log.contains("SIGTERM: shutting down") && log.contains("stopped"), "{log}");
    let audit = std::fs::read_to_string(dir.path().join("state/audit.log")).unwrap();
    assert!(audit.lines().last().unwrap().contains("\"shutdown\""), "audit flushed to the end");
}

/// fwctld takes SIGTERM, SIGINT and SIGHUP with `sigwait` in its main thread,
/// so every other thread must block them: a thread that does not takes a
/// SIGTERM with the default action whenever the main thread is not in that
/// `sigwait` (starting up, reloading the policy), and the process is killed
/// instead of shut down (sockets left, audit lines in the writer's hands lost).
/// The audit writer used to start before the signals were blocked.
#[test]
fn every_thread_but_the_signal_waiter_blocks_the_handled_signals() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut h = daemon.open("fwctl0").unwrap();
    let mut out = [0u8; 4];
    h.rpc(0, b"ping", &mut out).unwrap(); // a connection thread exists too
    let pid = d.pid().as_raw();
    // SIGHUP, SIGINT, SIGTERM: bits 0, 1 and 14 of the kernel's mask.
    let handled = (1u64 << 0) | (1 << 1) | (1 << 14);
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).unwrap();
    let mut checked = Vec::new();
    for t in tasks {
        let tid = t.unwrap().file_name().into_string().unwrap();
        if tid == pid.to_string() {
            continue; // the main thread: in sigwait, which unblocks them while it waits
        }
        let status = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/status")).unwrap();
        let comm = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/comm")).unwrap();
        let blk = status.lines().find_map(|l| l.strip_prefix("SigBlk:")).unwrap().trim();
        let blk = u64::from_str_radix(blk, 16).unwrap();
        assert_eq!(
            blk & handled,
            handled,
            "thread {tid} ({}) does not block them: SigBlk {blk:x}",
            comm.trim()
        );
        checked.push(comm.trim().to_string());
    }
    assert!(checked.len() >= 3, "the writer, an acceptor, a connection at least: {checked:?}");
    assert!(checked.iter().any(|c| c.contains("audit")), "the audit writer is among them: {checked:?}");
}

#[test]
fn sighup_reopens_the_audit_log_for_rotation() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let log = d.state_dir.join("audit.log");
    let rotated = d.state_dir.join("audit.log.1");
    let mut ch = Daemon::new(&d.runtime_dir).open("fwctl0").unwrap();
    let mut out = [0u8; 2];
    ch.rpc(0, b"\x01a", &mut out).unwrap();
    // Its line is written just after the reply (write-behind): rotate once it
    // is, as logrotate does after the fact (a line staged at the instant of a
    // reopen lands in the new file instead).
    assert!(d.audit().iter().any(|e| e["opcode"] == 1));
    std::fs::rename(&log, &rotated).unwrap();
    d.signal(Signal::SIGHUP);
    assert!(wait_until(Duration::from_secs(30), || log.exists()), "SIGHUP recreates the audit log");
    ch.rpc(0, b"\x02b", &mut out).unwrap();
    // The line of a non-tainting RPC is written just after its reply (write-behind).
    let read = || std::fs::read_to_string(&log).unwrap_or_default();
    assert!(wait_until(Duration::from_secs(10), || read().contains("\"opcode\":2")), "{}", read());
    let new = read();
    let old = std::fs::read_to_string(&rotated).unwrap();
    assert!(new.contains("\"opcode\":2") && !new.contains("\"opcode\":1"), "{new}");
    assert!(old.contains("\"opcode\":1"));
    // The same SIGHUP reloaded the (unchanged) policy, and said so in the new log.
    assert!(wait_until(Duration::from_secs(30), || d.log().contains("SIGHUP: policy")), "{}", d.log());
    let new = std::fs::read_to_string(&log).unwrap();
    assert!(new.contains("\"event\":\"policy-load\""), "the reload is audited in the reopened log: {new}");
    ch.rpc(0, b"\x03c", &mut out).unwrap();
}
