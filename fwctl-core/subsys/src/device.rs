//! What the world may know about a device: its view (minor, name, type, identity),
//! its state and a listing entry. Plain values, shared by the subsystem, the hooks
//! and every layer above.

use crate::driver::DeviceIdentity;
use fwctl_uapi::DeviceType;

/// What the world may know about a device: stable for its registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceView {
    /// The minor number, 0..4095.
    pub minor: u32,
    /// `fwctlN`.
    pub name: String,
    /// The driver's device type.
    pub device_type: DeviceType,
    /// Driver-provided identity (parent, firmware version…).
    pub identity: DeviceIdentity,
}

/// Whether a device is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceState {
    /// Registered and serving.
    Live,
    /// Registered, but its driver reports a failure (e.g. a misbehaving plugin).
    Failed,
    /// Unregistered; listed only while handles remain open.
    Removed,
}

impl DeviceState {
    /// Lower-case name for listings.
    pub fn name(self) -> &'static str {
        match self {
            DeviceState::Live => "live",
            DeviceState::Failed => "failed",
            DeviceState::Removed => "removed",
        }
    }
}

/// One entry of [`Subsystem::devices`](crate::Subsystem::devices).
#[derive(Debug, Clone)]
pub struct DeviceSummary {
    /// The device.
    pub view: DeviceView,
    /// Its state.
    pub state: DeviceState,
    /// The driver's failure reason when `state` is `Failed`.
    pub failure: Option<String>,
    /// Number of open handles.
    pub open_handles: usize,
}
