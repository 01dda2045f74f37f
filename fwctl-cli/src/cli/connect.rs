//! Choosing the transport (`--transport auto|daemon|embedded|kernel`).
//!
//! `auto` prefers what is real: the kernel's `/dev/fwctl`, then a `fwctld` daemon,
//! then the embedded subsystem. Only the embedded transport exists in this build
//! so far; asking for another one explicitly is an error that says so.

use fwctl_core::transport::Transport;

use crate::cli::GlobalOpts;
use crate::cli::embedded;
use crate::cli::exit::CliError;

/// The `--transport` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TransportChoice {
    /// Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded.
    Auto,
    /// A `fwctld` daemon's sockets under the runtime directory.
    Daemon,
    /// The subsystem built in this process with the simulated device.
    Embedded,
    /// Real ioctls on `/dev/fwctl/fwctlN`.
    Kernel,
}

/// Build the transport the global options ask for.
pub fn connect(global: &GlobalOpts) -> Result<Box<dyn Transport>, CliError> {
    match global.transport {
        TransportChoice::Auto | TransportChoice::Embedded => Ok(Box::new(embedded::transport(global)?)),
        TransportChoice::Daemon | TransportChoice::Kernel => {
            let name = if global.transport == TransportChoice::Daemon { "daemon" } else { "kernel" };
            Err(CliError::no_device(format!(
                "the {name} transport is not available in this build; only the embedded transport is"
            ))
            .with_hint("use --transport embedded (or auto)"))
        }
    }
}
