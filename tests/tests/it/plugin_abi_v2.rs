//! Plugin ABI version 2: the caller's memory (`copy_from_user`/`copy_to_user`
//! with the kernel's partial-copy semantics), responses written straight into the
//! caller's buffer and longer than it, errno pass-through, and version 1 plugins
//! (today's C template built against the frozen v1 header) still loading.
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::ffi::CStr;
use std::sync::Arc;

use fwctl_core::driver::{
    Driver, DriverContext, DriverReply, RpcCall, RpcResponse, copy_from_user, copy_to_user,
};
use fwctl_core::plugin::abi;
use fwctl_core::plugin::sdk::{ExportedVTable, Plugin};
use fwctl_core::plugin::{LoadOptions, PluginLibrary};
use fwctl_core::{Credentials, DeviceType, Errno, Handle, RpcScope, SegmentMemory, Subsystem, UserMemory};
use fwctl_tests::plugins::{TempDir, Warnings, c_template_source, compile_c_v1, fixture};

const RPC: u32 = 0x9A01;
const ARG: u64 = 0x7f00_0000_0000;
const IN: u64 = 0x7f00_1000_0000;
const OUT: u64 = 0x7f00_2000_0000;
const PAYLOAD: u64 = 0x7f00_3000_0000;
const UNMAPPED: u64 = 0x6000_0000_0000;

/// A driver in the style of pds/bnxt: the request is `{u64 addr, u32 len, u32
/// extra}`; it reads `len` bytes of the caller's memory at `addr` and answers
/// with them reversed followed by `extra` zero bytes, written straight into the
/// caller's buffer (the reported length may exceed that buffer).
struct PtrDriver;
struct PtrCtx;

impl Driver for PtrDriver {
    fn device_type(&self) -> DeviceType {
        DeviceType::Bnxt
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(PtrCtx))
    }
}

impl DriverContext for PtrCtx {
    fn fw_rpc(&self, _: RpcScope, _: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        Err(Errno::EOPNOTSUPP) // only reachable without caller memory
    }
    fn fw_rpc_user(&self, call: &mut RpcCall<'_>, request: &mut [u8]) -> Result<DriverReply, Errno> {
        if request.len() != 16 {
            return Err(Errno::EINVAL);
        }
        let addr = u64::from_ne_bytes(request[..8].try_into().unwrap());
        let len = u32::from_ne_bytes(request[8..12].try_into().unwrap()) as usize;
        let extra = u32::from_ne_bytes(request[12..16].try_into().unwrap()) as usize;
        let mut buf = vec![0u8; len];
        if call.copy_from_user(&mut buf, addr) != 0 {
            return Err(Errno::EFAULT);
        }
        buf.reverse();
        buf.resize(len + extra, 0);
        call.write_response(&buf)
    }
    fn close(self: Box<Self>) {}
}

struct PtrPlugin;
impl Plugin for PtrPlugin {
    const NAME: &'static CStr = c"ptr";
    const VERSION: &'static CStr = c"2";
    const DEVICE_TYPE: DeviceType = DeviceType::Bnxt;
    fn probe(_: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        Ok(vec![Arc::new(PtrDriver)])
    }
}

static PTR_VTABLE: ExportedVTable = ExportedVTable::new::<PtrPlugin>();

fn rpc_struct(in_len: u32, out_len: u32) -> Vec<u8> {
    [32u32, 0, in_len, out_len]
        .iter()
        .flat_map(|w| w.to_ne_bytes())
        .chain(IN.to_ne_bytes())
        .chain(OUT.to_ne_bytes())
        .collect()
}

fn ptr_request(addr: u64, len: u32, extra: u32) -> Vec<u8> {
    addr.to_ne_bytes().into_iter().chain(len.to_ne_bytes()).chain(extra.to_ne_bytes()).collect()
}

/// FWCTL_RPC with the request at IN, an `out_cap` buffer of 0xEE at OUT and
/// `payload` at PAYLOAD: (result, reported out_len, out buffer).
fn call(h: &Handle, req: &[u8], out_cap: usize, payload: &[u8]) -> (Result<(), Errno>, u32, Vec<u8>) {
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, rpc_struct(req.len() as u32, out_cap as u32))
        .map_owned(IN, req.to_vec())
        .map_owned(OUT, vec![0xEE; out_cap])
        .map_ro(PAYLOAD, payload);
    let r = h.ioctl(&Credentials::default(), RPC, ARG, &mut mem);
    let arg = mem.take_owned(ARG).unwrap();
    (r, u32::from_ne_bytes(arg[12..16].try_into().unwrap()), mem.take_owned(OUT).unwrap())
}

/// The same checks for the linked-in driver and for it behind the SDK's v2 vtable.
fn caller_memory_checks(h: &Handle, what: &str) {
    let payload: Vec<u8> = (1..=32).collect();
    let mut reversed = payload.clone();
    reversed.reverse();
    // Reads the caller's payload through its pointer and answers directly.
    let (r, out_len, out) = call(h, &ptr_request(PAYLOAD, 32, 0), 32, &payload);
    assert_eq!((r, out_len), (Ok(()), 32), "{what}");
    assert_eq!(out, reversed, "{what}");
    // A response longer than the caller's buffer: truncated copy, the driver's length reported.
    let (r, out_len, out) = call(h, &ptr_request(PAYLOAD, 32, 100), 8, &payload);
    assert_eq!((r, out_len), (Ok(()), 132), "{what}");
    assert_eq!(out, reversed[..8], "{what}");
    // An unmapped user pointer is the driver's EFAULT; a range running off the
    // end of the mapping too.
    assert_eq!(call(h, &ptr_request(UNMAPPED, 4, 0), 8, &payload).0, Err(Errno::EFAULT), "{what}");
    assert_eq!(call(h, &ptr_request(PAYLOAD + 16, 17, 0), 32, &payload).0, Err(Errno::EFAULT), "{what}");
    // The response buffer itself unmapped: EFAULT, as copy_to_user in the kernel.
    let mut mem = SegmentMemory::new();
    let req = ptr_request(PAYLOAD, 4, 0);
    let mut arg = rpc_struct(16, 4);
    arg[24..32].copy_from_slice(&UNMAPPED.to_ne_bytes());
    mem.map_owned(ARG, arg).map_owned(IN, req).map_ro(PAYLOAD, &payload);
    assert_eq!(h.ioctl(&Credentials::default(), RPC, ARG, &mut mem), Err(Errno::EFAULT), "{what}");
}

#[test]
fn a_driver_reads_caller_memory_and_answers_directly_linked_in_and_through_the_v2_abi() {
    let fwctl = Subsystem::new();
    let linked = fwctl.register(Arc::new(PtrDriver)).unwrap();
    let lib = PluginLibrary::from_static(&PTR_VTABLE, "ptr-v2").unwrap();
    assert_eq!(lib.info().abi_version, abi::ABI_VERSION);
    assert!(lib.has_rpc_v2());
    let plugged = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let me = Credentials::default();
    caller_memory_checks(&fwctl.open(linked, &me).unwrap(), "linked-in");
    caller_memory_checks(&fwctl.open(plugged, &me).unwrap(), "plugin v2");
    assert_eq!(lib.failure(), None);
}

#[test]
fn copy_from_user_and_copy_to_user_copy_partially_like_the_kernel() {
    let mut mem = SegmentMemory::new();
    mem.map_owned(0x1000, (0..16).collect()).map_ro(0x2000, &[7; 8]);
    // 16 bytes from 0x1008: 8 mapped, 8 not → 8 not copied, zero-filled.
    let mut dst = [0xAAu8; 16];
    assert_eq!(copy_from_user(&mem, &mut dst, 0x1008), 8);
    assert_eq!(dst[..8], [8, 9, 10, 11, 12, 13, 14, 15]);
    assert_eq!(dst[8..], [0; 8]);
    assert_eq!(copy_from_user(&mem, &mut dst[..4], 0x1000), 0);
    assert_eq!(copy_from_user(&mem, &mut [], UNMAPPED), 0, "zero bytes never fault");
    // Writes: as much as is writable; a read-only segment takes nothing.
    assert_eq!(copy_to_user(&mut mem, 0x100c, &[0xFF; 8]), 4);
    assert_eq!(mem.segment(0x1000).unwrap()[12..], [0xFF; 4]);
    assert_eq!(copy_to_user(&mut mem, 0x2000, &[1; 4]), 4);
    assert_eq!(mem.segment(0x2000).unwrap(), &[7; 8]);
}

#[test]
fn a_version_1_plugin_built_against_the_old_header_still_loads_and_runs() {
    let dir = TempDir::new("abi-v1");
    let path = compile_c_v1(dir.path(), "c_template_v1", &[c_template_source()], Warnings::Strict).unwrap();
    let lib = fwctl_tests::plugins::load(&path, &LoadOptions::default()).unwrap();
    assert_eq!((lib.info().abi_version, lib.info().struct_size), (abi::ABI_VERSION_V1, abi::VTABLE_V1_SIZE));
    assert!(!lib.has_rpc_v2());
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let me = Credentials::default();
    let h = fwctl.open(minor, &me).unwrap();
    let req = |op: u32, v: u32| [op.to_ne_bytes(), v.to_ne_bytes()].concat();
    let mut out = [0u8; 8];
    assert_eq!(h.rpc(&me, RpcScope::DebugReadOnly as u32, &req(2, 5), &mut out), Err(Errno::EBADMSG));
    h.rpc(&me, RpcScope::DebugWrite as u32, &req(2, 5), &mut out).unwrap();
    assert_eq!(h.rpc(&me, 0, &req(1, 0), &mut out).unwrap().out_len, 8);
    assert_eq!(out[4..], 5u32.to_ne_bytes());
    assert_eq!(h.rpc(&me, 0, &req(1, 0)[..4], &mut out), Err(Errno::EINVAL));
    assert_eq!(lib.failure(), None);
}

#[test]
fn kernel_errnos_pass_through_and_unknown_ones_become_eio_without_failing_the_plugin() {
    let dir = TempDir::new("abi-errno");
    let me = Credentials::default();
    // -ENOMEM is in the host's set: passed on. -EOVERFLOW (75) is a kernel errno
    // the host does not name: EIO, logged, and the plugin keeps serving.
    for (ret, want) in [(-12, Errno::ENOMEM), (-75, Errno::EIO), (-4095, Errno::EIO)] {
        let lib = fwctl_tests::plugins::load(
            &fixture(dir.path(), &format!("errno{}", -ret), &format!("RPC_GARBAGE_RET={ret}")),
            &LoadOptions::default(),
        )
        .unwrap();
        let fwctl = Subsystem::new();
        let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
        let h = fwctl.open(minor, &me).unwrap();
        let mut out = [0u8; 4];
        assert_eq!(h.rpc(&me, 0, b"ping", &mut out), Err(want), "{ret}");
        assert_eq!(h.rpc(&me, 0, b"ping", &mut out), Err(want), "{ret}: still called");
        assert_eq!(lib.failure(), None, "{ret}");
    }
}

#[test]
fn user_memory_trait_object_is_what_drivers_see() {
    // RpcCall::read_user is all-or-nothing, unlike copy_from_user.
    let mut mem = SegmentMemory::new();
    mem.map_owned(0x1000, vec![1; 8]);
    let call = RpcCall { scope: RpcScope::Configuration, out_addr: 0, out_capacity: 0, user: &mut mem };
    let mut dst = [0u8; 12];
    assert_eq!(call.read_user(0x1000, &mut dst), Err(Errno::EFAULT));
    assert_eq!(call.read_user(0x1000, &mut dst[..8]), Ok(()));
    let _: &dyn UserMemory = &*call.user;
}

/// A driver answering with a separate buffer (`RpcResponse::Buffer`, what most
/// drivers do): the request reversed, padded to `request[0]` bytes, whose first
/// byte is also its in-band status code; described by length.
struct BufDriver;
struct BufCtx;

impl Driver for BufDriver {
    fn device_type(&self) -> DeviceType {
        DeviceType::Bnxt
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(BufCtx))
    }
    fn describe(&self, request: &[u8]) -> Result<fwctl_core::driver::RpcDescription, Errno> {
        Ok(fwctl_core::driver::RpcDescription {
            opcode: request.len() as u32,
            op_mod: 0,
            name: Some("BUF".into()),
            min_scope: Some(RpcScope::Configuration),
            effects: fwctl_core::driver::Effects::READ,
            expected_out_len: None,
            register: None,
        })
    }
    fn decode_status(&self, response: &[u8]) -> Option<fwctl_core::driver::DeviceStatus> {
        let code = u32::from(*response.first()?);
        Some(fwctl_core::driver::DeviceStatus {
            code,
            name: "BUF_STATUS".into(),
            syndrome: None,
            ok: code == 0,
        })
    }
}

impl DriverContext for BufCtx {
    fn fw_rpc(&self, _: RpcScope, req: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        let mut v: Vec<u8> = req.iter().rev().copied().collect();
        v.resize(usize::from(*req.first().ok_or(Errno::EINVAL)?).max(v.len()), 0);
        Ok(RpcResponse::Buffer(v))
    }
    fn close(self: Box<Self>) {}
}

struct BufPlugin;
impl Plugin for BufPlugin {
    const NAME: &'static CStr = c"buf";
    const VERSION: &'static CStr = c"2";
    const DEVICE_TYPE: DeviceType = DeviceType::Bnxt;
    fn probe(_: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        Ok(vec![Arc::new(BufDriver)])
    }
}

static BUF_VTABLE: ExportedVTable = ExportedVTable::new::<BufPlugin>();

/// What a caller sees of buffer responses, on the uAPI path (nothing asked
/// but the answer: the SDK's short path) and the typed API (description and
/// status asked: the SDK's other path).
fn buffer_response_checks(h: &Handle, what: &str) -> Vec<String> {
    let me = Credentials::default();
    let mut seen = Vec::new();
    // 4 bytes in, 20 out, 8 of room: truncated copy, the full length reported.
    let req = [20u8, 1, 2, 3];
    let (r, out_len, out) = call(h, &req, 8, &[]);
    assert_eq!((r, out_len), (Ok(()), 20), "{what}");
    assert_eq!(out, [3, 2, 1, 20, 0, 0, 0, 0], "{what}");
    // Room for all of it: the rest of the caller's buffer untouched.
    let (r, out_len, out) = call(h, &req, 24, &[]);
    assert_eq!((r, out_len), (Ok(()), 20), "{what}");
    assert_eq!((&out[..4], &out[20..]), (&[3u8, 2, 1, 20][..], &[0xEEu8; 4][..]), "{what}");
    // The response buffer unmapped: EFAULT, as copy_to_user in the kernel.
    let mut mem = SegmentMemory::new();
    let mut arg = rpc_struct(4, 8);
    arg[24..32].copy_from_slice(&UNMAPPED.to_ne_bytes());
    mem.map_owned(ARG, arg).map_owned(IN, req.to_vec());
    assert_eq!(h.ioctl(&me, RPC, ARG, &mut mem), Err(Errno::EFAULT), "{what}");
    // A zero-length buffer: nothing copied, the length still reported.
    let (r, out_len, _) = call(h, &req, 0, &[]);
    assert_eq!((r, out_len), (Ok(()), 20), "{what}");
    // Typed: the same bytes, with the description and the response's status.
    for cap in [8usize, 32] {
        let mut out = vec![0u8; cap];
        let res = h.rpc(&me, 0, &[9, 8, 7], &mut out).unwrap();
        assert_eq!(res.out_len, 9, "{what}");
        assert_eq!(out[..cap.min(9)], [7, 8, 9, 0, 0, 0, 0, 0, 0][..cap.min(9)], "{what}");
        let d = res.description.unwrap();
        let s = res.status.unwrap();
        seen.push(format!("{} {:?} {:?} {} {} {}", d.opcode, d.name, d.min_scope, s.code, s.name, s.ok));
    }
    // Refused by the driver: its errno on both paths.
    assert_eq!(call(h, &[], 8, &[]).0, Err(Errno::EINVAL), "{what}");
    assert_eq!(h.rpc(&me, 0, &[], &mut [0u8; 8]).map(|r| r.out_len), Err(Errno::EINVAL), "{what}");
    seen
}

#[test]
fn buffer_responses_cross_the_v2_abi_as_they_leave_a_linked_in_driver() {
    let fwctl = Subsystem::new();
    let linked = fwctl.register(Arc::new(BufDriver)).unwrap();
    let lib = PluginLibrary::from_static(&BUF_VTABLE, "buf-v2").unwrap();
    let plugged = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let me = Credentials::default();
    let a = buffer_response_checks(&fwctl.open(linked, &me).unwrap(), "linked-in");
    let b = buffer_response_checks(&fwctl.open(plugged, &me).unwrap(), "plugin v2");
    assert_eq!(a, b);
    assert_eq!(a[0], "3 Some(\"BUF\") Some(Configuration) 7 BUF_STATUS false");
    assert_eq!(lib.failure(), None);
}
