//! Unknown user, group and device names (issue 15, "strict as visudo"): the
//! editing commands and `policy check` refuse them with the nearest known name;
//! loading a policy for use only warns (the entry matches nobody, fail-closed),
//! so one missing group does not disable the whole policy.
#![allow(clippy::unwrap_used)]

use crate::cli_common::{Env, err, shipped};

const TYPOS: &str = r#"version = 1

[[rule]]
name = "admins"
users = ["roo"]
groups = ["nosuchgroup-fwctl"]
max_scope = "debug-write"

[[rule]]
name = "root-config"
users = ["root"]
max_scope = "debug-write-full"
"#;

#[test]
fn policy_check_refuses_unknown_users_and_groups_with_a_suggestion() {
    let env = Env::with_policy(None);
    let file = env.dir.join("typos.toml");
    std::fs::write(&file, TYPOS).unwrap();
    let o = env.run(&["policy", "check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("typos.toml:5:10: unknown user 'roo'"), "{e}");
    assert!(e.contains("did you mean root?"), "{e}");
    assert!(e.contains("typos.toml:6:11: unknown group 'nosuchgroup-fwctl'"), "{e}");
    assert!(e.contains("2 problem(s)"), "{e}");
}

#[test]
fn loading_an_unknown_group_warns_and_the_rest_of_the_policy_applies() {
    let env = Env::with_policy(None);
    let file = env.dir.join("typos.toml");
    std::fs::write(&file, TYPOS).unwrap();
    // Root is named by the second rule; the first names nobody who exists.
    let o = env.run(&[
        "--policy",
        file.to_str().unwrap(),
        "--simulate",
        "rpc",
        "fwctl0",
        "01010000",
        "00000000",
        "00000000",
        "00000000",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // The run says so on standard error, with the position.
    assert!(
        err(&o).contains("fwctl: warning: policy ")
            && err(&o).contains("typos.toml:6:11: unknown group 'nosuchgroup-fwctl'"),
        "{}",
        err(&o)
    );
    // The same file is refused by the strict check (fwctld logs it as a warning).
    let o = env.run(&["policy", "check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn editing_commands_refuse_unknown_names_and_impossible_devices_and_install_nothing() {
    let env = Env::with_policy(None);
    let file = env.dir.join("edit.toml");
    let p = file.to_str().unwrap();
    let o = env.run(&[
        "--policy",
        p,
        "policy",
        "allow",
        "ops",
        "--group",
        "nosuchgroup-fwctl",
        "--max-scope",
        "configuration",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("unknown group 'nosuchgroup-fwctl'") && err(&o).contains("nothing was installed"),
        "{}",
        err(&o)
    );
    assert!(!file.exists(), "nothing may be installed");
    let o =
        env.run(&["--policy", p, "policy", "allow", "ops", "--user", "roo", "--max-scope", "configuration"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("did you mean root?"), "{}", err(&o));
    let o = env.run(&["--policy", p, "policy", "deny", "x", "--user", "root", "--device", "fwtcl1"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("no fwctl device can be named 'fwtcl1'") && err(&o).contains("did you mean fwctl1?"),
        "{}",
        err(&o)
    );
    assert!(!file.exists(), "nothing may be installed");
    // Known names install.
    let o = env.run(&[
        "--policy",
        p,
        "policy",
        "allow",
        "ops",
        "--user",
        "root",
        "--group",
        "0",
        "--max-scope",
        "configuration",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn every_shipped_policy_passes_the_strict_check_on_any_machine() {
    let env = Env::with_policy(None);
    for name in ["default.toml", "lab.toml", "lockdown.toml"] {
        let o = env.run(&["policy", "check", shipped(name).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", err(&o));
        assert!(!err(&o).contains("warning"), "{name}: {}", err(&o));
    }
}

#[test]
fn policy_check_checks_the_main_file_and_its_drop_ins_as_a_whole() {
    let env = Env::with_policy(None);
    let main = env.dir.join("policy.toml");
    std::fs::write(&main, crate::cli_common::OPEN_POLICY).unwrap();
    let dir = env.dir.join("policy.d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("10-a.toml"),
        "[[rule]]\nname = \"a\"\nusers = [\"root\"]\nmax_scope = \"configuration\"\n",
    )
    .unwrap();
    let o = env.run(&["policy", "check", main.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v = crate::cli_common::json(&o);
    assert_eq!((v["valid"].as_bool(), v["rules"].as_u64()), (Some(true), Some(2)), "{v}");
    assert_eq!(v["dropins"].as_array().unwrap().len(), 1, "{v}");
    // A duplicate rule name in a second drop-in, and a file-wide key in a third.
    std::fs::write(
        dir.join("20-b.toml"),
        "[[rule]]\nname = \"tests-open\"\nusers = [0]\nmax_scope = \"configuration\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("30-c.toml"), "# comment\nlockdown = true\n").unwrap();
    let o = env.run(&["policy", "check", main.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("30-c.toml:2:1: `lockdown` is not allowed in a drop-in"), "{e}");
    std::fs::remove_file(dir.join("30-c.toml")).unwrap();
    let o = env.run(&["policy", "check", main.to_str().unwrap()]);
    let e = err(&o);
    assert!(
        e.contains("20-b.toml:2:8: duplicate rule name 'tests-open' (first used at policy.toml:3)"),
        "{e}"
    );
    // --dir checks another directory (a staged set) instead.
    let staged = env.dir.join("staged");
    std::fs::create_dir_all(&staged).unwrap();
    std::fs::write(
        staged.join("a.toml"),
        "[[rule]]\nname = \"s\"\nusers = [\"root\"]\nmax_scope = \"configuration\"\n",
    )
    .unwrap();
    let o = env.run(&["policy", "check", main.to_str().unwrap(), "--dir", staged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(crate::cli_common::out(&o).contains("+ 1 drop-in(s) in"), "{}", crate::cli_common::out(&o));
}

#[test]
fn an_edit_is_checked_with_the_drop_ins_and_a_clash_installs_nothing() {
    let env = Env::with_policy(None);
    let main = env.dir.join("policy.toml");
    std::fs::write(&main, crate::cli_common::OPEN_POLICY).unwrap();
    let dir = env.dir.join("policy.d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("10-ops.toml"),
        "[[rule]]\nname = \"ops\"\nusers = [\"root\"]\nmax_scope = \"configuration\"\n",
    )
    .unwrap();
    let p = main.to_str().unwrap();
    let o = env.run(&[
        "--policy",
        p,
        "policy",
        "allow",
        "ops",
        "--user",
        "root",
        "--max-scope",
        "debug-read-only",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("duplicate rule name 'ops' (first used at policy.toml:"), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&main).unwrap(), crate::cli_common::OPEN_POLICY, "nothing installed");
    let o = env.run(&[
        "--policy",
        p,
        "policy",
        "allow",
        "ops2",
        "--user",
        "root",
        "--max-scope",
        "debug-read-only",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        !std::fs::read_to_string(&main).unwrap().contains("10-ops"),
        "only the main file's text is written"
    );
}
