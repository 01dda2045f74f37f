//! HCA capability pages (QUERY_HCA_CAP / SET_HCA_CAP), §7.1. Offsets are relative
//! to the start of the capability (byte 16 of the query response).

use super::layout::{FieldDef, Layout, uint};

/// op_mod bit 0 of QUERY_HCA_CAP: 1 = current values, 0 = maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CapMode {
    /// `HCA_CAP_OPMOD_GET_MAX = 0`.
    Max = 0,
    /// `HCA_CAP_OPMOD_GET_CUR = 1`.
    Cur = 1,
}

impl CapMode {
    /// Parse `cur` / `current` / `max` / `maximum`.
    pub fn from_name(s: &str) -> Option<CapMode> {
        match s.to_ascii_lowercase().as_str() {
            "cur" | "current" => Some(CapMode::Cur),
            "max" | "maximum" => Some(CapMode::Max),
            _ => None,
        }
    }
}

/// QUERY_HCA_CAP op_mod for a cap type and mode (`type << 1 | cur`).
pub const fn op_mod(cap_type: u16, mode: CapMode) -> u16 {
    (cap_type << 1) | mode as u16
}

/// `enum mlx5_cap_type` (§7.1): value and name.
pub const CAP_TYPES: [(u16, &str); 25] = [
    (0x00, "GENERAL"),
    (0x01, "ETHERNET_OFFLOADS"),
    (0x02, "ODP"),
    (0x03, "ATOMIC"),
    (0x04, "ROCE"),
    (0x05, "IPOIB_OFFLOADS"),
    (0x06, "IPOIB_ENHANCED_OFFLOADS"),
    (0x07, "FLOW_TABLE"),
    (0x08, "ESWITCH_FLOW_TABLE"),
    (0x09, "ESWITCH"),
    (0x0c, "QOS"),
    (0x0d, "DEBUG"),
    (0x0e, "NVMF"),
    (0x0f, "DEV_MEM"),
    (0x11, "TLS"),
    (0x13, "VDPA_EMULATION"),
    (0x14, "DEV_EVENT"),
    (0x15, "IPSEC"),
    (0x1a, "CRYPTO"),
    (0x1d, "SHAMPO"),
    (0x1f, "MACSEC"),
    (0x20, "GENERAL_2"),
    (0x25, "PORT_SELECTION"),
    (0x26, "ADV_VIRTUALIZATION"),
    (0x28, "ADV_RDMA"),
];

/// Cap type `GENERAL`.
pub const GENERAL: u16 = 0x00;
/// Cap type `ETHERNET_OFFLOADS`.
pub const ETHERNET_OFFLOADS: u16 = 0x01;
/// Cap type `ODP`.
pub const ODP: u16 = 0x02;
/// Cap type `ATOMIC`.
pub const ATOMIC: u16 = 0x03;
/// Cap type `ROCE`.
pub const ROCE: u16 = 0x04;
/// Cap type `IPOIB_OFFLOADS`.
pub const IPOIB_OFFLOADS: u16 = 0x05;
/// Cap type `IPOIB_ENHANCED_OFFLOADS`.
pub const IPOIB_ENHANCED_OFFLOADS: u16 = 0x06;
/// Cap type `FLOW_TABLE`.
pub const FLOW_TABLE: u16 = 0x07;
/// Cap type `ESWITCH_FLOW_TABLE`.
pub const ESWITCH_FLOW_TABLE: u16 = 0x08;
/// Cap type `ESWITCH`.
pub const ESWITCH: u16 = 0x09;
/// Cap type `QOS`.
pub const QOS: u16 = 0x0c;
/// Cap type `DEBUG`.
pub const DEBUG: u16 = 0x0d;
/// Cap type `DEV_MEM`.
pub const DEV_MEM: u16 = 0x0f;
/// Cap type `TLS`.
pub const TLS: u16 = 0x11;
/// Cap type `VDPA_EMULATION`.
pub const VDPA_EMULATION: u16 = 0x13;
/// Cap type `DEV_EVENT`.
pub const DEV_EVENT: u16 = 0x14;
/// Cap type `IPSEC`.
pub const IPSEC: u16 = 0x15;
/// Cap type `CRYPTO`.
pub const CRYPTO: u16 = 0x1a;
/// Cap type `MACSEC`.
pub const MACSEC: u16 = 0x1f;
/// Cap type `GENERAL_2`.
pub const GENERAL_2: u16 = 0x20;
/// Cap type `PORT_SELECTION`.
pub const PORT_SELECTION: u16 = 0x25;
/// Cap type `ADV_VIRTUALIZATION`.
pub const ADV_VIRTUALIZATION: u16 = 0x26;

/// The 22 capability pages the kernel's mlx5 driver reads (and the simulator
/// models), in cap-type order. NVMF, SHAMPO and ADV_RDMA are named in
/// [`CAP_TYPES`] but not modelled: a query answers BAD_PARAM.
pub const MODELLED: [u16; 22] = [
    GENERAL,
    ETHERNET_OFFLOADS,
    ODP,
    ATOMIC,
    ROCE,
    IPOIB_OFFLOADS,
    IPOIB_ENHANCED_OFFLOADS,
    FLOW_TABLE,
    ESWITCH_FLOW_TABLE,
    ESWITCH,
    QOS,
    DEBUG,
    DEV_MEM,
    TLS,
    VDPA_EMULATION,
    DEV_EVENT,
    IPSEC,
    CRYPTO,
    MACSEC,
    GENERAL_2,
    PORT_SELECTION,
    ADV_VIRTUALIZATION,
];

/// The name of a cap type, e.g. `DEBUG` for 0xd.
pub fn cap_type_name(cap_type: u16) -> Option<&'static str> {
    CAP_TYPES.iter().find(|(v, _)| *v == cap_type).map(|(_, n)| *n)
}

/// A cap type by name (case-insensitive) or number (`13`, `0xd`).
pub fn cap_type_by_name(s: &str) -> Option<u16> {
    let t = s.trim();
    CAP_TYPES
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(t))
        .map(|(v, _)| *v)
        .or_else(|| super::parse_number(t).and_then(|v| u16::try_from(v).ok()))
}

/// `cmd_hca_cap` (GENERAL) fields.
// checked: mlx5_ifc.h struct mlx5_ifc_cmd_hca_cap_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod general {
    use super::*;
    /// The GENERAL_2 page exists.
    pub const HCA_CAP_2: FieldDef = uint("hca_cap_2", 0x020, 1);
    /// This function's vHCA id.
    pub const VHCA_ID: FieldDef = uint("vhca_id", 0x030, 16);
    /// The DEBUG page exists.
    pub const DEBUG: FieldDef = uint("debug", 0x183, 1);
    /// log2 of the largest message.
    pub const LOG_MAX_MSG: FieldDef = uint("log_max_msg", 0x1c3, 5);
    /// Diagnostic counters listed in the DEBUG page.
    pub const NUM_OF_DIAGNOSTIC_COUNTERS: FieldDef = uint("num_of_diagnostic_counters", 0x280, 16);
    /// Device clock in kHz.
    pub const DEVICE_FREQUENCY_KHZ: FieldDef = uint("device_frequency_khz", 0x4e0, 32);
    /// UCTX capabilities the device offers (§3).
    pub const UCTX_CAP: FieldDef = uint("uctx_cap", 0x6a0, 32);
    /// The whole page, every field (see [`super::super::cap_pages`]).
    pub const LAYOUT: Layout = super::super::cap_pages::CMD_HCA_CAP;
}

/// `cmd_hca_cap_2` (GENERAL_2): the page is present; the simulator names no
/// fields in it (the reference lists none), so it reads as zeros.
// checked (size only): mlx5_ifc.h struct mlx5_ifc_cmd_hca_cap_2_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod general_2 {
    use super::*;
    /// The whole page, every field (see [`super::super::cap_pages`]).
    pub const LAYOUT: Layout = super::super::cap_pages::CMD_HCA_CAP_2;
}

/// `per_protocol_networking_offload_caps` (ETHERNET_OFFLOADS), from mlx5_ifc.h.
// checked: mlx5_ifc.h struct mlx5_ifc_per_protocol_networking_offload_caps_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod ethernet_offloads {
    use super::*;
    /// Checksum offload.
    pub const CSUM_CAP: FieldDef = uint("csum_cap", 0x00, 1);
    /// VLAN offload.
    pub const VLAN_CAP: FieldDef = uint("vlan_cap", 0x01, 1);
    /// Large receive offload.
    pub const LRO_CAP: FieldDef = uint("lro_cap", 0x02, 1);
    /// log2 of the largest LSO.
    pub const MAX_LSO_CAP: FieldDef = uint("max_lso_cap", 0x0b, 5);
    /// log2 of the RSS indirection table size.
    pub const RSS_IND_TBL_CAP: FieldDef = uint("rss_ind_tbl_cap", 0x14, 4);
    /// The whole page, every field (see [`super::super::cap_pages`]).
    pub const LAYOUT: Layout = super::super::cap_pages::PER_PROTOCOL_NETWORKING_OFFLOAD_CAPS;
}

/// `roce_cap` (ROCE), from mlx5_ifc.h.
// checked: mlx5_ifc.h struct mlx5_ifc_roce_cap_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0921586)
pub mod roce {
    use super::*;
    /// Alternate path migration.
    pub const ROCE_APM: FieldDef = uint("roce_apm", 0x00, 1);
    /// L3 types supported.
    pub const L3_TYPE: FieldDef = uint("l3_type", 0x8c, 4);
    /// RoCE versions supported (bit mask).
    pub const ROCE_VERSION: FieldDef = uint("roce_version", 0x98, 8);
    /// RoCEv2 UDP destination port (4791).
    pub const R_ROCE_DEST_UDP_PORT: FieldDef = uint("r_roce_dest_udp_port", 0xb0, 16);
    /// Highest RoCEv2 UDP source port.
    pub const R_ROCE_MAX_SRC_UDP_PORT: FieldDef = uint("r_roce_max_src_udp_port", 0xc0, 16);
    /// Lowest RoCEv2 UDP source port.
    pub const R_ROCE_MIN_SRC_UDP_PORT: FieldDef = uint("r_roce_min_src_udp_port", 0xd0, 16);
    /// GID table size.
    pub const ROCE_ADDRESS_TABLE_SIZE: FieldDef = uint("roce_address_table_size", 0xf0, 16);
    /// The whole page, every field (see [`super::super::cap_pages`]).
    pub const LAYOUT: Layout = super::super::cap_pages::ROCE_CAP;
}

/// `debug_cap` (DEBUG), §7.1: 64 bytes, then one 4-byte `diagnostic_cntr_layout`
/// per diagnostic counter from byte 64.
// checked: mlx5_ifc.h struct mlx5_ifc_debug_cap_bits and diagnostic_cntr_layout_bits
// (saeedtx/mlx5ctl:mlx5_ifc.h@0921586, where bit 0x22 is named health_mon_rx_activity)
pub mod debug {
    use super::*;
    /// General core dumps supported.
    pub const CORE_DUMP_GENERAL: FieldDef = uint("core_dump_general", 0x00, 1);
    /// QP core dumps supported.
    pub const CORE_DUMP_QP: FieldDef = uint("core_dump_qp", 0x01, 1);
    /// Resource dumps supported.
    pub const RESOURCE_DUMP: FieldDef = uint("resource_dump", 0x09, 1);
    /// log2 of the most samples per counter.
    pub const LOG_MAX_SAMPLES: FieldDef = uint("log_max_samples", 0x18, 8);
    /// Single sampling supported.
    pub const SINGLE: FieldDef = uint("single", 0x20, 1);
    /// Repetitive sampling supported.
    pub const REPETITIVE: FieldDef = uint("repetitive", 0x21, 1);
    /// Stall detection (health_mon_rx_activity).
    pub const STALL_DETECT: FieldDef = uint("stall_detect", 0x22, 1);
    /// log2 of the shortest sampling period.
    pub const LOG_MIN_SAMPLE_PERIOD: FieldDef = uint("log_min_sample_period", 0x38, 8);
    /// Byte offset of the counter list.
    pub const COUNTERS_BYTE: usize = 64;
    /// `diagnostic_cntr_layout.sync`.
    pub const COUNTER_SYNC: FieldDef = uint("sync", 0x00, 1);
    /// `diagnostic_cntr_layout.counter_id`.
    pub const COUNTER_ID: FieldDef = uint("counter_id", 0x10, 16);
    /// `debug_cap` fixed part (64 B).
    pub const LAYOUT: Layout = Layout::new(
        "debug_cap",
        64,
        &[
            CORE_DUMP_GENERAL,
            CORE_DUMP_QP,
            RESOURCE_DUMP,
            LOG_MAX_SAMPLES,
            SINGLE,
            REPETITIVE,
            STALL_DETECT,
            LOG_MIN_SAMPLE_PERIOD,
        ],
    );
}

/// The layout of a capability page the simulator models (one of [`MODELLED`]).
pub fn page_layout(cap_type: u16) -> Option<&'static Layout> {
    use super::cap_pages as p;
    Some(match cap_type {
        GENERAL => &general::LAYOUT,
        ETHERNET_OFFLOADS | IPOIB_OFFLOADS | IPOIB_ENHANCED_OFFLOADS => &ethernet_offloads::LAYOUT,
        ODP => &p::ODP_CAP,
        ATOMIC => &p::ATOMIC_CAPS,
        ROCE => &roce::LAYOUT,
        FLOW_TABLE => &p::FLOW_TABLE_NIC_CAP,
        ESWITCH_FLOW_TABLE => &p::FLOW_TABLE_ESWITCH_CAP,
        ESWITCH => &p::E_SWITCH_CAP,
        QOS => &p::QOS_CAP,
        DEBUG => &debug::LAYOUT,
        DEV_MEM => &p::DEVICE_MEM_CAP,
        TLS => &p::TLS_CAP,
        VDPA_EMULATION => &p::VIRTIO_EMULATION_CAP,
        DEV_EVENT => &p::DEVICE_EVENT_CAP,
        IPSEC => &p::IPSEC_CAP,
        CRYPTO => &p::CRYPTO_CAP,
        MACSEC => &p::MACSEC_CAP,
        GENERAL_2 => &general_2::LAYOUT,
        PORT_SELECTION => &p::PORT_SELECTION_CAP,
        ADV_VIRTUALIZATION => &p::ADV_VIRTUALIZATION_CAP,
        _ => return None,
    })
}

/// `MLX5_UCTX_OBJECT_CAP_*` bits (§3): value and name.
pub const UCTX_CAPS: [(u32, &str); 5] = [
    (0x01, "RAW_TX"),
    (0x02, "INTERNAL_DEV_RES"),
    (0x04, "TOOLS_RESOURCES"),
    (0x08, "RDMA_CTRL"),
    (0x10, "RDMA_CTRL_OTHER_VHCA"),
];

/// `MLX5_UCTX_OBJECT_CAP_TOOLS_RESOURCES`: the security label that lets a uid
/// manipulate global device state.
pub const UCTX_CAP_TOOLS_RESOURCES: u32 = 0x4;

/// Names of the uctx cap bits set in `caps` (unknown bits as hex).
pub fn uctx_cap_names(caps: u32) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = caps;
    for (bit, name) in UCTX_CAPS {
        if caps & bit != 0 {
            out.push(name.to_string());
            rest &= !bit;
        }
    }
    if rest != 0 {
        out.push(format!("{rest:#x}"));
    }
    out
}
