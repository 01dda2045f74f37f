//! `fwctl daemon status|reload|plug|unplug|taint-clear`: the control verbs of
//! the running `fwctld` (its control socket answers root only; each verb is
//! audited by the daemon).

use fwctl_core::server::{CallError, ControlRequest, control_call};
use serde_json::Value;

use crate::cli::Ctx;
use crate::cli::connect::{self, runtime_dirs};
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::output::utc_time;

/// Arguments of `fwctl daemon`.
#[derive(Debug, clap::Args)]
pub struct DaemonArgs {
    /// The verb.
    #[command(subcommand)]
    pub verb: DaemonVerb,
}

/// The control verbs.
#[derive(Debug, clap::Subcommand)]
pub enum DaemonVerb {
    /// Which fwctld runs: pid, runtime directory, policy and its load time, devices, taint.
    Status {
        /// Output format.
        #[command(flatten)]
        out: crate::cli::outfmt::JsonArgs,
    },
    /// Reload the policy (a bad file is rejected and the last good one stays).
    Reload,
    /// Hot-plug a device configured in fwctld.toml, by its label.
    Plug {
        /// The configuration label (`[[device]] name = …`).
        #[arg(value_name = "LABEL")]
        label: String,
    },
    /// Hot-unplug a device: open handles get ENODEV.
    Unplug {
        /// The device (fwctl0, 0, /dev/fwctl/fwctl0).
        #[arg(value_name = "DEV", value_parser = crate::cli::device::parse)]
        device: crate::cli::device::DeviceArg,
    },
    /// Clear the taint record (audited; same as `fwctl taint clear` against the daemon).
    TaintClear {
        /// Why it may be cleared (recorded in the audit log).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

fn call(ctx: &Ctx<'_, '_>, req: &ControlRequest) -> Result<(std::path::PathBuf, Value), CliError> {
    let Some(daemon) = connect::running_daemon(ctx.global) else {
        let dirs: Vec<String> = runtime_dirs(ctx.global).iter().map(|d| d.display().to_string()).collect();
        return Err(CliError::no_device(format!("no fwctld is serving {}", dirs.join(" or "))).with_hint(
            "start fwctld (systemctl start fwctld), or point --runtime-dir at its runtime directory",
        ));
    };
    let dir = daemon.runtime_dir().to_path_buf();
    crate::cli::watchdog::waiting_for(format!("fwctld's control socket in {}", dir.display()));
    let verb = req.to_json()["verb"].as_str().unwrap_or("?").to_string();
    match control_call(&dir, req) {
        Ok(v) => Ok((dir, v)),
        Err(e) => {
            let root_only = matches!(&e, CallError::Daemon(m) if m.contains("root only"));
            let err = CliError::refused(format!("fwctld {verb}: {e}"));
            Err(if root_only {
                err.with_hint("the control socket answers root only: run as root")
            } else {
                err
            })
        }
    }
}

/// Run `fwctl daemon VERB`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &DaemonArgs) -> CmdResult {
    match &args.verb {
        DaemonVerb::Status { .. } => {
            let (dir, v) = call(ctx, &ControlRequest::Status)?;
            if ctx.global.json {
                ctx.emit_json(&v)?;
                return Ok(Exit::Ok);
            }
            let policy = &v["admin"]["policy"];
            let out = &mut ctx.console.stdout;
            writeln!(out, "fwctld pid {} serving {}", v["pid"], dir.display())?;
            writeln!(out, "uptime:      {} s", v["uptime_secs"])?;
            if let Some(src) = policy["source"].as_str() {
                let at = policy["loaded_at"].as_u64().map(utc_time).unwrap_or_default();
                writeln!(out, "policy:      {src} (loaded {at}, {} rule(s))", policy["rules"])?;
            }
            if let Some(log) = v["admin"]["audit_log"].as_str() {
                writeln!(out, "audit log:   {log}")?;
            }
            writeln!(out, "tainted:     {}", v["tainted"])?;
            writeln!(out, "connections: {} (max {})", v["connections"], v["max_connections"])?;
            writeln!(out, "rpcs:        {}", v["rpcs"])?;
            for d in v["devices"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "device:      {} {} {} ({} open)",
                    d["name"].as_str().unwrap_or("?"),
                    d["driver"].as_str().unwrap_or("-"),
                    d["state"].as_str().unwrap_or("?"),
                    d["open_handles"]
                )?;
            }
            for u in v["unavailable"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "unavailable: {}: {}",
                    u["label"].as_str().unwrap_or("?"),
                    u["error"].as_str().unwrap_or("?")
                )?;
            }
        }
        DaemonVerb::Reload => {
            let (dir, v) = call(ctx, &ControlRequest::Reload)?;
            let detail = v.as_str().unwrap_or("");
            writeln!(ctx.console.stdout, "fwctld ({}) reloaded the policy: {detail}", dir.display())?;
        }
        DaemonVerb::Plug { label } => {
            let (_, v) = call(ctx, &ControlRequest::Plug(label.clone()))?;
            writeln!(ctx.console.stdout, "plugged {label} as {}", v.as_str().unwrap_or("?"))?;
        }
        DaemonVerb::Unplug { device } => {
            call(ctx, &ControlRequest::Unplug(device.name.clone()))?;
            writeln!(ctx.console.stdout, "unplugged {device}: its open handles now get ENODEV")?;
        }
        DaemonVerb::TaintClear { reason } => {
            if reason.trim().is_empty() {
                return Err(CliError::usage(
                    "--reason is empty: say why the taint may be cleared (it is audited)",
                ));
            }
            let (dir, _) = call(ctx, &ControlRequest::ClearTaint(reason.clone()))?;
            writeln!(
                ctx.console.stdout,
                "taint cleared by fwctld ({}); reason recorded in its audit log",
                dir.display()
            )?;
        }
    }
    Ok(Exit::Ok)
}
