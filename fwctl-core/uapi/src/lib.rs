//! Byte-exact copy of the kernel's fwctl user API (`include/uapi/fwctl/fwctl.h`,
//! `include/uapi/fwctl/mlx5.h`).
//!
//! Everything in this module is ABI: sizes, field offsets, ioctl numbers and enum
//! values are pinned by compile-time assertions below and by tests that restate the
//! numbers from the kernel reference. Nothing here may change without breaking every
//! C caller.
//!
//! This crate is the bottom layer of fwctl: everything else (the subsystem, plugins,
//! the daemon and the CLI) depends on it, and it depends on nothing of fwctl's.

pub mod device_name;
pub mod errno;

pub use device_name::{BadDeviceName, DeviceName};
pub use errno::Errno;

use core::fmt;
use core::mem::{align_of, offset_of, size_of};
use core::str::FromStr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// The ioctl type byte reserved for fwctl (`ioctl-number.rst`: `0x9A 00-0F`).
pub const FWCTL_TYPE: u8 = 0x9A;
/// First command number of the fwctl ioctl table.
pub const FWCTL_CMD_BASE: u32 = 0;
/// Command number of `FWCTL_INFO` inside the table.
pub const FWCTL_CMD_INFO: u32 = 0;
/// Command number of `FWCTL_RPC` inside the table.
pub const FWCTL_CMD_RPC: u32 = 1;

/// Build an `_IO(type, nr)` ioctl number as asm-generic does (no direction, no size bits).
pub const fn io(ty: u8, nr: u32) -> u32 {
    ((ty as u32) << 8) | (nr & 0xff)
}

/// `FWCTL_INFO = _IO(0x9A, 0)`: query the device type and driver-specific device data.
pub const FWCTL_INFO: u32 = io(FWCTL_TYPE, FWCTL_CMD_INFO);
/// `FWCTL_RPC = _IO(0x9A, 1)`: deliver one RPC to the device firmware.
pub const FWCTL_RPC: u32 = io(FWCTL_TYPE, FWCTL_CMD_RPC);

/// Largest `in_len` or `out_len` the core accepts (`SZ_2M`); one byte more is `EMSGSIZE`.
pub const MAX_RPC_LEN: usize = 2 * 1024 * 1024;
/// Number of minors (and so devices) the subsystem hands out: `fwctl0` .. `fwctl4095`.
pub const FWCTL_MAX_DEVICES: u32 = 4096;
/// Bit number of `TAINT_FWCTL` in `/proc/sys/kernel/tainted`.
pub const TAINT_FWCTL_BIT: u32 = 19;
/// `TAINT_FWCTL` as the numeric mask shown by `/proc/sys/kernel/tainted` (524288).
pub const TAINT_FWCTL_MASK: u64 = 1 << TAINT_FWCTL_BIT;
/// The letter the kernel prints for `TAINT_FWCTL` in its taint string.
pub const TAINT_FWCTL_LETTER: char = 'J';

/// `struct fwctl_info`: argument of `FWCTL_INFO` (24 bytes, 8-byte aligned).
///
/// `align(8)`: the kernel declares the pointer field `__aligned_u64`, which is
/// 8-byte aligned on every architecture, including 32-bit ones where a plain
/// `u64` is only 4-byte aligned.
#[repr(C, align(8))]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct FwctlInfo {
    /// In: the caller's `sizeof(struct fwctl_info)`.
    pub size: u32,
    /// In: must be 0, anything else is `EOPNOTSUPP`.
    pub flags: u32,
    /// Out: the [`DeviceType`] of the device.
    pub out_device_type: u32,
    /// In: bytes available at `out_device_data`; out: length of the driver's data.
    pub device_data_len: u32,
    /// In: user pointer to `device_data_len` bytes, filled and zero padded.
    pub out_device_data: u64,
}

/// `struct fwctl_rpc`: argument of `FWCTL_RPC` (32 bytes, 8-byte aligned).
///
/// `align(8)`: the kernel declares the pointer field `__aligned_u64`, which is
/// 8-byte aligned on every architecture, including 32-bit ones where a plain
/// `u64` is only 4-byte aligned.
#[repr(C, align(8))]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct FwctlRpc {
    /// The caller's `sizeof(struct fwctl_rpc)`.
    pub size: u32,
    /// The [`RpcScope`] requested for this RPC.
    pub scope: u32,
    /// Bytes of request at `in_`.
    pub in_len: u32,
    /// In: bytes available at `out`; out: the driver's response length.
    pub out_len: u32,
    /// User pointer to the request (`in` in C).
    pub in_: u64,
    /// User pointer to the response buffer.
    pub out: u64,
}

/// `struct fwctl_info_mlx5`: the device data mlx5 returns from `FWCTL_INFO` (8 bytes).
#[repr(C)]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct FwctlInfoMlx5 {
    /// Firmware user-context id bound to this open file; forced into every command.
    pub uid: u32,
    /// Firmware capabilities enabled for that uid (`MLX5_UCTX_CAP_*`).
    pub uctx_caps: u32,
}

// Layout pins: every size, alignment and offset from kernel-fwctl.md §1.4–§1.6.
const _: () = {
    assert!(size_of::<FwctlInfo>() == 24);
    assert!(align_of::<FwctlInfo>() == 8);
    assert!(offset_of!(FwctlInfo, size) == 0);
    assert!(offset_of!(FwctlInfo, flags) == 4);
    assert!(offset_of!(FwctlInfo, out_device_type) == 8);
    assert!(offset_of!(FwctlInfo, device_data_len) == 12);
    assert!(offset_of!(FwctlInfo, out_device_data) == 16);

    assert!(size_of::<FwctlRpc>() == 32);
    assert!(align_of::<FwctlRpc>() == 8);
    assert!(offset_of!(FwctlRpc, size) == 0);
    assert!(offset_of!(FwctlRpc, scope) == 4);
    assert!(offset_of!(FwctlRpc, in_len) == 8);
    assert!(offset_of!(FwctlRpc, out_len) == 12);
    assert!(offset_of!(FwctlRpc, in_) == 16);
    assert!(offset_of!(FwctlRpc, out) == 24);

    assert!(size_of::<FwctlInfoMlx5>() == 8);
    assert!(align_of::<FwctlInfoMlx5>() == 4);
    assert!(offset_of!(FwctlInfoMlx5, uid) == 0);
    assert!(offset_of!(FwctlInfoMlx5, uctx_caps) == 4);

    assert!(FWCTL_INFO == 0x9A00);
    assert!(FWCTL_RPC == 0x9A01);
    assert!(MAX_RPC_LEN == 2_097_152);
    assert!(TAINT_FWCTL_MASK == 524_288);
};

impl FwctlInfo {
    /// The argument a C caller builds for `FWCTL_INFO` with a buffer of
    /// `device_data_len` bytes at address `out_device_data`. `EINVAL` if the
    /// length does not fit the u32 field.
    pub fn request(device_data_len: usize, out_device_data: u64) -> Result<Self, crate::Errno> {
        Ok(FwctlInfo {
            size: FWCTL_INFO_MIN_SIZE,
            flags: 0,
            out_device_type: 0,
            device_data_len: u32::try_from(device_data_len).map_err(|_| crate::Errno::EINVAL)?,
            out_device_data,
        })
    }
}

impl FwctlRpc {
    /// The argument a C caller builds for `FWCTL_RPC`: `in_len` bytes at `in_`,
    /// `out_len` bytes of room at `out`. `EMSGSIZE` if a length does not fit u32.
    pub fn request(
        scope: u32,
        in_len: usize,
        in_: u64,
        out_len: usize,
        out: u64,
    ) -> Result<Self, crate::Errno> {
        let len = |n: usize| u32::try_from(n).map_err(|_| crate::Errno::EMSGSIZE);
        Ok(FwctlRpc {
            size: FWCTL_RPC_MIN_SIZE,
            scope,
            in_len: len(in_len)?,
            out_len: len(out_len)?,
            in_,
            out,
        })
    }
}

/// Minimum `size` accepted for `FWCTL_INFO`: the end of its last field, `out_device_data`.
pub const FWCTL_INFO_MIN_SIZE: u32 = (offset_of!(FwctlInfo, out_device_data) + 8) as u32;
/// Minimum `size` accepted for `FWCTL_RPC`: the end of its last field, `out`.
pub const FWCTL_RPC_MIN_SIZE: u32 = (offset_of!(FwctlRpc, out) + 8) as u32;

/// `enum fwctl_device_type`: which driver family defines the RPC format.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceType {
    /// `FWCTL_DEVICE_TYPE_ERROR`: never a real device.
    Error = 0,
    /// `FWCTL_DEVICE_TYPE_MLX5`: NVIDIA ConnectX.
    Mlx5 = 1,
    /// `FWCTL_DEVICE_TYPE_CXL`: CXL memdev Features mailbox.
    Cxl = 2,
    /// `FWCTL_DEVICE_TYPE_BNXT`: Broadcom NetXtreme.
    Bnxt = 3,
    /// `FWCTL_DEVICE_TYPE_PDS`: AMD/Pensando DSC.
    Pds = 4,
}

impl DeviceType {
    /// Every known device type, in numeric order.
    pub const ALL: [DeviceType; 5] = [Self::Error, Self::Mlx5, Self::Cxl, Self::Bnxt, Self::Pds];

    /// The numeric uAPI value.
    pub const fn as_u32(self) -> u32 {
        self as u32
    }

    /// Decode a uAPI value; `None` for numbers no driver defines.
    pub const fn from_u32(v: u32) -> Option<Self> {
        match v {
            0 => Some(Self::Error),
            1 => Some(Self::Mlx5),
            2 => Some(Self::Cxl),
            3 => Some(Self::Bnxt),
            4 => Some(Self::Pds),
            _ => None,
        }
    }

    /// Short lower-case name used in policies and the CLI (`mlx5`, `cxl`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Mlx5 => "mlx5",
            Self::Cxl => "cxl",
            Self::Bnxt => "bnxt",
            Self::Pds => "pds",
        }
    }

    /// The kernel's constant name, e.g. `FWCTL_DEVICE_TYPE_MLX5`.
    pub const fn kernel_name(self) -> &'static str {
        match self {
            Self::Error => "FWCTL_DEVICE_TYPE_ERROR",
            Self::Mlx5 => "FWCTL_DEVICE_TYPE_MLX5",
            Self::Cxl => "FWCTL_DEVICE_TYPE_CXL",
            Self::Bnxt => "FWCTL_DEVICE_TYPE_BNXT",
            Self::Pds => "FWCTL_DEVICE_TYPE_PDS",
        }
    }
}

impl fmt::Display for DeviceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DeviceType {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let l = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|t| t.name() == l || t.kernel_name().eq_ignore_ascii_case(s.trim()))
            .or_else(|| l.parse::<u32>().ok().and_then(Self::from_u32))
            .ok_or_else(|| UnknownName { kind: "device type", name: s.to_string() })
    }
}

/// `enum fwctl_rpc_scope`: how invasive an RPC is. Scopes are ordered; a higher scope
/// is a superset of every lower one.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum RpcScope {
    /// `FWCTL_RPC_CONFIGURATION`: device configuration; the device stays supported.
    Configuration = 0,
    /// `FWCTL_RPC_DEBUG_READ_ONLY`: read-only debug information, lockdown compatible.
    DebugReadOnly = 1,
    /// `FWCTL_RPC_DEBUG_WRITE`: writes to debug state; taints.
    DebugWrite = 2,
    /// `FWCTL_RPC_DEBUG_WRITE_FULL`: everything; taints and needs `CAP_SYS_RAWIO`.
    DebugWriteFull = 3,
}

impl RpcScope {
    /// Every scope, lowest first.
    pub const ALL: [RpcScope; 4] =
        [Self::Configuration, Self::DebugReadOnly, Self::DebugWrite, Self::DebugWriteFull];

    /// The numeric uAPI value.
    pub const fn as_u32(self) -> u32 {
        self as u32
    }

    /// Decode a uAPI value; `None` for an unknown scope (the core answers `EOPNOTSUPP`).
    pub const fn from_u32(v: u32) -> Option<Self> {
        match v {
            0 => Some(Self::Configuration),
            1 => Some(Self::DebugReadOnly),
            2 => Some(Self::DebugWrite),
            3 => Some(Self::DebugWriteFull),
            _ => None,
        }
    }

    /// Whether using this scope sets `TAINT_FWCTL`.
    pub const fn taints(self) -> bool {
        matches!(self, Self::DebugWrite | Self::DebugWriteFull)
    }

    /// Whether the caller must hold `CAP_SYS_RAWIO` for this scope.
    pub const fn needs_cap_sys_rawio(self) -> bool {
        matches!(self, Self::DebugWriteFull)
    }

    /// The CLI and policy name, e.g. `debug-read-only`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Configuration => "configuration",
            Self::DebugReadOnly => "debug-read-only",
            Self::DebugWrite => "debug-write",
            Self::DebugWriteFull => "debug-write-full",
        }
    }

    /// The kernel's constant name, e.g. `FWCTL_RPC_DEBUG_READ_ONLY`.
    pub const fn kernel_name(self) -> &'static str {
        match self {
            Self::Configuration => "FWCTL_RPC_CONFIGURATION",
            Self::DebugReadOnly => "FWCTL_RPC_DEBUG_READ_ONLY",
            Self::DebugWrite => "FWCTL_RPC_DEBUG_WRITE",
            Self::DebugWriteFull => "FWCTL_RPC_DEBUG_WRITE_FULL",
        }
    }
}

impl fmt::Display for RpcScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RpcScope {
    type Err = UnknownName;
    /// Accepts `debug-read-only`, `debug_read_only`, `DEBUG_READ_ONLY`,
    /// `FWCTL_RPC_DEBUG_READ_ONLY` and the numbers `0`..=`3`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let norm = t.to_ascii_lowercase().replace('_', "-");
        let norm = norm.strip_prefix("fwctl-rpc-").unwrap_or(&norm);
        Self::ALL
            .into_iter()
            .find(|sc| sc.name() == norm)
            .or_else(|| t.parse::<u32>().ok().and_then(Self::from_u32))
            .ok_or_else(|| UnknownName { kind: "scope", name: s.to_string() })
    }
}

/// A name that does not denote any known value of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} '{name}'")]
pub struct UnknownName {
    /// What kind of name was expected ("scope", "device type").
    pub kind: &'static str,
    /// The text that was given.
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    // Numbers restated from kernel-fwctl.md §1; a change here is a uAPI break.
    #[test]
    fn ioctl_numbers_match_the_kernel_header() {
        assert_eq!(FWCTL_TYPE, 0x9A);
        assert_eq!(FWCTL_INFO, 0x9A00);
        assert_eq!(FWCTL_RPC, 0x9A01);
        // nix builds _IO the same way on this architecture.
        assert_eq!(nix::request_code_none!(0x9A, 0) as u32, FWCTL_INFO);
        assert_eq!(nix::request_code_none!(0x9A, 1) as u32, FWCTL_RPC);
    }

    #[test]
    fn struct_sizes_and_offsets_match_the_kernel_header() {
        assert_eq!(size_of::<FwctlInfo>(), 24);
        assert_eq!(size_of::<FwctlRpc>(), 32);
        assert_eq!(size_of::<FwctlInfoMlx5>(), 8);
        assert_eq!(FWCTL_INFO_MIN_SIZE, 24);
        assert_eq!(FWCTL_RPC_MIN_SIZE, 32);
        let rpc = FwctlRpc { size: 32, scope: 1, in_len: 16, out_len: 272, in_: 0x1122, out: 0x3344 };
        let b = rpc.as_bytes();
        assert_eq!(&b[0..4], &32u32.to_ne_bytes());
        assert_eq!(&b[4..8], &1u32.to_ne_bytes());
        assert_eq!(&b[8..12], &16u32.to_ne_bytes());
        assert_eq!(&b[12..16], &272u32.to_ne_bytes());
        assert_eq!(&b[16..24], &0x1122u64.to_ne_bytes());
        assert_eq!(&b[24..32], &0x3344u64.to_ne_bytes());
    }

    #[test]
    fn enum_values_match_the_kernel_header() {
        assert_eq!(DeviceType::Error as u32, 0);
        assert_eq!(DeviceType::Mlx5 as u32, 1);
        assert_eq!(DeviceType::Cxl as u32, 2);
        assert_eq!(DeviceType::Bnxt as u32, 3);
        assert_eq!(DeviceType::Pds as u32, 4);
        assert_eq!(DeviceType::from_u32(5), None);
        assert_eq!(RpcScope::Configuration as u32, 0);
        assert_eq!(RpcScope::DebugReadOnly as u32, 1);
        assert_eq!(RpcScope::DebugWrite as u32, 2);
        assert_eq!(RpcScope::DebugWriteFull as u32, 3);
        assert_eq!(RpcScope::from_u32(4), None);
        assert!(RpcScope::Configuration < RpcScope::DebugReadOnly);
        assert!(RpcScope::DebugWrite < RpcScope::DebugWriteFull);
    }

    #[test]
    fn limits_and_taint_numbers_match_the_reference() {
        assert_eq!(MAX_RPC_LEN, 2_097_152);
        assert_eq!(FWCTL_MAX_DEVICES, 4096);
        assert_eq!(TAINT_FWCTL_BIT, 19);
        assert_eq!(TAINT_FWCTL_MASK, 524_288);
        assert_eq!(TAINT_FWCTL_LETTER, 'J');
    }

    #[test]
    fn scope_names_parse_in_every_documented_spelling() {
        for (s, want) in [
            ("configuration", RpcScope::Configuration),
            ("debug-read-only", RpcScope::DebugReadOnly),
            ("DEBUG_WRITE", RpcScope::DebugWrite),
            ("FWCTL_RPC_DEBUG_WRITE_FULL", RpcScope::DebugWriteFull),
            ("2", RpcScope::DebugWrite),
        ] {
            assert_eq!(s.parse::<RpcScope>(), Ok(want), "{s}");
        }
        assert!("4".parse::<RpcScope>().is_err());
        assert!("debug".parse::<RpcScope>().is_err());
        assert_eq!("mlx5".parse::<DeviceType>(), Ok(DeviceType::Mlx5));
        assert!("nvme".parse::<DeviceType>().is_err());
    }
}
