//! The simulated CXL memory device behind the CXL fwctl driver's rules, through
//! the plugin path (the SDK's v2 vtable in-process, and the cdylib loaded with
//! dlopen). Facts restated from `include/uapi/fwctl/cxl.h`,
//! `include/uapi/cxl/features.h`, `include/cxl/features.h` and
//! `drivers/cxl/core/features.c` (torvalds/linux @d2c0e95).
#![allow(clippy::unwrap_used)] // tests may unwrap

use fwctl_core::plugin::{LoadOptions, PluginLibrary};
use fwctl_core::{Credentials, DeviceType, Errno, Handle, RpcScope, Subsystem};
use fwctl_cxl_sim::{self as cxl, effects};
use fwctl_tests::plugins::cargo_cdylib;

#[test]
fn golden_layout_and_numbers_from_the_kernel_headers() {
    // struct fwctl_rpc_cxl: 16-byte header + the largest union member (set_feat_in's 32-byte header).
    assert_eq!(cxl::RPC_CXL_SIZE, 48);
    assert_eq!(cxl::RPC_CXL_HDR_SIZE, 16);
    // struct fwctl_rpc_cxl_out: {size, retval} + get_sup_feats_out's 8-byte header.
    assert_eq!((cxl::RPC_CXL_OUT_SIZE, cxl::RPC_CXL_OUT_HDR_SIZE), (16, 8));
    // Packed mailbox payloads (CXL r3.2 Tables 8-96, 8-99, 8-101, 8-109).
    assert_eq!(cxl::GET_SUP_FEATS_IN_SIZE, 4 + 2 + 2);
    assert_eq!(cxl::GET_FEAT_IN_SIZE, 16 + 2 + 2 + 1);
    assert_eq!(cxl::SET_FEAT_HDR_SIZE, 16 + 4 + 2 + 1 + 9);
    assert_eq!(cxl::FEAT_ENTRY_SIZE, 16 + 2 + 2 + 2 + 4 + 1 + 1 + 2 + 18);
    assert_eq!(
        (cxl::OP_GET_SUPPORTED_FEATURES, cxl::OP_GET_FEATURE, cxl::OP_SET_FEATURE),
        (0x500, 0x501, 0x502)
    );
    // Command effects bits and the masks the driver builds from them.
    assert_eq!(effects::IMMEDIATE, 0b1_1110);
    assert_eq!(effects::RESET, (1 << 0) | (1 << 10) | (1 << 11));
    assert_eq!((effects::BACKGROUND, effects::RESERVED), (1 << 6, 0xf000));
    assert_eq!(cxl::uuid_string(&cxl::PATROL_SCRUB_UUID), "96dad7d6-fde8-482b-a733-75774e06db8a");
    assert_eq!(cxl::uuid_string(&cxl::ECS_UUID), "e5b13f22-2328-4a14-b8ba-b9691e893386");
    assert_eq!(cxl::uuid_string(&cxl::SPPR_UUID), "892ba475-fad8-474e-9d3e-692c917568bb");
    assert_eq!(cxl::uuid_string(&cxl::HPPR_UUID), "80ea4521-786f-4127-afb1-ec7459fb0e24");
    assert_eq!(cxl::parse_uuid("96dad7d6-fde8-482b-a733-75774e06db8a"), Some(cxl::PATROL_SCRUB_UUID));
}

fn header(opcode: u32, op_size: u32) -> Vec<u8> {
    [opcode, 0xdead_beef /* flags: ignored */, op_size, 0x1234 /* reserved1: ignored */]
        .iter()
        .flat_map(|w| w.to_ne_bytes())
        .collect()
}

fn get_supported(count: u32, start: u16) -> Vec<u8> {
    let mut r = header(0x500, 8);
    r.extend_from_slice(&count.to_le_bytes());
    r.extend_from_slice(&start.to_le_bytes());
    r.resize(48, 0);
    r
}

fn get_feature(uuid: &[u8; 16], offset: u16, count: u16, selection: u8) -> Vec<u8> {
    let mut r = header(0x501, 21);
    r.extend_from_slice(uuid);
    r.extend_from_slice(&offset.to_le_bytes());
    r.extend_from_slice(&count.to_le_bytes());
    r.push(selection);
    r.resize(48, 0);
    r
}

fn set_feature(uuid: &[u8; 16], offset: u16, version: u8, data: &[u8]) -> Vec<u8> {
    let mut r = header(0x502, 32 + data.len() as u32);
    r.extend_from_slice(uuid);
    r.extend_from_slice(&0u32.to_le_bytes());
    r.extend_from_slice(&offset.to_le_bytes());
    r.push(version);
    r.resize(48, 0);
    r.extend_from_slice(data);
    r
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(b[at..at + 4].try_into().unwrap())
}

struct Dev {
    h: Handle,
    me: Credentials,
}

impl Dev {
    fn new(lib: &std::sync::Arc<PluginLibrary>, config: &str) -> (Subsystem, Dev) {
        let fwctl = Subsystem::new();
        let minor = fwctl.register(lib.probe(config).unwrap().remove(0)).unwrap();
        let me = Credentials { cap_sys_rawio: true, ..Credentials::default() };
        let h = fwctl.open(minor, &me).unwrap();
        (fwctl, Dev { h, me })
    }
    fn rpc(&self, scope: RpcScope, req: &[u8], cap: usize) -> Result<(u32, Vec<u8>), Errno> {
        let mut out = vec![0xEEu8; cap];
        self.h.rpc(&self.me, scope as u32, req, &mut out).map(|r| (r.out_len, out))
    }
}

fn in_process() -> std::sync::Arc<PluginLibrary> {
    PluginLibrary::from_static(&cxl::VTABLE, "cxl-sim").unwrap()
}

fn behaves_like_the_cxl_driver(lib: &std::sync::Arc<PluginLibrary>) {
    use RpcScope::*;
    assert_eq!(lib.device_type(), DeviceType::Cxl);
    let (_fwctl, d) = Dev::new(lib, "");
    // INFO: no info op, so zero-filled with length 0.
    let mut data = [0xAAu8; 8];
    let info = d.h.info(&d.me, &mut data).unwrap();
    assert_eq!((info.device_type, info.device_data_len, data), (DeviceType::Cxl.as_u32(), 0, [0; 8]));

    // Get Supported Features, all 7 entries: out_len = 24 + 48n, size = 8 + 48n.
    let (len, out) = d.rpc(Configuration, &get_supported(7 * 48, 0), 4096).unwrap();
    assert_eq!(len, 24 + 48 * 7);
    assert_eq!((u32_at(&out, 0), u32_at(&out, 4)), (8 + 48 * 7, 0));
    assert_eq!(u16::from_le_bytes([out[8], out[9]]), 7, "num_entries");
    assert_eq!(u16::from_le_bytes([out[10], out[11]]), 7, "supported_feats includes exclusive ones");
    let entry = |i: usize| &out[16 + 48 * i..16 + 48 * (i + 1)];
    assert_eq!(entry(0)[..16], cxl::PATROL_SCRUB_UUID);
    // Exclusive: set_feat_size 0 and CHANGEABLE cleared in the copy returned.
    assert_eq!(&entry(0)[20..22], &[0, 0]);
    assert_eq!(entry(0)[22] & 1, 0);
    // A user feature keeps both.
    let thermal = (0..7).find(|&i| entry(i)[..16] == cxl::VENDOR_THERMAL_UUID).unwrap();
    assert_eq!(u16::from_le_bytes([entry(thermal)[20], entry(thermal)[21]]), 2);
    assert_eq!(entry(thermal)[22] & 1, 1);
    // The 8 trailing bytes of the length quirk are zero.
    assert_eq!(&out[16 + 48 * 7..24 + 48 * 7], &[0; 8]);
    // The caller's buffer smaller than the driver's length: truncated, length reported.
    let (len, out) = d.rpc(Configuration, &get_supported(7 * 48, 0), 20).unwrap();
    assert_eq!((len, u32_at(&out, 0)), (24 + 48 * 7, 8 + 48 * 7));
    // count / 48 entries, from start; start out of range and a bad op_size are EINVAL.
    assert_eq!(d.rpc(Configuration, &get_supported(100, 5), 4096).unwrap().0, 24 + 48 * 2);
    assert_eq!(d.rpc(Configuration, &get_supported(48 * 7, 7), 4096), Err(Errno::EINVAL));
    let mut bad = get_supported(48, 0);
    bad[8] = 9;
    assert_eq!(d.rpc(Configuration, &bad, 4096), Err(Errno::EINVAL));
    // The opcode is truncated to u16: 0x10500 is Get Supported Features.
    let mut wide = get_supported(48, 0);
    wide[..4].copy_from_slice(&0x10500u32.to_ne_bytes());
    assert_eq!(d.rpc(Configuration, &wide, 4096).unwrap().0, 24 + 48);
    // Unknown opcodes are EINVAL (validation), not EOPNOTSUPP.
    assert_eq!(d.rpc(DebugWriteFull, &header(0x4300, 0), 64), Err(Errno::EINVAL));

    // Get Feature: out_len = 8 + bytes; count 0 and op_size != 21 are EINVAL.
    let (len, out) = d.rpc(Configuration, &get_feature(&cxl::VENDOR_THERMAL_UUID, 0, 2, 0), 64).unwrap();
    assert_eq!((len, u32_at(&out, 0), u32_at(&out, 4)), (10, 2, 0));
    assert_eq!(&out[8..10], &85u16.to_le_bytes());
    assert_eq!(
        d.rpc(Configuration, &get_feature(&cxl::VENDOR_THERMAL_UUID, 0, 0, 0), 64),
        Err(Errno::EINVAL)
    );
    // A mailbox failure (offset past the value) is in-band: size 0, retval, out_len 8.
    let (len, out) = d.rpc(Configuration, &get_feature(&cxl::VENDOR_THERMAL_UUID, 9, 2, 0), 64).unwrap();
    assert_eq!((len, u32_at(&out, 0), u32_at(&out, 4)), (8, 0, cxl::retcode::INVALID_INPUT));

    // Set Feature scope rules from the effects: immediate needs DEBUG_WRITE_FULL.
    let set_thermal = set_feature(&cxl::VENDOR_THERMAL_UUID, 0, 1, &70u16.to_le_bytes());
    assert_eq!(d.rpc(DebugWrite, &set_thermal, 64), Err(Errno::EINVAL));
    let (len, out) = d.rpc(DebugWriteFull, &set_thermal, 64).unwrap();
    assert_eq!((len, u32_at(&out, 0), u32_at(&out, 4)), (8, 0, 0));
    // ... and Set changes what Get returns.
    let (_, out) = d.rpc(Configuration, &get_feature(&cxl::VENDOR_THERMAL_UUID, 0, 2, 0), 64).unwrap();
    assert_eq!(&out[8..10], &70u16.to_le_bytes());
    // Reset-only effects need DEBUG_WRITE.
    let set_tel = set_feature(&cxl::VENDOR_TELEMETRY_UUID, 0, 1, &30u32.to_le_bytes());
    assert_eq!(d.rpc(DebugReadOnly, &set_tel, 64), Err(Errno::EINVAL));
    assert_eq!(d.rpc(DebugWrite, &set_tel, 64).unwrap().0, 8);
    // Not changeable, unknown UUID: EINVAL. op_size <= 32 (no data): EINVAL after validation.
    assert_eq!(
        d.rpc(DebugWriteFull, &set_feature(&cxl::VENDOR_WEAR_UUID, 0, 1, &[1]), 64),
        Err(Errno::EINVAL)
    );
    assert_eq!(d.rpc(DebugWriteFull, &set_feature(&[7; 16], 0, 1, &[1]), 64), Err(Errno::EINVAL));
    assert_eq!(
        d.rpc(DebugWriteFull, &set_feature(&cxl::VENDOR_THERMAL_UUID, 0, 1, &[]), 64),
        Err(Errno::EINVAL)
    );
    // Exclusive features pass validation (CHANGEABLE in the cached entry) and get EPERM.
    assert_eq!(
        d.rpc(DebugWriteFull, &set_feature(&cxl::PATROL_SCRUB_UUID, 0, 1, &[6, 1]), 64),
        Err(Errno::EPERM)
    );
    // ... but below their scope they are EINVAL like anything else.
    assert_eq!(
        d.rpc(DebugWrite, &set_feature(&cxl::PATROL_SCRUB_UUID, 0, 1, &[6, 1]), 64),
        Err(Errno::EINVAL)
    );
    // Wrong version: delivered, mailbox error in-band.
    let (len, out) =
        d.rpc(DebugWriteFull, &set_feature(&cxl::VENDOR_THERMAL_UUID, 0, 9, &[1, 0]), 64).unwrap();
    assert_eq!((len, u32_at(&out, 4)), (8, cxl::retcode::INVALID_INPUT));

    // Read-only feature capability: gets work, every set is EINVAL.
    let (_f2, ro) = Dev::new(lib, "feat_cap=ro");
    assert!(ro.rpc(Configuration, &get_supported(48, 0), 4096).is_ok());
    assert_eq!(ro.rpc(DebugWriteFull, &set_thermal, 64), Err(Errno::EINVAL));
    assert_eq!(lib.failure(), None);
}

#[test]
fn cxl_sim_in_process_through_the_sdk_vtable() {
    behaves_like_the_cxl_driver(&in_process());
}

#[test]
fn cxl_sim_cdylib_loaded_with_dlopen() {
    let path = match cargo_cdylib("fwctl-cxl-sim", "fwctl_cxl_sim") {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let lib = fwctl_tests::plugins::load(&path, &LoadOptions::default()).unwrap();
    assert!(lib.has_rpc_v2());
    behaves_like_the_cxl_driver(&lib);
}

#[test]
fn describe_gives_the_scope_the_driver_enforces() {
    let lib = in_process();
    let drv = lib.probe("").unwrap().remove(0);
    use fwctl_core::driver::Driver;
    let d = drv.describe(&get_supported(48, 0)).unwrap();
    assert_eq!((d.opcode, d.min_scope), (0x500, Some(RpcScope::Configuration)));
    let d = drv.describe(&set_feature(&cxl::VENDOR_THERMAL_UUID, 0, 1, &[1, 0])).unwrap();
    assert_eq!((d.name.as_deref(), d.min_scope), (Some("SET_FEATURE"), Some(RpcScope::DebugWriteFull)));
    let d = drv.describe(&set_feature(&cxl::VENDOR_TELEMETRY_UUID, 0, 1, &[1, 0, 0, 0])).unwrap();
    assert_eq!(d.min_scope, Some(RpcScope::DebugWrite));
    let d = drv.describe(&set_feature(&cxl::VENDOR_WEAR_UUID, 0, 1, &[1])).unwrap();
    assert_eq!(d.min_scope, None);
}

#[test]
fn cxl_sim_through_fwctld_reports_the_long_length_and_truncates_the_copy() {
    use fwctl_core::transport::{Daemon, Transport};
    use fwctl_tests::daemon::Fwctld;
    let d = Fwctld::start(
        "[[device]]\nname = \"nic0\"\ndriver = \"mlx5-sim\"\n\n[[device]]\nname = \"cxl0\"\ndriver = \"cxl-sim\"\n",
        &[],
    );
    let daemon = Daemon::new(&d.runtime_dir);
    let listed: Vec<(String, String)> = daemon
        .list()
        .unwrap()
        .iter()
        .map(|s| (s.view.name.clone(), s.view.identity.driver.clone()))
        .collect();
    assert_eq!(listed[1], ("fwctl1".into(), "cxl-sim 1.0 (plugin)".into()), "{listed:?}");
    let mut cxl = daemon.open("fwctl1").unwrap();
    let mut data = [0xAAu8; 4];
    let info = cxl.info(&mut data).unwrap();
    assert_eq!((info.device_type, info.device_data_len, data), (DeviceType::Cxl.as_u32(), 0, [0; 4]));
    // The driver's length (24 + 48 * 7) through the daemon's frame memory, the copy truncated to 20 bytes.
    let mut out = [0xEEu8; 20];
    let r = cxl.rpc(0, &get_supported(7 * 48, 0), &mut out).unwrap();
    assert_eq!(r.out_len, 24 + 48 * 7);
    assert_eq!(u32_at(&out, 0), 8 + 48 * 7);
    assert_eq!(out[16..20], cxl::PATROL_SCRUB_UUID[..4]);
    let mut out = [0u8; 64];
    let r = cxl.rpc(0, &get_feature(&cxl::VENDOR_TELEMETRY_UUID, 0, 4, 0), &mut out).unwrap();
    assert_eq!((r.out_len, &out[8..12]), (12, &60u32.to_le_bytes()[..]));
    assert_eq!(
        cxl.rpc(0, &get_feature(&cxl::VENDOR_TELEMETRY_UUID, 0, 0, 0), &mut out).err(),
        Some(Errno::EINVAL)
    );
    let (status, _) = d.stop();
    assert!(status.success(), "{status:?}");
}
