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
    /// The daemon's admin services ([`Admin`](super::Admin)) refused or
    /// failed (a rejected policy, a taint record that cannot be cleared, no
    /// installed policy…): the implementation's own error, as it says it.
    #[error("{0}")]
    Refused(Box<dyn std::error::Error + Send + Sync>),
    /// A caller other than root (or the daemon's own user) on the control socket.
    #[error("the control socket is for root only (you are uid {0})")]
    RootOnly(u32),
    /// An unprivileged caller asked the query socket about someone else.
    #[error("uid {0} may ask only about itself (root may ask about anyone): drop --user/--group")]
    OnlyAboutSelf(u32),
    /// The device's driver could not describe the request to explain.
    #[error("{device}: describe: {errno}")]
    Describe {
        /// The device.
        device: String,
        /// The driver's errno.
        errno: fwctl_uapi::Errno,
    },
    /// The request is malformed.
    #[error("{0}")]
    BadRequest(BadRequest),
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

/// What is malformed in a control or query request.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BadRequest {
    /// A string field the verb needs is missing.
    #[error("missing string field '{0}'")]
    MissingField(&'static str),
    /// `clear-taint` without a reason.
    #[error("clearing the taint needs a reason")]
    NoReason,
    /// No such control verb.
    #[error("unknown verb '{0}' (list, status, reload, unplug, plug, clear-taint)")]
    UnknownVerb(String),
    /// No such query verb.
    #[error("unknown query '{0}' (hello, rights, explain)")]
    UnknownQuery(String),
    /// `scope` names no scope.
    #[error("scope: {0}")]
    Scope(fwctl_uapi::UnknownName),
    /// `as` without a numeric `uid`.
    #[error("'as' needs a numeric 'uid'")]
    AsNeedsUid,
    /// `request` is not hex.
    #[error("'request' is not hex")]
    RequestNotHex,
    /// `request` is larger than an RPC may be.
    #[error("'request' is larger than an RPC may be")]
    RequestTooLarge,
}

impl From<BadRequest> for AdminError {
    fn from(e: BadRequest) -> Self {
        AdminError::BadRequest(e)
    }
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

/// Why a [`DriverFactory`](super::DriverFactory) built no driver (a plugin
/// that does not load or probe, a bad parameter): the factory's own error,
/// whose `Display` is the one-line reason.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct DriverBuildError(pub Box<dyn std::error::Error + Send + Sync>);

impl DriverBuildError {
    /// Wrap a factory's error.
    pub fn new(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        DriverBuildError(Box::new(e))
    }
}

impl From<String> for DriverBuildError {
    fn from(why: String) -> Self {
        DriverBuildError(why.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts are the wire's (a control reply's `error`, the CLI's reason
    /// line): typing the causes must not change them.
    #[test]
    fn typed_causes_keep_the_wire_texts() {
        let cases: [(AdminError, &str); 7] = [
            (AdminError::RootOnly(1000), "the control socket is for root only (you are uid 1000)"),
            (
                AdminError::OnlyAboutSelf(7),
                "uid 7 may ask only about itself (root may ask about anyone): drop --user/--group",
            ),
            (
                AdminError::Describe { device: "fwctl0".into(), errno: fwctl_uapi::Errno::EINVAL },
                "fwctl0: describe: EINVAL (Invalid argument)",
            ),
            (BadRequest::MissingField("verb").into(), "missing string field 'verb'"),
            (BadRequest::NoReason.into(), "clearing the taint needs a reason"),
            (
                BadRequest::UnknownVerb("x".into()).into(),
                "unknown verb 'x' (list, status, reload, unplug, plug, clear-taint)",
            ),
            (AdminError::Refused("no policy is installed".into()), "no policy is installed"),
        ];
        for (e, text) in cases {
            assert_eq!(e.to_string(), text);
        }
        let scope = "bogus".parse::<fwctl_uapi::RpcScope>().unwrap_err();
        assert_eq!(BadRequest::Scope(scope).to_string(), "scope: unknown scope 'bogus'");
    }
}
