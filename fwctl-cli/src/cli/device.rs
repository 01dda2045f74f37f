//! The DEV argument: `fwctl0`, `0`, `/dev/fwctl/fwctl0`, or another path whose
//! last component names the device (a daemon socket such as `/run/fwctl/fwctl0`).

use std::fmt;
use std::path::PathBuf;

use fwctl_core::Errno;
use fwctl_core::transport::{Channel, Transport};
use fwctl_core::uapi::DeviceName;

use crate::cli::exit::CliError;

/// A device as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceArg {
    /// The subsystem's name for it, `fwctlN`.
    pub name: String,
    /// The path the user gave, if they gave one.
    pub path: Option<PathBuf>,
}

impl fmt::Display for DeviceArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Parse a DEV argument (a clap value parser): `fwctlN`, `N`,
/// `/dev/fwctl/fwctlN` or a path ending in `fwctlN` ([`DeviceName::parse`]).
pub fn parse(s: &str) -> Result<DeviceArg, String> {
    let name = DeviceName::parse(s).map_err(|e| e.to_string())?;
    let path = s.contains('/').then(|| PathBuf::from(s));
    Ok(DeviceArg { name: name.to_string(), path })
}

/// Open `dev` on `transport`, with a hint when there is no such device.
pub fn open(transport: &dyn Transport, dev: &DeviceArg) -> Result<Box<dyn Channel>, CliError> {
    transport.open(&dev.name).map_err(|e| {
        let err = CliError::errno(e, format!("open {dev}"));
        if e == Errno::ENODEV {
            err.with_hint(format!(
                "no device {dev} on the {} transport; `fwctl list` shows them",
                transport.kind()
            ))
        } else {
            err
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_form_names_the_same_device() {
        for s in ["fwctl0", "0", "/dev/fwctl/fwctl0", "/run/fwctl/fwctl0"] {
            assert_eq!(parse(s).unwrap().name, "fwctl0", "{s}");
        }
        assert_eq!(parse("4095").unwrap().name, "fwctl4095");
        assert_eq!(parse("/dev/fwctl/fwctl7").unwrap().path, Some(PathBuf::from("/dev/fwctl/fwctl7")));
    }

    #[test]
    fn other_spellings_are_refused_with_the_accepted_forms() {
        for s in ["", "fwctl", "fwctl-1", "4096", "fwctl4096", "007", "mlx5", "/dev/fwctl/", "/tmp/x", "+1"] {
            let e = parse(s).unwrap_err();
            assert!(e.contains("expected fwctlN"), "{s}: {e}");
        }
    }
}
