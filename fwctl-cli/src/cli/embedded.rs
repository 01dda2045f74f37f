//! The embedded subsystem: what `fwctl` talks to when no daemon and no
//! `/dev/fwctl` answer. It is built in this process, for trying things and for
//! tests, and `fwctl list` says so.

use fwctl_core::Subsystem;
use fwctl_core::transport::Embedded;

use crate::cli::GlobalOpts;
use crate::cli::exit::CliError;

/// Build the in-process subsystem with the built-in devices.
pub fn subsystem(global: &GlobalOpts) -> Result<Subsystem, CliError> {
    if let Some(path) = &global.policy {
        return Err(CliError::usage(format!(
            "--policy {}: policy files are not supported by this build yet",
            path.display()
        )));
    }
    Ok(Subsystem::new())
}

/// The embedded transport over [`subsystem`], with this process's credentials.
pub fn transport(global: &GlobalOpts) -> Result<Embedded, CliError> {
    Ok(Embedded::new(subsystem(global)?))
}
