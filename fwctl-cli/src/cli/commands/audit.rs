//! `fwctl audit`: read the audit log ([`fwctl_core::audit::read`]), filtered.
//!
//! The log is the embedded subsystem's (`<state-dir>/audit.log`) unless
//! `--audit-log` names another, e.g. the daemon's. A torn last line (a crash
//! mid-write) and unparsable lines are skipped and reported on standard error.

use fwctl_core::audit::{self, AuditEvent, AuditFilter, AuditRecord};
use serde_json::json;

use crate::cli::Ctx;
use crate::cli::embedded;
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::output::utc_time;

/// Arguments of `fwctl audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Only the last N matching records.
    #[arg(long, value_name = "N")]
    pub tail: Option<usize>,
    /// Only records about this device (fwctl0, 0, /dev/fwctl/fwctl0).
    #[arg(long, value_name = "DEV", value_parser = crate::cli::device::parse)]
    pub device: Option<crate::cli::device::DeviceArg>,
    /// Only refusals (records with an errno).
    #[arg(long)]
    pub denied: bool,
    /// Only records of this uid.
    #[arg(long, value_name = "UID")]
    pub uid: Option<u32>,
}

/// The event's name as logged (`rpc`, `open-denied`, `taint`, `control`…).
fn event_name(e: AuditEvent) -> String {
    serde_json::to_value(e).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| "?".into())
}

/// One record as a line of text.
pub fn record_line(r: &AuditRecord) -> String {
    let mut s = format!(
        "{} {:<13} {} uid={} pid={} comm={}",
        utc_time(r.time),
        event_name(r.event),
        r.device.as_deref().unwrap_or("-"),
        r.uid,
        r.pid,
        if r.comm.is_empty() { "?" } else { &r.comm }
    );
    if let Some(scope) = &r.scope {
        s.push_str(&format!(" scope={scope}"));
    }
    match (&r.command, r.opcode) {
        (Some(c), Some(op)) => s.push_str(&format!(" {c}(0x{op:04x})")),
        (Some(c), None) => s.push_str(&format!(" {c}")),
        (None, Some(op)) => s.push_str(&format!(" opcode=0x{op:04x}")),
        (None, None) => {}
    }
    if r.event == AuditEvent::Rpc || r.event == AuditEvent::OpenDenied {
        match &r.errno {
            Some(e) => s.push_str(&format!(" -> {e}")),
            None => s.push_str(" -> ok"),
        }
    }
    if let Some(st) = &r.status {
        s.push_str(&format!(" status={st}"));
    }
    if let Some(rule) = &r.rule {
        s.push_str(&format!(" rule={rule}"));
    }
    if matches!(r.event, AuditEvent::TaintCleared | AuditEvent::PolicyLoad)
        && let Some(reason) = &r.reason
    {
        s.push_str(&format!(" reason={reason:?}"));
    }
    if let Some(e) = &r.error {
        s.push_str(&format!(" error={e:?}"));
    }
    s
}

/// Run `fwctl audit`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &AuditArgs) -> CmdResult {
    let path = embedded::paths(ctx.global).audit_log;
    let filter = AuditFilter {
        device: args.device.as_ref().map(|d| d.name.clone()),
        denied_only: args.denied,
        uid: args.uid,
        tail: args.tail,
    };
    let readout = match audit::read(&path, &filter) {
        Ok(r) => r,
        Err(e) if e.source.kind() == std::io::ErrorKind::NotFound => {
            ctx.note(&format!("no audit log at {} yet: nothing has been recorded", path.display()))?;
            Default::default()
        }
        Err(e) => {
            return Err(CliError::usage(e.to_string())
                .with_hint("point --audit-log (or --state-dir) at a readable log"));
        }
    };
    if readout.torn_tail {
        ctx.warn(&format!(
            "{}: the last line is incomplete (a crash mid-write?) and was skipped",
            path.display()
        ))?;
    }
    if !readout.bad_lines.is_empty() {
        let lines: Vec<String> = readout.bad_lines.iter().map(usize::to_string).collect();
        ctx.warn(&format!("{}: skipped unparsable line(s) {}", path.display(), lines.join(", ")))?;
    }
    if ctx.global.json {
        let doc = json!({
            "log": path.display().to_string(),
            "records": readout.records,
            "torn_tail": readout.torn_tail,
            "bad_lines": readout.bad_lines,
        });
        ctx.emit_json(&doc)?;
        return Ok(Exit::Ok);
    }
    for r in &readout.records {
        writeln!(ctx.console.stdout, "{}", record_line(r))?;
    }
    ctx.note(&format!("{} record(s) from {}", readout.records.len(), path.display()))?;
    Ok(Exit::Ok)
}
