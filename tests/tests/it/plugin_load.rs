//! Loading C plugins compiled at test time: the good ones load, unload and
//! reload; each class of bad plugin gets its own error and never takes the host
//! down; a plugin misbehaving at run time fails only its own devices.
#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use fwctl_core::plugin::{self, LoadOptions, PluginError, abi};
use fwctl_core::{Credentials, DeviceState, DeviceType, Errno, RpcScope, Subsystem};
use fwctl_tests::echo::EchoDriver;
use fwctl_tests::plugins::{TempDir, fixture, set_mode};

fn strict() -> LoadOptions {
    LoadOptions::default()
}

fn load_err(path: &Path) -> PluginError {
    match fwctl_tests::plugins::load(path, &strict()) {
        Ok(lib) => panic!("{} loaded as {:?}", path.display(), lib.info()),
        Err(e) => e,
    }
}

fn u32s(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4).map(|c| u32::from_ne_bytes(c.try_into().unwrap())).collect()
}

#[test]
fn good_fixture_loads_registers_and_round_trips() {
    let dir = TempDir::new("plugin-good");
    let path = fixture(dir.path(), "good", "");
    let lib = fwctl_tests::plugins::load(&path, &strict()).unwrap();
    assert_eq!(lib.name(), "fixture");
    assert_eq!(lib.version(), "1.0");
    assert_eq!(lib.device_type(), DeviceType::Pds);
    assert_eq!(lib.info().abi_version, abi::ABI_VERSION);
    assert_eq!(lib.info().path, std::fs::canonicalize(&path).unwrap());
    assert!(!lib.info().insecure);

    let fwctl = Subsystem::new();
    let drivers = lib.probe("").unwrap();
    assert_eq!(drivers.len(), 1);
    let minor = fwctl.register(drivers[0].clone()).unwrap();
    drop(drivers);
    let me = Credentials::default();
    let h = fwctl.open(minor, &me).unwrap();
    let mut out = [0u8; 8];
    let r = h.rpc(&me, RpcScope::Configuration as u32, b"ping", &mut out).unwrap();
    assert_eq!((r.out_len, &out[..4]), (4, &b"ping"[..]));
    // The fixture's info reports its live devices and contexts.
    let mut data = [0u8; 8];
    let info = h.info(&me, &mut data).unwrap();
    assert_eq!(info.device_type, DeviceType::Pds as u32);
    assert_eq!(u32s(&data), [1, 1]);
    assert!(plugin::loaded().iter().any(|r| r.info.path == lib.info().path && r.live_devices == 1));
    drop(h);
    fwctl.unregister(minor).unwrap();
    assert_eq!(lib.live_devices(), 0);
}

#[test]
fn unload_closes_contexts_then_removes_devices_and_reload_works() {
    let dir = TempDir::new("plugin-reload");
    let path = fixture(dir.path(), "reload", "");
    let fwctl = Subsystem::new();
    let me = Credentials::default();
    let lib = fwctl_tests::plugins::load(&path, &strict()).unwrap();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let h1 = fwctl.open(minor, &me).unwrap();
    let h2 = fwctl.open(minor, &me).unwrap();
    let mut data = [0u8; 8];
    h1.info(&me, &mut data).unwrap();
    assert_eq!(u32s(&data), [1, 2]);
    // Unload while handles are open: contexts closed, device removed, handles orphaned.
    fwctl.unregister(minor).unwrap();
    assert_eq!(lib.live_devices(), 0);
    assert_eq!(h2.info(&me, &mut data), Err(Errno::ENODEV));
    drop((h1, h2));

    // Reload: the same file gives the same library; new devices start clean.
    let again = fwctl_tests::plugins::load(&path, &strict()).unwrap();
    assert!(Arc::ptr_eq(&lib, &again));
    let minor = fwctl.register(again.probe("").unwrap().remove(0)).unwrap();
    let h = fwctl.open(minor, &me).unwrap();
    h.info(&me, &mut data).unwrap();
    assert_eq!(u32s(&data), [1, 1], "the earlier contexts were each closed exactly once");
    let mut out = [0u8; 3];
    assert_eq!(h.rpc(&me, 0, b"abc", &mut out).unwrap().out_len, 3);
    drop(h);
    fwctl.unregister(minor).unwrap();
}

#[test]
fn missing_file_is_not_found() {
    let e = load_err(Path::new("/nonexistent/fwctl/libnothing.so"));
    assert!(matches!(e, PluginError::NotFound { .. }), "{e}");
    assert_eq!(e.kind(), "not-found");
}

#[test]
fn text_file_and_object_file_are_not_shared_objects() {
    let dir = TempDir::new("plugin-notso");
    let text = dir.path().join("libtext.so");
    std::fs::write(&text, "this is not ELF").unwrap();
    set_mode(&text, 0o755);
    let e = load_err(&text);
    assert!(matches!(e, PluginError::NotSharedObject { .. }), "{e}");
    assert!(e.to_string().contains("no ELF magic"), "{e}");

    let obj = dir.path().join("fixture.o");
    let st = std::process::Command::new("cc")
        .args(["-c", "-fPIC", "-I"])
        .arg(fwctl_tests::plugins::include_dir())
        .arg(fwctl_tests::plugins::fixture_source())
        .arg("-o")
        .arg(&obj)
        .status()
        .unwrap();
    assert!(st.success());
    set_mode(&obj, 0o755);
    let e = load_err(&obj);
    assert!(matches!(e, PluginError::NotSharedObject { .. }), "{e}");
    assert!(e.to_string().contains("relocatable"), "{e}");
}

#[test]
fn each_bad_vtable_class_gets_its_own_error() {
    let dir = TempDir::new("plugin-bad");
    let cases: &[(&str, &str)] = &[
        ("NO_ENTRY", "missing-symbol"),
        ("NULL_VTABLE", "bad-vtable-pointer"),
        ("ABI_VERSION=99", "abi-version-mismatch"),
        ("STRUCT_SIZE=32", "struct-too-small"),
        ("TAIL_BYTE=7", "struct-too-large"),
        ("DEVICE_TYPE=99", "unknown-device-type"),
        ("DEVICE_TYPE=0", "unknown-device-type"),
        ("NO_RPC", "missing-entry-point"),
        ("UNTERMINATED_NAME", "bad-string"),
        ("UNDEFINED_REF", "load-failed"),
    ];
    for (i, (define, kind)) in cases.iter().enumerate() {
        let path = fixture(dir.path(), &format!("bad{i}"), define);
        let e = load_err(&path);
        assert_eq!(e.kind(), *kind, "{define}: {e}");
        match (define, &e) {
            (&"NO_ENTRY", PluginError::MissingSymbol { symbol, .. }) => {
                assert_eq!(*symbol, "fwctl_plugin_v1")
            }
            (&"ABI_VERSION=99", PluginError::AbiVersionMismatch { found, supported }) => {
                assert_eq!((*found, *supported), (99, 2))
            }
            (&"STRUCT_SIZE=32", PluginError::StructTooSmall { size, min }) => {
                // The first version 2 vtable (without name_text) is the smallest accepted.
                assert_eq!((*size, *min), (32, abi::VTABLE_V2_0_SIZE))
            }
            (&"TAIL_BYTE=7", PluginError::StructTooLarge { size, known, detail }) => {
                let vt = size_of::<abi::VTable>();
                assert_eq!((*size as usize, *known as usize), (vt + 16, vt));
                assert!(detail.contains(&format!("byte {}", vt + 5)), "{detail}");
            }
            (&"DEVICE_TYPE=99", PluginError::UnknownDeviceType(t)) => assert_eq!(*t, 99),
            (&"NO_RPC", PluginError::MissingEntryPoint(n)) => assert_eq!(*n, "rpc_v2 (or rpc)"),
            (&"UNDEFINED_REF", PluginError::LoadFailed { detail, .. }) => {
                assert!(detail.contains("fwctl_fixture_function_nobody_defines"), "{detail}")
            }
            _ => {}
        }
    }
}

#[test]
fn larger_vtable_with_zero_tail_is_accepted() {
    let dir = TempDir::new("plugin-tail");
    let lib = fwctl_tests::plugins::load(&fixture(dir.path(), "tail0", "TAIL_BYTE=0"), &strict()).unwrap();
    assert_eq!(lib.info().struct_size as usize, size_of::<abi::VTable>() + 16);
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let me = Credentials::default();
    let mut out = [0u8; 2];
    assert_eq!(fwctl.open(minor, &me).unwrap().rpc(&me, 0, b"ok", &mut out).unwrap().out_len, 2);
}

#[test]
fn group_or_other_writable_and_foreign_owned_files_are_refused() {
    let dir = TempDir::new("plugin-perm");
    let path = fixture(dir.path(), "perm", "");
    for mode in [0o775, 0o757, 0o777] {
        set_mode(&path, mode);
        let e = load_err(&path);
        assert!(matches!(e, PluginError::InsecurePermissions { .. }), "{mode:o}: {e}");
        assert!(e.to_string().contains("writable by group/others"), "{e}");
    }
    set_mode(&path, 0o755);

    // A file owned by another user (only root can arrange this).
    let foreign = fixture(dir.path(), "foreign", "");
    if nix::unistd::chown(&foreign, Some(nix::unistd::Uid::from_raw(4242)), None).is_ok() {
        let e = load_err(&foreign);
        assert!(e.to_string().contains("owned by uid 4242"), "{e}");
        // The development switch loads it anyway, and the load is marked insecure.
        let lib = fwctl_tests::plugins::load(&foreign, &LoadOptions { allow_insecure: true }).unwrap();
        assert!(lib.info().insecure);
        assert!(plugin::loaded().iter().any(|r| r.info.path == lib.info().path && r.info.insecure));
    }

    let writable = fixture(dir.path(), "writable", "");
    set_mode(&writable, 0o777);
    let lib = fwctl_tests::plugins::load(&writable, &LoadOptions { allow_insecure: true }).unwrap();
    assert!(lib.info().insecure);
    assert_eq!(std::fs::metadata(&writable).unwrap().permissions().mode() & 0o777, 0o777);
}

/// A garbage-returning plugin fails its own devices (ENXIO, listed failed) while
/// a linked-in driver and another plugin in the same subsystem keep serving.
#[test]
fn runtime_garbage_fails_only_the_plugins_devices() {
    let dir = TempDir::new("plugin-garbage");
    let me = Credentials::default();
    for (define, entry) in [
        ("RPC_GARBAGE_LEN", "rpc"),
        ("RPC_GARBAGE_RET=12345", "rpc"),
        ("RPC_GARBAGE_RET=-9999", "rpc"),
        ("RPC_IN_PLACE_GARBAGE", "rpc"),
    ] {
        let fwctl = Subsystem::new();
        let good = fwctl.register(Arc::new(EchoDriver::new())).unwrap();
        let other = fwctl_tests::plugins::load(
            &fixture(dir.path(), &format!("ok-{entry}{}", define.len()), ""),
            &strict(),
        )
        .unwrap();
        let other_minor = fwctl.register(other.probe("").unwrap().remove(0)).unwrap();
        let lib = fwctl_tests::plugins::load(
            &fixture(dir.path(), &format!("garbage{}", define.len()), define),
            &strict(),
        )
        .unwrap();
        let bad = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();

        let h = fwctl.open(bad, &me).unwrap();
        let mut out = [0u8; 4];
        assert_eq!(h.rpc(&me, 0, b"ping", &mut out), Err(Errno::ENXIO), "{define}");
        let reason = lib.failure().unwrap().to_string();
        assert!(reason.contains("garbage") && reason.contains(entry), "{define}: {reason}");
        // Every later call answers ENXIO without reaching the plugin.
        assert_eq!(h.rpc(&me, 0, b"ping", &mut out), Err(Errno::ENXIO));
        assert_eq!(fwctl.open(bad, &me).err(), Some(Errno::ENXIO));
        let summary = fwctl.devices().into_iter().find(|d| d.view.minor == bad).unwrap();
        assert_eq!(summary.state, DeviceState::Failed);
        assert_eq!(summary.failure.as_deref(), Some(reason.as_str()));
        assert!(plugin::loaded().iter().any(|r| r.info.path == lib.info().path && r.failure.is_some()));

        for minor in [good, other_minor] {
            let h = fwctl.open(minor, &me).unwrap();
            assert_eq!(h.rpc(&me, 0, b"ping", &mut out).unwrap().out_len, 4);
            assert_eq!(&out, b"ping");
        }
        drop(h);
        fwctl.unregister(bad).unwrap();
    }
}

#[test]
fn garbage_info_length_and_probe_count_fail_the_plugin() {
    let dir = TempDir::new("plugin-garbage2");
    let me = Credentials::default();
    let lib =
        fwctl_tests::plugins::load(&fixture(dir.path(), "info", "INFO_GARBAGE_LEN"), &strict()).unwrap();
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let h = fwctl.open(minor, &me).unwrap();
    let mut data = [0u8; 8];
    assert_eq!(h.info(&me, &mut data), Err(Errno::ENXIO));
    assert!(lib.failure().unwrap().contains("garbage from info"), "{:?}", lib.failure());

    let lib = fwctl_tests::plugins::load(&fixture(dir.path(), "probe", "PROBE_GARBAGE"), &strict()).unwrap();
    let e = lib.probe("").unwrap_err();
    assert!(matches!(e, PluginError::Failed(ref r) if r.contains("garbage from probe")), "{e}");
}

#[test]
fn check_reports_a_good_plugin_and_names_the_problem_of_a_bad_one() {
    let dir = TempDir::new("plugin-check");
    let good = fwctl_tests::plugins::check(&fixture(dir.path(), "good", ""), "", &strict());
    assert!(good.ok(), "{good}");
    let p = good.plugin.as_ref().unwrap();
    assert_eq!((p.name.as_str(), p.device_type, p.abi_version), ("fixture", DeviceType::Pds, 2));
    let names: Vec<&str> = good.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "probe ''",
            "device 0 identity",
            "device 0 open",
            "device 0 info",
            "device 0 describe",
            "device 0 close",
            "remove"
        ]
    );
    assert!(good.to_string().ends_with("result: ok"));

    let bad = fwctl_tests::plugins::check(&fixture(dir.path(), "abi", "ABI_VERSION=3"), "", &strict());
    assert!(!bad.ok());
    assert_eq!(bad.error.as_ref().map(|e| e.kind()), Some("abi-version-mismatch"));
    assert!(bad.to_string().contains("ABI version mismatch"), "{bad}");

    let garbage =
        fwctl_tests::plugins::check(&fixture(dir.path(), "ginfo", "INFO_GARBAGE_LEN"), "", &strict());
    assert!(!garbage.ok());
    assert!(garbage.steps.iter().any(|s| s.name == "device 0 info" && s.result.is_err()), "{garbage}");
}

/// The C template compiles warning-free, passes `check`, and enforces the
/// scopes its header comment documents.
#[test]
fn c_template_builds_checks_and_enforces_its_documented_scopes() {
    use fwctl_tests::plugins::{Warnings, c_template_source, compile_c};
    let dir = TempDir::new("c-template");
    let path = compile_c(dir.path(), "c_template", &[c_template_source()], &[], Warnings::Strict).unwrap();
    let report = fwctl_tests::plugins::check(&path, "", &strict());
    assert!(report.ok(), "{report}");
    let lib = fwctl_tests::plugins::load(&path, &strict()).unwrap();
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let me = Credentials::default();
    let h = fwctl.open(minor, &me).unwrap();
    let req = |op: u32, v: u32| [op.to_ne_bytes(), v.to_ne_bytes()].concat();
    let mut out = [0u8; 8];
    assert_eq!(h.rpc(&me, RpcScope::DebugReadOnly as u32, &req(2, 5), &mut out), Err(Errno::EBADMSG));
    h.rpc(&me, RpcScope::DebugWrite as u32, &req(2, 5), &mut out).unwrap();
    h.rpc(&me, RpcScope::Configuration as u32, &req(1, 0), &mut out).unwrap();
    assert_eq!(u32s(&out), [0, 5]);
    assert_eq!(h.rpc(&me, 0, &req(7, 0), &mut out), Err(Errno::EBADMSG));
    assert_eq!(h.rpc(&me, 0, &req(1, 0)[..4], &mut out), Err(Errno::EINVAL));
    assert_eq!(h.describe(&req(2, 0)).unwrap().min_scope, Some(RpcScope::DebugWrite));
    assert_eq!(h.describe(&req(7, 0)).unwrap().min_scope, None);
    // No info op: FWCTL_INFO zero-fills.
    let mut data = [0xffu8; 4];
    assert_eq!(h.info(&me, &mut data).unwrap().device_data_len, 0);
    assert_eq!(data, [0; 4]);
}

#[test]
fn a_response_written_in_place_is_delivered() {
    let dir = TempDir::new("plugin-inplace");
    let lib = fwctl_tests::plugins::load(&fixture(dir.path(), "inplace", "RPC_IN_PLACE"), &strict()).unwrap();
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe("").unwrap().remove(0)).unwrap();
    let me = Credentials::default();
    let h = fwctl.open(minor, &me).unwrap();
    let mut out = [0u8; 8];
    assert_eq!(h.rpc(&me, 0, b"ping", &mut out).unwrap().out_len, 4);
    assert_eq!(&out[..4], b"Ping");
    // A response longer than the caller's buffer is truncated and its full
    // length reported, as for a linked-in driver.
    let mut small = [0u8; 2];
    assert_eq!(h.rpc(&me, 0, b"ping", &mut small).unwrap().out_len, 4);
    assert_eq!(&small, b"Pi");
    assert!(lib.failure().is_none());
}
