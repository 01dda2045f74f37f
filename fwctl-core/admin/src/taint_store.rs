//! The persistent taint record: the first tainting RPC (who, when, which device,
//! which command), kept in the state directory so it survives restarts.
//!
//! Build the subsystem's taint flag from it with [`TaintRecordStore::taint`]: the
//! flag starts set when a record exists, and the core hands the first tainting
//! RPC to [`TaintStore::record`]. Only root may clear it, with a reason, and the
//! clearing is written (durably) to the audit log before the record goes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::audit::{AuditError, AuditLog};
use fwctl_os::{OsError, TrustedDir};
use fwctl_subsys::creds::Credentials;
use fwctl_subsys::sync::lock;
use fwctl_subsys::taint::{Taint, TaintEvent, TaintStore};
use fwctl_uapi::errno::Errno;

/// File name of the record inside the state directory.
pub const TAINT_FILE: &str = "taint.json";

/// Largest taint record read back (a record is a few hundred bytes).
const MAX_RECORD: u64 = 64 * 1024;

/// Why the taint record could not be read, written or cleared.
#[derive(Debug, thiserror::Error)]
pub enum TaintStoreError {
    /// File system error.
    #[error("taint record {}: {err}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        err: std::io::Error,
    },
    /// The record exists but is not valid JSON (the system is still considered tainted).
    #[error("taint record {} is corrupt: {message}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The state directory or the record file cannot be trusted or written.
    #[error(transparent)]
    Os(#[from] OsError),
    /// Clearing needs root.
    #[error("only root may clear the taint record (you are uid {uid})")]
    NotRoot {
        /// The caller's uid.
        uid: u32,
    },
    /// Clearing needs a reason.
    #[error("clearing the taint record needs a reason (it is written to the audit log)")]
    NoReason,
    /// The clearing could not be audited, so the record was kept.
    #[error("could not audit the clearing, record kept: {0}")]
    Audit(AuditError),
}

// By hand rather than `#[from]`, which would also make the audit error the
// variant's source while its message already says it.
impl From<AuditError> for TaintStoreError {
    fn from(e: AuditError) -> Self {
        TaintStoreError::Audit(e)
    }
}

/// The taint record in a state directory; a [`TaintStore`] for the core.
#[derive(Debug)]
pub struct TaintRecordStore {
    dir: TrustedDir,
    path: PathBuf,
    /// Serialises writers in this process (first record wins).
    guard: Mutex<()>,
    write_errors: AtomicU64,
}

impl TaintRecordStore {
    /// Open the store in `state_dir`, creating the directory (mode 0700 whatever
    /// the umask) if needed; an existing one must belong to the effective user
    /// and not be writable by group or others ([`TrustedDir::ensure`]).
    pub fn open(state_dir: &Path) -> Result<Self, TaintStoreError> {
        Ok(TaintRecordStore {
            dir: TrustedDir::ensure(state_dir, 0o700, "state directory")?,
            path: state_dir.join(TAINT_FILE),
            guard: Mutex::new(()),
            write_errors: AtomicU64::new(0),
        })
    }

    /// The record file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a record exists (a corrupt record still counts: fail safe).
    pub fn is_tainted(&self) -> bool {
        self.dir.exists(TAINT_FILE)
    }

    /// The record, if any.
    pub fn load(&self) -> Result<Option<TaintEvent>, TaintStoreError> {
        match self.dir.read_capped(TAINT_FILE, MAX_RECORD)? {
            Some(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| TaintStoreError::Corrupt { path: self.path.clone(), message: e.to_string() }),
            None => Ok(None),
        }
    }

    /// A taint flag backed by this store: set when a record exists.
    pub fn taint(self: &Arc<Self>) -> Taint {
        Taint::new(self.is_tainted(), self.clone())
    }

    /// Records that could not be written (the hook cannot return errors).
    pub fn write_errors(&self) -> u64 {
        self.write_errors.load(Ordering::Relaxed)
    }

    /// Write `event` unless a record already exists, durably, with the one
    /// atomic install ([`TrustedDir::install`]: `O_EXCL|O_NOFOLLOW` temporary
    /// relative to the directory's descriptor, fsync, rename, directory fsync).
    pub fn store(&self, event: &TaintEvent) -> Result<bool, TaintStoreError> {
        let _g = lock(&self.guard);
        if self.is_tainted() {
            return Ok(false);
        }
        let json = serde_json::to_vec_pretty(event)
            .map_err(|e| TaintStoreError::Corrupt { path: self.path.clone(), message: e.to_string() })?;
        self.dir.install(TAINT_FILE, &json, 0o600, true)?;
        Ok(true)
    }

    /// Clear the record: root only, with a non-empty reason. The clearing is
    /// audited durably first (when `audit` is given); if that fails the record
    /// stays. `flag`, when given, is cleared too. Returns the cleared record.
    pub fn clear(
        &self,
        reason: &str,
        creds: &Credentials,
        audit: Option<&AuditLog>,
        flag: Option<&Taint>,
    ) -> Result<Option<TaintEvent>, TaintStoreError> {
        if creds.uid != 0 {
            return Err(TaintStoreError::NotRoot { uid: creds.uid });
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(TaintStoreError::NoReason);
        }
        let mut previous = None;
        let mut remove = || -> Result<(), TaintStoreError> {
            let _g = lock(&self.guard);
            // A corrupt record may be cleared too; the audit line then has no copy of it.
            previous = self.load().ok().flatten();
            if let Some(log) = audit {
                log.record_taint_cleared(creds, reason, previous.as_ref())?;
            }
            if self.dir.remove(TAINT_FILE)? {
                self.dir.sync()?;
            }
            Ok(())
        };
        // With the flag: no tainting RPC runs between the removal and the
        // clearing of the flag (L2); one waiting records again afterwards.
        match flag {
            Some(flag) => flag.clear_with(remove)?,
            None => remove()?,
        }
        Ok(previous)
    }
}

impl TaintStore for TaintRecordStore {
    /// Fail closed: `Ok` only when a record is durable (written now, or
    /// present). A failure is counted and answered with the OS's errno
    /// (`ENOSPC` on a full disk, else `EIO`), which refuses the RPC.
    fn record(&self, event: &TaintEvent) -> Result<(), Errno> {
        match self.store(event) {
            Ok(_) => Ok(()),
            Err(e) => {
                self.write_errors.fetch_add(1, Ordering::Relaxed);
                let code = match &e {
                    TaintStoreError::Io { err, .. } => err.raw_os_error(),
                    TaintStoreError::Os(OsError::Io { err, .. }) => err.raw_os_error(),
                    _ => None,
                };
                eprintln!("fwctl: cannot write the taint record: {e}");
                Err(code.and_then(Errno::from_code).unwrap_or(Errno::EIO))
            }
        }
    }
}
