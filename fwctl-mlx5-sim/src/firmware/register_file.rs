//! The register file behind ACCESS_REG / ACCESS_REGISTER_USER.

use super::more_registers as more;
use super::state::State;
use super::status::{Caller, CmdResult, Status, bad_param, short_input, short_output, syndrome as syn};
use crate::config::{Profile, SimConfig};
use crate::prm::FieldDef;
use crate::prm::commands::access_reg as ar;
use crate::prm::registers::{
    self as regs, REGISTERS, id, mcam, mcqi, mcqs, mtcap, mtmp, node_desc, paos, pcam, pmtu, ppcnt, ptys,
    qcam,
};

/// Run one register access. The response carries the register data (after the
/// write, for writes).
pub(crate) fn access(
    c: &SimConfig,
    s: &mut State,
    caller: Caller,
    op_mod: u16,
    input: &[u8],
    out: &mut [u8],
) -> CmdResult {
    let write = match op_mod {
        ar::OP_MOD_WRITE => true,
        ar::OP_MOD_READ => false,
        _ => return Err(bad_param(syn::BAD_OP_MOD)),
    };
    let reg_id = ar::REGISTER_ID.get(input) as u16;
    let reg = regs::by_id(reg_id).ok_or(bad_param(syn::UNKNOWN_REGISTER))?;
    let end = ar::DATA_BYTE + reg.size();
    if input.len() < end {
        return Err(short_input());
    }
    if out.len() < end {
        return Err(short_output());
    }
    let req = &input[ar::DATA_BYTE..end];
    if write {
        if !reg.writable {
            return Err(bad_param(syn::READ_ONLY_REGISTER));
        }
        caller.need_tools()?;
    }
    let data = &mut out[ar::DATA_BYTE..end];
    let a = Access { c, write, req, data };
    match reg_id {
        id::PAOS => paos_reg(s, a),
        id::NODE_DESC => node_desc_reg(s, a),
        id::PMTU => pmtu_reg(s, a),
        id::PTYS => ptys_reg(s, a),
        id::PPCNT => ppcnt_reg(s, a),
        id::PCAM => capability_mask(
            a,
            pcam::FEATURE_GROUP,
            pcam::ACCESS_REG_GROUP,
            pcam::PORT_ACCESS_REG_CAP_MASK,
            pcam::GROUP0_BASE,
        ),
        id::MCAM => capability_mask(
            a,
            mcam::FEATURE_GROUP,
            mcam::ACCESS_REG_GROUP,
            mcam::MNG_ACCESS_REG_CAP_MASK,
            mcam::GROUP0_BASE,
        ),
        id::MTCAP => {
            mtcap::SENSOR_COUNT.set(a.data, 1);
            mtcap::SENSOR_MAP.set(a.data, 1);
            Ok(())
        }
        id::MTMP => mtmp_reg(s, a),
        id::MCQS => mcqs_reg(a),
        id::MCQI => mcqi_read(a.c, a.req, a.data),
        id::QCAM => {
            let q = &qcam::LAYOUT;
            let f = |n: &str| q.field(n).copied().ok_or(bad_param(syn::UNKNOWN_REGISTER));
            capability_mask(
                a,
                f("feature_group")?,
                f("access_reg_group")?,
                f("qos_access_reg_cap_mask")?,
                qcam::GROUP0_BASE,
            )
        }
        id::MGIR => more::mgir_reg(a.c, s, a.data),
        id::PCAP => more::pcap_reg(a.c, a.req, a.data),
        id::PMLP => more::pmlp_reg(a.c, a.req, a.data),
        id::PMAOS => more::pmaos_reg(a.c, s, a.write, a.req, a.data),
        id::PFCC => more::pfcc_reg(a.c, s, a.write, a.req, a.data),
        id::PPLM => more::pplm_reg(a.c, s, a.write, a.req, a.data),
        id::PDDR => more::pddr_reg(a.c, s, a.req, a.data),
        id::PBMC => more::pbmc_reg(a.c, s, a.write, a.req, a.data),
        id::PPTB => more::pptb_reg(a.c, s, a.write, a.req, a.data),
        id::QTCT => more::qtct_reg(a.c, s, a.write, a.req, a.data),
        id::QPTS => more::qpts_reg(a.c, s, a.write, a.req, a.data),
        id::MLCR => more::mlcr_reg(a.c, s, a.write, a.req, a.data),
        id::MRTC => more::mrtc_reg(s, a.data),
        id::MCIA => more::mcia_reg(a.c, a.req, a.data),
        id::MFRL => more::mfrl_reg(s, a.write, a.req, a.data),
        id::MCC => more::mcc_reg(a.req, a.data),
        id::DTOR => more::dtor_reg(a.data),
        id::RESOURCE_DUMP => more::resource_dump_reg(a.c, a.req, a.data),
        id::MNVDA => more::mnvda_reg(s, a.write, a.req, a.data),
        id::MNVQC => more::mnvqc_reg(a.req, a.data),
        id::MNVGN => more::mnvgn_reg(s, a.req, a.data),
        _ => Err(bad_param(syn::UNKNOWN_REGISTER)),
    }
}

/// One register access after the common checks: the request's register data
/// and the response's, which the handler fills.
struct Access<'a> {
    c: &'a SimConfig,
    write: bool,
    req: &'a [u8],
    data: &'a mut [u8],
}

fn paos_reg(s: &mut State, a: Access<'_>) -> CmdResult {
    let port = local_port(a.c, paos::LOCAL_PORT.get(a.req))?;
    if a.write && paos::ASE.get(a.req) == 1 {
        let admin = paos::ADMIN_STATUS.get(a.req);
        if admin != paos::UP && admin != paos::DOWN {
            return Err(bad_param(syn::BAD_FIELD));
        }
        s.port_admin[usize::from(port - 1)] = admin as u8;
    }
    let admin = u64::from(s.port_admin[usize::from(port - 1)]);
    paos::LOCAL_PORT.set(a.data, u64::from(port));
    paos::ADMIN_STATUS.set(a.data, admin);
    // The link follows the administrative state.
    paos::OPER_STATUS.set(a.data, admin);
    Ok(())
}

fn node_desc_reg(s: &mut State, a: Access<'_>) -> CmdResult {
    let n = node_desc::LAYOUT.bytes;
    if a.write {
        s.node_desc.copy_from_slice(&a.req[..n]);
    }
    a.data[..n].copy_from_slice(&s.node_desc);
    Ok(())
}

/// The largest MTU a port takes (PMTU `max_mtu`).
const MAX_MTU: u64 = 9978;

/// PMTU: `admin_mtu` is writable (mlx5_set_port_mtu writes it), up to
/// `max_mtu`; the operational MTU follows it.
fn pmtu_reg(s: &mut State, a: Access<'_>) -> CmdResult {
    let port = local_port(a.c, pmtu::LOCAL_PORT.get(a.req))?;
    let key = (id::PMTU, u64::from(port));
    if a.write {
        let admin = pmtu::ADMIN_MTU.get(a.req);
        if admin == 0 || admin > MAX_MTU {
            return Err(bad_param(syn::BAD_FIELD));
        }
        s.reg_writes.entry(key).or_default().insert(pmtu::ADMIN_MTU.name, admin);
    }
    let admin = s.reg_writes.get(&key).and_then(|m| m.get(pmtu::ADMIN_MTU.name)).copied();
    let mtu = admin.unwrap_or(u64::from(a.c.mtu));
    pmtu::LOCAL_PORT.set(a.data, u64::from(port));
    pmtu::MAX_MTU.set(a.data, MAX_MTU);
    pmtu::ADMIN_MTU.set(a.data, mtu);
    pmtu::OPER_MTU.set(a.data, mtu);
    Ok(())
}

/// The port's Ethernet link modes: (extended capability, extended mode in
/// use when up, legacy capability, legacy mode in use when up).
/// Extended modes (`enum mlx5e_ext_link_mode`, include/linux/mlx5/port.h):
/// 1 1000BASE-X, 4 10G, 5 40G, 6 25G, 7/8 50G, 9/10/11 100G, 12/13 200G, 15/16 400G.
/// Legacy modes (`enum mlx5e_link_modes`): 20 100GBASE_CR4, 27 25GBASE_CR.
pub(crate) fn link_modes(profile: Profile) -> (u64, u64, u64, u64) {
    match profile {
        Profile::ConnectX6Dx => (0b111_1111_0010, 1 << 9, (1 << 20) | (1 << 27), 1 << 20),
        Profile::ConnectX7 => (0b1_1011_1111_1100_0000, 1 << 16, 0, 0),
        Profile::BlueField3 => (0b11_1111_1100_0000, 1 << 12, 0, 0),
    }
}

/// The extended Ethernet link modes enabled on `port` (PTYS `ext_eth_proto_admin`).
pub(crate) fn ext_admin(s: &State, profile: Profile, port: u8) -> u64 {
    let written =
        s.reg_writes.get(&(id::PTYS, u64::from(port))).and_then(|m| m.get(ptys::EXT_ETH_PROTO_ADMIN.name));
    written.copied().unwrap_or(link_modes(profile).0)
}

/// The extended link mode in use on an up port: the profile's usual one when
/// enabled, else the fastest enabled (the highest bit).
pub(crate) fn ext_oper(s: &State, profile: Profile, port: u8) -> u64 {
    let admin = ext_admin(s, profile, port);
    let usual = link_modes(profile).1;
    if admin & usual != 0 { usual } else { (1u64 << (63 - admin.leading_zeros().min(63))) & admin }
}

/// PTYS: the Ethernet capability, admin and oper masks. A write sets
/// `ext_eth_proto_admin` (mlx5_port_set_eth_ptys does), a non-empty subset of
/// the capability; the operational mode follows it.
fn ptys_reg(s: &mut State, a: Access<'_>) -> CmdResult {
    let port = local_port(a.c, ptys::LOCAL_PORT.get(a.req))?;
    const ETH: u64 = 0x4;
    if ptys::PROTO_MASK.get(a.req) & ETH == 0 {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let (ext_cap, _, legacy_cap, legacy_oper) = link_modes(a.c.profile);
    if a.write {
        let admin = ptys::EXT_ETH_PROTO_ADMIN.get(a.req);
        if admin == 0 || admin & !ext_cap != 0 {
            return Err(bad_param(syn::BAD_FIELD));
        }
        s.reg_writes
            .entry((id::PTYS, u64::from(port)))
            .or_default()
            .insert(ptys::EXT_ETH_PROTO_ADMIN.name, admin);
    }
    ptys::LOCAL_PORT.set(a.data, u64::from(port));
    ptys::PROTO_MASK.set(a.data, ETH);
    ptys::EXT_ETH_PROTO_CAPABILITY.set(a.data, ext_cap);
    ptys::EXT_ETH_PROTO_ADMIN.set(a.data, ext_admin(s, a.c.profile, port));
    ptys::ETH_PROTO_CAPABILITY.set(a.data, legacy_cap);
    ptys::ETH_PROTO_ADMIN.set(a.data, legacy_cap);
    let up = u64::from(s.port_admin[usize::from(port - 1)]) == paos::UP;
    ptys::EXT_ETH_PROTO_OPER.set(a.data, if up { ext_oper(s, a.c.profile, port) } else { 0 });
    ptys::ETH_PROTO_OPER.set(a.data, if up { legacy_oper } else { 0 });
    ptys::CONNECTOR_TYPE.set(a.data, 7);
    Ok(())
}

fn ppcnt_reg(s: &mut State, a: Access<'_>) -> CmdResult {
    let port = local_port(a.c, ppcnt::LOCAL_PORT.get(a.req))?;
    if ppcnt::GRP.get(a.req) != ppcnt::GRP_IEEE_802_3 {
        return more::ppcnt_group(a.c, s, a.req, a.data);
    }
    let cleared = s.port_cleared.get(&port).copied();
    ppcnt::LOCAL_PORT.set(a.data, u64::from(port));
    // (packets per packet of traffic num/den) and, for octet counters, bytes.
    const RATES: [(u64, u64); 10] =
        [(9, 10), (1, 1), (1, 100_000), (0, 1), (810, 1), (800, 1), (1, 80), (1, 200), (1, 50), (1, 100)];
    for (i, (num, den)) in RATES.iter().enumerate() {
        let salt = 0x4000 + u64::from(port) * 16 + i as u64;
        let v = if *num == 0 { 0 } else { s.counter(salt, cleared, *num, *den * u64::from(port)) };
        ppcnt::COUNTERS[i].set(a.data, v);
    }
    if ppcnt::CLR.get(a.req) == 1 {
        s.port_cleared.insert(port, s.traffic);
    }
    Ok(())
}

/// PCAM / MCAM: the implemented registers of group 0 as a bit mask.
fn capability_mask(a: Access<'_>, fg: FieldDef, rg: FieldDef, mask: FieldDef, base: u16) -> CmdResult {
    // Register groups: group n covers base + 0x80·n .. base + 0x80·(n+1).
    let group = rg.get(a.req);
    if fg.get(a.req) != 0 || group > 3 {
        return Err(bad_param(syn::BAD_FIELD));
    }
    fg.set(a.data, 0);
    rg.set(a.data, group);
    mask.set_text(a.data, &register_mask(base + 0x80 * group as u16).to_be_bytes());
    Ok(())
}

fn mtmp_reg(s: &mut State, a: Access<'_>) -> CmdResult {
    if mtmp::SENSOR_INDEX.get(a.req) != 0 {
        return Err(bad_param(syn::BAD_FIELD));
    }
    // 0.125 °C units; drifts up to 2 °C with traffic, deterministically.
    let t = (i32::from(a.c.temperature_c) * 8 + ((s.traffic / 1000) % 16) as i32) as u16;
    if mtmp::MTR.get(a.req) == 1 {
        s.max_temp = t;
    }
    s.max_temp = s.max_temp.max(t);
    mtmp::TEMPERATURE.set(a.data, u64::from(t));
    mtmp::MAX_TEMPERATURE.set(a.data, u64::from(s.max_temp));
    mtmp::TEMP_THRESHOLD_HI.set(a.data, 105 * 8);
    mtmp::TEMP_THRESHOLD_LO.set(a.data, 95 * 8);
    mtmp::SENSOR_NAME_HI.set(a.data, u64::from(u32::from_be_bytes(*b"ASIC")));
    Ok(())
}

fn mcqs_reg(a: Access<'_>) -> CmdResult {
    let idx = mcqs::COMPONENT_INDEX.get(a.req) as usize;
    let (ident, status) = *COMPONENTS.get(idx).ok_or(bad_param(syn::BAD_FIELD))?;
    mcqs::COMPONENT_INDEX.set(a.data, idx as u64);
    mcqs::LAST_INDEX_FLAG.set(a.data, u64::from(idx + 1 == COMPONENTS.len()));
    mcqs::IDENTIFIER.set(a.data, ident);
    mcqs::COMPONENT_STATUS.set(a.data, status);
    Ok(())
}

/// Firmware components: (identifier, status): boot image in use, NV config
/// present, CS token absent.
const COMPONENTS: [(u64, u64); 3] = [(0x1, 2), (0x5, 1), (0x6, 0)];

fn local_port(c: &SimConfig, p: u64) -> Result<u8, Status> {
    match u8::try_from(p) {
        Ok(p) if (1..=c.num_ports).contains(&p) => Ok(p),
        _ => Err(bad_param(syn::BAD_FIELD)),
    }
}

/// The capability mask of register group `base..base+0x80`: bit n (from the
/// least significant end) set when register `base + n` is implemented.
pub(crate) fn register_mask(base: u16) -> u128 {
    REGISTERS
        .iter()
        .filter(|r| r.id >= base && r.id < base + 0x80)
        .fold(0u128, |m, r| m | (1u128 << (r.id - base)))
}

fn mcqi_read(c: &SimConfig, req: &[u8], data: &mut [u8]) -> CmdResult {
    let idx = mcqi::COMPONENT_INDEX.get(req) as usize;
    if idx >= COMPONENTS.len() {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let info_type = mcqi::INFO_TYPE.get(req);
    let mut info = match info_type {
        mcqi::INFO_TYPE_VERSION => vec![0u8; mcqi::VERSION.bytes],
        mcqi::INFO_TYPE_CAPABILITIES => vec![0u8; mcqi::CAP.bytes],
        _ => return Err(bad_param(syn::BAD_FIELD)),
    };
    if info_type == mcqi::INFO_TYPE_VERSION {
        let f = mcqi::VERSION.fields;
        let text = c.fw_version.to_string();
        f[2].set(&mut info, text.len() as u64); // version_string_length
        f[3].set(&mut info, u64::from(c.fw_version.encoded())); // version
        f[7].set_text(&mut info, text.as_bytes()); // version_string
    } else {
        let f = mcqi::CAP.fields;
        f[0].set(&mut info, 0b11); // supported_info_bitmask: CAPABILITIES | VERSION
        f[1].set(&mut info, 0x0200_0000); // component_size
        f[2].set(&mut info, 0x0400_0000); // max_component_size
        f[5].set(&mut info, 1); // rd_en
    }
    let offset = mcqi::OFFSET.get(req) as usize;
    if offset > info.len() {
        return Err(bad_param(syn::BAD_FIELD));
    }
    let room = data.len() - mcqi::DATA_BYTE;
    let want = match mcqi::DATA_SIZE.get(req) as usize {
        0 => info.len(),
        n => n,
    };
    let n = want.min(info.len() - offset).min(room);
    mcqi::COMPONENT_INDEX.set(data, idx as u64);
    mcqi::INFO_TYPE.set(data, info_type);
    mcqi::INFO_SIZE.set(data, info.len() as u64);
    mcqi::OFFSET.set(data, offset as u64);
    mcqi::DATA_SIZE.set(data, n as u64);
    data[mcqi::DATA_BYTE..mcqi::DATA_BYTE + n].copy_from_slice(&info[offset..offset + n]);
    Ok(())
}
