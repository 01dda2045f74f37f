//! Transport selection with the real binaries: with a `fwctld` serving a
//! temporary runtime directory, `--transport daemon` and `auto` answer through it
//! with output identical to the embedded subsystem's (same simulated device);
//! `list` and JSON say which transport answered; taint goes through the control
//! socket; a policy install asks the daemon to reload.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use crate::cli_common;

use cli_common::{Env, err, json, out};
use fwctl_tests::daemon::Fwctld;

const SIM: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n";
const QUERY_ADAPTER: [&str; 6] = ["rpc", "fwctl0", "01010000", "00000000", "00000000", "00000000"];
/// QUERY_HCA_CAP (GENERAL, current) at debug-read-only.
const QUERY_HCA_CAP: [&str; 8] =
    ["rpc", "fwctl0", "01000000", "00000001", "00000000", "00000000", "--scope", "debug-read-only"];

fn with_transport<'a>(t: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--transport", t];
    v.extend_from_slice(args);
    v
}

/// The JSON output without the field naming the transport (which must differ).
fn without_transport(mut v: serde_json::Value) -> serde_json::Value {
    v.as_object_mut().unwrap().remove("transport");
    v.as_object_mut().unwrap().remove("simulated");
    v
}

#[test]
fn daemon_and_auto_answer_through_fwctld_identically_to_embedded() {
    let daemon = Fwctld::start(SIM, &[]);
    let mut env = Env::open();
    env.policy = Some(cli_common::shipped("lab.toml"));
    let run = |args: &[&str]| {
        env.command().env("FWCTL_RUNTIME_DIR", &daemon.runtime_dir).args(args).output().unwrap()
    };

    for cmd in [&QUERY_ADAPTER[..], &QUERY_HCA_CAP[..], &["mlx5", "fwctl0", "query-adapter"][..]] {
        let embedded = run(&with_transport("embedded", cmd));
        assert_eq!(embedded.status.code(), Some(0), "{cmd:?}: {}", err(&embedded));
        for t in ["daemon", "auto"] {
            let o = run(&with_transport(t, cmd));
            assert_eq!(o.status.code(), Some(0), "{t} {cmd:?}: {}", err(&o));
            assert_eq!(out(&o), out(&embedded), "{t} {cmd:?}");
            let mut j = with_transport(t, cmd);
            j.push("--json");
            let v = json(&run(&j));
            assert_eq!(v["transport"], "daemon", "{t} {cmd:?}");
            let mut je = with_transport("embedded", cmd);
            je.push("--json");
            let ve = json(&run(&je));
            assert_eq!(ve["transport"], "embedded");
            assert_eq!(without_transport(v), without_transport(ve), "{t} {cmd:?}");
        }
    }

    // FWCTL_INFO: the firmware uid is per open (the daemon's firmware has seen
    // many opens by now), everything else is the same.
    let strip_uid = |o: std::process::Output| -> Vec<String> {
        out(&o)
            .lines()
            .filter(|l| !l.starts_with("device data:") && !l.trim_start().starts_with("uid "))
            .map(String::from)
            .collect()
    };
    let e = strip_uid(run(&["--transport", "embedded", "info", "fwctl0"]));
    assert!(e.iter().any(|l| l.contains("uctx_caps  0x")), "{e:?}");
    assert_eq!(strip_uid(run(&["--transport", "daemon", "info", "fwctl0"])), e);

    // `list` says which transport answered, and why.
    let o = run(&["list"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let row = out(&o).lines().nth(1).unwrap().to_string();
    assert!(
        row.starts_with(
            "fwctl0  mlx5  0000:08:00.0  mlx5_fwctl  28.39.1002  MT_0000000838  MT2251X00001  live   daemon     -"
        ),
        "{row}"
    );
    assert!(
        err(&o).contains(&format!(
            "note: daemon transport answered: no device nodes in {}",
            env.dir.join("dev-fwctl").display()
        )),
        "{}",
        err(&o)
    );
    // Which daemon answered: its pid, socket directory, policy file and load time.
    let which = format!("fwctld pid {} serving {}, policy ", daemon.pid(), daemon.runtime_dir.display());
    assert!(err(&o).contains(&which), "{}", err(&o));
    assert!(err(&o).contains("policy.toml loaded 20"), "{}", err(&o));
    let v = json(&run(&["list", "--json"]));
    assert_eq!(v["transport"], "daemon");
    assert!(v["transport_reason"].as_str().unwrap().contains(&which), "{v}");
    assert_eq!(v.get("simulated"), None, "a daemon's answer is not marked as the simulator's");
    assert_eq!(v["devices"][0]["transport"], "daemon");
    let v = json(&run(&["--transport", "embedded", "list", "--json"]));
    assert_eq!(
        (v["transport"].as_str(), v["transport_reason"].as_str()),
        (Some("embedded"), Some("--transport embedded: the in-process simulated subsystem"))
    );

    // Taint through the daemon: set by a debug-write RPC, shown with the daemon's
    // record (root may use the control socket), cleared through the control socket.
    let mut w = QUERY_ADAPTER.to_vec();
    w.extend(["--scope", "debug-write", "--yes", "--transport", "daemon"]);
    assert_eq!(run(&w).status.code(), Some(0));
    let v = json(&run(&["taint", "--json", "--transport", "daemon"]));
    assert_eq!((v["tainted"].as_bool(), v["transport"].as_str()), (Some(true), Some("daemon")));
    assert_eq!(v["record"]["command"], "QUERY_ADAPTER", "{v}");
    // The embedded subsystem has its own, untouched state.
    assert_eq!(json(&run(&["taint", "--json", "--transport", "embedded"]))["tainted"], false);
    let o = run(&["taint", "clear", "--reason", "test over", "--transport", "daemon"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with("taint cleared by fwctld"), "{}", out(&o));
    assert_eq!(json(&run(&["taint", "--json"]))["tainted"], false);
    // A policy install tells the running daemon to reload, and says what happened.
    let mut edit_env = Env::with_policy(None);
    edit_env.policy = Some(edit_env.dir.join("p.toml"));
    let o = edit_env
        .command()
        .env("FWCTL_RUNTIME_DIR", &daemon.runtime_dir)
        .args(["policy", "set", "lockdown", "false"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains(&format!("fwctld ({})", daemon.runtime_dir.display())), "{}", err(&o));
    assert!(
        daemon.audit().iter().any(|l| l.to_string().contains("reload")),
        "the daemon saw the reload request"
    );
}

#[test]
fn auto_falls_back_to_embedded_and_says_so() {
    let env = Env::open();
    let o = env.run(&["list"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).lines().nth(1).unwrap().contains(" embedded "), "{}", out(&o));
    assert!(err(&o).contains("note: embedded transport answered: no device nodes in"), "{}", err(&o));
    assert!(err(&o).contains("using the in-process simulated subsystem"), "{}", err(&o));
    let v = json(&env.run(&["rpc", "fwctl0", "01010000", "00000000", "00000000", "00000000", "--json"]));
    assert_eq!(v["transport"], "embedded");
}
