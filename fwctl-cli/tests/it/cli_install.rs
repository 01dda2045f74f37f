//! Install story and manners (issue 15): the shipped manual pages and
//! completions are what the binary generates, every subcommand has a page,
//! completions never panic on a closed pipe or a full disk, and the systemd
//! unit's command line starts fwctld with no configuration file at all.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::cli_common::{self, Env, err, out};
use fwctl_tests::daemon::wait_until;

#[test]
fn shipped_man_pages_and_completions_are_current() {
    let env = Env::lab();
    let dir = env.dir.join("man");
    let o = env.run(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let shipped = cli_common::repo().join("contrib/man");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    for name in &names {
        let fresh = std::fs::read(dir.join(name)).unwrap();
        let kept = std::fs::read(shipped.join(name)).unwrap_or_default();
        assert!(fresh == kept, "contrib/man/{name:?} is stale: run `fwctl man --dir contrib/man`");
    }
    let kept = std::fs::read_dir(&shipped).unwrap().count();
    assert_eq!(kept, names.len(), "contrib/man has pages fwctl no longer generates");
    for (shell, file) in [("bash", "fwctl.bash"), ("zsh", "_fwctl"), ("fish", "fwctl.fish")] {
        let o = env.run(&["completions", shell]);
        let kept = std::fs::read(cli_common::repo().join("contrib/completions").join(file)).unwrap();
        assert!(o.stdout == kept, "contrib/completions/{file} is stale: run `fwctl completions {shell} > …`");
    }
}

#[test]
fn every_subcommand_has_a_page_with_its_arguments() {
    let env = Env::lab();
    for (page, th) in [
        ("rpc", ".TH FWCTL-RPC 1"),
        ("mlx5", ".TH FWCTL-MLX5 1"),
        ("policy", ".TH FWCTL-POLICY 1"),
        ("fwctld", ".TH fwctld 8"),
        ("policy-file", ".TH FWCTL-POLICY 5"),
    ] {
        let o = env.run(&["man", page]);
        assert_eq!(o.status.code(), Some(0), "{page}: {}", err(&o));
        assert!(out(&o).contains(th), "{page}: {}", &out(&o)[..200.min(out(&o).len())]);
    }
    assert!(out(&env.run(&["man", "rpc"])).contains("\\fBfwctl rpc\\fR"), "the synopsis names the command");
    let o = env.run(&["man", "nosuch"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("pages: fwctl, list"), "{}", err(&o));
}

#[test]
fn completions_and_help_never_panic_on_a_closed_pipe_or_a_full_disk() {
    let env = Env::lab();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        // A reader that closes at once.
        let mut c = env.command();
        let mut child =
            c.args(["completions", shell]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert!(matches!(o.status.code(), Some(0)), "{shell}: {:?} {}", o.status, err(&o));
        assert!(!err(&o).contains("panicked"), "{shell}: {}", err(&o));
        if std::path::Path::new("/dev/full").exists() {
            let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
            let o = env.command().args(["completions", shell]).stdout(full).output().unwrap();
            assert_eq!(o.status.code(), Some(2), "{shell}: {}", err(&o));
            assert_eq!(err(&o), "fwctl: error: cannot write output: no space left on device\n");
        }
    }
    if std::path::Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let o = env.command().arg("--help").stdout(full).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "--help to a full disk is not a success");
    }
}

#[test]
fn the_systemd_unit_starts_fwctld_with_no_configuration_file() {
    let unit = std::fs::read_to_string(cli_common::repo().join("contrib/fwctld.service")).unwrap();
    let exec = unit.lines().find_map(|l| l.strip_prefix("ExecStart=")).unwrap();
    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("/usr/bin/fwctld"), "{exec}");
    let args: Vec<&str> = words.collect();
    assert!(!args.iter().any(|a| a.starts_with("--config")), "a fresh install has no config file: {exec}");
    assert!(unit.contains("StateDirectoryMode=0700"), "daemon.md: the state directory is 0700");
    assert!(!unit.contains("file:///usr/share/doc"), "Documentation= names installed man pages");
    if std::path::Path::new("/etc/fwctl/fwctld.toml").exists() {
        eprintln!("SKIP: /etc/fwctl/fwctld.toml exists here, so this host is not a fresh install");
        return;
    }
    // The unit's command line, with the runtime and state directories systemd would create.
    let env = Env::lab();
    let (run, state) = (env.dir.join("run"), env.dir.join("state-d"));
    std::fs::create_dir_all(&run).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fwctld"))
        .args(&args)
        .arg("--runtime-dir")
        .arg(&run)
        .arg("--state-dir")
        .arg(&state)
        .env_remove("FWCTL_POLICY")
        .env_remove("FWCTL_STATE_DIR")
        .env_remove("FWCTL_RUNTIME_DIR")
        .env_remove("NOTIFY_SOCKET")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let up = wait_until(Duration::from_secs(20), || run.join("devices.json").exists());
    let o = env.command().env("FWCTL_SYSTEM_RUNTIME_DIR", &run).args(["list"]).output().unwrap();
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    );
    let status = child.wait().unwrap();
    assert!(up, "fwctld did not come up with no configuration file");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("fwctl0") && out(&o).contains("daemon"), "{}", out(&o));
    assert!(status.success() || status.code().is_some(), "{status:?}");
}
