//! # fwctl-cxl-sim
//!
//! A simulated CXL memory device (`memN`) exposing the CXL Features mailbox
//! through fwctl exactly as the kernel's CXL fwctl driver does
//! (`drivers/cxl/core/features.c`, `include/uapi/fwctl/cxl.h`,
//! `include/uapi/cxl/features.h`), shipped as a plugin built with the Rust SDK.
//!
//! Facts restated from the kernel (pinned by the tests of this crate and by
//! `tests/tests/it/vendor_cxl.rs`):
//!
//! - Request: `struct fwctl_rpc_cxl` (48 bytes): a 16-byte header `{u32 opcode,
//!   u32 flags, u32 op_size, u32 reserved1}` (host byte order) and a union at 16 of
//!   the mailbox inputs (little-endian, packed): Get Supported Features in (8
//!   bytes), Get Feature in (21), Set Feature in (32-byte header, then data).
//!   Only the low 16 bits of `opcode` count (`u16 opcode = rpc_in->opcode`);
//!   `flags` and `reserved1` are never looked at; `in_len` is not checked.
//! - Response: `struct fwctl_rpc_cxl_out` (`sizeof` 16): `{u32 size, u32 retval}`
//!   then the payload; the mailbox return code goes in `retval` (in-band).
//! - Validation (`cxlctl_validate_hw_command`), every failure `EINVAL`: Get
//!   Supported Features and Get Feature need feature capability >= read-only, at
//!   any scope; Set Feature needs read-write and `cxlctl_validate_set_features`
//!   (`op_size >= 16`, the UUID known, CHANGEABLE in the *cached* entry, no
//!   reserved effects bits 12-15, no BACKGROUND, at least one immediate (1-4) or
//!   reset (0, 10, 11) effect; an immediate effect needs `DEBUG_WRITE_FULL`, a
//!   reset-only one `DEBUG_WRITE`). Any other opcode is `EINVAL`.
//! - Get Supported Features (0x0500): `op_size != 8` or `start >= n` is `EINVAL`;
//!   `min(count / 48, n - start)` entries; exclusive (kernel-owned) features are
//!   listed with `set_feat_size = 0` and CHANGEABLE cleared; `out_len` is
//!   `sizeof(out) + 8 + 48n` = **24 + 48n**, 8 bytes more than the content, and
//!   `size` = 8 + 48n.
//! - Get Feature (0x0501): `op_size != 21` or `count == 0` is `EINVAL`; success
//!   `out_len = 8 + bytes`; a mailbox failure `size = 0`, `retval` = the code,
//!   `out_len = 8`.
//! - Set Feature (0x0502): after validation, `op_size <= 32` is `EINVAL`, an
//!   exclusive UUID is `EPERM`; `out_len = 8`, `retval` the mailbox code.
//! - No `info` op (INFO zero-fills and reports length 0); open/close do nothing.
//!
//! The feature table is what a DDR5 CXL memory expander reports: patrol scrub,
//! DDR5 ECS, soft and hard PPR (all four exclusive to the kernel's EDAC code),
//! and three vendor features a user may change, with realistic sizes, versions
//! and effects. Set Feature changes what Get Feature returns.
//!
//! Deliberate deviation: the kernel reads Set Feature data past the caller's
//! `in` buffer when `op_size` claims more than was sent; the simulator answers
//! `EINVAL` instead of reading beyond the request.

use std::borrow::Cow;
use std::ffi::CStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use fwctl_plugin_sdk::driver::{DeviceIdentity, Driver, DriverContext, Effects, RpcDescription, RpcResponse};
use fwctl_plugin_sdk::sdk::{ExportedVTable, Plugin};
use fwctl_plugin_sdk::{DeviceType, Errno, RpcScope};

/// `CXL_MBOX_OP_GET_SUPPORTED_FEATURES`.
pub const OP_GET_SUPPORTED_FEATURES: u16 = 0x0500;
/// `CXL_MBOX_OP_GET_FEATURE`.
pub const OP_GET_FEATURE: u16 = 0x0501;
/// `CXL_MBOX_OP_SET_FEATURE`.
pub const OP_SET_FEATURE: u16 = 0x0502;

/// `sizeof(struct fwctl_rpc_cxl)`.
pub const RPC_CXL_SIZE: usize = 48;
/// `sizeof(struct fwctl_rpc_cxl_hdr)`: where the mailbox input starts.
pub const RPC_CXL_HDR_SIZE: usize = 16;
/// `sizeof(struct fwctl_rpc_cxl_out)`.
pub const RPC_CXL_OUT_SIZE: usize = 16;
/// `sizeof(struct fwctl_rpc_cxl_out_hdr)`: `{size, retval}`.
pub const RPC_CXL_OUT_HDR_SIZE: usize = 8;
/// `sizeof(struct cxl_mbox_get_sup_feats_in)`.
pub const GET_SUP_FEATS_IN_SIZE: u32 = 8;
/// `sizeof(struct cxl_mbox_get_feat_in)`.
pub const GET_FEAT_IN_SIZE: u32 = 21;
/// `sizeof(struct cxl_mbox_set_feat_hdr)`.
pub const SET_FEAT_HDR_SIZE: u32 = 32;
/// `sizeof(struct cxl_feat_entry)`.
pub const FEAT_ENTRY_SIZE: usize = 48;
/// `sizeof(struct cxl_mbox_get_sup_feats_out_hdr)`.
pub const GET_SUP_FEATS_OUT_HDR_SIZE: usize = 8;

/// Command effects (CXL r3.2 Table 8-87, `include/cxl/features.h`).
pub mod effects {
    /// Configuration change after a cold reset.
    pub const CONFIG_CHANGE_COLD_RESET: u16 = 1 << 0;
    /// Immediate configuration change.
    pub const CONFIG_CHANGE_IMMEDIATE: u16 = 1 << 1;
    /// Immediate data change.
    pub const DATA_CHANGE_IMMEDIATE: u16 = 1 << 2;
    /// Immediate policy change.
    pub const POLICY_CHANGE_IMMEDIATE: u16 = 1 << 3;
    /// Immediate log change.
    pub const LOG_CHANGE_IMMEDIATE: u16 = 1 << 4;
    /// Security state change.
    pub const SECURITY_STATE_CHANGE: u16 = 1 << 5;
    /// Background operation.
    pub const BACKGROUND: u16 = 1 << 6;
    /// Background command abort supported.
    pub const BGCMD_ABORT_SUPPORTED: u16 = 1 << 7;
    /// The effects field is valid.
    pub const EFFECTS_VALID: u16 = 1 << 9;
    /// Configuration change after a conventional reset.
    pub const CONFIG_CHANGE_CONV_RESET: u16 = 1 << 10;
    /// Configuration change after a CXL reset.
    pub const CONFIG_CHANGE_CXL_RESET: u16 = 1 << 11;
    /// Bits 12-15: reserved; a feature with any set cannot be changed through fwctl.
    pub const RESERVED: u16 = 0xf000;
    /// The immediate-change bits: Set Feature needs `DEBUG_WRITE_FULL`.
    pub const IMMEDIATE: u16 =
        CONFIG_CHANGE_IMMEDIATE | DATA_CHANGE_IMMEDIATE | POLICY_CHANGE_IMMEDIATE | LOG_CHANGE_IMMEDIATE;
    /// The reset bits: Set Feature with only these needs `DEBUG_WRITE`.
    pub const RESET: u16 = CONFIG_CHANGE_COLD_RESET | CONFIG_CHANGE_CONV_RESET | CONFIG_CHANGE_CXL_RESET;
}

/// `CXL_FEATURE_F_CHANGEABLE`.
pub const FEATURE_F_CHANGEABLE: u32 = 1 << 0;
/// `CXL_FEATURE_F_DEFAULT_SEL`: Get Feature can return the default value.
pub const FEATURE_F_DEFAULT_SEL: u32 = 1 << 5;
/// `CXL_FEATURE_F_SAVED_SEL`: Get Feature can return the saved value.
pub const FEATURE_F_SAVED_SEL: u32 = 1 << 6;

/// Mailbox return codes used by the simulator (CXL r3.2 Table 8-34).
pub mod retcode {
    /// Success.
    pub const SUCCESS: u32 = 0x0000;
    /// Invalid Input.
    pub const INVALID_INPUT: u32 = 0x0002;
    /// Unsupported.
    pub const UNSUPPORTED: u32 = 0x0015;
}

/// `UUID_INIT(a, b, c, d0..d7)` in the kernel's `uuid_t` byte order (big-endian fields).
const fn uuid(a: u32, b: u16, c: u16, d: [u8; 8]) -> [u8; 16] {
    let a = a.to_be_bytes();
    let b = b.to_be_bytes();
    let c = c.to_be_bytes();
    [a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]
}

/// `CXL_FEAT_PATROL_SCRUB_UUID` (96dad7d6-fde8-482b-a733-75774e06db8a).
pub const PATROL_SCRUB_UUID: [u8; 16] =
    uuid(0x96dad7d6, 0xfde8, 0x482b, [0xa7, 0x33, 0x75, 0x77, 0x4e, 0x06, 0xdb, 0x8a]);
/// `CXL_FEAT_ECS_UUID` (e5b13f22-2328-4a14-b8ba-b9691e893386).
pub const ECS_UUID: [u8; 16] =
    uuid(0xe5b13f22, 0x2328, 0x4a14, [0xb8, 0xba, 0xb9, 0x69, 0x1e, 0x89, 0x33, 0x86]);
/// `CXL_FEAT_SPPR_UUID` (892ba475-fad8-474e-9d3e-692c917568bb).
pub const SPPR_UUID: [u8; 16] =
    uuid(0x892ba475, 0xfad8, 0x474e, [0x9d, 0x3e, 0x69, 0x2c, 0x91, 0x75, 0x68, 0xbb]);
/// `CXL_FEAT_HPPR_UUID` (80ea4521-786f-4127-afb1-ec7459fb0e24).
pub const HPPR_UUID: [u8; 16] =
    uuid(0x80ea4521, 0x786f, 0x4127, [0xaf, 0xb1, 0xec, 0x74, 0x59, 0xfb, 0x0e, 0x24]);
/// Vendor feature: telemetry sampling interval (takes effect after a cold reset).
pub const VENDOR_TELEMETRY_UUID: [u8; 16] =
    uuid(0x5a1f0c3e, 0x7d21, 0x4b8e, [0x9c, 0x44, 0x0e, 0x6f, 0x2a, 0x71, 0xd3, 0x01]);
/// Vendor feature: thermal throttle threshold (immediate).
pub const VENDOR_THERMAL_UUID: [u8; 16] =
    uuid(0x5a1f0c3e, 0x7d21, 0x4b8e, [0x9c, 0x44, 0x0e, 0x6f, 0x2a, 0x71, 0xd3, 0x02]);
/// Vendor feature: media wear report (read-only).
pub const VENDOR_WEAR_UUID: [u8; 16] =
    uuid(0x5a1f0c3e, 0x7d21, 0x4b8e, [0x9c, 0x44, 0x0e, 0x6f, 0x2a, 0x71, 0xd3, 0x03]);

/// The kernel's `cxl_exclusive_feats` that this device implements.
pub const EXCLUSIVE: [[u8; 16]; 4] = [PATROL_SCRUB_UUID, ECS_UUID, SPPR_UUID, HPPR_UUID];

/// Format a UUID the usual way (`96dad7d6-fde8-...`).
pub fn uuid_string(u: &[u8; 16]) -> String {
    let h: Vec<String> = u.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        h[0..4].concat(),
        h[4..6].concat(),
        h[6..8].concat(),
        h[8..10].concat(),
        h[10..16].concat()
    )
}

/// Parse `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || s.len() != 36 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// One supported feature and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's UUID.
    pub uuid: [u8; 16],
    /// A short name (not on the wire).
    pub name: &'static str,
    /// `get_feat_size`.
    pub get_size: u16,
    /// `set_feat_size`.
    pub set_size: u16,
    /// `flags` (`CXL_FEATURE_F_*`).
    pub flags: u32,
    /// `get_feat_ver`.
    pub get_ver: u8,
    /// `set_feat_ver`.
    pub set_ver: u8,
    /// `effects` (the [`effects`] bits).
    pub effects: u16,
    /// Current value (`get_size` bytes).
    pub current: Vec<u8>,
    /// Default value.
    pub default: Vec<u8>,
    /// Saved value.
    pub saved: Vec<u8>,
}

impl Feature {
    fn new(
        uuid: [u8; 16],
        name: &'static str,
        (get_size, set_size): (u16, u16),
        flags: u32,
        (get_ver, set_ver): (u8, u8),
        effects: u16,
        value: &[u8],
    ) -> Self {
        let mut v = value.to_vec();
        v.resize(get_size as usize, 0);
        Feature {
            uuid,
            name,
            get_size,
            set_size,
            flags,
            get_ver,
            set_ver,
            effects,
            current: v.clone(),
            default: v.clone(),
            saved: v,
        }
    }

    /// Whether the kernel keeps this feature to itself (`cxl_exclusive_feats`).
    pub fn exclusive(&self) -> bool {
        EXCLUSIVE.contains(&self.uuid)
    }

    /// The 48-byte `struct cxl_feat_entry` as the device reports it.
    pub fn entry(&self) -> [u8; FEAT_ENTRY_SIZE] {
        let mut e = [0u8; FEAT_ENTRY_SIZE];
        e[..16].copy_from_slice(&self.uuid);
        // id@16 is the index, filled by the caller.
        e[18..20].copy_from_slice(&self.get_size.to_le_bytes());
        e[20..22].copy_from_slice(&self.set_size.to_le_bytes());
        e[22..26].copy_from_slice(&self.flags.to_le_bytes());
        e[26] = self.get_ver;
        e[27] = self.set_ver;
        e[28..30].copy_from_slice(&self.effects.to_le_bytes());
        e
    }
}

/// The feature table of a DDR5 CXL memory expander.
pub fn default_features() -> Vec<Feature> {
    use effects::*;
    let sel = FEATURE_F_DEFAULT_SEL | FEATURE_F_SAVED_SEL;
    vec![
        // Patrol scrub control (CXL r3.2 8.2.10.9.11.1): read 4 bytes {cap, le16 cycle hours, flags}, write 2.
        Feature::new(
            PATROL_SCRUB_UUID,
            "patrol-scrub",
            (4, 2),
            FEATURE_F_CHANGEABLE | sel,
            (1, 1),
            CONFIG_CHANGE_IMMEDIATE | EFFECTS_VALID,
            &[0x01, 12, 0, 0x01],
        ),
        // DDR5 ECS control: per media FRU, 4 FRUs x 4 bytes + 4-byte header.
        Feature::new(
            ECS_UUID,
            "ddr5-ecs",
            (20, 20),
            FEATURE_F_CHANGEABLE | sel,
            (1, 1),
            CONFIG_CHANGE_IMMEDIATE | EFFECTS_VALID,
            &[0x03, 0, 0, 0, 0x01, 0x03],
        ),
        // Soft PPR maintenance.
        Feature::new(
            SPPR_UUID,
            "soft-ppr",
            (16, 10),
            FEATURE_F_CHANGEABLE,
            (2, 2),
            CONFIG_CHANGE_IMMEDIATE | DATA_CHANGE_IMMEDIATE | EFFECTS_VALID,
            &[0x01, 0x05],
        ),
        // Hard PPR maintenance.
        Feature::new(
            HPPR_UUID,
            "hard-ppr",
            (16, 10),
            FEATURE_F_CHANGEABLE,
            (2, 2),
            CONFIG_CHANGE_COLD_RESET | DATA_CHANGE_IMMEDIATE | EFFECTS_VALID,
            &[0x01, 0x01],
        ),
        // Vendor: telemetry interval in seconds (le32), effective after a cold reset.
        Feature::new(
            VENDOR_TELEMETRY_UUID,
            "vendor-telemetry-interval",
            (4, 4),
            FEATURE_F_CHANGEABLE | sel,
            (1, 1),
            CONFIG_CHANGE_COLD_RESET | EFFECTS_VALID,
            &60u32.to_le_bytes(),
        ),
        // Vendor: thermal throttle threshold in degrees C (le16), immediate.
        Feature::new(
            VENDOR_THERMAL_UUID,
            "vendor-thermal-throttle",
            (2, 2),
            FEATURE_F_CHANGEABLE | sel,
            (1, 1),
            CONFIG_CHANGE_IMMEDIATE | EFFECTS_VALID,
            &85u16.to_le_bytes(),
        ),
        // Vendor: media wear report, read-only.
        Feature::new(
            VENDOR_WEAR_UUID,
            "vendor-media-wear",
            (8, 0),
            0,
            (1, 0),
            0,
            &[3, 0, 0, 0, 0x10, 0x27, 0, 0],
        ),
    ]
}

/// `enum cxl_features_capability`: what the mailbox allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FeatCap {
    /// `CXL_FEATURES_NONE`.
    None,
    /// `CXL_FEATURES_RO`.
    ReadOnly,
    /// `CXL_FEATURES_RW`.
    ReadWrite,
}

/// One simulated CXL memory device.
#[derive(Debug, Clone)]
pub struct CxlDevice {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    memdev: String,
    cap: FeatCap,
    features: Mutex<Vec<Feature>>,
}

/// Little-endian helpers over a zero-extended request.
fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn ne32(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// `fwctl_rpc_cxl_out` header followed by `payload`, `size` as given.
fn out(size: u32, retval: u32, payload: &[u8], total: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(total);
    v.extend_from_slice(&size.to_ne_bytes());
    v.extend_from_slice(&retval.to_ne_bytes());
    v.extend_from_slice(payload);
    v.resize(total, 0);
    v
}

impl CxlDevice {
    /// A device `memN` with the default feature table and capability `cap`.
    pub fn new(memdev: impl Into<String>, cap: FeatCap) -> Self {
        CxlDevice {
            inner: Arc::new(Inner { memdev: memdev.into(), cap, features: Mutex::new(default_features()) }),
        }
    }
}

impl Inner {
    fn features(&self) -> std::sync::MutexGuard<'_, Vec<Feature>> {
        self.features.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The request as the kernel reads it: at least the 48-byte struct, zero beyond `in_len`.
    fn padded(request: &[u8]) -> Cow<'_, [u8]> {
        if request.len() >= RPC_CXL_SIZE {
            Cow::Borrowed(request)
        } else {
            let mut v = request.to_vec();
            v.resize(RPC_CXL_SIZE, 0);
            Cow::Owned(v)
        }
    }

    /// `cxlctl_validate_set_features`: the minimum scope, or `None` when refused.
    fn set_min_scope(feats: &[Feature], rpc: &[u8]) -> Option<RpcScope> {
        if ne32(rpc, 8) < 16 {
            return None;
        }
        let uuid = &rpc[16..32];
        let f = feats.iter().find(|f| f.uuid == uuid)?;
        if f.flags & FEATURE_F_CHANGEABLE == 0
            || f.effects & effects::RESERVED != 0
            || f.effects & effects::BACKGROUND != 0
        {
            return None;
        }
        if f.effects & effects::IMMEDIATE != 0 {
            Some(RpcScope::DebugWriteFull)
        } else if f.effects & effects::RESET != 0 {
            Some(RpcScope::DebugWrite)
        } else {
            None
        }
    }

    /// `cxlctl_fw_rpc`.
    fn rpc(&self, scope: RpcScope, request: &[u8]) -> Result<Vec<u8>, Errno> {
        let rpc = Self::padded(request);
        let opcode = ne32(&rpc, 0) as u16; // the driver keeps the low 16 bits
        let op_size = ne32(&rpc, 8);
        let mut feats = self.features();
        // cxlctl_validate_hw_command
        let ok = match opcode {
            OP_GET_SUPPORTED_FEATURES | OP_GET_FEATURE => self.cap >= FeatCap::ReadOnly,
            OP_SET_FEATURE => {
                self.cap >= FeatCap::ReadWrite
                    && Self::set_min_scope(&feats, &rpc).is_some_and(|min| scope >= min)
            }
            _ => false,
        };
        if !ok {
            return Err(Errno::EINVAL);
        }
        match opcode {
            OP_GET_SUPPORTED_FEATURES => {
                if op_size != GET_SUP_FEATS_IN_SIZE {
                    return Err(Errno::EINVAL);
                }
                let count = le32(&rpc, 16) as usize;
                let start = le16(&rpc, 20) as usize;
                if start >= feats.len() {
                    return Err(Errno::EINVAL);
                }
                let n = (count / FEAT_ENTRY_SIZE).min(feats.len() - start);
                let mut payload = Vec::with_capacity(GET_SUP_FEATS_OUT_HDR_SIZE + n * FEAT_ENTRY_SIZE);
                payload.extend_from_slice(&(n as u16).to_le_bytes());
                payload.extend_from_slice(&(feats.len() as u16).to_le_bytes());
                payload.extend_from_slice(&[0; 4]);
                for (i, f) in feats.iter().enumerate().skip(start).take(n) {
                    let mut e = f.entry();
                    e[16..18].copy_from_slice(&(i as u16).to_le_bytes());
                    if f.exclusive() {
                        e[20..22].fill(0);
                        e[22..26].copy_from_slice(&(f.flags & !FEATURE_F_CHANGEABLE).to_le_bytes());
                    }
                    payload.extend_from_slice(&e);
                }
                let size = (GET_SUP_FEATS_OUT_HDR_SIZE + n * FEAT_ENTRY_SIZE) as u32;
                // The kernel's length: sizeof(out) + struct_size(ents, n) = 24 + 48n.
                Ok(out(size, retcode::SUCCESS, &payload, RPC_CXL_OUT_SIZE + size as usize))
            }
            OP_GET_FEATURE => {
                if op_size != GET_FEAT_IN_SIZE {
                    return Err(Errno::EINVAL);
                }
                let uuid = &rpc[16..32];
                let offset = le16(&rpc, 32) as usize;
                let count = le16(&rpc, 34) as usize;
                let selection = rpc[36];
                if count == 0 {
                    return Err(Errno::EINVAL);
                }
                let fail = |code| Ok(out(0, code, &[], RPC_CXL_OUT_HDR_SIZE));
                let Some(f) = feats.iter().find(|f| f.uuid == uuid) else {
                    return fail(retcode::UNSUPPORTED);
                };
                let value = match selection {
                    0 => &f.current,
                    1 if f.flags & FEATURE_F_DEFAULT_SEL != 0 => &f.default,
                    2 if f.flags & FEATURE_F_SAVED_SEL != 0 => &f.saved,
                    _ => return fail(retcode::INVALID_INPUT),
                };
                if offset >= value.len() {
                    return fail(retcode::INVALID_INPUT);
                }
                let data = &value[offset..value.len().min(offset + count)];
                Ok(out(data.len() as u32, retcode::SUCCESS, data, RPC_CXL_OUT_HDR_SIZE + data.len()))
            }
            _ => {
                if op_size <= SET_FEAT_HDR_SIZE {
                    return Err(Errno::EINVAL);
                }
                let uuid: [u8; 16] = rpc[16..32].try_into().map_err(|_| Errno::EINVAL)?;
                if EXCLUSIVE.contains(&uuid) {
                    return Err(Errno::EPERM);
                }
                let offset = le16(&rpc, 36) as usize;
                let version = rpc[38];
                let data_len = (op_size - SET_FEAT_HDR_SIZE) as usize;
                // Deviation: never read past the caller's request.
                let data = request.get(RPC_CXL_SIZE..RPC_CXL_SIZE + data_len).ok_or(Errno::EINVAL)?;
                let code = match feats.iter_mut().find(|f| f.uuid == uuid) {
                    None => retcode::UNSUPPORTED,
                    Some(f) if f.set_ver != version => retcode::INVALID_INPUT,
                    Some(f)
                        if offset + data.len() > f.set_size as usize
                            || offset + data.len() > f.current.len() =>
                    {
                        retcode::INVALID_INPUT
                    }
                    Some(f) => {
                        f.current[offset..offset + data.len()].copy_from_slice(data);
                        // The driver always sets SAVED_ACROSS_RESET.
                        f.saved[offset..offset + data.len()].copy_from_slice(data);
                        retcode::SUCCESS
                    }
                };
                Ok(out(0, code, &[], RPC_CXL_OUT_HDR_SIZE))
            }
        }
    }
}

impl Driver for CxlDevice {
    fn device_type(&self) -> DeviceType {
        DeviceType::Cxl
    }

    fn identity(&self) -> DeviceIdentity {
        DeviceIdentity {
            driver: "cxl_core (simulated)".into(),
            parent: Some(self.inner.memdev.clone()),
            fw_version: Some("CXL-SIM 3.2.1".into()),
            serial: Some(format!("cxl-sim-{}", self.inner.memdev)),
            psid: None,
        }
    }

    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(CxlContext { dev: self.inner.clone() }))
    }

    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        let dev = &self.inner;
        let rpc = Inner::padded(request);
        let opcode = ne32(&rpc, 0) as u16;
        let mut d = RpcDescription::unknown(u32::from(opcode), 0);
        match opcode {
            OP_GET_SUPPORTED_FEATURES | OP_GET_FEATURE => {
                d.name = Some(Cow::Borrowed(if opcode == OP_GET_FEATURE {
                    "GET_FEATURE"
                } else {
                    "GET_SUPPORTED_FEATURES"
                }));
                d.min_scope = (dev.cap >= FeatCap::ReadOnly).then_some(RpcScope::Configuration);
                d.effects = Effects::READ;
            }
            OP_SET_FEATURE => {
                d.name = Some(Cow::Borrowed("SET_FEATURE"));
                let feats = dev.features();
                d.min_scope =
                    if dev.cap >= FeatCap::ReadWrite { Inner::set_min_scope(&feats, &rpc) } else { None };
                if let Some(f) = feats.iter().find(|f| f.uuid == rpc[16..32]) {
                    d.effects = if f.effects & effects::IMMEDIATE != 0 {
                        Effects::WRITE_CONFIG
                    } else {
                        Effects::CONFIG_ON_RESET
                    };
                }
            }
            _ => {}
        }
        Ok(d)
    }
}

/// A context: nothing per open (the driver's `open_uctx` does nothing).
struct CxlContext {
    dev: Arc<Inner>,
}

impl DriverContext for CxlContext {
    fn fw_rpc(
        &self,
        scope: RpcScope,
        request: &mut [u8],
        _out_capacity: usize,
    ) -> Result<RpcResponse, Errno> {
        self.dev.rpc(scope, request).map(RpcResponse::Buffer)
    }

    fn close(self: Box<Self>) {}
}

/// Devices created so far in this process (names `mem0`, `mem1`, ...).
static NEXT_MEMDEV: AtomicUsize = AtomicUsize::new(0);

/// The plugin: `probe("devices=N,feat_cap=ro|rw|none")`.
pub struct CxlPlugin;

impl Plugin for CxlPlugin {
    const NAME: &'static CStr = c"cxl-sim";
    const VERSION: &'static CStr = c"1.0";
    const DEVICE_TYPE: DeviceType = DeviceType::Cxl;

    fn probe(config: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        let (mut n, mut cap) = (1usize, FeatCap::ReadWrite);
        for kv in config.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match kv.split_once('=') {
                Some(("devices", v)) => {
                    n = v.parse().ok().filter(|n| (1..=8).contains(n)).ok_or(Errno::EINVAL)?
                }
                Some(("feat_cap", "ro")) => cap = FeatCap::ReadOnly,
                Some(("feat_cap", "rw")) => cap = FeatCap::ReadWrite,
                Some(("feat_cap", "none")) => cap = FeatCap::None,
                _ => return Err(Errno::EINVAL),
            }
        }
        Ok((0..n)
            .map(|_| {
                let id = NEXT_MEMDEV.fetch_add(1, Ordering::Relaxed);
                Arc::new(CxlDevice::new(format!("mem{id}"), cap)) as Arc<dyn Driver>
            })
            .collect())
    }
}

/// The plugin's vtable, for linking it in-process
/// (`PluginLibrary::from_static(&cxl_sim::VTABLE, "cxl-sim")`).
pub static VTABLE: ExportedVTable = ExportedVTable::new::<CxlPlugin>();

// The exported entry point, left out with feature `no-entry` (for binaries that
// link several plugin crates: each would export the same symbol).
#[cfg(not(feature = "no-entry"))]
fwctl_plugin_sdk::declare_plugin!(CxlPlugin);
