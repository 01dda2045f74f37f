//! Command handlers: one function per command the simulated firmware runs. Each reads its request through the layouts in
//! [`crate::prm::commands`] and writes its response the same way.

use super::cap_values::{LOG_MAX_SAMPLES, LOG_MIN_SAMPLE_PERIOD, cap_page};
use std::collections::btree_map::Entry;

use super::register_file;
use super::state::State;
use super::status::{Caller, CmdResult, Status, bad_param, fail, short_input, short_output, syndrome as syn};
use crate::config::{SimConfig, mix};
use crate::prm::commands::{self as cmd, mbox_in};
use crate::prm::decode::command_layouts;
use crate::prm::registers::paos;
use crate::prm::{DiagParams, FieldDef, opcode as op, status as st};

/// Check, in firmware order: input header, opcode, uid, lengths; then run.
pub(crate) fn dispatch(c: &SimConfig, s: &mut State, input: &[u8], out: &mut [u8]) -> CmdResult {
    if input.len() < mbox_in::LAYOUT.bytes {
        return Err(short_input());
    }
    let opcode = mbox_in::OPCODE.get(input) as u16;
    let uid = mbox_in::UID.get(input) as u16;
    let op_mod = mbox_in::OP_MOD.get(input) as u16;
    let layouts = command_layouts(opcode).ok_or(fail(st::BAD_OP_ERR, syn::BAD_OPCODE))?;
    let caller = match uid {
        0 => Caller { uid, caps: u32::MAX },
        _ => Caller { uid, caps: s.uctxs.get(&uid).ok_or(fail(st::BAD_RES_ERR, syn::NO_SUCH_UID))?.caps },
    };
    if input.len() < layouts.input.bytes {
        return Err(short_input());
    }
    if out.len() < layouts.output.bytes {
        return Err(short_output());
    }
    match opcode {
        op::QUERY_HCA_CAP => query_hca_cap(c, s, caller, op_mod, input, out),
        op::SET_HCA_CAP => set_hca_cap(c, s, caller, op_mod, input),
        op::QUERY_ADAPTER => query_adapter(c, out),
        op::QUERY_ISSI => {
            cmd::query_issi::CURRENT_ISSI.set(out, 1);
            cmd::query_issi::SUPPORTED_ISSI_DW0.set(out, 0b11);
            Ok(())
        }
        op::QUERY_PAGES => query_pages(c, op_mod, input, out),
        op::QUERY_SPECIAL_CONTEXTS => {
            use cmd::query_special_contexts as q;
            for (f, v) in [
                (q::DUMP_FILL_MKEY, 0x300),
                (q::RESD_LKEY, 0x100),
                (q::NULL_MKEY, 0x200),
                (q::TERMINATE_SCATTER_LIST_MKEY, 0x400),
                (q::REPEATED_MKEY, 0x500),
            ] {
                f.set(out, v);
            }
            Ok(())
        }
        op::QUERY_VPORT_STATE => query_vport_state(c, s, caller, op_mod, input, out),
        op::QUERY_NIC_VPORT_CONTEXT => query_nic_vport_context(c, caller, input, out),
        op::QUERY_VPORT_COUNTER => query_vport_counter(c, s, caller, input, out),
        op::QUERY_Q_COUNTER => query_q_counter(s, caller, input, out),
        op::NOP => Ok(()),
        op::CREATE_UCTX => create_uctx(c, s, caller, input, out),
        op::DESTROY_UCTX => {
            if caller.uid != 0 {
                return Err(bad_param(syn::KERNEL_ONLY));
            }
            let target = cmd::uctx::OBJ_UID.get(input) as u16;
            if s.destroy_uid(target) { Ok(()) } else { Err(fail(st::BAD_RES_ERR, syn::NO_SUCH_OBJECT)) }
        }
        op::QUERY_UCTX => {
            let target = cmd::uctx::OBJ_UID.get(input) as u16;
            // Another uid's context is invisible: same answer as a missing one.
            let u = s.uctxs.get(&target).filter(|_| caller.uid == 0 || caller.uid == target);
            let u = u.ok_or(fail(st::BAD_RES_ERR, syn::NO_SUCH_OBJECT))?;
            cmd::uctx::QUERY_OUT_CAP.set(out, u64::from(u.caps));
            Ok(())
        }
        op::QUERY_DIAGNOSTIC_PARAMS => query_diag_params(s, out),
        op::SET_DIAGNOSTIC_PARAMS => set_diag_params(c, s, caller, input),
        op::QUERY_DIAGNOSTIC_COUNTERS => query_diag_counters(s, input, out),
        op::QUERY_CONG_STATUS => {
            let prio = cmd::cong::PRIORITY.get(input);
            let proto = cmd::cong::CONG_PROTOCOL.get(input);
            if prio > 7 || !(1..=2).contains(&proto) {
                return Err(bad_param(syn::BAD_FIELD));
            }
            let (enable, tag) =
                s.cong_status.get(&(prio as u8, proto as u8)).copied().unwrap_or((true, false));
            cmd::cong::ENABLE.set(out, u64::from(enable));
            cmd::cong::TAG_ENABLE.set(out, u64::from(tag));
            Ok(())
        }
        op::QUERY_CONG_PARAMS => query_cong_params(input, out),
        op::QUERY_CONG_STATISTICS => query_cong_statistics(s, caller, input, out),
        op::QUERY_VUID => query_vuid(c, input, out),
        op::ACCESS_REG | op::ACCESS_REGISTER_USER => register_file::access(c, s, caller, op_mod, input, out),
        _ => match crate::prm::queries::query(opcode) {
            Some(q) => super::objects::answer(c, s, caller, q, op_mod, input, out),
            None => Err(fail(st::BAD_OP_ERR, syn::BAD_OPCODE)),
        },
    }
}

fn other_function(c: &SimConfig, caller: Caller, input: &[u8]) -> Result<Option<u16>, Status> {
    if cmd::hca_cap::OTHER_FUNCTION.get(input) == 0 {
        return Ok(None);
    }
    caller.need_tools()?;
    let f = cmd::hca_cap::FUNCTION_ID.get(input) as u16;
    if f == 0 || f > c.num_vfs {
        return Err(bad_param(syn::BAD_FIELD));
    }
    Ok(Some(f))
}

fn query_hca_cap(
    c: &SimConfig,
    s: &mut State,
    caller: Caller,
    op_mod: u16,
    input: &[u8],
    out: &mut [u8],
) -> CmdResult {
    let cap_type = op_mod >> 1;
    let cur = op_mod & 1 == 1;
    let function = other_function(c, caller, input)?;
    let f = function.unwrap_or(0);
    let at = cmd::hca_cap::CAPABILITY_BYTE;
    // A page set by SET_HCA_CAP for another function wins for `cur`.
    if let Some(page) = s.other_caps.get(&(f, cap_type)).filter(|_| cur) {
        out[at..at + page.len()].copy_from_slice(page);
        return Ok(());
    }
    // Pages are a pure function of the configuration: built once, then copied.
    let key = (cap_type, f, cur);
    let page = match s.cap_cache.entry(key) {
        Entry::Occupied(e) => e.into_mut(),
        Entry::Vacant(v) => v.insert(cap_page(c, cap_type, f, cur).ok_or(bad_param(syn::BAD_OP_MOD))?),
    };
    out[at..at + page.len()].copy_from_slice(page);
    Ok(())
}

fn set_hca_cap(c: &SimConfig, s: &mut State, caller: Caller, op_mod: u16, input: &[u8]) -> CmdResult {
    let cap_type = op_mod >> 1;
    caller.need_tools()?;
    // Firmware limits SET_HCA_CAP on a tools uid to function pre-configuration.
    let Some(f) = other_function(c, caller, input)? else {
        return Err(bad_param(syn::OWN_FUNCTION));
    };
    if !super::cap_values::has_page(c.profile, cap_type) {
        return Err(bad_param(syn::BAD_OP_MOD));
    }
    let at = cmd::hca_cap::CAPABILITY_BYTE;
    s.other_caps.insert((f, cap_type), input[at..at + cmd::hca_cap::CAPABILITY_BYTES].to_vec());
    Ok(())
}

fn query_adapter(c: &SimConfig, out: &mut [u8]) -> CmdResult {
    use cmd::query_adapter as q;
    let block = &mut out[q::PARAM_BLOCK_BYTE..];
    q::IEEE_VENDOR_ID.set(block, 0x0002c9);
    q::VSD_VENDOR_ID.set(block, 0x15b3);
    q::VSD.set_text(block, c.serial.as_bytes());
    q::PSID.set_text(block, c.psid.as_bytes());
    Ok(())
}

fn query_pages(c: &SimConfig, op_mod: u16, input: &[u8], out: &mut [u8]) -> CmdResult {
    use cmd::query_pages as q;
    let f = q::FUNCTION_ID.get(input) as u16;
    if f > c.num_vfs || q::EMBEDDED_CPU_FUNCTION.get(input) != 0 {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let pf = f == 0;
    let pages = match (op_mod, pf) {
        (1, true) => 0x40,
        (1, false) => 0x10,
        (2, true) => 0x1000,
        (2, false) => 0x200,
        (3, _) => 0,
        _ => return Err(bad_param(syn::BAD_OP_MOD)),
    };
    q::FUNCTION_ID.set(out, u64::from(f));
    q::NUM_PAGES.set(out, pages);
    Ok(())
}

/// The vport a query addresses: its own (0) unless `other_vport`, which needs
/// the tools label and an existing vport.
fn target_vport(c: &SimConfig, caller: Caller, input: &[u8]) -> Result<u16, Status> {
    if cmd::vport::OTHER_VPORT.get(input) == 0 {
        return Ok(0);
    }
    caller.need_tools()?;
    let v = cmd::vport::VPORT_NUMBER.get(input) as u16;
    if v > c.num_vfs {
        return Err(bad_param(syn::BAD_FIELD));
    }
    Ok(v)
}

fn port_up(s: &State, port: u8) -> bool {
    s.port_admin.get(usize::from(port.saturating_sub(1))).is_some_and(|a| u64::from(*a) == paos::UP)
}

fn query_vport_state(
    c: &SimConfig,
    s: &State,
    caller: Caller,
    op_mod: u16,
    input: &[u8],
    out: &mut [u8],
) -> CmdResult {
    if op_mod > 2 {
        return Err(bad_param(syn::BAD_OP_MOD));
    }
    let v = target_vport(c, caller, input)?;
    let up = u64::from(port_up(s, 1));
    // The PF vport mirrors port 1's admin state; VFs follow it (2 = FOLLOW).
    cmd::query_vport_state::ADMIN_STATE.set(out, if v == 0 { up } else { 2 });
    cmd::query_vport_state::STATE.set(out, up);
    Ok(())
}

pub(crate) fn eui64(mac: u64) -> u64 {
    let hi = (mac >> 24) & 0xff_ffff;
    let lo = mac & 0xff_ffff;
    ((hi ^ 0x02_0000) << 40) | (0xfffe << 24) | lo
}

fn query_nic_vport_context(c: &SimConfig, caller: Caller, input: &[u8], out: &mut [u8]) -> CmdResult {
    use cmd::query_nic_vport_context as q;
    let v = target_vport(c, caller, input)?;
    let list_type = q::ALLOWED_LIST_TYPE_IN.get(input);
    if list_type > 2 {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let ctx = &mut out[q::CONTEXT_BYTE..];
    q::ROCE_EN.set(ctx, 1);
    q::MTU.set(ctx, u64::from(c.mtu));
    q::SYSTEM_IMAGE_GUID.set(ctx, eui64(c.port_mac(1)));
    q::NODE_GUID.set(ctx, eui64(c.port_mac(1)));
    q::PORT_GUID.set(ctx, eui64(c.vport_mac(v)));
    q::ALLOWED_LIST_TYPE.set(ctx, list_type);
    q::PERMANENT_ADDRESS.set(ctx, c.vport_mac(v));
    Ok(())
}

/// Per-packet rates of the twelve vport counters: (packets num/den, bytes per packet).
const VPORT_RATES: [(u64, u64, u64); 12] = [
    (1, 1000, 64), // received_errors
    (1, 5000, 64), // transmit_errors
    (0, 1, 0),     // received_ib_unicast (Ethernet port)
    (0, 1, 0),     // transmitted_ib_unicast
    (0, 1, 0),     // received_ib_multicast
    (0, 1, 0),     // transmitted_ib_multicast
    (1, 100, 64),  // received_eth_broadcast
    (1, 200, 64),  // transmitted_eth_broadcast
    (1, 1, 800),   // received_eth_unicast
    (9, 10, 900),  // transmitted_eth_unicast
    (1, 50, 200),  // received_eth_multicast
    (1, 80, 200),  // transmitted_eth_multicast
];

fn query_vport_counter(
    c: &SimConfig,
    s: &mut State,
    caller: Caller,
    input: &[u8],
    out: &mut [u8],
) -> CmdResult {
    use cmd::query_vport_counter as q;
    let v = target_vport(c, caller, input)?;
    let port = q::PORT_NUM.get(input) as u8;
    if port > c.num_ports {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let clear = q::CLEAR.get(input) == 1;
    if clear {
        caller.need_tools()?;
    }
    let cleared = s.vport_cleared.get(&v).copied();
    // Each vport sees a share of the traffic: vport n gets 1/(n+1).
    let share = u64::from(v) + 1;
    for (i, (num, den, size)) in VPORT_RATES.iter().enumerate() {
        let salt = 0x1000 + u64::from(v) * 64 + i as u64;
        let packets = if *num == 0 { 0 } else { s.counter(salt, cleared, *num, den * share) };
        q::FIELDS[2 * i].set(out, packets);
        q::FIELDS[2 * i + 1].set(out, packets.saturating_mul(*size));
    }
    if clear {
        s.vport_cleared.insert(v, s.traffic);
    }
    Ok(())
}

fn query_q_counter(s: &mut State, caller: Caller, input: &[u8], out: &mut [u8]) -> CmdResult {
    use cmd::query_q_counter as q;
    let id = q::COUNTER_SET_ID.get(input) as u8;
    // Visible: one's own sets; the kernel sees all; the tools label sees the kernel's.
    let qc = s
        .q_counters
        .get(&id)
        .copied()
        .filter(|qc| qc.owner == caller.uid || caller.uid == 0 || (qc.owner == 0 && caller.tools()))
        .ok_or(fail(st::BAD_RES_ERR, syn::NO_SUCH_OBJECT))?;
    for (i, f) in q::FIELDS.iter().enumerate() {
        let den = 2000 * (i as u64 + 1);
        f.set(out, s.counter(0x2000 + u64::from(id) * 32 + i as u64, qc.cleared_at, 1, den) & 0xffff_ffff);
    }
    if q::CLEAR.get(input) == 1 {
        let t = s.traffic;
        if let Some(qc) = s.q_counters.get_mut(&id) {
            qc.cleared_at = Some(t);
        }
    }
    Ok(())
}

fn create_uctx(c: &SimConfig, s: &mut State, caller: Caller, input: &[u8], out: &mut [u8]) -> CmdResult {
    if caller.uid != 0 {
        return Err(bad_param(syn::KERNEL_ONLY));
    }
    let caps = cmd::uctx::CREATE_CAP.get(input) as u32;
    if caps & !c.uctx_cap != 0 {
        return Err(bad_param(syn::MISSING_CAP));
    }
    if s.uctxs.len() >= c.max_uctx {
        return Err(fail(st::NO_RES_ERR, syn::UCTX_LIMIT));
    }
    let uid = s.alloc_uid(caps).ok_or(fail(st::NO_RES_ERR, syn::UCTX_LIMIT))?;
    cmd::uctx::CREATE_OUT_UID.set(out, u64::from(uid));
    Ok(())
}

fn query_diag_params(s: &State, out: &mut [u8]) -> CmdResult {
    let p = &s.diag.params;
    let need = cmd::diag::QUERY_PARAMS_OUT.bytes + 4 * p.counters.len();
    if out.len() < need {
        return Err(short_output());
    }
    crate::prm::build::write_diag_context(p, &mut out[cmd::diag::CONTEXT_BYTE..]);
    Ok(())
}

fn set_diag_params(c: &SimConfig, s: &mut State, caller: Caller, input: &[u8]) -> CmdResult {
    use cmd::diag as d;
    caller.need_tools()?;
    let ctx = &input[d::CONTEXT_BYTE..];
    let n = d::NUM_OF_COUNTERS.get(ctx) as usize;
    if input.len() < d::SET_PARAMS_IN.bytes + 4 * n {
        return Err(short_input());
    }
    let flag = |f: crate::prm::FieldDef| f.get(ctx) == 1;
    let p = DiagParams {
        counters: (0..n).map(|i| d::COUNTER_ID.get(&ctx[d::CONTEXT_FIXED_BYTES + 4 * i..]) as u16).collect(),
        log_num_of_samples: d::LOG_NUM_OF_SAMPLES.get(ctx) as u8,
        log_sample_period: d::LOG_SAMPLE_PERIOD.get(ctx) as u8,
        single: flag(d::SINGLE),
        repetitive: flag(d::REPETITIVE),
        sync: flag(d::SYNC),
        clear: flag(d::CLEAR),
        on_demand: flag(d::ON_DEMAND),
        enable: flag(d::ENABLE),
    };
    if !p.enable {
        // Disable: stop sampling; `clear` also forgets the counter list.
        s.diag.params.enable = false;
        if p.clear {
            s.diag.params = DiagParams::default();
        }
        return Ok(());
    }
    let mut uniq = p.counters.clone();
    uniq.sort_unstable();
    uniq.dedup();
    let valid = !p.counters.is_empty()
        && uniq.len() == p.counters.len()
        && p.counters.iter().all(|id| c.diagnostic_counters.contains(id))
        && p.log_num_of_samples <= LOG_MAX_SAMPLES
        && p.log_sample_period >= LOG_MIN_SAMPLE_PERIOD
        && !(p.single && p.repetitive);
    if !valid {
        return Err(bad_param(syn::BAD_FIELD));
    }
    s.diag = super::state::Diag { params: DiagParams { clear: false, ..p }, enabled_at: s.traffic };
    Ok(())
}

fn query_diag_counters(s: &State, input: &[u8], out: &mut [u8]) -> CmdResult {
    use cmd::diag as d;
    let p = &s.diag.params;
    if !p.enable {
        return Err(fail(st::BAD_RES_STATE_ERR, syn::SAMPLING_DISABLED));
    }
    let k = d::NUM_OF_SAMPLES.get(input) as usize;
    let first = d::SAMPLE_INDEX.get(input) as usize;
    if k == 0 || first + k > 1usize << p.log_num_of_samples {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let need = d::COUNTERS_BYTE + d::COUNTER.bytes * k * p.counters.len();
    if out.len() < need {
        return Err(short_output());
    }
    let mut at = d::COUNTERS_BYTE;
    for sample in first..first + k {
        for id in &p.counters {
            let e = &mut out[at..];
            let value = mix(s.seed, u64::from(*id)) % 10_000
                + s.diag.enabled_at / 1000
                + sample as u64 * (u64::from(*id % 7) + 1);
            let stamp = (sample as u64) << p.log_sample_period;
            let f = d::COUNTER.fields;
            f[0].set(e, u64::from(*id));
            f[1].set(e, sample as u64);
            f[2].set(e, stamp & 0xffff_ffff);
            f[3].set(e, value >> 32);
            f[4].set(e, value & 0xffff_ffff);
            at += d::COUNTER.bytes;
        }
    }
    Ok(())
}

fn query_cong_params(input: &[u8], out: &mut [u8]) -> CmdResult {
    use cmd::cong::{np, rp};
    let params = &mut out[cmd::cong::PARAMS_BYTE..];
    // mlx5 defaults for the reaction and notification points.
    let values: &[(FieldDef, u64)] = match cmd::cong::CONG_PROTOCOL.get(input) {
        cmd::cong::PROTOCOL_RP => &[
            (rp::CLAMP_TGT_RATE, 0),
            (rp::CLAMP_TGT_RATE_AFTER_TIME_INC, 1),
            (rp::RPG_TIME_RESET, 300),
            (rp::RPG_BYTE_RESET, 32767),
            (rp::RPG_THRESHOLD, 1),
            (rp::RPG_MAX_RATE, 0),
            (rp::RPG_AI_RATE, 5),
            (rp::RPG_HAI_RATE, 50),
            (rp::RPG_GD, 11),
            (rp::RPG_MIN_DEC_FAC, 50),
            (rp::RPG_MIN_RATE, 1),
            (rp::RATE_TO_SET_ON_FIRST_CNP, 0),
            (rp::DCE_TCP_G, 1019),
            (rp::DCE_TCP_RTT, 1),
            (rp::RATE_REDUCE_MONITOR_PERIOD, 4),
            (rp::INITIAL_ALPHA_VALUE, 1023),
        ],
        cmd::cong::PROTOCOL_NP => &[
            (np::MIN_TIME_BETWEEN_CNPS, 4),
            (np::CNP_DSCP, 48),
            (np::CNP_PRIO_MODE, 0),
            (np::CNP_802P_PRIO, 6),
        ],
        _ => return Err(bad_param(syn::BAD_FIELD)),
    };
    for (f, v) in values {
        f.set(params, *v);
    }
    Ok(())
}

fn query_cong_statistics(s: &mut State, caller: Caller, input: &[u8], out: &mut [u8]) -> CmdResult {
    let clear = cmd::cong::STATS_CLEAR.get(input) == 1;
    if clear {
        caller.need_tools()?;
    }
    let f = &cmd::cong::STATS_FIELDS;
    let handled = s.counter(0x3001, s.cong_cleared, 1, 5000);
    let ignored = s.counter(0x3002, s.cong_cleared, 1, 50_000);
    let marked = s.counter(0x3003, s.cong_cleared, 1, 3000);
    let sent = s.counter(0x3004, s.cong_cleared, 1, 4000);
    for (i, v) in [
        (0, 4),
        (1, 16),
        (2, ignored >> 32),
        (3, ignored & 0xffff_ffff),
        (4, handled >> 32),
        (5, handled & 0xffff_ffff),
        (6, s.traffic >> 32),
        (7, s.traffic & 0xffff_ffff),
        (8, 1000),
        (9, marked >> 32),
        (10, marked & 0xffff_ffff),
        (11, sent >> 32),
        (12, sent & 0xffff_ffff),
    ] {
        f[i].set(out, v);
    }
    if clear {
        s.cong_cleared = Some(s.traffic);
    }
    Ok(())
}

fn query_vuid(c: &SimConfig, input: &[u8], out: &mut [u8]) -> CmdResult {
    use cmd::query_vuid as q;
    if q::VHCA_ID.get(input) != u64::from(c.vhca_id) {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let ids: Vec<u16> = if q::QUERY_VFS_VUID.get(input) == 1 { (1..=c.num_vfs).collect() } else { vec![0] };
    if out.len() < q::VUID_BYTE + q::VUID_BYTES * ids.len() {
        return Err(short_output());
    }
    q::NUM_OF_ENTRIES.set(out, ids.len() as u64);
    for (i, f) in ids.iter().enumerate() {
        let text = format!("{}-{:04x}", c.serial, c.vhca_id.wrapping_add(*f));
        let at = q::VUID_BYTE + i * q::VUID_BYTES;
        out[at..at + text.len().min(q::VUID_BYTES)]
            .copy_from_slice(&text.as_bytes()[..text.len().min(q::VUID_BYTES)]);
    }
    Ok(())
}
