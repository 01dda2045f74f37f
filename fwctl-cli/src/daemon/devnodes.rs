//! `--dev-dir`: serve `/dev/fwctl/fwctlN`-style device nodes over FUSE for
//! unmodified programs (`fwctl_fuse`), next to the sockets.
//!
//! Off unless asked for: `--dev-dir DIR` (or `dev_dir` in `fwctld.toml`) mounts
//! at DIR; `--dev-dir auto` mounts at `/dev/fwctl` when the daemon runs as root,
//! `/dev/fuse` exists and the kernel has no fwctl devices of its own, and serves
//! sockets only otherwise (saying why).

use std::path::{Path, PathBuf};

use fwctl_core::Subsystem;
use fwctl_fuse::{DevNodes, DevNodesConfig};

/// Where the kernel's fwctl puts its nodes.
pub const KERNEL_DEV_DIR: &str = "/dev/fwctl";

/// The device-node settings, from the command line or the configuration.
#[derive(Debug, Clone, Default)]
pub struct DevSettings {
    /// `DIR`, `auto`, or nothing (no nodes).
    pub dir: Option<PathBuf>,
    /// Permission bits (octal text on the command line, e.g. `0660`).
    pub mode: Option<u32>,
    /// Group name or numeric gid.
    pub group: Option<String>,
}

/// Parse an octal mode such as `0660` or `660`; only permission bits.
pub fn parse_mode(text: &str) -> Result<u32, crate::cli::value::ValueError> {
    let t = text.trim().trim_start_matches("0o");
    match u32::from_str_radix(t, 8) {
        Ok(m) if m <= 0o777 => Ok(m),
        _ => Err(crate::cli::value::ValueError::Mode(text.into())),
    }
}

/// Why the device nodes were not mounted.
#[derive(Debug, thiserror::Error)]
pub enum DevNodesError {
    /// `--dev-group` names no group.
    #[error("--dev-group: no group named '{0}'")]
    NoGroup(String),
    /// The group database could not be read.
    #[error("--dev-group '{group}': {err}")]
    GroupLookup {
        /// The name given.
        group: String,
        /// The lookup's errno.
        err: nix::errno::Errno,
    },
    /// The FUSE mount failed.
    #[error("{0}")]
    Mount(fwctl_fuse::MountError),
}

fn resolve_group(group: &str) -> Result<u32, DevNodesError> {
    if let Ok(gid) = group.parse::<u32>() {
        return Ok(gid);
    }
    match nix::unistd::Group::from_name(group) {
        Ok(Some(g)) => Ok(g.gid.as_raw()),
        Ok(None) => Err(DevNodesError::NoGroup(group.into())),
        Err(err) => Err(DevNodesError::GroupLookup { group: group.into(), err }),
    }
}

/// Whether the kernel serves fwctl devices itself (then `auto` leaves it alone).
fn kernel_has_fwctl() -> bool {
    std::fs::read_dir("/sys/class/fwctl").map(|mut d| d.next().is_some()).unwrap_or(false)
}

/// Mount the nodes as `settings` say. `Ok(None)`: none asked for (or `auto`
/// declined, with the reason in `notes`).
pub fn start(
    subsystem: &Subsystem,
    settings: &DevSettings,
    notes: &mut Vec<String>,
) -> Result<Option<DevNodes>, DevNodesError> {
    let Some(dir) = &settings.dir else { return Ok(None) };
    let dir = if dir == Path::new("auto") {
        if !nix::unistd::geteuid().is_root() {
            notes.push("--dev-dir auto: not root, no device nodes".into());
            return Ok(None);
        }
        if !Path::new("/dev/fuse").exists() {
            notes.push("--dev-dir auto: no /dev/fuse, no device nodes".into());
            return Ok(None);
        }
        if kernel_has_fwctl() {
            notes.push(
                "--dev-dir auto: the kernel has fwctl devices of its own; leaving /dev/fwctl to it".into(),
            );
            return Ok(None);
        }
        PathBuf::from(KERNEL_DEV_DIR)
    } else {
        dir.clone()
    };
    let mut config = DevNodesConfig::new(&dir);
    config.uid = nix::unistd::geteuid().as_raw();
    config.gid = match &settings.group {
        Some(g) => resolve_group(g)?,
        None => nix::unistd::getegid().as_raw(),
    };
    if let Some(m) = settings.mode {
        config.mode = m;
    }
    let nodes = DevNodes::mount(subsystem.clone(), config).map_err(DevNodesError::Mount)?;
    notes.push(format!(
        "device nodes in {} (mode {:04o}, group {})",
        dir.display(),
        settings.mode.unwrap_or(0o600),
        settings.group.as_deref().unwrap_or("the daemon's")
    ));
    Ok(Some(nodes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_octal_permission_bits() {
        assert_eq!(parse_mode("0660"), Ok(0o660));
        assert_eq!(parse_mode("600"), Ok(0o600));
        assert_eq!(parse_mode("0o644"), Ok(0o644));
        assert!(parse_mode("0999").is_err());
        assert!(parse_mode("4755").is_err(), "no setuid bits on a device node");
        assert!(parse_mode("rw").is_err());
    }

    #[test]
    fn the_configuration_file_keys_parse() {
        let text = "dev_dir = \"/dev/fwctl\"\ndev_mode = 0o660\ndev_group = \"wheel\"\n\n[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n";
        let c = crate::daemon::config::Config::parse(text, Path::new("fwctld.toml")).unwrap();
        assert_eq!(c.dev_dir.as_deref(), Some(Path::new("/dev/fwctl")));
        assert_eq!((c.dev_mode, c.dev_group.as_deref()), (Some(0o660), Some("wheel")));
        let none = crate::daemon::config::Config::parse(
            "[[device]]\nname = \"a\"\ndriver = \"mlx5-sim\"\n",
            Path::new("x"),
        );
        assert_eq!(none.unwrap().dev_dir, None, "no nodes unless asked for");
    }

    #[test]
    fn groups_by_name_or_number() {
        assert_eq!(resolve_group("0").ok(), Some(0));
        assert_eq!(resolve_group("root").ok(), Some(0));
        assert!(
            matches!(resolve_group("no-such-group-fwctl"), Err(DevNodesError::NoGroup(g)) if g == "no-such-group-fwctl")
        );
    }
}
