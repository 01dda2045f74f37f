//! Exit codes and the one-line errors of the command line.
//!
//! The codes separate *where* something went wrong, so scripts never have to parse
//! text (mstflint #551/#559): the device (1), the caller (2), the subsystem (3),
//! or reaching a device at all (4).

use std::fmt;
use std::io;

use fwctl_core::Errno;

/// The process exit codes of `fwctl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Delivered, and the device reported success (or the command succeeded).
    Ok = 0,
    /// Delivered, and the device reported an error status in the response (in-band).
    DeviceError = 1,
    /// Usage or input error: bad arguments, bad hex, unreadable input file.
    Usage = 2,
    /// Refused or failed by the subsystem (an errno such as EPERM, EBADMSG, EMSGSIZE).
    Refused = 3,
    /// No such device, or no transport available.
    NoDevice = 4,
}

impl Exit {
    /// The numeric process exit status.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// The exit-code table shown at the end of `fwctl --help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  delivered and the device reported success
  1  delivered, the device reported an error status (in-band)
  2  usage or input error
  3  refused or failed by the subsystem (errno shown by name: EPERM, EBADMSG, EMSGSIZE...)
  4  no such device, or no transport available
A closed pipe on standard output ends fwctl quietly.";

/// An error that ends a command: a one-line message, an optional hint, an exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The exit code.
    pub exit: Exit,
    /// The message (one line).
    pub message: String,
    /// What to do about it, when there is something useful to say.
    pub hint: Option<String>,
    /// The errno behind the error, if the subsystem produced it.
    pub errno: Option<Errno>,
    /// End silently (standard output was closed by its reader).
    pub quiet: bool,
}

impl CliError {
    fn new(exit: Exit, message: impl Into<String>) -> Self {
        CliError { exit, message: message.into(), hint: None, errno: None, quiet: false }
    }

    /// A usage or input error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    /// Refused or failed by the subsystem or the daemon, without an errno (exit 3).
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(Exit::Refused, message)
    }

    /// No such device or no transport (exit 4).
    pub fn no_device(message: impl Into<String>) -> Self {
        Self::new(Exit::NoDevice, message)
    }

    /// An errno from the subsystem while doing `what`: exit 4 for a missing device
    /// (ENODEV, ENOENT), 3 for everything else.
    pub fn errno(errno: Errno, what: impl fmt::Display) -> Self {
        let exit = match errno {
            Errno::ENODEV | Errno::ENOENT => Exit::NoDevice,
            _ => Exit::Refused,
        };
        let mut e = Self::new(exit, format!("{what}: {} ({})", errno.name(), errno.description()));
        e.errno = Some(errno);
        e
    }

    /// Add a hint line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Standard output was closed by its reader: end quietly with `exit`.
    pub fn broken_pipe(exit: Exit) -> Self {
        CliError { quiet: true, ..Self::new(exit, "broken pipe") }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<io::Error> for CliError {
    /// Failing to write our own output: a closed pipe is quiet, anything else is
    /// reported (as an input/output problem of the caller's environment).
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            CliError::broken_pipe(Exit::Ok)
        } else {
            CliError::usage(format!("cannot write output: {}", crate::cli::files::io_reason(&e)))
        }
    }
}

/// The result of a command: the exit code it earned, or the error that ended it.
pub type CmdResult = Result<Exit, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_documented_numbers() {
        assert_eq!(
            [Exit::Ok, Exit::DeviceError, Exit::Usage, Exit::Refused, Exit::NoDevice].map(Exit::code),
            [0, 1, 2, 3, 4]
        );
    }

    #[test]
    fn missing_devices_exit_4_and_other_errnos_exit_3() {
        assert_eq!(CliError::errno(Errno::ENODEV, "open fwctl9").exit, Exit::NoDevice);
        assert_eq!(CliError::errno(Errno::ENOENT, "open fwctl9").exit, Exit::NoDevice);
        for e in [Errno::EPERM, Errno::EBADMSG, Errno::EMSGSIZE, Errno::ENXIO] {
            assert_eq!(CliError::errno(e, "rpc").exit, Exit::Refused, "{}", e.name());
        }
        assert_eq!(CliError::errno(Errno::EBADMSG, "rpc").message, "rpc: EBADMSG (Bad message)");
    }

    #[test]
    fn a_closed_pipe_is_quiet() {
        let e = CliError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(e.quiet);
        assert!(!CliError::from(io::Error::other("disk full")).quiet);
    }
}
