//! In-band command failures: the status byte and syndrome a response carries,
//! the caller identity the checks use, and constructors for the common failures.
//! Handlers ([`super::handlers`]) and the register file ([`super::register_file`])
//! both build on this module; neither imports the other's helpers.

use crate::prm::caps::UCTX_CAP_TOOLS_RESOURCES;
use crate::prm::status as st;

/// Syndromes the simulated firmware reports. Real syndromes are firmware
/// internal and undocumented; these are the simulator's own, one per check.
pub mod syndrome {
    /// Opcode unknown or not implemented (BAD_OP_ERR).
    pub const BAD_OPCODE: u32 = 0x5d1f_0001;
    /// op_mod not valid for the command (BAD_PARAM_ERR).
    pub const BAD_OP_MOD: u32 = 0x5d1f_0002;
    /// A field holds an unsupported value (BAD_PARAM_ERR).
    pub const BAD_FIELD: u32 = 0x5d1f_0003;
    /// Request shorter than the command's input structure (BAD_INP_LEN_ERR).
    pub const SHORT_INPUT: u32 = 0x5d1f_0004;
    /// Response buffer shorter than the command's output (BAD_OUTP_LEN_ERR).
    pub const SHORT_OUTPUT: u32 = 0x5d1f_0005;
    /// The header uid names no live user context (BAD_RES_ERR).
    pub const NO_SUCH_UID: u32 = 0x5d1f_0006;
    /// The uid lacks the uctx cap the command needs, e.g. TOOLS_RESOURCES (BAD_PARAM_ERR).
    pub const MISSING_CAP: u32 = 0x5d1f_0007;
    /// The object does not exist or belongs to another uid (BAD_RES_ERR).
    pub const NO_SUCH_OBJECT: u32 = 0x5d1f_0008;
    /// Injected NOT_READY.
    pub const NOT_READY: u32 = 0x5d1f_0009;
    /// CREATE_UCTX beyond the device's limit (NO_RES_ERR).
    pub const UCTX_LIMIT: u32 = 0x5d1f_000a;
    /// Register id not implemented (BAD_PARAM_ERR).
    pub const UNKNOWN_REGISTER: u32 = 0x5d1f_000b;
    /// Write to a read-only register (BAD_PARAM_ERR).
    pub const READ_ONLY_REGISTER: u32 = 0x5d1f_000c;
    /// Diagnostic counters queried while sampling is off (BAD_RES_STATE_ERR).
    pub const SAMPLING_DISABLED: u32 = 0x5d1f_000d;
    /// A command reserved to the kernel (uid 0) came with a user uid (BAD_PARAM_ERR).
    pub const KERNEL_ONLY: u32 = 0x5d1f_000e;
    /// SET_HCA_CAP on the tools uid outside other-function mode (BAD_PARAM_ERR).
    pub const OWN_FUNCTION: u32 = 0x5d1f_000f;
    /// The command belongs to a feature this device does not have (BAD_OP_ERR).
    pub const FEATURE_NOT_SUPPORTED: u32 = 0x5d1f_0010;

    /// (syndrome, name, one-line explanation) of every syndrome above.
    pub const TABLE: [(u32, &str, &str); 16] = [
        (BAD_OPCODE, "BAD_OPCODE", "the firmware does not know this opcode"),
        (
            BAD_OP_MOD,
            "BAD_OP_MOD",
            "op_mod is not valid for this command (or names a page/type the device lacks)",
        ),
        (
            BAD_FIELD,
            "BAD_FIELD",
            "a request field is out of range (an index, port, module, protocol or size)",
        ),
        (SHORT_INPUT, "SHORT_INPUT", "the request is shorter than the command's input structure"),
        (SHORT_OUTPUT, "SHORT_OUTPUT", "the response buffer is shorter than the command's output structure"),
        (NO_SUCH_UID, "NO_SUCH_UID", "the header uid names no live user context"),
        (MISSING_CAP, "MISSING_CAP", "the uid lacks the TOOLS_RESOURCES capability this needs"),
        (NO_SUCH_OBJECT, "NO_SUCH_OBJECT", "no such object, or it belongs to another uid"),
        (NOT_READY, "NOT_READY", "the firmware is not ready (injected fault)"),
        (UCTX_LIMIT, "UCTX_LIMIT", "all user contexts are in use"),
        (UNKNOWN_REGISTER, "UNKNOWN_REGISTER", "the device has no register with this id"),
        (READ_ONLY_REGISTER, "READ_ONLY_REGISTER", "this register cannot be written"),
        (
            SAMPLING_DISABLED,
            "SAMPLING_DISABLED",
            "diagnostic counters are not being sampled (SET_DIAGNOSTIC_PARAMS first)",
        ),
        (KERNEL_ONLY, "KERNEL_ONLY", "only the kernel (uid 0) may issue this command"),
        (OWN_FUNCTION, "OWN_FUNCTION", "SET_HCA_CAP on the tools uid works only for another function"),
        (
            FEATURE_NOT_SUPPORTED,
            "FEATURE_NOT_SUPPORTED",
            "the command belongs to a feature this device does not have",
        ),
    ];

    /// The name and explanation of a syndrome the simulated firmware reports.
    pub fn describe(syndrome: u32) -> Option<(&'static str, &'static str)> {
        TABLE.iter().find(|(s, _, _)| *s == syndrome).map(|(_, n, e)| (*n, *e))
    }
}

/// An in-band failure: status byte and syndrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Status {
    pub status: u8,
    pub syndrome: u32,
}

/// What a handler returns: `Ok` when the response is written, else the failure.
pub(crate) type CmdResult = Result<(), Status>;

/// A failure with this status and syndrome.
pub(crate) fn fail(status: u8, syndrome: u32) -> Status {
    Status { status, syndrome }
}

/// BAD_PARAM_ERR with `syndrome`.
pub(crate) fn bad_param(syndrome: u32) -> Status {
    fail(st::BAD_PARAM_ERR, syndrome)
}

/// BAD_OUTP_LEN_ERR: the response buffer is too short.
pub(crate) fn short_output() -> Status {
    fail(st::BAD_OUTP_LEN_ERR, syndrome::SHORT_OUTPUT)
}

/// BAD_INP_LEN_ERR: the request is too short.
pub(crate) fn short_input() -> Status {
    fail(st::BAD_INP_LEN_ERR, syndrome::SHORT_INPUT)
}

/// Who issued the command, from the header uid.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller {
    pub uid: u16,
    pub caps: u32,
}

impl Caller {
    /// The kernel (uid 0) or a uid with TOOLS_RESOURCES may touch global state.
    pub fn tools(&self) -> bool {
        self.uid == 0 || self.caps & UCTX_CAP_TOOLS_RESOURCES != 0
    }

    /// `Ok` for [`tools`](Self::tools) callers, else BAD_PARAM / MISSING_CAP.
    pub fn need_tools(&self) -> CmdResult {
        if self.tools() { Ok(()) } else { Err(bad_param(syndrome::MISSING_CAP)) }
    }
}
