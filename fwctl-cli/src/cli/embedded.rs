//! The embedded subsystem: what `fwctl` talks to when no daemon and no
//! `/dev/fwctl` answer. It is built in this process with one simulated mlx5
//! device, `fwctl0`, for trying things and for tests, and `fwctl list` says so.

use fwctl_core::Subsystem;
use fwctl_core::transport::Embedded;
use fwctl_mlx5_sim::{Mlx5Device, SimConfig};

use crate::cli::GlobalOpts;
use crate::cli::exit::CliError;

/// Build the in-process subsystem with the simulated mlx5 device as `fwctl0`.
pub fn subsystem(global: &GlobalOpts) -> Result<Subsystem, CliError> {
    if let Some(path) = &global.policy {
        return Err(CliError::usage(format!(
            "--policy {}: policy files are not supported by this build yet",
            path.display()
        )));
    }
    let subsystem = Subsystem::new();
    let device = Mlx5Device::new(SimConfig::default())
        .map_err(|e| CliError::no_device(format!("cannot start the simulated mlx5 device: {e}")))?;
    subsystem
        .register(device.into_driver())
        .map_err(|e| CliError::errno(e, "register the simulated mlx5 device"))?;
    Ok(subsystem)
}

/// The embedded transport over [`subsystem`], with this process's credentials.
pub fn transport(global: &GlobalOpts) -> Result<Embedded, CliError> {
    Ok(Embedded::new(subsystem(global)?))
}
