//! The opcode → minimum-scope allow-list of drivers/fwctl/mlx5 (`mlx5ctl_validate_rpc`),
//! as one table. A command not in the table is refused at every scope (EBADMSG).
//! Checks are "scope ≥ minimum", so a higher scope always passes.

use fwctl_core::RpcScope;
use fwctl_core::driver::Effects;

/// The minimum scope of an allowed opcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinScope {
    /// Allowed at every scope (the kernel's `scope >= FWCTL_RPC_CONFIGURATION`).
    Any,
    /// Allowed at this scope or above.
    At(RpcScope),
    /// ACCESS_REG / ACCESS_REGISTER_USER: op_mod 0 (write) at any scope,
    /// any other op_mod (read) needs DEBUG_READ_ONLY.
    RegisterOpMod,
}

/// One row of the allow-list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowEntry {
    /// The opcode.
    pub opcode: u16,
    /// `MLX5_CMD_OP_` name without the prefix.
    pub name: &'static str,
    /// Minimum scope.
    pub min: MinScope,
    /// What the command does to the device.
    pub effects: Effects,
    /// Why it sits where it does (empty when it is a plain query).
    pub note: &'static str,
}

const ANY: MinScope = MinScope::Any;
const DRO: MinScope = MinScope::At(RpcScope::DebugReadOnly);
const DW: MinScope = MinScope::At(RpcScope::DebugWrite);
const REG: MinScope = MinScope::RegisterOpMod;
const R: Effects = Effects::READ;
const RD: Effects = Effects::READ.union(Effects::DEBUG_READ);
const W: Effects = Effects::WRITE_CONFIG;
const WD: Effects = Effects::WRITE_DEBUG;

const fn e(
    opcode: u16,
    name: &'static str,
    min: MinScope,
    effects: Effects,
    note: &'static str,
) -> AllowEntry {
    AllowEntry { opcode, name, min, effects, note }
}

/// The 94 allowed opcodes, sorted by opcode (\[DRV\]@42d3b66).
#[rustfmt::skip]
pub const ALLOW_LIST: [AllowEntry; 94] = [
    e(0x0100, "QUERY_HCA_CAP",                       ANY, R,  ""),
    e(0x0101, "QUERY_ADAPTER",                       ANY, R,  ""),
    e(0x0107, "QUERY_PAGES",                         DRO, RD, ""),
    e(0x0109, "SET_HCA_CAP",                         ANY, W,  "firmware limits the tools uid to other-function mode"),
    e(0x010a, "QUERY_ISSI",                          DRO, RD, ""),
    e(0x010c, "QUERY_DRIVER_VERSION",                DRO, RD, ""),
    e(0x010e, "QUERY_OTHER_HCA_CAP",                 ANY, R,  ""),
    e(0x0111, "QUERY_SF_PARTITION",                  DRO, RD, ""),
    e(0x0117, "QUERY_VHCA_MIGRATION_STATE",          DRO, RD, ""),
    e(0x0201, "QUERY_MKEY",                          DRO, RD, ""),
    e(0x0203, "QUERY_SPECIAL_CONTEXTS",              DRO, RD, ""),
    e(0x0303, "QUERY_EQ",                            DRO, RD, ""),
    e(0x0402, "QUERY_CQ",                            DRO, RD, ""),
    e(0x050b, "QUERY_QP",                            DRO, RD, ""),
    e(0x0512, "QUERY_RDB",                           DRO, RD, ""),
    e(0x0602, "QUERY_PSV",                           DRO, RD, ""),
    e(0x0702, "QUERY_SRQ",                           DRO, RD, ""),
    e(0x0707, "QUERY_XRC_SRQ",                       DRO, RD, ""),
    e(0x0713, "QUERY_DCT",                           DRO, RD, ""),
    e(0x0716, "QUERY_DC_CNAK_TRACE",                 DRO, RD, ""),
    e(0x0719, "QUERY_XRQ",                           DRO, RD, ""),
    e(0x0722, "QUERY_NVMF_BACKEND_CONTROLLER",       DRO, RD, ""),
    e(0x0725, "QUERY_XRQ_DC_PARAMS_ENTRY",           DRO, RD, ""),
    e(0x0727, "QUERY_XRQ_ERROR_PARAMS",              DRO, RD, ""),
    e(0x0728, "QUERY_NVMF_NAMESPACE_CONTEXT",        DRO, RD, ""),
    e(0x0730, "QUERY_ADJACENT_FUNCTIONS_ID",         DRO, RD, ""),
    e(0x0731, "DELEGATE_VHCA_MANAGEMENT",            ANY, W,  "adjacent-function delegation"),
    e(0x0732, "QUERY_DELEGATED_VHCA",                DRO, RD, ""),
    e(0x0740, "QUERY_ESW_FUNCTIONS",                 ANY, R,  ""),
    e(0x0750, "QUERY_VPORT_STATE",                   DRO, RD, ""),
    e(0x0752, "QUERY_ESW_VPORT_CONTEXT",             DRO, RD, ""),
    e(0x0754, "QUERY_NIC_VPORT_CONTEXT",             DRO, RD, ""),
    e(0x0760, "QUERY_ROCE_ADDRESS",                  ANY, R,  ""),
    e(0x0762, "QUERY_HCA_VPORT_CONTEXT",             ANY, R,  ""),
    e(0x0764, "QUERY_HCA_VPORT_GID",                 DRO, RD, ""),
    e(0x0765, "QUERY_HCA_VPORT_PKEY",                DRO, RD, ""),
    e(0x076f, "QUERY_VNIC_ENV",                      DRO, RD, ""),
    e(0x0770, "QUERY_VPORT_COUNTER",                 DRO, RD, ""),
    e(0x0773, "QUERY_Q_COUNTER",                     DRO, RD, ""),
    e(0x0781, "QUERY_RATE_LIMIT",                    DRO, RD, ""),
    e(0x0784, "QUERY_SCHEDULING_ELEMENT",            DRO, RD, ""),
    e(0x0805, "ACCESS_REG",                          REG, W,  "op_mod 0 = write (any scope); read needs debug-read-only"),
    e(0x080b, "QUERY_MAD_DEMUX",                     DRO, RD, ""),
    e(0x080d, "NOP",                                 DRO, RD, ""),
    e(0x0813, "QUERY_BURST_SIZE",                    DRO, RD, ""),
    e(0x0819, "QUERY_DIAGNOSTIC_PARAMS",             DRO, RD, ""),
    e(0x0820, "SET_DIAGNOSTIC_PARAMS",               DW,  WD, "the only debug-write opcode; taints"),
    e(0x0821, "QUERY_DIAGNOSTIC_COUNTERS",           DRO, RD, ""),
    e(0x0822, "QUERY_CONG_STATUS",                   DRO, RD, ""),
    e(0x0823, "MODIFY_CONG_STATUS",                  ANY, W,  ""),
    e(0x0824, "QUERY_CONG_PARAMS",                   DRO, RD, ""),
    e(0x0826, "QUERY_CONG_STATISTICS",               DRO, RD, ""),
    e(0x082a, "QUERY_L2_TABLE_ENTRY",                DRO, RD, ""),
    e(0x0831, "QUERY_WOL_ROL",                       DRO, RD, ""),
    e(0x0842, "QUERY_LAG",                           DRO, RD, ""),
    e(0x0903, "QUERY_TIR",                           DRO, RD, ""),
    e(0x0907, "QUERY_SQ",                            DRO, RD, ""),
    e(0x090b, "QUERY_RQ",                            DRO, RD, ""),
    e(0x090f, "QUERY_RMP",                           DRO, RD, ""),
    e(0x0911, "QUERY_DELAY_DROP_PARAMS",             DRO, RD, ""),
    e(0x0915, "QUERY_TIS",                           DRO, RD, ""),
    e(0x0919, "QUERY_RQT",                           DRO, RD, ""),
    e(0x0932, "QUERY_FLOW_TABLE",                    DRO, RD, ""),
    e(0x0935, "QUERY_FLOW_GROUP",                    DRO, RD, ""),
    e(0x0937, "QUERY_FLOW_TABLE_ENTRY",              DRO, RD, ""),
    e(0x093b, "QUERY_FLOW_COUNTER",                  DRO, RD, ""),
    e(0x093f, "QUERY_PACKET_REFORMAT_CONTEXT",       DRO, RD, ""),
    e(0x0942, "QUERY_MODIFY_HEADER_CONTEXT",         DRO, RD, ""),
    e(0x0962, "FPGA_QUERY_QP",                       DRO, RD, ""),
    e(0x0964, "FPGA_QUERY_QP_COUNTERS",              DRO, RD, ""),
    e(0x0971, "QUERY_AFU",                           DRO, RD, ""),
    e(0x0981, "QUERY_CAPI_PEC",                      DRO, RD, ""),
    e(0x0a02, "QUERY_GENERAL_OBJECT",                DRO, RD, ""),
    e(0x0a05, "QUERY_UCTX",                          DRO, RD, ""),
    e(0x0a09, "QUERY_UMEM",                          DRO, RD, ""),
    e(0x0b02, "QUERY_NVMF_CC_RESPONSE",              DRO, RD, ""),
    e(0x0b03, "QUERY_EMULATED_FUNCTIONS_INFO",       DRO, RD, ""),
    e(0x0b05, "QUERY_REGEXP_PARAMS",                 DRO, RD, ""),
    e(0x0b07, "QUERY_REGEXP_REGISTER",               DRO, RD, ""),
    e(0x0b08, "USER_QUERY_XRQ_DC_PARAMS_ENTRY",      DRO, RD, ""),
    e(0x0b0a, "USER_QUERY_XRQ_ERROR_PARAMS",         DRO, RD, ""),
    e(0x0b0c, "ACCESS_REGISTER_USER",                REG, W,  "same op_mod rule as ACCESS_REG"),
    e(0x0b0d, "QUERY_VHCA_STATE",                    DRO, RD, ""),
    e(0x0b0f, "QUERY_EMULATION_DEVICE_EQ_MSIX_MAPPING", DRO, RD, ""),
    e(0x0b13, "QUERY_MATCH_SAMPLE_INFO",             DRO, RD, ""),
    e(0x0b14, "QUERY_CRYPTO_STATE",                  DRO, RD, ""),
    e(0x0b22, "QUERY_VUID",                          ANY, R,  ""),
    e(0x0b28, "QUERY_DPA_PARTITION",                 DRO, RD, ""),
    e(0x0b2a, "QUERY_DPA_PARTITIONS",                DRO, RD, ""),
    e(0x0b2e, "POSTPONE_CONNECTED_QP_TIMEOUT",       ANY, W,  ""),
    e(0x0b2f, "QUERY_EMULATED_RESOURCES_INFO",       DRO, RD, ""),
    e(0x8000, "QUERY_RSV_RESOURCES",                 DRO, RD, ""),
    e(0x8001, "QUERY_MTT",                           DRO, RD, ""),
    e(0x8006, "QUERY_SCHED_QUEUE",                   DRO, RD, ""),
];

// The table must stay sorted: lookups binary-search it.
const _: () = {
    let mut i = 1;
    while i < ALLOW_LIST.len() {
        assert!(ALLOW_LIST[i - 1].opcode < ALLOW_LIST[i].opcode, "ALLOW_LIST must be sorted by opcode");
        i += 1;
    }
};

/// The allow-list row of `opcode`.
pub fn lookup(opcode: u16) -> Option<&'static AllowEntry> {
    ALLOW_LIST.binary_search_by_key(&opcode, |e| e.opcode).ok().map(|i| &ALLOW_LIST[i])
}

/// The lowest scope at which the driver allows `(opcode, op_mod)`; `None` if never.
pub fn min_scope(opcode: u16, op_mod: u16) -> Option<RpcScope> {
    lookup(opcode).map(|e| match e.min {
        MinScope::Any => RpcScope::Configuration,
        MinScope::At(s) => s,
        MinScope::RegisterOpMod if op_mod == 0 => RpcScope::Configuration,
        MinScope::RegisterOpMod => RpcScope::DebugReadOnly,
    })
}

/// The kernel's decision: is `(opcode, op_mod)` allowed at `scope`?
pub fn allowed(opcode: u16, op_mod: u16, scope: RpcScope) -> bool {
    min_scope(opcode, op_mod).is_some_and(|min| scope >= min)
}

/// The effects of `(opcode, op_mod)` (register reads are reads).
pub fn effects(opcode: u16, op_mod: u16) -> Effects {
    match lookup(opcode) {
        Some(e) if e.min == MinScope::RegisterOpMod && op_mod != 0 => RD,
        Some(e) => e.effects,
        None => Effects::empty(),
    }
}
