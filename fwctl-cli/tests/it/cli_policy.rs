//! End-to-end tests of `fwctl policy …` with the real binary, each in an isolated
//! environment: check (positions, hints, exit 2), show (file or built-in),
//! set/unset/allow/deny/remove (comments kept, validated before install, .bak),
//! edit (refused without a terminal; a scripted editor on a pseudo-terminal),
//! explain (decision, reason chain, driver description), and the refusal a
//! non-root user sees from the built-in default policy.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use crate::cli_common;

use std::process::Command;

use cli_common::{Env, err, json, out, shipped};

/// A policy with comments everywhere, to prove edits keep them.
const COMMENTED: &str = "\
# Site policy: keep this header.
version = 1
audit = \"all\" # everything, for now

# Operators may read.
[[rule]]
name = \"ops\" # the operators
users = [\"root\"]
max_scope = \"debug-read-only\"
";

fn env_with(text: &str) -> Env {
    let mut env = Env::with_policy(None);
    let path = env.dir.join("policy.toml");
    std::fs::write(&path, text).unwrap();
    env.policy = Some(path);
    env
}

fn policy_text(env: &Env) -> String {
    std::fs::read_to_string(env.policy.as_ref().unwrap()).unwrap()
}

#[test]
fn check_reports_file_line_column_and_hint_and_exits_2() {
    let env =
        env_with("version = 1\n[[rule]]\nname = \"ops\"\nusers = [\"root\"]\nmax_scope = \"debug-rw\"\n");
    let file = env.policy.clone().unwrap();
    let o = env.run(&["policy", "check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).starts_with(&format!(
            "{}:5:13: unknown scope 'debug-rw'\n  hint: scopes are configuration, debug-read-only, debug-write, debug-write-full\n",
            file.display()
        )),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("1 problem(s); the policy is not valid"), "{}", err(&o));
    // The same as JSON, on stdout, still exit 2.
    let o = env.run(&["policy", "check", file.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(v["valid"], false);
    let e = &v["errors"][0];
    assert_eq!((e["line"].as_u64(), e["column"].as_u64()), (Some(5), Some(13)));
    assert_eq!(e["message"], "unknown scope 'debug-rw'");
    assert!(e["hint"].as_str().unwrap().starts_with("scopes are"));
    // An unknown key: position of the key.
    let env = env_with("version = 1\nlockdwn = true\n");
    let o = env.run(&["policy", "check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("policy.toml:2:1: unknown field `lockdwn`"), "{}", err(&o));
}

#[test]
fn check_accepts_every_shipped_policy_and_reports_the_default_when_no_file_exists() {
    let env = Env::with_policy(None);
    for name in ["default.toml", "lab.toml", "lockdown.toml"] {
        let o = env.run(&["policy", "check", shipped(name).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", err(&o));
        assert!(out(&o).contains(": valid: "), "{}", out(&o));
    }
    let o = env.run(&["policy", "check"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("does not exist: the built-in default policy is in effect"), "{}", out(&o));
    let o = env.run(&["policy", "check", "/nonexistent/policy.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("cannot read policy /nonexistent/policy.toml"), "{}", err(&o));
}

#[test]
fn show_names_the_file_or_the_built_in_default() {
    let env = Env::with_policy(None);
    let o = env.run(&["policy", "show"]);
    assert_eq!(o.status.code(), Some(0));
    let text = out(&o);
    assert!(text.starts_with("# effective policy: built-in default policy ("), "{text}");
    assert!(text.contains(fwctl_core::policy::shipped::DEFAULT));
    let v = json(&env.run(&["policy", "show", "--json"]));
    assert_eq!(v["builtin"], true);
    assert_eq!(v["rules"], serde_json::json!(["root-read-only"]));
    let env = env_with(COMMENTED);
    let v = json(&env.run(&["policy", "show", "--json"]));
    assert_eq!(v["builtin"], false);
    assert_eq!(v["source"], env.policy.as_ref().unwrap().display().to_string());
    assert_eq!(v["text"], COMMENTED);
}

#[test]
fn set_allow_deny_remove_keep_comments_and_formatting() {
    let env = env_with(COMMENTED);
    let o = env.run(&["policy", "set", "audit", "denials"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains(
            "\n- audit = \"all\" # everything, for now\n+ audit = \"denials\" # everything, for now\n"
        ),
        "{}",
        out(&o)
    );
    assert!(err(&o).contains("nothing to reload"), "{}", err(&o));
    assert_eq!(policy_text(&env), COMMENTED.replace("audit = \"all\"", "audit = \"denials\""));
    let bak = format!("{}.bak", env.policy.as_ref().unwrap().display());
    assert_eq!(std::fs::read_to_string(&bak).unwrap(), COMMENTED, "the previous file is kept");

    let o = env.run(&[
        "policy",
        "allow",
        "queries",
        "--user",
        "*",
        "--max-scope",
        "configuration",
        "--opcode",
        "QUERY_ADAPTER,QUERY_HCA_CAP",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = env.run(&["policy", "deny", "no-paos", "--user", "*", "--register-write", "PAOS"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = policy_text(&env);
    // Every comment survives, the deny rule comes first, the allow rule last.
    for c in [
        "# Site policy: keep this header.",
        "# everything, for now",
        "# Operators may read.",
        "# the operators",
    ] {
        assert!(text.contains(c), "lost '{c}':\n{text}");
    }
    let (deny, ops, queries) = (
        text.find("name = \"no-paos\"").unwrap(),
        text.find("name = \"ops\"").unwrap(),
        text.find("name = \"queries\"").unwrap(),
    );
    assert!(deny < ops && ops < queries, "{text}");
    assert!(text.contains("opcodes = [\"QUERY_ADAPTER\", \"QUERY_HCA_CAP\"]"), "{text}");
    assert!(text.contains("action = \"deny\"\nusers = [\"*\"]\ndeny_register_writes = [\"PAOS\"]"), "{text}");

    let o = env.run(&["policy", "set", "rule.ops.max_scope", "debug-write"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(policy_text(&env).contains("max_scope = \"debug-write\""));
    let o = env.run(&["policy", "remove", "queries"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!policy_text(&env).contains("queries"));
    let o = env.run(&["policy", "unset", "audit"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!policy_text(&env).contains("audit ="));
    assert!(policy_text(&env).starts_with("# Site policy: keep this header.\nversion = 1\n"));
}

#[test]
fn edits_are_validated_before_install_and_a_bad_one_changes_nothing() {
    let env = env_with(COMMENTED);
    let o = env.run(&["policy", "set", "rule.ops.max_scope", "debug-rw"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("policy.toml:9:13: unknown scope 'debug-rw'"), "{}", err(&o));
    assert!(err(&o).contains("nothing was installed"), "{}", err(&o));
    let o = env.run(&["policy", "allow", "ops", "--user", "root", "--max-scope", "configuration"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("rule 'ops' already exists"), "{}", err(&o));
    let o = env.run(&["policy", "set", "rule.nope.max_scope", "configuration"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no rule named 'nope'"), "{}", err(&o));
    let o = env.run(&["policy", "allow", "x", "--user", "root", "--max-scope", "sideways"]);
    assert_eq!(o.status.code(), Some(2), "clap refuses an unknown scope");
    assert_eq!(policy_text(&env), COMMENTED);
    assert!(!env.dir.join("policy.toml.bak").exists(), "nothing was installed, so no backup");
}

#[test]
fn the_first_edit_starts_from_the_built_in_default() {
    let mut env = Env::with_policy(None);
    let path = env.dir.join("etc").join("policy.toml");
    env.policy = Some(path.clone());
    let o = env.run(&["policy", "set", "lockdown", "false"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        fwctl_core::policy::shipped::DEFAULT.replacen("\nlockdown = true", "\nlockdown = false", 1)
    );
}

#[test]
fn edit_refuses_without_a_terminal() {
    let env = env_with(COMMENTED);
    let o = env.command().args(["policy", "edit"]).env("EDITOR", "true").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("policy edit needs a terminal: standard input is not one"), "{}", err(&o));
    assert!(
        err(&o).contains("hint: in scripts use `fwctl policy set/unset/allow/deny/remove`"),
        "{}",
        err(&o)
    );
    assert_eq!(policy_text(&env), COMMENTED);
}

/// Run `fwctl policy edit` on a pseudo-terminal (util-linux `script`), with
/// `editor` as $EDITOR and `input` typed at the prompts.
fn edit_on_a_terminal(env: &Env, editor: &str, input: &str) -> Option<std::process::Output> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIP: util-linux `script` is not installed: no pseudo-terminal for `policy edit`");
        return None;
    }
    let fwctl = env!("CARGO_BIN_EXE_fwctl");
    let mut child = env
        .command_for(std::path::Path::new("script"))
        .args(["-qec", &format!("{fwctl} policy edit"), "/dev/null"])
        .env("EDITOR", editor)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    drop(child.stdin.take().map(|mut s| std::io::Write::write_all(&mut s, input.as_bytes())));
    child.wait_with_output().ok()
}

#[test]
fn edit_validates_installs_and_offers_re_edit_on_a_terminal() {
    let env = env_with(COMMENTED);
    let script = env.dir.join("editor.sh");
    // A scripted editor: the first run breaks the scope, the second fixes it.
    std::fs::write(
        &script,
        "#!/bin/sh\nif [ -e \"$0.done\" ]; then sed -i 's/debug-rw/debug-write/' \"$1\"; \
         else sed -i 's/debug-read-only/debug-rw/' \"$1\"; touch \"$0.done\"; fi\n",
    )
    .unwrap();
    fwctl_tests::plugins::set_mode(&script, 0o755);
    let Some(o) = edit_on_a_terminal(&env, script.to_str().unwrap(), "e\n") else { return };
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("unknown scope 'debug-rw'"), "{text}");
    assert!(text.contains("(e)dit again, e(x)it without saving"), "{text}");
    assert!(text.contains("installed "), "{text}");
    assert_eq!(policy_text(&env), COMMENTED.replace("debug-read-only", "debug-write"));

    // Discarding an invalid edit leaves the file as it was.
    std::fs::remove_file(env.dir.join("editor.sh.done")).unwrap();
    let before = policy_text(&env);
    let breaker = env.dir.join("break.sh");
    std::fs::write(&breaker, "#!/bin/sh\necho 'oops = 1' >> \"$1\"\n").unwrap();
    fwctl_tests::plugins::set_mode(&breaker, 0o755);
    let Some(o) = edit_on_a_terminal(&env, breaker.to_str().unwrap(), "x\n") else { return };
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(text.contains("edit discarded"), "{text}");
    assert_eq!(policy_text(&env), before);
}

#[test]
fn explain_shows_the_decision_its_checks_and_the_driver_description() {
    let env = Env::with_policy(None);
    let o = env.run(&[
        "policy",
        "explain",
        "--user",
        "root",
        "--device",
        "fwctl0",
        "--scope",
        "debug-write",
        "--opcode",
        "QUERY_HCA_CAP",
    ]);
    assert_eq!(o.status.code(), Some(3), "refused: {}", err(&o));
    let text = out(&o);
    assert!(text.starts_with("policy:  built-in default policy ("), "{text}");
    assert!(text.contains("caller:  root (uid 0"), "{text}");
    assert!(text.contains("device:  fwctl0 (mlx5, parent 0000:08:00.0"), "{text}");
    assert!(
        text.contains("request: QUERY_HCA_CAP (opcode 0x0100, op_mod 0x0000), minimum scope configuration"),
        "{text}"
    );
    assert!(text.contains("[described by the driver (embedded transport)]"), "{text}");
    assert!(text.contains("DENIED (EPERM): denied by rule 'root-read-only'"), "{text}");
    assert!(text.contains("checks, in order:\n  1. "), "{text}");
    assert!(text.contains("* 'root-read-only'"), "{text}");

    let o = env.run(&[
        "policy",
        "explain",
        "--user",
        "0",
        "--device",
        "0",
        "--scope",
        "debug-read-only",
        "--opcode",
        "0x100",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("ALLOWED: "), "{}", out(&o));

    // JSON, with the lab policy: everyone may query the adapter, nothing else.
    let env = Env::lab();
    let o = env.run(&[
        "policy",
        "explain",
        "--user",
        "4242",
        "--device",
        "fwctl0",
        "--scope",
        "configuration",
        "--opcode",
        "QUERY_ADAPTER",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v = json(&o);
    assert_eq!((v["allowed"].as_bool(), v["rule"].as_str()), (Some(true), Some("everyone-queries")));
    assert_eq!(v["uid"], 4242);
    assert_eq!(v["request"]["name"], "QUERY_ADAPTER");
    assert!(v["steps"].as_array().unwrap().len() >= 3, "{v}");
    let o = env.run(&[
        "policy",
        "explain",
        "--user",
        "4242",
        "--device",
        "fwctl0",
        "--scope",
        "debug-read-only",
        "--opcode",
        "QUERY_ISSI",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let v = json(&o);
    assert_eq!(v["errno"], "EPERM");
    assert!(v["reason"].as_str().unwrap().contains("default deny"), "{v}");
    // Bad arguments.
    let o = env.run(&["policy", "explain", "--user", "no-such-user-xyz", "--device", "fwctl0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("unknown user 'no-such-user-xyz'"), "{}", err(&o));
    let o = env.run(&["policy", "explain", "--user", "root", "--device", "fwctl9"]);
    assert_eq!(o.status.code(), Some(4));
    let o =
        env.run(&["policy", "explain", "--user", "root", "--device", "fwctl0", "--opcode", "NOT_A_COMMAND"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not an mlx5 command name"), "{}", err(&o));
}

/// An unprivileged user under the built-in default policy is refused with the
/// reason and what to do; with the lab policy the README's command works for them.
#[test]
fn a_refused_user_is_told_which_default_refused_and_what_to_do() {
    let Some(user) = fwctl_tests::daemon::TestUser::ensure() else { return };
    let env = Env::with_policy(None);
    let user_state = env.owned_dir("user-state", user.uid, user.gid);
    let run = |args: &[&str]| {
        let mut c = user.command(std::path::Path::new(env!("CARGO_BIN_EXE_fwctl")));
        // setpriv passes the environment on: the isolated one, with the user's own state.
        env.apply(&mut c);
        c.env("FWCTL_STATE_DIR", &user_state).current_dir(cli_common::repo());
        c.args(args).stdin(std::process::Stdio::null()).output().unwrap()
    };
    let readme = ["rpc", "fwctl0", "01010000", "00000000", "00000000", "00000000"];
    let o = run(&readme);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.starts_with(&format!(
            "fwctl: error: open fwctl0: EPERM (Operation not permitted): no rule allows uid {} on fwctl0 (default deny) [the built-in default policy, which grants only root]\n",
            user.uid
        )),
        "{e}"
    );
    assert!(e.contains("hint: run as root, or choose a policy that grants uid"), "{e}");
    assert!(e.contains("`--policy policies/lab.toml`"), "{e}");
    // The README's first command, as written there (run from the repository root).
    let doc = std::fs::read_to_string(cli_common::repo().join("README.md")).unwrap();
    let line = doc.lines().find(|l| l.starts_with("cargo run -q --bin fwctl -- ")).unwrap();
    let args: Vec<&str> =
        line.trim_start_matches("cargo run -q --bin fwctl -- ").split_whitespace().collect();
    assert_eq!(args[..3], ["--simulate", "--policy", "policies/lab.toml"], "{line}");
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let golden =
        std::fs::read_to_string(cli_common::repo().join("fwctl-cli/tests/golden/query_adapter.hexdump"))
            .unwrap();
    assert_eq!(out(&o), golden);
}
