//! Reaching the daemon (issue 15), with the real binaries: `fwctl daemon
//! status|reload|unplug|plug|taint-clear` drive a running fwctld; `--timeout`
//! ends a call to a daemon that stopped answering with a clear error; a
//! tainting request the policy refuses is refused before the confirmation.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use crate::cli_common::{Env, err, json, out, raw_err};
use fwctl_tests::daemon::Fwctld;
use nix::sys::signal::Signal;

const SIM: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n";

#[test]
fn the_control_verbs_reach_the_running_daemon() {
    let daemon = Fwctld::start(SIM, &[]);
    let env = Env::lab();
    let run = |args: &[&str]| {
        env.command().env("FWCTL_SYSTEM_RUNTIME_DIR", &daemon.runtime_dir).args(args).output().unwrap()
    };
    let o = run(&["daemon", "status"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.starts_with(&format!("fwctld pid {} serving {}", daemon.pid(), daemon.runtime_dir.display())),
        "{text}"
    );
    assert!(text.contains("policy:") && text.contains("loaded 20"), "{text}");
    assert!(text.contains("device:      fwctl0"), "{text}");
    let v = json(&run(&["daemon", "status", "--json"]));
    assert_eq!(v["pid"], daemon.pid().as_raw());
    assert_eq!(v.get("simulated"), None);

    let o = run(&["daemon", "reload"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("reloaded the policy"), "{}", out(&o));

    let o = run(&["daemon", "unplug", "fwctl0"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(&["info", "fwctl0"]);
    assert_eq!(o.status.code(), Some(4), "unplugged: {}", err(&o));
    let o = run(&["daemon", "plug", "sim0"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with("plugged sim0 as fwctl"), "{}", out(&o));

    let o = run(&["daemon", "taint-clear", "--reason", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(&["daemon", "plug", "nosuch"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).starts_with("fwctl: error: fwctld plug: "), "{}", err(&o));

    // No daemon: exit 4 naming where fwctl looked.
    let o = env.run(&["daemon", "status"]);
    assert_eq!(o.status.code(), Some(4), "{}", err(&o));
    assert!(err(&o).contains("no fwctld is serving"), "{}", err(&o));
}

#[test]
fn a_stopped_daemon_times_out_with_a_clear_error() {
    let daemon = Fwctld::start(SIM, &[]);
    let env = Env::lab();
    daemon.signal(Signal::SIGSTOP);
    let t = Instant::now();
    let o = env
        .command()
        .env("FWCTL_SYSTEM_RUNTIME_DIR", &daemon.runtime_dir)
        .args(["--timeout", "2", "rpc", "fwctl0", "01010000", "00000000", "00000000", "00000000"])
        .output()
        .unwrap();
    let took = t.elapsed();
    daemon.signal(Signal::SIGCONT);
    assert_eq!(o.status.code(), Some(4), "{}", raw_err(&o));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        raw_err(&o).contains(&format!(
            "fwctl: error: timed out after 2 s waiting for fwctld ({}) (--timeout 2)",
            daemon.runtime_dir.display()
        )),
        "{}",
        raw_err(&o)
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn a_refused_tainting_request_is_refused_before_the_confirmation() {
    // Root under the built-in default policy may not use debug-write.
    let env = Env::with_policy(None);
    let o = env.run(&[
        "rpc",
        "fwctl0",
        "01010000",
        "00000000",
        "00000000",
        "00000000",
        "-s",
        "debug-write",
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let e = err(&o);
    if nix::unistd::geteuid().is_root() {
        assert!(e.starts_with("fwctl: error: rpc on fwctl0 at scope debug-write: EPERM"), "{e}");
        assert!(e.contains("nothing was sent and the system was not tainted"), "{e}");
    }
    assert!(!e.contains("taints the system"), "no taint warning or prompt for a refused request: {e}");
    let t = env.run(&["taint", "--json"]);
    assert_eq!(json(&t)["tainted"], false);
}

#[test]
fn policy_show_and_audit_answer_from_the_running_daemon() {
    let daemon = Fwctld::start(SIM, &[]);
    daemon.write_policy(&std::fs::read_to_string(crate::cli_common::shipped("lab.toml")).unwrap());
    assert!(daemon.sighup(), "the daemon reloads the lab policy");
    let env = Env::with_policy(None);
    let run = |args: &[&str]| {
        env.command().env("FWCTL_SYSTEM_RUNTIME_DIR", &daemon.runtime_dir).args(args).output().unwrap()
    };
    // A refusal by the daemon (lab.toml audits denials) lands in the daemon's
    // audit log, which `fwctl audit` reads.
    let o = run(&["mlx5", "fwctl0", "reg", "write", "PAOS", "local_port=1", "admin_status=2", "--yes"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let o = run(&["audit", "--tail", "20"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("policy-load") && out(&o).contains("-> EPERM"), "{}", out(&o));
    assert!(err(&o).contains(&daemon.state_dir.display().to_string()), "the daemon's log: {}", err(&o));

    let o = run(&["policy", "show"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with(&format!("# enforced by fwctld pid {}", daemon.pid())), "{}", out(&o));
    assert!(
        out(&o).contains("no-port-admin"),
        "the daemon's (lab) policy, not the local default: {}",
        out(&o)
    );

    // With no daemon, the local files, saying so.
    let o = env.run(&["policy", "show"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("no fwctld is running"), "{}", err(&o));

    // An unprivileged user: the daemon will not say; fwctl says why and what to do.
    if let Some(user) = fwctl_tests::daemon::TestUser::ensure() {
        let mut c = user.command(std::path::Path::new(env!("CARGO_BIN_EXE_fwctl")));
        env.apply(&mut c);
        let o =
            c.env("FWCTL_SYSTEM_RUNTIME_DIR", &daemon.runtime_dir).args(["policy", "show"]).output().unwrap();
        assert_eq!(o.status.code(), Some(3), "{}", err(&o));
        assert!(err(&o).contains("enforces its own policy"), "{}", err(&o));
        assert!(err(&o).contains("run as root"), "{}", err(&o));
    }
}
