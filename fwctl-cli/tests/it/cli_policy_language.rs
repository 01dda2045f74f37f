//! Policy editing as strict as visudo (issue 15), through the real binary:
//! unknown command and register names are errors with a suggestion (a
//! misspelt deny entry would otherwise deny nothing), rules an earlier rule
//! shadows are warned about by `check` and by the editing commands, and the
//! shipped policies pass the same strictness.
#![allow(clippy::unwrap_used)]

use crate::cli_common::{self, Env, err, out};

fn write(env: &Env, name: &str, text: &str) -> String {
    let p = env.dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const TYPO: &str = "version = 1\n\
[[rule]]\nname = \"no-port-admin\"\naction = \"deny\"\nusers = [\"*\"]\ndeny_register_writes = [\"PAOZ\"]\n\
[[rule]]\nname = \"root\"\nusers = [\"root\"]\nmax_scope = \"configuration\"\n";

#[test]
fn a_misspelt_register_or_command_is_an_error_with_a_suggestion() {
    let env = Env::lab();
    let p = write(&env, "p8.toml", TYPO);
    let o = env.run(&["policy", "check", &p]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o)
            .contains("p8.toml:6:25: deny_register_writes: \"PAOZ\": unknown register; did you mean PAOS?"),
        "{}",
        err(&o)
    );
    // The same file as the policy in force: refused, never a silently dead deny.
    let o = env.run(&[
        "--policy",
        &p,
        "mlx5",
        "fwctl0",
        "reg",
        "write",
        "PAOS",
        "local_port=1",
        "admin_status=2",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("did you mean PAOS?"), "{}", err(&o));
    let fixed = write(&env, "p8ok.toml", &TYPO.replace("PAOZ", "PAOS"));
    assert_eq!(env.run(&["policy", "check", &fixed]).status.code(), Some(0));

    let p7 = write(
        &env,
        "p7.toml",
        &TYPO.replace("deny_register_writes = [\"PAOZ\"]", "deny_opcodes = [\"QUERY_ADAPTR\"]"),
    );
    let o = env.run(&["policy", "check", &p7]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("\"QUERY_ADAPTR\": unknown command; did you mean QUERY_ADAPTER?"),
        "{}",
        err(&o)
    );
    // Numbers are always accepted (commands this fwctl has no name for).
    let num = write(&env, "num.toml", &TYPO.replace("\"PAOZ\"", "0x9999"));
    assert_eq!(env.run(&["policy", "check", &num]).status.code(), Some(0));

    // An editing command refuses the name and installs nothing.
    let target = env.dir.join("edit.toml");
    let t = target.display().to_string();
    let o = env.run(&[
        "--policy",
        &t,
        "policy",
        "allow",
        "z",
        "--user",
        "root",
        "--max-scope",
        "configuration",
        "--opcode",
        "NOTACMD",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("\"NOTACMD\": unknown command"), "{}", err(&o));
    assert!(!target.exists(), "nothing was installed");
}

#[test]
fn shipped_policies_pass_strict_checking() {
    let env = Env::lab();
    for name in ["default.toml", "lab.toml", "lockdown.toml"] {
        let p = cli_common::shipped(name);
        let o = env.run(&["policy", "check", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", err(&o));
        assert!(!err(&o).contains("can never decide"), "{name}: {}", err(&o));
    }
}

#[test]
fn shadowed_rules_are_warned_about_by_check_and_by_allow() {
    let env = Env::lab();
    let text = "version = 1\n\
        [[rule]]\nname = \"root-ro\"\nusers = [\"root\"]\nmax_scope = \"debug-read-only\"\n\
        [[rule]]\nname = \"root-debug\"\nusers = [\"root\"]\nmax_scope = \"debug-write\"\n\
        [[rule]]\nname = \"ops\"\nusers = [\"root\", 4242]\nmax_scope = \"debug-write\"\n";
    let p = write(&env, "p9.toml", text);
    let o = env.run(&["policy", "check", &p]);
    assert_eq!(o.status.code(), Some(0), "warnings do not fail the check: {}", err(&o));
    assert!(
        err(&o).contains(
            "p9.toml:6:1: rule 'root-debug' can never decide: rule 'root-ro' (p9.toml:2) comes first"
        ),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("hint: move 'root-debug' above 'root-ro'"), "{}", err(&o));
    // 'ops' also names uid 4242, whom 'root-ro' does not cover: not shadowed.
    assert!(!err(&o).contains("rule 'ops' can never decide"), "{}", err(&o));
    assert!(out(&o).contains("2 warning(s)") || out(&o).contains("1 warning(s)"), "{}", out(&o));

    // `policy allow` appends: it says the new rule is dead, and that rules are first-match.
    let target = env.dir.join("new.toml").display().to_string();
    let o = env.run(&[
        "--policy",
        &target,
        "policy",
        "allow",
        "root-debug",
        "--user",
        "root",
        "--max-scope",
        "debug-write",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("rule 'root-debug' can never decide: rule 'root-read-only'"), "{}", err(&o));
    assert!(err(&o).contains("rules are first-match"), "{}", err(&o));
}

#[test]
fn explain_names_a_register_and_covers_the_capability_check() {
    let env = Env::lab();
    let lab = cli_common::shipped("lab.toml");
    let lab = lab.to_str().unwrap();
    let explain = |extra: &[&str]| {
        let mut args = vec!["--policy", lab, "policy", "explain", "--device", "fwctl0"];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    // lab.toml's no-port-admin refuses PAOS writes: explain says so when asked about the register.
    let o = explain(&["--user", "root", "--scope", "configuration", "--register", "PAOS", "--write"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(out(&o).contains("register PAOS (0x5006) write"), "{}", out(&o));
    assert!(out(&o).contains("DENIED (EPERM): denied by rule 'no-port-admin'"), "{}", out(&o));
    // A read (debug-read-only for the driver) is not on the deny list.
    let o = explain(&["--user", "root", "--scope", "debug-read-only", "--register", "PAOS"]);
    assert_eq!(o.status.code(), Some(0), "a read is allowed: {}", out(&o));
    // debug-write-full needs CAP_SYS_RAWIO before any policy.
    let o = explain(&["--user", "65534", "--scope", "debug-write-full", "--opcode", "QUERY_ADAPTER"]);
    assert_eq!(o.status.code(), Some(3), "{}", out(&o));
    assert!(out(&o).contains("DENIED (EPERM): debug-write-full needs CAP_SYS_RAWIO"), "{}", out(&o));
    let o = explain(&[
        "--user",
        "65534",
        "--cap-sys-rawio",
        "--scope",
        "debug-write-full",
        "--opcode",
        "QUERY_ADAPTER",
    ]);
    assert!(out(&o).contains("the caller holds it"), "{}", out(&o));
}
