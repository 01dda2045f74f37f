//! Golden byte-level tests: requests built byte by byte, responses read at the
//! offsets of mlx5.md §6–§7 (and mlx5_ifc.h where the reference has none).

use crate::common;

use common::*;
use fwctl_mlx5_sim::SimConfig;

#[test]
fn query_adapter_reports_vendor_ids_and_psid() {
    let rig = Rig::default();
    let h = rig.open();
    let out = rig.rpc(&h, CONF, &[0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 272).unwrap();
    assert_eq!(status(&out), (0, 0));
    // Parameter block at byte 16: ieee_vendor_id bit 0xc8 (24) = block bytes 25..28.
    assert_eq!(&out[16 + 25..16 + 28], &[0x00, 0x02, 0xc9]);
    // vsd_vendor_id bit 0xf0 (16) = block bytes 30..32.
    assert_eq!(&out[16 + 30..16 + 32], &[0x15, 0xb3]);
    // vsd_contd_psid: 16 bytes at block byte 240 = response bytes 256..272.
    assert_eq!(&out[256..272], b"MT_0000000838\0\0\0");
}

#[test]
fn query_hca_cap_general_cur_fills_the_referenced_fields() {
    let rig = Rig::default();
    let h = rig.open();
    let out = rig.rpc(&h, CONF, &req(0x0100, 0x0001, 16), 4112).unwrap();
    assert_eq!(status(&out), (0, 0));
    let cap = &out[16..];
    assert_eq!(cap[4] & 0x80, 0x80, "hca_cap_2 (bit 0x20)");
    assert_eq!(be16(cap, 6), 0, "vhca_id");
    assert_eq!(cap[48] & 0x10, 0x10, "debug (bit 0x183)");
    assert_eq!(cap[56] & 0x1f, 30, "log_max_msg (bit 0x1c3, 5)");
    assert_eq!(be16(cap, 80), 8, "num_of_diagnostic_counters");
    assert_eq!(be32(cap, 156), 156_250, "device_frequency_khz");
    assert_eq!(be32(cap, 212), 0x7, "uctx_cap");
    // max (op_mod bit 0 = 0) answers the same page for this device.
    let max = rig.rpc(&h, CONF, &req(0x0100, 0x0000, 16), 4112).unwrap();
    assert_eq!(be32(&max[16..], 212), 0x7);
}

#[test]
fn query_hca_cap_debug_roce_eth_general2_pages() {
    let rig = Rig::default();
    let h = rig.open();
    let dbg = rig.rpc(&h, CONF, &req(0x0100, (0x0d << 1) | 1, 16), 4112).unwrap();
    let cap = &dbg[16..];
    assert_eq!(cap[0] & 0x80, 0x80, "core_dump_general");
    assert_eq!(cap[3], 10, "log_max_samples bit 0x18");
    assert_eq!(cap[4] & 0xc0, 0xc0, "single, repetitive");
    assert_eq!(cap[7], 8, "log_min_sample_period bit 0x38");
    let ids: Vec<u16> = (0..8).map(|i| be16(cap, 64 + 4 * i + 2)).collect();
    assert_eq!(ids, SimConfig::default().diagnostic_counters);
    // roce_cap offsets from mlx5_ifc.h struct mlx5_ifc_roce_cap_bits.
    let roce = rig.rpc(&h, CONF, &req(0x0100, (0x04 << 1) | 1, 16), 4112).unwrap();
    let rc = &roce[16..];
    assert_eq!(rc[0] & 0x80, 0x80, "roce_apm (bit 0x0)");
    assert_eq!(rc[0x8c / 8] & 0x0f, 0b11, "l3_type (bit 0x8c, 4)");
    assert_eq!(rc[0x98 / 8], 0b110, "roce_version (bit 0x98, 8)");
    assert_eq!(be16(rc, 0xb0 / 8), 4791, "r_roce_dest_udp_port");
    assert_eq!((be16(rc, 0xc0 / 8), be16(rc, 0xd0 / 8)), (0xffff, 0xc000), "r_roce max/min src port");
    assert_eq!(be16(rc, 0xf0 / 8), 255, "roce_address_table_size (bit 0xf0)");
    // per_protocol_networking_offload_caps offsets from mlx5_ifc.h.
    let eth = rig.rpc(&h, CONF, &req(0x0100, (0x01 << 1) | 1, 16), 4112).unwrap();
    let ec = &eth[16..];
    assert_eq!(ec[0] & 0xe0, 0xe0, "csum_cap, vlan_cap, lro_cap (bits 0..2)");
    assert_eq!(ec[1] & 0x1f, 18, "max_lso_cap (bit 0xb, 5): low 5 bits of byte 1");
    assert_eq!(ec[2] & 0x0f, 11, "rss_ind_tbl_cap (bit 0x14, 4): low nibble of byte 2");
    let g2 = rig.rpc(&h, CONF, &req(0x0100, (0x20 << 1) | 1, 16), 4112).unwrap();
    assert_eq!(status(&g2), (0, 0));
    // A cap type the device does not implement (NVMF 0xe): BAD_PARAM.
    let nvmf = rig.rpc(&h, CONF, &req(0x0100, (0x0e << 1) | 1, 16), 4112).unwrap();
    assert_eq!(nvmf[0], 0x03);
}

#[test]
fn query_issi_pages_special_contexts() {
    let rig = Rig::default();
    let h = rig.open();
    let issi = rig.rpc(&h, DRO, &req(0x010a, 0, 16), 112).unwrap();
    assert_eq!((be16(&issi, 10), be32(&issi, 108)), (1, 0b11));
    let mut q = req(0x0107, 2, 16);
    q[10..12].copy_from_slice(&0u16.to_be_bytes());
    let pages = rig.rpc(&h, DRO, &q, 16).unwrap();
    assert_eq!(be32(&pages, 12), 0x1000, "num_pages at bit 0x60 (init pages, PF)");
    let bad = rig.rpc(&h, DRO, &req(0x0107, 9, 16), 16).unwrap();
    assert_eq!(bad[0], 0x03, "bad op_mod");
    let sc = rig.rpc(&h, DRO, &req(0x0203, 0, 16), 32).unwrap();
    assert_eq!(be32(&sc, 12), 0x100, "resd_lkey at bit 0x60");
    assert_eq!(be32(&sc, 16), 0x200, "null_mkey at bit 0x80");
}

#[test]
fn query_vport_state_and_nic_vport_context() {
    let rig = Rig::default();
    let h = rig.open();
    let st = rig.rpc(&h, DRO, &req(0x0750, 0, 16), 16).unwrap();
    assert_eq!(st[15], 0x11, "admin_state 0x78(4) = up, state 0x7c(4) = up");
    // other_vport=1 (byte 8 bit 7), vport_number 2 (bytes 10..12): a VF follows.
    let mut q = req(0x0750, 0, 16);
    q[8] = 0x80;
    q[10..12].copy_from_slice(&2u16.to_be_bytes());
    let vf = rig.rpc(&h, DRO, &q, 16).unwrap();
    assert_eq!(vf[15], 0x21);
    q[10..12].copy_from_slice(&9u16.to_be_bytes());
    assert_eq!(rig.rpc(&h, DRO, &q, 16).unwrap()[0], 0x03, "no such vport");
    let ctx = rig.rpc(&h, DRO, &req(0x0754, 0, 16), 272).unwrap();
    assert_eq!(be16(&ctx, 16 + 0x130 / 8), 1500, "mtu");
    assert_eq!(&ctx[16 + 0x7b0 / 8..16 + 0x7e0 / 8], &[0x0c, 0x42, 0xa1, 0x00, 0x00, 0x10], "permanent MAC");
}

#[test]
fn vport_and_q_counters_advance_with_traffic_and_clear() {
    let rig = Rig::default();
    let h = rig.open();
    let q = req(0x0770, 0, 32);
    let a = rig.rpc(&h, DRO, &q, 528).unwrap();
    let unicast = |b: &[u8]| be64(b, (0x80 + 0x80 * 8) / 8);
    rig.dev.firmware().simulate_traffic(10_000);
    let b = rig.rpc(&h, DRO, &q, 528).unwrap();
    assert!(unicast(&b) >= unicast(&a) + 10_000, "{} -> {}", unicast(&a), unicast(&b));
    assert_eq!(be64(&b, (0xc0 + 0x80 * 8) / 8), unicast(&b) * 800, "octets follow packets");
    // clear (bit 0xc0) resets; the next read counts from the clear.
    let mut c = q.clone();
    c[24] = 0x80;
    rig.rpc(&h, DRO, &c, 528).unwrap();
    let d = rig.rpc(&h, DRO, &q, 528).unwrap();
    assert!(unicast(&d) < unicast(&b));
    // Q counter set 0 belongs to the kernel; the tools uid may read it.
    let mut qc = req(0x0773, 0, 32);
    qc[31] = 0;
    let out = rig.rpc(&h, DRO, &qc, 256).unwrap();
    assert_eq!(status(&out), (0, 0));
    // Same config, same command sequence: same bytes.
    let rig2 = Rig::default();
    let h2 = rig2.open();
    let a2 = rig2.rpc(&h2, DRO, &q, 528).unwrap();
    assert_eq!(a, a2);
}

#[test]
fn nop_and_query_uctx() {
    let rig = Rig::default();
    let h = rig.open();
    assert_eq!(rig.rpc(&h, DRO, &req(0x080d, 0, 16), 16).unwrap(), vec![0u8; 16]);
    let mut info = [0u8; 8];
    h.info(&rig.me, &mut info).unwrap();
    let uid = u32::from_ne_bytes(info[0..4].try_into().unwrap()) as u16;
    let mut q = req(0x0a05, 0, 16);
    q[10..12].copy_from_slice(&uid.to_be_bytes());
    let out = rig.rpc(&h, DRO, &q, 64).unwrap();
    assert_eq!((status(&out), be32(&out, 16)), ((0, 0), 0x4));
}

#[test]
fn diagnostic_params_set_is_reflected_by_query_and_counters() {
    let rig = Rig::default();
    let h = rig.open();
    let p = rig.rpc(&h, DRO, &req(0x0819, 0, 16), 32 + 4 * 8).unwrap();
    assert_eq!((be16(&p, 8), p[12] & 0x04), (0, 0), "nothing sampled at power-on");
    assert_eq!(rig.rpc(&h, DRO, &req(0x0821, 0, 16), 16).unwrap()[0], 0x09, "sampling off: BAD_RES_STATE");
    // SET: context at byte 8; 2 counters, 2^2 samples, repetitive + enable, period 2^8.
    let mut s = req(0x0820, 0, 32 + 8);
    s[8..10].copy_from_slice(&2u16.to_be_bytes());
    s[11] = 2;
    s[12] = 0x40 | 0x04;
    s[15] = 8;
    s[8 + 24 + 2..8 + 24 + 4].copy_from_slice(&0x0401u16.to_be_bytes());
    s[8 + 28 + 2..8 + 28 + 4].copy_from_slice(&0x1002u16.to_be_bytes());
    assert_eq!(rig.rpc(&h, DW, &s, 16).unwrap(), vec![0u8; 16]);
    let p = rig.rpc(&h, DRO, &req(0x0819, 0, 16), 40).unwrap();
    assert_eq!((be16(&p, 8), p[11], p[12], p[15]), (2, 2, 0x44, 8));
    assert_eq!((be16(&p, 34), be16(&p, 38)), (0x0401, 0x1002));
    let mut q = req(0x0821, 0, 16);
    q[8..10].copy_from_slice(&2u16.to_be_bytes());
    q[10..12].copy_from_slice(&1u16.to_be_bytes());
    let c = rig.rpc(&h, DRO, &q, 16 + 16 * 4).unwrap();
    assert_eq!(status(&c), (0, 0));
    let entry = |i: usize| (be16(&c, 16 + 16 * i), be16(&c, 18 + 16 * i));
    assert_eq!(
        [entry(0), entry(1), entry(2), entry(3)],
        [(0x0401, 1), (0x1002, 1), (0x0401, 2), (0x1002, 2)]
    );
    assert_eq!(rig.rpc(&h, DRO, &q, 16 + 16 * 3).unwrap()[0], 0x51, "output too short");
    // An unsupported counter id is a bad parameter.
    let mut bad = s.clone();
    bad[8 + 24 + 2..8 + 24 + 4].copy_from_slice(&0x7777u16.to_be_bytes());
    assert_eq!(rig.rpc(&h, DW, &bad, 16).unwrap()[0], 0x03);
    // Disable with clear: the query is empty again.
    let mut off = req(0x0820, 0, 32);
    off[12] = 0x10;
    rig.rpc(&h, DW, &off, 16).unwrap();
    assert_eq!(be16(&rig.rpc(&h, DRO, &req(0x0819, 0, 16), 32).unwrap(), 8), 0);
}

// Offsets below transcribed from mlx5_ifc.h: query_cong_status_in/out,
// query_cong_params_in/out, cong_control_r_roce_ecn_rp / _np,
// query_cong_statistics_in/out. cong_protocol 1 = RP, 2 = NP
// (enum mlx5_ib_cong_node_type in drivers/infiniband/hw/mlx5/cong.c).
#[test]
fn congestion_queries() {
    let rig = Rig::default();
    let h = rig.open();
    let mut s = req(0x0822, 0, 16);
    s[11] = (3 << 4) | 1; // priority 0x58(4) = 3, cong_protocol 0x5c(4) = 1
    let st = rig.rpc(&h, DRO, &s, 16).unwrap();
    assert_eq!(st[12] & 0x80, 0x80, "enable (bit 0x60)");
    let mut p = req(0x0824, 0, 16);
    p[11] = 1; // cong_protocol 0x5c(4): reaction point
    let rp = rig.rpc(&h, DRO, &p, 272).unwrap();
    assert_eq!(status(&rp), (0, 0));
    // congestion_parameters at byte 16 (bit 0x80 of query_cong_params_out).
    let par = &rp[16..];
    assert_eq!(be32(par, 0xa0 / 8), 300, "rpg_time_reset (bit 0xa0)");
    assert_eq!(be32(par, 0xc0 / 8), 32767, "rpg_byte_reset (bit 0xc0)");
    assert_eq!(be32(par, 0x120 / 8), 5, "rpg_ai_rate (bit 0x120)");
    assert_eq!(be32(par, 0x160 / 8), 11, "rpg_gd (bit 0x160)");
    assert_eq!(be32(par, 0x2c0 / 8), 1019, "dce_tcp_g (bit 0x2c0)");
    assert_eq!(be32(par, 0x340 / 8), 1023, "initial_alpha_value (bit 0x340)");
    // clamp_tgt_rate_after_time_inc is bit 0x68: byte 13, mask 0x80.
    assert_eq!(par[13] & 0x80, 0x80, "clamp_tgt_rate_after_time_inc (bit 0x68)");
    p[11] = 2; // notification point
    let np = rig.rpc(&h, DRO, &p, 272).unwrap();
    let par = &np[16..];
    assert_eq!(be32(par, 0xa0 / 8), 4, "min_time_between_cnps (bit 0xa0)");
    // cnp_dscp is bit 0xd2 (6): the low 6 bits of byte 26.
    assert_eq!(par[26] & 0x3f, 48, "cnp_dscp (bit 0xd2)");
    // cnp_prio_mode bit 0xdc (1) and cnp_802p_prio 0xdd (3): byte 27, bits 3 and 2..0.
    assert_eq!((par[27] >> 3 & 1, par[27] & 0x7), (0, 6), "cnp_prio_mode, cnp_802p_prio");
    p[11] = 7;
    assert_eq!(rig.rpc(&h, DRO, &p, 272).unwrap()[0], 0x03);
    let stats = rig.rpc(&h, DRO, &req(0x0826, 0, 16), 272).unwrap();
    assert_eq!((status(&stats), be32(&stats, 0x80 / 8)), ((0, 0), 4), "rp_cur_flows (bit 0x80)");
    assert_eq!(be32(&stats, 0xa0 / 8), 16, "sum_flows (bit 0xa0)");
    assert_eq!(be32(&stats, 0x280 / 8), 1000, "accumulators_period (bit 0x280)");
    // 64-bit counters are _high/_low dword pairs: rp_cnp_handled at 0x100/0x120,
    // time_stamp at 0x240/0x260; both move with traffic.
    let hi_lo = |b: &[u8], hi: usize| (u64::from(be32(b, hi / 8)) << 32) | u64::from(be32(b, hi / 8 + 4));
    rig.dev.firmware().simulate_traffic(1_000_000);
    let later = rig.rpc(&h, DRO, &req(0x0826, 0, 16), 272).unwrap();
    assert!(hi_lo(&later, 0x100) > hi_lo(&stats, 0x100), "rp_cnp_handled advances");
    assert!(hi_lo(&later, 0x240) >= hi_lo(&stats, 0x240) + 1_000_000, "time_stamp follows traffic");
}

#[test]
fn set_hca_cap_only_in_other_function_mode() {
    let rig = Rig::default();
    let h = rig.open();
    // Own function: refused by firmware.
    let own = rig.rpc(&h, CONF, &req(0x0109, 0, 4112), 16).unwrap();
    assert_eq!(own[0], 0x03);
    // other_function=1, function_id=1, GENERAL page with vhca_id 0x55.
    let mut set = req(0x0109, 0, 4112);
    set[8] = 0x80;
    set[10..12].copy_from_slice(&1u16.to_be_bytes());
    set[16 + 6..16 + 8].copy_from_slice(&0x55u16.to_be_bytes());
    assert_eq!(rig.rpc(&h, CONF, &set, 16).unwrap(), vec![0u8; 16]);
    let mut q = req(0x0100, 1, 16);
    q[8] = 0x80;
    q[10..12].copy_from_slice(&1u16.to_be_bytes());
    let got = rig.rpc(&h, CONF, &q, 4112).unwrap();
    assert_eq!(be16(&got, 16 + 6), 0x55);
    // A uid without TOOLS_RESOURCES may not.
    let plain = Rig::new(SimConfig { uctx_cap: 0x1, ..SimConfig::default() });
    let ph = plain.open();
    assert_eq!(status(&plain.rpc(&ph, CONF, &set, 16).unwrap()), (0x03, 0x5d1f_0007));
}

#[test]
fn query_vuid() {
    let rig = Rig::default();
    let h = rig.open();
    let out = rig.rpc(&h, CONF, &req(0x0b22, 0, 16), 192).unwrap();
    assert_eq!(be16(&out, 0x1f0 / 8), 1, "num_of_entries");
    assert!(out[64..].starts_with(b"MT2251X00001-0000"));
}

fn reg_req(op_mod: u16, id: u16, size: usize) -> Vec<u8> {
    let mut r = req(0x0805, op_mod, 16 + size);
    r[10..12].copy_from_slice(&id.to_be_bytes());
    r
}

#[test]
fn paos_read_and_write() {
    let rig = Rig::default();
    let h = rig.open();
    let mut r = reg_req(1, 0x5006, 16);
    r[17] = 1; // local_port
    let out = rig.rpc(&h, DRO, &r, 32).unwrap();
    assert_eq!((out[18] & 0x0f, out[19] & 0x0f), (1, 1), "admin, oper up");
    let mut w = reg_req(0, 0x5006, 16);
    w[17] = 1;
    w[18] = 0x02; // admin_status down
    w[20] = 0x80; // ase
    let wo = rig.rpc(&h, CONF, &w, 32).unwrap();
    assert_eq!((status(&wo), wo[18] & 0x0f, wo[19] & 0x0f), ((0, 0), 2, 2));
    assert_eq!(rig.rpc(&h, DRO, &r, 32).unwrap()[18] & 0x0f, 2);
    assert_eq!(rig.rpc(&h, DRO, &req(0x0750, 0, 16), 16).unwrap()[15], 0x00, "vport follows the port");
    r[17] = 3;
    assert_eq!(rig.rpc(&h, DRO, &r, 32).unwrap()[0], 0x03, "no port 3 on a 2-port device");
}

#[test]
fn node_desc_write_then_read() {
    let rig = Rig::default();
    let h = rig.open();
    let mut w = reg_req(0, 0x6001, 64);
    w[16..16 + 9].copy_from_slice(b"rack-7 ni");
    rig.rpc(&h, CONF, &w, 80).unwrap();
    let out = rig.rpc(&h, DRO, &reg_req(1, 0x6001, 64), 80).unwrap();
    assert_eq!(&out[16..26], b"rack-7 ni\0");
}

#[test]
fn read_only_registers_and_unknown_registers() {
    let rig = Rig::default();
    let h = rig.open();
    let mut w = reg_req(0, 0x900a, 32);
    assert_eq!(status(&rig.rpc(&h, CONF, &w, 48).unwrap()), (0x03, 0x5d1f_000c));
    w = reg_req(1, 0x1234, 16);
    assert_eq!(status(&rig.rpc(&h, DRO, &w, 32).unwrap()), (0x03, 0x5d1f_000b));
    // Register data shorter than the register: BAD_INP_LEN / BAD_OUTP_LEN.
    assert_eq!(rig.rpc(&h, DRO, &reg_req(1, 0x900a, 8), 48).unwrap()[0], 0x50);
    assert_eq!(rig.rpc(&h, DRO, &reg_req(1, 0x900a, 32), 40).unwrap()[0], 0x51);
    // op_mod 2 is neither read nor write.
    assert_eq!(rig.rpc(&h, DRO, &req(0x0805, 2, 48), 48).unwrap()[0], 0x03);
}

#[test]
fn temperature_sensors_and_ports() {
    let rig = Rig::default();
    let h = rig.open();
    let t = rig.rpc(&h, DRO, &reg_req(1, 0x900a, 32), 48).unwrap();
    assert_eq!(be16(&t, 16 + 6), 45 * 8, "temperature in 0.125 C");
    assert_eq!(&t[16 + 24..16 + 28], b"ASIC");
    let cap = rig.rpc(&h, DRO, &reg_req(1, 0x9009, 16), 32).unwrap();
    assert_eq!((cap[16 + 3] & 0x7f, be64(&cap, 16 + 8)), (1, 1));
    let mut m = reg_req(1, 0x5003, 16);
    m[17] = 1;
    let mtu = rig.rpc(&h, DRO, &m, 32).unwrap();
    assert_eq!((be16(&mtu, 16 + 4), be16(&mtu, 16 + 12)), (9978, 1500), "max_mtu, oper_mtu");
    let mut p = reg_req(1, 0x5004, 64);
    p[17] = 1;
    p[19] = 0x04; // proto_mask Ethernet
    let ptys = rig.rpc(&h, DRO, &p, 80).unwrap();
    // MLX5E_400GAUI_4_400GBASE_CR4_KR4 = 16 (include/linux/mlx5/port.h): a ConnectX-7 at 400G.
    assert_eq!(be32(&ptys, 16 + 0x100 / 8), 1 << 16, "ext_eth_proto_oper");
    let mut c = reg_req(1, 0x5008, 256);
    c[17] = 1;
    let ppcnt = rig.rpc(&h, DRO, &c, 272).unwrap();
    assert!(be64(&ppcnt, 16 + 16) > 0, "a_frames_received_ok");
}

#[test]
fn firmware_components_and_capability_masks() {
    let rig = Rig::default();
    let h = rig.open();
    let mcqs = rig.rpc(&h, DRO, &reg_req(1, 0x9060, 16), 32).unwrap();
    // component_status is bit 0x57, 5 wide: bits 4..8 of the big-endian u16 at byte 10.
    assert_eq!((be16(&mcqs, 16 + 6), (be16(&mcqs, 16 + 10) >> 4) & 0x1f), (0x1, 2), "boot image, in use");
    let mut q = reg_req(1, 0x9061, 148);
    q[16 + 11] = 1; // info_type VERSION
    q[16 + 22..16 + 24].copy_from_slice(&124u16.to_be_bytes());
    let mcqi = rig.rpc(&h, DRO, &q, 164).unwrap();
    assert_eq!(be32(&mcqi, 16 + 24 + 4), (28 << 24) | (39 << 16) | 1002);
    assert!(mcqi[16 + 24 + 32..].starts_with(b"28.39.1002"));
    // info_type 0 (CAPABILITIES): mcqi_cap at data byte 24 of mcqi_reg.
    q[16 + 11] = 0;
    q[16 + 22..16 + 24].copy_from_slice(&20u16.to_be_bytes());
    let cap = rig.rpc(&h, DRO, &q, 164).unwrap();
    assert_eq!(be16(&cap, 16 + 22), 20, "data_size (bit 0xb0)");
    assert_eq!(be32(&cap, 16 + 24), 0b11, "supported_info_bitmask (bit 0x0)");
    assert_eq!(cap[16 + 24 + 16] & 0x80, 0x80, "rd_en (bit 0x80)");
    let mcam = rig.rpc(&h, DRO, &reg_req(1, 0x907f, 72), 88).unwrap();
    let mask = &mcam[16 + 8..16 + 24];
    // Bit n (from the LSB of the 128-bit mask) = register 0x9000 + n.
    let bit = |n: usize| mask[15 - n / 8] >> (n % 8) & 1;
    assert_eq!([bit(0x09), bit(0x0a), bit(0x60), bit(0x61), bit(0x7f)], [1; 5]);
    assert_eq!([bit(0x62), bit(0x14), bit(0x28), bit(0x20)], [1; 4], "MCC, MCIA, MFRL, MGIR");
    assert_eq!([bit(0x63), bit(0x51)], [0; 2], "MCDA, MPCNT not implemented");
    let pcam = rig.rpc(&h, DRO, &reg_req(1, 0x507f, 80), 96).unwrap();
    let pmask = &pcam[16 + 8..16 + 24];
    let pbit = |n: usize| pmask[15 - n / 8] >> (n % 8) & 1;
    assert_eq!([pbit(3), pbit(4), pbit(6), pbit(8), pbit(0x7f)], [1; 5]);
    assert_eq!([pbit(1), pbit(2), pbit(0x31)], [1; 3], "PCAP, PMLP, PDDR");
    assert_eq!([pbit(0x09), pbit(0x41)], [0; 2], "PUDE, PCMR not implemented");
}

#[test]
fn access_register_user_behaves_like_access_reg() {
    let rig = Rig::default();
    let h = rig.open();
    let mut r = reg_req(1, 0x900a, 32);
    r[0..2].copy_from_slice(&0x0b0cu16.to_be_bytes());
    let out = rig.rpc(&h, DRO, &r, 48).unwrap();
    assert_eq!(be16(&out, 16 + 6), 45 * 8);
}
