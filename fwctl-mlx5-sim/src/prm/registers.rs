//! The access registers behind ACCESS_REG / ACCESS_REGISTER_USER (§7.3). Ids are
//! from the reference; layouts are transcribed from `mlx5_ifc.h` (NODE_DESC is a
//! plain 64-byte string), each checked against the header struct its
//! `// checked:` comment names.

use super::layout::{FieldDef, Layout, ascii, bytes, uint};

/// One register the simulator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Register {
    /// Register id (ACCESS_REG `register_id`).
    pub id: u16,
    /// PRM name, e.g. `PAOS`.
    pub name: &'static str,
    /// Layout of `register_data`.
    pub layout: &'static Layout,
    /// Whether the simulated firmware accepts writes.
    pub writable: bool,
    /// What it is.
    pub description: &'static str,
}

impl Register {
    /// Size of `register_data` in bytes.
    pub fn size(&self) -> usize {
        self.layout.bytes
    }
}

/// PMTU (0x5003): port MTU.
// checked: mlx5_ifc.h struct mlx5_ifc_pmtu_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod pmtu {
    use super::*;
    /// Local port (1-based).
    pub const LOCAL_PORT: FieldDef = uint("local_port", 0x08, 8);
    /// Largest MTU the port supports.
    pub const MAX_MTU: FieldDef = uint("max_mtu", 0x20, 16);
    /// Configured MTU.
    pub const ADMIN_MTU: FieldDef = uint("admin_mtu", 0x40, 16);
    /// MTU in effect.
    pub const OPER_MTU: FieldDef = uint("oper_mtu", 0x60, 16);
    /// `pmtu_reg` (16 B).
    pub const LAYOUT: Layout = Layout::new("pmtu_reg", 16, &[LOCAL_PORT, MAX_MTU, ADMIN_MTU, OPER_MTU]);
}

/// PTYS (0x5004): port type and speed.
// checked: mlx5_ifc.h struct mlx5_ifc_ptys_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod ptys {
    use super::*;
    /// Local port.
    pub const LOCAL_PORT: FieldDef = uint("local_port", 0x08, 8);
    /// Protocol mask (bit 2 = Ethernet).
    pub const PROTO_MASK: FieldDef = uint("proto_mask", 0x1d, 3);
    /// Extended Ethernet protocols supported.
    pub const EXT_ETH_PROTO_CAPABILITY: FieldDef = uint("ext_eth_proto_capability", 0x40, 32);
    /// Ethernet protocols supported.
    pub const ETH_PROTO_CAPABILITY: FieldDef = uint("eth_proto_capability", 0x60, 32);
    /// Extended Ethernet protocols enabled.
    pub const EXT_ETH_PROTO_ADMIN: FieldDef = uint("ext_eth_proto_admin", 0xa0, 32);
    /// Ethernet protocols enabled.
    pub const ETH_PROTO_ADMIN: FieldDef = uint("eth_proto_admin", 0xc0, 32);
    /// Extended Ethernet protocol in use.
    pub const EXT_ETH_PROTO_OPER: FieldDef = uint("ext_eth_proto_oper", 0x100, 32);
    /// Ethernet protocol in use.
    pub const ETH_PROTO_OPER: FieldDef = uint("eth_proto_oper", 0x120, 32);
    /// Connector type.
    pub const CONNECTOR_TYPE: FieldDef = uint("connector_type", 0x17c, 4);
    /// `ptys_reg` (64 B).
    pub const LAYOUT: Layout = Layout::new(
        "ptys_reg",
        64,
        &[
            uint("an_disable_admin", 0x01, 1),
            uint("an_disable_cap", 0x02, 1),
            LOCAL_PORT,
            PROTO_MASK,
            uint("an_status", 0x20, 4),
            uint("data_rate_oper", 0x30, 16),
            EXT_ETH_PROTO_CAPABILITY,
            ETH_PROTO_CAPABILITY,
            EXT_ETH_PROTO_ADMIN,
            ETH_PROTO_ADMIN,
            EXT_ETH_PROTO_OPER,
            ETH_PROTO_OPER,
            CONNECTOR_TYPE,
            uint("eth_proto_lp_advertise", 0x180, 32),
        ],
    );
}

/// PAOS (0x5006): port administrative and operational status.
// checked: mlx5_ifc.h struct mlx5_ifc_paos_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod paos {
    use super::*;
    /// Switch partition.
    pub const SWID: FieldDef = uint("swid", 0x00, 8);
    /// Local port.
    pub const LOCAL_PORT: FieldDef = uint("local_port", 0x08, 8);
    /// 1 up, 2 down (administratively).
    pub const ADMIN_STATUS: FieldDef = uint("admin_status", 0x14, 4);
    /// 1 up, 2 down (operationally).
    pub const OPER_STATUS: FieldDef = uint("oper_status", 0x1c, 4);
    /// Admin state update enable: a write changes `admin_status` only when set.
    pub const ASE: FieldDef = uint("ase", 0x20, 1);
    /// Event update enable.
    pub const EE: FieldDef = uint("ee", 0x21, 1);
    /// Event generation on state change.
    pub const E: FieldDef = uint("e", 0x3e, 2);
    /// `paos_reg` (16 B).
    pub const LAYOUT: Layout =
        Layout::new("paos_reg", 16, &[SWID, LOCAL_PORT, ADMIN_STATUS, OPER_STATUS, ASE, EE, E]);
    /// `admin_status` / `oper_status` value: up.
    pub const UP: u64 = 1;
    /// `admin_status` / `oper_status` value: down.
    pub const DOWN: u64 = 2;
}

/// PPCNT (0x5008): port counters; this layout is group 0 (IEEE 802.3), the
/// other Ethernet groups are in [`ppcnt_groups`].
// checked: mlx5_ifc.h struct mlx5_ifc_ppcnt_reg_bits and eth_802_3_cntrs_grp_data_layout_bits
// (saeedtx/mlx5ctl:mlx5_ifc.h@0921586); the header splits each counter into _high/_low dwords, read here as one
// big-endian 64-bit value.
pub mod ppcnt {
    use super::*;
    /// Local port.
    pub const LOCAL_PORT: FieldDef = uint("local_port", 0x08, 8);
    /// Counter group (0 = IEEE 802.3).
    pub const GRP: FieldDef = uint("grp", 0x1a, 6);
    /// Clear after reading.
    pub const CLR: FieldDef = uint("clr", 0x20, 1);
    /// Priority or traffic class for per-prio groups.
    pub const PRIO_TC: FieldDef = uint("prio_tc", 0x3d, 3);
    /// The 64-bit IEEE 802.3 counters, in layout order (from bit 0x40).
    pub const COUNTERS: [FieldDef; 10] = [
        uint("a_frames_transmitted_ok", 0x40, 64),
        uint("a_frames_received_ok", 0x80, 64),
        uint("a_frame_check_sequence_errors", 0xc0, 64),
        uint("a_alignment_errors", 0x100, 64),
        uint("a_octets_transmitted_ok", 0x140, 64),
        uint("a_octets_received_ok", 0x180, 64),
        uint("a_multicast_frames_xmitted_ok", 0x1c0, 64),
        uint("a_broadcast_frames_xmitted_ok", 0x200, 64),
        uint("a_multicast_frames_received_ok", 0x240, 64),
        uint("a_broadcast_frames_received_ok", 0x280, 64),
    ];
    const ALL: [FieldDef; 15] = {
        let mut out = [LOCAL_PORT; 15];
        out[0] = uint("swid", 0x00, 8);
        out[1] = LOCAL_PORT;
        out[2] = uint("pnat", 0x10, 2);
        out[3] = GRP;
        out[4] = CLR;
        let mut i = 0;
        while i < 10 {
            out[5 + i] = COUNTERS[i];
            i += 1;
        }
        out
    };
    /// `ppcnt_reg` (256 B).
    pub const LAYOUT: Layout = Layout::new("ppcnt_reg", 256, &ALL);
    /// Group 0: IEEE 802.3 counters.
    pub const GRP_IEEE_802_3: u64 = 0;
}

/// PCAM (0x507f): port access-register capability mask.
// checked: mlx5_ifc.h struct mlx5_ifc_pcam_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod pcam {
    use super::*;
    /// Feature group queried (0).
    pub const FEATURE_GROUP: FieldDef = uint("feature_group", 0x08, 8);
    /// Register group queried (0 = 0x5000..0x507f).
    pub const ACCESS_REG_GROUP: FieldDef = uint("access_reg_group", 0x18, 8);
    /// 128-bit mask; register 0x5000+n is bit n counted from the least significant end.
    pub const PORT_ACCESS_REG_CAP_MASK: FieldDef = bytes("port_access_reg_cap_mask", 8, 16);
    /// Feature mask.
    pub const FEATURE_CAP_MASK: FieldDef = bytes("feature_cap_mask", 40, 16);
    /// `pcam_reg` (80 B).
    pub const LAYOUT: Layout = Layout::new(
        "pcam_reg",
        80,
        &[FEATURE_GROUP, ACCESS_REG_GROUP, PORT_ACCESS_REG_CAP_MASK, FEATURE_CAP_MASK],
    );
    /// First register of group 0.
    pub const GROUP0_BASE: u16 = 0x5000;
}

/// NODE_DESC (0x6001): the node description string.
// checked: 64 bytes of text, as struct mlx5_ifc_set_node_in_bits (node_description[64][0x8])
// in mlx5_ifc.h and struct mlx5_reg_node_desc { u8 desc[64]; } in drivers/infiniband/hw/mlx5/main.c
pub mod node_desc {
    use super::*;
    /// 64 bytes of ASCII.
    pub const NODE_DESCRIPTION: FieldDef = ascii("node_description", 0, 64);
    /// `node_desc` (64 B).
    pub const LAYOUT: Layout = Layout::new("node_desc", 64, &[NODE_DESCRIPTION]);
}

/// MTCAP (0x9009): temperature sensor capabilities.
// checked: mlx5_ifc.h struct mlx5_ifc_mtcap_reg_bits (knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@0ee1e51)
pub mod mtcap {
    use super::*;
    /// Number of sensors.
    pub const SENSOR_COUNT: FieldDef = uint("sensor_count", 0x19, 7);
    /// Bit n set: sensor n exists.
    pub const SENSOR_MAP: FieldDef = uint("sensor_map", 0x40, 64);
    /// `mtcap_reg` (16 B).
    pub const LAYOUT: Layout = Layout::new("mtcap_reg", 16, &[SENSOR_COUNT, SENSOR_MAP]);
}

/// MTMP (0x900a): temperature of one sensor, in units of 0.125 °C.
// checked: mlx5_ifc.h struct mlx5_ifc_mtmp_reg_bits (knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@0ee1e51)
pub mod mtmp {
    use super::*;
    /// Sensor queried.
    pub const SENSOR_INDEX: FieldDef = uint("sensor_index", 0x14, 12);
    /// Current temperature (0.125 °C units, signed 16-bit).
    pub const TEMPERATURE: FieldDef = uint("temperature", 0x30, 16);
    /// Max temperature recording enabled.
    pub const MTE: FieldDef = uint("mte", 0x40, 1);
    /// Reset the max temperature.
    pub const MTR: FieldDef = uint("mtr", 0x41, 1);
    /// Highest temperature seen.
    pub const MAX_TEMPERATURE: FieldDef = uint("max_temperature", 0x50, 16);
    /// Temperature event enable.
    pub const TEE: FieldDef = uint("tee", 0x60, 2);
    /// High threshold.
    pub const TEMP_THRESHOLD_HI: FieldDef = uint("temp_threshold_hi", 0x70, 16);
    /// Low threshold.
    pub const TEMP_THRESHOLD_LO: FieldDef = uint("temp_threshold_lo", 0x90, 16);
    /// Sensor name, first 4 ASCII bytes.
    pub const SENSOR_NAME_HI: FieldDef = uint("sensor_name_hi", 0xc0, 32);
    /// Sensor name, last 4 ASCII bytes.
    pub const SENSOR_NAME_LO: FieldDef = uint("sensor_name_lo", 0xe0, 32);
    /// `mtmp_reg` (32 B).
    pub const LAYOUT: Layout = Layout::new(
        "mtmp_reg",
        32,
        &[
            SENSOR_INDEX,
            TEMPERATURE,
            MTE,
            MTR,
            MAX_TEMPERATURE,
            TEE,
            TEMP_THRESHOLD_HI,
            TEMP_THRESHOLD_LO,
            SENSOR_NAME_HI,
            SENSOR_NAME_LO,
        ],
    );
}

/// MCQS (0x9060): firmware component query, status.
// checked: mlx5_ifc.h struct mlx5_ifc_mcqs_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod mcqs {
    use super::*;
    /// Set on the last component.
    pub const LAST_INDEX_FLAG: FieldDef = uint("last_index_flag", 0x00, 1);
    /// Device (0 = this one).
    pub const FW_DEVICE: FieldDef = uint("fw_device", 0x08, 8);
    /// Component queried.
    pub const COMPONENT_INDEX: FieldDef = uint("component_index", 0x10, 16);
    /// Component kind (1 boot image, 5 NV config, 6 CS token...).
    pub const IDENTIFIER: FieldDef = uint("identifier", 0x30, 16);
    /// 0 not present, 1 present, 2 in use.
    pub const COMPONENT_STATUS: FieldDef = uint("component_status", 0x57, 5);
    /// Update state machine (0 idle).
    pub const COMPONENT_UPDATE_STATE: FieldDef = uint("component_update_state", 0x5c, 4);
    /// `mcqs_reg` (16 B).
    pub const LAYOUT: Layout = Layout::new(
        "mcqs_reg",
        16,
        &[
            LAST_INDEX_FLAG,
            FW_DEVICE,
            COMPONENT_INDEX,
            IDENTIFIER,
            COMPONENT_STATUS,
            COMPONENT_UPDATE_STATE,
            uint("last_update_state_changer_type", 0x60, 4),
            uint("last_update_state_changer_host_id", 0x64, 4),
        ],
    );
}

/// MCQI (0x9061): firmware component query, information. The fixed part is 24
/// bytes; `data` follows, shaped by `info_type` (0 capabilities, 1 version).
// checked: mlx5_ifc.h struct mlx5_ifc_mcqi_reg_bits, mcqi_version_bits, mcqi_cap_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod mcqi {
    use super::*;
    /// Component queried.
    pub const COMPONENT_INDEX: FieldDef = uint("component_index", 0x10, 16);
    /// 0 capabilities, 1 version.
    pub const INFO_TYPE: FieldDef = uint("info_type", 0x5b, 5);
    /// Size of the whole info structure.
    pub const INFO_SIZE: FieldDef = uint("info_size", 0x60, 32);
    /// Offset into the info structure.
    pub const OFFSET: FieldDef = uint("offset", 0x80, 32);
    /// Bytes of info requested / returned.
    pub const DATA_SIZE: FieldDef = uint("data_size", 0xb0, 16);
    /// Byte offset of `data`.
    pub const DATA_BYTE: usize = 24;
    /// info_type CAPABILITIES.
    pub const INFO_TYPE_CAPABILITIES: u64 = 0;
    /// info_type VERSION.
    pub const INFO_TYPE_VERSION: u64 = 1;
    /// `mcqi_reg` with room for the largest info (`mcqi_version`, 124 B): 148 B.
    pub const LAYOUT: Layout = Layout::new(
        "mcqi_reg",
        148,
        &[uint("read_pending_component", 0x00, 1), COMPONENT_INDEX, INFO_TYPE, INFO_SIZE, OFFSET, DATA_SIZE],
    );
    /// `mcqi_version` (124 B).
    pub const VERSION: Layout = Layout::new(
        "mcqi_version",
        124,
        &[
            uint("build_time_valid", 0x02, 1),
            uint("user_defined_time_valid", 0x03, 1),
            uint("version_string_length", 0x18, 8),
            uint("version", 0x20, 32),
            uint("build_time", 0x40, 64),
            uint("user_defined_time", 0x80, 64),
            uint("build_tool_version", 0xc0, 32),
            ascii("version_string", 32, 92),
        ],
    );
    /// `mcqi_cap` (20 B).
    pub const CAP: Layout = Layout::new(
        "mcqi_cap",
        20,
        &[
            uint("supported_info_bitmask", 0x00, 32),
            uint("component_size", 0x20, 32),
            uint("max_component_size", 0x40, 32),
            uint("log_mcda_word_size", 0x60, 4),
            uint("mcda_max_write_size", 0x70, 16),
            uint("rd_en", 0x80, 1),
            uint("match_chip_id", 0x82, 1),
            uint("match_psid", 0x83, 1),
            uint("check_user_timestamp", 0x84, 1),
            uint("match_base_guid_mac", 0x85, 1),
        ],
    );
}

/// MCAM (0x907f): management access-register capability mask.
// checked: mlx5_ifc.h struct mlx5_ifc_mcam_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod mcam {
    use super::*;
    /// Feature group queried (0).
    pub const FEATURE_GROUP: FieldDef = uint("feature_group", 0x08, 8);
    /// Register group queried (0 = 0x9000..0x907f).
    pub const ACCESS_REG_GROUP: FieldDef = uint("access_reg_group", 0x18, 8);
    /// 128-bit mask; register 0x9000+n is bit n counted from the least significant end.
    pub const MNG_ACCESS_REG_CAP_MASK: FieldDef = bytes("mng_access_reg_cap_mask", 8, 16);
    /// Feature mask.
    pub const MNG_FEATURE_CAP_MASK: FieldDef = bytes("mng_feature_cap_mask", 40, 16);
    /// `mcam_reg` (72 B).
    pub const LAYOUT: Layout = Layout::new(
        "mcam_reg",
        72,
        &[FEATURE_GROUP, ACCESS_REG_GROUP, MNG_ACCESS_REG_CAP_MASK, MNG_FEATURE_CAP_MASK],
    );
    /// First register of group 0.
    pub const GROUP0_BASE: u16 = 0x9000;
}

/// QCAM (0x4019): QoS access-register capability mask.
// checked: mlx5_ifc.h struct mlx5_ifc_qcam_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod qcam {
    use super::*;
    /// `qcam_reg` (72 B).
    pub const LAYOUT: Layout = Layout::new("qcam_reg", 72, &[
        uint("feature_group", 0x8, 8),
        uint("access_reg_group", 0x18, 8),
        bytes("qos_access_reg_cap_mask", 8, 16),
        bytes("qos_feature_cap_mask", 40, 16),
    ]);
    /// First register of group 0.
    pub const GROUP0_BASE: u16 = 0x4000;
}

/// PCAP (0x5001): port capability mask.
// checked: mlx5_ifc.h struct mlx5_ifc_pcap_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod pcap {
    use super::*;
    /// `pcap_reg` (20 B).
    pub const LAYOUT: Layout = Layout::new("pcap_reg", 20, &[
        uint("local_port", 0x8, 8),
        bytes("port_capability_mask", 4, 16),
    ]);
}

/// PMLP (0x5002): port module-to-lane mapping.
// checked: mlx5_ifc.h struct mlx5_ifc_pmlp_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod pmlp {
    use super::*;
    /// `pmlp_reg` (64 B).
    pub const LAYOUT: Layout = Layout::new("pmlp_reg", 64, &[
        uint("rxtx", 0x0, 1),
        uint("local_port", 0x8, 8),
        uint("width", 0x18, 8),
        uint("lane0_module_mapping", 0x20, 32),
        uint("lane1_module_mapping", 0x40, 32),
        uint("lane2_module_mapping", 0x60, 32),
        uint("lane3_module_mapping", 0x80, 32),
    ]);
}

/// PFCC (0x5007): port flow control (global pause / PFC).
// checked: mlx5_ifc.h struct mlx5_ifc_pfcc_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod pfcc {
    use super::*;
    /// `pfcc_reg` (32 B).
    pub const LAYOUT: Layout = Layout::new("pfcc_reg", 32, &[
        uint("local_port", 0x8, 8),
        uint("ppan_mask_n", 0x1b, 1),
        uint("minor_stall_mask", 0x1c, 1),
        uint("critical_stall_mask", 0x1d, 1),
        uint("ppan", 0x20, 4),
        uint("prio_mask_tx", 0x28, 8),
        uint("prio_mask_rx", 0x38, 8),
        uint("pptx", 0x40, 1),
        uint("aptx", 0x41, 1),
        uint("pptx_mask_n", 0x42, 1),
        uint("pfctx", 0x48, 8),
        uint("pprx", 0x60, 1),
        uint("aprx", 0x61, 1),
        uint("pprx_mask_n", 0x62, 1),
        uint("pfcrx", 0x68, 8),
        uint("device_stall_minor_watermark", 0x80, 16),
        uint("device_stall_critical_watermark", 0x90, 16),
    ]);
}

/// PMAOS (0x5012): module admin/oper status.
// checked: mlx5_ifc.h struct mlx5_ifc_pmaos_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod pmaos {
    use super::*;
    /// `pmaos_reg` (16 B).
    pub const LAYOUT: Layout = Layout::new("pmaos_reg", 16, &[
        uint("module", 0x8, 8),
        uint("admin_status", 0x14, 4),
        uint("oper_status", 0x1c, 4),
        uint("ase", 0x20, 1),
        uint("ee", 0x21, 1),
        uint("e", 0x3e, 2),
    ]);
}

/// PPLM (0x5023): port FEC mode.
// checked: mlx5_ifc.h struct mlx5_ifc_pplm_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod pplm {
    use super::*;
    /// `pplm_reg` (120 B).
    pub const LAYOUT: Layout = Layout::new("pplm_reg", 120, &[
        uint("local_port", 0x8, 8),
        uint("port_profile_mode", 0x40, 8),
        uint("static_port_profile", 0x48, 8),
        uint("active_port_profile", 0x50, 8),
        uint("retransmission_active", 0x60, 8),
        uint("fec_mode_active", 0x68, 24),
        uint("rs_fec_correction_bypass_cap", 0x80, 4),
        uint("fec_override_cap_56g", 0x8c, 4),
        uint("fec_override_cap_100g", 0x90, 4),
        uint("fec_override_cap_50g", 0x94, 4),
        uint("fec_override_cap_25g", 0x98, 4),
        uint("fec_override_cap_10g_40g", 0x9c, 4),
        uint("rs_fec_correction_bypass_admin", 0xa0, 4),
        uint("fec_override_admin_56g", 0xac, 4),
        uint("fec_override_admin_100g", 0xb0, 4),
        uint("fec_override_admin_50g", 0xb4, 4),
        uint("fec_override_admin_25g", 0xb8, 4),
        uint("fec_override_admin_10g_40g", 0xbc, 4),
        uint("fec_override_cap_400g_8x", 0xc0, 16),
        uint("fec_override_cap_200g_4x", 0xd0, 16),
        uint("fec_override_cap_100g_2x", 0xe0, 16),
        uint("fec_override_cap_50g_1x", 0xf0, 16),
        uint("fec_override_admin_400g_8x", 0x100, 16),
        uint("fec_override_admin_200g_4x", 0x110, 16),
        uint("fec_override_admin_100g_2x", 0x120, 16),
        uint("fec_override_admin_50g_1x", 0x130, 16),
        uint("fec_override_cap_800g_8x", 0x140, 16),
        uint("fec_override_cap_400g_4x", 0x150, 16),
        uint("fec_override_cap_200g_2x", 0x160, 16),
        uint("fec_override_cap_100g_1x", 0x170, 16),
        uint("fec_override_admin_800g_8x", 0x220, 16),
        uint("fec_override_admin_400g_4x", 0x230, 16),
        uint("fec_override_admin_200g_2x", 0x240, 16),
        uint("fec_override_admin_100g_1x", 0x250, 16),
        uint("fec_override_cap_1600g_8x", 0x2c0, 16),
        uint("fec_override_cap_800g_4x", 0x2d0, 16),
        uint("fec_override_cap_400g_2x", 0x2e0, 16),
        uint("fec_override_cap_200g_1x", 0x2f0, 16),
        uint("fec_override_admin_1600g_8x", 0x300, 16),
        uint("fec_override_admin_800g_4x", 0x310, 16),
        uint("fec_override_admin_400g_2x", 0x320, 16),
        uint("fec_override_admin_200g_1x", 0x330, 16),
    ]);
}

/// PDDR (0x5031): port diagnostics database: operational (0), troubleshooting (1), module (3) info and module latched flag (9) pages.
// checked: mlx5_ifc.h struct mlx5_ifc_pddr_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod pddr {
    use super::*;
    /// `pddr_reg` (256 B): the header; `page_data` (248 B at byte 8) is one of
    /// the pages below, chosen by `page_select` ([`page_layout`]).
    pub const LAYOUT: Layout = Layout::new("pddr_reg", 256, &[
        uint("local_port", 0x8, 8),
        uint("pnat", 0x10, 2),
        uint("page_select", 0x38, 8),
    ]);
    /// Where `page_data` starts in the register.
    pub const PAGE_DATA_BYTE: usize = 8;
    /// `page_select` 0: operational info.
    pub const OPERATIONAL_INFO_PAGE: u64 = 0;
    /// `page_select` 1: troubleshooting info (`MLX5_PDDR_REG_PAGE_SELECT_TROUBLESHOOTING_INFO_PAGE`).
    pub const TROUBLESHOOTING_INFO_PAGE: u64 = 1;
    /// `page_select` 3: module info.
    pub const MODULE_INFO_PAGE: u64 = 3;

    /// Page 1: `pddr_troubleshooting_page` (248 B), the only page mlx5_ifc.h defines.
    // checked: mlx5_ifc.h struct mlx5_ifc_pddr_troubleshooting_page_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
    pub const TROUBLESHOOTING: Layout = Layout::new("pddr_troubleshooting_page", 248, &[
        uint("group_opcode", 0x10, 16),
        uint("monitor_opcode", 0x30, 16),
        ascii("status_message", 12, 236),
    ]);

    /// Page 0: operational info (248 B). The kernel header does not define it.
    // checked: PRM adb node pddr_operation_info_page_ext (Mellanox/mstflint
    // tools_layouts/adb/prm/hca/ext/register_access_table.adb@b9d9e84); adb bit
    // offsets count from a dword's LSB, restated here from its MSB as mlx5_ifc.h does.
    pub const OPERATIONAL_INFO: Layout = Layout::new("pddr_operation_info_page", 248, &[
        uint("resilink_fec_ind", 0x3, 1),
        uint("proto_active", 0x8, 4),
        uint("neg_mode_active", 0xc, 4),
        uint("phy_mngr_fsm_state", 0x20, 8),
        uint("eth_an_fsm_state", 0x28, 8),
        uint("ib_phy_fsm_state", 0x30, 8),
        uint("phy_manager_link_enabled", 0x40, 32),
        uint("core_to_phy_link_enabled", 0x60, 32),
        uint("cable_proto_cap", 0x80, 32),
        uint("link_active", 0xa0, 32),
        uint("pri_or_sec", 0xd0, 2),
        uint("loopback_mode", 0xd4, 12),
        uint("fec_mode_active", 0xe0, 16),
        uint("fec_mode_request", 0xf0, 16),
        uint("profile_fec_in_use", 0x100, 16),
        uint("eth_25g_50g_fec_support", 0x118, 4),
        uint("eth_100g_fec_support", 0x11c, 4),
        uint("pd_link_enabled", 0x120, 32),
        uint("phy_hst_link_enabled", 0x140, 32),
        uint("eth_an_link_enabled", 0x160, 32),
        uint("test_mode_fsm_state", 0x1c0, 8),
        uint("link_health", 0x1dc, 4),
        uint("channel_diff_loss", 0x1f3, 5),
        uint("remote_host_class", 0x1f9, 3),
        uint("local_host_class", 0x1fd, 3),
    ]);

    /// Page 3: module info (208 B of the 248-byte page). Not in the kernel header.
    // checked: PRM adb node pddr_module_info_ext (Mellanox/mstflint
    // tools_layouts/adb/prm/hca/ext/register_access_table.adb@b9d9e84), LSB offsets restated from the MSB.
    pub const MODULE_INFO: Layout = Layout::new("pddr_module_info", 208, &[
        uint("cable_technology", 0x0, 8),
        uint("cable_breakout", 0x8, 8),
        uint("ext_ethernet_compliance_code", 0x10, 8),
        uint("ethernet_compliance_code", 0x18, 8),
        uint("cable_type", 0x20, 4),
        uint("cable_vendor", 0x24, 4),
        uint("cable_length", 0x28, 8),
        uint("cable_identifier", 0x30, 8),
        uint("cable_power_class", 0x38, 8),
        uint("max_power", 0x40, 8),
        uint("cable_rx_amp", 0x48, 8),
        uint("cable_rx_emphasis", 0x50, 8),
        uint("cable_tx_equalization", 0x58, 8),
        uint("cable_attenuation_25g", 0x60, 8),
        uint("cable_attenuation_12g", 0x68, 8),
        uint("cable_attenuation_7g", 0x70, 8),
        uint("cable_attenuation_5g", 0x78, 8),
        uint("cable_rx_post_emphasis", 0x80, 8),
        uint("rx_cdr_cap", 0x88, 4),
        uint("tx_cdr_cap", 0x8c, 4),
        uint("rx_cdr_state", 0x90, 8),
        uint("tx_cdr_state", 0x98, 8),
        ascii("vendor_name", 0x14, 16),
        ascii("vendor_pn", 0x24, 16),
        ascii("vendor_rev", 0x34, 4),
        uint("fw_version", 0x1c0, 32),
        ascii("vendor_sn", 0x3c, 16),
        uint("temperature", 0x260, 16),
        uint("voltage", 0x270, 16),
        uint("rx_power_lane0", 0x280, 16),
        uint("rx_power_lane1", 0x290, 16),
        uint("rx_power_lane2", 0x2a0, 16),
        uint("rx_power_lane3", 0x2b0, 16),
        uint("tx_power_lane0", 0x300, 16),
        uint("tx_power_lane1", 0x310, 16),
        uint("tx_power_lane2", 0x320, 16),
        uint("tx_power_lane3", 0x330, 16),
        uint("tx_bias_lane0", 0x380, 16),
        uint("tx_bias_lane1", 0x390, 16),
        uint("tx_bias_lane2", 0x3a0, 16),
        uint("tx_bias_lane3", 0x3b0, 16),
        uint("temperature_high_th", 0x400, 16),
        uint("temperature_low_th", 0x410, 16),
        uint("voltage_high_th", 0x420, 16),
        uint("voltage_low_th", 0x430, 16),
        uint("module_st", 0x4a0, 3),
        uint("smf_length", 0x4a6, 10),
        uint("wavelength", 0x4b0, 16),
        uint("ib_compliance_code", 0x4d6, 10),
        uint("nbr250", 0x4e0, 8),
        uint("nbr100", 0x4e8, 8),
        uint("monitor_cap_mask", 0x4f0, 8),
        uint("ib_width", 0x4fa, 6),
        uint("memory_map_rev", 0x558, 8),
        ascii("memory_map_compliance", 0xac, 4),
        ascii("date_code", 0xb0, 8),
        uint("connector_type", 0x5c0, 8),
        uint("vendor_oui", 0x5c8, 24),
    ]);

    /// `page_select` 9: module latched flag info (`Module_latched_flag_info_page`).
    pub const MODULE_LATCHED_FLAG_INFO_PAGE: u64 = 9;

    /// Page 9: the module's latched alarm and warning flags (80 B), a bit per
    /// lane in the per-lane masks. Not in the kernel header; the ELS laser
    /// fields (co-packaged optics on switches) past byte 0x1c are left out.
    // checked: PRM adb node module_latched_flag_info_ext (Mellanox/mstflint
    // tools_layouts/adb/prm/hca/ext/register_access_table.adb@b9d9e84), LSB offsets restated from the MSB.
    pub const MODULE_LATCHED_FLAG_INFO: Layout = Layout::new("module_latched_flag_info", 80, &[
        uint("temp_flags", 0x0, 4),
        uint("vcc_flags", 0x4, 4),
        uint("mod_fw_fault", 0x8, 1),
        uint("dp_fw_fault", 0x9, 1),
        uint("rx_los_cap", 0x1f, 1),
        uint("tx_fault", 0x20, 8),
        uint("tx_los", 0x28, 8),
        uint("tx_cdr_lol", 0x30, 8),
        uint("tx_ad_eq_fault", 0x38, 8),
        uint("tx_power_hi_al", 0x40, 8),
        uint("tx_power_lo_al", 0x48, 8),
        uint("tx_power_hi_war", 0x50, 8),
        uint("tx_power_lo_war", 0x58, 8),
        uint("tx_bias_hi_al", 0x60, 8),
        uint("tx_bias_lo_al", 0x68, 8),
        uint("tx_bias_hi_war", 0x70, 8),
        uint("tx_bias_lo_war", 0x78, 8),
        uint("rx_los", 0x80, 8),
        uint("rx_cdr_lol", 0x88, 8),
        uint("rx_power_hi_al", 0xa0, 8),
        uint("rx_power_lo_al", 0xa8, 8),
        uint("rx_power_hi_war", 0xb0, 8),
        uint("rx_power_lo_war", 0xb8, 8),
        uint("rx_output_valid_change", 0xd8, 8),
    ]);

    /// The pages the simulator answers, in `page_select` order.
    pub const PAGES: [u64; 4] =
        [OPERATIONAL_INFO_PAGE, TROUBLESHOOTING_INFO_PAGE, MODULE_INFO_PAGE, MODULE_LATCHED_FLAG_INFO_PAGE];

    /// The `page_data` layout of a `page_select` the simulator answers.
    pub fn page_layout(page_select: u64) -> Option<&'static Layout> {
        match page_select {
            OPERATIONAL_INFO_PAGE => Some(&OPERATIONAL_INFO),
            TROUBLESHOOTING_INFO_PAGE => Some(&TROUBLESHOOTING),
            MODULE_INFO_PAGE => Some(&MODULE_INFO),
            MODULE_LATCHED_FLAG_INFO_PAGE => Some(&MODULE_LATCHED_FLAG_INFO),
            _ => None,
        }
    }
}

/// PBMC (0x500c): port receive buffer management.
// checked: mlx5_ifc.h struct mlx5_ifc_pbmc_reg_bits and mlx5_ifc_bufferx_reg_bits
// (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16; bufferx `size` is 16 bits since kernel
// commit ac77998b7ac3 "net/mlx5: Fix size field in bufferx_reg struct").
#[rustfmt::skip]
pub mod pbmc {
    use super::*;
    /// The fields of `buffer[i]` (`bufferx_reg`, 8 bytes at bit `base`), named `bufferI.field`.
    macro_rules! pbmc_layout {
        ($($i:literal @ $base:literal),*) => {
            Layout::new("pbmc_reg", 108, &[
                uint("local_port", 0x8, 8),
                uint("xoff_timer_value", 0x20, 16),
                uint("xoff_refresh", 0x30, 16),
                uint("fullness_threshold", 0x49, 7),
                uint("port_buffer_size", 0x50, 16),
                $(
                    uint(concat!("buffer", $i, ".lossy"), $base + 0x6, 1),
                    uint(concat!("buffer", $i, ".epsb"), $base + 0x7, 1),
                    uint(concat!("buffer", $i, ".size"), $base + 0x10, 16),
                    uint(concat!("buffer", $i, ".xoff_threshold"), $base + 0x20, 16),
                    uint(concat!("buffer", $i, ".xon_threshold"), $base + 0x30, 16),
                )*
            ])
        };
    }
    /// `pbmc_reg` (108 B): the header and `buffer[10]` at bit 0x60.
    pub const LAYOUT: Layout = pbmc_layout!(
        0 @ 0x60, 1 @ 0xa0, 2 @ 0xe0, 3 @ 0x120, 4 @ 0x160,
        5 @ 0x1a0, 6 @ 0x1e0, 7 @ 0x220, 8 @ 0x260, 9 @ 0x2a0
    );
    /// Buffers 0..8 are the network (receive) buffers a driver sizes
    /// (`MLX5E_MAX_NETWORK_BUFFER`, en/port_buffer.h); 8 and 9 are internal.
    pub const NETWORK_BUFFERS: usize = 8;
    /// The `bufferx_reg` fields mlx5e's `port_set_buffer` (en/port_buffer.c) writes.
    pub const WRITTEN_FIELDS: [&str; 4] = ["lossy", "size", "xoff_threshold", "xon_threshold"];
}

/// PPTB (0x500b): port priority-to-buffer mapping.
// checked: mlx5_ifc.h struct mlx5_ifc_pptb_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod pptb {
    use super::*;
    /// `pptb_reg` (12 B).
    pub const LAYOUT: Layout = Layout::new("pptb_reg", 12, &[
        uint("mm", 0x2, 2),
        uint("local_port", 0x8, 8),
        uint("cm", 0x16, 1),
        uint("um", 0x17, 1),
        uint("pm", 0x18, 8),
        uint("prio_x_buff", 0x20, 32),
        uint("pm_msb", 0x40, 8),
        uint("ctrl_buff", 0x58, 4),
        uint("untagged_buff", 0x5c, 4),
    ]);
}

/// QTCT (0x400a): priority to traffic class.
// checked: mlx5_ifc.h struct mlx5_ifc_qtct_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod qtct {
    use super::*;
    /// `qtct_reg` (8 B).
    pub const LAYOUT: Layout = Layout::new("qtct_reg", 8, &[
        uint("port_number", 0x8, 8),
        uint("prio", 0x1d, 3),
        uint("tclass", 0x3d, 3),
    ]);
}

/// QPTS (0x4002): QoS trust state (PCP or DSCP).
// checked: mlx5_ifc.h struct mlx5_ifc_qpts_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod qpts {
    use super::*;
    /// `qpts_reg` (8 B).
    pub const LAYOUT: Layout = Layout::new("qpts_reg", 8, &[
        uint("local_port", 0x8, 8),
        uint("trust_state", 0x3d, 3),
    ]);
}

/// MLCR (0x902b): port LED beacon.
// checked: mlx5_ifc.h struct mlx5_ifc_mlcr_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod mlcr {
    use super::*;
    /// `mlcr_reg` (12 B).
    pub const LAYOUT: Layout = Layout::new("mlcr_reg", 12, &[
        uint("local_port", 0x8, 8),
        uint("beacon_duration", 0x30, 16),
        uint("beacon_remain", 0x50, 16),
    ]);
}

/// MRTC (0x902d): real-time clock.
// checked: mlx5_ifc.h struct mlx5_ifc_mrtc_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod mrtc {
    use super::*;
    /// `mrtc_reg` (16 B).
    pub const LAYOUT: Layout = Layout::new("mrtc_reg", 16, &[
        uint("time_synced", 0x0, 1),
        uint("time_h", 0x40, 32),
        uint("time_l", 0x60, 32),
    ]);
}

/// MCIA (0x9014): module EEPROM access.
// checked: mlx5_ifc.h struct mlx5_ifc_mcia_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod mcia {
    use super::*;
    /// `mcia_reg` (64 B).
    pub const LAYOUT: Layout = Layout::new("mcia_reg", 64, &[
        uint("l", 0x0, 1),
        uint("module", 0x8, 8),
        uint("status", 0x18, 8),
        uint("i2c_device_address", 0x20, 8),
        uint("page_number", 0x28, 8),
        uint("device_address", 0x30, 16),
        uint("size", 0x50, 16),
        uint("dword_0", 0x80, 32),
        uint("dword_1", 0xa0, 32),
        uint("dword_2", 0xc0, 32),
        uint("dword_3", 0xe0, 32),
        uint("dword_4", 0x100, 32),
        uint("dword_5", 0x120, 32),
        uint("dword_6", 0x140, 32),
        uint("dword_7", 0x160, 32),
        uint("dword_8", 0x180, 32),
        uint("dword_9", 0x1a0, 32),
        uint("dword_10", 0x1c0, 32),
        uint("dword_11", 0x1e0, 32),
        // Not a header field: the twelve dwords as the module bytes they carry.
        bytes("eeprom_bytes", 16, 48),
    ]);
}

/// MFRL (0x9028): firmware reset level.
// checked: mlx5_ifc.h struct mlx5_ifc_mfrl_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod mfrl {
    use super::*;
    /// `mfrl_reg` (8 B).
    pub const LAYOUT: Layout = Layout::new("mfrl_reg", 8, &[
        uint("pci_sync_for_fw_update_start", 0x21, 2),
        uint("pci_sync_for_fw_update_resp", 0x23, 2),
        uint("rst_type_sel", 0x25, 3),
        uint("pci_reset_req_method", 0x28, 3),
        uint("reset_state", 0x2c, 4),
        uint("reset_type", 0x30, 8),
        uint("reset_level", 0x38, 8),
    ]);
}

/// MCC (0x9062): firmware component control (update state machine).
// checked: mlx5_ifc.h struct mlx5_ifc_mcc_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod mcc {
    use super::*;
    /// `mcc_reg` (32 B).
    pub const LAYOUT: Layout = Layout::new("mcc_reg", 32, &[
        uint("time_elapsed_since_last_cmd", 0x4, 12),
        uint("instruction", 0x18, 8),
        uint("component_index", 0x30, 16),
        uint("update_handle", 0x48, 24),
        uint("handle_owner_type", 0x60, 4),
        uint("handle_owner_host_id", 0x64, 4),
        uint("control_progress", 0x69, 7),
        uint("error_code", 0x70, 8),
        uint("control_state", 0x7c, 4),
        uint("component_size", 0x80, 32),
    ]);
}

/// DTOR (0xc00e): default timeouts.
// checked: mlx5_ifc.h struct mlx5_ifc_dtor_reg_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod dtor {
    use super::*;
    /// `dtor_reg` (64 B).
    pub const LAYOUT: Layout = Layout::new("dtor_reg", 64, &[
        uint("pcie_toggle_to.to_multiplier", 0x20, 3),
        uint("pcie_toggle_to.to_value", 0x2c, 20),
        uint("health_poll_to.to_multiplier", 0xa0, 3),
        uint("health_poll_to.to_value", 0xac, 20),
        uint("full_crdump_to.to_multiplier", 0xc0, 3),
        uint("full_crdump_to.to_value", 0xcc, 20),
        uint("fw_reset_to.to_multiplier", 0xe0, 3),
        uint("fw_reset_to.to_value", 0xec, 20),
        uint("flush_on_err_to.to_multiplier", 0x100, 3),
        uint("flush_on_err_to.to_value", 0x10c, 20),
        uint("pci_sync_update_to.to_multiplier", 0x120, 3),
        uint("pci_sync_update_to.to_value", 0x12c, 20),
        uint("tear_down_to.to_multiplier", 0x140, 3),
        uint("tear_down_to.to_value", 0x14c, 20),
        uint("fsm_reactivate_to.to_multiplier", 0x160, 3),
        uint("fsm_reactivate_to.to_value", 0x16c, 20),
        uint("reclaim_pages_to.to_multiplier", 0x180, 3),
        uint("reclaim_pages_to.to_value", 0x18c, 20),
        uint("reclaim_vfs_pages_to.to_multiplier", 0x1a0, 3),
        uint("reclaim_vfs_pages_to.to_value", 0x1ac, 20),
        uint("reset_unload_to.to_multiplier", 0x1c0, 3),
        uint("reset_unload_to.to_value", 0x1cc, 20),
    ]);
}

/// RESOURCE_DUMP (0xc000): firmware resource dump segments.
// checked: mlx5_ifc.h struct mlx5_ifc_resource_dump_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod resource_dump {
    use super::*;
    /// `resource_dump` (256 B).
    pub const LAYOUT: Layout = Layout::new("resource_dump", 256, &[
        uint("more_dump", 0x0, 1),
        uint("inline_dump", 0x1, 1),
        uint("seq_num", 0xc, 4),
        uint("segment_type", 0x10, 16),
        uint("vhca_id", 0x30, 16),
        uint("index1", 0x40, 32),
        uint("index2", 0x60, 32),
        uint("num_of_obj1", 0x80, 16),
        uint("num_of_obj2", 0x90, 16),
        uint("device_opaque", 0xc0, 64),
        uint("mkey", 0x100, 32),
        uint("size", 0x120, 32),
        uint("address", 0x140, 64),
        bytes("inline_data", 48, 208),
    ]);
}

/// PPCNT counter groups other than IEEE 802.3 (which [`ppcnt`] describes):
/// `(grp, layout)`, each layout located at byte 8 of `ppcnt_reg` (`counter_set`).
// checked: union mlx5_ifc_eth_cntrs_grp_data_layout_auto_bits members and the group ids of
// enum MLX5_*_COUNTERS_GROUP / _GROUP in include/linux/mlx5/device.h (knneth/mlnx-ofa_kernel@2850235)
#[rustfmt::skip]
pub mod ppcnt_groups {
    use super::*;
    /// Group 0x1: RFC 2863 (`eth_2863_cntrs_grp_data_layout`, 248 B).
    pub const RFC_2863: Layout = Layout::new("eth_2863_cntrs_grp_data_layout", 248, &[
        uint("if_in_octets_high", 0x0, 32),
        uint("if_in_octets_low", 0x20, 32),
        uint("if_in_ucast_pkts_high", 0x40, 32),
        uint("if_in_ucast_pkts_low", 0x60, 32),
        uint("if_in_discards_high", 0x80, 32),
        uint("if_in_discards_low", 0xa0, 32),
        uint("if_in_errors_high", 0xc0, 32),
        uint("if_in_errors_low", 0xe0, 32),
        uint("if_in_unknown_protos_high", 0x100, 32),
        uint("if_in_unknown_protos_low", 0x120, 32),
        uint("if_out_octets_high", 0x140, 32),
        uint("if_out_octets_low", 0x160, 32),
        uint("if_out_ucast_pkts_high", 0x180, 32),
        uint("if_out_ucast_pkts_low", 0x1a0, 32),
        uint("if_out_discards_high", 0x1c0, 32),
        uint("if_out_discards_low", 0x1e0, 32),
        uint("if_out_errors_high", 0x200, 32),
        uint("if_out_errors_low", 0x220, 32),
        uint("if_in_multicast_pkts_high", 0x240, 32),
        uint("if_in_multicast_pkts_low", 0x260, 32),
        uint("if_in_broadcast_pkts_high", 0x280, 32),
        uint("if_in_broadcast_pkts_low", 0x2a0, 32),
        uint("if_out_multicast_pkts_high", 0x2c0, 32),
        uint("if_out_multicast_pkts_low", 0x2e0, 32),
        uint("if_out_broadcast_pkts_high", 0x300, 32),
        uint("if_out_broadcast_pkts_low", 0x320, 32),
    ]);
    /// Group 0x2: RFC 2819 (`eth_2819_cntrs_grp_data_layout`, 248 B).
    pub const RFC_2819: Layout = Layout::new("eth_2819_cntrs_grp_data_layout", 248, &[
        uint("ether_stats_drop_events_high", 0x0, 32),
        uint("ether_stats_drop_events_low", 0x20, 32),
        uint("ether_stats_octets_high", 0x40, 32),
        uint("ether_stats_octets_low", 0x60, 32),
        uint("ether_stats_pkts_high", 0x80, 32),
        uint("ether_stats_pkts_low", 0xa0, 32),
        uint("ether_stats_broadcast_pkts_high", 0xc0, 32),
        uint("ether_stats_broadcast_pkts_low", 0xe0, 32),
        uint("ether_stats_multicast_pkts_high", 0x100, 32),
        uint("ether_stats_multicast_pkts_low", 0x120, 32),
        uint("ether_stats_crc_align_errors_high", 0x140, 32),
        uint("ether_stats_crc_align_errors_low", 0x160, 32),
        uint("ether_stats_undersize_pkts_high", 0x180, 32),
        uint("ether_stats_undersize_pkts_low", 0x1a0, 32),
        uint("ether_stats_oversize_pkts_high", 0x1c0, 32),
        uint("ether_stats_oversize_pkts_low", 0x1e0, 32),
        uint("ether_stats_fragments_high", 0x200, 32),
        uint("ether_stats_fragments_low", 0x220, 32),
        uint("ether_stats_jabbers_high", 0x240, 32),
        uint("ether_stats_jabbers_low", 0x260, 32),
        uint("ether_stats_collisions_high", 0x280, 32),
        uint("ether_stats_collisions_low", 0x2a0, 32),
        uint("ether_stats_pkts64octets_high", 0x2c0, 32),
        uint("ether_stats_pkts64octets_low", 0x2e0, 32),
        uint("ether_stats_pkts65to127octets_high", 0x300, 32),
        uint("ether_stats_pkts65to127octets_low", 0x320, 32),
        uint("ether_stats_pkts128to255octets_high", 0x340, 32),
        uint("ether_stats_pkts128to255octets_low", 0x360, 32),
        uint("ether_stats_pkts256to511octets_high", 0x380, 32),
        uint("ether_stats_pkts256to511octets_low", 0x3a0, 32),
        uint("ether_stats_pkts512to1023octets_high", 0x3c0, 32),
        uint("ether_stats_pkts512to1023octets_low", 0x3e0, 32),
        uint("ether_stats_pkts1024to1518octets_high", 0x400, 32),
        uint("ether_stats_pkts1024to1518octets_low", 0x420, 32),
        uint("ether_stats_pkts1519to2047octets_high", 0x440, 32),
        uint("ether_stats_pkts1519to2047octets_low", 0x460, 32),
        uint("ether_stats_pkts2048to4095octets_high", 0x480, 32),
        uint("ether_stats_pkts2048to4095octets_low", 0x4a0, 32),
        uint("ether_stats_pkts4096to8191octets_high", 0x4c0, 32),
        uint("ether_stats_pkts4096to8191octets_low", 0x4e0, 32),
        uint("ether_stats_pkts8192to10239octets_high", 0x500, 32),
        uint("ether_stats_pkts8192to10239octets_low", 0x520, 32),
    ]);
    /// Group 0x3: RFC 3635 (`eth_3635_cntrs_grp_data_layout`, 248 B).
    pub const RFC_3635: Layout = Layout::new("eth_3635_cntrs_grp_data_layout", 248, &[
        uint("dot3stats_alignment_errors_high", 0x0, 32),
        uint("dot3stats_alignment_errors_low", 0x20, 32),
        uint("dot3stats_fcs_errors_high", 0x40, 32),
        uint("dot3stats_fcs_errors_low", 0x60, 32),
        uint("dot3stats_single_collision_frames_high", 0x80, 32),
        uint("dot3stats_single_collision_frames_low", 0xa0, 32),
        uint("dot3stats_multiple_collision_frames_high", 0xc0, 32),
        uint("dot3stats_multiple_collision_frames_low", 0xe0, 32),
        uint("dot3stats_sqe_test_errors_high", 0x100, 32),
        uint("dot3stats_sqe_test_errors_low", 0x120, 32),
        uint("dot3stats_deferred_transmissions_high", 0x140, 32),
        uint("dot3stats_deferred_transmissions_low", 0x160, 32),
        uint("dot3stats_late_collisions_high", 0x180, 32),
        uint("dot3stats_late_collisions_low", 0x1a0, 32),
        uint("dot3stats_excessive_collisions_high", 0x1c0, 32),
        uint("dot3stats_excessive_collisions_low", 0x1e0, 32),
        uint("dot3stats_internal_mac_transmit_errors_high", 0x200, 32),
        uint("dot3stats_internal_mac_transmit_errors_low", 0x220, 32),
        uint("dot3stats_carrier_sense_errors_high", 0x240, 32),
        uint("dot3stats_carrier_sense_errors_low", 0x260, 32),
        uint("dot3stats_frame_too_longs_high", 0x280, 32),
        uint("dot3stats_frame_too_longs_low", 0x2a0, 32),
        uint("dot3stats_internal_mac_receive_errors_high", 0x2c0, 32),
        uint("dot3stats_internal_mac_receive_errors_low", 0x2e0, 32),
        uint("dot3stats_symbol_errors_high", 0x300, 32),
        uint("dot3stats_symbol_errors_low", 0x320, 32),
        uint("dot3control_in_unknown_opcodes_high", 0x340, 32),
        uint("dot3control_in_unknown_opcodes_low", 0x360, 32),
        uint("dot3in_pause_frames_high", 0x380, 32),
        uint("dot3in_pause_frames_low", 0x3a0, 32),
        uint("dot3out_pause_frames_high", 0x3c0, 32),
        uint("dot3out_pause_frames_low", 0x3e0, 32),
    ]);
    /// Group 0x5: Ethernet extended (`eth_extended_cntrs_grp_data_layout`, 248 B).
    pub const ETH_EXTENDED: Layout = Layout::new("eth_extended_cntrs_grp_data_layout", 248, &[
        uint("port_transmit_wait_high", 0x0, 32),
        uint("port_transmit_wait_low", 0x20, 32),
        uint("rx_buffer_almost_full_high", 0x140, 32),
        uint("rx_buffer_almost_full_low", 0x160, 32),
        uint("rx_buffer_full_high", 0x180, 32),
        uint("rx_buffer_full_low", 0x1a0, 32),
        uint("rx_icrc_encapsulated_high", 0x1c0, 32),
        uint("rx_icrc_encapsulated_low", 0x1e0, 32),
    ]);
    /// Group 0x10: per priority (`eth_per_prio_grp_data_layout`, 248 B).
    pub const PER_PRIO: Layout = Layout::new("eth_per_prio_grp_data_layout", 248, &[
        uint("rx_octets_high", 0x0, 32),
        uint("rx_octets_low", 0x20, 32),
        uint("rx_frames_high", 0x100, 32),
        uint("rx_frames_low", 0x120, 32),
        uint("tx_octets_high", 0x140, 32),
        uint("tx_octets_low", 0x160, 32),
        uint("tx_frames_high", 0x240, 32),
        uint("tx_frames_low", 0x260, 32),
        uint("rx_pause_high", 0x280, 32),
        uint("rx_pause_low", 0x2a0, 32),
        uint("rx_pause_duration_high", 0x2c0, 32),
        uint("rx_pause_duration_low", 0x2e0, 32),
        uint("tx_pause_high", 0x300, 32),
        uint("tx_pause_low", 0x320, 32),
        uint("tx_pause_duration_high", 0x340, 32),
        uint("tx_pause_duration_low", 0x360, 32),
        uint("rx_pause_transition_high", 0x380, 32),
        uint("rx_pause_transition_low", 0x3a0, 32),
        uint("rx_discards_high", 0x3c0, 32),
        uint("rx_discards_low", 0x3e0, 32),
        uint("device_stall_minor_watermark_cnt_high", 0x400, 32),
        uint("device_stall_minor_watermark_cnt_low", 0x420, 32),
        uint("device_stall_critical_watermark_cnt_high", 0x440, 32),
        uint("device_stall_critical_watermark_cnt_low", 0x460, 32),
    ]);
    /// Group 0x11: per traffic class (`eth_per_tc_prio_grp_data_layout`, 248 B).
    pub const PER_TC: Layout = Layout::new("eth_per_tc_prio_grp_data_layout", 248, &[
        uint("transmit_queue_high", 0x0, 32),
        uint("transmit_queue_low", 0x20, 32),
        uint("no_buffer_discard_uc_high", 0x40, 32),
        uint("no_buffer_discard_uc_low", 0x60, 32),
    ]);
    /// Group 0x12: physical layer (`phys_layer_cntrs`, 248 B).
    pub const PHYS_LAYER: Layout = Layout::new("phys_layer_cntrs", 248, &[
        uint("time_since_last_clear_high", 0x0, 32),
        uint("time_since_last_clear_low", 0x20, 32),
        uint("symbol_errors_high", 0x40, 32),
        uint("symbol_errors_low", 0x60, 32),
        uint("sync_headers_errors_high", 0x80, 32),
        uint("sync_headers_errors_low", 0xa0, 32),
        uint("edpl_bip_errors_lane0_high", 0xc0, 32),
        uint("edpl_bip_errors_lane0_low", 0xe0, 32),
        uint("edpl_bip_errors_lane1_high", 0x100, 32),
        uint("edpl_bip_errors_lane1_low", 0x120, 32),
        uint("edpl_bip_errors_lane2_high", 0x140, 32),
        uint("edpl_bip_errors_lane2_low", 0x160, 32),
        uint("edpl_bip_errors_lane3_high", 0x180, 32),
        uint("edpl_bip_errors_lane3_low", 0x1a0, 32),
        uint("fc_fec_corrected_blocks_lane0_high", 0x1c0, 32),
        uint("fc_fec_corrected_blocks_lane0_low", 0x1e0, 32),
        uint("fc_fec_corrected_blocks_lane1_high", 0x200, 32),
        uint("fc_fec_corrected_blocks_lane1_low", 0x220, 32),
        uint("fc_fec_corrected_blocks_lane2_high", 0x240, 32),
        uint("fc_fec_corrected_blocks_lane2_low", 0x260, 32),
        uint("fc_fec_corrected_blocks_lane3_high", 0x280, 32),
        uint("fc_fec_corrected_blocks_lane3_low", 0x2a0, 32),
        uint("fc_fec_uncorrectable_blocks_lane0_high", 0x2c0, 32),
        uint("fc_fec_uncorrectable_blocks_lane0_low", 0x2e0, 32),
        uint("fc_fec_uncorrectable_blocks_lane1_high", 0x300, 32),
        uint("fc_fec_uncorrectable_blocks_lane1_low", 0x320, 32),
        uint("fc_fec_uncorrectable_blocks_lane2_high", 0x340, 32),
        uint("fc_fec_uncorrectable_blocks_lane2_low", 0x360, 32),
        uint("fc_fec_uncorrectable_blocks_lane3_high", 0x380, 32),
        uint("fc_fec_uncorrectable_blocks_lane3_low", 0x3a0, 32),
        uint("rs_fec_corrected_blocks_high", 0x3c0, 32),
        uint("rs_fec_corrected_blocks_low", 0x3e0, 32),
        uint("rs_fec_uncorrectable_blocks_high", 0x400, 32),
        uint("rs_fec_uncorrectable_blocks_low", 0x420, 32),
        uint("rs_fec_no_errors_blocks_high", 0x440, 32),
        uint("rs_fec_no_errors_blocks_low", 0x460, 32),
        uint("rs_fec_single_error_blocks_high", 0x480, 32),
        uint("rs_fec_single_error_blocks_low", 0x4a0, 32),
        uint("rs_fec_corrected_symbols_total_high", 0x4c0, 32),
        uint("rs_fec_corrected_symbols_total_low", 0x4e0, 32),
        uint("rs_fec_corrected_symbols_lane0_high", 0x500, 32),
        uint("rs_fec_corrected_symbols_lane0_low", 0x520, 32),
        uint("rs_fec_corrected_symbols_lane1_high", 0x540, 32),
        uint("rs_fec_corrected_symbols_lane1_low", 0x560, 32),
        uint("rs_fec_corrected_symbols_lane2_high", 0x580, 32),
        uint("rs_fec_corrected_symbols_lane2_low", 0x5a0, 32),
        uint("rs_fec_corrected_symbols_lane3_high", 0x5c0, 32),
        uint("rs_fec_corrected_symbols_lane3_low", 0x5e0, 32),
        uint("link_down_events", 0x600, 32),
        uint("successful_recovery_events", 0x620, 32),
    ]);
    /// Group 0x13: per traffic class congestion (`eth_per_tc_congest_prio_grp_data_layout`, 248 B).
    pub const PER_TC_CONGEST: Layout = Layout::new("eth_per_tc_congest_prio_grp_data_layout", 248, &[
        uint("wred_discard_high", 0x0, 32),
        uint("wred_discard_low", 0x20, 32),
        uint("ecn_marked_tc_high", 0x40, 32),
        uint("ecn_marked_tc_low", 0x60, 32),
    ]);
    /// Group 0x16: physical layer statistical (`phys_layer_statistical_cntrs`, 248 B).
    pub const PHYS_LAYER_STATISTICAL: Layout = Layout::new("phys_layer_statistical_cntrs", 248, &[
        uint("time_since_last_clear_high", 0x0, 32),
        uint("time_since_last_clear_low", 0x20, 32),
        uint("phy_received_bits_high", 0x40, 32),
        uint("phy_received_bits_low", 0x60, 32),
        uint("phy_symbol_errors_high", 0x80, 32),
        uint("phy_symbol_errors_low", 0xa0, 32),
        uint("phy_corrected_bits_high", 0xc0, 32),
        uint("phy_corrected_bits_low", 0xe0, 32),
        uint("phy_corrected_bits_lane0_high", 0x100, 32),
        uint("phy_corrected_bits_lane0_low", 0x120, 32),
        uint("phy_corrected_bits_lane1_high", 0x140, 32),
        uint("phy_corrected_bits_lane1_low", 0x160, 32),
        uint("phy_corrected_bits_lane2_high", 0x180, 32),
        uint("phy_corrected_bits_lane2_low", 0x1a0, 32),
        uint("phy_corrected_bits_lane3_high", 0x1c0, 32),
        uint("phy_corrected_bits_lane3_low", 0x1e0, 32),
    ]);
    /// Group 0x1a: physical layer recovery (`phys_layer_recovery_cntrs`, 248 B).
    pub const PHYS_LAYER_RECOVERY: Layout = Layout::new("phys_layer_recovery_cntrs", 248, &[
        uint("total_successful_recovery_events", 0x0, 32),
    ]);
    /// Every modelled group but 0.
    pub const GROUPS: [(u64, &Layout); 10] = [(0x01, &RFC_2863), (0x02, &RFC_2819), (0x03, &RFC_3635), (0x05, &ETH_EXTENDED), (0x10, &PER_PRIO), (0x11, &PER_TC), (0x12, &PHYS_LAYER), (0x13, &PER_TC_CONGEST), (0x16, &PHYS_LAYER_STATISTICAL), (0x1a, &PHYS_LAYER_RECOVERY)];
}

/// MGIR (0x9020): management general information: hardware, firmware and
/// software identity, the first register firmware tools read.
// checked: struct reg_access_hca_mgir_ext and its hardware_info / fw_info / sw_info / dev_info
// members (Mellanox/mstflint:tools_layouts/reg_access_hca_layouts.h@b9d9e844, generated from the
// PRM adb; the kernel header has no MGIR); REG_ID_MGIR 0x9020 from reg_access/reg_ids.h
#[rustfmt::skip]
pub mod mgir {
    use super::*;
    /// `mgir` (160 B).
    pub const LAYOUT: Layout = Layout::new("mgir", 160, &[
        uint("hw_info.device_hw_revision", 0x0, 16),
        uint("hw_info.device_id", 0x10, 16),
        uint("hw_info.num_ports", 0x24, 12),
        uint("hw_info.technology", 0x30, 5),
        uint("hw_info.pvs", 0x3b, 5),
        uint("hw_info.hw_dev_id", 0x50, 16),
        uint("hw_info.pci_switch_only_mode", 0x60, 1),
        uint("hw_info.development", 0x61, 1),
        uint("hw_info.ga_valid", 0x63, 1),
        uint("hw_info.cpo_indication", 0x64, 1),
        uint("hw_info.module_master_fw_default", 0x6e, 2),
        uint("hw_info.chip_type", 0x84, 4),
        uint("hw_info.ga", 0x8a, 6),
        uint("hw_info.manufacturing_base_mac_47_32", 0x90, 16),
        uint("hw_info.manufacturing_base_mac_31_0", 0xa0, 32),
        uint("hw_info.uptime", 0xe0, 32),
        uint("fw_info.dev_sc", 0x101, 1),
        uint("fw_info.string_tlv", 0x103, 1),
        uint("fw_info.dev", 0x104, 1),
        uint("fw_info.debug", 0x105, 1),
        uint("fw_info.signed_fw", 0x106, 1),
        uint("fw_info.secured", 0x107, 1),
        uint("fw_info.major", 0x108, 8),
        uint("fw_info.minor", 0x110, 8),
        uint("fw_info.sub_minor", 0x118, 8),
        uint("fw_info.build_id", 0x120, 32),
        uint("fw_info.month", 0x140, 8),
        uint("fw_info.day", 0x148, 8),
        uint("fw_info.year", 0x150, 16),
        uint("fw_info.BKV_major", 0x164, 4),
        uint("fw_info.BKV_minor", 0x168, 4),
        uint("fw_info.BKV_sub_minor", 0x16c, 4),
        uint("fw_info.hour", 0x170, 16),
        ascii("fw_info.psid", 48, 16),
        uint("fw_info.ini_file_version", 0x200, 32),
        uint("fw_info.extended_major", 0x220, 32),
        uint("fw_info.extended_minor", 0x240, 32),
        uint("fw_info.extended_sub_minor", 0x260, 32),
        uint("fw_info.disabled_tiles_bitmap", 0x280, 16),
        uint("fw_info.isfu_major", 0x290, 16),
        uint("fw_info.dev_counter", 0x2ab, 5),
        uint("fw_info.ec_offload_engine_disabled", 0x2b0, 1),
        uint("fw_info.pds", 0x2b1, 1),
        uint("fw_info.issu_able", 0x2b2, 1),
        uint("fw_info.dev_state", 0x2b4, 1),
        uint("fw_info.life_cycle_msb", 0x2b9, 3),
        uint("fw_info.encryption", 0x2bc, 1),
        uint("fw_info.sec_boot", 0x2bd, 1),
        uint("fw_info.life_cycle", 0x2be, 2),
        uint("sw_info.major", 0x308, 8),
        uint("sw_info.minor", 0x310, 8),
        uint("sw_info.sub_minor", 0x318, 8),
        uint("sw_info.rom0_arch", 0x320, 4),
        uint("sw_info.rom0_type", 0x324, 4),
        uint("sw_info.rom1_arch", 0x328, 4),
        uint("sw_info.rom1_type", 0x32c, 4),
        uint("sw_info.rom2_arch", 0x330, 4),
        uint("sw_info.rom2_type", 0x334, 4),
        uint("sw_info.rom3_arch", 0x338, 4),
        uint("sw_info.rom3_type", 0x33c, 4),
        uint("sw_info.rom0_version.major", 0x340, 8),
        uint("sw_info.rom0_version.minor", 0x348, 8),
        uint("sw_info.rom0_version.build", 0x350, 16),
        uint("sw_info.rom1_version.major", 0x360, 8),
        uint("sw_info.rom1_version.minor", 0x368, 8),
        uint("sw_info.rom1_version.build", 0x370, 16),
        uint("sw_info.rom2_version.major", 0x380, 8),
        uint("sw_info.rom2_version.minor", 0x388, 8),
        uint("sw_info.rom2_version.build", 0x390, 16),
        uint("sw_info.rom3_version.major", 0x3a0, 8),
        uint("sw_info.rom3_version.minor", 0x3a8, 8),
        uint("sw_info.rom3_version.build", 0x3b0, 16),
        ascii("dev_info.dev_branch_tag", 128, 28),
    ]);
}

/// The NV-configuration registers mlxconfig uses: MNVDA (0x9024) reads and
/// writes one configuration TLV, MNVQC (0x9030) says whether a TLV type can be
/// read or written, MNVGN (0x9035) walks the stored TLVs.
// checked: struct tools_open_mnvda, tools_open_mnvgn and tools_open_nv_hdr_fifth_gen
// (Mellanox/mstflint:tools_layouts/tools_open_layouts.h@b9d9e844, TOOLS_OPEN_MNVDA_SIZE 0x10c,
// TOOLS_OPEN_MNVGN_SIZE 0x9c), struct reg_access_hca_mnvqc_reg_ext (reg_access_hca_layouts.h),
// register ids from reg_access/reg_access.c
#[rustfmt::skip]
pub mod nv {
    use super::*;
    /// `nv_hdr_fifth_gen` fields at bit `base`, then `extra` fields.
    macro_rules! with_nv_hdr {
        ($base:expr; $($extra:expr),*) => {
            [
                uint("nv_hdr.priority", $base + 0x2, 2),
                uint("nv_hdr.over_en", $base + 0x6, 1),
                uint("nv_hdr.rd_en", $base + 0x7, 1),
                uint("nv_hdr.default", $base + 0x8, 1),
                uint("nv_hdr.read_current", $base + 0x9, 1),
                uint("nv_hdr.writer_id", $base + 0xb, 5),
                uint("nv_hdr.version", $base + 0x10, 4),
                uint("nv_hdr.writer_host_id", $base + 0x14, 3),
                uint("nv_hdr.length", $base + 0x17, 9),
                uint("nv_hdr.type", $base + 0x20, 32),
                $($extra),*
            ]
        };
    }
    const MNVDA_FIELDS: [FieldDef; 11] = with_nv_hdr!(0; bytes("data", 12, 256));
    const MNVGN_FIELDS: [FieldDef; 12] = with_nv_hdr!(0x80; uint("nv_pointer", 0, 32), bytes("nv_data", 28, 128));
    /// `mnvda` (268 B): header, then up to 256 bytes of TLV data.
    pub const MNVDA: Layout = Layout::new("mnvda", 268, &MNVDA_FIELDS);
    /// `mnvgn` (156 B): the pointer, a header at byte 16, up to 128 bytes of data at byte 28.
    pub const MNVGN: Layout = Layout::new("mnvgn", 156, &MNVGN_FIELDS);
    /// `mnvqc_reg` (8 B).
    pub const MNVQC: Layout = Layout::new("mnvqc_reg", 8, &[
        uint("type", 0x0, 32),
        uint("version", 0x38, 4),
        uint("support_wr", 0x3e, 1),
        uint("support_rd", 0x3f, 1),
    ]);
}

/// Register ids.
pub mod id {
    /// PMTU.
    pub const PMTU: u16 = 0x5003;
    /// PTYS.
    pub const PTYS: u16 = 0x5004;
    /// PAOS.
    pub const PAOS: u16 = 0x5006;
    /// PPCNT.
    pub const PPCNT: u16 = 0x5008;
    /// PCAM.
    pub const PCAM: u16 = 0x507f;
    /// NODE_DESC.
    pub const NODE_DESC: u16 = 0x6001;
    /// MTCAP.
    pub const MTCAP: u16 = 0x9009;
    /// MTMP.
    pub const MTMP: u16 = 0x900a;
    /// MCQS.
    pub const MCQS: u16 = 0x9060;
    /// MCQI.
    pub const MCQI: u16 = 0x9061;
    /// MCAM.
    pub const MCAM: u16 = 0x907f;
    /// QCAM.
    pub const QCAM: u16 = 0x4019;
    /// PCAP.
    pub const PCAP: u16 = 0x5001;
    /// PMLP.
    pub const PMLP: u16 = 0x5002;
    /// PFCC.
    pub const PFCC: u16 = 0x5007;
    /// PMAOS.
    pub const PMAOS: u16 = 0x5012;
    /// PPLM.
    pub const PPLM: u16 = 0x5023;
    /// PDDR.
    pub const PDDR: u16 = 0x5031;
    /// PBMC.
    pub const PBMC: u16 = 0x500c;
    /// PPTB.
    pub const PPTB: u16 = 0x500b;
    /// QTCT.
    pub const QTCT: u16 = 0x400a;
    /// QPTS.
    pub const QPTS: u16 = 0x4002;
    /// MLCR.
    pub const MLCR: u16 = 0x902b;
    /// MRTC.
    pub const MRTC: u16 = 0x902d;
    /// MCIA.
    pub const MCIA: u16 = 0x9014;
    /// MFRL.
    pub const MFRL: u16 = 0x9028;
    /// MCC.
    pub const MCC: u16 = 0x9062;
    /// DTOR.
    pub const DTOR: u16 = 0xc00e;
    /// RESOURCE_DUMP.
    pub const RESOURCE_DUMP: u16 = 0xc000;
    /// MGIR.
    pub const MGIR: u16 = 0x9020;
    /// MNVDA.
    pub const MNVDA: u16 = 0x9024;
    /// MNVQC.
    pub const MNVQC: u16 = 0x9030;
    /// MNVGN.
    pub const MNVGN: u16 = 0x9035;
}

/// The register file of the simulated device, by id.
pub const REGISTERS: [Register; 33] = [
    Register { id: id::PMTU, name: "PMTU", layout: &pmtu::LAYOUT, writable: true, description: "port MTU" },
    Register {
        id: id::PTYS,
        name: "PTYS",
        layout: &ptys::LAYOUT,
        writable: true,
        description: "port type and speed",
    },
    Register {
        id: id::PAOS,
        name: "PAOS",
        layout: &paos::LAYOUT,
        writable: true,
        description: "port admin/oper status",
    },
    Register {
        id: id::PPCNT,
        name: "PPCNT",
        layout: &ppcnt::LAYOUT,
        writable: false,
        description: "port counters",
    },
    Register {
        id: id::PCAM,
        name: "PCAM",
        layout: &pcam::LAYOUT,
        writable: false,
        description: "port register capability mask",
    },
    Register {
        id: id::NODE_DESC,
        name: "NODE_DESC",
        layout: &node_desc::LAYOUT,
        writable: true,
        description: "node description string",
    },
    Register {
        id: id::MTCAP,
        name: "MTCAP",
        layout: &mtcap::LAYOUT,
        writable: false,
        description: "temperature sensor capabilities",
    },
    Register {
        id: id::MTMP,
        name: "MTMP",
        layout: &mtmp::LAYOUT,
        writable: false,
        description: "temperature",
    },
    Register {
        id: id::MCQS,
        name: "MCQS",
        layout: &mcqs::LAYOUT,
        writable: false,
        description: "firmware component status",
    },
    Register {
        id: id::MCQI,
        name: "MCQI",
        layout: &mcqi::LAYOUT,
        writable: false,
        description: "firmware component information",
    },
    Register {
        id: id::MCAM,
        name: "MCAM",
        layout: &mcam::LAYOUT,
        writable: false,
        description: "management register capability mask",
    },
    Register {
        id: id::MGIR,
        name: "MGIR",
        layout: &mgir::LAYOUT,
        writable: false,
        description: "management general information: device, firmware and software identity",
    },
    Register {
        id: id::QCAM,
        name: "QCAM",
        layout: &qcam::LAYOUT,
        writable: false,
        description: "QoS access-register capability mask",
    },
    Register {
        id: id::PCAP,
        name: "PCAP",
        layout: &pcap::LAYOUT,
        writable: false,
        description: "port capability mask",
    },
    Register {
        id: id::PMLP,
        name: "PMLP",
        layout: &pmlp::LAYOUT,
        writable: false,
        description: "port module-to-lane mapping",
    },
    Register {
        id: id::PFCC,
        name: "PFCC",
        layout: &pfcc::LAYOUT,
        writable: true,
        description: "port flow control (global pause / PFC)",
    },
    Register {
        id: id::PMAOS,
        name: "PMAOS",
        layout: &pmaos::LAYOUT,
        writable: true,
        description: "module admin/oper status",
    },
    Register {
        id: id::PPLM,
        name: "PPLM",
        layout: &pplm::LAYOUT,
        writable: true,
        description: "port FEC mode",
    },
    Register {
        id: id::PDDR,
        name: "PDDR",
        layout: &pddr::LAYOUT,
        writable: false,
        description: "port diagnostics database (page_select 0 operational, 1 troubleshooting, 3 module info, 9 module latched flags)",
    },
    Register {
        id: id::PBMC,
        name: "PBMC",
        layout: &pbmc::LAYOUT,
        writable: true,
        description: "port receive buffer management",
    },
    Register {
        id: id::PPTB,
        name: "PPTB",
        layout: &pptb::LAYOUT,
        writable: true,
        description: "port priority-to-buffer mapping",
    },
    Register {
        id: id::QTCT,
        name: "QTCT",
        layout: &qtct::LAYOUT,
        writable: true,
        description: "priority to traffic class",
    },
    Register {
        id: id::QPTS,
        name: "QPTS",
        layout: &qpts::LAYOUT,
        writable: true,
        description: "QoS trust state (PCP or DSCP)",
    },
    Register {
        id: id::MLCR,
        name: "MLCR",
        layout: &mlcr::LAYOUT,
        writable: true,
        description: "port LED beacon",
    },
    Register {
        id: id::MRTC,
        name: "MRTC",
        layout: &mrtc::LAYOUT,
        writable: false,
        description: "real-time clock",
    },
    Register {
        id: id::MCIA,
        name: "MCIA",
        layout: &mcia::LAYOUT,
        writable: false,
        description: "module EEPROM access",
    },
    Register {
        id: id::MFRL,
        name: "MFRL",
        layout: &mfrl::LAYOUT,
        writable: true,
        description: "firmware reset level",
    },
    Register {
        id: id::MCC,
        name: "MCC",
        layout: &mcc::LAYOUT,
        writable: false,
        description: "firmware component control (update state machine)",
    },
    Register {
        id: id::DTOR,
        name: "DTOR",
        layout: &dtor::LAYOUT,
        writable: false,
        description: "default timeouts",
    },
    Register {
        id: id::RESOURCE_DUMP,
        name: "RESOURCE_DUMP",
        layout: &resource_dump::LAYOUT,
        writable: false,
        description: "firmware resource dump segments",
    },
    Register {
        id: id::MNVDA,
        name: "MNVDA",
        layout: &nv::MNVDA,
        writable: true,
        description: "NV configuration: read or write one TLV",
    },
    Register {
        id: id::MNVQC,
        name: "MNVQC",
        layout: &nv::MNVQC,
        writable: false,
        description: "NV configuration: can a TLV type be read/written",
    },
    Register {
        id: id::MNVGN,
        name: "MNVGN",
        layout: &nv::MNVGN,
        writable: false,
        description: "NV configuration: walk the stored TLVs",
    },
];

/// Register ids known to mlx5ctl that the simulator does not implement (§7.3),
/// so they can still be named in descriptions and audit.
pub const OTHER_REGISTER_NAMES: [(u16, &str); 7] = [
    (0x402e, "CORE_DUMP"),
    (0x9051, "MPCNT"),
    (0x9055, "MTUTC"),
    (0x9063, "MCDA"),
    (0xb01f, "SBCAM"),
    (0xc00f, "RCR"),
    (0x7004, "HOST_ENDIANNESS"),
];

/// The indexes a read uses when the caller names none, so that
/// `reg read NAME` works as is: port 1 (or module 0), Ethernet for PTYS, the
/// module's identity page for MCIA, the segment menu for RESOURCE_DUMP.
pub fn default_indexes(id: u16) -> &'static [(&'static str, &'static str)] {
    match id {
        id::PTYS => &[("local_port", "1"), ("proto_mask", "4")],
        id::QTCT => &[("port_number", "1")],
        id::MCIA => &[("i2c_device_address", "0x50"), ("device_address", "128"), ("size", "48")],
        id::RESOURCE_DUMP => &[("segment_type", "0xffff")],
        _ => match by_id(id).and_then(|r| r.layout.field("local_port")) {
            Some(_) => &[("local_port", "1")],
            None => &[],
        },
    }
}

/// The "update enable" bit that makes firmware apply a write of `field`, if the
/// register has one: PAOS and PMAOS change `admin_status` only with `ase` set
/// and the event mode `e` only with `ee` set (`mlx5_ifc.h` `paos_reg_bits` /
/// `pmaos_reg_bits`; mlx5_core's `mlx5_set_port_admin_status` sets `ase`);
/// PPTB changes `ctrl_buff` only with `cm` and `untagged_buff` only with `um`.
pub fn update_enable(id: u16, field: &str) -> Option<&'static str> {
    if id == id::PPTB {
        // pptb_reg_bits: `cm` and `um` are the write masks of ctrl_buff and untagged_buff.
        return if field.eq_ignore_ascii_case("ctrl_buff") {
            Some("cm")
        } else if field.eq_ignore_ascii_case("untagged_buff") {
            Some("um")
        } else {
            None
        };
    }
    if !matches!(id, id::PAOS | id::PMAOS) {
        return None;
    }
    if field.eq_ignore_ascii_case("admin_status") {
        Some("ase")
    } else if field.eq_ignore_ascii_case("e") {
        Some("ee")
    } else {
        None
    }
}

/// The implemented register with this id.
pub fn by_id(id: u16) -> Option<&'static Register> {
    REGISTERS.iter().find(|r| r.id == id)
}

/// A register by name (case-insensitive) or id (`0x5006`, `20486`).
pub fn find(name_or_id: &str) -> Option<&'static Register> {
    let t = name_or_id.trim();
    REGISTERS
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(t))
        .or_else(|| super::parse_number(t).and_then(|v| u16::try_from(v).ok()).and_then(by_id))
}

/// The name of any register id the reference knows, implemented or not.
pub fn register_name(id: u16) -> Option<&'static str> {
    by_id(id).map(|r| r.name).or_else(|| OTHER_REGISTER_NAMES.iter().find(|(i, _)| *i == id).map(|(_, n)| *n))
}
