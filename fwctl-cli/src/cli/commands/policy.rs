//! `fwctl policy …`: check, show, edit (like visudo), programmatic edits
//! (set/unset/allow/deny/remove) and explain. The logic lives in
//! [`fwctl_core::policy`]; this module is arguments, output and exit codes.
//!
//! Every change goes through [`edit`]: lock, change (editor or `toml_edit`,
//! comments kept), validate, install atomically with a `.bak`, then ask a running
//! `fwctld` to reload when its control socket exists, and say what happened.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use fwctl_core::driver::RpcDescription;
use fwctl_core::policy::edit::{
    self, CommandEditor, EditError, EditOutcome, EditSession, InstallOptions, InvalidChoice, Prompt,
    RuleEdit, SetOp,
};
use fwctl_core::policy::{self, Diagnostic, PolicyError, PolicySource};
use fwctl_core::server::{CONTROL_SOCKET, ControlRequest, QueryRequest, control_call, query_call};
use fwctl_core::subsystem::DeviceView;
use fwctl_core::{DeviceType, RpcScope};
use serde_json::{Value, json};

use crate::cli::commands::rpc::{describe_line, description_json, parse_scope};
use crate::cli::connect::runtime_dir;
use crate::cli::device::{self, DeviceArg};
use crate::cli::embedded;
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::{Console, Ctx};

/// Examples shown by `fwctl policy --help`.
pub const POLICY_HELP: &str = "\
Examples:
  fwctl policy check
  fwctl policy check policies/lab.toml
  fwctl policy show
  fwctl policy edit
  fwctl policy set lockdown true
  fwctl policy set rule.ops-read.max_scope debug-write
  fwctl policy allow ops-read --group wheel --device-type mlx5 --max-scope debug-read-only
  fwctl policy deny no-paos --user '*' --register-write PAOS
  fwctl policy remove ops-read
  fwctl policy explain --user alice --device fwctl0 --scope debug-read-only --opcode QUERY_HCA_CAP

The file is --policy FILE (or FWCTL_POLICY), else /etc/fwctl/policy.toml for
root and $XDG_CONFIG_HOME/fwctl/policy.toml for others. Edits start from the
built-in default when the file does not exist yet.";

/// Arguments of `fwctl policy`.
#[derive(Debug, clap::Args)]
pub struct PolicyArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: PolicyAction,
}

/// Who and what a new rule names (shared by `allow` and `deny`).
#[derive(Debug, Clone, clap::Args)]
pub struct RuleTarget {
    /// Users: names, uids, or '*' for everyone (repeatable or comma-separated).
    #[arg(long = "user", value_name = "USER", value_delimiter = ',')]
    pub users: Vec<String>,
    /// Groups: names or gids (primary or supplementary).
    #[arg(long = "group", value_name = "GROUP", value_delimiter = ',')]
    pub groups: Vec<String>,
    /// Whoever holds CAP_SYS_RAWIO.
    #[arg(long)]
    pub cap_sys_rawio: bool,
    /// Device names or patterns (fwctl0, fwctl[2-3], fwctl*).
    #[arg(long = "device", value_name = "PATTERN", value_delimiter = ',')]
    pub devices: Vec<String>,
    /// Device types (mlx5, cxl, pds, bnxt).
    #[arg(long = "device-type", value_name = "TYPE", value_delimiter = ',')]
    pub device_types: Vec<String>,
    /// Parent device patterns, e.g. a PCI address 0000:08:00.*.
    #[arg(long = "parent", value_name = "PATTERN", value_delimiter = ',')]
    pub parents: Vec<String>,
    /// Firmware version patterns.
    #[arg(long = "firmware", value_name = "PATTERN", value_delimiter = ',')]
    pub firmware: Vec<String>,
}

impl RuleTarget {
    fn rule(&self, name: &str) -> RuleEdit {
        RuleEdit {
            name: name.to_string(),
            users: self.users.clone(),
            groups: self.groups.clone(),
            cap_sys_rawio: self.cap_sys_rawio,
            devices: self.devices.clone(),
            device_types: self.device_types.clone(),
            parents: self.parents.clone(),
            firmware: self.firmware.clone(),
            ..RuleEdit::default()
        }
    }
}

/// `fwctl policy` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PolicyAction {
    /// Validate a policy file; errors as file:line:column with a hint (exit 2 when invalid).
    #[command(
        after_help = "Examples:\n  fwctl policy check\n  fwctl policy check policies/lockdown.toml --json\n  fwctl policy check --dir /etc/fwctl/policy.d.new"
    )]
    Check {
        /// The file (default: the policy file in effect).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// The drop-in directory checked with it, as a whole (default: policy.d
        /// next to the file, e.g. /etc/fwctl/policy.d): *.toml in name order.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Output format.
        #[command(flatten)]
        out: crate::cli::outfmt::JsonArgs,
    },
    /// Print the effective policy and where it came from (a file, or the built-in
    /// default); with --me, only your own rights, as the running fwctld judges them
    /// (like sudo -l).
    #[command(
        after_help = "Examples:\n  fwctl policy show\n  fwctl policy show --me\n  fwctl --policy policies/lab.toml policy show --json"
    )]
    Show {
        /// Only what applies to you: the rules naming you and, per device, whether
        /// you may open it. Asks the running fwctld (any user may); without one,
        /// the local policy file, and says so.
        #[arg(long)]
        me: bool,
        /// Output format.
        #[command(flatten)]
        out: crate::cli::outfmt::JsonArgs,
    },
    /// Edit the policy in $VISUAL/$EDITOR like visudo: lock, validate (re-edit or
    /// discard on errors), show the diff, install atomically (previous file kept as
    /// .bak), ask a running fwctld to reload. Needs a terminal.
    #[command(
        after_help = "Examples:\n  fwctl policy edit\n  EDITOR=nano fwctl --policy /etc/fwctl/policy.toml policy edit"
    )]
    Edit,
    /// Set KEY to VALUE, keeping comments and formatting. Keys: lockdown, audit,
    /// deny_firmware, rule.NAME.KEY, device.NAME.KEY. VALUE is TOML (true,
    /// "debug-write", ["a", "b"]); a bare word is a string.
    #[command(
        after_help = "Examples:\n  fwctl policy set lockdown true\n  fwctl policy set audit denials\n  fwctl policy set rule.ops-read.max_scope debug-write\n  fwctl policy set deny_firmware '[\"28.35.*\"]'"
    )]
    Set {
        /// Where: lockdown, audit, deny_firmware, rule.NAME.KEY or device.NAME.KEY.
        #[arg(value_name = "KEY")]
        key: String,
        /// The new value (TOML; a bare word is a string).
        #[arg(value_name = "VALUE", allow_hyphen_values = true)]
        value: String,
    },
    /// Remove KEY (same addressing as `set`).
    #[command(
        after_help = "Examples:\n  fwctl policy unset lockdown\n  fwctl policy unset rule.ops-read.opcodes"
    )]
    Unset {
        /// Where: lockdown, audit, deny_firmware, rule.NAME.KEY or device.NAME.KEY.
        #[arg(value_name = "KEY")]
        key: String,
    },
    /// Append an allow rule NAME (after every other rule: earlier rules still win).
    #[command(
        after_help = "Examples:\n  fwctl policy allow ops-read --group wheel --max-scope debug-read-only\n  fwctl policy allow lab --user alice,bob --device 'fwctl[0-3]' --max-scope debug-write --deny-register-write PAOS\n  fwctl policy allow queries --user '*' --max-scope configuration --opcode QUERY_ADAPTER,QUERY_HCA_CAP"
    )]
    Allow {
        /// The rule's unique name (cited in reasons and the audit log).
        #[arg(value_name = "NAME")]
        name: String,
        /// Who and which devices.
        #[command(flatten)]
        target: RuleTarget,
        /// The highest scope the rule grants.
        #[arg(long, value_name = "SCOPE", value_parser = parse_scope)]
        max_scope: RpcScope,
        /// Only these commands (names or numbers); others fall through to later rules.
        #[arg(long = "opcode", value_name = "CMD", value_delimiter = ',')]
        opcodes: Vec<String>,
        /// Commands refused even within the grant.
        #[arg(long = "deny-opcode", value_name = "CMD", value_delimiter = ',')]
        deny_opcodes: Vec<String>,
        /// Registers whose writes are refused (names or ids).
        #[arg(long = "deny-register-write", value_name = "REG", value_delimiter = ',')]
        deny_register_writes: Vec<String>,
        /// Registers whose reads are refused.
        #[arg(long = "deny-register-read", value_name = "REG", value_delimiter = ',')]
        deny_register_reads: Vec<String>,
    },
    /// Insert a deny rule NAME before every other rule, so it takes effect. With
    /// --opcode/--register-* it refuses only those; without, everything it names.
    #[command(
        after_help = "Examples:\n  fwctl policy deny no-paos --user '*' --register-write PAOS\n  fwctl policy deny contractors --group contractors\n  fwctl policy deny no-diag --user '*' --device-type mlx5 --opcode SET_DIAGNOSTIC_PARAMS"
    )]
    Deny {
        /// The rule's unique name.
        #[arg(value_name = "NAME")]
        name: String,
        /// Who and which devices.
        #[command(flatten)]
        target: RuleTarget,
        /// Refuse only these commands (names or numbers).
        #[arg(long = "opcode", value_name = "CMD", value_delimiter = ',')]
        opcodes: Vec<String>,
        /// Refuse writes to these registers.
        #[arg(long = "register-write", value_name = "REG", value_delimiter = ',')]
        register_writes: Vec<String>,
        /// Refuse reads of these registers.
        #[arg(long = "register-read", value_name = "REG", value_delimiter = ',')]
        register_reads: Vec<String>,
    },
    /// Remove the rule NAME.
    #[command(after_help = "Examples:\n  fwctl policy remove ops-read")]
    Remove {
        /// The rule's name.
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Explain the decision for a caller, device, scope and command, check by check,
    /// and list the rules naming the caller (like sudo -l). Exit 0 allowed, 3 refused.
    #[command(
        after_help = "Examples:\n  fwctl policy explain --user alice --device fwctl0 --scope debug-read-only --opcode QUERY_HCA_CAP\n  fwctl policy explain --user 1000 --group wheel --device 0 --scope debug-write\n  fwctl policy explain --user root --device fwctl0"
    )]
    Explain(ExplainArgs),
}

/// Arguments of `fwctl policy explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The caller: a user name or uid (its primary group comes from the user
    /// database). Default: you. A running fwctld answers others' questions for root only.
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// Supplementary groups (names or gids; repeatable or comma-separated).
    #[arg(long = "group", value_name = "GROUP", value_delimiter = ',')]
    pub groups: Vec<String>,
    /// The caller holds CAP_SYS_RAWIO.
    #[arg(long)]
    pub cap_sys_rawio: bool,
    /// The device.
    #[arg(long, value_name = "DEV", value_parser = device::parse)]
    pub device: DeviceArg,
    /// The scope asked for; without it, explain opening the device.
    #[arg(long, value_name = "SCOPE", value_parser = parse_scope)]
    pub scope: Option<RpcScope>,
    /// The command: the driver's name (QUERY_HCA_CAP) or a number (0x100). Without
    /// it, the request is one the driver cannot describe (command lists never match).
    #[arg(long, value_name = "CMD")]
    pub opcode: Option<String>,
    /// The command's op_mod.
    #[arg(long, value_name = "N", default_value = "0", value_parser = parse_u16)]
    pub op_mod: u16,
    /// Ask about a register access (mlx5 ACCESS_REG): a name (PAOS) or id (0x5006);
    /// a read unless --write.
    #[arg(long, value_name = "REG", conflicts_with = "opcode")]
    pub register: Option<String>,
    /// With --register: a write (deny_register_writes applies), not a read.
    #[arg(long, requires = "register")]
    pub write: bool,
    /// Output format.
    #[command(flatten)]
    pub out: crate::cli::outfmt::JsonArgs,
}

fn parse_u16(s: &str) -> Result<u16, crate::cli::value::ValueError> {
    let v = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u16::from_str_radix(h, 16),
        None => s.parse(),
    };
    v.map_err(|_| crate::cli::value::ValueError::NotARegister(s.into()))
}

/// Run `fwctl policy`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &PolicyArgs) -> CmdResult {
    let paths = embedded::paths(ctx.global);
    match &args.action {
        PolicyAction::Check { file, dir, .. } => {
            check(ctx, file.as_deref().unwrap_or(&paths.policy), file.is_some(), dir.as_deref())
        }
        PolicyAction::Show { me: false, .. } => show(ctx, &paths.policy),
        PolicyAction::Show { me: true, .. } => show_me(ctx),
        PolicyAction::Edit => edit_interactive(ctx, &paths.policy),
        PolicyAction::Set { key, value } => {
            apply(ctx, &paths.policy, &SetOp::Set { key: key.clone(), value: value.clone() })
        }
        PolicyAction::Unset { key } => apply(ctx, &paths.policy, &SetOp::Unset { key: key.clone() }),
        PolicyAction::Remove { name } => apply(ctx, &paths.policy, &SetOp::RemoveRule { name: name.clone() }),
        PolicyAction::Allow {
            name,
            target,
            max_scope,
            opcodes,
            deny_opcodes,
            deny_register_writes,
            deny_register_reads,
        } => {
            warn_absent_devices(ctx, &target.devices)?;
            let rule = RuleEdit {
                max_scope: Some(max_scope.name().to_string()),
                opcodes: opcodes.clone(),
                deny_opcodes: deny_opcodes.clone(),
                deny_register_writes: deny_register_writes.clone(),
                deny_register_reads: deny_register_reads.clone(),
                ..target.rule(name)
            };
            apply(ctx, &paths.policy, &SetOp::Allow(rule))
        }
        PolicyAction::Deny { name, target, opcodes, register_writes, register_reads } => {
            warn_absent_devices(ctx, &target.devices)?;
            let rule = RuleEdit {
                deny_opcodes: opcodes.clone(),
                deny_register_writes: register_writes.clone(),
                deny_register_reads: register_reads.clone(),
                ..target.rule(name)
            };
            apply(ctx, &paths.policy, &SetOp::Deny(rule))
        }
        PolicyAction::Explain(a) => explain(ctx, &paths.policy, a),
    }
}

/// `--device NAME` in `allow`/`deny`: when a running fwctld publishes its
/// devices, a literal name it does not have is worth a warning (the rule is
/// still installed: the device may appear later). Patterns and impossible names
/// are the policy checker's business.
fn warn_absent_devices(ctx: &mut Ctx<'_, '_>, devices: &[String]) -> Result<(), CliError> {
    let literal: Vec<&String> = devices.iter().filter(|d| !d.contains(['*', '?', '['])).collect();
    if literal.is_empty() {
        return Ok(());
    }
    let Some(daemon) = crate::cli::connect::running_daemon(ctx.global) else { return Ok(()) };
    let Ok(present) = fwctl_core::transport::Transport::list(&daemon) else { return Ok(()) };
    let names: Vec<&str> = present.iter().map(|d| d.view.name.as_str()).collect();
    for d in literal {
        if !names.contains(&d.as_str()) {
            ctx.warn(&format!(
                "--device {d}: fwctld ({}) has no such device now (it has {}); the rule applies once one appears",
                daemon.runtime_dir().display(),
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ))?;
        }
    }
    Ok(())
}

fn diag_json(d: &Diagnostic) -> Value {
    json!({ "file": d.file, "line": d.line, "column": d.column, "message": d.message, "hint": d.hint })
}

/// Print every problem of an invalid policy on standard error (file:line:column, hint).
fn print_diagnostics(console: &mut Console<'_>, e: &PolicyError) -> std::io::Result<()> {
    for d in e.diagnostics() {
        writeln!(console.stderr, "{d}")?;
    }
    Ok(())
}

fn check(ctx: &mut Ctx<'_, '_>, path: &Path, explicit: bool, dir: Option<&Path>) -> CmdResult {
    let dir = dir.map_or_else(|| policy::dropin_dir(path), Path::to_path_buf);
    let dropins =
        policy::dropin::dropin_files(&dir).map_err(|e| CliError::usage(format!("policy check: {e}")))?;
    if explicit && !path.exists() {
        // A missing file named on the command line is an error, drop-ins or not.
        let e =
            policy::load_strict(path).err().map_or_else(|| "does not exist".to_string(), |e| e.to_string());
        return Err(CliError::usage(e));
    }
    if !path.exists() && dropins.is_empty() {
        // Nothing to check but the built-in copy, which is what applies.
        let loaded = policy::builtin_default(path).map_err(|e| embedded::policy_error(&e))?;
        if ctx.global.json {
            let doc = json!({ "file": null, "builtin": true, "valid": true, "rules": loaded.policy.rule_count(), "dropins": [],
                              "errors": [], "warnings": [] });
            ctx.emit_json(&doc)?;
        } else {
            writeln!(
                ctx.console.stdout,
                "{} does not exist: the built-in default policy is in effect (valid, {} rule(s))",
                path.display(),
                loaded.policy.rule_count()
            )?;
        }
        return Ok(Exit::Ok);
    }
    match policy::check_with_dropins(path, &dir) {
        Ok(loaded) => {
            if ctx.global.json {
                let doc = json!({
                    "file": path.display().to_string(), "builtin": !path.exists(), "valid": true,
                    "dropins": loaded.dropins.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                    "rules": loaded.policy.rule_count(), "lockdown": loaded.policy.lockdown(),
                    "audit": loaded.policy.audit_level().name(),
                    "errors": [], "warnings": loaded.warnings.iter().map(diag_json).collect::<Vec<_>>(),
                });
                ctx.emit_json(&doc)?;
                return Ok(Exit::Ok);
            }
            for w in &loaded.warnings {
                writeln!(ctx.console.stderr, "warning: {w}")?;
            }
            writeln!(
                ctx.console.stdout,
                "{}: valid: {} rule(s), lockdown {}, audit {}{}",
                loaded.describe_source(),
                loaded.policy.rule_count(),
                if loaded.policy.lockdown() { "on" } else { "off" },
                loaded.policy.audit_level().name(),
                match loaded.warnings.len() {
                    0 => String::new(),
                    n => format!(", {n} warning(s)"),
                }
            )?;
            Ok(Exit::Ok)
        }
        Err(e @ PolicyError::Io { .. }) => Err(CliError::usage(e.to_string())),
        Err(e) => {
            let n = e.diagnostics().len();
            if ctx.global.json {
                let doc = json!({
                    "file": path.display().to_string(), "builtin": !path.exists(), "valid": false,
                    "dropins": dropins.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                    "errors": e.diagnostics().iter().map(diag_json).collect::<Vec<_>>(), "warnings": [],
                });
                ctx.emit_json(&doc)?;
            } else {
                print_diagnostics(ctx.console, &e)?;
            }
            Err(CliError::usage(format!("{}: {n} problem(s); the policy is not valid", path.display())))
        }
    }
}

fn show(ctx: &mut Ctx<'_, '_>, path: &Path) -> CmdResult {
    // Without --policy, the answer is what the running daemon enforces.
    let daemon =
        if ctx.global.policy.is_none() { crate::cli::connect::daemon_status(ctx.global) } else { None };
    let (loaded, enforced_by) = match &daemon {
        Some(d) => {
            match &d.status {
                Ok(v) => {
                    let file = v["admin"]["policy_file"].as_str().map(std::path::PathBuf::from);
                    let file = file.unwrap_or_else(|| path.to_path_buf());
                    let loaded = policy::load_with_dropins(&file).map_err(|e| embedded::policy_error(&e))?;
                    let at = v["admin"]["policy"]["loaded_at"].as_u64().map(crate::cli::output::utc_time);
                    (loaded, Some((d.name(), at)))
                }
                Err(e) => {
                    return Err(CliError::refused(format!(
                    "{} enforces its own policy and will not say which: {e}",
                    d.name()
                ))
                .with_hint("run as root (sudo fwctl policy show), or name a file: fwctl --policy FILE policy show"));
                }
            }
        }
        None => (embedded::load_policy(&embedded::paths(ctx.global))?, None),
    };
    let builtin = matches!(loaded.source, PolicySource::BuiltinDefault { .. });
    if ctx.global.json {
        let doc = json!({
            "source": loaded.source.to_string(),
            "file": path.display().to_string(),
            "builtin": builtin,
            "enforced_by": enforced_by.as_ref().map(|(who, at)| json!({"daemon": who, "loaded_at": at})),
            "rules": loaded.policy.rule_names().collect::<Vec<_>>(),
            "lockdown": loaded.policy.lockdown(),
            "audit": loaded.policy.audit_level().name(),
            "warnings": loaded.warnings.iter().map(diag_json).collect::<Vec<_>>(),
            "text": loaded.text,
        });
        ctx.emit_json(&doc)?;
    } else {
        if let Some((who, at)) = &enforced_by {
            let at = at.as_deref().map(|t| format!(", loaded {t}")).unwrap_or_default();
            writeln!(ctx.console.stdout, "# enforced by {who}{at}")?;
        }
        write!(ctx.console.stdout, "{}", loaded.show())?;
    }
    match (&enforced_by, ctx.global.policy.is_some()) {
        (Some(_), _) => {}
        (None, true) => {
            ctx.note("the file named by --policy (or FWCTL_POLICY), not necessarily what a daemon enforces")?
        }
        (None, false) => {
            ctx.note("no fwctld is running: this is the policy embedded (simulated) runs use")?
        }
    }
    Ok(Exit::Ok)
}

/// Ask a running daemon to reload; a line saying what happened.
fn reload_daemon(runtime_dir: &Path) -> Result<String, edit::ReloadError> {
    let control = runtime_dir.join(CONTROL_SOCKET);
    if !control.exists() {
        return Ok(format!(
            "no fwctld control socket at {}: nothing to reload (embedded runs read the file each time)",
            control.display()
        ));
    }
    match control_call(runtime_dir, &ControlRequest::Reload) {
        Ok(v) => {
            let detail = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            Ok(format!("fwctld ({}) reloaded the policy: {detail}", runtime_dir.display()))
        }
        Err(e) => Err(edit::ReloadError {
            target: format!("fwctld ({})", runtime_dir.display()),
            cause: std::sync::Arc::new(e),
        }),
    }
}

/// The "after install" step of every policy edit: ask a running daemon to
/// reload, and keep what it said for the report.
struct DaemonReload {
    runtime_dir: PathBuf,
    outcome: RefCell<Option<Result<String, edit::ReloadError>>>,
}

impl DaemonReload {
    fn new(runtime_dir: PathBuf) -> Self {
        DaemonReload { runtime_dir, outcome: RefCell::new(None) }
    }

    fn after_install(&self, _installed: &policy::LoadedPolicy) -> Result<(), edit::ReloadError> {
        let r = reload_daemon(&self.runtime_dir);
        let ret = r.as_ref().map(|_| ()).map_err(Clone::clone);
        *self.outcome.borrow_mut() = Some(r);
        ret
    }
}

/// Print what an install did, and the daemon's answer to the reload request.
fn report_install(
    ctx: &mut Ctx<'_, '_>,
    installed: &edit::Installed,
    outcome: Option<Result<String, edit::ReloadError>>,
) -> CmdResult {
    writeln!(ctx.console.stdout, "installed {}", installed.policy.source)?;
    if let Some(b) = &installed.backup {
        writeln!(ctx.console.stdout, "previous version kept as {}", b.display())?;
    }
    for w in &installed.policy.warnings {
        ctx.warn(&w.to_string())?;
    }
    ctx.note(
        "rules are first-match: the first rule that applies to a request decides \
         (`fwctl policy check` warns about rules an earlier rule shadows)",
    )?;
    match outcome {
        Some(Ok(line)) => ctx.note(&line)?,
        Some(Err(e)) => ctx.warn(&format!("{e}; the file is installed, send fwctld SIGHUP to load it"))?,
        None => {}
    }
    Ok(Exit::Ok)
}

fn edit_error(console: &mut Console<'_>, e: EditError) -> CliError {
    match e {
        EditError::Invalid(pe) => {
            let _ = print_diagnostics(console, &pe);
            CliError::usage(format!(
                "the edited policy is invalid ({} problem(s)); nothing was installed",
                pe.diagnostics().len()
            ))
        }
        e @ (EditError::Busy { .. } | EditError::Conflict { .. }) => CliError::refused(e.to_string()),
        e => CliError::usage(e.to_string()),
    }
}

fn apply(ctx: &mut Ctx<'_, '_>, path: &Path, op: &SetOp) -> CmdResult {
    // Say so when another session holds the lock: the install below waits for it
    // (up to --timeout).
    if let Err(EditError::Busy { lock, .. }) = edit::PolicyLock::acquire(path, false) {
        ctx.note(&format!(
            "waiting for the policy lock {} (another session is editing; --timeout {} s)",
            lock.display(),
            ctx.global.timeout
        ))?;
        crate::cli::watchdog::waiting_for(format!("the policy lock {}", lock.display()));
    }
    let reload = DaemonReload::new(runtime_dir(ctx.global));
    let after = |p: &policy::LoadedPolicy| reload.after_install(p);
    let opts = InstallOptions { before_rename: None, after_install: Some(&after) };
    let installed = edit::apply(path, op, &opts).map_err(|e| edit_error(ctx.console, e))?;
    if !installed.diff.is_empty() {
        write!(ctx.console.stdout, "{}", installed.diff)?;
    }
    report_install(ctx, &installed, reload.outcome.into_inner())
}

/// The edit session's questions, asked on this run's console.
struct ConsolePrompt<'a, 'c> {
    console: &'a mut Console<'c>,
}

impl Prompt for ConsolePrompt<'_, '_> {
    fn invalid(&mut self, error: &PolicyError) -> InvalidChoice {
        let _ = print_diagnostics(self.console, error);
        loop {
            let _ = write!(self.console.stderr, "What now? (e)dit again, e(x)it without saving: ");
            let _ = self.console.stderr.flush();
            let mut line = String::new();
            match self.console.stdin.read_line(&mut line) {
                Ok(0) | Err(_) => return InvalidChoice::Discard,
                Ok(_) => match line.trim() {
                    "e" | "E" => return InvalidChoice::ReEdit,
                    "x" | "X" | "q" | "Q" => return InvalidChoice::Discard,
                    _ => {}
                },
            }
        }
    }

    fn show_diff(&mut self, diff: &str) {
        let _ = write!(self.console.stderr, "{diff}");
    }
}

fn edit_interactive(ctx: &mut Ctx<'_, '_>, path: &Path) -> CmdResult {
    if !ctx.console.stdin_is_terminal {
        return Err(CliError::usage("policy edit needs a terminal: standard input is not one")
            .with_hint("in scripts use `fwctl policy set/unset/allow/deny/remove`, which validate and install the same way"));
    }
    // The editor waits for a person: no deadline.
    let _paused = crate::cli::watchdog::Paused::new();
    let session = EditSession::begin(path).map_err(|e| edit_error(ctx.console, e))?;
    let reload = DaemonReload::new(runtime_dir(ctx.global));
    let after = |p: &policy::LoadedPolicy| reload.after_install(p);
    let opts = InstallOptions { before_rename: None, after_install: Some(&after) };
    let mut editor = CommandEditor::from_env();
    let result = {
        let mut prompt = ConsolePrompt { console: ctx.console };
        session.run(&mut editor, &mut prompt, &opts)
    };
    match result.map_err(|e| edit_error(ctx.console, e))? {
        EditOutcome::Unchanged => {
            writeln!(ctx.console.stdout, "no changes; {} is unchanged", path.display())?;
            Ok(Exit::Ok)
        }
        EditOutcome::Installed(installed) => report_install(ctx, &installed, reload.outcome.into_inner()),
    }
}

/// The request bytes for `opcode`/`op_mod` on a device of `device_type`, when
/// this build knows the driver's envelope (mlx5: the command mailbox header).
fn request_for(device_type: DeviceType, opcode: &str, op_mod: u16) -> Result<Option<Vec<u8>>, CliError> {
    match device_type {
        DeviceType::Mlx5 => {
            let op = fwctl_mlx5_sim::prm::opcode_by_name(opcode).ok_or_else(|| {
                CliError::usage(format!("--opcode {opcode}: not an mlx5 command name or a 16-bit number"))
            })?;
            Ok(Some(fwctl_mlx5_sim::prm::build::header(op, op_mod, 16)))
        }
        _ => Ok(None),
    }
}

fn parse_number(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The device and the driver's description of the request, through the transport.
fn device_and_description(
    ctx: &mut Ctx<'_, '_>,
    a: &ExplainArgs,
) -> Result<(DeviceView, Option<RpcDescription>, String), CliError> {
    let transport = ctx.transport()?;
    let devices = transport.list().map_err(|e| CliError::errno(e, "list devices"))?;
    let view =
        devices.into_iter().find(|d| d.view.name == a.device.name).map(|d| d.view).ok_or_else(|| {
            CliError::no_device(format!("no device {} on the {} transport", a.device, transport.kind()))
                .with_hint("`fwctl list` shows the devices")
        })?;
    if let Some(reg) = &a.register {
        if view.device_type != DeviceType::Mlx5 {
            return Err(CliError::usage(format!(
                "--register: registers are known for mlx5 devices only; {} is not one",
                view.name
            )));
        }
        let request = fwctl_mlx5_sim::prm::build::access_reg_by_name(reg, a.write, &[])
            .map_err(|e| CliError::usage(format!("--register {reg}: {e}")))?;
        let d = describe_request(transport.as_ref(), a, &request, reg)?;
        return Ok((view, Some(d.0), d.1));
    }
    let Some(op) = &a.opcode else { return Ok((view, None, "no command given".into())) };
    let Some(request) = request_for(view.device_type, op, a.op_mod)? else {
        let n = parse_number(op).ok_or_else(|| {
            CliError::usage(format!(
                "--opcode {op}: command names are known for mlx5 only here; give a number"
            ))
        })?;
        let d = RpcDescription::unknown(n, u32::from(a.op_mod));
        return Ok((view, Some(d), "not described: the driver's request format is unknown to fwctl".into()));
    };
    let (d, by) = describe_request(transport.as_ref(), a, &request, op)?;
    Ok((view, Some(d), by))
}

/// The driver's description of `request` (or the mlx5 command table's, when
/// the device cannot be opened), and who described it.
fn describe_request(
    transport: &dyn fwctl_core::transport::Transport,
    a: &ExplainArgs,
    request: &[u8],
    op: &str,
) -> Result<(RpcDescription, String), CliError> {
    match transport.open(&a.device.name).and_then(|mut ch| ch.describe(request)) {
        Ok(d) => Ok((d, format!("described by the driver ({} transport)", transport.kind()))),
        Err(e) => {
            // The caller may not open the device (that is often why they ask): the
            // simulated mlx5 driver knows the same command table.
            let sim = fwctl_mlx5_sim::Mlx5Device::new(fwctl_mlx5_sim::SimConfig::default())
                .map_err(|e| CliError::no_device(format!("cannot start the mlx5 command table: {e}")))?
                .into_driver();
            let d = sim.describe(request).map_err(|e2| CliError::errno(e2, format!("describe {op}")))?;
            Ok((
                d,
                format!(
                    "described by the mlx5 command table ({} could not be opened: {})",
                    a.device,
                    e.name()
                ),
            ))
        }
    }
}

/// The caller `explain` asks about: `--user`/`--group`/`--cap-sys-rawio`, or
/// this process's own identity.
fn explain_principal(a: &ExplainArgs) -> Result<(String, fwctl_core::Credentials), CliError> {
    let me = fwctl_core::Credentials::current();
    let user = a.user.clone().unwrap_or_else(|| {
        nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(me.uid))
            .ok()
            .flatten()
            .map_or_else(|| me.uid.to_string(), |u| u.name)
    });
    let groups: Vec<&str> = a.groups.iter().map(String::as_str).collect();
    let mut creds = policy::principal(&user, &groups, a.cap_sys_rawio)
        .map_err(|e| CliError::usage(format!("--user/--group: {e}")))?;
    if a.user.is_none() && a.groups.is_empty() {
        // Yourself: your real groups and capability.
        creds.groups = me.groups.clone();
        creds.gid = me.gid;
        creds.cap_sys_rawio |= me.cap_sys_rawio;
    }
    // Root holds every capability (unless a service manager dropped them).
    creds.cap_sys_rawio |= creds.uid == 0;
    Ok((user, creds))
}

fn explain(ctx: &mut Ctx<'_, '_>, path: &Path, a: &ExplainArgs) -> CmdResult {
    // Without --policy, the answer is what the running daemon enforces.
    if ctx.global.policy.is_none()
        && let Some(daemon) = crate::cli::connect::running_daemon(ctx.global)
    {
        return explain_by_daemon(ctx, daemon.runtime_dir(), a);
    }
    let loaded = embedded::load_policy(&embedded::paths(ctx.global))?;
    let (user, creds) = explain_principal(a)?;
    let (view, description, described_by) = device_and_description(ctx, a)?;
    let e = policy::explain_request(&loaded.policy, &creds, &view, a.scope, description.as_ref());
    if ctx.global.policy.is_none() {
        ctx.note(&format!("no fwctld is running: answered from the local policy {}", loaded.source))?;
    }
    let answer = Answer {
        policy: loaded.source.to_string(),
        user,
        creds,
        view,
        description,
        described_by,
        explanation: e,
    };
    print_explanation(ctx, path, a, &answer)
}

/// What `explain` prints, from the local policy or from the daemon.
struct Answer {
    policy: String,
    user: String,
    creds: fwctl_core::Credentials,
    view: DeviceView,
    description: Option<RpcDescription>,
    described_by: String,
    explanation: policy::Explanation,
}

/// Ask the daemon serving `dir` (its query socket answers every user about
/// themselves, and root about anyone).
fn explain_by_daemon(ctx: &mut Ctx<'_, '_>, dir: &Path, a: &ExplainArgs) -> CmdResult {
    let (user, creds) = explain_principal(a)?;
    let me = fwctl_core::Credentials::current();
    let about_someone_else = a.user.is_some() || !a.groups.is_empty() || a.cap_sys_rawio;
    let as_caller = if about_someone_else && !(creds.uid == me.uid && me.uid != 0 && a.groups.is_empty()) {
        Some(creds.clone())
    } else {
        None
    };
    let transport = fwctl_core::transport::Daemon::new(dir);
    let devices =
        fwctl_core::transport::Transport::list(&transport).map_err(|e| CliError::errno(e, "list devices"))?;
    let view =
        devices.into_iter().find(|d| d.view.name == a.device.name).map(|d| d.view).ok_or_else(|| {
            CliError::no_device(format!("no device {} on fwctld ({})", a.device, dir.display()))
                .with_hint("`fwctl list` shows the devices")
        })?;
    let request = match (&a.register, &a.opcode) {
        (Some(reg), _) => {
            if view.device_type != DeviceType::Mlx5 {
                return Err(CliError::usage(format!(
                    "--register: registers are known for mlx5 devices only; {} is not one",
                    view.name
                )));
            }
            Some(
                fwctl_mlx5_sim::prm::build::access_reg_by_name(reg, a.write, &[])
                    .map_err(|e| CliError::usage(format!("--register {reg}: {e}")))?,
            )
        }
        (None, Some(op)) => request_for(view.device_type, op, a.op_mod)?,
        (None, None) => None,
    };
    crate::cli::watchdog::waiting_for(format!("fwctld's query socket in {}", dir.display()));
    let q = QueryRequest::Explain { device: view.name.clone(), scope: a.scope, request, as_caller };
    let v = query_call(dir, &q).map_err(|e| {
        CliError::refused(format!("fwctld ({}) explain: {e}", dir.display()))
            .with_hint("ask about yourself (drop --user/--group), run as root, or name a file: fwctl --policy FILE policy explain …")
    })?;
    let explanation: policy::Explanation = serde_json::from_value(v.clone()).map_err(|e| {
        CliError::no_device(format!("fwctld ({}) explain: unreadable answer: {e}", dir.display()))
    })?;
    let description: Option<RpcDescription> = serde_json::from_value(v["request"].clone()).unwrap_or(None);
    let num = |k: &str| v["caller"][k].as_u64().and_then(|n| u32::try_from(n).ok());
    let creds = fwctl_core::Credentials {
        uid: num("uid").unwrap_or(creds.uid),
        gid: num("gid").unwrap_or(creds.gid),
        groups: v["caller"]["groups"]
            .as_array()
            .map(|g| g.iter().filter_map(Value::as_u64).filter_map(|n| u32::try_from(n).ok()).collect())
            .unwrap_or(creds.groups),
        cap_sys_rawio: v["caller"]["cap_sys_rawio"].as_bool().unwrap_or(creds.cap_sys_rawio),
        ..creds
    };
    let at = v["policy"]["loaded_at"].as_u64().map(crate::cli::output::utc_time).unwrap_or_default();
    let policy = format!(
        "{} (enforced by {}, loaded {at})",
        v["policy"]["source"].as_str().unwrap_or("?"),
        crate::cli::connect::daemon_identity(dir).split(", policy").next().unwrap_or("fwctld")
    );
    let described_by = format!("described by the driver in fwctld ({})", dir.display());
    let answer = Answer { policy, user, creds, view, description, described_by, explanation };
    print_explanation(ctx, dir, a, &answer)
}

fn print_explanation(ctx: &mut Ctx<'_, '_>, path: &Path, a: &ExplainArgs, x: &Answer) -> CmdResult {
    let e = &x.explanation;
    let exit = if e.decision.allowed() { Exit::Ok } else { Exit::Refused };
    let (creds, view, description) = (&x.creds, &x.view, &x.description);
    if ctx.global.json {
        let doc = json!({
            "policy": x.policy,
            "file": path.display().to_string(),
            "user": x.user, "uid": creds.uid, "gid": creds.gid, "groups": creds.groups,
            "cap_sys_rawio": creds.cap_sys_rawio,
            "device": view.name, "device_type": view.device_type.name(),
            "scope": a.scope.map(RpcScope::name),
            "request": description.as_ref().map(description_json),
            "described_by": x.described_by,
            "allowed": e.decision.allowed(),
            "errno": e.decision.errno.map(|x| x.name()),
            "reason": &*e.decision.reason,
            "rule": e.decision.rule.as_deref(),
            "steps": e.steps,
            "rules": e.rules.iter().map(|r| json!({ "name": r.name, "at": r.at, "summary": r.summary, "decided": r.decided })).collect::<Vec<_>>(),
        });
        ctx.emit_json(&doc)?;
        return Ok(exit);
    }
    let out = &mut ctx.console.stdout;
    writeln!(out, "policy:  {}", x.policy)?;
    writeln!(
        out,
        "caller:  {} (uid {}, gid {}, groups {:?}, CAP_SYS_RAWIO {})",
        x.user,
        creds.uid,
        creds.gid,
        creds.groups,
        if creds.cap_sys_rawio { "yes" } else { "no" }
    )?;
    writeln!(
        out,
        "device:  {} ({}, parent {}, firmware {})",
        view.name,
        view.device_type,
        view.identity.parent.as_deref().unwrap_or("-"),
        view.identity.fw_version.as_deref().unwrap_or("-")
    )?;
    match (a.scope, description) {
        (None, _) => writeln!(out, "question: may the caller open the device?")?,
        (Some(s), Some(d)) => {
            writeln!(out, "request: {} at scope {s} [{}]", describe_line(d), x.described_by)?
        }
        (Some(s), None) => {
            writeln!(out, "request: an undescribed command at scope {s} (add --opcode to name one)")?
        }
    }
    writeln!(out, "{e}")?;
    Ok(exit)
}

/// `fwctl policy show --me`: your own rights, like `sudo -l`.
fn show_me(ctx: &mut Ctx<'_, '_>) -> CmdResult {
    let daemon =
        if ctx.global.policy.is_none() { crate::cli::connect::running_daemon(ctx.global) } else { None };
    let me = fwctl_core::Credentials::current();
    let v = match &daemon {
        Some(d) => {
            let dir = d.runtime_dir();
            crate::cli::watchdog::waiting_for(format!("fwctld's query socket in {}", dir.display()));
            let mut v = query_call(dir, &QueryRequest::Rights).map_err(|e| {
                CliError::refused(format!("fwctld ({}) policy show --me: {e}", dir.display()))
            })?;
            v["enforced_by"] = json!(crate::cli::connect::daemon_identity(dir));
            v
        }
        None => {
            let loaded = embedded::load_policy(&embedded::paths(ctx.global))?;
            let transport = ctx.transport()?;
            let devices = transport.list().map_err(|e| CliError::errno(e, "list devices"))?;
            let devices: Vec<Value> = devices
                .iter()
                .map(|d| {
                    let e = policy::explain(&loaded.policy, &me, &d.view, None, None);
                    json!({
                        "name": d.view.name, "device_type": d.view.device_type.name(),
                        "open": {"allowed": e.decision.allowed(), "errno": e.decision.errno.map(|x| x.name()),
                                 "reason": &*e.decision.reason},
                    })
                })
                .collect();
            json!({
                "policy": {"source": loaded.source.to_string(),
                           "builtin_default": matches!(loaded.source, PolicySource::BuiltinDefault { .. }),
                           "loaded_at": null},
                "lockdown": loaded.policy.lockdown(),
                "caller": {"uid": me.uid, "gid": me.gid, "groups": me.groups, "cap_sys_rawio": me.cap_sys_rawio},
                "rules": loaded.policy.rules_for(&me),
                "devices": devices,
                "enforced_by": null,
            })
        }
    };
    if ctx.global.json {
        ctx.emit_json(&v)?;
    } else {
        let out = &mut ctx.console.stdout;
        let source = v["policy"]["source"].as_str().unwrap_or("?");
        let at = v["policy"]["loaded_at"].as_u64().map(crate::cli::output::utc_time);
        let at = at.map(|t| format!(", loaded {t}")).unwrap_or_default();
        match v["enforced_by"].as_str() {
            Some(who) => writeln!(
                out,
                "policy:  {source} (enforced by {}{at})",
                who.split(", policy").next().unwrap_or(who)
            )?,
            None => writeln!(out, "policy:  {source}")?,
        }
        let c = &v["caller"];
        writeln!(
            out,
            "you:     uid {}, gid {}, groups {}, CAP_SYS_RAWIO {}",
            c["uid"],
            c["gid"],
            c["groups"],
            if c["cap_sys_rawio"].as_bool() == Some(true) { "yes" } else { "no" }
        )?;
        writeln!(out, "lockdown: {}", if v["lockdown"].as_bool() == Some(true) { "on" } else { "off" })?;
        let rules = v["rules"].as_array().cloned().unwrap_or_default();
        if rules.is_empty() {
            writeln!(out, "no rule names you: every request is refused (default deny)")?;
        } else {
            writeln!(out, "rules naming you, in order (the first that applies to a request decides):")?;
            for r in &rules {
                writeln!(
                    out,
                    "  '{}' ({}): {}",
                    r["name"].as_str().unwrap_or("?"),
                    r["at"].as_str().unwrap_or("?"),
                    r["summary"].as_str().unwrap_or("?")
                )?;
            }
        }
        for d in v["devices"].as_array().into_iter().flatten() {
            let open = &d["open"];
            let verdict = if open["allowed"].as_bool() == Some(true) {
                "may open".to_string()
            } else {
                format!("may not open ({})", open["errno"].as_str().unwrap_or("?"))
            };
            writeln!(
                out,
                "device {} ({}): {verdict}: {}",
                d["name"].as_str().unwrap_or("?"),
                d["device_type"].as_str().unwrap_or("?"),
                open["reason"].as_str().unwrap_or("?")
            )?;
        }
    }
    if daemon.is_none() {
        ctx.note(if ctx.global.policy.is_some() {
            "from the file named by --policy (or FWCTL_POLICY), not necessarily what a daemon enforces"
        } else {
            "no fwctld is running: answered from the local policy file"
        })?;
    }
    Ok(Exit::Ok)
}
