//! Decoding requests and responses into named fields, and the table of command
//! layouts the simulator implements.

use super::caps;
use super::commands::{self as cmd, mbox_in, mbox_out};
use super::layout::{Field, Layout};
use super::opcode as op;
use super::queries;
use super::registers::{self, mcqi};

/// An implemented command: its request and response layouts (fixed parts; a few
/// commands append a counter-dependent array).
#[derive(Debug, Clone, Copy)]
pub struct CommandLayouts {
    /// The opcode.
    pub opcode: u16,
    /// The request layout; its size is the shortest valid request.
    pub input: &'static Layout,
    /// The response layout; its size is the shortest valid response.
    pub output: &'static Layout,
}

const fn c(opcode: u16, input: &'static Layout, output: &'static Layout) -> CommandLayouts {
    CommandLayouts { opcode, input, output }
}

/// Every command the simulated firmware implements, with its PRM sizes.
pub const IMPLEMENTED: [CommandLayouts; 22] = [
    c(op::QUERY_HCA_CAP, &cmd::hca_cap::QUERY_IN, &cmd::hca_cap::QUERY_OUT),
    c(op::QUERY_ADAPTER, &cmd::query_adapter::IN, &cmd::query_adapter::OUT),
    c(op::QUERY_PAGES, &cmd::query_pages::IN, &cmd::query_pages::OUT),
    c(op::SET_HCA_CAP, &cmd::hca_cap::SET_IN, &cmd::hca_cap::SET_OUT),
    c(op::QUERY_ISSI, &cmd::query_issi::IN, &cmd::query_issi::OUT),
    c(op::QUERY_SPECIAL_CONTEXTS, &cmd::query_special_contexts::IN, &cmd::query_special_contexts::OUT),
    c(op::QUERY_VPORT_STATE, &cmd::query_vport_state::IN, &cmd::query_vport_state::OUT),
    c(op::QUERY_NIC_VPORT_CONTEXT, &cmd::query_nic_vport_context::IN, &cmd::query_nic_vport_context::OUT),
    c(op::QUERY_VPORT_COUNTER, &cmd::query_vport_counter::IN, &cmd::query_vport_counter::OUT),
    c(op::QUERY_Q_COUNTER, &cmd::query_q_counter::IN, &cmd::query_q_counter::OUT),
    c(op::ACCESS_REG, &cmd::access_reg::IN, &cmd::access_reg::OUT),
    c(op::NOP, &cmd::nop::IN, &cmd::nop::OUT),
    c(op::QUERY_DIAGNOSTIC_PARAMS, &cmd::diag::QUERY_PARAMS_IN, &cmd::diag::QUERY_PARAMS_OUT),
    c(op::SET_DIAGNOSTIC_PARAMS, &cmd::diag::SET_PARAMS_IN, &cmd::diag::SET_PARAMS_OUT),
    c(op::QUERY_DIAGNOSTIC_COUNTERS, &cmd::diag::QUERY_COUNTERS_IN, &cmd::diag::QUERY_COUNTERS_OUT),
    c(op::QUERY_CONG_STATUS, &cmd::cong::STATUS_IN, &cmd::cong::STATUS_OUT),
    c(op::QUERY_CONG_PARAMS, &cmd::cong::PARAMS_IN, &cmd::cong::PARAMS_OUT),
    c(op::QUERY_CONG_STATISTICS, &cmd::cong::STATS_IN, &cmd::cong::STATS_OUT),
    c(op::CREATE_UCTX, &cmd::uctx::CREATE_IN, &cmd::uctx::CREATE_OUT),
    c(op::QUERY_UCTX, &cmd::uctx::QUERY_IN, &cmd::uctx::QUERY_OUT),
    c(op::DESTROY_UCTX, &cmd::uctx::DESTROY_IN, &cmd::uctx::DESTROY_OUT),
    c(op::ACCESS_REGISTER_USER, &cmd::access_reg::IN, &cmd::access_reg::OUT),
];

/// The layouts of an implemented command: the commands of [`IMPLEMENTED`],
/// QUERY_VUID (its response grows with the entries) and the object queries of
/// [`queries::QUERIES`].
pub fn command_layouts(opcode: u16) -> Option<CommandLayouts> {
    if opcode == op::QUERY_VUID {
        return Some(c(op::QUERY_VUID, &cmd::query_vuid::IN, &cmd::query_vuid::OUT));
    }
    IMPLEMENTED
        .iter()
        .find(|c| c.opcode == opcode)
        .copied()
        .or_else(|| queries::query(opcode).map(|q| c(q.opcode, q.input, q.output)))
}

/// The response length the simulator produces for `request`, when it can be
/// told from the request alone. `diag_counters` is the device's number of
/// diagnostic counters (QUERY_DIAGNOSTIC_PARAMS answers 32 + 4 per counter).
pub fn expected_response_len(request: &[u8], diag_counters: usize) -> Option<usize> {
    let opcode = mbox_in::OPCODE.get(request) as u16;
    match opcode {
        op::ACCESS_REG | op::ACCESS_REGISTER_USER => {
            let reg = registers::by_id(cmd::access_reg::REGISTER_ID.get(request) as u16)?;
            Some(cmd::access_reg::DATA_BYTE + reg.size())
        }
        op::QUERY_DIAGNOSTIC_PARAMS => Some(cmd::diag::QUERY_PARAMS_OUT.bytes + 4 * diag_counters),
        op::QUERY_DIAGNOSTIC_COUNTERS => None,
        // 16-byte header, then one `traffic_counter` (16 B) per counter; 0 means one.
        op::QUERY_FLOW_COUNTER => {
            let n = queries::query_flow_counter::IN.field("num_of_counters").map_or(0, |f| f.get(request));
            Some(16 + 16 * n.max(1) as usize)
        }
        op::QUERY_QP if queries::query_qp::IN.field("qpc_ext").is_some_and(|f| f.get(request) == 1) => {
            Some(queries::QUERY_QP_EXT_OUT_BYTES)
        }
        op::QUERY_GENERAL_OBJECT => {
            let obj_type = mbox_in::OP_MOD.get(request) as u16;
            queries::query_general_object::out_for(obj_type).map(|l| l.bytes)
        }
        _ => command_layouts(opcode).map(|c| c.output.bytes),
    }
}

/// Decode a request: header, then the command's own fields.
pub fn decode_request(request: &[u8]) -> Vec<Field> {
    let opcode = mbox_in::OPCODE.get(request) as u16;
    let mut out = mbox_in::LAYOUT.decode_at(request, 0, "");
    if let Some(c) = command_layouts(opcode) {
        out.extend(without_header(c.input).map(|f| f.decode(request, 0, "")));
        match opcode {
            op::SET_DIAGNOSTIC_PARAMS => out.extend(diag_context(request)),
            op::ACCESS_REG | op::ACCESS_REGISTER_USER => {
                let id = cmd::access_reg::REGISTER_ID.get(request) as u16;
                if let Some(reg) = registers::by_id(id) {
                    out.extend(reg.layout.decode_at(request, cmd::access_reg::DATA_BYTE, "register_data."));
                }
            }
            _ => {}
        }
    }
    out
}

/// Decode a response knowing only opcode and op_mod. Register data and the
/// congestion parameters need the request too: use [`decode_exchange`].
pub fn decode_response(opcode: u16, op_mod: u16, response: &[u8]) -> Vec<Field> {
    let mut out = mbox_out::LAYOUT.decode_at(response, 0, "");
    if mbox_out::STATUS.get(response) != 0 {
        return out; // the firmware produced nothing else
    }
    if let Some(c) = command_layouts(opcode) {
        out.extend(without_header(c.output).map(|f| f.decode(response, 0, "")));
    }
    match opcode {
        op::QUERY_HCA_CAP => {
            let cap_type = op_mod >> 1;
            let at = cmd::hca_cap::CAPABILITY_BYTE;
            if let Some(page) = caps::page_layout(cap_type) {
                out.extend(page.decode_at(response, at, "capability."));
            }
            if cap_type == caps::DEBUG {
                let list = at + caps::debug::COUNTERS_BYTE;
                for i in 0.. {
                    let e = list + 4 * i;
                    let id = caps::debug::COUNTER_ID.get(response.get(e..).unwrap_or(&[]));
                    if e + 4 > response.len() || id == 0 {
                        break;
                    }
                    out.push(caps::debug::COUNTER_ID.decode(
                        response,
                        (e * 8) as u32,
                        &format!("counter[{i}]."),
                    ));
                }
            }
        }
        op::QUERY_ADAPTER => out.extend(cmd::query_adapter::PARAM_BLOCK.decode_at(
            response,
            cmd::query_adapter::PARAM_BLOCK_BYTE,
            "",
        )),
        op::QUERY_NIC_VPORT_CONTEXT => out.extend(cmd::query_nic_vport_context::CONTEXT.decode_at(
            response,
            cmd::query_nic_vport_context::CONTEXT_BYTE,
            "nic_vport_context.",
        )),
        op::QUERY_DIAGNOSTIC_PARAMS => out.extend(diag_context(response)),
        op::QUERY_GENERAL_OBJECT => {
            if let Some(l) = queries::query_general_object::out_for(op_mod) {
                out.extend(
                    without_header(l).filter(|f| f.name != "obj_id").map(|f| f.decode(response, 0, "")),
                );
            }
        }
        op::QUERY_DIAGNOSTIC_COUNTERS => {
            let n = response.len().saturating_sub(cmd::diag::COUNTERS_BYTE) / cmd::diag::COUNTER.bytes;
            for i in 0..n {
                let at = cmd::diag::COUNTERS_BYTE + i * cmd::diag::COUNTER.bytes;
                out.extend(cmd::diag::COUNTER.decode_at(response, at, &format!("diag_counter[{i}].")));
            }
        }
        _ => {}
    }
    out
}

/// Decode a response with the request that produced it (register data, cong params).
pub fn decode_exchange(request: &[u8], response: &[u8]) -> Vec<Field> {
    let opcode = mbox_in::OPCODE.get(request) as u16;
    let op_mod = mbox_in::OP_MOD.get(request) as u16;
    let mut out = decode_response(opcode, op_mod, response);
    if mbox_out::STATUS.get(response) != 0 {
        return out;
    }
    match opcode {
        op::ACCESS_REG | op::ACCESS_REGISTER_USER => {
            let id = cmd::access_reg::REGISTER_ID.get(request) as u16;
            if let Some(reg) = registers::by_id(id) {
                let at = cmd::access_reg::DATA_BYTE;
                let grp = registers::ppcnt::GRP.get(response.get(at..).unwrap_or(&[]));
                if id == registers::id::PPCNT && grp != registers::ppcnt::GRP_IEEE_802_3 {
                    // Another counter group: the register header, then that group's counters.
                    let header = &reg.layout.fields[..5];
                    out.extend(header.iter().map(|f| f.decode(response, (at * 8) as u32, "register_data.")));
                    if let Some((_, l)) = registers::ppcnt_groups::GROUPS.iter().find(|(g, _)| *g == grp) {
                        out.extend(l.decode_at(response, at + 8, "register_data.counter_set."));
                    }
                    return out;
                }
                out.extend(reg.layout.decode_at(response, at, "register_data."));
                if id == registers::id::PDDR {
                    let page = registers::pddr::LAYOUT
                        .field("page_select")
                        .map_or(0, |f| f.get(response.get(at..).unwrap_or(&[])));
                    if let Some(l) = registers::pddr::page_layout(page) {
                        let data = at + registers::pddr::PAGE_DATA_BYTE;
                        out.extend(l.decode_at(response, data, "register_data.page_data."));
                    }
                }
                if id == registers::id::MCQI {
                    let data = at + mcqi::DATA_BYTE;
                    let info = response.get(at..).unwrap_or(&[]);
                    match mcqi::INFO_TYPE.get(info) {
                        mcqi::INFO_TYPE_VERSION => {
                            out.extend(mcqi::VERSION.decode_at(response, data, "data."))
                        }
                        mcqi::INFO_TYPE_CAPABILITIES => {
                            out.extend(mcqi::CAP.decode_at(response, data, "data."))
                        }
                        _ => {}
                    }
                }
            }
        }
        op::QUERY_CONG_PARAMS => {
            let layout = match cmd::cong::CONG_PROTOCOL.get(request) {
                cmd::cong::PROTOCOL_RP => Some(&cmd::cong::RP),
                cmd::cong::PROTOCOL_NP => Some(&cmd::cong::NP),
                _ => None,
            };
            if let Some(l) = layout {
                out.extend(l.decode_at(response, cmd::cong::PARAMS_BYTE, "congestion_parameters."));
            }
        }
        _ => {}
    }
    out
}

fn without_header(l: &'static Layout) -> impl Iterator<Item = &'static super::FieldDef> {
    l.fields.iter().filter(|f| !matches!(f.name, "opcode" | "uid" | "op_mod" | "status" | "syndrome"))
}

fn diag_context(buf: &[u8]) -> Vec<Field> {
    use cmd::diag as d;
    let mut out = d::CONTEXT.decode_at(buf, d::CONTEXT_BYTE, "context.");
    let ctx = buf.get(d::CONTEXT_BYTE..).unwrap_or(&[]);
    let n = d::NUM_OF_COUNTERS.get(ctx) as usize;
    for i in 0..n {
        let at = d::CONTEXT_BYTE + d::CONTEXT_FIXED_BYTES + 4 * i;
        if at + 4 > buf.len() {
            break;
        }
        out.push(d::COUNTER_ID.decode(buf, (at * 8) as u32, &format!("context.counter_id[{i}].")));
    }
    out
}
