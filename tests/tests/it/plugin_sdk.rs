//! The Rust SDK: a plugin written with `Plugin` + `declare_plugin!` and built as
//! a cdylib loads like a C one; the generated shims contain panics.

use std::ffi::CStr;
use std::sync::Arc;

use fwctl_core::driver::{Driver, DriverContext, RpcResponse};
use fwctl_core::plugin::sdk::{ExportedVTable, Plugin};
use fwctl_core::plugin::{self, LoadOptions, PluginLibrary};
use fwctl_core::{Credentials, DeviceState, DeviceType, Errno, RpcScope, Subsystem};
use fwctl_tests::echo::EchoDriver;
use fwctl_tests::plugins::cargo_cdylib;

fn req(op: u32, reg: u32, val: u32) -> Vec<u8> {
    [op, reg, val].iter().flat_map(|w| w.to_ne_bytes()).collect()
}

#[test]
fn rust_template_cdylib_loads_and_enforces_its_scopes() {
    let path = cargo_cdylib("fwctl-plugin-template", "fwctl_plugin_template").unwrap();
    let report = fwctl_tests::plugins::check(&path, "devices=2", &LoadOptions::default());
    assert!(report.ok(), "{report}");
    let lib = fwctl_tests::plugins::load(&path, &LoadOptions::default()).unwrap();
    assert_eq!((lib.name(), lib.version(), lib.device_type()), ("rust-template", "0.1.0", DeviceType::Pds));

    let fwctl = Subsystem::new();
    let minors: Vec<u32> =
        lib.probe("devices=2").unwrap().into_iter().map(|d| fwctl.register(d).unwrap()).collect();
    assert_eq!(fwctl.devices()[1].view.identity.parent.as_deref(), Some("template:1"));
    let me = Credentials::default();
    let h = fwctl.open(minors[0], &me).unwrap();
    let mut out = [0u8; 8];
    assert_eq!(h.rpc(&me, RpcScope::DebugReadOnly as u32, &req(2, 5, 77), &mut out), Err(Errno::EBADMSG));
    assert_eq!(h.rpc(&me, RpcScope::DebugWrite as u32, &req(2, 5, 77), &mut out).unwrap().out_len, 8);
    h.rpc(&me, 0, &req(1, 5, 0), &mut out).unwrap();
    assert_eq!(out, [0, 0, 0, 0, 77, 0, 0, 0]);
    let d = h.describe(&req(2, 5, 0)).unwrap();
    assert_eq!((d.name.as_deref(), d.min_scope), (Some("WRITE_REG"), Some(RpcScope::DebugWrite)));
    assert_eq!(h.describe(&req(2, 99, 0)), Err(Errno::EINVAL));
    // Devices do not share registers.
    let h1 = fwctl.open(minors[1], &me).unwrap();
    h1.rpc(&me, 0, &req(1, 5, 0), &mut out).unwrap();
    assert_eq!(out, [0; 8]);
}

/// A Rust plugin whose driver panics in `fw_rpc` for requests starting with `!`.
struct Panicky;
struct PanickyCtx;

impl Driver for Panicky {
    fn device_type(&self) -> DeviceType {
        DeviceType::Cxl
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(PanickyCtx))
    }
}

impl DriverContext for PanickyCtx {
    fn fw_rpc(&self, _: RpcScope, req: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        if req.first() == Some(&b'!') {
            panic!("vendor bug: unexpected request");
        }
        Ok(RpcResponse::InPlace(req.len()))
    }
    fn close(self: Box<Self>) {}
}

struct PanickyPlugin;
impl Plugin for PanickyPlugin {
    const NAME: &'static CStr = c"panicky";
    const VERSION: &'static CStr = c"0.0.1";
    const DEVICE_TYPE: DeviceType = DeviceType::Cxl;
    fn probe(config: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        if config == "panic" {
            panic!("vendor bug in probe");
        }
        Ok(vec![Arc::new(Panicky)])
    }
}

/// The SDK-generated shims (the same code a cdylib exports) catch the panic; the
/// host marks the plugin failed, its device answers ENXIO and is listed failed,
/// and a linked-in device in the same subsystem keeps serving.
#[test]
fn a_panicking_rust_plugin_is_contained() {
    static VTABLE: ExportedVTable = ExportedVTable::new::<PanickyPlugin>();
    let lib = PluginLibrary::from_static(&VTABLE, "panicky").unwrap();
    let fwctl = Subsystem::new();
    let echo = fwctl.register(Arc::new(EchoDriver::new())).unwrap();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let me = Credentials::default();
    let h = fwctl.open(minor, &me).unwrap();
    let mut out = [0u8; 4];
    assert_eq!(h.rpc(&me, 0, b"fine", &mut out).unwrap().out_len, 4);
    assert_eq!(h.rpc(&me, 0, b"!boom", &mut out), Err(Errno::ENXIO));
    assert!(lib.failure().unwrap().contains("panicked or faulted in rpc"), "{:?}", lib.failure());
    assert_eq!(h.rpc(&me, 0, b"fine", &mut out), Err(Errno::ENXIO), "a failed plugin is never called again");
    let d = fwctl.devices();
    assert_eq!(d.iter().find(|d| d.view.minor == minor).unwrap().state, DeviceState::Failed);
    let e = fwctl.open(echo, &me).unwrap();
    assert_eq!(e.rpc(&me, 0, b"echo", &mut out).unwrap().out_len, 4);
    assert!(
        plugin::loaded()
            .iter()
            .any(|r| r.info.path.to_str() == Some("<static:panicky>") && r.failure.is_some())
    );
}

#[test]
fn a_panic_in_probe_is_reported_not_propagated() {
    static VTABLE: ExportedVTable = ExportedVTable::new::<PanickyPlugin>();
    let lib = PluginLibrary::from_static(&VTABLE, "panicky-probe").unwrap();
    let e = lib.probe("panic").unwrap_err();
    assert_eq!(e.kind(), "plugin-failed");
    assert!(e.to_string().contains("panicked or faulted in probe"), "{e}");
}
