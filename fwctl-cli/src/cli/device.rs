//! The DEV argument: `fwctl0`, `0`, `/dev/fwctl/fwctl0`, another path whose
//! last component names the device (a daemon socket such as `/run/fwctl/fwctl0`),
//! or the parent PCI address (`0000:08:00.0`, as mlxreg `-d` and devlink take
//! it), resolved against the transport's device list ([`resolve`]).

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
    /// The parent PCI address the user gave, until [`resolve`] finds its device.
    pub pci: Option<String>,
}

/// Whether `s` is a PCI address `DDDD:BB:DD.F` (domain optional), lower-cased.
fn pci_address(s: &str) -> Option<String> {
    let s = s.to_ascii_lowercase();
    let full = if s.matches(':').count() == 1 { format!("0000:{s}") } else { s };
    let b = full.as_bytes();
    let hex = |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_hexdigit));
    let ok = full.len() == 12
        && hex(0..4)
        && b[4] == b':'
        && hex(5..7)
        && b[7] == b':'
        && hex(8..10)
        && b[10] == b'.'
        && (b'0'..=b'7').contains(&b[11]);
    ok.then_some(full)
}

/// The device whose parent is `dev`'s PCI address (a name or path passes unchanged).
pub fn resolve(transport: &dyn Transport, dev: &DeviceArg) -> Result<DeviceArg, CliError> {
    let Some(pci) = &dev.pci else { return Ok(dev.clone()) };
    let devices = transport.list().map_err(|e| CliError::errno(e, "list devices"))?;
    let found: Vec<_> = devices
        .iter()
        .filter(|d| d.view.identity.parent.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(pci)))
        .collect();
    match found.as_slice() {
        [one] => Ok(DeviceArg { name: one.view.name.clone(), path: None, pci: None }),
        [] => Err(CliError::no_device(format!("no fwctl device has the parent {pci}"))
            .with_hint("`fwctl list` shows each device's PARENT")),
        many => Err(CliError::usage(format!(
            "{pci} is the parent of {} devices ({}); name one",
            many.len(),
            many.iter().map(|d| d.view.name.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

impl fmt::Display for DeviceArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Parse a DEV argument (a clap value parser): `fwctlN`, `N`,
/// `/dev/fwctl/fwctlN`, a path ending in `fwctlN` ([`DeviceName::parse`]), or a PCI
/// address (resolved later against the device list).
pub fn parse(s: &str) -> Result<DeviceArg, crate::cli::value::ValueError> {
    if let Some(pci) = pci_address(s) {
        return Ok(DeviceArg { name: pci.clone(), path: None, pci: Some(pci) });
    }
    let name = DeviceName::parse(s).map_err(crate::cli::value::ValueError::Device)?;
    let path = s.contains('/').then(|| PathBuf::from(s));
    Ok(DeviceArg { name: name.to_string(), path, pci: None })
}

/// Open `dev` on `transport`, with a hint when there is no such device.
pub fn open(transport: &dyn Transport, dev: &DeviceArg) -> Result<Box<dyn Channel>, CliError> {
    transport.open(&dev.name).map_err(|e| {
        let mut err = CliError::errno(e, format!("open {dev}"));
        if e == Errno::EIO
            && let Some(why) = transport.last_error()
        {
            // Not a bare EIO: the daemon said why (connection limits, shutting down…).
            err.message = format!("open {dev}: {why}");
        }
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
    fn pci_addresses_are_accepted_with_or_without_the_domain() {
        assert_eq!(parse("0000:08:00.0").unwrap().pci.as_deref(), Some("0000:08:00.0"));
        assert_eq!(parse("08:00.1").unwrap().pci.as_deref(), Some("0000:08:00.1"));
        assert_eq!(parse("0000:0A:00.0").unwrap().pci.as_deref(), Some("0000:0a:00.0"));
        assert!(parse("0000:08:00.8").is_err());
    }

    #[test]
    fn other_spellings_are_refused_with_the_accepted_forms() {
        for s in ["", "fwctl", "fwctl-1", "4096", "fwctl4096", "007", "mlx5", "/dev/fwctl/", "/tmp/x", "+1"] {
            let e = parse(s).unwrap_err();
            assert!(e.to_string().contains("expected fwctlN"), "{s}: {e}");
        }
    }
}
