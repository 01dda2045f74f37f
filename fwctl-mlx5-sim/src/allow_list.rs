//! The opcode → minimum-scope allow-list of drivers/fwctl/mlx5 (`mlx5ctl_validate_rpc`),
//! as one table. A command not in the table is refused at every scope (EBADMSG).
//! Checks are "scope ≥ minimum", so a higher scope always passes.

use fwctl_subsys::driver::Effects;
use fwctl_uapi::RpcScope;

use crate::prm::opcode::{self as op, name_of};

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
    /// `MLX5_CMD_OP_` name without the prefix (from [`crate::prm::opcode::NAMES`]).
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

const fn e(opcode: u16, min: MinScope, effects: Effects, note: &'static str) -> AllowEntry {
    AllowEntry { opcode, name: name_of(opcode), min, effects, note }
}

/// The 94 allowed opcodes, sorted by opcode (`drivers/fwctl/mlx5/main.c`@42d3b66).
#[rustfmt::skip]
pub const ALLOW_LIST: [AllowEntry; 94] = [
    e(op::QUERY_HCA_CAP, ANY, R,  ""),
    e(op::QUERY_ADAPTER, ANY, R,  ""),
    e(op::QUERY_PAGES, DRO, RD, ""),
    e(op::SET_HCA_CAP, ANY, W,  "firmware limits the tools uid to other-function mode"),
    e(op::QUERY_ISSI, DRO, RD, ""),
    e(op::QUERY_DRIVER_VERSION, DRO, RD, ""),
    e(op::QUERY_OTHER_HCA_CAP, ANY, R,  ""),
    e(op::QUERY_SF_PARTITION, DRO, RD, ""),
    e(op::QUERY_VHCA_MIGRATION_STATE, DRO, RD, ""),
    e(op::QUERY_MKEY, DRO, RD, ""),
    e(op::QUERY_SPECIAL_CONTEXTS, DRO, RD, ""),
    e(op::QUERY_EQ, DRO, RD, ""),
    e(op::QUERY_CQ, DRO, RD, ""),
    e(op::QUERY_QP, DRO, RD, ""),
    e(op::QUERY_RDB, DRO, RD, ""),
    e(op::QUERY_PSV, DRO, RD, ""),
    e(op::QUERY_SRQ, DRO, RD, ""),
    e(op::QUERY_XRC_SRQ, DRO, RD, ""),
    e(op::QUERY_DCT, DRO, RD, ""),
    e(op::QUERY_DC_CNAK_TRACE, DRO, RD, ""),
    e(op::QUERY_XRQ, DRO, RD, ""),
    e(op::QUERY_NVMF_BACKEND_CONTROLLER, DRO, RD, ""),
    e(op::QUERY_XRQ_DC_PARAMS_ENTRY, DRO, RD, ""),
    e(op::QUERY_XRQ_ERROR_PARAMS, DRO, RD, ""),
    e(op::QUERY_NVMF_NAMESPACE_CONTEXT, DRO, RD, ""),
    e(op::QUERY_ADJACENT_FUNCTIONS_ID, DRO, RD, ""),
    e(op::DELEGATE_VHCA_MANAGEMENT, ANY, W,  "adjacent-function delegation"),
    e(op::QUERY_DELEGATED_VHCA, DRO, RD, ""),
    e(op::QUERY_ESW_FUNCTIONS, ANY, R,  ""),
    e(op::QUERY_VPORT_STATE, DRO, RD, ""),
    e(op::QUERY_ESW_VPORT_CONTEXT, DRO, RD, ""),
    e(op::QUERY_NIC_VPORT_CONTEXT, DRO, RD, ""),
    e(op::QUERY_ROCE_ADDRESS, ANY, R,  ""),
    e(op::QUERY_HCA_VPORT_CONTEXT, ANY, R,  ""),
    e(op::QUERY_HCA_VPORT_GID, DRO, RD, ""),
    e(op::QUERY_HCA_VPORT_PKEY, DRO, RD, ""),
    e(op::QUERY_VNIC_ENV, DRO, RD, ""),
    e(op::QUERY_VPORT_COUNTER, DRO, RD, ""),
    e(op::QUERY_Q_COUNTER, DRO, RD, ""),
    e(op::QUERY_RATE_LIMIT, DRO, RD, ""),
    e(op::QUERY_SCHEDULING_ELEMENT, DRO, RD, ""),
    e(op::ACCESS_REG, REG, W,  "op_mod 0 = write (any scope); read needs debug-read-only"),
    e(op::QUERY_MAD_DEMUX, DRO, RD, ""),
    e(op::NOP, DRO, RD, ""),
    e(op::QUERY_BURST_SIZE, DRO, RD, ""),
    e(op::QUERY_DIAGNOSTIC_PARAMS, DRO, RD, ""),
    e(op::SET_DIAGNOSTIC_PARAMS, DW,  WD, "the only debug-write opcode; taints"),
    e(op::QUERY_DIAGNOSTIC_COUNTERS, DRO, RD, ""),
    e(op::QUERY_CONG_STATUS, DRO, RD, ""),
    e(op::MODIFY_CONG_STATUS, ANY, W,  ""),
    e(op::QUERY_CONG_PARAMS, DRO, RD, ""),
    e(op::QUERY_CONG_STATISTICS, DRO, RD, ""),
    e(op::QUERY_L2_TABLE_ENTRY, DRO, RD, ""),
    e(op::QUERY_WOL_ROL, DRO, RD, ""),
    e(op::QUERY_LAG, DRO, RD, ""),
    e(op::QUERY_TIR, DRO, RD, ""),
    e(op::QUERY_SQ, DRO, RD, ""),
    e(op::QUERY_RQ, DRO, RD, ""),
    e(op::QUERY_RMP, DRO, RD, ""),
    e(op::QUERY_DELAY_DROP_PARAMS, DRO, RD, ""),
    e(op::QUERY_TIS, DRO, RD, ""),
    e(op::QUERY_RQT, DRO, RD, ""),
    e(op::QUERY_FLOW_TABLE, DRO, RD, ""),
    e(op::QUERY_FLOW_GROUP, DRO, RD, ""),
    e(op::QUERY_FLOW_TABLE_ENTRY, DRO, RD, ""),
    e(op::QUERY_FLOW_COUNTER, DRO, RD, ""),
    e(op::QUERY_PACKET_REFORMAT_CONTEXT, DRO, RD, ""),
    e(op::QUERY_MODIFY_HEADER_CONTEXT, DRO, RD, ""),
    e(op::FPGA_QUERY_QP, DRO, RD, ""),
    e(op::FPGA_QUERY_QP_COUNTERS, DRO, RD, ""),
    e(op::QUERY_AFU, DRO, RD, ""),
    e(op::QUERY_CAPI_PEC, DRO, RD, ""),
    e(op::QUERY_GENERAL_OBJECT, DRO, RD, ""),
    e(op::QUERY_UCTX, DRO, RD, ""),
    e(op::QUERY_UMEM, DRO, RD, ""),
    e(op::QUERY_NVMF_CC_RESPONSE, DRO, RD, ""),
    e(op::QUERY_EMULATED_FUNCTIONS_INFO, DRO, RD, ""),
    e(op::QUERY_REGEXP_PARAMS, DRO, RD, ""),
    e(op::QUERY_REGEXP_REGISTER, DRO, RD, ""),
    e(op::USER_QUERY_XRQ_DC_PARAMS_ENTRY, DRO, RD, ""),
    e(op::USER_QUERY_XRQ_ERROR_PARAMS, DRO, RD, ""),
    e(op::ACCESS_REGISTER_USER, REG, W,  "same op_mod rule as ACCESS_REG"),
    e(op::QUERY_VHCA_STATE, DRO, RD, ""),
    e(op::QUERY_EMULATION_DEVICE_EQ_MSIX_MAPPING, DRO, RD, ""),
    e(op::QUERY_MATCH_SAMPLE_INFO, DRO, RD, ""),
    e(op::QUERY_CRYPTO_STATE, DRO, RD, ""),
    e(op::QUERY_VUID, ANY, R,  ""),
    e(op::QUERY_DPA_PARTITION, DRO, RD, ""),
    e(op::QUERY_DPA_PARTITIONS, DRO, RD, ""),
    e(op::POSTPONE_CONNECTED_QP_TIMEOUT, ANY, W,  ""),
    e(op::QUERY_EMULATED_RESOURCES_INFO, DRO, RD, ""),
    e(op::QUERY_RSV_RESOURCES, DRO, RD, ""),
    e(op::QUERY_MTT, DRO, RD, ""),
    e(op::QUERY_SCHED_QUEUE, DRO, RD, ""),
];

// The table must stay sorted: lookups binary-search it.
const _: () = {
    let mut i = 1;
    while i < ALLOW_LIST.len() {
        assert!(ALLOW_LIST[i - 1].opcode < ALLOW_LIST[i].opcode, "ALLOW_LIST must be sorted by opcode");
        assert!(!ALLOW_LIST[i].name.is_empty(), "every allowed opcode has a name in prm::opcode::NAMES");
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
