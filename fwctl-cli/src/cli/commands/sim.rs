//! `fwctl sim`: the simulated (embedded) subsystem's own state. Its mlx5
//! device keeps what one run changed for the next ([`crate::sim_state`]);
//! `fwctl sim reset` forgets it, so the next run starts from power-on.

use serde_json::json;

use crate::cli::Ctx;
use crate::cli::embedded;
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::sim_state::StateFile;

/// Arguments of `fwctl sim`.
#[derive(Debug, clap::Args)]
pub struct SimArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: SimAction,
}

/// `fwctl sim` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SimAction {
    /// Forget the simulated device's saved state (register writes, NV
    /// configuration, counters): the next run starts from power-on.
    #[command(after_help = "Examples:\n  fwctl sim reset\n  fwctl sim reset --state-dir /tmp/sim --json")]
    Reset {
        /// Output format.
        #[command(flatten)]
        out: crate::cli::outfmt::JsonArgs,
    },
}

/// A warning of the simulated subsystem on standard error (`fwctl: warning: …`),
/// for what happens while it is built or torn down, outside any command.
pub fn warn(msg: &str) {
    eprintln!("fwctl: warning: {msg}");
}

/// Run `fwctl sim`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &SimArgs) -> CmdResult {
    match args.action {
        SimAction::Reset { .. } => reset(ctx),
    }
}

fn reset(ctx: &mut Ctx<'_, '_>) -> CmdResult {
    let file = StateFile::in_dir(&embedded::paths(ctx.global).state_dir);
    let path = file.path();
    let removed = file.remove().map_err(|e| {
        CliError::usage(format!("cannot reset the simulated device: {e}"))
            .with_hint("choose the simulator's state directory with --state-dir DIR (or FWCTL_STATE_DIR)")
    })?;
    if ctx.global.json {
        ctx.emit_json(&json!({ "state_file": path.display().to_string(), "removed": removed }))?;
    } else if removed {
        writeln!(
            ctx.console.stdout,
            "removed {}: the simulated device starts from power-on",
            path.display()
        )?;
    } else {
        writeln!(ctx.console.stdout, "no saved state in {}: nothing to reset", path.display())?;
    }
    Ok(Exit::Ok)
}
