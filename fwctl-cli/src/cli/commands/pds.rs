//! `fwctl pds DEV endpoints|ops|call`: typed commands for a pds device.
//!
//! The pds driver has no discovery RPC: it learns the endpoints and each
//! endpoint's operations from the firmware over its admin queue, and keeps
//! them to itself. `endpoints` and `ops` therefore ask the driver's
//! `describe` (what it would decide for an operation) over a range of
//! endpoint ids and command numbers: this works through fwctld and the
//! embedded transport, not on a kernel device, which has no such call.
//! `call` sends one `struct fwctl_rpc_pds` whose payload pointers are this
//! process's buffers, mapped for the call on every transport.

use std::io::Write;

use fwctl_core::transport::UserSegment;
use fwctl_core::{DeviceType, Errno, RpcScope};
use serde_json::json;

use crate::cli::Ctx;
use crate::cli::commands::vendor;
use crate::cli::device::DeviceArg;
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::{hexpayload, output};

/// `sizeof(struct fwctl_rpc_pds)`.
pub const RPC_PDS_SIZE: usize = 48;

/// Arguments of `fwctl pds`.
#[derive(Debug, clap::Args)]
pub struct PdsArgs {
    /// The device and the options every subcommand takes.
    #[command(flatten)]
    pub target: crate::cli::commands::vendor::TypedDevice,
    /// The command.
    #[command(subcommand)]
    pub command: PdsCommand,
}

/// The typed pds commands.
#[derive(Debug, clap::Subcommand)]
pub enum PdsCommand {
    /// The endpoints that have operations (asks the driver's describe).
    Endpoints {
        /// Endpoint ids to look at (A-B, decimal or 0x).
        #[arg(long, default_value = "0-63", value_parser = vendor::parse_range)]
        eps: (u32, u32),
        /// Command numbers to look at (A-B).
        #[arg(long, default_value = "0-0xff", value_parser = vendor::parse_range)]
        cmds: (u32, u32),
    },
    /// An endpoint's operations with their names and minimum scopes.
    Ops {
        /// The endpoint id.
        #[arg(value_parser = vendor::parse_num)]
        ep: u32,
        /// Command numbers to look at (A-B).
        #[arg(long, default_value = "0-0xff", value_parser = vendor::parse_range)]
        cmds: (u32, u32),
    },
    /// Send one operation: EP, OP (command number), payload as hex.
    Call {
        /// The endpoint id.
        #[arg(value_parser = vendor::parse_num)]
        ep: u32,
        /// The command number (bits 0-15 of `op`).
        #[arg(value_parser = vendor::parse_num)]
        op: u32,
        /// The request payload (hex tokens), sent through `in.payload`.
        hex: Vec<String>,
        /// The operation version asked for (bits 16-23 of `op`).
        #[arg(long = "op-version", value_name = "N", default_value_t = 0)]
        op_version: u8,
        /// Response payload size (`out.len`).
        #[arg(long, default_value_t = 64)]
        out_len: u32,
    },
}

/// Examples shown by `fwctl pds --help`.
pub const PDS_HELP: &str = "\
Examples:
  fwctl pds fwctl2 endpoints
  fwctl pds fwctl2 ops 1
  fwctl pds fwctl2 call 1 0x1 03000000 --out-len 4

The driver exposes no discovery RPC: `endpoints` and `ops` ask its describe
(fwctld and the embedded transport only).";

/// `struct fwctl_rpc_pds` (host byte order).
fn rpc_pds(op: u32, ep: u32, in_len: u32, in_ptr: u64, out_len: u32, out_ptr: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(RPC_PDS_SIZE);
    for w in [op, ep, 0, in_len] {
        b.extend_from_slice(&w.to_ne_bytes());
    }
    b.extend_from_slice(&in_ptr.to_ne_bytes());
    for w in [0u32, 0, 0, out_len] {
        b.extend_from_slice(&w.to_ne_bytes());
    }
    b.extend_from_slice(&out_ptr.to_ne_bytes());
    b
}

/// One known operation: (command, name, minimum scope).
type Op = (u32, String, RpcScope);

fn scan(opened: &mut vendor::Opened, ep: u32, (a, b): (u32, u32)) -> Result<Vec<Op>, Errno> {
    let mut ops = Vec::new();
    for cmd in a..=b.min(0xffff) {
        let d = opened.channel.describe(&rpc_pds(cmd, ep, 0, 0, 0, 0))?;
        if let Some(min) = d.min_scope {
            ops.push((cmd, d.name.as_deref().unwrap_or("?").to_string(), min));
        }
    }
    Ok(ops)
}

fn no_describe(e: Errno, dev: &DeviceArg) -> CliError {
    if e == Errno::EOPNOTSUPP {
        CliError::usage(format!(
            "{dev}: this transport cannot ask the driver (the pds driver has no discovery RPC)"
        ))
        .with_hint("run it through fwctld (--transport daemon) or the simulator (--simulate)")
    } else {
        CliError::errno(e, format!("describe on {dev}"))
    }
}

/// Run `fwctl pds`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &PdsArgs) -> CmdResult {
    let dev = &args.target.device;
    let mut opened = vendor::open(ctx, dev, DeviceType::Pds, "a pds")?;
    let json_out = ctx.global.json;
    match &args.command {
        PdsCommand::Endpoints { eps, cmds } => {
            let mut found = Vec::new();
            for ep in eps.0..=eps.1 {
                let ops = scan(&mut opened, ep, *cmds).map_err(|e| no_describe(e, dev))?;
                if !ops.is_empty() {
                    found.push((ep, ops.len()));
                }
            }
            if json_out {
                let list: Vec<_> =
                    found.iter().map(|(ep, n)| json!({ "endpoint": ep, "operations": n })).collect();
                ctx.emit_json(&json!({ "device": dev.name, "endpoints": list }))?;
            } else {
                let w = &mut ctx.console.stdout;
                writeln!(w, "{}: {} endpoint(s) with operations", dev.name, found.len())?;
                for (ep, n) in &found {
                    writeln!(w, "  endpoint {ep}: {n} operation(s)")?;
                }
            }
            Ok(Exit::Ok)
        }
        PdsCommand::Ops { ep, cmds } => {
            let ops = scan(&mut opened, *ep, *cmds).map_err(|e| no_describe(e, dev))?;
            if json_out {
                let list: Vec<_> = ops
                    .iter()
                    .map(|(cmd, name, scope)| json!({ "op": cmd, "name": name, "scope": scope.name() }))
                    .collect();
                ctx.emit_json(&json!({ "device": dev.name, "endpoint": ep, "operations": list }))?;
            } else {
                let w = &mut ctx.console.stdout;
                writeln!(w, "{}: endpoint {ep}: {} operation(s)", dev.name, ops.len())?;
                writeln!(w, "  {:<8}  {:<24}  SCOPE", "OP", "NAME")?;
                for (cmd, name, scope) in &ops {
                    writeln!(w, "  {:<#8x}  {name:<24}  {}", cmd, scope.name())?;
                }
            }
            Ok(Exit::Ok)
        }
        PdsCommand::Call { ep, op, hex, op_version, out_len } => {
            if *op > 0xffff {
                return Err(CliError::usage(format!("op {op:#x} is more than 16 bits")));
            }
            let payload = if hex.is_empty() {
                Vec::new()
            } else {
                hexpayload::parse_args(hex).map_err(|e| CliError::usage(e.to_string()))?
            };
            let mut resp = vec![0u8; *out_len as usize];
            let (in_ptr, out_ptr) = (payload.as_ptr() as u64, resp.as_ptr() as u64);
            let full_op = op | u32::from(*op_version) << 16;
            let request = rpc_pds(full_op, *ep, payload.len() as u32, in_ptr, *out_len, out_ptr);
            let (scope, name) = vendor::scope_for(
                ctx,
                &mut opened,
                dev,
                DeviceType::Pds,
                &request,
                args.target.scope,
                args.target.yes,
            )?;
            let mut out = vec![0u8; RPC_PDS_SIZE];
            // Zero-length buffers are never touched (a zero-length copy never faults).
            let mut bufs = Vec::new();
            if !payload.is_empty() {
                bufs.push(UserSegment::In(in_ptr, &payload));
            }
            if !resp.is_empty() {
                bufs.push(UserSegment::Out(out_ptr, &mut resp));
            }
            vendor::send(&mut opened, dev, scope, &request, &mut out, &mut bufs)?;
            drop(bufs);
            let retval = u32::from_ne_bytes([out[24], out[25], out[26], out[27]]);
            let exit = if retval == 0 { Exit::Ok } else { Exit::DeviceError };
            if json_out {
                ctx.emit_json(&json!({ "device": dev.name, "endpoint": ep, "op": full_op, "command": name,
                    "scope": scope.name(), "retval": retval, "payload": hex::encode(&resp) }))?;
            } else {
                let w = &mut ctx.console.stdout;
                writeln!(
                    w,
                    "{}: endpoint {ep} op {full_op:#x} ({name}) at scope {scope}: retval {retval}",
                    dev.name
                )?;
                if !resp.is_empty() {
                    output::hexdump(*w, &resp)?;
                }
            }
            Ok(exit)
        }
    }
}
