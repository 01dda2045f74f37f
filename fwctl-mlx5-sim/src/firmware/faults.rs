//! Fault injection: what the command interface does instead of running a command.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use fwctl_uapi::Errno;

/// A command-queue delivery error (`deliv_status_to_err` in the kernel's cmd.c, §8.3):
/// the entry never produced a mailbox status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryError {
    /// 0x1: signature error.
    Signature,
    /// 0x2: token error.
    Token,
    /// 0x3: bad block number.
    BadBlockNumber,
    /// 0x4: output pointer not aligned.
    OutputPointer,
    /// 0x5: input pointer not aligned.
    InputPointer,
    /// 0x6: firmware internal error.
    FwInternal,
    /// 0x7: input length error.
    InputLength,
    /// 0x8: output length error.
    OutputLength,
    /// 0x9: reserved fields not cleared.
    ReservedNotCleared,
    /// 0x10: bad command descriptor type.
    BadCommandType,
}

impl DeliveryError {
    /// The delivery status code in the command-queue entry.
    pub fn code(self) -> u8 {
        match self {
            Self::Signature => 0x1,
            Self::Token => 0x2,
            Self::BadBlockNumber => 0x3,
            Self::OutputPointer => 0x4,
            Self::InputPointer => 0x5,
            Self::FwInternal => 0x6,
            Self::InputLength => 0x7,
            Self::OutputLength => 0x8,
            Self::ReservedNotCleared => 0x9,
            Self::BadCommandType => 0x10,
        }
    }

    /// The errno the kernel maps it to.
    pub fn errno(self) -> Errno {
        match self {
            Self::Signature | Self::Token => Errno::EBADR,
            Self::BadBlockNumber | Self::OutputPointer | Self::InputPointer => Errno::EFAULT,
            Self::FwInternal => Errno::EIO,
            Self::InputLength | Self::OutputLength | Self::ReservedNotCleared | Self::BadCommandType => {
                Errno::ENOMSG
            }
        }
    }
}

/// A fault the command interface can be told to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The firmware never completes the command: the RPC fails `ETIMEDOUT`.
    Timeout,
    /// The firmware answers every command with status NOT_READY (0x07), in band.
    NotReady,
    /// Health failure: the device is in internal error. The driver answers every
    /// command itself with status 0xfe / syndrome 0xbadd00de and the RPC fails
    /// `ENXIO`; teardown commands (DESTROY_UCTX) succeed so handles still close.
    InternalError,
    /// A command-queue delivery error (EBADR / EFAULT / EIO / ENOMSG).
    Delivery(DeliveryError),
}

#[derive(Debug, Default)]
struct Armed {
    persistent: Option<Fault>,
    once: VecDeque<Fault>,
}

/// Shared control of one device's faults. Cloning shares the same device.
#[derive(Debug, Clone, Default)]
pub struct FaultHandle {
    inner: Arc<FaultInner>,
}

#[derive(Debug, Default)]
struct FaultInner {
    // Fast path: commands skip the mutex while nothing is armed.
    any: AtomicBool,
    armed: Mutex<Armed>,
}

impl FaultHandle {
    fn lock(&self) -> std::sync::MutexGuard<'_, Armed> {
        crate::sync::lock(&self.inner.armed)
    }

    fn refresh(&self, a: &Armed) {
        self.inner.any.store(a.persistent.is_some() || !a.once.is_empty(), Ordering::SeqCst);
    }

    /// Every command from now on hits `fault`, until [`recover`](Self::recover).
    pub fn inject(&self, fault: Fault) {
        let mut a = self.lock();
        a.persistent = Some(fault);
        self.refresh(&a);
    }

    /// The next command (only) hits `fault`; queued one-shot faults take effect
    /// before a persistent one.
    pub fn inject_once(&self, fault: Fault) {
        let mut a = self.lock();
        a.once.push_back(fault);
        self.refresh(&a);
    }

    /// Recovery: clear every armed fault (the health poller's reset). Device state
    /// (uids, registers, counters) is kept.
    pub fn recover(&self) {
        let mut a = self.lock();
        *a = Armed::default();
        self.refresh(&a);
    }

    /// The persistent fault in force, if any.
    pub fn active(&self) -> Option<Fault> {
        self.lock().persistent
    }

    /// The fault the next command hits (consuming a one-shot fault).
    pub(crate) fn take(&self) -> Option<Fault> {
        if !self.inner.any.load(Ordering::SeqCst) {
            return None;
        }
        let mut a = self.lock();
        let f = a.once.pop_front().or(a.persistent);
        self.refresh(&a);
        f
    }
}
