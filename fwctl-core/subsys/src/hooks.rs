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
    /// Record one RPC on a thread that opted in to write-behind
    /// ([`WriteBehind`]): the sink may *stage* a record that needs no sync on
    /// the calling thread instead of writing it, and then returns `true`; the
    /// thread promises to call [`flush_staged`] after it answered the caller
    /// and before it reads the next request. `false`: nothing is left for the
    /// thread to do (the record was written, or handed to a writer the sink
    /// runs itself, which [`AuditSink::staged_count`] then counts until it is
    /// written). The default records at once ([`AuditSink::record_rpc`]) and
    /// returns `false`, so a sink that does not stage (or wraps another)
    /// never holds a record back.
    fn record_rpc_staged(&self, event: &RpcAudit<'_>) -> bool {
        self.record_rpc(event);
        false
    }
    /// Write every record this sink staged on the calling thread (see
    /// [`AuditSink::record_rpc_staged`]). The default has nothing staged.
    fn flush_staged(&self) {}
    /// How many records are staged, on every thread, and not written yet
    /// (fwctld's `status` verb reports it, so a reader of the log can wait for
    /// the lines of the answers it has seen). The default has none.
    fn staged_count(&self) -> usize {
        0
    }
}

/// The calling thread's write-behind state: whether it opted in, and the sink
/// that staged records on it (kept alive until they are written).
#[derive(Default)]
struct StagingSlot {
    enabled: bool,
    sink: Option<Arc<dyn AuditSink>>,
}

thread_local! {
    static STAGING: std::cell::RefCell<StagingSlot> = std::cell::RefCell::new(StagingSlot::default());
}

/// Write-behind of audit records on the calling thread, while this guard lives.
///
/// A server thread that answers one request at a time (fwctld's connection
/// threads) opts in so that an RPC's audit line that needs no `fsync` is
/// serialised and written *after* the reply is sent: the work overlaps with the
/// client's own and with the wake-up of the next request. The thread must call
/// [`flush_staged`] after each reply and before it reads the next request;
/// dropping the guard flushes too. Lines that must be on disk before the caller
/// sees the answer (tainting RPCs, refusals at `debug-write` and above, every
/// line under `sync = "always"`) are never staged: the sink decides, and
/// writes those at once. Threads that never opt in (the embedded transport,
/// every other caller) write every record before the RPC returns.
#[derive(Debug)]
#[must_use = "write-behind ends when the guard is dropped"]
pub struct WriteBehind {
    /// Not `Send`: the opt-in belongs to the thread that made it.
    _thread: std::marker::PhantomData<*const ()>,
}

impl WriteBehind {
    /// Opt the calling thread in until the guard drops.
    pub fn begin() -> WriteBehind {
        STAGING.with_borrow_mut(|s| s.enabled = true);
        WriteBehind { _thread: std::marker::PhantomData }
    }

    /// Whether the calling thread opted in.
    pub fn enabled() -> bool {
        STAGING.with_borrow(|s| s.enabled)
    }
}

impl Drop for WriteBehind {
    fn drop(&mut self) {
        flush_staged();
        let sink = STAGING.try_with(|s| {
            let mut s = s.try_borrow_mut().ok()?;
            s.enabled = false;
            s.sink.take()
        });
        // Dropped outside the borrow: it may be the last reference.
        drop(sink);
    }
}

/// Record `event` with `sink`: staged when the calling thread opted in to
/// write-behind and the sink chooses to, else at once. The dispatcher's one
/// way of recording an RPC.
pub(crate) fn record_rpc(sink: &Arc<dyn AuditSink>, event: &RpcAudit<'_>) {
    if !WriteBehind::enabled() {
        sink.record_rpc(event);
        return;
    }
    // Another sink's staged records go first (a new sink after a reload).
    let other = STAGING.with_borrow(|s| s.sink.as_ref().is_some_and(|o| !same_sink(o, sink)));
    if other {
        flush_staged();
    }
    if sink.record_rpc_staged(event) {
        let old = STAGING.with_borrow_mut(|s| match &s.sink {
            Some(o) if same_sink(o, sink) => None,
            _ => s.sink.replace(sink.clone()),
        });
        // Flushed above; dropped outside the borrow (it may be the last reference).
        drop(old);
    }
}

fn same_sink(a: &Arc<dyn AuditSink>, b: &Arc<dyn AuditSink>) -> bool {
    std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b))
}

/// Write the audit records staged on the calling thread (nothing when none
/// are, or the thread never opted in: cheap to call after every reply).
pub fn flush_staged() {
    let sink = STAGING.try_with(|s| s.try_borrow().ok().and_then(|s| s.sink.clone())).ok().flatten();
    if let Some(sink) = sink {
        sink.flush_staged();
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
