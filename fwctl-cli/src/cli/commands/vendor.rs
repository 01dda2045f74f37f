//! What the typed vendor commands whose requests carry pointers (`fwctl pds`,
//! `fwctl bnxt`) share: open the device and check its type, ask the driver for
//! the lowest scope, confirm a tainting scope, and send the request with the
//! caller's extra buffers mapped (`Channel::rpc_with_buffers`).

use fwctl_core::transport::{Channel, UserSegment};
use fwctl_core::{DeviceType, RpcScope};

use crate::cli::Ctx;
use crate::cli::commands::rpc;
use crate::cli::device::{self, DeviceArg};
use crate::cli::exit::CliError;
use crate::cli::value::ValueError;

/// The arguments every typed vendor command (`fwctl cxl|pds|bnxt DEV …`)
/// takes before its subcommand.
#[derive(Debug, clap::Args)]
pub struct TypedDevice {
    /// The device: fwctlN, N, /dev/fwctl/fwctlN, a path or its PCI address.
    #[arg(value_name = "DEV", value_parser = device::parse)]
    pub device: DeviceArg,
    /// Scope to use instead of the lowest one the driver allows for the request.
    #[arg(short, long, global = true, value_parser = rpc::parse_scope)]
    pub scope: Option<RpcScope>,
    /// Confirm a tainting scope without asking.
    #[arg(short, long, global = true)]
    pub yes: bool,
    /// Output format (every subcommand).
    #[command(flatten)]
    pub out: crate::cli::outfmt::JsonArgsGlobal,
}

/// An open device of the wanted type.
pub struct Opened {
    /// The channel.
    pub channel: Box<dyn Channel>,
    /// The transport's name.
    pub transport: &'static str,
}

/// Open `dev`, refusing a device that is not of type `want`.
pub fn open(
    ctx: &mut Ctx<'_, '_>,
    dev: &DeviceArg,
    want: DeviceType,
    article_name: &str,
) -> Result<Opened, CliError> {
    let transport = ctx.transport()?;
    let mut channel = ctx.open_device(transport.as_ref(), dev)?;
    rpc::require_device_type(
        channel.as_mut(),
        dev,
        want,
        article_name,
        "`fwctl list` shows each device's type",
    )?;
    Ok(Opened { channel, transport: transport.kind().name() })
}

/// The scope for `request` (asked, else the driver's minimum), confirmed when it taints.
pub fn scope_for(
    ctx: &mut Ctx<'_, '_>,
    opened: &mut Opened,
    dev: &DeviceArg,
    device_type: DeviceType,
    request: &[u8],
    asked: Option<RpcScope>,
    yes: bool,
) -> Result<(RpcScope, String), CliError> {
    let description = opened.channel.describe(request).ok();
    let name = description.as_ref().and_then(|d| d.name.as_deref()).unwrap_or("the command").to_string();
    let scope = rpc::typed_scope(ctx, asked, description.as_ref())?;
    if scope.taints() {
        let report = rpc::Report {
            device: dev.name.clone(),
            device_type: Some(device_type),
            transport: opened.transport,
            scope,
            request,
            description: description.as_ref(),
        };
        rpc::confirm_taint(ctx, &report, yes)?;
    }
    Ok((scope, name))
}

/// Send `request` with `buffers` mapped; returns the driver's `out_len`.
/// Without buffers it is `fwctl rpc`'s one-frame call, whose refusals name the
/// rule and the scope needed.
pub fn send(
    opened: &mut Opened,
    dev: &DeviceArg,
    scope: RpcScope,
    request: &[u8],
    response: &mut [u8],
    buffers: &mut [UserSegment<'_>],
) -> Result<u32, CliError> {
    if buffers.is_empty() {
        let ex = rpc::send(opened.channel.as_mut(), &dev.name, scope, request, Some(response.len()))?;
        let n = ex.response.len().min(response.len());
        response[..n].copy_from_slice(&ex.response[..n]);
        return Ok(u32::try_from(ex.produced).unwrap_or(u32::MAX));
    }
    opened
        .channel
        .rpc_with_buffers(scope.as_u32(), request, response, buffers)
        .map(|r| r.out_len)
        .map_err(|e| CliError::errno(e, format!("rpc on {} at scope {scope}", dev.name)))
}

/// Parse `A-B` / `A` (decimal or 0x-hex) into an inclusive range.
pub fn parse_range(s: &str) -> Result<(u32, u32), ValueError> {
    let num = |t: &str| {
        let t = t.trim();
        match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            Some(h) => u32::from_str_radix(h, 16),
            None => t.parse(),
        }
        .map_err(|_| ValueError::NotANumber(t.into()))
    };
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (num(a)?, num(b)?),
        None => (num(s)?, num(s)?),
    };
    if a > b {
        return Err(ValueError::EmptyRange(s.into()));
    }
    Ok((a, b))
}

/// Parse a number, decimal or 0x-hex.
pub fn parse_num(s: &str) -> Result<u32, ValueError> {
    parse_range(s).and_then(|(a, b)| if a == b { Ok(a) } else { Err(ValueError::NotOneNumber(s.into())) })
}
