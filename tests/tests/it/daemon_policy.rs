//! The admin policy enforced by the real daemon on real OS identities: an
//! unprivileged user (and the same user with a supplementary group) as a client
//! in its own process, the decisions and their reasons in the audit log, and
//! policy reloads on SIGHUP and the `reload` verb (a bad file is rejected with
//! file:line:column and the last good policy stays).
//!
//! Needs root (CI runs the suite as root) to create the test identities; without
//! it each test says SKIP and returns.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::process::Command;

use fwctl_core::server::ControlRequest;
use fwctl_tests::daemon::{Fwctld, TestUser, binary};
use serde_json::Value;

const LOOPBACK: &str = "[[device]]\nname = \"lb0\"\ndriver = \"loopback\"\n";

/// Per-user and per-group rules, first match wins (Documentation/policy.md);
/// `@USER@` and `@OPS@` stand for the test user and group ([`for_user`]).
const USER_AND_GROUP: &str = r#"version = 1

[[rule]]
name = "ops-debug"
groups = ["@OPS@"]
max_scope = "debug-read-only"

[[rule]]
name = "test-user-config"
users = ["@USER@"]
max_scope = "configuration"

[[rule]]
name = "root-all"
users = ["root"]
max_scope = "debug-write-full"
"#;

/// Only root; audit only refusals.
const ROOT_ONLY_DENIALS: &str = r#"version = 1
audit = "denials"

[[rule]]
name = "root-only"
users = ["root"]
max_scope = "debug-write-full"
"#;

/// Line 7 names a scope that does not exist.
const BAD: &str = r#"version = 1

[[rule]]
name = "everyone"
users = ["*"]
# the scope below is not a scope
max_scope = "debug-sideways"
"#;

/// `text` with `@USER@` and `@OPS@` replaced by the test user's names.
fn for_user(text: &str, user: &TestUser) -> String {
    text.replace("@USER@", &user.name).replace("@OPS@", &user.ops_group)
}

/// What one RPC from a client process got: `"ok"` or the errno name.
struct Outcome {
    result: String,
    out: String,
    raw: Value,
}

/// One RPC (request `0102`, 2-byte response) at `scope` from a separate client
/// process (`fwctl-probe`, a client of the daemon transport), run by `who` (a
/// wrapper command such as [`TestUser::command`]) or by this root process when
/// `None`.
fn rpc(d: &Fwctld, who: Option<Command>, scope: &str) -> Outcome {
    let scope = match scope {
        "configuration" => "0",
        "debug-read-only" => "1",
        "debug-write" => "2",
        "debug-write-full" => "3",
        other => panic!("unknown scope {other}"),
    };
    let mut cmd = who.unwrap_or_else(|| Command::new(binary("fwctl-probe")));
    cmd.arg(&d.runtime_dir).args(["fwctl0", "rpc", scope, "0102", "2"]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let raw: Value = serde_json::from_slice(&out.stdout).unwrap();
    Outcome {
        result: raw["result"].as_str().unwrap_or_default().into(),
        out: raw["out"].as_str().unwrap_or_default().into(),
        raw,
    }
}

fn assert_ok(o: &Outcome, what: &str) {
    assert_eq!((o.result.as_str(), o.out.as_str()), ("ok", "0102"), "{what}: {}", o.raw);
}

fn assert_eperm(o: &Outcome, what: &str) {
    assert_eq!(o.result, "EPERM", "{what}: {}", o.raw);
}

#[test]
fn per_user_and_per_group_rules_decide_for_an_unprivileged_client_and_the_reason_is_audited() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(LOOPBACK, &[]);
    d.write_policy(&for_user(USER_AND_GROUP, &user));
    d.control(&ControlRequest::Reload).unwrap();
    let probe = binary("fwctl-probe");
    let plain = || Some(user.command(&probe));
    let ops = || Some(user.command_in_groups(&probe, &[user.ops_gid]));

    // The user alone: rule 'test-user-config', ceiling configuration.
    assert_ok(&rpc(&d, plain(), "configuration"), "user at configuration");
    let denied = rpc(&d, plain(), "debug-read-only");
    assert_eperm(&denied, "user at debug-read-only");
    // The same user in the ops group (a supplementary group the OS reports):
    // rule 'ops-debug' comes first and allows debug-read-only, not debug-write.
    assert_ok(&rpc(&d, ops(), "debug-read-only"), "ops member at debug-read-only");
    assert_eperm(&rpc(&d, ops(), "debug-write"), "ops member at debug-write");
    // Root: allowed by its rule; debug-write-full needs CAP_SYS_RAWIO, which root has.
    assert_ok(&rpc(&d, None, "debug-write-full"), "root at debug-write-full");

    let audit = d.audit();
    let rpcs = |uid: u32| audit.iter().filter(move |e| e["event"] == "rpc" && e["uid"] == uid);
    let user_denial = rpcs(user.uid)
        .find(|e| e["errno"] == "EPERM" && e["scope"] == "debug-read-only")
        .expect("the user's refusal is audited");
    assert_eq!(user_denial["rule"], "test-user-config");
    let reason = user_denial["reason"].as_str().unwrap();
    assert!(reason.contains("test-user-config") && reason.contains("policy.toml:"), "{reason}");
    assert_eq!(user_denial["comm"], "fwctl-probe");
    let ops_allowed = rpcs(user.uid)
        .find(|e| e["scope"] == "debug-read-only" && e.get("errno").is_none())
        .expect("the group member's RPC is audited");
    assert_eq!(ops_allowed["rule"], "ops-debug");
    let ops_denied = rpcs(user.uid).find(|e| e["scope"] == "debug-write").expect("audited");
    assert_eq!(
        (ops_denied["errno"].as_str(), ops_denied["rule"].as_str()),
        (Some("EPERM"), Some("ops-debug"))
    );
    let root_ok = rpcs(0).find(|e| e["scope"] == "debug-write-full").expect("root's RPC is audited");
    assert_eq!((root_ok.get("errno"), root_ok["rule"].as_str()), (None, Some("root-all")));
}

#[test]
fn sighup_installs_a_good_policy_and_keeps_the_last_good_one_when_the_new_file_is_bad() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(LOOPBACK, &[]);
    let probe = binary("fwctl-probe");
    let as_user = || Some(user.command(&probe));
    assert_ok(&rpc(&d, as_user(), "configuration"), "the fixture's open policy");

    // A good policy: only root, audit only denials. New decisions take effect.
    d.write_policy(ROOT_ONLY_DENIALS);
    assert!(d.sighup(), "the good policy is installed:\n{}", d.log());
    assert_eperm(&rpc(&d, as_user(), "configuration"), "the user after the reload");
    let root_rpcs = || d.audit().iter().filter(|e| e["event"] == "rpc" && e["uid"] == 0).count();
    let before = root_rpcs();
    assert_ok(&rpc(&d, None, "configuration"), "root after the reload");
    assert_eq!(root_rpcs(), before, "audit = \"denials\": allowed RPCs are no longer written");
    let opens = d.audit().iter().filter(|e| e["event"] == "open-denied" && e["uid"] == user.uid).count();
    assert!(opens >= 1, "denials are still written");
    let status = d.control(&ControlRequest::Status).unwrap();
    assert_eq!(status["admin"]["audit_level"], "denials");
    assert_eq!(status["admin"]["policy"]["rules"], 1);

    // A bad file: rejected with its position, logged, audited; the last good stays.
    d.write_policy(BAD);
    assert!(!d.sighup(), "the bad policy is rejected");
    let log = d.log();
    let line = log.lines().rev().find(|l| l.contains("SIGHUP: policy rejected")).unwrap();
    assert!(line.contains("policy.toml:7:"), "reason with file:line:column: {line}");
    assert!(line.contains("the last good policy") && line.contains("stays installed"), "{line}");
    assert_eperm(&rpc(&d, as_user(), "configuration"), "the user under the kept policy");
    assert_ok(&rpc(&d, None, "configuration"), "root under the kept policy");
    let rejected = d.audit().into_iter().rfind(|e| e["event"] == "policy-load").unwrap();
    assert!(rejected["error"].as_str().unwrap().contains("policy.toml:7:"), "{rejected}");
    assert_eq!(d.control(&ControlRequest::Status).unwrap()["admin"]["audit_level"], "denials");

    // The control verb behaves the same, and reports the reason to the caller.
    let err = d.control(&ControlRequest::Reload).unwrap_err();
    assert!(err.contains("policy.toml:7:") && err.contains("stays installed"), "{err}");
    d.write_policy(&for_user(USER_AND_GROUP, &user));
    let ok = d.control(&ControlRequest::Reload).unwrap();
    assert!(ok.as_str().unwrap().contains("3 rule(s), audit all"), "{ok}");
    assert_ok(&rpc(&d, as_user(), "configuration"), "the user under the fixed policy");
}

#[test]
fn without_a_policy_file_the_built_in_default_applies() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(LOOPBACK, &[]);
    std::fs::remove_file(&d.policy).unwrap();
    let summary = d.control(&ControlRequest::Reload).unwrap();
    assert!(summary.as_str().unwrap().contains("built-in default policy"), "{summary}");
    let status = d.control(&ControlRequest::Status).unwrap();
    assert_eq!(status["admin"]["policy"]["builtin_default"], true);
    // policies/default.toml: root only, debug-read-only ceiling.
    assert_eperm(
        &rpc(&d, Some(user.command(&binary("fwctl-probe"))), "configuration"),
        "user under the default",
    );
    assert_ok(&rpc(&d, None, "debug-read-only"), "root under the default");
    assert_eperm(&rpc(&d, None, "debug-write"), "root above the default's ceiling");
}

#[test]
fn drop_ins_in_policy_d_are_merged_in_name_order_and_reloaded_on_sighup() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(LOOPBACK, &[]);
    d.write_policy(ROOT_ONLY_DENIALS);
    assert!(d.sighup(), "{}", d.log());
    let probe = binary("fwctl-probe");
    let as_user = || Some(user.command(&probe));
    assert_eperm(&rpc(&d, as_user(), "configuration"), "root-only main file");

    // A drop-in granting the user configuration: loaded with the main file on SIGHUP.
    let dir = d.policy.parent().unwrap().join("policy.d");
    std::fs::create_dir_all(&dir).unwrap();
    let grant = format!(
        "# written by config management\n[[rule]]\nname = \"user-config\"\nusers = [\"{}\"]\nmax_scope = \"configuration\"\n",
        user.name
    );
    std::fs::write(dir.join("20-user.toml"), &grant).unwrap();
    std::fs::write(dir.join("20-user.toml~"), "not toml at all [[[").unwrap(); // editor backups are skipped
    assert!(d.sighup(), "{}", d.log());
    assert_ok(&rpc(&d, as_user(), "configuration"), "granted by the drop-in");
    let status = d.control(&ControlRequest::Status).unwrap();
    let source = status["admin"]["policy"]["source"].as_str().unwrap().to_string();
    assert!(source.contains("+ 1 drop-in(s)"), "{source}");
    let denied = rpc(&d, as_user(), "debug-read-only");
    assert_eq!(denied.result, "EPERM");
    let line = d.audit().into_iter().rfind(|e| e["event"] == "rpc" && e["uid"] == user.uid).unwrap();
    assert!(
        line["reason"].as_str().unwrap().contains("policy.d/20-user.toml:2)"),
        "reasons name the drop-in: {line}"
    );

    // A conflicting drop-in (same rule name, earlier in name order): the whole set is
    // rejected with both positions, and the last good set stays.
    std::fs::write(
        dir.join("10-dup.toml"),
        "[[rule]]\nname = \"user-config\"\nusers = [\"root\"]\nmax_scope = \"configuration\"\n",
    )
    .unwrap();
    assert!(!d.sighup(), "a duplicate rule name across files is rejected");
    let log = d.log();
    let line = log.lines().rev().find(|l| l.contains("policy rejected")).unwrap();
    assert!(
        line.contains("policy.d/20-user.toml:3:8: duplicate rule name 'user-config' (first used at policy.d/10-dup.toml:1)"),
        "{line}"
    );
    assert_ok(&rpc(&d, as_user(), "configuration"), "the last good set stays");
}
