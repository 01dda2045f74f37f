//! Who is on the other end of a socket, and who sent each request, as the kernel
//! says.
//!
//! Two moments matter, as in the kernel:
//!
//! - **open** (`connect`): the opener's credentials from `SO_PEERCRED` (the
//!   effective ids at `connect`, like a file's `f_cred`), checked against
//!   `/proc/<pid>/status` read through a pinned pidfd ([`Peer::identify`]);
//! - **each request**: the kernel's `fwctl_rpc` checks `capable(CAP_SYS_RAWIO)`
//!   on the *calling task*, whoever opened the file. The daemon sets
//!   `SO_PASSCRED` on its listening sockets (accepted sockets inherit it), so the
//!   kernel stamps every message with the sending process's pid, real uid and
//!   real gid (`SCM_CREDENTIALS`); a stream read never merges data of two
//!   senders. [`Peer::sender`] turns those into [`Credentials`]: a fd passed to
//!   another process, a `fork` or an `exec` after `connect` lends nothing,
//!   because the requests are judged by whoever sends them.
//!
//! `CAP_SYS_RAWIO` counts only as the kernel's `capable()` counts it: in the
//! daemon's own user namespace. A process in a child user namespace
//! (`unshare -U -r`) has a full `CapEff` relative to that namespace and none in
//! ours; its `/proc/<pid>/ns/user` differs from the daemon's, so it holds no
//! capability here. A setuid program is judged by its effective ids and
//! effective capability set, as the kernel judges it.
//!
//! A pid alone can be recycled, so every `/proc` read is bracketed by liveness
//! checks of a pidfd that pins the process: the data read belongs to the process
//! the pidfd names.
//!
//! Per-request cost, for a sender seen before: **one** `ioctl(PIDFD_GET_INFO)`
//! on its pidfd (Linux ≥ 6.13). It answers, from the kernel's own `struct cred`,
//! the sender's real, effective, saved and fs uids and gids, and fails with
//! `ESRCH` once the pinned process is reaped; so one call says both "the pid
//! was not reused" and "its ids are those we read from `/proc`". Any change (a
//! setuid or setgid exec, `seteuid`, a privilege drop) reads everything again.
//! Kernels without that ioctl fall back to `capget` and `pidfd_send_signal(0)`,
//! which see a changed effective capability set (any change involving root)
//! but not, for example, a setuid exec from one unprivileged user to another.
//! A new sender, or one whose ids changed, costs a pidfd, an `O_PATH` open of
//! its `/proc/<pid>/ns` and a `/proc/<pid>/status` read.
//!
//! For `FWCTL_RPC`/`FWCTL_INFO` frames that re-check is itself deferred
//! ([`Peer::sender`] with `defer`): the credentials carry it as an
//! [`IdentityCheck`], which the dispatcher asks only when something reads the
//! identity — a policy rule naming users or groups, the audit log, a taint
//! record. Under a policy that names nobody and `audit = "none"` (the kernel's
//! own behaviour) a known sender costs no system call beyond `recvmsg`.
//!
//! `CAP_SYS_RAWIO` is not learnt per request. A sender's [`Credentials`] carry
//! it as a deferred question ([`fwctl_subsys::creds::DeferredCap`]), asked at
//! most once per request and only when the answer matters: the kernel's
//! `capable()` check for `FWCTL_RPC_DEBUG_WRITE_FULL`, or a policy rule that
//! names `cap_sys_rawio`. Asking costs a `capget`, an `fstatat` of its user
//! namespace relative to the pinned `/proc/<pid>/ns` directory, and a
//! `pidfd_send_signal(0)` that ties both answers to the pinned process.
#![expect(
    unsafe_code,
    reason = "pidfd_open, pidfd_send_signal and PIDFD_GET_INFO have no safe wrapper in nix"
)]

use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use nix::sys::socket::{getsockopt, sockopt};
use thiserror::Error;

use fwctl_os::process::{capget_effective, status_ids};
use fwctl_subsys::creds::{
    CAP_SYS_RAWIO, CapCheck, Confirmed, Credentials, DeferredCap, DeferredIdentity, IdentityCheck,
};

/// Why a peer's identity could not be established.
#[derive(Debug, Error)]
pub enum PeerError {
    /// `SO_PEERCRED` failed.
    #[error("cannot read the peer's credentials (SO_PEERCRED): {0}")]
    PeerCred(nix::Error),
    /// Neither `SO_PEERPIDFD` nor `pidfd_open` gave a pidfd.
    #[error("cannot pin the peer process {pid} with a pidfd: {err}")]
    Pidfd {
        /// The peer pid.
        pid: i32,
        /// The last error.
        err: nix::Error,
    },
    /// The process exited (or its pid was reused) while we looked at it.
    #[error("peer process {0} is gone")]
    Gone(i32),
    /// `/proc/<pid>/status` disagrees with the credentials the kernel reported
    /// (the process changed its ids since).
    #[error("peer process {0}: /proc status does not match the socket credentials")]
    Mismatch(i32),
    /// A request arrived without kernel-stamped credentials (`SO_PASSCRED` was
    /// not in effect when it was sent).
    #[error("request without sender credentials")]
    NoCredentials,
    /// One request was assembled from the writes of two different processes.
    #[error("request frame written by more than one process")]
    MixedSenders,
}

/// The credentials the kernel attached to received data (`SCM_CREDENTIALS`):
/// the sender's thread-group id and its *real* uid and gid at `sendmsg` time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScmCreds {
    /// Sender's pid (0 when the kernel attached none).
    pub pid: i32,
    /// Sender's real uid.
    pub uid: u32,
    /// Sender's real gid.
    pub gid: u32,
}

/// A sender process pinned by a pidfd, with what its credentials were read
/// with: what the deferred checks of its [`Credentials`] ask about.
#[derive(Debug)]
struct Proc {
    key: ScmCreds,
    pidfd: OwnedFd,
    /// `/proc/<pid>/ns`, to check its user namespace cheaply.
    ns_dir: Option<OwnedFd>,
    /// Its uids then gids (real, effective, saved, fs) when it was read.
    ids: [u32; 8],
    /// Its effective capability set then (for kernels without `PIDFD_GET_INFO`).
    caps: u64,
}

/// A request sender: its pinned process and the credentials read for it.
#[derive(Debug)]
struct Pinned {
    key: ScmCreds,
    proc: Arc<Proc>,
    /// Its uids then gids (real, effective, saved, fs) when `creds` were read.
    ids: [u32; 8],
    /// Its effective capability set then (`capget`; for kernels without
    /// `PIDFD_GET_INFO`).
    caps: u64,
    creds: Credentials,
}

/// A connected peer: the opener's credentials and the pidfd that pins its
/// process, plus the last request sender seen.
#[derive(Debug)]
pub struct Peer {
    /// The opener's credentials (used for `open` and the audit of the open).
    pub creds: Credentials,
    pidfd: OwnedFd,
    sender: Option<Pinned>,
}

/// Which ids of a `Uid:`/`Gid:` line to use.
#[derive(Clone, Copy)]
enum Field {
    Real = 0,
    Effective = 1,
}

impl Peer {
    /// Identify the opener of `stream`: `SO_PEERCRED`'s effective uid and gid at
    /// `connect`, which `/proc/<pid>/status` must still show as the effective ids
    /// (else the process changed identity since, and is refused).
    pub fn identify(stream: &UnixStream) -> Result<Peer, PeerError> {
        let cred = getsockopt(stream, sockopt::PeerCredentials).map_err(PeerError::PeerCred)?;
        let pid = cred.pid();
        let pidfd = match getsockopt(stream, sockopt::PeerPidfd) {
            Ok(fd) => fd,
            Err(_) => pidfd_open(pid).map_err(|err| PeerError::Pidfd { pid, err })?,
        };
        let (creds, _) = read_creds(&pidfd, pid, Field::Effective, cred.uid(), cred.gid())?;
        Ok(Peer { creds, pidfd, sender: None })
    }

    /// Whether the opener process still exists.
    pub fn alive(&self) -> bool {
        pidfd_alive(&self.pidfd)
    }

    /// The credentials of the process that sent a request, from the
    /// kernel-stamped `scm` credentials: as the kernel's `current_cred()` at the
    /// call. A sender seen before is re-checked cheaply: still pinned (its pid
    /// not reused) and with the same ids; a new one is pinned and read from
    /// `/proc`. The capability is left to a deferred check, asked only by a
    /// request that needs it.
    ///
    /// With `defer`, a sender seen before is not re-checked now: its
    /// credentials carry the check as a deferred confirmation
    /// ([`fwctl_subsys::creds::IdentityCheck`]), which the dispatcher asks only
    /// when something reads the identity (a policy naming callers, the audit
    /// log, a taint record). For `FWCTL_RPC` and `FWCTL_INFO` frames.
    pub fn sender(&mut self, scm: ScmCreds, defer: bool) -> Result<&Credentials, PeerError> {
        if scm.pid <= 0 {
            return Err(PeerError::NoCredentials);
        }
        // Same process (pid and real ids), still pinned, with the ids (or, on
        // older kernels, the effective capability set) its `/proc` status was
        // read with; and the last call's deferred confirmation, if it was asked,
        // found nothing changed. Any change reads everything again.
        let reuse = matches!(&self.sender, Some(p) if p.key == scm
            && matches!(p.creds.identity_check.answer(), None | Some(Confirmed::Same))
            && (defer || p.unchanged()));
        if !reuse {
            self.sender = None;
            self.sender = Some(pin(scm)?);
        }
        let p = self.sender.as_mut().ok_or(PeerError::Gone(scm.pid))?;
        // A new request: the capability is asked afresh if it is needed, and
        // the identity confirmed afresh (or now).
        p.creds.cap_check.reset();
        p.creds.identity_check =
            if defer && reuse { DeferredIdentity::new(p.proc.clone()) } else { DeferredIdentity::default() };
        Ok(&p.creds)
    }
}

/// Pin the sender `scm` names and read its credentials (a new sender, or one
/// whose identity changed): a pidfd, its effective capability set, an `O_PATH`
/// open of its `/proc/<pid>/ns` and a `/proc/<pid>/status` read, whose ids must
/// match what the kernel stamped.
fn pin(scm: ScmCreds) -> Result<Pinned, PeerError> {
    let pidfd = pidfd_open(scm.pid).map_err(|err| match err {
        nix::Error::ESRCH => PeerError::Gone(scm.pid),
        err => PeerError::Pidfd { pid: scm.pid, err },
    })?;
    // Before the `/proc` read, whose closing liveness check covers it.
    let caps = capget_effective(scm.pid).ok_or(PeerError::Gone(scm.pid))?;
    let ns_dir = open_ns_dir(scm.pid);
    let (mut creds, ids) = read_creds(&pidfd, scm.pid, Field::Real, scm.uid, scm.gid)?;
    let proc = Arc::new(Proc { key: scm, pidfd, ns_dir, ids, caps });
    // Not learnt now: asked when a request needs it.
    creds.cap_sys_rawio = false;
    creds.cap_check = DeferredCap::new(proc.clone());
    Ok(Pinned { key: scm, proc, ids, caps, creds })
}

/// Whether the process `pidfd` pins is still the sender `key` (its pid not
/// reused) with the ids (`ids`) its credentials were read with: what
/// `PIDFD_GET_INFO` said (`info`), or on kernels without it, an unchanged
/// effective capability set (`caps`) and a liveness check.
fn unchanged_by(key: ScmCreds, ids: &[u32; 8], caps: u64, pidfd: &OwnedFd, info: PidfdIds) -> bool {
    match info {
        PidfdIds::Ids { tgid, ids: now } => tgid == key.pid && now == *ids,
        PidfdIds::Gone => false,
        // Checked last: alive now means the capget answer was about the
        // pinned process, not a process that reused its pid.
        PidfdIds::Unsupported => capget_effective(key.pid) == Some(caps) && pidfd_alive(pidfd),
    }
}

impl Pinned {
    /// Whether the pinned process still exists (so its pid is not reused) with
    /// the ids its credentials were read with: one `PIDFD_GET_INFO`, or on
    /// kernels without it, an unchanged effective capability set and a
    /// liveness check.
    fn unchanged(&self) -> bool {
        self.unchanged_by(pidfd_ids(&self.proc.pidfd))
    }

    /// [`Pinned::unchanged`], given what `PIDFD_GET_INFO` said.
    fn unchanged_by(&self, info: PidfdIds) -> bool {
        unchanged_by(self.key, &self.ids, self.caps, &self.proc.pidfd, info)
    }
}

impl CapCheck for Proc {
    /// `CAP_SYS_RAWIO` as `capable()` judges it: in the effective set and in the
    /// daemon's user namespace, both answers about the pinned process — or, if
    /// it was reaped since (its pid may now be another process's, which sent
    /// this request), about the process that holds the pid now, pinned afresh.
    fn cap_sys_rawio(&self) -> bool {
        self.rawio_while_pinned().or_else(|| pin(self.key).ok()?.proc.rawio_while_pinned()).unwrap_or(false)
    }
}

impl IdentityCheck for Proc {
    /// One `PIDFD_GET_INFO`: the same process with the same ids, or the
    /// sender's credentials read afresh (`Unknown` when it is gone).
    fn confirm(&self) -> Confirmed {
        if unchanged_by(self.key, &self.ids, self.caps, &self.pidfd, pidfd_ids(&self.pidfd)) {
            return Confirmed::Same;
        }
        match pin(self.key) {
            Ok(p) => Confirmed::Changed(Box::new(p.creds)),
            Err(_) => Confirmed::Unknown,
        }
    }
}

impl Proc {
    /// `CAP_SYS_RAWIO` of the pinned process, `None` when it was reaped. The
    /// liveness check comes last, so both answers are about the pinned process.
    fn rawio_while_pinned(&self) -> Option<bool> {
        let held = capget_effective(self.key.pid).is_some_and(has_rawio) && self.in_our_user_ns();
        pidfd_alive(&self.pidfd).then_some(held)
    }

    /// Whether the pinned process is in the daemon's user namespace now, through
    /// its `/proc/<pid>/ns` directory opened when it was pinned (one short
    /// `fstatat`, no path walk through `/proc`). `false` when it cannot be told.
    fn in_our_user_ns(&self) -> bool {
        let Some(dir) = &self.ns_dir else { return false };
        let ours = our_user_ns();
        ours.is_some()
            && nix::sys::stat::fstatat(dir, "user", nix::fcntl::AtFlags::empty())
                .is_ok_and(|st| Some((st.st_dev, st.st_ino)) == ours)
    }
}

/// `/proc/<pid>/ns`, opened `O_PATH`. The directory belongs to that process: once
/// it is reaped, lookups in it fail (closed), even if the pid is reused.
fn open_ns_dir(pid: i32) -> Option<OwnedFd> {
    use nix::fcntl::{OFlag, open};
    use nix::sys::stat::Mode;
    open(
        format!("/proc/{pid}/ns").as_str(),
        OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .ok()
}

/// Read the credentials of the process `pid` pinned by `pidfd`, requiring the
/// `field` ids of its `Uid:`/`Gid:` lines to be `uid`/`gid` (what the kernel
/// reported). The result carries the *effective* uid and gid (what the kernel
/// checks) and `CAP_SYS_RAWIO` only when it is effective in our user namespace.
fn read_creds(
    pidfd: &OwnedFd,
    pid: i32,
    field: Field,
    uid: u32,
    gid: u32,
) -> Result<(Credentials, [u32; 8]), PeerError> {
    if !pidfd_alive(pidfd) {
        return Err(PeerError::Gone(pid));
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|_| PeerError::Gone(pid))?;
    let same_ns = in_our_user_ns(pid);
    // The pid cannot be reused while the pidfd's process lives: if it is still
    // alive now, what we read is its own.
    if !pidfd_alive(pidfd) {
        return Err(PeerError::Gone(pid));
    }
    let mut c = Credentials::from_proc_status(&status);
    let (Some(uids), Some(gids)) = (status_ids(&status, "Uid"), status_ids(&status, "Gid")) else {
        return Err(PeerError::Mismatch(pid));
    };
    if c.pid != pid || uids[field as usize] != uid || gids[field as usize] != gid {
        return Err(PeerError::Mismatch(pid));
    }
    c.uid = uids[Field::Effective as usize];
    c.gid = gids[Field::Effective as usize];
    c.cap_sys_rawio = c.cap_sys_rawio && same_ns;
    let mut ids = [0; 8];
    ids[..4].copy_from_slice(&uids);
    ids[4..].copy_from_slice(&gids);
    Ok((c, ids))
}

/// `(st_dev, st_ino)` of a user namespace file.
fn ns_id(path: &str) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Whether process `pid` is in the daemon's own user namespace. `false` when it
/// cannot be told (fail closed: no capability).
fn in_our_user_ns(pid: i32) -> bool {
    let ours = our_user_ns();
    ours.is_some() && ours == ns_id(&format!("/proc/{pid}/ns/user"))
}

/// `(st_dev, st_ino)` of the daemon's own user namespace, read once.
///
/// The namespace file stays open for the daemon's life: while a descriptor holds
/// it, the kernel keeps its nsfs dentry, so resolving another process's
/// `ns/user` link to it reuses that dentry instead of allocating a dentry and an
/// inode on every check.
fn our_user_ns() -> Option<(u64, u64)> {
    static OURS: OnceLock<Option<(std::fs::File, (u64, u64))>> = OnceLock::new();
    OURS.get_or_init(|| {
        let f = std::fs::File::open("/proc/self/ns/user").ok()?;
        let m = f.metadata().ok()?;
        Some((f, (m.dev(), m.ino())))
    })
    .as_ref()
    .map(|(_, id)| *id)
}

fn has_rawio(caps: u64) -> bool {
    caps & (1 << CAP_SYS_RAWIO) != 0
}

/// `struct pidfd_info` as first published (`PIDFD_INFO_SIZE_VER0`, 64 bytes;
/// `include/uapi/linux/pidfd.h`).
#[repr(C)]
#[derive(Default)]
struct PidfdInfo {
    mask: u64,
    cgroupid: u64,
    pid: u32,
    tgid: u32,
    ppid: u32,
    /// ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid, in this order.
    ids: [u32; 8],
    exit_code: i32,
}

const PIDFD_INFO_PID: u64 = 1 << 0;
const PIDFD_INFO_CREDS: u64 = 1 << 1;

nix::ioctl_readwrite!(
    /// `PIDFD_GET_INFO`: `_IOWR(PIDFS_IOCTL_MAGIC, 11, struct pidfd_info)`.
    pidfd_get_info,
    0xFF,
    11,
    PidfdInfo
);

/// What `PIDFD_GET_INFO` said about a pinned process.
#[derive(Debug, PartialEq, Eq)]
enum PidfdIds {
    /// It exists; its thread-group id and its uids then gids (real, effective,
    /// saved, fs), in the daemon's user namespace.
    Ids { tgid: i32, ids: [u32; 8] },
    /// It was reaped (its pid may be reused).
    Gone,
    /// This kernel has no `PIDFD_GET_INFO` (before Linux 6.13).
    Unsupported,
}

/// `ioctl(pidfd, PIDFD_GET_INFO)`: the ids of the pinned process from its
/// `struct cred`, or `Gone` once it is reaped (`fs/pidfs.c`: `ESRCH` when
/// `get_pid_task` finds no task). One system call for identity and liveness.
fn pidfd_ids(fd: &OwnedFd) -> PidfdIds {
    /// 0: not tried yet, 1: works, 2: not supported by this kernel.
    static SUPPORT: AtomicU8 = AtomicU8::new(0);
    if SUPPORT.load(Ordering::Relaxed) == 2 {
        return PidfdIds::Unsupported;
    }
    let mut info = PidfdInfo { mask: PIDFD_INFO_PID | PIDFD_INFO_CREDS, ..PidfdInfo::default() };
    // SAFETY: the kernel reads `mask` and writes at most the size encoded in the
    // request (64 bytes, the size of `PidfdInfo`), into a struct on this stack
    // frame that outlives the call.
    match unsafe { pidfd_get_info(fd.as_raw_fd(), &mut info) } {
        Ok(_) if info.mask & (PIDFD_INFO_PID | PIDFD_INFO_CREDS) == PIDFD_INFO_PID | PIDFD_INFO_CREDS => {
            SUPPORT.store(1, Ordering::Relaxed);
            match i32::try_from(info.tgid) {
                Ok(tgid) => PidfdIds::Ids { tgid, ids: info.ids },
                Err(_) => PidfdIds::Gone,
            }
        }
        Err(nix::Error::ESRCH) => PidfdIds::Gone,
        // Unknown ioctl (ENOTTY, EINVAL) or fields missing: use the fallback
        // from now on, unless it worked before (then this one failure only).
        _ => {
            let _ = SUPPORT.compare_exchange(0, 2, Ordering::Relaxed, Ordering::Relaxed);
            PidfdIds::Unsupported
        }
    }
}

/// Whether the process a pidfd pins has not been reaped (so its pid is not
/// reused): `pidfd_send_signal(fd, 0)`.
fn pidfd_alive(fd: &OwnedFd) -> bool {
    // SAFETY: signal 0 only checks for existence; the info pointer is NULL, which
    // the call accepts; no memory is passed.
    let r = unsafe {
        nix::libc::syscall(
            nix::libc::SYS_pidfd_send_signal,
            fd.as_fd().as_raw_fd(),
            0,
            std::ptr::null::<u8>(),
            0,
        )
    };
    match (r, nix::Error::last()) {
        (0, _) => true,
        // It exists but we may not signal it (the daemon is normally root).
        (_, nix::Error::EPERM) => true,
        // No such system call where one would be (an emulator such as
        // valgrind, a sandbox): a pidfd turns readable when its process exits
        // (stricter than "not reaped", so it fails closed).
        (_, nix::Error::ENOSYS) => {
            use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
            let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
            poll(&mut fds, PollTimeout::ZERO) == Ok(0)
        }
        _ => false,
    }
}

/// `pidfd_open(2)` (Linux ≥ 5.3); nix has no wrapper.
fn pidfd_open(pid: i32) -> Result<OwnedFd, nix::Error> {
    // SAFETY: pidfd_open takes a pid and a flags word and returns a new fd or -1;
    // no memory is passed.
    let ret = unsafe { nix::libc::syscall(nix::libc::SYS_pidfd_open, pid, 0) };
    if ret < 0 {
        return Err(nix::Error::last());
    }
    let fd = i32::try_from(ret).map_err(|_| nix::Error::EBADF)?;
    // SAFETY: the kernel just returned this fd to us; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> ScmCreds {
        ScmCreds {
            pid: std::process::id() as i32,
            uid: nix::unistd::getuid().as_raw(),
            gid: nix::unistd::getgid().as_raw(),
        }
    }

    #[test]
    fn a_socketpair_peer_is_this_process() {
        let (a, _b) = UnixStream::pair().unwrap();
        let p = Peer::identify(&a).unwrap();
        let me = Credentials::current();
        assert_eq!((p.creds.uid, p.creds.gid, p.creds.pid), (me.uid, me.gid, me.pid));
        assert_eq!(p.creds.cap_sys_rawio, me.cap_sys_rawio);
        assert!(p.alive());
    }

    #[test]
    fn pidfd_open_pins_and_reports_exit() {
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let pid = child.id() as i32;
        let fd = pidfd_open(pid).unwrap();
        assert!(pidfd_alive(&fd));
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!pidfd_alive(&fd), "a reaped process is no longer alive through its pidfd");
    }

    #[test]
    fn the_capability_of_a_reaped_sender_is_asked_of_whoever_holds_its_pid_now() {
        // This process, pinned: answered about it, as capget says.
        let me_pinned = pin(me()).unwrap();
        let mine = capget_effective(me().pid).is_some_and(has_rawio) && in_our_user_ns(me().pid);
        assert_eq!(me_pinned.proc.rawio_while_pinned(), Some(mine));
        // A sender that was reaped: no answer about the pinned process, and
        // its pid, now held by nobody, cannot be pinned afresh: no capability.
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let key = ScmCreds { pid: child.id() as i32, ..me() };
        let gone = pin(key).unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(gone.proc.rawio_while_pinned(), None);
        assert!(!gone.proc.cap_sys_rawio());
    }

    #[test]
    fn uid_lines_are_split_into_real_effective_saved_fs() {
        let s = "Uid:\t1000\t0\t0\t0\nGid:\t5\t6\t7\t8\n";
        assert_eq!(status_ids(s, "Uid"), Some([1000, 0, 0, 0]));
        assert_eq!(status_ids(s, "Gid"), Some([5, 6, 7, 8]));
        assert_eq!(status_ids("Uid:\t1\t2\n", "Uid"), None, "a short line is no identity");
    }

    #[test]
    fn the_sender_is_this_process_and_its_capability_matches_capget() {
        let (a, _b) = UnixStream::pair().unwrap();
        let mut p = Peer::identify(&a).unwrap();
        let c = p.sender(me(), false).unwrap().clone();
        assert_eq!(c.pid, me().pid);
        assert!(!c.cap_check.asked(), "the capability is not asked until needed");
        let caps = capget_effective(me().pid).unwrap();
        assert_eq!(c.has_cap_sys_rawio(), has_rawio(caps));
        // Second call: the cached sender, same answer.
        assert_eq!(p.sender(me(), false).unwrap(), &c);
    }

    #[test]
    fn pidfd_get_info_gives_this_process_ids_and_reports_a_reaped_one_gone() {
        let fd = pidfd_open(me().pid).unwrap();
        match pidfd_ids(&fd) {
            PidfdIds::Ids { tgid, ids } => {
                let status = std::fs::read_to_string("/proc/self/status").unwrap();
                assert_eq!(tgid, me().pid);
                assert_eq!(ids[..4], status_ids(&status, "Uid").unwrap());
                assert_eq!(ids[4..], status_ids(&status, "Gid").unwrap());
            }
            // Kernels before 6.13: the fallback is used (tested below).
            other => assert_eq!(other, PidfdIds::Unsupported),
        }
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let fd = pidfd_open(child.id() as i32).unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(matches!(pidfd_ids(&fd), PidfdIds::Gone | PidfdIds::Unsupported));
    }

    #[test]
    fn a_sender_whose_ids_changed_is_read_again() {
        let (a, _b) = UnixStream::pair().unwrap();
        let mut p = Peer::identify(&a).unwrap();
        let real = p.sender(me(), false).unwrap().clone();
        let ids = p.sender.as_ref().unwrap().ids;
        // Pretend the cached identity was read while the process had another
        // effective uid (before a setuid exec or a seteuid drop): the next
        // request must not be judged by it.
        let pinned = p.sender.as_mut().unwrap();
        pinned.ids[1] = pinned.ids[1].wrapping_add(7);
        pinned.creds.uid = real.uid.wrapping_add(7);
        assert!(!pinned.unchanged_by(PidfdIds::Ids { tgid: me().pid, ids }));
        assert!(!pinned.unchanged_by(PidfdIds::Gone), "a reaped sender is never reused");
        if pidfd_ids(&pinned.proc.pidfd) != PidfdIds::Unsupported {
            assert_eq!(p.sender(me(), false).unwrap(), &real);
            assert_eq!(p.sender.as_ref().unwrap().ids, ids);
        }
        let pinned = p.sender.as_ref().unwrap();
        assert!(pinned.unchanged_by(PidfdIds::Ids { tgid: me().pid, ids }));
        assert!(!pinned.unchanged_by(PidfdIds::Ids { tgid: me().pid + 1, ids }), "another process");
    }

    #[test]
    fn without_pidfd_get_info_a_changed_capability_set_reads_again() {
        let (a, _b) = UnixStream::pair().unwrap();
        let mut p = Peer::identify(&a).unwrap();
        p.sender(me(), false).unwrap();
        let pinned = p.sender.as_mut().unwrap();
        assert!(pinned.unchanged_by(PidfdIds::Unsupported));
        // Pretend the capability set was another when the status was read.
        pinned.caps ^= 1 << 3;
        assert!(!pinned.unchanged_by(PidfdIds::Unsupported));
    }

    #[test]
    fn the_user_namespace_check_through_the_ns_directory_agrees_with_proc() {
        let (a, _b) = UnixStream::pair().unwrap();
        let mut p = Peer::identify(&a).unwrap();
        p.sender(me(), false).unwrap();
        let pinned = &p.sender.as_ref().unwrap().proc;
        assert!(pinned.in_our_user_ns());
        assert_eq!(pinned.in_our_user_ns(), in_our_user_ns(me().pid));
        let gone =
            Proc { key: me(), pidfd: pidfd_open(me().pid).unwrap(), ns_dir: None, ids: [0; 8], caps: 0 };
        assert!(!gone.in_our_user_ns(), "unknown is not ours (fail closed)");
        assert!(!gone.cap_sys_rawio(), "nor does it hold the capability");
    }

    #[test]
    fn a_deferred_sender_is_confirmed_only_when_asked_and_a_change_is_read_again() {
        let (a, _b) = UnixStream::pair().unwrap();
        let mut p = Peer::identify(&a).unwrap();
        // A new sender is read now, deferred or not: nothing left to confirm.
        let real = p.sender(me(), true).unwrap().clone();
        assert!(!real.identity_check.pending());
        if pidfd_ids(&p.sender.as_ref().unwrap().proc.pidfd) == PidfdIds::Unsupported {
            return;
        }
        // Seen before, deferred: the fields are the cached ones, unconfirmed.
        let c = p.sender(me(), true).unwrap();
        assert!(c.identity_check.pending() && c.identity_check.answer().is_none());
        assert_eq!(c.confirmed().unwrap(), &real);
        assert_eq!(c.identity_check.answer(), Some(&Confirmed::Same));
        // Not deferred: confirmed now, nothing pending.
        assert!(!p.sender(me(), false).unwrap().identity_check.pending());
        // Pretend the cached identity is stale (read before a seteuid drop):
        // deferred, the stale fields are what the call holds until it asks;
        // asking gives the caller's credentials now, and the next request
        // pins the sender afresh.
        let pinned = p.sender.as_mut().unwrap();
        let mut stale =
            Proc { key: me(), pidfd: pidfd_open(me().pid).unwrap(), ns_dir: None, ids: pinned.ids, caps: 0 };
        stale.ids[1] = stale.ids[1].wrapping_add(7);
        pinned.proc = Arc::new(stale);
        pinned.creds.uid = real.uid.wrapping_add(7);
        let c = p.sender(me(), true).unwrap();
        assert_eq!(c.uid, real.uid.wrapping_add(7), "unconfirmed: the cached fields");
        assert_eq!(c.confirmed().unwrap(), &real, "confirmed: the caller as it is now");
        assert!(matches!(c.identity_check.answer(), Some(Confirmed::Changed(_))));
        let again = p.sender(me(), true).unwrap();
        assert_eq!(again, &real, "a change found by the last call reads the sender again");
        assert!(!again.identity_check.pending());
    }

    #[test]
    fn a_sender_without_credentials_or_with_wrong_ids_is_refused() {
        let (a, _b) = UnixStream::pair().unwrap();
        let mut p = Peer::identify(&a).unwrap();
        assert!(matches!(
            p.sender(ScmCreds { pid: 0, uid: 0, gid: 0 }, false),
            Err(PeerError::NoCredentials)
        ));
        let wrong = ScmCreds { uid: me().uid.wrapping_add(1), ..me() };
        assert!(matches!(p.sender(wrong, false), Err(PeerError::Mismatch(_))));
    }

    #[test]
    fn this_process_is_in_its_own_user_namespace() {
        assert!(in_our_user_ns(std::process::id() as i32));
        assert!(!in_our_user_ns(i32::MAX), "an unknown process is not (fail closed)");
    }
}
