//! One RPC, one request: the dispatcher's metadata (description, device status,
//! deciding rule) comes back with the result, so `describe` and `decode_status`
//! run once per RPC, and `fwctl rpc` through `fwctld` sends exactly one request
//! frame after connecting (counted by a relaying proxy).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use fwctl_core::hooks::{AuditSink, Decision, Hooks, OpenCheck, Policy, RpcAudit, RpcCheck};
use fwctl_core::server::wire::Kind;
use fwctl_core::{Credentials, Errno, Subsystem};
use fwctl_mlx5_sim::prm;
use fwctl_tests::daemon::Fwctld;
use fwctl_tests::echo::EchoDriver;
use fwctl_tests::proxy::FrameProxy;
use serde_json::Value;

/// Refuses requests whose first byte is 0x66, naming its rule.
#[derive(Default)]
struct No66 {
    checks: AtomicUsize,
}

impl Policy for No66 {
    fn check_open(&self, _: &OpenCheck<'_>) -> Decision {
        Decision::allow("open")
    }

    fn check_rpc(&self, check: &RpcCheck<'_>) -> Decision {
        self.checks.fetch_add(1, Ordering::SeqCst);
        if check.request.first() == Some(&0x66) {
            Decision { rule: Some("no-66".into()), ..Decision::deny(Errno::EPERM, "denied by rule 'no-66'") }
        } else {
            Decision::allow("allowed")
        }
    }
}

/// Keeps the description and decision of every audited RPC.
#[derive(Default)]
struct Seen {
    events: Mutex<Vec<(Option<String>, Option<String>)>>,
}

impl AuditSink for Seen {
    fn record_rpc(&self, e: &RpcAudit<'_>) {
        let name = e.description.and_then(|d| d.name.as_deref().map(str::to_string));
        let rule = e.decision.and_then(|d| d.rule.as_deref().map(str::to_string));
        if let Ok(mut events) = self.events.lock() {
            events.push((name, rule));
        }
    }
}

fn creds() -> Credentials {
    Credentials { uid: 1000, gid: 1000, pid: 7, comm: "round-trips".into(), ..Default::default() }
}

#[test]
fn describe_and_decode_status_run_once_per_rpc_with_policy_and_audit_installed() {
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    let drv = EchoDriver::new();
    let minor = fw.register(Arc::new(drv.clone())).unwrap();
    let policy = Arc::new(No66::default());
    let audit = Arc::new(Seen::default());
    fw.set_hooks(Hooks { policy: Some(policy.clone()), audit: Some(audit.clone()) });
    let h = fw.open(minor, &creds()).unwrap();

    // Without an out_len the buffer is the driver's expected length (the echo
    // driver expects the request's length): one describe serves both.
    let reply = h.call(&creds(), 0, b"\x01abc", None).unwrap();
    assert_eq!((reply.out_capacity, reply.response.as_slice()), (4, &b"\x01abc"[..]));
    assert_eq!(reply.result.out_len, 4);
    assert_eq!(reply.result.description.as_ref().and_then(|d| d.name.as_deref()), Some("ECHO"));
    assert_eq!(reply.result.decision.as_ref().map(Decision::allowed), Some(true));
    assert_eq!(drv.counters.describes.load(Ordering::SeqCst), 1, "describe ran once");
    assert_eq!(drv.counters.decode_statuses.load(Ordering::SeqCst), 1, "decode_status ran once");
    assert_eq!(policy.checks.load(Ordering::SeqCst), 1);

    // A refusal carries the deciding rule and the description with the errno.
    let err = h.call(&creds(), 0, b"\x66x", None).unwrap_err();
    assert_eq!(err.errno, Errno::EPERM);
    assert_eq!(err.decision.as_ref().and_then(|d| d.rule.as_deref()), Some("no-66"));
    assert_eq!(err.description.as_ref().map(|d| d.opcode), Some(0x66));
    assert_eq!(drv.counters.describes.load(Ordering::SeqCst), 2, "one more describe, none repeated");
    assert_eq!(drv.counters.rpcs.load(Ordering::SeqCst), 1, "the refused request never reached the driver");

    // The audit log saw the same metadata, computed by the same single calls.
    let events = audit.events.lock().unwrap().clone();
    assert_eq!(events, [(Some("ECHO".into()), None), (Some("ECHO".into()), Some("no-66".into()))]);

    // The raw ioctl path (C callers) also describes once.
    let mut out = [0u8; 4];
    h.rpc(&creds(), 0, b"\x02abc", &mut out).unwrap();
    assert_eq!(drv.counters.describes.load(Ordering::SeqCst), 3);
    assert_eq!(drv.counters.decode_statuses.load(Ordering::SeqCst), 2);
}

#[test]
fn a_capability_refusal_names_the_rule_without_a_second_call() {
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    let minor = fw.register(Arc::new(EchoDriver::new())).unwrap();
    let h = fw.open(minor, &creds()).unwrap();
    let err = h.call(&creds(), 3, b"\x01", None).unwrap_err();
    assert_eq!(err.errno, Errno::EPERM);
    assert_eq!(
        err.decision.map(|d| d.reason.to_string()).as_deref(),
        Some("scope debug-write-full needs CAP_SYS_RAWIO")
    );
}

const DEVICES: &str = r#"
[[device]]
name = "nic0"
driver = "mlx5-sim"
"#;

fn hex(b: &[u8]) -> String {
    hex::encode(b)
}

fn fwctl_via(proxy: &FrameProxy) -> std::process::Command {
    let mut c = std::process::Command::new(fwctl_tests::daemon::binary("fwctl"));
    for k in ["FWCTL_POLICY", "FWCTL_STATE_DIR", "FWCTL_AUDIT_LOG", "FWCTL_RUNTIME_DIR", "FWCTL_TRANSPORT"] {
        c.env_remove(k);
    }
    c.arg("--transport").arg("daemon").arg("--runtime-dir").arg(proxy.path());
    c
}

#[test]
fn fwctl_rpc_through_fwctld_sends_exactly_one_request_frame() {
    let d = Fwctld::start(DEVICES, &[]);
    let proxy = FrameProxy::new(&d.runtime_dir, "fwctl0");
    let query = hex(&prm::build::query_adapter());

    let out = fwctl_via(&proxy).args(["rpc", "fwctl0", &query, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["description"]["name"], "QUERY_ADAPTER", "{v}");
    assert_eq!((v["out_len"].as_u64(), v["out_capacity"].as_u64()), (Some(272), Some(272)), "{v}");
    assert_eq!(v["status"]["name"], "OK", "{v}");
    assert!(v["decoded"]["vsd_vendor_id"].is_u64(), "the device type came from the listing: {v}");
    assert_eq!(proxy.request_kinds(), [Kind::Rpc as u16], "one typed RPC frame and nothing else");

    // -v and the hexdump need nothing more.
    let out = fwctl_via(&proxy).args(["rpc", "fwctl0", &query, "-v"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("request: QUERY_ADAPTER (opcode 0x0101"), "{text}");
    assert!(text.contains("decoded:"), "{text}");
    assert_eq!(proxy.request_kinds(), [Kind::Rpc as u16; 2]);

    // A dry run is one DryRun frame, which carries the description.
    let out = fwctl_via(&proxy).args(["rpc", "fwctl0", &query, "--dry-run", "--json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["allowed"].as_bool(), v["description"]["name"].as_str()),
        (Some(true), Some("QUERY_ADAPTER"))
    );
    assert_eq!(proxy.request_kinds(), [Kind::Rpc as u16, Kind::Rpc as u16, Kind::DryRun as u16]);
}

#[test]
fn a_policy_refusal_through_fwctld_names_its_rule_in_the_same_single_frame() {
    let dir = fwctl_tests::daemon::TempDir::new("round-trip-policy");
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "version = 1\n[[rule]]\nname = \"config-only\"\nusers = [\"*\"]\nmax_scope = \"configuration\"\n",
    )
    .unwrap();
    let d = Fwctld::start(DEVICES, &["--policy", policy.to_str().unwrap()]);
    let proxy = FrameProxy::new(&d.runtime_dir, "fwctl0");
    let query = hex(&prm::build::query_adapter());
    let out = fwctl_via(&proxy)
        .args(["rpc", "fwctl0", &query, "--scope", "debug-read-only", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errno"], "EPERM", "{v}");
    let error = v["error"].as_str().unwrap_or_default();
    assert!(error.contains("config-only"), "the deciding rule is named: {error}");
    assert!(v["hint"].as_str().unwrap_or_default().contains("fwctl policy explain"), "{v}");
    assert_eq!(v["description"]["name"], "QUERY_ADAPTER", "{v}");
    assert_eq!(proxy.request_kinds(), [Kind::Rpc as u16], "no dry run to recover the rule");
}
