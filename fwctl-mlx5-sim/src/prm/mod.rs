//! The PRM (ConnectX Programmer's Reference Manual) as data: opcodes and their
//! names, status codes, command layouts ([`commands`]), capability pages
//! ([`caps`]), registers ([`registers`]), request builders ([`build`]) and
//! response decoding ([`decode`]). Everything here is pure: no device state.

pub mod build;
pub mod cap_pages;
pub mod caps;
pub mod commands;
pub mod decode;
pub mod layout;
pub mod meanings;
pub mod opcode;
pub mod queries;
pub mod registers;

pub use build::{DiagParams, PrmError};
pub use caps::CapMode;
pub use decode::{decode_exchange, decode_request, decode_response};
pub use layout::{Field, FieldDef, FieldKind, FieldValue, Layout};

use fwctl_uapi::Errno;

/// The PRM name of an opcode (`QUERY_ADAPTER`), allowed or not.
pub fn opcode_name(opcode: u16) -> Option<&'static str> {
    opcode::NAMES.binary_search_by_key(&opcode, |(o, _)| *o).ok().map(|i| opcode::NAMES[i].1)
}

/// An opcode by PRM name (case-insensitive, `MLX5_CMD_OP_` prefix optional) or number.
pub fn opcode_by_name(s: &str) -> Option<u16> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let bare = upper.strip_prefix("MLX5_CMD_OP_").unwrap_or(&upper);
    let bare = bare.replace('-', "_");
    opcode::NAMES
        .iter()
        .find(|(_, n)| *n == bare)
        .map(|(o, _)| *o)
        .or_else(|| parse_number(t).and_then(|v| u16::try_from(v).ok()))
}

/// Command status values (§8.1).
pub mod status {
    #![expect(missing_docs, reason = "each constant is the PRM name of its status value")]
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

/// One line on what a status means (from the PRM's status table).
pub fn status_explanation(status: u8) -> &'static str {
    match status {
        status::OK => "the command succeeded",
        status::INT_ERR => "firmware internal error",
        status::BAD_OP_ERR => "the opcode is not supported",
        status::BAD_PARAM_ERR => "a parameter is not valid",
        status::BAD_SYS_STATE_ERR => "the system is in a state that does not allow the command",
        status::BAD_RES_ERR => "the resource (object or user context) does not exist or is not the caller's",
        status::RES_BUSY => "the resource is busy",
        status::NOT_READY => "firmware is not ready to execute commands",
        status::LIM_ERR => "a limit was exceeded",
        status::BAD_RES_STATE_ERR => "the resource is in a state that does not allow the command",
        status::IX_ERR => "an index is out of range",
        status::NO_RES_ERR => "no resources are left",
        status::BAD_QP_STATE_ERR => "the QP is in the wrong state",
        status::BAD_PKT_ERR => "the packet is malformed and was discarded",
        status::BAD_SIZE_OUTS_CQES_ERR => "too many outstanding CQEs for the requested size",
        status::BAD_INP_LEN_ERR => "the input length is wrong for the command",
        status::BAD_OUTP_LEN_ERR => "the output length is wrong for the command",
        status::DRIVER_STATUS_ABORTED => "the driver aborted the command: the device is in internal error",
        _ => "unknown status",
    }
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
