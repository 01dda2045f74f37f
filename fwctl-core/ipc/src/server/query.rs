//! The query socket `<runtime-dir>/query` (mode 0666): what any local user may
//! ask the daemon, answered with the caller's own rights only.
//!
//! The control socket is root-only because its verbs change things; a user who
//! wants to know "what may I do" (`fwctl policy show --me`, like `sudo -l`) or
//! "would this be allowed" (`fwctl policy explain`) asks here instead. The
//! daemon judges who asks from the socket credentials (`SO_PEERCRED`, groups and
//! capabilities from `/proc`, as for a device connection), never from the
//! request. A caller other than root (or the daemon's own user) may ask only
//! about themselves; the answers name only the rules that name the caller.
//! Query verbs are read-only and are not audited (a user must not be able to
//! fill the audit log by asking). One request per connection; connections count
//! against the same per-user limits as device connections.
//!
//! A request is a [`Kind::Control`] frame holding one JSON object with a `verb`;
//! the reply is a [`Kind::ControlReply`] frame holding `{"ok": true, "result": …}`
//! or `{"ok": false, "error": "…"}` (the control socket's framing).
//!
//! | verb | fields | answer |
//! |---|---|---|
//! | `hello` | | daemon pid, runtime directory, uptime, policy source and load time |
//! | `rights` | | the caller's identity, the rules naming them, per device whether they may open it |
//! | `explain` | `device`, `scope` (optional), `request` (hex, optional), `as` (root only) | the installed policy's decision with its steps |

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};

use super::peer::Peer;
use super::wire::{self, Kind};
use super::{AdminError, BadRequest, QUERY_SOCKET, Shared};
use fwctl_subsys::creds::Credentials;
use fwctl_uapi::RpcScope;

/// A question for the query socket, as the `fwctl` CLI builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryRequest {
    /// Who is serving: pid, runtime directory, policy source and load time.
    Hello,
    /// The caller's own rights (`fwctl policy show --me`).
    Rights,
    /// The decision for a request on a device.
    Explain {
        /// The device name (`fwctlN`).
        device: String,
        /// The scope; `None` asks about opening the device.
        scope: Option<RpcScope>,
        /// The request bytes, described by the device's driver.
        request: Option<Vec<u8>>,
        /// Ask about someone else (root only): uid, gid, groups, CAP_SYS_RAWIO.
        as_caller: Option<Credentials>,
    },
}

impl QueryRequest {
    /// The JSON form sent on the wire.
    pub fn to_json(&self) -> Value {
        match self {
            QueryRequest::Hello => json!({"verb": "hello"}),
            QueryRequest::Rights => json!({"verb": "rights"}),
            QueryRequest::Explain { device, scope, request, as_caller } => json!({
                "verb": "explain",
                "device": device,
                "scope": scope.map(RpcScope::name),
                "request": request.as_ref().map(hex::encode),
                "as": as_caller.as_ref().map(|c| json!({
                    "uid": c.uid, "gid": c.gid, "groups": c.groups, "cap_sys_rawio": c.has_cap_sys_rawio(),
                })),
            }),
        }
    }
}

/// Ask the daemon serving `runtime_dir` one question on its query socket and
/// return its result, or a one-line reason.
pub fn query_call(runtime_dir: &Path, req: &QueryRequest) -> Result<Value, super::CallError> {
    super::control::call_socket(&runtime_dir.join(QUERY_SOCKET), &req.to_json())
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
    let mut payload = Vec::new();
    if !super::control::next_request(&mut stream, &mut payload, "query") {
        return;
    }
    let reply = match serde_json::from_slice::<Value>(&payload) {
        Ok(request) => match run(shared, &peer.creds, &request) {
            Ok(result) => json!({"ok": true, "result": result}),
            Err(error) => json!({"ok": false, "error": error.to_string()}),
        },
        Err(e) => json!({"ok": false, "error": format!("query is not JSON: {e}")}),
    };
    let _ = wire::write_frame(&mut stream, Kind::ControlReply, reply.to_string().as_bytes());
}

/// Whether `creds` may ask about other callers: root, or the daemon's own user
/// (who may also open the control socket).
fn privileged(creds: &Credentials) -> bool {
    creds.uid == 0 || creds.uid == nix::unistd::geteuid().as_raw()
}

fn run(shared: &Arc<Shared>, caller: &Credentials, request: &Value) -> Result<Value, AdminError> {
    let verb = request.get("verb").and_then(Value::as_str).ok_or(BadRequest::MissingField("verb"))?;
    match verb {
        "hello" => Ok(json!({
            "pid": std::process::id(),
            "runtime_dir": shared.config.runtime_dir.display().to_string(),
            "uptime_secs": shared.started.elapsed().as_secs(),
            "policy": shared.admin.public_status(),
        })),
        "rights" => {
            let views: Vec<_> = shared.subsystem.devices().into_iter().map(|d| d.view).collect();
            shared.admin.rights(caller, &views)
        }
        "explain" => explain(shared, caller, request),
        other => Err(BadRequest::UnknownQuery(other.into()).into()),
    }
}

fn explain(shared: &Arc<Shared>, caller: &Credentials, request: &Value) -> Result<Value, AdminError> {
    let name = request.get("device").and_then(Value::as_str).ok_or(BadRequest::MissingField("device"))?;
    let scope = match request.get("scope").and_then(Value::as_str) {
        None => None,
        Some(s) => Some(s.parse::<RpcScope>().map_err(BadRequest::Scope)?),
    };
    let creds = match request.get("as").filter(|v| !v.is_null()) {
        None => caller.clone(),
        Some(_) if !privileged(caller) => {
            return Err(AdminError::OnlyAboutSelf(caller.uid));
        }
        Some(who) => {
            let num = |k: &str| who.get(k).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok());
            let groups = who
                .get("groups")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_u64).filter_map(|n| u32::try_from(n).ok()).collect())
                .unwrap_or_default();
            Credentials {
                uid: num("uid").ok_or(BadRequest::AsNeedsUid)?,
                gid: num("gid").unwrap_or(u32::MAX),
                groups,
                pid: 0,
                comm: "explain".into(),
                cap_sys_rawio: who.get("cap_sys_rawio").and_then(Value::as_bool).unwrap_or(false),
                ..Credentials::default()
            }
        }
    };
    let minor = shared.subsystem.minor_by_name(name).ok_or_else(|| AdminError::NoDevice(name.to_string()))?;
    let view = shared
        .subsystem
        .devices()
        .into_iter()
        .find(|d| d.view.minor == minor)
        .map(|d| d.view)
        .ok_or_else(|| AdminError::NoDevice(name.to_string()))?;
    let description = match request.get("request").and_then(Value::as_str) {
        None => None,
        Some(h) => {
            let bytes = hex::decode(h).map_err(|_| BadRequest::RequestNotHex)?;
            if bytes.len() > fwctl_uapi::MAX_RPC_LEN {
                return Err(BadRequest::RequestTooLarge.into());
            }
            Some(
                shared
                    .subsystem
                    .describe(minor, &bytes)
                    .map_err(|errno| AdminError::Describe { device: name.to_string(), errno })?,
            )
        }
    };
    let mut answer = shared.admin.explain(&creds, &view, scope, description.as_ref())?;
    if let Some(o) = answer.as_object_mut() {
        o.insert(
            "caller".into(),
            json!({"uid": creds.uid, "gid": creds.gid, "groups": creds.groups, "cap_sys_rawio": creds.has_cap_sys_rawio()}),
        );
        o.insert("device".into(), serde_json::to_value(&view).unwrap_or_default());
        o.insert("request".into(), serde_json::to_value(&description).unwrap_or_default());
    }
    Ok(answer)
}
