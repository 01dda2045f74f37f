//! Choosing the transport (`--transport auto|daemon|embedded|kernel`).
//!
//! `auto` prefers what is real: the kernel's `/dev/fwctl`, then a `fwctld` daemon,
//! then the embedded subsystem ([`fwctl_core::transport::auto::select`]). Asking
//! for the daemon or the kernel explicitly when it is not there is an error
//! (exit 4) that says where fwctl looked.

use std::path::PathBuf;

use fwctl_core::transport::auto::{self, AutoOptions};
use fwctl_core::transport::daemon::default_runtime_dir;
use fwctl_core::transport::{Daemon, Kernel, Transport};

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

/// A connected transport and why it was the one chosen.
pub struct Connected {
    /// The transport.
    pub transport: Box<dyn Transport>,
    /// Why it was chosen (`auto` explains its pick; explicit choices say so).
    pub reason: String,
}

impl Connected {
    /// A transport chosen for `reason`.
    pub fn new(transport: impl Transport + 'static, reason: impl Into<String>) -> Self {
        Connected { transport: Box::new(transport), reason: reason.into() }
    }
}

/// The sysfs class directory the kernel transport reads device types from.
const SYS_DIR: &str = "/sys/class/fwctl";

/// The daemon's runtime directory: `--runtime-dir`, else the default.
pub fn runtime_dir(global: &GlobalOpts) -> PathBuf {
    global.runtime_dir.clone().unwrap_or_else(default_runtime_dir)
}

/// Build the transport the global options ask for.
pub fn connect(global: &GlobalOpts) -> Result<Connected, CliError> {
    let runtime_dir = runtime_dir(global);
    match global.transport {
        TransportChoice::Embedded => Ok(Connected::new(embedded::transport(global)?, "--transport embedded")),
        TransportChoice::Daemon => {
            let daemon = Daemon::new(&runtime_dir);
            if !daemon.is_running() {
                return Err(CliError::no_device(format!(
                    "no fwctld is serving {} (--transport daemon)",
                    runtime_dir.display()
                ))
                .with_hint("start fwctld, or point --runtime-dir at its runtime directory"));
            }
            Ok(Connected::new(
                daemon,
                format!("--transport daemon: fwctld serving {}", runtime_dir.display()),
            ))
        }
        TransportChoice::Kernel => {
            let kernel = Kernel::new(&global.dev_dir, SYS_DIR);
            if !kernel.available() {
                return Err(CliError::no_device(format!(
                    "no fwctl device nodes in {} (--transport kernel)",
                    global.dev_dir.display()
                ))
                .with_hint("load a fwctl driver, or use --transport daemon/embedded"));
            }
            Ok(Connected::new(
                kernel,
                format!("--transport kernel: device nodes in {}", global.dev_dir.display()),
            ))
        }
        TransportChoice::Auto => {
            let opts = AutoOptions { dev_dir: global.dev_dir.clone(), sys_dir: SYS_DIR.into(), runtime_dir };
            // `select` wants an infallible fallback; a failed embedded build is kept
            // here and reported instead of the placeholder it returns.
            let mut failed = None;
            let selected = auto::select(&opts, || match embedded::transport(global) {
                Ok(t) => Box::new(t),
                Err(e) => {
                    failed = Some(e);
                    Box::new(fwctl_core::transport::Embedded::new(fwctl_core::Subsystem::new()))
                }
            });
            match failed {
                Some(e) => Err(e),
                None => Ok(Connected { transport: selected.transport, reason: selected.reason }),
            }
        }
    }
}
