//! The access registers behind ACCESS_REG / ACCESS_REGISTER_USER (§7.3). Ids are
//! from the reference; layouts are transcribed from `mlx5_ifc.h` (NODE_DESC is a
//! plain 64-byte string).

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

/// PPCNT (0x5008): port counters; the simulator implements group 0 (IEEE 802.3).
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
pub mod node_desc {
    use super::*;
    /// 64 bytes of ASCII.
    pub const NODE_DESCRIPTION: FieldDef = ascii("node_description", 0, 64);
    /// `node_desc` (64 B).
    pub const LAYOUT: Layout = Layout::new("node_desc", 64, &[NODE_DESCRIPTION]);
}

/// MTCAP (0x9009): temperature sensor capabilities.
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
}

/// The register file of the simulated device, by id.
pub const REGISTERS: [Register; 11] = [
    Register { id: id::PMTU, name: "PMTU", layout: &pmtu::LAYOUT, writable: false, description: "port MTU" },
    Register {
        id: id::PTYS,
        name: "PTYS",
        layout: &ptys::LAYOUT,
        writable: false,
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
];

/// Register ids known to mlx5ctl that the simulator does not implement (§7.3),
/// so they can still be named in descriptions and audit.
pub const OTHER_REGISTER_NAMES: [(u16, &str); 16] = [
    (0x4019, "QCAM"),
    (0x402e, "CORE_DUMP"),
    (0x5001, "PCAP"),
    (0x5002, "PMLP"),
    (0x5031, "PDDR"),
    (0x9014, "MCIA"),
    (0x9028, "MFRL"),
    (0x9051, "MPCNT"),
    (0x9055, "MTUTC"),
    (0x9062, "MCC"),
    (0x9063, "MCDA"),
    (0xb01f, "SBCAM"),
    (0xc000, "RESOURCE_DUMP"),
    (0xc00e, "DTOR"),
    (0xc00f, "RCR"),
    (0x7004, "HOST_ENDIANNESS"),
];

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
