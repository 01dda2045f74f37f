//! `fwctl bnxt DEV ver|hwrm|nvm-dir|nvm-read|commands`: typed HWRM commands
//! for a bnxt device. Each builds the HWRM request (16-byte `struct input`
//! header, then the command's fields), asks the driver for the lowest scope,
//! sends it and decodes the response (`struct output`: the in-band
//! `error_code`). The NVM commands carry a DMA buffer: its address is this
//! process's buffer, mapped for the call on every transport.

use std::io::Write;

use fwctl_bnxt_sim::{self as bnxt, VerGet, hsi};
use fwctl_core::transport::UserSegment;
use fwctl_core::{DeviceType, RpcScope};
use serde_json::json;

use crate::cli::Ctx;
use crate::cli::commands::vendor;
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::{hexpayload, output};

/// Arguments of `fwctl bnxt`.
#[derive(Debug, clap::Args)]
pub struct BnxtArgs {
    /// The device and the options every subcommand takes.
    #[command(flatten)]
    pub target: crate::cli::commands::vendor::TypedDevice,
    /// The command.
    #[command(subcommand)]
    pub command: BnxtCommand,
}

/// The typed bnxt commands.
#[derive(Debug, clap::Subcommand)]
pub enum BnxtCommand {
    /// HWRM_VER_GET: the firmware, HWRM interface and chip versions.
    Ver,
    /// Any HWRM request without host buffers: REQ_TYPE (name or number) and the
    /// bytes after the 16-byte header.
    Hwrm {
        /// The request type: a name (ver_get, HWRM_FUNC_QCFG) or a number (0x16).
        req_type: String,
        /// The request body after the header, as hex tokens.
        hex: Vec<String>,
        /// Pad the request with zeros to this many bytes (16..128).
        #[arg(long)]
        size: Option<usize>,
        /// Response buffer size (default: what the driver expects, else 512).
        #[arg(long)]
        out_len: Option<usize>,
    },
    /// The NVM directory (HWRM_NVM_GET_DIR_INFO, then HWRM_NVM_GET_DIR_ENTRIES
    /// into a 64 KiB DMA buffer).
    NvmDir,
    /// Read an NVM item (HWRM_NVM_READ into a DMA buffer).
    NvmRead {
        /// The directory index (from `nvm-dir`).
        index: u16,
        /// Byte offset in the item.
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// Bytes to read (1..65536).
        #[arg(long, default_value_t = 256)]
        len: u32,
    },
    /// The request types the bnxt driver allows and the scope each needs.
    Commands,
}

/// Examples shown by `fwctl bnxt --help`.
pub const BNXT_HELP: &str = "\
Examples:
  fwctl bnxt fwctl3 ver
  fwctl bnxt fwctl3 nvm-dir
  fwctl bnxt fwctl3 nvm-read 1 --len 64
  fwctl bnxt fwctl3 hwrm temp_monitor_query
  fwctl bnxt fwctl3 commands

Most queries need debug-read-only; NVM writes need debug-write and taint.";

fn le16(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2).map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn le32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The in-band status of a response, decoded; exit 1 when it is not success.
fn status(out: &[u8]) -> (u16, String, Exit) {
    let code = le16(out, 0);
    let s = bnxt::decode_error_code(code);
    (code, s.name.into_owned(), if s.ok { Exit::Ok } else { Exit::DeviceError })
}

/// Run `fwctl bnxt`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &BnxtArgs) -> CmdResult {
    let dev = &args.target.device;
    if let BnxtCommand::Commands = args.command {
        return commands(ctx);
    }
    let mut opened = vendor::open(ctx, dev, DeviceType::Bnxt, "a bnxt")?;
    let one = |ctx: &mut Ctx<'_, '_>,
               opened: &mut vendor::Opened,
               request: &[u8],
               out_len: usize,
               buffers: &mut [UserSegment<'_>]|
     -> Result<(Vec<u8>, RpcScope, String), CliError> {
        let (scope, name) = vendor::scope_for(
            ctx,
            opened,
            dev,
            DeviceType::Bnxt,
            request,
            args.target.scope,
            args.target.yes,
        )?;
        let mut out = vec![0u8; out_len];
        vendor::send(opened, dev, scope, request, &mut out, buffers)?;
        Ok((out, scope, name))
    };
    let json_out = ctx.global.json;
    match &args.command {
        BnxtCommand::Ver => {
            let request = bnxt::request(hsi::req::VER_GET, 1, &[(16, &[1, 10, 3])], 24);
            let (out, scope, _) = one(ctx, &mut opened, &request, bnxt::VER_GET_OUTPUT_SIZE, &mut [])?;
            let (code, status_name, exit) = status(&out);
            let v = VerGet::parse(&out);
            if json_out {
                let mut doc = json!({ "device": dev.name, "command": "VER_GET", "scope": scope.name(),
                    "error_code": code, "status": status_name });
                if let Some(v) = v.as_ref().filter(|_| code == 0) {
                    doc["firmware"] = json!(v.fw);
                    doc["hwrm_interface"] = json!(v.hwrm_intf);
                    doc["management_firmware"] = json!(v.mgmt_fw);
                    doc["netctrl_firmware"] = json!(v.netctrl_fw);
                    doc["roce_firmware"] = json!(v.roce_fw);
                    doc["package"] = json!(v.pkg_name);
                    doc["chip_num"] = json!(format!("0x{:04x}", v.chip_num));
                    doc["chip_rev"] = json!(v.chip_rev);
                    doc["chip_metal"] = json!(v.chip_metal);
                }
                ctx.emit_json(&doc)?;
            } else {
                let w = &mut ctx.console.stdout;
                match v.filter(|_| code == 0) {
                    Some(v) => {
                        writeln!(w, "{}: HWRM_VER_GET at scope {scope}", dev.name)?;
                        writeln!(w, "  firmware:            {} ({})", v.fw, v.pkg_name)?;
                        writeln!(w, "  HWRM interface:      {}", v.hwrm_intf)?;
                        writeln!(w, "  management firmware: {}", v.mgmt_fw)?;
                        writeln!(w, "  netctrl firmware:    {}", v.netctrl_fw)?;
                        writeln!(w, "  RoCE firmware:       {}", v.roce_fw)?;
                        writeln!(
                            w,
                            "  chip:                0x{:04x} rev {} metal {}",
                            v.chip_num, v.chip_rev, v.chip_metal
                        )?;
                    }
                    None => writeln!(
                        w,
                        "{}: HWRM_VER_GET at scope {scope}: {status_name} ({code:#06x})",
                        dev.name
                    )?,
                }
            }
            Ok(exit)
        }
        BnxtCommand::Hwrm { req_type, hex, size, out_len } => {
            let t = hsi::parse_req_type(req_type).ok_or_else(|| {
                CliError::usage(format!("'{req_type}' is not an HWRM request type"))
                    .with_hint("`fwctl bnxt DEV commands` lists them; a number (0x16) works too")
            })?;
            let body = if hex.is_empty() {
                Vec::new()
            } else {
                hexpayload::parse_args(hex).map_err(|e| CliError::usage(e.to_string()))?
            };
            let len = size.unwrap_or(0).max(hsi::INPUT_SIZE + body.len());
            let request = bnxt::request(t, 1, &[(hsi::INPUT_SIZE, &body)], len);
            let expected =
                opened.channel.describe(&request).ok().and_then(|d| d.expected_out_len).unwrap_or(512);
            let (out, scope, name) = one(ctx, &mut opened, &request, out_len.unwrap_or(expected), &mut [])?;
            let (code, status_name, exit) = status(&out);
            let resp_len = usize::from(le16(&out, 6)).clamp(hsi::OUTPUT_SIZE, out.len());
            if json_out {
                ctx.emit_json(
                    &json!({ "device": dev.name, "command": name, "req_type": t, "scope": scope.name(),
                    "error_code": code, "status": status_name, "resp_len": le16(&out, 6),
                    "response": hex::encode(&out[..resp_len]) }),
                )?;
            } else {
                let w = &mut ctx.console.stdout;
                writeln!(
                    w,
                    "{}: HWRM_{name} ({t:#06x}) at scope {scope}: {status_name} ({code:#06x})",
                    dev.name
                )?;
                writeln!(w, "response: {} bytes (resp_len {})", resp_len, le16(&out, 6))?;
                output::hexdump(*w, &out[..resp_len])?;
            }
            Ok(exit)
        }
        BnxtCommand::NvmDir => {
            let info = bnxt::request(hsi::req::NVM_GET_DIR_INFO, 1, &[], 16);
            let (out, _, _) = one(ctx, &mut opened, &info, bnxt::NVM_GET_DIR_INFO_OUTPUT_SIZE, &mut [])?;
            let (code, status_name, exit) = status(&out);
            if code != 0 {
                writeln!(
                    ctx.console.stdout,
                    "{}: HWRM_NVM_GET_DIR_INFO: {status_name} ({code:#06x})",
                    dev.name
                )?;
                return Ok(exit);
            }
            let (entries, entry_len) = (le32(&out, 8) as usize, le32(&out, 12) as usize);
            let mut dma = vec![0u8; hsi::MAX_DMABUF as usize];
            let addr = dma.as_ptr() as u64;
            let request = bnxt::request(hsi::req::NVM_GET_DIR_ENTRIES, 2, &[(16, &addr.to_le_bytes())], 24);
            let (out, _, _) = one(ctx, &mut opened, &request, 16, &mut [UserSegment::Out(addr, &mut dma)])?;
            let (code, status_name, exit) = status(&out);
            let mut list = Vec::new();
            if code == 0 && entry_len >= 16 {
                for i in 0..entries {
                    let Some(e) = dma.get(i * entry_len..(i + 1) * entry_len) else { break };
                    list.push(
                        json!({ "index": i, "type": le16(e, 0), "ordinal": le16(e, 2), "ext": le16(e, 4),
                        "attr": le16(e, 6), "item_length": le32(e, 8), "data_length": le32(e, 12) }),
                    );
                }
            }
            if json_out {
                ctx.emit_json(&json!({ "device": dev.name, "error_code": code, "status": status_name,
                    "entries": list }))?;
            } else {
                let w = &mut ctx.console.stdout;
                writeln!(w, "{}: {} NVM directory entries ({status_name})", dev.name, list.len())?;
                writeln!(w, "  {:>5}  {:>6}  {:>7}  {:>11}", "INDEX", "TYPE", "ORDINAL", "DATA_LENGTH")?;
                for e in &list {
                    let n = |k: &str| e[k].as_u64().unwrap_or(0);
                    writeln!(
                        w,
                        "  {:>5}  {:>#6x}  {:>7}  {:>11}",
                        n("index"),
                        n("type"),
                        n("ordinal"),
                        n("data_length")
                    )?;
                }
            }
            Ok(exit)
        }
        BnxtCommand::NvmRead { index, offset, len } => {
            if *len == 0 || *len > hsi::MAX_DMABUF {
                return Err(CliError::usage(format!("--len must be 1..{}", hsi::MAX_DMABUF)));
            }
            let mut dma = vec![0u8; *len as usize];
            let addr = dma.as_ptr() as u64;
            let request = bnxt::request(
                hsi::req::NVM_READ,
                3,
                &[
                    (16, &addr.to_le_bytes()),
                    (24, &index.to_le_bytes()),
                    (28, &offset.to_le_bytes()),
                    (32, &len.to_le_bytes()),
                ],
                40,
            );
            let (out, scope, _) =
                one(ctx, &mut opened, &request, 16, &mut [UserSegment::Out(addr, &mut dma)])?;
            let (code, status_name, exit) = status(&out);
            if json_out {
                ctx.emit_json(&json!({ "device": dev.name, "command": "NVM_READ", "scope": scope.name(),
                    "index": index, "offset": offset, "error_code": code, "status": status_name,
                    "data": if code == 0 { hex::encode(&dma) } else { String::new() } }))?;
            } else {
                let w = &mut ctx.console.stdout;
                writeln!(
                    w,
                    "{}: HWRM_NVM_READ item {index} offset {offset} at scope {scope}: {status_name}",
                    dev.name
                )?;
                if code == 0 {
                    output::hexdump(*w, &dma)?;
                }
            }
            Ok(exit)
        }
        BnxtCommand::Commands => commands(ctx),
    }
}

fn commands(ctx: &mut Ctx<'_, '_>) -> CmdResult {
    let mut all = hsi::all_commands();
    all.sort_by_key(|c| c.req_type);
    if ctx.global.json {
        let list: Vec<_> = all
            .iter()
            .map(|c| {
                json!({ "req_type": c.req_type, "name": format!("HWRM_{}", c.name), "scope": c.scope.name(),
                    "dma": hsi::find_dma(c.req_type).is_some() })
            })
            .collect();
        ctx.emit_json(&json!({ "commands": list }))?;
    } else {
        let w = &mut ctx.console.stdout;
        writeln!(w, "{:<8}  {:<40}  {:<16}  DMA", "REQ_TYPE", "NAME", "SCOPE")?;
        for c in &all {
            let dma = if hsi::find_dma(c.req_type).is_some() { "yes" } else { "-" };
            writeln!(
                w,
                "{:<#8x}  {:<40}  {:<16}  {dma}",
                c.req_type,
                format!("HWRM_{}", c.name),
                c.scope.name()
            )?;
        }
    }
    Ok(Exit::Ok)
}
