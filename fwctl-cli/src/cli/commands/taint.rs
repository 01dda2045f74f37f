//! `fwctl taint`: the TAINT_FWCTL flag as `/proc/sys/kernel/tainted` shows it,
//! with the persisted record of the first tainting RPC; `fwctl taint clear`.
//!
//! Where the record lives depends on who answered: the embedded subsystem keeps
//! it in this user's state directory ([`fwctl_core::taint_store`]); `fwctld`
//! keeps its own and reports it through the control socket (root only); the
//! kernel keeps none, and only a reboot clears its flag.

use fwctl_core::audit::AuditLog;
use fwctl_core::server::{ControlRequest, control_call};
use fwctl_core::taint::TaintEvent;
use fwctl_core::taint_store::{TaintRecordStore, TaintStoreError};
use fwctl_core::transport::TransportKind;
use fwctl_core::uapi::{TAINT_FWCTL_LETTER, TAINT_FWCTL_MASK};
use fwctl_core::{Credentials, Errno};
use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::connect::runtime_dir;
use crate::cli::embedded;
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::output::utc_time;

/// Arguments of `fwctl taint`.
#[derive(Debug, clap::Args)]
pub struct TaintArgs {
    /// `clear`, or nothing to show the flag and the record.
    #[command(subcommand)]
    pub action: Option<TaintAction>,
    /// Output format (of the flag and record; not of `clear`).
    #[command(flatten)]
    pub out: crate::cli::outfmt::JsonArgs,
}

/// `fwctl taint` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TaintAction {
    /// Clear the persisted taint record and the flag (root only; the reason is audited).
    #[command(
        after_help = "Examples:\n  fwctl taint clear --reason \"firmware reflashed after the debug session\""
    )]
    Clear {
        /// Why it is safe to clear (written to the audit log).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

/// The record as one line of text.
pub fn record_line(r: &TaintEvent) -> String {
    let command = match (&r.command, r.opcode) {
        (Some(name), Some(op)) => format!("{name} (opcode 0x{op:04x})"),
        (Some(name), None) => name.clone(),
        (None, Some(op)) => format!("opcode 0x{op:04x}"),
        (None, None) => "an undescribed command".into(),
    };
    format!(
        "first set {} by uid {} (pid {}, {}) on {} at scope {}: {command}",
        utc_time(r.time),
        r.uid,
        r.pid,
        if r.comm.is_empty() { "?" } else { &r.comm },
        r.device,
        r.scope
    )
}

/// Where the record came from, and what it says.
struct Record {
    /// `Some(record)` / `None` (no record) when it could be read.
    event: Result<Option<TaintEvent>, String>,
    /// Where it lives.
    location: String,
}

fn record(ctx: &Ctx<'_, '_>, kind: TransportKind) -> Record {
    match kind {
        TransportKind::Embedded => {
            let paths = embedded::paths(ctx.global);
            // Read without TaintRecordStore::open, which would create the directory.
            let file = paths.state_dir.join(fwctl_core::taint_store::TAINT_FILE);
            let event = match std::fs::read(&file) {
                Ok(bytes) => serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| format!("{} is corrupt ({e}); it still counts as tainted", file.display())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(format!("{}: {e}", file.display())),
            };
            Record { event, location: file.display().to_string() }
        }
        TransportKind::Daemon => {
            let dir = runtime_dir(ctx.global);
            let status = control_call(&dir, &ControlRequest::Status).map_err(|e| e.to_string());
            let event = status.and_then(|status| {
                // The daemon's administrative state is under "admin".
                match status.get("admin").and_then(|a| a.get("taint_record")) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| e.to_string()),
                }
            });
            Record { event, location: format!("fwctld ({})", dir.display()) }
        }
        TransportKind::Kernel => Record {
            event: Err("the kernel keeps no record of who tainted it; see dmesg".into()),
            location: "kernel".into(),
        },
    }
}

/// Run `fwctl taint`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &TaintArgs) -> CmdResult {
    if let Some(TaintAction::Clear { reason }) = &args.action {
        return clear(ctx, reason);
    }
    let transport = ctx.transport()?;
    let kind = transport.kind();
    let tainted = transport
        .tainted()
        .ok_or_else(|| CliError::no_device(format!("the {kind} transport cannot tell the taint state")))?;
    let rec = record(ctx, kind);
    let mask = if tainted { TAINT_FWCTL_MASK } else { 0 };
    if ctx.global.json {
        let letter = tainted.then(|| TAINT_FWCTL_LETTER.to_string());
        let (r, err) = match &rec.event {
            Ok(r) => (r.as_ref().map_or(Value::Null, |r| json!(r)), Value::Null),
            Err(e) => (Value::Null, json!(e)),
        };
        let doc = json!({
            "tainted": tainted, "mask": mask, "letter": letter, "transport": kind.name(),
            "record": r, "record_location": rec.location, "record_error": err,
        });
        ctx.emit_json(&doc)?;
        return Ok(Exit::Ok);
    }
    if tainted {
        writeln!(ctx.console.stdout, "TAINT_FWCTL: set ({TAINT_FWCTL_LETTER}, {mask})")?;
    } else {
        writeln!(ctx.console.stdout, "TAINT_FWCTL: not set (0)")?;
    }
    match &rec.event {
        Ok(Some(r)) => {
            writeln!(ctx.console.stdout, "record: {}", record_line(r))?;
            writeln!(ctx.console.stdout, "stored in: {}", rec.location)?;
            writeln!(ctx.console.stdout, "clear with: fwctl taint clear --reason TEXT (root)")?;
        }
        Ok(None) => writeln!(ctx.console.stdout, "record: none ({})", rec.location)?,
        Err(e) => writeln!(ctx.console.stdout, "record: unavailable: {e}")?,
    }
    if kind == TransportKind::Embedded {
        ctx.note("embedded transport: the flag and record of the subsystem in this fwctl process and its state directory")?;
    }
    Ok(Exit::Ok)
}

fn clear(ctx: &mut Ctx<'_, '_>, reason: &str) -> CmdResult {
    if reason.trim().is_empty() {
        return Err(CliError::usage("--reason is empty: say why the taint may be cleared (it is audited)"));
    }
    let transport = ctx.transport()?;
    match transport.kind() {
        TransportKind::Kernel => Err(CliError::errno(Errno::EOPNOTSUPP, "clear the kernel's TAINT_FWCTL")
            .with_hint("the kernel's taint flag is cleared only by a reboot")),
        TransportKind::Daemon => {
            let dir = runtime_dir(ctx.global);
            control_call(&dir, &ControlRequest::ClearTaint(reason.to_string())).map_err(|e| {
                CliError::refused(format!("fwctld refused to clear the taint: {e}"))
                    .with_hint("the control socket is for root; run as root")
            })?;
            writeln!(
                ctx.console.stdout,
                "taint cleared by fwctld ({}); reason recorded in its audit log",
                dir.display()
            )?;
            Ok(Exit::Ok)
        }
        TransportKind::Embedded => {
            let paths = embedded::paths(ctx.global);
            let me = Credentials::current();
            let not_root = |e: TaintStoreError| {
                CliError::errno(Errno::EPERM, format!("taint clear: {e}"))
                    .with_hint("run as root (sudo fwctl taint clear --reason …)")
            };
            // Someone who may not clear it usually cannot open root's files either:
            // say the first thing that matters.
            let opened = TaintRecordStore::open(&paths.state_dir).map_err(|e| e.to_string()).and_then(|s| {
                AuditLog::open(&paths.audit_log, Default::default())
                    .map(|a| (s, a))
                    .map_err(|e| e.to_string())
            });
            let (store, audit) = match opened {
                Ok(x) => x,
                Err(_) if me.uid != 0 => return Err(not_root(TaintStoreError::NotRoot { uid: me.uid })),
                Err(e) => return Err(CliError::usage(e)),
            };
            match store.clear(reason, &me, Some(&audit), None) {
                Ok(Some(r)) => {
                    writeln!(ctx.console.stdout, "taint cleared: {}", record_line(&r))?;
                    writeln!(ctx.console.stdout, "audited in {}", paths.audit_log.display())?;
                }
                Ok(None) => writeln!(
                    ctx.console.stdout,
                    "no taint record in {}; the clearing is audited in {}",
                    paths.state_dir.display(),
                    paths.audit_log.display()
                )?,
                Err(e @ TaintStoreError::NotRoot { .. }) => return Err(not_root(e)),
                Err(TaintStoreError::NoReason) => {
                    return Err(CliError::usage("--reason is empty: say why the taint may be cleared"));
                }
                Err(e) => return Err(CliError::refused(e.to_string())),
            }
            Ok(Exit::Ok)
        }
    }
}
