//! Who is on the other end of a socket, as the operating system says.
//!
//! uid, gid and pid come from `SO_PEERCRED`; supplementary groups, the command name
//! and `CAP_SYS_RAWIO` from `/proc/<pid>/status`. A pid alone can be recycled
//! between `connect` and our read of `/proc`, so the process is pinned with a pidfd
//! (`SO_PEERPIDFD`, Linux ≥ 6.5, else `pidfd_open`): `/proc/<pid>/status` is only
//! trusted if the pidfd still names a live process with that pid after the read,
//! and its uid and gid agree with `SO_PEERCRED`.
#![allow(unsafe_code)]

use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;

use nix::sys::socket::{getsockopt, sockopt};
use thiserror::Error;

use fwctl_subsys::creds::Credentials;

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
    /// `/proc/<pid>/status` disagrees with `SO_PEERCRED`.
    #[error("peer process {0}: /proc status does not match the socket credentials")]
    Mismatch(i32),
}

/// A connected peer: its credentials and the pidfd that pins its process.
#[derive(Debug)]
pub struct Peer {
    /// The credentials checked on every call.
    pub creds: Credentials,
    pidfd: OwnedFd,
}

impl Peer {
    /// Identify the peer of `stream`.
    pub fn identify(stream: &UnixStream) -> Result<Peer, PeerError> {
        let cred = getsockopt(stream, sockopt::PeerCredentials).map_err(PeerError::PeerCred)?;
        let pid = cred.pid();
        let pidfd = match getsockopt(stream, sockopt::PeerPidfd) {
            Ok(fd) => fd,
            Err(_) => pidfd_open(pid).map_err(|err| PeerError::Pidfd { pid, err })?,
        };
        let mut peer = Peer { creds: Credentials::default(), pidfd };
        peer.creds = peer.read_creds(cred.uid(), cred.gid(), pid)?;
        Ok(peer)
    }

    /// Re-read the parts of the identity that can change while connected (the
    /// capability sets and groups), as the kernel checks `capable()` per call.
    pub fn refresh(&mut self) -> Result<(), PeerError> {
        let c = &self.creds;
        self.creds = self.read_creds(c.uid, c.gid, c.pid)?;
        Ok(())
    }

    /// Whether the peer process still exists.
    pub fn alive(&self) -> bool {
        pidfd_pid(&self.pidfd) == Some(self.creds.pid)
    }

    fn read_creds(&self, uid: u32, gid: u32, pid: i32) -> Result<Credentials, PeerError> {
        if pidfd_pid(&self.pidfd) != Some(pid) {
            return Err(PeerError::Gone(pid));
        }
        let status =
            std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|_| PeerError::Gone(pid))?;
        // The pid cannot be reused while the pidfd's process lives: if it is still
        // alive now, the status we read is its own.
        if pidfd_pid(&self.pidfd) != Some(pid) {
            return Err(PeerError::Gone(pid));
        }
        let mut c = Credentials::from_proc_status(&status);
        if c.pid != pid || !proc_ids_contain(&status, "Uid", uid) || !proc_ids_contain(&status, "Gid", gid) {
            return Err(PeerError::Mismatch(pid));
        }
        c.uid = uid;
        c.gid = gid;
        Ok(c)
    }
}

/// Whether the `Uid:`/`Gid:` line (real, effective, saved, fs) contains `id`.
/// SO_PEERCRED reports the effective ids at connect time.
fn proc_ids_contain(status: &str, key: &str, id: u32) -> bool {
    status.lines().any(|l| {
        l.split_once(':').is_some_and(|(k, v)| k == key && v.split_whitespace().any(|x| x.parse() == Ok(id)))
    })
}

/// The pid a pidfd refers to, from `/proc/self/fdinfo` (`Pid: -1` once it exited).
fn pidfd_pid(fd: &OwnedFd) -> Option<i32> {
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", fd.as_fd().as_raw_fd())).ok()?;
    let pid = info.lines().find_map(|l| l.strip_prefix("Pid:"))?.trim().parse::<i32>().ok()?;
    (pid > 0).then_some(pid)
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
        assert_eq!(pidfd_pid(&fd), Some(pid));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(pidfd_pid(&fd), None, "an exited process no longer matches its pid");
    }

    #[test]
    fn uid_lines_are_matched_by_field() {
        let s = "Uid:\t1000\t1000\t1000\t1000\nGid:\t5\t5\t5\t5\n";
        assert!(proc_ids_contain(s, "Uid", 1000));
        assert!(!proc_ids_contain(s, "Uid", 100));
        assert!(proc_ids_contain(s, "Gid", 5));
    }
}
