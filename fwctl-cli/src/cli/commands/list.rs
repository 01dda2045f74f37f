//! `fwctl list`: every device the transport can reach.

use std::io::Write;

use serde_json::json;

use crate::cli::Ctx;
use crate::cli::exit::{CliError, CmdResult, Exit};

/// Arguments of `fwctl list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Output format.
    #[command(flatten)]
    pub out: crate::cli::outfmt::JsonArgs,
}

/// Run `fwctl list`.
pub fn run(ctx: &mut Ctx<'_, '_>) -> CmdResult {
    let connected = ctx.connect()?;
    let transport = connected.transport;
    let kind = transport.kind();
    let devices = transport.list().map_err(|e| CliError::errno(e, "list devices"))?;
    let tainted = transport.tainted();
    if ctx.global.json {
        let list: Vec<_> = devices
            .iter()
            .map(|d| {
                json!({
                    "name": d.view.name,
                    "minor": d.view.minor,
                    "type": d.view.device_type.name(),
                    "parent": d.view.identity.parent,
                    "driver": d.view.identity.driver,
                    "fw_version": d.view.identity.fw_version,
                    "serial": d.view.identity.serial,
                    "state": d.state.name(),
                    "failure": d.failure,
                    "transport": kind.name(),
                    "tainted": tainted,
                })
            })
            .collect();
        let doc = json!({
            "transport": kind.name(),
            "transport_reason": connected.reason,
            "tainted": tainted,
            "devices": list,
        });
        ctx.emit_json(&doc)?;
        return Ok(Exit::Ok);
    }
    let taint = match tainted {
        Some(true) => "J",
        Some(false) => "-",
        None => "?",
    };
    let mut rows = vec![
        ["DEVICE", "TYPE", "PARENT", "DRIVER", "FIRMWARE", "SERIAL", "STATE", "TRANSPORT", "TAINT"]
            .map(String::from),
    ];
    for d in &devices {
        let state = match &d.failure {
            Some(why) => format!("{} ({why})", d.state.name()),
            None => d.state.name().to_string(),
        };
        rows.push([
            d.view.name.clone(),
            d.view.device_type.name().to_string(),
            d.view.identity.parent.clone().unwrap_or_else(|| "-".into()),
            if d.view.identity.driver.is_empty() { "-".into() } else { d.view.identity.driver.clone() },
            d.view.identity.fw_version.clone().unwrap_or_else(|| "-".into()),
            d.view.identity.serial.clone().unwrap_or_else(|| "-".into()),
            state,
            kind.name().to_string(),
            taint.to_string(),
        ]);
    }
    if devices.is_empty() {
        writeln!(ctx.console.stdout, "no fwctl devices (transport: {kind})")?;
    } else {
        write_table(ctx.console.stdout, &rows)?;
    }
    ctx.note(&format!("{kind} transport answered: {}", connected.reason))?;
    if kind == fwctl_core::transport::TransportKind::Embedded {
        ctx.note("embedded transport: the subsystem and its devices live in this fwctl process")?;
    }
    Ok(Exit::Ok)
}

/// Print rows as left-aligned columns separated by two spaces.
pub fn write_table<const N: usize>(w: &mut dyn Write, rows: &[[String; N]]) -> std::io::Result<()> {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        writeln!(w, "{}", line.trim_end())?;
    }
    Ok(())
}
