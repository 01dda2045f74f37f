//! The caller's credentials, which travel with every call as they do in the kernel
//! (`current_cred()`): the capability is checked per call, never cached at open.
//!
//! The capability may be known up front ([`Credentials::cap_sys_rawio`]) or be
//! a deferred question ([`CapCheck`]) that is asked at most once per call, and
//! only when something needs the answer: the kernel's `capable(CAP_SYS_RAWIO)`
//! for `FWCTL_RPC_DEBUG_WRITE_FULL`, or a policy rule that names
//! `cap_sys_rawio`. Every reader goes through [`Credentials::has_cap_sys_rawio`].
//!
//! The identity fields (ids, groups, command name) may likewise be *unconfirmed*
//! ([`IdentityCheck`]): filled from an earlier call of the same sender and not
//! re-checked for this one, because checking costs a system call. The
//! dispatcher confirms them ([`Credentials::confirmed`]) before anything reads
//! them: the policy (when its rules name callers), the audit log, the taint
//! record. With none of those, as in the kernel, who the caller is never
//! matters beyond the capability, which is asked afresh anyway.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// A deferred answer to "does the caller hold `CAP_SYS_RAWIO`, as the kernel's
/// `capable()` would judge it now?" (in fwctld: `capget` and a user-namespace
/// check of the pinned sender). It must answer `false` whenever it cannot tell.
pub trait CapCheck: Send + Sync {
    /// Ask the operating system.
    fn cap_sys_rawio(&self) -> bool;
}

/// A [`CapCheck`] and its answer for the current call, asked at most once.
/// The default has no check (the answer is `false`).
#[derive(Clone, Default)]
pub struct DeferredCap {
    check: Option<Arc<dyn CapCheck>>,
    answer: OnceLock<bool>,
}

impl DeferredCap {
    /// A capability to be asked of `check` when first needed.
    pub fn new(check: Arc<dyn CapCheck>) -> Self {
        DeferredCap { check: Some(check), answer: OnceLock::new() }
    }

    /// The answer, asking the check on first use.
    pub fn get(&self) -> bool {
        match &self.check {
            Some(c) => *self.answer.get_or_init(|| c.cap_sys_rawio()),
            None => false,
        }
    }

    /// Forget the answer: the next [`DeferredCap::get`] asks again (a new call).
    pub fn reset(&mut self) {
        self.answer = OnceLock::new();
    }

    /// Whether the check was asked since the last reset.
    pub fn asked(&self) -> bool {
        self.answer.get().is_some()
    }
}

impl fmt::Debug for DeferredCap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.check, self.answer.get()) {
            (None, _) => f.write_str("none"),
            (Some(_), None) => f.write_str("deferred"),
            (Some(_), Some(a)) => write!(f, "deferred({a})"),
        }
    }
}

/// A deferred confirmation that a caller's identity fields still describe it
/// (in fwctld: one `PIDFD_GET_INFO` on the pinned sender, and a new `/proc`
/// read when its ids changed or its pid was reused).
pub trait IdentityCheck: Send + Sync {
    /// Ask the operating system: [`Confirmed::Same`] when the fields are
    /// current, [`Confirmed::Changed`] with the caller's credentials now, or
    /// [`Confirmed::Unknown`] when it cannot be told (the caller is treated as
    /// nobody: refused).
    fn confirm(&self) -> Confirmed;
}

/// The answer of an [`IdentityCheck`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// The identity fields are the caller's.
    Same,
    /// The caller's identity changed (a setuid exec, `seteuid`, a reused pid):
    /// its credentials as they are now.
    Changed(Box<Credentials>),
    /// The caller cannot be identified any more.
    Unknown,
}

/// An [`IdentityCheck`] and its answer for the current call, asked at most
/// once. The default has no check: the fields are current.
#[derive(Clone, Default)]
pub struct DeferredIdentity {
    check: Option<Arc<dyn IdentityCheck>>,
    answer: OnceLock<Confirmed>,
}

impl DeferredIdentity {
    /// Identity fields to be confirmed by `check` when first needed.
    pub fn new(check: Arc<dyn IdentityCheck>) -> Self {
        DeferredIdentity { check: Some(check), answer: OnceLock::new() }
    }

    /// Forget the answer: the next confirmation asks again (a new call).
    pub fn reset(&mut self) {
        self.answer = OnceLock::new();
    }

    /// Whether the fields need confirming (a check is attached).
    pub fn pending(&self) -> bool {
        self.check.is_some()
    }

    /// The answer, if the check was asked since the last reset.
    pub fn answer(&self) -> Option<&Confirmed> {
        self.answer.get()
    }

    fn get(&self) -> &Confirmed {
        static SAME: Confirmed = Confirmed::Same;
        match &self.check {
            Some(c) => self.answer.get_or_init(|| c.confirm()),
            None => &SAME,
        }
    }
}

impl fmt::Debug for DeferredIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.check, self.answer.get()) {
            (None, _) => f.write_str("confirmed"),
            (Some(_), None) => f.write_str("deferred"),
            (Some(_), Some(a)) => write!(f, "deferred({a:?})"),
        }
    }
}

/// Who is calling. In the daemon these come from the operating system
/// (SO_PEERCRED and `/proc/<pid>/status`), never from the client.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    /// Real user id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Supplementary group ids.
    pub groups: Vec<u32>,
    /// Process id.
    pub pid: i32,
    /// Command name (`/proc/<pid>/comm`), for the taint warning and the audit log.
    pub comm: String,
    /// Whether the caller is known to hold `CAP_SYS_RAWIO` (in its effective
    /// set, in the judge's user namespace). `false` may still be answered `true`
    /// by [`Credentials::cap_check`]: read it through
    /// [`Credentials::has_cap_sys_rawio`].
    pub cap_sys_rawio: bool,
    /// The capability as a deferred question, for callers whose capability
    /// costs system calls to learn (fwctld's socket peers).
    pub cap_check: DeferredCap,
    /// Whether the fields above still need confirming for this call; read them
    /// through [`Credentials::confirmed`] wherever that may be so.
    pub identity_check: DeferredIdentity,
}

/// Equal when every field and the capability's answer are equal (comparing
/// asks a deferred check).
impl PartialEq for Credentials {
    fn eq(&self, o: &Self) -> bool {
        self.uid == o.uid
            && self.gid == o.gid
            && self.groups == o.groups
            && self.pid == o.pid
            && self.comm == o.comm
            && self.has_cap_sys_rawio() == o.has_cap_sys_rawio()
    }
}

impl Eq for Credentials {}

/// Bit number of `CAP_SYS_RAWIO` in the capability sets (`linux/capability.h`).
pub const CAP_SYS_RAWIO: u32 = 17;

impl Credentials {
    /// The credentials of the current process, read from the OS.
    #[cfg(feature = "os")]
    pub fn current() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let mut c = Self::from_proc_status(&status);
        c.uid = nix::unistd::getuid().as_raw();
        c.gid = nix::unistd::getgid().as_raw();
        c.pid = std::process::id() as i32;
        if c.comm.is_empty() {
            c.comm = std::fs::read_to_string("/proc/self/comm")
                .map(|s| s.trim_end().to_string())
                .unwrap_or_default();
        }
        c
    }

    /// Parse the fields of a `/proc/<pid>/status` text: `Name`, `Pid`, `Uid`, `Gid`,
    /// `Groups` and `CapEff`. Missing or malformed fields stay at their defaults
    /// (no capability, no groups): parsing never fails open.
    pub fn from_proc_status(text: &str) -> Self {
        let mut c = Credentials::default();
        for line in text.lines() {
            let Some((key, val)) = line.split_once(':') else { continue };
            let val = val.trim();
            match key {
                "Name" => c.comm = val.to_string(),
                "Pid" => c.pid = val.parse().unwrap_or(0),
                "Uid" => c.uid = first_u32(val).unwrap_or(u32::MAX),
                "Gid" => c.gid = first_u32(val).unwrap_or(u32::MAX),
                "Groups" => c.groups = val.split_whitespace().filter_map(|g| g.parse().ok()).collect(),
                "CapEff" => {
                    c.cap_sys_rawio = u64::from_str_radix(val, 16)
                        .map(|caps| caps & (1 << CAP_SYS_RAWIO) != 0)
                        .unwrap_or(false)
                }
                _ => {}
            }
        }
        c
    }

    /// Whether the caller holds `CAP_SYS_RAWIO`: known, or asked of the
    /// deferred check (once per call).
    pub fn has_cap_sys_rawio(&self) -> bool {
        self.cap_sys_rawio || self.cap_check.get()
    }

    /// The caller's credentials for this call, confirmed: these very ones when
    /// no confirmation is pending or they are current, or the caller's
    /// credentials now when its identity changed. `EPERM` when the caller
    /// cannot be identified any more (fail closed). Asks the check at most
    /// once per call.
    pub fn confirmed(&self) -> Result<&Credentials, fwctl_uapi::errno::Errno> {
        match self.identity_check.get() {
            Confirmed::Same => Ok(self),
            Confirmed::Changed(c) => Ok(c),
            Confirmed::Unknown => Err(fwctl_uapi::errno::Errno::EPERM),
        }
    }

    /// Whether the caller is in group `gid` (primary or supplementary).
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}

fn first_u32(s: &str) -> Option<u32> {
    s.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_status_is_parsed_and_cap_sys_rawio_is_bit_17() {
        let text = "Name:\tfwctl\nPid:\t42\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n\
                    Groups:\t4 24 27\nCapEff:\t0000000000020000\n";
        let c = Credentials::from_proc_status(text);
        assert_eq!((c.uid, c.gid, c.pid), (1000, 100, 42));
        assert_eq!(c.groups, vec![4, 24, 27]);
        assert_eq!(c.comm, "fwctl");
        assert!(c.cap_sys_rawio);
        assert!(c.in_group(27) && c.in_group(100) && !c.in_group(5));
        let c = Credentials::from_proc_status("CapEff:\t000001ffffffffff\n");
        assert!(c.cap_sys_rawio);
        let c = Credentials::from_proc_status("CapEff:\t0000000000000000\n");
        assert!(!c.cap_sys_rawio);
        let c = Credentials::from_proc_status("CapEff:\tzz\nUid:\tx\n");
        assert!(!c.cap_sys_rawio);
        assert_eq!(c.uid, u32::MAX, "a malformed uid must not become root");
    }

    struct Counting(std::sync::atomic::AtomicU32, bool);

    impl CapCheck for Counting {
        fn cap_sys_rawio(&self) -> bool {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.1
        }
    }

    #[test]
    fn a_deferred_capability_is_asked_only_when_needed_and_once_per_call() {
        for held in [false, true] {
            let check = Arc::new(Counting(Default::default(), held));
            let mut c = Credentials { cap_check: DeferredCap::new(check.clone()), ..Credentials::default() };
            let asked = || check.0.load(std::sync::atomic::Ordering::Relaxed);
            assert!(!c.cap_sys_rawio, "unknown up front");
            assert_eq!(asked(), 0, "building credentials asks nothing");
            assert!(!c.cap_check.asked());
            assert_eq!(c.has_cap_sys_rawio(), held);
            assert_eq!(c.has_cap_sys_rawio(), held);
            assert_eq!(asked(), 1, "asked once per call");
            assert!(c.cap_check.asked());
            c.cap_check.reset();
            assert_eq!(c.has_cap_sys_rawio(), held);
            assert_eq!(asked(), 2, "a new call asks again");
        }
        assert!(!Credentials::default().has_cap_sys_rawio(), "no check: not held");
        let known = Credentials { cap_sys_rawio: true, ..Credentials::default() };
        assert!(known.has_cap_sys_rawio());
    }
}
