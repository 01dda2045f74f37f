//! Issue 11, denial of service (review findings D1, D2): a client that trickles
//! a frame is closed when the frame's deadline passes, whatever it sends in
//! between, so it cannot hold the in-flight budget and freeze every RPC; one
//! user cannot take every connection, and root keeps a reserve.

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
