//! A faked sysfs view of fwctl devices, for programs run under `fwctl exec`.
//!
//! Tools find fwctl devices the way the kernel lays them out (see
//! `drivers/fwctl/main.c`: a class `fwctl`, a `cdev` per device named
//! `fwctl%d` whose minor is that number, its parent the driver's device):
//!
//! ```text
//! /sys/class/fwctl/fwctlN      -> ../../devices/<parent path>/fwctl/fwctlN
//! /sys/dev/char/M:N            -> ../../devices/<parent path>/fwctl/fwctlN
//! <parent path>/fwctl/fwctlN/  dev ("M:N"), uevent, device -> the parent, subsystem -> the class
//! <parent path>/driver         -> ../../../bus/<bus>/drivers/<vendor driver> (e.g. mlx5_core)
//! /sys/bus/pci/devices/<BDF>   -> ../../../devices/<parent path>   (PCI parents)
//! ```
//!
//! (mlx5ctl, for one, globs `/sys/class/fwctl/*`, reads the link
//! `device/driver` and requires `drivers/mlx5_core` in it, resolves `device`
//! with `realpath` and requires a `/sys/devices/` prefix, and maps an open fd
//! back to its class entry through `fstat`'s `st_rdev` and `/sys/dev/char/M:N`.)
//!
//! [`FakeSysfs::build`] writes that tree under a private directory with
//! relative links, as sysfs has them, so they resolve inside the tree; the
//! preload library (`fwctl-preload`) rewrites the listed path prefixes
//! ([`FakeSysfs::redirects`]) to the tree and maps resolved paths back. What is
//! not faked: `power/`, attributes of the parent other than `vendor`/`device`/
//! `uevent`, other subsystems' links (`infiniband/`, `net/`), and anything a
//! program reads without going through libc's path functions.

use std::io;
use std::path::{Path, PathBuf};

/// Environment variables through which `fwctl exec` configures the preload library.
pub mod env {
    /// The fake tree's root directory (holds `sys/` and `dev/`).
    pub const ROOT: &str = "FWCTL_EXEC_ROOT";
    /// The daemon's runtime directory (device sockets `fwctlN`).
    pub const RUNTIME_DIR: &str = "FWCTL_EXEC_RUNTIME_DIR";
    /// The character-device major the view reports (decimal).
    pub const MAJOR: &str = "FWCTL_EXEC_MAJOR";
    /// `exec` (opens of the device nodes go to the daemon's sockets) or
    /// `sysfs-only` (opens go to the real nodes, e.g. fwctld's FUSE nodes).
    pub const MODE: &str = "FWCTL_EXEC_MODE";
    /// The rewritten path prefixes: lines `FROM\tTO`.
    pub const REDIRECT: &str = "FWCTL_EXEC_REDIRECT";
    /// The directory programs open device nodes in (`/dev/fwctl`).
    pub const DEV_DIR: &str = "FWCTL_EXEC_DEV_DIR";
}

/// Where programs look for device nodes.
pub const DEV_DIR: &str = "/dev/fwctl";

/// One device as the view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysfsDevice {
    /// The minor, `N` of `fwctlN`.
    pub minor: u32,
    /// The uAPI device type name (`mlx5`, `cxl`, `pds`, `bnxt`…).
    pub device_type: String,
    /// The parent as the daemon reports it: a PCI address `DDDD:BB:DD.F`, or any other name.
    pub parent: String,
}

/// The vendor driver a real parent of this device type is bound to, and its bus.
fn vendor_driver(device_type: &str) -> (&'static str, &'static str) {
    match device_type {
        "mlx5" => ("pci", "mlx5_core"),
        "cxl" => ("cxl", "cxl_mem"),
        "pds" => ("pci", "pds_core"),
        "bnxt" => ("pci", "bnxt_en"),
        _ => ("platform", "fwctl_sim"),
    }
}

/// PCI vendor and device ids shown for a PCI parent of this type.
fn pci_ids(device_type: &str) -> (&'static str, &'static str) {
    match device_type {
        "mlx5" => ("0x15b3", "0x101d"), // Mellanox, ConnectX-6 Dx
        "pds" => ("0x1dd8", "0x1002"),  // Pensando, DSC
        "bnxt" => ("0x14e4", "0x1750"), // Broadcom, BCM57508
        _ => ("0x0000", "0x0000"),
    }
}

/// Whether `s` is a PCI address `DDDD:BB:DD.F` (lower-case hex).
pub fn is_pci_address(s: &str) -> bool {
    let b = s.as_bytes();
    let hex =
        |r: std::ops::Range<usize>| b[r].iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c));
    b.len() == 12
        && b[4] == b':'
        && b[7] == b':'
        && b[10] == b'.'
        && hex(0..4)
        && hex(5..7)
        && hex(8..10)
        && (b'0'..=b'7').contains(&b[11])
}

/// A built view: its root and the prefixes to rewrite.
#[derive(Debug, Clone)]
pub struct FakeSysfs {
    root: PathBuf,
    redirects: Vec<(String, String)>,
}

/// The `../` chain from directory `from` (relative to the tree root) up to the root.
fn up(from: &str) -> String {
    "../".repeat(from.split('/').filter(|c| !c.is_empty()).count())
}

fn link(target: &str, at: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

impl FakeSysfs {
    /// Write the view of `devices` (character major `major`) under `root`, an
    /// empty directory. `dev_target` is where `/dev/fwctl` is redirected:
    /// `None` for the tree's own `dev/fwctl` (a listing of placeholders; the
    /// preload library answers opens itself), or a directory of real nodes.
    pub fn build(
        root: &Path,
        major: u32,
        devices: &[SysfsDevice],
        dev_target: Option<&Path>,
    ) -> io::Result<FakeSysfs> {
        let root_s = root.to_str().ok_or_else(|| io::Error::other("the view's directory is not UTF-8"))?;
        let mut redirects = vec![("/sys/class/fwctl".to_string(), format!("{root_s}/sys/class/fwctl"))];
        std::fs::create_dir_all(root.join("sys/class/fwctl"))?;
        std::fs::create_dir_all(root.join("sys/dev/char"))?;
        std::fs::create_dir_all(root.join("dev/fwctl"))?;
        for d in devices {
            let name = format!("fwctl{}", d.minor);
            let (bus, driver) = vendor_driver(&d.device_type);
            let pci = is_pci_address(&d.parent);
            // The parent's directory, relative to the tree root.
            let parent = if pci {
                format!("sys/devices/pci{}/{}", &d.parent[..7], d.parent)
            } else {
                let safe: String = d
                    .parent
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() || ".:-_".contains(c) { c } else { '_' })
                    .collect();
                format!("sys/devices/fwctl-sim/{}", if safe.is_empty() { name.clone() } else { safe })
            };
            let pdir = root.join(&parent);
            std::fs::create_dir_all(&pdir)?;
            let drv = format!("sys/bus/{bus}/drivers/{driver}");
            std::fs::create_dir_all(root.join(&drv))?;
            if !pdir.join("driver").exists() {
                link(&format!("{}{drv}", up(&parent)), &pdir.join("driver"))?;
                let slot = if pci { format!("PCI_SLOT_NAME={}\n", d.parent) } else { String::new() };
                std::fs::write(pdir.join("uevent"), format!("DRIVER={driver}\n{slot}"))?;
                if pci {
                    let (vendor, device) = pci_ids(&d.device_type);
                    std::fs::write(pdir.join("vendor"), format!("{vendor}\n"))?;
                    std::fs::write(pdir.join("device"), format!("{device}\n"))?;
                    std::fs::create_dir_all(root.join("sys/bus/pci/devices"))?;
                    link(
                        &format!("../../../{}", parent.trim_start_matches("sys/")),
                        &root.join("sys/bus/pci/devices").join(&d.parent),
                    )?;
                    redirects.push((
                        format!("/sys/bus/pci/devices/{}", d.parent),
                        format!("{root_s}/sys/bus/pci/devices/{}", d.parent),
                    ));
                }
                redirects.push((format!("/{parent}"), format!("{root_s}/{parent}")));
            }
            let cdir_rel = format!("{parent}/fwctl/{name}");
            let cdir = root.join(&cdir_rel);
            std::fs::create_dir_all(&cdir)?;
            std::fs::write(cdir.join("dev"), format!("{major}:{}\n", d.minor))?;
            std::fs::write(
                cdir.join("uevent"),
                format!("MAJOR={major}\nMINOR={}\nDEVNAME=fwctl/{name}\n", d.minor),
            )?;
            let parent_name = parent.rsplit('/').next().unwrap_or_default();
            link(&format!("../../../{parent_name}"), &cdir.join("device"))?;
            link(&format!("{}sys/class/fwctl", up(&cdir_rel)), &cdir.join("subsystem"))?;
            let from_class = format!("../../{}", cdir_rel.trim_start_matches("sys/"));
            link(&from_class, &root.join("sys/class/fwctl").join(&name))?;
            let devnum = format!("{major}:{}", d.minor);
            link(&from_class, &root.join("sys/dev/char").join(&devnum))?;
            redirects.push((format!("/sys/dev/char/{devnum}"), format!("{root_s}/sys/dev/char/{devnum}")));
            std::fs::write(root.join("dev/fwctl").join(&name), b"")?;
        }
        let dev_to = match dev_target {
            Some(p) => {
                p.to_str().ok_or_else(|| io::Error::other("the device directory is not UTF-8"))?.to_string()
            }
            None => format!("{root_s}/dev/fwctl"),
        };
        redirects.push((DEV_DIR.to_string(), dev_to));
        Ok(FakeSysfs { root: root.to_path_buf(), redirects })
    }

    /// The tree's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path prefixes the preload library rewrites, `(from, to)`.
    pub fn redirects(&self) -> &[(String, String)] {
        &self.redirects
    }

    /// [`FakeSysfs::redirects`] encoded for [`env::REDIRECT`].
    pub fn redirect_env(&self) -> String {
        self.redirects.iter().map(|(f, t)| format!("{f}\t{t}")).collect::<Vec<_>>().join("\n")
    }
}

/// The first character-device major in the kernel's "local/experimental use"
/// range (240–254, `Documentation/admin-guide/devices.txt`) that
/// `/proc/devices` does not list, so the faked `M:N` does not name a real
/// device of this machine; 240 if all are taken or the list is unreadable.
pub fn free_experimental_major() -> u32 {
    let Ok(text) = std::fs::read_to_string("/proc/devices") else { return 240 };
    let used: Vec<u32> = text
        .lines()
        .take_while(|l| !l.starts_with("Block devices"))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    (240..=254).find(|m| !used.contains(m)).unwrap_or(240)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pci_addresses_are_recognised() {
        assert!(is_pci_address("0000:08:00.0"));
        for bad in ["mem0", "0000:08:00.8", "0000:08:00", "0000-08:00.0", "0000:0G:00.0"] {
            assert!(!is_pci_address(bad), "{bad}");
        }
    }

    #[test]
    fn the_tree_resolves_like_sysfs() {
        let root = std::env::temp_dir().join(format!("fwctl-sysfs-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
        let devs = [
            SysfsDevice { minor: 0, device_type: "mlx5".into(), parent: "0000:08:00.0".into() },
            SysfsDevice { minor: 1, device_type: "cxl".into(), parent: "mem0".into() },
        ];
        let v = FakeSysfs::build(&root, 241, &devs, None).unwrap_or_else(|e| panic!("{e}"));
        let class = root.join("sys/class/fwctl/fwctl0");
        assert_eq!(std::fs::read_to_string(class.join("dev")).ok().as_deref(), Some("241:0\n"));
        let drv = std::fs::read_link(class.join("device/driver")).unwrap_or_default();
        assert!(drv.to_string_lossy().ends_with("bus/pci/drivers/mlx5_core"), "{drv:?}");
        let parent = std::fs::canonicalize(class.join("device")).unwrap_or_default();
        assert_eq!(parent, root.join("sys/devices/pci0000:08/0000:08:00.0"));
        let by_num = std::fs::canonicalize(root.join("sys/dev/char/241:1")).unwrap_or_default();
        assert_eq!(by_num, root.join("sys/devices/fwctl-sim/mem0/fwctl/fwctl1"));
        let sub = std::fs::canonicalize(class.join("subsystem")).unwrap_or_default();
        assert_eq!(sub, root.join("sys/class/fwctl"));
        assert!(v.redirects().iter().any(|(f, _)| f == "/sys/devices/pci0000:08/0000:08:00.0"));
        let _ = std::fs::remove_dir_all(&root);
    }
}
