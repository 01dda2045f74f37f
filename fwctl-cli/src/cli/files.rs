//! Reading the files the CLI is handed (policy, audit log, hex and binary
//! payloads, plugin configuration): a regular file, and never more than a cap,
//! so `/dev/urandom`, a FIFO or a huge file is refused at once instead of
//! growing memory or hanging.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::cli::exit::CliError;

/// The cap on a policy file (or one drop-in): far above any real policy.
pub const POLICY_CAP: u64 = 1 << 20;

/// Why a capped read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path is not a regular file (a device, FIFO, socket or directory).
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    /// The file is larger than the cap.
    #[error("larger than {cap} bytes ({size} bytes)")]
    TooLarge {
        /// The cap.
        cap: u64,
        /// The size found (at least `cap + 1`).
        size: u64,
    },
    /// Opening or reading failed.
    #[error("{}", io_reason(.0))]
    Io(io::Error),
}

// By hand rather than `#[from]`, which would also make the OS error the
// variant's source while its message already says it.
impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// An I/O error as words, without Rust's `(os error N)` suffix.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => match e.raw_os_error() {
            Some(code) => nix::errno::Errno::from_raw(code).desc().to_lowercase(),
            None => e.to_string(),
        },
    }
}

fn kind_of(ft: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_dir() {
        "a directory"
    } else if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_fifo() {
        "a FIFO"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// Read all of `path`, which must be a regular file of at most `cap` bytes.
/// The type is checked before opening (so a FIFO never blocks) and again on
/// the open file; the read stops one byte past the cap whatever the file says.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge { cap, size: meta.len() });
    }
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(ReadError::TooLarge { cap, size: buf.len() as u64 });
    }
    Ok(buf)
}

/// [`read_capped`] as a CLI error: `cannot read the WHAT PATH: why` (exit 2).
pub fn read_for_cli(path: &Path, what: &str, cap: u64) -> Result<Vec<u8>, CliError> {
    read_capped(path, cap)
        .map_err(|e| CliError::usage(format!("cannot read the {what} {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_directories_are_refused_without_reading() {
        assert!(matches!(read_capped(Path::new("/dev/urandom"), 10), Err(ReadError::NotRegular(_))));
        assert!(matches!(read_capped(Path::new("/"), 10), Err(ReadError::NotRegular("a directory"))));
        let e = read_capped(Path::new("/nonexistent/x"), 10).unwrap_err();
        assert_eq!(e.to_string(), "no such file or directory");
    }

    #[test]
    fn a_file_above_the_cap_is_refused_and_one_at_the_cap_is_read() {
        let dir = std::env::temp_dir().join(format!("fwctl-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("f");
        std::fs::write(&p, [7u8; 11]).unwrap();
        assert!(matches!(read_capped(&p, 10), Err(ReadError::TooLarge { cap: 10, size: 11 })));
        assert_eq!(read_capped(&p, 11).unwrap(), [7u8; 11]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
