//! [`Handle`]: an open file on a device (the kernel's `struct file` with its
//! `fwctl_uctx`), with its typed API (`info`, `rpc`, `dry_run`). The ioctl
//! dispatcher that these call, `Handle::ioctl`, is in [`crate::ioctl`].

use std::sync::Arc;

use zerocopy::{FromBytes, IntoBytes};

use crate::creds::Credentials;
use crate::driver::{DeviceStatus, RpcDescription};
use crate::hooks::{Decision, RpcCheck};
use crate::memory::SegmentMemory;
use crate::scope;
use crate::subsystem::{Device, DeviceView, Inner, UctxSlot, lock, read, write};
use crate::taint::Taint;
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{FWCTL_INFO, FWCTL_RPC, FwctlInfo, FwctlRpc, MAX_RPC_LEN};

/// The result of [`Handle::info`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InfoResult {
    /// `out_device_type`.
    pub device_type: u32,
    /// `device_data_len` as written back: the driver's full length.
    pub device_data_len: u32,
}

/// The response buffer [`Handle::call`] offers when the caller names no length
/// and the driver cannot tell the expected one.
pub const DEFAULT_OUT_LEN: usize = 4096;

/// The result of [`Handle::rpc`]: what the ioctl wrote back, with the metadata the
/// dispatcher computed on the way (each once per RPC), so no caller asks again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcResult {
    /// The driver's response length as written back into `out_len`; larger than
    /// the buffer means the response was truncated.
    pub out_len: u32,
    /// The driver's description of the request (`describe`), when it has one.
    pub description: Option<RpcDescription>,
    /// The driver's decoding of the response's in-band status (`decode_status`).
    pub status: Option<DeviceStatus>,
    /// The policy's decision, when a policy is installed.
    pub decision: Option<Decision>,
}

/// A failed RPC of the typed API: the errno the ioctl returned, with what the
/// dispatcher had learned before it failed (the description, and for a refusal
/// the decision naming the deciding rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    /// The errno, exactly as `ioctl(2)` would return it.
    pub errno: Errno,
    /// The driver's description of the request, when it was computed (boxed:
    /// errors stay small on the common path).
    pub description: Option<Box<RpcDescription>>,
    /// The refusing decision: the policy's, or the kernel's capability rule.
    pub decision: Option<Decision>,
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.errno.fmt(f)
    }
}

// Hand-written rather than `thiserror`: this crate stays free of dependencies a
// vendor's plugin build would not otherwise compile.
impl std::error::Error for RpcError {}

impl From<Errno> for RpcError {
    fn from(errno: Errno) -> Self {
        RpcError { errno, description: None, decision: None }
    }
}

impl From<RpcError> for Errno {
    fn from(e: RpcError) -> Self {
        e.errno
    }
}

/// The result of [`Handle::call`]: the response bytes and the [`RpcResult`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcReply {
    /// The response, at most `out_capacity` bytes (`min(out_capacity, out_len)`).
    pub response: Vec<u8>,
    /// The response buffer offered to the driver.
    pub out_capacity: usize,
    /// What the ioctl wrote back, with the metadata.
    pub result: RpcResult,
}

impl RpcReply {
    /// Whether the driver produced more than the buffer held.
    pub fn truncated(&self) -> bool {
        self.result.out_len as usize > self.out_capacity
    }
}

/// What the dispatcher learns about one RPC. `collect` asks it to always describe
/// the request and decode the response status (the typed API); the raw ioctl path
/// computes them only when a policy or the audit log needs them.
#[derive(Debug, Default)]
pub(crate) struct RpcMeta {
    pub(crate) collect: bool,
    /// The caller already described the request (into `description`).
    pub(crate) described: bool,
    pub(crate) description: Option<RpcDescription>,
    pub(crate) status: Option<DeviceStatus>,
    pub(crate) decision: Option<Decision>,
}

impl RpcMeta {
    fn collecting() -> Self {
        RpcMeta { collect: true, ..RpcMeta::default() }
    }

    fn into_result(self, out_len: u32) -> RpcResult {
        RpcResult { out_len, description: self.description, status: self.status, decision: self.decision }
    }

    fn into_error(self, errno: Errno) -> RpcError {
        RpcError { errno, description: self.description.map(Box::new), decision: self.decision }
    }
}

/// What a dry run found: the driver's decoding and the policy's decision.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DryRun {
    /// The driver's description of the request.
    pub description: Option<RpcDescription>,
    /// The decision: kernel checks, the driver's allow-list, then the policy.
    pub decision: Decision,
}

// Fixed addresses the typed API maps its slices at.
const TYPED_ARG: u64 = 0x1000;
const TYPED_IN: u64 = 0x10_0000_0000;
const TYPED_OUT: u64 = 0x20_0000_0000;

/// An open file on a device (the kernel's `struct file` + `fwctl_uctx`). Dropping
/// it is `release`: the driver context is closed unless unregister already did.
pub struct Handle {
    pub(crate) device: Arc<Device>,
    pub(crate) slot: Arc<UctxSlot>,
    pub(crate) subsystem: Arc<Inner>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle").field("device", &self.device.view.name).field("uctx", &self.slot.id).finish()
    }
}

impl Handle {
    /// The device this handle is open on.
    pub fn device(&self) -> &DeviceView {
        &self.device.view
    }

    /// Whether the device is still registered.
    pub fn is_live(&self) -> bool {
        read(&self.device.ops).is_some()
    }

    /// Ask the driver to decode a request (no device access). `ENODEV` after unplug.
    pub fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        let ops = read(&self.device.ops);
        ops.as_ref().ok_or(Errno::ENODEV)?.describe(request)
    }

    /// Ask the driver to decode the in-band status of a response.
    pub fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        read(&self.device.ops).as_ref()?.decode_status(response)
    }

    /// The subsystem's taint flag.
    pub fn taint(&self) -> &Taint {
        &self.subsystem.taint
    }

    /// Typed `FWCTL_INFO`: the same checks as [`Handle::ioctl`], on a slice.
    /// `device_data` is the caller's buffer (its length is `device_data_len`).
    pub fn info(&self, creds: &Credentials, device_data: &mut [u8]) -> Result<InfoResult, Errno> {
        let arg = FwctlInfo::request(device_data.len(), TYPED_OUT)?;
        let mut mem = SegmentMemory::new();
        mem.map_owned(TYPED_ARG, arg.as_bytes().to_vec()).map_rw(TYPED_OUT, device_data);
        self.ioctl(creds, FWCTL_INFO, TYPED_ARG, &mut mem)?;
        let back =
            mem.segment(TYPED_ARG).and_then(|b| FwctlInfo::read_from_bytes(b).ok()).ok_or(Errno::EFAULT)?;
        Ok(InfoResult { device_type: back.out_device_type, device_data_len: back.device_data_len })
    }

    /// Typed `FWCTL_RPC`: the same checks as [`Handle::ioctl`], on slices. `scope`
    /// is the raw uAPI value so invalid scopes can be exercised.
    pub fn rpc(
        &self,
        creds: &Credentials,
        scope: u32,
        request: &[u8],
        response: &mut [u8],
    ) -> Result<RpcResult, Errno> {
        self.rpc_detailed(creds, scope, request, response).map_err(Errno::from)
    }

    /// [`Handle::rpc`] keeping, on failure, what the dispatcher learned (the
    /// description and the refusing decision).
    pub fn rpc_detailed(
        &self,
        creds: &Credentials,
        scope: u32,
        request: &[u8],
        response: &mut [u8],
    ) -> Result<RpcResult, RpcError> {
        self.typed_rpc(creds, scope, request, response, RpcMeta::collecting())
    }

    /// One whole RPC for a client that may not know the response size: `out_len`
    /// `None` offers the length the driver expects for this request (from the
    /// one `describe` the dispatcher then reuses), else [`DEFAULT_OUT_LEN`].
    pub fn call(
        &self,
        creds: &Credentials,
        scope: u32,
        request: &[u8],
        out_len: Option<usize>,
    ) -> Result<RpcReply, RpcError> {
        let mut meta = RpcMeta::collecting();
        if request.len() <= MAX_RPC_LEN {
            // Describing is pure (no device access); doing it before the dispatcher
            // sizes the buffer, and the dispatcher reuses it instead of asking again.
            let ops = read(&self.device.ops);
            if let Some(driver) = ops.as_deref() {
                meta.description = driver.describe(request).ok();
                meta.described = true;
            }
        }
        let out_capacity =
            out_len.or(meta.description.as_ref().and_then(|d| d.expected_out_len)).unwrap_or(DEFAULT_OUT_LEN);
        if out_capacity > MAX_RPC_LEN {
            return Err(meta.into_error(Errno::EMSGSIZE));
        }
        let mut response = crate::memory::zeroed_buffer(out_capacity);
        let result = self.typed_rpc(creds, scope, request, &mut response, meta)?;
        response.truncate(out_capacity.min(result.out_len as usize));
        Ok(RpcReply { response, out_capacity, result })
    }

    fn typed_rpc(
        &self,
        creds: &Credentials,
        scope: u32,
        request: &[u8],
        response: &mut [u8],
        mut meta: RpcMeta,
    ) -> Result<RpcResult, RpcError> {
        let arg = FwctlRpc::request(scope, request.len(), TYPED_IN, response.len(), TYPED_OUT)
            .map_err(|e| meta_error(&mut meta, e))?;
        let mut mem = SegmentMemory::new();
        mem.map_owned(TYPED_ARG, arg.as_bytes().to_vec())
            .map_ro(TYPED_IN, request)
            .map_rw(TYPED_OUT, response);
        if let Err(e) = self.dispatch(creds, FWCTL_RPC, TYPED_ARG, &mut mem, &mut meta) {
            return Err(meta.into_error(e));
        }
        let back = mem.segment(TYPED_ARG).and_then(|b| FwctlRpc::read_from_bytes(b).ok());
        match back {
            Some(back) => Ok(meta.into_result(back.out_len)),
            None => Err(meta.into_error(Errno::EFAULT)),
        }
    }

    /// Everything an RPC would be checked against — the kernel's scope rules, the
    /// driver's allow-list and the policy — without delivering it or tainting.
    pub fn dry_run(&self, creds: &Credentials, scope: u32, request: &[u8]) -> Result<DryRun, Errno> {
        let ops = read(&self.device.ops);
        let driver = ops.as_deref().ok_or(Errno::ENODEV)?;
        if request.len() > MAX_RPC_LEN {
            return Err(Errno::EMSGSIZE);
        }
        let scope = scope::parse(scope)?;
        let described = driver.describe(request);
        let refused = described.as_ref().err().copied().filter(|e| *e != Errno::EOPNOTSUPP);
        let description = described.ok();
        let deny = |e: Errno, why: String| {
            Ok(DryRun { description: description.clone(), decision: Decision::deny(e, why) })
        };
        if let Err(e) = scope::check_capability(scope, creds) {
            return deny(e, format!("scope {scope} needs CAP_SYS_RAWIO"));
        }
        if let Some(e) = refused {
            return deny(e, format!("the driver refuses this request ({})", e.name()));
        }
        if let Some(d) = description.as_ref().filter(|d| !d.allowed_at(scope)) {
            let why = match d.min_scope {
                Some(min) => format!("the driver requires scope {min} for this command"),
                None => "the driver does not allow this command at any scope".to_string(),
            };
            return deny(Errno::EBADMSG, why);
        }
        let hooks = read(&self.subsystem.hooks);
        let decision = match &hooks.policy {
            Some(p) => p.check_rpc(&RpcCheck {
                device: &self.device.view,
                creds,
                scope,
                description: description.as_ref(),
                request,
            }),
            None => Decision::allow("no policy installed; the kernel's rules apply"),
        };
        Ok(DryRun { description, decision })
    }
}

fn meta_error(meta: &mut RpcMeta, errno: Errno) -> RpcError {
    std::mem::take(meta).into_error(errno)
}

impl Drop for Handle {
    fn drop(&mut self) {
        let ops = read(&self.device.ops);
        if ops.is_some() {
            lock(&self.device.uctxs).retain(|s| !Arc::ptr_eq(s, &self.slot));
            if let Some(ctx) = write(&self.slot.ctx).take() {
                ctx.close();
            }
        }
    }
}
