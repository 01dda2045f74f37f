//! Issue 11, identity (review findings P1, P2 and fd passing): a request is
//! judged by the process that sends it, with `CAP_SYS_RAWIO` counted only in the
//! daemon's user namespace, exactly as the kernel's `capable()` on the calling
//! task. Each test runs the attack with a real unprivileged user and a control
//! case showing the same path succeeds for a caller the kernel would accept.
//!
//! The daemon's policy lets everyone use debug-write-full, so the only gate left
//! is the kernel-level `CAP_SYS_RAWIO` check.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use fwctl_tests::daemon::{Fwctld, TempDir, TestUser, binary, loopback_config};
use serde_json::{Value, json};

fn json_of(out: &std::process::Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with('{')).unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|_| {
        panic!("no JSON result: stdout {text:?} stderr {:?}", String::from_utf8_lossy(&out.stderr))
    })
}

fn probe_rawio(d: &Fwctld, mut wrapper: Command) -> Value {
    wrapper.arg(binary("fwctl-probe")).arg(&d.runtime_dir).args(["fwctl0", "rpc", "3", "0102", "2"]);
    json_of(&wrapper.output().expect("run fwctl-probe"))
}

/// `setpriv` as the test user, no supplementary groups, no inheritable
/// capabilities; the bounding set is kept so a setuid-root exec gains
/// capabilities as it would on any system.
fn as_user_keeping_bounding_set(user: &TestUser) -> Command {
    let mut c = Command::new("setpriv");
    c.arg(format!("--reuid={}", user.uid))
        .arg(format!("--regid={}", user.gid))
        .arg("--clear-groups")
        .arg("--inh-caps=-all");
    c
}

#[test]
fn p1_an_unprivileged_user_namespace_does_not_grant_cap_sys_rawio() {
    let Some(user) = TestUser::ensure() else { return };
    // Can this machine create a user namespace for an unprivileged user at all?
    let mut check = as_user_keeping_bounding_set(&user);
    check.args(["unshare", "-U", "-r", "cat", "/proc/self/status"]);
    let status = check.output().expect("run unshare");
    let text = String::from_utf8_lossy(&status.stdout);
    let full = text
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .is_some_and(|c| c & (1 << 17) != 0);
    if !status.status.success() || !full {
        eprintln!(
            "SKIP: unprivileged user namespaces unavailable here (unshare -U -r: {}): {}",
            status.status,
            String::from_utf8_lossy(&status.stderr).trim()
        );
        return;
    }
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    // Control: root (CAP_SYS_RAWIO in the initial namespace) passes.
    assert_eq!(probe_rawio(&d, Command::new("env"))["result"], "ok");
    // The user, plainly: no capability, EPERM.
    assert_eq!(probe_rawio(&d, user.command(std::path::Path::new("env")))["result"], "EPERM");
    // The attack: the same user inside `unshare -U -r`, where CapEff is full
    // relative to the new namespace. The kernel's capable() says no.
    let mut attack = as_user_keeping_bounding_set(&user);
    attack.args(["unshare", "-U", "-r"]);
    let r = probe_rawio(&d, attack);
    assert_eq!(r["result"], "EPERM", "a child user namespace lent CAP_SYS_RAWIO: {r}\n{}", d.log());
}

#[test]
fn p2_exec_of_a_setuid_program_after_connect_lends_nothing_to_the_process_that_sends() {
    let Some(user) = TestUser::ensure() else { return };
    // A setuid-root program that waits: a copy of sleep, mode 4755, in a
    // directory the user can reach.
    let dir = TempDir::new("setuid");
    let sleeper = dir.path().join("suid-sleep");
    std::fs::copy("/bin/sleep", &sleeper).expect("copy sleep");
    std::fs::set_permissions(&sleeper, std::fs::Permissions::from_mode(0o4755)).expect("chmod 4755");
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let mut attack = as_user_keeping_bounding_set(&user);
    attack
        .arg(binary("fwctl-attack"))
        .arg(&d.runtime_dir)
        .args(["fwctl0", "exec-then-send"])
        .arg(&sleeper)
        .arg("5");
    let r = json_of(&attack.output().expect("run fwctl-attack"));
    if r["exec_cap_sys_rawio"] != true {
        eprintln!(
            "SKIP: the setuid-root exec did not gain CAP_SYS_RAWIO here (nosuid mount or no_new_privs?): {r}"
        );
        return;
    }
    // The old daemon re-read the *opener*'s /proc status (now the setuid
    // program, Uid 'U 0 0 0', full CapEff) and answered ok; the kernel checks
    // the caller: the child, with no capability.
    assert_eq!(r["result"], "EPERM", "the setuid exec of the opener lent CAP_SYS_RAWIO: {r}\n{}", d.log());
}

#[test]
fn a_connection_opened_by_root_and_handed_to_an_unprivileged_process_lends_nothing() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    // Control: root sending on its own connection passes.
    let mut own = Command::new(binary("fwctl-attack"));
    own.arg(&d.runtime_dir).args(["fwctl0", "send"]);
    assert_eq!(json_of(&own.output().unwrap())["result"], "ok");
    // Root opens, a forked child drops to the test user and sends on the
    // inherited socket (the same as receiving it with SCM_RIGHTS).
    let mut lend = Command::new(binary("fwctl-attack"));
    lend.arg(&d.runtime_dir).args(["fwctl0", "lend", &user.uid.to_string(), &user.gid.to_string()]);
    let r = json_of(&lend.output().unwrap());
    assert_eq!(r["receiver_cap_sys_rawio"], false, "{r}");
    assert_eq!(
        r["result"],
        "EPERM",
        "root's connection lent CAP_SYS_RAWIO to its receiver: {r}\n{}",
        d.log()
    );
    // The audit names the sender, not the opener.
    let audit = d.audit();
    let denied =
        audit.iter().find(|e| e["event"] == "rpc" && e["errno"] == "EPERM").expect("the refusal is audited");
    assert_eq!(denied["uid"], user.uid, "{denied}");
}

/// As root, under a policy of one rule naming `who` with the audit level
/// `audit`: `fwctl-attack seteuid-then-send UID SCOPE` (a request at scope 0,
/// `seteuid(UID)` — the real uid, which the kernel stamps on each message,
/// stays 0 — and a request at `scope` on the same connection). The daemon
/// and the two results; `None` (SKIP) when not root.
fn seteuid_then_send(audit: &str, who: &str, uid: u32, scope: u32) -> Option<(Fwctld, Value)> {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP: needs root (seteuid to another user)");
        return None;
    }
    let dir = TempDir::new("seteuid");
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        format!("version = 1\naudit = \"{audit}\"\n[[rule]]\nname = \"r\"\n{who}\nmax_scope = \"debug-write-full\"\n"),
    )
    .expect("policy");
    let d = Fwctld::start(&loopback_config(1, ""), &["--policy", policy.to_str().expect("utf-8")]);
    let mut drop = Command::new(binary("fwctl-attack"));
    drop.arg(&d.runtime_dir).args(["fwctl0", "seteuid-then-send", &uid.to_string(), &scope.to_string()]);
    let r = json_of(&drop.output().expect("run fwctl-attack"));
    Some((d, r))
}

/// The sender's identity is re-checked on every request, not only at its first
/// one: a root process whose rule is `users = ["root"]` sends, then drops its
/// effective uid with `seteuid` and sends again on the same connection. The
/// second request is judged by the new effective uid, which no rule names, and
/// audited as it.
#[test]
fn a_seteuid_drop_after_a_request_is_seen_by_the_next_request() {
    const UID: u32 = 54_321;
    let Some((d, r)) = seteuid_then_send("all", "users = [\"root\"]", UID, 0) else { return };
    assert_eq!(r["before"], "ok", "root's first request: {r}\n{}", d.log());
    assert_eq!(r["after"], "EPERM", "the dropped effective uid kept root's rule: {r}\n{}", d.log());
    let audit = d.audit();
    let rpcs: Vec<_> = audit.iter().filter(|e| e["event"] == "rpc").collect();
    assert_eq!(rpcs.len(), 2, "{audit:?}");
    assert_eq!(
        (rpcs[0]["uid"].as_u64(), rpcs[1]["uid"].as_u64()),
        (Some(0), Some(u64::from(UID))),
        "{audit:?}"
    );
}

/// A policy naming nobody and no audit: the daemon does not confirm a known
/// sender's identity per request (nothing reads it) — but a tainting RPC's
/// record names the caller, so it is confirmed there: after a `seteuid` drop
/// the taint record names the new effective uid, not root.
#[test]
fn a_taint_record_names_the_caller_after_a_seteuid_drop_even_when_nothing_else_asks() {
    const UID: u32 = 54_322;
    // Scope 2: FWCTL_RPC_DEBUG_WRITE, which taints.
    let Some((d, r)) = seteuid_then_send("none", "users = [\"*\"]", UID, 2) else { return };
    assert_eq!((&r["before"], &r["after"]), (&json!("ok"), &json!("ok")), "{r}\n{}", d.log());
    let audit = d.audit();
    let taints: Vec<_> = audit.iter().filter(|e| e["event"] == "taint").collect();
    assert_eq!(taints.len(), 1, "{audit:?}");
    assert_eq!(taints[0]["uid"].as_u64(), Some(u64::from(UID)), "{audit:?}");
}
