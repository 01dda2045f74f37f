//! Clients that misbehave: garbage, truncated and oversized frames, a client that
//! stalls mid-frame, one that never speaks, a thousand at once, and one killed in
//! the middle of an RPC. Each gets an error or is closed; the daemon and every
//! other client carry on.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::Stdio;
use std::time::Duration;

use fwctl_core::server::ControlRequest;
use fwctl_core::server::wire::{self, Kind, MAX_PAYLOAD};
use fwctl_core::transport::{Channel, Daemon, Transport};
use fwctl_tests::daemon::{Fwctld, binary, loopback_config, wait_until};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// Connect raw and consume the hello frame.
fn raw(d: &Fwctld) -> UnixStream {
    let mut s = UnixStream::connect(d.runtime_dir.join("fwctl0")).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut p = Vec::new();
    assert_eq!(wire::read_frame(&mut s, &mut p).unwrap(), Kind::Hello);
    assert_eq!(p, 0u32.to_le_bytes());
    s
}

/// The error frame the daemon sends before closing, and proof that it closed.
fn error_then_close(s: &mut UnixStream) -> String {
    let mut p = Vec::new();
    assert_eq!(wire::read_frame(s, &mut p).unwrap(), Kind::Error);
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "nothing may follow the error frame");
    String::from_utf8(p).unwrap()
}

fn works(ch: &mut dyn Channel, tag: u8) {
    let mut out = [0u8; 3];
    assert_eq!(ch.rpc(0, &[tag, 1, 2], &mut out).unwrap().out_len, 3);
    assert_eq!(out, [tag, 1, 2]);
}

#[test]
fn garbage_truncated_and_oversized_frames_close_only_their_connection() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let mut good = Daemon::new(&d.runtime_dir).open("fwctl0").unwrap();

    let mut s = raw(&d);
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let msg = error_then_close(&mut s);
    assert!(msg.contains("not an fwctl frame"), "{msg}");
    works(&mut *good, 1);

    let mut s = raw(&d);
    s.write_all(&wire::encode_header(Kind::Ioctl, MAX_PAYLOAD + 1)).unwrap();
    let msg = error_then_close(&mut s);
    assert!(msg.contains("exceeds the limit"), "{msg}");

    let mut s = raw(&d);
    let mut h = wire::encode_header(Kind::Ioctl, 0);
    h[4] = 9;
    s.write_all(&h).unwrap();
    assert!(error_then_close(&mut s).contains("version 9"));

    let mut s = raw(&d);
    s.write_all(&wire::encode_header(Kind::Ioctl, 100)).unwrap();
    s.write_all(&[0u8; 10]).unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    assert!(error_then_close(&mut s).contains("truncated"));

    // A well-delimited but malformed ioctl gets an error and the connection stays.
    let mut s = raw(&d);
    wire::write_frame(&mut s, Kind::Ioctl, &[1, 2, 3]).unwrap();
    let mut p = Vec::new();
    assert_eq!(wire::read_frame(&mut s, &mut p).unwrap(), Kind::Error);
    assert!(String::from_utf8_lossy(&p).contains("truncated at"), "{}", String::from_utf8_lossy(&p));
    wire::write_frame(&mut s, Kind::Control, b"{}").unwrap();
    assert_eq!(wire::read_frame(&mut s, &mut p).unwrap(), Kind::Error);
    wire::write_frame(&mut s, Kind::DecodeStatus, b"x").unwrap();
    assert_eq!(wire::read_frame(&mut s, &mut p).unwrap(), Kind::DecodeStatusReply);

    works(&mut *good, 2);
    assert!(d.control(&ControlRequest::Status).is_ok());
}

#[test]
fn a_stalled_client_is_closed_and_an_idle_one_is_not() {
    let d = Fwctld::start(&loopback_config(1, "[limits]\nframe_timeout_ms = 300\n"), &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut idle = daemon.open("fwctl0").unwrap();
    let mut stalled = raw(&d);
    stalled.write_all(&wire::encode_header(Kind::Ioctl, 64)[..7]).unwrap();
    // Others are served while it stalls.
    let mut other = daemon.open("fwctl0").unwrap();
    works(&mut *other, 3);
    let msg = error_then_close(&mut stalled);
    assert!(msg.contains("timed out"), "{msg}");
    // The idle connection outlived many frame timeouts and still works.
    std::thread::sleep(Duration::from_millis(700));
    works(&mut *idle, 4);
}

fn raise_nofile(want: u64) {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
    if soft < want {
        assert!(hard >= want, "RLIMIT_NOFILE hard limit {hard} is below the {want} this test needs");
        setrlimit(Resource::RLIMIT_NOFILE, want, hard).unwrap();
    }
}

#[test]
fn a_thousand_concurrent_connections_are_all_served() {
    raise_nofile(8192);
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut chans: Vec<Box<dyn Channel>> = (0..1000).map(|_| daemon.open("fwctl0").unwrap()).collect();
    let status = d.control(&ControlRequest::Status).unwrap();
    assert_eq!(status["connections"], 1000);
    assert_eq!(status["devices"][0]["open_handles"], 1000);
    std::thread::scope(|s| {
        for (t, part) in chans.chunks_mut(250).enumerate() {
            s.spawn(move || {
                for (i, ch) in part.iter_mut().enumerate() {
                    let tag = (t * 250 + i) as u32;
                    let mut out = [0u8; 4];
                    ch.rpc(0, &tag.to_le_bytes(), &mut out).unwrap();
                    assert_eq!(u32::from_le_bytes(out), tag);
                }
            });
        }
    });
    drop(chans);
    let closed = wait_until(Duration::from_secs(30), || {
        d.control(&ControlRequest::Status).unwrap()["devices"][0]["open_handles"] == 0
    });
    assert!(closed, "every handle is closed when its connection goes");
}

#[test]
fn a_client_killed_mid_rpc_has_its_handle_closed() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let mut child = std::process::Command::new(binary("fwctl-probe"))
        .arg(&d.runtime_dir)
        .args(["fwctl0", "hold", "1500"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "open");
    let handles = || d.control(&ControlRequest::List).unwrap()[0]["open_handles"].clone();
    assert_eq!(handles(), 1);
    // Once the held RPC is being served, kill the client without warning.
    d.wait_in_flight(1);
    kill(Pid::from_raw(child.id() as i32), Signal::SIGKILL).unwrap();
    child.wait().unwrap();
    assert!(wait_until(Duration::from_secs(30), || handles() == 0), "the dead client's handle is closed");
    // The RPC it started was delivered and audited under its pid.
    let pid = child.id();
    assert!(
        d.audit().iter().any(|e| e["event"] == "rpc" && e["pid"] == pid && e["command"] == "LOOPBACK_SLEEP")
    );
    let mut ch = Daemon::new(&d.runtime_dir).open("fwctl0").unwrap();
    works(&mut *ch, 5);
}
