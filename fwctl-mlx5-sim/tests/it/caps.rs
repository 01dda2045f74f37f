//! The 22 capability pages: present on every profile that has the feature,
//! current values a subset of the maximum, and consistent with the commands and
//! registers the device answers. Offsets are restated from `mlx5_ifc.h`
//! (struct mlx5_ifc_cmd_hca_cap_bits and friends, as in both
//! saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16 and knneth/mlnx-ofa_kernel@2850235).
#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use crate::common;

use common::{be16, req, status};
use fwctl_mlx5_sim::{Firmware, Profile, SimConfig};

/// The 22 cap types (`enum mlx5_cap_type`) the kernel driver reads.
const PAGES: [u16; 22] = [
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0c, 0x0d, 0x0f, 0x11, 0x13, 0x14, 0x15,
    0x1a, 0x1f, 0x20, 0x25, 0x26,
];

fn cap(fw: &Firmware, cap_type: u16, cur: bool) -> Vec<u8> {
    let mut out = vec![0u8; 4112];
    fw.execute(&req(0x0100, (cap_type << 1) | u16::from(cur), 16), &mut out).unwrap();
    out
}

/// Bit `bit` (big-endian numbering) of a page.
fn bit(page: &[u8], bit: usize) -> u8 {
    (page[16 + bit / 8] >> (7 - bit % 8)) & 1
}

#[test]
fn every_page_answers_max_and_cur_with_cur_within_max() {
    for profile in Profile::ALL {
        let fw = Firmware::new(SimConfig::for_profile(profile)).unwrap();
        for t in PAGES {
            let absent = profile == Profile::ConnectX6Dx && (t == 0x1f || t == 0x25);
            let (max, cur) = (cap(&fw, t, false), cap(&fw, t, true));
            if absent {
                assert_eq!(status(&max).0, 0x03, "{profile:?} has no page {t:#x}");
                continue;
            }
            assert_eq!((status(&max).0, status(&cur).0), (0, 0), "{profile:?} page {t:#x}");
            assert!(
                max[16..].iter().any(|b| *b != 0) || t == 0x05 || t == 0x06 || t == 0x14,
                "page {t:#x} says something"
            );
            assert!(
                max.iter().zip(&cur).all(|(m, c)| c & !m == 0),
                "{profile:?} page {t:#x}: current within maximum"
            );
        }
        // Not modelled: NVMF (0xe), SHAMPO (0x1d), ADV_RDMA (0x28), and nonsense.
        for t in [0x0e, 0x1d, 0x28, 0x7f] {
            assert_eq!(cap(&fw, t, true)[0], 0x03, "{t:#x}");
        }
    }
}

#[test]
fn general_caps_match_the_commands_and_registers() {
    for profile in Profile::ALL {
        let fw = Firmware::new(SimConfig::for_profile(profile)).unwrap();
        let g = cap(&fw, 0, true);
        // pcam_reg 0x1aa, mcam_reg 0x1a9, qcam_reg 0x16f: the registers answer.
        assert_eq!([bit(&g, 0x1aa), bit(&g, 0x1a9), bit(&g, 0x16f)], [1, 1, 1]);
        for (id, size) in [(0x507fu16, 80usize), (0x907f, 72), (0x4019, 72)] {
            let mut q = req(0x0805, 1, 16 + size);
            q[10..12].copy_from_slice(&id.to_be_bytes());
            let mut out = vec![0u8; 16 + size];
            fw.execute(&q, &mut out).unwrap();
            assert_eq!(out[0], 0, "{id:#x}");
        }
        // fpga 0x1d5 is 0, and FPGA_QUERY_QP is unknown to the firmware.
        assert_eq!(bit(&g, 0x1d5), 0);
        let mut out = vec![0u8; 112];
        fw.execute(&req(0x0962, 0, 16), &mut out).unwrap();
        assert_eq!(out[0], 0x02);
        // vhca_state 0x3ea: QUERY_VHCA_STATE answers.
        assert_eq!(bit(&g, 0x3ea), 1);
        // num_ports 0x1b8 (8 bits) = 2; port_type 0x1b6 (2 bits) = 1, Ethernet.
        assert_eq!(g[16 + 0x1b8 / 8], 2);
        assert_eq!(g[16 + 0x1b6 / 8] & 0x3, 1, "bits 0x1b6..0x1b8 are the low two of byte 0x36");
        // general_obj_types at 0x400 (64 bits): each type set answers QUERY_GENERAL_OBJECT.
        let types = u64::from_be_bytes(g[16 + 0x80..16 + 0x88].try_into().unwrap());
        for (t, id, out_len) in [(0x20u16, 1u32, 76usize), (0x27, 2, 144)] {
            let mut q = req(0x0a02, t, 16);
            q[8..12].copy_from_slice(&id.to_be_bytes());
            let mut out = vec![0u8; out_len];
            fw.execute(&q, &mut out).unwrap();
            assert_eq!(types >> t & 1 == 1, out[0] == 0, "{profile:?} object type {t:#x}");
        }
        // MACsec page (0x1f) exists exactly when the MACsec object type does.
        assert_eq!(types >> 0x27 & 1 == 1, cap(&fw, 0x1f, false)[0] == 0);
    }
}

#[test]
fn cur_differs_from_max_where_the_driver_leaves_features_off() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    let (max, cur) = (cap(&fw, 0, false), cap(&fw, 0, true));
    // cmdif_checksum 0x210 (2 bits): 3 offered, 0 in use; tls_tx 0x481, ipsec_offload 0x46a.
    assert_eq!((max[16 + 0x210 / 8] >> 6, cur[16 + 0x210 / 8] >> 6), (3, 0));
    assert_eq!((bit(&max, 0x481), bit(&cur, 0x481)), (1, 0));
    assert_eq!((bit(&max, 0x46a), bit(&cur, 0x46a)), (1, 0));
    // BlueField-3 emulates virtio devices; a ConnectX-7 does not (max_emulated_devices at 0x80).
    let bf3 = Firmware::new(SimConfig::for_profile(Profile::BlueField3)).unwrap();
    assert_eq!(cap(&bf3, 0x13, false)[16 + 0x10], 255);
    assert_eq!(cap(&fw, 0x13, false)[16 + 0x10], 0);
    // ROCE page's UDP port stays where the header puts it (0xb0).
    assert_eq!(be16(&cap(&fw, 4, true), 16 + 0xb0 / 8), 4791);
}
