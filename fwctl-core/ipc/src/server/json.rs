//! JSON forms of the answers to the daemon's non-ioctl verbs (describe, dry-run,
//! decode-status) and of the device listing. Not on the RPC fast path, so a
//! self-describing format is worth its few microseconds. Both directions live
//! here so the client decodes exactly what the server encodes.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Value, json};

use fwctl_subsys::driver::{DeviceIdentity, DeviceStatus, Effects, RegisterAccess, RpcDescription};
use fwctl_subsys::hooks::Decision;
use fwctl_subsys::ioctl::DryRun;
use fwctl_subsys::subsystem::{DeviceState, DeviceSummary, DeviceView};
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{DeviceType, RpcScope};

/// Why a JSON document could not be decoded.
#[derive(Debug, thiserror::Error)]
#[error("bad {what} in daemon reply")]
pub struct JsonError {
    what: &'static str,
}

fn bad(what: &'static str) -> JsonError {
    JsonError { what }
}

fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn u32_of(v: &Value, key: &'static str) -> Result<u32, JsonError> {
    v.get(key).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()).ok_or(bad(key))
}

/// Encode a description.
pub fn description_to_json(d: &RpcDescription) -> Value {
    json!({
        "opcode": d.opcode,
        "op_mod": d.op_mod,
        "name": d.name.as_deref(),
        "min_scope": d.min_scope.map(RpcScope::as_u32),
        "effects": d.effects.bits(),
        "expected_out_len": d.expected_out_len,
        "register": d.register.as_ref().map(|r| json!({"id": r.id, "name": r.name.as_deref(), "write": r.write})),
    })
}

/// Decode a description.
pub fn description_from_json(v: &Value) -> Result<RpcDescription, JsonError> {
    let min_scope = match v.get("min_scope") {
        None | Some(Value::Null) => None,
        Some(s) => Some(
            s.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .and_then(RpcScope::from_u32)
                .ok_or(bad("min_scope"))?,
        ),
    };
    let register = match v.get("register") {
        None | Some(Value::Null) => None,
        Some(r) => Some(RegisterAccess {
            id: u32_of(r, "id")?,
            name: opt_str(r, "name").map(Cow::Owned),
            write: r.get("write").and_then(Value::as_bool).ok_or(bad("register.write"))?,
        }),
    };
    Ok(RpcDescription {
        opcode: u32_of(v, "opcode")?,
        op_mod: u32_of(v, "op_mod")?,
        name: opt_str(v, "name").map(Cow::Owned),
        min_scope,
        effects: Effects::from_bits_retain(u32_of(v, "effects")?),
        expected_out_len: v.get("expected_out_len").and_then(Value::as_u64).map(|n| n as usize),
        register,
    })
}

/// Encode a decision.
pub fn decision_to_json(d: &Decision) -> Value {
    json!({
        "errno": d.errno.map(Errno::code),
        "reason": &*d.reason,
        "rule": d.rule.as_deref(),
    })
}

/// Decode a decision.
pub fn decision_from_json(v: &Value) -> Result<Decision, JsonError> {
    let errno = match v.get("errno") {
        None | Some(Value::Null) => None,
        Some(e) => Some(
            e.as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .and_then(Errno::from_code)
                .ok_or(bad("decision.errno"))?,
        ),
    };
    Ok(Decision {
        errno,
        reason: Arc::from(v.get("reason").and_then(Value::as_str).ok_or(bad("decision.reason"))?),
        rule: opt_str(v, "rule").map(Arc::from),
    })
}

/// Encode a dry-run result.
pub fn dry_run_to_json(d: &DryRun) -> Value {
    json!({
        "description": d.description.as_ref().map(description_to_json),
        "decision": decision_to_json(&d.decision),
    })
}

/// Decode a dry-run result.
pub fn dry_run_from_json(v: &Value) -> Result<DryRun, JsonError> {
    let description = match v.get("description") {
        None | Some(Value::Null) => None,
        Some(d) => Some(description_from_json(d)?),
    };
    Ok(DryRun { description, decision: decision_from_json(v.get("decision").ok_or(bad("decision"))?)? })
}

/// Encode a device status.
pub fn status_to_json(s: &DeviceStatus) -> Value {
    json!({"code": s.code, "name": &*s.name, "syndrome": s.syndrome, "ok": s.ok})
}

/// Decode a device status.
pub fn status_from_json(v: &Value) -> Result<DeviceStatus, JsonError> {
    Ok(DeviceStatus {
        code: u32_of(v, "code")?,
        name: Cow::Owned(opt_str(v, "name").ok_or(bad("status.name"))?),
        syndrome: v.get("syndrome").and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()),
        ok: v.get("ok").and_then(Value::as_bool).ok_or(bad("status.ok"))?,
    })
}

/// Encode one device of a listing.
pub fn summary_to_json(s: &DeviceSummary) -> Value {
    json!({
        "name": s.view.name,
        "minor": s.view.minor,
        "type": s.view.device_type.as_u32(),
        "driver": s.view.identity.driver,
        "parent": s.view.identity.parent,
        "fw_version": s.view.identity.fw_version,
        "serial": s.view.identity.serial,
        "state": s.state.name(),
        "failure": s.failure,
        "open_handles": s.open_handles,
    })
}

/// Decode one device of a listing.
pub fn summary_from_json(v: &Value) -> Result<DeviceSummary, JsonError> {
    let state = match v.get("state").and_then(Value::as_str) {
        Some("live") => DeviceState::Live,
        Some("failed") => DeviceState::Failed,
        Some("removed") => DeviceState::Removed,
        _ => return Err(bad("state")),
    };
    Ok(DeviceSummary {
        view: DeviceView {
            minor: u32_of(v, "minor")?,
            name: opt_str(v, "name").ok_or(bad("name"))?,
            device_type: DeviceType::from_u32(u32_of(v, "type")?).unwrap_or(DeviceType::Error),
            identity: DeviceIdentity {
                driver: opt_str(v, "driver").unwrap_or_default(),
                parent: opt_str(v, "parent"),
                fw_version: opt_str(v, "fw_version"),
                serial: opt_str(v, "serial"),
            },
        },
        state,
        failure: opt_str(v, "failure"),
        open_handles: v.get("open_handles").and_then(Value::as_u64).unwrap_or(0) as usize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_and_dry_runs_round_trip() {
        let d = RpcDescription {
            opcode: 0x805,
            op_mod: 1,
            name: Some("ACCESS_REG".into()),
            min_scope: Some(RpcScope::DebugWrite),
            effects: Effects::WRITE_DEBUG | Effects::DISRUPTIVE,
            expected_out_len: Some(272),
            register: Some(RegisterAccess { id: 0x5006, name: Some("PAOS".into()), write: true }),
        };
        assert_eq!(description_from_json(&description_to_json(&d)).unwrap(), d);
        let mut dr = DryRun { description: Some(d), decision: Decision::deny(Errno::EPERM, "no") };
        dr.decision.rule = Some("r1".into());
        let back = dry_run_from_json(&dry_run_to_json(&dr)).unwrap();
        assert_eq!((back.description, back.decision), (dr.description, dr.decision));
        let s = DeviceStatus { code: 2, name: "BAD_OP_ERR".into(), syndrome: Some(7), ok: false };
        assert_eq!(status_from_json(&status_to_json(&s)).unwrap(), s);
        assert!(description_from_json(&json!({"opcode": "x"})).is_err());
    }
}
