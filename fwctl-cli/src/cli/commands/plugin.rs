//! `fwctl plugin check PATH` (load a plugin on its own and self-test it) and
//! `fwctl plugin list` (what is loaded, and from where).

use std::path::PathBuf;

use fwctl_core::plugin::{self, LoadOptions, PluginError};
use fwctl_core::transport::TransportKind;
use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::exit::{CliError, CmdResult, Exit};

/// Arguments of `fwctl plugin`.
#[derive(Debug, clap::Args)]
pub struct PluginArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: PluginAction,
}

/// `fwctl plugin` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PluginAction {
    /// Load a plugin in isolation and self-test it: ABI, device type, name,
    /// then probe, open, info, describe and close of every device. Nothing is
    /// registered and no RPC is sent. Exits 3 on any problem, 2 if PATH is missing.
    #[command(
        after_help = "Examples:\n  fwctl plugin check ./libpds_sim.so\n  fwctl plugin check ./libpds_sim.so --config devices=2 --json"
    )]
    Check {
        /// The shared library.
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The probe configuration string handed to the plugin.
        #[arg(long, value_name = "CONFIG", default_value = "")]
        config: String,
    },
    /// Plugins loaded by the subsystem that answers (embedded: the --plugin
    /// libraries of this run), and the devices each one drives.
    #[command(
        after_help = "Examples:\n  fwctl plugin list\n  fwctl --plugin ./libpds_sim.so?devices=2 plugin list --json"
    )]
    List,
}

/// Run `fwctl plugin`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &PluginArgs) -> CmdResult {
    match &args.action {
        PluginAction::Check { path, config } => check(ctx, path, config),
        PluginAction::List => list(ctx),
    }
}

fn check(ctx: &mut Ctx<'_, '_>, path: &std::path::Path, config: &str) -> CmdResult {
    let report = plugin::check(path, config, &LoadOptions::from_env());
    let exit = match &report.error {
        _ if report.ok() => Exit::Ok,
        Some(PluginError::NotFound { .. }) => Exit::Usage,
        _ => Exit::Refused,
    };
    if ctx.global.json {
        let steps: Vec<Value> = report
            .steps
            .iter()
            .map(|s| match &s.result {
                Ok(d) => json!({ "step": s.name, "ok": true, "detail": d }),
                Err(e) => json!({ "step": s.name, "ok": false, "detail": e }),
            })
            .collect();
        let doc = json!({
            "path": report.path.display().to_string(),
            "ok": report.ok(),
            "plugin": report.plugin.as_ref().map(|p| json!({
                "name": p.name, "version": p.version, "device_type": p.device_type.name(),
                "abi_version": p.abi_version, "struct_size": p.struct_size, "insecure": p.insecure,
                "resolved_path": p.path.display().to_string(),
            })),
            "steps": steps,
            "error": report.error.as_ref().map(|e| json!({ "kind": e.kind(), "message": e.to_string() })),
        });
        ctx.emit_json(&doc)?;
    } else {
        writeln!(ctx.console.stdout, "{report}")?;
    }
    if exit != Exit::Ok && !ctx.global.json {
        let what =
            report.error.as_ref().map_or("a self-test step failed".to_string(), |e| e.kind().to_string());
        return Err(CliError {
            exit,
            ..CliError::usage(format!("plugin {} failed the check: {what}", path.display()))
        });
    }
    Ok(exit)
}

fn list(ctx: &mut Ctx<'_, '_>) -> CmdResult {
    let transport = ctx.transport()?;
    let kind = transport.kind();
    let devices = transport.list().map_err(|e| CliError::errno(e, "list devices"))?;
    if kind != TransportKind::Embedded {
        // The libraries live in the daemon's (or kernel's) address space: what this
        // process can see is which driver each device reports.
        if ctx.global.json {
            let devs: Vec<Value> = devices
                .iter()
                .map(|d| json!({ "device": d.view.name, "driver": d.view.identity.driver }))
                .collect();
            writeln!(
                ctx.console.stdout,
                "{}",
                json!({ "transport": kind.name(), "plugins": null, "devices": devs })
            )?;
        } else {
            for d in &devices {
                writeln!(ctx.console.stdout, "{}  driver {}", d.view.name, d.view.identity.driver)?;
            }
            ctx.note(&format!(
                "{kind} transport: plugins are loaded in the {kind}'s process; the drivers of its devices are shown"
            ))?;
        }
        return Ok(Exit::Ok);
    }
    let loaded = plugin::loaded();
    // A plugin's devices report the driver "NAME VERSION (plugin)".
    let drives = |p: &plugin::PluginRecord| -> Vec<String> {
        let driver = format!("{} {} (plugin)", p.info.name, p.info.version);
        devices.iter().filter(|d| d.view.identity.driver == driver).map(|d| d.view.name.clone()).collect()
    };
    if ctx.global.json {
        let list: Vec<Value> = loaded
            .iter()
            .map(|p| {
                json!({
                    "name": p.info.name, "version": p.info.version, "path": p.info.path.display().to_string(),
                    "device_type": p.info.device_type.name(), "abi_version": p.info.abi_version,
                    "insecure": p.info.insecure, "live_devices": p.live_devices, "failure": p.failure,
                    "devices": drives(p),
                })
            })
            .collect();
        writeln!(ctx.console.stdout, "{}", json!({ "transport": kind.name(), "plugins": list }))?;
        return Ok(Exit::Ok);
    }
    if loaded.is_empty() {
        writeln!(ctx.console.stdout, "no plugins loaded (the simulated mlx5 device is linked in)")?;
        ctx.note("load plugins into the embedded subsystem with --plugin PATH[?CONFIG]")?;
    }
    for p in &loaded {
        let state = match &p.failure {
            Some(f) => format!("FAILED: {f}"),
            None => "ok".into(),
        };
        let devs = drives(p);
        writeln!(
            ctx.console.stdout,
            "{} {} ({}, abi {}) from {}: {} device(s) [{}] {state}{}",
            p.info.name,
            p.info.version,
            p.info.device_type,
            p.info.abi_version,
            p.info.path.display(),
            p.live_devices,
            devs.join(", "),
            if p.info.insecure { " (loaded insecurely)" } else { "" }
        )?;
    }
    Ok(Exit::Ok)
}
