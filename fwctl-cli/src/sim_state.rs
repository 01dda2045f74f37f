//! The simulated mlx5 device's state on disk, so that what one `fwctl
//! --simulate` run changed (a `reg write`, NV configuration, SET_HCA_CAP,
//! counters and traffic) is still there in the next, and so that `fwctld` can
//! keep a device's state across restarts (`state_file` in `fwctld.toml`).
//!
//! The file is JSON: `{"format": "fwctl-mlx5-sim-state", "version": 1,
//! "snapshot": {…}}` around [`fwctl_mlx5_sim::Snapshot`]. It is read as a
//! capped regular file (no symbolic link followed, at most [`MAX_BYTES`]) and
//! written with the one atomic install of [`fwctl_os::TrustedDir`], in a
//! directory that must be ours and not writable by others.
//!
//! A file that is corrupt, of another format version, or taken from a device
//! with another identity is never fatal: the device starts from its power-on
//! state, a warning says why, and the file is left untouched (a newer fwctl's
//! state is not overwritten by an older one) until `fwctl sim reset` removes it.
//! Two simulated runs at the same time each save their own end state; the last
//! to finish wins.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use fwctl_mlx5_sim::{Mlx5Device, Snapshot, SnapshotError, StateSink};
use fwctl_os::{OsError, TrustedDir};

/// The embedded simulator's state file name, in its state directory beside the taint record.
pub const FILE_NAME: &str = "mlx5-sim-state.json";

/// The `format` tag of the file.
pub const FORMAT: &str = "fwctl-mlx5-sim-state";

/// The file format version this build reads and writes.
pub const VERSION: u32 = 1;

/// The largest state file read (4 MiB); a larger one is refused, not parsed.
pub const MAX_BYTES: u64 = 4 << 20;

/// Why a state file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StateFileError {
    /// The directory or the file could not be opened, read or written.
    #[error(transparent)]
    Os(#[from] OsError),
    /// Not JSON, or not the expected shape.
    #[error("{} is not a simulator state file: {error}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The parse error.
        error: serde_json::Error,
    },
    /// Another `format` tag.
    #[error("{} is not a simulator state file (format {found:?}, expected {FORMAT:?})", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The tag found.
        found: String,
    },
    /// Another format version.
    #[error("{} has state format version {found}; this fwctl reads version {VERSION}", path.display())]
    Version {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u64,
    },
    /// The snapshot does not fit this device.
    #[error("{}: {error}", path.display())]
    Mismatch {
        /// The file.
        path: PathBuf,
        /// Why it does not fit.
        error: SnapshotError,
    },
    /// The state could not be serialized.
    #[error("cannot encode the state for {}: {error}", path.display())]
    Encode {
        /// The file.
        path: PathBuf,
        /// The encoder's error.
        error: serde_json::Error,
    },
    /// The state to save is larger than [`MAX_BYTES`].
    #[error("the state for {} is {len} bytes, more than the {MAX_BYTES}-byte limit", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its serialized length.
        len: usize,
    },
}

/// The file as stored.
#[derive(serde::Serialize, serde::Deserialize)]
struct Document {
    format: String,
    version: u32,
    snapshot: Snapshot,
}

/// One state file: a name in a trusted directory.
#[derive(Debug, Clone)]
pub struct StateFile {
    dir: PathBuf,
    name: String,
}

impl StateFile {
    /// The embedded simulator's file in `state_dir` ([`FILE_NAME`]).
    pub fn in_dir(state_dir: &Path) -> StateFile {
        StateFile { dir: state_dir.to_path_buf(), name: FILE_NAME.into() }
    }

    /// The file at `path` (a configured `state_file`): it must name a file in
    /// a directory, not end in `/` or `..`.
    pub fn at(path: &Path) -> Option<StateFile> {
        let name = path.file_name()?.to_str()?.to_string();
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Some(StateFile { dir: dir.to_path_buf(), name })
    }

    /// The file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(&self.name)
    }

    fn existing_dir(&self) -> Result<Option<TrustedDir>, OsError> {
        if std::fs::symlink_metadata(&self.dir).is_err() {
            return Ok(None);
        }
        TrustedDir::open_existing(&self.dir, "simulator state directory").map(Some)
    }

    fn open_dir(&self) -> Result<TrustedDir, OsError> {
        TrustedDir::ensure(&self.dir, 0o700, "simulator state directory")
    }

    /// The stored snapshot; `None` when there is no file.
    pub fn load(&self) -> Result<Option<Snapshot>, StateFileError> {
        let path = self.path();
        // No directory yet: no state yet.
        let Some(dir) = self.existing_dir()? else { return Ok(None) };
        let Some(bytes) = dir.read_capped(&self.name, MAX_BYTES)? else { return Ok(None) };
        let corrupt = |error| StateFileError::Corrupt { path: path.clone(), error };
        let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(corrupt)?;
        // Check the tag and version before the body: another version's body
        // need not parse as this one's.
        let format = doc.get("format").and_then(serde_json::Value::as_str).unwrap_or_default();
        if format != FORMAT {
            return Err(StateFileError::Format { path, found: format.to_string() });
        }
        match doc.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            found => return Err(StateFileError::Version { path, found: found.unwrap_or(0) }),
        }
        let doc: Document = serde_json::from_value(doc).map_err(corrupt)?;
        Ok(Some(doc.snapshot))
    }

    /// Store `snapshot` atomically (durable: file and directory synced).
    pub fn save(&self, snapshot: &Snapshot) -> Result<(), StateFileError> {
        self.save_with(snapshot, true)
    }

    /// Store `snapshot` atomically; `durable` also syncs file and directory.
    fn save_with(&self, snapshot: &Snapshot, durable: bool) -> Result<(), StateFileError> {
        let doc = Document { format: FORMAT.into(), version: VERSION, snapshot: snapshot.clone() };
        let bytes =
            serde_json::to_vec(&doc).map_err(|error| StateFileError::Encode { path: self.path(), error })?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(StateFileError::TooLarge { path: self.path(), len: bytes.len() });
        }
        self.open_dir()?.install(&self.name, &bytes, 0o600, durable)?;
        Ok(())
    }

    /// Remove the file; `Ok(false)` when there was none.
    pub fn remove(&self) -> Result<bool, StateFileError> {
        match self.existing_dir()? {
            Some(dir) => Ok(dir.remove(&self.name)?),
            None => Ok(false),
        }
    }

    /// Put the stored state (if any) into `device` and save its state here
    /// when it powers off. When the file cannot be used, the device keeps its
    /// power-on state, nothing will be saved (the file stays as it is), and the
    /// returned warning says why and what to do.
    pub fn attach(&self, device: &Mlx5Device, report: fn(&str)) -> Option<String> {
        let restored = self.load().and_then(|snap| match snap {
            Some(snap) => device
                .firmware()
                .restore(&snap)
                .map_err(|error| StateFileError::Mismatch { path: self.path(), error }),
            None => Ok(()),
        });
        match restored {
            Ok(()) => {
                let unchanged = device.firmware().snapshot();
                device.firmware().persist_to(Arc::new(Persist { file: self.clone(), report, unchanged }));
                None
            }
            Err(e) => Some(format!(
                "ignoring the simulated device's saved state: {e}; the device starts from power-on and \
                 nothing is saved until the file is removed (`fwctl sim reset` removes the simulator's)"
            )),
        }
    }
}

/// The [`StateSink`] that writes a [`StateFile`].
#[derive(Debug)]
struct Persist {
    file: StateFile,
    /// Where a failed save is reported (standard error, or the daemon's log).
    report: fn(&str),
    /// The state as attached. A run that changed only the simulated traffic
    /// (every read-only command advances it, so counters keep growing from run
    /// to run) is saved without the two fsyncs: losing it to a power cut only
    /// rewinds the counters.
    unchanged: Snapshot,
}

impl StateSink for Persist {
    fn save(&self, snapshot: &Snapshot) {
        let durable = Snapshot { traffic: self.unchanged.traffic, ..snapshot.clone() } != self.unchanged;
        if let Err(e) = self.file.save_with(snapshot, durable) {
            (self.report)(&format!("cannot save the simulated device's state: {e}"));
        }
    }
}
