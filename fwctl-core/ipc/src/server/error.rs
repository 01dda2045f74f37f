//! The errors of the server's public API: administrative actions (control and
//! query verbs, hot-plug), the client side of the control and query sockets,
//! and driver factories. Their `Display` texts are the wire texts: a control
//! reply's `error` field and the CLI's reason line.

use thiserror::Error;

use super::ServerError;

/// Why an administrative action (a control or query verb, a hot-plug or
/// unplug) failed. Sent to the client as its `Display` text.
#[derive(Debug, Error)]
pub enum AdminError {
    /// The server runs without an admin policy: nothing to show or explain.
    #[error("this fwctld runs without an admin policy (nothing to show or explain)")]
    NoPolicy,
    /// The server has no policy file, so `reload` has nothing to do.
    #[error("this server has no policy file to reload")]
    NoPolicyFile,
    /// The daemon's admin services refused or failed (a rejected policy, a
    /// taint record that cannot be cleared, no installed policy…); the reason.
    #[error("{0}")]
    Refused(String),
    /// The request is malformed (a missing field, an unknown verb, a bad value).
    #[error("{0}")]
    BadRequest(String),
    /// The server is shutting down.
    #[error("shutting down")]
    ShuttingDown,
    /// No configured device has this label.
    #[error("no configured device '{0}'")]
    NoConfiguredDevice(String),
    /// The configured device is plugged in already.
    #[error("device '{0}' is already plugged in")]
    AlreadyPlugged(String),
    /// No registered device has this name.
    #[error("no device {0}")]
    NoDevice(String),
    /// The device could not be unregistered.
    #[error("cannot unregister {name}: {why}")]
    Unregister {
        /// The device.
        name: String,
        /// Why.
        why: String,
    },
    /// The configured device could not be built or registered.
    #[error(transparent)]
    Plug(#[from] ServerError),
}

/// Why a request on the control or query socket got no result
/// ([`control_call`](super::control_call), [`query_call`](super::query_call)).
#[derive(Debug, Error)]
pub enum CallError {
    /// The socket cannot be connected to.
    #[error("cannot connect to {path}: {why}")]
    Connect {
        /// The socket.
        path: String,
        /// Why, in words.
        why: String,
    },
    /// The request or reply frame could not be exchanged.
    #[error("{0}")]
    Wire(String),
    /// The daemon answered with an error frame (it refused the connection or
    /// the request as a whole).
    #[error("fwctld: {0}")]
    Daemon(String),
    /// The daemon answered with a frame of another kind.
    #[error("unexpected {0} reply from fwctld")]
    UnexpectedReply(String),
    /// The reply is not the JSON the protocol defines.
    #[error("bad reply from fwctld: {0}")]
    BadReply(String),
    /// The daemon ran the request and it failed: the daemon's reason.
    #[error("{0}")]
    Failed(String),
}

/// Why a [`DriverFactory`](super::DriverFactory) built no driver: a one-line
/// reason (a plugin that does not load or probe, a bad parameter).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct DriverBuildError(pub String);

impl From<String> for DriverBuildError {
    fn from(why: String) -> Self {
        DriverBuildError(why)
    }
}
