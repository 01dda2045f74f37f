//! `fwctl taint`: the TAINT_FWCTL flag as `/proc/sys/kernel/tainted` shows it.

use fwctl_core::uapi::{TAINT_FWCTL_LETTER, TAINT_FWCTL_MASK};
use serde_json::json;

use crate::cli::Ctx;
use crate::cli::exit::{CliError, CmdResult, Exit};

/// Run `fwctl taint`.
pub fn run(ctx: &mut Ctx<'_, '_>) -> CmdResult {
    let transport = ctx.transport()?;
    let kind = transport.kind();
    let tainted = transport
        .tainted()
        .ok_or_else(|| CliError::no_device(format!("the {kind} transport cannot tell the taint state")))?;
    let mask = if tainted { TAINT_FWCTL_MASK } else { 0 };
    if ctx.global.json {
        let letter = tainted.then(|| TAINT_FWCTL_LETTER.to_string());
        let doc = json!({ "tainted": tainted, "mask": mask, "letter": letter, "transport": kind.name() });
        writeln!(ctx.console.stdout, "{doc}")?;
    } else if tainted {
        writeln!(ctx.console.stdout, "TAINT_FWCTL: set ({TAINT_FWCTL_LETTER}, {mask})")?;
    } else {
        writeln!(ctx.console.stdout, "TAINT_FWCTL: not set (0)")?;
    }
    if kind == fwctl_core::transport::TransportKind::Embedded {
        ctx.note("embedded transport: this is the taint state of the subsystem inside this fwctl process")?;
    }
    Ok(Exit::Ok)
}
