//! What `fwctl exec` told the library (environment, read once) and the path
//! rewriting it implies.

use std::ffi::{CStr, CString};
use std::path::PathBuf;
use std::sync::OnceLock;

use fwctl_fuse::sysfs::env;

use crate::conn::Speculate;

/// Where opens of the device nodes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// To the daemon's sockets, answered by this library.
    Exec,
    /// To the real nodes (e.g. fwctld's FUSE nodes); only stat and sysfs are faked.
    SysfsOnly,
}

/// The library's configuration.
#[derive(Debug)]
pub struct Config {
    /// The fake tree's root, as bytes, without a trailing slash.
    pub root: Vec<u8>,
    /// The daemon's runtime directory.
    pub runtime_dir: PathBuf,
    /// The character major reported.
    pub major: u32,
    /// See [`Mode`].
    pub mode: Mode,
    /// The directory programs open nodes in (`/dev/fwctl`).
    pub dev_dir: Vec<u8>,
    /// `(from, to)` prefixes.
    pub redirects: Vec<(Vec<u8>, Vec<u8>)>,
    /// Whether a repeated ioctl is sent without reading its struct first
    /// ([`SPECULATE`]: `0` never, `always` without backing off after a
    /// failed guess; otherwise the default, [`Speculate::Repeat`]).
    pub speculate: Speculate,
}

/// The environment variable that sets [`Config::speculate`].
pub const SPECULATE: &str = "FWCTL_EXEC_SPECULATE";

/// The configuration, `None` when the environment carries none (the library
/// then passes everything through).
pub fn get() -> Option<&'static Config> {
    static CONFIG: OnceLock<Option<Config>> = OnceLock::new();
    CONFIG.get_or_init(load).as_ref()
}

fn load() -> Option<Config> {
    let root = std::env::var(env::ROOT).ok()?;
    let runtime_dir = PathBuf::from(std::env::var_os(env::RUNTIME_DIR)?);
    let major = std::env::var(env::MAJOR).ok()?.parse().ok()?;
    let mode = match std::env::var(env::MODE).ok()?.as_str() {
        "sysfs-only" => Mode::SysfsOnly,
        _ => Mode::Exec,
    };
    let dev_dir = std::env::var(env::DEV_DIR).unwrap_or_else(|_| fwctl_fuse::sysfs::DEV_DIR.to_string());
    let redirects = std::env::var(env::REDIRECT)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(f, t)| {
            (f.trim_end_matches('/').as_bytes().to_vec(), t.trim_end_matches('/').as_bytes().to_vec())
        })
        .filter(|(f, _)| f.starts_with(b"/"))
        .collect();
    Some(Config {
        root: root.trim_end_matches('/').as_bytes().to_vec(),
        runtime_dir,
        major,
        mode,
        dev_dir: dev_dir.trim_end_matches('/').as_bytes().to_vec(),
        redirects,
        speculate: match std::env::var(SPECULATE).as_deref() {
            Ok("0") => Speculate::Off,
            Ok("always") => Speculate::Always,
            _ => Speculate::Repeat,
        },
    })
}

/// Whether `path` is `prefix` or lies below it.
fn under(path: &[u8], prefix: &[u8]) -> Option<usize> {
    (path.starts_with(prefix) && (path.len() == prefix.len() || path[prefix.len()] == b'/'))
        .then_some(prefix.len())
}

impl Config {
    /// The rewritten path, if `path` lies under a redirected prefix.
    pub fn redirect(&self, path: &CStr) -> Option<CString> {
        let p = path.to_bytes();
        if p.first() != Some(&b'/') {
            return None;
        }
        for (from, to) in &self.redirects {
            if let Some(n) = under(p, from) {
                let mut v = Vec::with_capacity(to.len() + p.len() - n);
                v.extend_from_slice(to);
                v.extend_from_slice(&p[n..]);
                return CString::new(v).ok();
            }
        }
        None
    }

    /// How many bytes to drop from the front of a resolved path that lies in
    /// the fake tree (so `<root>/sys/devices/…` reads `/sys/devices/…`).
    pub fn unmap_len(&self, resolved: &[u8]) -> Option<usize> {
        under(resolved, &self.root).filter(|&n| n < resolved.len())
    }

    /// The minor of a device node path: `<dev dir>/fwctlN` or the tree's own
    /// `<root>/dev/fwctl/fwctlN`.
    pub fn node_minor(&self, path: &[u8]) -> Option<u32> {
        let name = if let Some(n) = under(path, &self.dev_dir) {
            &path[n..]
        } else {
            let mut tree = self.root.clone();
            tree.extend_from_slice(b"/dev/fwctl");
            let n = under(path, &tree)?;
            &path[n..]
        };
        let name = std::str::from_utf8(name.strip_prefix(b"/")?).ok()?;
        fwctl_uapi::DeviceName::from_name(name).map(|d| d.minor())
    }

    /// Whether the fake tree lists device `minor` (it exists for this run).
    /// A raw `faccessat` system call: libc's, or std's `exists`, could come
    /// back into this library's interposers.
    pub fn listed(&self, minor: u32) -> bool {
        let mut p = self.root.clone();
        p.extend_from_slice(format!("/dev/fwctl/fwctl{minor}").as_bytes());
        let Ok(c) = CString::new(p) else { return false };
        // SAFETY: faccessat(2) with a NUL-terminated path; no memory is written.
        let r = unsafe {
            nix::libc::syscall(nix::libc::SYS_faccessat, nix::libc::AT_FDCWD, c.as_ptr(), nix::libc::F_OK)
        };
        r == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config {
            root: b"/tmp/v".to_vec(),
            runtime_dir: PathBuf::from("/run/x"),
            major: 240,
            mode: Mode::Exec,
            dev_dir: b"/dev/fwctl".to_vec(),
            redirects: vec![
                (b"/sys/class/fwctl".to_vec(), b"/tmp/v/sys/class/fwctl".to_vec()),
                (b"/dev/fwctl".to_vec(), b"/tmp/v/dev/fwctl".to_vec()),
            ],
            speculate: Speculate::Repeat,
        }
    }

    #[test]
    fn prefixes_match_whole_components() {
        let c = cfg();
        let r = |p: &str| {
            c.redirect(&CString::new(p).unwrap_or_default()).map(|s| s.into_string().unwrap_or_default())
        };
        assert_eq!(r("/sys/class/fwctl").as_deref(), Some("/tmp/v/sys/class/fwctl"));
        assert_eq!(r("/sys/class/fwctl/fwctl0/dev").as_deref(), Some("/tmp/v/sys/class/fwctl/fwctl0/dev"));
        assert_eq!(r("/sys/class/fwctlx"), None);
        assert_eq!(r("sys/class/fwctl"), None);
        assert_eq!(c.unmap_len(b"/tmp/v/sys/devices/a"), Some(6));
        assert_eq!(c.unmap_len(b"/tmp/vv/sys"), None);
    }

    #[test]
    fn node_paths_name_a_minor() {
        let c = cfg();
        assert_eq!(c.node_minor(b"/dev/fwctl/fwctl3"), Some(3));
        assert_eq!(c.node_minor(b"/tmp/v/dev/fwctl/fwctl0"), Some(0));
        for bad in [
            &b"/dev/fwctl"[..],
            b"/dev/fwctl/",
            b"/dev/fwctl/fwctl",
            b"/dev/fwctl/x/fwctl0",
            b"/dev/fwctlfwctl0",
        ] {
            assert_eq!(c.node_minor(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
