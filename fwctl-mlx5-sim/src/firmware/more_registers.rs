//! The registers firmware tools read beyond the port basics: identity (MGIR),
//! capability masks (QCAM), module and lane mapping (PMAOS, PMLP, MCIA), flow
//! control and buffers (PFCC, PBMC, PPTB, QTCT, QPTS), diagnostics (PDDR, PPLM,
//! PCAP, PPCNT groups other than IEEE 802.3), LED, clock, reset and update
//! control (MLCR, MRTC, MFRL, MCC), default timeouts (DTOR) and the resource
//! dump (RESOURCE_DUMP). Every function reads the request's register data and
//! fills the response's, through the layouts in [`crate::prm::registers`].
//!
//! Writable registers keep what was written in [`State::reg_writes`], keyed by
//! register id and index (port, module, priority), so a read after a write
//! shows the change.

use super::state::State;
use super::status::{CmdResult, bad_param, syndrome as syn};
use crate::config::SimConfig;
use crate::prm::layout::Layout;
use crate::prm::registers::{
    dtor, id, mcc, mcia, mfrl, mgir, mlcr, mrtc, nv, pbmc, pcap, pddr, pfcc, pmaos, pmlp, ppcnt,
    ppcnt_groups, pplm, pptb, qpts, qtct, resource_dump,
};

/// Set `name` of `layout` in `buf` (names are this module's own constants;
/// the golden tests read every value back at the header's offset).
fn put(layout: &Layout, buf: &mut [u8], name: &str, value: u64) {
    if let Some(f) = layout.field(name) {
        f.set(buf, value);
    }
}

fn get(layout: &Layout, buf: &[u8], name: &str) -> u64 {
    layout.field(name).map_or(0, |f| f.get(buf))
}

/// 1-based local port, checked against the device.
fn port(c: &SimConfig, layout: &Layout, req: &[u8]) -> Result<u64, super::status::Status> {
    let p = get(layout, req, "local_port");
    if p == 0 || p > u64::from(c.num_ports) {
        return Err(bad_param(syn::BAD_FIELD));
    }
    Ok(p)
}

/// A written value of register `reg` at `index`, or `default`.
fn stored(s: &State, reg: u16, index: u64, name: &'static str, default: u64) -> u64 {
    s.reg_writes.get(&(reg, index)).and_then(|m| m.get(name)).copied().unwrap_or(default)
}

fn store(s: &mut State, reg: u16, index: u64, name: &'static str, value: u64) {
    s.reg_writes.entry((reg, index)).or_default().insert(name, value);
}

/// MGIR: the device's identity. The deprecated 8-bit version fields read 0
/// (the PRM points to `extended_*`), as the adb description says.
pub(crate) fn mgir_reg(c: &SimConfig, s: &State, data: &mut [u8]) -> CmdResult {
    let l = &mgir::LAYOUT;
    let mac = c.port_mac(1);
    let p = c.profile;
    for (name, value) in [
        ("hw_info.device_id", u64::from(p.device_id())),
        ("hw_info.device_hw_revision", u64::from(p.hw_revision())),
        ("hw_info.hw_dev_id", u64::from(p.device_id())),
        ("hw_info.num_ports", u64::from(c.num_ports)),
        ("hw_info.technology", 4), // 7 nm
        ("hw_info.manufacturing_base_mac_47_32", mac >> 32),
        ("hw_info.manufacturing_base_mac_31_0", mac & 0xffff_ffff),
        ("hw_info.uptime", s.traffic / 1000),
        ("fw_info.secured", 1),
        ("fw_info.signed_fw", 1),
        ("fw_info.build_id", 0x0000_1002),
        ("fw_info.year", 0x2025), // BCD date of the build
        ("fw_info.month", 0x06),
        ("fw_info.day", 0x15),
        ("fw_info.hour", 0x1200),
        ("fw_info.extended_major", u64::from(c.fw_version.major)),
        ("fw_info.extended_minor", u64::from(c.fw_version.minor)),
        ("fw_info.extended_sub_minor", u64::from(c.fw_version.subminor)),
        ("fw_info.life_cycle", 1), // production
        ("fw_info.sec_boot", 1),
    ] {
        put(l, data, name, value);
    }
    if let Some(f) = l.field("fw_info.psid") {
        f.set_text(data, c.psid.as_bytes());
    }
    Ok(())
}

/// PCAP: the port capability mask is not modelled (zeros); the port is checked and echoed.
pub(crate) fn pcap_reg(c: &SimConfig, req: &[u8], data: &mut [u8]) -> CmdResult {
    let p = port(c, &pcap::LAYOUT, req)?;
    put(&pcap::LAYOUT, data, "local_port", p);
    Ok(())
}

/// PMLP: each port is a 4-lane module of its own (module = port - 1, lane n = n).
pub(crate) fn pmlp_reg(c: &SimConfig, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &pmlp::LAYOUT;
    let p = port(c, l, req)?;
    put(l, data, "local_port", p);
    put(l, data, "width", 4);
    for lane in 0..4u64 {
        // lane_2_module_mapping: rx_lane bits 4..8, tx_lane 12..16, module 24..32.
        let v = (lane << 24) | (lane << 16) | (p - 1);
        put(
            l,
            data,
            ["lane0_module_mapping", "lane1_module_mapping", "lane2_module_mapping", "lane3_module_mapping"]
                [lane as usize],
            v,
        );
    }
    Ok(())
}

/// PMAOS: module admin/oper status; a write with `ase` enables (1) or disables (2) it.
pub(crate) fn pmaos_reg(c: &SimConfig, s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &pmaos::LAYOUT;
    let module = get(l, req, "module");
    if module >= u64::from(c.num_ports) {
        return Err(bad_param(syn::BAD_FIELD));
    }
    if write && get(l, req, "ase") == 1 {
        let admin = get(l, req, "admin_status");
        if admin != 1 && admin != 2 {
            return Err(bad_param(syn::BAD_FIELD));
        }
        store(s, id::PMAOS, module, "admin_status", admin);
    }
    let admin = stored(s, id::PMAOS, module, "admin_status", 1);
    put(l, data, "module", module);
    put(l, data, "admin_status", admin);
    // oper_status: 1 plugged and enabled, 2 unplugged, 3 plugged but disabled.
    put(l, data, "oper_status", if admin == 1 { 1 } else { 3 });
    Ok(())
}

/// PFCC: global pause on by default, PFC off; a write stores the pause and PFC settings.
pub(crate) fn pfcc_reg(c: &SimConfig, s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &pfcc::LAYOUT;
    let p = port(c, l, req)?;
    const FIELDS: [(&str, u64); 4] = [("pptx", 1), ("pprx", 1), ("pfctx", 0), ("pfcrx", 0)];
    if write {
        let (pptx, pprx) = (get(l, req, "pptx"), get(l, req, "pprx"));
        let (pfctx, pfcrx) = (get(l, req, "pfctx"), get(l, req, "pfcrx"));
        // Global pause and PFC are exclusive in a direction.
        if (pptx == 1 && pfctx != 0) || (pprx == 1 && pfcrx != 0) {
            return Err(bad_param(syn::BAD_FIELD));
        }
        for (name, v) in [("pptx", pptx), ("pprx", pprx), ("pfctx", pfctx), ("pfcrx", pfcrx)] {
            store(s, id::PFCC, p, name, v);
        }
    }
    put(l, data, "local_port", p);
    for (name, default) in FIELDS {
        let name: &'static str = name;
        put(l, data, name, stored(s, id::PFCC, p, name, default));
    }
    put(l, data, "prio_mask_tx", 0xff);
    put(l, data, "prio_mask_rx", 0xff);
    Ok(())
}

/// The FEC override capability of PPLM field `fec_override_cap_*`: every
/// legacy-speed mode offered (bits 0..2: no FEC, FireCode, RS-FEC), none at the
/// per-lane speeds.
fn pplm_cap(name: &str) -> u64 {
    match name {
        "fec_override_cap_25g"
        | "fec_override_cap_50g"
        | "fec_override_cap_100g"
        | "fec_override_cap_10g_40g" => 0x7,
        _ => 0,
    }
}

/// PPLM: the port's FEC capabilities and the FEC modes configured per speed.
/// A write sets every `fec_override_admin_*` (mlx5e_set_fec_mode writes them
/// all after a read); each must be 0 (firmware chooses) or within the
/// speed's `fec_override_cap_*`, else BAD_PARAM and nothing changes.
pub(crate) fn pplm_reg(c: &SimConfig, s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &pplm::LAYOUT;
    let p = port(c, l, req)?;
    let admin = || l.fields.iter().filter(|f| f.name.starts_with("fec_override_admin_"));
    if write {
        for f in admin() {
            let cap = pplm_cap(&f.name.replace("_admin_", "_cap_"));
            if f.get(req) & !cap != 0 {
                return Err(bad_param(syn::BAD_FIELD));
            }
        }
        for f in admin() {
            store(s, id::PPLM, p, f.name, f.get(req));
        }
    }
    put(l, data, "local_port", p);
    for f in l.fields.iter().filter(|f| f.name.starts_with("fec_override_cap_")) {
        f.set(data, pplm_cap(f.name));
    }
    for f in admin() {
        f.set(data, stored(s, id::PPLM, p, f.name, 0));
    }
    Ok(())
}

/// PDDR: page 0 (operational info) follows PAOS/PTYS, page 1
/// (troubleshooting) says no issue was seen, page 3 (module info) describes
/// the cable MCIA reads, page 9 (module latched flags) has no flag set; other
/// pages are BAD_PARAM.
pub(crate) fn pddr_reg(c: &SimConfig, s: &State, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &pddr::LAYOUT;
    let p = port(c, l, req)?;
    let page = get(l, req, "page_select");
    let Some(layout) = pddr::page_layout(page) else {
        // Page 2 (phy info) and the others are not modelled: firmware refuses the index.
        return Err(bad_param(syn::BAD_FIELD));
    };
    put(l, data, "local_port", p);
    put(l, data, "page_select", page);
    let up =
        s.port_admin.get((p - 1) as usize).is_some_and(|a| u64::from(*a) == crate::prm::registers::paos::UP);
    let page_data = &mut data[pddr::PAGE_DATA_BYTE..];
    let set = |buf: &mut [u8], name: &str, v: u64| put(layout, buf, name, v);
    match page {
        pddr::OPERATIONAL_INFO_PAGE => {
            let ext_cap = super::register_file::link_modes(c.profile).0;
            let ext_oper = super::register_file::ext_oper(s, c.profile, p as u8);
            // Ethernet (proto bit 2); CL73 negotiated, phy manager Active,
            // AN_GOOD, RS(544,514) FEC (7), link_health Healthy (2) when up.
            set(page_data, "proto_active", 4);
            for name in [
                "phy_manager_link_enabled",
                "core_to_phy_link_enabled",
                "cable_proto_cap",
                "eth_an_link_enabled",
            ] {
                set(page_data, name, ext_cap);
            }
            if up {
                set(page_data, "neg_mode_active", 2);
                set(page_data, "phy_mngr_fsm_state", 3);
                set(page_data, "eth_an_fsm_state", 6);
                set(page_data, "link_active", ext_oper);
                set(page_data, "fec_mode_active", 7);
                set(page_data, "fec_mode_request", 7);
                set(page_data, "link_health", 2);
            }
        }
        pddr::TROUBLESHOOTING_INFO_PAGE => {
            // group_opcode 0 (monitor opcodes); the status message.
            let text = if up { "No issue was observed" } else { "Port is administratively down" };
            if let Some(f) = layout.field("status_message") {
                f.set_text(page_data, text.as_bytes());
            }
        }
        pddr::MODULE_INFO_PAGE => module_info_page(c, p - 1, layout, page_data),
        // Page 9: a passive DAC has no monitors and no CDR, so no flag is
        // latched and rx_los_cap is 0 (the flags read 0, as zeroed).
        _ => {}
    }
    Ok(())
}

/// PDDR page 3 for the module in cage `module`: the passive copper cable
/// (DAC) MCIA describes, with the same vendor, part and serial numbers. A DAC
/// has no diagnostic monitors, so temperature, voltage, power and bias read 0
/// and `monitor_cap_mask` says none is implemented.
fn module_info_page(c: &SimConfig, module: u64, layout: &Layout, page: &mut [u8]) {
    let e = module_eeprom(c, module);
    let cmis = c.profile != crate::config::Profile::ConnectX6Dx;
    // CMIS upper page 0: name 129, OUI 145, PN 148, rev 164, SN 166, date 182;
    // SFF-8636 upper page 0: name 148, OUI 165, PN 168, rev 184, SN 196, date 212.
    let (name, oui, pn, rev, sn, date) =
        if cmis { (129, 145, 148, 164, 166, 182) } else { (148, 165, 168, 184, 196, 212) };
    let text = |page: &mut [u8], field: &str, at: usize, len: usize| {
        if let Some(f) = layout.field(field) {
            f.set_text(page, &e[at..at + len]);
        }
    };
    text(page, "vendor_name", name, 16);
    text(page, "vendor_pn", pn, 16);
    text(page, "vendor_rev", rev, 2);
    text(page, "vendor_sn", sn, 16);
    text(page, "date_code", date, 8);
    if let Some(f) = layout.field("memory_map_compliance") {
        f.set_text(page, if cmis { b"CMIS" } else { b"8636" });
    }
    let set = |page: &mut [u8], name: &str, v: u64| put(layout, page, name, v);
    set(page, "vendor_oui", u64::from(e[oui]) << 16 | u64::from(e[oui + 1]) << 8 | u64::from(e[oui + 2]));
    // cable_identifier: 0 QSFP28, 7 QSFP_CMIS, 8 OSFP; cable_vendor: 1 Mellanox, 3 NVIDIA.
    let (identifier, vendor) = match c.profile {
        crate::config::Profile::ConnectX6Dx => (0, 1),
        crate::config::Profile::ConnectX7 => (8, 3),
        crate::config::Profile::BlueField3 => (7, 3),
    };
    set(page, "cable_identifier", identifier);
    set(page, "cable_vendor", vendor);
    // 3: passive copper; technology 0x0a: passive copper, unequalized.
    set(page, "cable_type", 3);
    set(page, "cable_technology", 0x0a);
    // 1 m: CMIS encodes multiplier 01 (x1) in bits 7:6.
    set(page, "cable_length", if cmis { 0x41 } else { 1 });
    // CMIS module state 3: ModuleReady.
    set(page, "module_st", if cmis { 3 } else { 0 });
    set(page, "memory_map_rev", u64::from(e[1]));
    // SFF-8024 connector 0x23: no separable connector (a DAC).
    set(page, "connector_type", 0x23);
}

/// The port buffer, in 128-byte cells (256 KiB).
const PORT_BUFFER_CELLS: u64 = 2048;

/// The `bufferI.field` layout field of PBMC.
fn pbmc_field(i: usize, field: &str) -> Option<&'static crate::prm::layout::FieldDef> {
    pbmc::LAYOUT.field(&format!("buffer{i}.{field}"))
}

/// PBMC: a 256 KiB port buffer in 128-byte cells, xoff timer as mlx5e
/// configures it. A write sets, for the network buffers 0..8, what mlx5e's
/// `port_set_buffer` writes: `lossy`, `size`, `xoff_threshold` and
/// `xon_threshold` (in cells). BAD_PARAM, nothing changed, when the sizes add
/// up to more than `port_buffer_size` or a lossless buffer's thresholds are
/// not `xon <= xoff <= size`. The header fields and internal buffers 8 and 9
/// are firmware's (mlx5e writes back what it read, `port_buffer_size` as 0).
pub(crate) fn pbmc_reg(c: &SimConfig, s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &pbmc::LAYOUT;
    let p = port(c, l, req)?;
    if write {
        let mut total = 0u64;
        for i in 0..pbmc::NETWORK_BUFFERS {
            let v = |name: &str| pbmc_field(i, name).map_or(0, |f| f.get(req));
            let (size, xoff, xon) = (v("size"), v("xoff_threshold"), v("xon_threshold"));
            if v("lossy") == 0 && !(xon <= xoff && xoff <= size) {
                return Err(bad_param(syn::BAD_FIELD));
            }
            total += size;
        }
        if total > PORT_BUFFER_CELLS {
            return Err(bad_param(syn::BAD_FIELD));
        }
        for i in 0..pbmc::NETWORK_BUFFERS {
            for f in pbmc::WRITTEN_FIELDS.iter().filter_map(|name| pbmc_field(i, name)) {
                store(s, id::PBMC, p, f.name, f.get(req));
            }
        }
    }
    put(l, data, "local_port", p);
    put(l, data, "xoff_timer_value", 0xffff);
    put(l, data, "xoff_refresh", 0x7fff);
    put(l, data, "port_buffer_size", PORT_BUFFER_CELLS);
    for i in 0..pbmc::NETWORK_BUFFERS {
        for f in pbmc::WRITTEN_FIELDS.iter().filter_map(|name| pbmc_field(i, name)) {
            f.set(data, stored(s, id::PBMC, p, f.name, 0));
        }
    }
    Ok(())
}

/// PPTB: every priority maps to buffer 0 at power-on. A write updates the
/// buffer of each priority whose `pm` bit is set (`prio_x_buff`: 4 bits per
/// priority, priority 0 in the low nibble, as mlx5e_port_set_priority2buffer
/// writes it with `pm` = 0xff), `ctrl_buff` with `cm` and `untagged_buff` with
/// `um`. A buffer past the network buffers (8) is BAD_PARAM. Only mapping mode
/// (`mm`) 0, unicast and multicast together, is modelled; others are BAD_PARAM.
pub(crate) fn pptb_reg(c: &SimConfig, s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &pptb::LAYOUT;
    let p = port(c, l, req)?;
    let buffers = pbmc::NETWORK_BUFFERS as u64;
    let mut map = stored(s, id::PPTB, p, "prio_x_buff", 0);
    if write {
        let (pm, requested) = (get(l, req, "pm"), get(l, req, "prio_x_buff"));
        let (ctrl, untagged) = (get(l, req, "ctrl_buff"), get(l, req, "untagged_buff"));
        let cm = get(l, req, "cm") == 1;
        let um = get(l, req, "um") == 1;
        let bad_prio = (0..8).any(|prio| pm >> prio & 1 == 1 && (requested >> (4 * prio)) & 0xf >= buffers);
        if get(l, req, "mm") != 0 || bad_prio || (cm && ctrl >= buffers) || (um && untagged >= buffers) {
            return Err(bad_param(syn::BAD_FIELD));
        }
        for prio in (0..8).filter(|prio| pm >> prio & 1 == 1) {
            map = (map & !(0xf << (4 * prio))) | (requested & (0xf << (4 * prio)));
        }
        store(s, id::PPTB, p, "prio_x_buff", map);
        if cm {
            store(s, id::PPTB, p, "ctrl_buff", ctrl);
        }
        if um {
            store(s, id::PPTB, p, "untagged_buff", untagged);
        }
    }
    put(l, data, "local_port", p);
    put(l, data, "prio_x_buff", map);
    put(l, data, "ctrl_buff", stored(s, id::PPTB, p, "ctrl_buff", 0));
    put(l, data, "untagged_buff", stored(s, id::PPTB, p, "untagged_buff", 0));
    Ok(())
}

/// QTCT: priority → traffic class (default: the identity); writable.
pub(crate) fn qtct_reg(c: &SimConfig, s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &qtct::LAYOUT;
    let p = get(l, req, "port_number");
    let prio = get(l, req, "prio");
    if p == 0 || p > u64::from(c.num_ports) {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let index = p << 8 | prio;
    if write {
        store(s, id::QTCT, index, "tclass", get(l, req, "tclass"));
    }
    put(l, data, "port_number", p);
    put(l, data, "prio", prio);
    put(l, data, "tclass", stored(s, id::QTCT, index, "tclass", prio));
    Ok(())
}

/// QPTS: trust state, 1 = PCP (default), 2 = DSCP; writable.
pub(crate) fn qpts_reg(c: &SimConfig, s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &qpts::LAYOUT;
    let p = port(c, l, req)?;
    if write {
        let t = get(l, req, "trust_state");
        if t != 1 && t != 2 {
            return Err(bad_param(syn::BAD_FIELD));
        }
        store(s, id::QPTS, p, "trust_state", t);
    }
    put(l, data, "local_port", p);
    put(l, data, "trust_state", stored(s, id::QPTS, p, "trust_state", 1));
    Ok(())
}

/// MLCR: the port LED beacon; a write sets its duration (seconds, 0 = off).
pub(crate) fn mlcr_reg(c: &SimConfig, s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &mlcr::LAYOUT;
    let p = port(c, l, req)?;
    if write {
        store(s, id::MLCR, p, "beacon_duration", get(l, req, "beacon_duration"));
    }
    let d = stored(s, id::MLCR, p, "beacon_duration", 0);
    put(l, data, "local_port", p);
    put(l, data, "beacon_duration", d);
    put(l, data, "beacon_remain", d);
    Ok(())
}

/// MRTC: the device clock, nanoseconds since power-on (one packet of simulated
/// traffic = 1 µs); not synchronised.
pub(crate) fn mrtc_reg(s: &State, data: &mut [u8]) -> CmdResult {
    let ns = s.traffic.saturating_mul(1000);
    put(&mrtc::LAYOUT, data, "time_h", ns >> 32);
    put(&mrtc::LAYOUT, data, "time_l", ns & 0xffff_ffff);
    Ok(())
}

/// MFRL: reset levels 0 and 3 and both reset types supported; a write selects
/// the reset type (`rst_type_sel`), which the read echoes. No reset happens.
pub(crate) fn mfrl_reg(s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &mfrl::LAYOUT;
    if write {
        let sel = get(l, req, "rst_type_sel");
        if sel > 1 {
            return Err(bad_param(syn::BAD_FIELD));
        }
        store(s, id::MFRL, 0, "rst_type_sel", sel);
    }
    put(l, data, "reset_level", 0b1001); // MLX5_MFRL_REG_RESET_LEVEL0 | LEVEL3
    put(l, data, "reset_type", 0b11); // FULL_CHIP | NET_PORT_ALIVE
    put(l, data, "rst_type_sel", stored(s, id::MFRL, 0, "rst_type_sel", 0));
    put(l, data, "reset_state", 0); // IDLE
    Ok(())
}

/// MCC: the update state machine, idle; the component index is echoed.
pub(crate) fn mcc_reg(req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &mcc::LAYOUT;
    put(l, data, "component_index", get(l, req, "component_index"));
    put(l, data, "control_state", 0);
    Ok(())
}

/// DTOR: the default timeouts, in milliseconds (`to_multiplier` 0), with the
/// kernel's own defaults (lib/tout.c).
pub(crate) fn dtor_reg(data: &mut [u8]) -> CmdResult {
    for (name, ms) in [
        ("pcie_toggle_to.to_value", 2000),
        ("health_poll_to.to_value", 2000),
        ("full_crdump_to.to_value", 60_000),
        ("fw_reset_to.to_value", 60_000),
        ("flush_on_err_to.to_value", 2000),
        ("pci_sync_update_to.to_value", 5000),
        ("tear_down_to.to_value", 3000),
        ("fsm_reactivate_to.to_value", 5000),
    ] {
        put(&dtor::LAYOUT, data, name, ms);
    }
    Ok(())
}

/// MCIA: 48 bytes at most of a module's EEPROM. Lower page 0 (device address
/// 0x50, offsets 0..127) and upper page 0 (128..255) hold a CMIS (ConnectX-7,
/// BlueField-3) or SFF-8636 (ConnectX-6 Dx) identity.
pub(crate) fn mcia_reg(c: &SimConfig, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &mcia::LAYOUT;
    let module = get(l, req, "module");
    let i2c = get(l, req, "i2c_device_address");
    let page = get(l, req, "page_number");
    let offset = get(l, req, "device_address") as usize;
    let size = get(l, req, "size") as usize;
    if module >= u64::from(c.num_ports) || size > 48 || offset + size > 256 || !(i2c == 0x50 || i2c == 0x51) {
        return Err(bad_param(syn::BAD_FIELD));
    }
    put(l, data, "module", module);
    put(l, data, "i2c_device_address", i2c);
    put(l, data, "page_number", page);
    put(l, data, "device_address", offset as u64);
    put(l, data, "size", size as u64);
    put(l, data, "status", 0); // GOOD
    if i2c == 0x50 && page == 0 {
        let eeprom = module_eeprom(c, module);
        let at = 16; // dword_0
        data[at..at + size].copy_from_slice(&eeprom[offset..offset + size]);
    }
    Ok(())
}

/// 256 bytes: lower page 0 and upper page 0 of the module in cage `module`.
pub(crate) fn module_eeprom(c: &SimConfig, module: u64) -> [u8; 256] {
    let mut e = [0u8; 256];
    let serial = format!("MT{}{:02}", &c.serial[c.serial.len().saturating_sub(8)..], module);
    let text = |e: &mut [u8; 256], at: usize, len: usize, s: &str| {
        let b = s.as_bytes();
        for i in 0..len {
            e[at + i] = b.get(i).copied().unwrap_or(b' ');
        }
    };
    match c.profile {
        crate::config::Profile::ConnectX6Dx => {
            // SFF-8636: 0x11 QSFP28; vendor name 148..164, OUI 165..168, PN 168..184,
            // rev 184..186, SN 196..212, date code 212..220.
            e[0] = 0x11;
            e[128] = 0x11;
            text(&mut e, 148, 16, "Mellanox");
            e[165..168].copy_from_slice(&[0x00, 0x02, 0xc9]);
            text(&mut e, 168, 16, "MCP1600-C001E30N");
            text(&mut e, 184, 2, "A3");
            text(&mut e, 196, 16, &serial);
            text(&mut e, 212, 8, "230115  ");
        }
        p => {
            // CMIS: identifier 0x19 OSFP (ConnectX-7) / 0x1e QSFP112 (BlueField-3);
            // vendor name 129..145, OUI 145..148, PN 148..164, rev 164..166, SN 166..182, date 182..190.
            let id = if p == crate::config::Profile::BlueField3 { 0x1e } else { 0x19 };
            e[0] = id;
            e[1] = 0x50; // CMIS 5.0
            e[128] = id;
            text(&mut e, 129, 16, "NVIDIA");
            e[145..148].copy_from_slice(&[0x48, 0xb0, 0x2d]);
            text(&mut e, 148, 16, "MCP4Y10-N001");
            text(&mut e, 164, 2, "A2");
            text(&mut e, 166, 16, &serial);
            text(&mut e, 182, 8, "240301  ");
        }
    }
    e
}

/// PPCNT groups other than IEEE 802.3: every `*_high`/`*_low` pair is one
/// 64-bit counter that grows with traffic (error-like counters stay 0); lone
/// 32-bit counters follow the low half.
pub(crate) fn ppcnt_group(c: &SimConfig, s: &mut State, req: &[u8], data: &mut [u8]) -> CmdResult {
    let p = port(c, &ppcnt::LAYOUT, req)?;
    let grp = ppcnt::GRP.get(req);
    let (_, layout) =
        ppcnt_groups::GROUPS.iter().find(|(g, _)| *g == grp).ok_or(bad_param(syn::BAD_FIELD))?;
    let prio = ppcnt::PRIO_TC.get(req);
    if matches!(grp, 0x10 | 0x11 | 0x13) && prio > 7 {
        return Err(bad_param(syn::BAD_FIELD));
    }
    ppcnt::LOCAL_PORT.set(data, p);
    ppcnt::GRP.set(data, grp);
    let cleared = s.port_cleared.get(&(p as u8)).copied();
    let body = &mut data[8..];
    for (i, f) in layout.fields.iter().enumerate() {
        let quiet = [
            "error",
            "discard",
            "drop",
            "collision",
            "fcs",
            "symbol",
            "unknown",
            "fragments",
            "jabber",
            "undersize",
            "oversize",
            "timeout",
            "lost",
            "pause",
            "stall",
        ]
        .iter()
        .any(|w| f.name.contains(w));
        let salt = 0x7000 + (grp << 12) + (prio << 8) + (p << 6) + i as u64;
        let v = if quiet { 0 } else { s.counter(salt, cleared, 1, 2 + i as u64) };
        if f.name.ends_with("_high") {
            f.set(body, v >> 32);
        } else if f.name.ends_with("_low") || f.width <= 32 {
            f.set(body, v & 0xffff_ffff);
        } else {
            f.set(body, v);
        }
    }
    if ppcnt::CLR.get(req) == 1 {
        s.port_cleared.insert(p as u8, s.traffic);
    }
    Ok(())
}

/// RESOURCE_DUMP: an inline dump of `segment_type`, delivered in chunks of the
/// 208-byte `inline_data`; `more_dump` is set until the last chunk and
/// `seq_num` counts the chunks. The segment contents are synthetic (the
/// segment formats are firmware-private).
pub(crate) fn resource_dump_reg(c: &SimConfig, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &resource_dump::LAYOUT;
    let seg = get(l, req, "segment_type");
    // Segment types the simulated firmware can dump (0xffff is the menu).
    const TYPES: [u64; 4] = [0xffff, 0x1000, 0x1001, 0x2000];
    if !TYPES.contains(&seg) || get(l, req, "vhca_id") != u64::from(c.vhca_id) {
        return Err(bad_param(syn::BAD_FIELD));
    }
    const CHUNKS: u64 = 4;
    let seq = get(l, req, "seq_num");
    if seq >= CHUNKS {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let inline = l.field("inline_data").map_or(0, |f| (f.width / 8) as usize);
    let start = l.field("inline_data").map_or(0, |f| (f.bit / 8) as usize);
    for (i, b) in data[start..start + inline].iter_mut().enumerate() {
        *b = (crate::config::mix(seg ^ (seq << 16), i as u64 / 8) >> ((i % 8) * 8)) as u8;
    }
    // Segment header: length in dwords and type, as the first dword.
    data[start..start + 2].copy_from_slice(&((inline / 4) as u16).to_be_bytes());
    data[start + 2..start + 4].copy_from_slice(&(seg as u16).to_be_bytes());
    put(l, data, "segment_type", seg);
    put(l, data, "vhca_id", u64::from(c.vhca_id));
    put(l, data, "seq_num", seq);
    put(l, data, "inline_dump", 1);
    put(l, data, "more_dump", u64::from(seq + 1 < CHUNKS));
    put(l, data, "size", inline as u64);
    Ok(())
}

/// MNVDA: one NV-configuration TLV by `nv_hdr.type`. A write (TOOLS_RESOURCES,
/// checked by the caller) stores `nv_hdr.length` bytes of `data` (at most 256);
/// a read returns what was stored, or an empty TLV (length 0, the firmware
/// default) for a type never written; `nv_hdr.default` asks for the default.
/// Semantics inferred; the layout is the PRM's (mstflint).
pub(crate) fn mnvda_reg(s: &mut State, write: bool, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &nv::MNVDA;
    let tlv_type = get(l, req, "nv_hdr.type") as u32;
    let at = 12;
    if write {
        let len = get(l, req, "nv_hdr.length") as usize;
        if len > 256 {
            return Err(bad_param(syn::BAD_FIELD));
        }
        s.nv_config.insert(tlv_type, req[at..at + len].to_vec());
    }
    let stored = if get(l, req, "nv_hdr.default") == 1 { None } else { s.nv_config.get(&tlv_type) };
    let tlv: &[u8] = stored.map_or(&[], |v| v.as_slice());
    put(l, data, "nv_hdr.type", u64::from(tlv_type));
    put(l, data, "nv_hdr.length", tlv.len() as u64);
    put(l, data, "nv_hdr.rd_en", 1);
    put(l, data, "nv_hdr.over_en", 1);
    data[at..at + tlv.len()].copy_from_slice(tlv);
    Ok(())
}

/// MNVQC: every TLV type can be read and written, version 0.
pub(crate) fn mnvqc_reg(req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &nv::MNVQC;
    put(l, data, "type", get(l, req, "type"));
    put(l, data, "support_rd", 1);
    put(l, data, "support_wr", 1);
    Ok(())
}

/// MNVGN: the stored TLV at `nv_pointer` (in type order; the first 128 bytes),
/// with `nv_pointer` advanced to the next one, 0 after the last. An empty
/// store answers an empty TLV at pointer 0; a pointer past the end is BAD_PARAM.
pub(crate) fn mnvgn_reg(s: &State, req: &[u8], data: &mut [u8]) -> CmdResult {
    let l = &nv::MNVGN;
    let ptr = get(l, req, "nv_pointer") as usize;
    if ptr == 0 && s.nv_config.is_empty() {
        return Ok(());
    }
    let (tlv_type, tlv) = s.nv_config.iter().nth(ptr).ok_or(bad_param(syn::BAD_FIELD))?;
    let n = tlv.len().min(128);
    let next = if ptr + 1 < s.nv_config.len() { ptr as u64 + 1 } else { 0 };
    put(l, data, "nv_pointer", next);
    put(l, data, "nv_hdr.type", u64::from(*tlv_type));
    put(l, data, "nv_hdr.length", n as u64);
    data[28..28 + n].copy_from_slice(&tlv[..n]);
    Ok(())
}
