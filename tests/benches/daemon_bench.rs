//! The daemon transport against its physical floor.
//!
//! - RPC round trip through `fwctld` to the simulated mlx5 device (QUERY_ADAPTER:
//!   16-byte request, 272-byte response) vs a raw Unix-socket ping-pong of the
//!   same sizes between two threads, with 1 and 2 concurrent clients (and, for
//!   scale, the same ping-pong with the server in another process). Targets:
//!   ≤ 1.5× the ping-pong with audit on (issue 11), ≤ 1.3× with it off (issue
//!   10). Measured twice: with the shipped default policy (`audit = "all"`:
//!   one audit line per RPC, with its SHA-256; rules naming root) and with
//!   `audit = "none"` under a policy whose rules name nobody.
//! - Daemon RSS growth over 1,000,000 RPCs (target < 1 MiB).
//! - Daemon RSS with 1,000 idle connections (target < 64 MiB).
//!
//! Robustness on a shared, noisy machine: the variants are sampled *interleaved*
//! (round after round, each round taking one sample of every variant in a
//! rotating order), so a slow period hits all of them alike; each round gives a
//! daemon/baseline ratio, and the figure reported is the median of those
//! ratios, next to the median of each variant. Nothing is pinned.
//!
//! Run: `cargo bench -p fwctl-tests --bench daemon_bench`.
//! `DAEMON_BENCH_AB=<fwctld>`: this build's daemon against another build in
//! the same interleaved rounds (a before/after that a noisy machine cannot
//! skew by running them minutes apart).
#![expect(unsafe_code, reason = "FFI: the sender-checked floor's pidfd_open(2) and ioctl(2) calls")]

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::Barrier;
use std::time::Instant;

use fwctl_core::transport::{Channel, Daemon, Transport};
use fwctl_tests::bench::{Row, keep, median, print_table};
use fwctl_tests::daemon::Fwctld;

const REQ: usize = 16;
const RESP: usize = 272;
const ROUNDS: usize = 41;
const BATCH: usize = 1_000;

type Op = Box<dyn FnMut() + Send>;

/// A ping-pong pair: a server thread answering every 16-byte message with 272 bytes.
fn raw_pair() -> Op {
    let (client, mut server) = UnixStream::pair().expect("socketpair");
    std::thread::spawn(move || echo(&mut server));
    ping(client)
}

/// The client side of a raw ping-pong: 16 bytes out, 272 back.
fn ping(mut client: UnixStream) -> Op {
    let req = [1u8; REQ];
    let mut resp = [0u8; RESP];
    Box::new(move || {
        client.write_all(&req).expect("write");
        client.read_exact(&mut resp).expect("read");
        keep(&resp);
    })
}

/// The same ping-pong with the server in another process (this binary re-run
/// with `DAEMON_BENCH_ECHO=1`, the socket as its stdin): the floor of any
/// daemon, which is a separate process, so each round trip also switches
/// address spaces. Reported beside the thread baseline, not instead.
fn raw_process_pair(mode: &str) -> Op {
    let (client, server) = UnixStream::pair().expect("socketpair");
    let child = std::process::Command::new(std::env::current_exe().expect("current_exe"))
        .env("DAEMON_BENCH_ECHO", mode)
        .stdin(std::process::Stdio::from(std::os::fd::OwnedFd::from(server)))
        .spawn()
        .expect("spawn the echo process");
    // Reaped when the client end closes (the echo loop ends) and the bench exits.
    std::mem::forget(child);
    ping(client)
}

/// `DAEMON_BENCH_ECHO=1`: answer every 16-byte message on stdin (a Unix
/// socket) with 272 bytes until it closes. `DAEMON_BENCH_ECHO=cred`: the same,
/// doing per message the system calls a daemon that judges each request by
/// its sender needs at least ([`echo_checked`]).
fn echo_on_stdin(mode: &str) {
    use std::os::fd::AsFd;
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else { return };
    let mut s = UnixStream::from(fd);
    if mode == "cred" { echo_checked(&mut s) } else { echo(&mut s) }
}

/// The floor of a server that knows who sent each message, as fwctld must
/// (issue 11): `SO_PASSCRED` so the kernel stamps every message with its
/// sender (`recvmsg` with `SCM_CREDENTIALS`), and one `ioctl(PIDFD_GET_INFO)`
/// on a pidfd of the sender per message (is it still the process we pinned,
/// with the same ids). Then the 272-byte answer. No parsing, no policy.
fn echo_checked(server: &mut UnixStream) {
    use nix::sys::socket::{ControlMessageOwned, MsgFlags, getsockopt, recvmsg, setsockopt, sockopt};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let Ok(peer) = getsockopt(&*server, sockopt::PeerCredentials) else { return };
    if setsockopt(&*server, sockopt::PassCred, &true).is_err() {
        return;
    }
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let raw = unsafe { nix::libc::syscall(nix::libc::SYS_pidfd_open, peer.pid(), 0) };
    if raw < 0 {
        return;
    }
    // SAFETY: `raw` is a new descriptor this function owns.
    let pidfd = unsafe { OwnedFd::from_raw_fd(raw as i32) };
    // `struct pidfd_info` (64 bytes, Linux 6.13); `_IOWR(0xFF, 11, 64 bytes)`.
    const PIDFD_GET_INFO: nix::libc::c_ulong = 0xC040_FF0B;
    let mut req = [0u8; REQ];
    let resp = [7u8; RESP];
    let mut cmsg = nix::cmsg_space!(nix::sys::socket::UnixCredentials);
    loop {
        let mut iov = [std::io::IoSliceMut::new(&mut req)];
        let Ok(msg) =
            recvmsg::<()>(server.as_raw_fd(), &mut iov, Some(&mut cmsg), MsgFlags::MSG_CMSG_CLOEXEC)
        else {
            return;
        };
        if msg.bytes == 0 {
            return;
        }
        let stamped =
            msg.cmsgs().is_ok_and(|mut c| c.any(|m| matches!(m, ControlMessageOwned::ScmCredentials(_))));
        let mut info = [0u64; 8];
        info[0] = 0x3; // PIDFD_INFO_PID | PIDFD_INFO_CREDS
        // SAFETY: PIDFD_GET_INFO reads and writes the 64-byte buffer it is given.
        let r = unsafe { nix::libc::ioctl(pidfd.as_raw_fd(), PIDFD_GET_INFO, info.as_mut_ptr()) };
        keep(&(stamped, r));
        if server.write_all(&resp).is_err() {
            return;
        }
    }
}

/// The server side of a raw ping-pong: answer every 16-byte message with 272
/// bytes until the peer closes.
fn echo(server: &mut UnixStream) {
    let mut req = [0u8; REQ];
    let resp = [7u8; RESP];
    while server.read_exact(&mut req).is_ok() {
        if server.write_all(&resp).is_err() {
            break;
        }
    }
}

fn daemon_client(daemon: &Daemon) -> Op {
    let mut ch = daemon.open("fwctl0").expect("open fwctl0");
    let req = fwctl_mlx5_sim::prm::build::query_adapter();
    assert_eq!(req.len(), REQ);
    let mut resp = [0u8; RESP];
    Box::new(move || {
        let r = ch.rpc(0, &req, &mut resp).expect("rpc");
        assert_eq!(r.out_len as usize, RESP);
        keep(r);
    })
}

/// One sample: every client runs `BATCH` calls at once; ns per call, averaged
/// over the clients.
fn sample(clients: &mut [Op]) -> f64 {
    let n = clients.len();
    let start = Barrier::new(n);
    let per: Vec<f64> = std::thread::scope(|s| {
        let hs: Vec<_> = clients
            .iter_mut()
            .map(|f| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    let t = Instant::now();
                    for _ in 0..BATCH {
                        f();
                    }
                    t.elapsed().as_nanos() as f64 / BATCH as f64
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap_or(f64::NAN)).collect()
    });
    per.iter().sum::<f64>() / n as f64
}

/// One warm-up sample of every variant, then [`ROUNDS`] rounds each taking
/// one sample of every variant in a rotating order: the samples per variant.
fn interleaved(variants: &mut [Vec<Op>]) -> Vec<Vec<f64>> {
    for v in variants.iter_mut() {
        sample(v); // warm-up
    }
    let nv = variants.len();
    let mut samples = vec![Vec::new(); nv];
    for round in 0..ROUNDS {
        for k in 0..nv {
            let v = (round + k) % nv;
            samples[v].push(sample(&mut variants[v]));
        }
    }
    samples
}

/// The median of the per-round ratios of variant `v` to variant `base`.
fn ratio(samples: &[Vec<f64>], v: usize, base: usize) -> f64 {
    let mut r: Vec<f64> = samples[v].iter().zip(&samples[base]).map(|(d, b)| d / b).collect();
    median(&mut r)
}

/// The policy of each audit level: `all` is the shipped default policy
/// (`policies/default.toml`: every RPC audited, rules naming root, so each
/// request's sender is confirmed), which is what issue 11's target names;
/// any other level is a policy allowing everyone everything (the kernel's
/// rules still apply), whose rules name nobody.
fn policy(audit: &str) -> String {
    if audit == "all" {
        return fwctl_core::policy::shipped::DEFAULT.to_string();
    }
    if audit == "default-none" {
        // The shipped policy's rules (a per-message identity check) without its audit.
        let p = fwctl_core::policy::shipped::DEFAULT.replace("audit = \"all\"", "audit = \"none\"");
        assert_ne!(p, fwctl_core::policy::shipped::DEFAULT, "the shipped policy sets audit = \"all\"");
        return p;
    }
    format!(
        "version = 1\naudit = \"{audit}\"\n[[rule]]\nname = \"bench\"\nusers = [\"*\"]\nmax_scope = \"debug-write-full\"\n"
    )
}

fn start(audit: &str) -> Fwctld {
    let dir = fwctl_tests::daemon::TempDir::new("bench-policy");
    let p = dir.path().join("policy.toml");
    std::fs::write(&p, policy(audit)).expect("write policy");
    let d = Fwctld::start(
        "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n",
        &["--policy", p.to_str().expect("utf-8")],
    );
    // The daemon read the policy at start; the directory may go.
    drop(dir);
    d
}

/// CPU time (user + system) the daemon process has used, in nanoseconds.
fn cpu_ns(d: &Fwctld) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", d.pid())).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    let ticks = f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0);
    // USER_HZ (sysconf(_SC_CLK_TCK)) is 100 on every Linux architecture we build for.
    ticks * 1e9 / 100.0
}

/// RPCs the daemon has answered (the `status` verb).
fn rpcs(d: &Fwctld) -> f64 {
    d.control(&fwctl_core::server::ControlRequest::Status)
        .ok()
        .and_then(|s| s["rpcs"].as_f64())
        .unwrap_or(0.0)
}

/// `DAEMON_BENCH_PROFILE=<all|none>[:N]`: one daemon with that audit level, its
/// pid on stderr, a 2 s pause (to attach `perf record -p`, `strace -c -p`), then
/// N (default 20,000) untimed RPCs from one client, and exit. For profiling only.
/// With `DAEMON_BENCH_RUNTIME_DIR=DIR`, the RPCs go to the daemon already
/// serving `DIR` instead (e.g. one started under `valgrind --tool=callgrind`).
fn profile(spec: &str) {
    let (level, n) = spec.split_once(':').unwrap_or((spec, "20000"));
    let n: usize = n.parse().expect("DAEMON_BENCH_PROFILE=<all|none>[:N]");
    let (_d, daemon) = match std::env::var_os("DAEMON_BENCH_RUNTIME_DIR") {
        Some(dir) => (None, Daemon::new(std::path::Path::new(&dir))),
        None => {
            let d = start(level);
            eprintln!("fwctld pid {}", d.pid());
            let daemon = Daemon::new(&d.runtime_dir);
            (Some(d), daemon)
        }
    };
    let mut op = daemon_client(&daemon);
    op();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let t = Instant::now();
    for _ in 0..n {
        op();
    }
    eprintln!("{n} RPCs, {:.0} ns/op", t.elapsed().as_nanos() as f64 / n as f64);
}

/// Another `fwctld` binary (an older build), started like [`start`] and
/// killed on drop, for [`ab`].
struct OtherFwctld {
    child: std::process::Child,
    runtime_dir: std::path::PathBuf,
    _dir: fwctl_tests::daemon::TempDir,
}

impl Drop for OtherFwctld {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_other(bin: &str, audit: &str) -> OtherFwctld {
    let dir = fwctl_tests::daemon::TempDir::new("bench-ab");
    let (cfg, pol) = (dir.path().join("fwctld.toml"), dir.path().join("policy.toml"));
    std::fs::write(&cfg, "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n").expect("write config");
    std::fs::write(&pol, policy(audit)).expect("write policy");
    let runtime_dir = dir.path().join("run");
    let child = std::process::Command::new(bin)
        .arg("--config")
        .arg(&cfg)
        .arg("--runtime-dir")
        .arg(&runtime_dir)
        .arg("--state-dir")
        .arg(dir.path().join("state"))
        .arg("--policy")
        .arg(&pol)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn the other fwctld");
    let status = runtime_dir.join(fwctl_core::server::STATUS_FILE);
    assert!(
        fwctl_tests::daemon::wait_until(std::time::Duration::from_secs(30), || status.exists()),
        "{bin} did not start"
    );
    OtherFwctld { child, runtime_dir, _dir: dir }
}

/// `DAEMON_BENCH_AB=<fwctld binary>`: this build's fwctld against another
/// build (e.g. the one before a change), both with `audit = "all"` and
/// `"none"`, sampled interleaved with the thread ping-pong in the same rounds:
/// a same-run before/after on a noisy machine.
fn ab(other_bin: &str) {
    let (all, none) = (start("all"), start("none"));
    let (o_all, o_none) = (start_other(other_bin, "all"), start_other(other_bin, "none"));
    let daemons = [
        Daemon::new(&all.runtime_dir),
        Daemon::new(&o_all.runtime_dir),
        Daemon::new(&none.runtime_dir),
        Daemon::new(&o_none.runtime_dir),
    ];
    let names = [
        "this fwctld, audit=all",
        "other fwctld, audit=all",
        "this fwctld, audit=none",
        "other fwctld, audit=none",
    ];
    let mut rows = Vec::new();
    for n in [1usize, 2] {
        let mut variants: Vec<Vec<Op>> = vec![(0..n).map(|_| raw_pair()).collect()];
        for d in &daemons {
            variants.push((0..n).map(|_| daemon_client(d)).collect());
        }
        let mut samples = interleaved(&mut variants);
        let ratio_to = |v: usize, base: usize| ratio(&samples, v, base);
        let notes: Vec<String> = (0..names.len())
            .map(|i| {
                let vs = if i % 2 == 0 {
                    format!("; {:.3}x the other build", ratio_to(i + 1, i + 2))
                } else {
                    String::new()
                };
                format!("{:.3}x baseline (median of per-round ratios){vs}", ratio_to(i + 1, 0))
            })
            .collect();
        let med: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
        rows.push(Row {
            name: format!("raw unix ping-pong, {n} client(s)"),
            value: med[0],
            unit: "ns/op",
            note: "baseline".into(),
        });
        for (i, (name, note)) in names.iter().zip(notes).enumerate() {
            rows.push(Row { name: format!("{name}, {n} client(s)"), value: med[i + 1], unit: "ns/op", note });
        }
    }
    print_table(
        &format!("this fwctld vs {other_bin} ({ROUNDS} interleaved rounds of {BATCH} calls per client)"),
        &rows,
    );
}

fn main() {
    if let Ok(spec) = std::env::var("DAEMON_BENCH_PROFILE") {
        return profile(&spec);
    }
    if let Ok(other) = std::env::var("DAEMON_BENCH_AB") {
        return ab(&other);
    }
    if let Ok(mode) = std::env::var("DAEMON_BENCH_ECHO") {
        return echo_on_stdin(&mode);
    }
    let all = start("all");
    let none = start("none");
    let dn = start("default-none");
    let d_dn = Daemon::new(&dn.runtime_dir);
    let (d_all, d_none) = (Daemon::new(&all.runtime_dir), Daemon::new(&none.runtime_dir));
    let mut rows = Vec::new();
    let cpu_before = [(cpu_ns(&all), rpcs(&all)), (cpu_ns(&none), rpcs(&none))];
    for n in [1usize, 2] {
        // Variants: 0 raw (threads), 1 daemon audit=all, 2 daemon audit=none,
        // 3 raw with the server in another process, 4 the same with the
        // per-message sender check, 5 daemon with the shipped policy's rules
        // and audit=none.
        let mut variants: Vec<Vec<Op>> = vec![
            (0..n).map(|_| raw_pair()).collect(),
            (0..n).map(|_| daemon_client(&d_all)).collect(),
            (0..n).map(|_| daemon_client(&d_none)).collect(),
            (0..n).map(|_| raw_process_pair("1")).collect(),
            (0..n).map(|_| raw_process_pair("cred")).collect(),
            (0..n).map(|_| daemon_client(&d_dn)).collect(),
        ];
        let mut samples = interleaved(&mut variants);
        let ratio_to = |v: usize, base: usize| ratio(&samples, v, base);
        let ratio = |v: usize| ratio_to(v, 0);
        let (r_all, r_none) = (ratio(1), ratio(2));
        let (p_all, p_none) = (ratio_to(1, 3), ratio_to(2, 3));
        let r_process = ratio_to(3, 0);
        let (c_all, c_none, r_checked) = (ratio_to(1, 4), ratio_to(2, 4), ratio_to(4, 0));
        let (r_dn, a_dn) = (ratio(5), ratio_to(1, 5));
        let med: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
        rows.push(Row {
            name: format!("raw unix ping-pong 16/272 B, {n} client(s)"),
            value: med[0],
            unit: "ns/op",
            note: "baseline".into(),
        });
        rows.push(Row {
            name: format!("fwctld RPC, audit=all, {n} client(s)"),
            value: med[1],
            unit: "ns/op",
            note: format!(
                "median of per-round ratios {r_all:.3}x baseline (target <= 1.5x, issue 11); {p_all:.3}x the two-process ping-pong; {c_all:.3}x the sender-checked one"
            ),
        });
        rows.push(Row {
            name: format!("fwctld RPC, audit=none, {n} client(s)"),
            value: med[2],
            unit: "ns/op",
            note: format!(
                "median of per-round ratios {r_none:.3}x baseline (target <= 1.3x, issue 10); {p_none:.3}x the two-process ping-pong; {c_none:.3}x the sender-checked one"
            ),
        });
        rows.push(Row {
            name: format!("fwctld RPC, shipped policy's rules with audit=none, {n} client(s)"),
            value: med[5],
            unit: "ns/op",
            note: format!(
                "median of per-round ratios {r_dn:.3}x baseline; audit=all is {a_dn:.3}x this (the audit's own cost)"
            ),
        });
        rows.push(Row {
            name: format!("raw unix ping-pong, server in another process, {n} client(s)"),
            value: med[3],
            unit: "ns/op",
            note: format!("{r_process:.3}x the thread ping-pong (the cost of a process boundary)"),
        });
        rows.push(Row {
            name: format!("raw ping-pong, other process, sender checked per message, {n} client(s)"),
            value: med[4],
            unit: "ns/op",
            note: format!(
                "{r_checked:.3}x the thread ping-pong (SCM_CREDENTIALS + PIDFD_GET_INFO per message)"
            ),
        });
    }
    for (i, (d, level)) in [(&all, "all"), (&none, "none")].into_iter().enumerate() {
        let (cpu, n) = (cpu_ns(d) - cpu_before[i].0, rpcs(d) - cpu_before[i].1);
        rows.push(Row {
            name: format!("fwctld CPU per RPC, audit={level}"),
            value: cpu / n.max(1.0),
            unit: "ns/op",
            note: format!("user+system time of the daemon over {n} RPCs (10 ms clock ticks)"),
        });
    }
    print_table(
        &format!(
            "daemon round trip (QUERY_ADAPTER; {ROUNDS} interleaved rounds of {BATCH} calls per client)"
        ),
        &rows,
    );

    // Memory, on the audit=none daemon (with audit=all the same run also
    // appends ~400 MB of audit lines to the disk; the page cache is not RSS).
    let mut mem = Vec::new();
    let mut ch = d_none.open("fwctl0").expect("open");
    let mut resp = [0u8; RESP];
    let req = fwctl_mlx5_sim::prm::build::query_adapter();
    for _ in 0..50_000 {
        ch.rpc(0, &req, &mut resp).expect("rpc");
    }
    let before = none.rss();
    for _ in 0..1_000_000 {
        ch.rpc(0, &req, &mut resp).expect("rpc");
    }
    let growth = none.rss().saturating_sub(before);
    mem.push(Row {
        name: "daemon RSS growth over 1,000,000 RPCs".into(),
        value: growth as f64 / 1024.0,
        unit: "KiB",
        note: format!("from {} KiB (target < 1024 KiB)", before / 1024),
    });
    drop(ch);
    let idle: Vec<Box<dyn Channel>> = (0..1000).map(|_| d_all.open("fwctl0").expect("open")).collect();
    let rss = all.rss();
    mem.push(Row {
        name: "daemon RSS with 1,000 idle connections".into(),
        value: rss as f64 / (1024.0 * 1024.0),
        unit: "MiB",
        note: "target < 64 MiB".into(),
    });
    drop(idle);
    print_table("daemon memory", &mem);
}
