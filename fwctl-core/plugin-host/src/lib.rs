//! # fwctl-plugin-host
//!
//! The host side of vendor plugins: device drivers loaded from shared libraries
//! through the stable C ABI that `fwctl-plugin-sdk` defines (its [`abi`] module and
//! `include/fwctl_plugin.h`). Vendors never build this crate; fwctld and the CLI do.
//!
//! - [`loader`]: opens a library (RTLD_NOW, kept mapped for the process lifetime),
//!   checks file ownership and permissions, validates the vtable, and is the only
//!   place that calls into plugin code. A plugin that panics or returns garbage at
//!   run time is marked failed: its devices answer `ENXIO`, the process keeps
//!   serving every other device.
//! - [`driver`]: [`PluginDriver`], an ordinary [`Driver`](fwctl_subsys::driver::Driver)
//!   over a plugin device, registered in a [`Subsystem`](fwctl_subsys::Subsystem) like any
//!   linked-in driver.
//! - [`check`](mod@check): `fwctl plugin check` (load in isolation and self-test) and the
//!   registry behind `fwctl plugin list`.
//!
//! ```no_run
//! use std::path::Path;
//! use fwctl_plugin_host as plugin;
//! use fwctl_subsys::Subsystem;
//!
//! let fwctl = Subsystem::new();
//! // SAFETY: the administrator installed this library as a trusted plugin.
//! let lib = unsafe {
//!     plugin::load(Path::new("/usr/lib/fwctl/plugins/libpds_sim.so"), &plugin::LoadOptions::default())
//! }?;
//! for drv in lib.probe("devices=2")? {
//!     let minor = fwctl.register(drv)?;
//!     println!("fwctl{minor}: {} {}", lib.name(), lib.version());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod check;
pub mod driver;
pub mod loader;
mod names;
pub mod remote;

pub use fwctl_plugin_sdk::{abi, sdk};

use std::path::PathBuf;

use fwctl_uapi::errno::Errno;

pub use check::{CheckReport, CheckStep, PluginRecord, StepProblem, check, loaded};
pub use driver::PluginDriver;
pub use loader::{INSECURE_ENV, LoadOptions, PluginInfo, PluginLibrary, load};

/// Why a plugin could not be loaded or probed. Each class of bad plugin has its
/// own variant so callers (and `fwctl plugin check`) can name the problem.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    /// The path does not exist.
    #[error("plugin file not found: {}", path.display())]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The file exists but could not be read.
    #[error("cannot read plugin {}: {err}", path.display())]
    Io {
        /// The path given.
        path: PathBuf,
        /// The OS error.
        err: std::io::Error,
    },
    /// The file could be replaced by someone other than root or the current user.
    #[error(
        "refusing plugin {}: {reason} (fix the file's owner/mode; for development only, {INSECURE_ENV}=1 disables this check)",
        path.display()
    )]
    InsecurePermissions {
        /// The resolved path.
        path: PathBuf,
        /// What is wrong, e.g. `writable by group/others (mode 0666)`.
        reason: String,
    },
    /// The path is not a regular file (a FIFO, a device, a directory, a socket, or a
    /// symbolic link that appeared after the path was resolved). Refused before
    /// anything is read from it, so a FIFO cannot hang the loader.
    #[error("refusing plugin {}: it is {what}, not a regular file", path.display())]
    NotRegularFile {
        /// The resolved path.
        path: PathBuf,
        /// What it is, e.g. `a FIFO`.
        what: &'static str,
    },
    /// An ELF shared object whose headers point past the end of the file (a
    /// truncated copy): refused before mapping, which would fault (SIGBUS).
    #[error("truncated plugin {}: {detail}", path.display())]
    Truncated {
        /// The resolved path.
        path: PathBuf,
        /// Which part lies beyond the end of the file.
        detail: String,
    },
    /// The file is not an ELF shared object.
    #[error("not a shared object: {}: {detail}", path.display())]
    NotSharedObject {
        /// The resolved path.
        path: PathBuf,
        /// What was found instead.
        detail: String,
    },
    /// The dynamic loader refused the library (e.g. an unresolved symbol under RTLD_NOW).
    #[error("cannot load plugin {}: {detail}", path.display())]
    LoadFailed {
        /// The resolved path.
        path: PathBuf,
        /// The dynamic loader's message.
        detail: String,
    },
    /// The library does not export the entry symbol.
    #[error("missing symbol '{symbol}' in {}: not a fwctl plugin, or built against another ABI", path.display())]
    MissingSymbol {
        /// The resolved path.
        path: PathBuf,
        /// The symbol looked up (`fwctl_plugin_v1`).
        symbol: &'static str,
    },
    /// The entry symbol returned NULL or a misaligned pointer.
    #[error("the plugin's {} returned an invalid vtable pointer ({detail})", abi::ENTRY_SYMBOL)]
    BadVTablePointer {
        /// `NULL` or `misaligned`.
        detail: &'static str,
    },
    /// `abi_version` is not the host's.
    #[error("ABI version mismatch: the plugin implements version {found}, this host implements {supported}")]
    AbiVersionMismatch {
        /// The plugin's `abi_version`.
        found: u32,
        /// [`abi::ABI_VERSION`].
        supported: u32,
    },
    /// `struct_size` is below the host's vtable size.
    #[error("vtable struct too small: struct_size {size}, the host needs at least {min}")]
    StructTooSmall {
        /// The plugin's `struct_size`.
        size: u32,
        /// `size_of::<abi::VTable>()`.
        min: u32,
    },
    /// `struct_size` is above the host's size and the unknown tail is not zero
    /// (the plugin relies on a feature this host does not have), or is absurdly large.
    #[error("vtable struct too large: struct_size {size}, the host knows {known} bytes and {detail}")]
    StructTooLarge {
        /// The plugin's `struct_size`.
        size: u32,
        /// `size_of::<abi::VTable>()`.
        known: u32,
        /// Which rule failed (the first non-zero tail byte, or the size limit).
        detail: String,
    },
    /// `device_type` is `ERROR` or a number no driver family defines.
    #[error("unknown device type {0} (known: 1 mlx5, 2 cxl, 3 bnxt, 4 pds)")]
    UnknownDeviceType(u32),
    /// Reserved `flags` bits are set.
    #[error("reserved vtable flags set: {0:#x}")]
    ReservedFlags(u32),
    /// A required entry point is NULL.
    #[error("missing required entry point '{0}'")]
    MissingEntryPoint(&'static str),
    /// The name or version string is unusable.
    #[error("bad plugin {field} string: {detail}")]
    BadString {
        /// `name` or `version`.
        field: &'static str,
        /// Why.
        detail: String,
    },
    /// The configuration string contains a NUL byte.
    #[error("the probe configuration contains a NUL byte")]
    BadConfig,
    /// `probe` returned an errno.
    #[error("plugin probe failed: {0}")]
    ProbeFailed(Errno),
    /// The plugin panicked or returned garbage; it is now marked failed.
    #[error("plugin failed: {0}")]
    Failed(String),
}

impl PluginError {
    /// A stable short name for the error class, e.g. `abi-version-mismatch`.
    pub fn kind(&self) -> &'static str {
        match self {
            PluginError::NotFound { .. } => "not-found",
            PluginError::Io { .. } => "io",
            PluginError::InsecurePermissions { .. } => "insecure-permissions",
            PluginError::NotRegularFile { .. } => "not-regular-file",
            PluginError::Truncated { .. } => "truncated",
            PluginError::NotSharedObject { .. } => "not-shared-object",
            PluginError::LoadFailed { .. } => "load-failed",
            PluginError::MissingSymbol { .. } => "missing-symbol",
            PluginError::BadVTablePointer { .. } => "bad-vtable-pointer",
            PluginError::AbiVersionMismatch { .. } => "abi-version-mismatch",
            PluginError::StructTooSmall { .. } => "struct-too-small",
            PluginError::StructTooLarge { .. } => "struct-too-large",
            PluginError::UnknownDeviceType(_) => "unknown-device-type",
            PluginError::ReservedFlags(_) => "reserved-flags",
            PluginError::MissingEntryPoint(_) => "missing-entry-point",
            PluginError::BadString { .. } => "bad-string",
            PluginError::BadConfig => "bad-config",
            PluginError::ProbeFailed(_) => "probe-failed",
            PluginError::Failed(_) => "plugin-failed",
        }
    }
}
