//! Layouts of the query commands the simulated firmware answers from its
//! seeded object table ([`QUERIES`]), transcribed from `mlx5_ifc.h`. Each module
//! names the header struct and the copy it was read from; field offsets and
//! struct sizes are the header's (`MLX5_ST_SZ_BYTES`), nested contexts are
//! flattened one level (`eq_context_entry.log_eq_size`), reserved bits are not
//! listed. `tests/golden_layouts.rs` restates sizes and key offsets from the header.
//!
//! QUERY_QP is listed with its 272-byte fixed part (through `pas[]`), the size in
//! the mlx5ctl copy; the newer kernel/OFED header appends `qpc_data_extension`
//! (464 bytes in all), which firmware returns only when `qpc_ext` is set
//! ([`QUERY_QP_EXT_OUT_BYTES`]).

use super::layout::{Layout, ascii, bytes, uint};
use super::opcode as op;

/// QUERY_OTHER_HCA_CAP (`query_other_hca_cap_in` / `query_other_hca_cap_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_other_hca_cap_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_other_hca_cap {
    use super::*;
    /// `query_other_hca_cap_in` (16 B).
    pub const IN: Layout = Layout::new("query_other_hca_cap_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("function_id", 0x50, 16),
    ]);
    /// `query_other_hca_cap_out` (96 B).
    pub const OUT: Layout = Layout::new("query_other_hca_cap_out", 96, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("other_capability.roce", 0x80, 1),
    ]);
}

/// QUERY_SF_PARTITION (`query_sf_partitions_in` / `query_sf_partitions_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_sf_partitions_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_sf_partition {
    use super::*;
    /// `query_sf_partitions_in` (16 B).
    pub const IN: Layout = Layout::new("query_sf_partitions_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
    ]);
    /// `query_sf_partitions_out` (16 B).
    pub const OUT: Layout = Layout::new("query_sf_partitions_out", 16, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("num_sf_partitions", 0x58, 8),
    ]);
}

/// QUERY_VHCA_MIGRATION_STATE (`query_vhca_migration_state_in` / `query_vhca_migration_state_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_vhca_migration_state_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_vhca_migration_state {
    use super::*;
    /// `query_vhca_migration_state_in` (16 B).
    pub const IN: Layout = Layout::new("query_vhca_migration_state_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("uid", 0x10, 16),
        uint("op_mod", 0x30, 16),
        uint("incremental", 0x40, 1),
        uint("chunk", 0x41, 1),
        uint("vhca_id", 0x50, 16),
    ]);
    /// `query_vhca_migration_state_out` (64 B).
    pub const OUT: Layout = Layout::new("query_vhca_migration_state_out", 64, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("required_umem_size", 0x80, 32),
        uint("remaining_total_size", 0xc0, 64),
    ]);
}

/// QUERY_MKEY (`query_mkey_in` / `query_mkey_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_mkey_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_mkey {
    use super::*;
    /// `query_mkey_in` (16 B).
    pub const IN: Layout = Layout::new("query_mkey_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("mkey_index", 0x48, 24),
        uint("pg_access", 0x60, 1),
    ]);
    /// `query_mkey_out` (304 B).
    pub const OUT: Layout = Layout::new("query_mkey_out", 304, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("memory_key_mkey_entry.free", 0x81, 1),
        uint("memory_key_mkey_entry.access_mode_4_2", 0x83, 3),
        uint("memory_key_mkey_entry.relaxed_ordering_write", 0x8d, 1),
        uint("memory_key_mkey_entry.small_fence_on_rdma_read_response", 0x8f, 1),
        uint("memory_key_mkey_entry.umr_en", 0x90, 1),
        uint("memory_key_mkey_entry.a", 0x91, 1),
        uint("memory_key_mkey_entry.rw", 0x92, 1),
        uint("memory_key_mkey_entry.rr", 0x93, 1),
        uint("memory_key_mkey_entry.lw", 0x94, 1),
        uint("memory_key_mkey_entry.lr", 0x95, 1),
        uint("memory_key_mkey_entry.access_mode_1_0", 0x96, 2),
        uint("memory_key_mkey_entry.ma_translation_mode", 0x9a, 2),
        uint("memory_key_mkey_entry.qpn", 0xa0, 24),
        uint("memory_key_mkey_entry.mkey_7_0", 0xb8, 8),
        uint("memory_key_mkey_entry.length64", 0xe0, 1),
        uint("memory_key_mkey_entry.bsf_en", 0xe1, 1),
        uint("memory_key_mkey_entry.sync_umr", 0xe2, 1),
        uint("memory_key_mkey_entry.expected_sigerr_count", 0xe5, 1),
        uint("memory_key_mkey_entry.en_rinval", 0xe7, 1),
        uint("memory_key_mkey_entry.pd", 0xe8, 24),
        uint("memory_key_mkey_entry.start_addr", 0x100, 64),
        uint("memory_key_mkey_entry.len", 0x140, 64),
        uint("memory_key_mkey_entry.bsf_octword_size", 0x180, 32),
        uint("memory_key_mkey_entry.crossing_target_vhca_id", 0x200, 16),
        uint("memory_key_mkey_entry.translations_octword_size", 0x220, 32),
        uint("memory_key_mkey_entry.relaxed_ordering_read", 0x259, 1),
        uint("memory_key_mkey_entry.log_page_size", 0x25a, 6),
        bytes("bsf0_klm0_pas_mtt0_1", 272, 16),
        bytes("bsf1_klm1_pas_mtt2_3", 288, 16),
    ]);
}

/// QUERY_EQ (`query_eq_in` / `query_eq_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_eq_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_eq {
    use super::*;
    /// `query_eq_in` (16 B).
    pub const IN: Layout = Layout::new("query_eq_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("eq_number", 0x58, 8),
    ]);
    /// `query_eq_out` (272 B).
    pub const OUT: Layout = Layout::new("query_eq_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("eq_context_entry.status", 0x80, 4),
        uint("eq_context_entry.ec", 0x8d, 1),
        uint("eq_context_entry.oi", 0x8e, 1),
        uint("eq_context_entry.st", 0x94, 4),
        uint("eq_context_entry.page_offset", 0xd4, 6),
        uint("eq_context_entry.log_eq_size", 0xe3, 5),
        uint("eq_context_entry.uar_page", 0xe8, 24),
        uint("eq_context_entry.intr", 0x134, 12),
        uint("eq_context_entry.log_page_size", 0x143, 5),
        uint("eq_context_entry.consumer_counter", 0x1c8, 24),
        uint("eq_context_entry.producer_counter", 0x1e8, 24),
        uint("event_bitmask", 0x2c0, 64),
    ]);
}

/// QUERY_CQ (`query_cq_in` / `query_cq_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_cq_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_cq {
    use super::*;
    /// `query_cq_in` (16 B).
    pub const IN: Layout = Layout::new("query_cq_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("cqn", 0x48, 24),
    ]);
    /// `query_cq_out` (272 B).
    pub const OUT: Layout = Layout::new("query_cq_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("cq_context.status", 0x80, 4),
        uint("cq_context.dbr_umem_valid", 0x86, 1),
        uint("cq_context.apu_cq", 0x87, 1),
        uint("cq_context.cqe_sz", 0x88, 3),
        uint("cq_context.cc", 0x8b, 1),
        uint("cq_context.scqe_break_moderation_en", 0x8d, 1),
        uint("cq_context.oi", 0x8e, 1),
        uint("cq_context.cq_period_mode", 0x8f, 2),
        uint("cq_context.cqe_comp_en", 0x91, 1),
        uint("cq_context.mini_cqe_res_format", 0x92, 2),
        uint("cq_context.st", 0x94, 4),
        uint("cq_context.cqe_compression_layout", 0x9e, 2),
        uint("cq_context.page_offset", 0xd4, 6),
        uint("cq_context.log_cq_size", 0xe3, 5),
        uint("cq_context.uar_page", 0xe8, 24),
        uint("cq_context.cq_period", 0x104, 12),
        uint("cq_context.cq_max_count", 0x110, 16),
        uint("cq_context.c_eqn_or_apu_element", 0x120, 32),
        uint("cq_context.log_page_size", 0x143, 5),
        uint("cq_context.last_notified_index", 0x188, 24),
        uint("cq_context.last_solicit_index", 0x1a8, 24),
        uint("cq_context.consumer_counter", 0x1c8, 24),
        uint("cq_context.producer_counter", 0x1e8, 24),
        uint("cq_context.dbr_addr", 0x240, 64),
    ]);
}

/// QUERY_QP (`query_qp_in` / `query_qp_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_qp_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_qp {
    use super::*;
    /// `query_qp_in` (16 B).
    pub const IN: Layout = Layout::new("query_qp_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("qpc_ext", 0x40, 1),
        uint("qpn", 0x48, 24),
    ]);
    /// `query_qp_out` (272 B, fixed part).
    pub const OUT: Layout = Layout::new("query_qp_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("opt_param_mask", 0x80, 32),
        uint("ece", 0xa0, 32),
        uint("qpc.state", 0xc0, 4),
        uint("qpc.lag_tx_port_affinity", 0xc4, 4),
        uint("qpc.st", 0xc8, 8),
        uint("qpc.isolate_vl_tc", 0xd2, 1),
        uint("qpc.pm_state", 0xd3, 2),
        uint("qpc.req_e2e_credit_mode", 0xd6, 2),
        uint("qpc.offload_type", 0xd8, 4),
        uint("qpc.end_padding_mode", 0xdc, 2),
        uint("qpc.wq_signature", 0xe0, 1),
        uint("qpc.block_lb_mc", 0xe1, 1),
        uint("qpc.atomic_like_write_en", 0xe2, 1),
        uint("qpc.latency_sensitive", 0xe3, 1),
        uint("qpc.drain_sigerr", 0xe5, 1),
        uint("qpc.dp_ordering_force", 0xe7, 1),
        uint("qpc.pd", 0xe8, 24),
        uint("qpc.mtu", 0x100, 3),
        uint("qpc.log_msg_max", 0x103, 5),
        uint("qpc.log_rq_size", 0x109, 4),
        uint("qpc.log_rq_stride", 0x10d, 3),
        uint("qpc.no_sq", 0x110, 1),
        uint("qpc.log_sq_size", 0x111, 4),
        uint("qpc.retry_mode", 0x116, 2),
        uint("qpc.ts_format", 0x118, 2),
        uint("qpc.rlky", 0x11b, 1),
        uint("qpc.ulp_stateless_offload_mode", 0x11c, 4),
        uint("qpc.counter_set_id", 0x120, 8),
        uint("qpc.uar_page", 0x128, 24),
        uint("qpc.user_index", 0x148, 24),
        uint("qpc.log_page_size", 0x163, 5),
        uint("qpc.remote_qpn", 0x168, 24),
        uint("qpc.log_ack_req_freq", 0x440, 4),
        uint("qpc.log_sra_max", 0x448, 3),
        uint("qpc.retry_count", 0x44d, 3),
        uint("qpc.rnr_retry", 0x450, 3),
        uint("qpc.fre", 0x454, 1),
        uint("qpc.cur_rnr_retry", 0x455, 3),
        uint("qpc.cur_retry_count", 0x458, 3),
        uint("qpc.next_send_psn", 0x488, 24),
        uint("qpc.log_num_dci_stream_channels", 0x4a3, 5),
        uint("qpc.cqn_snd", 0x4a8, 24),
        uint("qpc.log_num_dci_errored_streams", 0x4c3, 5),
        uint("qpc.deth_sqpn", 0x4c8, 24),
        uint("qpc.last_acked_psn", 0x508, 24),
        uint("qpc.ssn", 0x528, 24),
        uint("qpc.log_rra_max", 0x548, 3),
        uint("qpc.atomic_mode", 0x54c, 4),
        uint("qpc.rre", 0x550, 1),
        uint("qpc.rwe", 0x551, 1),
        uint("qpc.rae", 0x552, 1),
        uint("qpc.page_offset", 0x554, 6),
        uint("qpc.dp_ordering_1", 0x55c, 1),
        uint("qpc.cd_slave_receive", 0x55d, 1),
        uint("qpc.cd_slave_send", 0x55e, 1),
        uint("qpc.cd_master", 0x55f, 1),
        uint("qpc.min_rnr_nak", 0x563, 5),
        uint("qpc.next_rcv_psn", 0x568, 24),
        uint("qpc.xrcd", 0x588, 24),
        uint("qpc.cqn_rcv", 0x5a8, 24),
        uint("qpc.dbr_addr", 0x5c0, 64),
        uint("qpc.q_key", 0x600, 32),
        uint("qpc.rq_type", 0x625, 3),
        uint("qpc.srqn_rmpn_xrqn", 0x628, 24),
        uint("qpc.rmsn", 0x648, 24),
        uint("qpc.hw_sq_wqebb_counter", 0x660, 16),
        uint("qpc.sw_sq_wqebb_counter", 0x670, 16),
        uint("qpc.hw_rq_counter", 0x680, 32),
        uint("qpc.sw_rq_counter", 0x6a0, 32),
        uint("qpc.cgs", 0x6ef, 1),
        uint("qpc.cs_req", 0x6f0, 8),
        uint("qpc.cs_res", 0x6f8, 8),
        uint("qpc.dc_access_key", 0x700, 64),
        uint("qpc.dbr_umem_valid", 0x743, 1),
    ]);
}

/// QUERY_SRQ (`query_srq_in` / `query_srq_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_srq_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_srq {
    use super::*;
    /// `query_srq_in` (16 B).
    pub const IN: Layout = Layout::new("query_srq_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("srqn", 0x48, 24),
    ]);
    /// `query_srq_out` (272 B).
    pub const OUT: Layout = Layout::new("query_srq_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("srq_context_entry.state", 0x80, 4),
        uint("srq_context_entry.log_srq_size", 0x84, 4),
        uint("srq_context_entry.wq_signature", 0xa0, 1),
        uint("srq_context_entry.cont_srq", 0xa1, 1),
        uint("srq_context_entry.rlky", 0xa3, 1),
        uint("srq_context_entry.log_rq_stride", 0xa5, 3),
        uint("srq_context_entry.xrcd", 0xa8, 24),
        uint("srq_context_entry.page_offset", 0xc0, 6),
        uint("srq_context_entry.cqn", 0xc8, 24),
        uint("srq_context_entry.log_page_size", 0x102, 6),
        uint("srq_context_entry.pd", 0x148, 24),
        uint("srq_context_entry.lwm", 0x160, 16),
        uint("srq_context_entry.wqe_cnt", 0x170, 16),
        uint("srq_context_entry.dbr_addr", 0x1c0, 64),
    ]);
}

/// QUERY_XRC_SRQ (`query_xrc_srq_in` / `query_xrc_srq_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_xrc_srq_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_xrc_srq {
    use super::*;
    /// `query_xrc_srq_in` (16 B).
    pub const IN: Layout = Layout::new("query_xrc_srq_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("xrc_srqn", 0x48, 24),
    ]);
    /// `query_xrc_srq_out` (272 B).
    pub const OUT: Layout = Layout::new("query_xrc_srq_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("xrc_srq_context_entry.state", 0x80, 4),
        uint("xrc_srq_context_entry.log_xrc_srq_size", 0x84, 4),
        uint("xrc_srq_context_entry.wq_signature", 0xa0, 1),
        uint("xrc_srq_context_entry.cont_srq", 0xa1, 1),
        uint("xrc_srq_context_entry.rlky", 0xa3, 1),
        uint("xrc_srq_context_entry.basic_cyclic_rcv_wqe", 0xa4, 1),
        uint("xrc_srq_context_entry.log_rq_stride", 0xa5, 3),
        uint("xrc_srq_context_entry.xrcd", 0xa8, 24),
        uint("xrc_srq_context_entry.page_offset", 0xc0, 6),
        uint("xrc_srq_context_entry.dbr_umem_valid", 0xc7, 1),
        uint("xrc_srq_context_entry.cqn", 0xc8, 24),
        uint("xrc_srq_context_entry.user_index_equal_xrc_srqn", 0x100, 1),
        uint("xrc_srq_context_entry.log_page_size", 0x102, 6),
        uint("xrc_srq_context_entry.user_index", 0x108, 24),
        uint("xrc_srq_context_entry.pd", 0x148, 24),
        uint("xrc_srq_context_entry.lwm", 0x160, 16),
        uint("xrc_srq_context_entry.wqe_cnt", 0x170, 16),
        uint("xrc_srq_context_entry.db_record_addr_h", 0x1c0, 32),
        uint("xrc_srq_context_entry.db_record_addr_l", 0x1e0, 30),
    ]);
}

/// QUERY_DCT (`query_dct_in` / `query_dct_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_dct_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_dct {
    use super::*;
    /// `query_dct_in` (16 B).
    pub const IN: Layout = Layout::new("query_dct_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("dctn", 0x48, 24),
    ]);
    /// `query_dct_out` (128 B).
    pub const OUT: Layout = Layout::new("query_dct_out", 128, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("dct_context_entry.state", 0x84, 4),
        uint("dct_context_entry.dp_ordering_force", 0xa7, 1),
        uint("dct_context_entry.user_index", 0xa8, 24),
        uint("dct_context_entry.cqn", 0xc8, 24),
        uint("dct_context_entry.counter_set_id", 0xe0, 8),
        uint("dct_context_entry.atomic_mode", 0xe8, 4),
        uint("dct_context_entry.rre", 0xec, 1),
        uint("dct_context_entry.rwe", 0xed, 1),
        uint("dct_context_entry.rae", 0xee, 1),
        uint("dct_context_entry.atomic_like_write_en", 0xef, 1),
        uint("dct_context_entry.latency_sensitive", 0xf0, 1),
        uint("dct_context_entry.rlky", 0xf1, 1),
        uint("dct_context_entry.free_ar", 0xf2, 1),
        uint("dct_context_entry.dp_ordering_1", 0xf4, 1),
        uint("dct_context_entry.cs_res", 0x108, 8),
        uint("dct_context_entry.min_rnr_nak", 0x113, 5),
        uint("dct_context_entry.srqn_xrqn", 0x128, 24),
        uint("dct_context_entry.pd", 0x148, 24),
        uint("dct_context_entry.tclass", 0x160, 8),
        uint("dct_context_entry.flow_label", 0x16c, 20),
        uint("dct_context_entry.dc_access_key", 0x180, 64),
        uint("dct_context_entry.mtu", 0x1c5, 3),
        uint("dct_context_entry.port", 0x1c8, 8),
        uint("dct_context_entry.pkey_index", 0x1d0, 16),
        uint("dct_context_entry.my_addr_index", 0x1e8, 8),
        uint("dct_context_entry.hop_limit", 0x1f8, 8),
        uint("dct_context_entry.dc_access_key_violation_count", 0x200, 32),
        uint("dct_context_entry.dei_cfi", 0x234, 1),
        uint("dct_context_entry.eth_prio", 0x235, 3),
        uint("dct_context_entry.ecn", 0x238, 2),
        uint("dct_context_entry.dscp", 0x23a, 6),
        uint("dct_context_entry.ece", 0x260, 32),
    ]);
}

/// QUERY_XRQ (`query_xrq_in` / `query_xrq_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_xrq_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_xrq {
    use super::*;
    /// `query_xrq_in` (16 B).
    pub const IN: Layout = Layout::new("query_xrq_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("xrqn", 0x48, 24),
    ]);
    /// `query_xrq_out` (336 B).
    pub const OUT: Layout = Layout::new("query_xrq_out", 336, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("xrq_context.state", 0x80, 4),
        uint("xrq_context.rlkey", 0x84, 1),
        uint("xrq_context.topology", 0x94, 4),
        uint("xrq_context.offload", 0x9c, 4),
        uint("xrq_context.user_index", 0xa8, 24),
        uint("xrq_context.cqn", 0xc8, 24),
    ]);
}

/// QUERY_DELEGATED_VHCA (`query_delegated_vhca_in` / `query_delegated_vhca_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_delegated_vhca_in_bits / _out_bits (knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@2850235)
#[rustfmt::skip]
pub mod query_delegated_vhca {
    use super::*;
    /// `query_delegated_vhca_in` (16 B).
    pub const IN: Layout = Layout::new("query_delegated_vhca_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("uid", 0x10, 16),
        uint("op_mod", 0x30, 16),
    ]);
    /// `query_delegated_vhca_out` (32 B).
    pub const OUT: Layout = Layout::new("query_delegated_vhca_out", 32, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("functions_count", 0x70, 16),
    ]);
}

/// QUERY_ESW_FUNCTIONS (`query_esw_functions_in` / `query_esw_functions_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_esw_functions_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_esw_functions {
    use super::*;
    /// `query_esw_functions_in` (16 B).
    pub const IN: Layout = Layout::new("query_esw_functions_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
    ]);
    /// `query_esw_functions_out` (128 B).
    pub const OUT: Layout = Layout::new("query_esw_functions_out", 128, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("host_params_context.host_number", 0x80, 8),
        uint("host_params_context.host_pf_not_exist", 0x8d, 1),
        uint("host_params_context.host_pf_disabled", 0x8f, 1),
        uint("host_params_context.host_num_of_vfs", 0x90, 16),
        uint("host_params_context.host_total_vfs", 0xa0, 16),
        uint("host_params_context.host_pci_bus", 0xb0, 16),
        uint("host_params_context.host_pci_device", 0xd0, 16),
        uint("host_params_context.host_pci_function", 0xf0, 16),
    ]);
}

/// QUERY_ESW_VPORT_CONTEXT (`query_esw_vport_context_in` / `query_esw_vport_context_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_esw_vport_context_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_esw_vport_context {
    use super::*;
    /// `query_esw_vport_context_in` (16 B).
    pub const IN: Layout = Layout::new("query_esw_vport_context_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("other_vport", 0x40, 1),
        uint("vport_number", 0x50, 16),
    ]);
    /// `query_esw_vport_context_out` (272 B).
    pub const OUT: Layout = Layout::new("query_esw_vport_context_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("esw_vport_context.fdb_to_vport_reg_c", 0x80, 1),
        uint("esw_vport_context.vport_svlan_strip", 0x83, 1),
        uint("esw_vport_context.vport_cvlan_strip", 0x84, 1),
        uint("esw_vport_context.vport_svlan_insert", 0x85, 1),
        uint("esw_vport_context.vport_cvlan_insert", 0x86, 2),
        uint("esw_vport_context.fdb_to_vport_reg_c_id", 0x88, 8),
        uint("esw_vport_context.svlan_cfi", 0xc0, 1),
        uint("esw_vport_context.svlan_pcp", 0xc1, 3),
        uint("esw_vport_context.svlan_id", 0xc4, 12),
        uint("esw_vport_context.cvlan_cfi", 0xd0, 1),
        uint("esw_vport_context.cvlan_pcp", 0xd1, 3),
        uint("esw_vport_context.cvlan_id", 0xd4, 12),
        uint("esw_vport_context.sw_steering_vport_icm_address_rx", 0x800, 64),
        uint("esw_vport_context.sw_steering_vport_icm_address_tx", 0x840, 64),
    ]);
}

/// QUERY_ROCE_ADDRESS (`query_roce_address_in` / `query_roce_address_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_roce_address_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_roce_address {
    use super::*;
    /// `query_roce_address_in` (16 B).
    pub const IN: Layout = Layout::new("query_roce_address_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("roce_address_index", 0x40, 16),
        uint("vhca_port_num", 0x5c, 4),
    ]);
    /// `query_roce_address_out` (48 B).
    pub const OUT: Layout = Layout::new("query_roce_address_out", 48, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        bytes("roce_address.source_l3_address", 16, 16),
        uint("roce_address.vlan_valid", 0x103, 1),
        uint("roce_address.vlan_id", 0x104, 12),
        uint("roce_address.source_mac_47_32", 0x110, 16),
        uint("roce_address.source_mac_31_0", 0x120, 32),
        uint("roce_address.roce_l3_type", 0x154, 4),
        uint("roce_address.roce_version", 0x158, 8),
    ]);
}

/// QUERY_HCA_VPORT_CONTEXT (`query_hca_vport_context_in` / `query_hca_vport_context_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_hca_vport_context_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_hca_vport_context {
    use super::*;
    /// `query_hca_vport_context_in` (16 B).
    pub const IN: Layout = Layout::new("query_hca_vport_context_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("other_vport", 0x40, 1),
        uint("port_num", 0x4c, 4),
        uint("vport_number", 0x50, 16),
    ]);
    /// `query_hca_vport_context_out` (528 B).
    pub const OUT: Layout = Layout::new("query_hca_vport_context_out", 528, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("hca_vport_context.field_select", 0x80, 32),
        uint("hca_vport_context.sm_virt_aware", 0x180, 1),
        uint("hca_vport_context.has_smi", 0x181, 1),
        uint("hca_vport_context.has_raw", 0x182, 1),
        uint("hca_vport_context.grh_required", 0x183, 1),
        uint("hca_vport_context.num_port_plane", 0x188, 8),
        uint("hca_vport_context.port_physical_state", 0x190, 4),
        uint("hca_vport_context.vport_state_policy", 0x194, 4),
        uint("hca_vport_context.port_state", 0x198, 4),
        uint("hca_vport_context.vport_state", 0x19c, 4),
        uint("hca_vport_context.system_image_guid", 0x1c0, 64),
        uint("hca_vport_context.port_guid", 0x200, 64),
        uint("hca_vport_context.node_guid", 0x240, 64),
        uint("hca_vport_context.cap_mask1", 0x280, 32),
        uint("hca_vport_context.cap_mask1_field_select", 0x2a0, 32),
        uint("hca_vport_context.cap_mask2", 0x2c0, 32),
        uint("hca_vport_context.cap_mask2_field_select", 0x2e0, 32),
        uint("hca_vport_context.lid", 0x380, 16),
        uint("hca_vport_context.init_type_reply", 0x394, 4),
        uint("hca_vport_context.lmc", 0x398, 3),
        uint("hca_vport_context.subnet_timeout", 0x39b, 5),
        uint("hca_vport_context.sm_lid", 0x3a0, 16),
        uint("hca_vport_context.sm_sl", 0x3b0, 4),
        uint("hca_vport_context.qkey_violation_counter", 0x3c0, 16),
        uint("hca_vport_context.pkey_violation_counter", 0x3d0, 16),
    ]);
}

/// QUERY_HCA_VPORT_GID (`query_hca_vport_gid_in` / `query_hca_vport_gid_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_hca_vport_gid_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_hca_vport_gid {
    use super::*;
    /// `query_hca_vport_gid_in` (16 B).
    pub const IN: Layout = Layout::new("query_hca_vport_gid_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("other_vport", 0x40, 1),
        uint("port_num", 0x4c, 4),
        uint("vport_number", 0x50, 16),
        uint("gid_index", 0x70, 16),
    ]);
    /// `query_hca_vport_gid_out` (16 B).
    pub const OUT: Layout = Layout::new("query_hca_vport_gid_out", 16, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("gids_num", 0x60, 16),
    ]);
}

/// QUERY_HCA_VPORT_PKEY (`query_hca_vport_pkey_in` / `query_hca_vport_pkey_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_hca_vport_pkey_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_hca_vport_pkey {
    use super::*;
    /// `query_hca_vport_pkey_in` (16 B).
    pub const IN: Layout = Layout::new("query_hca_vport_pkey_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("other_vport", 0x40, 1),
        uint("port_num", 0x4c, 4),
        uint("vport_number", 0x50, 16),
        uint("pkey_index", 0x70, 16),
    ]);
    /// `query_hca_vport_pkey_out` (16 B).
    pub const OUT: Layout = Layout::new("query_hca_vport_pkey_out", 16, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
    ]);
}

/// QUERY_VNIC_ENV (`query_vnic_env_in` / `query_vnic_env_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_vnic_env_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_vnic_env {
    use super::*;
    /// `query_vnic_env_in` (16 B).
    pub const IN: Layout = Layout::new("query_vnic_env_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("other_vport", 0x40, 1),
        uint("vport_number", 0x50, 16),
    ]);
    /// `query_vnic_env_out` (528 B).
    pub const OUT: Layout = Layout::new("query_vnic_env_out", 528, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("vport_env.counter_error_queues", 0x80, 32),
        uint("vport_env.total_error_queues", 0xa0, 32),
        uint("vport_env.send_queue_priority_update_flow", 0xc0, 32),
        uint("vport_env.nic_receive_steering_discard", 0x100, 64),
        uint("vport_env.receive_discard_vport_down", 0x140, 64),
        uint("vport_env.transmit_discard_vport_down", 0x180, 64),
        uint("vport_env.async_eq_overrun", 0x1c0, 32),
        uint("vport_env.comp_eq_overrun", 0x1e0, 32),
        uint("vport_env.invalid_command", 0x220, 32),
        uint("vport_env.quota_exceeded_command", 0x240, 32),
        uint("vport_env.internal_rq_out_of_buffer", 0x260, 32),
        uint("vport_env.cq_overrun", 0x280, 32),
        uint("vport_env.eth_wqe_too_small", 0x2a0, 32),
        uint("vport_env.generated_pkt_steering_fail", 0x380, 64),
        uint("vport_env.handled_pkt_steering_fail", 0x3c0, 64),
        uint("vport_env.bar_uar_access", 0x400, 32),
        uint("vport_env.odp_local_triggered_page_fault", 0x420, 32),
        uint("vport_env.odp_remote_triggered_page_fault", 0x440, 32),
    ]);
}

/// QUERY_SCHEDULING_ELEMENT (`query_scheduling_element_in` / `query_scheduling_element_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_scheduling_element_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_scheduling_element {
    use super::*;
    /// `query_scheduling_element_in` (64 B).
    pub const IN: Layout = Layout::new("query_scheduling_element_in", 64, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("scheduling_hierarchy", 0x40, 8),
        uint("scheduling_element_id", 0x60, 32),
    ]);
    /// `query_scheduling_element_out` (128 B).
    pub const OUT: Layout = Layout::new("query_scheduling_element_out", 128, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("scheduling_context.element_type", 0x100, 8),
        uint("scheduling_context.parent_element_id", 0x140, 32),
        uint("scheduling_context.bw_share", 0x1a0, 32),
        uint("scheduling_context.max_average_bw", 0x1c0, 32),
        uint("scheduling_context.max_bw_obj_id", 0x1e0, 32),
    ]);
}

/// QUERY_MAD_DEMUX (`query_mad_demux_in` / `query_mad_demux_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_mad_demux_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_mad_demux {
    use super::*;
    /// `query_mad_demux_in` (16 B).
    pub const IN: Layout = Layout::new("query_mad_demux_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
    ]);
    /// `query_mad_demux_out` (20 B).
    pub const OUT: Layout = Layout::new("query_mad_demux_out", 20, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("mad_dumux_parameters_block", 0x80, 32),
    ]);
}

/// MODIFY_CONG_STATUS (`modify_cong_status_in` / `modify_cong_status_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_modify_cong_status_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod modify_cong_status {
    use super::*;
    /// `modify_cong_status_in` (16 B).
    pub const IN: Layout = Layout::new("modify_cong_status_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("priority", 0x58, 4),
        uint("cong_protocol", 0x5c, 4),
        uint("enable", 0x60, 1),
        uint("tag_enable", 0x61, 1),
    ]);
    /// `modify_cong_status_out` (16 B).
    pub const OUT: Layout = Layout::new("modify_cong_status_out", 16, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
    ]);
}

/// QUERY_L2_TABLE_ENTRY (`query_l2_table_entry_in` / `query_l2_table_entry_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_l2_table_entry_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_l2_table_entry {
    use super::*;
    /// `query_l2_table_entry_in` (64 B).
    pub const IN: Layout = Layout::new("query_l2_table_entry_in", 64, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("table_index", 0xa8, 24),
    ]);
    /// `query_l2_table_entry_out` (64 B).
    pub const OUT: Layout = Layout::new("query_l2_table_entry_out", 64, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("vlan_valid", 0xf3, 1),
        uint("vlan", 0xf4, 12),
        uint("mac_address.mac_addr_47_32", 0x110, 16),
        uint("mac_address.mac_addr_31_0", 0x120, 32),
    ]);
}

/// QUERY_WOL_ROL (`query_wol_rol_in` / `query_wol_rol_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_wol_rol_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_wol_rol {
    use super::*;
    /// `query_wol_rol_in` (16 B).
    pub const IN: Layout = Layout::new("query_wol_rol_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
    ]);
    /// `query_wol_rol_out` (16 B).
    pub const OUT: Layout = Layout::new("query_wol_rol_out", 16, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("rol_mode", 0x50, 8),
        uint("wol_mode", 0x58, 8),
    ]);
}

/// QUERY_LAG (`query_lag_in` / `query_lag_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_lag_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_lag {
    use super::*;
    /// `query_lag_in` (16 B).
    pub const IN: Layout = Layout::new("query_lag_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
    ]);
    /// `query_lag_out` (16 B).
    pub const OUT: Layout = Layout::new("query_lag_out", 16, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("ctx.fdb_selection_mode", 0x40, 1),
        uint("ctx.port_select_mode", 0x55, 3),
        uint("ctx.lag_state", 0x5d, 3),
        uint("ctx.active_port", 0x6c, 4),
        uint("ctx.tx_remap_affinity_2", 0x74, 4),
        uint("ctx.tx_remap_affinity_1", 0x7c, 4),
    ]);
}

/// QUERY_TIR (`query_tir_in` / `query_tir_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_tir_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_tir {
    use super::*;
    /// `query_tir_in` (16 B).
    pub const IN: Layout = Layout::new("query_tir_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("tirn", 0x48, 24),
    ]);
    /// `query_tir_out` (272 B).
    pub const OUT: Layout = Layout::new("query_tir_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("tir_context.disp_type", 0x120, 4),
        uint("tir_context.tls_en", 0x124, 1),
        uint("tir_context.lro_timeout_period_usecs", 0x184, 16),
        uint("tir_context.packet_merge_mask", 0x194, 4),
        uint("tir_context.lro_max_ip_payload_size", 0x198, 8),
        uint("tir_context.inline_rqn", 0x1e8, 24),
        uint("tir_context.rx_hash_symmetric", 0x200, 1),
        uint("tir_context.tunneled_offload_en", 0x202, 1),
        uint("tir_context.indirect_table", 0x208, 24),
        uint("tir_context.rx_hash_fn", 0x220, 4),
        uint("tir_context.self_lb_block", 0x226, 2),
        uint("tir_context.transport_domain", 0x228, 24),
        bytes("tir_context.rx_hash_toeplitz_key", 72, 40),
    ]);
}

/// QUERY_SQ (`query_sq_in` / `query_sq_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_sq_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_sq {
    use super::*;
    /// `query_sq_in` (16 B).
    pub const IN: Layout = Layout::new("query_sq_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("sqn", 0x48, 24),
    ]);
    /// `query_sq_out` (272 B).
    pub const OUT: Layout = Layout::new("query_sq_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("sq_context.rlky", 0x100, 1),
        uint("sq_context.cd_master", 0x101, 1),
        uint("sq_context.fre", 0x102, 1),
        uint("sq_context.flush_in_error_en", 0x103, 1),
        uint("sq_context.allow_multi_pkt_send_wqe", 0x104, 1),
        uint("sq_context.min_wqe_inline_mode", 0x105, 3),
        uint("sq_context.state", 0x108, 4),
        uint("sq_context.reg_umr", 0x10c, 1),
        uint("sq_context.allow_swp", 0x10d, 1),
        uint("sq_context.hairpin", 0x10e, 1),
        uint("sq_context.non_wire", 0x10f, 1),
        uint("sq_context.ts_format", 0x11a, 2),
        uint("sq_context.user_index", 0x128, 24),
        uint("sq_context.cqn", 0x148, 24),
        uint("sq_context.hairpin_peer_rq", 0x168, 24),
        uint("sq_context.hairpin_peer_vhca", 0x190, 16),
        uint("sq_context.ts_cqe_to_dest_cqn", 0x1c8, 24),
        uint("sq_context.packet_pacing_rate_limit_index", 0x1f0, 16),
        uint("sq_context.tis_lst_sz", 0x200, 16),
        uint("sq_context.qos_queue_group_id", 0x210, 16),
        uint("sq_context.tis_num_0", 0x268, 24),
    ]);
}

/// QUERY_RQ (`query_rq_in` / `query_rq_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_rq_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_rq {
    use super::*;
    /// `query_rq_in` (16 B).
    pub const IN: Layout = Layout::new("query_rq_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("rqn", 0x48, 24),
    ]);
    /// `query_rq_out` (272 B).
    pub const OUT: Layout = Layout::new("query_rq_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("rq_context.rlky", 0x100, 1),
        uint("rq_context.delay_drop_en", 0x101, 1),
        uint("rq_context.scatter_fcs", 0x102, 1),
        uint("rq_context.vsd", 0x103, 1),
        uint("rq_context.mem_rq_type", 0x104, 4),
        uint("rq_context.state", 0x108, 4),
        uint("rq_context.flush_in_error_en", 0x10d, 1),
        uint("rq_context.hairpin", 0x10e, 1),
        uint("rq_context.ts_format", 0x11a, 2),
        uint("rq_context.user_index", 0x128, 24),
        uint("rq_context.cqn", 0x148, 24),
        uint("rq_context.counter_set_id", 0x160, 8),
        uint("rq_context.rmpn", 0x188, 24),
        uint("rq_context.hairpin_peer_sq", 0x1a8, 24),
        uint("rq_context.hairpin_peer_vhca", 0x1d0, 16),
        uint("rq_context.shampo_no_match_alignment_granularity", 0x226, 2),
        uint("rq_context.shampo_match_criteria_type", 0x22e, 2),
        uint("rq_context.reservation_timeout", 0x230, 16),
    ]);
}

/// QUERY_RMP (`query_rmp_in` / `query_rmp_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_rmp_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_rmp {
    use super::*;
    /// `query_rmp_in` (16 B).
    pub const IN: Layout = Layout::new("query_rmp_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("rmpn", 0x48, 24),
    ]);
    /// `query_rmp_out` (272 B).
    pub const OUT: Layout = Layout::new("query_rmp_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("rmp_context.state", 0x108, 4),
        uint("rmp_context.basic_cyclic_rcv_wqe", 0x120, 1),
    ]);
}

/// QUERY_TIS (`query_tis_in` / `query_tis_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_tis_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_tis {
    use super::*;
    /// `query_tis_in` (16 B).
    pub const IN: Layout = Layout::new("query_tis_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("tisn", 0x48, 24),
    ]);
    /// `query_tis_out` (176 B).
    pub const OUT: Layout = Layout::new("query_tis_out", 176, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("tis_context.strict_lag_tx_port_affinity", 0x80, 1),
        uint("tis_context.tls_en", 0x81, 1),
        uint("tis_context.lag_tx_port_affinity", 0x84, 4),
        uint("tis_context.prio", 0x8c, 4),
        uint("tis_context.transport_domain", 0x1a8, 24),
        uint("tis_context.underlay_qpn", 0x1c8, 24),
        uint("tis_context.pd", 0x1e8, 24),
    ]);
}

/// QUERY_RQT (`query_rqt_in` / `query_rqt_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_rqt_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_rqt {
    use super::*;
    /// `query_rqt_in` (16 B).
    pub const IN: Layout = Layout::new("query_rqt_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("rqtn", 0x48, 24),
    ]);
    /// `query_rqt_out` (272 B).
    pub const OUT: Layout = Layout::new("query_rqt_out", 272, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("rqt_context.list_q_type", 0x1a5, 3),
        uint("rqt_context.rqt_max_size", 0x1b0, 16),
        uint("rqt_context.rq_vhca_id_format", 0x1c0, 1),
        uint("rqt_context.rqt_actual_size", 0x1d0, 16),
    ]);
}

/// QUERY_FLOW_TABLE (`query_flow_table_in` / `query_flow_table_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_flow_table_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_flow_table {
    use super::*;
    /// `query_flow_table_in` (64 B).
    pub const IN: Layout = Layout::new("query_flow_table_in", 64, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("table_type", 0x80, 8),
        uint("table_id", 0xa8, 24),
    ]);
    /// `query_flow_table_out` (64 B).
    pub const OUT: Layout = Layout::new("query_flow_table_out", 64, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("flow_table_context.reformat_en", 0xc0, 1),
        uint("flow_table_context.decap_en", 0xc1, 1),
        uint("flow_table_context.sw_owner", 0xc2, 1),
        uint("flow_table_context.termination_table", 0xc3, 1),
        uint("flow_table_context.table_miss_action", 0xc4, 4),
        uint("flow_table_context.level", 0xc8, 8),
        uint("flow_table_context.rtc_valid", 0xd0, 1),
        uint("flow_table_context.log_size", 0xd8, 8),
        uint("flow_table_context.table_miss_id", 0xe8, 24),
        uint("flow_table_context.lag_master_next_table_id", 0x108, 24),
    ]);
}

/// QUERY_FLOW_GROUP (`query_flow_group_in` / `query_flow_group_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_flow_group_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_flow_group {
    use super::*;
    /// `query_flow_group_in` (64 B).
    pub const IN: Layout = Layout::new("query_flow_group_in", 64, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("table_type", 0x80, 8),
        uint("table_id", 0xa8, 24),
        uint("group_id", 0xc0, 32),
    ]);
    /// `query_flow_group_out` (1024 B).
    pub const OUT: Layout = Layout::new("query_flow_group_out", 1024, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("start_flow_index", 0xe0, 32),
        uint("end_flow_index", 0x120, 32),
        uint("match_criteria_enable", 0x1f8, 8),
    ]);
}

/// QUERY_FLOW_TABLE_ENTRY (`query_fte_in` / `query_fte_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_fte_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_flow_table_entry {
    use super::*;
    /// `query_fte_in` (64 B).
    pub const IN: Layout = Layout::new("query_fte_in", 64, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("table_type", 0x80, 8),
        uint("table_id", 0xa8, 24),
        uint("flow_index", 0x100, 32),
    ]);
    /// `query_fte_out` (816 B).
    pub const OUT: Layout = Layout::new("query_fte_out", 816, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("flow_context.group_id", 0x220, 32),
        uint("flow_context.flow_tag", 0x248, 24),
        uint("flow_context.action", 0x270, 16),
        uint("flow_context.extended_destination", 0x280, 1),
        uint("flow_context.uplink_hairpin_en", 0x281, 1),
        uint("flow_context.flow_source", 0x282, 2),
        uint("flow_context.encrypt_decrypt_type", 0x284, 4),
        uint("flow_context.destination_list_size", 0x288, 24),
        uint("flow_context.flow_counter_list_size", 0x2a8, 24),
        uint("flow_context.packet_reformat_id", 0x2c0, 32),
        uint("flow_context.modify_header_id", 0x2e0, 32),
        uint("flow_context.encrypt_decrypt_obj_id", 0x320, 32),
    ]);
}

/// QUERY_FLOW_COUNTER (`query_flow_counter_in` / `query_flow_counter_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_flow_counter_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_flow_counter {
    use super::*;
    /// `query_flow_counter_in` (32 B).
    pub const IN: Layout = Layout::new("query_flow_counter_in", 32, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("clear", 0xc0, 1),
        uint("num_of_counters", 0xd0, 16),
        uint("flow_counter_id", 0xe0, 32),
    ]);
    /// `query_flow_counter_out` (16 B).
    pub const OUT: Layout = Layout::new("query_flow_counter_out", 16, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
    ]);
}

/// QUERY_PACKET_REFORMAT_CONTEXT (`query_packet_reformat_context_in` / `query_packet_reformat_context_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_packet_reformat_context_in_bits / _out_bits (saeedtx/mlx5ctl:mlx5_ifc.h@0f64d16)
#[rustfmt::skip]
pub mod query_packet_reformat_context {
    use super::*;
    /// `query_packet_reformat_context_in` (32 B).
    pub const IN: Layout = Layout::new("query_packet_reformat_context_in", 32, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("packet_reformat_id", 0x40, 32),
    ]);
    /// `query_packet_reformat_context_out` (28 B).
    pub const OUT: Layout = Layout::new("query_packet_reformat_context_out", 28, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
    ]);
}

/// FPGA_QUERY_QP (`fpga_query_qp_in` / `fpga_query_qp_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_fpga_query_qp_in_bits / _out_bits (knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@2850235)
#[rustfmt::skip]
pub mod fpga_query_qp {
    use super::*;
    /// `fpga_query_qp_in` (16 B).
    pub const IN: Layout = Layout::new("fpga_query_qp_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("fpga_qpn", 0x48, 24),
    ]);
    /// `fpga_query_qp_out` (112 B).
    pub const OUT: Layout = Layout::new("fpga_query_qp_out", 112, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("fpga_qpc.state", 0x80, 4),
        uint("fpga_qpc.qp_type", 0x9f, 1),
        uint("fpga_qpc.st", 0xa4, 4),
        uint("fpga_qpc.traffic_class", 0xb8, 8),
        uint("fpga_qpc.ether_type", 0xc0, 16),
        uint("fpga_qpc.prio", 0xd0, 3),
        uint("fpga_qpc.dei", 0xd3, 1),
        uint("fpga_qpc.vid", 0xd4, 12),
        uint("fpga_qpc.next_rcv_psn", 0x108, 24),
        uint("fpga_qpc.next_send_psn", 0x128, 24),
        uint("fpga_qpc.pkey", 0x150, 16),
        uint("fpga_qpc.remote_qpn", 0x168, 24),
        uint("fpga_qpc.rnr_retry", 0x195, 3),
        uint("fpga_qpc.retry_count", 0x19d, 3),
        uint("fpga_qpc.remote_mac_47_32", 0x1d0, 16),
        uint("fpga_qpc.remote_mac_31_0", 0x1e0, 32),
        bytes("fpga_qpc.remote_ip", 64, 16),
        uint("fpga_qpc.fpga_mac_47_32", 0x2d0, 16),
        uint("fpga_qpc.fpga_mac_31_0", 0x2e0, 32),
        bytes("fpga_qpc.fpga_ip", 96, 16),
    ]);
}

/// FPGA_QUERY_QP_COUNTERS (`fpga_query_qp_counters_in` / `fpga_query_qp_counters_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_fpga_query_qp_counters_in_bits / _out_bits (knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@2850235)
#[rustfmt::skip]
pub mod fpga_query_qp_counters {
    use super::*;
    /// `fpga_query_qp_counters_in` (16 B).
    pub const IN: Layout = Layout::new("fpga_query_qp_counters_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("op_mod", 0x30, 16),
        uint("clear", 0x40, 1),
        uint("fpga_qpn", 0x48, 24),
    ]);
    /// `fpga_query_qp_counters_out` (112 B).
    pub const OUT: Layout = Layout::new("fpga_query_qp_counters_out", 112, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("rx_ack_packets", 0x80, 64),
        uint("rx_send_packets", 0xc0, 64),
        uint("tx_ack_packets", 0x100, 64),
        uint("tx_send_packets", 0x140, 64),
        uint("rx_total_drop", 0x180, 64),
    ]);
}

/// QUERY_VHCA_STATE (`query_vhca_state_in` / `query_vhca_state_out`).
// checked: mlx5_ifc.h struct mlx5_ifc_query_vhca_state_in_bits / _out_bits (knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@2850235)
#[rustfmt::skip]
pub mod query_vhca_state {
    use super::*;
    /// `query_vhca_state_in` (16 B).
    pub const IN: Layout = Layout::new("query_vhca_state_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("uid", 0x10, 16),
        uint("op_mod", 0x30, 16),
        uint("embedded_cpu_function", 0x40, 1),
        uint("function_id", 0x50, 16),
    ]);
    /// `query_vhca_state_out` (32 B).
    pub const OUT: Layout = Layout::new("query_vhca_state_out", 32, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("vhca_state_context.arm_change_event", 0x80, 1),
        uint("vhca_state_context.vhca_state", 0x8c, 4),
        uint("vhca_state_context.sw_function_id", 0xa0, 32),
    ]);
}
/// QUERY_GENERAL_OBJECT (0xa02): `general_obj_in_cmd_hdr` (the object type sits
/// where other commands keep op_mod) and, per object type, `query_<type>_obj_out`.
// checked: mlx5_ifc.h struct mlx5_ifc_general_obj_in_cmd_hdr_bits, general_obj_out_cmd_hdr_bits,
// query_sampler_obj_out_bits, query_ipsec_obj_out_bits, query_macsec_obj_out_bits and
// MLX5_GENERAL_OBJECT_TYPES_{IPSEC = 0x13, SAMPLER = 0x20, MACSEC = 0x27}
// (knneth/mlnx-ofa_kernel:include/linux/mlx5/mlx5_ifc.h@2850235)
#[rustfmt::skip]
pub mod query_general_object {
    use super::*;
    /// `general_obj_in_cmd_hdr` (16 B).
    pub const IN: Layout = Layout::new("general_obj_in_cmd_hdr", 16, &[
        uint("opcode", 0x0, 16),
        uint("uid", 0x10, 16),
        uint("vhca_tunnel_id", 0x20, 16),
        uint("obj_type", 0x30, 16),
        uint("obj_id", 0x40, 32),
        uint("query.alias_object", 0x60, 1),
        uint("query.obj_offset", 0x61, 31),
    ]);
    /// `general_obj_out_cmd_hdr` (16 B): the shortest answer; the object follows.
    pub const OUT: Layout = Layout::new("general_obj_out_cmd_hdr", 16, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("obj_id", 0x40, 32),
    ]);
    /// `MLX5_GENERAL_OBJECT_TYPES_IPSEC`.
    pub const TYPE_IPSEC: u16 = 0x13;
    /// `MLX5_GENERAL_OBJECT_TYPES_SAMPLER`.
    pub const TYPE_SAMPLER: u16 = 0x20;
    /// `MLX5_GENERAL_OBJECT_TYPES_MACSEC`.
    pub const TYPE_MACSEC: u16 = 0x27;
    /// `query_sampler_obj_out` (76 B).
    pub const SAMPLER_OUT: Layout = Layout::new("query_sampler_obj_out", 76, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("obj_id", 0x40, 32),
        uint("sampler_object.modify_field_select", 0x80, 64),
        uint("sampler_object.table_type", 0xc0, 8),
        uint("sampler_object.level", 0xc8, 8),
        uint("sampler_object.ignore_flow_level", 0xdf, 1),
        uint("sampler_object.sample_ratio", 0xe0, 32),
        uint("sampler_object.sample_table_id", 0x108, 24),
        uint("sampler_object.default_table_id", 0x128, 24),
    ]);
    /// `query_ipsec_obj_out` (144 B).
    pub const IPSEC_OUT: Layout = Layout::new("query_ipsec_obj_out", 144, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("obj_id", 0x40, 32),
        uint("ipsec_object.modify_field_select", 0x80, 64),
        uint("ipsec_object.full_offload", 0xc0, 1),
        uint("ipsec_object.esn_en", 0xc2, 1),
        uint("ipsec_object.esn_overlap", 0xc3, 1),
        uint("ipsec_object.icv_length", 0xc6, 2),
        uint("ipsec_object.aso_return_reg", 0xcc, 4),
        uint("ipsec_object.esn_msb", 0xe0, 32),
        uint("ipsec_object.dekn", 0x108, 24),
        uint("ipsec_object.salt", 0x120, 32),
    ]);
    /// `query_macsec_obj_out` (144 B).
    pub const MACSEC_OUT: Layout = Layout::new("query_macsec_obj_out", 144, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("obj_id", 0x40, 32),
        uint("macsec_object.modify_field_select", 0x80, 64),
        uint("macsec_object.confidentiality_en", 0xc0, 1),
        uint("macsec_object.epn_en", 0xc2, 1),
        uint("macsec_object.epn_overlap", 0xc3, 1),
        uint("macsec_object.confidentiality_offset", 0xc6, 2),
        uint("macsec_object.aso_return_reg", 0xcc, 4),
        uint("macsec_object.epn_msb", 0xe0, 32),
        uint("macsec_object.dekn", 0x108, 24),
        uint("macsec_object.sci", 0x140, 64),
    ]);
    /// The answer layout of an object type the simulator models.
    pub fn out_for(obj_type: u16) -> Option<&'static Layout> {
        match obj_type {
            TYPE_SAMPLER => Some(&SAMPLER_OUT),
            TYPE_IPSEC => Some(&IPSEC_OUT),
            TYPE_MACSEC => Some(&MACSEC_OUT),
            _ => None,
        }
    }
}

/// QUERY_REGEXP_PARAMS (0xb05): the RegEx engine (BlueField-2 only).
// checked: struct mlx5_ifc_query_regexp_params_in_bits / _out_bits and regexp_params_bits as
// DPDK's drivers/common/mlx5 PRM header defines them (no kernel header carries them)
#[rustfmt::skip]
pub mod query_regexp_params {
    use super::*;
    /// `query_regexp_params_in` (16 B).
    pub const IN: Layout = Layout::new("query_regexp_params_in", 16, &[
        uint("opcode", 0x0, 16),
        uint("uid", 0x10, 16),
        uint("op_mod", 0x30, 16),
        uint("engine_id", 0x58, 8),
    ]);
    /// `query_regexp_params_out` (88 B).
    pub const OUT: Layout = Layout::new("query_regexp_params_out", 88, &[
        uint("status", 0x0, 8),
        uint("syndrome", 0x20, 32),
        uint("regexp_params.stop_engine", 0xdf, 1),
        uint("regexp_params.rof_mkey", 0x140, 32),
        uint("regexp_params.rof_size", 0x160, 32),
        uint("regexp_params.rof_mkey_va", 0x180, 64),
    ]);
}

/// Layouts no public header defines, for commands the kernel's driver allows by
/// its own enum value. Each is **inferred** from a sibling command that the header
/// does define (named per layout) or, failing that, is the bare 16-byte header.
#[rustfmt::skip]
pub mod inferred {
    use super::*;
    const HDR_IN: [crate::prm::FieldDef; 3] = [uint("opcode", 0x0, 16), uint("uid", 0x10, 16), uint("op_mod", 0x30, 16)];
    const HDR_OUT: [crate::prm::FieldDef; 2] = [uint("status", 0x0, 8), uint("syndrome", 0x20, 32)];
    /// A bare 16-byte request.
    pub const HEADER_IN: Layout = Layout::new("mbox_in", 16, &HDR_IN);
    /// A bare 16-byte response.
    pub const HEADER_OUT: Layout = Layout::new("mbox_out", 16, &HDR_OUT);
    /// QUERY_DRIVER_VERSION out: `driver_version[64]` at byte 16, as in `set_driver_version_in` (80 B).
    pub const DRIVER_VERSION_OUT: Layout = Layout::new("query_driver_version_out", 80, &[
        HDR_OUT[0], HDR_OUT[1], ascii("driver_version", 16, 64),
    ]);
    /// QUERY_UMEM in: `umem_id` where `destroy_umem_in` has it.
    pub const UMEM_IN: Layout = Layout::new("query_umem_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], uint("umem_id", 0x48, 24)]);
    /// QUERY_UMEM out: the 16-byte header then `umem` (32 B, as in `create_umem_in`).
    pub const UMEM_OUT: Layout = Layout::new("query_umem_out", 48, &[
        HDR_OUT[0], HDR_OUT[1],
        uint("umem.ats", 0x100, 1),
        uint("umem.log_page_size", 0x11b, 5),
        uint("umem.page_offset", 0x120, 32),
        uint("umem.num_of_mtt", 0x140, 64),
    ]);
    /// QUERY_RATE_LIMIT in: `rate_limit_index` where `set_pp_rate_limit_in` has it.
    pub const RATE_LIMIT_IN: Layout = Layout::new("query_rate_limit_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], uint("rate_limit_index", 0x50, 16)]);
    /// QUERY_RATE_LIMIT out: the header then `set_pp_rate_limit_context` (48 B).
    pub const RATE_LIMIT_OUT: Layout = Layout::new("query_rate_limit_out", 64, &[
        HDR_OUT[0], HDR_OUT[1],
        uint("rate_limit", 0x80, 32),
        uint("burst_upper_bound", 0xa0, 32),
        uint("typical_packet_size", 0xd0, 16),
    ]);
    /// QUERY_DELAY_DROP_PARAMS out: `delay_drop_timeout` where `set_delay_drop_params_in` has it.
    pub const DELAY_DROP_OUT: Layout = Layout::new("query_delay_drop_params_out", 16, &[HDR_OUT[0], HDR_OUT[1], uint("delay_drop_timeout", 0x70, 16)]);
    /// QUERY_MODIFY_HEADER_CONTEXT in (header-defined, 32 B).
    pub const MODIFY_HEADER_IN: Layout = Layout::new("query_modify_header_context_in", 32, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], uint("modify_header_id", 0x40, 32)]);
    /// QUERY_PSV in: a PSV index where `create_psv_out` returns `psv0_index`.
    pub const PSV_IN: Layout = Layout::new("query_psv_in", 16, &[HDR_IN[0], HDR_IN[1], HDR_IN[2], uint("psv_index", 0x48, 24)]);
}

/// Where a query's layouts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Transcribed from `mlx5_ifc.h` (or, for RegEx, DPDK's PRM header).
    Header,
    /// No public header defines the command: inferred (see [`inferred`]).
    Inferred,
}

/// A device feature a command needs; a device without it answers BAD_OP_ERR
/// (firmware that lacks a feature does not know its commands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// Every ConnectX has it.
    Always,
    /// The Innova FPGA (`fpga` in `cmd_hca_cap`).
    Fpga,
    /// CAPI (an old Innova/POWER feature).
    Capi,
    /// NVMe-oF target offload.
    Nvmf,
    /// The BlueField-2 RegEx engine.
    Regexp,
    /// Device emulation (virtio/NVMe functions of a BlueField).
    Emulation,
    /// The BlueField-3 Data Path Accelerator.
    Dpa,
}

/// One query command answered from the object table.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    /// The opcode.
    pub opcode: u16,
    /// The request layout; its size is the shortest valid request.
    pub input: &'static Layout,
    /// The response layout; its size is the shortest valid response.
    pub output: &'static Layout,
    /// The request field that names the object queried, if the command queries one.
    pub id: Option<&'static str>,
    /// The feature the device needs to know the command.
    pub feature: Feature,
    /// Header or inferred.
    pub origin: Origin,
}

const fn q(
    opcode: u16,
    input: &'static Layout,
    output: &'static Layout,
    id: Option<&'static str>,
    feature: Feature,
    origin: Origin,
) -> Query {
    Query { opcode, input, output, id, feature, origin }
}

/// The 73 allowed commands answered from the object table, by opcode.
#[rustfmt::skip]
pub const QUERIES: [Query; 73] = [
    q(op::QUERY_OTHER_HCA_CAP, &query_other_hca_cap::IN, &query_other_hca_cap::OUT, Some("function_id"), Feature::Always, Origin::Header),
    q(op::QUERY_SF_PARTITION, &query_sf_partition::IN, &query_sf_partition::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_VHCA_MIGRATION_STATE, &query_vhca_migration_state::IN, &query_vhca_migration_state::OUT, Some("vhca_id"), Feature::Always, Origin::Header),
    q(op::QUERY_MKEY, &query_mkey::IN, &query_mkey::OUT, Some("mkey_index"), Feature::Always, Origin::Header),
    q(op::QUERY_EQ, &query_eq::IN, &query_eq::OUT, Some("eq_number"), Feature::Always, Origin::Header),
    q(op::QUERY_CQ, &query_cq::IN, &query_cq::OUT, Some("cqn"), Feature::Always, Origin::Header),
    q(op::QUERY_QP, &query_qp::IN, &query_qp::OUT, Some("qpn"), Feature::Always, Origin::Header),
    q(op::QUERY_SRQ, &query_srq::IN, &query_srq::OUT, Some("srqn"), Feature::Always, Origin::Header),
    q(op::QUERY_XRC_SRQ, &query_xrc_srq::IN, &query_xrc_srq::OUT, Some("xrc_srqn"), Feature::Always, Origin::Header),
    q(op::QUERY_DCT, &query_dct::IN, &query_dct::OUT, Some("dctn"), Feature::Always, Origin::Header),
    q(op::QUERY_XRQ, &query_xrq::IN, &query_xrq::OUT, Some("xrqn"), Feature::Always, Origin::Header),
    q(op::QUERY_DELEGATED_VHCA, &query_delegated_vhca::IN, &query_delegated_vhca::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_ESW_FUNCTIONS, &query_esw_functions::IN, &query_esw_functions::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_ESW_VPORT_CONTEXT, &query_esw_vport_context::IN, &query_esw_vport_context::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_ROCE_ADDRESS, &query_roce_address::IN, &query_roce_address::OUT, Some("roce_address_index"), Feature::Always, Origin::Header),
    q(op::QUERY_HCA_VPORT_CONTEXT, &query_hca_vport_context::IN, &query_hca_vport_context::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_HCA_VPORT_GID, &query_hca_vport_gid::IN, &query_hca_vport_gid::OUT, Some("gid_index"), Feature::Always, Origin::Header),
    q(op::QUERY_HCA_VPORT_PKEY, &query_hca_vport_pkey::IN, &query_hca_vport_pkey::OUT, Some("pkey_index"), Feature::Always, Origin::Header),
    q(op::QUERY_VNIC_ENV, &query_vnic_env::IN, &query_vnic_env::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_SCHEDULING_ELEMENT, &query_scheduling_element::IN, &query_scheduling_element::OUT, Some("scheduling_element_id"), Feature::Always, Origin::Header),
    q(op::QUERY_MAD_DEMUX, &query_mad_demux::IN, &query_mad_demux::OUT, None, Feature::Always, Origin::Header),
    q(op::MODIFY_CONG_STATUS, &modify_cong_status::IN, &modify_cong_status::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_L2_TABLE_ENTRY, &query_l2_table_entry::IN, &query_l2_table_entry::OUT, Some("table_index"), Feature::Always, Origin::Header),
    q(op::QUERY_WOL_ROL, &query_wol_rol::IN, &query_wol_rol::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_LAG, &query_lag::IN, &query_lag::OUT, None, Feature::Always, Origin::Header),
    q(op::QUERY_TIR, &query_tir::IN, &query_tir::OUT, Some("tirn"), Feature::Always, Origin::Header),
    q(op::QUERY_SQ, &query_sq::IN, &query_sq::OUT, Some("sqn"), Feature::Always, Origin::Header),
    q(op::QUERY_RQ, &query_rq::IN, &query_rq::OUT, Some("rqn"), Feature::Always, Origin::Header),
    q(op::QUERY_RMP, &query_rmp::IN, &query_rmp::OUT, Some("rmpn"), Feature::Always, Origin::Header),
    q(op::QUERY_TIS, &query_tis::IN, &query_tis::OUT, Some("tisn"), Feature::Always, Origin::Header),
    q(op::QUERY_RQT, &query_rqt::IN, &query_rqt::OUT, Some("rqtn"), Feature::Always, Origin::Header),
    q(op::QUERY_FLOW_TABLE, &query_flow_table::IN, &query_flow_table::OUT, Some("table_id"), Feature::Always, Origin::Header),
    q(op::QUERY_FLOW_GROUP, &query_flow_group::IN, &query_flow_group::OUT, Some("group_id"), Feature::Always, Origin::Header),
    q(op::QUERY_FLOW_TABLE_ENTRY, &query_flow_table_entry::IN, &query_flow_table_entry::OUT, Some("flow_index"), Feature::Always, Origin::Header),
    q(op::QUERY_FLOW_COUNTER, &query_flow_counter::IN, &query_flow_counter::OUT, Some("flow_counter_id"), Feature::Always, Origin::Header),
    q(op::QUERY_PACKET_REFORMAT_CONTEXT, &query_packet_reformat_context::IN, &query_packet_reformat_context::OUT, Some("packet_reformat_id"), Feature::Always, Origin::Header),
    q(op::FPGA_QUERY_QP, &fpga_query_qp::IN, &fpga_query_qp::OUT, Some("fpga_qpn"), Feature::Fpga, Origin::Header),
    q(op::FPGA_QUERY_QP_COUNTERS, &fpga_query_qp_counters::IN, &fpga_query_qp_counters::OUT, Some("fpga_qpn"), Feature::Fpga, Origin::Header),
    q(op::QUERY_VHCA_STATE, &query_vhca_state::IN, &query_vhca_state::OUT, Some("function_id"), Feature::Always, Origin::Header),
    q(op::QUERY_DRIVER_VERSION, &inferred::HEADER_IN, &inferred::DRIVER_VERSION_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_RDB, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_PSV, &inferred::PSV_IN, &inferred::HEADER_OUT, Some("psv_index"), Feature::Always, Origin::Inferred),
    q(op::QUERY_DC_CNAK_TRACE, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_NVMF_BACKEND_CONTROLLER, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Nvmf, Origin::Inferred),
    q(op::QUERY_XRQ_DC_PARAMS_ENTRY, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_XRQ_ERROR_PARAMS, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_NVMF_NAMESPACE_CONTEXT, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Nvmf, Origin::Inferred),
    q(op::QUERY_ADJACENT_FUNCTIONS_ID, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::DELEGATE_VHCA_MANAGEMENT, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_RATE_LIMIT, &inferred::RATE_LIMIT_IN, &inferred::RATE_LIMIT_OUT, Some("rate_limit_index"), Feature::Always, Origin::Inferred),
    q(op::QUERY_BURST_SIZE, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_DELAY_DROP_PARAMS, &inferred::HEADER_IN, &inferred::DELAY_DROP_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_MODIFY_HEADER_CONTEXT, &inferred::MODIFY_HEADER_IN, &inferred::HEADER_OUT, Some("modify_header_id"), Feature::Always, Origin::Inferred),
    q(op::QUERY_AFU, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Fpga, Origin::Inferred),
    q(op::QUERY_CAPI_PEC, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Capi, Origin::Inferred),
    q(op::QUERY_GENERAL_OBJECT, &query_general_object::IN, &query_general_object::OUT, Some("obj_id"), Feature::Always, Origin::Header),
    q(op::QUERY_UMEM, &inferred::UMEM_IN, &inferred::UMEM_OUT, Some("umem_id"), Feature::Always, Origin::Inferred),
    q(op::QUERY_NVMF_CC_RESPONSE, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Nvmf, Origin::Inferred),
    q(op::QUERY_EMULATED_FUNCTIONS_INFO, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Emulation, Origin::Inferred),
    q(op::QUERY_REGEXP_PARAMS, &query_regexp_params::IN, &query_regexp_params::OUT, None, Feature::Regexp, Origin::Header),
    q(op::QUERY_REGEXP_REGISTER, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Regexp, Origin::Inferred),
    q(op::USER_QUERY_XRQ_DC_PARAMS_ENTRY, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::USER_QUERY_XRQ_ERROR_PARAMS, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_EMULATION_DEVICE_EQ_MSIX_MAPPING, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Emulation, Origin::Inferred),
    q(op::QUERY_MATCH_SAMPLE_INFO, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_CRYPTO_STATE, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_DPA_PARTITION, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Dpa, Origin::Inferred),
    q(op::QUERY_DPA_PARTITIONS, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Dpa, Origin::Inferred),
    q(op::POSTPONE_CONNECTED_QP_TIMEOUT, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_EMULATED_RESOURCES_INFO, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Emulation, Origin::Inferred),
    q(op::QUERY_RSV_RESOURCES, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_MTT, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
    q(op::QUERY_SCHED_QUEUE, &inferred::HEADER_IN, &inferred::HEADER_OUT, None, Feature::Always, Origin::Inferred),
];

/// The object name of a query, as `fwctl mlx5 DEV obj NAME` takes it: the
/// opcode's PRM name without `QUERY_`, lower case (`eq`, `flow_table_entry`,
/// `general_object`).
pub fn object_name(q: &Query) -> String {
    let name = super::opcode::name_of(q.opcode);
    name.strip_prefix("QUERY_").unwrap_or(name).to_ascii_lowercase()
}

/// The query whose object name is `name` (case-insensitive, `-` for `_`).
pub fn by_object_name(name: &str) -> Option<&'static Query> {
    let want = name.trim().to_ascii_lowercase().replace('-', "_");
    QUERIES.iter().find(|q| object_name(q) == want)
}

/// The request of query `q` for object `id` (when the command takes an id)
/// with `op_mod` (the object type for QUERY_GENERAL_OBJECT).
pub fn request(q: &Query, id: Option<u32>, op_mod: u16) -> Vec<u8> {
    let mut b = super::build::header(q.opcode, op_mod, q.input.bytes);
    if let (Some(f), Some(id)) = (q.id.and_then(|n| q.input.field(n)), id) {
        f.set(&mut b, u64::from(id));
    }
    // Steering queries name their table: the NIC RX root table unless told otherwise.
    if let Some(f) = q.input.field("table_id").filter(|_| q.id != Some("table_id")) {
        f.set(&mut b, 1);
    }
    if let Some(f) = q.input.field("port_num") {
        f.set(&mut b, 1);
    }
    b
}

/// QUERY_QP with `qpc_ext` set: the answer carries `qpc_data_extension` and
/// is the header's full `query_qp_out` (knneth/mlnx-ofa_kernel@2850235).
pub const QUERY_QP_EXT_OUT_BYTES: usize = 464;

/// The table row of `opcode`.
pub fn query(opcode: u16) -> Option<&'static Query> {
    QUERIES.iter().find(|q| q.opcode == opcode)
}
