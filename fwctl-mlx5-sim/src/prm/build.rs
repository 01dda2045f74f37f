//! Request builders: zeroed mailboxes with opcode, op_mod and fields set through
//! the layouts in [`super::commands`]. The uid is left 0; the driver stamps it.

use super::caps::{self, CapMode};
use super::commands::{self as cmd, mbox_in};
use super::layout::{FieldKind, Layout};
use super::opcode;
use super::registers::{self, Register};

/// A request that cannot be built from what the caller gave.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrmError {
    /// No implemented register has that name or id.
    #[error("unknown register '{0}' (`fwctl mlx5 DEV reg list` names the known ones)")]
    UnknownRegister(String),
    /// The structure has no such field.
    #[error("{layout} has no field '{field}'")]
    UnknownField {
        /// The structure.
        layout: &'static str,
        /// The name given.
        field: String,
    },
    /// The value does not parse or does not fit.
    #[error("bad value '{value}' for {field}: {why}")]
    BadValue {
        /// The field.
        field: String,
        /// The text given.
        value: String,
        /// What is wrong with it.
        why: String,
    },
    /// An assignment without `=`.
    #[error("expected FIELD=VALUE, got '{0}'")]
    NotAnAssignment(String),
    /// More diagnostic counters than the 16-bit count can hold.
    #[error("too many diagnostic counters ({0}); at most 65535")]
    TooManyCounters(usize),
}

/// A zeroed request of `len` bytes with opcode and op_mod set.
pub fn header(opcode: u16, op_mod: u16, len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len.max(16)];
    mbox_in::OPCODE.set(&mut b, u64::from(opcode));
    mbox_in::OP_MOD.set(&mut b, u64::from(op_mod));
    b
}

/// QUERY_HCA_CAP of this function.
pub fn query_hca_cap(cap_type: u16, mode: CapMode) -> Vec<u8> {
    header(opcode::QUERY_HCA_CAP, caps::op_mod(cap_type, mode), cmd::hca_cap::QUERY_IN.bytes)
}

/// QUERY_HCA_CAP of another function (`other_function = 1`).
pub fn query_hca_cap_other(cap_type: u16, mode: CapMode, function_id: u16) -> Vec<u8> {
    let mut b = query_hca_cap(cap_type, mode);
    cmd::hca_cap::OTHER_FUNCTION.set(&mut b, 1);
    cmd::hca_cap::FUNCTION_ID.set(&mut b, u64::from(function_id));
    b
}

/// SET_HCA_CAP of another function: `page` (up to 4096 bytes) becomes the capability.
pub fn set_hca_cap_other(cap_type: u16, function_id: u16, page: &[u8]) -> Vec<u8> {
    let mut b = header(opcode::SET_HCA_CAP, cap_type << 1, cmd::hca_cap::SET_IN.bytes);
    cmd::hca_cap::OTHER_FUNCTION.set(&mut b, 1);
    cmd::hca_cap::FUNCTION_ID.set(&mut b, u64::from(function_id));
    let n = page.len().min(cmd::hca_cap::CAPABILITY_BYTES);
    let at = cmd::hca_cap::CAPABILITY_BYTE;
    b[at..at + n].copy_from_slice(&page[..n]);
    b
}

/// QUERY_ADAPTER (16 bytes; the response is 272).
pub fn query_adapter() -> Vec<u8> {
    header(opcode::QUERY_ADAPTER, 0, cmd::query_adapter::IN.bytes)
}

/// QUERY_ISSI.
pub fn query_issi() -> Vec<u8> {
    header(opcode::QUERY_ISSI, 0, cmd::query_issi::IN.bytes)
}

/// QUERY_PAGES; `op_mod` 1 boot, 2 init, 3 regular.
pub fn query_pages(op_mod: u16, function_id: u16) -> Vec<u8> {
    let mut b = header(opcode::QUERY_PAGES, op_mod, cmd::query_pages::IN.bytes);
    cmd::query_pages::FUNCTION_ID.set(&mut b, u64::from(function_id));
    b
}

/// QUERY_SPECIAL_CONTEXTS.
pub fn query_special_contexts() -> Vec<u8> {
    header(opcode::QUERY_SPECIAL_CONTEXTS, 0, cmd::query_special_contexts::IN.bytes)
}

/// QUERY_VPORT_STATE; `vport = Some(n)` sets `other_vport`.
pub fn query_vport_state(op_mod: u16, vport: Option<u16>) -> Vec<u8> {
    let mut b = header(opcode::QUERY_VPORT_STATE, op_mod, cmd::query_vport_state::IN.bytes);
    set_vport(&mut b, vport);
    b
}

/// QUERY_NIC_VPORT_CONTEXT; `vport = Some(n)` sets `other_vport`.
pub fn query_nic_vport_context(vport: Option<u16>) -> Vec<u8> {
    let mut b = header(opcode::QUERY_NIC_VPORT_CONTEXT, 0, cmd::query_nic_vport_context::IN.bytes);
    set_vport(&mut b, vport);
    b
}

/// QUERY_VPORT_COUNTER (32 bytes; the response is 528).
pub fn query_vport_counter(vport: Option<u16>, port_num: u8, clear: bool) -> Vec<u8> {
    let mut b = header(opcode::QUERY_VPORT_COUNTER, 0, cmd::query_vport_counter::IN.bytes);
    set_vport(&mut b, vport);
    cmd::query_vport_counter::PORT_NUM.set(&mut b, u64::from(port_num));
    cmd::query_vport_counter::CLEAR.set(&mut b, u64::from(clear));
    b
}

/// QUERY_Q_COUNTER of a counter set.
pub fn query_q_counter(counter_set_id: u8, clear: bool) -> Vec<u8> {
    let mut b = header(opcode::QUERY_Q_COUNTER, 0, cmd::query_q_counter::IN.bytes);
    cmd::query_q_counter::COUNTER_SET_ID.set(&mut b, u64::from(counter_set_id));
    cmd::query_q_counter::CLEAR.set(&mut b, u64::from(clear));
    b
}

/// NOP.
pub fn nop() -> Vec<u8> {
    header(opcode::NOP, 0, cmd::nop::IN.bytes)
}

/// CREATE_UCTX with `caps` (what the driver sends at open).
pub fn create_uctx(caps: u32) -> Vec<u8> {
    let mut b = header(opcode::CREATE_UCTX, 0, cmd::uctx::CREATE_IN.bytes);
    cmd::uctx::CREATE_CAP.set(&mut b, u64::from(caps));
    b
}

/// DESTROY_UCTX of `uid` (the uid goes in the body, the header uid stays 0).
pub fn destroy_uctx(uid: u16) -> Vec<u8> {
    let mut b = header(opcode::DESTROY_UCTX, 0, cmd::uctx::DESTROY_IN.bytes);
    cmd::uctx::OBJ_UID.set(&mut b, u64::from(uid));
    b
}

/// QUERY_UCTX of `uid`.
pub fn query_uctx(uid: u16) -> Vec<u8> {
    let mut b = header(opcode::QUERY_UCTX, 0, cmd::uctx::QUERY_IN.bytes);
    cmd::uctx::OBJ_UID.set(&mut b, u64::from(uid));
    b
}

/// Diagnostic sampling parameters (SET_DIAGNOSTIC_PARAMS).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagParams {
    /// Counter ids to sample (must be listed in the DEBUG cap page).
    pub counters: Vec<u16>,
    /// log2 of the samples kept.
    pub log_num_of_samples: u8,
    /// log2 of the sampling period.
    pub log_sample_period: u8,
    /// Sample once.
    pub single: bool,
    /// Sample cyclically.
    pub repetitive: bool,
    /// Synchronise counters.
    pub sync: bool,
    /// Clear the sample buffer.
    pub clear: bool,
    /// On-demand sampling.
    pub on_demand: bool,
    /// Enable sampling.
    pub enable: bool,
}

/// QUERY_DIAGNOSTIC_PARAMS.
pub fn query_diagnostic_params() -> Vec<u8> {
    header(opcode::QUERY_DIAGNOSTIC_PARAMS, 0, cmd::diag::QUERY_PARAMS_IN.bytes)
}

/// SET_DIAGNOSTIC_PARAMS (32 + 4·N bytes).
pub fn set_diagnostic_params(p: &DiagParams) -> Result<Vec<u8>, PrmError> {
    use cmd::diag as d;
    let n = u16::try_from(p.counters.len()).map_err(|_| PrmError::TooManyCounters(p.counters.len()))?;
    let mut b = header(opcode::SET_DIAGNOSTIC_PARAMS, 0, d::SET_PARAMS_IN.bytes + 4 * p.counters.len());
    debug_assert_eq!(usize::from(n), p.counters.len());
    write_diag_context(p, &mut b[d::CONTEXT_BYTE..]);
    Ok(b)
}

/// Encode `p` as a `diagnostic_params_context` (the body of SET_DIAGNOSTIC_PARAMS
/// and of the QUERY_DIAGNOSTIC_PARAMS response). `ctx` must hold
/// `CONTEXT_FIXED_BYTES + 4 * p.counters.len()` bytes; the firmware and the
/// request builder share this one encoder so they cannot drift apart.
pub fn write_diag_context(p: &DiagParams, ctx: &mut [u8]) {
    use cmd::diag as d;
    d::NUM_OF_COUNTERS.set(ctx, p.counters.len() as u64);
    d::LOG_NUM_OF_SAMPLES.set(ctx, u64::from(p.log_num_of_samples));
    d::LOG_SAMPLE_PERIOD.set(ctx, u64::from(p.log_sample_period));
    for (f, v) in [
        (d::SINGLE, p.single),
        (d::REPETITIVE, p.repetitive),
        (d::SYNC, p.sync),
        (d::CLEAR, p.clear),
        (d::ON_DEMAND, p.on_demand),
        (d::ENABLE, p.enable),
    ] {
        f.set(ctx, u64::from(v));
    }
    for (i, id) in p.counters.iter().enumerate() {
        d::COUNTER_ID.set(&mut ctx[d::CONTEXT_FIXED_BYTES + 4 * i..], u64::from(*id));
    }
}

/// QUERY_DIAGNOSTIC_COUNTERS.
pub fn query_diagnostic_counters(num_of_samples: u16, sample_index: u16) -> Vec<u8> {
    let mut b = header(opcode::QUERY_DIAGNOSTIC_COUNTERS, 0, cmd::diag::QUERY_COUNTERS_IN.bytes);
    cmd::diag::NUM_OF_SAMPLES.set(&mut b, u64::from(num_of_samples));
    cmd::diag::SAMPLE_INDEX.set(&mut b, u64::from(sample_index));
    b
}

/// QUERY_CONG_STATUS of a priority and protocol.
pub fn query_cong_status(priority: u8, protocol: u8) -> Vec<u8> {
    let mut b = header(opcode::QUERY_CONG_STATUS, 0, cmd::cong::STATUS_IN.bytes);
    cmd::cong::PRIORITY.set(&mut b, u64::from(priority));
    cmd::cong::CONG_PROTOCOL.set(&mut b, u64::from(protocol));
    b
}

/// QUERY_CONG_PARAMS of a protocol (1 = RP, 2 = NP).
pub fn query_cong_params(protocol: u8) -> Vec<u8> {
    let mut b = header(opcode::QUERY_CONG_PARAMS, 0, cmd::cong::PARAMS_IN.bytes);
    cmd::cong::CONG_PROTOCOL.set(&mut b, u64::from(protocol));
    b
}

/// QUERY_CONG_STATISTICS.
pub fn query_cong_statistics(clear: bool) -> Vec<u8> {
    let mut b = header(opcode::QUERY_CONG_STATISTICS, 0, cmd::cong::STATS_IN.bytes);
    cmd::cong::STATS_CLEAR.set(&mut b, u64::from(clear));
    b
}

/// QUERY_VUID of a vHCA.
pub fn query_vuid(vhca_id: u16) -> Vec<u8> {
    let mut b = header(opcode::QUERY_VUID, 0, cmd::query_vuid::IN.bytes);
    cmd::query_vuid::VHCA_ID.set(&mut b, u64::from(vhca_id));
    b
}

/// ACCESS_REG of an implemented register with `FIELD=VALUE` assignments
/// (numbers in decimal or 0x-hex; text for string fields). The request and the
/// response are both 16 + register size bytes.
pub fn access_reg(register: &Register, write: bool, fields: &[(&str, &str)]) -> Result<Vec<u8>, PrmError> {
    access_reg_with(opcode::ACCESS_REG, register, write, fields)
}

/// ACCESS_REG by register name or id (`PAOS`, `0x5006`).
pub fn access_reg_by_name(
    name_or_id: &str,
    write: bool,
    fields: &[(&str, &str)],
) -> Result<Vec<u8>, PrmError> {
    let reg = registers::find(name_or_id).ok_or_else(|| PrmError::UnknownRegister(name_or_id.to_string()))?;
    access_reg(reg, write, fields)
}

/// Like [`access_reg`], with ACCESS_REGISTER_USER (0xb0c) or ACCESS_REG (0x805) as opcode.
pub fn access_reg_with(
    opcode: u16,
    register: &Register,
    write: bool,
    fields: &[(&str, &str)],
) -> Result<Vec<u8>, PrmError> {
    let op_mod = if write { cmd::access_reg::OP_MOD_WRITE } else { cmd::access_reg::OP_MOD_READ };
    let mut b = header(opcode, op_mod, cmd::access_reg::DATA_BYTE + register.size());
    cmd::access_reg::REGISTER_ID.set(&mut b, u64::from(register.id));
    let data = &mut b[cmd::access_reg::DATA_BYTE..];
    for (field, value) in fields {
        assign(register.layout, data, field, value)?;
    }
    Ok(b)
}

/// ACCESS_REG of any register id with raw `register_data` (for registers the
/// simulator does not describe).
pub fn access_reg_raw(register_id: u16, write: bool, data: &[u8]) -> Vec<u8> {
    let op_mod = if write { cmd::access_reg::OP_MOD_WRITE } else { cmd::access_reg::OP_MOD_READ };
    let mut b = header(opcode::ACCESS_REG, op_mod, cmd::access_reg::DATA_BYTE + data.len());
    cmd::access_reg::REGISTER_ID.set(&mut b, u64::from(register_id));
    b[cmd::access_reg::DATA_BYTE..].copy_from_slice(data);
    b
}

/// Split `FIELD=VALUE`.
pub fn parse_assignment(s: &str) -> Result<(&str, &str), PrmError> {
    s.split_once('=')
        .map(|(f, v)| (f.trim(), v.trim()))
        .filter(|(f, _)| !f.is_empty())
        .ok_or_else(|| PrmError::NotAnAssignment(s.to_string()))
}

/// Set `field` of the structure `layout` (starting at `buf[0]`) from text.
pub fn assign(layout: &Layout, buf: &mut [u8], field: &str, value: &str) -> Result<(), PrmError> {
    let def = layout
        .field(field)
        .ok_or_else(|| PrmError::UnknownField { layout: layout.name, field: field.to_string() })?;
    let bad = |why: String| PrmError::BadValue { field: def.name.to_string(), value: value.to_string(), why };
    match def.kind {
        FieldKind::Uint => {
            let v =
                super::parse_number(value).ok_or_else(|| bad("not a number (decimal or 0x-hex)".into()))?;
            if def.width < 64 && v >> def.width != 0 {
                return Err(bad(format!("does not fit in {} bits", def.width)));
            }
            def.set(buf, v);
        }
        FieldKind::Ascii => {
            if !value.is_ascii() || value.len() > (def.width / 8) as usize {
                return Err(bad(format!("must be ASCII of at most {} bytes", def.width / 8)));
            }
            def.set_text(buf, value.as_bytes());
        }
        FieldKind::Bytes => {
            let hex: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            let hex = hex.strip_prefix("0x").unwrap_or(&hex);
            if !hex.len().is_multiple_of(2) || hex.len() / 2 > (def.width / 8) as usize {
                return Err(bad(format!("must be at most {} bytes of hex", def.width / 8)));
            }
            let raw: Option<Vec<u8>> =
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
            def.set_text(buf, &raw.ok_or_else(|| bad("not hex".into()))?);
        }
    }
    Ok(())
}

fn set_vport(b: &mut [u8], vport: Option<u16>) {
    if let Some(v) = vport {
        cmd::vport::OTHER_VPORT.set(b, 1);
        cmd::vport::VPORT_NUMBER.set(b, u64::from(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bad_register_requests_are_clear_errors() {
        assert_eq!(access_reg_by_name("NOPE", false, &[]), Err(PrmError::UnknownRegister("NOPE".into())));
        assert!(matches!(
            access_reg_by_name("PAOS", true, &[("colour", "1")]),
            Err(PrmError::UnknownField { layout: "paos_reg", .. })
        ));
        assert!(matches!(
            access_reg_by_name("PAOS", true, &[("admin_status", "16")]),
            Err(PrmError::BadValue { .. })
        ));
        assert!(matches!(
            access_reg_by_name("PAOS", true, &[("admin_status", "up")]),
            Err(PrmError::BadValue { .. })
        ));
        let long = "x".repeat(65);
        assert!(matches!(
            access_reg_by_name("NODE_DESC", true, &[("node_description", &long)]),
            Err(PrmError::BadValue { .. })
        ));
        assert_eq!(parse_assignment("admin_status=2"), Ok(("admin_status", "2")));
        assert!(parse_assignment("admin_status").is_err());
        assert!(parse_assignment("=2").is_err());
    }

    #[test]
    fn register_requests_by_name_or_id_are_the_same_bytes() {
        let a = access_reg_by_name("paos", true, &[("local_port", "1"), ("admin_status", "0x2")]).unwrap();
        let b = access_reg_by_name("0x5006", true, &[("local_port", "1"), ("admin_status", "2")]).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 32);
        assert_eq!(&a[0..2], &[0x08, 0x05]);
        assert_eq!(&a[10..12], &[0x50, 0x06]);
        assert_eq!((a[17], a[18] & 0x0f), (1, 2));
    }

    proptest! {
        #[test]
        fn assignments_never_panic(field in "[a-z_]{0,20}", value in ".{0,80}") {
            for reg in crate::prm::registers::REGISTERS.iter() {
                let _ = access_reg(reg, true, &[(&field, &value)]);
            }
            let _ = parse_assignment(&format!("{field}={value}"));
        }
    }
}
