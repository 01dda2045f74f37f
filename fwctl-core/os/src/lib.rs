//! Operating-system file helpers for the parts of fwctl that write as root:
//! nothing a local user controls may redirect a write.
//!
//! - [`TrustedDir`]: a directory opened once (`O_DIRECTORY|O_NOFOLLOW`) and
//!   checked on that descriptor: owned by the effective user (or root), not
//!   writable by group or others, and every ancestor owned by root or us and
//!   either not writable by others or sticky (like `/tmp`). It is created with an
//!   explicit mode whatever the umask. All file operations below are relative to
//!   its descriptor, so a rename of a parent afterwards cannot redirect them.
//! - [`TrustedDir::install`]: THE atomic install: a temporary file created
//!   `O_CREAT|O_EXCL|O_NOFOLLOW` next to the target, `fchmod` to the requested
//!   mode, written, `fsync`ed, `renameat` over the name, then the directory
//!   `fsync`ed. A crash leaves either the old or the new file, never a mix.
//! - [`TrustedDir::open_append`], [`TrustedDir::create_new`],
//!   [`TrustedDir::read_capped`]: no symlink followed, only regular files.
//! - [`TrustedDir::lock`]: an exclusive `flock` held for a process's life (one
//!   daemon per runtime directory); the holder's pid is written in the file.
//!
//! Beside them: [`process`] (what the daemon reads about a calling process)
//! and [`busy_poll`] (polling a socket briefly before sleeping on it).

pub mod busy_poll;
pub mod process;

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use nix::fcntl::{Flock, FlockArg, OFlag, openat, renameat};
use nix::sys::stat::{FileStat, Mode, SFlag, fchmod, fstat, mkdirat};
use nix::unistd::{UnlinkatFlags, unlinkat};

/// An OS error as a CLI line words it: `no such file or directory`, not
/// `No such file or directory (os error 2)`.
pub fn in_words(e: &io::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Why a directory or file was refused or could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OsError {
    /// A system call failed (the reason in words, without Rust's `(os error N)`).
    #[error("{what} {}: {}", path.display(), in_words(err))]
    Io {
        /// What was being done.
        what: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        err: io::Error,
    },
    /// The path exists but cannot be trusted.
    #[error("refusing {}: {why}; fix: {fix}", path.display())]
    Insecure {
        /// The offending path.
        path: PathBuf,
        /// What is wrong.
        why: String,
        /// What the administrator should do.
        fix: String,
    },
    /// Another process holds the lock.
    #[error("already running (pid {}): {} is locked", pid.map_or_else(|| "unknown".to_string(), |p| p.to_string()), path.display())]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// The holder's pid, as it wrote it.
        pid: Option<u32>,
    },
}

fn io_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(nix::Error) -> OsError + 'a {
    move |e| OsError::Io { what, path: path.to_path_buf(), err: e.into() }
}

fn std_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> OsError + 'a {
    move |err| OsError::Io { what, path: path.to_path_buf(), err }
}

const DIR_FLAGS: OFlag = OFlag::O_DIRECTORY.union(OFlag::O_NOFOLLOW).union(OFlag::O_CLOEXEC);

/// A directory checked once and used through its descriptor.
#[derive(Debug)]
pub struct TrustedDir {
    path: PathBuf,
    fd: OwnedFd,
}

/// Whether `st` is writable by group or others.
fn foreign_writable(st: &FileStat) -> bool {
    st.st_mode & 0o022 != 0
}

fn is_sticky(st: &FileStat) -> bool {
    st.st_mode & 0o1000 != 0
}

fn euid() -> u32 {
    nix::unistd::geteuid().as_raw()
}

impl TrustedDir {
    /// Open `path`, creating it (and missing parents, 0755) with exactly `mode`
    /// if it does not exist. An existing directory must be owned by the
    /// effective user and not writable by group or others; so must every
    /// ancestor unless it is root's and sticky. `what` names it in errors
    /// (e.g. "runtime directory").
    pub fn ensure(path: &Path, mode: u32, what: &str) -> Result<TrustedDir, OsError> {
        check_ancestors(path)?;
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = path.file_name().ok_or_else(|| OsError::Insecure {
            path: path.into(),
            why: format!("the {what} has no name"),
            fix: "give a directory path".into(),
        })?;
        if !parent.exists() {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o755)
                .create(parent)
                .map_err(std_err("cannot create", parent))?;
            check_ancestors(path)?;
        }
        let pfd = nix::fcntl::open(parent, DIR_FLAGS | OFlag::O_RDONLY, Mode::empty())
            .map_err(io_err("cannot open", parent))?;
        let created = match mkdirat(&pfd, name, Mode::from_bits_truncate(mode & 0o7777)) {
            Ok(()) => true,
            Err(nix::Error::EEXIST) => false,
            Err(e) => return Err(io_err("cannot create", path)(e)),
        };
        let fd = openat(&pfd, name, DIR_FLAGS | OFlag::O_RDONLY, Mode::empty()).map_err(|e| match e {
            nix::Error::ELOOP | nix::Error::ENOTDIR => OsError::Insecure {
                path: path.into(),
                why: format!("the {what} is a symbolic link or not a directory"),
                fix: format!("remove it (`rm {}`) and let fwctl create it", path.display()),
            },
            e => io_err("cannot open", path)(e),
        })?;
        if created {
            // mkdir's mode went through the umask: set the one asked for.
            fchmod(&fd, Mode::from_bits_truncate(mode & 0o7777)).map_err(io_err("cannot chmod", path))?;
        }
        let st = fstat(&fd).map_err(io_err("cannot stat", path))?;
        if st.st_uid != euid() {
            return Err(OsError::Insecure {
                path: path.into(),
                why: format!("the {what} is owned by uid {}, not by uid {} running fwctl", st.st_uid, euid()),
                fix: format!(
                    "remove it, or `chown {} {}` if its contents are trusted",
                    euid(),
                    path.display()
                ),
            });
        }
        if foreign_writable(&st) {
            return Err(OsError::Insecure {
                path: path.into(),
                why: format!("the {what} is writable by group or others (mode {:04o})", st.st_mode & 0o7777),
                fix: format!("`chmod go-w {}`", path.display()),
            });
        }
        Ok(TrustedDir { path: path.into(), fd })
    }

    /// Open an existing directory that files are written in by someone other
    /// than its owner (e.g. `/etc/fwctl` edited by root): it must be owned by
    /// root or the effective user and not writable by group or others, nor may
    /// any ancestor be (unless root's and sticky).
    pub fn open_existing(path: &Path, what: &str) -> Result<TrustedDir, OsError> {
        check_ancestors(path)?;
        let fd = nix::fcntl::open(path, DIR_FLAGS | OFlag::O_RDONLY, Mode::empty())
            .map_err(io_err("cannot open", path))?;
        let st = fstat(&fd).map_err(io_err("cannot stat", path))?;
        if (st.st_uid != 0 && st.st_uid != euid()) || foreign_writable(&st) {
            return Err(OsError::Insecure {
                path: path.into(),
                why: format!(
                    "the {what} is owned by uid {} with mode {:04o}: another user could replace files in it",
                    st.st_uid,
                    st.st_mode & 0o7777
                ),
                fix: format!(
                    "`chown root {0} && chmod go-w {0}`, or keep the file elsewhere",
                    path.display()
                ),
            });
        }
        Ok(TrustedDir { path: path.into(), fd })
    }

    /// The directory's path (for messages and for binding sockets in it).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory's descriptor.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Atomically replace (or create) `name` with `bytes`, mode `mode`: see the
    /// module documentation. `durable` adds the `fsync`s (file and directory).
    pub fn install(&self, name: &str, bytes: &[u8], mode: u32, durable: bool) -> Result<(), OsError> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let tmp = format!(".{name}.{}.{}.tmp", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed));
        let tmp_path = self.join(&tmp);
        let mut f = self.create_new(&tmp, mode)?;
        let written = f
            .write_all(bytes)
            .and_then(|()| if durable { f.sync_all() } else { Ok(()) })
            .map_err(std_err("cannot write", &tmp_path))
            .and_then(|()| {
                renameat(self.fd(), tmp.as_str(), self.fd(), name)
                    .map_err(io_err("cannot rename into", &self.join(name)))
            });
        if let Err(e) = written {
            let _ = unlinkat(self.fd(), tmp.as_str(), UnlinkatFlags::NoRemoveDir);
            return Err(e);
        }
        if durable {
            self.sync()?;
        }
        Ok(())
    }

    /// Create `name` exclusively (`O_CREAT|O_EXCL|O_NOFOLLOW`), mode exactly `mode`.
    pub fn create_new(&self, name: &str, mode: u32) -> Result<File, OsError> {
        let path = self.join(name);
        let fd = openat(
            self.fd(),
            name,
            OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
            Mode::from_bits_truncate(mode & 0o777),
        )
        .map_err(io_err("cannot create", &path))?;
        fchmod(&fd, Mode::from_bits_truncate(mode & 0o777)).map_err(io_err("cannot chmod", &path))?;
        Ok(File::from(fd))
    }

    /// Open `name` for appending, creating it with `mode`; a symbolic link or a
    /// non-regular file is refused.
    pub fn open_append(&self, name: &str, mode: u32) -> Result<File, OsError> {
        let path = self.join(name);
        let fd = openat(
            self.fd(),
            name,
            OFlag::O_WRONLY
                | OFlag::O_APPEND
                | OFlag::O_CREAT
                | OFlag::O_NOFOLLOW
                | OFlag::O_NONBLOCK
                | OFlag::O_CLOEXEC,
            Mode::from_bits_truncate(mode & 0o777),
        )
        .map_err(|e| refuse_link(e, &path))?;
        regular(&fd, &path)?;
        Ok(File::from(fd))
    }

    /// Read `name` (a regular file, no symbolic link, at most `max` bytes);
    /// `None` when it does not exist.
    pub fn read_capped(&self, name: &str, max: u64) -> Result<Option<Vec<u8>>, OsError> {
        let path = self.join(name);
        let fd = match openat(
            self.fd(),
            name,
            OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(nix::Error::ENOENT) => return Ok(None),
            Err(e) => return Err(refuse_link(e, &path)),
        };
        regular(&fd, &path)?;
        read_limited(File::from(fd), max, &path).map(Some)
    }

    /// Whether `name` exists (without following a symbolic link).
    pub fn exists(&self, name: &str) -> bool {
        nix::sys::stat::fstatat(self.fd(), name, nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW).is_ok()
    }

    /// Remove `name`; `Ok(false)` when it did not exist.
    pub fn remove(&self, name: &str) -> Result<bool, OsError> {
        match unlinkat(self.fd(), name, UnlinkatFlags::NoRemoveDir) {
            Ok(()) => Ok(true),
            Err(nix::Error::ENOENT) => Ok(false),
            Err(e) => Err(io_err("cannot remove", &self.join(name))(e)),
        }
    }

    /// `fsync` the directory (a rename or unlink in it becomes durable).
    pub fn sync(&self) -> Result<(), OsError> {
        nix::unistd::fsync(self.fd()).map_err(io_err("cannot sync", &self.path))
    }

    /// Open (creating with `mode`) `name` for reading and writing, e.g. a lock
    /// file: no symbolic link followed, a regular file only, never truncated.
    pub fn open_rw(&self, name: &str, mode: u32) -> Result<File, OsError> {
        let path = self.join(name);
        let fd = openat(
            self.fd(),
            name,
            OFlag::O_RDWR | OFlag::O_CREAT | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
            Mode::from_bits_truncate(mode & 0o777),
        )
        .map_err(|e| refuse_link(e, &path))?;
        regular(&fd, &path)?;
        Ok(File::from(fd))
    }

    /// Rename `from` to `to`, both in this directory.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), OsError> {
        renameat(self.fd(), from, self.fd(), to).map_err(io_err("cannot rename into", &self.join(to)))
    }

    /// Take the exclusive lock `name` (created 0644) for as long as the returned
    /// value lives, writing our pid in it; [`OsError::Locked`] with the holder's
    /// pid when another process holds it.
    pub fn lock(&self, name: &str) -> Result<Flock<File>, OsError> {
        let path = self.join(name);
        let file = self.open_rw(name, 0o644)?;
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(mut f) => {
                let written =
                    f.set_len(0).and_then(|()| f.write_all(format!("{}\n", std::process::id()).as_bytes()));
                written.map_err(std_err("cannot write", &path))?;
                Ok(f)
            }
            Err((mut f, nix::Error::EWOULDBLOCK)) => {
                let mut s = String::new();
                let _ = (&mut f).take(32).read_to_string(&mut s);
                Err(OsError::Locked { path, pid: s.trim().parse().ok() })
            }
            Err((_, e)) => Err(io_err("cannot lock", &path)(e)),
        }
    }
}

fn refuse_link(e: nix::Error, path: &Path) -> OsError {
    match e {
        nix::Error::ELOOP => OsError::Insecure {
            path: path.into(),
            why: "it is a symbolic link".into(),
            fix: format!("remove the link (`rm {}`)", path.display()),
        },
        e => io_err("cannot open", path)(e),
    }
}

fn regular(fd: &OwnedFd, path: &Path) -> Result<(), OsError> {
    let st = fstat(fd).map_err(io_err("cannot stat", path))?;
    if SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits()) != SFlag::S_IFREG {
        return Err(OsError::Insecure {
            path: path.into(),
            why: "it is not a regular file".into(),
            fix: format!("remove it (`rm {}`)", path.display()),
        });
    }
    Ok(())
}

fn read_limited(f: File, max: u64, path: &Path) -> Result<Vec<u8>, OsError> {
    let mut buf = Vec::new();
    f.take(max.saturating_add(1)).read_to_end(&mut buf).map_err(std_err("cannot read", path))?;
    if buf.len() as u64 > max {
        return Err(OsError::Insecure {
            path: path.into(),
            why: format!("it is larger than {max} bytes"),
            fix: "shorten it".into(),
        });
    }
    Ok(buf)
}

/// Read the regular file at `path` (following symbolic links, as a
/// configuration file may be one) without blocking on a FIFO or device, at most
/// `max` bytes. `Ok(None)` when it does not exist.
pub fn read_regular_file(path: &Path, max: u64) -> Result<Option<Vec<u8>>, OsError> {
    let fd =
        match nix::fcntl::open(path, OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC, Mode::empty()) {
            Ok(fd) => fd,
            Err(nix::Error::ENOENT) => return Ok(None),
            Err(e) => return Err(io_err("cannot open", path)(e)),
        };
    regular(&fd, path)?;
    read_limited(File::from(fd), max, path).map(Some)
}

/// Every existing ancestor of `path` must be owned by root or the effective
/// user, and not writable by group/others unless sticky and root's (`/tmp`).
fn check_ancestors(path: &Path) -> Result<(), OsError> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_err(std_err("cannot resolve", path))?.join(path)
    };
    for a in abs.ancestors().skip(1) {
        let Ok(st) = nix::sys::stat::stat(a) else { continue };
        let owner_ok = st.st_uid == 0 || st.st_uid == euid();
        let sticky_ok = is_sticky(&st) && st.st_uid == 0;
        if !owner_ok || (foreign_writable(&st) && !sticky_ok) {
            return Err(OsError::Insecure {
                path: a.into(),
                why: format!(
                    "this parent of {} (uid {}, mode {:04o}) lets another user replace what is inside",
                    path.display(),
                    st.st_uid,
                    st.st_mode & 0o7777
                ),
                fix: "use a directory whose parents belong to root and are not group/world-writable".into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn scratch(tag: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("fwctl-os-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir(&p).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_directory_gets_exactly_its_mode_whatever_the_umask() {
        let base = scratch("umask");
        let old = nix::sys::stat::umask(Mode::from_bits_truncate(0o077));
        let d = TrustedDir::ensure(&base.join("run"), 0o755, "runtime directory");
        nix::sys::stat::umask(old);
        d.unwrap();
        assert_eq!(mode(&base.join("run")), 0o755);
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn a_world_writable_or_symlinked_directory_is_refused_with_the_fix() {
        let base = scratch("refuse");
        let d = base.join("open");
        std::fs::create_dir(&d).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = TrustedDir::ensure(&d, 0o755, "state directory").unwrap_err().to_string();
        assert!(e.contains("writable by group or others") && e.contains("chmod go-w"), "{e}");
        std::os::unix::fs::symlink(&base, base.join("link")).unwrap();
        let e = TrustedDir::ensure(&base.join("link"), 0o755, "state directory").unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn install_replaces_atomically_never_through_a_symlink_and_sets_the_mode() {
        let base = scratch("install");
        let d = TrustedDir::ensure(&base.join("s"), 0o700, "state directory").unwrap();
        let victim = base.join("victim");
        std::fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, base.join("s/out.json")).unwrap();
        d.install("out.json", b"new", 0o644, true).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious", "the link's target is untouched");
        assert_eq!(std::fs::read_to_string(base.join("s/out.json")).unwrap(), "new");
        assert_eq!(mode(&base.join("s/out.json")), 0o644);
        // Only the installed file is left: no temporary.
        assert_eq!(std::fs::read_dir(base.join("s")).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn append_and_read_refuse_links_fifos_and_oversized_files() {
        let base = scratch("append");
        let d = TrustedDir::ensure(&base.join("s"), 0o700, "state directory").unwrap();
        std::os::unix::fs::symlink(base.join("target"), base.join("s/audit.log")).unwrap();
        assert!(matches!(d.open_append("audit.log", 0o600), Err(OsError::Insecure { .. })));
        assert!(!base.join("target").exists(), "no file created through the link");
        nix::unistd::mkfifo(&base.join("s/fifo"), Mode::from_bits_truncate(0o600)).unwrap();
        assert!(matches!(d.read_capped("fifo", 10), Err(OsError::Insecure { .. })), "a FIFO never blocks");
        std::fs::write(base.join("s/big"), [0u8; 11]).unwrap();
        assert!(matches!(d.read_capped("big", 10), Err(OsError::Insecure { .. })));
        assert_eq!(d.read_capped("missing", 10).unwrap(), None);
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn the_lock_is_exclusive_and_names_its_holder() {
        let base = scratch("lock");
        let d = TrustedDir::ensure(&base.join("run"), 0o755, "runtime directory").unwrap();
        let held = d.lock("fwctld.lock").unwrap();
        // A second open file description: flock conflicts as between processes.
        match d.lock("fwctld.lock") {
            Err(OsError::Locked { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(held);
        d.lock("fwctld.lock").unwrap();
        let _ = std::fs::remove_dir_all(&base);
    }
}

#[cfg(test)]
mod in_words_tests {
    use super::in_words;
    use std::io;

    #[test]
    fn os_errors_are_worded_without_the_rust_suffix() {
        assert_eq!(in_words(&io::Error::from_raw_os_error(2)), "no such file or directory");
        assert_eq!(in_words(&io::Error::from_raw_os_error(28)), "no space left on device");
        assert_eq!(in_words(&io::Error::other("Plain words")), "plain words");
    }

    /// The reason is in the message once, and not again as a source that a
    /// chain-printing reporter would append (issue 10).
    #[test]
    fn io_error_says_its_reason_once() {
        let e = super::std_err("cannot open", std::path::Path::new("/x/y"))(io::Error::from_raw_os_error(2));
        assert_eq!(e.to_string(), "cannot open /x/y: no such file or directory");
        assert!(std::error::Error::source(&e).is_none());
    }
}
