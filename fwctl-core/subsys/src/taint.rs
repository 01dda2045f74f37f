//! `TAINT_FWCTL`: set once, before the driver sees the first DEBUG_WRITE or
//! DEBUG_WRITE_FULL request, and never cleared by the core itself.
//!
//! The flag is an atomic test-and-set like the kernel's `fwctl_tainted` bit. Who
//! tainted it and with what is handed to a [`TaintStore`], so the policy layer can
//! persist the record across restarts; the core keeps no history itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};

use fwctl_uapi::errno::Errno;
use fwctl_uapi::{RpcScope, TAINT_FWCTL_LETTER, TAINT_FWCTL_MASK};

/// The first tainting RPC: who, when, which device, which command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TaintEvent {
    /// Seconds since the Unix epoch.
    pub time: u64,
    /// Device name, e.g. `fwctl0`.
    pub device: String,
    /// Caller's user id.
    pub uid: u32,
    /// Caller's process id.
    pub pid: i32,
    /// Caller's command name.
    pub comm: String,
    /// The requested scope.
    pub scope: RpcScope,
    /// Opcode of the command, when it could be read.
    pub opcode: Option<u32>,
    /// Name of the command, when the driver knows it.
    pub command: Option<String>,
}

/// Where taint records go. The default keeps nothing.
///
/// Fail closed: the dispatcher calls [`TaintStore::record`] for **every**
/// tainting RPC, before the driver sees it; the store makes `event` durable
/// unless a record already is (then it returns at once). An error refuses the
/// RPC with that errno, so no tainting request is ever delivered without a
/// durable record.
pub trait TaintStore: Send + Sync {
    /// Make sure a record is durable, writing `event` if none exists.
    fn record(&self, event: &TaintEvent) -> Result<(), Errno>;
}

/// A store that forgets; the kernel keeps no record either, only the bit.
#[derive(Debug, Default)]
pub struct NoTaintStore;

impl TaintStore for NoTaintStore {
    fn record(&self, _event: &TaintEvent) -> Result<(), Errno> {
        Ok(())
    }
}

/// The subsystem-wide taint flag.
pub struct Taint {
    flag: AtomicBool,
    store: Arc<dyn TaintStore>,
    /// Held shared by each tainting RPC from its record to its delivery, and
    /// exclusively by a clearing: a clearing never interleaves with a tainting
    /// RPC (review finding L2).
    gate: RwLock<()>,
}

impl std::fmt::Debug for Taint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Taint").field("tainted", &self.is_tainted()).finish()
    }
}

impl Default for Taint {
    fn default() -> Self {
        Taint::new(false, Arc::new(NoTaintStore))
    }
}

impl Taint {
    /// A taint flag starting in state `tainted` (true when a persisted record exists).
    pub fn new(tainted: bool, store: Arc<dyn TaintStore>) -> Self {
        Taint { flag: AtomicBool::new(tainted), store, gate: RwLock::new(()) }
    }

    /// Whether `TAINT_FWCTL` is set.
    pub fn is_tainted(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }

    /// The value this contributes to `/proc/sys/kernel/tainted`: 524288 or 0.
    pub fn mask(&self) -> u64 {
        if self.is_tainted() { TAINT_FWCTL_MASK } else { 0 }
    }

    /// The taint letter: `J` when set, a blank otherwise (as the kernel prints it).
    pub fn letter(&self) -> char {
        if self.is_tainted() { TAINT_FWCTL_LETTER } else { ' ' }
    }

    /// Atomic test-and-set. Returns true only for the caller that set it.
    pub fn set(&self) -> bool {
        !self.flag.swap(true, Ordering::AcqRel)
    }

    /// Held by a tainting RPC from before [`Taint::set`] until the driver
    /// answered, so a clearing waits for it (and it for a clearing).
    pub fn hold(&self) -> RwLockReadGuard<'_, ()> {
        self.gate.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Make the record durable before a tainting RPC is delivered. On failure
    /// the RPC must be refused with the returned errno; if this caller was the
    /// one that set the flag (`first`), the flag is cleared again: nothing was
    /// delivered, and the next tainting RPC tries to record again.
    pub fn record(&self, event: &TaintEvent, first: bool) -> Result<(), Errno> {
        let r = self.store.record(event);
        if r.is_err() && first {
            self.flag.store(false, Ordering::Release);
        }
        r
    }

    /// Clear the flag (administrative action; the kernel can only do this by reboot).
    pub fn clear(&self) {
        let _excl = self.gate.write().unwrap_or_else(|e| e.into_inner());
        self.flag.store(false, Ordering::Release);
    }

    /// Run `remove` (dropping the persisted record) and clear the flag, with
    /// no tainting RPC in flight meanwhile; the flag stays set if `remove` fails.
    pub fn clear_with<E>(&self, remove: impl FnOnce() -> Result<(), E>) -> Result<(), E> {
        let _excl = self.gate.write().unwrap_or_else(|e| e.into_inner());
        remove()?;
        self.flag.store(false, Ordering::Release);
        Ok(())
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it): the time stamp of
/// taint records and audit lines.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_is_a_one_shot_test_and_set() {
        let t = Taint::default();
        assert!(!t.is_tainted());
        assert_eq!((t.mask(), t.letter()), (0, ' '));
        assert!(t.set());
        assert!(!t.set(), "a second set must not report first");
        assert_eq!((t.mask(), t.letter()), (524_288, 'J'));
        t.clear();
        assert!(!t.is_tainted());
    }
}
