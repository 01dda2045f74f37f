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
        /// Output format.
        #[command(flatten)]
        out: crate::cli::outfmt::JsonArgs,
    },
    /// Plugins loaded by the subsystem that answers (embedded: the --plugin
    /// libraries of this run), and the devices each one drives.
    #[command(
        after_help = "Examples:\n  fwctl plugin list\n  fwctl --plugin ./libpds_sim.so?devices=2 plugin list --json"
    )]
    List {
        /// Output format.
        #[command(flatten)]
        out: crate::cli::outfmt::JsonArgs,
    },
}

/// Run `fwctl plugin`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &PluginArgs) -> CmdResult {
    match &args.action {
        PluginAction::Check { path, config, .. } => check(ctx, path, config),
        PluginAction::List { .. } => list(ctx),
    }
}

/// Set in the child that `fwctl plugin check` runs the plugin in.
pub const CHECK_CHILD_ENV: &str = "FWCTL_PLUGIN_CHECK_CHILD";
/// Seconds the child may take before it is killed and the plugin reported hung
/// (environment `FWCTL_PLUGIN_CHECK_TIMEOUT`, default 30).
const CHECK_TIMEOUT_ENV: &str = "FWCTL_PLUGIN_CHECK_TIMEOUT";

fn check(ctx: &mut Ctx<'_, '_>, path: &std::path::Path, config: &str) -> CmdResult {
    // The plugin's code runs in a child (this same program, re-executed with the
    // same arguments): a segfault, abort, exit or hang there is reported as a
    // named failure instead of taking this process with it.
    let exe = std::env::current_exe().ok().filter(|e| e.file_name().is_some_and(|n| n == "fwctl"));
    if std::env::var_os(CHECK_CHILD_ENV).is_none()
        && let Some(exe) = exe
    {
        return check_in_child(ctx, &exe, path);
    }
    if std::env::var_os(CHECK_CHILD_ENV).is_some() {
        // The check child: no privileges gained from here on (no setuid/file
        // capabilities through exec) before any plugin code runs.
        nix::sys::prctl::set_no_new_privs()
            .map_err(|e| CliError::usage(format!("cannot set PR_SET_NO_NEW_PRIVS for the check: {e}")))?;
    }
    check_here(ctx, path, config)
}

fn check_in_child(ctx: &mut Ctx<'_, '_>, exe: &std::path::Path, path: &std::path::Path) -> CmdResult {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let timeout = std::env::var(CHECK_TIMEOUT_ENV).ok().and_then(|v| v.parse().ok()).unwrap_or(30u64);
    let mut child = Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(CHECK_CHILD_ENV, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            CliError::usage(format!(
                "cannot start the check child ({}): {}",
                exe.display(),
                crate::cli::files::io_reason(&e)
            ))
        })?;
    // Drain both pipes while waiting, so a chatty plugin cannot block on a full pipe.
    let drain = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            if let Some(mut r) = r {
                let _ = std::io::Read::read_to_end(&mut r, &mut v);
            }
            v
        })
    };
    let out_t = drain(child.stdout.take().map(|o| Box::new(o) as Box<dyn std::io::Read + Send>));
    let err_t = drain(child.stderr.take().map(|o| Box::new(o) as Box<dyn std::io::Read + Send>));
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => {
                return Err(CliError::usage(format!(
                    "waiting for the check child: {}",
                    crate::cli::files::io_reason(&e)
                )));
            }
        }
    };
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    let failure = match status {
        Some(st) if st.code().is_some() && stdout.ends_with(b"\n") || st.code() == Some(2) => {
            // The child finished its report (or refused its arguments): pass it on.
            ctx.console.stdout.write_all(&stdout)?;
            ctx.console.stderr.write_all(&stderr)?;
            return Ok(match st.code() {
                Some(0) => Exit::Ok,
                Some(2) => Exit::Usage,
                Some(4) => Exit::NoDevice,
                _ => Exit::Refused,
            });
        }
        Some(st) => match (st.signal(), st.code()) {
            (Some(sig), _) => (
                "crashed",
                format!(
                    "the plugin crashed the check process: killed by signal {sig} ({})",
                    nix::sys::signal::Signal::try_from(sig).map_or("unknown", |s| s.as_str())
                ),
            ),
            (None, code) => (
                "exited",
                format!("the plugin ended the check process with exit status {}", code.unwrap_or(-1)),
            ),
        },
        None => {
            ("hung", format!("the plugin did not finish the check within {timeout} s ({CHECK_TIMEOUT_ENV})"))
        }
    };
    let (kind, message) = failure;
    if ctx.global.json {
        let doc = json!({
            "path": path.display().to_string(),
            "ok": false,
            "plugin": null,
            "steps": [],
            "error": { "kind": kind, "message": message },
            "child_output": String::from_utf8_lossy(&stdout),
        });
        writeln!(ctx.console.stdout, "{doc}")?;
        return Ok(Exit::Refused);
    }
    // What the child printed before it died, then the verdict.
    ctx.console.stdout.write_all(&stdout)?;
    if !stdout.is_empty() && !stdout.ends_with(b"\n") {
        writeln!(ctx.console.stdout)?;
    }
    writeln!(ctx.console.stdout, "plugin {}\n  error [{kind}]: {message}\nresult: FAILED", path.display())?;
    Err(CliError {
        exit: Exit::Refused,
        ..CliError::usage(format!("plugin {} failed the check: {kind}", path.display()))
    })
}

fn check_here(ctx: &mut Ctx<'_, '_>, path: &std::path::Path, config: &str) -> CmdResult {
    #[allow(unsafe_code)]
    // SAFETY: `fwctl plugin check PATH` is the user asking to run that library's
    // code in this process, with this process's privileges.
    let report = unsafe { plugin::check(path, config, &LoadOptions::from_env()) };
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
                Err(e) => json!({ "step": s.name, "ok": false, "detail": e.to_string() }),
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
