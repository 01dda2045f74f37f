//! The register file through ACCESS_REG: every register readable with default
//! indexes at the size `mlx5_ifc.h` gives, and the values tools read first at
//! the header's offsets. Sizes and offsets are restated from the header
//! (knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@2850235, which agrees
//! with saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16 except PPLM: 80 bytes there, 120 in
//! the newer header) and, for MGIR, from the PRM adb layout in
//! Mellanox/mstflint:tools_layouts/reg_access_hca_layouts.h@b9d9e844.
#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use crate::common;

use common::{be16, be32, req, status};
use fwctl_mlx5_sim::{Firmware, Profile, SimConfig};

/// (register id, register_data bytes, local_port byte offset if indexed by port).
#[rustfmt::skip]
const SIZES: [(u16, usize, Option<usize>); 33] = [
    (0x5003, 16, Some(1)),  // PMTU
    (0x5004, 64, Some(1)),  // PTYS
    (0x5006, 16, Some(1)),  // PAOS
    (0x5008, 256, Some(1)), // PPCNT
    (0x507f, 80, None),     // PCAM
    (0x6001, 64, None),     // NODE_DESC (64-byte string)
    (0x9009, 16, None),     // MTCAP
    (0x900a, 32, None),     // MTMP
    (0x9060, 16, None),     // MCQS
    (0x9061, 148, None),    // MCQI: 24-byte header + room for mcqi_version (124)
    (0x907f, 72, None),     // MCAM
    (0x9020, 160, None),    // MGIR (adb)
    (0x4019, 72, None),     // QCAM
    (0x5001, 20, Some(1)),  // PCAP
    (0x5002, 64, Some(1)),  // PMLP
    (0x5007, 32, Some(1)),  // PFCC
    (0x5012, 16, None),     // PMAOS (module 0)
    (0x5023, 120, Some(1)), // PPLM
    (0x5031, 256, Some(1)), // PDDR
    (0x500c, 108, Some(1)), // PBMC
    (0x500b, 12, Some(1)),  // PPTB
    (0x400a, 8, Some(1)),   // QTCT: port_number
    (0x4002, 8, Some(1)),   // QPTS
    (0x902b, 12, Some(1)),  // MLCR
    (0x902d, 16, None),     // MRTC
    (0x9014, 64, None),     // MCIA
    (0x9028, 8, None),      // MFRL
    (0x9062, 32, None),     // MCC
    (0xc00e, 64, None),     // DTOR
    (0xc000, 256, None),    // RESOURCE_DUMP
    (0x9024, 268, None),    // MNVDA (TOOLS_OPEN_MNVDA_SIZE 0x10c)
    (0x9030, 8, None),      // MNVQC
    (0x9035, 156, None),    // MNVGN (TOOLS_OPEN_MNVGN_SIZE 0x9c)
];

fn reg(op_mod: u16, id: u16, size: usize) -> Vec<u8> {
    let mut b = req(0x0805, op_mod, 16 + size);
    b[10..12].copy_from_slice(&id.to_be_bytes());
    b
}

fn run(fw: &Firmware, input: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; input.len()];
    fw.execute(input, &mut out).unwrap();
    out
}

#[test]
fn every_register_reads_at_its_header_size_with_default_indexes() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    assert_eq!(fwctl_mlx5_sim::prm::registers::REGISTERS.len(), SIZES.len());
    for (id, size, port_at) in SIZES {
        let r = fwctl_mlx5_sim::prm::registers::by_id(id).unwrap();
        assert_eq!(r.size(), size, "{} size", r.name);
        let mut q = reg(1, id, size);
        if let Some(at) = port_at {
            q[16 + at] = 1;
        }
        if id == 0x5004 {
            q[16 + 3] = 0x4; // PTYS proto_mask: Ethernet
        }
        if id == 0xc000 {
            q[16 + 2..16 + 4].copy_from_slice(&0xffffu16.to_be_bytes()); // the menu segment
        }
        if id == 0x9014 {
            q[16 + 4] = 0x50; // MCIA i2c_device_address
        }
        let out = run(&fw, &q);
        assert_eq!(status(&out).0, 0, "{} ({id:#06x}) read", r.name);
        assert_eq!(run(&fw, &q[..q.len() - 1])[0], 0x50, "{} short input", r.name);
    }
}

#[test]
fn mgir_reports_the_profile_identity() {
    for (profile, device_id, major) in [
        (Profile::ConnectX6Dx, 0x101d, 22),
        (Profile::ConnectX7, 0x1021, 28),
        (Profile::BlueField3, 0xa2dc, 32),
    ] {
        let fw = Firmware::new(SimConfig::for_profile(profile)).unwrap();
        let out = run(&fw, &reg(1, 0x9020, 160));
        let d = &out[16..];
        // hw_info.device_id: 0x0.0-0x0.15 (the low half of dword 0).
        assert_eq!(be16(d, 2), device_id);
        // hw_info.num_ports: 0x4.16-0x4.27.
        assert_eq!(be16(d, 4) & 0xfff, 2);
        // fw_info at byte 32: psid at fw_info 0x10.24 (byte 48), extended_major/minor/sub_minor
        // at fw_info 0x24/0x28/0x2c (bytes 68/72/76); the deprecated 8-bit major (0x0.16) reads 0.
        assert_eq!((be32(d, 68), be32(d, 72), be32(d, 76)), (major, 39, 1002));
        assert_eq!(d[33], 0);
        assert!(d[48..64].starts_with(profile.psid().as_bytes()));
    }
}

#[test]
fn mcia_returns_a_module_identity_page() {
    let cx7 = Firmware::new(SimConfig::default()).unwrap();
    let mut q = reg(1, 0x9014, 64);
    // module 0; i2c_device_address 0x50 (bit 0x20), page 0, device_address 128 (bit 0x30), size 48 (bit 0x50).
    q[16 + 4] = 0x50;
    q[16 + 6..16 + 8].copy_from_slice(&128u16.to_be_bytes());
    q[16 + 10..16 + 12].copy_from_slice(&48u16.to_be_bytes());
    let out = run(&cx7, &q);
    assert_eq!(status(&out).0, 0);
    let eeprom = &out[32..80]; // dword_0 at bit 0x80
    assert_eq!(eeprom[0], 0x19, "CMIS identifier: OSFP");
    assert_eq!(&eeprom[1..7], b"NVIDIA", "CMIS vendor name at 129");
    let cx6 = Firmware::new(SimConfig::for_profile(Profile::ConnectX6Dx)).unwrap();
    let out = run(&cx6, &q);
    assert_eq!(out[32], 0x11, "SFF-8636 identifier: QSFP28");
    assert_eq!(&out[32 + 20..32 + 28], b"Mellanox", "SFF-8636 vendor name at 148");
    // More than 48 bytes, or a module that does not exist: BAD_PARAM.
    q[16 + 10..16 + 12].copy_from_slice(&49u16.to_be_bytes());
    assert_eq!(run(&cx7, &q)[0], 0x03);
    q[16 + 10..16 + 12].copy_from_slice(&4u16.to_be_bytes());
    q[16 + 1] = 7;
    assert_eq!(run(&cx7, &q)[0], 0x03);
}

#[test]
fn writable_registers_keep_what_was_written() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    // QPTS: trust_state (bit 0x3d, 3 bits) 1 = PCP by default; write 2 = DSCP.
    let mut w = reg(0, 0x4002, 8);
    w[16 + 1] = 1;
    w[16 + 7] = 2;
    assert_eq!(run(&fw, &w)[0], 0);
    let mut r = reg(1, 0x4002, 8);
    r[16 + 1] = 1;
    assert_eq!(run(&fw, &r)[16 + 7] & 0x7, 2);
    w[16 + 7] = 5;
    assert_eq!(run(&fw, &w)[0], 0x03, "trust state 5 does not exist");
    // PMAOS: ase (bit 0x20) + admin_status 2 (bit 0x14) disables module 0; oper_status (0x1c) becomes 3.
    let mut w = reg(0, 0x5012, 16);
    w[16 + 2] = 0x02;
    w[16 + 4] = 0x80;
    assert_eq!(run(&fw, &w)[0], 0);
    let out = run(&fw, &reg(1, 0x5012, 16));
    assert_eq!((out[16 + 2] & 0x0f, out[16 + 3] & 0x0f), (2, 3));
    // MLCR: beacon_duration (bit 0x30) is read back.
    let mut w = reg(0, 0x902b, 12);
    w[16 + 1] = 1;
    w[16 + 6..16 + 8].copy_from_slice(&30u16.to_be_bytes());
    assert_eq!(run(&fw, &w)[0], 0);
    let mut r = reg(1, 0x902b, 12);
    r[16 + 1] = 1;
    assert_eq!(be16(&run(&fw, &r), 16 + 6), 30);
    // Read-only registers refuse writes.
    assert_eq!(status(&run(&fw, &reg(0, 0x9020, 160))), (0x03, 0x5d1f_000c));
}

#[test]
fn ppcnt_groups_and_resource_dump_chunks() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    fw.simulate_traffic(1_000_000);
    // Group 0x12 (physical layer): grp at bit 0x1a; counter_set at byte 8.
    let mut q = reg(1, 0x5008, 256);
    q[16 + 1] = 1;
    q[16 + 3] = 0x12;
    let out = run(&fw, &q);
    assert_eq!(out[0], 0);
    assert_eq!(out[16 + 3] & 0x3f, 0x12);
    assert!(out[16 + 8..].iter().any(|b| *b != 0), "counters move with traffic");
    q[16 + 3] = 0x07;
    assert_eq!(run(&fw, &q)[0], 0x03, "group 7 does not exist");
    // RESOURCE_DUMP of segment 0x1000: more_dump (bit 0) set on chunks 0..2, clear on 3; seq_num at bit 0xc.
    let mut q = reg(1, 0xc000, 256);
    q[16 + 2..16 + 4].copy_from_slice(&0x1000u16.to_be_bytes());
    for seq in 0..4u8 {
        q[16 + 1] = seq;
        let out = run(&fw, &q);
        assert_eq!(out[0], 0, "chunk {seq}");
        assert_eq!(out[16] >> 7, u8::from(seq < 3), "more_dump of chunk {seq}");
        assert_eq!(be32(&out, 16 + 0x24), 208, "size: the whole inline_data");
    }
    q[16 + 1] = 4;
    assert_eq!(run(&fw, &q)[0], 0x03, "past the last chunk");
}

#[test]
fn dtor_gives_the_kernel_default_timeouts() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    let out = run(&fw, &reg(1, 0xc00e, 64));
    // fw_reset_to at bit 0xe0: to_multiplier 3 bits (0 = ms), to_value at 0xec, 20 bits.
    assert_eq!(be32(&out, 16 + 0x1c) & 0xf_ffff, 60_000);
    assert_eq!(out[16 + 0x1c] >> 5, 0);
}

#[test]
fn failures_are_explained_by_name() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    // PAOS with local_port 0: BAD_PARAM_ERR, syndrome BAD_FIELD, register named.
    let q = reg(1, 0x5006, 16);
    let out = run(&fw, &q);
    let text = fwctl_mlx5_sim::explain(&q, &out).unwrap();
    assert!(
        text.starts_with("BAD_PARAM_ERR (0x3): a parameter is not valid; syndrome 0x5d1f0003 BAD_FIELD"),
        "{text}"
    );
    assert!(text.ends_with("(register PAOS, id 0x5006)"), "{text}");
    // Every syndrome the firmware uses has a name and an explanation.
    use fwctl_mlx5_sim::firmware::syndrome;
    for s in [
        syndrome::BAD_OPCODE,
        syndrome::NO_SUCH_OBJECT,
        syndrome::FEATURE_NOT_SUPPORTED,
        syndrome::OWN_FUNCTION,
    ] {
        assert!(syndrome::describe(s).is_some_and(|(n, e)| !n.is_empty() && !e.is_empty()));
    }
    let ok = run(&fw, &{
        let mut q = reg(1, 0x5006, 16);
        q[17] = 1;
        q
    });
    assert_eq!(fwctl_mlx5_sim::explain(&q, &ok).unwrap(), "OK (0x0): the command succeeded");
}

#[test]
fn default_indexes_make_every_register_readable_by_name() {
    use fwctl_mlx5_sim::prm::{build, registers};
    let fw = Firmware::new(SimConfig::default()).unwrap();
    for r in registers::REGISTERS.iter() {
        let q = build::access_reg(r, false, registers::default_indexes(r.id)).unwrap();
        let out = run(&fw, &q);
        assert_eq!(out[0], 0, "{}: {}", r.name, fwctl_mlx5_sim::explain(&q, &out).unwrap());
    }
}

#[test]
fn nv_configuration_is_written_read_back_and_walked() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    // MNVDA write: nv_hdr.length (bit 0x17, 9 bits) = 4, nv_hdr.type at byte 4, data at byte 12.
    let mut w = reg(0, 0x9024, 268);
    w[16 + 2..16 + 4].copy_from_slice(&4u16.to_be_bytes());
    w[16 + 4..16 + 8].copy_from_slice(&0x0300_0080u32.to_be_bytes());
    w[16 + 12..16 + 16].copy_from_slice(&[0x80, 0, 0, 8]);
    assert_eq!(run(&fw, &w)[0], 0);
    let mut r = reg(1, 0x9024, 268);
    r[16 + 4..16 + 8].copy_from_slice(&0x0300_0080u32.to_be_bytes());
    let out = run(&fw, &r);
    assert_eq!(be16(&out, 16 + 2) & 0x1ff, 4);
    assert_eq!(&out[16 + 12..16 + 16], &[0x80, 0, 0, 8]);
    // nv_hdr.default (bit 0x8) asks for the firmware default: nothing.
    r[16 + 1] = 0x80;
    assert_eq!(be16(&run(&fw, &r), 16 + 2) & 0x1ff, 0);
    // MNVGN walks the store: the TLV at pointer 0, then the pointer wraps to 0.
    let out = run(&fw, &reg(1, 0x9035, 156));
    assert_eq!((be32(&out, 16), be32(&out, 16 + 20)), (0, 0x0300_0080));
    assert_eq!(&out[16 + 28..16 + 32], &[0x80, 0, 0, 8]);
    // MNVQC: support_rd / support_wr (bits 0x3f / 0x3e).
    assert_eq!(run(&fw, &reg(1, 0x9030, 8))[16 + 7] & 0x3, 0x3);
}

#[test]
fn a_snapshot_carries_writes_to_a_fresh_device_and_refuses_another() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    // PAOS down on port 2, QPTS DSCP on port 1, an NV TLV.
    let mut w = reg(0, 0x5006, 16);
    w[16 + 1] = 2;
    w[16 + 2] = 0x02;
    w[16 + 4] = 0x80;
    assert_eq!(run(&fw, &w)[0], 0);
    let mut w = reg(0, 0x4002, 8);
    w[16 + 1] = 1;
    w[16 + 7] = 2;
    assert_eq!(run(&fw, &w)[0], 0);
    let mut w = reg(0, 0x9024, 268);
    w[16 + 2..16 + 4].copy_from_slice(&1u16.to_be_bytes());
    w[16 + 4..16 + 8].copy_from_slice(&7u32.to_be_bytes());
    w[16 + 12] = 0x5a;
    assert_eq!(run(&fw, &w)[0], 0);
    // A host stores it with serde (every collection in it is a list, so any format works).
    fn serde_value<T: serde::Serialize + for<'de> serde::Deserialize<'de>>(t: T) -> T {
        t
    }
    let snap = serde_value(fw.snapshot());
    let fresh = Firmware::new(SimConfig::default()).unwrap();
    fresh.restore(&snap).unwrap();
    let mut r = reg(1, 0x5006, 16);
    r[16 + 1] = 2;
    assert_eq!(run(&fresh, &r)[16 + 2] & 0x0f, 2, "port 2 still down");
    let mut r = reg(1, 0x4002, 8);
    r[16 + 1] = 1;
    assert_eq!(run(&fresh, &r)[16 + 7] & 0x7, 2, "still DSCP");
    let mut r = reg(1, 0x9024, 268);
    r[16 + 4..16 + 8].copy_from_slice(&7u32.to_be_bytes());
    assert_eq!(run(&fresh, &r)[16 + 12], 0x5a);
    // Another device, another version, a bad field: refused, nothing changed.
    let other = Firmware::new(SimConfig::with_seed(9)).unwrap();
    assert!(matches!(other.restore(&snap), Err(fwctl_mlx5_sim::SnapshotError::Seed { .. })));
    let mut old = snap.clone();
    old.version = 0;
    assert!(matches!(fresh.restore(&old), Err(fwctl_mlx5_sim::SnapshotError::Version { found: 0 })));
    let mut bad = snap.clone();
    bad.register_writes.push(fwctl_mlx5_sim::firmware::snapshot::RegisterWrite {
        register: 0x9020,
        index: 0,
        field: "fw_info.psid".into(),
        value: 1,
    });
    assert!(matches!(fresh.restore(&bad), Err(fwctl_mlx5_sim::SnapshotError::Invalid(_))));
}

#[test]
fn the_state_sink_gets_the_state_once_when_the_last_clone_powers_off() {
    #[derive(Debug, Default)]
    struct Keep(std::sync::Mutex<Vec<fwctl_mlx5_sim::Snapshot>>);
    impl fwctl_mlx5_sim::StateSink for Keep {
        fn save(&self, snapshot: &fwctl_mlx5_sim::Snapshot) {
            self.0.lock().unwrap().push(snapshot.clone());
        }
    }
    let keep = std::sync::Arc::new(Keep::default());
    let dev = fwctl_mlx5_sim::Mlx5Device::new(SimConfig::default()).unwrap();
    dev.firmware().persist_to(keep.clone());
    let mut w = reg(0, 0x5006, 16);
    w[16 + 1] = 1;
    w[16 + 2] = 0x02;
    w[16 + 4] = 0x80;
    assert_eq!(run(dev.firmware(), &w)[0], 0);
    let clone = dev.clone();
    drop(dev);
    assert!(keep.0.lock().unwrap().is_empty(), "a clone still holds the device");
    drop(clone);
    let saved = keep.0.lock().unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].port_admin[0], 2, "PAOS port 1 down in the saved state");
}

#[test]
fn pddr_operational_troubleshooting_and_module_pages() {
    // pddr_reg: local_port byte 1, page_select byte 7, page_data from byte 8
    // (mlx5_ifc.h pddr_reg_bits). Page offsets below are the PRM adb's
    // (mstflint register_access_table.adb), dword byte + LSB bit, restated as bytes.
    let fw = Firmware::new(SimConfig::default()).unwrap();
    let page = |fw: &Firmware, select: u8| {
        let mut q = reg(1, 0x5031, 256);
        q[16 + 1] = 1;
        q[16 + 7] = select;
        let out = run(fw, &q);
        assert_eq!(status(&out), (0, 0), "page {select}");
        assert_eq!(out[16 + 7], select);
        out[16 + 8..].to_vec()
    };
    // Page 0, operational info, port up.
    let p = page(&fw, 0);
    assert_eq!(p[1] >> 4, 4, "proto_active 0x0.20: Ethernet");
    assert_eq!(p[1] & 0xf, 2, "neg_mode_active 0x0.16: CL73 negotiated");
    assert_eq!(p[4], 3, "phy_mngr_fsm_state 0x4.24: Active");
    assert_eq!(p[5], 6, "eth_an_fsm_state 0x4.16: AN_GOOD");
    assert_eq!(be32(&p, 0x14), 1 << 16, "link_active 0x14: the PTYS ext_eth_proto_oper bit (400G)");
    assert_eq!(be16(&p, 0x1c), 7, "fec_mode_active 0x1C.16: RS(544,514)");
    assert_eq!(p[0x3b] & 0xf, 2, "link_health 0x38.0: Healthy");
    // Page 3, module info: the same cable MCIA describes.
    let p = page(&fw, 3);
    assert_eq!(
        (p[4] >> 4, p[4] & 0xf),
        (3, 3),
        "cable_type 0x4.28 passive copper, cable_vendor 0x4.24 NVIDIA"
    );
    assert_eq!(
        (p[5], p[6]),
        (0x41, 8),
        "cable_length 0x4.16 (x1 multiplier, 1 m), cable_identifier 0x4.8 OSFP"
    );
    assert_eq!(&p[0x14..0x1a], b"NVIDIA", "vendor_name 0x14");
    assert_eq!(&p[0x24..0x30], b"MCP4Y10-N001", "vendor_pn 0x24");
    let mut q = reg(1, 0x9014, 64);
    q[16 + 4] = 0x50;
    q[16 + 6..16 + 8].copy_from_slice(&166u16.to_be_bytes());
    q[16 + 10..16 + 12].copy_from_slice(&16u16.to_be_bytes());
    let sn = run(&fw, &q)[32..48].to_vec();
    assert_eq!(&p[0x3c..0x4c], &sn[..], "vendor_sn 0x3C = MCIA upper page 0 bytes 166..182 (CMIS SN)");
    assert_eq!(&p[0xb0..0xb8], b"240301  ", "date_code 0xB0");
    assert_eq!((p[0xb8], &p[0xb9..0xbc]), (0x23, &[0x48, 0xb0, 0x2d][..]), "connector_type, vendor_oui");
    assert_eq!(p[0x94] >> 5, 3, "module_st 0x94.29: ready");
    // Page 1 follows the port state; page 2 (phy info) is not modelled.
    assert!(page(&fw, 1).starts_with(&[0; 12]));
    assert_eq!(&page(&fw, 1)[12..33], b"No issue was observed");
    let mut q = reg(1, 0x5031, 256);
    q[16 + 1] = 1;
    q[16 + 7] = 2;
    assert_eq!(status(&run(&fw, &q)).0, 0x03);
    // Page 9 (Module_latched_flag_info_page): the DAC latched nothing and has
    // no rx LOS indication (rx_los_cap, adb 0x0.0 = bit 0 of byte 3).
    assert_eq!(page(&fw, 9)[..0x50], [0u8; 0x50]);
    q[16 + 7] = 9;
    let out = run(&fw, &q);
    let fields = fwctl_mlx5_sim::prm::decode::decode_exchange(&q, &out);
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    for (name, bit) in
        [("temp_flags", 64), ("rx_los_cap", 64 + 31), ("tx_fault", 64 + 32), ("rx_los", 64 + 128)]
    {
        let f = fields.iter().find(|f| f.name == format!("register_data.page_data.{name}"));
        assert_eq!(f.map(|f| f.bit), Some(128 + bit), "{name} in {names:?}");
    }
    // Port down: page 0 shows the phy manager disabled and no active link.
    let mut w = reg(0, 0x5006, 16);
    w[16 + 1] = 1;
    w[16 + 2] = 0x02;
    w[16 + 4] = 0x80;
    assert_eq!(run(&fw, &w)[0], 0);
    let p = page(&fw, 0);
    assert_eq!((p[4], be32(&p, 0x14), p[0x3b] & 0xf), (0, 0, 0));
}

#[test]
fn pmtu_admin_mtu_and_ptys_admin_modes_are_writable_within_the_capability() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    // pmtu_reg_bits: local_port byte 1, max_mtu bits 0x20 (bytes 4..6),
    // admin_mtu bits 0x40 (bytes 8..10), oper_mtu bits 0x60 (bytes 12..14).
    let mut w = reg(0, 0x5003, 16);
    w[16 + 1] = 1;
    w[16 + 8..16 + 10].copy_from_slice(&9000u16.to_be_bytes());
    assert_eq!(status(&run(&fw, &w)), (0, 0));
    let mut r = reg(1, 0x5003, 16);
    r[16 + 1] = 1;
    let out = run(&fw, &r);
    assert_eq!((be16(&out, 16 + 8), be16(&out, 16 + 12)), (9000, 9000), "admin and oper MTU");
    let max = be16(&out, 16 + 4);
    w[16 + 8..16 + 10].copy_from_slice(&(max + 1).to_be_bytes());
    assert_eq!(status(&run(&fw, &w)), (0x03, 0x5d1f_0003), "above max_mtu");
    r[16 + 1] = 2;
    assert_ne!(be16(&run(&fw, &r), 16 + 8), 9000, "port 2 untouched");

    // ptys_reg_bits: proto_mask bits 0x1d (byte 3), ext_eth_proto_capability
    // bytes 8..12, ext_eth_proto_admin bytes 20..24, ext_eth_proto_oper bytes 32..36.
    let ptys = |fw: &Firmware, op: u16, admin: u32| {
        let mut q = reg(op, 0x5004, 64);
        q[16 + 1] = 1;
        q[16 + 3] = 4;
        q[16 + 20..16 + 24].copy_from_slice(&admin.to_be_bytes());
        run(fw, &q)
    };
    let cap = be32(&ptys(&fw, 1, 0), 16 + 8);
    // MLX5E_200GAUI_4_200GBASE_CR4_KR4 (bit 13) only: the port runs 200G.
    let out = ptys(&fw, 0, 1 << 13);
    assert_eq!(status(&out), (0, 0));
    let out = ptys(&fw, 1, 0);
    assert_eq!((be32(&out, 16 + 20), be32(&out, 16 + 32)), (1 << 13, 1 << 13));
    assert_eq!(status(&ptys(&fw, 0, 0)), (0x03, 0x5d1f_0003), "nothing enabled");
    assert_eq!(status(&ptys(&fw, 0, !cap)), (0x03, 0x5d1f_0003), "outside the capability");
    // PDDR page 0 reports the same active mode.
    let mut q = reg(1, 0x5031, 256);
    q[16 + 1] = 1;
    assert_eq!(be32(&run(&fw, &q), 16 + 8 + 0x14), 1 << 13);
}

#[test]
fn pbmc_pptb_and_pplm_writes_are_range_checked_read_back_and_kept_in_a_snapshot() {
    // Offsets from mlx5_ifc.h: pbmc_reg buffer[i] (bufferx_reg, 8 bytes) at byte 12 + 8i:
    // lossy bit 6, size bits 0x10..0x20, xoff_threshold 0x20, xon_threshold 0x30;
    // port_buffer_size at bit 0x50. pptb_reg: mm bits 2..4, cm bit 0x16, um 0x17,
    // pm byte 3, prio_x_buff bytes 4..8, ctrl_buff / untagged_buff the nibbles of byte 11.
    // pplm_reg: fec_override_admin_100g bit 0xb0 (high nibble of byte 22),
    // fec_override_cap_100g bit 0x90, fec_override_admin_400g_8x bytes 32..34.
    let fw = Firmware::new(SimConfig::default()).unwrap();
    let pbmc_write = |sizes: [u16; 2], lossless_xoff: u16| {
        let mut w = reg(0, 0x500c, 108);
        w[16 + 1] = 1;
        // buffer 0: lossy, buffer 1: lossless with xoff and xon = xoff - 10 cells.
        w[16 + 12] = 0x02;
        w[16 + 14..16 + 16].copy_from_slice(&sizes[0].to_be_bytes());
        w[16 + 22..16 + 24].copy_from_slice(&sizes[1].to_be_bytes());
        w[16 + 24..16 + 26].copy_from_slice(&lossless_xoff.to_be_bytes());
        w[16 + 26..16 + 28].copy_from_slice(&lossless_xoff.saturating_sub(10).to_be_bytes());
        w
    };
    let mut pbmc_read = reg(1, 0x500c, 108);
    pbmc_read[16 + 1] = 1;
    assert_eq!(be16(&run(&fw, &pbmc_read), 16 + 10), 2048, "port_buffer_size in cells");
    assert_eq!(run(&fw, &pbmc_write([600, 400], 300))[0], 0);
    let out = run(&fw, &pbmc_read);
    let d = &out[16..];
    assert_eq!((d[12] & 0x02, be16(d, 14)), (0x02, 600), "buffer 0 lossy, 600 cells");
    assert_eq!((d[20] & 0x02, be16(d, 22), be16(d, 24), be16(d, 26)), (0, 400, 300, 290));
    // More than the port buffer, and xoff above the buffer's size: BAD_PARAM, nothing changed.
    assert_eq!(status(&run(&fw, &pbmc_write([1700, 400], 300))), (0x03, 0x5d1f_0003), "2100 > 2048 cells");
    assert_eq!(status(&run(&fw, &pbmc_write([600, 400], 401))).0, 0x03, "xoff past the size");
    assert_eq!(be16(&run(&fw, &pbmc_read), 16 + 14), 600);

    // PPTB: priorities 3 and 4 to buffer 1 (pm selects them), untagged frames to buffer 2.
    let mut w = reg(0, 0x500b, 12);
    w[16 + 1] = 1;
    w[16 + 2] = 0x01; // um
    w[16 + 3] = 0b0001_1000;
    w[16 + 4..16 + 8].copy_from_slice(&0x0001_1000u32.to_be_bytes());
    w[16 + 11] = 0x02;
    assert_eq!(run(&fw, &w)[0], 0);
    let mut pptb_read = reg(1, 0x500b, 12);
    pptb_read[16 + 1] = 1;
    let out = run(&fw, &pptb_read);
    assert_eq!((be32(&out, 16 + 4), out[16 + 11]), (0x0001_1000, 0x02));
    // A priority mapped to buffer 8 (not a network buffer), or mapping mode 1: BAD_PARAM.
    w[16 + 4..16 + 8].copy_from_slice(&0x0008_0000u32.to_be_bytes());
    assert_eq!(run(&fw, &w)[0], 0x03);
    w[16 + 4..16 + 8].copy_from_slice(&0u32.to_be_bytes());
    w[16] = 0x10;
    assert_eq!(run(&fw, &w)[0], 0x03);

    // PPLM: RS-FEC (bit 2) at 100G is within the capability; a 400G mode is not offered.
    let mut w = reg(0, 0x5023, 120);
    w[16 + 1] = 1;
    w[16 + 22] = 0x40;
    assert_eq!(run(&fw, &w)[0], 0);
    let mut pplm_read = reg(1, 0x5023, 120);
    pplm_read[16 + 1] = 1;
    let out = run(&fw, &pplm_read);
    assert_eq!((out[16 + 18] >> 4, out[16 + 22] >> 4), (0x7, 0x4));
    w[16 + 32..16 + 34].copy_from_slice(&1u16.to_be_bytes());
    assert_eq!(run(&fw, &w)[0], 0x03);
    assert_eq!(run(&fw, &pplm_read)[16 + 22] >> 4, 0x4, "the refused write changed nothing");

    // All three survive a snapshot onto a fresh device.
    let fresh = Firmware::new(SimConfig::default()).unwrap();
    fresh.restore(&fw.snapshot()).unwrap();
    assert_eq!(be16(&run(&fresh, &pbmc_read), 16 + 22), 400);
    assert_eq!(be32(&run(&fresh, &pptb_read), 16 + 4), 0x0001_1000);
    assert_eq!(run(&fresh, &pplm_read)[16 + 22] >> 4, 0x4);
}
