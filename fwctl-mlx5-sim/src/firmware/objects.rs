//! The object state of a device after `mlx5_core` and `mlx5_ib` loaded, and the
//! generic handler of the query commands in [`crate::prm::queries::QUERIES`].
//!
//! Every object is keyed by the opcode that queries it and its id, and carries
//! the values its query answers (field name → value, written through the
//! command's output layout) and its owner: `Some(0)` for the kernel's objects,
//! `Some(uid)` for a DEVX user's, `None` for function resources with no owner
//! (GID table, vHCA state, vport contexts). Seeding is a pure function of the
//! configuration, so two devices with the same configuration answer the same.

use std::collections::BTreeMap;

use super::state::State;
use super::status::{Caller, CmdResult, bad_param, fail, short_output, syndrome as syn};
use crate::config::{SimConfig, mix};
use crate::prm::layout::Layout;
use crate::prm::opcode as op;
use crate::prm::queries::{self, Query, query_general_object as gobj};
use crate::prm::status as st;

/// One simulated object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Obj {
    /// `Some(uid)`: owned by that uid (0 = kernel); `None`: a function resource.
    pub owner: Option<u16>,
    /// Request fields (besides the id) that must match for the object to be found,
    /// e.g. the flow table a flow group lives in.
    pub keys: Vec<(&'static str, u64)>,
    /// Values the query answers, by output field name.
    pub fields: Vec<(&'static str, u64)>,
}

/// Object table: (query opcode, id) → object.
pub(crate) type Objects = BTreeMap<(u16, u32), Obj>;

fn kernel(fields: Vec<(&'static str, u64)>) -> Obj {
    Obj { owner: Some(0), keys: Vec::new(), fields }
}

fn function(fields: Vec<(&'static str, u64)>) -> Obj {
    Obj { owner: None, keys: Vec::new(), fields }
}

/// Completion EQs mlx5_core creates (one per CPU of the simulated host); EQ 0 is the async EQ.
pub(crate) const COMP_EQS: u32 = 8;
/// NIC RX flow table type.
const FT_NIC_RX: u64 = 0;
/// First CQ number.
const CQN0: u32 = 0x400;
/// First SQ number.
const SQN0: u32 = 0x800;
/// First RQ number.
const RQN0: u32 = 0x880;
/// The transport domain and PD mlx5e uses.
const TD: u64 = 1;
const PD: u64 = 1;

/// The objects of a freshly probed device: mlx5_core's EQs, mlx5e's channels
/// (a CQ, SQ and RQ per completion EQ, TIS, TIRs, RQT, NIC RX steering),
/// mlx5_ib's GSI QP, UMR QP/mkey, a DCT and shared receive queues, general
/// objects, and the function resources the index queries read.
pub(crate) fn seed(c: &SimConfig) -> Objects {
    let mut o = Objects::new();
    let r = |salt: u64| mix(c.seed, 0x9000 + salt);
    // EQs: 0 async (log size 7), 1..=8 completion (log size 10), MSI-X vector = eqn.
    for eqn in 0..=COMP_EQS {
        o.insert(
            (op::QUERY_EQ, eqn),
            kernel(vec![
                ("eq_context_entry.status", 0),
                ("eq_context_entry.st", 0xa),
                ("eq_context_entry.log_eq_size", if eqn == 0 { 7 } else { 10 }),
                ("eq_context_entry.uar_page", 1),
                ("eq_context_entry.intr", u64::from(eqn)),
                ("eq_context_entry.consumer_counter", r(u64::from(eqn)) & 0xff_ffff),
                ("eq_context_entry.producer_counter", r(u64::from(eqn)) & 0xff_ffff),
            ]),
        );
    }
    for i in 0..COMP_EQS {
        let cqn = CQN0 + i;
        o.insert(
            (op::QUERY_CQ, cqn),
            kernel(vec![
                ("cq_context.st", 0xa),
                ("cq_context.log_cq_size", 10),
                ("cq_context.uar_page", 1),
                ("cq_context.cq_period", 8),
                ("cq_context.cq_max_count", 64),
                ("cq_context.c_eqn_or_apu_element", u64::from(i + 1)),
                ("cq_context.consumer_counter", r(0x100 + u64::from(i)) & 0xff_ffff),
            ]),
        );
        o.insert(
            (op::QUERY_SQ, SQN0 + i),
            kernel(vec![
                ("sq_context.state", 1),
                ("sq_context.flush_in_error_en", 1),
                ("sq_context.min_wqe_inline_mode", 1),
                ("sq_context.cqn", u64::from(cqn)),
                ("sq_context.tis_lst_sz", 1),
                ("sq_context.tis_num_0", 0x20),
            ]),
        );
        o.insert(
            (op::QUERY_RQ, RQN0 + i),
            kernel(vec![
                ("rq_context.state", 1),
                ("rq_context.flush_in_error_en", 1),
                ("rq_context.cqn", u64::from(cqn)),
                ("rq_context.counter_set_id", 0),
            ]),
        );
    }
    o.insert(
        (op::QUERY_TIS, 0x20),
        kernel(vec![("tis_context.prio", 0), ("tis_context.transport_domain", TD), ("tis_context.pd", PD)]),
    );
    o.insert(
        (op::QUERY_RQT, 0x40),
        kernel(vec![("rqt_context.rqt_max_size", 128), ("rqt_context.rqt_actual_size", u64::from(COMP_EQS))]),
    );
    // mlx5e's TIRs: one direct TIR per channel, then the indirect (RSS) ones.
    for i in 0..COMP_EQS {
        o.insert(
            (op::QUERY_TIR, 0x30 + i),
            kernel(vec![
                ("tir_context.disp_type", 0),
                ("tir_context.inline_rqn", u64::from(RQN0 + i)),
                ("tir_context.transport_domain", TD),
            ]),
        );
    }
    for i in 0..9 {
        o.insert(
            (op::QUERY_TIR, 0x38 + i),
            kernel(vec![
                ("tir_context.disp_type", 1),
                ("tir_context.indirect_table", 0x40),
                ("tir_context.rx_hash_fn", 2),
                ("tir_context.transport_domain", TD),
            ]),
        );
    }
    // mlx5_ib: GSI QP 1 (UD-like QP1 service), UMR QP 0x100 (RC), both in RTS.
    for (qpn, st, cq) in [(1u32, 8u64, CQN0), (0x100, 0, CQN0 + 1)] {
        o.insert(
            (op::QUERY_QP, qpn),
            kernel(vec![
                ("qpc.state", 3),
                ("qpc.st", st),
                ("qpc.pd", PD),
                ("qpc.mtu", 5),
                ("qpc.log_sq_size", 7),
                ("qpc.log_rq_size", 7),
                ("qpc.cqn_snd", u64::from(cq)),
                ("qpc.cqn_rcv", u64::from(cq)),
            ]),
        );
    }
    o.insert(
        (op::QUERY_DCT, 0x200),
        kernel(vec![
            ("dct_context_entry.state", 1),
            ("dct_context_entry.cqn", u64::from(CQN0 + 2)),
            ("dct_context_entry.srqn_xrqn", 0x10),
            ("dct_context_entry.pd", PD),
            ("dct_context_entry.mtu", 5),
            ("dct_context_entry.port", 1),
            ("dct_context_entry.dc_access_key", 0xdc),
        ]),
    );
    o.insert(
        (op::QUERY_SRQ, 0x10),
        kernel(vec![
            ("srq_context_entry.state", 0),
            ("srq_context_entry.log_srq_size", 10),
            ("srq_context_entry.cqn", u64::from(CQN0 + 2)),
            ("srq_context_entry.pd", PD),
        ]),
    );
    o.insert((op::QUERY_XRC_SRQ, 0x11), kernel(vec![("xrc_srq_context_entry.state", 0)]));
    o.insert(
        (op::QUERY_XRQ, 0x12),
        kernel(vec![("xrq_context.state", 0), ("xrq_context.cqn", u64::from(CQN0 + 3))]),
    );
    o.insert((op::QUERY_RMP, 0x13), kernel(vec![("rmp_context.state", 1)]));
    // The UMR mkey (index 1) and the kernel's reserved-lkey PD mkey (index 2).
    for idx in [1u32, 2] {
        o.insert(
            (op::QUERY_MKEY, idx),
            kernel(vec![
                ("memory_key_mkey_entry.lr", 1),
                ("memory_key_mkey_entry.lw", 1),
                ("memory_key_mkey_entry.rr", u64::from(idx == 1)),
                ("memory_key_mkey_entry.rw", u64::from(idx == 1)),
                ("memory_key_mkey_entry.umr_en", u64::from(idx == 1)),
                ("memory_key_mkey_entry.access_mode_1_0", 1),
                ("memory_key_mkey_entry.qpn", 0xff_ffff),
                ("memory_key_mkey_entry.mkey_7_0", 0x55),
                ("memory_key_mkey_entry.length64", 1),
                ("memory_key_mkey_entry.pd", PD),
            ]),
        );
    }
    seed_steering(&mut o, c);
    seed_function(&mut o, c);
    o
}

/// NIC RX steering as mlx5e builds it: a root table with an L2 group and
/// entries forwarding to the TIRs, a flow counter per entry, a packet-reformat
/// and a modify-header context, and the e-switch's root TSAR.
fn seed_steering(o: &mut Objects, c: &SimConfig) {
    let table = |id: u32| vec![("table_type", FT_NIC_RX), ("table_id", u64::from(id))];
    for (id, level) in [(1u32, 0u64), (2, 1), (3, 2)] {
        o.insert(
            (op::QUERY_FLOW_TABLE, id),
            Obj {
                owner: Some(0),
                keys: vec![("table_type", FT_NIC_RX)],
                fields: vec![
                    ("flow_table_context.level", level),
                    ("flow_table_context.log_size", 10),
                    ("flow_table_context.table_miss_action", u64::from(id < 3)),
                    ("flow_table_context.table_miss_id", if id < 3 { u64::from(id) + 1 } else { 0 }),
                ],
            },
        );
    }
    for (gid, start, end) in [(1u32, 0u64, 3u64), (2, 4, 511), (3, 512, 1023)] {
        o.insert(
            (op::QUERY_FLOW_GROUP, gid),
            Obj {
                owner: Some(0),
                keys: table(1),
                fields: vec![
                    ("start_flow_index", start),
                    ("end_flow_index", end),
                    ("match_criteria_enable", if gid == 3 { 0 } else { 1 }),
                ],
            },
        );
    }
    for idx in 0..4u32 {
        o.insert(
            (op::QUERY_FLOW_TABLE_ENTRY, idx),
            Obj {
                owner: Some(0),
                keys: table(1),
                fields: vec![
                    ("flow_context.group_id", 1),
                    // FWD_DEST | COUNT
                    ("flow_context.action", 0x4 | 0x8),
                    ("flow_context.destination_list_size", 1),
                    ("flow_context.flow_counter_list_size", 1),
                ],
            },
        );
        o.insert((op::QUERY_FLOW_COUNTER, 0x10 + idx), kernel(Vec::new()));
    }
    o.insert((op::QUERY_PACKET_REFORMAT_CONTEXT, 1), kernel(Vec::new()));
    o.insert((op::QUERY_MODIFY_HEADER_CONTEXT, 1), kernel(Vec::new()));
    o.insert(
        (op::QUERY_SCHEDULING_ELEMENT, 0),
        Obj {
            owner: Some(0),
            keys: vec![("scheduling_hierarchy", 0)],
            fields: vec![("scheduling_context.element_type", 0), ("scheduling_context.bw_share", 0)],
        },
    );
    o.insert((op::QUERY_L2_TABLE_ENTRY, 0), function(mac_fields(c.port_mac(1))));
    o.insert(
        (op::QUERY_GENERAL_OBJECT, 1),
        Obj {
            owner: Some(0),
            keys: vec![("obj_type", u64::from(gobj::TYPE_SAMPLER))],
            fields: vec![
                ("obj_id", 1),
                ("sampler_object.table_type", FT_NIC_RX),
                ("sampler_object.level", 3),
                ("sampler_object.sample_ratio", 1000),
                ("sampler_object.sample_table_id", 3),
                ("sampler_object.default_table_id", 2),
            ],
        },
    );
    if c.profile.has_macsec() {
        o.insert(
            (op::QUERY_GENERAL_OBJECT, 2),
            Obj {
                owner: Some(0),
                keys: vec![("obj_type", u64::from(gobj::TYPE_MACSEC))],
                fields: vec![
                    ("obj_id", 2),
                    ("macsec_object.confidentiality_en", 1),
                    ("macsec_object.dekn", 0x1),
                ],
            },
        );
    }
}

fn mac_fields(mac: u64) -> Vec<(&'static str, u64)> {
    vec![("mac_address.mac_addr_47_32", mac >> 32), ("mac_address.mac_addr_31_0", mac & 0xffff_ffff)]
}

/// Function resources: other functions' caps and vHCA state, GID/P_Key and
/// RoCE address tables, and the singletons (no id) the remaining queries read.
fn seed_function(o: &mut Objects, c: &SimConfig) {
    for f in 0..=c.num_vfs {
        // vhca_state: 3 IN_USE for the PF, 2 ACTIVE for enabled VFs.
        o.insert(
            (op::QUERY_VHCA_STATE, u32::from(f)),
            function(vec![
                ("vhca_state_context.vhca_state", if f == 0 { 3 } else { 2 }),
                ("vhca_state_context.sw_function_id", u64::from(f)),
            ]),
        );
        if f > 0 {
            o.insert((op::QUERY_OTHER_HCA_CAP, u32::from(f)), function(vec![("other_capability.roce", 1)]));
            o.insert(
                (op::QUERY_VHCA_MIGRATION_STATE, u32::from(c.vhca_id.wrapping_add(f))),
                function(vec![("required_umem_size", 0x10_0000), ("remaining_total_size", 0)]),
            );
        }
    }
    let mac = c.port_mac(1);
    for (idx, version, l3) in [(0u32, 0u64, 0u64), (1, 2, 0)] {
        o.insert(
            (op::QUERY_ROCE_ADDRESS, idx),
            function(vec![
                ("roce_address.source_mac_47_32", mac >> 32),
                ("roce_address.source_mac_31_0", mac & 0xffff_ffff),
                ("roce_address.roce_l3_type", l3),
                ("roce_address.roce_version", version),
            ]),
        );
    }
    o.insert((op::QUERY_HCA_VPORT_GID, 0), function(vec![("gids_num", 2)]));
    o.insert((op::QUERY_HCA_VPORT_GID, 1), function(vec![("gids_num", 2)]));
    o.insert((op::QUERY_HCA_VPORT_PKEY, 0), function(Vec::new()));
    o.insert(
        (op::QUERY_RATE_LIMIT, 1),
        function(vec![("rate_limit", 1_000_000), ("burst_upper_bound", 0), ("typical_packet_size", 1500)]),
    );
    for (opcode, fields) in [
        (op::QUERY_SF_PARTITION, vec![("num_sf_partitions", 1)]),
        (op::QUERY_DELEGATED_VHCA, vec![("functions_count", 0)]),
        (
            op::QUERY_ESW_FUNCTIONS,
            vec![
                ("host_params_context.host_num_of_vfs", u64::from(c.num_vfs)),
                ("host_params_context.host_total_vfs", 16),
                ("host_params_context.host_pci_bus", 0x08),
            ],
        ),
        (op::QUERY_MAD_DEMUX, Vec::new()),
        (op::QUERY_WOL_ROL, vec![("wol_mode", 0), ("rol_mode", 0)]),
        (
            op::QUERY_LAG,
            vec![("ctx.lag_state", 0), ("ctx.tx_remap_affinity_1", 1), ("ctx.tx_remap_affinity_2", 2)],
        ),
        (op::QUERY_DELAY_DROP_PARAMS, vec![("delay_drop_timeout", 0)]),
    ] {
        o.insert((opcode, 0), function(fields));
    }
}

/// The driver version string mlx5_core reports (SET_DRIVER_VERSION at probe).
pub(crate) const DRIVER_VERSION: &str = "Linux,mlx5_core,6.15.0";

/// Objects that belong to a uid go when it is destroyed.
pub(crate) fn release(objects: &mut Objects, uid: u16) {
    objects.retain(|_, o| o.owner != Some(uid));
}

/// A new object of kind `opcode` owned by `owner`, with the lowest free id at
/// or above `first`. `None` when the kind is not a query of the table.
pub(crate) fn alloc(objects: &mut Objects, opcode: u16, owner: u16, first: u32) -> Option<u32> {
    queries::query(opcode)?.id?;
    let id = (first..=u32::MAX).find(|i| !objects.contains_key(&(opcode, *i)))?;
    let keys = match opcode {
        op::QUERY_FLOW_TABLE => vec![("table_type", FT_NIC_RX)],
        op::QUERY_GENERAL_OBJECT => vec![("obj_type", u64::from(gobj::TYPE_SAMPLER))],
        _ => Vec::new(),
    };
    objects.insert((opcode, id), Obj { owner: Some(owner), keys, fields: Vec::new() });
    Some(id)
}

/// Answer one query of the table.
pub(crate) fn answer(
    c: &SimConfig,
    s: &mut State,
    caller: Caller,
    q: &Query,
    op_mod: u16,
    input: &[u8],
    out: &mut [u8],
) -> CmdResult {
    if !c.profile.has(q.feature) {
        return Err(fail(st::BAD_OP_ERR, syn::FEATURE_NOT_SUPPORTED));
    }
    // op_mod: 0 everywhere, except the general-object header keeps the object type there.
    let output = if q.opcode == op::QUERY_GENERAL_OBJECT {
        let layout = gobj::out_for(op_mod).ok_or(bad_param(syn::BAD_OP_MOD))?;
        if out.len() < layout.bytes {
            return Err(short_output());
        }
        layout
    } else if op_mod != 0 {
        return Err(bad_param(syn::BAD_OP_MOD));
    } else {
        q.output
    };
    let vport = other_vport(c, caller, q.input, input)?;
    if q.opcode == op::QUERY_QP
        && q.input.field("qpc_ext").is_some_and(|f| f.get(input) == 1)
        && out.len() < queries::QUERY_QP_EXT_OUT_BYTES
    {
        return Err(short_output());
    }
    match q.opcode {
        op::MODIFY_CONG_STATUS => return modify_cong_status(s, caller, q.input, input),
        op::DELEGATE_VHCA_MANAGEMENT => return caller.need_tools(),
        op::POSTPONE_CONNECTED_QP_TIMEOUT => return Ok(()),
        op::QUERY_DRIVER_VERSION => {
            if let Some(f) = output.field("driver_version") {
                f.set_text(out, DRIVER_VERSION.as_bytes());
            }
            return Ok(());
        }
        op::QUERY_ESW_VPORT_CONTEXT | op::QUERY_HCA_VPORT_CONTEXT | op::QUERY_VNIC_ENV => {
            return vport_context(c, s, q, output, vport, input, out);
        }
        _ => {}
    }
    let id = match q.id {
        Some(name) => q.input.field(name).map_or(0, |f| f.get(input)) as u32,
        None => 0,
    };
    // Other functions' capabilities and state are the function manager's:
    // like QUERY_HCA_CAP's other_function, they need the tools label.
    let other_function = match q.opcode {
        op::QUERY_OTHER_HCA_CAP | op::QUERY_VHCA_MIGRATION_STATE => true,
        op::QUERY_VHCA_STATE => id != 0,
        _ => false,
    };
    if other_function {
        caller.need_tools()?;
    }
    let obj = s.objects.get(&(q.opcode, id));
    let obj =
        obj.filter(|o| visible(o, caller) && o.keys.iter().all(|(k, v)| key_matches(q.input, input, k, *v)));
    let Some(obj) = obj else {
        // Tables without an object answer zeros (nothing configured) when they need no id.
        if q.id.is_none() {
            return Ok(());
        }
        return Err(fail(st::BAD_RES_ERR, syn::NO_SUCH_OBJECT));
    };
    write_fields(output, &obj.fields, out);
    match q.opcode {
        op::QUERY_FLOW_COUNTER => flow_counters(s, q.input, input, id, out),
        op::QUERY_HCA_VPORT_GID => {
            // gid[0] follows the 16-byte header when the caller left room: fe80::EUI-64.
            if out.len() >= 32 {
                out[16..24].copy_from_slice(&0xfe80_0000_0000_0000u64.to_be_bytes());
                out[24..32].copy_from_slice(&super::handlers::eui64(c.port_mac(1)).to_be_bytes());
            }
            Ok(())
        }
        op::QUERY_HCA_VPORT_PKEY => {
            // pkey[0]: the default full-membership P_Key.
            if out.len() >= 20 {
                out[18..20].copy_from_slice(&0xffffu16.to_be_bytes());
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn visible(o: &Obj, caller: Caller) -> bool {
    match o.owner {
        None => true,
        // One's own objects; the kernel sees all; the tools label sees the kernel's.
        Some(owner) => owner == caller.uid || caller.uid == 0 || (owner == 0 && caller.tools()),
    }
}

fn key_matches(layout: &Layout, input: &[u8], name: &str, value: u64) -> bool {
    layout.field(name).is_none_or(|f| f.get(input) == value)
}

fn write_fields(layout: &Layout, fields: &[(&'static str, u64)], out: &mut [u8]) {
    for (name, value) in fields {
        if let Some(f) = layout.field(name) {
            f.set(out, *value);
        }
    }
}

/// `other_vport`: the caller's own vport (0) unless set, which needs the tools
/// label and an existing vport.
fn other_vport(
    c: &SimConfig,
    caller: Caller,
    layout: &Layout,
    input: &[u8],
) -> Result<u16, super::status::Status> {
    let (Some(other), Some(number)) = (layout.field("other_vport"), layout.field("vport_number")) else {
        return Ok(0);
    };
    if other.get(input) == 0 {
        return Ok(0);
    }
    caller.need_tools()?;
    let v = number.get(input) as u16;
    if v > c.num_vfs {
        return Err(bad_param(syn::BAD_FIELD));
    }
    Ok(v)
}

fn vport_context(
    c: &SimConfig,
    s: &State,
    q: &Query,
    output: &Layout,
    vport: u16,
    input: &[u8],
    out: &mut [u8],
) -> CmdResult {
    if let Some(port) = q.input.field("port_num") {
        let p = port.get(input);
        if p == 0 || p > u64::from(c.num_ports) {
            return Err(bad_param(syn::BAD_FIELD));
        }
    }
    let up =
        u64::from(s.port_admin.first().is_some_and(|a| u64::from(*a) == crate::prm::registers::paos::UP));
    let guid = super::handlers::eui64(c.vport_mac(vport));
    let node = super::handlers::eui64(c.port_mac(1));
    let v = u64::from(vport);
    let fields: Vec<(&'static str, u64)> = match q.opcode {
        op::QUERY_HCA_VPORT_CONTEXT => vec![
            ("hca_vport_context.port_physical_state", if up == 1 { 5 } else { 3 }),
            ("hca_vport_context.port_state", if up == 1 { 4 } else { 1 }),
            ("hca_vport_context.vport_state", if up == 1 { 4 } else { 1 }),
            ("hca_vport_context.system_image_guid", node),
            ("hca_vport_context.port_guid", guid),
            ("hca_vport_context.node_guid", node),
            ("hca_vport_context.has_raw", 1),
        ],
        op::QUERY_ESW_VPORT_CONTEXT => vec![("esw_vport_context.vport_cvlan_strip", 0)],
        _ => {
            // vnic_env: error counters grow with traffic, per vport.
            let names = [
                "vport_env.nic_receive_steering_discard",
                "vport_env.receive_discard_vport_down",
                "vport_env.transmit_discard_vport_down",
                "vport_env.internal_rq_out_of_buffer",
            ];
            names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (*n, s.counter(0x5000 + v * 8 + i as u64, None, 1, 20_000 * (i as u64 + 1)) & 0xffff_ffff)
                })
                .collect()
        }
    };
    write_fields(output, &fields, out);
    Ok(())
}

/// QUERY_FLOW_COUNTER: `traffic_counter` entries (packets, octets) follow the
/// 16-byte header; `num_of_counters` 0 means one.
fn flow_counters(s: &State, layout: &Layout, input: &[u8], first: u32, out: &mut [u8]) -> CmdResult {
    let n = layout.field("num_of_counters").map_or(0, |f| f.get(input)).max(1) as usize;
    if out.len() < 16 + 16 * n {
        return Err(short_output());
    }
    for i in 0..n {
        let id = u64::from(first) + i as u64;
        let packets = s.counter(0x6000 + id, None, 1, 4);
        let at = 16 + 16 * i;
        out[at..at + 8].copy_from_slice(&packets.to_be_bytes());
        out[at + 8..at + 16].copy_from_slice(&packets.saturating_mul(700).to_be_bytes());
    }
    Ok(())
}

/// MODIFY_CONG_STATUS: enable/disable congestion control of a priority and
/// protocol (global state: the tools label is needed); QUERY_CONG_STATUS reads it back.
fn modify_cong_status(s: &mut State, caller: Caller, layout: &Layout, input: &[u8]) -> CmdResult {
    caller.need_tools()?;
    let get = |n: &str| layout.field(n).map_or(0, |f| f.get(input));
    let (prio, proto) = (get("priority"), get("cong_protocol"));
    if prio > 7 || !(1..=2).contains(&proto) {
        return Err(bad_param(syn::BAD_FIELD));
    }
    s.cong_status.insert((prio as u8, proto as u8), (get("enable") == 1, get("tag_enable") == 1));
    Ok(())
}
