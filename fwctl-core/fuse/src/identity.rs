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
//! the caller itself. **Checked:** the status must list the header's uid and gid
//! (among real/effective/saved/fs), and a capability held in a user namespace
//! other than the daemon's does not count (`capable()` checks the initial user
//! namespace, and `CapEff` in `/proc` is relative to the task's own namespace).

use fwctl_subsys::creds::Credentials;
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
    if !ids_contain(&status, "Uid", uid) || !ids_contain(&status, "Gid", gid) {
        return Err(Errno::EACCES);
    }
    let mut c = Credentials::from_proc_status(&status);
    c.uid = uid;
    c.gid = gid;
    c.pid = tid;
    if c.cap_sys_rawio && !same_user_namespace(tid) {
        c.cap_sys_rawio = false;
    }
    Ok(c)
}

/// Whether the `Uid:`/`Gid:` line (real, effective, saved, fs) contains `id`.
fn ids_contain(status: &str, key: &str, id: u32) -> bool {
    status.lines().any(|l| {
        l.split_once(':').is_some_and(|(k, v)| k == key && v.split_whitespace().any(|x| x.parse() == Ok(id)))
    })
}

/// Whether thread `tid` lives in the daemon's user namespace. Unknown is "no".
fn same_user_namespace(tid: i32) -> bool {
    let theirs = std::fs::read_link(format!("/proc/{tid}/ns/user"));
    let ours = std::fs::read_link("/proc/self/ns/user");
    matches!((theirs, ours), (Ok(a), Ok(b)) if a == b)
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
    fn a_header_that_disagrees_with_proc_is_refused() {
        let me = Credentials::current();
        let other = me.uid.wrapping_add(12345);
        assert_eq!(request_credentials(other, me.gid, me.pid as u32), Err(Errno::EACCES));
        assert_eq!(request_credentials(me.uid, me.gid, 0), Err(Errno::EACCES));
        assert_eq!(request_credentials(me.uid, me.gid, u32::MAX), Err(Errno::EACCES));
    }
}
