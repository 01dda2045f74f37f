//! What each register field means, in one line: for `fwctl mlx5 DEV reg read
//! NAME --fields` (text and JSON). Written for this project from the field
//! comments of `mlx5_ifc.h` and the PRM register descriptions in mstflint's
//! adb files (`tools_layouts/adb/prm/hca/ext/register_access_table.adb`);
//! where neither says more than the name, the line says in plain words what
//! the field holds. Units and encodings are given where the source gives them.
//!
//! [`field_meaning`] answers for every field of every register layout and
//! PDDR page (a test checks it); it never returns an empty line.

/// Fields that mean the same in every register that has them.
const COMMON: &[(&str, &str)] = &[
    ("local_port", "local port number the access applies to (1-based on a NIC)"),
    ("swid", "switch partition id; always 0 on a NIC"),
    ("pnat", "how local_port is read: 0 local port number, 1 InfiniBand port number, 3 out-of-band/PCI"),
    ("module", "module (cage) number, 0-based"),
    ("feature_group", "which group of feature bits feature_cap_mask reports (0 the first)"),
    (
        "access_reg_group",
        "which range of register ids the access-register bit mask covers (0: the first 128)",
    ),
    ("component_index", "firmware component index, as MCQS lists them"),
];

/// Register-specific meanings: (register, field) → line.
const BY_REGISTER: &[(&str, &str, &str)] = &[
    ("PMTU", "max_mtu", "largest MTU the port supports, in bytes (read only)"),
    ("PMTU", "admin_mtu", "MTU configured by software, in bytes; at most max_mtu"),
    ("PMTU", "oper_mtu", "MTU in effect on the port, in bytes; longer packets are dropped"),
    ("PTYS", "an_disable_admin", "1: auto-negotiation disabled by configuration (force the admin speeds)"),
    ("PTYS", "an_disable_cap", "1: the port can run with auto-negotiation disabled"),
    (
        "PTYS",
        "proto_mask",
        "which protocol's fields are valid: bit 0 InfiniBand, bit 1 NVLink, bit 2 Ethernet",
    ),
    (
        "PTYS",
        "an_status",
        "auto-negotiation: 0 unavailable, 1 completed, 2 failed, 3 not performed (link up), 4 not performed (link down)",
    ),
    ("PTYS", "data_rate_oper", "operational data rate in units of 100 Mb/s"),
    (
        "PTYS",
        "ext_eth_proto_capability",
        "extended Ethernet link modes the port supports (bit per mode, enum mlx5e_ext_link_mode)",
    ),
    (
        "PTYS",
        "eth_proto_capability",
        "legacy Ethernet link modes the port supports (bit per mode, enum mlx5e_link_modes)",
    ),
    ("PTYS", "ext_eth_proto_admin", "extended Ethernet link modes enabled by configuration"),
    ("PTYS", "eth_proto_admin", "legacy Ethernet link modes enabled by configuration"),
    ("PTYS", "ext_eth_proto_oper", "extended Ethernet link mode in use (one bit; 0 while the link is down)"),
    ("PTYS", "eth_proto_oper", "legacy Ethernet link mode in use (one bit; 0 while the link is down)"),
    (
        "PTYS",
        "connector_type",
        "connector: 0 unknown, 1 none, 2 twisted pair, 3 AUI, 4 BNC, 5 MII, 6 fibre, 7 direct attach copper, 8 other",
    ),
    ("PTYS", "eth_proto_lp_advertise", "Ethernet link modes the link partner advertised"),
    (
        "PAOS",
        "admin_status",
        "desired port state: 1 up, 2 down by configuration, 3 up once; written only with ase=1",
    ),
    ("PAOS", "oper_status", "actual port state: 1 up, 2 down, 4 down by port failure"),
    ("PAOS", "ase", "admin state update enable: on a write, apply admin_status only when set"),
    ("PAOS", "ee", "event update enable: on a write, apply e only when set"),
    ("PAOS", "e", "event on oper_status change: 0 none, 1 every change, 2 once (not supported on an HCA)"),
    (
        "PPCNT",
        "grp",
        "counter group (MLX5_*_COUNTERS_GROUP): 0x0 IEEE 802.3, 0x1 RFC 2863, 0x2 RFC 2819, 0x3 RFC 3635, 0x5 Ethernet extended, 0x10 per priority, 0x11 per traffic class, 0x12 physical layer, 0x13 per-TC congestion, 0x16 physical layer statistical, 0x1a physical layer recovery (0x20/0x21 InfiniBand: not on Ethernet ports)",
    ),
    ("PPCNT", "clr", "clear the group's counters after reading them"),
    (
        "PPCNT",
        "a_frames_transmitted_ok",
        "frames transmitted without error (IEEE 802.3 aFramesTransmittedOK)",
    ),
    ("PPCNT", "a_frames_received_ok", "frames received without error (aFramesReceivedOK)"),
    ("PPCNT", "a_frame_check_sequence_errors", "received frames with a bad FCS (aFrameCheckSequenceErrors)"),
    ("PPCNT", "a_alignment_errors", "received frames with an alignment error (aAlignmentErrors)"),
    (
        "PPCNT",
        "a_octets_transmitted_ok",
        "data and padding octets of frames transmitted without error (aOctetsTransmittedOK)",
    ),
    (
        "PPCNT",
        "a_octets_received_ok",
        "data and padding octets of frames received without error (aOctetsReceivedOK)",
    ),
    ("PPCNT", "a_multicast_frames_xmitted_ok", "multicast frames transmitted without error"),
    ("PPCNT", "a_broadcast_frames_xmitted_ok", "broadcast frames transmitted without error"),
    ("PPCNT", "a_multicast_frames_received_ok", "multicast frames received without error"),
    ("PPCNT", "a_broadcast_frames_received_ok", "broadcast frames received without error"),
    (
        "PCAM",
        "port_access_reg_cap_mask",
        "bit per port register (ids 0x5000 + bit in group 0): set when the device supports it",
    ),
    (
        "PCAM",
        "feature_cap_mask",
        "bit per enhanced port feature (e.g. PPCNT groups, PTYS fields): set when supported",
    ),
    (
        "NODE_DESC",
        "node_description",
        "the node's description string (64 bytes), as InfiniBand NodeDescription reports it",
    ),
    ("MTCAP", "sensor_count", "number of ASIC and ambient temperature sensors (module sensors not included)"),
    (
        "MTCAP",
        "sensor_map",
        "bit per sensor index: set when the sensor is connected and readable through MTMP",
    ),
    ("MTMP", "sensor_index", "sensor to read: 0 the ASIC (maximum over its diodes), 1..63 further sensors"),
    ("MTMP", "temperature", "current temperature in units of 0.125 degrees Celsius (two's complement)"),
    ("MTMP", "mte", "max temperature enable: record the highest temperature seen"),
    ("MTMP", "mtr", "max temperature reset: clear the recorded maximum"),
    ("MTMP", "max_temperature", "highest temperature since enabled or reset, 0.125 degrees Celsius units"),
    ("MTMP", "tee", "temperature warning event: 0 none, 1 generate, 2 generate once"),
    ("MTMP", "temp_threshold_hi", "warning event high threshold, 0.125 degrees Celsius units"),
    ("MTMP", "temp_threshold_lo", "warning event low threshold (re-arm), 0.125 degrees Celsius units"),
    ("MTMP", "sensor_name_hi", "first 4 characters of the sensor's 8-character ASCII name"),
    ("MTMP", "sensor_name_lo", "last 4 characters of the sensor's 8-character ASCII name"),
    ("MCQS", "last_index_flag", "set on the last component (highest component_index)"),
    ("MCQS", "fw_device", "device number: 0 this NIC, otherwise a gearbox die or module"),
    (
        "MCQS",
        "identifier",
        "component type: 0x1 boot image, 0x4 OEM NV config, 0x5 NVIDIA NV config, 0x6 CS token, 0x7 debug token",
    ),
    ("MCQS", "component_status", "0 not present, 1 present, 2 in use"),
    (
        "MCQS",
        "component_update_state",
        "update flow state: 0 idle, 1 in progress, 2 applied, 3 active, 4 active pending reset, 5 failed, 6 canceled, 7 busy",
    ),
    (
        "MCQS",
        "last_update_state_changer_type",
        "who last changed the update state: 0 unspecified, 1 chassis BMC, 2 MAD, 3 BMC, 4 command interface, 5 ICMD",
    ),
    ("MCQS", "last_update_state_changer_host_id", "host of that changer (BMC, command interface or ICMD)"),
    (
        "MCQI",
        "read_pending_component",
        "report the pending (downloaded, not yet active) component instead of the running one",
    ),
    ("MCQI", "info_type", "which property set to return: 0 capabilities, 1 version, 5 activation method"),
    ("MCQI", "info_size", "size of the whole property set, in bytes"),
    ("MCQI", "offset", "byte offset into the property set (dword aligned)"),
    ("MCQI", "data_size", "bytes of the property set returned in data"),
    (
        "MCAM",
        "mng_access_reg_cap_mask",
        "bit per management register (ids 0x9000 + bit in group 0): set when supported",
    ),
    (
        "MCAM",
        "mng_feature_cap_mask",
        "bit per management feature (e.g. MCIA 128-byte access, MTMP thresholds): set when supported",
    ),
    ("MGIR", "hw_info.device_hw_revision", "hardware revision of the device"),
    ("MGIR", "hw_info.device_id", "PCI device id of the ASIC (e.g. 0x1021 ConnectX-7)"),
    ("MGIR", "hw_info.num_ports", "number of network ports"),
    ("MGIR", "hw_info.technology", "process technology: 0 n/a, 1 40nm, 2 28nm, 3 16nm, 4 7nm, 5 5nm, 6 3nm"),
    ("MGIR", "hw_info.pvs", "process voltage scaling: nominal core voltage, 50 mV units"),
    ("MGIR", "hw_info.hw_dev_id", "hardware device id (the PCI device id of the non-secure ASIC)"),
    ("MGIR", "hw_info.pci_switch_only_mode", "1: the device runs as a PCIe switch only"),
    ("MGIR", "hw_info.development", "1: a development (engineering sample) device"),
    ("MGIR", "hw_info.ga_valid", "1: ga (geographical address) is valid"),
    ("MGIR", "hw_info.cpo_indication", "1: co-packaged optics device"),
    ("MGIR", "hw_info.module_master_fw_default", "which ASIC manages shared modules by default"),
    ("MGIR", "hw_info.chip_type", "0 real chip, 1 emulation, 2 ChipSim, 3 SimX"),
    ("MGIR", "hw_info.ga", "geographical address (slot) of the device"),
    (
        "MGIR",
        "hw_info.manufacturing_base_mac_47_32",
        "upper 16 bits of the base MAC address burnt at manufacturing",
    ),
    (
        "MGIR",
        "hw_info.manufacturing_base_mac_31_0",
        "lower 32 bits of the base MAC address burnt at manufacturing",
    ),
    ("MGIR", "hw_info.uptime", "seconds since the device came out of reset"),
    ("MGIR", "fw_info.dev_sc", "1: firmware built for a development secure-boot chain"),
    ("MGIR", "fw_info.string_tlv", "1: the firmware image carries a version string TLV"),
    ("MGIR", "fw_info.dev", "1: a development (not released) firmware"),
    ("MGIR", "fw_info.debug", "1: a debug firmware build"),
    ("MGIR", "fw_info.signed_fw", "1: the running firmware image is signed"),
    ("MGIR", "fw_info.secured", "1: secure firmware update is enforced"),
    ("MGIR", "fw_info.major", "firmware version, major (low 8 bits; extended_major has all)"),
    ("MGIR", "fw_info.minor", "firmware version, minor (low 8 bits; extended_minor has all)"),
    ("MGIR", "fw_info.sub_minor", "firmware version, sub-minor (low 8 bits; extended_sub_minor has all)"),
    ("MGIR", "fw_info.build_id", "firmware build id"),
    ("MGIR", "fw_info.month", "firmware build date: month, BCD"),
    ("MGIR", "fw_info.day", "firmware build date: day, BCD"),
    ("MGIR", "fw_info.year", "firmware build date: year, BCD"),
    ("MGIR", "fw_info.BKV_major", "boot key version of the image, major"),
    ("MGIR", "fw_info.BKV_minor", "boot key version of the image, minor"),
    ("MGIR", "fw_info.BKV_sub_minor", "boot key version of the image, sub-minor"),
    ("MGIR", "fw_info.hour", "firmware build time, hhmm in BCD (17:43 is 0x1743)"),
    (
        "MGIR",
        "fw_info.psid",
        "PSID: the board's parameter-set id, which selects the firmware image (ASCII, 16 bytes)",
    ),
    ("MGIR", "fw_info.ini_file_version", "user-configured version of the current INI (configuration) file"),
    ("MGIR", "fw_info.extended_major", "firmware version, major (full 32 bits)"),
    ("MGIR", "fw_info.extended_minor", "firmware version, minor (full 32 bits)"),
    ("MGIR", "fw_info.extended_sub_minor", "firmware version, sub-minor (full 32 bits)"),
    ("MGIR", "fw_info.disabled_tiles_bitmap", "bit per ASIC tile (tile 0 the MSB): 1 disabled"),
    (
        "MGIR",
        "fw_info.isfu_major",
        "incremented whenever a firmware version cannot be updated in service (ISSU)",
    ),
    ("MGIR", "fw_info.dev_counter", "development build counter"),
    ("MGIR", "fw_info.ec_offload_engine_disabled", "1: the erasure-coding offload engine is disabled"),
    ("MGIR", "fw_info.pds", "1: the PSC runs in PDS mode"),
    ("MGIR", "fw_info.issu_able", "1: the running firmware can be updated in service (ISSU)"),
    ("MGIR", "fw_info.dev_state", "0: device in production mode, 1: in development mode"),
    ("MGIR", "fw_info.life_cycle_msb", "upper bits of the chip's life-cycle state"),
    ("MGIR", "fw_info.encryption", "1: the firmware image is encrypted"),
    ("MGIR", "fw_info.sec_boot", "1: secure boot is enabled"),
    (
        "MGIR",
        "fw_info.life_cycle",
        "chip life cycle (with life_cycle_msb): 0 production, 1 GA secured, 2 GA non-secured, 3 RMA, 4 pre-production",
    ),
    ("MGIR", "sw_info.major", "version of the software (driver) that last identified itself, major"),
    ("MGIR", "sw_info.minor", "version of the software (driver), minor"),
    ("MGIR", "sw_info.sub_minor", "version of the software (driver), sub-minor"),
    ("MGIR", "dev_info.dev_branch_tag", "firmware development branch tag (ASCII, 28 bytes)"),
    ("QCAM", "qos_access_reg_cap_mask", "bit per QoS register (ids 0x4000 + bit): set when supported"),
    ("QCAM", "qos_feature_cap_mask", "bit per QoS feature (e.g. QPTS trust both): set when supported"),
    ("PCAP", "port_capability_mask", "InfiniBand PortInfo CapabilityMask of the port (128 bits)"),
    ("PMLP", "rxtx", "1: separate RX lane mapping follows; 0: the TX mapping is used for both"),
    ("PMLP", "width", "number of module lanes the port uses: 0 unmapped, 1, 2, 4 or 8"),
    ("PFCC", "ppan_mask_n", "write mask for ppan, negative polarity: 0 updates ppan"),
    ("PFCC", "minor_stall_mask", "write mask: 1 updates device_stall_minor_watermark"),
    ("PFCC", "critical_stall_mask", "write mask: 1 updates device_stall_critical_watermark"),
    ("PFCC", "ppan", "pause policy auto-negotiation: 0 use pptx/pprx, 1 negotiate with the partner"),
    ("PFCC", "prio_mask_tx", "write mask: bit per priority whose TX PFC policy (pfctx) is updated"),
    ("PFCC", "prio_mask_rx", "write mask: bit per priority whose RX PFC policy (pfcrx) is updated"),
    ("PFCC", "pptx", "global pause on TX: 1 generate pause frames by RX buffer threshold"),
    ("PFCC", "aptx", "global pause on TX in effect (operational)"),
    ("PFCC", "pptx_mask_n", "write mask for pptx, negative polarity: 0 updates pptx"),
    ("PFCC", "pfctx", "priority flow control on TX: bit per priority that generates pause frames"),
    ("PFCC", "pprx", "global pause on RX: 1 respect received pause frames"),
    ("PFCC", "aprx", "global pause on RX in effect (operational)"),
    ("PFCC", "pprx_mask_n", "write mask for pprx, negative polarity: 0 updates pprx"),
    ("PFCC", "pfcrx", "priority flow control on RX: bit per priority whose pause frames are respected"),
    ("PFCC", "device_stall_minor_watermark", "receive stall (ms) after which a minor-stall event is raised"),
    (
        "PFCC",
        "device_stall_critical_watermark",
        "receive stall (ms) after which TX pause is stopped (critical)",
    ),
    (
        "PMAOS",
        "admin_status",
        "desired module state: 1 enabled, 2 disabled by configuration, 3 enabled once; written only with ase=1",
    ),
    (
        "PMAOS",
        "oper_status",
        "module state: 0 initializing, 1 plugged and enabled, 2 unplugged, 3 plugged with error",
    ),
    ("PMAOS", "ase", "admin status update enable: on a write, apply admin_status only when set"),
    ("PMAOS", "ee", "event update enable: on a write, apply e only when set"),
    ("PMAOS", "e", "event on oper_status change: 0 none, 1 every change, 2 once"),
    ("PPLM", "port_profile_mode", "FEC profile selection mode of the port"),
    ("PPLM", "static_port_profile", "FEC profile configured statically"),
    ("PPLM", "active_port_profile", "FEC profile in use"),
    ("PPLM", "retransmission_active", "link-level retransmission in use: 0 none, 1 LLR 64/66, 2 LLR 128/130"),
    (
        "PPLM",
        "fec_mode_active",
        "FEC in use: 0 none, 1 Firecode, 2 RS(528,514), 3 RS(271,257), 7 RS(544,514), …",
    ),
    ("PPLM", "rs_fec_correction_bypass_cap", "1: RS-FEC correction bypass is supported"),
    ("PPLM", "rs_fec_correction_bypass_admin", "1: bypass RS-FEC correction (detect only)"),
    ("PDDR", "page_select", "page to read: 0 operational info, 1 troubleshooting, 2 phy info, 3 module info"),
    (
        "PDDR",
        "page_data.resilink_fec_ind",
        "1: fec_mode_active names a ResiLink FEC (else its Ethernet equivalent)",
    ),
    ("PDDR", "page_data.proto_active", "protocol in use: bit 0 InfiniBand, bit 2 Ethernet, bit 3 NVLink"),
    (
        "PDDR",
        "page_data.neg_mode_active",
        "how the link was set up: 0 forced, 1 MLPN, 2 CL73 auto-negotiation, 3 parallel detect, 4 InfiniBand",
    ),
    (
        "PDDR",
        "page_data.phy_mngr_fsm_state",
        "phy manager state: 0 disabled, 1 open port, 2 polling, 3 active, 4 close port, 5 phy up, …",
    ),
    (
        "PDDR",
        "page_data.eth_an_fsm_state",
        "Ethernet (CL73) auto-negotiation state: 0 enable … 6 AN good, 7 next page wait",
    ),
    ("PDDR", "page_data.ib_phy_fsm_state", "InfiniBand phy state machine state"),
    (
        "PDDR",
        "page_data.phy_manager_link_enabled",
        "link modes the phy manager may bring up (PTYS extended Ethernet bits)",
    ),
    ("PDDR", "page_data.core_to_phy_link_enabled", "link modes the core enabled towards the phy (PTYS bits)"),
    ("PDDR", "page_data.cable_proto_cap", "link modes the plugged cable supports (PTYS bits)"),
    ("PDDR", "page_data.link_active", "link mode in use (one PTYS bit; 0 while the link is down)"),
    ("PDDR", "page_data.pri_or_sec", "Mode B links: 0 not chosen, 1 primary, 2 secondary"),
    (
        "PDDR",
        "page_data.loopback_mode",
        "loopback in effect: 0 none, 1 phy remote, 2 phy local, 4 external local",
    ),
    (
        "PDDR",
        "page_data.fec_mode_active",
        "FEC in use: 0 none, 1 Firecode, 2 RS(528,514), 3 RS(271,257), 7 RS(544,514), …",
    ),
    ("PDDR", "page_data.fec_mode_request", "FEC requested (same encoding as fec_mode_active)"),
    (
        "PDDR",
        "page_data.profile_fec_in_use",
        "bit of the FEC profile selected (IB spec, backplane, passive copper short/medium/long, …)",
    ),
    (
        "PDDR",
        "page_data.eth_25g_50g_fec_support",
        "FECs usable at 25G/50G (25 Gb/s lanes): bit 0 none, 1 Firecode, 2 RS(528,514)",
    ),
    (
        "PDDR",
        "page_data.eth_100g_fec_support",
        "FECs usable at 100G (25 Gb/s lanes): bit 0 none, 2 RS(528,514)",
    ),
    ("PDDR", "page_data.pd_link_enabled", "link modes enabled for parallel detect"),
    ("PDDR", "page_data.phy_hst_link_enabled", "link modes enabled for the phy's host side"),
    ("PDDR", "page_data.eth_an_link_enabled", "link modes advertised in Ethernet auto-negotiation"),
    ("PDDR", "page_data.test_mode_fsm_state", "Mode B test-mode state (when PCAM feature bit 120 is set)"),
    ("PDDR", "page_data.link_health", "0 not available, 1 attention, 2 healthy"),
    ("PDDR", "page_data.channel_diff_loss", "highest channel differential loss, dB"),
    (
        "PDDR",
        "page_data.remote_host_class",
        "remote host insertion-loss class: 0 unspecified, 1 nominal, 2 low, 3 high",
    ),
    (
        "PDDR",
        "page_data.local_host_class",
        "local host insertion-loss class: 0 unspecified, 1 nominal, 2 low, 3 high",
    ),
    ("PDDR", "page_data.group_opcode", "troubleshooting group: 0 monitor opcodes"),
    ("PDDR", "page_data.monitor_opcode", "troubleshooting status code (0: no issue observed)"),
    ("PDDR", "page_data.status_message", "the troubleshooting status in words (ASCII, NUL terminated)"),
    (
        "PDDR",
        "page_data.cable_technology",
        "module technology (CMIS byte 212 / SFF-8636 byte 147): 0x0a passive copper unequalized, …",
    ),
    ("PDDR", "page_data.cable_breakout", "breakout of the cable (SFF-8636 byte 113 / CMIS)"),
    (
        "PDDR",
        "page_data.ext_ethernet_compliance_code",
        "extended specification compliance code (SFF-8636 byte 192 / SFF-8472 byte 36)",
    ),
    (
        "PDDR",
        "page_data.ethernet_compliance_code",
        "Ethernet compliance codes (SFF-8636 byte 131; CMIS media interface)",
    ),
    (
        "PDDR",
        "page_data.cable_type",
        "0 unidentified, 1 active cable, 2 optical module, 3 passive copper, 4 unplugged, 5 twisted pair",
    ),
    ("PDDR", "page_data.cable_vendor", "0 other, 1 Mellanox, 2 known OUI, 3 NVIDIA"),
    (
        "PDDR",
        "page_data.cable_length",
        "cable length in m; CMIS: bits 7:6 multiplier (0.1/1/10/100), bits 5:0 value",
    ),
    (
        "PDDR",
        "page_data.cable_identifier",
        "form factor: 0 QSFP28, 1 QSFP+, 2 SFP28/SFP+, 5 SFP-DD, 6 QSFP-DD, 7 QSFP CMIS, 8 OSFP",
    ),
    ("PDDR", "page_data.cable_power_class", "module power class (0: up to 1.0 W, 1: 1.5 W, …)"),
    ("PDDR", "page_data.max_power", "CMIS maximum power (byte 201), 0.25 W units"),
    ("PDDR", "page_data.cable_rx_amp", "RX output amplitude setting"),
    ("PDDR", "page_data.cable_rx_emphasis", "RX output pre-emphasis setting"),
    ("PDDR", "page_data.cable_tx_equalization", "TX input equalization setting"),
    ("PDDR", "page_data.cable_attenuation_25g", "cable attenuation at 25 GHz, dB (CMIS)"),
    ("PDDR", "page_data.cable_attenuation_12g", "cable attenuation at 12 GHz, dB"),
    ("PDDR", "page_data.cable_attenuation_7g", "cable attenuation at 7 GHz, dB"),
    ("PDDR", "page_data.cable_attenuation_5g", "cable attenuation at 5 GHz, dB"),
    ("PDDR", "page_data.cable_rx_post_emphasis", "RX output post-emphasis setting (CMIS)"),
    (
        "PDDR",
        "page_data.rx_cdr_cap",
        "RX clock and data recovery: 0 none, 1 with on/off control, 2 always on",
    ),
    (
        "PDDR",
        "page_data.tx_cdr_cap",
        "TX clock and data recovery: 0 none, 1 with on/off control, 2 always on",
    ),
    ("PDDR", "page_data.rx_cdr_state", "bit per lane: RX CDR on"),
    ("PDDR", "page_data.tx_cdr_state", "bit per lane: TX CDR on"),
    ("PDDR", "page_data.vendor_name", "module vendor name (ASCII, space padded)"),
    ("PDDR", "page_data.vendor_pn", "module part number (ASCII, space padded)"),
    ("PDDR", "page_data.vendor_rev", "module revision (ASCII)"),
    ("PDDR", "page_data.fw_version", "module firmware version (0 when the module reports none)"),
    ("PDDR", "page_data.vendor_sn", "module serial number (ASCII, space padded)"),
    ("PDDR", "page_data.temperature", "module temperature, 1/256 degrees Celsius (0: not monitored)"),
    ("PDDR", "page_data.voltage", "module supply voltage, 100 uV units (0: not monitored)"),
    (
        "PDDR",
        "page_data.temperature_high_th",
        "module high temperature alarm threshold, 1/256 degrees Celsius",
    ),
    ("PDDR", "page_data.temperature_low_th", "module low temperature alarm threshold, 1/256 degrees Celsius"),
    ("PDDR", "page_data.voltage_high_th", "module high voltage alarm threshold, 100 uV units"),
    ("PDDR", "page_data.voltage_low_th", "module low voltage alarm threshold, 100 uV units"),
    (
        "PDDR",
        "page_data.module_st",
        "CMIS module state: 1 low power, 2 powering up, 3 ready, 4 powering down, 5 fault",
    ),
    ("PDDR", "page_data.smf_length", "single-mode fiber reach: bits 9:8 unit (1 km / 100 m), bits 7:0 value"),
    ("PDDR", "page_data.wavelength", "nominal laser wavelength, nm (0 for copper)"),
    (
        "PDDR",
        "page_data.ib_compliance_code",
        "InfiniBand rates supported: bit 0 SDR, 1 DDR, 2 QDR, 3 FDR10, 4 FDR, 5 EDR, 6 HDR, 7 NDR",
    ),
    ("PDDR", "page_data.nbr250", "nominal bit rate, 250 Mb/s units"),
    ("PDDR", "page_data.nbr100", "nominal bit rate, 100 Mb/s units"),
    (
        "PDDR",
        "page_data.monitor_cap_mask",
        "monitors implemented: bit 0 temperature, 1 voltage, 2 TX power, 3 RX power, 4 TX bias",
    ),
    ("PDDR", "page_data.ib_width", "InfiniBand link widths supported (bit mask)"),
    ("PDDR", "page_data.memory_map_rev", "module memory map revision (CMIS 0x50 = 5.0)"),
    ("PDDR", "page_data.memory_map_compliance", "module memory map standard in ASCII: CMIS, 8636 or 8472"),
    ("PDDR", "page_data.date_code", "vendor date code: YYMMDD then a 2-character lot code (ASCII)"),
    (
        "PDDR",
        "page_data.connector_type",
        "connector type per SFF-8024 (0x23: no separable connector, a direct-attach cable)",
    ),
    ("PDDR", "page_data.vendor_oui", "module vendor IEEE OUI"),
    ("PBMC", "xoff_timer_value", "pause time sent in pause frames, in quanta of 512 bit times"),
    ("PBMC", "xoff_refresh", "interval before a new pause frame refreshes the pause, same units"),
    ("PBMC", "fullness_threshold", "almost-full threshold, percent of buffer fullness"),
    ("PBMC", "port_buffer_size", "total receive buffer of the port, in cells; the buffers must fit in it"),
    ("PPTB", "mm", "mapping mode: 0 unicast and multicast together, 1 unicast only, 2 multicast only"),
    ("PPTB", "cm", "write mask: 1 updates ctrl_buff"),
    ("PPTB", "um", "write mask: 1 updates untagged_buff"),
    ("PPTB", "pm", "write mask: bit per priority whose buffer in prio_x_buff is updated"),
    (
        "PPTB",
        "prio_x_buff",
        "receive buffer of each priority, 4 bits per priority (priority 0 in the low nibble, as mlx5e reads it)",
    ),
    ("PPTB", "pm_msb", "write mask for priorities 8..15 (reserved on a NIC)"),
    ("PPTB", "ctrl_buff", "receive buffer of control frames"),
    ("PPTB", "untagged_buff", "receive buffer of untagged frames"),
    ("QTCT", "port_number", "local port (transmit port) the mapping applies to"),
    ("QTCT", "prio", "switch priority (0..7) whose traffic class is read or set"),
    ("QTCT", "tclass", "traffic class of that priority (defaults: prio 0 -> 1, prio 1 -> 0, else prio)"),
    ("QPTS", "trust_state", "which header field sets the priority: 1 PCP (default), 2 DSCP, 3 both"),
    ("MLCR", "beacon_duration", "seconds to blink the port LED; 0 stops, 0xffff forever"),
    ("MLCR", "beacon_remain", "seconds of beacon left; 0xffff forever"),
    ("MRTC", "time_synced", "1: time is microseconds since 1970-01-01; 0: since the device booted"),
    ("MRTC", "time_h", "time, upper 32 bits"),
    ("MRTC", "time_l", "time, lower 32 bits"),
    ("MCIA", "l", "lock page: firmware keeps accessing the last page"),
    (
        "MCIA",
        "status",
        "access result: 0 success, 1 no EEPROM response, 2 module not supported, 3 no module, 4 invalid module type, 9 I2C error, 16 module disabled",
    ),
    (
        "MCIA",
        "i2c_device_address",
        "I2C address of the module memory: 0x50 (lower/upper pages), 0x51 (SFP diagnostics)",
    ),
    ("MCIA", "page_number", "module memory page"),
    ("MCIA", "device_address", "byte offset within the page (0..255)"),
    ("MCIA", "size", "number of bytes to read (here at most 48)"),
    ("MCIA", "eeprom_bytes", "the bytes read, as one block (dword_0 onwards)"),
    (
        "MFRL",
        "pci_sync_for_fw_update_start",
        "reset flow: 0 legacy, 1 synced driver flow, 2 synced tool flow",
    ),
    ("MFRL", "pci_sync_for_fw_update_resp", "driver's answer to a reset request: 1 acknowledge, 2 refuse"),
    ("MFRL", "rst_type_sel", "requested reset type (bit index into reset_type)"),
    ("MFRL", "pci_reset_req_method", "how PCI reset is done: 0 link disable, 1 hot reset (SBR)"),
    (
        "MFRL",
        "reset_state",
        "0 idle, 1 negotiation, 2 reset in progress, 3..5 errors (timeout, refused, driver unload)",
    ),
    (
        "MFRL",
        "reset_type",
        "bit per supported reset type: 0 full chip, 1 keep network port active, 3 ARM only, 4 ARM OS shutdown",
    ),
    (
        "MFRL",
        "reset_level",
        "bit per supported reset level (MLX5_MFRL_REG_RESET_LEVEL*): bit 0 level 0 (live patch, no reset), bit 3 level 3 (PCI reset), bit 6 level 6 (warm reboot)",
    ),
    (
        "MCC",
        "time_elapsed_since_last_cmd",
        "seconds since the update handle's owner last issued a command (saturates at 0xfff)",
    ),
    (
        "MCC",
        "instruction",
        "command: 1 lock handle, 2 release handle, 3 update, 4 verify, 6 activate, 7 read, 8 cancel, 9 check handle, 0xa force release, 0xb read pending",
    ),
    ("MCC", "update_handle", "token of the update flow in progress"),
    (
        "MCC",
        "handle_owner_type",
        "who holds the handle: 0 unspecified, 1 chassis BMC, 2 MAD, 3 BMC, 4 command interface, 5 ICMD",
    ),
    ("MCC", "handle_owner_host_id", "host of the handle owner"),
    ("MCC", "control_progress", "estimated progress, percent (101: not reported)"),
    ("MCC", "error_code", "result of the last instruction: 0 OK, 1 error, 2 rejected (see the PRM list)"),
    (
        "MCC",
        "control_state",
        "update state machine: 0 idle, 1 locked, 2 initialize, 3 download, 4 verify, 5 apply, 6 activate, 7 upload, 8 upload completed, 9 activate on exit, 10 migrate",
    ),
    ("MCC", "component_size", "size of the component to update, bytes (0: unspecified)"),
    ("RESOURCE_DUMP", "more_dump", "1: more data remains; call again with the returned indexes and opaque"),
    (
        "RESOURCE_DUMP",
        "inline_dump",
        "1: the data is returned in inline_data; 0: written to memory at mkey/address",
    ),
    ("RESOURCE_DUMP", "seq_num", "sequence number of this call: 0 first, then incremented per call"),
    ("RESOURCE_DUMP", "segment_type", "what to dump (0xffff: the menu of segment types)"),
    ("RESOURCE_DUMP", "vhca_id", "function whose resources are dumped (with vhca_id_valid)"),
    ("RESOURCE_DUMP", "index1", "first object index to dump; read back and passed again while more_dump"),
    ("RESOURCE_DUMP", "index2", "second object index to dump; read back and passed again while more_dump"),
    ("RESOURCE_DUMP", "num_of_obj1", "objects to dump from index1 (0xffff: all)"),
    ("RESOURCE_DUMP", "num_of_obj2", "objects to dump from index2 (0xffff: all)"),
    ("RESOURCE_DUMP", "device_opaque", "device cookie: 0 on the first call, then passed back unchanged"),
    ("RESOURCE_DUMP", "mkey", "memory key of the buffer to dump into (inline_dump = 0)"),
    ("RESOURCE_DUMP", "size", "bytes dumped in this call"),
    ("RESOURCE_DUMP", "address", "address of the buffer to dump into (inline_dump = 0)"),
    ("RESOURCE_DUMP", "inline_data", "the dumped segments (208 bytes per call when inline)"),
    ("MNVDA", "data", "the configuration item's data (its layout depends on nv_hdr.type)"),
    ("MNVQC", "type", "configuration item type (class and index) asked about"),
    ("MNVQC", "version", "highest version of the item the device supports"),
    ("MNVQC", "support_wr", "1: the item can be written"),
    ("MNVQC", "support_rd", "1: the item can be read"),
    ("MNVGN", "nv_pointer", "iterator: 0 to start; the returned value names the next item (0: no more)"),
    ("MNVGN", "nv_data", "the configuration item's data"),
];

/// Meanings of `nv_hdr.*` (MNVDA, MNVGN: `struct mlx5_ifc_nv_hdr`-like header).
const NV_HDR: &[(&str, &str)] = &[
    (
        "priority",
        "life-cycle priority of the writer (user, OEM, vendor); higher ones may lock lower ones out",
    ),
    ("over_en", "1: a higher-priority writer may override the item"),
    ("rd_en", "1: the item can be read by the subsequent life-cycle priorities"),
    ("default", "read the default value instead of the stored one"),
    ("read_current", "read the value in effect now instead of the one for the next boot"),
    (
        "writer_id",
        "who wrote the item: 0 unspecified, 1 chassis BMC, 2 MAD, 3 BMC, 4 command interface, 5 ICMD, 6 UEFI HII, 7 UEFI CLP, 8 FlexBoot, 9 mlxconfig, …",
    ),
    ("version", "version of the item's layout"),
    ("writer_host_id", "host of the writer"),
    ("length", "length of the item's data in bytes"),
    ("type", "configuration item type: class in the upper bits, index below"),
];

/// DTOR timeouts (`dtor_reg`: one `default_timeout` per firmware wait).
const DTOR: &[(&str, &str)] = &[
    ("pcie_toggle_to", "how long PCIe may be down around a link toggle"),
    ("health_poll_to", "interval between checks of the firmware health counter"),
    ("full_crdump_to", "time one function may take to dump the CR space before another resets"),
    ("fw_reset_to", "longest wait for a NIC interface reset"),
    ("flush_on_err_to", "longest wait to flush an SQ/RQ in error"),
    ("pci_sync_update_to", "longest wait for pci_sync_for_fw_update_start"),
    ("tear_down_to", "longest TEARDOWN_HCA"),
    ("fsm_reactivate_to", "time firmware takes to reactivate its update state machine"),
    ("reclaim_pages_to", "longest wait for a PF to reclaim its own pages"),
    ("reclaim_vfs_pages_to", "longest wait for a PF to reclaim its VFs' pages"),
    ("reset_unload_to", "longest wait from unload accepted to the link toggle request in a reset"),
];

fn lookup<'a>(table: &'a [(&str, &str)], key: &str) -> Option<&'a str> {
    table.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| *v)
}

/// Speed in a PPLM field name suffix (`56g`, `400g_8x`, `10g_40g`) as words.
fn speed(s: &str) -> String {
    let s = s.replace("_40g", "/40G").replace('g', "G");
    match s.split_once('_') {
        Some((rate, lanes)) => format!("{rate} over {} lanes", lanes.trim_end_matches('x')),
        None => s,
    }
}

/// The meaning of a PDDR page 9 (module latched flags) field.
fn latched_flag(field: &str) -> Option<String> {
    let fixed = match field {
        "temp_flags" => Some(
            "latched module temperature flags: bit 0 high alarm, 1 low alarm, 2 high warning, 3 low warning",
        ),
        "vcc_flags" => Some(
            "latched module supply voltage flags: bit 0 high alarm, 1 low alarm, 2 high warning, 3 low warning",
        ),
        "mod_fw_fault" => Some("latched module firmware fault (CMIS modules)"),
        "dp_fw_fault" => Some("latched data path firmware fault (CMIS modules)"),
        "rx_los_cap" => Some("1: the module reports receive loss of signal"),
        _ => None,
    };
    if let Some(m) = fixed {
        return Some(m.to_string());
    }
    let (dir, rest) = field.split_once('_')?;
    let dir = match dir {
        "tx" => "transmit",
        "rx" => "receive",
        _ => return None,
    };
    let what = match rest {
        "fault" => "fault".to_string(),
        "los" => "loss of signal".to_string(),
        "cdr_lol" => "CDR loss of lock".to_string(),
        "ad_eq_fault" => "adaptive equalization fault".to_string(),
        "output_valid_change" => "output valid change".to_string(),
        _ => {
            let (quantity, level) = rest.rsplit_once('_')?;
            let (quantity, bound) = quantity.rsplit_once('_')?;
            let quantity = match quantity {
                "power" => "power",
                "bias" => "bias current",
                _ => return None,
            };
            let bound = if bound == "hi" { "high" } else { "low" };
            let level = if level == "al" { "alarm" } else { "warning" };
            format!("{quantity} {bound} {level}")
        }
    };
    Some(format!("latched {dir} {what} flag, a bit per lane (bit 0 lane 0)"))
}

/// The one-line meaning of `field` of `register` (a name as `reg read
/// --fields` lists it, e.g. `hw_info.device_id`, `page_data.vendor_pn`).
pub fn field_meaning(register: &str, field: &str) -> Option<String> {
    if let Some((_, _, m)) =
        BY_REGISTER.iter().find(|(r, f, _)| r.eq_ignore_ascii_case(register) && f.eq_ignore_ascii_case(field))
    {
        return Some((*m).to_string());
    }
    let reg = register.to_ascii_uppercase();
    if let Some(rest) = field.strip_prefix("nv_hdr.") {
        return lookup(NV_HDR, rest).map(|m| format!("configuration item header: {m}"));
    }
    if reg == "DTOR"
        && let Some((to, part)) = field.split_once('.')
    {
        let what = lookup(DTOR, to)?;
        return match part {
            "to_multiplier" => Some(format!("unit of to_value ({what}): 0 ms, 1 s, 2 min, 3 h")),
            "to_value" => Some(format!("timeout value, in to_multiplier units: {what}")),
            _ => None,
        };
    }
    if reg == "MCIA"
        && let Some(n) = field.strip_prefix("dword_").and_then(|n| n.parse::<u32>().ok())
    {
        return Some(format!(
            "module memory bytes device_address+{}..+{} (big-endian dword {n} of the data read)",
            4 * n,
            4 * n + 3
        ));
    }
    if reg == "PMLP"
        && let Some(n) = field.strip_prefix("lane").and_then(|r| r.strip_suffix("_module_mapping"))
    {
        return Some(format!("module and module lane (TX; RX too unless rxtx) carrying port lane {n}"));
    }
    if reg == "PPLM" {
        if let Some(s) = field.strip_prefix("fec_override_cap_") {
            return Some(format!("FEC modes the port supports at {} (bit mask; bit 0 no FEC, …)", speed(s)));
        }
        if let Some(s) = field.strip_prefix("fec_override_admin_") {
            return Some(format!("FEC modes configured for {} (bit mask; 0: firmware chooses)", speed(s)));
        }
    }
    if reg == "PBMC"
        && let Some((n, part)) = field.strip_prefix("buffer").and_then(|r| r.split_once('.'))
    {
        let what = match part {
            "lossy" => "1: lossy (no pause sent when it fills), 0: lossless",
            "epsb" => "1: eligible for the port shared buffer",
            "size" => "size, in cells",
            "xoff_threshold" => "fill level, in cells, at which pause (XOFF) is sent; lossless only",
            "xon_threshold" => "fill level, in cells, below which the pause is lifted (XON); lossless only",
            _ => return None,
        };
        let kind = if n.parse::<usize>().is_ok_and(|i| i < 8) { "receive buffer" } else { "internal buffer" };
        return Some(format!("{kind} {n}: {what}"));
    }
    if reg == "PDDR"
        && let Some(rest) = field.strip_prefix("page_data.")
    {
        if let Some(m) = latched_flag(rest) {
            return Some(m);
        }
        for (prefix, what, unit) in [
            ("rx_power_lane", "received optical power", "dBm or uW per module_info_ext; 0 for copper"),
            ("tx_power_lane", "transmitted optical power", "dBm or uW per module_info_ext; 0 for copper"),
            ("tx_bias_lane", "transmit laser bias current", "2 uA units; 0 for copper"),
        ] {
            if let Some(n) = rest.strip_prefix(prefix) {
                return Some(format!("{what} on lane {n} ({unit})"));
            }
        }
    }
    if reg == "MGIR"
        && let Some(rest) = field.strip_prefix("sw_info.rom")
    {
        let (n, part) = rest.split_once(['_', '.'])?;
        return Some(match part {
            "arch" => {
                format!("expansion ROM {n}: architecture (0 unspecified, 1 AMD64, 2 AARCH64, 3 both, 4 IA32)")
            }
            "type" => format!(
                "expansion ROM {n}: type (0 none, 1 FlexBoot, 2 UEFI, 3 UEFI-CLP, 4 NVMe, 5 FCODE, 6/7 UEFI virtio net/blk, 8 PXE virtio net)"
            ),
            "version.major" => format!("expansion ROM {n} version, major"),
            "version.minor" => format!("expansion ROM {n} version, minor"),
            "version.build" => format!("expansion ROM {n} version, build"),
            _ => return None,
        });
    }
    lookup(COMMON, field).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prm::registers::{self, pddr};

    #[test]
    fn every_register_field_and_pddr_page_field_has_a_meaning() {
        let mut missing = Vec::new();
        for r in &registers::REGISTERS {
            for f in r.layout.fields {
                if field_meaning(r.name, f.name).is_none_or(|m| m.trim().is_empty()) {
                    missing.push(format!("{} {}", r.name, f.name));
                }
            }
        }
        for page in pddr::PAGES {
            for f in pddr::page_layout(page).map_or(&[][..], |l| l.fields) {
                if field_meaning("PDDR", &format!("page_data.{}", f.name)).is_none() {
                    missing.push(format!("PDDR page_data.{}", f.name));
                }
            }
        }
        assert!(missing.is_empty(), "no meaning for: {missing:?}");
    }

    #[test]
    fn generated_meanings_name_what_they_describe() {
        assert_eq!(
            field_meaning("DTOR", "fw_reset_to.to_multiplier").as_deref(),
            Some("unit of to_value (longest wait for a NIC interface reset): 0 ms, 1 s, 2 min, 3 h")
        );
        assert!(
            field_meaning("PPLM", "fec_override_cap_400g_8x")
                .is_some_and(|m| m.contains("400G over 8 lanes"))
        );
        assert!(field_meaning("PPLM", "fec_override_admin_10g_40g").is_some_and(|m| m.contains("10G/40G")));
        assert!(field_meaning("MCIA", "dword_2").is_some_and(|m| m.contains("+8..+11")));
        assert!(field_meaning("MGIR", "sw_info.rom1_version.build").is_some_and(|m| m.contains("ROM 1")));
        assert_eq!(field_meaning("PAOS", "nonexistent"), None);
        assert_eq!(field_meaning("DTOR", "nosuch_to.to_value"), None);
    }
}
