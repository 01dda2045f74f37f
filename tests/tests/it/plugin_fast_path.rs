//! The plugin RPC fast path (ABI version 2 additions): `rpc_v2` hands back the
//! response's status with the answer (no `decode_status` call, no read-back),
//! names cross as ids of the plugin's name table (its text asked once), and
//! each answer is still checked: unknown status flags, a status the host did
//! not offer, and name ids beyond the table or unknown to the plugin fail the
//! plugin (ENXIO), never the process. A plugin with
//! `FWCTL_PLUGIN_FEATURE_DESCRIBE_IN_RPC` describes the request in the same
//! `rpc_v2` call, before delivering it, when the host wants the description
//! only for afterwards; its describe flags are checked the same way. A vtable
//! of the first version 2 size (before `name_text`) still loads.
#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use std::ffi::CStr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};

use fwctl_core::driver::Driver;
use fwctl_core::plugin::sdk::{ExportedVTable, Plugin};
use fwctl_core::plugin::{LoadOptions, PluginLibrary, abi};
use fwctl_core::{Credentials, DeviceType, Errno, Handle, SegmentMemory, Subsystem};
use fwctl_tests::echo::EchoDriver;
use fwctl_tests::plugins::{TempDir, fixture};

fn device(lib: &Arc<PluginLibrary>) -> (Subsystem, Handle) {
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let h = fwctl.open(minor, &Credentials::default()).unwrap();
    (fwctl, h)
}

fn load(dir: &TempDir, name: &str, define: &str) -> Arc<PluginLibrary> {
    fwctl_tests::plugins::load(&fixture(dir.path(), name, define), &LoadOptions::default()).unwrap()
}

/// FWCTL_RPC through the raw ioctl, with no audit and nobody asking for the
/// status (the host does not offer `args.status`).
fn bare_ioctl(h: &Handle, req: &[u8]) -> Result<(), Errno> {
    const RPC: u32 = 0x9A01;
    let (arg, inp, out) = (0x7f00_0000_0000u64, 0x7f00_1000_0000u64, 0x7f00_2000_0000u64);
    // struct fwctl_rpc: size, scope, in_len, out_len, in, out.
    let mut s = Vec::new();
    for w in [32u32, 0, req.len() as u32, 16] {
        s.extend_from_slice(&w.to_ne_bytes());
    }
    s.extend_from_slice(&inp.to_ne_bytes());
    s.extend_from_slice(&out.to_ne_bytes());
    let mut mem = SegmentMemory::new();
    mem.map_owned(arg, s).map_owned(inp, req.to_vec()).map_owned(out, vec![0; 16]);
    h.ioctl(&Credentials::default(), RPC, arg, &mut mem)
}

#[test]
fn a_status_decoded_by_rpc_v2_reaches_the_dispatcher_and_bad_status_flags_fail_the_plugin() {
    let dir = TempDir::new("fast-status");
    let me = Credentials::default();
    // STATUS_DECODED with the status filled: the dispatcher reports it.
    let lib = load(&dir, "decoded", &format!("RPC_V2_FLAGS={}", abi::RPC_STATUS_DECODED));
    let (_f, h) = device(&lib);
    let mut out = [0u8; 4];
    let r = h.rpc(&me, 0, b"ping", &mut out).unwrap();
    assert_eq!((r.out_len, &out), (4, b"Ping"));
    let s = r.status.unwrap();
    assert_eq!((s.code, &*s.name, s.ok, s.syndrome), (7, "FX_OK", true, None));
    // The same plugin, not asked for a status, still sets the bit: garbage.
    assert_eq!(bare_ioctl(&h, b"ping"), Err(Errno::ENXIO));
    assert!(lib.failure().unwrap().contains("rpc_v2"), "{:?}", lib.failure());

    // NO_STATUS: looked, none.
    let lib = load(&dir, "nostatus", &format!("RPC_V2_FLAGS={}", abi::RPC_NO_STATUS));
    let (_f, h) = device(&lib);
    let r = h.rpc(&me, 0, b"ping", &mut out).unwrap();
    assert_eq!((r.out_len, r.status), (4, None));
    assert!(lib.failure().is_none());

    // Both bits, or a bit nobody defined: garbage, the device answers ENXIO.
    for (name, flags) in [("both", abi::RPC_STATUS_DECODED | abi::RPC_NO_STATUS), ("unknown", 1 << 7)] {
        let lib = load(&dir, name, &format!("RPC_V2_FLAGS={flags}"));
        let (_f, h) = device(&lib);
        assert_eq!(h.rpc(&me, 0, b"ping", &mut out).map(|r| r.out_len), Err(Errno::ENXIO), "{name}");
        assert!(lib.failure().unwrap().contains("flags"), "{name}: {:?}", lib.failure());
        assert_eq!(h.rpc(&me, 0, b"ping", &mut out).map(|r| r.out_len), Err(Errno::ENXIO), "{name}");
    }
}

#[test]
fn a_plugin_describing_in_rpc_v2_describes_the_request_as_sent_and_bad_describe_flags_fail_it() {
    let dir = TempDir::new("fast-describe");
    let me = Credentials::default();
    let lib = load(&dir, "described", &format!("DESCRIBE_IN_RPC={}", abi::RPC_DESCRIBED));
    assert!(lib.describes_in_rpc());
    let (_f, h) = device(&lib);
    let mut out = [0u8; 4];
    let r = h.rpc(&me, 0, b"ping", &mut out).unwrap();
    assert_eq!((r.out_len, &out), (4, b"Ping"));
    // The fixture has no describe entry point: this description came with
    // the RPC, and is of the request as sent (op_mod 'p', before the echo
    // changed it to 'P').
    let d = r.description.unwrap();
    assert_eq!((d.opcode, d.op_mod, d.name.as_deref()), (2, u32::from(b'p'), Some("FX_RPC_OP")));
    assert_eq!(h.describe(b"ping").map(|d| d.opcode), Err(Errno::EOPNOTSUPP));
    // Nobody wanting a description: not offered, none answered.
    bare_ioctl(&h, b"ping").unwrap();
    assert!(lib.failure().is_none(), "{:?}", lib.failure());

    // NOT_DESCRIBED: delivered, no description.
    let lib = load(&dir, "undescribed", &format!("DESCRIBE_IN_RPC={}", abi::RPC_NOT_DESCRIBED));
    let (_f, h) = device(&lib);
    let r = h.rpc(&me, 0, b"ping", &mut out).unwrap();
    assert_eq!((r.out_len, r.description), (4, None));
    assert!(lib.failure().is_none(), "{:?}", lib.failure());

    // Both bits, no bit although offered, a bit although not offered: garbage.
    let both = abi::RPC_DESCRIBED | abi::RPC_NOT_DESCRIBED;
    for (name, define, typed) in [
        ("both", format!("DESCRIBE_IN_RPC={both}"), true),
        ("none", "DESCRIBE_IN_RPC=0".to_string(), true),
        ("unasked", format!("DESCRIBE_UNASKED={}", abi::RPC_NOT_DESCRIBED), false),
    ] {
        let lib = load(&dir, name, &define);
        let (_f, h) = device(&lib);
        let r = if typed {
            h.rpc(&me, 0, b"ping", &mut out).map(|r| r.out_len)
        } else {
            bare_ioctl(&h, b"ping").map(|()| 4)
        };
        assert_eq!(r, Err(Errno::ENXIO), "{name}");
        assert!(lib.failure().unwrap().contains("describe"), "{name}: {:?}", lib.failure());
        assert_eq!(h.rpc(&me, 0, b"ping", &mut out).map(|r| r.out_len), Err(Errno::ENXIO), "{name}");
    }
}

/// A policy that records the description it is shown and allows or refuses.
struct Judge {
    allow: bool,
    seen: std::sync::Mutex<Vec<Option<u32>>>,
}

impl fwctl_core::hooks::Policy for Judge {
    fn check_open(&self, _: &fwctl_core::hooks::OpenCheck<'_>) -> fwctl_core::hooks::Decision {
        fwctl_core::hooks::Decision::allow("test")
    }
    fn check_rpc(&self, check: &fwctl_core::hooks::RpcCheck<'_>) -> fwctl_core::hooks::Decision {
        self.seen.lock().unwrap().push(check.description.map(|d| d.opcode));
        if self.allow {
            fwctl_core::hooks::Decision::allow("test")
        } else {
            fwctl_core::hooks::Decision::deny(Errno::EACCES, "test")
        }
    }
}

#[test]
fn under_a_policy_the_description_is_asked_before_delivery_and_a_refused_rpc_never_reaches_the_plugin() {
    let dir = TempDir::new("fast-describe-policy");
    let me = Credentials::default();
    // Describes only inside rpc_v2 (no describe entry point).
    let lib = load(&dir, "described", &format!("DESCRIBE_IN_RPC={}", abi::RPC_DESCRIBED));
    for allow in [false, true] {
        let judge = Arc::new(Judge { allow, seen: Default::default() });
        let fwctl = Subsystem::new();
        fwctl.set_hooks(fwctl_core::hooks::Hooks { policy: Some(judge.clone()), audit: None });
        let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
        let h = fwctl.open(minor, &me).unwrap();
        let mut out = [0u8; 4];
        let r = h.rpc(&me, 0, b"ping", &mut out);
        // The policy judged before delivery, without the description only
        // the delivery could have given (the plugin was not offered it).
        assert_eq!(*judge.seen.lock().unwrap(), vec![None], "allow={allow}");
        if allow {
            let r = r.unwrap();
            assert_eq!((r.out_len, &out, r.description), (4, b"Ping", None));
        } else {
            assert_eq!(r.map(|r| r.out_len), Err(Errno::EACCES));
            assert_eq!(&out, &[0; 4], "refused: never delivered");
        }
        assert!(lib.failure().is_none(), "{:?}", lib.failure());
    }
}

#[test]
fn name_ids_are_named_once_and_bad_ids_fail_the_plugin() {
    let dir = TempDir::new("fast-names");
    let lib = load(&dir, "id0", "NAME_ID=0");
    let (_f, h) = device(&lib);
    for _ in 0..3 {
        let d = h.describe(b"ping").unwrap();
        assert_eq!((d.opcode, d.name.as_deref()), (1, Some("FIXTURE_OP")));
    }
    assert!(lib.failure().is_none());
    let lib = load(&dir, "noname", &format!("NAME_ID={}", abi::NO_NAME));
    let (_f, h) = device(&lib);
    assert_eq!(h.describe(b"ping").unwrap().name, None);
    // An id the plugin's name_text refuses, and one beyond the table.
    for (name, id) in [("unknown", 5), ("beyond", abi::MAX_NAME_IDS)] {
        let lib = load(&dir, name, &format!("NAME_ID={id}"));
        let (_f, h) = device(&lib);
        assert_eq!(h.describe(b"ping").map(|d| d.opcode), Err(Errno::ENXIO), "{name}");
        assert!(lib.failure().unwrap().contains("name id"), "{name}: {:?}", lib.failure());
    }
}

#[test]
fn a_vtable_of_the_first_version_2_size_still_loads_and_runs() {
    let dir = TempDir::new("fast-v20");
    let lib = load(&dir, "v20", &format!("STRUCT_SIZE={}", abi::VTABLE_V2_0_SIZE));
    assert_eq!((lib.info().abi_version, lib.info().struct_size), (2, abi::VTABLE_V2_0_SIZE));
    let (_f, h) = device(&lib);
    let mut out = [0u8; 4];
    let r = h.rpc(&Credentials::default(), 0, b"ping", &mut out).unwrap();
    assert_eq!((r.out_len, &out), (4, b"ping"));
}

static ECHO: OnceLock<EchoDriver> = OnceLock::new();

struct CountingEcho;
impl Plugin for CountingEcho {
    const NAME: &'static CStr = c"counting-echo";
    const VERSION: &'static CStr = c"1";
    const DEVICE_TYPE: DeviceType = DeviceType::Mlx5;
    fn probe(_: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        Ok(vec![Arc::new(ECHO.get_or_init(EchoDriver::new).clone())])
    }
}

static COUNTING: ExportedVTable = ExportedVTable::new::<CountingEcho>();

#[test]
fn through_the_sdk_one_rpc_is_one_describe_and_one_status_decoding() {
    let lib = PluginLibrary::from_static(&COUNTING, "counting-echo").unwrap();
    let (_f, h) = device(&lib);
    let c = &ECHO.get().unwrap().counters;
    let me = Credentials::default();
    let mut out = [0u8; 8];
    for n in 1..=3 {
        let r = h.rpc(&me, 0, b"echo", &mut out).unwrap();
        assert_eq!(r.description.unwrap().name.as_deref(), Some("ECHO"));
        assert_eq!(r.status, None);
        assert_eq!(c.describes.load(Ordering::SeqCst), n, "describes");
        assert_eq!(c.decode_statuses.load(Ordering::SeqCst), n, "decode_status: once, inside rpc_v2");
        assert_eq!(c.rpcs.load(Ordering::SeqCst), n, "rpcs");
    }
    // Nobody asking: no status decoded at all.
    bare_ioctl(&h, b"echo").unwrap();
    assert_eq!(c.decode_statuses.load(Ordering::SeqCst), 3);
}
