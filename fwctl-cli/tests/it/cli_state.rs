//! End-to-end tests of the embedded subsystem's durable state with the real
//! binary: the taint set by a debug-write RPC persists across runs, is shown
//! with its record (text and JSON) and cleared with a reason (audited); the
//! audit log is read with filters and as JSON.

use crate::cli_common;

use cli_common::{Env, err, json, out};

const QUERY_ADAPTER: [&str; 4] = ["01010000", "00000000", "00000000", "00000000"];

fn rpc(env: &Env, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["rpc", "fwctl0"];
    args.extend_from_slice(&QUERY_ADAPTER);
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn taint_is_set_by_debug_write_persisted_shown_and_cleared() {
    let env = Env::lab();
    let o = env.run(&["taint"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).starts_with("TAINT_FWCTL: not set (0)\nrecord: none ("), "{}", out(&o));

    let o = rpc(&env, &["--scope", "debug-write", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // A later run (a new process) still sees it: the record is in the state directory.
    let o = env.run(&["taint"]);
    let text = out(&o);
    assert!(text.starts_with("TAINT_FWCTL: set (J, 524288)\nrecord: first set "), "{text}");
    assert!(text.contains(" by uid 0 (pid "), "{text}");
    assert!(text.contains("on fwctl0 at scope debug-write: QUERY_ADAPTER (opcode 0x0101)"), "{text}");
    assert!(text.contains(&format!("stored in: {}", env.state().join("taint.json").display())), "{text}");
    let v = json(&env.run(&["taint", "--json"]));
    assert_eq!(
        (v["tainted"].as_bool(), v["mask"].as_u64(), v["letter"].as_str()),
        (Some(true), Some(524288), Some("J"))
    );
    assert_eq!(v["record"]["device"], "fwctl0");
    assert_eq!(v["record"]["scope"], "debug-write");
    assert_eq!(v["record"]["command"], "QUERY_ADAPTER");
    assert_eq!(v["record"]["opcode"], 0x101);
    assert_eq!(v["transport"], "embedded");
    // `fwctl list` shows the flag too.
    assert!(out(&env.run(&["list"])).contains("embedded   J"), "{}", out(&env.run(&["list"])));

    // Clearing needs a reason.
    let o = env.run(&["taint", "clear", "--reason", " "]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--reason is empty"), "{}", err(&o));
    let o = env.run(&["taint", "clear"]);
    assert_eq!(o.status.code(), Some(2), "clap: --reason is required");
    let o = env.run(&["taint", "clear", "--reason", "firmware reflashed"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with("taint cleared: first set "), "{}", out(&o));
    let o = env.run(&["taint"]);
    assert!(out(&o).starts_with("TAINT_FWCTL: not set (0)\nrecord: none"), "{}", out(&o));
    // The clearing is in the audit log, with a copy of the cleared record.
    let v = json(&env.run(&["audit", "--json"]));
    let records = v["records"].as_array().unwrap();
    let cleared = records.iter().find(|r| r["event"] == "taint-cleared").unwrap();
    assert_eq!(cleared["reason"], "firmware reflashed");
    assert_eq!(cleared["cleared"]["command"], "QUERY_ADAPTER");
    assert!(records.iter().any(|r| r["event"] == "taint"), "{v}");
}

#[test]
fn only_root_may_clear_the_taint() {
    let Some(user) = fwctl_tests::daemon::TestUser::ensure() else { return };
    // The user taints their own embedded subsystem (the open policy lets them use
    // debug-write), and may still not clear it.
    let env = Env::open();
    let user_state = env.owned_dir("user-state", user.uid, user.gid);
    let run = |args: &[&str]| {
        let mut c = user.command(std::path::Path::new(env!("CARGO_BIN_EXE_fwctl")));
        env.apply(&mut c);
        c.env("FWCTL_STATE_DIR", &user_state).args(args).output().unwrap()
    };
    let mut args = vec!["rpc", "fwctl0", "--scope", "debug-write", "--yes"];
    args.extend_from_slice(&QUERY_ADAPTER);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&run(&["taint"])).contains(&format!("by uid {} ", user.uid)));
    let o = run(&["taint", "clear", "--reason", "I am not root"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(
        err(&o).starts_with(&format!(
            "fwctl: error: taint clear: only root may clear the taint record (you are uid {}): EPERM",
            user.uid
        )),
        "{}",
        err(&o)
    );
    assert!(user_state.join("taint.json").exists(), "the record stays");
}

#[test]
fn audit_log_filters_tail_and_json() {
    let env = Env::open();
    // Nothing yet: an empty listing, not an error.
    let o = env.run(&["audit"]);
    assert_eq!((o.status.code(), out(&o).as_str()), (Some(0), ""));
    assert!(err(&o).contains("no audit log at"), "{}", err(&o));
    // One allowed RPC, one refused by the driver (EBADMSG: QUERY_ISSI needs debug-read-only),
    // and one tainting RPC.
    assert_eq!(rpc(&env, &[]).status.code(), Some(0));
    let o = env.run(&["rpc", "0", "010a0000", "00000000", "00000000", "00000000"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert_eq!(rpc(&env, &["-s", "debug-write", "-y"]).status.code(), Some(0));

    let all = json(&env.run(&["audit", "--json"]));
    assert_eq!(all["log"], env.audit_log().display().to_string());
    let events: Vec<&str> =
        all["records"].as_array().unwrap().iter().map(|r| r["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["rpc", "rpc", "taint", "rpc"], "{all}");
    let first = &all["records"][0];
    assert_eq!(
        (first["command"].as_str(), first["rule"].as_str()),
        (Some("QUERY_ADAPTER"), Some("tests-open"))
    );
    assert_eq!(first["sha256"].as_str().map(str::len), Some(64));

    let denied = json(&env.run(&["audit", "--denied", "--json"]));
    let denied = denied["records"].as_array().unwrap();
    assert_eq!(denied.len(), 1);
    assert_eq!(
        (denied[0]["errno"].as_str(), denied[0]["command"].as_str()),
        (Some("EBADMSG"), Some("QUERY_ISSI"))
    );
    let tail = json(&env.run(&["audit", "--tail", "1", "--json"]));
    assert_eq!(tail["records"][0]["scope"], "debug-write");
    assert_eq!(json(&env.run(&["audit", "--device", "fwctl1", "--json"]))["records"], serde_json::json!([]));
    assert_eq!(json(&env.run(&["audit", "--device", "0", "--json"]))["records"].as_array().unwrap().len(), 4);

    let o = env.run(&["audit", "--denied"]);
    let lines: Vec<String> = out(&o).lines().map(String::from).collect();
    assert_eq!(lines.len(), 1, "{}", out(&o));
    assert!(lines[0].contains(" rpc           fwctl0 uid=0 "), "{}", lines[0]);
    assert!(lines[0].contains("QUERY_ISSI(0x010a) -> EBADMSG"), "{}", lines[0]);

    // A torn last line (a crash mid-write) is skipped and reported.
    let mut log = std::fs::OpenOptions::new().append(true).open(env.audit_log()).unwrap();
    std::io::Write::write_all(&mut log, b"{\"time\":1,\"event\":\"rp").unwrap();
    let o = env.run(&["audit", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["torn_tail"], true);
    assert_eq!(json(&o)["records"].as_array().unwrap().len(), 4);
    assert!(err(&o).contains("the last line is incomplete"), "{}", err(&o));
}

#[test]
fn an_invalid_policy_file_stops_embedded_mode_with_its_position() {
    let mut env = Env::with_policy(None);
    let p = env.dir.join("broken.toml");
    std::fs::write(&p, "version = 1\nlockdown = maybe\n").unwrap();
    env.policy = Some(p);
    let o = rpc(&env, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).starts_with("fwctl: error: invalid policy: "), "{}", err(&o));
    assert!(err(&o).contains("broken.toml:2:"), "{}", err(&o));
    assert!(err(&o).contains("hint: `fwctl policy check "), "{}", err(&o));
}
