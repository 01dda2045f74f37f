//! Every one of the 94 allow-listed opcodes, sent to the simulated firmware with
//! the request and response sizes `mlx5_ifc.h` gives. Sizes and field offsets are
//! restated here from the header (`MLX5_ST_SZ_BYTES` of the `_in`/`_out`
//! structs), not taken from the crate:
//!
//! - "ifc": saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16 (the tool's copy of the kernel
//!   header), or knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@2850235
//!   (OFED 25.10) for the structs the older copy lacks (delegated vHCA, vHCA
//!   state, FPGA QP, diagnostic params, QUERY_VUID);
//! - "inferred": no public header defines the command; the sizes are the
//!   simulator's documented choice (`prm::queries::inferred`).
#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use crate::common;

use common::{be32, req, status};
use fwctl_mlx5_sim::allow_list::ALLOW_LIST;
use fwctl_mlx5_sim::prm::decode::expected_response_len;
use fwctl_mlx5_sim::{Firmware, Profile, SimConfig};
use proptest::prelude::*;

/// Write `value` into the big-endian bit field at `bit` (MLX5_SET), independently
/// of the crate's accessors.
fn set(buf: &mut [u8], bit: usize, width: usize, value: u64) {
    for i in 0..width {
        let b = bit + i;
        let v = (value >> (width - 1 - i)) & 1;
        let mask = 0x80u8 >> (b % 8);
        if v == 1 {
            buf[b / 8] |= mask;
        } else {
            buf[b / 8] &= !mask;
        }
    }
}

/// (opcode, in bytes, out bytes, op_mod, fields to set as (bit, width, value), source).
/// The fields name a seeded object where the command queries one; their offsets
/// are the header's (e.g. `query_eq_in.eq_number` at 0x58, 8 bits).
type Row = (u16, usize, usize, u16, &'static [(usize, usize, u64)], &'static str);

#[rustfmt::skip]
const SIZES: [Row; 94] = [
    (0x0100, 16, 4112, 1, &[], "ifc"),                       // QUERY_HCA_CAP (GENERAL, cur)
    (0x0101, 16, 272, 0, &[], "ifc"),
    (0x0107, 16, 16, 1, &[], "ifc"),                         // QUERY_PAGES boot
    (0x0109, 4112, 16, 0, &[(0x40, 1, 1), (0x50, 16, 1)], "ifc"), // SET_HCA_CAP other_function, function_id 1
    (0x010a, 16, 112, 0, &[], "ifc"),
    (0x010c, 16, 80, 0, &[], "inferred"),                    // QUERY_DRIVER_VERSION (set_driver_version_in's body)
    (0x010e, 16, 96, 0, &[(0x50, 16, 1)], "ifc"),            // QUERY_OTHER_HCA_CAP function_id
    (0x0111, 16, 16, 0, &[], "ifc"),                         // query_sf_partitions
    (0x0117, 16, 64, 0, &[(0x50, 16, 1)], "ifc"),            // vhca_id
    (0x0201, 16, 304, 0, &[(0x48, 24, 1)], "ifc"),           // mkey_index
    (0x0203, 16, 32, 0, &[], "ifc"),
    (0x0303, 16, 272, 0, &[(0x58, 8, 0)], "ifc"),            // eq_number
    (0x0402, 16, 272, 0, &[(0x48, 24, 0x400)], "ifc"),       // cqn
    (0x050b, 16, 272, 0, &[(0x48, 24, 1)], "ifc"),           // qpn; 272 in mlx5ctl's copy (464 with qpc_data_extension)
    (0x0512, 16, 16, 0, &[], "inferred"),
    (0x0602, 16, 16, 0, &[], "inferred"),                    // QUERY_PSV: no PSV exists
    (0x0702, 16, 272, 0, &[(0x48, 24, 0x10)], "ifc"),
    (0x0707, 16, 272, 0, &[(0x48, 24, 0x11)], "ifc"),
    (0x0713, 16, 128, 0, &[(0x48, 24, 0x200)], "ifc"),
    (0x0716, 16, 16, 0, &[], "inferred"),
    (0x0719, 16, 336, 0, &[(0x48, 24, 0x12)], "ifc"),
    (0x0722, 16, 16, 0, &[], "inferred"),
    (0x0725, 16, 16, 0, &[], "inferred"),
    (0x0727, 16, 16, 0, &[], "inferred"),
    (0x0728, 16, 16, 0, &[], "inferred"),
    (0x0730, 16, 16, 0, &[], "inferred"),
    (0x0731, 16, 16, 0, &[], "inferred"),
    (0x0732, 16, 32, 0, &[], "ifc"),
    (0x0740, 16, 128, 0, &[], "ifc"),
    (0x0750, 16, 16, 0, &[], "ifc"),
    (0x0752, 16, 272, 0, &[], "ifc"),
    (0x0754, 16, 272, 0, &[], "ifc"),
    (0x0760, 16, 48, 0, &[(0x40, 16, 1)], "ifc"),            // roce_address_index
    (0x0762, 16, 528, 0, &[(0x4c, 4, 1)], "ifc"),            // port_num
    (0x0764, 16, 16, 0, &[(0x4c, 4, 1)], "ifc"),
    (0x0765, 16, 16, 0, &[(0x4c, 4, 1)], "ifc"),
    (0x076f, 16, 528, 0, &[], "ifc"),
    (0x0770, 32, 528, 0, &[], "ifc"),
    (0x0773, 32, 256, 0, &[], "ifc"),
    (0x0781, 16, 64, 0, &[(0x50, 16, 1)], "inferred"),       // rate_limit_index as in set_pp_rate_limit_in
    (0x0784, 64, 128, 0, &[], "ifc"),                        // scheduling_element_id 0
    (0x0805, 32, 32, 1, &[(0x50, 16, 0x5006), (0x88, 8, 1)], "ifc"), // ACCESS_REG read PAOS, local_port 1
    (0x080b, 16, 20, 0, &[], "ifc"),
    (0x080d, 16, 16, 0, &[], "ifc"),
    (0x0813, 16, 16, 0, &[], "inferred"),
    (0x0819, 16, 32, 0, &[], "ifc"),                         // + 4 per configured counter (none yet)
    (0x0820, 32, 16, 0, &[], "ifc"),                         // disable: no counters
    (0x0821, 16, 16, 0, &[], "ifc"),                         // sampling off: BAD_RES_STATE
    (0x0822, 16, 16, 0, &[(0x5c, 4, 1)], "ifc"),             // cong_protocol RP
    (0x0823, 16, 16, 0, &[(0x5c, 4, 1), (0x60, 1, 1)], "ifc"),
    (0x0824, 16, 272, 0, &[(0x5c, 4, 1)], "ifc"),
    (0x0826, 16, 272, 0, &[], "ifc"),
    (0x082a, 64, 64, 0, &[], "ifc"),
    (0x0831, 16, 16, 0, &[], "ifc"),
    (0x0842, 16, 16, 0, &[], "ifc"),
    (0x0903, 16, 272, 0, &[(0x48, 24, 0x30)], "ifc"),
    (0x0907, 16, 272, 0, &[(0x48, 24, 0x800)], "ifc"),
    (0x090b, 16, 272, 0, &[(0x48, 24, 0x880)], "ifc"),
    (0x090f, 16, 272, 0, &[(0x48, 24, 0x13)], "ifc"),
    (0x0911, 16, 16, 0, &[], "inferred"),
    (0x0915, 16, 176, 0, &[(0x48, 24, 0x20)], "ifc"),
    (0x0919, 16, 272, 0, &[(0x48, 24, 0x40)], "ifc"),
    (0x0932, 64, 64, 0, &[(0xa8, 24, 1)], "ifc"),            // table_type 0 (NIC RX), table_id
    (0x0935, 64, 1024, 0, &[(0xa8, 24, 1), (0xc0, 32, 1)], "ifc"), // group_id
    (0x0937, 64, 816, 0, &[(0xa8, 24, 1), (0x100, 32, 0)], "ifc"), // query_fte: flow_index
    (0x093b, 32, 32, 0, &[(0xe0, 32, 0x10)], "ifc"),         // 16 + one traffic_counter
    (0x093f, 32, 28, 0, &[(0x40, 32, 1)], "ifc"),
    (0x0942, 32, 16, 0, &[(0x40, 32, 1)], "inferred"),       // in from the header, out inferred
    (0x0962, 16, 112, 0, &[], "ifc"),                        // FPGA: not on a ConnectX-7
    (0x0964, 16, 112, 0, &[], "ifc"),
    (0x0971, 16, 16, 0, &[], "inferred"),
    (0x0981, 16, 16, 0, &[], "inferred"),
    (0x0a02, 16, 76, 0x20, &[(0x40, 32, 1)], "ifc"),         // general object SAMPLER: query_sampler_obj_out
    (0x0a05, 16, 64, 0, &[], "inferred"),                    // QUERY_UCTX of uid 0
    (0x0a09, 16, 48, 0, &[], "inferred"),                    // QUERY_UMEM: no umem exists
    (0x0b02, 16, 16, 0, &[], "inferred"),
    (0x0b03, 16, 16, 0, &[], "inferred"),
    (0x0b05, 16, 88, 0, &[], "ifc"),                         // RegEx (DPDK's PRM header): BlueField-2 only
    (0x0b07, 16, 16, 0, &[], "inferred"),
    (0x0b08, 16, 16, 0, &[], "inferred"),
    (0x0b0a, 16, 16, 0, &[], "inferred"),
    (0x0b0c, 32, 32, 1, &[(0x50, 16, 0x5006), (0x88, 8, 1)], "ifc"),
    (0x0b0d, 16, 32, 0, &[], "ifc"),                         // function_id 0
    (0x0b0f, 16, 16, 0, &[], "inferred"),
    (0x0b13, 16, 16, 0, &[], "inferred"),
    (0x0b14, 16, 16, 0, &[], "inferred"),
    (0x0b22, 16, 192, 0, &[], "ifc"),                        // 64 + one 128-byte vuid entry
    (0x0b28, 16, 16, 0, &[], "inferred"),
    (0x0b2a, 16, 16, 0, &[], "inferred"),
    (0x0b2e, 16, 16, 0, &[], "inferred"),
    (0x0b2f, 16, 16, 0, &[], "inferred"),
    (0x8000, 16, 16, 0, &[], "inferred"),
    (0x8001, 16, 16, 0, &[], "inferred"),
    (0x8006, 16, 16, 0, &[], "inferred"),
];

/// Commands whose feature a ConnectX-7 lacks: FPGA, CAPI, NVMe-oF, RegEx, device emulation, DPA.
const CX7_LACKS: [u16; 13] =
    [0x0962, 0x0964, 0x0971, 0x0981, 0x0722, 0x0728, 0x0b02, 0x0b05, 0x0b07, 0x0b03, 0x0b0f, 0x0b2f, 0x0b28];
/// (opcode, status) of commands whose answer with these requests is a defined failure.
const EXPECTED_FAILURES: [(u16, u8); 5] = [
    (0x0a05, 0x05), // QUERY_UCTX of uid 0: the kernel has no user context
    (0x0821, 0x09), // sampling not enabled: BAD_RES_STATE
    (0x0602, 0x05), // no PSV exists: BAD_RES
    (0x0a09, 0x05), // no UMEM exists: BAD_RES
    (0x0b2a, 0x02), // DPA_PARTITIONS: no DPA on a ConnectX-7
];

fn request(row: &Row) -> Vec<u8> {
    let (opcode, inb, _, op_mod, fields, _) = *row;
    let mut b = req(opcode, op_mod, inb);
    for (bit, width, value) in fields {
        set(&mut b, *bit, *width, *value);
    }
    b
}

fn run(fw: &Firmware, input: &[u8], out_len: usize) -> Vec<u8> {
    let mut out = vec![0xa5u8; out_len];
    fw.execute(input, &mut out).unwrap();
    out
}

#[test]
fn the_table_covers_the_allow_list_exactly() {
    let ours: Vec<u16> = SIZES.iter().map(|r| r.0).collect();
    let allowed: Vec<u16> = ALLOW_LIST.iter().map(|e| e.opcode).collect();
    assert_eq!(ours, allowed);
    assert_eq!(SIZES.iter().filter(|r| r.5 == "ifc").count(), 61);
}

#[test]
fn every_allowed_opcode_answers_with_the_header_sizes() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    for row in &SIZES {
        let (opcode, inb, outb, ..) = *row;
        let input = request(row);
        let out = run(&fw, &input, outb);
        let (st, syn) = status(&out);
        let expected = if CX7_LACKS.contains(&opcode) {
            0x02
        } else {
            EXPECTED_FAILURES.iter().find(|(o, _)| *o == opcode).map_or(0, |(_, s)| *s)
        };
        assert_eq!(st, expected, "opcode {opcode:#06x}: status {st:#x} syndrome {syn:#x}");
        if expected == 0x02 {
            assert_eq!(syn, fwctl_mlx5_sim::firmware::syndrome::FEATURE_NOT_SUPPORTED, "{opcode:#06x}");
        }
        if st != 0 {
            assert!(out[8..].iter().all(|b| *b == 0), "{opcode:#06x}: a failure carries only the header");
            continue;
        }
        // One byte short of the header's sizes: BAD_OUTP_LEN / BAD_INP_LEN.
        if outb > 16 {
            assert_eq!(run(&fw, &input, outb - 1)[0], 0x51, "{opcode:#06x} short output");
        }
        if inb > 16 {
            assert_eq!(run(&fw, &input[..inb - 1], outb)[0], 0x50, "{opcode:#06x} short input");
        }
    }
}

#[test]
fn the_driver_predicts_the_header_response_length() {
    for row in SIZES.iter().filter(|r| r.0 != 0x0821) {
        let input = request(row);
        assert_eq!(
            expected_response_len(&input, 0),
            Some(row.2),
            "{:#06x}: expected_response_len should be the header's out size",
            row.0
        );
    }
}

#[test]
fn bad_ids_bad_op_mods_and_other_uids_objects_fail_like_firmware() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    // QUERY_CQ of a CQ that does not exist: BAD_RES_ERR.
    let mut q = req(0x0402, 0, 16);
    set(&mut q, 0x48, 24, 0x7777);
    assert_eq!(status(&run(&fw, &q, 272)), (0x05, fwctl_mlx5_sim::firmware::syndrome::NO_SUCH_OBJECT));
    // op_mod 1 on a command that only knows 0: BAD_PARAM_ERR.
    let q = req(0x0303, 1, 16);
    assert_eq!(status(&run(&fw, &q, 272)), (0x03, fwctl_mlx5_sim::firmware::syndrome::BAD_OP_MOD));
    // A flow group asked for in the wrong table is not found.
    let mut q = req(0x0935, 0, 64);
    set(&mut q, 0xa8, 24, 2);
    set(&mut q, 0xc0, 32, 1);
    assert_eq!(run(&fw, &q, 1024)[0], 0x05);
    // Objects of another uid: two user contexts, a CQ created by the first.
    let mut k = vec![0u8; 16];
    let mut create = req(0x0a04, 0, 64);
    set(&mut create, 0x80, 32, 0); // plain uid, no tools label
    fw.execute(&create, &mut k).unwrap();
    let alice = u16::from_be_bytes([k[10], k[11]]);
    fw.execute(&create, &mut k).unwrap();
    let bob = u16::from_be_bytes([k[10], k[11]]);
    let cqn = fw.alloc_object(0x0402, alice, 0x1000).unwrap();
    let mut q = req(0x0402, 0, 16);
    set(&mut q, 0x48, 24, u64::from(cqn));
    set(&mut q, 0x10, 16, u64::from(alice));
    assert_eq!(run(&fw, &q, 272)[0], 0x00, "the owner sees its CQ");
    set(&mut q, 0x10, 16, u64::from(bob));
    assert_eq!(status(&run(&fw, &q, 272)), (0x05, fwctl_mlx5_sim::firmware::syndrome::NO_SUCH_OBJECT));
    // Other functions' state needs the tools label too.
    let mut v = req(0x0b0d, 0, 16);
    set(&mut v, 0x50, 16, 1);
    set(&mut v, 0x10, 16, u64::from(alice));
    assert_eq!(status(&run(&fw, &v, 32)), (0x03, fwctl_mlx5_sim::firmware::syndrome::MISSING_CAP));
    set(&mut v, 0x50, 16, 0);
    assert_eq!(run(&fw, &v, 32)[0], 0x00, "its own function is fine");
    // A plain uid does not see the kernel's objects either (no TOOLS_RESOURCES).
    set(&mut q, 0x48, 24, 0x400);
    assert_eq!(run(&fw, &q, 272)[0], 0x05);
    // The kernel (uid 0) sees everything.
    set(&mut q, 0x10, 16, 0);
    set(&mut q, 0x48, 24, u64::from(cqn));
    assert_eq!(run(&fw, &q, 272)[0], 0x00);
    // Destroying the owner's context releases its objects.
    let mut d = req(0x0a06, 0, 16);
    set(&mut d, 0x50, 16, u64::from(alice));
    fw.execute(&d, &mut k).unwrap();
    assert_eq!(run(&fw, &q, 272)[0], 0x05);
}

#[test]
fn seeded_objects_answer_their_context_at_the_header_offsets() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    // query_eq_out: eq_context_entry at bit 0x80; log_eq_size at eqc bit 0x63 (5 bits), intr at 0xb4 (12).
    let mut q = req(0x0303, 0, 16);
    set(&mut q, 0x58, 8, 3);
    let out = run(&fw, &q, 272);
    assert_eq!((out[16 + 0x63 / 8] & 0x1f), 10, "completion EQ log size");
    assert_eq!(u16::from_be_bytes([out[16 + 0xb4 / 8], out[16 + 0xb4 / 8 + 1]]) & 0xfff, 3, "MSI-X vector");
    // query_sq_out: sq_context at byte 32 (bit 0x100); cqn at sqc bit 0x48 (24 bits).
    let mut q = req(0x0907, 0, 16);
    set(&mut q, 0x48, 24, 0x801);
    let out = run(&fw, &q, 272);
    assert_eq!(be32(&out, 32 + 8) & 0xff_ffff, 0x401);
    // query_vhca_state_out: vhca_state_context at byte 16, vhca_state bits 0x0c..0x10: PF in use (3).
    let out = run(&fw, &req(0x0b0d, 0, 16), 32);
    assert_eq!(out[17] & 0x0f, 3);
    // query_driver_version_out (inferred): the string at byte 16.
    let out = run(&fw, &req(0x010c, 0, 16), 80);
    assert!(out[16..].starts_with(b"Linux,mlx5_core,"));
}

#[test]
fn query_qp_with_qpc_ext_needs_the_full_464_byte_answer() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    // query_qp_in: qpc_ext at bit 0x40, qpn at 0x48 (24 bits); query_qp_out is 464 bytes with
    // qpc_data_extension (knneth/mlnx-ofa_kernel mlx5_ifc.h), 272 without (mlx5ctl's copy).
    let mut q = req(0x050b, 0, 16);
    set(&mut q, 0x48, 24, 1);
    set(&mut q, 0x40, 1, 1);
    assert_eq!(run(&fw, &q, 272)[0], 0x51);
    assert_eq!(run(&fw, &q, 464)[0], 0x00);
    assert_eq!(expected_response_len(&q, 0), Some(464));
}

#[test]
fn modify_cong_status_is_read_back_by_query_cong_status() {
    let fw = Firmware::new(SimConfig::default()).unwrap();
    let mut m = req(0x0823, 0, 16);
    set(&mut m, 0x58, 4, 3); // priority
    set(&mut m, 0x5c, 4, 2); // NP
    set(&mut m, 0x60, 1, 0); // disable
    assert_eq!(run(&fw, &m, 16)[0], 0);
    let mut q = req(0x0822, 0, 16);
    set(&mut q, 0x58, 4, 3);
    set(&mut q, 0x5c, 4, 2);
    assert_eq!(run(&fw, &q, 16)[12] >> 7, 0, "disabled");
    set(&mut q, 0x58, 4, 4);
    assert_eq!(run(&fw, &q, 16)[12] >> 7, 1, "other priorities keep the default");
}

#[test]
fn bluefield3_knows_the_dpa_and_emulation_commands_a_connectx7_does_not() {
    let cx7 = Firmware::new(SimConfig::default()).unwrap();
    let bf3 = Firmware::new(SimConfig::for_profile(Profile::BlueField3)).unwrap();
    for opcode in [0x0b28u16, 0x0b2a, 0x0b03, 0x0b0f, 0x0b2f] {
        assert_eq!(run(&cx7, &req(opcode, 0, 16), 16)[0], 0x02, "{opcode:#x} on CX-7");
        assert_eq!(run(&bf3, &req(opcode, 0, 16), 16)[0], 0x00, "{opcode:#x} on BF-3");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The mailbox parser: any bytes, any allowed opcode, any op_mod, any
    /// register id, any length: no panic, and the answer is a known status with
    /// nothing but the header on failure.
    #[test]
    fn any_mailbox_gets_a_status_and_never_panics(
        which in 0usize..94,
        op_mod in any::<u16>(),
        reg in prop_oneof![any::<u16>(), Just(0x5006u16), Just(0x9020), Just(0x9014), Just(0xc000)],
        body in proptest::collection::vec(any::<u8>(), 0..600),
        out_len in 16usize..5000,
        uid in prop_oneof![Just(0u16), any::<u16>()],
    ) {
        let fw = Firmware::new(SimConfig::default()).unwrap();
        let opcode = ALLOW_LIST[which].opcode;
        let mut input = req(opcode, op_mod, 16);
        input.extend_from_slice(&body);
        input[2..4].copy_from_slice(&uid.to_be_bytes());
        if input.len() >= 12 && matches!(opcode, 0x0805 | 0x0b0c) {
            input[10..12].copy_from_slice(&reg.to_be_bytes());
        }
        let mut out = vec![0u8; out_len];
        fw.execute(&input, &mut out).unwrap();
        let known = [0x00u8, 0x02, 0x03, 0x05, 0x09, 0x0f, 0x50, 0x51];
        prop_assert!(known.contains(&out[0]), "status {:#x} for {:#06x}", out[0], opcode);
        if out[0] != 0 {
            prop_assert!(out[8..].iter().all(|b| *b == 0));
        }
    }
}

#[test]
fn every_object_query_is_reachable_by_name_with_its_seeded_object() {
    use fwctl_mlx5_sim::prm::queries;
    let fw = Firmware::new(SimConfig::default()).unwrap();
    let q = queries::by_object_name("eq").unwrap();
    assert_eq!(q.opcode, 0x0303);
    assert_eq!(
        queries::object_name(queries::by_object_name("Flow-Table-Entry").unwrap()),
        "flow_table_entry"
    );
    for (name, id) in
        [("cq", 0x400), ("tir", 0x38), ("flow_group", 2), ("flow_table_entry", 3), ("dct", 0x200)]
    {
        let q = queries::by_object_name(name).unwrap();
        let out = run(&fw, &queries::request(q, Some(id), 0), q.output.bytes);
        assert_eq!(out[0], 0, "{name} {id:#x}");
    }
}
