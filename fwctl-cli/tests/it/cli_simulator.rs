//! The simulator never invents an answer (issue 15): with the real binaries,
//! a crashed `fwctld` (kill -9, stale sockets), an existing daemon runtime
//! directory or daemon configuration, or an explicit `--runtime-dir` make
//! `fwctl` fail with the reason and the fix instead of answering from the
//! simulated device; when the simulator does answer, text, JSON and `-q`
//! output all say so; its state never lands in the system's state directory;
//! JSON integers of 2^53 and above are strings.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use crate::cli_common::{self, Env, SIMULATED_MARKER, err, json, out, raw_err};
use fwctl_tests::daemon::{Fwctld, wait_until};
use nix::sys::signal::Signal;

const README: [&str; 6] = ["rpc", "fwctl0", "01010000", "00000000", "00000000", "00000000"];
const SIM: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n";

fn gone(pid: nix::unistd::Pid) -> bool {
    // Dead or a zombie: either way it serves nothing.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_or(true, |s| s.rsplit_once(')').is_some_and(|(_, r)| r.trim_start().starts_with(['Z', 'X'])))
}

#[test]
fn a_crashed_daemon_is_an_error_never_a_simulated_answer() {
    let daemon = Fwctld::start(SIM, &[]);
    let env = Env::lab();
    // The daemon's directory is where this machine's daemon lives (the system one).
    let run = |args: &[&str]| {
        env.command().env("FWCTL_SYSTEM_RUNTIME_DIR", &daemon.runtime_dir).args(args).output().unwrap()
    };
    let alive = run(&README);
    assert_eq!(alive.status.code(), Some(0), "{}", err(&alive));
    assert!(!raw_err(&alive).contains(SIMULATED_MARKER), "the daemon answered: {}", raw_err(&alive));

    daemon.signal(Signal::SIGKILL);
    assert!(wait_until(Duration::from_secs(10), || gone(daemon.pid())), "fwctld did not die");
    for q in [&[][..], &["-q"][..]] {
        let mut args = README.to_vec();
        args.extend_from_slice(q);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(4), "{args:?}: {}", raw_err(&o));
        assert!(o.stdout.is_empty(), "nothing may be answered: {}", out(&o));
        let e = raw_err(&o);
        assert!(e.starts_with("fwctl: error: no fwctl answered"), "{e}");
        assert!(e.contains(&format!("names fwctld pid {}, which is not running", daemon.pid())), "{e}");
        assert!(e.contains("hint: start fwctld") && e.contains("--transport embedded"), "{e}");
        assert!(!e.contains(SIMULATED_MARKER), "{e}");
    }
    // The same through an explicit --runtime-dir, and with --transport daemon.
    let dir = daemon.runtime_dir.to_str().unwrap();
    let o = env.command().args(["--runtime-dir", dir, "list"]).output().unwrap();
    assert_eq!(o.status.code(), Some(4), "{}", raw_err(&o));
    let o = env.command().args(["--transport", "daemon", "--runtime-dir", dir, "list"]).output().unwrap();
    assert_eq!(o.status.code(), Some(4), "{}", raw_err(&o));
    assert!(raw_err(&o).contains("which is not running"), "{}", raw_err(&o));
    // Asking for the simulator explicitly still works, and says so.
    let o = run(&["--simulate", "rpc", "fwctl0", "01010000", "00000000", "00000000", "00000000"]);
    assert_eq!(o.status.code(), Some(0), "{}", raw_err(&o));
    assert!(raw_err(&o).contains(SIMULATED_MARKER), "{}", raw_err(&o));
}

#[test]
fn a_runtime_dir_or_daemon_config_without_a_daemon_is_an_error() {
    let env = Env::lab();
    // An explicit runtime directory that nothing serves.
    let o = env.command().env("FWCTL_RUNTIME_DIR", env.dir.join("elsewhere")).args(README).output().unwrap();
    assert_eq!(o.status.code(), Some(4), "{}", raw_err(&o));
    assert!(raw_err(&o).contains("--runtime-dir (or FWCTL_RUNTIME_DIR) names"), "{}", raw_err(&o));
    assert!(o.stdout.is_empty());
    // The system runtime directory exists (a daemon stopped cleanly, or not yet started).
    std::fs::create_dir_all(env.run_dir()).unwrap();
    let o = env.run(&README);
    assert_eq!(o.status.code(), Some(4), "{}", raw_err(&o));
    assert!(raw_err(&o).contains("exists but no fwctld serves it"), "{}", raw_err(&o));
    std::fs::remove_dir(env.run_dir()).unwrap();
    // A daemon configuration: this machine is meant to run fwctld.
    std::fs::write(env.dir.join("fwctld.toml"), "").unwrap();
    let o = env.run(&README);
    assert_eq!(o.status.code(), Some(4), "{}", raw_err(&o));
    assert!(raw_err(&o).contains("fwctld.toml exists"), "{}", raw_err(&o));
    std::fs::remove_file(env.dir.join("fwctld.toml")).unwrap();
    // No sign at all: the simulator answers.
    let o = env.run(&README);
    assert_eq!(o.status.code(), Some(0), "{}", raw_err(&o));
}

#[test]
fn every_simulated_output_says_so_text_json_and_quiet() {
    let env = Env::lab();
    for extra in [&[][..], &["-q"][..], &["--format", "raw"][..], &["--format", "hex", "-q"][..]] {
        let mut args = README.to_vec();
        args.extend_from_slice(extra);
        let o = env.run(&args);
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", raw_err(&o));
        let last = raw_err(&o).lines().last().unwrap_or_default().to_string();
        assert!(last.starts_with(SIMULATED_MARKER), "{extra:?}: {}", raw_err(&o));
        assert!(last.contains("not a real device"), "{last}");
    }
    for args in [
        &["rpc", "fwctl0", "01010000", "00000000", "00000000", "00000000", "--json"][..],
        &["list", "--json", "-q"][..],
        &["info", "fwctl0", "--json"][..],
        &["mlx5", "fwctl0", "query-adapter", "--json"][..],
        &["taint", "--json"][..],
    ] {
        let o = env.run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", raw_err(&o));
        assert_eq!(json(&o)["simulated"], true, "{args:?}");
        assert!(raw_err(&o).contains(SIMULATED_MARKER), "{args:?}");
    }
    // A usage error never reached any transport: no marker.
    let o = env.run(&["rpc", "fwctl0", "zz"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!raw_err(&o).contains(SIMULATED_MARKER), "{}", raw_err(&o));
}

#[test]
fn simulated_state_lives_in_its_own_directory_not_the_systems() {
    let env = Env::lab();
    let system_state_existed = std::path::Path::new("/var/lib/fwctl").exists();
    let o = env.command().env_remove("FWCTL_STATE_DIR").args(README).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", raw_err(&o));
    let sim = env.dir.join("xdg-state").join("fwctl-simulator");
    assert!(sim.join("audit.log").is_file(), "the simulator's audit log is in {}", sim.display());
    assert!(raw_err(&o).contains(&sim.display().to_string()), "the marker names it: {}", raw_err(&o));
    if !system_state_existed {
        assert!(
            !std::path::Path::new("/var/lib/fwctl").exists(),
            "the README command created /var/lib/fwctl"
        );
    }
    assert!(!env.dir.join("xdg-state").join("fwctl").exists(), "nor the per-user real state directory");
}

#[test]
fn json_keeps_64_bit_values_exact_and_macs_readable() {
    let env = Env::lab();
    let o = env.run(&["mlx5", "fwctl0", "nic-vport", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", raw_err(&o));
    let v = json(&o);
    let fields = &v["fields"];
    // Every integer fits a double exactly (what jq and JavaScript keep).
    fn check(v: &serde_json::Value) {
        match v {
            serde_json::Value::Number(n) => {
                assert!(n.as_u64().is_none_or(|u| u < 1 << 53), "{n} loses precision in a double")
            }
            serde_json::Value::Array(a) => a.iter().for_each(check),
            serde_json::Value::Object(m) => m.values().for_each(check),
            _ => {}
        }
    }
    check(&v);
    let guid = fields["nic_vport_context.node_guid"].as_str().unwrap();
    assert!(guid.starts_with("0x"), "{guid}");
    let text = out(&env.run(&["mlx5", "fwctl0", "nic-vport"]));
    let hex = guid.trim_start_matches("0x");
    assert!(text.contains(&format!("0x{hex}")), "text and JSON name the same GUID: {text}");
    let mac = fields["nic_vport_context.permanent_address"].as_str().unwrap();
    assert_eq!(mac.len(), 17, "{mac}");
    assert_eq!(mac.split(':').count(), 6, "{mac}");
    assert!(text.contains(mac), "text shows the MAC the same way: {text}");
    let _ = cli_common::shipped("lab.toml");
}
