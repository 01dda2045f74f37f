//! The driver interface: the user-space analogue of the kernel's `struct fwctl_ops`.
//!
//! A vendor module implements [`Driver`] once per device and [`DriverContext`] once
//! per open handle (the kernel's `fwctl_uctx`). The core guarantees:
//! - [`Driver::open`] is called for every open; a failure fails the open.
//! - [`DriverContext::close`] is called exactly once per successful open: when the
//!   handle is closed, or at unregister for handles still open. The type system
//!   enforces "at most once" (it consumes the box); the subsystem enforces "at least".
//! - [`DriverContext::fw_rpc`] is only called with a valid scope, with lengths at
//!   most [`MAX_RPC_LEN`](fwctl_uapi::MAX_RPC_LEN), after the capability and taint
//!   steps of the core. Calls on different handles run concurrently; drivers
//!   serialise internally where the device needs it.

use std::borrow::Cow;
use std::fmt;

use fwctl_uapi::errno::Errno;
use fwctl_uapi::{DeviceType, RpcScope};

bitflags::bitflags! {
    /// What a command does to the device, as far as the driver can tell. Used for
    /// audit, `--dry-run` output and policy; the minimum scope is derived from it
    /// by the driver (the CXL "command effects" model).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Effects: u32 {
        /// Reads device state; changes nothing.
        const READ = 1 << 0;
        /// Writes device configuration (takes effect now).
        const WRITE_CONFIG = 1 << 1;
        /// Changes configuration that takes effect only after a reset.
        const CONFIG_ON_RESET = 1 << 2;
        /// Writes debug state; the device may leave its supported state.
        const WRITE_DEBUG = 1 << 3;
        /// Can disrupt traffic or other users of the device.
        const DISRUPTIVE = 1 << 4;
        /// May reveal data of other functions or users (read-only debug).
        const DEBUG_READ = 1 << 5;
    }
}

impl Effects {
    /// Each flag with its human-readable name, in bit order.
    const NAMED: [(Effects, &'static str); 6] = [
        (Effects::READ, "read"),
        (Effects::WRITE_CONFIG, "write-config"),
        (Effects::CONFIG_ON_RESET, "config-on-reset"),
        (Effects::WRITE_DEBUG, "write-debug"),
        (Effects::DISRUPTIVE, "disruptive"),
        (Effects::DEBUG_READ, "debug-read"),
    ];

    /// Human-readable names of the set flags, e.g. `["read", "debug-read"]`.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMED.iter().filter(|(flag, _)| self.contains(*flag)).map(|(_, name)| *name).collect()
    }

    /// The flag called `name` (as [`Effects::names`] spells it).
    pub fn from_display_name(name: &str) -> Option<Effects> {
        Self::NAMED.iter().find(|(_, n)| *n == name).map(|(flag, _)| *flag)
    }
}

/// Effects travel as the list of their names (`["read", "debug-read"]`), the
/// shape `Documentation/protocol.md` documents, not as bits.
#[cfg(feature = "serde")]
impl serde::Serialize for Effects {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Effects {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = <Vec<String>>::deserialize(d)?;
        names.iter().try_fold(Effects::empty(), |acc, n| {
            Effects::from_display_name(n)
                .map(|f| acc | f)
                .ok_or_else(|| serde::de::Error::custom(format_args!("unknown effect {n:?}")))
        })
    }
}

/// A register touched by a register-access command (mlx5 ACCESS_REG and friends).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RegisterAccess {
    /// The register id (e.g. 0x5006 for PAOS).
    pub id: u32,
    /// The register's name when the driver knows it.
    pub name: Option<Cow<'static, str>>,
    /// True for a write, false for a read.
    pub write: bool,
}

/// A driver's decoding of one request, computed without touching the device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RpcDescription {
    /// The command opcode in the device's own numbering.
    pub opcode: u32,
    /// The opcode modifier (mlx5 `op_mod`), 0 when the format has none.
    pub op_mod: u32,
    /// The command's name (mlx5: the PRM name such as `QUERY_ADAPTER`), if known.
    pub name: Option<Cow<'static, str>>,
    /// The lowest scope at which the driver allows this request; `None` means the
    /// driver refuses it at every scope.
    pub min_scope: Option<RpcScope>,
    /// What the command does.
    pub effects: Effects,
    /// The response length the device produces for this request, when known.
    pub expected_out_len: Option<usize>,
    /// The register accessed, for register-access commands.
    pub register: Option<RegisterAccess>,
}

impl RpcDescription {
    /// A description for a request the driver cannot decode at all.
    pub fn unknown(opcode: u32, op_mod: u32) -> Self {
        RpcDescription {
            opcode,
            op_mod,
            name: None,
            min_scope: None,
            effects: Effects::empty(),
            expected_out_len: None,
            register: None,
        }
    }

    /// Whether the driver allows this request at `scope` (scopes are ordered).
    pub fn allowed_at(&self, scope: RpcScope) -> bool {
        self.min_scope.is_some_and(|min| scope >= min)
    }
}

/// A device-side status reported inside a delivered response (in-band), decoded by
/// the driver, e.g. mlx5's status byte and syndrome.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeviceStatus {
    /// The raw status code (0 = success for mlx5).
    pub code: u32,
    /// The status name, e.g. `BAD_OP_ERR`.
    pub name: Cow<'static, str>,
    /// A vendor-specific error identifier (mlx5 syndrome), when present.
    pub syndrome: Option<u32>,
    /// Whether the status means success.
    pub ok: bool,
}

impl fmt::Display for DeviceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (0x{:02x})", self.name, self.code)?;
        if let Some(s) = self.syndrome {
            write!(f, ", syndrome 0x{s:08x}")?;
        }
        Ok(())
    }
}

/// Identity facts about a device that the core exposes to listing and policy
/// selectors. All optional; drivers fill in what they know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeviceIdentity {
    /// Driver or plugin name, e.g. `mlx5_fwctl` or `pds-sim (plugin)`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub driver: String,
    /// The parent device, e.g. a PCI address `0000:08:00.0`.
    pub parent: Option<String>,
    /// Firmware version string, e.g. `28.39.1002`.
    pub fw_version: Option<String>,
    /// Serial number or similar.
    pub serial: Option<String>,
}

/// How a driver hands back its response.
#[derive(Debug, PartialEq, Eq)]
pub enum RpcResponse {
    /// The response was written over the request buffer; the first `n` bytes of it
    /// are the response (`n` must not exceed the request length).
    InPlace(usize),
    /// A separately allocated response.
    Buffer(Vec<u8>),
}

/// One device's driver (the kernel's `fwctl_ops` plus device-level helpers).
pub trait Driver: Send + Sync {
    /// The uAPI device type reported by `FWCTL_INFO`.
    fn device_type(&self) -> DeviceType;

    /// Identity facts for listing and policy selectors.
    fn identity(&self) -> DeviceIdentity {
        DeviceIdentity::default()
    }

    /// `open_uctx`: create the per-handle context. An error fails the open.
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno>;

    /// Decode a request without touching the device. The default knows nothing.
    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        let _ = request;
        Err(Errno::EOPNOTSUPP)
    }

    /// Decode the in-band device status of a delivered response, if the format has one.
    fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        let _ = response;
        None
    }

    /// `Some(reason)` when the driver has failed (e.g. a plugin that misbehaved);
    /// the device is then listed as failed and its RPCs answer `ENXIO`.
    fn failure(&self) -> Option<String> {
        None
    }
}

/// The per-open-handle driver context (the kernel's driver-private `fwctl_uctx`).
pub trait DriverContext: Send + Sync {
    /// The `info` op: driver-specific device data for `FWCTL_INFO`. `None` means the
    /// driver has no info op (the core then zero-fills the caller's buffer).
    fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
        None
    }

    /// The `fw_rpc` op: deliver `request` to the firmware at `scope`. `out_capacity`
    /// is the caller's response buffer size. The driver may answer in place (over
    /// `request`) or with a new buffer; an `Err` means the RPC was not delivered.
    /// Device-side failures of a delivered RPC are reported inside the response.
    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno>;

    /// `close_uctx`: release the context. Called exactly once.
    fn close(self: Box<Self>);
}
