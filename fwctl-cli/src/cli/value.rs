//! Why a command-line value does not parse: the error of every clap value
//! parser of `fwctl` and `fwctld`. clap prints its `Display` after `invalid
//! value 'X' for '--opt <N>': `, so each text says what was expected.

use fwctl_core::uapi::{BadDeviceName, UnknownName};

/// A command-line value that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not a decimal or `0x` hex number.
    #[error("'{0}' is not a number")]
    NotANumber(String),
    /// `A-B` with `A > B`.
    #[error("'{0}': the range is empty")]
    EmptyRange(String),
    /// A range where one number was asked for.
    #[error("'{0}' is not one number")]
    NotOneNumber(String),
    /// A number that does not fit in `bits` bits (or is no number).
    #[error("'{value}' is not a {bits}-bit number (decimal or 0x hex)")]
    NotAnInteger {
        /// What was given.
        value: String,
        /// The width asked for.
        bits: u8,
    },
    /// A policy register number outside 0..=0xffff.
    #[error("'{0}' is not a number from 0 to 0xffff")]
    NotARegister(String),
    /// Not a length, decimal or hex.
    #[error("'{0}' is not a length (decimal or 0x hex)")]
    NotALength(String),
    /// A length beyond the kernel's limit.
    #[error("{len} is above the kernel's limit of {max} bytes (2 MiB)")]
    LengthTooLarge {
        /// What was given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not a scope.
    #[error("{0}; expected configuration, debug-read-only, debug-write, debug-write-full or 0-3")]
    Scope(UnknownName),
    /// Not a capability mode.
    #[error("'{0}' is not a mode; expected cur or max")]
    CapMode(String),
    /// Not a device.
    #[error("{0}, or a PCI address (0000:08:00.0)")]
    Device(BadDeviceName),
    /// Not octal permission bits (or more than them: no setuid bits on a node).
    #[error("invalid --dev-mode '{0}': expected octal permission bits such as 0600 or 0660")]
    Mode(String),
}
