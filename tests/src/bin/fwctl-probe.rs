//! `fwctl-probe`: a minimal client of the `Daemon` transport for tests that need a
//! client in another process (another OS user, or one to kill).
//!
//! ```text
//! fwctl-probe RUNTIME_DIR DEVICE rpc SCOPE HEX OUT_CAPACITY   one RPC, JSON result on stdout
//! fwctl-probe RUNTIME_DIR DEVICE hold MS                      open, print "open", one RPC held MS ms
//! fwctl-probe RUNTIME_DIR DEVICE park                         open, print "open", wait to be killed
//! fwctl-probe RUNTIME_DIR - control                           the control verb `status`
//! ```

use std::io::Write;
use std::path::PathBuf;

use fwctl_core::server::{ControlRequest, control_call};
use fwctl_core::transport::{Daemon, Transport};
use serde_json::json;

fn hex(s: &str) -> Option<Vec<u8>> {
    hex::decode(s).ok()
}

fn run(args: &[String]) -> Result<serde_json::Value, String> {
    let [dir, device, verb, rest @ ..] = args else {
        return Err("usage: RUNTIME_DIR DEVICE VERB ...".into());
    };
    let dir = PathBuf::from(dir);
    let daemon = Daemon::new(&dir);
    let errno = |e: fwctl_core::Errno| json!({"result": e.name()});
    match (verb.as_str(), rest) {
        ("rpc", [scope, req, cap]) => {
            let scope: u32 = scope.parse().map_err(|_| "bad scope")?;
            let req = hex(req).ok_or("bad hex")?;
            let cap: usize = cap.parse().map_err(|_| "bad capacity")?;
            let mut ch = match daemon.open(device) {
                Ok(c) => c,
                Err(e) => return Ok(errno(e)),
            };
            let mut out = vec![0u8; cap];
            Ok(match ch.rpc(scope, &req, &mut out) {
                Ok(r) => {
                    let n = (r.out_len as usize).min(cap);
                    let h = hex::encode(&out[..n]);
                    json!({"result": "ok", "out_len": r.out_len, "out": h})
                }
                Err(e) => errno(e),
            })
        }
        ("hold", [ms]) => {
            let ms: u32 = ms.parse().map_err(|_| "bad ms")?;
            let mut ch = match daemon.open(device) {
                Ok(c) => c,
                Err(e) => return Ok(errno(e)),
            };
            println!("open");
            let _ = std::io::stdout().flush();
            let mut req = b"SLEEP".to_vec();
            req.extend_from_slice(&ms.to_le_bytes());
            let mut out = [0u8; 16];
            Ok(match ch.rpc(0, &req, &mut out) {
                Ok(_) => json!({"result": "ok"}),
                Err(e) => errno(e),
            })
        }
        ("park", []) => {
            let _ch = match daemon.open(device) {
                Ok(c) => c,
                Err(e) => return Ok(errno(e)),
            };
            println!("open");
            let _ = std::io::stdout().flush();
            loop {
                std::thread::park();
            }
        }
        ("control", []) => Ok(match control_call(&dir, &ControlRequest::Status) {
            Ok(v) => json!({"result": "ok", "status": v}),
            Err(e) => json!({"result": "error", "error": e.to_string()}),
        }),
        _ => Err("unknown verb".into()),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("fwctl-probe: {e}");
            std::process::exit(2);
        }
    }
}
