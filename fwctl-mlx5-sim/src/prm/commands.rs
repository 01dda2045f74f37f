//! Command layouts, one module per PRM command (in/out structures and their
//! fields). Offsets are from `reference/mlx5.md` §6–§7 where it lists them;
//! the others (marked "ifc") are transcribed from `mlx5_ifc.h`; "inferred" marks
//! layouts that no public header defines and this simulator had to choose.

use super::layout::{FieldDef, Layout, ascii, bytes, uint};

/// `mbox_in_hdr`: the 16-byte header every command starts with (§6).
pub mod mbox_in {
    use super::*;
    /// Command opcode, bytes 0–1.
    pub const OPCODE: FieldDef = uint("opcode", 0x00, 16);
    /// The caller's firmware user context; forced by the driver. Bytes 2–3.
    pub const UID: FieldDef = uint("uid", 0x10, 16);
    /// Opcode modifier, bytes 6–7.
    pub const OP_MOD: FieldDef = uint("op_mod", 0x30, 16);
    /// The header alone.
    pub const LAYOUT: Layout = Layout::new("mbox_in", 16, &[OPCODE, UID, OP_MOD]);
}

/// `mbox_out_hdr`: the 16-byte header every response starts with (§6).
pub mod mbox_out {
    use super::*;
    /// Command status (§8.1), byte 0.
    pub const STATUS: FieldDef = uint("status", 0x00, 8);
    /// Firmware-specific error identifier, bytes 4–7.
    pub const SYNDROME: FieldDef = uint("syndrome", 0x20, 32);
    /// The header alone.
    pub const LAYOUT: Layout = Layout::new("mbox_out", 16, &[STATUS, SYNDROME]);
}

const HDR_IN: [FieldDef; 3] = [mbox_in::OPCODE, mbox_in::UID, mbox_in::OP_MOD];

macro_rules! header_only {
    ($name:literal) => {
        Layout::new($name, 16, &[mbox_out::STATUS, mbox_out::SYNDROME])
    };
}

/// QUERY_HCA_CAP (0x100) and SET_HCA_CAP (0x109), §7.1. The capability page sits
/// at byte 16 of the response (query) or request (set); its layout depends on the
/// cap type in op_mod bits 15..1 (see [`super::caps`]).
pub mod hca_cap {
    use super::*;
    /// Target another function (function pre-configuration).
    pub const OTHER_FUNCTION: FieldDef = uint("other_function", 0x40, 1);
    /// The other function is an embedded-CPU VF.
    pub const EC_VF_FUNCTION: FieldDef = uint("ec_vf_function", 0x41, 1);
    /// How `function_id` is to be read.
    pub const FUNCTION_ID_TYPE: FieldDef = uint("function_id_type", 0x43, 1);
    /// The other function's id.
    pub const FUNCTION_ID: FieldDef = uint("function_id", 0x50, 16);
    /// Byte offset of the capability page in the query response and the set request.
    pub const CAPABILITY_BYTE: usize = 16;
    /// Size of the capability union.
    pub const CAPABILITY_BYTES: usize = 4096;
    /// `query_hca_cap_in` (16 B).
    pub const QUERY_IN: Layout = Layout::new(
        "query_hca_cap_in",
        16,
        &[HDR_IN[0], HDR_IN[1], HDR_IN[2], OTHER_FUNCTION, EC_VF_FUNCTION, FUNCTION_ID_TYPE, FUNCTION_ID],
    );
    /// `query_hca_cap_out` (4112 B): header + capability.
    pub const QUERY_OUT: Layout =
        Layout::new("query_hca_cap_out", 4112, &[mbox_out::STATUS, mbox_out::SYNDROME]);
    /// `set_hca_cap_in` (4112 B): header fields + capability.
    pub const SET_IN: Layout = Layout::new(
        "set_hca_cap_in",
        4112,
        &[HDR_IN[0], HDR_IN[1], HDR_IN[2], OTHER_FUNCTION, EC_VF_FUNCTION, FUNCTION_ID_TYPE, FUNCTION_ID],
    );
    /// `set_hca_cap_out` (16 B).
    pub const SET_OUT: Layout = header_only!("set_hca_cap_out");
}

/// QUERY_ADAPTER (0x101), §7.2: 16 in, 272 out, parameter block at byte 16.
pub mod query_adapter {
    use super::*;
    /// `query_adapter_in` (16 B).
    pub const IN: Layout = Layout::new("query_adapter_in", 16, &HDR_IN);
    /// Byte offset of the parameter block in the response.
    pub const PARAM_BLOCK_BYTE: usize = 16;
    /// IEEE OUI of the vendor (0x0002c9 for Mellanox), block bit 0xc8.
    pub const IEEE_VENDOR_ID: FieldDef = uint("ieee_vendor_id", 0xc8, 24);
    /// PCI vendor id of the vendor-specific data (0x15b3), block bit 0xf0.
    pub const VSD_VENDOR_ID: FieldDef = uint("vsd_vendor_id", 0xf0, 16);
    /// Vendor-specific data, 208 bytes at block byte 32.
    pub const VSD: FieldDef = bytes("vsd", 32, 208);
    /// The PSID (board id), 16 bytes at block byte 240.
    pub const PSID: FieldDef = ascii("vsd_contd_psid", 240, 16);
    /// `query_adapter_param_block` (256 B).
    pub const PARAM_BLOCK: Layout =
        Layout::new("query_adapter_param_block", 256, &[IEEE_VENDOR_ID, VSD_VENDOR_ID, VSD, PSID]);
    /// `query_adapter_out` (272 B).
    pub const OUT: Layout = Layout::new("query_adapter_out", 272, &[mbox_out::STATUS, mbox_out::SYNDROME]);
}

/// QUERY_ISSI (0x10a), §7.2: 16 in, 112 out.
pub mod query_issi {
    use super::*;
    /// `query_issi_in`.
    pub const IN: Layout = Layout::new("query_issi_in", 16, &HDR_IN);
    /// The interface step sequence id in use.
    pub const CURRENT_ISSI: FieldDef = uint("current_issi", 0x50, 16);
    /// Bit n set: ISSI n supported (byte 108).
    pub const SUPPORTED_ISSI_DW0: FieldDef = uint("supported_issi_dw0", 0x360, 32);
    /// `query_issi_out`.
    pub const OUT: Layout = Layout::new(
        "query_issi_out",
        112,
        &[mbox_out::STATUS, mbox_out::SYNDROME, CURRENT_ISSI, SUPPORTED_ISSI_DW0],
    );
}

/// QUERY_PAGES (0x107), §7.2: 16/16. op_mod 1 boot, 2 init, 3 regular pages.
pub mod query_pages {
    use super::*;
    /// Query for the embedded CPU function.
    pub const EMBEDDED_CPU_FUNCTION: FieldDef = uint("embedded_cpu_function", 0x40, 1);
    /// The function queried.
    pub const FUNCTION_ID: FieldDef = uint("function_id", 0x50, 16);
    /// Pages the firmware asks for.
    pub const NUM_PAGES: FieldDef = uint("num_pages", 0x60, 32);
    /// `query_pages_in`.
    pub const IN: Layout = Layout::new(
        "query_pages_in",
        16,
        &[HDR_IN[0], HDR_IN[1], HDR_IN[2], EMBEDDED_CPU_FUNCTION, FUNCTION_ID],
    );
    /// `query_pages_out`.
    pub const OUT: Layout = Layout::new(
        "query_pages_out",
        16,
        &[mbox_out::STATUS, mbox_out::SYNDROME, EMBEDDED_CPU_FUNCTION, FUNCTION_ID, NUM_PAGES],
    );
}

/// QUERY_SPECIAL_CONTEXTS (0x203), §7.2: 16/32.
pub mod query_special_contexts {
    use super::*;
    /// `query_special_contexts_in`.
    pub const IN: Layout = Layout::new("query_special_contexts_in", 16, &HDR_IN);
    /// Mkey that fills dumps.
    pub const DUMP_FILL_MKEY: FieldDef = uint("dump_fill_mkey", 0x40, 32);
    /// Reserved lkey.
    pub const RESD_LKEY: FieldDef = uint("resd_lkey", 0x60, 32);
    /// The null mkey.
    pub const NULL_MKEY: FieldDef = uint("null_mkey", 0x80, 32);
    /// Mkey terminating a scatter list.
    pub const TERMINATE_SCATTER_LIST_MKEY: FieldDef = uint("terminate_scatter_list_mkey", 0xa0, 32);
    /// Repeated-pattern mkey.
    pub const REPEATED_MKEY: FieldDef = uint("repeated_mkey", 0xc0, 32);
    /// `query_special_contexts_out`.
    pub const OUT: Layout = Layout::new(
        "query_special_contexts_out",
        32,
        &[
            mbox_out::STATUS,
            mbox_out::SYNDROME,
            DUMP_FILL_MKEY,
            RESD_LKEY,
            NULL_MKEY,
            TERMINATE_SCATTER_LIST_MKEY,
            REPEATED_MKEY,
        ],
    );
}

/// Fields shared by the vport queries (§7.2).
pub mod vport {
    use super::*;
    /// Query a vport other than the caller's own.
    pub const OTHER_VPORT: FieldDef = uint("other_vport", 0x40, 1);
    /// The vport queried when `other_vport` is set.
    pub const VPORT_NUMBER: FieldDef = uint("vport_number", 0x50, 16);
}

/// QUERY_VPORT_STATE (0x750), §7.2: 16/16. op_mod 0 vNIC, 1 e-switch, 2 uplink.
pub mod query_vport_state {
    use super::*;
    /// Administrative state (0 down, 1 up, 2 follow).
    pub const ADMIN_STATE: FieldDef = uint("admin_state", 0x78, 4);
    /// Operational state (0 down, 1 up).
    pub const STATE: FieldDef = uint("state", 0x7c, 4);
    /// `query_vport_state_in`.
    pub const IN: Layout = Layout::new(
        "query_vport_state_in",
        16,
        &[HDR_IN[0], HDR_IN[1], HDR_IN[2], vport::OTHER_VPORT, vport::VPORT_NUMBER],
    );
    /// `query_vport_state_out`.
    pub const OUT: Layout =
        Layout::new("query_vport_state_out", 16, &[mbox_out::STATUS, mbox_out::SYNDROME, ADMIN_STATE, STATE]);
}

/// QUERY_NIC_VPORT_CONTEXT (0x754), §7.2: 16 in, 272 out, context at byte 16 (ifc).
pub mod query_nic_vport_context {
    use super::*;
    /// Which address list to return (0 UC, 1 MC, 2 VLAN).
    pub const ALLOWED_LIST_TYPE_IN: FieldDef = uint("allowed_list_type", 0x65, 3);
    /// `query_nic_vport_context_in`.
    pub const IN: Layout = Layout::new(
        "query_nic_vport_context_in",
        16,
        &[HDR_IN[0], HDR_IN[1], HDR_IN[2], vport::OTHER_VPORT, vport::VPORT_NUMBER, ALLOWED_LIST_TYPE_IN],
    );
    /// Byte offset of `nic_vport_context` in the response.
    pub const CONTEXT_BYTE: usize = 16;
    /// RoCE enabled on the vport.
    pub const ROCE_EN: FieldDef = uint("roce_en", 0x1f, 1);
    /// Hardware MTU.
    pub const MTU: FieldDef = uint("mtu", 0x130, 16);
    /// System image GUID.
    pub const SYSTEM_IMAGE_GUID: FieldDef = uint("system_image_guid", 0x140, 64);
    /// Port GUID.
    pub const PORT_GUID: FieldDef = uint("port_guid", 0x180, 64);
    /// Node GUID.
    pub const NODE_GUID: FieldDef = uint("node_guid", 0x1c0, 64);
    /// Promiscuous unicast.
    pub const PROMISC_UC: FieldDef = uint("promisc_uc", 0x780, 1);
    /// Promiscuous multicast.
    pub const PROMISC_MC: FieldDef = uint("promisc_mc", 0x781, 1);
    /// Promiscuous all.
    pub const PROMISC_ALL: FieldDef = uint("promisc_all", 0x782, 1);
    /// List type echoed.
    pub const ALLOWED_LIST_TYPE: FieldDef = uint("allowed_list_type", 0x785, 3);
    /// Entries in the list.
    pub const ALLOWED_LIST_SIZE: FieldDef = uint("allowed_list_size", 0x794, 12);
    /// The permanent MAC (`permanent_address.mac_addr_47_32` + `mac_addr_31_0`).
    pub const PERMANENT_ADDRESS: FieldDef = uint("permanent_address", 0x7b0, 48);
    /// `nic_vport_context` (256 B).
    pub const CONTEXT: Layout = Layout::new(
        "nic_vport_context",
        256,
        &[
            ROCE_EN,
            MTU,
            SYSTEM_IMAGE_GUID,
            PORT_GUID,
            NODE_GUID,
            PROMISC_UC,
            PROMISC_MC,
            PROMISC_ALL,
            ALLOWED_LIST_TYPE,
            ALLOWED_LIST_SIZE,
            PERMANENT_ADDRESS,
        ],
    );
    /// `query_nic_vport_context_out` (272 B).
    pub const OUT: Layout =
        Layout::new("query_nic_vport_context_out", 272, &[mbox_out::STATUS, mbox_out::SYNDROME]);
}

/// QUERY_VPORT_COUNTER (0x770), §7.2: 32 in, 528 out; twelve `traffic_counter`
/// pairs (packets, octets; 64 bits each) from bit 0x80 (ifc).
pub mod query_vport_counter {
    use super::*;
    /// Physical port (1-based) when querying the uplink.
    pub const PORT_NUM: FieldDef = uint("port_num", 0x4c, 4);
    /// Clear the counters after reading.
    pub const CLEAR: FieldDef = uint("clear", 0xc0, 1);
    /// `query_vport_counter_in` (32 B).
    pub const IN: Layout = Layout::new(
        "query_vport_counter_in",
        32,
        &[HDR_IN[0], HDR_IN[1], HDR_IN[2], vport::OTHER_VPORT, PORT_NUM, vport::VPORT_NUMBER, CLEAR],
    );
    /// The counter names, in layout order; counter `i` has packets at bit
    /// `0x80 + 0x80*i` and octets 64 bits later.
    pub const COUNTERS: [&str; 12] = [
        "received_errors",
        "transmit_errors",
        "received_ib_unicast",
        "transmitted_ib_unicast",
        "received_ib_multicast",
        "transmitted_ib_multicast",
        "received_eth_broadcast",
        "transmitted_eth_broadcast",
        "received_eth_unicast",
        "transmitted_eth_unicast",
        "received_eth_multicast",
        "transmitted_eth_multicast",
    ];
    macro_rules! pair {
        ($i:expr, $p:literal, $o:literal) => {
            [uint($p, 0x80 + 0x80 * $i, 64), uint($o, 0xc0 + 0x80 * $i, 64)]
        };
    }
    const P: [[FieldDef; 2]; 12] = [
        pair!(0, "received_errors.packets", "received_errors.octets"),
        pair!(1, "transmit_errors.packets", "transmit_errors.octets"),
        pair!(2, "received_ib_unicast.packets", "received_ib_unicast.octets"),
        pair!(3, "transmitted_ib_unicast.packets", "transmitted_ib_unicast.octets"),
        pair!(4, "received_ib_multicast.packets", "received_ib_multicast.octets"),
        pair!(5, "transmitted_ib_multicast.packets", "transmitted_ib_multicast.octets"),
        pair!(6, "received_eth_broadcast.packets", "received_eth_broadcast.octets"),
        pair!(7, "transmitted_eth_broadcast.packets", "transmitted_eth_broadcast.octets"),
        pair!(8, "received_eth_unicast.packets", "received_eth_unicast.octets"),
        pair!(9, "transmitted_eth_unicast.packets", "transmitted_eth_unicast.octets"),
        pair!(10, "received_eth_multicast.packets", "received_eth_multicast.octets"),
        pair!(11, "transmitted_eth_multicast.packets", "transmitted_eth_multicast.octets"),
    ];
    /// Every counter field, packets then octets for each counter.
    pub const FIELDS: [FieldDef; 24] = {
        let mut out = [P[0][0]; 24];
        let mut i = 0;
        while i < 12 {
            out[2 * i] = P[i][0];
            out[2 * i + 1] = P[i][1];
            i += 1;
        }
        out
    };
    /// `query_vport_counter_out` (528 B).
    pub const OUT: Layout = Layout::new("query_vport_counter_out", 528, &FIELDS);
}

/// QUERY_Q_COUNTER (0x773): 32 in, 256 out (ifc).
pub mod query_q_counter {
    use super::*;
    /// Clear after reading.
    pub const CLEAR: FieldDef = uint("clear", 0xc0, 1);
    /// Aggregate over the vport.
    pub const AGGREGATE: FieldDef = uint("aggregate", 0xc1, 1);
    /// The counter set queried.
    pub const COUNTER_SET_ID: FieldDef = uint("counter_set_id", 0xf8, 8);
    /// `query_q_counter_in` (32 B).
    pub const IN: Layout = Layout::new(
        "query_q_counter_in",
        32,
        &[
            HDR_IN[0],
            HDR_IN[1],
            HDR_IN[2],
            vport::OTHER_VPORT,
            vport::VPORT_NUMBER,
            CLEAR,
            AGGREGATE,
            COUNTER_SET_ID,
        ],
    );
    /// The 32-bit counters of the response, in layout order (every other dword).
    pub const FIELDS: [FieldDef; 11] = [
        uint("rx_write_requests", 0x80, 32),
        uint("rx_read_requests", 0xc0, 32),
        uint("rx_atomic_requests", 0x100, 32),
        uint("rx_dct_connect", 0x140, 32),
        uint("out_of_buffer", 0x180, 32),
        uint("out_of_sequence", 0x1c0, 32),
        uint("duplicate_request", 0x200, 32),
        uint("rnr_nak_retry_err", 0x240, 32),
        uint("packet_seq_err", 0x280, 32),
        uint("implied_nak_seq_err", 0x2c0, 32),
        uint("local_ack_timeout_err", 0x300, 32),
    ];
    /// `query_q_counter_out` (256 B).
    pub const OUT: Layout = Layout::new("query_q_counter_out", 256, &FIELDS);
}

/// NOP (0x80d): header only, 16/16.
pub mod nop {
    use super::*;
    /// `nop_in`.
    pub const IN: Layout = Layout::new("nop_in", 16, &HDR_IN);
    /// `nop_out`.
    pub const OUT: Layout = header_only!("nop_out");
}

/// CREATE_UCTX (0xa04) / DESTROY_UCTX (0xa06) / QUERY_UCTX (0xa05), §3 and §7.2.
/// QUERY_UCTX is not in mainline `mlx5_ifc.h`; its layout here is inferred from
/// DESTROY_UCTX (object uid at 0x50) and CREATE_UCTX (the uctx at byte 16).
pub mod uctx {
    use super::*;
    /// `uctx.cap` in CREATE_UCTX's request (byte 16).
    pub const CREATE_CAP: FieldDef = uint("uctx.cap", 0x80, 32);
    /// The created uid in CREATE_UCTX's response (byte 10).
    pub const CREATE_OUT_UID: FieldDef = uint("uid", 0x50, 16);
    /// The object uid in DESTROY_UCTX / QUERY_UCTX requests (byte 10).
    pub const OBJ_UID: FieldDef = uint("obj_uid", 0x50, 16);
    /// The uctx caps in QUERY_UCTX's response (byte 16, inferred).
    pub const QUERY_OUT_CAP: FieldDef = uint("uctx.cap", 0x80, 32);
    /// `create_uctx_in` (64 B).
    pub const CREATE_IN: Layout =
        Layout::new("create_uctx_in", 64, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], CREATE_CAP]);
    /// `create_uctx_out` (16 B).
    pub const CREATE_OUT: Layout =
        Layout::new("create_uctx_out", 16, &[mbox_out::STATUS, mbox_out::SYNDROME, CREATE_OUT_UID]);
    /// `destroy_uctx_in` (16 B).
    pub const DESTROY_IN: Layout =
        Layout::new("destroy_uctx_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], OBJ_UID]);
    /// `destroy_uctx_out` (16 B).
    pub const DESTROY_OUT: Layout = header_only!("destroy_uctx_out");
    /// `query_uctx_in` (16 B, inferred).
    pub const QUERY_IN: Layout =
        Layout::new("query_uctx_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], OBJ_UID]);
    /// `query_uctx_out` (64 B, inferred).
    pub const QUERY_OUT: Layout =
        Layout::new("query_uctx_out", 64, &[mbox_out::STATUS, mbox_out::SYNDROME, QUERY_OUT_CAP]);
}

/// The diagnostic counter commands 0x819 / 0x820 / 0x821, §7.4. These headers
/// have no reserved gap: the parameter context starts at byte 8.
pub mod diag {
    use super::*;
    /// Byte offset of `diagnostic_params_context` in QUERY out and SET in.
    pub const CONTEXT_BYTE: usize = 8;
    /// Fixed part of the context, before `counter_id[]`.
    pub const CONTEXT_FIXED_BYTES: usize = 24;
    /// Counters in `counter_id[]`.
    pub const NUM_OF_COUNTERS: FieldDef = uint("num_of_counters", 0x00, 16);
    /// log2 of the samples kept per counter.
    pub const LOG_NUM_OF_SAMPLES: FieldDef = uint("log_num_of_samples", 0x18, 8);
    /// Sample once.
    pub const SINGLE: FieldDef = uint("single", 0x20, 1);
    /// Sample cyclically.
    pub const REPETITIVE: FieldDef = uint("repetitive", 0x21, 1);
    /// Synchronise counters.
    pub const SYNC: FieldDef = uint("sync", 0x22, 1);
    /// Clear the sample buffer.
    pub const CLEAR: FieldDef = uint("clear", 0x23, 1);
    /// Sample on demand only.
    pub const ON_DEMAND: FieldDef = uint("on_demand", 0x24, 1);
    /// Sampling enabled.
    pub const ENABLE: FieldDef = uint("enable", 0x25, 1);
    /// log2 of the sampling period (device clock cycles).
    pub const LOG_SAMPLE_PERIOD: FieldDef = uint("log_sample_period", 0x38, 8);
    /// `diagnostic_params_context` fixed part (24 B; `counter_id[]` follows).
    pub const CONTEXT: Layout = Layout::new(
        "diagnostic_params_context",
        24,
        &[
            NUM_OF_COUNTERS,
            LOG_NUM_OF_SAMPLES,
            SINGLE,
            REPETITIVE,
            SYNC,
            CLEAR,
            ON_DEMAND,
            ENABLE,
            LOG_SAMPLE_PERIOD,
        ],
    );
    /// `counter_id` entry (4 B each, from context byte 24).
    pub const COUNTER_ID: FieldDef = uint("counter_id", 0x10, 16);
    /// `query_diagnostic_params_in` (16 B).
    pub const QUERY_PARAMS_IN: Layout = Layout::new("query_diagnostic_params_in", 16, &HDR_IN);
    /// `query_diagnostic_params_out` fixed part (32 B + 4 per counter).
    pub const QUERY_PARAMS_OUT: Layout =
        Layout::new("query_diagnostic_params_out", 32, &[mbox_out::STATUS, mbox_out::SYNDROME]);
    /// `set_diagnostic_params_in` fixed part (32 B + 4 per counter).
    pub const SET_PARAMS_IN: Layout = Layout::new("set_diagnostic_params_in", 32, &HDR_IN);
    /// `set_diagnostic_params_out` (16 B).
    pub const SET_PARAMS_OUT: Layout = header_only!("set_diagnostic_params_out");
    /// Samples requested.
    pub const NUM_OF_SAMPLES: FieldDef = uint("num_of_samples", 0x40, 16);
    /// First sample requested.
    pub const SAMPLE_INDEX: FieldDef = uint("sample_index", 0x50, 16);
    /// `query_diagnostic_cntrs_in` (16 B).
    pub const QUERY_COUNTERS_IN: Layout = Layout::new(
        "query_diagnostic_cntrs_in",
        16,
        &[HDR_IN[0], HDR_IN[1], HDR_IN[2], NUM_OF_SAMPLES, SAMPLE_INDEX],
    );
    /// `query_diagnostic_cntrs_out` fixed part (16 B + 16 per sample).
    pub const QUERY_COUNTERS_OUT: Layout =
        Layout::new("query_diagnostic_cntrs_out", 16, &[mbox_out::STATUS, mbox_out::SYNDROME]);
    /// Byte offset of `diag_counter[0]` in the counters response.
    pub const COUNTERS_BYTE: usize = 16;
    /// `diagnostic_cntr_struct` (16 B).
    pub const COUNTER: Layout = Layout::new(
        "diagnostic_cntr_struct",
        16,
        &[
            uint("counter_id", 0x00, 16),
            uint("sample_id", 0x10, 16),
            uint("time_stamp_31_0", 0x20, 32),
            uint("counter_value_h", 0x40, 32),
            uint("counter_value_l", 0x60, 32),
        ],
    );
}

/// Congestion control queries 0x822 / 0x824 / 0x826 (ifc). `cong_protocol`
/// 1 = RoCE ECN reaction point, 2 = RoCE ECN notification point.
pub mod cong {
    use super::*;
    /// Priority queried (QUERY_CONG_STATUS).
    pub const PRIORITY: FieldDef = uint("priority", 0x58, 4);
    /// Protocol queried.
    pub const CONG_PROTOCOL: FieldDef = uint("cong_protocol", 0x5c, 4);
    /// Congestion control enabled.
    pub const ENABLE: FieldDef = uint("enable", 0x60, 1);
    /// Tagging enabled.
    pub const TAG_ENABLE: FieldDef = uint("tag_enable", 0x61, 1);
    /// `query_cong_status_in` (16 B).
    pub const STATUS_IN: Layout =
        Layout::new("query_cong_status_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], PRIORITY, CONG_PROTOCOL]);
    /// `query_cong_status_out` (16 B).
    pub const STATUS_OUT: Layout =
        Layout::new("query_cong_status_out", 16, &[mbox_out::STATUS, mbox_out::SYNDROME, ENABLE, TAG_ENABLE]);
    /// `query_cong_params_in` (16 B).
    pub const PARAMS_IN: Layout =
        Layout::new("query_cong_params_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], CONG_PROTOCOL]);
    /// `query_cong_params_out` (272 B); parameters at byte 16.
    pub const PARAMS_OUT: Layout =
        Layout::new("query_cong_params_out", 272, &[mbox_out::STATUS, mbox_out::SYNDROME]);
    /// Byte offset of the parameters in QUERY_CONG_PARAMS's response.
    pub const PARAMS_BYTE: usize = 16;
    /// `cong_control_r_roce_ecn_rp` (256 B).
    pub const RP: Layout = Layout::new(
        "cong_control_r_roce_ecn_rp",
        256,
        &[
            uint("rpg_time_reset", 0x40, 32),
            uint("rpg_byte_reset", 0x60, 32),
            uint("rpg_threshold", 0x80, 32),
            uint("rpg_max_rate", 0xa0, 32),
            uint("rpg_ai_rate", 0xc0, 32),
            uint("rpg_hai_rate", 0xe0, 32),
            uint("rpg_gd", 0x100, 32),
            uint("rpg_min_dec_fac", 0x120, 32),
            uint("rpg_min_rate", 0x140, 32),
            uint("rate_to_set_on_first_cnp", 0x240, 32),
            uint("dce_tcp_g", 0x260, 32),
            uint("dce_tcp_rtt", 0x280, 32),
            uint("rate_reduce_monitor_period", 0x2a0, 32),
            uint("initial_alpha_value", 0x2c0, 32),
        ],
    );
    /// `cong_control_r_roce_ecn_np` (256 B).
    pub const NP: Layout = Layout::new(
        "cong_control_r_roce_ecn_np",
        256,
        &[
            uint("min_time_between_cnps", 0xa0, 32),
            uint("cnp_dscp", 0xd2, 6),
            uint("cnp_prio_mode", 0xdc, 1),
            uint("cnp_802p_prio", 0xdd, 3),
        ],
    );
    /// Clear statistics after reading.
    pub const STATS_CLEAR: FieldDef = uint("clear", 0x40, 1);
    /// `query_cong_statistics_in` (16 B).
    pub const STATS_IN: Layout =
        Layout::new("query_cong_statistics_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], STATS_CLEAR]);
    /// The statistics fields of the response.
    pub const STATS_FIELDS: [FieldDef; 13] = [
        uint("rp_cur_flows", 0x80, 32),
        uint("sum_flows", 0xa0, 32),
        uint("rp_cnp_ignored_high", 0xc0, 32),
        uint("rp_cnp_ignored_low", 0xe0, 32),
        uint("rp_cnp_handled_high", 0x100, 32),
        uint("rp_cnp_handled_low", 0x120, 32),
        uint("time_stamp_high", 0x240, 32),
        uint("time_stamp_low", 0x260, 32),
        uint("accumulators_period", 0x280, 32),
        uint("np_ecn_marked_roce_packets_high", 0x2a0, 32),
        uint("np_ecn_marked_roce_packets_low", 0x2c0, 32),
        uint("np_cnp_sent_high", 0x2e0, 32),
        uint("np_cnp_sent_low", 0x300, 32),
    ];
    /// `query_cong_statistics_out` (272 B).
    pub const STATS_OUT: Layout = Layout::new("query_cong_statistics_out", 272, &STATS_FIELDS);
}

/// QUERY_VUID (0xb22) (ifc): 16 in; out 64 + 128 per entry.
pub mod query_vuid {
    use super::*;
    /// Query the VFs' VUIDs rather than the function's own.
    pub const QUERY_VFS_VUID: FieldDef = uint("query_vfs_vuid", 0x60, 1);
    /// Data-direct VUID.
    pub const DATA_DIRECT: FieldDef = uint("data_direct", 0x61, 1);
    /// The function queried.
    pub const VHCA_ID: FieldDef = uint("vhca_id", 0x70, 16);
    /// `query_vuid_in` (16 B).
    pub const IN: Layout = Layout::new(
        "query_vuid_in",
        16,
        &[HDR_IN[0], HDR_IN[1], HDR_IN[2], QUERY_VFS_VUID, DATA_DIRECT, VHCA_ID],
    );
    /// Entries returned.
    pub const NUM_OF_ENTRIES: FieldDef = uint("num_of_entries", 0x1f0, 16);
    /// Byte offset of `vuid[0]`.
    pub const VUID_BYTE: usize = 64;
    /// Size of one VUID entry.
    pub const VUID_BYTES: usize = 128;
    /// `query_vuid_out` with one entry (192 B).
    pub const OUT: Layout = Layout::new(
        "query_vuid_out",
        192,
        &[mbox_out::STATUS, mbox_out::SYNDROME, NUM_OF_ENTRIES, ascii("vuid[0]", 64, 128)],
    );
}

/// ACCESS_REG (0x805) and ACCESS_REGISTER_USER (0xb0c), §7.3: 16-byte fixed part
/// then `register_data` at byte 16 on both sides. op_mod 0 = write, 1 = read.
pub mod access_reg {
    use super::*;
    /// The register id.
    pub const REGISTER_ID: FieldDef = uint("register_id", 0x50, 16);
    /// Register-specific argument.
    pub const ARGUMENT: FieldDef = uint("argument", 0x60, 32);
    /// Byte offset of `register_data`.
    pub const DATA_BYTE: usize = 16;
    /// op_mod for a write.
    pub const OP_MOD_WRITE: u16 = 0;
    /// op_mod for a read.
    pub const OP_MOD_READ: u16 = 1;
    /// `access_register_in` fixed part.
    pub const IN: Layout =
        Layout::new("access_register_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], REGISTER_ID, ARGUMENT]);
    /// `access_register_out` fixed part.
    pub const OUT: Layout = Layout::new("access_register_out", 16, &[mbox_out::STATUS, mbox_out::SYNDROME]);
}
