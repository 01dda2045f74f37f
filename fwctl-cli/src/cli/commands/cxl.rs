//! `fwctl cxl DEV features|get|set`: typed CXL Features commands. Each builds a
//! `struct fwctl_rpc_cxl` (Get Supported Features 0x0500, Get Feature 0x0501,
//! Set Feature 0x0502), asks the driver for the lowest scope that allows it,
//! sends it like `fwctl rpc` and decodes `struct fwctl_rpc_cxl_out`.

use std::io::Write;

use fwctl_core::DeviceType;
use fwctl_cxl_sim as cxl;
use serde_json::json;

use crate::cli::Ctx;
use crate::cli::commands::rpc;
use crate::cli::exit::{CliError, CmdResult, Exit};

/// Arguments of `fwctl cxl`.
#[derive(Debug, clap::Args)]
pub struct CxlArgs {
    /// The device and the options every subcommand takes.
    #[command(flatten)]
    pub target: crate::cli::commands::vendor::TypedDevice,
    /// The command.
    #[command(subcommand)]
    pub command: CxlCommand,
}

/// The typed CXL commands.
#[derive(Debug, clap::Subcommand)]
pub enum CxlCommand {
    /// Get Supported Features (0x0500): the feature table.
    Features {
        /// First entry.
        #[arg(long, default_value_t = 0)]
        start: u16,
        /// Most entries to return.
        #[arg(long, default_value_t = 32)]
        count: u32,
    },
    /// Get Feature (0x0501): a feature's value.
    Get {
        /// The feature's UUID.
        uuid: String,
        /// Which value: current, default or saved.
        #[arg(long, default_value = "current", value_parser = ["current", "default", "saved"])]
        selection: String,
        /// Byte offset into the value.
        #[arg(long, default_value_t = 0)]
        offset: u16,
        /// Bytes to read.
        #[arg(long, default_value_t = 64)]
        count: u16,
    },
    /// Set Feature (0x0502): write a feature's value (hex bytes).
    Set {
        /// The feature's UUID.
        uuid: String,
        /// The data, as hex (e.g. 4600 for the le16 value 70).
        data: String,
        /// Byte offset into the value.
        #[arg(long, default_value_t = 0)]
        offset: u16,
        /// The feature's set version (from `features`).
        #[arg(long = "feature-version", value_name = "N", default_value_t = 1)]
        feature_version: u8,
    },
}

/// Examples shown by `fwctl cxl --help`.
pub const CXL_HELP: &str = "\
Examples:
  fwctl cxl fwctl1 features
  fwctl cxl fwctl1 get 5a1f0c3e-7d21-4b8e-9c44-0e6f2a71d302
  fwctl cxl fwctl1 set 5a1f0c3e-7d21-4b8e-9c44-0e6f2a71d302 4600 --yes

Set Feature needs debug-write (changes after a reset) or debug-write-full
(immediate changes), from the feature's effects; both taint.";

fn header(opcode: u16, op_size: u32) -> Vec<u8> {
    [u32::from(opcode), 0, op_size, 0].iter().flat_map(|w| w.to_ne_bytes()).collect()
}

fn uuid_arg(s: &str) -> Result<[u8; 16], CliError> {
    cxl::parse_uuid(s).ok_or_else(|| {
        CliError::usage(format!("'{s}' is not a UUID")).with_hint("`fwctl cxl DEV features` lists the UUIDs")
    })
}

fn hex_arg(s: &str) -> Result<Vec<u8>, CliError> {
    let s = s.trim_start_matches("0x");
    if !s.len().is_multiple_of(2) || s.is_empty() {
        return Err(CliError::usage("the data must be an even number of hex digits"));
    }
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|_| CliError::usage(format!("'{s}' is not hex")))
}

/// The `struct fwctl_rpc_cxl` of a typed command.
pub fn build_request(cmd: &CxlCommand) -> Result<Vec<u8>, CliError> {
    let mut r = match cmd {
        CxlCommand::Features { start, count } => {
            let mut r = header(cxl::OP_GET_SUPPORTED_FEATURES, cxl::GET_SUP_FEATS_IN_SIZE);
            r.extend_from_slice(&count.saturating_mul(cxl::FEAT_ENTRY_SIZE as u32).to_le_bytes());
            r.extend_from_slice(&start.to_le_bytes());
            r
        }
        CxlCommand::Get { uuid, selection, offset, count } => {
            let mut r = header(cxl::OP_GET_FEATURE, cxl::GET_FEAT_IN_SIZE);
            r.extend_from_slice(&uuid_arg(uuid)?);
            r.extend_from_slice(&offset.to_le_bytes());
            r.extend_from_slice(&count.to_le_bytes());
            r.push(match selection.as_str() {
                "default" => 1,
                "saved" => 2,
                _ => 0,
            });
            r
        }
        CxlCommand::Set { uuid, data, offset, feature_version } => {
            let data = hex_arg(data)?;
            let mut r = header(cxl::OP_SET_FEATURE, cxl::SET_FEAT_HDR_SIZE + data.len() as u32);
            r.extend_from_slice(&uuid_arg(uuid)?);
            r.extend_from_slice(&0u32.to_le_bytes());
            r.extend_from_slice(&offset.to_le_bytes());
            r.push(*feature_version);
            r.resize(cxl::RPC_CXL_SIZE, 0);
            r.extend_from_slice(&data);
            return Ok(r);
        }
    };
    r.resize(cxl::RPC_CXL_SIZE, 0);
    Ok(r)
}

fn u16le(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2).map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32ne(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).map_or(0, |s| u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
}

/// Run `fwctl cxl`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &CxlArgs) -> CmdResult {
    let request = build_request(&args.command)?;
    let transport = ctx.transport()?;
    let dev = &args.target.device;
    let mut channel = ctx.open_device(transport.as_ref(), dev)?;
    rpc::require_device_type(
        channel.as_mut(),
        dev,
        DeviceType::Cxl,
        "a CXL",
        "`fwctl list` shows each device's type",
    )?;
    let description = channel.describe(&request).ok();
    let name = description.as_ref().and_then(|d| d.name.as_deref()).unwrap_or("the command").to_string();
    let scope = rpc::typed_scope(ctx, args.target.scope, description.as_ref())?;
    if scope.taints() {
        let report = rpc::Report {
            device: dev.name.clone(),
            device_type: Some(DeviceType::Cxl),
            transport: transport.kind().name(),
            scope,
            request: &request,
            description: description.as_ref(),
        };
        rpc::confirm_taint(ctx, &report, args.target.yes)?;
    }
    let ex = rpc::send(channel.as_mut(), &dev.name, scope, &request, Some(64 * 1024))?;
    let out = &ex.response;
    let (size, retval) = (u32ne(out, 0), u32ne(out, 4));
    let json_out = ctx.global.json;
    let (simulated, pretty) = (ctx.simulated(), ctx.global.pretty);
    let w = &mut ctx.console.stdout;
    let mut doc = json!({ "device": dev.name, "command": name, "scope": scope.name(), "out_len": ex.produced,
        "size": size, "retval": retval });
    if let CxlCommand::Features { .. } = args.command {
        let n = u16le(out, 8) as usize;
        let mut feats = Vec::new();
        for i in 0..n {
            let Some(e) = out.get(16 + 48 * i..16 + 48 * (i + 1)) else { break };
            let uuid: [u8; 16] = e[..16].try_into().unwrap_or_default();
            let flags = u32::from_le_bytes([e[22], e[23], e[24], e[25]]);
            feats.push(json!({
                "uuid": cxl::uuid_string(&uuid), "id": u16le(e, 16), "get_size": u16le(e, 18),
                "set_size": u16le(e, 20), "changeable": flags & cxl::FEATURE_F_CHANGEABLE != 0,
                "get_version": e[26], "set_version": e[27], "effects": u16le(e, 28),
            }));
        }
        doc["supported"] = json!(u16le(out, 10));
        doc["features"] = json!(feats);
        if json_out {
            writeln!(w, "{}", crate::cli::render_json(doc.clone(), simulated, pretty))?;
        } else {
            writeln!(w, "{}: {} of {} features", dev.name, n, u16le(out, 10))?;
            writeln!(
                w,
                "  {:<36}  {:>3} {:>4} {:>4} {:<10} {:>3} {:>7}",
                "UUID", "id", "get", "set", "changeable", "ver", "effects"
            )?;
            for f in &feats {
                let num = |k: &str| f[k].as_u64().unwrap_or(0);
                writeln!(
                    w,
                    "  {:<36}  {:>3} {:>4} {:>4} {:<10} {:>3} {:>#7x}",
                    f["uuid"].as_str().unwrap_or(""),
                    num("id"),
                    num("get_size"),
                    num("set_size"),
                    if f["changeable"].as_bool() == Some(true) { "yes" } else { "no" },
                    num("set_version"),
                    num("effects")
                )?;
            }
        }
    } else {
        let data: String =
            out.get(8..8 + size as usize).unwrap_or_default().iter().map(|b| format!("{b:02x}")).collect();
        doc["data"] = json!(data);
        if json_out {
            writeln!(w, "{}", crate::cli::render_json(doc.clone(), simulated, pretty))?;
        } else {
            let status = if retval == 0 {
                "success".to_string()
            } else {
                format!("mailbox return code {retval:#06x}")
            };
            writeln!(w, "{}: {name} at scope {scope}: {status}", dev.name)?;
            if !data.is_empty() {
                writeln!(w, "  data: {data}")?;
            }
        }
    }
    Ok(if retval == 0 { Exit::Ok } else { Exit::DeviceError })
}
