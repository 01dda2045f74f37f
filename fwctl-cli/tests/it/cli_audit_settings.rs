//! Issue 11: the embedded transport honours every `[audit]` setting of the
//! policy as fwctld does (`on_failure`, `sync`, `max_refusals` per
//! `refusal_window_secs`), not only `level`. The full-disk cases need root (a
//! small tmpfs); they SKIP otherwise. Also (issue 10) fwctld's refused policy
//! reload keeps its typed cause.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::path::{Path, PathBuf};
use std::process::Output;

use clap::Parser;
use fwctl_cli::cli::GlobalOpts;
use fwctl_core::{Credentials, Errno, RpcScope};
use fwctl_tests::tmpfs::{Tmpfs, fill};
use serde_json::Value;

use crate::cli_common::{Env, err, raw_err};

const QUERY_ADAPTER: [&str; 4] = ["01010000", "00000000", "00000000", "00000000"];

fn audit_policy(audit: &str) -> String {
    format!(
        "version = 1\n[audit]\nlevel = \"all\"\n{audit}\n\
         [[rule]]\nname = \"everyone\"\nusers = [\"*\"]\nmax_scope = \"debug-write-full\"\n"
    )
}

/// An environment whose policy file holds `audit_policy(audit)`.
fn env_with(audit: &str) -> Env {
    let mut env = Env::with_policy(None);
    let path = env.dir.join("policy.toml");
    std::fs::write(&path, audit_policy(audit)).unwrap();
    env.policy = Some(path);
    env
}

fn set_policy(env: &Env, audit: &str) {
    std::fs::write(env.policy.as_ref().unwrap(), audit_policy(audit)).unwrap();
}

/// `fwctl --transport embedded [--audit-log LOG] rpc fwctl0 [extra] QUERY_ADAPTER`.
fn rpc(env: &Env, log: Option<&Path>, extra: &[&str]) -> Output {
    let mut c = env.command();
    c.args(["--transport", "embedded"]);
    if let Some(log) = log {
        c.arg("--audit-log").arg(log);
    }
    c.args(["rpc", "fwctl0"]).args(extra).args(QUERY_ADAPTER);
    c.output().unwrap()
}

fn records(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// `on_failure`: an embedded run has no queue of earlier failures, so it asks
/// the file system for room before an RPC the setting refuses while the log
/// fails. With the audit log's file system full: `refuse` (the default)
/// refuses a tainting RPC with ENOSPC before anything taints and serves a
/// configuration one (whose record is then lost, and the run says so);
/// `refuse-all` refuses that too; `continue` serves both. With room again the
/// tainting RPC is served and recorded.
#[test]
fn embedded_runs_honour_on_failure_when_the_audit_log_has_no_room() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP: not root: cannot mount the small tmpfs for the full-disk case");
        return;
    }
    let env = env_with("on_failure = \"refuse\"");
    let Some(_fs) = Tmpfs::mount_sized(&env.dir.join("auditfs"), "64k") else {
        eprintln!("SKIP: mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?)");
        return;
    };
    let log = env.dir.join("auditfs/audit.log");
    let filler = fill(&env.dir.join("auditfs"));
    let taint = env.state().join("taint.json");

    let o = rpc(&env, Some(&log), &["--scope", "debug-write", "--yes"]);
    assert_ne!(o.status.code(), Some(0), "a tainting RPC was served without room for its record");
    assert!(err(&o).contains("ENOSPC"), "{}", raw_err(&o));
    assert!(
        err(&o).contains("no room for this RPC's record (ENOSPC): refused, as the policy's [audit] on_failure = \"refuse\" asks"),
        "{}",
        raw_err(&o)
    );
    assert!(!taint.exists(), "refused before anything tainted");

    let o = rpc(&env, Some(&log), &[]);
    assert_eq!(o.status.code(), Some(0), "refuse serves the safe scopes: {}", raw_err(&o));
    assert!(err(&o).contains("could not be written and are lost with this run"), "{}", raw_err(&o));

    set_policy(&env, "on_failure = \"refuse-all\"");
    let o = rpc(&env, Some(&log), &[]);
    assert_ne!(o.status.code(), Some(0), "refuse-all served an RPC: {}", raw_err(&o));
    assert!(err(&o).contains("ENOSPC"), "{}", raw_err(&o));

    set_policy(&env, "on_failure = \"continue\"");
    let o = rpc(&env, Some(&log), &["--scope", "debug-write", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "continue serves everything: {}", raw_err(&o));
    assert!(taint.exists());

    set_policy(&env, "on_failure = \"refuse\"");
    std::fs::remove_file(&filler).unwrap();
    let o = rpc(&env, Some(&log), &["--scope", "debug-write", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", raw_err(&o));
    let written = records(&log);
    assert!(
        written.iter().any(|r| r["event"] == "rpc" && r["scope"] == "debug-write" && r["errno"].is_null()),
        "{written:?}"
    );
}

/// How many `fdatasync` calls one run makes, from strace; `None` without strace.
fn fdatasyncs(env: &Env) -> Option<usize> {
    let trace = env.dir.join("strace.out");
    let mut c = env.command_for(Path::new("strace"));
    c.args(["-f", "-qq", "-e", "trace=fdatasync", "-o"]).arg(&trace);
    c.arg(env!("CARGO_BIN_EXE_fwctl")).args(["--transport", "embedded", "rpc", "fwctl0"]).args(QUERY_ADAPTER);
    let o = c.output().ok()?;
    if !o.status.success() {
        return None;
    }
    let text = std::fs::read_to_string(&trace).ok()?;
    Some(text.lines().filter(|l| l.contains("fdatasync(")).count())
}

/// `sync = "always"` syncs the record of an allowed configuration RPC, which
/// `critical` (the default) leaves to the page cache. Needs strace; SKIP
/// without it.
#[test]
fn embedded_runs_honour_audit_sync() {
    if std::process::Command::new("strace").arg("-V").output().is_err() {
        eprintln!("SKIP: no strace to count fdatasync calls");
        return;
    }
    let env = env_with("sync = \"critical\"");
    // The first run creates the simulator's state; count the steady state.
    assert_eq!(rpc(&env, None, &[]).status.code(), Some(0));
    let Some(critical) = fdatasyncs(&env) else {
        eprintln!("SKIP: strace cannot trace here (no ptrace?)");
        return;
    };
    set_policy(&env, "sync = \"always\"");
    let always = fdatasyncs(&env).unwrap();
    assert!(always > critical, "sync = always: {always} fdatasync calls, critical: {critical}");
}

#[derive(Parser)]
struct Globals {
    #[command(flatten)]
    global: GlobalOpts,
}

fn global_opts(env: &Env) -> GlobalOpts {
    let policy: PathBuf = env.policy.clone().unwrap();
    let state = env.state();
    Globals::parse_from([
        "fwctl".as_ref(),
        "--transport".as_ref(),
        "embedded".as_ref(),
        "--policy".as_ref(),
        policy.as_os_str(),
        "--state-dir".as_ref(),
        state.as_os_str(),
        "--audit-log".as_ref(),
        env.audit_log().as_os_str(),
    ])
    .global
}

/// The refusal rate limit: the embedded subsystem (built as every embedded
/// run builds it) writes `max_refusals` refusal lines of a non-root uid per
/// window, and when the run ends, one `suppressed` line for the rest.
#[test]
fn embedded_runs_rate_limit_refusals_and_summarise_them_when_the_run_ends() {
    let mut env = Env::with_policy(None);
    let path = env.dir.join("policy.toml");
    std::fs::write(
        &path,
        "version = 1\n[audit]\nlevel = \"all\"\nmax_refusals = 2\nrefusal_window_secs = 600\n\
         [[rule]]\nname = \"everyone\"\nusers = [\"*\"]\nmax_scope = \"configuration\"\n",
    )
    .unwrap();
    env.policy = Some(path);
    let subsystem = fwctl_cli::cli::embedded::subsystem(&global_opts(&env)).unwrap();
    let caller = Credentials { uid: 4242, gid: 4242, comm: "flood".into(), ..Default::default() };
    let handle = subsystem.open(0, &caller).unwrap();
    let request = [1u8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    for _ in 0..5 {
        let mut out = [0u8; 64];
        let r = handle.rpc(&caller, RpcScope::DebugWrite.as_u32(), &request, &mut out);
        assert_eq!(r.err(), Some(Errno::EPERM));
    }
    drop(handle);
    drop(subsystem);
    let written = records(&env.audit_log());
    let refusals = written.iter().filter(|r| r["event"] == "rpc" && r["uid"] == 4242).count();
    assert_eq!(refusals, 2, "{written:?}");
    let summary: Vec<&Value> = written.iter().filter(|r| r["event"] == "suppressed").collect();
    assert_eq!(summary.len(), 1, "{written:?}");
    assert_eq!((summary[0]["uid"].as_u64(), summary[0]["suppressed"].as_u64()), (Some(4242), Some(3)));
}

/// fwctld's reload refusal carries its typed cause (issue 10): the control
/// socket's `AdminError::Refused` holds the daemon's `PolicyRejected`, which
/// names the policy problem and what stays installed, with the wire text
/// unchanged (`policy rejected: …; …`).
#[test]
fn a_rejected_reload_carries_the_policy_error_and_what_stays_installed() {
    use fwctl_cli::daemon::state::{DaemonAdmin, PolicyRejected};
    use fwctl_core::server::{Admin, AdminError};

    let env = Env::with_policy(None);
    let policy = env.dir.join("policy.toml");
    std::fs::write(&policy, "version = 1\nbogus = true\n").unwrap();
    std::fs::create_dir_all(env.state()).unwrap();
    let taint = std::sync::Arc::new(fwctl_core::taint_store::TaintRecordStore::open(&env.state()).unwrap());
    let audit = std::sync::Arc::new(
        fwctl_core::audit::AuditLog::open(&env.audit_log(), fwctl_core::audit::AuditLevel::All).unwrap(),
    );
    let admin = DaemonAdmin::new(fwctl_core::Subsystem::new(), audit, taint, policy.clone());
    let rejected = |e: AdminError| -> (String, Option<String>, bool) {
        let text = e.to_string();
        let AdminError::Refused(cause) = e else { panic!("not Refused: {text}") };
        let r = cause.downcast_ref::<PolicyRejected>().expect("the cause is PolicyRejected");
        (text, r.kept.clone(), matches!(r.why, fwctl_core::policy::PolicyError::Invalid(_)))
    };
    let (text, kept, invalid) = rejected(admin.reload_policy().unwrap_err());
    assert!(text.starts_with("policy rejected: ") && text.ends_with("; no policy was installed"), "{text}");
    assert_eq!((kept, invalid), (None, true));

    std::fs::write(&policy, crate::cli_common::OPEN_POLICY).unwrap();
    assert!(admin.reload_policy().is_ok());
    std::fs::write(&policy, "version = 1\nbogus = true\n").unwrap();
    let (text, kept, _) = rejected(admin.reload_policy().unwrap_err());
    let kept = kept.expect("the last good policy is named");
    assert!(text.ends_with(&format!("; the last good policy ({kept}) stays installed")), "{text}");
}
