//! Issue 11, files and directories (review findings P3, P5, D6, D7): nothing a
//! local user controls redirects a write made by root, and one daemon owns a
//! runtime directory. Each test plants the review's attack (a directory owned by
//! another user, a symbolic link, a second daemon, a deleted socket) and checks
//! that the victim file is untouched and the refusal says what to fix.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fwctl_core::server::ControlRequest;
use fwctl_tests::daemon::{Fwctld, OPEN_POLICY, TempDir, TestUser, binary, loopback_config, wait_until};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// `fwctld` on `run`/`state` under `base` (not waiting for it to serve).
fn spawn_fwctld(base: &Path, run: &Path, state: &Path, shell_prefix: &str) -> Child {
    let cfg = base.join("fwctld.toml");
    std::fs::write(&cfg, loopback_config(1, "")).expect("test fixture");
    let policy = base.join("policy.toml");
    std::fs::write(&policy, OPEN_POLICY).expect("test fixture");
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("{shell_prefix} exec \"$0\" \"$@\""))
        .arg(binary("fwctld"))
        .arg("--config")
        .arg(&cfg)
        .arg("--runtime-dir")
        .arg(run)
        .arg("--state-dir")
        .arg(state)
        .arg("--policy")
        .arg(&policy)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c.spawn().expect("spawn fwctld")
}

/// Wait (bounded) for `child` to exit; its status code and stderr.
fn exit_of(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().ok().flatten().is_some() {
            let out = child.wait_with_output().expect("collect fwctld");
            return (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let out = child.wait_with_output().expect("collect fwctld");
    panic!("fwctld still running after {limit:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn victim(dir: &Path) -> PathBuf {
    let v = dir.join("root-only");
    std::fs::write(&v, "precious\n").expect("test fixture");
    std::fs::set_permissions(&v, std::fs::Permissions::from_mode(0o600)).expect("test fixture");
    v
}

fn assert_untouched(v: &Path) {
    assert_eq!(
        std::fs::read_to_string(v).expect("test fixture"),
        "precious\n",
        "the victim file was overwritten"
    );
    assert_eq!(
        std::fs::metadata(v).expect("test fixture").mode() & 0o7777,
        0o600,
        "the victim file was chmod'ed"
    );
}

#[test]
fn p3_a_runtime_directory_owned_by_another_user_is_refused_and_its_symlink_not_followed() {
    let Some(user) = TestUser::ensure() else { return };
    let base = TempDir::new("p3run");
    let v = victim(base.path());
    // The attacker made the directory first and planted the temporary name.
    let run = base.path().join("run");
    std::fs::create_dir(&run).unwrap();
    std::os::unix::fs::symlink(&v, run.join(".devices.json.tmp")).unwrap();
    nix::unistd::chown(&run, Some(nix::unistd::Uid::from_raw(user.uid)), None).unwrap();
    let (code, log) =
        exit_of(spawn_fwctld(base.path(), &run, &base.path().join("state"), ""), Duration::from_secs(30));
    assert_ne!(code, Some(0), "fwctld started in a directory owned by uid {}: {log}", user.uid);
    assert!(log.contains(&run.display().to_string()) && log.contains("owned by uid"), "{log}");
    assert!(log.contains("fix:"), "the error says how to fix it: {log}");
    assert_untouched(&v);
}

#[test]
fn p3_under_umask_000_the_directories_get_their_modes_and_planted_links_are_refused() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP: not root (the daemon's directories are checked against root's ownership in CI)");
        return;
    }
    let base = TempDir::new("p3umask");
    let run = base.path().join("run");
    let state = base.path().join("state");
    let child = spawn_fwctld(base.path(), &run, &state, "umask 000;");
    let up = wait_until(Duration::from_secs(30), || run.join("devices.json").exists());
    let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM);
    let (code, log) = exit_of(child, Duration::from_secs(30));
    assert!(up, "fwctld did not start: {log}");
    assert_eq!(code, Some(0), "{log}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().mode() & 0o7777;
    assert_eq!(mode(&run), 0o755, "runtime directory mode under umask 000");
    assert_eq!(mode(&state), 0o700, "state directory mode under umask 000");

    // A symbolic link planted as the audit log (a root-owned state directory
    // made 0700 by the daemon cannot get one from another user, but an
    // administrator's mistake or a restored backup can): refused, not followed.
    let v = victim(base.path());
    std::fs::remove_file(state.join("audit.log")).unwrap();
    std::os::unix::fs::symlink(&v, state.join("audit.log")).unwrap();
    let (code, log) = exit_of(spawn_fwctld(base.path(), &run, &state, ""), Duration::from_secs(30));
    assert_ne!(code, Some(0), "{log}");
    assert!(log.contains("symbolic link"), "{log}");
    assert_untouched(&v);
}

#[test]
fn d7_a_second_daemon_on_the_same_runtime_directory_exits_and_leaves_the_first_serving() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    let other = TempDir::new("d7");
    let (code, log) = exit_of(
        spawn_fwctld(other.path(), &d.runtime_dir, &other.path().join("state"), ""),
        Duration::from_secs(30),
    );
    assert_ne!(code, Some(0), "{log}");
    assert!(log.contains(&format!("already running (pid {})", d.pid())), "{log}");
    // The first daemon's sockets are still its own.
    let status = d.control(&ControlRequest::Status).expect("the first daemon still answers");
    assert_eq!(status["pid"], d.pid().as_raw());
    let o = d.fwctl().args(["info", "fwctl0"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn d6_sigterm_ends_the_daemon_even_after_its_socket_files_were_deleted() {
    let d = Fwctld::start(&loopback_config(1, ""), &[]);
    std::fs::remove_file(d.runtime_dir.join("fwctl0")).unwrap();
    std::fs::remove_file(d.runtime_dir.join("control")).unwrap();
    let pid = d.pid();
    let start = Instant::now();
    kill(pid, Signal::SIGTERM).unwrap();
    let gone = wait_until(Duration::from_secs(10), || {
        // Reaped by the fixture only on drop: a zombie counts as gone.
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| s.split(") ").nth(1).is_some_and(|r| r.starts_with('Z')))
            .unwrap_or(true)
    });
    assert!(
        gone,
        "fwctld ignored SIGTERM for {:?} after its sockets were deleted:\n{}",
        start.elapsed(),
        d.log()
    );
}

#[test]
fn p5_policy_set_refuses_a_world_writable_policy_directory_and_follows_no_link() {
    let Some(user) = TestUser::ensure() else { return };
    let base = TempDir::new("p5");
    let v = victim(base.path());
    let pol = base.path().join("pol");
    std::fs::create_dir(&pol).unwrap();
    std::fs::set_permissions(&pol, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::write(pol.join("policy.toml"), OPEN_POLICY).unwrap();
    // The attacker's links, made as the attacker.
    let link = |target: &Path, name: &str| {
        let s = user
            .command(Path::new("ln"))
            .arg("-s")
            .arg(target)
            .arg(pol.join(name))
            .status()
            .expect("ln as the test user");
        assert!(s.success());
    };
    link(&v, "policy.toml.bak.tmp");
    link(&v, "policy.toml.bak");
    let created = base.path().join("created-by-root");
    link(&created, "policy.toml.lock");
    let o = Command::new(binary("fwctl"))
        .arg("--policy")
        .arg(pol.join("policy.toml"))
        .arg("--runtime-dir")
        .arg(base.path().join("no-daemon"))
        .args(["policy", "set", "audit", "all"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "policy set in a world-writable directory succeeded: {err}");
    assert!(err.contains("writable") || err.contains("another user"), "{err}");
    assert_untouched(&v);
    assert!(!created.exists(), "the lock symlink's target was created");
    assert_eq!(std::fs::read_to_string(pol.join("policy.toml")).unwrap(), OPEN_POLICY);
}
