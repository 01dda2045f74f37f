//! The DEV argument: `fwctl0`, `0`, `/dev/fwctl/fwctl0`, or another path whose
//! last component names the device (a daemon socket such as `/run/fwctl/fwctl0`).

use std::fmt;
use std::path::{Path, PathBuf};

use fwctl_core::Errno;
use fwctl_core::transport::{Channel, Transport};
use fwctl_core::uapi::FWCTL_MAX_DEVICES;

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

/// The minor of a `fwctlN` name, if it is one (no sign, no leading zeros).
fn minor_of(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("fwctl")?;
    minor_of_number(digits)
}

fn minor_of_number(digits: &str) -> Option<u32> {
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse::<u32>().ok()).flatten().filter(|&m| m < FWCTL_MAX_DEVICES)
}

/// Parse a DEV argument (a clap value parser).
pub fn parse(s: &str) -> Result<DeviceArg, String> {
    const FORMS: &str = "expected fwctlN, N (0-4095), /dev/fwctl/fwctlN or a path ending in fwctlN";
    if s.contains('/') {
        let file = Path::new(s).file_name().and_then(|f| f.to_str()).unwrap_or("");
        return match minor_of(file) {
            Some(m) => Ok(DeviceArg { name: format!("fwctl{m}"), path: Some(PathBuf::from(s)) }),
            None => Err(format!("'{s}' does not name a fwctl device; {FORMS}")),
        };
    }
    if let Some(m) = minor_of(s).or_else(|| minor_of_number(s)) {
        return Ok(DeviceArg { name: format!("fwctl{m}"), path: None });
    }
    Err(format!("'{s}' is not a device; {FORMS}"))
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
