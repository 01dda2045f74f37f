//! Where the admin policy and the audit log plug into the core.
//!
//! With no hooks installed the core behaves exactly like the kernel. A policy can
//! only narrow: it is consulted after the kernel's own checks pass and before the
//! driver sees the request, and its refusal is an errno like any other.

use std::sync::Arc;

use crate::creds::Credentials;
use crate::device::DeviceView;
use crate::driver::{DeviceStatus, RpcDescription};
use fwctl_uapi::RpcScope;
use fwctl_uapi::errno::Errno;

/// The outcome of a policy check, with the reason that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Decision {
    /// `None` to allow; otherwise the errno the caller gets.
    pub errno: Option<Errno>,
    /// Human-readable reason, e.g. `denied by rule 'no-port-admin' (policy.toml:42)`.
    pub reason: Arc<str>,
    /// The name of the rule that matched, for the audit log.
    pub rule: Option<Arc<str>>,
}

impl Decision {
    /// An allowing decision with a reason.
    pub fn allow(reason: impl Into<Arc<str>>) -> Self {
        Decision { errno: None, reason: reason.into(), rule: None }
    }

    /// A refusing decision.
    pub fn deny(errno: Errno, reason: impl Into<Arc<str>>) -> Self {
        Decision { errno: Some(errno), reason: reason.into(), rule: None }
    }

    /// Whether the request may proceed.
    pub fn allowed(&self) -> bool {
        self.errno.is_none()
    }
}

/// What a policy sees when a handle is opened.
#[derive(Debug)]
pub struct OpenCheck<'a> {
    /// The device being opened.
    pub device: &'a DeviceView,
    /// The caller.
    pub creds: &'a Credentials,
}

/// What a policy sees for one RPC.
#[derive(Debug)]
pub struct RpcCheck<'a> {
    /// The target device.
    pub device: &'a DeviceView,
    /// The caller.
    pub creds: &'a Credentials,
    /// The requested scope (already validated by the core).
    pub scope: RpcScope,
    /// The driver's decoding of the request (`None` if the driver cannot describe it).
    pub description: Option<&'a RpcDescription>,
    /// The raw request.
    pub request: &'a [u8],
}

/// An admin policy.
pub trait Policy: Send + Sync {
    /// Decide whether `check.creds` may open `check.device`.
    fn check_open(&self, check: &OpenCheck<'_>) -> Decision;
    /// Decide whether the RPC may be delivered.
    fn check_rpc(&self, check: &RpcCheck<'_>) -> Decision;
    /// Whether an RPC decision may depend on who the caller is (its ids or
    /// groups). `false` lets the core leave a caller's unconfirmed identity
    /// unconfirmed ([`crate::creds::IdentityCheck`]); the capability is a
    /// separate, deferred question. The default, `true`, is always correct.
    fn uses_identity(&self) -> bool {
        true
    }
}

/// One RPC as the audit log sees it, after the outcome is known.
#[derive(Debug)]
pub struct RpcAudit<'a> {
    /// The target device.
    pub device: &'a DeviceView,
    /// The caller.
    pub creds: &'a Credentials,
    /// The raw scope value the caller asked for (may be invalid).
    pub scope: u32,
    /// The caller's `in_len`.
    pub in_len: u32,
    /// The caller's `out_len` (capacity).
    pub out_capacity: u32,
    /// The driver's response length, if the RPC was delivered.
    pub out_len: Option<usize>,
    /// The request bytes, if they were read.
    pub request: Option<&'a [u8]>,
    /// The driver's description, if computed.
    pub description: Option<&'a RpcDescription>,
    /// The policy decision, if a policy was consulted.
    pub decision: Option<&'a Decision>,
    /// The in-band device status of the response, if the driver decodes one.
    pub status: Option<&'a DeviceStatus>,
    /// The result the caller got.
    pub result: Result<(), Errno>,
}

/// The audit log.
pub trait AuditSink: Send + Sync {
    /// Whether RPC events are wanted at all (the core skips describing requests
    /// and decoding responses for audit when this is false).
    fn wants_rpcs(&self) -> bool {
        true
    }
    /// Record one RPC.
    fn record_rpc(&self, event: &RpcAudit<'_>);
    /// Record a taint event (always recorded, durably).
    fn record_taint(&self, event: &crate::taint::TaintEvent) {
        let _ = event;
    }
    /// Record a refused open.
    fn record_open_denied(&self, device: &DeviceView, creds: &Credentials, decision: &Decision) {
        let _ = (device, creds, decision);
    }
    /// Whether an RPC at `scope` may be delivered now, asked after every other
    /// check passed and before the taint is set: `Err(errno)` refuses it (an
    /// audit log that cannot record it and is configured to fail closed, like
    /// auditd's `disk_full_action`). The default admits everything.
    fn admit(&self, scope: RpcScope) -> Result<(), Errno> {
        let _ = scope;
        Ok(())
    }
}

/// The hooks installed in a subsystem.
#[derive(Clone, Default)]
pub struct Hooks {
    /// The admin policy; `None` behaves like the kernel.
    pub policy: Option<Arc<dyn Policy>>,
    /// The audit log; `None` records nothing.
    pub audit: Option<Arc<dyn AuditSink>>,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("policy", &self.policy.is_some())
            .field("audit", &self.audit.is_some())
            .finish()
    }
}
