//! # fwctl-bnxt-sim
//!
//! A simulated Broadcom NetXtreme-E function (a BCM57508 port) whose HWRM
//! firmware interface is served through fwctl exactly as the kernel's bnxt fwctl
//! driver serves the real one (`drivers/fwctl/bnxt/main.c` @98f21c5, the DMA
//! version; `include/uapi/fwctl/bnxt.h`; `include/linux/bnxt/hsi.h`), shipped
//! as a plugin built with the Rust SDK (ABI version 2: the DMA descriptors are
//! the caller's pointers, read and written through caller memory).
//!
//! Facts restated from the kernel (pinned by this crate's tests and by
//! `tests/tests/it/vendor_bnxt.rs`):
//!
//! - Request: a raw HWRM request starting with `struct input` (16 bytes:
//!   `le16 req_type, cmpl_ring, seq_id, target_id; le64 resp_addr`). Response:
//!   a buffer of the caller's `out_len` bytes (zeroed, `kvzalloc`) starting with
//!   `struct output` (8 bytes: `le16 error_code, req_type, seq_id, resp_len`);
//!   `out_len` is left unchanged.
//! - Checks, in the driver's order: `in_len < 16` or `in_len > 128`
//!   (`HWRM_MAX_REQ_LEN`) → `EINVAL`; `out_len < 8` → `EINVAL`; for a command
//!   of the DMA table, `in_len != sizeof(hwrm_xxx_input)` → `EINVAL`, each
//!   buffer length (length field × unit, or the fixed length) 0 or above
//!   `FWCTL_BNXT_MAX_DMABUF` → `EINVAL`; then (under `en_dev_lock`) a stopped
//!   ULP, a request type the driver does not know, or a scope below the
//!   command's minimum → `EPERM`; `copy_from_user` of a to-device buffer fails →
//!   `EFAULT`; the command runs; a send failure with `error_code == 0` stores the
//!   (negative) errno in `error_code` and the RPC still succeeds (in-band);
//!   `copy_to_user` of a from-device buffer fails → `EFAULT` (the response is
//!   dropped).
//! - The scope table: see [`hsi`] (switch cases and the DMA table).
//! - INFO: `struct fwctl_info_bnxt { u32 uctx_caps }`, length 4, value 0xf.
//!
//! The simulated firmware answers `VER_GET` with a realistic BCM57508 version
//! block, keeps an NVM directory (`NVM_GET_DIR_INFO`, `NVM_GET_DIR_ENTRIES`,
//! `NVM_READ`, `NVM_WRITE`, `NVM_MODIFY`), NVM variables (`NVM_GET_VARIABLE`,
//! `NVM_SET_VARIABLE`), registers (`DBG_READ_DIRECT`) and port counters
//! (`PORT_QSTATS`); every other DMA command fills its from-device buffers with
//! a deterministic pattern and accepts its to-device buffers; every other
//! allowed command answers in-band `HWRM_ERR_CODE_CMD_NOT_SUPPORTED` (the
//! simulator does not model its output structure).

pub mod hsi;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ffi::CStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use fwctl_plugin_sdk::driver::{
    DeviceIdentity, DeviceStatus, Driver, DriverContext, DriverReply, Effects, RpcCall, RpcDescription,
    RpcResponse,
};
use fwctl_plugin_sdk::sdk::{ExportedVTable, Plugin};
use fwctl_plugin_sdk::{DeviceType, Errno, RpcScope};

use hsi::{Dir, DmaCommand, err, req};

/// `sizeof(struct hwrm_ver_get_output)`.
pub const VER_GET_OUTPUT_SIZE: usize = 176;
/// `sizeof(struct hwrm_nvm_get_dir_info_output)`.
pub const NVM_GET_DIR_INFO_OUTPUT_SIZE: usize = 24;
/// The size of one simulated NVM directory entry (`entry_length`).
pub const NVM_DIR_ENTRY_SIZE: usize = 24;
/// The generic response: `struct output` + 7 unused bytes + `valid`.
pub const GENERIC_OUTPUT_SIZE: usize = 16;
/// The most NVM directory items the simulated flash holds (`NVM_WRITE` of a
/// new item beyond it answers in-band `NO_BUFFER`); their entries fit the
/// 64 KiB `NVM_GET_DIR_ENTRIES` buffer many times over.
pub const MAX_NVM_ITEMS: usize = 64;
/// The most NVM variables the simulated store holds (a new one beyond it
/// answers in-band `NO_BUFFER`).
pub const MAX_NVM_VARIABLES: usize = 256;
/// The most scheduler groups the simulated firmware keeps (`SCH_GRP_CFG` of a
/// new group beyond it answers in-band `NO_BUFFER`).
pub const MAX_SCH_GROUPS: usize = 64;
/// `sizeof(struct hwrm_sch_grp_qcfg_output)` (the 1.10.3.151 `hsi.h`).
pub const SCH_GRP_QCFG_OUTPUT_SIZE: usize = 72;

/// The firmware versions the simulated function reports (`VER_GET`).
pub mod version {
    /// HWRM interface version (`HWRM_VERSION_STR` of the kernel's `hsi.h`).
    pub const HWRM_INTF: (u16, u16, u16, u16) = (1, 10, 3, 151);
    /// Firmware package version.
    pub const FW: (u16, u16, u16, u16) = (230, 0, 154, 0);
    /// Management firmware version.
    pub const MGMT: (u16, u16, u16, u16) = (230, 0, 145, 0);
    /// Network control (NCSI) firmware version.
    pub const NETCTRL: (u16, u16, u16, u16) = (230, 0, 131, 0);
    /// RoCE firmware version.
    pub const ROCE: (u16, u16, u16, u16) = (230, 0, 154, 0);
    /// `chip_num` of a BCM57508.
    pub const CHIP_NUM: u16 = 0x1750;
    /// The active package name.
    pub const PKG_NAME: &str = "230.0.154.0/pkg";
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Deterministic filler bytes (a 32-bit LCG seeded by `seed`).
fn pattern(seed: u32, buf: &mut [u8]) {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(0x9e37_79b9);
    for b in buf {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        *b = (x >> 24) as u8;
    }
}

/// One simulated NVM directory item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NvmItem {
    /// `dir_type` (`BNX_DIR_TYPE_*` values as the directory reports them).
    pub dir_type: u16,
    /// `dir_ordinal`.
    pub ordinal: u16,
    /// `dir_ext`.
    pub ext: u16,
    /// `dir_attr`.
    pub attr: u16,
    /// The item's bytes (`dir_data_length`).
    pub data: Vec<u8>,
}

/// The simulated firmware's state.
#[derive(Debug)]
struct Firmware {
    nvm: Vec<NvmItem>,
    variables: BTreeMap<u16, Vec<u8>>,
    /// Scheduler groups by `sch_grp_id`: their FID tables and `max_bw`.
    sch_groups: BTreeMap<u16, SchGroup>,
    tx_packets: u64,
}

/// One scheduler group as `SCH_GRP_CFG` set it.
#[derive(Debug, Clone, Default)]
struct SchGroup {
    fids: Vec<u16>,
    max_bw: u32,
}

impl Firmware {
    fn new() -> Self {
        let item = |dir_type, len: usize, seed| {
            let mut data = vec![0; len];
            pattern(seed, &mut data);
            NvmItem { dir_type, ordinal: 0, ext: 0, attr: 0, data }
        };
        let mut variables = BTreeMap::new();
        // Option numbers are illustrative: 0x1 "number of VFs per PF", 0x2 "SR-IOV enable".
        variables.insert(0x1, 8u32.to_le_bytes().to_vec());
        variables.insert(0x2, vec![1]);
        Firmware {
            nvm: vec![
                item(0x01, 4096, 1), // boot code
                item(0x04, 8192, 2), // application firmware
                item(0x0e, 1024, 3), // NVM configuration
                item(0x0f, 512, 4),  // VPD
            ],
            variables,
            sch_groups: BTreeMap::new(),
            tx_packets: 1_000_000,
        }
    }

    fn dir_entry(&self, i: usize) -> [u8; NVM_DIR_ENTRY_SIZE] {
        let mut e = [0u8; NVM_DIR_ENTRY_SIZE];
        let it = &self.nvm[i];
        put16(&mut e, 0, it.dir_type);
        put16(&mut e, 2, it.ordinal);
        put16(&mut e, 4, it.ext);
        put16(&mut e, 6, it.attr);
        put32(&mut e, 8, it.data.len() as u32); // item length
        put32(&mut e, 12, it.data.len() as u32); // data length
        put32(&mut e, 16, 0x00e6_009a); // firmware version 230.0.154 packed
        put16(&mut e, 20, i as u16); // index
        e
    }
}

/// What the simulated firmware did with one command: the in-band code and
/// the response body (after the 8-byte header, ending with `valid`).
struct FwAnswer {
    error_code: u16,
    body: Vec<u8>,
}

impl FwAnswer {
    fn ok(body: Vec<u8>) -> Self {
        FwAnswer { error_code: err::SUCCESS, body }
    }
    fn code(error_code: u16) -> Self {
        FwAnswer { error_code, body: generic_body() }
    }
}

/// The body of a 16-byte response: 7 unused bytes and `valid`.
fn generic_body() -> Vec<u8> {
    let mut b = vec![0u8; GENERIC_OUTPUT_SIZE - hsi::OUTPUT_SIZE];
    b[GENERIC_OUTPUT_SIZE - hsi::OUTPUT_SIZE - 1] = hsi::RESP_VALID_KEY;
    b
}

/// `hwrm_ver_get_output` after its 8-byte header.
fn ver_get_body() -> Vec<u8> {
    let mut o = vec![0u8; VER_GET_OUTPUT_SIZE];
    let v8 = |o: &mut [u8], at: usize, v: (u16, u16, u16, u16)| {
        o[at] = v.0 as u8;
        o[at + 1] = v.1 as u8;
        o[at + 2] = v.2 as u8;
        o[at + 3] = v.3 as u8;
    };
    let v16 = |o: &mut [u8], at: usize, v: (u16, u16, u16, u16)| {
        put16(o, at, v.0);
        put16(o, at + 2, v.1);
        put16(o, at + 4, v.2);
        put16(o, at + 6, v.3);
    };
    let name = |o: &mut [u8], at: usize, s: &str| o[at..at + s.len()].copy_from_slice(s.as_bytes());
    use version::*;
    v8(&mut o, 8, HWRM_INTF);
    v8(&mut o, 12, FW);
    v8(&mut o, 16, MGMT);
    v8(&mut o, 20, NETCTRL);
    put32(&mut o, 24, 0x0000_001f); // dev_caps_cfg
    v8(&mut o, 28, ROCE);
    name(&mut o, 32, "bnxt_fw");
    name(&mut o, 48, "bnxt_mgmt");
    name(&mut o, 64, "bnxt_ncsi");
    name(&mut o, 80, PKG_NAME);
    name(&mut o, 96, "bnxt_roce");
    put16(&mut o, 112, CHIP_NUM);
    o[114] = 1; // chip_rev B
    o[115] = 1; // chip_metal
    put16(&mut o, 118, hsi::HWRM_MAX_REQ_LEN as u16); // max_req_win_len
    put16(&mut o, 120, 512); // max_resp_len
    put16(&mut o, 122, 500); // def_req_timeout (ms)
    o[127] = 1; // always_1
    v16(&mut o, 128, HWRM_INTF);
    v16(&mut o, 136, FW);
    v16(&mut o, 144, MGMT);
    v16(&mut o, 152, NETCTRL);
    v16(&mut o, 160, ROCE);
    put16(&mut o, 168, hsi::HWRM_MAX_REQ_LEN as u16); // max_ext_req_len
    put16(&mut o, 170, 60); // max_req_timeout (s)
    o[175] = hsi::RESP_VALID_KEY;
    o.split_off(hsi::OUTPUT_SIZE)
}

/// Simulated device options (`probe` configuration).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// `BNXT_EN_FLAG_ULP_STOPPED`: every RPC is refused with `EPERM`.
    pub ulp_stopped: bool,
    /// The firmware never answers: `bnxt_send_msg` times out, the driver puts
    /// `-ETIMEDOUT` into `error_code` and the RPC succeeds (in-band).
    pub fw_hang: bool,
}

/// One simulated bnxt PCI function.
#[derive(Debug, Clone)]
pub struct BnxtDevice {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pci: String,
    options: Options,
    fw: Mutex<Firmware>,
}

impl BnxtDevice {
    /// A function at PCI address `pci` with `options`.
    pub fn new(pci: impl Into<String>, options: Options) -> Self {
        BnxtDevice { inner: Arc::new(Inner { pci: pci.into(), options, fw: Mutex::new(Firmware::new()) }) }
    }
}

/// One DMA buffer of a request: where it is in the caller's memory, its length
/// and the kernel-side copy.
struct DmaBuf {
    user: u64,
    len: usize,
    dir: Dir,
    data: Vec<u8>,
}

impl Inner {
    fn fw(&self) -> std::sync::MutexGuard<'_, Firmware> {
        self.fw.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `bnxtctl_check_dma_lens`.
    fn dma_lens(req: &[u8], desc: &DmaCommand) -> Result<Vec<usize>, Errno> {
        desc.fields
            .iter()
            .map(|f| {
                let len = if f.len_offset != 0 {
                    let raw = if f.len_width == 2 {
                        u32::from(le16(req, f.len_offset))
                    } else {
                        le32(req, f.len_offset)
                    };
                    u64::from(raw) * u64::from(f.len_unit)
                } else {
                    u64::from(f.buf_len)
                };
                if len == 0 || len > u64::from(hsi::MAX_DMABUF) {
                    return Err(Errno::EINVAL);
                }
                Ok(len as usize)
            })
            .collect()
    }

    /// `bnxtctl_fw_rpc`.
    fn rpc(&self, call: &mut RpcCall<'_>, request: &mut [u8]) -> Result<DriverReply, Errno> {
        let in_len = request.len();
        if !(hsi::INPUT_SIZE..=hsi::HWRM_MAX_REQ_LEN).contains(&in_len) {
            return Err(Errno::EINVAL);
        }
        let out_len = call.out_capacity;
        if out_len < hsi::OUTPUT_SIZE {
            return Err(Errno::EINVAL);
        }
        let req_type = le16(request, 0);
        let desc = hsi::find_dma(req_type);
        let mut bufs = Vec::new();
        if let Some(desc) = desc {
            if in_len != desc.req_size {
                return Err(Errno::EINVAL);
            }
            let lens = Self::dma_lens(request, desc)?;
            // bnxtctl_extract_and_zero_dma_fields
            for (f, len) in desc.fields.iter().zip(lens) {
                let at = f.offset;
                let user = u64::from(le32(request, at)) | u64::from(le32(request, at + 4)) << 32;
                request[at..at + 8].fill(0);
                bufs.push(DmaBuf { user, len, dir: f.dir, data: Vec::new() });
            }
        }
        // The response buffer is kvzalloc(*out_len); the core caps out_len (2 MiB).
        let mut resp = vec![0u8; out_len];
        let mut fw = self.fw();
        // bnxtctl_validate_rpc, under en_dev_lock.
        let allowed =
            !self.options.ulp_stopped && hsi::command(req_type).is_some_and(|c| call.scope >= c.scope);
        if !allowed {
            return Err(Errno::EPERM);
        }
        // bnxtctl_map_dma_bufs: allocate, copy in the to-device buffers, write
        // the (simulated) bus address into the request.
        let mut mapped = 0;
        let mut map_err = None;
        for (i, b) in bufs.iter_mut().enumerate() {
            b.data = vec![0u8; b.len];
            if b.dir == Dir::ToDevice && call.copy_from_user(&mut b.data, b.user) != 0 {
                map_err = Some(Errno::EFAULT);
                break;
            }
            mapped += 1;
            if let Some(desc) = desc {
                let bus = 0x1_0000_0000u64 + (i as u64) * u64::from(hsi::MAX_DMABUF);
                let at = desc.fields[i].offset;
                request[at..at + 8].copy_from_slice(&bus.to_le_bytes());
            }
        }
        if let Some(e) = map_err {
            // bnxtctl_unmap_dma_bufs on the error path copies out what was mapped.
            Self::unmap(call, &bufs[..mapped]);
            return Err(e);
        }
        // bnxt_send_msg
        let answer = if self.options.fw_hang {
            // The firmware never wrote the response: error_code is still 0, so
            // the driver stores rc (-ETIMEDOUT) there.
            FwAnswer { error_code: Errno::ETIMEDOUT.negative() as u16, body: Vec::new() }
        } else {
            Self::execute(&mut fw, req_type, request, &mut bufs)
        };
        drop(fw);
        if !self.options.fw_hang {
            let total = hsi::OUTPUT_SIZE + answer.body.len();
            let mut out = Vec::with_capacity(total);
            out.extend_from_slice(&answer.error_code.to_le_bytes());
            out.extend_from_slice(&req_type.to_le_bytes());
            out.extend_from_slice(&request[4..6]); // seq_id echoed
            out.extend_from_slice(&(total as u16).to_le_bytes());
            out.extend_from_slice(&answer.body);
            let n = out.len().min(resp.len());
            resp[..n].copy_from_slice(&out[..n]);
        } else {
            put16(&mut resp, 0, answer.error_code);
        }
        if desc.is_some() && Self::unmap(call, &bufs) {
            return Err(Errno::EFAULT);
        }
        // *out_len is left at the caller's value.
        call.write_response(&resp)
    }

    /// `bnxtctl_unmap_dma_bufs`: copy out every from-device buffer; whether one failed.
    fn unmap(call: &mut RpcCall<'_>, bufs: &[DmaBuf]) -> bool {
        let mut failed = false;
        for b in bufs.iter().filter(|b| b.dir == Dir::FromDevice) {
            if call.copy_to_user(b.user, &b.data) != 0 {
                failed = true;
            }
        }
        failed
    }

    /// The simulated firmware: run one command.
    fn execute(fw: &mut Firmware, req_type: u16, rq: &[u8], bufs: &mut [DmaBuf]) -> FwAnswer {
        match req_type {
            req::VER_GET => FwAnswer::ok(ver_get_body()),
            req::NVM_GET_DIR_INFO => {
                let mut b = vec![0u8; NVM_GET_DIR_INFO_OUTPUT_SIZE - hsi::OUTPUT_SIZE];
                put32(&mut b, 0, fw.nvm.len() as u32);
                put32(&mut b, 4, NVM_DIR_ENTRY_SIZE as u32);
                let last = b.len() - 1;
                b[last] = hsi::RESP_VALID_KEY;
                FwAnswer::ok(b)
            }
            req::NVM_GET_DIR_ENTRIES => {
                for (i, dst) in
                    bufs[0].data.chunks_exact_mut(NVM_DIR_ENTRY_SIZE).take(fw.nvm.len()).enumerate()
                {
                    dst.copy_from_slice(&fw.dir_entry(i));
                }
                FwAnswer::ok(generic_body())
            }
            req::NVM_READ => {
                let (idx, off, len) = (le16(rq, 24) as usize, le32(rq, 28) as usize, bufs[0].len);
                match fw.nvm.get(idx).and_then(|it| it.data.get(off..off.checked_add(len)?)) {
                    Some(d) => {
                        bufs[0].data.copy_from_slice(d);
                        FwAnswer::ok(generic_body())
                    }
                    None => FwAnswer::code(err::INVALID_PARAMS),
                }
            }
            req::NVM_MODIFY => {
                let (idx, off) = (le16(rq, 24) as usize, le32(rq, 28) as usize);
                let data = &bufs[0].data;
                match fw.nvm.get_mut(idx).and_then(|it| it.data.get_mut(off..off.checked_add(data.len())?)) {
                    Some(d) => {
                        d.copy_from_slice(data);
                        FwAnswer::ok(generic_body())
                    }
                    None => FwAnswer::code(err::INVALID_PARAMS),
                }
            }
            req::NVM_WRITE => {
                let (dir_type, ordinal, ext, attr) = (le16(rq, 24), le16(rq, 26), le16(rq, 28), le16(rq, 30));
                let data = bufs[0].data.clone();
                let idx = match fw.nvm.iter().position(|it| it.dir_type == dir_type && it.ordinal == ordinal)
                {
                    Some(i) => {
                        fw.nvm[i] = NvmItem { dir_type, ordinal, ext, attr, data };
                        i
                    }
                    None if fw.nvm.len() >= MAX_NVM_ITEMS => return FwAnswer::code(err::NO_BUFFER),
                    None => {
                        fw.nvm.push(NvmItem { dir_type, ordinal, ext, attr, data });
                        fw.nvm.len() - 1
                    }
                };
                // hwrm_nvm_write_output: le32 dir_item_length@8, le16 dir_idx@12, valid@15
                let mut b = generic_body();
                put32(&mut b, 0, bufs[0].len as u32);
                put16(&mut b, 4, idx as u16);
                FwAnswer::ok(b)
            }
            req::NVM_GET_VARIABLE => {
                let option = le16(rq, 26);
                match fw.variables.get(&option) {
                    Some(v) => {
                        let n = v.len().min(bufs[0].len);
                        bufs[0].data[..n].copy_from_slice(&v[..n]);
                        // hwrm_nvm_get_variable_output: le16 data_len@8, le16 option_num@10, valid@15
                        let mut b = generic_body();
                        put16(&mut b, 0, n as u16);
                        put16(&mut b, 2, option);
                        FwAnswer::ok(b)
                    }
                    None => FwAnswer::code(err::INVALID_PARAMS),
                }
            }
            req::NVM_SET_VARIABLE => {
                let option = le16(rq, 26);
                if !fw.variables.contains_key(&option) && fw.variables.len() >= MAX_NVM_VARIABLES {
                    return FwAnswer::code(err::NO_BUFFER);
                }
                fw.variables.insert(option, bufs[0].data.clone());
                FwAnswer::ok(generic_body())
            }
            req::SCH_GRP_CFG => {
                // hwrm_sch_grp_cfg_input: sch_grp_id@16, enables@20 (MAX_BW 0x100), max_bw@32;
                // the FID table (num_fids × 16-bit FIDs) is the DMA buffer.
                let (id, enables, max_bw) = (le16(rq, 16), le32(rq, 20), le32(rq, 32));
                if !fw.sch_groups.contains_key(&id) && fw.sch_groups.len() >= MAX_SCH_GROUPS {
                    return FwAnswer::code(err::NO_BUFFER);
                }
                let group = fw.sch_groups.entry(id).or_default();
                group.fids = bufs[0].data.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
                if enables & 0x100 != 0 {
                    group.max_bw = max_bw;
                }
                FwAnswer::ok(generic_body())
            }
            req::SCH_GRP_QCFG => {
                let Some(group) = fw.sch_groups.get(&le16(rq, 16)) else {
                    return FwAnswer::code(err::INVALID_PARAMS);
                };
                for (dst, fid) in bufs[0].data.chunks_exact_mut(2).zip(&group.fids) {
                    dst.copy_from_slice(&fid.to_le_bytes());
                }
                // hwrm_sch_grp_qcfg_output (72 B): max_bw@8, le16 num_fids@14,
                // queue_id[8]@16 (0xff: none), queue_tsa_assign[8]@24,
                // queue_min_bw_percent[8]@32, valid@71.
                let mut b = vec![0u8; SCH_GRP_QCFG_OUTPUT_SIZE - hsi::OUTPUT_SIZE];
                put32(&mut b, 0, group.max_bw);
                put16(&mut b, 6, group.fids.len() as u16);
                b[8..16].fill(0xff);
                let last = b.len() - 1;
                b[last] = hsi::RESP_VALID_KEY;
                FwAnswer::ok(b)
            }
            req::DBG_READ_DIRECT => {
                let base = le32(rq, 24);
                for (i, w) in bufs[0].data.chunks_exact_mut(4).enumerate() {
                    let addr = base.wrapping_add(4 * i as u32);
                    w.copy_from_slice(&(addr ^ 0xb57e_0000).rotate_left(7).to_le_bytes());
                }
                FwAnswer::ok(generic_body())
            }
            req::PORT_QSTATS => {
                fw.tx_packets += 1;
                // tx_port_stats / rx_port_stats: u64 counters; the first of each
                // is the 64-byte frame count.
                let tx = fw.tx_packets;
                for (b, seed) in bufs.iter_mut().zip([tx, tx / 2 + 17]) {
                    for (i, w) in b.data.chunks_exact_mut(8).enumerate() {
                        w.copy_from_slice(&(seed.wrapping_mul(i as u64 + 1)).to_le_bytes());
                    }
                }
                FwAnswer::ok(generic_body())
            }
            _ if hsi::find_dma(req_type).is_some() => {
                for b in bufs.iter_mut().filter(|b| b.dir == Dir::FromDevice) {
                    pattern(u32::from(req_type), &mut b.data);
                }
                FwAnswer::ok(generic_body())
            }
            _ => FwAnswer::code(err::CMD_NOT_SUPPORTED),
        }
    }
}

/// The in-band status of a response (`error_code`), decoded.
pub fn decode_error_code(code: u16) -> DeviceStatus {
    let name: Cow<'static, str> = match err::name(code) {
        Some(n) => Cow::Borrowed(n),
        // The driver stores a negative errno when the send failed before the
        // firmware answered (`resp->error_code = cpu_to_le16(rc)`).
        None if code >= 0xff00 => {
            let errno = -(i32::from(code as i16));
            Cow::Owned(match Errno::from_code(errno) {
                Some(e) => format!("driver errno -{errno} ({})", e.name()),
                None => format!("driver errno -{errno}"),
            })
        }
        None => Cow::Owned(format!("HWRM error {code:#06x}")),
    };
    DeviceStatus { code: u32::from(code), name, syndrome: None, ok: code == err::SUCCESS }
}

impl Driver for BnxtDevice {
    fn device_type(&self) -> DeviceType {
        DeviceType::Bnxt
    }

    fn identity(&self) -> DeviceIdentity {
        let v = version::FW;
        DeviceIdentity {
            driver: "bnxt_fwctl (simulated)".into(),
            parent: Some(self.inner.pci.clone()),
            fw_version: Some(format!("{}.{}.{}.{}", v.0, v.1, v.2, v.3)),
            serial: Some(format!("bnxt-sim-{}", self.inner.pci)),
            psid: None,
        }
    }

    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(BnxtContext { dev: self.inner.clone(), uctx_caps: hsi::caps::OPEN_UCTX }))
    }

    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        if request.len() < 2 {
            return Err(Errno::EINVAL);
        }
        let req_type = le16(request, 0);
        let mut d = RpcDescription::unknown(u32::from(req_type), 0);
        if let Some(c) = hsi::command(req_type) {
            d.name = Some(Cow::Borrowed(c.name));
            d.min_scope = Some(c.scope);
            let reads =
                ["QCFG", "QCAPS", "GET", "QUERY", "FIND", "LIST", "READ", "QSTATS", "DUMP", "RETRIEVE"]
                    .iter()
                    .any(|k| c.name.contains(k));
            d.effects = match c.scope {
                RpcScope::Configuration if reads => Effects::READ,
                RpcScope::Configuration => Effects::WRITE_CONFIG,
                RpcScope::DebugReadOnly => Effects::READ | Effects::DEBUG_READ,
                RpcScope::DebugWrite => Effects::WRITE_DEBUG,
                RpcScope::DebugWriteFull => Effects::WRITE_DEBUG | Effects::DISRUPTIVE,
            };
            d.expected_out_len = Some(match req_type {
                req::VER_GET => VER_GET_OUTPUT_SIZE,
                req::NVM_GET_DIR_INFO => NVM_GET_DIR_INFO_OUTPUT_SIZE,
                req::SCH_GRP_QCFG => SCH_GRP_QCFG_OUTPUT_SIZE,
                _ => GENERIC_OUTPUT_SIZE,
            });
        }
        Ok(d)
    }

    fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        (response.len() >= hsi::OUTPUT_SIZE).then(|| decode_error_code(le16(response, 0)))
    }
}

/// A context: `bnxtctl_uctx` with its `uctx_caps`.
struct BnxtContext {
    dev: Arc<Inner>,
    uctx_caps: u32,
}

impl DriverContext for BnxtContext {
    fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
        Some(Ok(self.uctx_caps.to_ne_bytes().to_vec()))
    }

    fn fw_rpc(&self, _: RpcScope, _: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        // Never called: the core calls fw_rpc_user, which reaches the caller's buffers.
        Err(Errno::EOPNOTSUPP)
    }

    fn fw_rpc_user(&self, call: &mut RpcCall<'_>, request: &mut [u8]) -> Result<DriverReply, Errno> {
        self.dev.rpc(call, request)
    }

    fn close(self: Box<Self>) {}
}

/// Devices created so far in this process (PCI functions `0000:41:00.N`).
static NEXT_FUNCTION: AtomicUsize = AtomicUsize::new(0);

/// The plugin: `probe("devices=N,ulp_stopped,fw_hang")`.
pub struct BnxtPlugin;

impl Plugin for BnxtPlugin {
    const NAME: &'static CStr = c"bnxt-sim";
    const VERSION: &'static CStr = c"1.0";
    const DEVICE_TYPE: DeviceType = DeviceType::Bnxt;

    fn probe(config: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        let mut n = 1usize;
        let mut options = Options::default();
        for kv in config.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match kv.split_once('=') {
                Some(("devices", v)) => {
                    n = v.parse().ok().filter(|n| (1..=8).contains(n)).ok_or(Errno::EINVAL)?
                }
                None if kv == "ulp_stopped" => options.ulp_stopped = true,
                None if kv == "fw_hang" => options.fw_hang = true,
                _ => return Err(Errno::EINVAL),
            }
        }
        Ok((0..n)
            .map(|_| {
                let f = NEXT_FUNCTION.fetch_add(1, Ordering::Relaxed);
                let pci = format!("0000:{:02x}:00.{}", 0x41 + f / 8, f % 8);
                Arc::new(BnxtDevice::new(pci, options)) as Arc<dyn Driver>
            })
            .collect())
    }
}

/// The plugin's vtable, for linking it in-process
/// (`PluginLibrary::from_static(&fwctl_bnxt_sim::VTABLE, "bnxt-sim")`).
pub static VTABLE: ExportedVTable = ExportedVTable::new::<BnxtPlugin>();

// The exported entry point, left out with feature `no-entry`.
#[cfg(not(feature = "no-entry"))]
fwctl_plugin_sdk::declare_plugin!(BnxtPlugin);

/// Build an HWRM request: the 16-byte header (`req_type`, `cmpl_ring` 0xffff,
/// `seq_id`, `target_id` 0xffff, `resp_addr` 0) followed by `body`, padded
/// with zeros to `size` bytes.
pub fn request(req_type: u16, seq_id: u16, body: &[(usize, &[u8])], size: usize) -> Vec<u8> {
    let mut r = vec![0u8; size.max(hsi::INPUT_SIZE)];
    put16(&mut r, 0, req_type);
    put16(&mut r, 2, 0xffff);
    put16(&mut r, 4, seq_id);
    put16(&mut r, 6, 0xffff);
    for (at, bytes) in body {
        if let Some(dst) = r.get_mut(*at..*at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }
    r
}

/// The versions in a `hwrm_ver_get_output`, decoded (for `fwctl bnxt DEV ver`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerGet {
    /// HWRM interface version `major.minor.build.patch`.
    pub hwrm_intf: String,
    /// Firmware version.
    pub fw: String,
    /// Management firmware version.
    pub mgmt_fw: String,
    /// Network control firmware version.
    pub netctrl_fw: String,
    /// RoCE firmware version.
    pub roce_fw: String,
    /// Active package name.
    pub pkg_name: String,
    /// `chip_num`.
    pub chip_num: u16,
    /// `chip_rev`.
    pub chip_rev: u8,
    /// `chip_metal`.
    pub chip_metal: u8,
}

impl VerGet {
    /// Decode a response of at least 176 bytes, else `None`.
    pub fn parse(r: &[u8]) -> Option<VerGet> {
        if r.len() < VER_GET_OUTPUT_SIZE {
            return None;
        }
        let v = |at: usize| {
            format!("{}.{}.{}.{}", le16(r, at), le16(r, at + 2), le16(r, at + 4), le16(r, at + 6))
        };
        let s = |at: usize| {
            let b = &r[at..at + 16];
            String::from_utf8_lossy(&b[..b.iter().position(|&c| c == 0).unwrap_or(16)]).into_owned()
        };
        Some(VerGet {
            hwrm_intf: v(128),
            fw: v(136),
            mgmt_fw: v(144),
            netctrl_fw: v(152),
            roce_fw: v(160),
            pkg_name: s(80),
            chip_num: le16(r, 112),
            chip_rev: r[114],
            chip_metal: r[115],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scope_table_has_the_drivers_counts() {
        use RpcScope::*;
        let all = hsi::all_commands();
        let count = |s| all.iter().filter(|c| c.scope == s).count();
        // main.c @98f21c5: 17 configuration, 77 debug-read-only, 7 debug-write,
        // 3 debug-write-full = 104.
        assert_eq!(
            (count(Configuration), count(DebugReadOnly), count(DebugWrite), count(DebugWriteFull)),
            (17, 77, 7, 3)
        );
        assert_eq!(all.len(), 104);
        let mut types: Vec<u16> = all.iter().map(|c| c.req_type).collect();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types.len(), 104, "no request type twice");
    }

    fn dma(dir: Dir, data: Vec<u8>) -> DmaBuf {
        DmaBuf { user: 0, len: data.len(), dir, data }
    }

    #[test]
    fn the_simulated_flash_and_variable_store_are_bounded() {
        let mut fw = Firmware::new();
        let mut codes = Vec::new();
        for t in 0..(MAX_NVM_ITEMS as u16 + 8) {
            let rq = request(
                req::NVM_WRITE,
                0,
                &[(24, &(0x100 + t).to_le_bytes()), (32, &4u32.to_le_bytes())],
                56,
            );
            codes.push(
                Inner::execute(&mut fw, req::NVM_WRITE, &rq, &mut [dma(Dir::ToDevice, vec![1; 4])])
                    .error_code,
            );
        }
        assert_eq!(fw.nvm.len(), MAX_NVM_ITEMS);
        assert_eq!(
            codes.iter().filter(|&&c| c == err::NO_BUFFER).count(),
            8 + 4,
            "4 items were there already"
        );
        // The directory of a full flash fits the fixed 64 KiB buffer.
        let rq = request(req::NVM_GET_DIR_ENTRIES, 0, &[], 24);
        let mut b = [dma(Dir::FromDevice, vec![0; hsi::MAX_DMABUF as usize])];
        assert_eq!(Inner::execute(&mut fw, req::NVM_GET_DIR_ENTRIES, &rq, &mut b).error_code, err::SUCCESS);
        let mut full = 0;
        for opt in 0..=u16::MAX {
            let rq = request(req::NVM_SET_VARIABLE, 0, &[(26, &opt.to_le_bytes())], 40);
            let c =
                Inner::execute(&mut fw, req::NVM_SET_VARIABLE, &rq, &mut [dma(Dir::ToDevice, vec![1; 2])]);
            if c.error_code == err::NO_BUFFER {
                full += 1;
                if full > 4 {
                    break;
                }
            }
        }
        assert_eq!(fw.variables.len(), MAX_NVM_VARIABLES);
    }

    #[test]
    fn names_parse_back() {
        assert_eq!(hsi::parse_req_type("ver_get"), Some(0));
        assert_eq!(hsi::parse_req_type("HWRM_NVM_READ"), Some(0xfffd));
        assert_eq!(hsi::parse_req_type("0xff10"), Some(0xff10));
        assert_eq!(hsi::parse_req_type("nope"), None);
    }

    #[test]
    fn ver_get_round_trips() {
        let mut r = vec![0u8; 8];
        r.extend(ver_get_body());
        let v = VerGet::parse(&r).unwrap_or_else(|| panic!("176 bytes"));
        assert_eq!(v.fw, "230.0.154.0");
        assert_eq!(v.hwrm_intf, "1.10.3.151");
        assert_eq!(v.chip_num, 0x1750);
    }
}
