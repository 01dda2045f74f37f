//! End-to-end tests of the real `fwctl` binary: exit codes, every hex-parsing
//! error message, usage errors, completions, the man page and a closed pipe.

use crate::cli_common;

use std::process::{Command, Output, Stdio};

fn fwctl(args: &[&str]) -> Output {
    // An isolated environment whose policy narrows nothing, so these tests see
    // the driver's and the kernel's rules alone.
    cli_common::Env::open().run(args)
}

fn stderr(o: &Output) -> String {
    cli_common::err(o)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn version_and_help_exit_0_and_help_documents_the_exit_codes() {
    let v = fwctl(&["--version"]);
    assert_eq!(v.status.code(), Some(0));
    assert!(stdout(&v).starts_with("fwctl "), "{}", stdout(&v));
    let h = fwctl(&["--help"]);
    assert_eq!(h.status.code(), Some(0));
    let text = stdout(&h);
    for line in [
        "0  delivered and the device reported success",
        "1  delivered, the device reported an error status",
        "2  usage or input error",
        "3  refused or failed by the subsystem",
        "4  no such device, or no transport available",
    ] {
        assert!(text.contains(line), "missing '{line}' in --help");
    }
}

#[test]
fn every_subcommand_has_help_with_examples() {
    for sub in ["list", "info", "rpc", "mlx5", "taint", "audit", "policy", "plugin", "completions", "man"] {
        let h = fwctl(&[sub, "--help"]);
        assert_eq!(h.status.code(), Some(0), "{sub}");
        let text = stdout(&h);
        let examples = text.split_once("Examples:\n").map(|(_, e)| e).unwrap_or("");
        assert!(examples.contains(&format!("  fwctl {sub}")), "{sub} --help has no examples");
    }
}

/// Every hex-parsing error: exit 2, one line naming the token and its column.
#[test]
fn every_hex_error_is_one_line_pointing_at_the_token() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["01010000", "000"],
            "fwctl: error: hex payload: token '000' at argument 2, column 1 has an odd number of hex digits (3); write whole bytes, e.g. '0000'\n",
        ),
        (
            &["0101 00zz"],
            "fwctl: error: hex payload: token '00zz' at argument 1, column 8 has a non-hex character 'z'\n",
        ),
        (
            &["01,0x,02"],
            "fwctl: error: hex payload: token '0x' at argument 1, column 4 is a 0x prefix without digits\n",
        ),
        (
            &[],
            "fwctl: error: hex payload is empty: give at least one byte, e.g. 'fwctl rpc fwctl0 01010000 00000000 00000000 00000000'\n",
        ),
        (
            &[" : , "],
            "fwctl: error: hex payload is empty: give at least one byte, e.g. 'fwctl rpc fwctl0 01010000 00000000 00000000 00000000'\n",
        ),
    ];
    for (hex, want) in cases {
        let mut args = vec!["rpc", "fwctl0"];
        args.extend_from_slice(hex);
        let o = fwctl(&args);
        assert_eq!(o.status.code(), Some(2), "{hex:?}");
        assert_eq!(stderr(&o), want, "{hex:?}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["frobnicate"][..],
        &["rpc"],
        &["rpc", "fwctl-x", "00"],
        &["rpc", "0", "00", "--scope", "debug"],
        &["rpc", "0", "00", "--out-len", "3000000"],
        &["rpc", "0", "00", "--format", "yaml"],
        &["rpc", "0", "00", "--in-file", "x"],
        &["--color", "sometimes", "list"],
    ] {
        let o = fwctl(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let o = fwctl(&["rpc", "0", "00", "--scope", "4"]);
    assert!(
        stderr(&o).contains("unknown scope '4'; expected configuration, debug-read-only"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn no_device_and_no_transport_exit_4() {
    let o = fwctl(&["--transport", "embedded", "rpc", "fwctl4095", "00"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("fwctl: error: open fwctl4095: ENODEV (No such device)\n"),
        "{}",
        stderr(&o)
    );
    // Nothing serves the isolated runtime directory and there are no device nodes.
    let o = fwctl(&["--transport", "daemon", "list"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stderr(&o).contains("no fwctld is serving") && stderr(&o).contains("(--transport daemon)"),
        "{}",
        stderr(&o)
    );
    let o = fwctl(&["--transport", "kernel", "list"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        stderr(&o).contains("no fwctl device nodes in") && stderr(&o).contains("(--transport kernel)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn completions_and_man_page_come_from_the_clap_tree() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = fwctl(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let text = stdout(&o);
        assert!(text.contains("fwctl") && text.contains("rpc") && text.contains("dry-run"), "{shell}");
    }
    let o = fwctl(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.contains(".TH fwctl"), "not a man page");
    assert!(text.contains("Exit codes"), "man page lacks the exit codes");
}

#[test]
fn a_closed_stdout_pipe_exits_quietly() {
    let (reader, writer) = nix::unistd::pipe().unwrap();
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_fwctl"))
        .args(["man"])
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
}
