//! [`PluginDriver`]: a plugin device seen through the core's [`Driver`] interface.
//!
//! The translation is mechanical: each trait method calls the matching entry point
//! through [`PluginLibrary`] (which checks every returned length) and converts the
//! C structs into the core's types. Ownership mirrors the kernel: a context keeps
//! its device alive, and a device is removed from the plugin only when the last
//! driver reference and the last context are gone.

use std::sync::Arc;

use super::PluginError;
use super::loader::{PluginLibrary, RawContext, RawDevice};
use fwctl_subsys::driver::{
    DeviceIdentity, DeviceStatus, Driver, DriverContext, DriverReply, RpcCall, RpcDescription, RpcResponse,
    StatusSlot,
};
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{DeviceType, RpcScope};

/// One device instance created by a plugin's `probe`; remove it on drop.
struct PluginDevice {
    lib: Arc<PluginLibrary>,
    raw: RawDevice,
}

impl Drop for PluginDevice {
    fn drop(&mut self) {
        self.lib.remove(self.raw);
    }
}

/// A [`Driver`] backed by a plugin device. Register it in a
/// [`Subsystem`](fwctl_subsys::Subsystem) like a linked-in driver.
pub struct PluginDriver {
    dev: Arc<PluginDevice>,
    identity: DeviceIdentity,
}

impl std::fmt::Debug for PluginDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginDriver")
            .field("plugin", self.dev.lib.info())
            .field("identity", &self.identity)
            .finish()
    }
}

impl PluginLibrary {
    /// Create the plugin's devices for `config` (the plugin defines its syntax).
    /// Each returned driver removes its device when dropped (after unregister).
    pub fn probe(self: &Arc<Self>, config: &str) -> Result<Vec<Arc<PluginDriver>>, PluginError> {
        let raw = self.probe_raw(config)?;
        Ok(raw
            .into_iter()
            .map(|raw| {
                let dev = Arc::new(PluginDevice { lib: self.clone(), raw });
                let identity = identity_of(&dev);
                Arc::new(PluginDriver { dev, identity })
            })
            .collect())
    }
}

fn text(bytes: &[u8], len: u32) -> Option<String> {
    let b = bytes.get(..len as usize).filter(|b| !b.is_empty())?;
    // Valid UTF-8 (the usual case) without the lossy decoder's per-chunk walk.
    Some(match std::str::from_utf8(b) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(b).into_owned(),
    })
}

fn identity_of(dev: &PluginDevice) -> DeviceIdentity {
    let info = dev.lib.info();
    let mut id =
        DeviceIdentity { driver: format!("{} {} (plugin)", info.name, info.version), ..Default::default() };
    if let Some(raw) = dev.lib.identity(dev.raw) {
        id.parent = text(&raw.parent, raw.parent_len);
        id.fw_version = text(&raw.fw_version, raw.fw_version_len);
        id.serial = text(&raw.serial, raw.serial_len);
    }
    id
}

impl PluginDriver {
    /// The plugin this device comes from.
    pub fn library(&self) -> &Arc<PluginLibrary> {
        &self.dev.lib
    }
}

impl Driver for PluginDriver {
    fn device_type(&self) -> DeviceType {
        self.dev.lib.device_type()
    }

    fn identity(&self) -> DeviceIdentity {
        self.identity.clone()
    }

    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        let raw = self.dev.lib.open(self.dev.raw)?;
        Ok(Box::new(PluginContext { dev: self.dev.clone(), raw }))
    }

    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        self.dev.lib.describe(self.dev.raw, request)
    }

    fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        self.dev.lib.decode_status(self.dev.raw, response)
    }

    fn failure(&self) -> Option<String> {
        self.dev.lib.failure().map(str::to_owned)
    }

    fn has_failed(&self) -> bool {
        self.dev.lib.failure().is_some()
    }
}

/// An open context of a plugin device.
struct PluginContext {
    dev: Arc<PluginDevice>,
    raw: RawContext,
}

impl DriverContext for PluginContext {
    fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
        self.dev.lib.device_info(self.raw)
    }

    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno> {
        self.dev.lib.rpc(self.raw, scope, request, out_capacity)
    }

    fn fw_rpc_user(&self, call: &mut RpcCall<'_>, request: &mut [u8]) -> Result<DriverReply, Errno> {
        self.dev.lib.rpc_user(self.raw, call, request, &mut StatusSlot::NotWanted)
    }

    fn fw_rpc_status(
        &self,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
    ) -> Result<DriverReply, Errno> {
        self.dev.lib.rpc_user(self.raw, call, request, status)
    }

    /// One `rpc_v2` call that also describes the request, for a plugin that
    /// can ([`PluginLibrary::describes_in_rpc`]); else `describe`, then deliver.
    fn fw_rpc_described(
        &self,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
        description: &mut Option<RpcDescription>,
        // This device's own `describe`: the plugin's, as below.
        _describe: &dyn Fn(&[u8]) -> Option<RpcDescription>,
    ) -> Result<DriverReply, Errno> {
        self.dev.lib.rpc_described(self.dev.raw, self.raw, call, request, status, description)
    }

    fn close(self: Box<Self>) {
        self.dev.lib.close(self.raw);
    }
}
