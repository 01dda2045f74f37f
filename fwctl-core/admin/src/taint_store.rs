//! The persistent taint record: the first tainting RPC (who, when, which device,
//! which command), kept in the state directory so it survives restarts.
//!
//! Build the subsystem's taint flag from it with [`TaintRecordStore::taint`]: the
//! flag starts set when a record exists, and the core hands the first tainting
//! RPC to [`TaintStore::record`]. Only root may clear it, with a reason, and the
//! clearing is written (durably) to the audit log before the record goes.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::audit::{AuditError, AuditLog};
use fwctl_subsys::creds::Credentials;
use fwctl_subsys::sync::lock;
use fwctl_subsys::taint::{Taint, TaintEvent, TaintStore};

/// File name of the record inside the state directory.
pub const TAINT_FILE: &str = "taint.json";

/// Why the taint record could not be read, written or cleared.
#[derive(Debug, thiserror::Error)]
pub enum TaintStoreError {
    /// File system error.
    #[error("taint record {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The record exists but is not valid JSON (the system is still considered tainted).
    #[error("taint record {} is corrupt: {message}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
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
    Audit(#[from] AuditError),
}

/// The taint record in a state directory; a [`TaintStore`] for the core.
#[derive(Debug)]
pub struct TaintRecordStore {
    dir: PathBuf,
    path: PathBuf,
    /// Serialises writers in this process (first record wins).
    guard: Mutex<()>,
    write_errors: AtomicU64,
}

impl TaintRecordStore {
    /// Open the store in `state_dir`, creating the directory (mode 0700) if needed.
    pub fn open(state_dir: &Path) -> Result<Self, TaintStoreError> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(state_dir)
            .map_err(|source| TaintStoreError::Io { path: state_dir.into(), source })?;
        Ok(TaintRecordStore {
            dir: state_dir.into(),
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
        self.path.exists()
    }

    /// The record, if any.
    pub fn load(&self) -> Result<Option<TaintEvent>, TaintStoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| TaintStoreError::Corrupt { path: self.path.clone(), message: e.to_string() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(TaintStoreError::Io { path: self.path.clone(), source }),
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

    /// Write `event` unless a record already exists: write a temporary file,
    /// fsync, rename over the name, fsync the directory.
    pub fn store(&self, event: &TaintEvent) -> Result<bool, TaintStoreError> {
        let _g = lock(&self.guard);
        if self.is_tainted() {
            return Ok(false);
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| TaintStoreError::Io { path, source }
        };
        let tmp = self.dir.join(format!(".{TAINT_FILE}.{}.tmp", std::process::id()));
        let json = serde_json::to_vec_pretty(event)
            .map_err(|e| TaintStoreError::Corrupt { path: self.path.clone(), message: e.to_string() })?;
        {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)
                .map_err(io(&tmp))?;
            f.write_all(&json).map_err(io(&tmp))?;
            f.sync_all().map_err(io(&tmp))?;
        }
        std::fs::rename(&tmp, &self.path).map_err(io(&self.path))?;
        sync_dir(&self.dir).map_err(io(&self.dir))?;
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
        let _g = lock(&self.guard);
        // A corrupt record may be cleared too; the audit line then has no copy of it.
        let previous = self.load().ok().flatten();
        if let Some(log) = audit {
            log.record_taint_cleared(creds, reason, previous.as_ref())?;
        }
        match std::fs::remove_file(&self.path) {
            Ok(()) => sync_dir(&self.dir)
                .map_err(|source| TaintStoreError::Io { path: self.dir.clone(), source })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(TaintStoreError::Io { path: self.path.clone(), source }),
        }
        if let Some(flag) = flag {
            flag.clear();
        }
        Ok(previous)
    }
}

impl TaintStore for TaintRecordStore {
    fn record(&self, event: &TaintEvent) {
        if self.store(event).is_err() {
            self.write_errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// fsync a directory so a rename or unlink in it is durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}
