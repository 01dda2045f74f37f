//! The C vendor plugin `plugins/pds-sim`, compiled with `cc` and driven through
//! the core exactly like a linked-in driver: its envelope, per-operation scopes
//! (pds: attribute -> scope, EPERM below it, EINVAL for unknown ep/op and bad
//! lengths), FWCTL_INFO data and describe/decode_status.
#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use fwctl_core::driver::Effects;
use fwctl_core::plugin::{self, LoadOptions};
use fwctl_core::{Credentials, DeviceType, Errno, Handle, RpcScope, Subsystem};
use fwctl_tests::plugins::{TempDir, pds_sim};

const HDR: usize = 16;

fn req(ep: u32, op: u32, payload: &[u32]) -> Vec<u8> {
    let mut v = Vec::new();
    for w in [op, ep, 0, (payload.len() * 4) as u32] {
        v.extend_from_slice(&w.to_ne_bytes());
    }
    for w in payload {
        v.extend_from_slice(&w.to_ne_bytes());
    }
    v
}

fn words(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4).map(|c| u32::from_ne_bytes(c.try_into().unwrap())).collect()
}

struct Sim {
    _dir: TempDir,
    fwctl: Subsystem,
    minors: Vec<u32>,
    me: Credentials,
}

fn sim(config: &str) -> Sim {
    let dir = TempDir::new("pds-sim");
    let lib = fwctl_tests::plugins::load(&pds_sim(dir.path()), &LoadOptions::default()).unwrap();
    assert_eq!((lib.name(), lib.device_type()), ("pds-sim", DeviceType::Pds));
    let fwctl = Subsystem::new();
    let minors = lib.probe(config).unwrap().into_iter().map(|d| fwctl.register(d).unwrap()).collect();
    Sim { _dir: dir, fwctl, minors, me: Credentials::default() }
}

impl Sim {
    fn open(&self, i: usize) -> Handle {
        self.fwctl.open(self.minors[i], &self.me).unwrap()
    }
}

/// Send at `scope`; the response's (retval, payload words).
fn call(s: &Sim, h: &Handle, scope: RpcScope, r: &[u8]) -> Result<(u32, Vec<u32>), Errno> {
    let mut out = vec![0u8; 256];
    let res = h.rpc(&s.me, scope as u32, r, &mut out)?;
    let out = &out[..res.out_len as usize];
    let w = words(&out[..HDR]);
    assert_eq!(w[3] as usize, out.len() - HDR, "response envelope length");
    Ok((w[0], words(&out[HDR..])))
}

#[test]
fn probe_config_creates_devices_with_identity() {
    let s = sim("devices=3");
    assert_eq!(s.minors.len(), 3);
    let devs = s.fwctl.devices();
    assert_eq!(devs[2].view.identity.parent.as_deref(), Some("pds-sim:2"));
    assert_eq!(devs[0].view.identity.fw_version.as_deref(), Some("1.2.3-sim"));
    assert_eq!(devs[1].view.identity.serial.as_deref(), Some("PDSSIM0001"));
    assert_eq!(devs[0].view.identity.driver, "pds-sim 0.1.0 (plugin)");

    let dir = TempDir::new("pds-sim-cfg");
    let lib = fwctl_tests::plugins::load(&pds_sim(dir.path()), &LoadOptions::default()).unwrap();
    for bad in ["devices=0", "devices=9", "devices=x", "colour=blue", "devices=2 "] {
        let e = lib.probe(bad).unwrap_err();
        assert!(matches!(e, plugin::PluginError::ProbeFailed(Errno::EINVAL)), "{bad}: {e}");
    }
    assert!(lib.failure().is_none(), "an errno from probe is an answer, not a failure");
}

#[test]
fn info_reports_pds_uctx_caps() {
    let s = sim("");
    let h = s.open(0);
    let mut data = [0xffu8; 8];
    let r = h.info(&s.me, &mut data).unwrap();
    assert_eq!(r.device_type, 4, "FWCTL_DEVICE_TYPE_PDS");
    assert_eq!(r.device_data_len, 4, "sizeof(struct fwctl_info_pds)");
    // BIT(PDS_FWCTL_QUERY_CAP = 0) | BIT(PDS_FWCTL_SEND_CAP = 1), zero padded.
    assert_eq!(words(&data), [0b11, 0]);
}

#[test]
fn each_operation_needs_its_attribute_scope() {
    let s = sim("");
    let h = s.open(0);
    // (ep, op, payload, the pds scope of its attribute)
    let ops: &[(u32, u32, &[u32], RpcScope)] = &[
        (0, 0, &[], RpcScope::Configuration),
        (0, 1, &[1], RpcScope::Configuration),
        (1, 0, &[3], RpcScope::Configuration),
        (1, 1, &[3, 7], RpcScope::Configuration),
        (1, 2, &[], RpcScope::Configuration),
        (2, 0, &[], RpcScope::DebugReadOnly),
        (2, 1, &[0], RpcScope::DebugReadOnly),
        (2, 2, &[], RpcScope::DebugWrite),
        (2, 3, &[0, 1], RpcScope::DebugWriteFull),
    ];
    let me_raw = Credentials { cap_sys_rawio: true, ..Credentials::default() };
    for (ep, op, payload, min) in ops {
        let r = req(*ep, *op, payload);
        let d = h.describe(&r).unwrap();
        assert_eq!((d.op_mod, d.opcode, d.min_scope), (*ep, *op, Some(*min)), "{ep}.{op}");
        for scope in RpcScope::ALL {
            let mut out = [0u8; 256];
            let got = h.rpc(&me_raw, scope as u32, &r, &mut out);
            if scope < *min {
                assert_eq!(got, Err(Errno::EPERM), "{ep}.{op} at {scope}");
            } else {
                assert!(got.is_ok(), "{ep}.{op} at {scope}: {got:?}");
            }
        }
    }
}

#[test]
fn parameters_round_trip_and_bad_index_is_in_band() {
    let s = sim("devices=2");
    let (h0, h1) = (s.open(0), s.open(1));
    let cfg = RpcScope::Configuration;
    assert_eq!(call(&s, &h0, cfg, &req(1, 0, &[5])).unwrap(), (0, vec![0x105]));
    assert_eq!(call(&s, &h0, cfg, &req(1, 1, &[5, 0xabcd])).unwrap(), (0, vec![]));
    assert_eq!(call(&s, &h0, cfg, &req(1, 0, &[5])).unwrap(), (0, vec![0xabcd]));
    // Devices are independent.
    assert_eq!(call(&s, &h1, cfg, &req(1, 0, &[5])).unwrap(), (0, vec![0x105]));
    assert_eq!(call(&s, &h0, cfg, &req(1, 2, &[])).unwrap(), (0, vec![1]));
    assert_eq!(call(&s, &h0, cfg, &req(1, 2, &[])).unwrap(), (0, vec![2]));

    // An index out of range is a delivered RPC with an in-band error.
    let mut out = [0u8; 64];
    let r = h0.rpc(&s.me, 0, &req(1, 0, &[16]), &mut out).unwrap();
    assert_eq!(words(&out[..HDR]), [1, 0, 0, 0]);
    let st = h0.decode_status(&out[..r.out_len as usize]).unwrap();
    assert_eq!((st.code, st.name.as_ref(), st.ok), (1, "BAD_INDEX", false));
    let r = h0.rpc(&s.me, 0, &req(1, 0, &[0]), &mut out).unwrap();
    assert!(h0.decode_status(&out[..r.out_len as usize]).unwrap().ok);

    // Device 0 has delivered 7 RPCs, one with an in-band error; read_counters
    // reports the counts before counting itself.
    let (rv, c) = call(&s, &h0, RpcScope::DebugReadOnly, &req(2, 0, &[])).unwrap();
    assert_eq!((rv, c), (0, vec![7, 1]));
}

#[test]
fn discovery_lists_endpoints_and_operations_with_scopes() {
    let s = sim("");
    let h = s.open(0);
    let (_, eps) = call(&s, &h, RpcScope::Configuration, &req(0, 0, &[])).unwrap();
    assert_eq!(eps, [3, 0, 2, 1, 3, 2, 4]);
    let (_, ops) = call(&s, &h, RpcScope::Configuration, &req(0, 1, &[2])).unwrap();
    // count, then {op, attr, scope}: DEBUG_READ x2, DEBUG_WRITE, RAW.
    assert_eq!(ops, [4, 0, 3, 1, 1, 3, 1, 2, 4, 2, 3, 5, 3]);
}

#[test]
fn unknown_endpoint_or_operation_and_bad_lengths_are_einval() {
    let s = sim("");
    let h = s.open(0);
    let full = Credentials { cap_sys_rawio: true, ..Credentials::default() };
    let mut out = [0u8; 256];
    let mut rpc = |r: &[u8], cap: usize| h.rpc(&full, 3, r, &mut out[..cap]);
    assert_eq!(rpc(&req(9, 0, &[]), 256), Err(Errno::EINVAL), "unknown endpoint");
    assert_eq!(rpc(&req(1, 9, &[]), 256), Err(Errno::EINVAL), "unknown operation");
    assert_eq!(rpc(&req(1, 0, &[])[..15], 256), Err(Errno::EINVAL), "short header");
    assert_eq!(rpc(&req(1, 0, &[1, 2]), 256), Err(Errno::EINVAL), "payload too long for the op");
    let mut lying = req(1, 0, &[1]);
    lying[12] = 8; // header len says 8, 4 bytes follow
    assert_eq!(rpc(&lying, 256), Err(Errno::EINVAL), "envelope length mismatch");
    let mut rsvd = req(1, 0, &[1]);
    rsvd[8] = 1;
    assert_eq!(rpc(&rsvd, 256), Err(Errno::EINVAL), "reserved field set");
    assert_eq!(rpc(&req(1, 0, &[1]), 19), Err(Errno::EINVAL), "response buffer too small");
    assert_eq!(rpc(&req(1, 0, &[1]), 20).map(|r| r.out_len), Ok(20));
    // describe: unknown ops are decodable but allowed at no scope; garbage is EINVAL.
    assert_eq!(h.describe(&req(9, 9, &[])).unwrap().min_scope, None);
    assert_eq!(h.describe(&[1, 2, 3]), Err(Errno::EINVAL));
    let d = h.describe(&req(2, 3, &[0, 0])).unwrap();
    assert_eq!(d.name.as_deref(), Some("debug.poke"));
    assert_eq!(d.effects, Effects::WRITE_DEBUG | Effects::DISRUPTIVE);
    assert_eq!(d.expected_out_len, Some(HDR));
}

/// Property: no request bytes make the plugin fail or the host misbehave; every
/// answer is a delivered response or one of the documented errnos.
#[test]
fn arbitrary_requests_get_documented_answers() {
    use proptest::prelude::*;
    let s = sim("");
    let h = s.open(0);
    let full = Credentials { cap_sys_rawio: true, ..Credentials::default() };
    let lib_failed = || s.fwctl.devices()[0].failure.clone();
    proptest!(ProptestConfig::with_cases(400), |(bytes in proptest::collection::vec(any::<u8>(), 0..48),
                                               scope in 0u32..4, cap in 0usize..160)| {
        let mut out = vec![0u8; cap];
        match h.rpc(&full, scope, &bytes, &mut out) {
            Ok(r) => prop_assert!(r.out_len as usize <= cap),
            Err(e) => prop_assert!(matches!(e, Errno::EINVAL | Errno::EPERM), "{e}"),
        }
        let _ = h.describe(&bytes);
        prop_assert_eq!(lib_failed(), None);
    });
}
