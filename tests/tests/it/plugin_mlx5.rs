//! The mlx5 simulator two ways: linked in (`Subsystem::register`) and as the
//! dynamically loaded `libfwctl_mlx5_sim.so` built through the plugin SDK. The
//! same checks run against both, and the complete transcript of every answer
//! (response bytes, errnos, descriptions, statuses) must be identical.
#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use std::sync::Arc;

use fwctl_core::plugin::{self, LoadOptions, PluginLibrary};
use fwctl_core::{Credentials, Errno, Handle, RpcScope, Subsystem};
use fwctl_mlx5_sim::allow_list::ALLOW_LIST;
use fwctl_mlx5_sim::plugin::parse_config;
use fwctl_mlx5_sim::{Mlx5Device, prm};
use fwctl_tests::plugins::dependency_cdylib;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    LinkedIn,
    Plugin,
}

struct Rig {
    fwctl: Subsystem,
    minors: Vec<u32>,
    me: Credentials,
    _lib: Option<Arc<PluginLibrary>>,
}

fn mlx5_plugin() -> Arc<PluginLibrary> {
    let path = dependency_cdylib("fwctl_mlx5_sim").unwrap();
    fwctl_tests::plugins::load(&path, &LoadOptions::default()).unwrap()
}

fn rig(via: Via, config: &str) -> Rig {
    let fwctl = Subsystem::new();
    fwctl.set_log(Arc::new(|_: &str| {}));
    let (drivers, lib) = match via {
        Via::LinkedIn => {
            let devs =
                parse_config(config).unwrap().into_iter().map(|c| Mlx5Device::new(c).unwrap().into_driver());
            (devs.collect::<Vec<_>>(), None)
        }
        Via::Plugin => {
            let lib = mlx5_plugin();
            let d = lib.probe(config).unwrap().into_iter().map(|d| d as Arc<dyn fwctl_core::driver::Driver>);
            (d.collect(), Some(lib))
        }
    };
    let minors = drivers.into_iter().map(|d| fwctl.register(d).unwrap()).collect();
    let me = Credentials { cap_sys_rawio: true, ..Credentials::default() };
    Rig { fwctl, minors, me, _lib: lib }
}

/// A zeroed request with opcode and op_mod (big endian, mlx5 mailbox header).
fn req(opcode: u16, op_mod: u16, len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len];
    b[0..2].copy_from_slice(&opcode.to_be_bytes());
    b[6..8].copy_from_slice(&op_mod.to_be_bytes());
    b
}

fn rpc(r: &Rig, h: &Handle, scope: RpcScope, request: &[u8], cap: usize) -> Result<Vec<u8>, Errno> {
    let mut out = vec![0u8; cap];
    let res = h.rpc(&r.me, scope as u32, request, &mut out)?;
    out.truncate(res.out_len as usize);
    Ok(out)
}

/// Run the mlx5 checks on `via`, asserting the pinned facts, and return the
/// transcript of every answer for the cross-check.
fn suite(via: Via) -> Vec<String> {
    let r = rig(via, "devices=2,seed=5");
    let mut t = Vec::new();
    let devs = r.fwctl.devices();
    assert_eq!(devs.len(), 2);
    for d in &devs {
        assert_eq!(d.view.device_type, fwctl_core::DeviceType::Mlx5);
        let id = &d.view.identity;
        t.push(format!("identity {:?} {:?} {:?}", id.parent, id.fw_version, id.serial));
    }
    assert_eq!(devs[1].view.identity.parent.as_deref(), Some("0000:09:00.0"));
    let h = r.fwctl.open(r.minors[0], &r.me).unwrap();

    // FWCTL_INFO: struct fwctl_info_mlx5 {uid, uctx_caps}, TOOLS_RESOURCES (0x4).
    let mut info = [0u8; 8];
    let i = h.info(&r.me, &mut info).unwrap();
    assert_eq!((i.device_type, i.device_data_len), (1, 8));
    let uid = u32::from_ne_bytes(info[..4].try_into().unwrap());
    assert_ne!(uid, 0);
    assert_eq!(u32::from_ne_bytes(info[4..].try_into().unwrap()), 0x4);
    t.push(format!("info {info:?}"));

    // QUERY_ADAPTER at configuration scope: 272 bytes, status OK, the PSID.
    let out = rpc(&r, &h, RpcScope::Configuration, &prm::build::query_adapter(), 272).unwrap();
    assert_eq!((out.len(), out[0]), (272, 0));
    assert_eq!(&out[256..269], b"MT_0000000838");
    t.push(format!("query_adapter {out:?}"));

    // Every allow-listed opcode and a few unlisted ones, at every scope.
    let mut opcodes: Vec<u16> = ALLOW_LIST.iter().map(|e| e.opcode).collect();
    opcodes.extend([0x0000, 0x0104, 0x0a00, 0xffff]);
    for &op in &opcodes {
        let request = req(op, 0, 64);
        let d = h.describe(&request).unwrap();
        t.push(format!(
            "describe {op:#06x} {:?} {:?} {:?} {:?} {:?}",
            d.name, d.min_scope, d.effects, d.expected_out_len, d.register
        ));
        for scope in RpcScope::ALL {
            let answer = rpc(&r, &h, scope, &request, 256);
            if let Ok(out) = &answer {
                t.push(format!("status {:?}", h.decode_status(out)));
                // What the dispatcher learned with the answer (through the plugin:
                // the status rpc_v2 decoded, names as ids) is the same.
                let mut again = vec![0u8; 256];
                let res = h.rpc(&r.me, scope as u32, &request, &mut again).unwrap();
                assert_eq!(res.status, h.decode_status(out), "{op:#06x} at {scope} ({via:?})");
                assert_eq!(res.description.as_ref(), Some(&d), "{op:#06x} at {scope} ({via:?})");
                t.push(format!("rpc status {:?}", res.status));
            }
            if !d.allowed_at(scope) {
                assert_eq!(answer, Err(Errno::EBADMSG), "{op:#06x} at {scope} ({via:?})");
            }
            t.push(format!("rpc {op:#06x} {scope} {answer:?}"));
        }
    }
    // ACCESS_REG: op_mod 0 (write) at any scope, reads need debug-read-only.
    assert_eq!(rpc(&r, &h, RpcScope::Configuration, &req(0x0805, 1, 64), 64), Err(Errno::EBADMSG));
    assert!(rpc(&r, &h, RpcScope::DebugReadOnly, &req(0x0805, 1, 64), 64).is_ok());
    // Lengths below the mailbox header are EMSGSIZE.
    assert_eq!(rpc(&r, &h, RpcScope::Configuration, &req(0x0101, 0, 15), 272), Err(Errno::EMSGSIZE));
    assert_eq!(rpc(&r, &h, RpcScope::Configuration, &req(0x0101, 0, 16), 15), Err(Errno::EMSGSIZE));
    // A short response buffer gets the first bytes and the full length.
    let mut small = [0u8; 32];
    assert_eq!(h.rpc(&r.me, 0, &prm::build::query_adapter(), &mut small).unwrap().out_len, 32);
    t.push(format!("small {small:?}"));

    // More handles: each gets its own uid; closing and reopening works.
    let handles: Vec<Handle> = (0..3).map(|_| r.fwctl.open(r.minors[0], &r.me).unwrap()).collect();
    let mut uids: Vec<u32> = handles
        .iter()
        .map(|h| {
            let mut info = [0u8; 8];
            h.info(&r.me, &mut info).unwrap();
            u32::from_ne_bytes(info[..4].try_into().unwrap())
        })
        .collect();
    t.push(format!("uids {uids:?}"));
    uids.push(uid);
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), 4, "every open handle has its own uid");
    drop(handles);
    let h2 = r.fwctl.open(r.minors[1], &r.me).unwrap();
    t.push(format!("dev1 {:?}", rpc(&r, &h2, RpcScope::Configuration, &prm::build::query_adapter(), 272)));
    drop((h, h2));
    for m in &r.minors {
        r.fwctl.unregister(*m).unwrap();
    }
    t
}

#[test]
fn the_mlx5_suite_passes_linked_in() {
    assert!(!suite(Via::LinkedIn).is_empty());
}

#[test]
fn the_mlx5_suite_passes_through_the_loaded_plugin() {
    assert!(!suite(Via::Plugin).is_empty());
    let lib = mlx5_plugin();
    assert_eq!((lib.name(), lib.device_type()), ("mlx5-sim", fwctl_core::DeviceType::Mlx5));
    assert!(lib.failure().is_none());
}

#[test]
fn linked_in_and_plugin_answer_identically() {
    let linked = suite(Via::LinkedIn);
    let plugged = suite(Via::Plugin);
    assert_eq!(linked.len(), plugged.len());
    for (a, b) in linked.iter().zip(&plugged) {
        assert_eq!(a, b);
    }
}

#[test]
fn the_mlx5_plugin_passes_check_and_rejects_bad_configs() {
    let path = dependency_cdylib("fwctl_mlx5_sim").unwrap();
    let report = fwctl_tests::plugins::check(&path, "devices=3", &LoadOptions::default());
    assert!(report.ok(), "{report}");
    assert_eq!(report.steps.iter().filter(|s| s.name.ends_with(" open")).count(), 3);
    let lib = mlx5_plugin();
    for bad in ["devices=0", "devices=17", "colour=red"] {
        let e = lib.probe(bad).unwrap_err();
        assert!(matches!(e, plugin::PluginError::ProbeFailed(Errno::EINVAL)), "{bad}: {e}");
    }
}
