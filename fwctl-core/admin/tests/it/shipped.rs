//! The built-in policies compiled into `fwctl-admin` are the files the project ships
//! in `policies/`: the crate carries its own copy (so `cargo package` works), and this
//! test keeps the two equal.

use fwctl_admin::policy::shipped;

fn top_level(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn builtin_default_policy_is_the_shipped_file() {
    assert_eq!(shipped::DEFAULT, top_level("default.toml"));
}

#[test]
fn builtin_lab_and_lockdown_policies_are_the_shipped_files() {
    assert_eq!(shipped::LAB, top_level("lab.toml"));
    assert_eq!(shipped::LOCKDOWN, top_level("lockdown.toml"));
}
