//! The audit log: one JSON object per line, appended, never truncated.
//!
//! Every line is written with a single `write(2)` on a file opened `O_APPEND`, so
//! concurrent writers never interleave inside a line and nothing is overwritten.
//! Taint events, taint clearing and denials at `debug-write` and above are
//! `fsync`ed before the call returns; other lines are left to the page cache. A
//! crash can leave a torn last line: [`read`] skips it and says so. [`AuditLog::reopen`]
//! supports logrotate (`postrotate`: ask the daemon to reopen).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use fwctl_subsys::creds::Credentials;
use fwctl_subsys::hooks::{AuditSink, Decision, RpcAudit};
use fwctl_subsys::subsystem::DeviceView;
use fwctl_subsys::sync::lock;
use fwctl_subsys::taint::TaintEvent;
use fwctl_uapi::RpcScope;

/// What the audit log records, set by the policy's `audit` key. Taint events and
/// taint clearing are recorded at every level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditLevel {
    /// Every decision, allowed or refused.
    #[default]
    All,
    /// Only refusals (any errno).
    Denials,
    /// No RPC or open records.
    None,
}

impl AuditLevel {
    /// The policy spelling: `all`, `denials`, `none`.
    pub const fn name(self) -> &'static str {
        match self {
            AuditLevel::All => "all",
            AuditLevel::Denials => "denials",
            AuditLevel::None => "none",
        }
    }

    fn from_u8(v: u8) -> Self {
        match v {
            1 => AuditLevel::Denials,
            2 => AuditLevel::None,
            _ => AuditLevel::All,
        }
    }

    fn as_u8(self) -> u8 {
        match self {
            AuditLevel::All => 0,
            AuditLevel::Denials => 1,
            AuditLevel::None => 2,
        }
    }
}

impl FromStr for AuditLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "all" => Ok(AuditLevel::All),
            "denials" => Ok(AuditLevel::Denials),
            "none" => Ok(AuditLevel::None),
            other => Err(format!("unknown audit level '{other}' (all, denials, none)")),
        }
    }
}

/// What kind of event a line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditEvent {
    /// One RPC, delivered or refused.
    Rpc,
    /// A refused open.
    OpenDenied,
    /// The first tainting RPC.
    Taint,
    /// An administrator cleared the persistent taint record.
    TaintCleared,
    /// An administrative (control) request to the daemon, and its outcome.
    Control,
    /// A policy was loaded (at start, on SIGHUP or on request) or rejected.
    PolicyLoad,
    /// The daemon stopped serving (clean shutdown; `error` set when it could
    /// not finish in time).
    Shutdown,
    /// A plugin host (an out-of-process plugin) died or was restarted:
    /// `command` is `crash`, `restart` or `restart-failed`, `device` the
    /// configuration label, `pid` the host's, `error` what happened.
    PluginHost,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Seconds since the Unix epoch.
    pub time: u64,
    /// The kind of event.
    pub event: AuditEvent,
    /// Device name, e.g. `fwctl0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// Caller's uid.
    pub uid: u32,
    /// Caller's pid.
    pub pid: i32,
    /// Caller's command name.
    pub comm: String,
    /// Requested scope: its name, or the raw number when it is not a valid scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Command opcode, when the driver described the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opcode: Option<u32>,
    /// Opcode modifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_mod: Option<u32>,
    /// The driver's command name (for `control`, the verb).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// The caller's `in_len`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_len: Option<u32>,
    /// The caller's `out_len` (capacity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_capacity: Option<u32>,
    /// The response length, when delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_len: Option<u64>,
    /// The errno name the caller got; absent on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errno: Option<String>,
    /// Firmware status name of a delivered response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Firmware status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u32>,
    /// Firmware syndrome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syndrome: Option<u32>,
    /// The policy rule that decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The policy's reason (for `taint-cleared`, the administrator's reason; for
    /// `policy-load`, where the policy came from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// SHA-256 of the request bytes, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// For `taint-cleared`: the record that was cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared: Option<TaintEvent>,
    /// For `control` and `policy-load`: why the request failed or the policy was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl AuditRecord {
    fn new(event: AuditEvent, creds: &Credentials) -> Self {
        AuditRecord {
            time: now_secs(),
            event,
            device: None,
            uid: creds.uid,
            pid: creds.pid,
            comm: creds.comm.clone(),
            scope: None,
            opcode: None,
            op_mod: None,
            command: None,
            in_len: None,
            out_capacity: None,
            out_len: None,
            errno: None,
            status: None,
            status_code: None,
            syndrome: None,
            rule: None,
            reason: None,
            sha256: None,
            cleared: None,
            error: None,
        }
    }

    /// Whether this records a refusal (any errno).
    pub fn denied(&self) -> bool {
        self.errno.is_some()
    }

    fn with_decision(mut self, d: Option<&Decision>) -> Self {
        if let Some(d) = d {
            self.rule = d.rule.as_deref().map(str::to_string);
            self.reason = Some(d.reason.to_string());
        }
        self
    }
}

pub use fwctl_subsys::taint::now_secs;

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    // Per RPC at audit level `all`: one allocation, no formatting machinery.
    hex::encode(Sha256::digest(bytes))
}

fn scope_text(raw: u32) -> String {
    RpcScope::from_u32(raw).map_or_else(|| raw.to_string(), |s| s.name().to_string())
}

/// Why the audit log could not be opened or read.
#[derive(Debug, thiserror::Error)]
#[error("audit log {}: {source}", path.display())]
pub struct AuditError {
    /// The log file.
    pub path: PathBuf,
    /// The OS error.
    #[source]
    pub source: std::io::Error,
}

/// The append-only audit log; install it as the subsystem's [`AuditSink`].
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
    level: AtomicU8,
    write_errors: AtomicU64,
    /// A write failed, possibly half-way through a line: the next append starts
    /// with a newline, so the torn piece stays alone on its line (readers skip it
    /// and report it) and the next record is intact.
    torn: std::sync::atomic::AtomicBool,
}

/// Open the log for appending: its directory is created 0700 (whatever the
/// umask) or must belong to us and not be writable by others, and the file is
/// opened relative to it with `O_NOFOLLOW` (a symbolic link planted as the log
/// is refused, never followed) and must be a regular file.
fn open_append(path: &Path) -> Result<File, AuditError> {
    let err =
        |e: fwctl_os::OsError| AuditError { path: path.into(), source: std::io::Error::other(e.to_string()) };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| AuditError {
        path: path.into(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
    })?;
    let dir = fwctl_os::TrustedDir::ensure(dir, 0o700, "audit log directory").map_err(err)?;
    dir.open_append(name, 0o600).map_err(err)
}

impl AuditLog {
    /// Open (creating if needed) the log at `path`, for appending, at `level`.
    pub fn open(path: &Path, level: AuditLevel) -> Result<Self, AuditError> {
        Ok(AuditLog {
            path: path.into(),
            file: Mutex::new(open_append(path)?),
            level: AtomicU8::new(level.as_u8()),
            write_errors: AtomicU64::new(0),
            torn: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// The log file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current level.
    pub fn level(&self) -> AuditLevel {
        AuditLevel::from_u8(self.level.load(Ordering::Relaxed))
    }

    /// Change the level (on policy reload).
    pub fn set_level(&self, level: AuditLevel) {
        self.level.store(level.as_u8(), Ordering::Relaxed);
    }

    /// Reopen the path (after logrotate moved the file away).
    pub fn reopen(&self) -> Result<(), AuditError> {
        let f = open_append(&self.path)?;
        *lock(&self.file) = f;
        Ok(())
    }

    /// Lines that could not be written since the log was opened (the hook
    /// interface cannot return errors; the daemon reports this count).
    pub fn write_errors(&self) -> u64 {
        self.write_errors.load(Ordering::Relaxed)
    }

    /// Append one record as a line; `durable` adds an fsync.
    pub fn append(&self, record: &AuditRecord, durable: bool) -> Result<(), AuditError> {
        let err = |source| AuditError { path: self.path.clone(), source };
        let mut line = serde_json::to_vec(record).map_err(|e| err(std::io::Error::other(e)))?;
        line.push(b'\n');
        let mut f = lock(&self.file);
        if self.torn.load(Ordering::Relaxed) {
            line.insert(0, b'\n');
        }
        let written = f.write_all(&line).and_then(|()| if durable { f.sync_data() } else { Ok(()) });
        match written {
            Ok(()) => {
                if self.torn.swap(false, Ordering::Relaxed) {
                    eprintln!("fwctl: audit log {}: writing again after failures", self.path.display());
                }
                Ok(())
            }
            Err(e) => {
                // Reported once per failure streak (the count is in `status`).
                if !self.torn.swap(true, Ordering::Relaxed) {
                    eprintln!("fwctl: audit log {}: cannot write a record: {e}", self.path.display());
                }
                Err(err(e))
            }
        }
    }

    fn append_counted(&self, record: &AuditRecord, durable: bool) {
        if self.append(record, durable).is_err() {
            self.write_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Record that an administrator cleared the taint record (always, durably).
    pub fn record_taint_cleared(
        &self,
        creds: &Credentials,
        reason: &str,
        cleared: Option<&TaintEvent>,
    ) -> Result<(), AuditError> {
        let mut r = AuditRecord::new(AuditEvent::TaintCleared, creds);
        r.reason = Some(reason.to_string());
        r.cleared = cleared.cloned();
        r.device = cleared.map(|c| c.device.clone());
        self.append(&r, true)
    }

    /// Record a control request (`verb`, on `device` if it names one) by `creds`
    /// and its outcome (`error` when it failed), durably: control actions are rare
    /// and are exactly what an auditor looks for.
    pub fn record_control(
        &self,
        creds: &Credentials,
        verb: &str,
        device: Option<&str>,
        error: Option<&str>,
    ) -> Result<(), AuditError> {
        let mut r = AuditRecord::new(AuditEvent::Control, creds);
        r.command = Some(verb.to_string());
        r.device = device.map(str::to_string);
        r.error = error.map(str::to_string);
        self.append(&r, true)
    }

    /// Record a policy load by the process `creds` describe: `source` names the
    /// policy (file or built-in default); `error` says why it was rejected.
    pub fn record_policy_load(
        &self,
        creds: &Credentials,
        source: &str,
        error: Option<&str>,
    ) -> Result<(), AuditError> {
        let mut r = AuditRecord::new(AuditEvent::PolicyLoad, creds);
        r.reason = Some(source.to_string());
        r.error = error.map(str::to_string);
        self.append(&r, true)
    }

    /// Record a clean shutdown of the process `creds` describe (durably: it is
    /// the last line a clean stop writes).
    pub fn record_shutdown(&self, creds: &Credentials) -> Result<(), AuditError> {
        self.append(&AuditRecord::new(AuditEvent::Shutdown, creds), true)
    }

    /// Record a shutdown that did not finish within its bound (`error` says
    /// what was still running), durably, just before the process exits.
    pub fn record_shutdown_error(&self, creds: &Credentials, error: &str) -> Result<(), AuditError> {
        let mut r = AuditRecord::new(AuditEvent::Shutdown, creds);
        r.error = Some(error.to_string());
        self.append(&r, true)
    }

    /// Record what happened to the plugin host of the configuration entry
    /// `label` (`action`: `crash`, `restart`, `restart-failed`), durably. `creds`
    /// are the daemon's; `host_pid` is the plugin host's process. `detail` is the
    /// `reason` of a restart, the `error` of anything else.
    pub fn record_plugin_host(
        &self,
        creds: &Credentials,
        label: &str,
        action: &str,
        host_pid: Option<u32>,
        detail: Option<&str>,
    ) -> Result<(), AuditError> {
        let mut r = AuditRecord::new(AuditEvent::PluginHost, creds);
        r.device = Some(label.to_string());
        r.command = Some(action.to_string());
        if let Some(pid) = host_pid.and_then(|p| i32::try_from(p).ok()) {
            r.pid = pid;
        }
        if action == "restart" {
            r.reason = detail.map(str::to_string);
        } else {
            r.error = detail.map(str::to_string);
        }
        self.append(&r, true)
    }
}

impl AuditSink for AuditLog {
    fn wants_rpcs(&self) -> bool {
        self.level() != AuditLevel::None
    }

    fn record_rpc(&self, e: &RpcAudit<'_>) {
        let denied = e.result.is_err();
        match self.level() {
            AuditLevel::None => return,
            AuditLevel::Denials if !denied => return,
            _ => {}
        }
        let mut r = AuditRecord::new(AuditEvent::Rpc, e.creds).with_decision(e.decision);
        r.device = Some(e.device.name.clone());
        r.scope = Some(scope_text(e.scope));
        if let Some(d) = e.description {
            r.opcode = Some(d.opcode);
            r.op_mod = Some(d.op_mod);
            r.command = d.name.as_deref().map(str::to_string);
        }
        r.in_len = Some(e.in_len);
        r.out_capacity = Some(e.out_capacity);
        r.out_len = e.out_len.map(|n| n as u64);
        r.errno = e.result.err().map(|er| er.name().to_string());
        if let Some(s) = e.status {
            r.status = Some(s.name.to_string());
            r.status_code = Some(s.code);
            r.syndrome = s.syndrome;
        }
        r.sha256 = e.request.map(sha256_hex);
        let durable = denied && e.scope >= RpcScope::DebugWrite.as_u32();
        self.append_counted(&r, durable);
    }

    fn record_taint(&self, event: &TaintEvent) {
        let creds =
            Credentials { uid: event.uid, pid: event.pid, comm: event.comm.clone(), ..Default::default() };
        let mut r = AuditRecord::new(AuditEvent::Taint, &creds);
        r.time = event.time;
        r.device = Some(event.device.clone());
        r.scope = Some(event.scope.name().to_string());
        r.opcode = event.opcode;
        r.command = event.command.clone();
        self.append_counted(&r, true);
    }

    fn record_open_denied(&self, device: &DeviceView, creds: &Credentials, decision: &Decision) {
        if self.level() == AuditLevel::None {
            return;
        }
        let mut r = AuditRecord::new(AuditEvent::OpenDenied, creds).with_decision(Some(decision));
        r.device = Some(device.name.clone());
        r.errno = decision.errno.map(|e| e.name().to_string());
        self.append_counted(&r, false);
    }
}

/// Which records [`read`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this device.
    pub device: Option<String>,
    /// Only refusals.
    pub denied_only: bool,
    /// Only this uid.
    pub uid: Option<u32>,
    /// Only the last N matching records.
    pub tail: Option<usize>,
}

impl AuditFilter {
    fn accepts(&self, r: &AuditRecord) -> bool {
        (self.device.is_none() || r.device == self.device)
            && (!self.denied_only || r.denied())
            && self.uid.is_none_or(|u| r.uid == u)
    }
}

/// What [`read`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditReadout {
    /// Matching records, oldest first.
    pub records: Vec<AuditRecord>,
    /// The last line was incomplete (a crash mid-write) and was skipped.
    pub torn_tail: bool,
    /// 1-based numbers of complete lines that did not parse and were skipped.
    pub bad_lines: Vec<usize>,
}

/// Parse audit log bytes. Never fails: unreadable lines are reported, not fatal.
pub fn parse(bytes: &[u8], filter: &AuditFilter) -> AuditReadout {
    let mut out = AuditReadout::default();
    let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    // `split` yields a final empty piece after a trailing newline; anything else
    // there is a line whose newline was never written.
    if let Some(last) = lines.pop()
        && !last.is_empty()
    {
        out.torn_tail = true;
    }
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        match serde_json::from_slice::<AuditRecord>(line) {
            Ok(r) if filter.accepts(&r) => out.records.push(r),
            Ok(_) => {}
            Err(_) => out.bad_lines.push(i + 1),
        }
    }
    if let Some(n) = filter.tail {
        let skip = out.records.len().saturating_sub(n);
        out.records.drain(..skip);
    }
    out
}

/// Read the audit log at `path` (`fwctl audit`).
pub fn read(path: &Path, filter: &AuditFilter) -> Result<AuditReadout, AuditError> {
    let bytes = std::fs::read(path).map_err(|source| AuditError { path: path.into(), source })?;
    Ok(parse(&bytes, filter))
}
