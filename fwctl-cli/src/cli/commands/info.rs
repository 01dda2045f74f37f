//! `fwctl info DEV`: `FWCTL_INFO`, the device type and its decoded device data.

use std::io::Write;

use fwctl_core::DeviceType;
use fwctl_core::uapi::FwctlInfoMlx5;
use serde_json::{Value, json};
use zerocopy::FromBytes;

use crate::cli::Ctx;
use crate::cli::device::{self, DeviceArg};
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::hexpayload::to_hex;

/// Arguments of `fwctl info`.
#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// The device: fwctl0, 0, /dev/fwctl/fwctl0 or a path.
    #[arg(value_name = "DEV", value_parser = device::parse)]
    pub device: DeviceArg,
    /// Print the device data bytes only (binary, for piping).
    #[arg(long, conflicts_with_all = ["json", "output_format"])]
    pub raw: bool,
    /// Output format.
    #[command(flatten)]
    pub out: crate::cli::outfmt::JsonArgs,
}

/// First buffer offered to FWCTL_INFO; the call is repeated with the driver's
/// length when the data is longer.
const FIRST_INFO_LEN: usize = 256;

/// Decode device data by device type: `(label, text, json)` rows.
fn decode(device_type: Option<DeviceType>, data: &[u8]) -> Option<Vec<(&'static str, String, Value)>> {
    match device_type? {
        DeviceType::Mlx5 => {
            let info = FwctlInfoMlx5::read_from_prefix(data).ok()?.0;
            let names = fwctl_mlx5_sim::prm::caps::uctx_cap_names(info.uctx_caps);
            let caps_text = if names.is_empty() { "none".to_string() } else { names.join(", ") };
            Some(vec![
                ("uid", info.uid.to_string(), json!(info.uid)),
                ("uctx_caps", format!("0x{:08x} ({caps_text})", info.uctx_caps), json!(info.uctx_caps)),
                ("uctx_caps_names", caps_text, json!(names)),
            ])
        }
        _ => None,
    }
}

/// Run `fwctl info`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &InfoArgs) -> CmdResult {
    let transport = ctx.transport()?;
    let dev = &device::resolve(transport.as_ref(), &args.device)?;
    let mut channel = ctx.open_device(transport.as_ref(), dev)?;
    let mut data = vec![0u8; FIRST_INFO_LEN];
    let mut r = channel.info(&mut data).map_err(|e| info_error(e, channel.as_ref(), &dev.to_string()))?;
    if r.device_data_len as usize > data.len() {
        data = vec![0u8; r.device_data_len as usize];
        r = channel.info(&mut data).map_err(|e| info_error(e, channel.as_ref(), &dev.to_string()))?;
    }
    data.truncate((r.device_data_len as usize).min(data.len()));
    let device_type = DeviceType::from_u32(r.device_type);
    if args.raw {
        ctx.console.stdout.write_all(&data)?;
        return Ok(Exit::Ok);
    }
    let decoded = decode(device_type, &data);
    // What devlink dev info users look for first: parent, firmware, serial.
    let identity = transport
        .list()
        .ok()
        .and_then(|l| l.into_iter().find(|d| d.view.name == dev.name))
        .map(|d| d.view.identity);
    if ctx.global.json {
        let fields: serde_json::Map<String, Value> =
            decoded.iter().flatten().map(|(k, _, v)| (k.to_string(), v.clone())).collect();
        let doc = json!({
            "device": dev.name,
            "transport": transport.kind().name(),
            "type": device_type.map(DeviceType::name),
            "type_value": r.device_type,
            "device_data_len": r.device_data_len,
            "device_data": to_hex(&data),
            "decoded": decoded.as_ref().map(|_| Value::Object(fields)),
            "driver": identity.as_ref().map(|i| i.driver.clone()),
            "parent": identity.as_ref().and_then(|i| i.parent.clone()),
            "fw_version": identity.as_ref().and_then(|i| i.fw_version.clone()),
            "serial": identity.as_ref().and_then(|i| i.serial.clone()),
        });
        ctx.emit_json(&doc)?;
        return Ok(Exit::Ok);
    }
    let out = &mut ctx.console.stdout;
    writeln!(out, "device:      {}", dev.name)?;
    match device_type {
        Some(t) => writeln!(out, "type:        {t} ({} = {})", t.kernel_name(), r.device_type)?,
        None => writeln!(out, "type:        unknown ({})", r.device_type)?,
    }
    if let Some(i) = &identity {
        let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        writeln!(out, "driver:      {}", if i.driver.is_empty() { "-" } else { &i.driver })?;
        writeln!(out, "parent:      {}", or_dash(&i.parent))?;
        writeln!(out, "firmware:    {}", or_dash(&i.fw_version))?;
        writeln!(out, "serial:      {}", or_dash(&i.serial))?;
    }
    if data.is_empty() {
        writeln!(out, "device data: 0 bytes")?;
    } else {
        writeln!(out, "device data: {} bytes: {}", data.len(), to_hex(&data))?;
    }
    for (label, text, _) in decoded.iter().flatten().filter(|(l, _, _)| *l != "uctx_caps_names") {
        writeln!(out, "  {label:<10} {text}")?;
    }
    Ok(Exit::Ok)
}

/// A failed FWCTL_INFO; a transport failure (`EIO`) says what the daemon said.
fn info_error(e: fwctl_core::Errno, channel: &dyn fwctl_core::transport::Channel, dev: &str) -> CliError {
    let mut err = CliError::errno(e, format!("FWCTL_INFO on {dev}"));
    if e == fwctl_core::Errno::EIO
        && let Some(why) = channel.transport_error()
    {
        err.message = format!("FWCTL_INFO on {dev}: {why}");
    }
    err
}
