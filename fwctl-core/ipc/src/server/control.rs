//! The control socket: administrative verbs for root only, each one audited.
//!
//! A request is a [`Kind::Control`] frame holding one JSON object with a `verb`;
//! the reply is a [`Kind::ControlReply`] frame holding `{"ok": true, "result": …}`
//! or `{"ok": false, "error": "…"}`.
//!
//! | verb | fields | effect |
//! |---|---|---|
//! | `list` | | devices with state and open handles |
//! | `status` | | daemon pid, uptime, connections, RPC count, taint, devices |
//! | `reload` | | reload the policy (a bad file keeps the last good one) |
//! | `unplug` | `device` (`fwctlN`) | hot-unplug: open handles get `ENODEV` |
//! | `plug` | `device` (configuration label) | hot-plug a configured device |
//! | `clear-taint` | `reason` (non-empty) | clear the taint record |

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::peer::Peer;
use super::wire::{self, Kind, WireError};
use super::{AdminError, BadRequest, CONTROL_SOCKET, CallError, Shared};

/// A control request, as the `fwctl` CLI builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlRequest {
    /// List devices.
    List,
    /// Daemon status.
    Status,
    /// Reload the policy.
    Reload,
    /// Hot-unplug a device by name.
    Unplug(String),
    /// Hot-plug a configured device by label.
    Plug(String),
    /// Clear the taint record.
    ClearTaint(String),
}

impl ControlRequest {
    /// The JSON form sent on the wire.
    pub fn to_json(&self) -> Value {
        match self {
            ControlRequest::List => json!({"verb": "list"}),
            ControlRequest::Status => json!({"verb": "status"}),
            ControlRequest::Reload => json!({"verb": "reload"}),
            ControlRequest::Unplug(d) => json!({"verb": "unplug", "device": d}),
            ControlRequest::Plug(d) => json!({"verb": "plug", "device": d}),
            ControlRequest::ClearTaint(r) => json!({"verb": "clear-taint", "reason": r}),
        }
    }
}

/// Send one control request to the daemon serving `runtime_dir` and return its
/// result, or a one-line reason.
pub fn control_call(runtime_dir: &Path, req: &ControlRequest) -> Result<Value, CallError> {
    call_socket(&runtime_dir.join(CONTROL_SOCKET), &req.to_json())
}

/// An I/O error in words (`connection refused`), not `(os error 111)`.
fn io_words(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => nix::errno::Errno::from_raw(code).desc().to_lowercase(),
        None => e.to_string(),
    }
}

/// One JSON request on the socket at `path` (control or query) and its result.
pub(super) fn call_socket(path: &Path, request: &Value) -> Result<Value, CallError> {
    let mut s = UnixStream::connect(path)
        .map_err(|e| CallError::Connect { path: path.display().to_string(), why: io_words(&e) })?;
    let _ = s.set_read_timeout(Some(Duration::from_secs(120)));
    let wire_err = |e: WireError| {
        CallError::Wire(match e {
            WireError::Io(io) => io_words(&io),
            e => e.to_string(),
        })
    };
    wire::write_frame(&mut s, Kind::Control, request.to_string().as_bytes()).map_err(wire_err)?;
    let mut payload = Vec::new();
    match wire::read_frame(&mut s, &mut payload).map_err(wire_err)? {
        Kind::ControlReply => {}
        Kind::Error => return Err(CallError::Daemon(String::from_utf8_lossy(&payload).into_owned())),
        k => return Err(CallError::UnexpectedReply(format!("{k:?}"))),
    }
    let v: Value = serde_json::from_slice(&payload).map_err(|e| CallError::BadReply(e.to_string()))?;
    if v.get("ok").and_then(Value::as_bool) == Some(true) {
        Ok(v.get("result").cloned().unwrap_or(Value::Null))
    } else {
        Err(CallError::Failed(v.get("error").and_then(Value::as_str).unwrap_or("unknown error").to_string()))
    }
}

pub(super) fn serve(shared: &Arc<Shared>, mut stream: UnixStream) {
    let _ = stream.set_read_timeout(Some(shared.config.limits.frame_timeout));
    let _ = stream.set_write_timeout(Some(shared.config.limits.write_timeout));
    let peer = match Peer::identify(&stream) {
        Ok(p) => p,
        Err(e) => {
            let _ = wire::write_frame(&mut stream, Kind::Error, e.to_string().as_bytes());
            return;
        }
    };
    let me = nix::unistd::geteuid().as_raw();
    if peer.creds.uid != 0 && peer.creds.uid != me {
        let refused = AdminError::RootOnly(peer.creds.uid);
        let msg = refused.to_string();
        shared.admin.record_control(&peer.creds, &json!({"verb": "connect"}), &Err(refused));
        let _ = wire::write_frame(&mut stream, Kind::Error, msg.as_bytes());
        return;
    }
    let mut payload = Vec::new();
    loop {
        if !next_request(&mut stream, &mut payload, "control") {
            return;
        }
        let request: Value = match serde_json::from_slice(&payload) {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("control request is not JSON: {e}");
                let _ = wire::write_frame(&mut stream, Kind::Error, msg.as_bytes());
                return;
            }
        };
        let outcome = run(shared, &peer, &request);
        shared.admin.record_control(&peer.creds, &request, &outcome);
        let reply = match outcome {
            Ok(result) => json!({"ok": true, "result": result}),
            Err(error) => json!({"ok": false, "error": error.to_string()}),
        };
        if wire::write_frame(&mut stream, Kind::ControlReply, reply.to_string().as_bytes()).is_err() {
            return;
        }
    }
}

fn field<'a>(request: &'a Value, name: &'static str) -> Result<&'a str, AdminError> {
    request.get(name).and_then(Value::as_str).ok_or(AdminError::BadRequest(BadRequest::MissingField(name)))
}

fn run(shared: &Arc<Shared>, peer: &Peer, request: &Value) -> Result<Value, AdminError> {
    let verb = field(request, "verb")?;
    match verb {
        "list" => Ok(serde_json::to_value(shared.subsystem.devices()).unwrap_or_default()),
        "status" => Ok(shared.status()),
        "reload" => shared.admin.reload_policy().map(Value::String),
        "unplug" => shared.unplug(field(request, "device")?).map(|()| Value::Null),
        "plug" => shared.plug_label(field(request, "device")?, false).map(Value::String),
        "clear-taint" => {
            let reason = field(request, "reason")?.trim();
            if reason.is_empty() {
                return Err(BadRequest::NoReason.into());
            }
            shared.admin.clear_taint(reason, &peer.creds)?;
            shared.publish();
            Ok(Value::Null)
        }
        other => Err(BadRequest::UnknownVerb(other.into()).into()),
    }
}

/// Read the next request frame on the control or query socket (`socket` names
/// it in the error) into `payload`: `false` when the peer closed, or when the
/// frame was bad or not a `Control` frame (answered with an `Error` frame).
pub(super) fn next_request(stream: &mut UnixStream, payload: &mut Vec<u8>, socket: &str) -> bool {
    let kind = match wire::read_frame(&mut *stream, payload) {
        Ok(k) => k,
        Err(WireError::Closed) => return false,
        Err(e) => {
            let _ = wire::write_frame(&mut *stream, Kind::Error, e.to_string().as_bytes());
            return false;
        }
    };
    if kind != Kind::Control {
        let msg = format!("unexpected {kind:?} frame on the {socket} socket");
        let _ = wire::write_frame(&mut *stream, Kind::Error, msg.as_bytes());
        return false;
    }
    true
}
