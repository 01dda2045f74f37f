//! Issue 14 "Isolation" and issue 11 / review D4: plugins run out of process by
//! default. Hostile plugins (built here from the fixture: segfault, abort,
//! exit(0), sleep forever in rpc and in probe, garbage lengths, garbage
//! describe/info) take down only their own plugin host: fwctld keeps serving
//! the other devices, open handles of the dead host's devices get ENODEV, the
//! host is restarted (its devices come back as a hot-plug), every crash and
//! restart is in the audit log, and SIGTERM ends fwctld within its bound even
//! with a call stuck forever (out of process: the host is killed; in process:
//! fwctld exits 75 without waiting).

use std::path::Path;
use std::time::{Duration, Instant};

use fwctl_core::Errno;
use fwctl_core::server::ControlRequest;
use fwctl_core::transport::{Daemon, Transport};
use fwctl_tests::daemon::{Fwctld, wait_until};
use fwctl_tests::plugins::{self, TempDir};
use serde_json::Value;

fn entry(name: &str, lib: &Path, extra: &str) -> String {
    format!("\n[[device]]\nname = \"{name}\"\nplugin = \"{}\"\n{extra}", lib.display())
}

/// The device a restart record says the entry is served as again.
fn restarted_as(record: &Value) -> String {
    let reason = record["reason"].as_str().unwrap_or_default();
    reason.strip_prefix("serving ").unwrap_or_else(|| panic!("{record}")).to_string()
}

/// Audit records of plugin host events for `label` with `command` (crash, restart).
fn host_events(d: &Fwctld, label: &str, command: &str) -> Vec<Value> {
    d.audit()
        .into_iter()
        .filter(|r| r["event"] == "plugin-host" && r["device"] == label && r["command"] == command)
        .collect()
}

#[test]
fn hostile_plugins_take_down_only_their_own_host_which_comes_back() {
    let libs = TempDir::new("iso-hosts");
    // Four libraries (compiled in parallel); every hostile entry is its own host.
    let dir = libs.path();
    let [hostile, garbage_len, info_garbage, describe_garbage] = std::thread::scope(|s| {
        ["HOSTILE", "RPC_GARBAGE_LEN", "INFO_GARBAGE_LEN", "DESCRIBE_GARBAGE"]
            .map(|define| s.spawn(move || plugins::fixture(dir, &define.to_lowercase(), define)))
            .map(|t| t.join().unwrap())
    });
    // (label, the request that kills it, what the audit log says, what the
    // caller of that request gets: a crash is a hot-unplug, ENODEV; the call
    // that overran its deadline ETIMEDOUT, and only later ones ENODEV).
    let crashers = [
        ("segv", b"!s", "SIGSEGV", Errno::ENODEV),
        ("abort", b"!a", "SIGABRT", Errno::ENODEV),
        ("exit", b"!e", "exited with status 0", Errno::ENODEV),
        ("sleep", b"!z", "rpc exceeded its deadline of 1000 ms", Errno::ETIMEDOUT),
    ];
    let mut config = "[plugins]\ncall_timeout_ms = 1000\nrestart_backoff_ms = 50\n\
                      [[device]]\nname = \"lb\"\ndriver = \"loopback\"\n"
        .to_string();
    for (name, _, _, _) in &crashers {
        config += &entry(name, &hostile, "");
    }
    config += &entry("garbage-len", &garbage_len, "");
    config += &entry("info-garbage", &info_garbage, "");
    config += &entry("describe-garbage", &describe_garbage, "");
    config += &entry("probe-segv", &hostile, "[device.params]\nconfig = \"crash=s\"\n");
    config += &entry("probe-sleep", &hostile, "[device.params]\nconfig = \"crash=z\"\n");
    let d = Fwctld::start(&config, &[]);
    let daemon = Daemon::new(&d.runtime_dir);

    // Crashes and hangs in probe: only those entries are unavailable, named.
    let status = d.control(&ControlRequest::Status).unwrap();
    let unavailable: Vec<(String, String)> = status["unavailable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["label"].as_str().unwrap().to_string(), u["error"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(unavailable.len(), 2, "{unavailable:?}");
    assert!(unavailable[0].0 == "probe-segv" && unavailable[0].1.contains("SIGSEGV"), "{unavailable:?}");
    assert!(unavailable[1].0 == "probe-sleep" && unavailable[1].1.contains("deadline"), "{unavailable:?}");

    let mut lb = daemon.open("fwctl0").unwrap();
    let mut out = [0u8; 8];
    for (i, (name, kill, why, errno)) in crashers.iter().enumerate() {
        let dev = format!("fwctl{}", i + 1);
        let mut h = daemon.open(&dev).unwrap();
        let r = h.rpc(0, b"hello", &mut out).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&out[..r.out_len as usize], b"hello", "{name}");
        // The RPC that kills the host fails; so does the next one on the same
        // handle (hot-unplug semantics: ENODEV).
        let t0 = Instant::now();
        assert_eq!(h.rpc(0, *kill, &mut out).map(|_| ()), Err(*errno), "{name}");
        assert!(t0.elapsed() < Duration::from_secs(5), "{name}: {:?}", t0.elapsed());
        assert_eq!(h.rpc(0, b"hello", &mut out).map(|_| ()), Err(Errno::ENODEV), "{name}");
        // The other devices never noticed.
        assert!(lb.rpc(0, b"x", &mut out).is_ok(), "{name}");
        // The crash is audited with its cause, and the host comes back.
        let back = wait_until(Duration::from_secs(15), || !host_events(&d, name, "restart").is_empty());
        assert!(back, "{name} did not come back:\n{}", d.log());
        let crash = host_events(&d, name, "crash");
        assert_eq!(crash.len(), 1, "{name}: {crash:?}");
        assert!(crash[0]["error"].as_str().unwrap().contains(why), "{name}: {crash:?}");
        assert!(d.log().contains(&format!("device '{name}': plugin host (pid")), "{}", d.log());
        // Back as a hot-plug under the same name, while the old handle is still
        // open (and still gets ENODEV): scripts and device nodes find it again.
        assert_eq!(restarted_as(&host_events(&d, name, "restart")[0]), dev, "{name}");
        let mut old = h;
        let mut h = daemon.open(&dev).unwrap_or_else(|e| panic!("{name}: {e}\n{}", d.log()));
        let r = h.rpc(0, b"again", &mut out).unwrap();
        assert_eq!(&out[..r.out_len as usize], b"again", "{name}");
        assert_eq!(old.rpc(0, b"hello", &mut out).map(|_| ()), Err(Errno::ENODEV), "{name}");
        assert_eq!(h.rpc(0, *kill, &mut out).map(|_| ()), Err(*errno), "{name}: crashes again");
        drop((h, old));
        let twice = wait_until(Duration::from_secs(15), || host_events(&d, name, "restart").len() == 2);
        assert!(twice, "{name} did not come back a second time:\n{}", d.log());
        assert_eq!(restarted_as(&host_events(&d, name, "restart")[1]), dev, "{name}");
    }

    // Garbage answers are contained inside the host, as in process: ENXIO, and
    // the device is listed as failed; the host is not restarted for it.
    let mut g = daemon.open("fwctl5").unwrap();
    assert_eq!(g.rpc(0, b"abc", &mut out).map(|_| ()), Err(Errno::ENXIO));
    let mut g = daemon.open("fwctl6").unwrap();
    let mut data = [0u8; 64];
    assert_eq!(g.info(&mut data).map(|_| ()), Err(Errno::ENXIO));
    let mut g = daemon.open("fwctl7").unwrap();
    assert!(g.rpc(0, b"abc", &mut out).is_err());
    let failed: Vec<String> =
        daemon.list().unwrap().iter().filter(|s| s.failure.is_some()).map(|s| s.view.name.clone()).collect();
    assert_eq!(failed, ["fwctl5", "fwctl6", "fwctl7"]);
    assert!(host_events(&d, "garbage-len", "crash").is_empty());
    assert!(lb.rpc(0, b"x", &mut out).is_ok());
}

/// A config with one device whose plugin sleeps forever on a `!z` request.
fn stuck_config(libs: &Path, in_process: bool) -> String {
    let sleep = plugins::fixture(libs, "hostile", "HOSTILE");
    format!(
        "[limits]\nshutdown_timeout_ms = 2000\n[plugins]\ncall_timeout_ms = 60000\n{}",
        entry("sleep", &sleep, if in_process { "in_process = true\n" } else { "" })
    )
}

/// Start an RPC that never returns, then SIGTERM; the exit status and how long it took.
fn sigterm_with_a_stuck_call(d: &mut Fwctld) -> (std::process::ExitStatus, Duration) {
    let runtime_dir = d.runtime_dir.clone();
    let stuck = std::thread::spawn(move || {
        let mut ch = Daemon::new(&runtime_dir).open("fwctl0").expect("open fwctl0");
        let mut out = [0u8; 8];
        ch.rpc(0, b"!z", &mut out).map(|_| ())
    });
    d.wait_in_flight(1);
    let t0 = Instant::now();
    d.signal(nix::sys::signal::Signal::SIGTERM);
    let status =
        d.wait_exit(Duration::from_secs(15)).unwrap_or_else(|| panic!("still running:\n{}", d.log()));
    let took = t0.elapsed();
    assert!(stuck.join().expect("the stuck client").is_err());
    (status, took)
}

#[test]
fn sigterm_is_bounded_with_a_call_stuck_in_a_plugin_host() {
    let libs = TempDir::new("iso-term");
    let mut d = Fwctld::start(&stuck_config(libs.path(), false), &[]);
    let (status, took) = sigterm_with_a_stuck_call(&mut d);
    // Half the bound, then the host is killed and the shutdown finishes cleanly.
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(5), "{took:?}\n{}", d.log());
    assert_eq!(status.code(), Some(0), "{}", d.log());
    assert!(d.log().contains("killed 1 plugin host(s)"), "{}", d.log());
    assert!(d.log().contains("stopped"), "{}", d.log());
}

#[test]
fn sigterm_is_bounded_with_a_call_stuck_in_an_in_process_plugin() {
    let libs = TempDir::new("iso-term-inproc");
    let mut d = Fwctld::start(&stuck_config(libs.path(), true), &[]);
    let (status, took) = sigterm_with_a_stuck_call(&mut d);
    assert!(took >= Duration::from_millis(1900) && took < Duration::from_secs(6), "{took:?}\n{}", d.log());
    assert_eq!(status.code(), Some(75), "{}", d.log());
    assert!(d.log().contains("shutdown did not finish within 2000 ms"), "{}", d.log());
    let last = d.audit().pop().unwrap_or_default();
    assert!(last["event"] == "shutdown" && last["error"].is_string(), "{last}");
}

/// An audit log that keeps, per RPC, the description and status it was given.
#[derive(Default)]
struct Records(std::sync::Mutex<Vec<(Option<String>, Option<String>)>>);

impl fwctl_core::hooks::AuditSink for Records {
    fn record_rpc(&self, e: &fwctl_core::hooks::RpcAudit<'_>) {
        let name = e.description.and_then(|d| d.name.as_deref().map(str::to_string));
        let status = e.status.map(|s| s.name.to_string());
        fwctl_core::sync::lock(&self.0).push((name, status));
    }
}

#[test]
fn an_out_of_process_rpc_is_one_round_trip_with_its_description_and_status() {
    use fwctl_core::plugin::remote::{HostOptions, PluginHost};
    use fwctl_core::{Credentials, Subsystem};
    use std::sync::Arc;
    let lib = plugins::dependency_cdylib("fwctl_mlx5_sim").unwrap();
    let options = HostOptions {
        program: fwctl_tests::daemon::binary("fwctld"),
        call_timeout: Duration::from_secs(20),
        allow_insecure: false,
        label: "one-trip".into(),
    };
    let host = PluginHost::spawn(&lib, &options).unwrap();
    let remote = host.probe("").unwrap().remove(0);
    // The same plugin in process, for the expected bytes.
    let local = plugins::load(&lib, &Default::default()).unwrap().probe("").unwrap().remove(0);
    let records = Arc::new(Records::default());
    let fwctl = Subsystem::new();
    fwctl.set_hooks(fwctl_core::hooks::Hooks { policy: None, audit: Some(records.clone()) });
    let (r, l) = (fwctl.register(remote).unwrap(), fwctl.register(local).unwrap());
    let me = Credentials::default();
    let (hr, hl) = (fwctl.open(r, &me).unwrap(), fwctl.open(l, &me).unwrap());
    let qa = fwctl_mlx5_sim::prm::build::query_adapter();
    let (mut out_r, mut out_l) = ([0u8; 272], [0u8; 272]);
    hl.rpc(&me, 0, &qa, &mut out_l).unwrap();
    let before = host.round_trips();
    for _ in 0..10 {
        let rr = hr.rpc(&me, 0, &qa, &mut out_r).unwrap();
        assert_eq!(rr.out_len, 272);
    }
    let after = host.round_trips();
    // Request bytes go with the RPC, the response and its status come back
    // with the answer, the description is made by the host on the way: one
    // request each, no callback.
    assert_eq!((after.requests - before.requests, after.callbacks - before.callbacks), (10, 0));
    assert_eq!(out_r, out_l, "the same answer as in process");
    let recs = records.0.lock().unwrap();
    assert_eq!(recs.len(), 11);
    for rec in recs.iter() {
        assert_eq!(rec.0.as_deref(), Some("QUERY_ADAPTER"), "{recs:?}");
        assert!(rec.1.is_some(), "{recs:?}");
    }
    assert_eq!(recs[0], recs[10]);
}

/// `fwctl plugin list --json` against `d`, as root: its `plugin_hosts`, by label.
fn plugin_hosts(d: &Fwctld) -> std::collections::BTreeMap<String, Value> {
    let out = d.fwctl().args(["plugin", "list", "--json"]).output().expect("run fwctl");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = v["plugin_hosts"].as_array().unwrap_or_else(|| panic!("{v}"));
    list.iter().map(|h| (h["label"].as_str().expect("a label").to_string(), h.clone())).collect()
}

/// The program name of process `pid` (`argv[0]`).
fn argv0(pid: u64) -> String {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    String::from_utf8_lossy(cmdline.split(|b| *b == 0).next().unwrap_or_default()).into_owned()
}

#[test]
fn plugin_list_shows_each_host_and_start_up_failures_are_retried() {
    let libs = TempDir::new("iso-list");
    let hostile = plugins::fixture(libs.path(), "hostile", "HOSTILE");
    // Not there when fwctld starts.
    let late = libs.path().join("late.so");
    let config = format!(
        "[plugins]\ncall_timeout_ms = 5000\nrestart_backoff_ms = 100\nrestart_backoff_max_ms = 400\n{}{}",
        entry("crashy", &hostile, ""),
        entry("late", &late, "")
    );
    let d = Fwctld::start(&config, &[]);
    let daemon = Daemon::new(&d.runtime_dir);

    // Each entry's host: running with its pid, or restarting with the cause.
    let hosts = plugin_hosts(&d);
    let crashy = &hosts["crashy"];
    assert_eq!((crashy["state"].as_str(), crashy["library"].as_str()), (Some("running"), hostile.to_str()));
    let pid = crashy["pid"].as_u64().unwrap();
    assert_eq!(argv0(pid), "fwctl-plugin-host", "{crashy}");
    let l = &hosts["late"];
    assert_eq!(l["state"], "restarting", "{l}");
    assert!(l["cause"].as_str().unwrap().contains("late.so") && l["pid"].is_null(), "{l}");

    // The start-up failure is retried with the back-off, as a crash is.
    assert_eq!(host_events(&d, "late", "start-failed").len(), 1, "{}", d.log());
    let retried =
        wait_until(Duration::from_secs(10), || !host_events(&d, "late", "restart-failed").is_empty());
    assert!(retried, "{}", d.log());
    assert!(d.log().contains("device 'late': plugin host did not start"), "{}", d.log());
    // Once the library is there, a retry brings it up.
    std::fs::copy(&hostile, &late).unwrap();
    let up = wait_until(Duration::from_secs(15), || !host_events(&d, "late", "restart").is_empty());
    assert!(up, "{}", d.log());
    let dev = restarted_as(&host_events(&d, "late", "restart")[0]);
    let mut out = [0u8; 8];
    let r = daemon.open(&dev).unwrap().rpc(0, b"late", &mut out).unwrap();
    assert_eq!(&out[..r.out_len as usize], b"late");
    let l = &plugin_hosts(&d)["late"];
    assert_eq!(l["state"], "running", "{l}");
    assert_eq!(argv0(l["pid"].as_u64().unwrap()), "fwctl-plugin-host", "{l}");

    // A crash: restarting with its cause, then running again in a new process.
    let mut h = daemon.open("fwctl0").unwrap();
    assert_eq!(h.rpc(0, b"!s", &mut out).map(|_| ()), Err(Errno::ENODEV));
    let back = wait_until(Duration::from_secs(15), || !host_events(&d, "crashy", "restart").is_empty());
    assert!(back, "{}", d.log());
    let crashy = &plugin_hosts(&d)["crashy"];
    let new_pid = crashy["pid"].as_u64().unwrap();
    assert_eq!(
        (crashy["state"].as_str(), crashy["restarts"].as_u64()),
        (Some("running"), Some(1)),
        "{crashy}"
    );
    assert_ne!(new_pid, pid);
    // The text form says the same.
    let text = d.fwctl().args(["plugin", "list"]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let line = format!("crashy  {}  pid {new_pid}  running  (restarted 1x)", hostile.display());
    assert!(text.contains(&line), "{text}");
}

#[test]
fn callers_of_one_host_do_not_wait_for_each_other_and_each_call_has_its_deadline() {
    let libs = TempDir::new("iso-par");
    let hostile = plugins::fixture(libs.path(), "hostile", "HOSTILE");
    let config =
        format!("[plugins]\ncall_timeout_ms = 3000\nrestart_backoff_ms = 50\n{}", entry("par", &hostile, ""));
    let d = Fwctld::start(&config, &[]);
    let dir = d.runtime_dir.clone();
    // One caller's RPC hangs in the plugin...
    let stuck = std::thread::spawn(move || {
        let mut h = Daemon::new(&dir).open("fwctl0").expect("open fwctl0");
        let mut out = [0u8; 8];
        let t0 = Instant::now();
        (h.rpc(0, b"!z", &mut out).map(|_| ()), t0.elapsed())
    });
    d.wait_in_flight(1);
    // ...while others are served by the same host, on their own connections.
    let daemon = Daemon::new(&d.runtime_dir);
    let mut out = [0u8; 8];
    let t0 = Instant::now();
    for i in 0..20u8 {
        let mut h = daemon.open("fwctl0").unwrap();
        let r = h.rpc(0, &[b'p', i], &mut out).unwrap();
        assert_eq!(&out[..r.out_len as usize], &[b'p', i]);
    }
    assert!(t0.elapsed() < Duration::from_millis(2500), "{:?}", t0.elapsed());
    // The hung call alone overruns, at its own deadline, with ETIMEDOUT.
    let (result, took) = stuck.join().unwrap();
    assert_eq!(result, Err(Errno::ETIMEDOUT));
    assert!(took >= Duration::from_millis(2900) && took < Duration::from_millis(4500), "{took:?}");
}

/// A plugin owns its host process, so it can write anything onto the host's
/// sockets, including frames the daemon takes for the answer to its call. 120
/// forged answers (seeded random bodies whose first bytes are small values, so
/// the decoder gets past its first checks; see `forge_frames` in the fixture)
/// never take fwctld down: every call returns within its deadline, the host
/// is killed and restarted when its answer does not decode, and the other
/// device keeps answering throughout.
#[test]
fn forged_answer_frames_from_a_plugin_never_take_fwctld_down() {
    let libs = TempDir::new("iso-forge");
    let lib = plugins::fixture(libs.path(), "forge", "HOSTILE");
    let config = format!(
        "[plugins]\ncall_timeout_ms = 1000\nrestart_backoff_ms = 10\nrestart_backoff_max_ms = 20\n\
         [[device]]\nname = \"lb\"\ndriver = \"loopback\"\n{}",
        entry("forge", &lib, "")
    );
    let d = Fwctld::start(&config, &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut lb = daemon.open("fwctl0").unwrap();
    let mut out = [0u8; 64];
    for seed in 0u32..120 {
        let mut h = None;
        let back = wait_until(Duration::from_secs(15), || {
            h = daemon.open("fwctl1").ok();
            h.is_some()
        });
        assert!(back, "seed {seed}: the forging host did not come back:\n{}", d.log());
        let Some(mut h) = h else { unreachable!() };
        let mut req = b"!f".to_vec();
        req.extend_from_slice(&seed.to_le_bytes());
        let t0 = Instant::now();
        let _ = h.rpc(0, &req, &mut out);
        assert!(t0.elapsed() < Duration::from_secs(5), "seed {seed}: {:?}", t0.elapsed());
        let r = lb.rpc(0, b"x", &mut out);
        assert!(r.is_ok(), "seed {seed}: the loopback device stopped answering: {r:?}\n{}", d.log());
    }
    // The forged answers reached the decoder and were refused there (not
    // merely lost): the host was killed for a malformed answer.
    let kills = d.log().matches("malformed answer").count();
    eprintln!("{kills} of 120 forged answers refused as malformed (the host killed and restarted)");
    assert!(kills > 0, "no forged answer was refused as malformed:\n{}", d.log());
    assert!(!d.log().contains("panicked"), "{}", d.log());
    assert!(d.control(&ControlRequest::Status).is_ok(), "fwctld still answers its control socket");
}

/// A library the host cannot load is reported once, as in process: the
/// daemon's line names the path and the loader's reason, each once (the host
/// sends the detail, the daemon adds the path).
#[test]
fn a_host_that_cannot_load_its_library_reports_the_reason_once() {
    let libs = TempDir::new("iso-undef");
    let lib = plugins::fixture(libs.path(), "undef", "UNDEFINED_REF");
    let config = format!(
        "[plugins]\nrestart_backoff_ms = 1000\n[[device]]\nname = \"lb\"\ndriver = \"loopback\"\n{}",
        entry("undef", &lib, "")
    );
    let d = Fwctld::start(&config, &[]);
    let line = d
        .log()
        .lines()
        .find(|l| l.contains("device 'undef'") && l.contains("cannot load plugin"))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no load failure logged:\n{}", d.log()));
    assert_eq!(line.matches("cannot load plugin").count(), 1, "{line}");
    assert_eq!(line.matches(&lib.display().to_string()).count(), 1, "{line}");
    assert!(line.contains("fwctl_fixture_function_nobody_defines"), "{line}");
}
