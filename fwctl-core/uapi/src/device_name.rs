//! [`DeviceName`]: the one parser of device names, `fwctlN`, as the kernel names
//! `/dev/fwctl/fwctlN` (`dev_set_name(&fwctl->dev, "fwctl%d", devnum)` with
//! `devnum < FWCTL_MAX_DEVICES`).

use core::fmt;
use core::str::FromStr;

use crate::FWCTL_MAX_DEVICES;

/// A device name `fwctlN`: `N` below [`FWCTL_MAX_DEVICES`], written in canonical
/// decimal (no sign, no leading zeros), so that one device has one name and a
/// name can never escape a directory it is joined to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceName(u32);

/// Why a string does not name a device.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a device; expected fwctlN, N (0-4095), /dev/fwctl/fwctlN or a path ending in fwctlN")]
pub struct BadDeviceName(pub String);

impl DeviceName {
    /// The device with minor `minor`, if it is below [`FWCTL_MAX_DEVICES`].
    pub const fn from_minor(minor: u32) -> Option<DeviceName> {
        if minor < FWCTL_MAX_DEVICES { Some(DeviceName(minor)) } else { None }
    }

    /// The minor number.
    pub const fn minor(self) -> u32 {
        self.0
    }

    /// Exactly `fwctlN` (what a device socket or a `/sys/class/fwctl` entry is
    /// called); `None` for anything else.
    pub fn from_name(name: &str) -> Option<DeviceName> {
        Self::from_number(name.strip_prefix("fwctl")?)
    }

    /// Canonical decimal `N`.
    fn from_number(digits: &str) -> Option<DeviceName> {
        let canonical = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if !canonical || digits.len() > 4 {
            return None;
        }
        digits.parse::<u32>().ok().and_then(Self::from_minor)
    }

    /// What a user may type: `fwctlN`, `N`, or a path whose last component is
    /// `fwctlN` (`/dev/fwctl/fwctlN`, a daemon socket `/run/fwctl/fwctlN`).
    pub fn parse(s: &str) -> Result<DeviceName, BadDeviceName> {
        let found = match s.rsplit_once('/') {
            Some((_, file)) => Self::from_name(file),
            None => Self::from_name(s).or_else(|| Self::from_number(s)),
        };
        found.ok_or_else(|| BadDeviceName(s.to_string()))
    }
}

impl fmt::Display for DeviceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fwctl{}", self.0)
    }
}

impl FromStr for DeviceName {
    type Err = BadDeviceName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_form_names_the_same_device() {
        for s in ["fwctl0", "0", "/dev/fwctl/fwctl0", "/run/fwctl/fwctl0"] {
            assert_eq!(DeviceName::parse(s).map(DeviceName::minor), Ok(0), "{s}");
        }
        assert_eq!(DeviceName::parse("4095").map(|d| d.to_string()), Ok("fwctl4095".to_string()));
    }

    #[test]
    fn other_spellings_are_refused() {
        for s in [
            "",
            "fwctl",
            "fwctl-1",
            "4096",
            "fwctl4096",
            "007",
            "fwctl01",
            "mlx5",
            "/dev/fwctl/",
            "/tmp/x",
            "+1",
        ] {
            assert!(DeviceName::parse(s).is_err(), "{s}");
        }
        for s in ["fwctl../x", "../fwctl0", "fwctl0/x", "control", "fwctl12345", "0"] {
            assert_eq!(DeviceName::from_name(s), None, "{s}");
        }
    }
}
