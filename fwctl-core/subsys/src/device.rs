//! What the world may know about a device: its view (minor, name, type, identity),
//! its state and a listing entry. Plain values, shared by the subsystem, the hooks
//! and every layer above.

use crate::driver::DeviceIdentity;
use fwctl_uapi::DeviceType;

/// What the world may know about a device: stable for its registration.
///
/// As JSON (`devices.json`, the `list` verb): one flat object
/// `{name, minor, type, driver, parent, fw_version, serial}`, `type` being the
/// uAPI number (`Documentation/protocol.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeviceView {
    /// The minor number, 0..4095.
    pub minor: u32,
    /// `fwctlN`.
    pub name: String,
    /// The driver's device type.
    #[cfg_attr(feature = "serde", serde(rename = "type", with = "type_number"))]
    pub device_type: DeviceType,
    /// Driver-provided identity (parent, firmware version…).
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub identity: DeviceIdentity,
}

/// A device type travels as its uAPI number; an unknown number reads as
/// [`DeviceType::Error`] (a newer daemon's type is still listed).
#[cfg(feature = "serde")]
mod type_number {
    use fwctl_uapi::DeviceType;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &DeviceType, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(t.as_u32())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DeviceType, D::Error> {
        Ok(DeviceType::from_u32(u32::deserialize(d)?).unwrap_or(DeviceType::Error))
    }
}

/// Whether a device is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
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

/// One entry of [`Subsystem::devices`](crate::Subsystem::devices); as JSON the
/// view's fields flattened, then `state`, `failure` and `open_handles`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeviceSummary {
    /// The device.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub view: DeviceView,
    /// Its state.
    pub state: DeviceState,
    /// The driver's failure reason when `state` is `Failed`.
    pub failure: Option<String>,
    /// Number of open handles (absent from `devices.json`, where it would go stale).
    #[cfg_attr(feature = "serde", serde(default))]
    pub open_handles: usize,
}
