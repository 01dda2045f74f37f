//! Who is calling, for one FUSE request.
//!
//! The kernel puts the calling thread's ids in every request header: `uid` and
//! `gid` are its filesystem ids mapped into the mount's user namespace (a
//! caller whose ids do not map is refused by the kernel before we see it), and
//! `pid` is the calling *thread's* id in the daemon's pid namespace (0 when the
//! caller's pid is not visible there). The rest of the identity the kernel's
//! fwctl checks — supplementary groups and `CAP_SYS_RAWIO` in the effective set,
//! per call as `capable()` is — comes from `/proc/<tid>/status`.
//!
//! **Pinned:** the thread cannot exit, and its id cannot be reused, while the
//! request is being served: once the FUSE server has read a request, the kernel
//! waits for its answer uninterruptibly (`request_wait_answer`, fatal signals
//! included). So what `/proc/<tid>/status` and `process_vm_readv(<tid>)` name is
//! the caller itself. **Checked:** the status's filesystem uid and gid must be
//! the header's; the policy then judges the effective ids (as for sockets), and
//! a capability held in a user namespace other than the daemon's does not count (`capable()` checks the initial user
//! namespace, and `CapEff` in `/proc` is relative to the task's own namespace).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use fwctl_os::process::{capget_effective, status_ids};
use fwctl_subsys::creds::{CAP_SYS_RAWIO, CapCheck, Credentials, DeferredCap};
use fwctl_uapi::errno::Errno;

/// The credentials of the thread that issued a request with header ids
/// `uid`, `gid`, `pid`.
///
/// `EACCES` when the caller cannot be identified: pid 0 (a pid namespace the
/// daemon cannot see, so its memory could not be addressed either), a status
/// that does not exist or disagrees with the header.
pub fn request_credentials(uid: u32, gid: u32, pid: u32) -> Result<Credentials, Errno> {
    let tid = i32::try_from(pid).map_err(|_| Errno::EACCES)?;
    if tid <= 0 {
        return Err(Errno::EACCES);
    }
    let status = std::fs::read_to_string(format!("/proc/{tid}/status")).map_err(|_| Errno::EACCES)?;
    // The header carries the filesystem ids (4th column); the policy judges the
    // effective ones (2nd column), as the socket path does.
    let (Some(uids), Some(gids)) = (status_ids(&status, "Uid"), status_ids(&status, "Gid")) else {
        return Err(Errno::EACCES);
    };
    if uids[3] != uid || gids[3] != gid {
        return Err(Errno::EACCES);
    }
    let mut c = Credentials::from_proc_status(&status);
    c.uid = uids[1];
    c.gid = gids[1];
    c.pid = tid;
    if c.cap_sys_rawio && !same_user_namespace(tid) {
        c.cap_sys_rawio = false;
    }
    Ok(c)
}

/// Per-thread identity for the ioctl path: the supplementary groups and command
/// name read once per (thread, uid, gid) from `/proc/<tid>/status` (at open, or
/// at a thread's first ioctl), and `CAP_SYS_RAWIO` a deferred question
/// ([`DeferredCap`]) asked of the calling thread at most once per call and only
/// when something needs it (`FWCTL_RPC_DEBUG_WRITE_FULL`, or a policy rule that
/// names the capability): `capget(2)` and the user-namespace check, as the
/// kernel's `capable()` judges it per call. Reading `/proc/<tid>/status` costs
/// tens of microseconds (it reports the whole memory map's statistics).
///
/// The uid and gid always come from the request header (the kernel's), so a
/// setuid transition is seen at once; a change of supplementary groups by a
/// thread that already made calls is seen at its next open. Bounded: the cache
/// is emptied when it reaches [`IdentityCache::CAPACITY`] threads.
#[derive(Debug, Default)]
pub struct IdentityCache {
    threads: Mutex<HashMap<(i32, u32, u32), Credentials>>,
    /// Bumped by every [`IdentityCache::refresh`]: a [`LastCaller`] copy made
    /// before it is stale.
    generation: AtomicU64,
}

/// A server thread's copy of the identity of the caller it served last, for
/// [`IdentityCache::credentials_for`]: a thread serving the same caller again
/// (the common case: one program's calls in a row) reuses it as it is.
#[derive(Debug, Default)]
pub struct LastCaller {
    key: (i32, u32, u32),
    generation: u64,
    creds: Option<Credentials>,
}

impl IdentityCache {
    /// Most threads remembered at once.
    pub const CAPACITY: usize = 4096;

    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The full identity (as [`request_credentials`]), remembered for later calls.
    pub fn refresh(&self, uid: u32, gid: u32, pid: u32) -> Result<Credentials, Errno> {
        let c = request_credentials(uid, gid, pid)?;
        let mut t = self.threads.lock().unwrap_or_else(PoisonError::into_inner);
        if t.len() >= Self::CAPACITY {
            t.clear();
        }
        t.insert((c.pid, uid, gid), c.clone());
        self.generation.fetch_add(1, Ordering::Release);
        Ok(c)
    }

    /// [`IdentityCache::credentials`], through `last`: when the call comes from
    /// the caller `last` holds (same thread and ids, nothing refreshed since),
    /// its copy serves, with the capability question reset for this call;
    /// otherwise `last` takes a new copy.
    pub fn credentials_for<'a>(
        &self,
        last: &'a mut LastCaller,
        uid: u32,
        gid: u32,
        pid: u32,
    ) -> Result<&'a Credentials, Errno> {
        let tid = i32::try_from(pid).map_err(|_| Errno::EACCES)?;
        let key = (tid, uid, gid);
        let generation = self.generation.load(Ordering::Acquire);
        match last.creds.as_mut() {
            Some(c) if last.key == key && last.generation == generation => {
                // Known now only through the per-call question.
                if c.cap_sys_rawio {
                    c.cap_sys_rawio = false;
                    c.cap_check = DeferredCap::new(Arc::new(ThreadCap(tid)));
                }
                c.cap_check.reset();
            }
            _ => {
                // Read the generation first: a refresh after it makes this copy
                // stale at the next call, never wrongly fresh.
                let mut c = self.credentials(uid, gid, pid)?;
                if !c.cap_sys_rawio {
                    // The copy asks the capability per call, whichever way it
                    // was read (a first sighting reads it from /proc once).
                    c.cap_check = DeferredCap::new(Arc::new(ThreadCap(tid)));
                }
                *last = LastCaller { key, generation, creds: Some(c) };
            }
        }
        last.creds.as_ref().ok_or(Errno::EACCES)
    }

    /// The identity of a call: remembered groups, the capability asked of the
    /// calling thread if and when the call needs it.
    pub fn credentials(&self, uid: u32, gid: u32, pid: u32) -> Result<Credentials, Errno> {
        let tid = i32::try_from(pid).map_err(|_| Errno::EACCES)?;
        let known =
            self.threads.lock().unwrap_or_else(PoisonError::into_inner).get(&(tid, uid, gid)).cloned();
        let Some(mut c) = known else { return self.refresh(uid, gid, pid) };
        c.cap_sys_rawio = false;
        c.cap_check = DeferredCap::new(Arc::new(ThreadCap(tid)));
        Ok(c)
    }
}

/// `CAP_SYS_RAWIO` of the thread `tid` that issued the request being served
/// (pinned: it waits for the answer), as `capable()` judges it: in its
/// effective set, and in the daemon's user namespace. `false` when unknown.
#[derive(Debug)]
struct ThreadCap(i32);

impl CapCheck for ThreadCap {
    fn cap_sys_rawio(&self) -> bool {
        capget_effective(self.0).is_some_and(|caps| caps & (1 << CAP_SYS_RAWIO) != 0)
            && same_user_namespace(self.0)
    }
}

/// Whether thread `tid` lives in the daemon's user namespace. Unknown is "no".
///
/// The caller's namespace is read at every call (a single-threaded caller may
/// `unshare(CLONE_NEWUSER)` between two ioctls, keeping its tid); the daemon's
/// own is read once: it never changes its user namespace.
fn same_user_namespace(tid: i32) -> bool {
    static OURS: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    let Some(ours) = OURS.get_or_init(|| std::fs::read_link("/proc/self/ns/user").ok()) else { return false };
    std::fs::read_link(format!("/proc/{tid}/ns/user")).is_ok_and(|theirs| &theirs == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_thread_is_identified_with_its_capability() {
        let me = Credentials::current();
        let c = request_credentials(me.uid, me.gid, me.pid as u32).unwrap();
        assert_eq!((c.uid, c.gid, c.pid), (me.uid, me.gid, me.pid));
        assert_eq!(c.cap_sys_rawio, me.cap_sys_rawio);
    }

    #[test]
    fn the_cache_asks_the_capability_per_call_and_only_when_needed() {
        let me = Credentials::current();
        let cache = IdentityCache::new();
        let tid = nix::unistd::gettid().as_raw();
        let first = cache.credentials(me.uid, me.gid, tid as u32).unwrap();
        let again = cache.credentials(me.uid, me.gid, tid as u32).unwrap();
        assert!(!again.cap_sys_rawio && !again.cap_check.asked(), "a known thread: nothing asked yet");
        assert_eq!(again.has_cap_sys_rawio(), me.cap_sys_rawio);
        assert!(again.cap_check.asked());
        let third = cache.credentials(me.uid, me.gid, tid as u32).unwrap();
        assert!(!third.cap_check.asked(), "a new call asks again");
        assert_eq!(first, again);
        let caps = capget_effective(tid).unwrap();
        assert_eq!(caps & (1 << CAP_SYS_RAWIO) != 0, me.cap_sys_rawio);
        assert_eq!(capget_effective(-5), None);
    }

    #[test]
    fn a_thread_copy_serves_its_caller_until_a_refresh_and_asks_the_capability_per_call() {
        let me = Credentials::current();
        let cache = IdentityCache::new();
        let tid = nix::unistd::gettid().as_raw();
        let mut last = LastCaller::default();
        let first = cache.credentials_for(&mut last, me.uid, me.gid, tid as u32).unwrap();
        assert_eq!((first.uid, first.pid), (me.uid, tid));
        assert_eq!(first.has_cap_sys_rawio(), ThreadCap(tid).cap_sys_rawio());
        // A copy taken at a first sighting, reused as it is (no refresh since),
        // still asks the capability of the calling thread.
        last.generation = cache.generation.load(Ordering::Acquire);
        let reused = cache.credentials_for(&mut last, me.uid, me.gid, tid as u32).unwrap();
        assert!(!reused.cap_check.asked());
        assert_eq!(reused.has_cap_sys_rawio(), ThreadCap(tid).cap_sys_rawio());
        assert!(reused.cap_check.asked(), "the question exists and was asked");
        let second = cache.credentials_for(&mut last, me.uid, me.gid, tid as u32).unwrap();
        assert!(!second.cap_check.asked(), "nothing asked before it is needed");
        assert_eq!(second.has_cap_sys_rawio(), me.cap_sys_rawio);
        assert!(second.cap_check.asked());
        // The shared entry changes (as an open's re-read would) without a
        // refresh: the thread's copy still serves, its capability asked anew.
        cache.threads.lock().unwrap().get_mut(&(tid, me.uid, me.gid)).unwrap().comm = "changed".into();
        let again = cache.credentials_for(&mut last, me.uid, me.gid, tid as u32).unwrap();
        assert!(!again.cap_check.asked(), "a new call asks again");
        assert_ne!(again.comm, "changed");
        // After a refresh (any open), the copy is stale and is taken again.
        cache.generation.fetch_add(1, Ordering::Release);
        let fresh = cache.credentials_for(&mut last, me.uid, me.gid, tid as u32).unwrap();
        assert_eq!(fresh.comm, "changed");
        // Another caller (pid, or ids) replaces the copy.
        let other = cache.credentials_for(&mut last, me.uid, me.gid, me.pid as u32).unwrap();
        assert_eq!(other.pid, me.pid);
        assert_eq!(cache.credentials_for(&mut last, me.uid, me.gid, 0).err(), Some(Errno::EACCES));
    }

    #[test]
    fn a_header_that_disagrees_with_proc_is_refused() {
        let me = Credentials::current();
        let other = me.uid.wrapping_add(12345);
        assert_eq!(request_credentials(other, me.gid, me.pid as u32), Err(Errno::EACCES));
        assert_eq!(request_credentials(me.uid, me.gid, 0), Err(Errno::EACCES));
        assert_eq!(request_credentials(me.uid, me.gid, u32::MAX), Err(Errno::EACCES));
    }
}
