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

/// The result of [`Handle::rpc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RpcResult {
    /// The driver's response length as written back into `out_len`; larger than
    /// the buffer means the response was truncated.
    pub out_len: u32,
}

/// What a dry run found: the driver's decoding and the policy's decision.
#[derive(Debug, Clone)]
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
        let arg = FwctlRpc::request(scope, request.len(), TYPED_IN, response.len(), TYPED_OUT)?;
        let mut mem = SegmentMemory::new();
        mem.map_owned(TYPED_ARG, arg.as_bytes().to_vec())
            .map_ro(TYPED_IN, request)
            .map_rw(TYPED_OUT, response);
        self.ioctl(creds, FWCTL_RPC, TYPED_ARG, &mut mem)?;
        let back =
            mem.segment(TYPED_ARG).and_then(|b| FwctlRpc::read_from_bytes(b).ok()).ok_or(Errno::EFAULT)?;
        Ok(RpcResult { out_len: back.out_len })
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
        let description = driver.describe(request).ok();
        let deny = |e: Errno, why: String| {
            Ok(DryRun { description: description.clone(), decision: Decision::deny(e, why) })
        };
        if let Err(e) = scope::check_capability(scope, creds) {
            return deny(e, format!("scope {scope} needs CAP_SYS_RAWIO"));
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
