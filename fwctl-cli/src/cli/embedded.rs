//! The embedded subsystem: what `fwctl` talks to when no daemon and no
//! `/dev/fwctl` answer. It is built in this process with one simulated mlx5
//! device, `fwctl0` (and the devices of any `--plugin`), and behaves like the
//! daemon: the policy file (or the built-in default policy) decides, every
//! decision goes to the audit log in the state directory, and the taint record
//! and the simulated mlx5 device's state ([`crate::sim_state`]) persist there
//! across runs. Every output it produces says it is simulated
//! (a `simulated:` line on standard error even under `-q`, `"simulated": true`
//! in JSON), and its state directory is its own ([`simulator_state_dir`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use fwctl_core::audit::AuditLog;
use fwctl_core::hooks::{AuditSink, Decision, Hooks, RpcAudit};
use fwctl_core::plugin::{self, LoadOptions};
use fwctl_core::policy::paths::{PathFlags, Paths};
use fwctl_core::policy::{self, LoadedPolicy, PolicyError};
use fwctl_core::taint_store::TaintRecordStore;
use fwctl_core::transport::Embedded;
use fwctl_core::{Credentials, DeviceView, Errno, RpcScope, Subsystem};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig};

use crate::cli::GlobalOpts;
use crate::cli::exit::CliError;

/// Where the policy, state and audit log are for these options: flag, then
/// environment, then the per-user or system default ([`Paths::resolve`]) —
/// except that the simulated subsystem's state (taint record, audit log) never
/// defaults to the system's: without `--state-dir`/`FWCTL_STATE_DIR` it lives
/// in [`simulator_state_dir`], for root too (so trying the simulator never
/// creates `/var/lib/fwctl`).
pub fn paths(global: &GlobalOpts) -> Paths {
    let state_dir = global
        .state_dir
        .clone()
        .or_else(|| {
            std::env::var_os(policy::paths::ENV_STATE_DIR).filter(|v| !v.is_empty()).map(PathBuf::from)
        })
        .unwrap_or_else(simulator_state_dir);
    Paths::resolve(&PathFlags {
        policy: global.policy.clone(),
        state_dir: Some(state_dir),
        audit_log: global.audit_log.clone(),
    })
}

/// The simulated subsystem's own state directory:
/// `$XDG_STATE_HOME/fwctl-simulator` (default `~/.local/state/fwctl-simulator`).
pub fn simulator_state_dir() -> PathBuf {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("XDG_STATE_HOME")
        .unwrap_or_else(|| var("HOME").unwrap_or_else(|| PathBuf::from("/")).join(".local/state"))
        .join("fwctl-simulator")
}

/// A policy load error as a one-line CLI error: the first problem (with its
/// `file:line:column`), and a hint naming how many more there are.
pub fn policy_error(e: &PolicyError) -> CliError {
    match e {
        PolicyError::Io { .. } => CliError::usage(e.to_string()),
        PolicyError::Invalid(diags) => {
            let first = diags.first().map(|d| d.to_string()).unwrap_or_default();
            let first_line = first.lines().next().unwrap_or("").to_string();
            let file = diags.first().map(|d| d.file.clone()).unwrap_or_default();
            let more = diags.len().saturating_sub(1);
            let tail = if more > 0 { format!(" (and {more} more)") } else { String::new() };
            CliError::usage(format!("invalid policy: {first_line}{tail}"))
                .with_hint(format!("`fwctl policy check {file}` lists every problem with a hint"))
        }
    }
}

/// The effective policy: the policy file, or the built-in default when it does not exist.
pub fn load_policy(paths: &Paths) -> Result<LoadedPolicy, CliError> {
    policy::load_with_dropins(&paths.policy).map_err(|e| policy_error(&e))
}

/// A `--plugin PATH[?CONFIG]` value split into the library path and its probe configuration.
pub fn plugin_spec(spec: &str) -> (PathBuf, &str) {
    match spec.split_once('?') {
        Some((path, config)) => (PathBuf::from(path), config),
        None => (PathBuf::from(spec), ""),
    }
}

fn state_error(what: &str, path: &Path, e: impl std::fmt::Display) -> CliError {
    CliError::usage(format!("cannot open the {what} {}: {e}", path.display()))
        .with_hint("choose a writable state directory with --state-dir DIR (or FWCTL_STATE_DIR)")
}

/// Build the in-process subsystem: persistent taint from the state directory,
/// the policy and the audit log as hooks, the simulated mlx5 device as `fwctl0`,
/// the simulated CXL memory device, pds DSC and bnxt function (through the
/// plugin ABI) as `fwctl1`..`fwctl3`, then the devices of every `--plugin`.
pub fn subsystem(global: &GlobalOpts) -> Result<Subsystem, CliError> {
    let paths = paths(global);
    let loaded = load_policy(&paths)?;
    // As fwctld logs them: a rule naming an account this machine lacks matches
    // nobody (fail-closed), and the operator should hear about it on every run.
    for w in &loaded.warnings {
        super::commands::sim::warn(&format!("policy {w}"));
    }
    let store = Arc::new(
        TaintRecordStore::open(&paths.state_dir)
            .map_err(|e| state_error("state directory", &paths.state_dir, e))?,
    );
    // Every `[audit]` setting, applied by the same call as fwctld's.
    let audit = AuditLog::open_with(&paths.audit_log, &loaded.policy.audit_settings()).map_err(|e| {
        // The source already names the path and the step that failed.
        CliError::usage(format!("audit log: {}", super::files::io_reason(&e.err)))
            .with_hint("choose a writable state directory with --state-dir DIR (or FWCTL_STATE_DIR)")
    })?;
    let subsystem = Subsystem::with_taint(store.taint());
    subsystem
        .set_hooks(Hooks { policy: Some(loaded.policy.clone()), audit: Some(Arc::new(OneRunAudit(audit))) });
    let device = Mlx5Device::new(SimConfig::default())
        .map_err(|e| CliError::no_device(format!("cannot start the simulated mlx5 device: {e}")))?;
    // Its state lives beside the taint record, from one run to the next.
    let state = crate::sim_state::StateFile::in_dir(&paths.state_dir);
    if let Some(warning) = state.attach(&device, super::commands::sim::warn) {
        super::commands::sim::warn(&warning);
    }
    subsystem
        .register(device.into_driver())
        .map_err(|e| CliError::errno(e, "register the simulated mlx5 device"))?;
    // The other vendors' simulators, through the plugin ABI (linked in): fwctl1
    // is a CXL memory device, fwctl2 a pds DSC, fwctl3 a bnxt function.
    for (plugin, what) in [("cxl-sim", "CXL device"), ("pds", "pds device"), ("bnxt-sim", "bnxt device")] {
        for d in crate::daemon::drivers::builtin_plugin_devices(plugin, "")
            .map_err(|e| CliError::no_device(format!("cannot start the simulated {what}: {e}")))?
        {
            subsystem
                .register(d)
                .map_err(|e| CliError::errno(e, format!("register the simulated {what}")))?;
        }
    }
    for spec in &global.plugins {
        let (path, config) = plugin_spec(spec);
        #[allow(unsafe_code)]
        // SAFETY: `--plugin` is the user asking this process (running as that
        // user) to run the library's code; the loader still refuses files
        // someone else could have replaced.
        let lib = unsafe { plugin::load(&path, &LoadOptions::from_env()) }
            .map_err(|e| CliError::no_device(format!("--plugin {spec}: {e}")))?;
        let drivers = lib.probe(config).map_err(|e| CliError::no_device(format!("--plugin {spec}: {e}")))?;
        for d in drivers {
            subsystem.register(d).map_err(|e| CliError::errno(e, format!("register a device of {spec}")))?;
        }
    }
    Ok(subsystem)
}

/// Room asked of the file system before a refusable RPC: more than any one
/// record line (a few hundred bytes) and the summaries a run may add.
const RECORD_ROOM: u64 = 4096;

/// The audit log of one embedded run, which is one process and usually one
/// RPC. It is fwctld's [`AuditLog`], with every `[audit]` setting, plus what a
/// process that lives for one command needs to honour them:
/// - `on_failure`: fwctld learns that the log is failing from records waiting
///   since an earlier write failed; a new process has none. So before an RPC
///   the setting would refuse while failing, room for its record is reserved
///   ([`AuditLog::reserve`]); when there is none the RPC is refused with that
///   errno (`ENOSPC`) before anything taints, as fwctld refuses it.
/// - the refusal rate limit counts within the run; when the run ends, the
///   `suppressed` lines of its windows are written ([`AuditLog::finish`]).
///   Runs do not share a window: each is a process of the user whose refusals
///   they are, writing with that user's own rights.
/// - records still pending when the run ends are lost with it, and it says so.
struct OneRunAudit(AuditLog);

impl AuditSink for OneRunAudit {
    fn wants_rpcs(&self) -> bool {
        self.0.wants_rpcs()
    }
    fn record_rpc(&self, event: &RpcAudit<'_>) {
        self.0.record_rpc(event);
    }
    fn record_taint(&self, event: &fwctl_core::taint::TaintEvent) {
        self.0.record_taint(event);
    }
    fn record_open_denied(&self, device: &DeviceView, creds: &Credentials, decision: &Decision) {
        self.0.record_open_denied(device, creds, decision);
    }
    fn admit(&self, scope: RpcScope) -> Result<(), Errno> {
        self.0.admit(scope)?;
        let on_failure = self.0.settings().on_failure;
        if !on_failure.refuses(scope) {
            return Ok(());
        }
        self.0.reserve(RECORD_ROOM).inspect_err(|e| {
            eprintln!(
                "fwctl: audit log {}: no room for this RPC's record ({}): refused, as the policy's \
                 [audit] on_failure = \"{}\" asks",
                self.0.path().display(),
                e.name(),
                on_failure.name()
            );
        })
    }
}

impl Drop for OneRunAudit {
    fn drop(&mut self) {
        let lost = self.0.finish();
        if lost > 0 {
            eprintln!(
                "fwctl: audit log {}: {lost} audit record(s) could not be written and are lost with this run",
                self.0.path().display()
            );
        }
    }
}

/// The embedded transport over [`subsystem`], with this process's credentials.
pub fn transport(global: &GlobalOpts) -> Result<Embedded, CliError> {
    Ok(Embedded::new(subsystem(global)?))
}

/// Why the embedded policy refuses this process on `device`: the reason and a
/// hint, for a refused open (`None` when the policy cannot be loaded).
pub fn refusal(global: &GlobalOpts, device: &fwctl_core::DeviceView) -> Option<(String, String)> {
    let loaded = load_policy(&paths(global)).ok()?;
    let me = Credentials::current();
    let e = policy::explain(&loaded.policy, &me, device, None, None);
    let source = match &loaded.source {
        policy::PolicySource::BuiltinDefault { .. } => {
            "the built-in default policy, which grants only root".to_string()
        }
        other => format!("policy {other}"),
    };
    let reason = format!("{} [{source}]", e.decision.reason);
    let who = if me.uid == 0 { "root".to_string() } else { format!("uid {}", me.uid) };
    let hint = format!(
        "run as root, or choose a policy that grants {who}: `--policy policies/lab.toml` lets everyone query; \
         `fwctl policy explain --user {} --device {} --scope configuration` shows why",
        me.uid, device.name
    );
    Some((reason, hint))
}
