//! Issue 11, denial of service (review findings D1, D2, D3, D8): a client that
//! trickles a frame is closed when the frame's deadline passes, whatever it
//! sends in between, so it cannot hold the in-flight budget and freeze every
//! RPC; one user cannot take every connection, nor more than its share of the
//! in-flight bytes, and root keeps a reserve of both; refusals flooding the
//! audit log are rate limited per uid and summarised; a FIFO as the policy
//! hangs neither start, nor reload, nor SIGTERM.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use fwctl_core::server::wire::{self, Kind, MAX_PAYLOAD};
use fwctl_core::transport::{Daemon, Transport};
use fwctl_tests::daemon::{Fwctld, TestUser, binary, loopback_config};

/// Connect to a device socket and read the HELLO frame.
fn connect_raw(d: &Fwctld) -> UnixStream {
    let mut s = UnixStream::connect(d.runtime_dir.join("fwctl0")).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut hello = [0u8; 64];
    let n = s.read(&mut hello).expect("hello");
    assert!(n > 0, "no HELLO");
    s
}

#[test]
fn d1_a_trickled_frame_is_closed_at_its_deadline_and_root_is_served_meanwhile() {
    // One maximal frame fills the whole in-flight budget; frames must arrive
    // whole within 1 s.
    let d = Fwctld::start(
        &loopback_config(1, "[limits]\nmax_inflight_bytes = 1\nframe_timeout_ms = 1000\n"),
        &[],
    );
    let mut loris = connect_raw(&d);
    let header = wire::encode_header(Kind::Ioctl, MAX_PAYLOAD);
    loris.write_all(&header).expect("header");
    loris.write_all(&[0]).expect("first byte");
    // Keep trickling a byte every 200 ms from another thread: each read
    // succeeds, so a per-read timeout would never fire.
    let mut trickle = loris.try_clone().expect("clone");
    let trickler = std::thread::spawn(move || {
        for _ in 0..50 {
            std::thread::sleep(Duration::from_millis(200));
            if trickle.write_all(&[0]).is_err() {
                return true;
            }
        }
        false
    });
    std::thread::sleep(Duration::from_millis(300));
    // Root's RPC needs budget too; it is served once the trickler's frame
    // deadline has passed.
    let start = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = d.runtime_dir.clone();
    std::thread::spawn(move || {
        let mut ch = Daemon::new(&dir).open("fwctl0").expect("open");
        let mut out = [0u8; 2];
        let _ = tx.send(ch.rpc(0, &[1, 2], &mut out).map(|_| out));
    });
    let r = rx.recv_timeout(Duration::from_secs(8));
    assert!(matches!(r, Ok(Ok([1, 2]))), "root's RPC was not served within 8 s: {r:?}\n{}", d.log());
    assert!(start.elapsed() < Duration::from_secs(5), "served only after {:?}", start.elapsed());
    // The trickler was told and closed.
    let mut buf = Vec::new();
    let _ = loris.read_to_end(&mut buf);
    assert!(String::from_utf8_lossy(&buf).contains("timed out"), "{:?}", String::from_utf8_lossy(&buf));
    assert!(trickler.join().unwrap_or(false), "the trickling connection stayed open");
}

fn park(user: &TestUser, d: &Fwctld) -> Child {
    let mut c = user.command(&binary("fwctl-probe"));
    c.arg(&d.runtime_dir).args(["fwctl0", "park"]).stdout(Stdio::piped()).stderr(Stdio::null());
    c.spawn().expect("spawn fwctl-probe")
}

fn first_line(c: &mut Child) -> String {
    let mut out = c.stdout.take().expect("stdout");
    let mut buf = [0u8; 256];
    let n = out.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[test]
fn d2_one_user_cannot_take_every_connection_and_root_keeps_a_reserve() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(
        &loopback_config(1, "[limits]\nmax_connections = 8\nmax_connections_per_uid = 3\nroot_reserve = 2\n"),
        &[],
    );
    let mut held: Vec<Child> = (0..3).map(|_| park(&user, &d)).collect();
    for c in &mut held {
        assert_eq!(first_line(c).trim(), "open");
    }
    // The user's fourth connection is refused...
    let mut fourth = park(&user, &d);
    let line = first_line(&mut fourth);
    assert_ne!(line.trim(), "open", "a fourth connection of one user was admitted");
    let _ = fourth.wait();
    // ... root's are not: up to the global limit, reserve included.
    let daemon = Daemon::new(&d.runtime_dir);
    let roots: Vec<_> =
        (0..5).map(|i| daemon.open("fwctl0").unwrap_or_else(|e| panic!("root open {i}: {e:?}"))).collect();
    assert_eq!(roots.len(), 5);
    assert!(daemon.open("fwctl0").is_err(), "the global limit holds for root too");
    assert!(d.log().contains(&format!("refused a connection of uid {}", user.uid)), "{}", d.log());
    for mut c in held {
        let _ = c.kill();
        let _ = c.wait();
    }
}

#[test]
fn c3_a_plugin_calling_exit_does_not_end_fwctld_with_status_0() {
    let libs = fwctl_tests::plugins::TempDir::new("c3");
    fwctl_tests::plugins::fixture(libs.path(), "exits", "RPC_EXIT");
    // In process: out of process, exit() only ends the plugin's host (isolation_hosts).
    let config = format!(
        "[[device]]\nname = \"exits\"\nplugin = \"{}/libexits.so\"\nin_process = true\n",
        libs.path().display()
    );
    let mut d = Fwctld::start(&config, &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut ch = daemon.open("fwctl0").expect("open");
    let mut out = [0u8; 2];
    let r = ch.rpc(0, &[1, 2], &mut out);
    assert!(r.is_err(), "the daemon answered although its plugin called exit(0)");
    let status = d.wait_exit(Duration::from_secs(10)).expect("fwctld exited");
    assert_eq!(status.code(), Some(70), "{}", d.log());
    assert!(d.log().contains("exit() called while serving"), "{}", d.log());
}

/// Per-uid in-flight budget: one user with many connections, each in the middle
/// of a maximal frame, holds only its share of the daemon's payload budget;
/// root is served at once meanwhile (on the old code the user's frames took the
/// whole budget and root waited for their frame deadline, here 20 s).
#[test]
fn one_uid_with_many_maximal_frames_holds_only_its_share_and_root_is_served() {
    let Some(user) = TestUser::ensure() else { return };
    let limits = format!(
        "[limits]\nmax_inflight_bytes = {}\nmax_inflight_bytes_per_uid = {}\ninflight_root_reserve = {}\n\
         frame_timeout_ms = 20000\n",
        4 * MAX_PAYLOAD,
        MAX_PAYLOAD,
        MAX_PAYLOAD
    );
    let d = Fwctld::start(&loopback_config(1, &limits), &[]);
    let mut hog = user.command(&binary("fwctl-attack"));
    hog.arg(&d.runtime_dir).args(["fwctl0", "hog", "8"]).stdout(Stdio::piped()).stderr(Stdio::null());
    let mut hog = hog.spawn().expect("spawn fwctl-attack");
    let line = first_line(&mut hog);
    assert!(line.contains("\"held\":8"), "{line}\n{}", d.log());
    let inflight = || {
        d.control(&fwctl_core::server::ControlRequest::Status)
            .ok()
            .and_then(|s| s["inflight_bytes"].as_u64())
            .unwrap_or(0)
    };
    assert!(
        fwctl_tests::daemon::wait_until(Duration::from_secs(10), || inflight() >= MAX_PAYLOAD as u64),
        "the user's frames never reserved anything\n{}",
        d.log()
    );
    // Give the other seven frames time to ask for their bytes.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(inflight(), MAX_PAYLOAD as u64, "one user holds more than its share");
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = d.runtime_dir.clone();
    let start = Instant::now();
    std::thread::spawn(move || {
        let mut ch = Daemon::new(&dir).open("fwctl0").expect("open");
        let mut out = [0u8; 2];
        let _ = tx.send(ch.rpc(0, &[1, 2], &mut out).map(|_| out));
    });
    let r = rx.recv_timeout(Duration::from_secs(10));
    assert!(matches!(r, Ok(Ok([1, 2]))), "root's RPC: {r:?}\n{}", d.log());
    assert!(start.elapsed() < Duration::from_secs(3), "root waited {:?}", start.elapsed());
    let _ = hog.kill();
    let _ = hog.wait();
}

/// D3: refused opens are audited with a per-uid rate limit: a user flooding
/// refusals adds at most `max_refusals` lines per window, and the rest are
/// summarised ("suppressed N refusals from uid U"), periodically and at
/// shutdown, so that every refusal is accounted for.
#[test]
fn d3_a_user_flooding_refused_opens_grows_the_audit_log_boundedly_with_summaries() {
    let Some(user) = TestUser::ensure() else { return };
    let dir = fwctl_tests::daemon::TempDir::new("d3");
    std::fs::write(
        dir.path().join("policy.toml"),
        "version = 1\n[audit]\nlevel = \"all\"\nmax_refusals = 20\nrefusal_window_secs = 2\n\
         [[rule]]\nname = \"root\"\nusers = [\"root\"]\nmax_scope = \"debug-write-full\"\n",
    )
    .expect("policy");
    let d = Fwctld::start_in(dir, &loopback_config(1, ""), &[]);
    const N: u64 = 500;
    let start = Instant::now();
    let out = user
        .command(&binary("fwctl-attack"))
        .arg(&d.runtime_dir)
        .args(["fwctl0", "flood", &N.to_string()])
        .output()
        .expect("fwctl-attack");
    let took = start.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["refused"], N, "{v} {}", String::from_utf8_lossy(&out.stderr));
    let uid = user.uid;
    let mine = |d: &Fwctld, event: &str| -> Vec<serde_json::Value> {
        d.audit().into_iter().filter(|r| r["event"] == event && r["uid"] == uid).collect()
    };
    let windows = took.as_secs() / 2 + 2;
    let denied = mine(&d, "open-denied").len() as u64;
    assert!(denied <= 20 * windows, "{denied} refusal lines in {took:?}: not rate limited");
    // The periodic summary, without waiting for the shutdown.
    assert!(
        fwctl_tests::daemon::wait_until(Duration::from_secs(10), || !mine(&d, "suppressed").is_empty()),
        "no summary line\n{}",
        d.log()
    );
    let summary = &mine(&d, "suppressed")[0];
    let n = summary["suppressed"].as_u64().unwrap_or(0);
    assert!(n > 0);
    assert_eq!(summary["reason"], format!("suppressed {n} refusals from uid {uid}"));
    let (status, dir) = d.stop();
    assert!(status.success());
    let records: Vec<serde_json::Value> = std::fs::read_to_string(dir.path().join("state/audit.log"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|r: &serde_json::Value| r["uid"] == uid)
        .collect();
    let lines = records.iter().filter(|r| r["event"] == "open-denied").count() as u64;
    let suppressed: u64 = records.iter().filter_map(|r| r["suppressed"].as_u64()).sum();
    assert_eq!(lines + suppressed, N, "every refusal is either a line or counted in a summary");
}

/// D8: the policy is read only from a regular file, without blocking: a FIFO
/// as the policy is a clear error at start, a FIFO swapped in is rejected by
/// SIGHUP (the last good policy stays), and SIGTERM still ends the daemon in
/// bounded time.
#[test]
fn d8_a_fifo_as_policy_neither_hangs_start_nor_reload_nor_sigterm() {
    let dir = fwctl_tests::daemon::TempDir::new("d8");
    let fifo = dir.path().join("fifo.toml");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).expect("mkfifo");
    let cfg = dir.path().join("fwctld.toml");
    std::fs::write(&cfg, loopback_config(1, "")).expect("config");
    let mut child = std::process::Command::new(binary("fwctld"))
        .arg("--config")
        .arg(&cfg)
        .arg("--runtime-dir")
        .arg(dir.path().join("run"))
        .arg("--state-dir")
        .arg(dir.path().join("state"))
        .arg("--policy")
        .arg(&fifo)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn fwctld");
    let exited = fwctl_tests::daemon::wait_until(Duration::from_secs(10), || {
        child.try_wait().ok().flatten().is_some()
    });
    if !exited {
        let _ = child.kill();
    }
    let status = child.wait().expect("wait");
    let mut err = String::new();
    let _ = child.stderr.take().expect("stderr").read_to_string(&mut err);
    assert!(exited, "fwctld hung on a FIFO as its policy");
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("not a regular file"), "{err}");

    // Reload: the good policy stays; SIGTERM still works.
    let mut d = Fwctld::start(&loopback_config(1, ""), &[]);
    std::fs::remove_file(&d.policy).expect("remove policy");
    nix::unistd::mkfifo(&d.policy, nix::sys::stat::Mode::from_bits_truncate(0o600)).expect("mkfifo");
    assert!(!d.sighup(), "a FIFO was accepted as a policy:\n{}", d.log());
    assert!(d.log().contains("not a regular file"), "{}", d.log());
    let status = d.control(&fwctl_core::server::ControlRequest::Status).expect("status after the reload");
    assert!(
        status["admin"]["policy"]["source"].as_str().is_some_and(|s| s.contains("policy.toml")),
        "the last good policy is not installed: {status}"
    );
    d.signal(nix::sys::signal::Signal::SIGTERM);
    let status = d.wait_exit(Duration::from_secs(10));
    assert!(status.is_some_and(|s| s.success()), "SIGTERM did not end fwctld within 10 s:\n{}", d.log());
}

/// Issue 11: a frame refused because the in-flight byte budget stayed full for
/// its whole deadline is logged like the other refusals, once per burst: the
/// first line names the uid, later refusals within the burst are counted
/// instead of each adding a line.
#[test]
fn byte_budget_refusals_are_logged_once_per_burst() {
    // The whole budget is one maximal frame; a slow RPC (the loopback's SLEEP)
    // holds a few of its bytes for 3 s, so no maximal frame fits meanwhile.
    let d =
        Fwctld::start(&loopback_config(1, "[limits]\nmax_inflight_bytes = 1\nframe_timeout_ms = 300\n"), &[]);
    let dir = d.runtime_dir.clone();
    let sleeper = std::thread::spawn(move || {
        let mut ch = Daemon::new(&dir).open("fwctl0").expect("open");
        let mut req = b"SLEEP".to_vec();
        req.extend_from_slice(&3000u32.to_le_bytes());
        let mut out = [0u8; 16];
        ch.rpc(0, &req, &mut out).map(|r| r.out_len)
    });
    d.wait_in_flight(1);
    for i in 0..3 {
        let mut s = connect_raw(&d);
        s.write_all(&wire::encode_header(Kind::Ioctl, MAX_PAYLOAD)).expect("header");
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        assert!(
            String::from_utf8_lossy(&buf).contains("in-flight byte budget"),
            "frame {i}: {:?}\n{}",
            String::from_utf8_lossy(&buf),
            d.log()
        );
    }
    let me = nix::unistd::geteuid().as_raw();
    let lines = d.log().lines().filter(|l| l.contains(&format!("refused a frame of uid {me}"))).count();
    assert_eq!(lines, 1, "three refusals in one burst, one line\n{}", d.log());
    assert!(sleeper.join().expect("sleeper").is_ok(), "the slow RPC itself completes");
}
