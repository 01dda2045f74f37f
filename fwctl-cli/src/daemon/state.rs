//! The daemon's durable state and administration: the policy (loaded with
//! [`fwctl_core::policy`], reloaded on SIGHUP and on the `reload` verb), the audit
//! log ([`AuditLog`]) and the persisted taint record ([`TaintRecordStore`]), and
//! the [`Admin`] services the control socket reaches.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use fwctl_core::audit::{AuditError, AuditLog};
use fwctl_core::hooks::{Hooks, Policy};
use fwctl_core::policy::{self, LoadedPolicy, PolicyError};
use fwctl_core::server::{Admin, AdminError};
use fwctl_core::taint_store::TaintRecordStore;
use fwctl_core::{Credentials, Subsystem};
use serde_json::{Value, json};

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn log(msg: &str) {
    eprintln!("fwctld: {msg}");
}

/// Why a policy load left the installed policy as it was.
#[derive(Debug, thiserror::Error)]
pub struct PolicyRejected {
    /// What is wrong with the file (every problem, with file:line:column).
    pub why: PolicyError,
    /// The source of the last good policy, which stays installed (`None`:
    /// none was installed).
    pub kept: Option<String>,
}

impl std::fmt::Display for PolicyRejected {
    /// One line: `policy rejected: <problems, ' | '-joined>; <what stays>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "policy rejected: {}; ", self.why.to_string().replace('\n', " | "))?;
        match &self.kept {
            Some(s) => write!(f, "the last good policy ({s}) stays installed"),
            None => f.write_str("no policy was installed"),
        }
    }
}

/// The daemon serves without a compiled policy (the first load failed).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("no policy is installed")]
pub struct NoPolicyInstalled;

/// What the `status` verb says about the installed policy.
#[derive(Debug, Clone)]
struct PolicySummary {
    source: String,
    builtin_default: bool,
    rules: usize,
    lockdown: bool,
    audit: &'static str,
    warnings: usize,
    loaded_at: u64,
    /// The compiled policy, for the query socket's `rights` and `explain`.
    compiled: Arc<policy::CompiledPolicy>,
}

impl PolicySummary {
    fn of(p: &LoadedPolicy) -> Self {
        PolicySummary {
            source: p.describe_source(),
            builtin_default: matches!(p.source, policy::PolicySource::BuiltinDefault { .. }),
            rules: p.policy.rule_count(),
            lockdown: p.policy.lockdown(),
            audit: p.policy.audit_level().name(),
            warnings: p.warnings.len(),
            loaded_at: fwctl_core::audit::now_secs(),
            compiled: p.policy.clone(),
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "source": self.source,
            "builtin_default": self.builtin_default,
            "rules": self.rules,
            "lockdown": self.lockdown,
            "audit": self.audit,
            "warnings": self.warnings,
            "loaded_at": self.loaded_at,
        })
    }
}

/// What the control socket and the signal loop can ask of the daemon.
pub struct DaemonAdmin {
    subsystem: Subsystem,
    audit: Arc<AuditLog>,
    taint: Arc<TaintRecordStore>,
    policy_path: PathBuf,
    /// The daemon's own identity, for the audit lines it writes on its own account.
    me: Credentials,
    /// The installed policy; `None` until the first successful load.
    current: Mutex<Option<PolicySummary>>,
    /// Serialises reloads (SIGHUP and the `reload` verb may race).
    reloading: Mutex<()>,
    /// The out-of-process plugin entries' hosts, for the `status` verb.
    plugin_hosts: std::sync::OnceLock<Arc<super::hosts::HostTable>>,
}

impl std::fmt::Debug for DaemonAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DaemonAdmin").field("policy", &self.policy_path).finish()
    }
}

impl DaemonAdmin {
    /// Administer `subsystem`, whose taint flag is backed by `taint`, auditing to
    /// `audit`, with the policy at `policy_path` (the built-in default while that
    /// file does not exist). Installs the audit log as the subsystem's sink; call
    /// [`DaemonAdmin::load_policy`] before serving.
    pub fn new(
        subsystem: Subsystem,
        audit: Arc<AuditLog>,
        taint: Arc<TaintRecordStore>,
        policy_path: PathBuf,
    ) -> Self {
        let mut hooks = subsystem.hooks();
        hooks.audit = Some(audit.clone());
        subsystem.set_hooks(hooks);
        DaemonAdmin {
            subsystem,
            audit,
            taint,
            policy_path,
            me: Credentials::current(),
            current: Mutex::new(None),
            reloading: Mutex::new(()),
            plugin_hosts: std::sync::OnceLock::new(),
        }
    }

    /// The policy file this daemon reads.
    pub fn policy_path(&self) -> &Path {
        &self.policy_path
    }

    /// The audit log.
    pub fn audit(&self) -> &Arc<AuditLog> {
        &self.audit
    }

    /// Load the policy file (or the built-in default when it does not exist),
    /// compile it and install it as the subsystem's policy hook, and set the audit
    /// level it asks for. On error nothing changes (the last good policy stays)
    /// and the reason, with file:line:column, is returned. Both outcomes are
    /// audited. Returns a one-line summary.
    pub fn load_policy(&self) -> Result<String, PolicyRejected> {
        let _one = lock(&self.reloading);
        match policy::load_with_dropins(&self.policy_path) {
            Ok(loaded) => {
                for w in &loaded.warnings {
                    log(&format!("policy warning: {w}"));
                }
                let summary = PolicySummary::of(&loaded);
                let mut hooks: Hooks = self.subsystem.hooks();
                let installed: Arc<dyn Policy> = loaded.policy.clone();
                hooks.policy = Some(installed);
                self.subsystem.set_hooks(hooks);
                self.audit.configure(&loaded.policy.audit_settings());
                let msg = format!(
                    "policy {}: {} rule(s), audit {}{}",
                    summary.source,
                    summary.rules,
                    summary.audit,
                    if summary.lockdown { ", lockdown" } else { "" }
                );
                *lock(&self.current) = Some(summary);
                self.audit_policy(&loaded.source.to_string(), None);
                Ok(msg)
            }
            Err(why) => {
                self.audit_policy(&self.policy_path.display().to_string(), Some(&why.to_string()));
                let kept = lock(&self.current).as_ref().map(|s| s.source.clone());
                Err(PolicyRejected { why, kept })
            }
        }
    }

    /// The installed compiled policy, or why there is none.
    fn compiled(&self) -> Result<Arc<policy::CompiledPolicy>, AdminError> {
        lock(&self.current)
            .as_ref()
            .map(|p| p.compiled.clone())
            .ok_or_else(|| AdminError::Refused(Box::new(NoPolicyInstalled)))
    }

    fn audit_policy(&self, source: &str, error: Option<&str>) {
        if let Err(e) = self.audit.record_policy_load(&self.me, source, error) {
            log(&format!("cannot write the audit log: {e}"));
        }
    }

    /// Reopen the audit log (logrotate moved it away).
    pub fn reopen_audit(&self) -> Result<(), AuditError> {
        self.audit.reopen()
    }

    /// Periodic audit work: retry pending records, write ended refusal summaries.
    pub fn audit_tick(&self) {
        self.audit.tick();
    }

    /// Write the shutdown record (durably).
    pub fn record_shutdown(&self) {
        if let Err(e) = self.audit.record_shutdown(&self.me) {
            log(&format!("cannot write the audit log: {e}"));
        }
    }

    /// Write the record of a shutdown that did not finish in time (durably).
    pub fn record_shutdown_error(&self, error: &str) {
        if let Err(e) = self.audit.record_shutdown_error(&self.me, error) {
            log(&format!("cannot write the audit log: {e}"));
        }
    }

    /// Show `table` (the out-of-process plugin entries' hosts) in `status`.
    pub fn set_plugin_hosts(&self, table: Arc<super::hosts::HostTable>) {
        let _ = self.plugin_hosts.set(table);
    }

    /// Record a plugin host event (`crash`, `restart`, `restart-failed`,
    /// `start-failed`) in the audit log (durably).
    pub fn record_plugin_host(&self, label: &str, action: &str, host_pid: Option<u32>, detail: Option<&str>) {
        if let Err(e) = self.audit.record_plugin_host(&self.me, label, action, host_pid, detail) {
            log(&format!("cannot write the audit log: {e}"));
        }
    }
}

impl Admin for DaemonAdmin {
    fn reload_policy(&self) -> Result<String, AdminError> {
        self.load_policy().map_err(|e| AdminError::Refused(Box::new(e)))
    }

    fn clear_taint(&self, reason: &str, by: &Credentials) -> Result<(), AdminError> {
        // Root and a reason are checked, and the clearing audited durably, by the
        // store; the in-memory flag is cleared only once the record is gone.
        self.taint
            .clear(reason, by, Some(&self.audit), Some(self.subsystem.taint()))
            .map(|_| ())
            .map_err(|e| AdminError::Refused(Box::new(e)))
    }

    fn record_control(&self, by: &Credentials, request: &Value, outcome: &Result<Value, AdminError>) {
        let verb = request.get("verb").and_then(Value::as_str).unwrap_or("(none)");
        let device = request.get("device").and_then(Value::as_str);
        let error = outcome.as_ref().err().map(AdminError::to_string);
        if let Err(e) = self.audit.record_control(by, verb, device, error.as_deref()) {
            log(&format!("cannot write the audit log: {e}"));
        }
    }

    fn public_status(&self) -> Value {
        match &*lock(&self.current) {
            Some(p) => json!({
                "source": p.source,
                "builtin_default": p.builtin_default,
                "loaded_at": p.loaded_at,
            }),
            None => Value::Null,
        }
    }

    fn rights(
        &self,
        creds: &Credentials,
        devices: &[fwctl_core::subsystem::DeviceView],
    ) -> Result<Value, AdminError> {
        let compiled = self.compiled()?;
        let devices: Vec<Value> = devices
            .iter()
            .map(|view| {
                let d = compiled.check_open(&fwctl_core::hooks::OpenCheck { device: view, creds });
                json!({
                    "name": view.name,
                    "device_type": view.device_type.name(),
                    "open": {"allowed": d.allowed(), "errno": d.errno.map(|e| e.name()), "reason": &*d.reason},
                })
            })
            .collect();
        Ok(json!({
            "policy": self.public_status(),
            "lockdown": compiled.lockdown(),
            "caller": {"uid": creds.uid, "gid": creds.gid, "groups": creds.groups, "cap_sys_rawio": creds.has_cap_sys_rawio()},
            "rules": compiled.rules_for(creds),
            "devices": devices,
        }))
    }

    fn explain(
        &self,
        creds: &Credentials,
        device: &fwctl_core::subsystem::DeviceView,
        scope: Option<fwctl_core::RpcScope>,
        description: Option<&fwctl_core::driver::RpcDescription>,
    ) -> Result<Value, AdminError> {
        let compiled = self.compiled()?;
        let e = policy::explain_request(&compiled, creds, device, scope, description);
        let mut v = serde_json::to_value(&e).map_err(|e| AdminError::Refused(Box::new(e)))?;
        if let Some(o) = v.as_object_mut() {
            o.insert("policy".into(), self.public_status());
        }
        Ok(v)
    }

    fn status(&self) -> Value {
        let taint_record = match self.taint.load() {
            Ok(r) => json!(r),
            Err(e) => json!({"error": e.to_string()}),
        };
        json!({
            "policy_file": self.policy_path.display().to_string(),
            "policy": lock(&self.current).as_ref().map(PolicySummary::to_json),
            "audit_log": self.audit.path().display().to_string(),
            "audit_level": self.audit.level().name(),
            "audit_write_errors": self.audit.write_errors(),
            "audit_on_failure": self.audit.settings().on_failure.name(),
            "audit_pending": self.audit.pending(),
            "audit_lost": self.audit.lost(),
            "audit_suppressed": self.audit.suppressed(),
            "taint_record": taint_record,
            "taint_write_errors": self.taint.write_errors(),
            "plugin_hosts": self.plugin_hosts.get().map(|t| t.to_json()),
        })
    }
}
