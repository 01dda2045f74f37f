//! The real `fwctld` answering RPCs: same results and errnos as the in-process
//! subsystem, the kernel's EFAULT/EINVAL/E2BIG/ENOTTY on raw ioctl frames, and the
//! caller's identity taken from the operating system.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::sync::Arc;

use fwctl_core::server::ControlRequest;
use fwctl_core::transport::daemon::UserSegment;
use fwctl_core::transport::{Channel, Daemon, Embedded, Transport};
use fwctl_core::{Credentials, Errno, Subsystem};
use fwctl_tests::daemon::{Fwctld, TestUser, binary};
use fwctl_tests::echo::EchoDriver;
use serde_json::Value;
use zerocopy::IntoBytes;

const CONFIG: &str =
    "[[device]]\nname = \"lb0\"\ndriver = \"loopback\"\n[device.params]\ndevice_type = \"mlx5\"\n";

fn embedded() -> Embedded {
    let s = Subsystem::new();
    s.register(Arc::new(EchoDriver::new())).unwrap();
    // The daemon sees this test process through SO_PEERCRED: same identity.
    Embedded::with_credentials(s, Credentials::current())
}

type Outcome = Result<(u32, Vec<u8>), Errno>;

fn rpc(ch: &mut dyn Channel, scope: u32, req: &[u8], cap: usize) -> Outcome {
    let mut out = vec![0xAAu8; cap];
    ch.rpc(scope, req, &mut out).map(|r| (r.out_len, out))
}

#[test]
fn rpc_results_and_errnos_match_the_embedded_subsystem() {
    let d = Fwctld::start(CONFIG, &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let emb = embedded();
    let mut dc = daemon.open("fwctl0").unwrap();
    let mut ec = emb.open("fwctl0").unwrap();
    let big = vec![1u8; 2 * 1024 * 1024 + 1];
    let cases: Vec<(u32, &[u8], usize)> = vec![
        (0, b"hello firmware", 64),
        (1, b"truncated response", 4),
        (2, b"x", 0),
        (3, b"full", 8),
        (4, b"bad scope", 8),
        (u32::MAX, b"bad scope", 8),
        (0, &big, 8),
        (0, b"", 16),
    ];
    for (scope, req, cap) in cases {
        let a = rpc(&mut *dc, scope, req, cap);
        let b = rpc(&mut *ec, scope, req, cap);
        assert_eq!(a, b, "scope {scope}, {} request bytes, capacity {cap}", req.len());
    }
    assert_eq!(rpc(&mut *dc, 4, b"x", 1), Err(Errno::EOPNOTSUPP));
    assert_eq!(rpc(&mut *dc, 0, &big, 1), Err(Errno::EMSGSIZE));
    // INFO without an info op: zero filled, type MLX5 (1), length 0.
    let mut a = [0xFFu8; 12];
    let mut b = [0xFFu8; 12];
    assert_eq!(dc.info(&mut a), ec.info(&mut b));
    assert_eq!((a, dc.info(&mut a).unwrap().device_type), ([0u8; 12], 1));
    // Describe / dry-run / status go through the same driver calls.
    // (loopback and echo are different drivers: compare what both define)
    let da = dc.describe(b"\x07abc").unwrap();
    let db = ec.describe(b"\x07abc").unwrap();
    assert_eq!((da.opcode, da.min_scope, da.effects), (db.opcode, db.min_scope, db.effects));
    assert_eq!((da.opcode, da.name.as_deref()), (7, Some("LOOPBACK")));
    let ra = dc.dry_run(3, b"q").unwrap();
    let rb = ec.dry_run(3, b"q").unwrap();
    assert_eq!(ra.description.map(|d| d.opcode), rb.description.map(|d| d.opcode));
    assert_eq!((ra.decision.errno, rb.decision.errno), (None, None));
    let denied = dc.dry_run(4, b"q").err();
    assert_eq!((denied, ec.dry_run(4, b"q").err()), (Some(Errno::EOPNOTSUPP), Some(Errno::EOPNOTSUPP)));
    assert_eq!(dc.decode_status(b"zz"), ec.decode_status(b"zz"));
    assert_eq!(daemon.open("fwctl9").err(), Some(Errno::ENODEV));
    assert_eq!(daemon.open("../control").err(), Some(Errno::ENODEV));
}

#[test]
fn raw_ioctl_frames_fault_exactly_like_the_kernel() {
    let d = Fwctld::start(CONFIG, &[]);
    let mut ch = Daemon::new(&d.runtime_dir).connect("fwctl0").unwrap();
    let req = *b"ping";
    let mk = |size: u32, in_: u64, in_len: u32| fwctl_core::uapi::FwctlRpc {
        size,
        scope: 0,
        in_len,
        out_len: 8,
        in_,
        out: 0x3000,
    };
    let run = |ch: &mut fwctl_core::transport::DaemonChannel, cmd: u32, arg: &mut [u8], out: &mut [u8]| {
        ch.ioctl(
            cmd,
            0x1000,
            &mut [
                UserSegment::InOut(0x1000, arg),
                UserSegment::In(0x2000, &req),
                UserSegment::Out(0x3000, out),
            ],
        )
    };
    let mut out = [0u8; 8];
    // Consistent pointers: delivered, struct written back with the driver's length.
    let mut a = mk(32, 0x2000, 4);
    run(&mut ch, 0x9A01, a.as_mut_bytes(), &mut out).unwrap();
    assert_eq!((a.out_len, &out[..4]), (8, &b"ping"[..]));
    // `in` points nowhere / past its segment: EFAULT (kernel-fwctl.md §2.5 copy_from_user).
    let mut a = mk(32, 0x9000, 4);
    assert_eq!(run(&mut ch, 0x9A01, a.as_mut_bytes(), &mut out), Err(Errno::EFAULT));
    let mut a = mk(32, 0x2000, 5);
    assert_eq!(run(&mut ch, 0x9A01, a.as_mut_bytes(), &mut out), Err(Errno::EFAULT));
    // size below the minimum of 32: EINVAL.
    let mut a = mk(24, 0x2000, 4);
    assert_eq!(run(&mut ch, 0x9A01, a.as_mut_bytes(), &mut out), Err(Errno::EINVAL));
    // size 40 with a non-zero tail: E2BIG; with a zero tail: accepted.
    let mut bytes = [0u8; 40];
    bytes[..32].copy_from_slice(mk(40, 0x2000, 4).as_bytes());
    bytes[39] = 1;
    assert_eq!(run(&mut ch, 0x9A01, &mut bytes, &mut out), Err(Errno::E2BIG));
    bytes[39] = 0;
    run(&mut ch, 0x9A01, &mut bytes, &mut out).unwrap();
    // A size word the caller cannot even provide (struct shorter than 4 bytes): EFAULT.
    assert_eq!(run(&mut ch, 0x9A01, &mut [32u8, 0], &mut out), Err(Errno::EFAULT));
    // Unknown ioctl numbers: ENOTTY (0x9A02 is outside the table, 0x9B01 another type).
    let mut a = mk(32, 0x2000, 4);
    assert_eq!(run(&mut ch, 0x9A02, a.as_mut_bytes(), &mut out), Err(Errno::ENOTTY));
    assert_eq!(run(&mut ch, 0x9B01, a.as_mut_bytes(), &mut out), Err(Errno::ENOTTY));
    // The response buffer is read-only memory: the copy-out faults.
    let mut a = mk(32, 0x2000, 4);
    let ro = [0u8; 8];
    let r = ch.ioctl(
        0x9A01,
        0x1000,
        &mut [
            UserSegment::InOut(0x1000, a.as_mut_bytes()),
            UserSegment::In(0x2000, &req),
            UserSegment::In(0x3000, &ro),
        ],
    );
    assert_eq!(r, Err(Errno::EFAULT));
    // The connection is still usable after every fault.
    let mut out = [0u8; 4];
    assert_eq!(ch.rpc(0, b"ok!!", &mut out).unwrap().out_len, 4);
}

#[test]
fn the_callers_identity_comes_from_the_os() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(CONFIG, &[]);
    let probe = binary("fwctl-probe");
    let run_as_user = |args: &[&str]| -> Value {
        let out = user.command(&probe).arg(&d.runtime_dir).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // No CAP_SYS_RAWIO: DEBUG_WRITE_FULL (3) is EPERM; DEBUG_WRITE (2) is not.
    assert_eq!(run_as_user(&["fwctl0", "rpc", "3", "0102", "4"])["result"], "EPERM");
    let ok = run_as_user(&["fwctl0", "rpc", "1", "0102", "4"]);
    assert_eq!((ok["result"].as_str(), ok["out"].as_str()), (Some("ok"), Some("01020000")));
    // Root (this process, with CAP_SYS_RAWIO) may.
    let mut ch = Daemon::new(&d.runtime_dir).open("fwctl0").unwrap();
    assert_eq!(rpc(&mut *ch, 3, b"\x01\x02", 2), Ok((2, vec![1, 2])));
    // The audit log names the OS identity of each caller.
    let audit = d.audit();
    let denied = audit
        .iter()
        .find(|e| e["event"] == "rpc" && e["errno"] == "EPERM")
        .expect("the refused RPC is audited");
    assert_eq!(denied["uid"], user.uid);
    assert_eq!(denied["comm"], "fwctl-probe");
    assert_eq!(denied["scope"], "debug-write-full");
    assert!(audit.iter().any(|e| e["event"] == "rpc"
        && e["uid"] == 0
        && e["scope"] == "debug-write-full"
        && e.get("errno").is_none()));
}

#[test]
fn the_control_socket_is_root_only_and_audited() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(CONFIG, &[]);
    let out =
        user.command(&binary("fwctl-probe")).arg(&d.runtime_dir).args(["-", "control"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["result"], "error");
    let error = v["error"].as_str().unwrap();
    assert!(error.contains("permission denied") && !error.contains("os error"), "in words: {v}");
    let status = d.control(&ControlRequest::Status).unwrap();
    assert_eq!(status["devices"][0]["name"], "fwctl0");
    let list = d.control(&ControlRequest::List).unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert!(d.control(&ControlRequest::ClearTaint("  ".into())).unwrap_err().contains("reason"));
    let audit = d.audit();
    assert!(
        audit.iter().any(|e| e["event"] == "control" && e["command"] == "status" && e.get("error").is_none())
    );
    assert!(
        audit
            .iter()
            .any(|e| e["event"] == "control" && e["command"] == "clear-taint" && e["error"].is_string())
    );
}

/// The state (R, S, …) and CPU clock ticks (user + system) of the thread of
/// `pid` named `comm`.
fn thread_state_and_ticks(pid: i32, comm: &str) -> Option<(char, u64)> {
    for t in std::fs::read_dir(format!("/proc/{pid}/task")).ok()?.flatten() {
        let dir = t.path();
        if std::fs::read_to_string(dir.join("comm")).ok()?.trim() != comm {
            continue;
        }
        let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
        // Fields after the parenthesised name: state is the first, utime
        // and stime the 12th and 13th (stat fields 3, 14 and 15).
        let rest: Vec<&str> = stat.rsplit_once(") ")?.1.split_whitespace().collect();
        let ticks = rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?;
        return Some((rest.first()?.chars().next()?, ticks));
    }
    None
}

/// Busy polling (`[limits] busy_poll_us`) is bounded: once its client stops
/// sending, a connection's thread goes to sleep (after one window at most)
/// and takes no CPU, even with the longest window allowed.
#[test]
fn an_idle_connection_thread_sleeps_even_with_the_longest_busy_poll() {
    let d = Fwctld::start(&format!("[limits]\nbusy_poll_us = 1000\n{CONFIG}"), &[]);
    let mut h = Daemon::new(&d.runtime_dir).open("fwctl0").unwrap();
    let mut out = [0u8; 4];
    for _ in 0..200 {
        h.rpc(0, b"ping", &mut out).unwrap();
    }
    let pid = d.pid().as_raw();
    let (_, before) = thread_state_and_ticks(pid, "fwctl0-conn").expect("the connection's thread");
    let mut states = String::new();
    for _ in 0..25 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        states.push(thread_state_and_ticks(pid, "fwctl0-conn").unwrap().0);
    }
    let (_, after) = thread_state_and_ticks(pid, "fwctl0-conn").unwrap();
    // 500 ms idle: a thread that polled on would be running (R) and charged
    // about 50 ticks; a sleeping one is S and charged none (a tick at most).
    assert!(states.chars().all(|s| s == 'S'), "thread states while idle: {states}");
    assert!(after - before <= 1, "{} clock ticks while idle", after - before);
    // And it still answers.
    h.rpc(0, b"ping", &mut out).unwrap();
}
