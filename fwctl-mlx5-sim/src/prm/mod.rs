//! The PRM (ConnectX Programmer's Reference Manual) as data: opcodes and their
//! names, status codes, command layouts ([`commands`]), capability pages
//! ([`caps`]), registers ([`registers`]), request builders ([`build`]) and
//! response decoding ([`decode`]). Everything here is pure: no device state.

pub mod build;
pub mod caps;
pub mod commands;
pub mod decode;
pub mod layout;
pub mod registers;

pub use build::{DiagParams, PrmError};
pub use caps::CapMode;
pub use decode::{decode_exchange, decode_request, decode_response};
pub use layout::{Field, FieldDef, FieldKind, FieldValue, Layout};

use fwctl_core::Errno;

use crate::allow_list;

/// Opcodes by name.
pub mod opcode {
    #![allow(missing_docs)]
    pub const QUERY_HCA_CAP: u16 = 0x100;
    pub const QUERY_ADAPTER: u16 = 0x101;
    pub const QUERY_PAGES: u16 = 0x107;
    pub const SET_HCA_CAP: u16 = 0x109;
    pub const QUERY_ISSI: u16 = 0x10a;
    pub const QUERY_SPECIAL_CONTEXTS: u16 = 0x203;
    pub const QUERY_VPORT_STATE: u16 = 0x750;
    pub const QUERY_NIC_VPORT_CONTEXT: u16 = 0x754;
    pub const QUERY_VPORT_COUNTER: u16 = 0x770;
    pub const QUERY_Q_COUNTER: u16 = 0x773;
    pub const ACCESS_REG: u16 = 0x805;
    pub const NOP: u16 = 0x80d;
    pub const QUERY_DIAGNOSTIC_PARAMS: u16 = 0x819;
    pub const SET_DIAGNOSTIC_PARAMS: u16 = 0x820;
    pub const QUERY_DIAGNOSTIC_COUNTERS: u16 = 0x821;
    pub const QUERY_CONG_STATUS: u16 = 0x822;
    pub const QUERY_CONG_PARAMS: u16 = 0x824;
    pub const QUERY_CONG_STATISTICS: u16 = 0x826;
    pub const CREATE_UCTX: u16 = 0xa04;
    pub const QUERY_UCTX: u16 = 0xa05;
    pub const DESTROY_UCTX: u16 = 0xa06;
    pub const ACCESS_REGISTER_USER: u16 = 0xb0c;
    pub const QUERY_VUID: u16 = 0xb22;
}

/// Common opcodes the fwctl driver refuses (object creation and the like), so
/// descriptions and audit can still name them.
#[rustfmt::skip]
pub const OTHER_OPCODES: &[(u16, &str)] = &[
    (0x0102, "INIT_HCA"), (0x0103, "TEARDOWN_HCA"), (0x0104, "ENABLE_HCA"), (0x0105, "DISABLE_HCA"),
    (0x0108, "MANAGE_PAGES"), (0x010b, "SET_ISSI"), (0x010d, "SET_DRIVER_VERSION"),
    (0x0200, "CREATE_MKEY"), (0x0202, "DESTROY_MKEY"),
    (0x0301, "CREATE_EQ"), (0x0302, "DESTROY_EQ"),
    (0x0400, "CREATE_CQ"), (0x0401, "DESTROY_CQ"), (0x0403, "MODIFY_CQ"),
    (0x0500, "CREATE_QP"), (0x0501, "DESTROY_QP"), (0x0502, "RST2INIT_QP"), (0x0503, "INIT2RTR_QP"),
    (0x0504, "RTR2RTS_QP"), (0x0505, "RTS2RTS_QP"), (0x0506, "SQERR2RTS_QP"), (0x0507, "2ERR_QP"), (0x050a, "2RST_QP"),
    (0x0700, "CREATE_SRQ"), (0x0701, "DESTROY_SRQ"), (0x0710, "CREATE_DCT"), (0x0711, "DESTROY_DCT"),
    (0x0751, "MODIFY_VPORT_STATE"), (0x0753, "MODIFY_ESW_VPORT_CONTEXT"), (0x0755, "MODIFY_NIC_VPORT_CONTEXT"),
    (0x0761, "SET_ROCE_ADDRESS"), (0x0763, "MODIFY_HCA_VPORT_CONTEXT"),
    (0x0771, "ALLOC_Q_COUNTER"), (0x0772, "DEALLOC_Q_COUNTER"),
    (0x0800, "ALLOC_PD"), (0x0801, "DEALLOC_PD"), (0x0802, "ALLOC_UAR"), (0x0803, "DEALLOC_UAR"),
    (0x0804, "CONFIG_INT_MODERATION"), (0x0806, "ATTACH_TO_MCG"), (0x0807, "DETACH_FROM_MCG"),
    (0x080e, "ALLOC_XRCD"), (0x080f, "DEALLOC_XRCD"), (0x0816, "ALLOC_TRANSPORT_DOMAIN"),
    (0x0817, "DEALLOC_TRANSPORT_DOMAIN"), (0x0825, "MODIFY_CONG_PARAMS"),
    (0x0900, "CREATE_TIR"), (0x0902, "DESTROY_TIR"), (0x0904, "CREATE_SQ"), (0x0906, "DESTROY_SQ"),
    (0x0908, "CREATE_RQ"), (0x090a, "DESTROY_RQ"), (0x0912, "CREATE_TIS"), (0x0914, "DESTROY_TIS"),
    (0x0930, "CREATE_FLOW_TABLE"), (0x0931, "DESTROY_FLOW_TABLE"),
    (0x0a00, "CREATE_GENERAL_OBJECT"), (0x0a03, "DESTROY_GENERAL_OBJECT"),
    (0x0a01, "MODIFY_GENERAL_OBJECT"), (0x0a04, "CREATE_UCTX"), (0x0a06, "DESTROY_UCTX"),
    (0x0a08, "CREATE_UMEM"), (0x0a0a, "DESTROY_UMEM"), (0x0b00, "SYNC_STEERING"),
];

/// The PRM name of an opcode (`QUERY_ADAPTER`), allowed or not.
pub fn opcode_name(opcode: u16) -> Option<&'static str> {
    allow_list::lookup(opcode)
        .map(|e| e.name)
        .or_else(|| OTHER_OPCODES.iter().find(|(o, _)| *o == opcode).map(|(_, n)| *n))
}

/// An opcode by PRM name (case-insensitive, `MLX5_CMD_OP_` prefix optional) or number.
pub fn opcode_by_name(s: &str) -> Option<u16> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let bare = upper.strip_prefix("MLX5_CMD_OP_").unwrap_or(&upper);
    let bare = bare.replace('-', "_");
    allow_list::ALLOW_LIST
        .iter()
        .map(|e| (e.opcode, e.name))
        .chain(OTHER_OPCODES.iter().copied())
        .find(|(_, n)| *n == bare)
        .map(|(o, _)| o)
        .or_else(|| parse_number(t).and_then(|v| u16::try_from(v).ok()))
}

/// Command status values (§8.1).
pub mod status {
    #![allow(missing_docs)]
    pub const OK: u8 = 0x00;
    pub const INT_ERR: u8 = 0x01;
    pub const BAD_OP_ERR: u8 = 0x02;
    pub const BAD_PARAM_ERR: u8 = 0x03;
    pub const BAD_SYS_STATE_ERR: u8 = 0x04;
    pub const BAD_RES_ERR: u8 = 0x05;
    pub const RES_BUSY: u8 = 0x06;
    pub const NOT_READY: u8 = 0x07;
    pub const LIM_ERR: u8 = 0x08;
    pub const BAD_RES_STATE_ERR: u8 = 0x09;
    pub const IX_ERR: u8 = 0x0a;
    pub const NO_RES_ERR: u8 = 0x0f;
    pub const BAD_QP_STATE_ERR: u8 = 0x10;
    pub const BAD_PKT_ERR: u8 = 0x30;
    pub const BAD_SIZE_OUTS_CQES_ERR: u8 = 0x40;
    pub const BAD_INP_LEN_ERR: u8 = 0x50;
    pub const BAD_OUTP_LEN_ERR: u8 = 0x51;
    /// `MLX5_DRIVER_STATUS_ABORTED`: synthesised by the driver when the device is
    /// in internal error, never produced by firmware.
    pub const DRIVER_STATUS_ABORTED: u8 = 0xfe;
    /// `MLX5_DRIVER_SYND`: the syndrome that goes with [`DRIVER_STATUS_ABORTED`].
    pub const DRIVER_SYND: u32 = 0xbadd_00de;
}

/// (status, PRM name, kernel string, `cmd_status_to_err` errno) — §8.1.
#[rustfmt::skip]
const STATUS_TABLE: [(u8, &str, &str, Errno); 18] = [
    (0x00, "OK", "OK", Errno::EIO),
    (0x01, "INT_ERR", "internal error", Errno::EIO),
    (0x02, "BAD_OP_ERR", "bad operation", Errno::EINVAL),
    (0x03, "BAD_PARAM_ERR", "bad parameter", Errno::EINVAL),
    (0x04, "BAD_SYS_STATE_ERR", "bad system state", Errno::EIO),
    (0x05, "BAD_RES_ERR", "bad resource", Errno::EINVAL),
    (0x06, "RES_BUSY", "resource busy", Errno::EBUSY),
    (0x07, "NOT_READY", "FW not ready", Errno::EAGAIN),
    (0x08, "LIM_ERR", "limits exceeded", Errno::ENOMEM),
    (0x09, "BAD_RES_STATE_ERR", "bad resource state", Errno::EINVAL),
    (0x0a, "IX_ERR", "bad index", Errno::EINVAL),
    (0x0f, "NO_RES_ERR", "no resources", Errno::EAGAIN),
    (0x10, "BAD_QP_STATE_ERR", "bad QP state", Errno::EINVAL),
    (0x30, "BAD_PKT_ERR", "bad packet (discarded)", Errno::EINVAL),
    (0x40, "BAD_SIZE_OUTS_CQES_ERR", "bad size too many outstanding CQEs", Errno::EINVAL),
    (0x50, "BAD_INP_LEN_ERR", "bad input length", Errno::EIO),
    (0x51, "BAD_OUTP_LEN_ERR", "bad output length", Errno::EIO),
    (0xfe, "DRIVER_STATUS_ABORTED", "aborted by the driver (device in internal error)", Errno::EIO),
];

/// The PRM name of a status byte (`BAD_OP_ERR`); `UNKNOWN` for undefined values.
pub fn status_name(status: u8) -> &'static str {
    STATUS_TABLE.iter().find(|s| s.0 == status).map(|s| s.1).unwrap_or("UNKNOWN")
}

/// The kernel's human string for a status byte ("bad operation"), "unknown status" otherwise.
pub fn status_text(status: u8) -> &'static str {
    STATUS_TABLE.iter().find(|s| s.0 == status).map(|s| s.2).unwrap_or("unknown status")
}

/// `cmd_status_to_err`: the errno `mlx5_cmd_exec` turns a status into (used by
/// the driver for CREATE_UCTX at open). `None` for OK; EIO for unknown values.
pub fn status_errno(status: u8) -> Option<Errno> {
    if status == status::OK {
        return None;
    }
    Some(STATUS_TABLE.iter().find(|s| s.0 == status).map(|s| s.3).unwrap_or(Errno::EIO))
}

/// Parse `123`, `0x7b` or `0X7B`.
pub fn parse_number(s: &str) -> Option<u64> {
    let t = s.trim();
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    }
}
