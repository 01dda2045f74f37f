//! Property tests of the core: scope monotonicity, driver errors never turning
//! into success, and arbitrary caller input never panicking.

#![expect(clippy::unwrap_used, reason = "tests may unwrap: a panic is a test failure")]

use std::sync::Arc;

use fwctl_core::driver::{Effects, RpcDescription};
use fwctl_core::{Credentials, Errno, Handle, RpcScope, SegmentMemory, Subsystem};
use fwctl_tests::echo::EchoDriver;
use proptest::prelude::*;

const RPC: u32 = 0x9A01;
const INFO: u32 = 0x9A00;
const ARG: u64 = 0x1000;
const IN: u64 = 0x10_0000;
const OUT: u64 = 0x20_0000;

fn rawio() -> Credentials {
    Credentials { uid: 0, pid: 1, comm: "prop".into(), cap_sys_rawio: true, ..Default::default() }
}

fn setup() -> (Subsystem, EchoDriver, Handle) {
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    let drv = EchoDriver::new();
    let m = fw.register(Arc::new(drv.clone())).unwrap();
    let h = fw.open(m, &rawio()).unwrap();
    (fw, drv, h)
}

fn scope() -> impl Strategy<Value = RpcScope> {
    prop::sample::select(RpcScope::ALL.to_vec())
}

fn rpc_struct(size: u32, scope: u32, in_len: u32, out_len: u32, in_ptr: u64, out_ptr: u64) -> Vec<u8> {
    [size, scope, in_len, out_len]
        .iter()
        .flat_map(|w| w.to_ne_bytes())
        .chain(in_ptr.to_ne_bytes())
        .chain(out_ptr.to_ne_bytes())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Allowed at S implies allowed at every higher scope, through the core.
    #[test]
    fn allowed_at_a_scope_is_allowed_at_every_higher_scope(
        min in scope(),
        s in scope(),
        req in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let (_fw, drv, h) = setup();
        *drv.config.min_scope.lock().unwrap() = Some(min);
        let mut out = vec![0u8; req.len()];
        let allowed = h.rpc(&rawio(), s as u32, &req, &mut out).is_ok();
        prop_assert_eq!(allowed, s >= min);
        if allowed {
            for higher in RpcScope::ALL.into_iter().filter(|t| *t >= s) {
                prop_assert!(h.rpc(&rawio(), higher as u32, &req, &mut out).is_ok(), "{} allowed, {} refused", s, higher);
            }
        } else {
            for lower in RpcScope::ALL.into_iter().filter(|t| *t <= s) {
                prop_assert_eq!(h.rpc(&rawio(), lower as u32, &req, &mut out), Err(Errno::EBADMSG));
            }
        }
        // The description agrees with delivery, and dry runs agree with both.
        let d = h.describe(&req).unwrap();
        prop_assert_eq!(d.allowed_at(s), allowed);
        prop_assert_eq!(h.dry_run(&rawio(), s as u32, &req).unwrap().decision.allowed(), allowed);
    }

    /// The same for any description: `allowed_at` is monotone in the scope.
    #[test]
    fn allowed_at_is_monotone(min in prop::option::of(scope()), s in scope(), t in scope(), opcode: u32) {
        let d = RpcDescription { min_scope: min, effects: Effects::READ, ..RpcDescription::unknown(opcode, 0) };
        if d.allowed_at(s) && t >= s {
            prop_assert!(d.allowed_at(t));
        }
        prop_assert_eq!(d.allowed_at(s), min.is_some_and(|m| s >= m));
    }

    /// Any errno the driver returns comes back unchanged; nothing is written.
    #[test]
    fn a_driver_error_never_turns_into_success(
        e in prop::sample::select(Errno::ALL.to_vec()),
        s in scope(),
        req in prop::collection::vec(any::<u8>(), 0..64),
        out_cap in 0usize..96,
        fill: u8,
    ) {
        let (_fw, drv, h) = setup();
        *drv.config.fail_rpc.lock().unwrap() = Some(e);
        let arg = rpc_struct(32, s as u32, req.len() as u32, out_cap as u32, IN, OUT);
        let mut mem = SegmentMemory::new();
        mem.map_owned(ARG, arg.clone()).map_owned(IN, req.clone()).map_owned(OUT, vec![fill; out_cap]);
        prop_assert_eq!(h.ioctl(&rawio(), RPC, ARG, &mut mem), Err(e));
        prop_assert_eq!(mem.segment(ARG).unwrap(), &arg[..], "struct untouched");
        prop_assert_eq!(mem.segment(OUT).unwrap(), &vec![fill; out_cap][..], "out untouched");
        let mut out = vec![fill; out_cap];
        prop_assert_eq!(h.rpc(&rawio(), s as u32, &req, &mut out), Err(e));
        prop_assert_eq!(out, vec![fill; out_cap]);
    }

    /// Arbitrary bytes as the argument struct, at arbitrary pointers and lengths,
    /// never panic and always end in success or one of the dispatcher's errnos.
    #[test]
    fn arbitrary_argument_structs_never_panic(
        cmd in prop_oneof![Just(RPC), Just(INFO), any::<u32>(), (0u32..256).prop_map(|nr| 0x9A00 | nr)],
        raw in prop::collection::vec(any::<u8>(), 0..80),
        size in prop_oneof![any::<u32>(), 0u32..80],
        scope in prop_oneof![0u32..6, any::<u32>()],
        in_len in prop_oneof![0u32..64, any::<u32>(), Just(2 * 1024 * 1024), Just(2 * 1024 * 1024 + 1)],
        out_len in prop_oneof![0u32..64, any::<u32>()],
        in_ptr in prop_oneof![Just(IN), Just(IN + 7), Just(0u64), Just(u64::MAX - 3), any::<u64>()],
        out_ptr in prop_oneof![Just(OUT), Just(OUT + 60), Just(0u64), Just(u64::MAX), any::<u64>()],
        overlay_fields: bool,
        cap: bool,
        info_data in prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
    ) {
        let (_fw, drv, h) = setup();
        *drv.config.info.lock().unwrap() = info_data;
        // Either raw bytes, or raw bytes with plausible fields laid over them so the
        // deeper paths (scope, lengths, pointers) are reached too.
        let mut arg = raw;
        if overlay_fields {
            let fields = rpc_struct(size, scope, in_len, out_len, in_ptr, out_ptr);
            for (i, b) in fields.into_iter().enumerate() {
                if i < arg.len() { arg[i] = b } else { arg.push(b) }
            }
        }
        let mut mem = SegmentMemory::new();
        mem.map_owned(ARG, arg).map_owned(IN, vec![0x11; 64]).map_owned(OUT, vec![0x22; 64]);
        let creds = Credentials { cap_sys_rawio: cap, ..rawio() };
        let r = h.ioctl(&creds, cmd, ARG, &mut mem);
        let expected = [
            Errno::ENOTTY, Errno::EFAULT, Errno::EINVAL, Errno::E2BIG, Errno::EOPNOTSUPP,
            Errno::EMSGSIZE, Errno::EPERM,
        ];
        prop_assert!(r.is_ok() || expected.contains(&r.unwrap_err()), "{:?}", r);
        // The state is not corrupted: a well-formed call still works afterwards.
        let mut out = [0u8; 4];
        prop_assert_eq!(h.rpc(&rawio(), 0, b"okay", &mut out).map(|r| r.out_len), Ok(4));
        prop_assert_eq!(&out, b"okay");
    }

    /// The typed API with arbitrary scopes and buffers never panics either.
    #[test]
    fn arbitrary_typed_calls_never_panic(
        scope: u32,
        req in prop::collection::vec(any::<u8>(), 0..128),
        out_cap in 0usize..128,
        data_cap in 0usize..64,
    ) {
        let (_fw, _drv, h) = setup();
        let mut out = vec![0u8; out_cap];
        let r = h.rpc(&rawio(), scope, &req, &mut out);
        if scope <= 3 {
            let n = r.unwrap().out_len as usize;
            prop_assert_eq!(n, req.len().max(out_cap));
            let copied = n.min(out_cap).min(req.len());
            prop_assert_eq!(&out[..copied], &req[..copied]);
        } else {
            prop_assert_eq!(r, Err(Errno::EOPNOTSUPP));
        }
        let mut data = vec![0xFFu8; data_cap];
        let info = h.info(&rawio(), &mut data).unwrap();
        prop_assert_eq!((info.device_type, info.device_data_len), (1, 0));
        prop_assert!(data.iter().all(|&b| b == 0), "no info op: zero-filled");
    }
}
