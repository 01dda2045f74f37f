//! HWRM facts restated from the kernel: request type numbers (`struct cmd_nums`
//! in `include/linux/bnxt/hsi.h`), the driver's scope table
//! (`bnxtctl_validate_rpc`) and its DMA-descriptor table (`bnxtctl_dma_cmds`)
//! from `drivers/fwctl/bnxt/main.c` @98f21c5.
//!
//! Where each request layout comes from is recorded per DMA entry
//! ([`Layout`]): the kernel's `hsi.h` at HWRM 1.10.3.151 (the interface the
//! simulated firmware reports), the kernel's older `hsi.h` (@82ee502, where
//! 1.10.3.151 agrees), or inferred (the structure is in no header that could
//! be read; the common HWRM shape is used and said so).

use fwctl_plugin_sdk::RpcScope;

/// `sizeof(struct input)` (= `struct hwrm_cmd_hdr`): the request header.
pub const INPUT_SIZE: usize = 16;
/// `sizeof(struct output)` (= `struct hwrm_resp_hdr`): the response header.
pub const OUTPUT_SIZE: usize = 8;
/// `HWRM_MAX_REQ_LEN`: the longest request the driver accepts.
pub const HWRM_MAX_REQ_LEN: usize = 128;
/// `FWCTL_BNXT_MAX_DMABUF`: the largest DMA buffer (64 KiB; the uAPI header
/// revision defining it could not be read, the value is from the driver
/// source at commit d482bb5 as transliterated, see `Documentation/bnxt.md`).
pub const MAX_DMABUF: u32 = 0x10000;
/// `HWRM_RESP_VALID_KEY`: the last byte of every response structure.
pub const RESP_VALID_KEY: u8 = 1;

/// `enum fwctl_bnxt_commands` (`include/uapi/fwctl/bnxt.h`): bit numbers of
/// `fwctl_info_bnxt.uctx_caps`.
pub mod caps {
    /// `FWCTL_BNXT_INLINE_COMMANDS`.
    pub const INLINE_COMMANDS: u32 = 0;
    /// `FWCTL_BNXT_QUERY_COMMANDS`.
    pub const QUERY_COMMANDS: u32 = 1;
    /// `FWCTL_BNXT_SEND_COMMANDS`.
    pub const SEND_COMMANDS: u32 = 2;
    /// `FWCTL_BNXT_DMA_COMMANDS` (the DMA version of the driver).
    pub const DMA_COMMANDS: u32 = 3;
    /// What `bnxtctl_open_uctx` sets: all four bits, 0xf.
    pub const OPEN_UCTX: u32 =
        1 << INLINE_COMMANDS | 1 << QUERY_COMMANDS | 1 << SEND_COMMANDS | 1 << DMA_COMMANDS;
}

/// `struct ret_codes` (`HWRM_ERR_CODE_*`): the in-band `error_code` values the
/// simulator uses or decodes.
pub mod err {
    /// `HWRM_ERR_CODE_SUCCESS`.
    pub const SUCCESS: u16 = 0x0;
    /// `HWRM_ERR_CODE_FAIL`.
    pub const FAIL: u16 = 0x1;
    /// `HWRM_ERR_CODE_INVALID_PARAMS`.
    pub const INVALID_PARAMS: u16 = 0x2;
    /// `HWRM_ERR_CODE_RESOURCE_ACCESS_DENIED`.
    pub const RESOURCE_ACCESS_DENIED: u16 = 0x3;
    /// `HWRM_ERR_CODE_RESOURCE_ALLOC_ERROR`.
    pub const RESOURCE_ALLOC_ERROR: u16 = 0x4;
    /// `HWRM_ERR_CODE_INVALID_FLAGS`.
    pub const INVALID_FLAGS: u16 = 0x5;
    /// `HWRM_ERR_CODE_INVALID_ENABLES`.
    pub const INVALID_ENABLES: u16 = 0x6;
    /// `HWRM_ERR_CODE_UNSUPPORTED_TLV`.
    pub const UNSUPPORTED_TLV: u16 = 0x7;
    /// `HWRM_ERR_CODE_NO_BUFFER`.
    pub const NO_BUFFER: u16 = 0x8;
    /// `HWRM_ERR_CODE_UNSUPPORTED_OPTION_ERR`.
    pub const UNSUPPORTED_OPTION_ERR: u16 = 0x9;
    /// `HWRM_ERR_CODE_HOT_RESET_PROGRESS`.
    pub const HOT_RESET_PROGRESS: u16 = 0xa;
    /// `HWRM_ERR_CODE_HOT_RESET_FAIL`.
    pub const HOT_RESET_FAIL: u16 = 0xb;
    /// `HWRM_ERR_CODE_UNKNOWN_ERR`.
    pub const UNKNOWN_ERR: u16 = 0xfffe;
    /// `HWRM_ERR_CODE_CMD_NOT_SUPPORTED`.
    pub const CMD_NOT_SUPPORTED: u16 = 0xffff;

    /// The name of an `error_code`, or `None`.
    pub fn name(code: u16) -> Option<&'static str> {
        Some(match code {
            SUCCESS => "SUCCESS",
            FAIL => "FAIL",
            INVALID_PARAMS => "INVALID_PARAMS",
            RESOURCE_ACCESS_DENIED => "RESOURCE_ACCESS_DENIED",
            RESOURCE_ALLOC_ERROR => "RESOURCE_ALLOC_ERROR",
            INVALID_FLAGS => "INVALID_FLAGS",
            INVALID_ENABLES => "INVALID_ENABLES",
            UNSUPPORTED_TLV => "UNSUPPORTED_TLV",
            NO_BUFFER => "NO_BUFFER",
            UNSUPPORTED_OPTION_ERR => "UNSUPPORTED_OPTION_ERR",
            HOT_RESET_PROGRESS => "HOT_RESET_PROGRESS",
            HOT_RESET_FAIL => "HOT_RESET_FAIL",
            UNKNOWN_ERR => "UNKNOWN_ERR",
            CMD_NOT_SUPPORTED => "CMD_NOT_SUPPORTED",
            _ => return None,
        })
    }
}

/// A request type the driver knows: its number, its `HWRM_` name without the
/// prefix and the lowest scope the driver allows it at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// `req_type`.
    pub req_type: u16,
    /// The name (`VER_GET` for `HWRM_VER_GET`).
    pub name: &'static str,
    /// `scope_min`.
    pub scope: RpcScope,
}

/// Where a DMA command's request layout was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The kernel's `include/linux/bnxt/hsi.h` at HWRM 1.10.3.151
    /// (`HWRM_VERSION_STR`), as stored at `intel-lab-lkp/linux` @4157ebf: the
    /// header the fwctl driver is built against, and the only one read that
    /// has `HWRM_SCH_GRP_CFG`/`_QCFG`.
    Hsi151,
    /// `torvalds/linux:include/linux/bnxt/hsi.h` @82ee502 (the same at 1.10.3.151).
    Kernel,
    /// In no header that could be read: the common HWRM shape (address at 16,
    /// then the length fields), said so in the documentation.
    Inferred,
}

/// `enum dma_data_direction` as the driver uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// `DMA_TO_DEVICE`: the driver copies the caller's buffer in (`copy_from_user`).
    ToDevice,
    /// `DMA_FROM_DEVICE`: the driver copies the buffer out after the command (`copy_to_user`).
    FromDevice,
}

/// `struct bnxtctl_dma_field`: one host-buffer address in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DmaField {
    /// Offset of the `__le64` address field.
    pub offset: usize,
    /// Direction.
    pub dir: Dir,
    /// Offset of the length field; 0 when the length is fixed ([`buf_len`](Self::buf_len)).
    pub len_offset: usize,
    /// Width of the length field in bytes (2 or 4).
    pub len_width: u8,
    /// Bytes per unit of the length field.
    pub len_unit: u8,
    /// The fixed length, when `len_offset` is 0.
    pub buf_len: u32,
}

/// `struct bnxtctl_cmd_dma_desc`: a command carrying host-buffer addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DmaCommand {
    /// `req_type`.
    pub req_type: u16,
    /// `scope_min`.
    pub scope: RpcScope,
    /// `sizeof(struct hwrm_xxx_input)`: `in_len` must equal it.
    pub req_size: usize,
    /// The address fields (at most `BNXTCTL_MAX_DMA_FIELDS` = 4).
    pub fields: &'static [DmaField],
    /// Where the layout was read.
    pub layout: Layout,
}

/// `HWRM_*` request type numbers (`struct cmd_nums`), those the driver names.
#[allow(missing_docs)]
pub mod req {
    pub const VER_GET: u16 = 0x0;
    pub const ERROR_RECOVERY_QCFG: u16 = 0xc;
    pub const FUNC_RESET: u16 = 0x11;
    pub const FUNC_QCAPS: u16 = 0x15;
    pub const FUNC_QCFG: u16 = 0x16;
    pub const FUNC_QSTATS: u16 = 0x18;
    pub const PORT_QSTATS: u16 = 0x23;
    pub const PORT_CLR_STATS: u16 = 0x25;
    pub const PORT_PHY_QCFG: u16 = 0x27;
    pub const PORT_MAC_QCFG: u16 = 0x28;
    pub const PORT_PHY_QCAPS: u16 = 0x2a;
    pub const PORT_PHY_I2C_WRITE: u16 = 0x2b;
    pub const PORT_PHY_I2C_READ: u16 = 0x2c;
    pub const QUEUE_PRI2COS_QCFG: u16 = 0x37;
    pub const QUEUE_COS2BW_QCFG: u16 = 0x39;
    pub const QUEUE_DSCP2PRI_QCFG: u16 = 0x3c;
    pub const VNIC_RSS_QCFG: u16 = 0x47;
    pub const PORT_EVENTS_LOG: u16 = 0x67;
    pub const SCH_GRP_CFG: u16 = 0x73;
    pub const SCH_GRP_QCFG: u16 = 0x74;
    pub const QUEUE_GLOBAL_QCFG: u16 = 0x87;
    pub const QUEUE_ADPTV_QOS_RX_FEATURE_QCFG: u16 = 0x88;
    pub const QUEUE_ADPTV_QOS_TX_FEATURE_QCFG: u16 = 0x8a;
    pub const QUEUE_QCAPS: u16 = 0x8c;
    pub const QUEUE_ADPTV_QOS_RX_TUNING_QCFG: u16 = 0x8d;
    pub const QUEUE_ADPTV_QOS_TX_TUNING_QCFG: u16 = 0x8f;
    pub const TUNNEL_DST_PORT_QUERY: u16 = 0xa0;
    pub const PORT_QSTATS_EXT: u16 = 0xb4;
    pub const PORT_PHY_MDIO_WRITE: u16 = 0xb5;
    pub const PORT_PHY_MDIO_READ: u16 = 0xb6;
    pub const PORT_QSTATS_EXT_PFC_ADV: u16 = 0xba;
    pub const PORT_TX_FIR_QCFG: u16 = 0xbc;
    pub const FW_LIVEPATCH_QUERY: u16 = 0xbe;
    pub const FW_LIVEPATCH: u16 = 0xbf;
    pub const FW_RESET: u16 = 0xc0;
    pub const FW_QSTATUS: u16 = 0xc1;
    pub const FW_HEALTH_CHECK: u16 = 0xc2;
    pub const FW_SYNC: u16 = 0xc3;
    pub const FW_SET_TIME: u16 = 0xc8;
    pub const FW_GET_TIME: u16 = 0xc9;
    pub const FW_SET_STRUCTURED_DATA: u16 = 0xca;
    pub const FW_GET_STRUCTURED_DATA: u16 = 0xcb;
    pub const PORT_PRBS_TEST: u16 = 0xd5;
    pub const PORT_DSC_DUMP: u16 = 0xd9;
    pub const PORT_EP_TX_QCFG: u16 = 0xda;
    pub const PORT_QCFG: u16 = 0xdd;
    pub const PORT_MAC_QCAPS: u16 = 0xdf;
    pub const TEMP_MONITOR_QUERY: u16 = 0xe0;
    pub const REG_POWER_QUERY: u16 = 0xe1;
    pub const CORE_FREQUENCY_QUERY: u16 = 0xe2;
    pub const STAT_QUERY_ROCE_STATS: u16 = 0xe6;
    pub const STAT_QUERY_ROCE_STATS_EXT: u16 = 0xe7;
    pub const CFA_REDIRECT_QUERY_TUNNEL_TYPE: u16 = 0x112;
    pub const CFA_ADV_FLOW_MGNT_QCAPS: u16 = 0x124;
    pub const FUNC_RESOURCE_QCAPS: u16 = 0x190;
    pub const FUNC_BACKING_STORE_QCAPS: u16 = 0x192;
    pub const FUNC_BACKING_STORE_QCFG: u16 = 0x194;
    pub const FUNC_QSTATS_EXT: u16 = 0x198;
    pub const FUNC_PTP_PIN_QCFG: u16 = 0x19c;
    pub const FUNC_PTP_EXT_QCFG: u16 = 0x1a1;
    pub const FUNC_BACKING_STORE_QCFG_V2: u16 = 0x1a4;
    pub const FUNC_BACKING_STORE_QCAPS_V2: u16 = 0x1a8;
    pub const FUNC_SYNCE_QCFG: u16 = 0x1ac;
    pub const FUNC_TTX_PACING_RATE_PROF_QUERY: u16 = 0x1c3;
    pub const SELFTEST_QLIST: u16 = 0x200;
    pub const SELFTEST_RETRIEVE_SERDES_DATA: u16 = 0x203;
    pub const PCIE_QSTATS: u16 = 0x204;
    pub const STAT_GENERIC_QSTATS: u16 = 0x218;
    pub const PORT_PHY_FDRSTAT: u16 = 0x232;
    pub const DBG_SERDES_TEST: u16 = 0xff0e;
    pub const DBG_LOG_BUFFER_FLUSH: u16 = 0xff0f;
    pub const DBG_READ_DIRECT: u16 = 0xff10;
    pub const DBG_READ_INDIRECT: u16 = 0xff11;
    pub const DBG_ERASE_NVM: u16 = 0xff15;
    pub const DBG_CFG: u16 = 0xff16;
    pub const DBG_COREDUMP_LIST: u16 = 0xff17;
    pub const DBG_COREDUMP_INITIATE: u16 = 0xff18;
    pub const DBG_COREDUMP_RETRIEVE: u16 = 0xff19;
    pub const DBG_RING_INFO_GET: u16 = 0xff1c;
    pub const DBG_QCAPS: u16 = 0xff20;
    pub const DBG_QCFG: u16 = 0xff21;
    pub const DBG_USEQ_FLUSH: u16 = 0xff25;
    pub const DBG_USEQ_QCAPS: u16 = 0xff26;
    pub const DBG_PTRACE: u16 = 0xff2d;
    pub const DBG_SIM_CABLE_STATE: u16 = 0xff2e;
    pub const DBG_TOKEN_QUERY_AUTH_IDS: u16 = 0xff2f;
    pub const DBG_TOKEN_CFG: u16 = 0xff30;
    pub const NVM_DEFRAG: u16 = 0xffec;
    pub const NVM_FACTORY_DEFAULTS: u16 = 0xffee;
    pub const NVM_FLUSH: u16 = 0xfff0;
    pub const NVM_GET_VARIABLE: u16 = 0xfff1;
    pub const NVM_SET_VARIABLE: u16 = 0xfff2;
    pub const NVM_MODIFY: u16 = 0xfff4;
    pub const NVM_VERIFY_UPDATE: u16 = 0xfff5;
    pub const NVM_GET_DEV_INFO: u16 = 0xfff6;
    pub const NVM_ERASE_DIR_ENTRY: u16 = 0xfff7;
    pub const NVM_MOD_DIR_ENTRY: u16 = 0xfff8;
    pub const NVM_FIND_DIR_ENTRY: u16 = 0xfff9;
    pub const NVM_GET_DIR_ENTRIES: u16 = 0xfffa;
    pub const NVM_GET_DIR_INFO: u16 = 0xfffb;
    pub const NVM_RAW_DUMP: u16 = 0xfffc;
    pub const NVM_READ: u16 = 0xfffd;
    pub const NVM_WRITE: u16 = 0xfffe;
    pub const NVM_RAW_WRITE_BLK: u16 = 0xffff;
}

use RpcScope::{Configuration as CFG, DebugReadOnly as DRO, DebugWrite as DW, DebugWriteFull as DWF};

macro_rules! cmds {
    ($scope:expr => $($name:ident),* $(,)?) => {
        [$(Command { req_type: req::$name, name: stringify!($name), scope: $scope }),*]
    };
}

/// The driver's `switch` in `bnxtctl_validate_rpc`: commands without host buffers.
pub const SWITCH_CONFIGURATION: [Command; 15] = cmds!(CFG =>
    FUNC_RESET, PORT_CLR_STATS, FW_RESET, FW_SYNC, FW_SET_TIME, DBG_LOG_BUFFER_FLUSH, DBG_ERASE_NVM, DBG_CFG,
    NVM_DEFRAG, NVM_FACTORY_DEFAULTS, NVM_FLUSH, NVM_VERIFY_UPDATE, NVM_ERASE_DIR_ENTRY, NVM_MOD_DIR_ENTRY,
    NVM_FIND_DIR_ENTRY);
/// The `DEBUG_READ_ONLY` cases of the switch.
pub const SWITCH_DEBUG_READ_ONLY: [Command; 55] = cmds!(DRO =>
    VER_GET, ERROR_RECOVERY_QCFG, FUNC_QCAPS, FUNC_QCFG, FUNC_QSTATS, PORT_PHY_QCFG, PORT_MAC_QCFG,
    PORT_PHY_QCAPS, PORT_PHY_I2C_READ, PORT_PHY_MDIO_READ, QUEUE_PRI2COS_QCFG, QUEUE_COS2BW_QCFG, VNIC_RSS_QCFG,
    QUEUE_GLOBAL_QCFG, QUEUE_ADPTV_QOS_RX_FEATURE_QCFG, QUEUE_ADPTV_QOS_TX_FEATURE_QCFG, QUEUE_QCAPS,
    QUEUE_ADPTV_QOS_RX_TUNING_QCFG, QUEUE_ADPTV_QOS_TX_TUNING_QCFG, TUNNEL_DST_PORT_QUERY, PORT_TX_FIR_QCFG,
    FW_LIVEPATCH_QUERY, FW_QSTATUS, FW_HEALTH_CHECK, FW_GET_TIME, PORT_EP_TX_QCFG, PORT_QCFG, PORT_MAC_QCAPS,
    TEMP_MONITOR_QUERY, REG_POWER_QUERY, CORE_FREQUENCY_QUERY, CFA_REDIRECT_QUERY_TUNNEL_TYPE,
    CFA_ADV_FLOW_MGNT_QCAPS, FUNC_RESOURCE_QCAPS, FUNC_BACKING_STORE_QCAPS, FUNC_BACKING_STORE_QCFG,
    FUNC_QSTATS_EXT, FUNC_PTP_PIN_QCFG, FUNC_PTP_EXT_QCFG, FUNC_BACKING_STORE_QCFG_V2,
    FUNC_BACKING_STORE_QCAPS_V2, FUNC_SYNCE_QCFG, FUNC_TTX_PACING_RATE_PROF_QUERY, PORT_PHY_FDRSTAT,
    DBG_RING_INFO_GET, DBG_QCAPS, DBG_QCFG, DBG_USEQ_FLUSH, DBG_USEQ_QCAPS, DBG_SIM_CABLE_STATE,
    DBG_TOKEN_QUERY_AUTH_IDS, NVM_GET_DEV_INFO, NVM_GET_DIR_INFO, SELFTEST_QLIST, DBG_COREDUMP_INITIATE);
/// The `DEBUG_WRITE` cases of the switch.
pub const SWITCH_DEBUG_WRITE: [Command; 2] = cmds!(DW => PORT_PHY_I2C_WRITE, PORT_PHY_MDIO_WRITE);

const fn simple(offset: usize, dir: Dir, len_offset: usize, len_width: u8) -> DmaField {
    DmaField { offset, dir, len_offset, len_width, len_unit: 1, buf_len: 0 }
}
const fn unit(offset: usize, dir: Dir, len_offset: usize, len_width: u8, len_unit: u8) -> DmaField {
    DmaField { offset, dir, len_offset, len_width, len_unit, buf_len: 0 }
}
const fn fixed(offset: usize, dir: Dir, buf_len: u32) -> DmaField {
    DmaField { offset, dir, len_offset: 0, len_width: 0, len_unit: 0, buf_len }
}

/// `sizeof(struct tx_port_stats)` (408 bytes in Broadcom `bnxt_hsi.h` 1.10.2.164 and the 1.10.3.151 kernel header).
pub const TX_PORT_STATS_SIZE: u32 = 408;
/// `sizeof(struct rx_port_stats)` (528 bytes in Broadcom `bnxt_hsi.h` 1.10.2.164 and the 1.10.3.151 kernel header).
pub const RX_PORT_STATS_SIZE: u32 = 528;

use Dir::{FromDevice as FROM, ToDevice as TO};
use Layout::{Hsi151, Inferred, Kernel};

macro_rules! dma {
    ($name:ident, $scope:expr, $size:expr, $layout:expr, [$($f:expr),+ $(,)?]) => {
        DmaCommand { req_type: req::$name, scope: $scope, req_size: $size, fields: &[$($f),+], layout: $layout }
    };
}

/// `bnxtctl_dma_cmds`, in the driver's order. Where a layout was read is in
/// each entry; the 1.10.3.151 header ([`Layout::Hsi151`]) wins where headers
/// differ (Broadcom's out-of-tree 1.10.2.164 had NVM_RAW_WRITE_BLK and
/// NVM_RAW_DUMP 8 bytes shorter), since it is the interface the simulated
/// firmware reports.
pub const DMA_COMMANDS: [DmaCommand; 32] = [
    // hwrm_nvm_set_variable_input (40 B): src_data_addr@16, le16 data_len@24
    dma!(NVM_SET_VARIABLE, CFG, 40, Kernel, [simple(16, TO, 24, 2)]),
    // hwrm_nvm_get_variable_input (40 B): dest_data_addr@16, le16 data_len@24
    dma!(NVM_GET_VARIABLE, CFG, 40, Kernel, [simple(16, FROM, 24, 2)]),
    // hwrm_nvm_read_input (40 B): host_dest_addr@16, dir_idx@24, offset@28, le32 len@32
    dma!(NVM_READ, DRO, 40, Kernel, [simple(16, FROM, 32, 4)]),
    // hwrm_nvm_get_dir_entries_input (24 B): host_dest_addr@16, fixed MAX_DMABUF
    dma!(NVM_GET_DIR_ENTRIES, DRO, 24, Kernel, [fixed(16, FROM, MAX_DMABUF)]),
    // hwrm_nvm_write_input (56 B): host_src_addr@16, le32 dir_data_length@32
    dma!(NVM_WRITE, DW, 56, Kernel, [simple(16, TO, 32, 4)]),
    // hwrm_nvm_modify_input (40 B): host_src_addr@16, dir_idx@24, offset@28, le32 len@32
    dma!(NVM_MODIFY, DW, 40, Kernel, [simple(16, TO, 32, 4)]),
    // hwrm_nvm_raw_write_blk_input (40 B): host_src_addr@16, dest_addr@24, le32 len@28, flags@32
    // (1.10.2.164 had 32 B, without flags)
    dma!(NVM_RAW_WRITE_BLK, DWF, 40, Hsi151, [simple(16, TO, 28, 4)]),
    // hwrm_nvm_raw_dump_input (40 B): host_dest_addr@16, offset@24, le32 len@28, flags@32
    // (1.10.2.164 had 32 B, without flags)
    dma!(NVM_RAW_DUMP, DRO, 40, Hsi151, [simple(16, FROM, 28, 4)]),
    // hwrm_fw_get_structured_data_input (32 B): dest_data_addr@16, le16 data_len@24
    dma!(FW_GET_STRUCTURED_DATA, DRO, 32, Hsi151, [simple(16, FROM, 24, 2)]),
    // hwrm_fw_set_structured_data_input (32 B): src_data_addr@16, le16 data_len@24
    dma!(FW_SET_STRUCTURED_DATA, DW, 32, Hsi151, [simple(16, TO, 24, 2)]),
    // hwrm_fw_livepatch_input (32 B): opcode@16 .. le32 patch_len@20, host_addr@24
    dma!(FW_LIVEPATCH, DWF, 32, Hsi151, [simple(24, TO, 20, 4)]),
    // hwrm_dbg_coredump_list_input (32 B): host_dest_addr@16, le32 host_buf_len@24
    dma!(DBG_COREDUMP_LIST, DRO, 32, Kernel, [simple(16, FROM, 24, 4)]),
    // hwrm_dbg_coredump_retrieve_input (56 B): host_dest_addr@16, le32 host_buf_len@24
    dma!(DBG_COREDUMP_RETRIEVE, DRO, 56, Kernel, [simple(16, FROM, 24, 4)]),
    // hwrm_dbg_read_direct_input (32 B): host_dest_addr@16, read_addr@24, le32 read_len32@28 (words)
    dma!(DBG_READ_DIRECT, DRO, 32, Kernel, [unit(16, FROM, 28, 4, 4)]),
    // hwrm_dbg_read_indirect_input (80 B): host_dest_addr@16, le32 host_dest_addr_len@24
    dma!(DBG_READ_INDIRECT, DRO, 80, Hsi151, [simple(16, FROM, 24, 4)]),
    // hwrm_dbg_serdes_test_input (40 B): resp_data_addr@16, resp_data_offset@24, le16 data_len@28
    dma!(DBG_SERDES_TEST, DRO, 40, Hsi151, [simple(16, FROM, 28, 2)]),
    // hwrm_dbg_token_cfg_input (32 B): flags@16, le32 dbg_token_len@20, host_src_addr@24
    dma!(DBG_TOKEN_CFG, DWF, 32, Hsi151, [simple(24, TO, 20, 4)]),
    // hwrm_queue_dscp2pri_qcfg_input (32 B): dest_data_addr@16, port_id@24, le16 dest_data_buffer_size@26
    dma!(QUEUE_DSCP2PRI_QCFG, DRO, 32, Hsi151, [simple(16, FROM, 26, 2)]),
    // hwrm_port_qstats_input (40 B): tx_stat_host_addr@24, rx_stat_host_addr@32, fixed struct sizes
    dma!(
        PORT_QSTATS,
        DRO,
        40,
        Hsi151,
        [fixed(24, FROM, TX_PORT_STATS_SIZE), fixed(32, FROM, RX_PORT_STATS_SIZE)]
    ),
    // hwrm_port_qstats_ext_input (40 B): le16 tx_stat_size@18, le16 rx_stat_size@20, tx@24, rx@32
    dma!(PORT_QSTATS_EXT, DRO, 40, Hsi151, [simple(24, FROM, 18, 2), simple(32, FROM, 20, 2)]),
    // hwrm_port_qstats_ext_pfc_adv_input (40 B): port_id@16, le16 pfc_adv_stat_size@18, tx@24, rx@32
    dma!(PORT_QSTATS_EXT_PFC_ADV, DRO, 40, Hsi151, [simple(24, FROM, 18, 2), simple(32, FROM, 18, 2)]),
    // hwrm_pcie_qstats_input (32 B): le16 pcie_stat_size@16, pcie_stat_host_addr@24
    dma!(PCIE_QSTATS, DRO, 32, Hsi151, [simple(24, FROM, 16, 2)]),
    // hwrm_stat_generic_qstats_input (32 B): le16 generic_stat_size@16, generic_stat_host_addr@24
    dma!(STAT_GENERIC_QSTATS, DRO, 32, Hsi151, [simple(24, FROM, 16, 2)]),
    // hwrm_stat_query_roce_stats_input (32 B): le16 roce_stat_size@16, roce_stat_host_addr@24
    dma!(STAT_QUERY_ROCE_STATS, DRO, 32, Hsi151, [simple(24, FROM, 16, 2)]),
    // hwrm_stat_query_roce_stats_ext_input (32 B): as above
    dma!(STAT_QUERY_ROCE_STATS_EXT, DRO, 32, Hsi151, [simple(24, FROM, 16, 2)]),
    // hwrm_port_events_log_input (32 B): host_dest_addr@16, le32 host_dest_addr_len@24
    dma!(PORT_EVENTS_LOG, DRO, 32, Hsi151, [simple(16, FROM, 24, 4)]),
    // hwrm_port_prbs_test_input (48 B): resp_data_addr@16, le16 data_len@24
    dma!(PORT_PRBS_TEST, DRO, 48, Hsi151, [simple(16, FROM, 24, 2)]),
    // hwrm_port_dsc_dump_input (40 B): resp_data_addr@16, le16 data_len@24
    dma!(PORT_DSC_DUMP, DRO, 40, Hsi151, [simple(16, FROM, 24, 2)]),
    // hwrm_sch_grp_cfg_input (88 B): sch_grp_id@16, le16 num_fids@18 (16-bit FIDs), fid_table_addr@24
    dma!(SCH_GRP_CFG, DW, 88, Hsi151, [unit(24, TO, 18, 2, 2)]),
    // hwrm_sch_grp_qcfg_input (32 B): sch_grp_id@16, le16 fid_table_len@18, fid_table_addr@24
    dma!(SCH_GRP_QCFG, DRO, 32, Hsi151, [simple(24, FROM, 18, 2)]),
    // hwrm_selftest_retrieve_serdes_data_input (40 B): resp_data_addr@16, le16 data_len@28
    dma!(SELFTEST_RETRIEVE_SERDES_DATA, DRO, 40, Hsi151, [simple(16, FROM, 28, 2)]),
    // hwrm_dbg_ptrace_input: pdi_cmd_buf_addr@16 (to), pdi_resp_buf_addr@24 (from), le32 pdi_req_buf_len@32 (inferred, 40 B)
    dma!(DBG_PTRACE, DW, 40, Inferred, [simple(16, TO, 32, 4), simple(24, FROM, 32, 4)]),
];

/// `bnxtctl_find_dma_desc`.
pub fn find_dma(req_type: u16) -> Option<&'static DmaCommand> {
    DMA_COMMANDS.iter().find(|d| d.req_type == req_type)
}

/// The driver's name for `req_type`, when it knows the command.
pub fn name(req_type: u16) -> Option<&'static str> {
    command(req_type).map(|c| c.name)
}

/// Every command the driver allows at some scope (switch and DMA table) as a
/// [`Command`]; `None` for a request type it refuses at every scope.
pub fn command(req_type: u16) -> Option<Command> {
    if let Some(d) = find_dma(req_type) {
        return Some(Command { req_type, name: dma_name(req_type), scope: d.scope });
    }
    SWITCH_CONFIGURATION
        .iter()
        .chain(SWITCH_DEBUG_READ_ONLY.iter())
        .chain(SWITCH_DEBUG_WRITE.iter())
        .find(|c| c.req_type == req_type)
        .copied()
}

fn dma_name(req_type: u16) -> &'static str {
    match req_type {
        req::NVM_SET_VARIABLE => "NVM_SET_VARIABLE",
        req::NVM_GET_VARIABLE => "NVM_GET_VARIABLE",
        req::NVM_READ => "NVM_READ",
        req::NVM_GET_DIR_ENTRIES => "NVM_GET_DIR_ENTRIES",
        req::NVM_WRITE => "NVM_WRITE",
        req::NVM_MODIFY => "NVM_MODIFY",
        req::NVM_RAW_WRITE_BLK => "NVM_RAW_WRITE_BLK",
        req::NVM_RAW_DUMP => "NVM_RAW_DUMP",
        req::FW_GET_STRUCTURED_DATA => "FW_GET_STRUCTURED_DATA",
        req::FW_SET_STRUCTURED_DATA => "FW_SET_STRUCTURED_DATA",
        req::FW_LIVEPATCH => "FW_LIVEPATCH",
        req::DBG_COREDUMP_LIST => "DBG_COREDUMP_LIST",
        req::DBG_COREDUMP_RETRIEVE => "DBG_COREDUMP_RETRIEVE",
        req::DBG_READ_DIRECT => "DBG_READ_DIRECT",
        req::DBG_READ_INDIRECT => "DBG_READ_INDIRECT",
        req::DBG_SERDES_TEST => "DBG_SERDES_TEST",
        req::DBG_TOKEN_CFG => "DBG_TOKEN_CFG",
        req::QUEUE_DSCP2PRI_QCFG => "QUEUE_DSCP2PRI_QCFG",
        req::PORT_QSTATS => "PORT_QSTATS",
        req::PORT_QSTATS_EXT => "PORT_QSTATS_EXT",
        req::PORT_QSTATS_EXT_PFC_ADV => "PORT_QSTATS_EXT_PFC_ADV",
        req::PCIE_QSTATS => "PCIE_QSTATS",
        req::STAT_GENERIC_QSTATS => "STAT_GENERIC_QSTATS",
        req::STAT_QUERY_ROCE_STATS => "STAT_QUERY_ROCE_STATS",
        req::STAT_QUERY_ROCE_STATS_EXT => "STAT_QUERY_ROCE_STATS_EXT",
        req::PORT_EVENTS_LOG => "PORT_EVENTS_LOG",
        req::PORT_PRBS_TEST => "PORT_PRBS_TEST",
        req::PORT_DSC_DUMP => "PORT_DSC_DUMP",
        req::SCH_GRP_CFG => "SCH_GRP_CFG",
        req::SCH_GRP_QCFG => "SCH_GRP_QCFG",
        req::SELFTEST_RETRIEVE_SERDES_DATA => "SELFTEST_RETRIEVE_SERDES_DATA",
        req::DBG_PTRACE => "DBG_PTRACE",
        _ => "?",
    }
}

/// Every command the driver allows, switch then DMA table.
pub fn all_commands() -> Vec<Command> {
    let mut v: Vec<Command> = SWITCH_CONFIGURATION
        .iter()
        .chain(SWITCH_DEBUG_READ_ONLY.iter())
        .chain(SWITCH_DEBUG_WRITE.iter())
        .copied()
        .collect();
    v.extend(DMA_COMMANDS.iter().map(|d| Command {
        req_type: d.req_type,
        name: dma_name(d.req_type),
        scope: d.scope,
    }));
    v
}

/// Parse a request type: a number (`0x0`, `65533`) or a name with or without
/// the `HWRM_` prefix, any case (`ver_get`, `HWRM_NVM_READ`).
pub fn parse_req_type(s: &str) -> Option<u16> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u16::from_str_radix(hex, 16).ok();
    }
    if let Ok(n) = t.parse::<u16>() {
        return Some(n);
    }
    let up = t.to_ascii_uppercase();
    let up = up.strip_prefix("HWRM_").unwrap_or(&up);
    all_commands().into_iter().find(|c| c.name == up).map(|c| c.req_type)
}
