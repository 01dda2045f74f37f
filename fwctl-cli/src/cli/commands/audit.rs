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
use crate::cli::files;
use crate::cli::output::utc_time;

/// Arguments of `fwctl audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Output format.
    #[command(flatten)]
    pub out: crate::cli::outfmt::JsonArgs,
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

/// The longest audit line read; a longer one is skipped as unparsable.
const MAX_LINE: u64 = 64 * 1024;
/// How many unparsable line numbers are named (the rest are counted).
const MAX_BAD_NAMED: usize = 20;

/// What a streaming read saw besides the records.
#[derive(Debug, Default)]
struct ReadSummary {
    torn_tail: bool,
    bad_lines: Vec<usize>,
    bad_count: usize,
}

/// Stream the log line by line with bounded memory (one line of at most
/// [`MAX_LINE`] bytes at a time), handing each matching record to `each`.
fn stream(
    path: &std::path::Path,
    filter: &AuditFilter,
    mut each: impl FnMut(AuditRecord) -> Result<(), CliError>,
) -> Result<ReadSummary, CliError> {
    use std::io::{BufRead, BufReader, Read};
    let cant = |e: String| {
        CliError::usage(format!("cannot read the audit log {}: {e}", path.display()))
            .with_hint("point --audit-log (or --state-dir) at a readable log (a regular file)")
    };
    let meta = std::fs::metadata(path).map_err(|e| cant(files::io_reason(&e)))?;
    if !meta.is_file() {
        return Err(cant("not a regular file".into()));
    }
    let file = std::fs::File::open(path).map_err(|e| cant(files::io_reason(&e)))?;
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let mut summary = ReadSummary::default();
    let mut line = Vec::new();
    let one = AuditFilter { tail: None, ..filter.clone() };
    for number in 1usize.. {
        line.clear();
        let n = (&mut reader)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| cant(files::io_reason(&e)))?;
        if n == 0 {
            break;
        }
        if line.last() != Some(&b'\n') {
            if (line.len() as u64) <= MAX_LINE {
                // End of file without a newline: a torn last line.
                summary.torn_tail = true;
                break;
            }
            // Overlong: skip to the end of the line, a bounded chunk at a time.
            loop {
                line.clear();
                let k = (&mut reader)
                    .take(MAX_LINE)
                    .read_until(b'\n', &mut line)
                    .map_err(|e| cant(files::io_reason(&e)))?;
                if k == 0 || line.last() == Some(&b'\n') {
                    break;
                }
            }
            summary.bad_count += 1;
            if summary.bad_lines.len() < MAX_BAD_NAMED {
                summary.bad_lines.push(number);
            }
            continue;
        }
        let readout = audit::parse(&line, &one);
        if !readout.bad_lines.is_empty() {
            summary.bad_count += 1;
            if summary.bad_lines.len() < MAX_BAD_NAMED {
                summary.bad_lines.push(number);
            }
        }
        for r in readout.records {
            each(r)?;
        }
    }
    Ok(summary)
}

/// Run `fwctl audit`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &AuditArgs) -> CmdResult {
    // Without --audit-log, the log of the running daemon (root reads it); the
    // local one only when no daemon runs, and then it says so.
    let path = match (&ctx.global.audit_log, crate::cli::connect::daemon_status(ctx.global)) {
        (Some(p), _) => p.clone(),
        (None, Some(d)) => match &d.status {
            Ok(v) => match v["admin"]["audit_log"].as_str() {
                Some(p) => std::path::PathBuf::from(p),
                None => return Err(CliError::refused(format!("{} reports no audit log", d.name()))),
            },
            Err(e) => {
                return Err(CliError::refused(format!(
                    "{} keeps the audit log and will not say where: {e}",
                    d.name()
                ))
                .with_hint("run as root (sudo fwctl audit), or name a log with --audit-log FILE"));
            }
        },
        (None, None) => {
            let p = embedded::paths(ctx.global).audit_log;
            ctx.note(&format!("no fwctld is running: reading the local log {}", p.display()))?;
            p
        }
    };
    let filter = AuditFilter {
        device: args.device.as_ref().map(|d| d.name.clone()),
        denied_only: args.denied,
        uid: args.uid,
        tail: args.tail,
    };
    if !path.exists() {
        ctx.note(&format!("no audit log at {} yet: nothing has been recorded", path.display()))?;
    }
    let json_out = ctx.global.json;
    let mut tail: std::collections::VecDeque<AuditRecord> = std::collections::VecDeque::new();
    let mut count = 0usize;
    let mut first = true;
    if json_out {
        write!(ctx.console.stdout, "{{\"log\":{},\"records\":[", json!(path.display().to_string()))?;
    }
    let summary = if path.exists() {
        stream(&path, &filter, |r| {
            if let Some(n) = args.tail {
                if tail.len() == n {
                    tail.pop_front();
                }
                if n > 0 {
                    tail.push_back(r);
                }
                return Ok(());
            }
            count += 1;
            emit(ctx, &r, json_out, &mut first)
        })?
    } else {
        ReadSummary::default()
    };
    for r in std::mem::take(&mut tail) {
        count += 1;
        emit(ctx, &r, json_out, &mut first)?;
    }
    if json_out {
        let mut end = serde_json::Map::new();
        end.insert("torn_tail".into(), json!(summary.torn_tail));
        end.insert("bad_lines".into(), json!(summary.bad_lines));
        end.insert("bad_line_count".into(), json!(summary.bad_count));
        if ctx.simulated() {
            end.insert("simulated".into(), json!(true));
        }
        let text = serde_json::Value::Object(end).to_string();
        writeln!(ctx.console.stdout, "],{}", &text[1..])?;
    }
    if summary.torn_tail {
        ctx.warn(&format!(
            "{}: the last line is incomplete (a crash mid-write?) and was skipped",
            path.display()
        ))?;
    }
    if summary.bad_count > 0 {
        let lines: Vec<String> = summary.bad_lines.iter().map(usize::to_string).collect();
        let more = summary.bad_count - summary.bad_lines.len();
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        ctx.warn(&format!("{}: skipped unparsable line(s) {}{more}", path.display(), lines.join(", ")))?;
    }
    if !json_out {
        ctx.note(&format!("{count} record(s) from {}", path.display()))?;
    }
    Ok(Exit::Ok)
}

fn emit(ctx: &mut Ctx<'_, '_>, r: &AuditRecord, json_out: bool, first: &mut bool) -> Result<(), CliError> {
    if json_out {
        let v = crate::cli::output::json_safe(serde_json::to_value(r).unwrap_or(serde_json::Value::Null));
        let sep = if *first { "" } else { "," };
        *first = false;
        write!(ctx.console.stdout, "{sep}{v}")?;
    } else {
        writeln!(ctx.console.stdout, "{}", record_line(r))?;
    }
    Ok(())
}
