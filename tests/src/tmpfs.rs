//! A small tmpfs for full-disk tests: mounted at a directory, filled until a
//! write fails, unmounted on drop. Mounting needs root (CAP_SYS_ADMIN); tests
//! SKIP when [`Tmpfs::mount`] gives `None`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted at a directory, unmounted (lazily) on drop.
#[derive(Debug)]
pub struct Tmpfs(PathBuf);

impl Tmpfs {
    /// A 256 KiB tmpfs at `dir` (created), mode 0700.
    pub fn mount(dir: &Path) -> Option<Tmpfs> {
        Self::mount_sized(dir, "256k")
    }

    /// A tmpfs of `size` (mount's `size=` syntax) at `dir` (created), mode 0700;
    /// `None` when `mount` fails (not root, or no CAP_SYS_ADMIN in a container).
    pub fn mount_sized(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let opts = format!("size={size},mode=0700");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &opts, "fwctl-test", &dir.display().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.into()))
    }
}

impl Tmpfs {
    /// [`Tmpfs::mount_sized`] for a full-disk test, or `None` after saying
    /// `SKIP: …` on stderr (not root, or no mount allowed here).
    pub fn mount_for_test(dir: &Path, size: &str) -> Option<Tmpfs> {
        if !nix::unistd::geteuid().is_root() {
            eprintln!("SKIP: not root: cannot mount the small tmpfs for the full-disk case");
            return None;
        }
        let fs = Self::mount_sized(dir, size);
        if fs.is_none() {
            eprintln!("SKIP: mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?)");
        }
        fs
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fill the file system of `dir` with `dir/filler` until a write fails;
/// returns the filler's path (remove it to free the space).
pub fn fill(dir: &Path) -> PathBuf {
    let p = dir.join("filler");
    let Ok(mut f) = std::fs::File::create(&p) else { return p };
    let block = [0u8; 4096];
    while f.write_all(&block).is_ok() {}
    let _ = f.sync_all();
    p
}
