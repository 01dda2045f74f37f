//! The simulated bnxt function behind the bnxt fwctl driver's rules, through
//! the plugin path (the SDK's v2 vtable in-process, the cdylib loaded with
//! dlopen, and fwctld's frame memory): HWRM framing and the driver's length
//! limits, its scope table with EPERM refusals, the in-band `error_code` rule
//! with `out_len` unchanged, INFO, and the DMA-descriptor commands reading and
//! writing the caller's buffers. Facts restated from
//! `drivers/fwctl/bnxt/main.c` @98f21c5, `include/uapi/fwctl/bnxt.h` and
//! `include/linux/bnxt/hsi.h` (torvalds/linux @82ee502, and at HWRM 1.10.3.151
//! as stored at intel-lab-lkp/linux @4157ebfe4c10: `HWRM_SCH_GRP_CFG`/`_QCFG`
//! and the layouts marked `Layout::Hsi151`).
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::sync::Arc;

use fwctl_bnxt_sim::hsi::{self, Dir, Layout, req};
use fwctl_bnxt_sim::{self as bnxt, VerGet};
use fwctl_core::plugin::{LoadOptions, PluginLibrary};
use fwctl_core::{Credentials, DeviceType, Errno, Handle, RpcScope, SegmentMemory, Subsystem};
use fwctl_tests::plugins::cargo_cdylib;

const RPC: u32 = 0x9A01;
const ARG: u64 = 0x7f00_0000_0000;
const IN: u64 = 0x7f00_1000_0000;
const OUT: u64 = 0x7f00_2000_0000;
const BUF0: u64 = 0x7f00_3000_0000;
const BUF1: u64 = 0x7f00_4000_0000;
const UNMAPPED: u64 = 0x6000_0000_0000;

#[test]
fn golden_layout_and_numbers_from_the_kernel_headers() {
    // struct input / hwrm_cmd_hdr: le16 req_type, cmpl_ring, seq_id, target_id; le64 resp_addr.
    assert_eq!(hsi::INPUT_SIZE, 2 + 2 + 2 + 2 + 8);
    // struct output / hwrm_resp_hdr: le16 error_code, req_type, seq_id, resp_len.
    assert_eq!(hsi::OUTPUT_SIZE, 2 + 2 + 2 + 2);
    assert_eq!(hsi::HWRM_MAX_REQ_LEN, 128);
    // enum fwctl_bnxt_commands: INLINE 0, QUERY 1, SEND 2, DMA 3; open_uctx sets all four.
    assert_eq!((hsi::caps::INLINE_COMMANDS, hsi::caps::QUERY_COMMANDS, hsi::caps::SEND_COMMANDS), (0, 1, 2));
    assert_eq!((hsi::caps::DMA_COMMANDS, hsi::caps::OPEN_UCTX), (3, 0xf));
    // struct cmd_nums.
    for (t, n) in [
        (req::VER_GET, 0x0),
        (req::FUNC_RESET, 0x11),
        (req::PORT_QSTATS, 0x23),
        (req::PORT_PHY_I2C_WRITE, 0x2b),
        (req::PORT_PHY_I2C_READ, 0x2c),
        (req::PORT_EVENTS_LOG, 0x67),
        // hsi.h at 1.10.3.151 (intel-lab-lkp/linux @4157ebfe4c10, struct cmd_nums).
        (req::SCH_GRP_CFG, 0x73),
        (req::SCH_GRP_QCFG, 0x74),
        (req::PORT_QSTATS_EXT_PFC_ADV, 0xba),
        (req::FW_LIVEPATCH, 0xbf),
        (req::PORT_PHY_FDRSTAT, 0x232),
        (req::DBG_READ_DIRECT, 0xff10),
        (req::DBG_COREDUMP_INITIATE, 0xff18),
        (req::DBG_PTRACE, 0xff2d),
        (req::DBG_TOKEN_CFG, 0xff30),
        (req::NVM_DEFRAG, 0xffec),
        (req::NVM_GET_DIR_ENTRIES, 0xfffa),
        (req::NVM_READ, 0xfffd),
        (req::NVM_RAW_WRITE_BLK, 0xffff),
    ] {
        assert_eq!(t, n);
    }
    // Request layouts read from the kernel's hsi.h (sizeof and field offsets).
    let nvm_read = hsi::find_dma(req::NVM_READ).unwrap();
    assert_eq!((nvm_read.req_size, nvm_read.layout), (40, Layout::Kernel));
    assert_eq!(
        (nvm_read.fields[0].offset, nvm_read.fields[0].len_offset, nvm_read.fields[0].len_width),
        (16, 32, 4)
    );
    let get_var = hsi::find_dma(req::NVM_GET_VARIABLE).unwrap();
    assert_eq!((get_var.req_size, get_var.fields[0].len_offset, get_var.fields[0].len_width), (40, 24, 2));
    assert_eq!(hsi::find_dma(req::NVM_WRITE).unwrap().req_size, 56);
    assert_eq!(hsi::find_dma(req::DBG_COREDUMP_RETRIEVE).unwrap().req_size, 56);
    // read_len32 counts 32-bit words; NVM_GET_DIR_ENTRIES has the fixed MAX_DMABUF.
    assert_eq!(hsi::find_dma(req::DBG_READ_DIRECT).unwrap().fields[0].len_unit, 4);
    assert_eq!(hsi::find_dma(req::NVM_GET_DIR_ENTRIES).unwrap().fields[0].buf_len, hsi::MAX_DMABUF);
    // Two buffers: PORT_QSTATS (fixed tx/rx stats) and DBG_PTRACE (to then from the device).
    let q = hsi::find_dma(req::PORT_QSTATS).unwrap();
    assert_eq!(q.fields.iter().map(|f| (f.offset, f.buf_len)).collect::<Vec<_>>(), [(24, 408), (32, 528)]);
    let p = hsi::find_dma(req::DBG_PTRACE).unwrap();
    assert_eq!(p.fields.iter().map(|f| f.dir).collect::<Vec<_>>(), [Dir::ToDevice, Dir::FromDevice]);
    // Layouts from hsi.h at 1.10.3.151 (struct hwrm_*_input: sizeof, address
    // offset, length offset and width, unit), as bnxtctl_dma_cmds names the fields.
    let lay = |t| {
        let d = hsi::find_dma(t).unwrap();
        let f: Vec<_> = d.fields.iter().map(|f| (f.offset, f.len_offset, f.len_width, f.len_unit)).collect();
        (d.req_size, d.layout, f)
    };
    // sch_grp_cfg: sch_grp_id@16, num_fids@18 (counts 16-bit FIDs), fid_table_addr@24; 88 B.
    assert_eq!(lay(req::SCH_GRP_CFG), (88, Layout::Hsi151, vec![(24, 18, 2, 2)]));
    // sch_grp_qcfg: sch_grp_id@16, fid_table_len@18, fid_table_addr@24; 32 B.
    assert_eq!(lay(req::SCH_GRP_QCFG), (32, Layout::Hsi151, vec![(24, 18, 2, 1)]));
    // dbg_serdes_test: resp_data_addr@16, resp_data_offset@24, le16 data_len@28; 40 B.
    assert_eq!(lay(req::DBG_SERDES_TEST), (40, Layout::Hsi151, vec![(16, 28, 2, 1)]));
    // dbg_token_cfg: flags@16, le32 dbg_token_len@20, host_src_addr@24; 32 B.
    assert_eq!(lay(req::DBG_TOKEN_CFG), (32, Layout::Hsi151, vec![(24, 20, 4, 1)]));
    // port_qstats_ext_pfc_adv: port_id@16, pfc_adv_stat_size@18, tx@24, rx@32; 40 B.
    assert_eq!(lay(req::PORT_QSTATS_EXT_PFC_ADV), (40, Layout::Hsi151, vec![(24, 18, 2, 1), (32, 18, 2, 1)]));
    // stat_query_roce_stats(_ext): roce_stat_size@16, roce_stat_host_addr@24; 32 B.
    assert_eq!(lay(req::STAT_QUERY_ROCE_STATS), (32, Layout::Hsi151, vec![(24, 16, 2, 1)]));
    assert_eq!(lay(req::STAT_QUERY_ROCE_STATS_EXT), (32, Layout::Hsi151, vec![(24, 16, 2, 1)]));
    // port_events_log: host_dest_addr@16, le32 host_dest_addr_len@24; 32 B.
    assert_eq!(lay(req::PORT_EVENTS_LOG), (32, Layout::Hsi151, vec![(16, 24, 4, 1)]));
    // nvm_raw_write_blk / nvm_raw_dump grew a flags byte (+7 unused) since 1.10.2.164: 40 B.
    assert_eq!(lay(req::NVM_RAW_WRITE_BLK), (40, Layout::Hsi151, vec![(16, 28, 4, 1)]));
    assert_eq!(lay(req::NVM_RAW_DUMP), (40, Layout::Hsi151, vec![(16, 28, 4, 1)]));
    // Unchanged since 1.10.2.164, re-read at 1.10.3.151.
    assert_eq!(lay(req::QUEUE_DSCP2PRI_QCFG), (32, Layout::Hsi151, vec![(16, 26, 2, 1)]));
    assert_eq!(lay(req::PORT_PRBS_TEST), (48, Layout::Hsi151, vec![(16, 24, 2, 1)]));
    assert_eq!(lay(req::PORT_DSC_DUMP), (40, Layout::Hsi151, vec![(16, 24, 2, 1)]));
    // Every layout but one now comes from a kernel header.
    assert_eq!(hsi::DMA_COMMANDS.iter().filter(|d| d.layout == Layout::Inferred).count(), 1);
    // hwrm_dbg_ptrace_input is in no header read: still the inferred shape.
    assert_eq!(hsi::find_dma(req::DBG_PTRACE).unwrap().layout, Layout::Inferred);
    // The scope table: minimums as bnxtctl_validate_rpc / bnxtctl_dma_cmds give them.
    for (t, s) in [
        (req::VER_GET, RpcScope::DebugReadOnly),
        (req::FUNC_RESET, RpcScope::Configuration),
        (req::NVM_SET_VARIABLE, RpcScope::Configuration),
        (req::PORT_PHY_MDIO_WRITE, RpcScope::DebugWrite),
        (req::NVM_WRITE, RpcScope::DebugWrite),
        (req::FW_LIVEPATCH, RpcScope::DebugWriteFull),
        (req::DBG_TOKEN_CFG, RpcScope::DebugWriteFull),
        (req::SCH_GRP_CFG, RpcScope::DebugWrite),
        (req::SCH_GRP_QCFG, RpcScope::DebugReadOnly),
    ] {
        assert_eq!(hsi::command(t).map(|c| c.scope), Some(s), "{t:#x}");
    }
    // Not in the driver's table (e.g. HWRM_FUNC_CFG 0x17): refused at every scope.
    assert_eq!(hsi::command(0x17), None);
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

struct Call {
    result: Result<(), Errno>,
    out_len: u32,
    out: Vec<u8>,
    bufs: [Vec<u8>; 2],
}

/// One FWCTL_RPC through the dispatcher with two extra caller buffers mapped
/// at BUF0 and BUF1 (`None`: left unmapped; `ro`: mapped read-only).
fn call(h: &Handle, scope: RpcScope, req: &[u8], out_len: u32, bufs: [Option<Vec<u8>>; 2], ro: bool) -> Call {
    let mut mem = SegmentMemory::new();
    let arg: Vec<u8> = [32u32, scope as u32, req.len() as u32, out_len]
        .iter()
        .flat_map(|w| w.to_ne_bytes())
        .chain(IN.to_ne_bytes())
        .chain(OUT.to_ne_bytes())
        .collect();
    mem.map_owned(ARG, arg).map_owned(IN, req.to_vec()).map_owned(OUT, vec![0xEE; out_len as usize]);
    let [b0, b1] = bufs;
    let ro_copies: Vec<Vec<u8>> = [&b0, &b1].iter().map(|b| (*b).clone().unwrap_or_default()).collect();
    for (addr, b, copy) in [(BUF0, b0, &ro_copies[0]), (BUF1, b1, &ro_copies[1])] {
        match b {
            Some(_) if ro => {
                mem.map_ro(addr, copy);
            }
            Some(b) => {
                mem.map_owned(addr, b);
            }
            None => {}
        }
    }
    let me = Credentials { cap_sys_rawio: true, ..Credentials::default() };
    let result = h.ioctl(&me, RPC, ARG, &mut mem);
    let arg = mem.take_owned(ARG).unwrap();
    Call {
        result,
        out_len: u32::from_ne_bytes(arg[12..16].try_into().unwrap()),
        out: mem.take_owned(OUT).unwrap(),
        bufs: [mem.take_owned(BUF0).unwrap_or_default(), mem.take_owned(BUF1).unwrap_or_default()],
    }
}

fn plain(h: &Handle, scope: RpcScope, req: &[u8], out_len: u32) -> Call {
    call(h, scope, req, out_len, [None, None], false)
}

fn nvm_read(dir_idx: u16, offset: u32, len: u32, dest: u64) -> Vec<u8> {
    bnxt::request(
        req::NVM_READ,
        7,
        &[
            (16, &dest.to_le_bytes()),
            (24, &dir_idx.to_le_bytes()),
            (28, &offset.to_le_bytes()),
            (32, &len.to_le_bytes()),
        ],
        40,
    )
}

fn nvm_modify(dir_idx: u16, offset: u32, len: u32, src: u64) -> Vec<u8> {
    bnxt::request(
        req::NVM_MODIFY,
        8,
        &[
            (16, &src.to_le_bytes()),
            (24, &dir_idx.to_le_bytes()),
            (28, &offset.to_le_bytes()),
            (32, &len.to_le_bytes()),
        ],
        40,
    )
}

fn setup(lib: &Arc<PluginLibrary>, config: &str) -> (Subsystem, Handle) {
    let fwctl = Subsystem::new();
    let minor = fwctl.register(lib.probe(config).unwrap().remove(0)).unwrap();
    let h = fwctl.open(minor, &Credentials::default()).unwrap();
    (fwctl, h)
}

fn in_process() -> Arc<PluginLibrary> {
    PluginLibrary::from_static(&bnxt::VTABLE, "bnxt-sim").unwrap()
}

fn behaves_like_the_bnxt_driver(lib: &Arc<PluginLibrary>) {
    use RpcScope::*;
    assert_eq!(lib.device_type(), DeviceType::Bnxt);
    let (_fwctl, h) = setup(lib, "");
    // INFO: struct fwctl_info_bnxt { u32 uctx_caps }, length 4, all four caps.
    let mut data = [0xAAu8; 8];
    let info = h.info(&Credentials::default(), &mut data).unwrap();
    assert_eq!((info.device_type, info.device_data_len), (DeviceType::Bnxt.as_u32(), 4));
    assert_eq!((u32::from_ne_bytes(data[..4].try_into().unwrap()), &data[4..]), (0xf, &[0u8; 4][..]));

    // VER_GET at debug-read-only: out_len stays the caller's, the rest of the buffer zero.
    let ver = bnxt::request(req::VER_GET, 0x1234, &[(16, &[1, 10, 3])], 24);
    let c = plain(&h, DebugReadOnly, &ver, 256);
    assert_eq!((c.result, c.out_len), (Ok(()), 256));
    assert_eq!((le16(&c.out, 0), le16(&c.out, 2), le16(&c.out, 4), le16(&c.out, 6)), (0, 0, 0x1234, 176));
    assert_eq!(c.out[175], 1, "valid");
    assert_eq!(c.out[176..], [0u8; 80], "kvzalloc'd tail");
    let v = VerGet::parse(&c.out).unwrap();
    assert_eq!((v.hwrm_intf.as_str(), v.fw.as_str(), v.chip_num), ("1.10.3.151", "230.0.154.0", 0x1750));
    // A buffer shorter than the response: what fits, out_len still the caller's.
    let c = plain(&h, DebugReadOnly, &ver, 8);
    assert_eq!((c.result, c.out_len, le16(&c.out, 6)), (Ok(()), 8, 176));

    // Framing limits (EINVAL), before any scope check.
    let unknown = bnxt::request(0x17 /* FUNC_CFG: not in the table */, 1, &[], 16);
    assert_eq!(plain(&h, Configuration, &ver[..15], 64).result, Err(Errno::EINVAL), "in_len < 16");
    assert_eq!(plain(&h, Configuration, &[0u8; 129], 64).result, Err(Errno::EINVAL), "in_len > 128");
    assert_eq!(plain(&h, Configuration, &unknown, 7).result, Err(Errno::EINVAL), "out_len < 8");
    assert_eq!(
        plain(&h, DebugReadOnly, &bnxt::request(req::VER_GET, 1, &[], 128), 64).result,
        Ok(()),
        "128 fits"
    );
    // Refusals are EPERM: an unknown request type at any scope, a scope below the minimum.
    assert_eq!(plain(&h, DebugWriteFull, &unknown, 64).result, Err(Errno::EPERM));
    assert_eq!(plain(&h, Configuration, &ver, 256).result, Err(Errno::EPERM));

    // An unmodelled allowed command is delivered: in-band CMD_NOT_SUPPORTED.
    let temp = bnxt::request(req::TEMP_MONITOR_QUERY, 2, &[], 24);
    let c = plain(&h, DebugReadOnly, &temp, 32);
    assert_eq!((c.result, c.out_len, le16(&c.out, 0)), (Ok(()), 32, 0xffff));

    // DMA: NVM_GET_DIR_INFO then NVM_READ of item 0 into the caller's buffer.
    let c = plain(&h, DebugReadOnly, &bnxt::request(req::NVM_GET_DIR_INFO, 3, &[], 16), 24);
    let (entries, entry_len) = (le16(&c.out, 8), le16(&c.out, 12));
    assert!(entries >= 4 && entry_len == 24, "{entries} {entry_len}");
    let c = call(&h, DebugReadOnly, &nvm_read(0, 16, 32, BUF0), 16, [Some(vec![0xAA; 32]), None], false);
    assert_eq!((c.result, le16(&c.out, 0)), (Ok(()), 0));
    let first = c.bufs[0].clone();
    assert_ne!(first, vec![0xAA; 32], "the firmware's bytes arrived");
    // NVM_MODIFY (debug-write) from the caller's buffer changes what NVM_READ returns.
    let c = call(&h, DebugWrite, &nvm_modify(0, 16, 4, BUF0), 16, [Some(vec![1, 2, 3, 4]), None], true);
    assert_eq!((c.result, le16(&c.out, 0)), (Ok(()), 0));
    let c = call(&h, DebugReadOnly, &nvm_read(0, 16, 32, BUF0), 16, [Some(vec![0; 32]), None], false);
    assert_eq!((&c.bufs[0][..4], &c.bufs[0][4..]), (&[1u8, 2, 3, 4][..], &first[4..]));
    // A firmware failure is in-band (error_code), delivered; the zeroed DMA buffer is still copied out.
    let c = call(&h, DebugReadOnly, &nvm_read(99, 0, 8, BUF0), 16, [Some(vec![0xAA; 8]), None], false);
    assert_eq!((c.result, c.out_len, le16(&c.out, 0), &c.bufs[0][..]), (Ok(()), 16, 2, &[0u8; 8][..]));

    // DMA checks in the driver's order: exact in_len, then lengths (0, > 64 KiB), all EINVAL
    // even below the command's scope; then EPERM; then EFAULT on the caller's buffers.
    let mut long = nvm_read(0, 0, 8, BUF0);
    long.extend_from_slice(&[0; 8]);
    assert_eq!(plain(&h, Configuration, &long, 16).result, Err(Errno::EINVAL), "in_len != sizeof");
    assert_eq!(plain(&h, Configuration, &nvm_read(0, 0, 0, BUF0), 16).result, Err(Errno::EINVAL), "len 0");
    let big = nvm_read(0, 0, hsi::MAX_DMABUF + 1, BUF0);
    assert_eq!(plain(&h, Configuration, &big, 16).result, Err(Errno::EINVAL), "len > MAX_DMABUF");
    assert_eq!(plain(&h, Configuration, &nvm_read(0, 0, 8, BUF0), 16).result, Err(Errno::EPERM));
    assert_eq!(plain(&h, DebugReadOnly, &nvm_read(0, 0, 8, UNMAPPED), 16).result, Err(Errno::EFAULT));
    // A to-device buffer that is not readable: EFAULT before the command runs.
    let c = call(&h, DebugWrite, &nvm_modify(0, 16, 4, UNMAPPED), 16, [None, None], false);
    assert_eq!(c.result, Err(Errno::EFAULT));
    // A from-device buffer mapped read-only: the copy-out faults, the response is dropped.
    let c = call(&h, DebugReadOnly, &nvm_read(0, 0, 8, BUF0), 16, [Some(vec![0; 8]), None], true);
    assert_eq!((c.result, &c.out[..2]), (Err(Errno::EFAULT), &[0xEEu8, 0xEE][..]));
    // Shorter than the length field says: EFAULT as copy_to_user of the full length.
    let c = call(&h, DebugReadOnly, &nvm_read(0, 0, 16, BUF0), 16, [Some(vec![0; 8]), None], false);
    assert_eq!(c.result, Err(Errno::EFAULT));

    // DBG_READ_DIRECT: read_len32 counts words (3 words = 12 bytes).
    let rd = bnxt::request(
        req::DBG_READ_DIRECT,
        4,
        &[(16, &BUF0.to_le_bytes()), (24, &0x1000u32.to_le_bytes()), (28, &3u32.to_le_bytes())],
        32,
    );
    let c = call(&h, DebugReadOnly, &rd, 16, [Some(vec![0xAA; 16]), None], false);
    assert_eq!(c.result, Ok(()));
    assert!(c.bufs[0][..12].iter().any(|&b| b != 0xAA) && c.bufs[0][12..] == [0xAA; 4], "{:?}", c.bufs[0]);
    // PORT_QSTATS: two fixed-size from-device buffers (408 and 528 bytes).
    let qs = bnxt::request(req::PORT_QSTATS, 5, &[(24, &BUF0.to_le_bytes()), (32, &BUF1.to_le_bytes())], 40);
    let c = call(&h, DebugReadOnly, &qs, 16, [Some(vec![0; 408]), Some(vec![0; 528])], false);
    assert_eq!(c.result, Ok(()));
    assert!(c.bufs[0].iter().any(|&b| b != 0) && c.bufs[1].iter().any(|&b| b != 0));
    let c = call(&h, DebugReadOnly, &qs, 16, [Some(vec![0; 408]), None], false);
    assert_eq!(c.result, Err(Errno::EFAULT), "rx buffer unmapped");
    // NVM_SET_VARIABLE (configuration) then NVM_GET_VARIABLE returns it.
    let var = |t, addr: u64, len: u16, opt: u16| {
        bnxt::request(
            t,
            6,
            &[(16, &addr.to_le_bytes()), (24, &len.to_le_bytes()), (26, &opt.to_le_bytes())],
            40,
        )
    };
    let c = call(
        &h,
        Configuration,
        &var(req::NVM_SET_VARIABLE, BUF0, 4, 0x77),
        16,
        [Some(vec![9, 8, 7, 6]), None],
        true,
    );
    assert_eq!(c.result, Ok(()));
    let c = call(
        &h,
        Configuration,
        &var(req::NVM_GET_VARIABLE, BUF0, 4, 0x77),
        16,
        [Some(vec![0; 4]), None],
        false,
    );
    assert_eq!((c.result, &c.bufs[0][..]), (Ok(()), &[9u8, 8, 7, 6][..]));

    // SCH_GRP_CFG (debug-write) takes num_fids 16-bit FIDs from the caller;
    // SCH_GRP_QCFG (debug-read-only) gives them back and counts them.
    let cfg = |fids: u16| {
        bnxt::request(
            req::SCH_GRP_CFG,
            7,
            &[(16, &5u16.to_le_bytes()), (18, &fids.to_le_bytes()), (24, &BUF0.to_le_bytes())],
            88,
        )
    };
    let fids = vec![0x10, 0, 0x11, 0, 0x2a, 0];
    assert_eq!(
        call(&h, DebugReadOnly, &cfg(3), 16, [Some(fids.clone()), None], true).result,
        Err(Errno::EPERM)
    );
    assert_eq!(plain(&h, DebugWrite, &cfg(3)[..80], 16).result, Err(Errno::EINVAL), "in_len != 88");
    assert_eq!(plain(&h, DebugWrite, &cfg(0), 16).result, Err(Errno::EINVAL), "num_fids 0");
    // 4 FIDs are 8 bytes: a 6-byte buffer faults (the unit is 2 bytes, not 1).
    assert_eq!(
        call(&h, DebugWrite, &cfg(4), 16, [Some(fids.clone()), None], true).result,
        Err(Errno::EFAULT)
    );
    let c = call(&h, DebugWrite, &cfg(3), 16, [Some(fids.clone()), None], true);
    assert_eq!((c.result, le16(&c.out, 0)), (Ok(()), 0));
    let qcfg = |id: u16| {
        bnxt::request(
            req::SCH_GRP_QCFG,
            8,
            &[(16, &id.to_le_bytes()), (18, &6u16.to_le_bytes()), (24, &BUF0.to_le_bytes())],
            32,
        )
    };
    let c = call(&h, DebugReadOnly, &qcfg(5), 72, [Some(vec![0; 6]), None], false);
    assert_eq!((c.result, le16(&c.out, 0), le16(&c.out, 6)), (Ok(()), 0, 72));
    assert_eq!(
        (le16(&c.out, 14), c.out[71], &c.bufs[0][..]),
        (3, 1, &fids[..]),
        "num_fids, valid, the table"
    );
    // An unknown group is in-band INVALID_PARAMS.
    let c = call(&h, DebugReadOnly, &qcfg(6), 72, [Some(vec![0; 6]), None], false);
    assert_eq!((c.result, le16(&c.out, 0)), (Ok(()), 2));
    assert_eq!(lib.failure(), None);
}

#[test]
fn bnxt_sim_in_process_through_the_sdk_vtable() {
    behaves_like_the_bnxt_driver(&in_process());
}

#[test]
fn bnxt_sim_cdylib_loaded_with_dlopen() {
    let path = cargo_cdylib("fwctl-bnxt-sim", "fwctl_bnxt_sim").unwrap_or_else(|e| panic!("{e}"));
    let lib = fwctl_tests::plugins::load(&path, &LoadOptions::default()).unwrap();
    assert!(lib.has_rpc_v2());
    behaves_like_the_bnxt_driver(&lib);
}

#[test]
fn stopped_ulp_is_eperm_and_a_send_failure_goes_in_band() {
    let lib = in_process();
    let ver = bnxt::request(req::VER_GET, 9, &[], 24);
    let (_f, h) = setup(&lib, "ulp_stopped");
    assert_eq!(plain(&h, RpcScope::DebugWriteFull, &ver, 64).result, Err(Errno::EPERM));
    // bnxt_send_msg fails before the firmware wrote anything: error_code = -ETIMEDOUT
    // (as le16), the RPC succeeds with out_len unchanged.
    let (_f, h) = setup(&lib, "fw_hang");
    let c = plain(&h, RpcScope::DebugReadOnly, &ver, 64);
    assert_eq!((c.result, c.out_len, le16(&c.out, 0)), (Ok(()), 64, (-110i16) as u16));
    assert_eq!(c.out[2..], [0u8; 62]);
    let drv = lib.probe("").unwrap().remove(0);
    use fwctl_core::driver::Driver;
    let status = drv.decode_status(&c.out).unwrap();
    assert!(!status.ok && status.name.contains("ETIMEDOUT"), "{status:?}");
}

#[test]
fn describe_gives_the_scope_the_driver_enforces() {
    use fwctl_core::driver::Driver;
    let drv = in_process().probe("").unwrap().remove(0);
    let d = drv.describe(&bnxt::request(req::VER_GET, 0, &[], 24)).unwrap();
    assert_eq!(
        (d.opcode, d.name.as_deref(), d.min_scope),
        (0, Some("VER_GET"), Some(RpcScope::DebugReadOnly))
    );
    assert_eq!(d.expected_out_len, Some(176));
    let d = drv.describe(&bnxt::request(req::NVM_RAW_WRITE_BLK, 0, &[], 32)).unwrap();
    assert_eq!(d.min_scope, Some(RpcScope::DebugWriteFull));
    assert_eq!(drv.describe(&bnxt::request(0x17, 0, &[], 16)).unwrap().min_scope, None);
}

#[test]
fn bnxt_sim_through_fwctld_reads_and_writes_the_callers_segments() {
    use fwctl_core::transport::daemon::UserSegment;
    use fwctl_core::transport::{Channel, Daemon};
    use fwctl_tests::daemon::Fwctld;
    let d = Fwctld::start("[[device]]\nname = \"nic0\"\ndriver = \"bnxt-sim\"\n", &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut ch = daemon.connect("fwctl0").unwrap();
    let mut data = [0u8; 4];
    let info = ch.info(&mut data).unwrap();
    assert_eq!((info.device_type, info.device_data_len, u32::from_ne_bytes(data)), (3, 4, 0xf));
    let request = nvm_read(1, 0, 16, 0x5000);
    let mut arg: Vec<u8> = [32u32, RpcScope::DebugReadOnly as u32, 40, 16]
        .iter()
        .flat_map(|w| w.to_ne_bytes())
        .chain(0x2000u64.to_ne_bytes())
        .chain(0x3000u64.to_ne_bytes())
        .collect();
    let mut out = [0xEEu8; 16];
    let mut dma = [0xAAu8; 16];
    ch.ioctl(
        RPC,
        0x1000,
        &mut [
            UserSegment::InOut(0x1000, &mut arg),
            UserSegment::In(0x2000, &request),
            UserSegment::Out(0x3000, &mut out),
            UserSegment::Out(0x5000, &mut dma),
        ],
    )
    .unwrap();
    assert_eq!((u32::from_ne_bytes(arg[12..16].try_into().unwrap()), le16(&out, 0)), (16, 0));
    assert_ne!(dma, [0xAA; 16], "the NVM bytes arrived in the caller's segment");
    // The same request with the DMA segment missing: EFAULT.
    let r = ch.ioctl(
        RPC,
        0x1000,
        &mut [
            UserSegment::InOut(0x1000, &mut arg),
            UserSegment::In(0x2000, &request),
            UserSegment::Out(0x3000, &mut out),
        ],
    );
    assert_eq!(r, Err(Errno::EFAULT));
    let (status, _) = d.stop();
    assert!(status.success(), "{status:?}");
}

#[test]
fn bnxt_dma_through_a_fuse_node_reads_and_writes_this_process_memory() {
    use fwctl_tests::real_clients::{Nodes, Pages, raw_ioctl};
    // The device behind a `fwctld --dev-dir` style node: this process issues the
    // ioctl with pointers into its own pages, as a bnxt tool would on the kernel.
    let s = Subsystem::new();
    s.register(in_process().probe("").unwrap().remove(0)).unwrap();
    let Some(n) = Nodes::mount("rc-bnxt", s, 0o600) else { return };
    let f = n.open("fwctl0").unwrap();
    let mut p = Pages::new(4);
    let page = p.page();
    let (arg_off, req_off, out_off, dma_off) = (0, 64, 256, page);
    let ioctl = |p: &mut Pages, req: &[u8], scope: RpcScope| {
        p.write(req_off, req);
        let arg: Vec<u8> = [32u32, scope as u32, req.len() as u32, 16]
            .iter()
            .flat_map(|w| w.to_ne_bytes())
            .chain(p.addr(req_off).to_ne_bytes())
            .chain(p.addr(out_off).to_ne_bytes())
            .collect();
        p.write(arg_off, &arg);
        raw_ioctl(&f, RPC, p.addr(arg_off))
    };
    // NVM_READ of 32 bytes of item 0 into page 1: the same bytes as in-process.
    p.write(dma_off, &[0xAA; 32]);
    let rq = nvm_read(0, 0, 32, p.addr(dma_off));
    assert_eq!(ioctl(&mut p, &rq, RpcScope::DebugReadOnly), Ok(()));
    assert_eq!(
        (le16(&p.read(out_off, 8), 0), u32::from_ne_bytes(p.read(12, 4).try_into().unwrap())),
        (0, 16)
    );
    let (_f, h) = setup(&in_process(), "");
    let reference =
        call(&h, RpcScope::DebugReadOnly, &nvm_read(0, 0, 32, BUF0), 16, [Some(vec![0; 32]), None], false);
    assert_eq!(p.read(dma_off, 32), reference.bufs[0]);
    // A DMA buffer on a read-only page: the copy-out faults (EFAULT); on a hole, too.
    p.read_only(2);
    let rq = nvm_read(0, 0, 32, p.addr(2 * page));
    assert_eq!(ioctl(&mut p, &rq, RpcScope::DebugReadOnly), Err(libc_efault()));
    p.unmap(3);
    let rq = nvm_read(0, 0, 32, p.addr(3 * page));
    assert_eq!(ioctl(&mut p, &rq, RpcScope::DebugReadOnly), Err(libc_efault()));
    // A to-device buffer on the read-only page is fine (it is only read).
    let modify = nvm_modify(0, 0, 4, p.addr(2 * page));
    assert_eq!(ioctl(&mut p, &modify, RpcScope::DebugWrite), Ok(()));
}

fn libc_efault() -> i32 {
    Errno::EFAULT.code()
}
