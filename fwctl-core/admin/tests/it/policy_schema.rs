//! Every class of policy load error, with its message and its position.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use fwctl_admin::policy::{self, Diagnostic, StaticResolver};

fn errors(text: &str) -> Vec<Diagnostic> {
    let r = StaticResolver::new().user("alice", 1000).group("wheel", 10);
    match policy::load_str_with(text, "p.toml", &r) {
        Ok(_) => panic!("expected a load error for:\n{text}"),
        Err(e) => e.diagnostics().to_vec(),
    }
}

/// The single error: (line, column, message, hint).
fn one(text: &str) -> (usize, usize, String, Option<String>) {
    let d = errors(text);
    assert_eq!(d.len(), 1, "expected exactly one error, got {d:#?}");
    let d = d.into_iter().next().unwrap();
    assert_eq!(d.file, "p.toml");
    (d.line, d.column, d.message, d.hint)
}

const RULE: &str = "version = 1\n[[rule]]\nname = \"r\"\nusers = [\"root\"]\n";

#[test]
fn toml_syntax_error_is_positioned() {
    let (l, c, m, _) = one("version = 1\nlockdown = [true,\n");
    assert_eq!((l, c), (2, 18));
    assert_eq!(m, "unclosed array, expected `]`");
}

#[test]
fn unknown_top_level_key_suggests_the_closest() {
    let (l, c, m, h) = one("version = 1\nlockdwn = true\n");
    assert_eq!((l, c), (2, 1));
    assert!(m.starts_with("unknown field `lockdwn`, expected one of `version`, `lockdown`"), "{m}");
    assert_eq!(h.as_deref(), Some("did you mean `lockdown`?"));
}

#[test]
fn unknown_rule_key_suggests_the_closest() {
    let (l, c, m, h) = one(&format!("{RULE}max_scop = \"configuration\"\n"));
    assert_eq!((l, c), (5, 1));
    assert!(m.starts_with("unknown field `max_scop`"), "{m}");
    assert_eq!(h.as_deref(), Some("did you mean `max_scope`?"));
}

#[test]
fn unknown_key_without_a_close_match_points_to_the_docs() {
    let (_, _, _, h) = one("version = 1\n[[device]]\nzzzzzzzz = 1\n");
    assert_eq!(h.as_deref(), Some("remove it; Documentation/policy.md lists every key"));
}

#[test]
fn wrong_types_are_positioned_with_a_hint() {
    let (l, c, m, h) = one("version = 1\nlockdown = \"yes\"\n");
    assert_eq!((l, c), (2, 12));
    assert_eq!(m, "invalid type: string \"yes\", expected a boolean");
    assert_eq!(h.as_deref(), Some("write true or false, without quotes"));

    let (l, c, m, h) =
        one("version = 1\n[[rule]]\nname = \"r\"\nusers = \"root\"\nmax_scope = \"configuration\"\n");
    assert_eq!((l, c), (4, 9));
    assert!(m.contains("expected a sequence"), "{m}");
    assert_eq!(h.as_deref(), Some("this key takes a list: [\"a\", \"b\"]"));

    let (l, c, m, _) =
        one("version = 1\n[[rule]]\nname = \"r\"\nusers = [true]\nmax_scope = \"configuration\"\n");
    assert_eq!((l, c), (4, 10));
    assert_eq!(m, "invalid type: boolean `true`, expected a name (string) or a numeric id");

    let (l, c, m, h) = one("version = \"1\"\n");
    assert_eq!((l, c), (1, 11));
    assert!(m.starts_with("invalid type: string \"1\""), "{m}");
    assert_eq!(h.as_deref(), Some("write a number without quotes"));
}

#[test]
fn missing_version_and_unsupported_version() {
    let (l, c, m, h) = one("lockdown = true\n");
    assert_eq!((l, c), (1, 1));
    assert_eq!(m, "missing field `version`");
    assert_eq!(h.as_deref(), Some("every policy starts with `version = 1`"));

    let (l, c, m, h) = one("version = 7\n");
    assert_eq!((l, c), (1, 11));
    assert_eq!(m, "unsupported policy version 7");
    assert_eq!(h.as_deref(), Some("this fwctl understands `version = 1`"));
}

#[test]
fn missing_rule_name() {
    let (l, c, m, h) = one("version = 1\n\n[[rule]]\nusers = [\"root\"]\n");
    assert_eq!((l, c), (3, 1));
    assert_eq!(m, "missing field `name`");
    assert!(h.unwrap().contains("unique name"));
}

#[test]
fn unknown_scope_name() {
    let (l, c, m, h) = one(&format!("{RULE}max_scope = \"debug-rw\"\n"));
    assert_eq!((l, c), (5, 13));
    assert_eq!(m, "unknown scope 'debug-rw'");
    assert_eq!(
        h.as_deref(),
        Some("scopes are configuration, debug-read-only, debug-write, debug-write-full")
    );
    let (l, c, m, _) = one("version = 1\n[[device]]\nmax_scope = \"full\"\n");
    assert_eq!((l, c, m.as_str()), (3, 13, "unknown scope 'full'"));
}

#[test]
fn unknown_audit_level() {
    let (l, c, m, h) = one("version = 1\naudit = \"some\"\n");
    assert_eq!((l, c), (2, 9));
    assert_eq!(m, "unknown audit level 'some'");
    assert_eq!(h.as_deref(), Some("audit levels are all, denials, none"));
}

#[test]
fn unknown_device_type() {
    let (l, c, m, _) =
        one(&format!("{RULE}max_scope = \"configuration\"\ndevice_types = [\"mlx5\", \"nvme\"]\n"));
    assert_eq!((l, c), (6, 25));
    assert_eq!(m, "unknown device type 'nvme'");
}

#[test]
fn impossible_selectors() {
    let base = format!("{RULE}max_scope = \"configuration\"\n");
    let (l, c, m, h) = one(&format!("{base}devices = []\n"));
    assert_eq!((l, c), (6, 11));
    assert_eq!(m, "impossible selector: `devices = []` matches nothing");
    assert!(h.unwrap().starts_with("remove the key"));

    let (l, c, m, _) = one(&format!("{base}devices = [\"fwctl0\", \"eth0\"]\n"));
    assert_eq!((l, c), (6, 22));
    assert_eq!(m, "impossible selector: no fwctl device can be named 'eth0'");

    let (_, _, m, _) = one(&format!("{base}devices = [\"fwctl4096\"]\n"));
    assert_eq!(m, "impossible selector: no fwctl device can be named 'fwctl4096'");
    let (_, _, m, _) = one(&format!("{base}devices = [\"fwctl01\"]\n"));
    assert_eq!(m, "impossible selector: no fwctl device can be named 'fwctl01'");
    let (_, _, m, _) = one(&format!("{base}devices = [\"eth*\"]\n"));
    assert_eq!(m, "impossible selector: no fwctl device can be named 'eth*'");

    let (_, _, m, _) = one(&format!("{base}device_types = [\"error\"]\n"));
    assert_eq!(m, "impossible selector: no device has type 'error'");

    let (l, c, m, _) = one(&format!("{base}parents = [\"\"]\n"));
    assert_eq!((l, c), (6, 12));
    assert_eq!(m, "impossible selector: an empty pattern in `parents` matches nothing");

    let (_, _, m, _) =
        one("version = 1\n[[rule]]\nname = \"r\"\nusers = []\nmax_scope = \"configuration\"\n");
    assert_eq!(m, "impossible selector: `users = []` matches nothing");
}

#[test]
fn malformed_patterns() {
    let (l, c, m, h) = one(&format!("{RULE}max_scope = \"configuration\"\nfirmware = [\"28.[3\"]\n"));
    assert_eq!((l, c), (6, 13));
    assert_eq!(m, "unclosed '[' in pattern '28.[3'");
    assert_eq!(h.as_deref(), Some("patterns use *, ? and [a-z] classes"));
    let (_, _, m, _) = one("version = 1\ndeny_firmware = [\"1]\"]\n");
    assert_eq!(m, "unmatched ']' in pattern '1]'");
}

#[test]
fn duplicate_rule_names() {
    let text = "version = 1\n[[rule]]\nname = \"a\"\nusers = [1]\nmax_scope = \"configuration\"\n\
                [[rule]]\nname = \"a\"\nusers = [2]\nmax_scope = \"configuration\"\n";
    let (l, c, m, _) = one(text);
    assert_eq!((l, c), (7, 8));
    assert_eq!(m, "duplicate rule name 'a' (first used at p.toml:2)");
}

#[test]
fn rule_consistency_errors() {
    let (l, c, m, h) = one("version = 1\n[[rule]]\nname = \"nobody\"\nmax_scope = \"configuration\"\n");
    assert_eq!((l, c), (2, 1));
    assert_eq!(m, "rule 'nobody' names no principal");
    assert!(h.unwrap().contains("users = [\"*\"] means everyone"));

    let (l, c, m, h) = one(RULE);
    assert_eq!((l, c), (2, 1));
    assert_eq!(m, "allow rule 'r' has no max_scope");
    assert!(h.unwrap().starts_with("add e.g. max_scope"));

    let (l, c, m, _) = one(&format!("{RULE}action = \"deny\"\nmax_scope = \"configuration\"\n"));
    assert_eq!((l, c), (6, 13));
    assert_eq!(m, "max_scope has no meaning in a deny rule");

    let (l, c, m, h) = one(&format!("{RULE}action = \"deny\"\nopcodes = [1]\n"));
    assert_eq!((l, c), (6, 11));
    assert_eq!(m, "`opcodes` (an allow-list) has no meaning in a deny rule");
    assert_eq!(h.as_deref(), Some("use deny_opcodes to list the commands this rule refuses"));

    let (l, c, m, _) = one(&format!("{RULE}action = \"reject\"\n"));
    assert_eq!((l, c), (5, 10));
    assert_eq!(m, "unknown action 'reject'");
}

#[test]
fn out_of_range_ids_and_bad_opcode_tables() {
    let (l, c, m, _) =
        one("version = 1\n[[rule]]\nname = \"r\"\nusers = [-1]\nmax_scope = \"configuration\"\n");
    assert_eq!((l, c), (4, 10));
    assert_eq!(m, "id -1 is out of range 0..=4294967295");

    let (l, c, m, _) =
        one(&format!("{RULE}max_scope = \"configuration\"\nopcodes = [{{ opcode = 1, opmod = 2 }}]\n"));
    assert_eq!(l, 6);
    assert!(c >= 12, "{c}");
    assert!(m.starts_with("unknown field `opmod`, expected `opcode` or `op_mod`"), "{m}");
}

#[test]
fn every_semantic_error_is_reported_at_once() {
    let text = "version = 1\naudit = \"loud\"\n[[rule]]\nname = \"r\"\nusers = [\"root\"]\nmax_scope = \"x\"\ndevices = [\"eth0\"]\n";
    let d = errors(text);
    let got: Vec<(usize, &str)> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (2, "unknown audit level 'loud'"),
            (6, "unknown scope 'x'"),
            (7, "impossible selector: no fwctl device can be named 'eth0'"),
        ]
    );
    let shown = policy::load_str(text, "p.toml").unwrap_err().to_string();
    assert!(shown.starts_with("p.toml:2:9: unknown audit level 'loud'\n  hint: audit levels are all, denials, none\np.toml:6:13:"), "{shown}");
}

#[test]
fn warnings_do_not_prevent_loading() {
    let text = "version = 1\nlockdown = true\n[[device]]\ndevices = [\"fwctl0\"]\n\
                [[rule]]\nname = \"r\"\nusers = [\"ghost\"]\ngroups = [\"wheel\", \"nogroup-xyz\"]\nmax_scope = \"debug-write-full\"\n";
    let r = StaticResolver::new().group("wheel", 10);
    let loaded = policy::load_str_with(text, "p.toml", &r).unwrap();
    let w: Vec<(usize, &str)> = loaded.warnings.iter().map(|d| (d.line, d.message.as_str())).collect();
    assert_eq!(
        w,
        vec![
            (3, "this [[device]] block sets nothing"),
            (7, "unknown user 'ghost': this entry matches nobody"),
            (8, "unknown group 'nogroup-xyz': this entry matches nobody"),
            (9, "lockdown (p.toml:2) refuses debug-write-full; this rule grants at most debug-write"),
        ]
    );
}

#[test]
fn check_file_and_show_report_the_source() {
    let dir = std::env::temp_dir().join(format!("fwctl-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("policy.toml");
    let _ = std::fs::remove_file(&path);
    let shown = policy::show(&path).unwrap();
    assert!(shown.starts_with(&format!(
        "# effective policy: built-in default policy ({} does not exist)\n",
        path.display()
    )));
    assert!(shown.ends_with(policy::shipped::DEFAULT));
    assert!(matches!(policy::check_file(&path), Err(policy::PolicyError::Io { .. })));
    std::fs::write(&path, "version = 1\nlockdown = 3\n").unwrap();
    let e = policy::check_file(&path).unwrap_err();
    assert!(e.to_string().starts_with(&format!("{}:2:12: invalid type", path.display())), "{e}");
    std::fs::write(&path, policy::shipped::LOCKDOWN).unwrap();
    assert!(policy::show(&path).unwrap().starts_with(&format!("# effective policy: {}\n", path.display())));
    std::fs::remove_dir_all(&dir).unwrap();
}
