//! The pds plugin (`plugins/pds/pds.c`, C, ABI version 2) behind the pds fwctl
//! driver's rules: `struct fwctl_rpc_pds` with the caller's payload pointers,
//! the driver's check order and errnos, the version-tolerant operation match,
//! the firmware attribute -> scope mapping, INFO of length 0 and the in-place
//! reply with `out_len = in_len`. Facts restated from
//! `include/uapi/fwctl/pds.h` and `drivers/fwctl/pds/main.c`.
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::sync::Arc;

use fwctl_core::plugin::{LoadOptions, PluginLibrary};
use fwctl_core::{Credentials, DeviceType, Errno, Handle, RpcScope, SegmentMemory, Subsystem};
use fwctl_tests::plugins::{TempDir, pds};

const RPC: u32 = 0x9A01;
const ARG: u64 = 0x7f00_0000_0000;
const IN: u64 = 0x7f00_1000_0000;
const OUT: u64 = 0x7f00_2000_0000;
const IN_PAYLOAD: u64 = 0x7f00_3000_0000;
const OUT_PAYLOAD: u64 = 0x7f00_4000_0000;
const UNMAPPED: u64 = 0x6000_0000_0000;

/// `struct fwctl_rpc_pds`: in {op@0, ep@4, rsvd@8, len@12, payload@16},
/// out {retval@24, rsvd[2]@28, len@36, payload@40}; 48 bytes.
fn pds_rpc(op: u32, ep: u32, in_len: u32, in_ptr: u64, out_len: u32, out_ptr: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(48);
    for w in [op, ep, 0xffff_ffff /* rsvd: never checked */, in_len] {
        b.extend_from_slice(&w.to_ne_bytes());
    }
    b.extend_from_slice(&in_ptr.to_ne_bytes());
    for w in [0xdead_beefu32, 7, 7, out_len] {
        b.extend_from_slice(&w.to_ne_bytes());
    }
    b.extend_from_slice(&out_ptr.to_ne_bytes());
    assert_eq!(b.len(), 48);
    b
}

fn op(cmd: u32, ver: u32) -> u32 {
    cmd | (ver << 16)
}

struct Call {
    result: Result<(), Errno>,
    out_len: u32,
    out: Vec<u8>,
    out_payload: Vec<u8>,
}

fn call(h: &Handle, scope: RpcScope, req: &[u8], in_payload: &[u8], out_payload_len: usize) -> Call {
    let mut mem = SegmentMemory::new();
    let arg: Vec<u8> = [32u32, scope as u32, req.len() as u32, 64]
        .iter()
        .flat_map(|w| w.to_ne_bytes())
        .chain(IN.to_ne_bytes())
        .chain(OUT.to_ne_bytes())
        .collect();
    mem.map_owned(ARG, arg)
        .map_owned(IN, req.to_vec())
        .map_owned(OUT, vec![0xEE; 64])
        .map_ro(IN_PAYLOAD, in_payload)
        .map_owned(OUT_PAYLOAD, vec![0xAA; out_payload_len]);
    let me = Credentials { cap_sys_rawio: true, ..Credentials::default() };
    let result = h.ioctl(&me, RPC, ARG, &mut mem);
    let arg = mem.take_owned(ARG).unwrap();
    Call {
        result,
        out_len: u32::from_ne_bytes(arg[12..16].try_into().unwrap()),
        out: mem.take_owned(OUT).unwrap(),
        out_payload: mem.take_owned(OUT_PAYLOAD).unwrap(),
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(b[at..at + 4].try_into().unwrap())
}

fn setup(config: &str) -> (TempDir, Arc<PluginLibrary>, Subsystem, Handle) {
    let dir = TempDir::new("vendor-pds");
    let lib = fwctl_tests::plugins::load(&pds(dir.path()), &LoadOptions::default()).unwrap();
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe(config).unwrap().remove(0)).unwrap();
    let h = fwctl.open(minor, &Credentials::default()).unwrap();
    (dir, lib, fwctl, h)
}

#[test]
fn pds_replies_in_place_with_payloads_through_caller_memory() {
    use RpcScope::*;
    let (_dir, lib, _fwctl, h) = setup("");
    assert_eq!((lib.device_type(), lib.info().abi_version), (DeviceType::Pds, 2));
    assert!(lib.has_rpc_v2());
    // INFO: the driver never sets a length: zero-filled, length 0.
    let mut data = [0x55u8; 8];
    let info = h.info(&Credentials::default(), &mut data).unwrap();
    assert_eq!((info.device_type, info.device_data_len, data), (4, 0, [0; 8]));

    // get_param 3 (firmware version 2, requested version 0 and 2 both match).
    for ver in [0, 2] {
        let req = pds_rpc(op(1, ver), 1, 4, IN_PAYLOAD, 8, OUT_PAYLOAD);
        let c = call(&h, Configuration, &req, &3u32.to_ne_bytes(), 8);
        assert_eq!(c.result, Ok(()), "version {ver}");
        // In place: the request comes back with out.retval set, out_len = in_len.
        assert_eq!(c.out_len, 48);
        assert_eq!(u32_at(&c.out, 24), 0, "retval");
        assert_eq!(c.out[..24], req[..24]);
        assert_eq!(c.out[28..48], req[28..48], "out.len and rsvd untouched");
        // The full out.len is written to out.payload, zero past the firmware's bytes.
        assert_eq!(u32_at(&c.out_payload, 0), 103);
        assert_eq!(c.out_payload[4..8], [0; 4]);
    }
    // A newer version than the firmware's does not match: EINVAL.
    let req = pds_rpc(op(1, 3), 1, 4, IN_PAYLOAD, 4, OUT_PAYLOAD);
    assert_eq!(call(&h, Configuration, &req, &3u32.to_ne_bytes(), 4).result, Err(Errno::EINVAL));
    // set_param then get_param: the firmware state changes.
    let set: Vec<u8> = [5u32, 4242].iter().flat_map(|w| w.to_ne_bytes()).collect();
    assert_eq!(call(&h, Configuration, &pds_rpc(op(2, 1), 1, 8, IN_PAYLOAD, 0, 0), &set, 0).result, Ok(()));
    let c =
        call(&h, Configuration, &pds_rpc(op(1, 2), 1, 4, IN_PAYLOAD, 4, OUT_PAYLOAD), &5u32.to_ne_bytes(), 4);
    assert_eq!(u32_at(&c.out_payload, 0), 4242);
    // An op-level failure is in-band: delivered, retval set.
    let c = call(
        &h,
        Configuration,
        &pds_rpc(op(1, 2), 1, 4, IN_PAYLOAD, 4, OUT_PAYLOAD),
        &99u32.to_ne_bytes(),
        4,
    );
    assert_eq!((c.result, u32_at(&c.out, 24)), (Ok(()), 1));
    assert_eq!(lib.failure(), None);
}

#[test]
fn pds_checks_in_the_drivers_order_with_its_errnos() {
    use RpcScope::*;
    let (_dir, _lib, _fwctl, h) = setup("");
    let get = |in_len, out_len, ep, o| pds_rpc(o, ep, in_len, IN_PAYLOAD, out_len, OUT_PAYLOAD);
    let p = 3u32.to_ne_bytes();
    // (0) in_len below the struct.
    assert_eq!(call(&h, Configuration, &get(4, 4, 1, op(1, 0))[..47], &p, 4).result, Err(Errno::EINVAL));
    // (1) in.len above max_req_sz (1024), (2) out.len above max_resp_sz (4096):
    // EINVAL even at a scope the op would refuse (lengths come first).
    assert_eq!(call(&h, Configuration, &get(1025, 4, 7, op(0x71, 0)), &p, 4).result, Err(Errno::EINVAL));
    assert_eq!(call(&h, Configuration, &get(4, 4097, 7, op(0x71, 0)), &p, 4).result, Err(Errno::EINVAL));
    // (3) unknown endpoint.
    assert_eq!(call(&h, DebugWriteFull, &get(4, 4, 3, op(1, 0)), &p, 4).result, Err(Errno::EINVAL));
    // (5) scope from the firmware attribute: DEBUG_READ -> debug-read-only,
    // DEBUG_WRITE -> debug-write, unknown 0x20 -> debug-write-full; below: EPERM.
    for (ep, o, min) in
        [(2, op(0x10, 0), DebugReadOnly), (2, op(0x11, 0), DebugWrite), (7, op(0x71, 0), DebugWriteFull)]
    {
        let below = RpcScope::from_u32(min as u32 - 1).unwrap();
        let req = pds_rpc(o, ep, 8, IN_PAYLOAD, 32, OUT_PAYLOAD);
        let payload: Vec<u8> = [1u32, 2].iter().flat_map(|w| w.to_ne_bytes()).collect();
        assert_eq!(call(&h, below, &req, &payload, 32).result, Err(Errno::EPERM), "{o:#x} at {below}");
        assert_eq!(call(&h, min, &req, &payload, 32).result, Ok(()), "{o:#x} at {min}");
    }
    // Unknown op on a known endpoint.
    assert_eq!(call(&h, DebugWriteFull, &get(4, 4, 1, op(0x99, 0)), &p, 4).result, Err(Errno::EINVAL));
    // (6) in.payload unreadable, (8) out.payload unwritable: EFAULT.
    let req = pds_rpc(op(1, 0), 1, 4, UNMAPPED, 4, OUT_PAYLOAD);
    assert_eq!(call(&h, Configuration, &req, &p, 4).result, Err(Errno::EFAULT));
    let req = pds_rpc(op(1, 0), 1, 4, IN_PAYLOAD, 4, UNMAPPED);
    assert_eq!(call(&h, Configuration, &req, &p, 4).result, Err(Errno::EFAULT));
    // out.payload mapped for fewer bytes than out.len: EFAULT too (copy_to_user of the full out.len).
    let req = pds_rpc(op(1, 0), 1, 4, IN_PAYLOAD, 16, OUT_PAYLOAD);
    assert_eq!(call(&h, Configuration, &req, &p, 8).result, Err(Errno::EFAULT));
}

#[test]
fn pds_operation_query_failure_is_enomem_and_adminq_failure_an_errno() {
    let (_dir, _lib, _fwctl, h) = setup("fail_ops=2");
    let p = [0u8; 4];
    assert_eq!(
        call(&h, RpcScope::DebugWriteFull, &pds_rpc(op(0x10, 0), 2, 0, 0, 32, OUT_PAYLOAD), &p, 32).result,
        Err(Errno::ENOMEM)
    );
    // Other endpoints are unaffected.
    let c = call(&h, RpcScope::Configuration, &pds_rpc(op(3, 0), 1, 0, 0, 4, OUT_PAYLOAD), &p, 4);
    assert_eq!((c.result, u32_at(&c.out_payload, 0)), (Ok(()), 1), "commit -> generation 1");
    let (_dir, _lib, _fwctl, h) = setup("adminq_down");
    assert_eq!(
        call(&h, RpcScope::Configuration, &pds_rpc(op(3, 0), 1, 0, 0, 4, OUT_PAYLOAD), &p, 4).result,
        Err(Errno::EIO)
    );
}

#[test]
fn pds_describe_names_the_operation_and_its_scope() {
    use fwctl_core::driver::Driver;
    let (_dir, lib, _fwctl, _h) = setup("");
    let drv = lib.probe("").unwrap().remove(0);
    let d = drv.describe(&pds_rpc(op(0x71, 0), 7, 8, 0, 0, 0)).unwrap();
    assert_eq!((d.name.as_deref(), d.min_scope), (Some("debug.mem_write"), Some(RpcScope::DebugWriteFull)));
    let d = drv.describe(&pds_rpc(op(0x01, 1), 1, 4, 0, 4, 0)).unwrap();
    assert_eq!((d.opcode, d.op_mod, d.min_scope), (op(1, 1), 1, Some(RpcScope::Configuration)));
    assert_eq!(drv.describe(&pds_rpc(op(0x01, 9), 1, 4, 0, 4, 0)).unwrap().min_scope, None);
}

#[test]
fn pds_compiled_into_the_binary_behaves_as_the_loaded_library() {
    use RpcScope::*;
    // The same pds.c, compiled by fwctl-pds's build script with its entry renamed,
    // validated like a loaded library (what fwctl's default set and fwctld's built-in `pds` use).
    let vtable = fwctl_pds::vtable().unwrap();
    #[allow(unsafe_code)]
    // SAFETY: pds.c is this repository's plugin, compiled into this test binary.
    let lib = unsafe { PluginLibrary::from_linked(vtable, "pds") }.unwrap();
    assert_eq!((lib.device_type(), lib.info().abi_version, lib.name()), (DeviceType::Pds, 2, "pds"));
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let h = fwctl.open(minor, &Credentials::default()).unwrap();
    let mut data = [0x55u8; 4];
    let info = h.info(&Credentials::default(), &mut data).unwrap();
    assert_eq!((info.device_type, info.device_data_len, data), (4, 0, [0; 4]));
    let req = pds_rpc(op(1, 2), 1, 4, IN_PAYLOAD, 4, OUT_PAYLOAD);
    let c = call(&h, Configuration, &req, &3u32.to_ne_bytes(), 4);
    assert_eq!((c.result, c.out_len, u32_at(&c.out, 24), u32_at(&c.out_payload, 0)), (Ok(()), 48, 0, 103));
    let below = pds_rpc(op(0x10, 0), 2, 0, 0, 32, OUT_PAYLOAD);
    assert_eq!(call(&h, Configuration, &below, &[], 32).result, Err(Errno::EPERM));
    let req = pds_rpc(op(1, 0), 1, 4, UNMAPPED, 4, OUT_PAYLOAD);
    assert_eq!(call(&h, Configuration, &req, &[0; 4], 4).result, Err(Errno::EFAULT));
    assert_eq!(lib.failure(), None);
}

#[test]
fn pds_payload_pointers_through_a_fuse_node_are_this_process_memory() {
    use fwctl_tests::real_clients::{Nodes, Pages, raw_ioctl};
    let vtable = fwctl_pds::vtable().unwrap();
    #[allow(unsafe_code)]
    // SAFETY: pds.c is this repository's plugin, compiled into this test binary.
    let lib = unsafe { PluginLibrary::from_linked(vtable, "pds") }.unwrap();
    let s = Subsystem::new();
    s.register(lib.probe("").unwrap().remove(0)).unwrap();
    let Some(n) = Nodes::mount("rc-pds", s, 0o600) else { return };
    let f = n.open("fwctl0").unwrap();
    let mut p = Pages::new(4);
    let page = p.page();
    let (arg_off, req_off, out_off, in_pl, out_pl) = (0, 64, 128, page, page + 64);
    let ioctl = |p: &mut Pages, req: &[u8]| {
        p.write(req_off, req);
        let arg: Vec<u8> = [32u32, RpcScope::Configuration as u32, 48, 48]
            .iter()
            .flat_map(|w| w.to_ne_bytes())
            .chain(p.addr(req_off).to_ne_bytes())
            .chain(p.addr(out_off).to_ne_bytes())
            .collect();
        p.write(arg_off, &arg);
        raw_ioctl(&f, RPC, p.addr(arg_off))
    };
    // get_param 3: the index read from in.payload, the value written to out.payload,
    // the struct back in place with out_len = in_len.
    p.write(in_pl, &3u32.to_ne_bytes());
    let req = pds_rpc(op(1, 0), 1, 4, p.addr(in_pl), 4, p.addr(out_pl));
    assert_eq!(ioctl(&mut p, &req), Ok(()));
    assert_eq!(u32_at(&p.read(arg_off, 16), 12), 48, "out_len = in_len");
    assert_eq!((u32_at(&p.read(out_off, 48), 24), u32_at(&p.read(out_pl, 4), 0)), (0, 103));
    // out.payload on a read-only page, in.payload in a hole: EFAULT.
    p.read_only(2);
    let req = pds_rpc(op(1, 0), 1, 4, p.addr(in_pl), 4, p.addr(2 * page));
    assert_eq!(ioctl(&mut p, &req), Err(Errno::EFAULT.code()));
    p.unmap(3);
    let req = pds_rpc(op(1, 0), 1, 4, p.addr(3 * page), 4, p.addr(out_pl));
    assert_eq!(ioctl(&mut p, &req), Err(Errno::EFAULT.code()));
}
