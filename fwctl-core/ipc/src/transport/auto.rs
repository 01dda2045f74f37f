//! `auto`: pick the first transport that answers, in the order kernel → daemon →
//! embedded, and say which one answered and why.

use std::path::PathBuf;

use super::daemon::{Daemon, default_runtime_dir};
use super::kernel::Kernel;
use super::{Transport, TransportKind};

/// Where `auto` looks.
#[derive(Debug, Clone)]
pub struct AutoOptions {
    /// Device node directory of the kernel transport (`/dev/fwctl`).
    pub dev_dir: PathBuf,
    /// Class directory of the kernel transport (`/sys/class/fwctl`).
    pub sys_dir: PathBuf,
    /// Runtime directory of the daemon transport.
    pub runtime_dir: PathBuf,
}

impl Default for AutoOptions {
    fn default() -> Self {
        AutoOptions {
            dev_dir: PathBuf::from("/dev/fwctl"),
            sys_dir: PathBuf::from("/sys/class/fwctl"),
            runtime_dir: default_runtime_dir(),
        }
    }
}

/// The transport `auto` chose.
pub struct Selected {
    /// The transport.
    pub transport: Box<dyn Transport>,
    /// Which one it is.
    pub kind: TransportKind,
    /// Why it was chosen, e.g. `no /dev/fwctl device nodes; fwctld is serving /run/fwctl`.
    pub reason: String,
}

impl std::fmt::Debug for Selected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Selected").field("kind", &self.kind).field("reason", &self.reason).finish()
    }
}

/// Try the kernel, then a running daemon, then `embedded()`.
pub fn select(opts: &AutoOptions, embedded: impl FnOnce() -> Box<dyn Transport>) -> Selected {
    let kernel = Kernel::new(&opts.dev_dir, &opts.sys_dir);
    if kernel.available() {
        return Selected {
            transport: Box::new(kernel),
            kind: TransportKind::Kernel,
            reason: format!("kernel fwctl device nodes found in {}", opts.dev_dir.display()),
        };
    }
    let daemon = Daemon::new(&opts.runtime_dir);
    if daemon.is_running() {
        return Selected {
            transport: Box::new(daemon),
            kind: TransportKind::Daemon,
            reason: format!(
                "no device nodes in {}; fwctld is serving {}",
                opts.dev_dir.display(),
                opts.runtime_dir.display()
            ),
        };
    }
    let transport = embedded();
    Selected {
        kind: transport.kind(),
        transport,
        reason: format!(
            "no device nodes in {} and no fwctld serving {}: using the in-process simulated subsystem",
            opts.dev_dir.display(),
            opts.runtime_dir.display()
        ),
    }
}
