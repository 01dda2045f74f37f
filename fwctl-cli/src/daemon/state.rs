//! The daemon's durable state: the persisted taint record and the audit log, and
//! the [`Admin`] services the control socket reaches.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use fwctl_core::hooks::{AuditSink, Decision, Hooks, Policy, RpcAudit};
use fwctl_core::server::Admin;
use fwctl_core::subsystem::DeviceView;
use fwctl_core::taint::{TaintEvent, TaintStore};
use fwctl_core::{Credentials, Subsystem};
use serde_json::{Value, json};

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The taint record in `<state-dir>/taint.json`: present = tainted.
#[derive(Debug)]
pub struct FileTaintStore {
    path: PathBuf,
}

impl FileTaintStore {
    /// The store in `state_dir`.
    pub fn new(state_dir: &Path) -> Self {
        FileTaintStore { path: state_dir.join("taint.json") }
    }

    /// The persisted record, if the system was tainted before.
    pub fn load(&self) -> Option<TaintEvent> {
        let text = std::fs::read(&self.path).ok()?;
        // An unreadable record still means "tainted": never fail open.
        Some(serde_json::from_slice(&text).unwrap_or(TaintEvent {
            time: 0,
            device: "unknown (unreadable taint record)".into(),
            uid: u32::MAX,
            pid: 0,
            comm: String::new(),
            scope: fwctl_core::RpcScope::DebugWrite,
            opcode: None,
            command: None,
        }))
    }

    /// Whether a record exists.
    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// Remove the record.
    pub fn clear(&self) -> std::io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

impl TaintStore for FileTaintStore {
    fn record(&self, event: &TaintEvent) {
        let tmp = self.path.with_extension("json.tmp");
        let write = || -> std::io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(&serde_json::to_vec(event).unwrap_or_default())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        };
        if let Err(e) = write() {
            eprintln!("fwctld: cannot persist the taint record to {}: {e}", self.path.display());
        }
    }
}

/// The audit log: one JSON object per line, appended; reopened on SIGHUP so it can
/// be rotated. Taint events are fsync'd.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<Option<File>>,
}

impl AuditLog {
    /// Open (create) the log at `path`.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let f = Self::open_file(path)?;
        Ok(AuditLog { path: path.to_path_buf(), file: Mutex::new(Some(f)) })
    }

    fn open_file(path: &Path) -> std::io::Result<File> {
        use std::os::unix::fs::OpenOptionsExt;
        OpenOptions::new().create(true).append(true).mode(0o640).open(path)
    }

    /// Reopen after rotation.
    pub fn reopen(&self) -> std::io::Result<()> {
        let f = Self::open_file(&self.path)?;
        *lock(&self.file) = Some(f);
        Ok(())
    }

    /// Flush to stable storage.
    pub fn flush(&self) {
        if let Some(f) = lock(&self.file).as_mut() {
            let _ = f.sync_all();
        }
    }

    /// Append one event.
    pub fn write(&self, mut event: Value, durable: bool) {
        if let Some(o) = event.as_object_mut() {
            o.insert("time".into(), json!(now()));
        }
        let mut line = event.to_string().into_bytes();
        line.push(b'\n');
        let mut guard = lock(&self.file);
        if let Some(f) = guard.as_mut() {
            let ok = f.write_all(&line).is_ok() && (!durable || f.sync_data().is_ok());
            if !ok {
                eprintln!("fwctld: cannot write the audit log {}", self.path.display());
            }
        }
    }
}

fn who(c: &Credentials) -> Value {
    json!({"uid": c.uid, "gid": c.gid, "pid": c.pid, "comm": c.comm})
}

impl AuditSink for AuditLog {
    fn record_rpc(&self, e: &RpcAudit<'_>) {
        let d = e.description;
        self.write(
            json!({
                "event": "rpc",
                "caller": who(e.creds),
                "device": e.device.name,
                "scope": e.scope,
                "opcode": d.map(|d| d.opcode),
                "op_mod": d.map(|d| d.op_mod),
                "command": d.and_then(|d| d.name.as_deref()),
                "in_len": e.in_len,
                "out_capacity": e.out_capacity,
                "out_len": e.out_len,
                "errno": e.result.err().map(|e| e.name()),
                "rule": e.decision.and_then(|d| d.rule.as_deref()),
                "reason": e.decision.map(|d| &*d.reason),
                "status": e.status.map(|s| s.to_string()),
            }),
            false,
        );
    }

    fn record_taint(&self, e: &TaintEvent) {
        self.write(json!({"event": "taint", "record": e}), true);
    }

    fn record_open_denied(&self, device: &DeviceView, creds: &Credentials, decision: &Decision) {
        self.write(
            json!({"event": "open-denied", "caller": who(creds), "device": device.name,
                   "errno": decision.errno.map(|e| e.name()), "reason": &*decision.reason}),
            false,
        );
    }
}

/// Loads a policy file into a [`Policy`].
pub type PolicyLoader = Arc<dyn Fn(&Path) -> Result<Arc<dyn Policy>, String> + Send + Sync>;

/// What the control socket can ask of the daemon.
pub struct DaemonAdmin {
    /// The subsystem.
    pub subsystem: Subsystem,
    /// The audit log.
    pub audit: Arc<AuditLog>,
    /// The taint record.
    pub taint: Arc<FileTaintStore>,
    /// The policy file and how to load it, when the daemon has one.
    pub policy: Option<(PathBuf, PolicyLoader)>,
}

impl DaemonAdmin {
    /// Install the audit log and, if configured, the policy: the initial load must
    /// succeed; later reloads keep the last good policy on failure.
    pub fn install(&self) -> Result<String, String> {
        let mut hooks = Hooks { policy: None, audit: Some(self.audit.clone()) };
        let mut summary = "no policy: the kernel's rules apply".to_string();
        if let Some((path, load)) = &self.policy {
            hooks.policy = Some(load(path)?);
            summary = format!("policy {} loaded", path.display());
        }
        self.subsystem.set_hooks(hooks);
        Ok(summary)
    }
}

impl Admin for DaemonAdmin {
    fn reload_policy(&self) -> Result<String, String> {
        let Some((path, load)) = &self.policy else {
            return Err("fwctld was started without a policy file (--policy)".into());
        };
        let result = load(path).map(|p| {
            let mut hooks = self.subsystem.hooks();
            hooks.policy = Some(p);
            self.subsystem.set_hooks(hooks);
            format!("policy {} reloaded", path.display())
        });
        let ev = match &result {
            Ok(m) => json!({"event": "policy-reload", "ok": true, "message": m}),
            Err(e) => json!({"event": "policy-reload", "ok": false, "error": e, "kept": "last good policy"}),
        };
        self.audit.write(ev, true);
        result.map_err(|e| format!("{e}; the last good policy stays installed"))
    }

    fn clear_taint(&self, reason: &str, by: &Credentials) -> Result<(), String> {
        let previous = self.taint.load();
        self.taint.clear().map_err(|e| format!("cannot remove the taint record: {e}"))?;
        self.subsystem.taint().clear();
        self.audit.write(
            json!({"event": "taint-cleared", "by": who(by), "reason": reason, "previous": previous}),
            true,
        );
        Ok(())
    }

    fn record_control(&self, by: &Credentials, request: &Value, outcome: &Result<Value, String>) {
        self.audit.write(
            json!({"event": "control", "by": who(by), "request": request, "ok": outcome.is_ok(),
                   "error": outcome.as_ref().err()}),
            true,
        );
    }

    fn status(&self) -> Value {
        json!({
            "policy": self.policy.as_ref().map(|(p, _)| p.display().to_string()),
            "audit_log": self.audit.path.display().to_string(),
            "taint_record": self.taint.load(),
        })
    }
}
