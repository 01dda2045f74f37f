//! RPC cost through a plugin vs the same driver linked in, measured in one run.
//!
//! - `mlx5 linked-in` vs `mlx5 plugin (dlopen)`: the mlx5 simulator registered
//!   directly, and the same driver loaded from `libfwctl_mlx5_sim.so` (built
//!   through the SDK; found with `dependency_cdylib`), on identically configured
//!   devices, for QUERY_ADAPTER (16 B in, 272 B out) and QUERY_HCA_CAP general (16 B / 4112 B).
//! - `linked-in`: `EchoDriver` registered directly.
//! - `plugin (SDK vtable)`: the same `EchoDriver` exported through the Rust SDK's
//!   C ABI shims and driven by the host's plugin driver: every call crosses the
//!   `extern "C"` boundary, with the host's response buffer and the SDK's request
//!   copy, exactly as for a dlopen'ed library (which adds no cost per call: the
//!   vtable holds plain function pointers either way).
//! - `pds-sim (C, dlopen)`: the C vendor plugin, for an absolute figure.
//!
//! Target: plugin / linked-in <= 1.05x (issue 14). Run: `cargo bench -p fwctl-tests --bench plugin_bench`.
//!
//! Load-independent instruction counts: `PLUGIN_BENCH_CALLGRIND=CASE valgrind
//! --tool=callgrind --toggle-collect='*callgrind_loop*' <bench binary> --bench`
//! runs 2000 untimed RPCs of one case (`mlx5-{linked,plugin}-{qa,hca}`,
//! `echo-{linked,plugin}-4096`); instructions per RPC = Ir / 2000. A `-ioctl`
//! suffix (e.g. `mlx5-plugin-qa-ioctl`) sends them through the uAPI path
//! (`Handle::ioctl`: no description or status asked, as for a C client)
//! instead of the typed API.

use std::ffi::CStr;
use std::sync::Arc;

use fwctl_core::driver::Driver;
use fwctl_core::plugin::sdk::{ExportedVTable, Plugin};
use fwctl_core::plugin::{LoadOptions, PluginLibrary};
use fwctl_core::{Credentials, DeviceType, Errno, Handle, Subsystem};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig, prm};
use fwctl_tests::bench::{Row, keep, median_ns_per_op, print_table};
use fwctl_tests::echo::EchoDriver;
use fwctl_tests::plugins::{TempDir, dependency_cdylib, pds_sim};

struct EchoPlugin;
impl Plugin for EchoPlugin {
    const NAME: &'static CStr = c"echo";
    const VERSION: &'static CStr = c"bench";
    const DEVICE_TYPE: DeviceType = DeviceType::Mlx5;
    fn probe(_: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        Ok(vec![Arc::new(EchoDriver::new())])
    }
}

static ECHO_VTABLE: ExportedVTable = ExportedVTable::new::<EchoPlugin>();

const SAMPLES: usize = 31;
const BATCH: usize = 20_000;

fn rpc_ns(fwctl: &Subsystem, minor: u32, request: &[u8], out_len: usize) -> f64 {
    let me = Credentials::default();
    let h: Handle = fwctl.open(minor, &me).expect("open");
    let mut out = vec![0u8; out_len];
    median_ns_per_op(SAMPLES, BATCH, || {
        keep(h.rpc(&me, 0, request, &mut out).expect("rpc"));
    })
}

/// Median ns/op of `base` and `plugin`, measured alternately so drift affects both alike.
fn interleaved(fwctl: &Subsystem, base: u32, plugin: u32, request: &[u8], out_len: usize) -> (f64, f64) {
    let (mut b, mut p) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        b.push(rpc_ns(fwctl, base, request, out_len));
        p.push(rpc_ns(fwctl, plugin, request, out_len));
    }
    (fwctl_tests::bench::median(&mut b), fwctl_tests::bench::median(&mut p))
}

/// `n` RPCs on `minor`, untimed: what `valgrind --tool=callgrind
/// --toggle-collect='*callgrind_loop*'` counts (instructions per RPC = Ir / n).
#[inline(never)]
fn callgrind_loop(fwctl: &Subsystem, minor: u32, request: &[u8], out_len: usize, n: usize) {
    let me = Credentials::default();
    let h: Handle = fwctl.open(minor, &me).expect("open");
    let mut out = vec![0u8; out_len];
    for _ in 0..n {
        keep(h.rpc(&me, 0, request, &mut out).expect("rpc"));
    }
}

/// [`callgrind_loop`] through the uAPI path: `Handle::ioctl` with the caller's
/// memory modelled by a [`fwctl_core::SegmentMemory`].
#[inline(never)]
fn ioctl_callgrind_loop(fwctl: &Subsystem, minor: u32, request: &[u8], out_len: usize, n: usize) {
    use fwctl_core::uapi::{FWCTL_RPC, FwctlRpc};
    use zerocopy::IntoBytes;
    const ARG: u64 = 0x1000;
    const IN: u64 = 0x10_0000;
    const OUT: u64 = 0x20_0000;
    let me = Credentials::default();
    let h: Handle = fwctl.open(minor, &me).expect("open");
    let arg = FwctlRpc {
        size: 32,
        scope: 0,
        in_len: request.len() as u32,
        out_len: out_len as u32,
        in_: IN,
        out: OUT,
    };
    let mut mem = fwctl_core::SegmentMemory::new();
    mem.map_owned(ARG, arg.as_bytes().to_vec()).map_ro(IN, request).map_owned(OUT, vec![0; out_len]);
    for _ in 0..n {
        keep(h.ioctl(&me, FWCTL_RPC, keep(ARG), &mut mem)).expect("rpc");
    }
}

fn main() {
    // This binary is also the plugin host of the out-of-process case.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == fwctl_core::plugin::remote::HOST_FLAG) {
        std::process::exit(fwctl_core::plugin::remote::host_main_from_args(&argv[2..]));
    }
    if argv.get(1).is_some_and(|a| a == RAW_ECHO_FLAG) {
        raw_echo_child();
        return;
    }
    let fwctl = Subsystem::new();
    let linked = fwctl.register(Arc::new(EchoDriver::new())).expect("register");
    let lib = PluginLibrary::from_static(&ECHO_VTABLE, "echo-bench").expect("vtable");
    let via_plugin = fwctl.register(lib.probe("").expect("probe").remove(0)).expect("register");

    let dir = TempDir::new("plugin-bench");
    let pds =
        fwctl_tests::plugins::load(&pds_sim(dir.path()), &LoadOptions::default()).expect("load pds-sim");
    let pds_minor = fwctl.register(pds.probe("").expect("probe").remove(0)).expect("register");
    // pds-sim config.get_param(3): 16-byte header + 4-byte payload.
    let pds_req: Vec<u8> = [0u32, 1, 0, 4, 3].iter().flat_map(|w| w.to_ne_bytes()).collect();

    let mlx5_linked =
        fwctl.register(Mlx5Device::new(SimConfig::default()).expect("mlx5").into_driver()).expect("reg");
    let mlx5_path = dependency_cdylib("fwctl_mlx5_sim").expect("build the mlx5 plugin");
    let mlx5_lib =
        fwctl_tests::plugins::load(&mlx5_path, &LoadOptions::default()).expect("load the mlx5 plugin");
    let mlx5_plugin = fwctl.register(mlx5_lib.probe("").expect("probe").remove(0)).expect("register");

    // PLUGIN_BENCH_CALLGRIND=CASE: run one case untimed (for callgrind) and exit.
    // CASE: mlx5-{linked,plugin}-{qa,hca}, echo-{linked,plugin}-4096, or
    // mlx5-oop-{qa,hca} (out of process; with --trace-children=yes and a second
    // --toggle-collect='*serve*' the host's side is counted too).
    if let Ok(case) = std::env::var("PLUGIN_BENCH_CALLGRIND")
        && let Some(which) = case.strip_prefix("mlx5-oop-")
    {
        use fwctl_core::plugin::remote::{HostOptions, PluginHost};
        let options = HostOptions {
            program: std::env::current_exe().expect("this benchmark's path"),
            call_timeout: std::time::Duration::from_secs(120),
            allow_insecure: false,
            label: "callgrind".into(),
        };
        let host = PluginHost::spawn(&mlx5_path, &options).expect("start the plugin host");
        let remote = fwctl.register(host.probe("").expect("probe").remove(0)).expect("register");
        let (req, out_len) = match which {
            "qa" => (prm::build::query_adapter(), 272),
            _ => (prm::build::query_hca_cap(prm::caps::GENERAL, prm::caps::CapMode::Cur), 4112),
        };
        callgrind_loop(&fwctl, remote, &req, out_len, 2000);
        println!("{case}: 2000 RPCs, {:?}", host.round_trips());
        // SIGTERM (not the SIGKILL of the host's own shutdown) so a host run
        // under valgrind writes its profile; give it the time to.
        let pid = nix::unistd::Pid::from_raw(i32::try_from(host.pid()).expect("a pid"));
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        std::thread::sleep(std::time::Duration::from_secs(3));
        return;
    }
    if let Ok(case) = std::env::var("PLUGIN_BENCH_CALLGRIND") {
        let n = 2000;
        let qa = prm::build::query_adapter();
        let hca = prm::build::query_hca_cap(prm::caps::GENERAL, prm::caps::CapMode::Cur);
        let echo = vec![0x5au8; 4096];
        // `…-ioctl`: the same RPCs through the kernel uAPI path (`Handle::ioctl`,
        // no description or status asked: what C clients, device nodes and
        // `fwctl exec` use) instead of the typed API with its metadata.
        let (case, ioctl) = match case.strip_suffix("-ioctl") {
            Some(c) => (c.to_string(), true),
            None => (case, false),
        };
        let (minor, req, out_len) = match case.as_str() {
            "mlx5-linked-qa" => (mlx5_linked, &qa, 272),
            "mlx5-plugin-qa" => (mlx5_plugin, &qa, 272),
            "mlx5-linked-hca" => (mlx5_linked, &hca, 4112),
            "mlx5-plugin-hca" => (mlx5_plugin, &hca, 4112),
            "echo-linked-4096" => (linked, &echo, 4096),
            "echo-plugin-4096" => (via_plugin, &echo, 4096),
            other => panic!("unknown case {other}"),
        };
        if ioctl {
            ioctl_callgrind_loop(&fwctl, minor, req, out_len, n);
        } else {
            callgrind_loop(&fwctl, minor, req, out_len, n);
        }
        println!("{case}: {n} RPCs");
        return;
    }
    let mut rows = Vec::new();
    // PLUGIN_BENCH_ONLY=oop: only the out-of-process rows.
    if std::env::var("PLUGIN_BENCH_ONLY").is_ok_and(|v| v == "oop") {
        rows.extend(out_of_process_rows(&fwctl, mlx5_linked, &mlx5_path));
        print_table("RPC through a plugin host (Handle::rpc, scope 0)", &rows);
        return;
    }
    for (name, request, out_len) in [
        ("QUERY_ADAPTER", prm::build::query_adapter(), 272usize),
        ("QUERY_HCA_CAP", prm::build::query_hca_cap(prm::caps::GENERAL, prm::caps::CapMode::Cur), 4112),
    ] {
        let (b, p) = interleaved(&fwctl, mlx5_linked, mlx5_plugin, &request, out_len);
        rows.push(Row {
            name: format!("mlx5 linked-in, {name}"),
            value: b,
            unit: "ns/op",
            note: "baseline".into(),
        });
        rows.push(Row {
            name: format!("mlx5 plugin (dlopen), {name}"),
            value: p,
            unit: "ns/op",
            note: format!("{:.2}x linked-in (target <= 1.05x)", p / b),
        });
    }
    for size in [16usize, 256, 4096] {
        let req = vec![0x5au8; size];
        let (b, p) = interleaved(&fwctl, linked, via_plugin, &req, size);
        rows.push(Row {
            name: format!("linked-in echo, {size} B"),
            value: b,
            unit: "ns/op",
            note: "baseline".into(),
        });
        rows.push(Row {
            name: format!("plugin echo (SDK vtable), {size} B"),
            value: p,
            unit: "ns/op",
            note: format!("{:.2}x linked-in (target <= 1.05x)", p / b),
        });
    }
    let p = rpc_ns(&fwctl, pds_minor, &pds_req, 64);
    rows.push(Row {
        name: "pds-sim get_param (C, dlopen)".into(),
        value: p,
        unit: "ns/op",
        note: String::new(),
    });
    rows.extend(out_of_process_rows(&fwctl, mlx5_linked, &mlx5_path));
    print_table("RPC through a plugin vs linked-in (Handle::rpc, scope 0)", &rows);
}

/// An audit log that keeps nothing: it only wants every RPC described.
#[derive(Default)]
struct CountingAudit(std::sync::atomic::AtomicUsize);

impl fwctl_core::hooks::AuditSink for CountingAudit {
    fn record_rpc(&self, e: &fwctl_core::hooks::RpcAudit<'_>) {
        if e.description.is_some() && e.status.is_some() {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// `BENCH --raw-echo`: the other process of the raw round trip.
const RAW_ECHO_FLAG: &str = "--raw-echo";

/// Bytes of a raw round trip: about a request frame out (64 B), and about
/// the reply frame of QUERY_ADAPTER (272 B of response and headers: 320 B) or
/// of QUERY_HCA_CAP (4112 B: 4200 B) back; the first byte out says which.
const RAW_OUT: usize = 64;
const RAW_BACK: [usize; 2] = [320, 4200];

/// Answer every message on descriptor 3 with `RAW_BACK[its first byte]`
/// bytes, until end-of-file.
fn raw_echo_child() {
    use std::io::{Read, Write};
    use std::os::fd::FromRawFd;
    // SAFETY: the parent put the socket on descriptor 3 before exec; nothing
    // else in this process owns it.
    #[allow(unsafe_code)]
    let mut s = unsafe { std::os::unix::net::UnixStream::from_raw_fd(3) };
    let mut buf = [0u8; RAW_OUT];
    let back = vec![0xa5u8; RAW_BACK[1]];
    while s.read_exact(&mut buf).is_ok() {
        if s.write_all(&back[..RAW_BACK[usize::from(buf[0] & 1)]]).is_err() {
            return;
        }
    }
}

/// A raw socketpair to another process (this binary with `--raw-echo`): the
/// floor any out-of-process call pays on this machine.
struct RawEcho {
    sock: std::os::unix::net::UnixStream,
    child: std::process::Child,
}

impl RawEcho {
    fn start() -> RawEcho {
        use std::os::fd::AsRawFd;
        use std::os::unix::process::CommandExt;
        let (sock, theirs) = std::os::unix::net::UnixStream::pair().expect("socketpair");
        let fd = theirs.as_raw_fd();
        let mut cmd = std::process::Command::new(std::env::current_exe().expect("this benchmark's path"));
        cmd.arg(RAW_ECHO_FLAG);
        // SAFETY: dup2 only, between fork and exec.
        #[allow(unsafe_code)]
        unsafe {
            cmd.pre_exec(move || {
                if nix::libc::dup2(fd, 3) != 3 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start the raw echo");
        drop(theirs);
        RawEcho { sock, child }
    }

    /// ns per round trip with reply size `RAW_BACK[which]`.
    fn round_trip_ns(&mut self, which: usize) -> f64 {
        use std::io::{Read, Write};
        let mut out = [0x5au8; RAW_OUT];
        out[0] = which as u8;
        let mut back = vec![0u8; RAW_BACK[which]];
        median_ns_per_op(11, 500, || {
            self.sock.write_all(&out).expect("send");
            self.sock.read_exact(&mut back).expect("receive");
        })
    }
}

/// CPU time (user and system) of every thread of process `pid` so far, in ns,
/// from `/proc/PID/task/*/schedstat`.
fn cpu_ns(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return 0 };
    tasks
        .filter_map(Result::ok)
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()))
        .sum()
}

/// CPU ns per operation of `f`, in this process and in process `other`, over `n` runs.
fn cpu_per_op(other: u32, n: u32, mut f: impl FnMut()) -> (f64, f64) {
    let (me, them) = (cpu_ns(std::process::id()), cpu_ns(other));
    for _ in 0..n {
        f();
    }
    let (me2, them2) = (cpu_ns(std::process::id()), cpu_ns(other));
    ((me2 - me) as f64 / f64::from(n), (them2 - them) as f64 / f64::from(n))
}

impl Drop for RawEcho {
    fn drop(&mut self) {
        let _ = self.sock.shutdown(std::net::Shutdown::Both);
        let _ = self.child.wait();
    }
}

/// The mlx5 plugin out of process (fwctld's default: a plugin host process per
/// library, every call made over a pooled socketpair by the calling thread),
/// against a raw round trip between two processes on the same socket type, and
/// the linked-in driver, same run.
fn out_of_process_rows(fwctl: &Subsystem, linked: u32, mlx5_path: &std::path::Path) -> Vec<Row> {
    use fwctl_core::plugin::remote::{HostOptions, PluginHost};
    let options = HostOptions {
        program: std::env::current_exe().expect("this benchmark's path"),
        call_timeout: std::time::Duration::from_secs(30),
        allow_insecure: false,
        label: "bench".into(),
    };
    let host = PluginHost::spawn(mlx5_path, &options).expect("start the plugin host");
    let driver = host.probe("").expect("probe").remove(0);
    let mut raw = RawEcho::start();
    // One call of our protocol: a describe, answered by the plugin.
    let qa = prm::build::query_adapter();
    let round_trip = median_ns_per_op(11, 500, || {
        keep(driver.describe(&qa).expect("describe"));
    });
    let remote = fwctl.register(driver.clone()).expect("register");
    // The same device in a subsystem with an audit log (fwctld's default): the
    // record wants the request's description and the response's status.
    let audited = Subsystem::new();
    audited.set_hooks(fwctl_core::hooks::Hooks {
        policy: None,
        audit: Some(Arc::new(CountingAudit::default())),
    });
    let audited_remote = audited.register(driver).expect("register");
    let timed = |fwctl: &Subsystem, minor: u32, request: &[u8], out_len: usize| {
        let me = Credentials::default();
        let h: Handle = fwctl.open(minor, &me).expect("open");
        let mut out = vec![0u8; out_len];
        median_ns_per_op(11, 500, || {
            keep(h.rpc(&me, 0, request, &mut out).expect("rpc"));
        })
    };
    let raw_qa = raw.round_trip_ns(0);
    let mut rows = vec![Row {
        name: "mlx5 plugin, out of process, describe".into(),
        value: round_trip,
        unit: "ns/op",
        note: format!("{:.2}x raw round trip ({raw_qa:.0} ns, measured next to it)", round_trip / raw_qa),
    }];
    let before = host.round_trips();
    let mut rpcs = 0u64;
    for (which, (name, request, out_len)) in [
        ("QUERY_ADAPTER", prm::build::query_adapter(), 272usize),
        ("QUERY_HCA_CAP", prm::build::query_hca_cap(prm::caps::GENERAL, prm::caps::CapMode::Cur), 4112),
    ]
    .into_iter()
    .enumerate()
    {
        // Rounds of (raw, plain, audited, linked-in): drift hits all alike, and
        // each ratio is taken within its round.
        let (mut w, mut b, mut r, mut a, mut rr, mut ra) = (vec![], vec![], vec![], vec![], vec![], vec![]);
        for _ in 0..5 {
            let x = raw.round_trip_ns(which);
            let y = timed(fwctl, remote, &request, out_len);
            let z = timed(&audited, audited_remote, &request, out_len);
            b.push(timed(fwctl, linked, &request, out_len));
            rr.push(y / x);
            ra.push(z / x);
            w.push(x);
            r.push(y);
            a.push(z);
            rpcs += 2 * 12 * 500;
        }
        let median = fwctl_tests::bench::median;
        let (w, b, r, a) = (median(&mut w), median(&mut b), median(&mut r), median(&mut a));
        let (rr, ra) = (median(&mut rr), median(&mut ra));
        let back = RAW_BACK[which];
        rows.push(Row {
            name: format!("raw socketpair round trip, {RAW_OUT} B out, {back} B back"),
            value: w,
            unit: "ns/op",
            note: "2 processes: the IPC floor of this run".into(),
        });
        rows.push(Row {
            name: format!("mlx5 plugin, out of process, {name}"),
            value: r,
            unit: "ns/op",
            note: format!(
                "{rr:.2}x raw round trip (median of per-round ratios; target <= ~1.2x); linked-in {b:.0} ns"
            ),
        });
        rows.push(Row {
            name: format!("mlx5 plugin, out of process, {name}, audited"),
            value: a,
            unit: "ns/op",
            note: format!("{ra:.2}x raw round trip (description and status ride with the RPC)"),
        });
    }
    // CPU per call on both sides (steadier than wall time on a loaded machine,
    // though steal time still lands in it): the raw round trip and QUERY_ADAPTER
    // out of process, alternated, 5 rounds of 4000; medians.
    let (mut raw_cpu, mut rpc_cpu) = (Vec::new(), Vec::new());
    {
        use std::io::{Read, Write};
        let me = Credentials::default();
        let h: Handle = fwctl.open(remote, &me).expect("open");
        let qa = prm::build::query_adapter();
        let mut out = vec![0u8; 272];
        let mut back = vec![0u8; RAW_BACK[0]];
        let raw_pid = raw.child.id();
        for _ in 0..5 {
            let sock = &mut raw.sock;
            raw_cpu.push(cpu_per_op(raw_pid, 4000, || {
                sock.write_all(&[0u8; RAW_OUT]).expect("send");
                sock.read_exact(&mut back).expect("receive");
            }));
            rpc_cpu.push(cpu_per_op(host.pid(), 4000, || {
                keep(h.rpc(&me, 0, &qa, &mut out).expect("rpc"));
            }));
        }
    }
    let split = |v: &[(f64, f64)]| {
        let median = fwctl_tests::bench::median;
        let (mut a, mut b): (Vec<f64>, Vec<f64>) = v.iter().copied().unzip();
        (median(&mut a), median(&mut b))
    };
    let ((raw_me, raw_them), (rpc_me, rpc_them)) = (split(&raw_cpu), split(&rpc_cpu));
    rows.push(Row {
        name: "CPU per raw round trip (caller + other process)".into(),
        value: raw_me + raw_them,
        unit: "ns/op",
        note: format!("{raw_me:.0} + {raw_them:.0}"),
    });
    rows.push(Row {
        name: "CPU per out-of-process QUERY_ADAPTER (caller + host)".into(),
        value: rpc_me + rpc_them,
        unit: "ns/op",
        note: format!(
            "{rpc_me:.0} + {rpc_them:.0}; {:.2}x the raw round trip's",
            (rpc_me + rpc_them) / (raw_me + raw_them)
        ),
    });
    rpcs += 20_000;
    let after = host.round_trips();
    rows.push(Row {
        name: "round trips per out-of-process RPC".into(),
        value: (after.requests - before.requests) as f64 / rpcs as f64,
        unit: "requests",
        note: format!(
            "{} callbacks in {rpcs} RPCs (the handles' opens are requests too)",
            after.callbacks - before.callbacks
        ),
    });
    rows
}
