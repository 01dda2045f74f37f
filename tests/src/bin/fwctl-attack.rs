//! `fwctl-attack`: the identity attacks of the security review (P2 and fd
//! passing), as a client process for the tests in `security_identity.rs`. Each
//! verb prints one JSON object: the errno (or `ok`) of one RPC at
//! debug-write-full (scope 3, request `0102`, 2-byte response).
//!
//! ```text
//! fwctl-attack RUNTIME_DIR DEVICE exec-then-send PROGRAM [ARGS...]
//!     connect; fork a child that keeps the connection; the parent execs PROGRAM
//!     (a setuid-root program: it then holds CAP_SYS_RAWIO); once it has, the
//!     child sends the RPC. {"result", "exec_pid", "exec_cap_sys_rawio"}
//! fwctl-attack RUNTIME_DIR DEVICE lend UID GID
//!     connect (as root, with CAP_SYS_RAWIO); fork a child that drops to UID/GID
//!     (no capabilities) and sends the RPC on the inherited connection.
//! fwctl-attack RUNTIME_DIR DEVICE send
//!     connect and send (the control case).
//! fwctl-attack RUNTIME_DIR DEVICE seteuid-then-send UID [SCOPE]
//!     (as root) connect and send at scope 0; `seteuid(UID)` (the real uid stays
//!     0, so the kernel's per-message stamp is unchanged) and send again, at
//!     SCOPE (default 0).
//!     {"before", "after"}
//! fwctl-attack RUNTIME_DIR DEVICE flood N
//!     open the device N times (D3: refused opens flooding the audit log).
//! fwctl-attack RUNTIME_DIR DEVICE hog N
//!     N connections, each in the middle of a maximal frame; prints
//!     {"result","held"} and waits to be killed (per-uid in-flight budget).
//! ```

#![allow(unsafe_code)] // fork(2), to share one connection between two processes

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fwctl_core::transport::{Channel, Daemon, DaemonChannel, Transport};
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Gid, Pid, Uid, fork};
use serde_json::{Value, json};

fn rpc(ch: &mut DaemonChannel) -> Value {
    rpc_at(ch, 3)
}

fn rpc_at(ch: &mut DaemonChannel, scope: u32) -> Value {
    let mut out = [0u8; 2];
    match ch.rpc(scope, &[1, 2], &mut out) {
        Ok(_) => json!({"result": "ok"}),
        Err(e) => json!({"result": e.name()}),
    }
}

/// The effective uid and whether CAP_SYS_RAWIO is effective, of process `pid`.
fn euid_and_rawio(pid: Pid) -> Option<(u32, bool)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |k: &str| s.lines().find_map(|l| l.strip_prefix(k)).map(str::trim);
    let euid = field("Uid:")?.split_whitespace().nth(1)?.parse().ok()?;
    let caps = u64::from_str_radix(field("CapEff:")?, 16).ok()?;
    Some((euid, caps & (1 << 17) != 0))
}

/// D3: open the device `n` times (each refused by the policy), as fast as possible.
fn flood(daemon: &Daemon, device: &str, n: &str) -> Result<Value, String> {
    let n: usize = n.parse().map_err(|_| "bad count")?;
    let mut refused = 0;
    for _ in 0..n {
        if daemon.open(device).is_err() {
            refused += 1;
        }
    }
    Ok(json!({"result": "ok", "refused": refused}))
}

/// Per-uid budget: open `n` connections, start a maximal frame on each (the
/// header and one byte, so the daemon reserves the whole payload), report, and
/// keep them until killed.
fn hog(socket: &std::path::Path, n: &str) -> Result<Value, String> {
    use fwctl_core::server::wire::{self, Kind, MAX_PAYLOAD};
    use std::io::{Read, Write};
    let n: usize = n.parse().map_err(|_| "bad count")?;
    let mut held = Vec::new();
    for _ in 0..n {
        let mut s = std::os::unix::net::UnixStream::connect(socket).map_err(|e| e.to_string())?;
        let mut hello = [0u8; 64];
        let _ = s.read(&mut hello).map_err(|e| e.to_string())?;
        s.write_all(&wire::encode_header(Kind::Ioctl, MAX_PAYLOAD)).map_err(|e| e.to_string())?;
        s.write_all(&[0]).map_err(|e| e.to_string())?;
        held.push(s);
    }
    println!("{}", json!({"result": "ok", "held": held.len()}));
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}

fn run(args: &[String]) -> Result<Value, String> {
    let [dir, device, verb, rest @ ..] = args else {
        return Err("usage: RUNTIME_DIR DEVICE VERB ...".into());
    };
    let daemon = Daemon::new(PathBuf::from(dir));
    match (verb.as_str(), rest) {
        ("flood", [n]) => return flood(&daemon, device, n),
        ("hog", [n]) => return hog(&PathBuf::from(dir).join(device), n),
        _ => {}
    }
    let mut ch = daemon.connect(device).map_err(|e| format!("open {device}: {}", e.name()))?;
    match (verb.as_str(), rest) {
        ("send", []) => Ok(rpc(&mut ch)),
        ("seteuid-then-send", [uid, rest @ ..]) if rest.len() <= 1 => {
            let uid: u32 = uid.parse().map_err(|_| "bad uid")?;
            let scope: u32 = rest.first().map_or(Ok(0), |s| s.parse()).map_err(|_| "bad scope")?;
            let before = rpc_at(&mut ch, 0);
            nix::unistd::seteuid(Uid::from_raw(uid)).map_err(|e| format!("seteuid: {e}"))?;
            let after = rpc_at(&mut ch, scope);
            Ok(json!({"before": before["result"], "after": after["result"]}))
        }
        ("exec-then-send", [program, pargs @ ..]) => {
            let me = nix::unistd::getpid();
            // SAFETY: single-threaded program; the child only reads /proc, sends
            // on its copy of the socket and prints.
            match unsafe { fork() }.map_err(|e| e.to_string())? {
                ForkResult::Child => {
                    let start = Instant::now();
                    let mut seen = None;
                    while start.elapsed() < Duration::from_secs(10) {
                        if let Some((0, cap)) = euid_and_rawio(me) {
                            seen = Some(cap);
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    let mut v = rpc(&mut ch);
                    v["exec_pid"] = json!(me.as_raw());
                    v["exec_cap_sys_rawio"] = json!(seen);
                    println!("{v}");
                    let _ = nix::sys::signal::kill(me, nix::sys::signal::Signal::SIGKILL);
                    std::process::exit(0);
                }
                ForkResult::Parent { .. } => {
                    let err = std::process::Command::new(program).args(pargs).spawn_exec();
                    Err(format!("exec {program}: {err}"))
                }
            }
        }
        ("lend", [uid, gid]) => {
            let uid: u32 = uid.parse().map_err(|_| "bad uid")?;
            let gid: u32 = gid.parse().map_err(|_| "bad gid")?;
            // SAFETY: single-threaded program; the child drops privileges and
            // sends on its copy of the socket.
            match unsafe { fork() }.map_err(|e| e.to_string())? {
                ForkResult::Child => {
                    let dropped = nix::unistd::setgroups(&[])
                        .and_then(|()| nix::unistd::setgid(Gid::from_raw(gid)))
                        .and_then(|()| nix::unistd::setuid(Uid::from_raw(uid)));
                    let mut v = match dropped {
                        Ok(()) => rpc(&mut ch),
                        Err(e) => json!({"error": format!("cannot drop privileges: {e}")}),
                    };
                    v["receiver_cap_sys_rawio"] = json!(euid_and_rawio(nix::unistd::getpid()).map(|x| x.1));
                    println!("{v}");
                    std::process::exit(0);
                }
                ForkResult::Parent { child } => {
                    let _ = waitpid(child, None);
                    // The opener (root) keeps the connection open meanwhile, so
                    // only the sender decides.
                    drop(ch);
                    std::process::exit(0);
                }
            }
        }
        _ => Err("unknown verb".into()),
    }
}

trait SpawnExec {
    fn spawn_exec(&mut self) -> std::io::Error;
}

impl SpawnExec for std::process::Command {
    fn spawn_exec(&mut self) -> std::io::Error {
        use std::os::unix::process::CommandExt;
        self.exec()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("fwctl-attack: {e}");
            std::process::exit(2);
        }
    }
}
