//! A frame-counting proxy between a client and a `fwctld` device socket: it
//! relays bytes both ways unchanged and records the kind of every frame the
//! client sends, so a test can assert how many requests one command makes.

use std::io::{Read, Write};
use std::net::Shutdown;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use fwctl_core::server::STATUS_FILE;
use fwctl_core::server::wire::{self, HEADER_LEN};

use crate::daemon::TempDir;

/// A runtime directory whose device sockets relay to a real daemon's.
#[derive(Debug)]
pub struct FrameProxy {
    /// The proxy's runtime directory (pass it as `--runtime-dir`).
    pub dir: TempDir,
    kinds: Arc<Mutex<Vec<u16>>>,
}

impl FrameProxy {
    /// Relay `device` (e.g. `fwctl0`) of the daemon serving `runtime_dir`. The
    /// daemon's status file is copied so clients see the same devices and pid.
    pub fn new(runtime_dir: &Path, device: &str) -> FrameProxy {
        let dir = TempDir::new("proxy");
        std::fs::copy(runtime_dir.join(STATUS_FILE), dir.path().join(STATUS_FILE)).expect("copy status file");
        let listener = UnixListener::bind(dir.path().join(device)).expect("bind proxy socket");
        let upstream = runtime_dir.join(device);
        let kinds = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&kinds);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let upstream = upstream.clone();
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || relay(client, &upstream, &seen));
            }
        });
        FrameProxy { dir, kinds }
    }

    /// The proxy's runtime directory.
    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Kinds of the frames clients sent so far, in order.
    pub fn request_kinds(&self) -> Vec<u16> {
        self.kinds.lock().map(|k| k.clone()).unwrap_or_default()
    }
}

/// Relay one connection: server → client as raw bytes, client → server frame
/// by frame, recording each frame's kind before it is forwarded.
fn relay(mut client: UnixStream, upstream: &Path, seen: &Mutex<Vec<u16>>) {
    let Ok(mut server) = UnixStream::connect(upstream) else { return };
    let (Ok(mut client_w), Ok(mut server_r)) = (client.try_clone(), server.try_clone()) else { return };
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut server_r, &mut client_w);
        let _ = client_w.shutdown(Shutdown::Write);
    });
    let mut header = [0u8; HEADER_LEN];
    let mut payload = Vec::new();
    while client.read_exact(&mut header).is_ok() {
        let Ok(h) = wire::decode_header(&header) else { break };
        payload.resize(h.len, 0);
        if client.read_exact(&mut payload).is_err() {
            break;
        }
        if let Ok(mut k) = seen.lock() {
            k.push(h.kind as u16);
        }
        if server.write_all(&header).and_then(|()| server.write_all(&payload)).is_err() {
            break;
        }
    }
    let _ = server.shutdown(Shutdown::Write);
    let _ = back.join();
}
