//! `Documentation/json.md` is the JSON schema of every command: each command
//! it lists is run here on the simulated devices and its keys must be exactly
//! the documented ones; `--json` and `-o` are accepted only where JSON exists.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use crate::cli_common::{Env, err, repo};

/// One documented command: its heading, its `Keys:` and its `` `x[]` keys: `` lines.
struct Section {
    title: String,
    keys: BTreeSet<String>,
    arrays: Vec<(String, BTreeSet<String>)>,
    skipped: bool,
}

fn backticked(line: &str) -> BTreeSet<String> {
    line.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn sections() -> Vec<Section> {
    let text = std::fs::read_to_string(repo().join("Documentation/json.md")).unwrap();
    let mut out: Vec<Section> = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### `") {
            let title = h.trim_end_matches('`').to_string();
            out.push(Section { title, keys: BTreeSet::new(), arrays: Vec::new(), skipped: false });
        } else if let Some(s) = out.last_mut() {
            if let Some(k) = line.strip_prefix("Keys: ") {
                s.keys = backticked(k);
            } else if line.starts_with('`') && line.contains("[]` keys: ") {
                let (name, keys) = line.split_once("[]` keys: ").unwrap();
                s.arrays.push((name.trim_start_matches('`').to_string(), backticked(keys)));
            } else if line.starts_with("*Not run by the key test*") {
                s.skipped = true;
            }
        }
    }
    out
}

/// The command line that produces each documented section's JSON.
fn args_for(title: &str, policy: &str) -> Option<Vec<String>> {
    let a: &[&str] = match title {
        "fwctl list --json" => &["list", "--json"],
        "fwctl info DEV --json" => &["info", "fwctl0", "--json"],
        "fwctl rpc DEV HEX --json" => {
            &["rpc", "fwctl0", "01010000", "00000000", "00000000", "00000000", "--json"]
        }
        "fwctl mlx5 DEV COMMAND --json" => &["mlx5", "fwctl0", "query-adapter", "--json"],
        "fwctl mlx5 DEV reg list --json" => &["mlx5", "fwctl0", "reg", "list", "-o", "json"],
        "fwctl cxl DEV features --json" => &["cxl", "fwctl1", "features", "--json"],
        "fwctl pds DEV endpoints --json" => &["pds", "fwctl2", "endpoints", "--json"],
        "fwctl bnxt DEV ver --json" => &["bnxt", "fwctl3", "ver", "--json"],
        "fwctl bnxt DEV commands --json" => &["bnxt", "fwctl3", "commands", "--json"],
        "fwctl sim reset --json" => &["sim", "reset", "--json"],
        "fwctl taint --json" => &["taint", "--json"],
        "fwctl audit --json" => &["audit", "--json"],
        "fwctl policy check --json" => &["policy", "check", policy, "--json"],
        "fwctl policy show --json" => &["policy", "show", "--json"],
        "fwctl policy show --me --json" => &["policy", "show", "--me", "--json"],
        "fwctl policy explain --json" => &["policy", "explain", "--device", "fwctl0", "-o", "json"],
        "fwctl plugin list --json" => &["plugin", "list", "--json"],
        _ => return None,
    };
    Some(a.iter().map(|s| s.to_string()).collect())
}

fn keys(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().filter(|k| *k != "simulated").cloned().collect()
}

#[test]
fn every_command_prints_exactly_the_keys_documented_in_json_md() {
    let env = Env::lab();
    let policy = env.policy.clone().unwrap().display().to_string();
    let all = sections();
    assert!(all.len() >= 15, "json.md lost sections: {}", all.len());
    let mut ran = 0;
    for s in &all {
        if s.skipped {
            continue;
        }
        let args = args_for(&s.title, &policy).unwrap_or_else(|| panic!("no command line for '{}'", s.title));
        let mut cmd = env.command();
        cmd.arg("--simulate").args(&args);
        let o = cmd.output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {}", s.title, err(&o)));
        assert_eq!(keys(&v), s.keys, "{}: top-level keys differ from json.md", s.title);
        for (name, want) in &s.arrays {
            let items = v[name.as_str()].as_array().unwrap_or_else(|| panic!("{}: no array {name}", s.title));
            let first = items.first().unwrap_or_else(|| panic!("{}: {name} is empty here", s.title));
            assert_eq!(&keys(first), want, "{}: keys of {name}[] differ from json.md", s.title);
        }
        ran += 1;
    }
    assert_eq!(ran, all.iter().filter(|s| !s.skipped).count());
}

#[test]
fn json_and_output_format_are_accepted_only_where_json_exists() {
    let env = Env::lab();
    for args in [
        &["daemon", "reload", "--json"][..],
        &["taint", "clear", "--reason", "x", "--json"],
        &["completions", "bash", "-o", "json"],
        &["--json", "list"],
    ] {
        let o = env.run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("unexpected argument"), "{args:?}: {}", err(&o));
    }
    // -o normal is the text; -o binary only for rpc.
    let o = env.run(&["--simulate", "list", "-o", "normal"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(crate::cli_common::out(&o).starts_with("DEVICE"), "{}", crate::cli_common::out(&o));
    let o = env.run(&["--simulate", "list", "-o", "binary"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let o = env.run(&[
        "--simulate",
        "rpc",
        "fwctl0",
        "01010000",
        "00000000",
        "00000000",
        "00000000",
        "-o",
        "binary",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(o.stdout.len(), 272, "QUERY_ADAPTER's raw response");
}

#[test]
fn usage_lines_of_nested_commands_show_the_parents_arguments() {
    let env = Env::lab();
    for (args, usage) in [
        (
            &["mlx5", "fwctl0", "reg", "read", "--help"][..],
            "Usage: fwctl mlx5 <DEV> reg read [OPTIONS] <NAME|ID>",
        ),
        (
            &["mlx5", "fwctl0", "reg", "write", "--help"],
            "Usage: fwctl mlx5 <DEV> reg write [OPTIONS] <NAME|ID> [FIELD=VALUE]...",
        ),
        (&["cxl", "fwctl1", "get", "--help"], "Usage: fwctl cxl <DEV> get [OPTIONS] <UUID>"),
    ] {
        let o = env.run(args);
        let text = crate::cli_common::out(&o);
        assert!(text.lines().any(|l| l == usage), "{args:?}: {text}");
    }
}
