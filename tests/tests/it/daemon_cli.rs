//! The real `fwctl` binary driving the real `fwctld`:
//! `fwctl --transport daemon --runtime-dir DIR list|rpc …`, as root and as an
//! unprivileged OS user under a per-user policy.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::process::Output;

use fwctl_core::server::ControlRequest;
use fwctl_mlx5_sim::prm;
use fwctl_tests::daemon::{Fwctld, TestUser, binary};
use serde_json::Value;

const DEVICES: &str = r#"
[[device]]
name = "nic0"
driver = "mlx5-sim"

[[device]]
name = "lb0"
driver = "loopback"
"#;

const USER_CONFIG_ONLY: &str = r#"version = 1

[[rule]]
name = "test-user-config"
users = ["@USER@"]
max_scope = "configuration"

[[rule]]
name = "root-all"
users = ["root"]
max_scope = "debug-write-full"
"#;

fn hex(b: &[u8]) -> String {
    hex::encode(b)
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or(Value::Null)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `fwctl list --json` through the daemon.
fn list(d: &Fwctld) -> Output {
    d.fwctl().args(["list", "--json"]).output().unwrap()
}

#[test]
fn fwctl_list_and_rpc_go_through_the_daemon() {
    let d = Fwctld::start(DEVICES, &[]);
    let out = list(&d);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["transport"], "daemon", "{v}");
    let devices: Vec<(&str, &str)> = v["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), d["driver"].as_str().unwrap()))
        .collect();
    assert_eq!(devices, [("fwctl0", "mlx5_fwctl"), ("fwctl1", "loopback")], "{v}");

    // QUERY_ADAPTER to the simulated mlx5 device: 272 bytes, status OK, exit 0.
    let out =
        d.fwctl().args(["rpc", "fwctl0", &hex(&prm::build::query_adapter()), "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!((r["transport"].as_str(), r["out_len"].as_u64()), (Some("daemon"), Some(272)), "{r}");
    assert_eq!(r["status"]["ok"], true, "{r}");
    assert_eq!(r["description"]["name"], "QUERY_ADAPTER", "{r}");

    // A tainting RPC with --yes: the daemon's taint flag, seen by `fwctl list`.
    let out = d
        .fwctl()
        .args(["rpc", "fwctl1", "aabb", "--scope", "debug-write", "--yes", "--out-len", "2", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&out)["response"], "aabb");
    let v = json(&list(&d));
    assert_eq!(v["tainted"], true, "{v}");
    assert_eq!(d.control(&ControlRequest::Status).unwrap()["tainted"], true);
    // A device the daemon does not have: exit 4 (ENODEV).
    let out = d.fwctl().args(["rpc", "fwctl7", "00"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

#[test]
fn fwctl_run_by_an_unprivileged_user_gets_the_daemons_policy_decision() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(DEVICES, &[]);
    d.write_policy(&USER_CONFIG_ONLY.replace("@USER@", &user.name));
    d.control(&ControlRequest::Reload).unwrap();
    let out = list(&d);
    assert!(out.status.success(), "fwctl list through the daemon: {}", stderr(&out));
    let fwctl = binary("fwctl");
    let as_user = |args: &[&str]| d.fwctl_with(user.command(&fwctl)).args(args).output().unwrap();

    let ok = as_user(&["rpc", "fwctl1", "0102", "--out-len", "2", "--json"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert_eq!(json(&ok)["response"], "0102");

    let denied = as_user(&["rpc", "fwctl1", "0102", "--scope", "debug-read-only", "--json"]);
    assert_eq!(denied.status.code(), Some(3), "refused by the subsystem: {}", stderr(&denied));
    assert_eq!(json(&denied)["errno"], "EPERM", "{}", String::from_utf8_lossy(&denied.stdout));

    // --dry-run asks the daemon's policy and shows its reason, delivering nothing.
    let dry = as_user(&["rpc", "fwctl1", "0102", "--scope", "debug-read-only", "--dry-run", "--json"]);
    assert_eq!(dry.status.code(), Some(3), "{}", stderr(&dry));
    let v = json(&dry);
    assert_eq!((v["allowed"].as_bool(), v["rule"].as_str()), (Some(false), Some("test-user-config")), "{v}");
    assert!(v["reason"].as_str().unwrap().contains("policy.toml:"), "{v}");

    // The audit log names the user and the command.
    let audit = d.audit();
    let line = audit
        .iter()
        .find(|e| e["event"] == "rpc" && e["uid"] == user.uid && e["errno"] == "EPERM")
        .expect("the refusal is audited");
    assert_eq!((line["comm"].as_str(), line["rule"].as_str()), (Some("fwctl"), Some("test-user-config")));
}

#[test]
fn fwctl_sees_unplugged_and_replugged_devices() {
    let d = Fwctld::start(DEVICES, &[]);
    let out = list(&d);
    assert!(out.status.success(), "fwctl list through the daemon: {}", stderr(&out));
    d.control(&ControlRequest::Unplug("fwctl1".into())).unwrap();
    let v = json(&list(&d));
    let names: Vec<&str> =
        v["devices"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["fwctl0"], "an unplugged device with no open handle is gone: {v}");
    let out = d.fwctl().args(["rpc", "fwctl1", "00"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let plugged = d.control(&ControlRequest::Plug("lb0".into())).unwrap();
    assert_eq!(plugged, "fwctl1");
    let out = d.fwctl().args(["rpc", "fwctl1", "0a0b", "--out-len", "2", "--json"]).output().unwrap();
    assert_eq!(json(&out)["response"], "0a0b", "{}", stderr(&out));
}

/// The child half of `the_suite_removes_the_os_user_and_groups_it_creates`:
/// creates the test identities, prints the names and returns (its process then
/// exits). Does nothing unless the parent asked for it.
#[test]
fn test_identities_child() {
    if std::env::var_os("FWCTL_TEST_IDENTITIES_CHILD").is_none() {
        return;
    }
    let Some(user) = TestUser::ensure() else { return };
    assert!(fwctl_tests::users::exists("passwd", &user.name));
    println!("IDENTITIES {} {}", user.name, user.ops_group);
}

#[test]
fn the_suite_removes_the_os_user_and_groups_it_creates() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP: not root: no test identities are created");
        return;
    }
    use fwctl_tests::users::{Identities, exists};
    // The guard: created, visible to getent, gone after drop.
    let pid = std::process::id();
    let (name, ops) = (format!("fwctl-g{pid}"), format!("fwctl-g{pid}-ops"));
    let ids = Identities::create(&name, &ops).unwrap();
    assert!(exists("passwd", &name) && exists("group", &name) && exists("group", &ops));
    drop(ids);
    assert!(!exists("passwd", &name) && !exists("group", &name) && !exists("group", &ops));

    // The suite's own user: a test process that created it removes it when it exits.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["daemon_cli::test_identities_child", "--exact", "--nocapture", "--test-threads=1"])
        .env("FWCTL_TEST_IDENTITIES_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", stderr(&out));
    // libtest prints "test NAME ... " before the test's own output, on the same line.
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("IDENTITIES ").map(|(_, rest)| rest))
        .expect("the child created them");
    let mut names = line.split_whitespace();
    let (user, group) = (names.next().unwrap(), names.next().unwrap());
    assert!(user.starts_with("fwctl-t"), "{line}");
    assert!(!exists("passwd", user), "getent passwd {user} still finds the user after its process exited");
    assert!(!exists("group", user) && !exists("group", group), "{user}/{group} groups left behind");
}

/// A policy where root and the test user have different rules, and a rule for
/// another group the test user must not see.
const RIGHTS: &str = r#"version = 1

[[rule]]
name = "secret-ops"
groups = ["root"]
max_scope = "debug-write"

[[rule]]
name = "test-user-read"
users = ["@USER@"]
max_scope = "debug-read-only"

[[rule]]
name = "root-all"
users = ["root"]
max_scope = "debug-write-full"
"#;

#[test]
fn policy_show_me_and_explain_ask_the_daemon_with_the_callers_own_rights() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(DEVICES, &[]);
    d.write_policy(&RIGHTS.replace("@USER@", &user.name));
    d.control(&ControlRequest::Reload).unwrap();
    let fwctl = binary("fwctl");
    let as_user = |args: &[&str]| d.fwctl_with(user.command(&fwctl)).args(args).output().unwrap();
    let rule_names = |v: &Value| -> Vec<String> {
        v["rules"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect()
    };

    // The user sees only the rule naming them, judged from the socket credentials.
    let out = as_user(&["policy", "show", "--me", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(rule_names(&v), ["test-user-read"], "{v}");
    assert_eq!(v["caller"]["uid"], user.uid, "{v}");
    assert_eq!(v["devices"][0]["open"]["allowed"], true, "{v}");
    let text = as_user(&["policy", "show", "--me"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("'test-user-read'") && !text.contains("secret-ops") && !text.contains("root-all"),
        "{text}"
    );
    assert!(text.contains("enforced by fwctld pid"), "{text}");

    // Root sees its own rules.
    let v = json(&d.fwctl().args(["policy", "show", "--me", "--json"]).output().unwrap());
    assert_eq!(rule_names(&v), ["secret-ops", "root-all"], "{v}");

    // explain: the daemon's policy (the user's local file does not exist), with the register.
    let out = as_user(&["policy", "explain", "--device", "fwctl0", "--scope", "debug-read-only", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["rule"], "test-user-read", "{v}");
    assert!(v["policy"].as_str().unwrap().contains("enforced by fwctld"), "{v}");
    let out = as_user(&["policy", "explain", "--device", "fwctl0", "--scope", "debug-write", "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // Asking about root is refused to the user, answered for root.
    let out =
        as_user(&["policy", "explain", "--user", "root", "--device", "fwctl0", "--scope", "debug-write"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("may ask only about itself"), "{}", stderr(&out));
    let out = d
        .fwctl()
        .args([
            "policy",
            "explain",
            "--user",
            &user.name,
            "--device",
            "fwctl0",
            "--scope",
            "debug-write",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(json(&out)["uid"], user.uid);
    assert_eq!(json(&out)["rule"], "test-user-read");

    // --version names the daemon, for the user too.
    let out = as_user(&["--version"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        text.contains(&format!("fwctld pid {}", d.pid())) && text.contains("policy.toml loaded "),
        "{text}"
    );
}

#[test]
fn a_refusal_by_the_daemon_is_named_not_a_bare_eio() {
    let Some(user) = TestUser::ensure() else { return };
    // Every slot is root's: an unprivileged client's connection is refused by fwctld
    // with an error frame, which the client reports in the daemon's words.
    let d = Fwctld::start(
        &fwctl_tests::daemon::loopback_config(1, "[limits]\nmax_connections = 16\nroot_reserve = 16\n"),
        &[],
    );
    let fwctl = binary("fwctl");
    let out = d
        .fwctl_with(user.command(&fwctl))
        .args(["rpc", "fwctl0", "0102", "--out-len", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("fwctl: error: open fwctl0: fwctld: too many connections"), "{e}");
    assert!(!e.contains("os error"), "{e}");
}
