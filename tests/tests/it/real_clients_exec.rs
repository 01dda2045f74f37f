//! `fwctl exec`: unmodified programs (the C client compiled here, the Python
//! client) against fwctld's sockets through the preload library, as root and
//! as an unprivileged user; device discovery through the faked sysfs (the same
//! steps as public tools, in C and Python); identity still from the kernel;
//! `--embedded`, `--sysfs-only` over FUSE nodes, and the refusals (static
//! binary, missing library). No root is needed for the exec path itself; the
//! unprivileged-user and FUSE cases print SKIP without it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use fwctl_core::server::speculate;
use fwctl_core::server::wire::{self, Kind, SEG_DATA, SEG_WRITABLE, SegmentHeader};
use fwctl_tests::daemon::{Fwctld, TempDir, TestUser, binary, wait_until};
use fwctl_tests::real_clients::{MountGuard, compile_c, fixtures_dir, preload_library, unavailable};

use crate::real_clients_programs::{AS_ROOT, AS_USER};

/// An mlx5 device (PCI parent 0000:08:00.0) and a CXL one (parent mem0).
const TWO: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n[device.params]\nseed = 5\n\
                   [[device]]\nname = \"cxl0\"\ndriver = \"cxl-sim\"\n";

fn python() -> Option<PathBuf> {
    let p = PathBuf::from("/usr/bin/python3");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIP: Python clients: no /usr/bin/python3");
        None
    }
}

fn exec(d: &Fwctld, wrapper: Option<&TestUser>, extra: &[&str], program: &Path, args: &[&str]) -> Output {
    preload_library();
    let base = match wrapper {
        Some(u) => u.command(&binary("fwctl")),
        None => Command::new(binary("fwctl")),
    };
    let mut c = d.fwctl_with(base);
    c.arg("exec").args(extra).arg("--").arg(program).args(args);
    c.output().unwrap()
}

fn stdout_ok(o: &Output) -> String {
    assert!(o.status.success(), "exit {:?}: {}", o.status, String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The C client compiled dynamically (None and SKIP without `cc`).
fn c_client(dir: &Path, name: &str) -> Option<PathBuf> {
    match compile_c(name, dir, false) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("SKIP: {name}: {e}");
            None
        }
    }
}

#[test]
fn c_and_python_clients_run_unchanged_under_fwctl_exec() {
    let d = Fwctld::start(TWO, &[]);
    let bin = TempDir::new("exec-bin");
    if let Some(c) = c_client(bin.path(), "fwctl_client") {
        assert_eq!(stdout_ok(&exec(&d, None, &[], &c, &["/dev/fwctl/fwctl0"])), AS_ROOT, "C");
    }
    if let Some(py) = python() {
        let script = fixtures_dir().join("fwctl_client.py");
        let o = exec(&d, None, &[], &py, &[script.to_str().unwrap(), "/dev/fwctl/fwctl0"]);
        assert_eq!(stdout_ok(&o), AS_ROOT, "Python");
    }
}

#[test]
fn an_unprivileged_caller_keeps_its_own_identity_under_the_preload() {
    let Some(user) = TestUser::ensure() else { return };
    let d = Fwctld::start(TWO, &[]);
    let bin = TempDir::new("exec-bin-user");
    let Some(c) = c_client(bin.path(), "fwctl_client") else { return };
    // DEBUG_WRITE_FULL is EPERM: the daemon judges the calling process from the
    // kernel's credentials, whatever the library inside it does.
    assert_eq!(stdout_ok(&exec(&d, Some(&user), &[], &c, &["/dev/fwctl/fwctl0"])), AS_USER);
    if let Some(py) = python() {
        let script = fixtures_dir().join("fwctl_client.py");
        let o = exec(&d, Some(&user), &[], &py, &[script.to_str().unwrap(), "/dev/fwctl/fwctl0"]);
        assert_eq!(stdout_ok(&o), AS_USER, "Python");
    }
    let refused: Vec<_> = d
        .audit()
        .into_iter()
        .filter(|l| l["event"] == "rpc" && l["errno"] == "EPERM" && l["scope"] == "debug-write-full")
        .collect();
    assert!(!refused.is_empty(), "no refused RPC in the audit log");
    for l in &refused {
        assert_eq!(l["uid"], u64::from(user.uid), "the audit names the caller: {l}");
    }
}

/// What discovery shows for [`TWO`] with character major `major`.
fn discovery(major: u32) -> String {
    format!(
        "dev fwctl0 {major}:0 driver mlx5_core parent pci0000:08/0000:08:00.0\n\
         node fwctl0 chr 1 rdev-matches 1 char-link-matches 1\n\
         dev fwctl1 {major}:1 driver cxl_mem parent fwctl-sim/mem0\n\
         node fwctl1 chr 1 rdev-matches 1 char-link-matches 1\n\
         listing fwctl0 fwctl1\n\
         devdir fwctl0 fwctl1\n"
    )
}

/// The major in the discovery output's first line.
fn major_of(out: &str) -> u32 {
    out.split_whitespace().nth(2).and_then(|m| m.split(':').next()).and_then(|m| m.parse().ok()).unwrap_or(0)
}

#[test]
fn tools_discover_devices_through_the_faked_sysfs() {
    let d = Fwctld::start(TWO, &[]);
    let bin = TempDir::new("exec-discover");
    if let Some(c) = c_client(bin.path(), "fwctl_discover") {
        let out = stdout_ok(&exec(&d, None, &[], &c, &[]));
        let major = major_of(&out);
        assert!((240..=254).contains(&major), "a local/experimental major: {out}");
        assert_eq!(out, discovery(major), "C");
    }
    if let Some(py) = python() {
        let script = fixtures_dir().join("fwctl_discover.py");
        let out = stdout_ok(&exec(&d, None, &[], &py, &[script.to_str().unwrap()]));
        assert_eq!(out, discovery(major_of(&out)), "Python");
    }
    // Outside `fwctl exec` the same program sees this machine (no fwctl here).
    if let Some(c) = c_client(bin.path(), "fwctl_discover")
        && !Path::new("/sys/class/fwctl").exists()
    {
        let o = Command::new(c).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stdout), "glob none\n");
    }
}

#[test]
fn embedded_runs_a_private_daemon_for_the_program_only() {
    let dir = TempDir::new("exec-embedded");
    let cfg = dir.path().join("fwctld.toml");
    std::fs::write(&cfg, TWO).unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, fwctl_tests::daemon::OPEN_POLICY).unwrap();
    let bin = TempDir::new("exec-embedded-bin");
    let Some(c) = c_client(bin.path(), "fwctl_client") else { return };
    preload_library();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let o = Command::new(binary("fwctl"))
        .env("TMPDIR", &tmp)
        .arg("--policy")
        .arg(&policy)
        .args(["exec", "--embedded", "--config"])
        .arg(&cfg)
        .arg("--")
        .arg(&c)
        .arg("/dev/fwctl/fwctl0")
        .output()
        .unwrap();
    assert_eq!(stdout_ok(&o), AS_ROOT);
    // The private daemon, its runtime directory and the view are gone afterwards.
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn the_exit_status_is_the_programs_and_refusals_say_why() {
    let d = Fwctld::start(TWO, &[]);
    let o = exec(&d, None, &[], Path::new("/bin/sh"), &["-c", "exit 7"]);
    assert_eq!(o.status.code(), Some(7), "{}", String::from_utf8_lossy(&o.stderr));

    // A missing library: the error names it and says how to get one.
    let o =
        d.fwctl().args(["exec", "--preload", "/nonexistent/libx.so", "--", "/bin/true"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("fwctl: error: exec: preload library /nonexistent/libx.so: no such file"), "{err}");
    assert!(err.contains("hint: build it with `cargo build -p fwctl-preload`"), "{err}");

    // A statically linked program never sees a preload library.
    let bin = TempDir::new("exec-static");
    match compile_c("fwctl_client", bin.path(), true) {
        Ok(p) => {
            let o = exec(&d, None, &[], &p, &["/dev/fwctl/fwctl0"]);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{err}");
            assert!(err.contains("is statically linked: a preload library cannot reach it"), "{err}");
            assert!(err.contains("fwctld --dev-dir"), "{err}");
        }
        Err(e) => eprintln!("SKIP: static client: {e}"),
    }

    // No daemon: exit 4 with the way out.
    let dir = TempDir::new("exec-nodaemon");
    let o = Command::new(binary("fwctl"))
        .arg("--runtime-dir")
        .arg(dir.path())
        .args(["exec", "--", "/bin/true"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(err.contains("no fwctld is running") && err.contains("--embedded"), "{err}");
}

#[test]
fn sysfs_only_gives_the_same_view_over_fuse_nodes() {
    if let Some(why) = unavailable() {
        eprintln!("SKIP: {why}");
        return;
    }
    let dir = TempDir::new("exec-sysfs-only");
    let dev = dir.path().join("dev");
    let _guard = MountGuard(dev.clone());
    let d = Fwctld::start(TWO, &["--dev-dir", dev.to_str().unwrap()]);
    assert!(wait_until(Duration::from_secs(10), || dev.join("fwctl1").exists()), "{}", d.log());
    let bin = TempDir::new("exec-sysfs-only-bin");
    let Some(c) = c_client(bin.path(), "fwctl_discover") else { return };
    let out = stdout_ok(&exec(&d, None, &["--sysfs-only", "--dev-dir", dev.to_str().unwrap()], &c, &[]));
    assert_eq!(out, discovery(major_of(&out)));
    // The opens went to the FUSE nodes: the client program ran unchanged there.
    if let Some(c) = c_client(bin.path(), "fwctl_client") {
        let o =
            exec(&d, None, &["--sysfs-only", "--dev-dir", dev.to_str().unwrap()], &c, &["/dev/fwctl/fwctl0"]);
        assert_eq!(stdout_ok(&o), AS_ROOT);
    }
}

/// What `fwctl_fd dup` prints on a kernel node (fstat: a character device).
const DUP_EXPECTED: &str = "dup 1 fcntl>=100 1 dup2 1 dup3 1\n\
                            after-close dup 0 type 1 chr 1 cloexec 0\n\
                            after-close F_DUPFD_CLOEXEC 0 type 1 chr 1 cloexec 1\n\
                            after-close dup2 0 type 1 chr 1 cloexec 0\n\
                            after-close dup3 0 type 1 chr 1 cloexec 1\n\
                            dup2-onto-copy 1\n\
                            replaced 0 type 1 chr 1 cloexec 0\n\
                            last 0 type 1 chr 1 cloexec 1\n\
                            closed 9 type 0 chr 0 cloexec -1\n";

#[test]
fn duplicated_descriptors_reach_the_same_device_until_the_last_is_closed() {
    let d = Fwctld::start(TWO, &[]);
    let bin = TempDir::new("exec-dup");
    let Some(c) = c_client(bin.path(), "fwctl_fd") else { return };
    assert_eq!(stdout_ok(&exec(&d, None, &[], &c, &["dup", "/dev/fwctl/fwctl0"])), DUP_EXPECTED);
}

#[test]
fn a_struct_size_beyond_64_kib_is_checked_as_copy_struct_from_user_does() {
    let d = Fwctld::start(TWO, &[]);
    let bin = TempDir::new("exec-bigsize");
    let Some(c) = c_client(bin.path(), "fwctl_fd") else { return };
    // EFAULT 14, E2BIG 7 (drivers/fwctl/main.c: copy_struct_from_user).
    assert_eq!(
        stdout_ok(&exec(&d, None, &[], &c, &["bigsize", "/dev/fwctl/fwctl0"])),
        "size 100000 zero-tail 0 nonzero@90000 7 type 1\n\
         size 200000 zero-tail 0 nonzero@90000 7 type 1\n\
         size 200000 into-hole 14\n\
         size 200000 nonzero-before-hole 7\n"
    );
}

/// `strace -f -c` of `rpc_loop NODE COUNT [alternate]` under `fwctl exec`,
/// with `VAR=VALUE` in its environment if given: the calls of each system call.
fn syscalls(
    d: &Fwctld,
    prog: &Path,
    out: &Path,
    count: usize,
    alternate: bool,
    env: Option<&str>,
) -> Vec<(String, u64)> {
    let mut args = vec!["-f", "-c", "-o", out.to_str().unwrap()];
    if let Some(e) = env {
        args.extend(["-E", e]);
    }
    args.extend([prog.to_str().unwrap(), "/dev/fwctl/fwctl0"]);
    let count = count.to_string();
    args.push(&count);
    if alternate {
        args.push("alternate");
    }
    let o = exec(d, None, &[], Path::new("/usr/bin/strace"), &args);
    assert!(stdout_ok(&o).starts_with("ns_per_op "));
    let table = std::fs::read_to_string(out).unwrap();
    // % time, seconds, usecs/call, calls, [errors], syscall
    table
        .lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            Some((w.last()?.to_string(), w.get(3)?.parse().ok()?))
        })
        .collect()
}

#[test]
fn a_repeated_ioctl_reads_no_struct_and_a_changing_one_makes_no_extra_round_trip() {
    if !Path::new("/usr/bin/strace").exists() {
        return eprintln!("SKIP: no /usr/bin/strace");
    }
    let d = Fwctld::start(TWO, &[]);
    let bin = TempDir::new("exec-syscalls");
    let Some(prog) = c_client(bin.path(), "rpc_loop") else { return };
    let rpcs = || d.control(&fwctl_core::server::ControlRequest::Status).unwrap()["rpcs"].as_u64().unwrap();
    // rpc_loop makes 200 warm-up calls, then COUNT.
    let calls = 200 + 50;
    let off = Some("FWCTL_EXEC_SPECULATE=0");
    for (mode, alternate, env) in [("repeated", false, None), ("alternate", true, None), ("off", false, off)]
    {
        let before = rpcs();
        let n = syscalls(&d, &prog, &bin.path().join("strace.txt"), 50, alternate, env);
        let of = |name: &str| n.iter().find(|(s, _)| s == name).map_or(0, |(_, c)| *c);
        // One request per ioctl: a guess the daemon refused would be one more.
        assert_eq!(of("sendmsg"), calls, "{mode}: {n:?}");
        // The first call's reply is received whole (`recvfrom`), the others with one `recvmsg`.
        assert_eq!(of("recvmsg"), calls - 1, "{mode}: {n:?}");
        // A repeated struct is read twice (then it is known to repeat and goes
        // as the kernel copies it); one that changes is read every call, and
        // so is every struct with the speculative path turned off.
        assert_eq!(of("process_vm_readv"), if mode == "repeated" { 2 } else { calls }, "{mode}: {n:?}");
        assert_eq!(rpcs() - before, calls, "{mode}: the daemon ran each ioctl once");
    }
}

/// An `IOCTL_IF_SAME` frame (`Documentation/protocol.md`).
fn if_same(expected: &[u8], cmd: u32, arg: u64, segs: &[(SegmentHeader, Option<&[u8]>)]) -> Vec<u8> {
    let mut f = Vec::new();
    wire::begin_frame(&mut f, Kind::IoctlIfSame);
    speculate::encode_expected(&mut f, expected);
    wire::encode_ioctl(&mut f, cmd, arg, segs);
    wire::finish_frame(&mut f).unwrap();
    f
}

/// Send `frame`, read the answer: its kind and payload.
fn ask(s: &mut UnixStream, frame: &[u8]) -> (Kind, Vec<u8>) {
    s.write_all(frame).unwrap();
    let mut p = Vec::new();
    (wire::read_frame(s, &mut p).unwrap(), p)
}

#[test]
fn the_daemon_runs_a_speculative_frame_only_for_the_expected_struct_and_holds_other_replies() {
    use fwctl_core::uapi::{FWCTL_INFO, FWCTL_RPC};
    let d = Fwctld::start(TWO, &[]);
    let rpcs = || d.control(&fwctl_core::server::ControlRequest::Status).unwrap()["rpcs"].as_u64().unwrap();
    let mut s = UnixStream::connect(d.runtime_dir.join("fwctl0")).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut p = Vec::new();
    assert_eq!(wire::read_frame(&mut s, &mut p).unwrap(), Kind::Hello);
    let seg = |addr, len, flags| SegmentHeader { addr, len, flags };
    // struct fwctl_rpc { 32, scope 0, in_len, out_len 272, in 0x2000, out 0x3000 }: QUERY_ADAPTER.
    let req = fwctl_mlx5_sim::prm::build::query_adapter();
    let mut st = Vec::new();
    for w in [32u32, 0, req.len() as u32, 272] {
        st.extend(w.to_ne_bytes());
    }
    st.extend(0x2000u64.to_ne_bytes());
    st.extend(0x3000u64.to_ne_bytes());
    let rpc = [
        (seg(0x1000, 32, SEG_DATA | SEG_WRITABLE), Some(&st[..])),
        (seg(0x2000, req.len() as u32, SEG_DATA), Some(&req[..])),
        (seg(0x3000, 272, SEG_WRITABLE), None),
    ];
    let before = rpcs();
    // Another struct than expected: nothing runs.
    let mut other = st.clone();
    other[12] ^= 1;
    let (k, p) = ask(&mut s, &if_same(&other, FWCTL_RPC, 0x1000, &rpc));
    assert_eq!((k, speculate::decode_held(&p).unwrap()), (Kind::Held, false));
    assert_eq!(rpcs(), before, "not run");
    // The expected struct: run, and its reply (struct, then out) sent as it is.
    let (k, p) = ask(&mut s, &if_same(&st, FWCTL_RPC, 0x1000, &rpc));
    assert_eq!(k, Kind::IoctlReply);
    let r = wire::decode_ioctl_reply(&p).unwrap();
    assert_eq!(r.result, Ok(()));
    assert_eq!(
        r.written.iter().map(|w| (w.segment, w.offset, w.len)).collect::<Vec<_>>(),
        [(0, 0, 32), (2, 0, 272)]
    );
    // FWCTL_INFO: its 24-byte struct range does not land in place: held, then fetched.
    let mut info = Vec::new();
    for w in [24u32, 0, 0, 64] {
        info.extend(w.to_ne_bytes());
    }
    info.extend(0x3000u64.to_ne_bytes());
    let info_segs =
        [(seg(0x1000, 24, SEG_DATA | SEG_WRITABLE), Some(&info[..])), (seg(0x3000, 64, SEG_WRITABLE), None)];
    let held = if_same(&info, FWCTL_INFO, 0x1000, &info_segs);
    let (k, p) = ask(&mut s, &held);
    assert_eq!((k, speculate::decode_held(&p).unwrap()), (Kind::Held, true));
    let (k, p) = ask(&mut s, &wire::encode_header(Kind::FetchReply, 0));
    assert_eq!(k, Kind::IoctlReply);
    assert_eq!(wire::decode_ioctl_reply(&p).unwrap().result, Ok(()));
    // Nothing held any more: an ERROR frame, and the connection stays usable.
    assert_eq!(ask(&mut s, &wire::encode_header(Kind::FetchReply, 0)).0, Kind::Error);
    // A malformed guess (no data segment at `arg`): its ERROR frame is held too.
    let (k, p) = ask(&mut s, &if_same(&st, FWCTL_RPC, 0x5000, &rpc));
    assert_eq!((k, speculate::decode_held(&p).unwrap()), (Kind::Held, true));
    let (k, p) = ask(&mut s, &wire::encode_header(Kind::FetchReply, 0));
    assert_eq!(k, Kind::Error, "{}", String::from_utf8_lossy(&p));
    // A held reply is for the very next frame only.
    assert_eq!(ask(&mut s, &held).0, Kind::Held);
    let mut plain = Vec::new();
    wire::begin_frame(&mut plain, Kind::Ioctl);
    wire::encode_ioctl(&mut plain, FWCTL_RPC, 0x1000, &rpc);
    wire::finish_frame(&mut plain).unwrap();
    assert_eq!(ask(&mut s, &plain).0, Kind::IoctlReply);
    assert_eq!(ask(&mut s, &wire::encode_header(Kind::FetchReply, 0)).0, Kind::Error);
    // Run: the RPC, two INFOs, the plain RPC.
    assert_eq!(rpcs(), before + 4);
}
