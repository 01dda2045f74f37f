//! The audit log: one JSON object per line, appended, never truncated.
//!
//! Every line is written with a single `write(2)` on a file opened `O_APPEND`, so
//! concurrent writers never interleave inside a line and nothing is overwritten.
//! Taint events, taint clearing, control actions, policy loads, the shutdown line
//! and refusals at `debug-write` and above are `fsync`ed before the call returns
//! (`sync = "critical"`, the default); `sync = "always"` syncs every line. A
//! crash can leave a torn last line: [`read`] skips it and says so.
//! [`AuditLog::reopen`] supports logrotate (`postrotate`: ask the daemon to
//! reopen).
//!
//! **Write-behind** ([`fwctl_subsys::hooks::WriteBehind`]). On a thread that
//! opted in (fwctld's connection threads; nothing else does), the line of an
//! RPC that needs no sync — one at a non-tainting scope (`configuration`,
//! `debug-read-only`, allowed or refused) under `sync = "critical"`, while the
//! log is writable, with a request of at most [`MAX_STAGED_REQUEST`] bytes —
//! is not written before the reply. Its facts are copied into reused buffers,
//! and the SHA-256, the JSON and the `write(2)` happen later:
//! - with a **background writer** ([`AuditLog::start_writer`]; fwctld runs
//!   one), the facts go to its handoff (at most [`MAX_HANDOFF_LINES`] lines
//!   and [`MAX_HANDOFF_BYTES`] request bytes; a thread that finds it full
//!   writes its line itself). The writer wakes for the first line, lingers
//!   [`HANDOFF_LINGER`] so the lines of the RPCs answered meanwhile join it,
//!   and writes them all with one `write(2)`. A daemon crash
//!   (`kill -9`) can lose about a millisecond's worth of lines, at most
//!   [`MAX_HANDOFF_LINES`]; dropping the writer's guard writes the rest;
//! - without one, the line is *staged* on the thread, which writes it after
//!   the reply is sent, before it reads its next request (and when it ends):
//!   a crash can lose at most one line per connection
//!   ([`MAX_STAGED_PER_THREAD`] bounds a caller that forgets to flush).
//!
//! Such a line never had a power-loss guarantee (nothing `fsync`s it).
//! Always written before the reply, and after every line handed off or staged
//! before it: every line of a tainting RPC and the `taint` line (the taint
//! record is synced before delivery), refusals at `debug-write` and above
//! (synced), every line under `sync = "always"` (synced), every line written
//! while records are queued, lines of larger requests, and every other kind of
//! line (control, policy loads, taint clearing, refused opens, shutdown).
//! Every other caller (the embedded transport, library users) writes every
//! line before the call returns. A line written later whose write fails is
//! queued like any other; a request that `on_failure` would refuse while
//! records are queued first has the handed-off lines written, so it gets the
//! answer it would have had if each line had been written before its reply
//! (a staged line on another connection's thread can still be a few
//! microseconds late for it).
//!
//! When a write fails (a full disk), like auditd's `disk_full_action`
//! ([`AuditSettings::on_failure`]):
//! - the failure is reported on stderr (the journal) with how many bytes of the
//!   line reached the file, and the next line starts on a fresh line, so a torn
//!   piece never swallows a record;
//! - the record is kept in a bounded in-memory queue and written, in order,
//!   as soon as the log can be written again ([`AuditLog::retry`], tried before
//!   every append and once a second by fwctld); records that do not fit in the
//!   queue are counted and reported by a `records-lost` line ("N audit records
//!   lost") once writing works again;
//! - while records are pending, `on_failure = "refuse"` (the default) refuses
//!   RPCs at the tainting scopes (`debug-write`, `debug-write-full`) with the
//!   write's errno (`ENOSPC`) before they taint or reach the device;
//!   `"refuse-all"` refuses every RPC; `"continue"` serves them all.
//!
//! Refusals of non-root callers (refused opens and refused RPCs) are rate
//! limited per uid ([`AuditSettings::max_refusals`] per
//! [`AuditSettings::refusal_window`]); the rest of a window is counted and
//! summarised by one `suppressed` line ("suppressed N refusals from uid U"),
//! so no user can flood the log or force an fsync per request.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use fwctl_subsys::creds::Credentials;
use fwctl_subsys::hooks::{AuditSink, Decision, RpcAudit};
use fwctl_subsys::subsystem::DeviceView;
use fwctl_subsys::sync::lock;
use fwctl_subsys::taint::TaintEvent;
use fwctl_uapi::RpcScope;
use fwctl_uapi::errno::Errno;

mod rpc_line;
use rpc_line::{Drain, Handoff, STAGE};
pub use rpc_line::{
    HANDOFF_LINGER, MAX_HANDOFF_BYTES, MAX_HANDOFF_LINES, MAX_STAGED_PER_THREAD, MAX_STAGED_REQUEST,
};

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

/// A policy spelling of an audit setting that names no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {setting} '{value}' ({choices})")]
pub struct UnknownSetting {
    /// Which setting: `audit level`, `on_failure`, `sync`.
    pub setting: &'static str,
    /// What was given.
    pub value: String,
    /// The spellings it accepts, comma-separated.
    pub choices: &'static str,
}

impl FromStr for AuditLevel {
    type Err = UnknownSetting;
    fn from_str(s: &str) -> Result<Self, UnknownSetting> {
        match s {
            "all" => Ok(AuditLevel::All),
            "denials" => Ok(AuditLevel::Denials),
            "none" => Ok(AuditLevel::None),
            other => Err(UnknownSetting {
                setting: "audit level",
                value: other.into(),
                choices: "all, denials, none",
            }),
        }
    }
}

/// What happens to RPCs while the audit log cannot be written (auditd's
/// `disk_full_action`), set by the policy's `[audit] on_failure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnFailure {
    /// Refuse RPCs at the tainting scopes (`debug-write`, `debug-write-full`)
    /// with the write's errno while records are pending; serve the others.
    #[default]
    Refuse,
    /// Refuse every RPC while records are pending.
    RefuseAll,
    /// Serve everything; pending records are written when the log works again
    /// (or counted as lost when the queue overflows).
    Continue,
}

impl OnFailure {
    /// The policy spelling: `refuse`, `refuse-all`, `continue`.
    pub const fn name(self) -> &'static str {
        match self {
            OnFailure::Refuse => "refuse",
            OnFailure::RefuseAll => "refuse-all",
            OnFailure::Continue => "continue",
        }
    }

    fn from_u8(v: u8) -> Self {
        match v {
            1 => OnFailure::RefuseAll,
            2 => OnFailure::Continue,
            _ => OnFailure::Refuse,
        }
    }

    fn as_u8(self) -> u8 {
        match self {
            OnFailure::Refuse => 0,
            OnFailure::RefuseAll => 1,
            OnFailure::Continue => 2,
        }
    }

    /// Whether an RPC at `scope` is refused while the log is failing.
    pub fn refuses(self, scope: RpcScope) -> bool {
        match self {
            OnFailure::Refuse => scope >= RpcScope::DebugWrite,
            OnFailure::RefuseAll => true,
            OnFailure::Continue => false,
        }
    }
}

impl FromStr for OnFailure {
    type Err = UnknownSetting;
    fn from_str(s: &str) -> Result<Self, UnknownSetting> {
        match s {
            "refuse" => Ok(OnFailure::Refuse),
            "refuse-all" => Ok(OnFailure::RefuseAll),
            "continue" => Ok(OnFailure::Continue),
            other => Err(UnknownSetting {
                setting: "on_failure",
                value: other.into(),
                choices: "refuse, refuse-all, continue",
            }),
        }
    }
}

/// Which lines are `fsync`ed before the call that wrote them returns, set by
/// the policy's `[audit] sync`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditSync {
    /// Taint, taint clearing, control, policy loads, shutdown and refusals at
    /// `debug-write` and above; other lines reach the disk with the page cache.
    #[default]
    Critical,
    /// Every line (one fsync per RPC: slow, survives a power loss).
    Always,
}

impl AuditSync {
    /// The policy spelling: `critical`, `always`.
    pub const fn name(self) -> &'static str {
        match self {
            AuditSync::Critical => "critical",
            AuditSync::Always => "always",
        }
    }
}

impl FromStr for AuditSync {
    type Err = UnknownSetting;
    fn from_str(s: &str) -> Result<Self, UnknownSetting> {
        match s {
            "critical" => Ok(AuditSync::Critical),
            "always" => Ok(AuditSync::Always),
            other => {
                Err(UnknownSetting { setting: "sync", value: other.into(), choices: "critical, always" })
            }
        }
    }
}

/// Everything the policy's `audit` key (or `[audit]` table) sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditSettings {
    /// What is recorded.
    pub level: AuditLevel,
    /// What happens to RPCs while the log cannot be written.
    pub on_failure: OnFailure,
    /// Which lines are fsync'd.
    pub sync: AuditSync,
    /// Refusal lines written per non-root uid per window; the rest are
    /// summarised (0: no limit).
    pub max_refusals: u32,
    /// The rate limit's window.
    pub refusal_window: Duration,
}

impl AuditSettings {
    /// The default number of refusal lines per uid per window.
    pub const DEFAULT_MAX_REFUSALS: u32 = 100;
    /// The default window of the refusal rate limit.
    pub const DEFAULT_REFUSAL_WINDOW: Duration = Duration::from_secs(60);
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            level: AuditLevel::default(),
            on_failure: OnFailure::default(),
            sync: AuditSync::default(),
            max_refusals: Self::DEFAULT_MAX_REFUSALS,
            refusal_window: Self::DEFAULT_REFUSAL_WINDOW,
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
    /// Refusals of one uid beyond the rate limit, summarised (`suppressed`).
    Suppressed,
    /// Records that could not be written and did not fit in the pending
    /// queue while the log was failing (`lost`).
    RecordsLost,
    /// A plugin host (an out-of-process plugin) died or was restarted:
    /// `command` is `crash`, `restart` or `restart-failed`, `device` the
    /// configuration label, `pid` the host's, `error` what happened.
    PluginHost,
}

/// One line of the audit log.
///
/// The text fields are `S`: `String` when a line is read back (the default),
/// `&str` when the daemon writes one (borrowed from the RPC: no allocation per
/// record). Both are the one serde shape of this derive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord<S = String> {
    /// Seconds since the Unix epoch.
    pub time: u64,
    /// The kind of event.
    pub event: AuditEvent,
    /// Device name, e.g. `fwctl0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<S>,
    /// Caller's uid.
    pub uid: u32,
    /// Caller's pid.
    pub pid: i32,
    /// Caller's command name.
    pub comm: S,
    /// Requested scope: its name, or the raw number when it is not a valid scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<S>,
    /// Command opcode, when the driver described the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opcode: Option<u32>,
    /// Opcode modifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_mod: Option<u32>,
    /// The driver's command name (for `control`, the verb).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<S>,
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
    pub errno: Option<S>,
    /// Firmware status name of a delivered response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<S>,
    /// Firmware status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u32>,
    /// Firmware syndrome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syndrome: Option<u32>,
    /// The policy rule that decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<S>,
    /// The policy's reason (for `taint-cleared`, the administrator's reason; for
    /// `policy-load`, where the policy came from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<S>,
    /// SHA-256 of the request bytes, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<S>,
    /// For `taint-cleared`: the record that was cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared: Option<TaintEvent>,
    /// For `control` and `policy-load`: why the request failed or the policy was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<S>,
    /// For `suppressed`: refusals of `uid` not written in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<u64>,
    /// For `records-lost`: records that could not be written at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<u64>,
}

impl AuditRecord {
    fn new(event: AuditEvent, creds: &Credentials) -> Self {
        Self::blank(event, creds.uid, creds.pid, creds.comm.clone())
    }
}

impl<S> AuditRecord<S> {
    /// A record of `event` by the process `uid`/`pid`/`comm`, now, every
    /// optional field absent.
    fn blank(event: AuditEvent, uid: u32, pid: i32, comm: S) -> Self {
        AuditRecord {
            time: now_secs(),
            event,
            device: None,
            uid,
            pid,
            comm,
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
            suppressed: None,
            lost: None,
        }
    }

    /// Whether this records a refusal (any errno).
    pub fn denied(&self) -> bool {
        self.errno.is_some()
    }
}

impl AuditRecord {
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
    let mut hex = [0u8; 64];
    // 32 bytes always make 64 digits: the size check cannot fail.
    let _ = hex::encode_to_slice(Sha256::digest(bytes), &mut hex);
    String::from_utf8(hex.to_vec()).unwrap_or_default()
}

/// Why the audit log could not be opened or read.
#[derive(Debug, thiserror::Error)]
#[error("audit log {}: {err}", path.display())]
pub struct AuditError {
    /// The log file.
    pub path: PathBuf,
    /// The OS error.
    pub err: std::io::Error,
}

/// The most records kept in memory while the log cannot be written.
pub const MAX_PENDING_RECORDS: usize = 4096;
/// The most bytes kept in memory while the log cannot be written.
pub const MAX_PENDING_BYTES: usize = 4 * 1024 * 1024;

/// The file and what could not be written to it yet; under one lock, so lines
/// keep their order.
#[derive(Debug)]
struct Writer {
    file: File,
    /// Lines (with their newline) waiting for the log to be writable again.
    pending: VecDeque<Vec<u8>>,
    pending_bytes: usize,
    /// Records dropped because the queue was full, not yet reported in the log.
    lost: u64,
    /// A write failed, possibly half-way through a line: the next write starts
    /// with a newline, so the torn piece stays alone on its line (readers skip
    /// it and report it) and the next record is intact.
    torn: bool,
    /// The errno of the last failure, while failing.
    failure: Option<Errno>,
}

/// Per-uid refusal counts of the current window (D3).
#[derive(Debug)]
struct RefusalWindow {
    started: Instant,
    written: u32,
    suppressed: u64,
}

/// The append-only audit log; install it as the subsystem's [`AuditSink`].
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    writer: Mutex<Writer>,
    level: AtomicU8,
    on_failure: AtomicU8,
    always_sync: AtomicBool,
    /// Refusal rate limit: lines per window (0: none) and the window in ms.
    max_refusals: AtomicU64,
    refusal_window_ms: AtomicU64,
    refusals: Mutex<HashMap<u32, RefusalWindow>>,
    write_errors: AtomicU64,
    /// Records lost for good (queue overflow), since the log was opened.
    lost_total: AtomicU64,
    /// Records staged on any thread and not written yet.
    staged_total: std::sync::atomic::AtomicUsize,
    /// Refusal lines suppressed by the rate limit, since the log was opened.
    suppressed_total: AtomicU64,
    /// Mirrors `Writer::pending` being non-empty (the RPC path reads it without the lock).
    failing: AtomicBool,
    /// RPC lines handed to the background writer, in order
    /// ([`AuditLog::start_writer`]).
    handoff: Mutex<Handoff>,
    /// The background writer waits here for the first line of a batch.
    handoff_ready: Condvar,
    /// Held while a batch is taken from the handoff and written: a line
    /// written directly waits for it, so it follows every line its thread
    /// handed off before.
    drain: Mutex<Drain>,
    /// A background writer runs: RPC lines that need no sync are handed to it.
    background: AtomicBool,
}

/// Open the log for appending: its directory is created 0700 (whatever the
/// umask) or must belong to us and not be writable by others, and the file is
/// opened relative to it with `O_NOFOLLOW` (a symbolic link planted as the log
/// is refused, never followed) and must be a regular file.
fn open_append(path: &Path) -> Result<File, AuditError> {
    let err =
        |e: fwctl_os::OsError| AuditError { path: path.into(), err: std::io::Error::other(e.to_string()) };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| AuditError {
        path: path.into(),
        err: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
    })?;
    let dir = fwctl_os::TrustedDir::ensure(dir, 0o700, "audit log directory").map_err(err)?;
    dir.open_append(name, 0o600).map_err(err)
}

/// Write all of `line` at the end of `f`; on failure, how many bytes got there.
fn write_line(f: &mut File, line: &[u8]) -> Result<(), (usize, std::io::Error)> {
    let mut done = 0;
    while done < line.len() {
        match f.write(&line[done..]) {
            Ok(0) => return Err((done, std::io::Error::from(std::io::ErrorKind::WriteZero))),
            Ok(n) => done += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err((done, e)),
        }
    }
    Ok(())
}

fn errno_of(e: &std::io::Error) -> Errno {
    e.raw_os_error().and_then(Errno::from_code).unwrap_or(Errno::EIO)
}

impl Writer {
    /// Write one line (a leading newline first after a torn write). On failure
    /// the line is not queued here; the torn state and the report are.
    fn put(&mut self, path: &Path, line: &[u8], durable: bool) -> Result<(), std::io::Error> {
        self.put_lines(path, line, &[line.len()]).map_err(|(_, e)| e)?;
        if durable {
            self.file.sync_data()?;
        }
        Ok(())
    }

    /// Write `buf`, whole lines ending at the offsets `ends` (ascending, the
    /// last one `buf.len()`), with one `write(2)` when the file takes it all,
    /// and a leading newline first after a torn write. On failure: how many
    /// bytes of `buf` reached the file (the lines ending at or before that are
    /// in the file); the torn state and the report (naming the line the
    /// failure cut) are here, queueing the rest is the caller's.
    fn put_lines(&mut self, path: &Path, buf: &[u8], ends: &[usize]) -> Result<(), (usize, std::io::Error)> {
        if self.torn {
            // The fresh line for what follows; if even this fails, stay torn.
            if let Err((_, e)) = write_line(&mut self.file, b"\n") {
                self.failure = Some(errno_of(&e));
                return Err((0, e));
            }
            self.torn = false;
        }
        let Err((done, e)) = write_line(&mut self.file, buf) else { return Ok(()) };
        // The line the failure stopped in: its start and length, and how much of it got there.
        let start = ends.iter().rev().find(|&&end| end <= done).copied().unwrap_or(0);
        let end = ends.iter().find(|&&end| end > done).copied().unwrap_or(buf.len());
        let (cut, len) = (done - start, end - start);
        self.torn = cut > 0;
        if self.failure.is_none() {
            eprintln!(
                "fwctl: audit log {}: cannot write a record ({cut} of {len} bytes written, \
                 the line is incomplete{}): {e}; keeping records in memory until it can",
                path.display(),
                if cut > 0 { " and left alone on its line" } else { "" },
            );
        } else if cut > 0 {
            eprintln!(
                "fwctl: audit log {}: a retried record was cut after {cut} of {len} bytes: {e}",
                path.display()
            );
        }
        self.failure = Some(errno_of(&e));
        Err((done, e))
    }

    /// Queue a line that could not be written; count it as lost when full.
    fn queue(&mut self, line: Vec<u8>) -> bool {
        if self.pending.len() >= MAX_PENDING_RECORDS || self.pending_bytes + line.len() > MAX_PENDING_BYTES {
            self.lost += 1;
            return false;
        }
        self.pending_bytes += line.len();
        self.pending.push_back(line);
        true
    }

    /// Write the pending lines, then the lost-records line. `Err` leaves the
    /// rest queued.
    fn flush(&mut self, path: &Path) -> Result<(), std::io::Error> {
        while let Some(line) = self.pending.pop_front() {
            if let Err(e) = self.put(path, &line, false) {
                self.pending.push_front(line);
                return Err(e);
            }
            self.pending_bytes -= line.len();
        }
        if self.lost > 0 {
            let mut r = AuditRecord::new(AuditEvent::RecordsLost, &daemon_creds());
            r.lost = Some(self.lost);
            r.reason = Some(format!("{} audit records lost while the log could not be written", self.lost));
            let mut line = serde_json::to_vec(&r).map_err(std::io::Error::other)?;
            line.push(b'\n');
            self.put(path, &line, true)?;
            eprintln!("fwctl: audit log {}: {} audit records lost", path.display(), self.lost);
            self.lost = 0;
        }
        if self.failure.take().is_some() {
            self.file.sync_data()?;
            eprintln!("fwctl: audit log {}: writing again, every pending record written", path.display());
        }
        Ok(())
    }
}

/// The daemon itself, as the author of `suppressed` and `records-lost` lines.
fn daemon_creds() -> Credentials {
    Credentials {
        uid: nix::unistd::geteuid().as_raw(),
        pid: std::process::id() as i32,
        comm: "fwctld".into(),
        ..Default::default()
    }
}

impl AuditLog {
    /// Open (creating if needed) the log at `path`, for appending, at `level`
    /// (with the other settings at their defaults).
    pub fn open(path: &Path, level: AuditLevel) -> Result<Self, AuditError> {
        let log = AuditLog {
            path: path.into(),
            writer: Mutex::new(Writer {
                file: open_append(path)?,
                pending: VecDeque::new(),
                pending_bytes: 0,
                lost: 0,
                torn: false,
                failure: None,
            }),
            level: AtomicU8::new(level.as_u8()),
            on_failure: AtomicU8::new(OnFailure::default().as_u8()),
            always_sync: AtomicBool::new(false),
            max_refusals: AtomicU64::new(0),
            refusal_window_ms: AtomicU64::new(0),
            refusals: Mutex::new(HashMap::new()),
            write_errors: AtomicU64::new(0),
            lost_total: AtomicU64::new(0),
            staged_total: std::sync::atomic::AtomicUsize::new(0),
            suppressed_total: AtomicU64::new(0),
            failing: AtomicBool::new(false),
            handoff: Mutex::new(Handoff::default()),
            handoff_ready: Condvar::new(),
            drain: Mutex::new(Drain::default()),
            background: AtomicBool::new(false),
        };
        log.configure(&AuditSettings { level, ..AuditSettings::default() });
        Ok(log)
    }

    /// Open the log at `path` with every setting of the policy's `audit`
    /// applied ([`AuditLog::open`] then [`AuditLog::configure`]): what fwctld
    /// and the embedded CLI both use.
    pub fn open_with(path: &Path, settings: &AuditSettings) -> Result<Self, AuditError> {
        let log = Self::open(path, settings.level)?;
        log.configure(settings);
        Ok(log)
    }

    /// Make sure about `bytes` more can be appended, by reserving them on the
    /// file system at the end of the log (`fallocate(2)` with
    /// `FALLOC_FL_KEEP_SIZE`: the file's length and contents do not change).
    /// For a process that lives for one command (the embedded CLI), which has
    /// no queue of earlier failures to tell it the log is failing:
    /// `Err(ENOSPC)` when the file system is full. A file system without
    /// `fallocate` cannot tell, and is taken as having room.
    pub fn reserve(&self, bytes: u64) -> Result<(), Errno> {
        use std::os::fd::AsFd;
        let w = lock(&self.writer);
        let end = w.file.metadata().map_err(|e| errno_of(&e))?.len();
        let (Ok(offset), Ok(len)) = (i64::try_from(end), i64::try_from(bytes)) else {
            return Err(Errno::EIO);
        };
        match nix::fcntl::fallocate(
            w.file.as_fd(),
            nix::fcntl::FallocateFlags::FALLOC_FL_KEEP_SIZE,
            offset,
            len,
        ) {
            Ok(()) => Ok(()),
            Err(nix::errno::Errno::EOPNOTSUPP | nix::errno::Errno::ENOSYS) => Ok(()),
            Err(e) => Err(errno_of(&std::io::Error::from(e))),
        }
    }

    /// The end of a process that writes no shutdown record (the embedded
    /// CLI): write the `suppressed` lines of every refusal window, retry the
    /// pending records once, and return how many are still pending (lost with
    /// the process).
    pub fn finish(&self) -> usize {
        self.flush_summaries(true);
        let _ = self.retry();
        self.pending()
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

    /// Apply every setting of the policy's `audit` (on load and reload).
    pub fn configure(&self, s: &AuditSettings) {
        self.set_level(s.level);
        self.on_failure.store(s.on_failure.as_u8(), Ordering::Relaxed);
        self.always_sync.store(s.sync == AuditSync::Always, Ordering::Relaxed);
        self.max_refusals.store(u64::from(s.max_refusals), Ordering::Relaxed);
        let ms = u64::try_from(s.refusal_window.as_millis()).unwrap_or(u64::MAX).max(1);
        self.refusal_window_ms.store(ms, Ordering::Relaxed);
    }

    /// The current settings.
    pub fn settings(&self) -> AuditSettings {
        AuditSettings {
            level: self.level(),
            on_failure: OnFailure::from_u8(self.on_failure.load(Ordering::Relaxed)),
            sync: if self.always_sync.load(Ordering::Relaxed) {
                AuditSync::Always
            } else {
                AuditSync::Critical
            },
            max_refusals: u32::try_from(self.max_refusals.load(Ordering::Relaxed)).unwrap_or(u32::MAX),
            refusal_window: Duration::from_millis(self.refusal_window_ms.load(Ordering::Relaxed)),
        }
    }

    /// Reopen the path (after logrotate moved the file away).
    pub fn reopen(&self) -> Result<(), AuditError> {
        let f = open_append(&self.path)?;
        lock(&self.writer).file = f;
        Ok(())
    }

    /// Lines that could not be written when first tried since the log was
    /// opened (each is queued and retried; see [`AuditLog::lost`]).
    pub fn write_errors(&self) -> u64 {
        self.write_errors.load(Ordering::Relaxed)
    }

    /// Records dropped for good because the pending queue was full.
    pub fn lost(&self) -> u64 {
        self.lost_total.load(Ordering::Relaxed)
    }

    /// Records waiting in memory for the log to be writable.
    pub fn pending(&self) -> usize {
        lock(&self.writer).pending.len()
    }

    /// Refusal lines left out by the per-uid rate limit (each summarised).
    pub fn suppressed(&self) -> u64 {
        self.suppressed_total.load(Ordering::Relaxed)
    }

    /// Whether records are waiting because the log cannot be written.
    pub fn is_failing(&self) -> bool {
        self.failing.load(Ordering::Acquire)
    }

    /// Try to write the pending records now (fwctld calls this once a second,
    /// and every append tries first). `Ok` when nothing is pending any more.
    pub fn retry(&self) -> Result<(), Errno> {
        if !self.is_failing() {
            return Ok(());
        }
        let mut w = lock(&self.writer);
        let r = w.flush(&self.path).map_err(|e| errno_of(&e));
        self.failing.store(!w.pending.is_empty() || w.lost > 0, Ordering::Release);
        r
    }

    /// Periodic work: write what the background writer has not written yet
    /// (nothing, unless it is held up), retry pending records and write the
    /// summaries of refusal windows that ended.
    pub fn tick(&self) {
        self.write_handoff();
        let _ = self.retry();
        self.flush_summaries(false);
    }

    /// Append one record as a line; `durable` adds an fsync (as does
    /// `sync = "always"`). A record that cannot be written is queued (and
    /// written before anything else once the log works again) and the error
    /// returned.
    pub fn append<S: Serialize>(&self, record: &AuditRecord<S>, durable: bool) -> Result<(), AuditError> {
        // Lines this thread staged or handed off come first: one thread's lines
        // keep their order.
        self.before_direct_write();
        thread_local! {
            /// The line being built, kept per thread: no allocation (and no
            /// regrowth while serialising) per record.
            static LINE: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(1024));
        }
        LINE.with_borrow_mut(|line| {
            line.clear();
            serde_json::to_writer(&mut *line, record)
                .map_err(|e| AuditError { path: self.path.clone(), err: std::io::Error::other(e) })?;
            line.push(b'\n');
            let r = self.append_line(line, durable);
            if line.capacity() > 64 * 1024 {
                *line = Vec::with_capacity(1024);
            }
            r
        })
    }

    /// [`AuditLog::append`] of a serialised line (with its newline).
    fn append_line(&self, line: &[u8], durable: bool) -> Result<(), AuditError> {
        let err = |err| AuditError { path: self.path.clone(), err };
        let durable = durable || self.always_sync.load(Ordering::Relaxed);
        let mut w = lock(&self.writer);
        let result = if w.pending.is_empty() && w.lost == 0 {
            match w.put(&self.path, line, durable) {
                Err(e) if w.failure.is_some() => {
                    if !w.queue(line.to_vec()) {
                        self.lost_total.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e)
                }
                other => other,
            }
        } else {
            match w.flush(&self.path) {
                Ok(()) => w.put(&self.path, line, durable).inspect_err(|_| {
                    if w.failure.is_some() && !w.queue(line.to_vec()) {
                        self.lost_total.fetch_add(1, Ordering::Relaxed);
                    }
                }),
                Err(e) => {
                    if !w.queue(line.to_vec()) {
                        self.lost_total.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e)
                }
            }
        };
        self.failing.store(!w.pending.is_empty() || w.lost > 0, Ordering::Release);
        result.map_err(err)
    }

    /// Whether the RPC `e` is recorded at all: the level, and for a refusal
    /// the per-uid rate limit (which counts the ones it leaves out).
    fn rpc_wanted(&self, e: &RpcAudit<'_>) -> bool {
        let denied = e.result.is_err();
        match self.level() {
            AuditLevel::None => false,
            AuditLevel::Denials if !denied => false,
            _ => !denied || self.refusal_allowed(e.creds.uid),
        }
    }

    /// Write the line of the RPC `e` now (after any this thread staged, so
    /// its lines keep their order); a refusal at `debug-write` and above is
    /// synced.
    fn write_rpc(&self, e: &RpcAudit<'_>) {
        self.before_direct_write();
        let durable = e.result.is_err() && e.scope >= RpcScope::DebugWrite.as_u32();
        let written = STAGE.with_borrow_mut(|s| {
            let mut line = std::mem::take(&mut s.line);
            line.clear();
            s.slot().capture(e);
            s.slot().write_line(&mut line);
            let r = self.append_line(&line, durable).is_ok();
            s.line = line;
            s.trim();
            r
        });
        if !written {
            self.write_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Before a line is written directly: the lines this thread staged, and
    /// every line handed to the background writer (this thread's among them),
    /// go first.
    fn before_direct_write(&self) {
        AuditSink::flush_staged(self);
        self.write_handoff();
    }

    /// Hand the RPC `e` to the background writer; `false` when the handoff
    /// is full (or the writer stopping): the caller writes the line itself.
    fn hand_off(&self, e: &RpcAudit<'_>) -> bool {
        let bytes = e.request.map_or(0, <[u8]>::len);
        let mut h = lock(&self.handoff);
        if h.stop || h.len >= MAX_HANDOFF_LINES || h.request_bytes + bytes > MAX_HANDOFF_BYTES {
            return false;
        }
        h.slot().capture(e);
        h.len += 1;
        h.request_bytes += bytes;
        self.staged_total.fetch_add(1, Ordering::AcqRel);
        // Wake the writer only if it sleeps waiting for work (a notify is a
        // system call; while it lingers, it picks the line up anyway).
        if std::mem::take(&mut h.writer_waiting) {
            self.handoff_ready.notify_one();
        }
        true
    }

    /// Write every line in the handoff now, in one `write(2)` when the log is
    /// healthy. Nothing to do (and no lock taken) without a background writer.
    fn write_handoff(&self) {
        if !self.background.load(Ordering::Acquire) {
            return;
        }
        let mut guard = lock(&self.drain);
        let d = &mut *guard;
        let n = {
            let mut h = lock(&self.handoff);
            if h.len == 0 {
                return;
            }
            // The handoff keeps the slots of the batch before (no allocation).
            std::mem::swap(&mut h.facts, &mut d.facts);
            h.request_bytes = 0;
            std::mem::take(&mut h.len)
        };
        d.buf.clear();
        d.ends.clear();
        for f in d.facts.iter().take(n) {
            f.write_line(&mut d.buf);
            d.ends.push(d.buf.len());
        }
        self.append_lines(&d.buf, &d.ends);
        self.staged_total.fetch_sub(n, Ordering::AcqRel);
        d.trim(n);
    }

    /// Append the lines of `buf` (ending at `ends`), unsynced: one write when
    /// nothing is pending, else one by one behind the pending ones. The lines a
    /// failed write did not complete are queued one by one (a torn one is
    /// written again whole), as [`AuditLog::append_line`] queues one.
    fn append_lines(&self, buf: &[u8], ends: &[usize]) {
        if ends.is_empty() {
            return;
        }
        let mut w = lock(&self.writer);
        if !w.pending.is_empty() || w.lost > 0 || self.always_sync.load(Ordering::Relaxed) {
            drop(w);
            let mut start = 0;
            for &end in ends {
                if self.append_line(&buf[start..end], false).is_err() {
                    self.write_errors.fetch_add(1, Ordering::Relaxed);
                }
                start = end;
            }
            return;
        }
        if let Err((done, _)) = w.put_lines(&self.path, buf, ends) {
            let mut start = 0;
            for &end in ends {
                if end > done {
                    self.write_errors.fetch_add(1, Ordering::Relaxed);
                    if w.failure.is_some() && !w.queue(buf[start..end].to_vec()) {
                        self.lost_total.fetch_add(1, Ordering::Relaxed);
                    }
                }
                start = end;
            }
        }
        self.failing.store(!w.pending.is_empty() || w.lost > 0, Ordering::Release);
    }

    /// The background writer's loop: wait for a line, linger
    /// [`HANDOFF_LINGER`] so the lines of the RPCs answered meanwhile join
    /// it, write them all at once; until stopped, then write what is left.
    fn run_writer(&self) {
        // At the normal priority, deliberately: a thread that writes a line
        // directly waits for the batch in progress (the order of lines), so a
        // writer starved by a lower priority would hold up connection threads
        // and the shutdown behind it (priority inversion).
        loop {
            let stopping = {
                let mut h = lock(&self.handoff);
                while h.len == 0 && !h.stop {
                    h.writer_waiting = true;
                    h = self.handoff_ready.wait(h).unwrap_or_else(PoisonError::into_inner);
                }
                h.writer_waiting = false;
                if h.stop && h.len == 0 {
                    return;
                }
                h.stop
            };
            if !stopping {
                std::thread::sleep(HANDOFF_LINGER);
            }
            self.write_handoff();
        }
    }

    /// Start the background writer (fwctld does, once): from then on, the
    /// line of an RPC that a connection thread would stage (see the module
    /// docs) is handed to a thread of its own, which writes the lines of the
    /// RPCs answered within [`HANDOFF_LINGER`] of each other with one
    /// `write(2)`; the connection thread only copies the record's facts. Every
    /// line written directly (synced lines, control, shutdown) first writes
    /// what the handoff holds, so each thread's lines keep their order.
    /// Dropping the returned guard stops the writer and writes what it held.
    /// `Err` if the thread cannot be started or a writer already runs.
    pub fn start_writer(self: &Arc<Self>) -> std::io::Result<BackgroundWriter> {
        if self.background.swap(true, Ordering::AcqRel) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "an audit writer already runs",
            ));
        }
        lock(&self.handoff).stop = false;
        let log = self.clone();
        match std::thread::Builder::new().name("audit-writer".into()).spawn(move || log.run_writer()) {
            Ok(thread) => Ok(BackgroundWriter { log: self.clone(), thread: Some(thread) }),
            Err(e) => {
                self.background.store(false, Ordering::Release);
                Err(e)
            }
        }
    }

    /// This log's key in the per-thread stage.
    fn stage_id(&self) -> usize {
        std::ptr::from_ref(self).addr()
    }

    fn append_counted(&self, record: &AuditRecord, durable: bool) {
        if self.append(record, durable).is_err() {
            self.write_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Whether a refusal of `uid` may be written now (root's always may); one
    /// that may not is counted for its window's `suppressed` line.
    fn refusal_allowed(&self, uid: u32) -> bool {
        let max = self.max_refusals.load(Ordering::Relaxed);
        if uid == 0 || max == 0 {
            return true;
        }
        let window = Duration::from_millis(self.refusal_window_ms.load(Ordering::Relaxed));
        let mut map = lock(&self.refusals);
        let now = Instant::now();
        let ended = map.get(&uid).filter(|w| now.duration_since(w.started) >= window).map(|w| w.suppressed);
        if let Some(suppressed) = ended {
            map.remove(&uid);
            drop(map);
            if suppressed > 0 {
                self.write_summary(uid, suppressed);
            }
            map = lock(&self.refusals);
        }
        let w = map.entry(uid).or_insert(RefusalWindow { started: now, written: 0, suppressed: 0 });
        if u64::from(w.written) < max {
            w.written += 1;
            true
        } else {
            w.suppressed += 1;
            self.suppressed_total.fetch_add(1, Ordering::Relaxed);
            false
        }
    }

    fn write_summary(&self, uid: u32, suppressed: u64) {
        let mut r = AuditRecord::new(AuditEvent::Suppressed, &daemon_creds());
        r.uid = uid;
        r.suppressed = Some(suppressed);
        r.reason = Some(format!("suppressed {suppressed} refusals from uid {uid}"));
        self.append_counted(&r, false);
    }

    /// Write the `suppressed` line of every window that ended (`all`: of
    /// every window, e.g. at shutdown).
    pub fn flush_summaries(&self, all: bool) {
        let window = Duration::from_millis(self.refusal_window_ms.load(Ordering::Relaxed));
        let now = Instant::now();
        let done: Vec<(u32, u64)> = {
            let mut map = lock(&self.refusals);
            let ended: Vec<u32> = map
                .iter()
                .filter(|(_, w)| all || now.duration_since(w.started) >= window)
                .map(|(uid, _)| *uid)
                .collect();
            ended.into_iter().filter_map(|uid| map.remove(&uid).map(|w| (uid, w.suppressed))).collect()
        };
        for (uid, n) in done.into_iter().filter(|(_, n)| *n > 0) {
            self.write_summary(uid, n);
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
        self.flush_summaries(true);
        let _ = self.retry();
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

impl Drop for AuditLog {
    fn drop(&mut self) {
        // Lines staged on this thread and never flushed are written, not left
        // for whatever log is allocated here next. (Another thread's staged
        // lines keep the log alive: the dispatcher holds it until they are
        // written, `hooks::flush_staged`.) The background writer holds the
        // log while it runs, so its handoff is empty here.
        AuditSink::flush_staged(self);
        self.write_handoff();
    }
}

/// The running background writer of an [`AuditLog`]
/// ([`AuditLog::start_writer`]): dropping it stops the thread once it wrote
/// every line handed to it.
#[derive(Debug)]
#[must_use = "the writer stops when the guard is dropped"]
pub struct BackgroundWriter {
    log: Arc<AuditLog>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for BackgroundWriter {
    fn drop(&mut self) {
        lock(&self.log.handoff).stop = true;
        self.log.handoff_ready.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // Whatever was handed off after the thread's last look (none normally).
        self.log.write_handoff();
        self.log.background.store(false, Ordering::Release);
    }
}

impl AuditSink for AuditLog {
    fn wants_rpcs(&self) -> bool {
        self.level() != AuditLevel::None
    }

    fn record_rpc(&self, e: &RpcAudit<'_>) {
        if self.rpc_wanted(e) {
            self.write_rpc(e);
        }
    }

    fn record_rpc_staged(&self, e: &RpcAudit<'_>) -> bool {
        if !self.rpc_wanted(e) {
            return false;
        }
        // Only a line whose one promise is "written before the caller's next
        // request is read" may wait: none at the tainting scopes (nor a refusal
        // there, which is synced), none under `sync = "always"`, none while the
        // log is failing (the queue and `on_failure` see it at once), none with
        // a large request to keep.
        let may_wait = e.scope < RpcScope::DebugWrite.as_u32()
            && !self.always_sync.load(Ordering::Relaxed)
            && !self.is_failing()
            && e.request.is_none_or(|r| r.len() <= MAX_STAGED_REQUEST);
        if may_wait && self.background.load(Ordering::Acquire) {
            // The background writer writes it (nothing for this thread to
            // flush); a full handoff is written here, after what it holds.
            if !self.hand_off(e) {
                self.write_rpc(e);
            }
            return false;
        }
        let me = self.stage_id();
        let staged = may_wait
            && STAGE.with_borrow_mut(|s| {
                if s.staged >= MAX_STAGED_PER_THREAD || (s.staged > 0 && s.owner != me) {
                    return false;
                }
                s.slot().capture(e);
                s.staged += 1;
                s.owner = me;
                self.staged_total.fetch_add(1, Ordering::AcqRel);
                true
            });
        if !staged {
            self.write_rpc(e);
        }
        staged
    }

    fn flush_staged(&self) {
        let me = self.stage_id();
        // `try_`: also called from `Drop`, possibly while the thread's locals
        // are being destroyed; and never twice at once on one thread.
        let _ = STAGE.try_with(|cell| {
            let Ok(mut s) = cell.try_borrow_mut() else { return };
            if s.staged == 0 || s.owner != me {
                return;
            }
            let s = &mut *s;
            let n = std::mem::take(&mut s.staged);
            s.owner = 0;
            for i in 0..n {
                s.line.clear();
                let Some(f) = s.facts.get(i) else { continue };
                f.write_line(&mut s.line);
                if self.append_line(&s.line, false).is_err() {
                    self.write_errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            // Written (or queued, or counted as a write error): not staged now.
            self.staged_total.fetch_sub(n, Ordering::AcqRel);
            s.trim();
        });
    }

    fn staged_count(&self) -> usize {
        self.staged_total.load(Ordering::Acquire)
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
        if self.level() == AuditLevel::None || !self.refusal_allowed(creds.uid) {
            return;
        }
        let mut r = AuditRecord::new(AuditEvent::OpenDenied, creds).with_decision(Some(decision));
        r.device = Some(device.name.clone());
        r.errno = decision.errno.map(|e| e.name().to_string());
        self.append_counted(&r, false);
    }

    fn admit(&self, scope: RpcScope) -> Result<(), Errno> {
        if !OnFailure::from_u8(self.on_failure.load(Ordering::Relaxed)).refuses(scope) {
            return Ok(());
        }
        // Lines waiting for the background writer are written first: if the
        // log cannot take them, this RPC is judged knowing it, as it would be
        // had they been written before their replies.
        self.write_handoff();
        if !self.is_failing() {
            return Ok(());
        }
        // Retry first: the disk may have room again.
        self.retry()
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
    let bytes = std::fs::read(path).map_err(|err| AuditError { path: path.into(), err })?;
    Ok(parse(&bytes, filter))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fwctl_uapi::DeviceType;

    fn temp_log(tag: &str) -> (PathBuf, AuditLog) {
        let dir = std::env::temp_dir().join(format!("fwctl-audit-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("audit.log");
        let log = AuditLog::open(&path, AuditLevel::All).expect("open");
        (dir, log)
    }

    fn refused_open(log: &AuditLog, uid: u32) {
        let device = DeviceView {
            minor: 0,
            name: "fwctl0".into(),
            device_type: DeviceType::Mlx5,
            identity: Default::default(),
        };
        let creds = Credentials { uid, ..Default::default() };
        log.record_open_denied(&device, &creds, &Decision::deny(Errno::EPERM, "no"));
    }

    #[test]
    fn refusals_beyond_the_per_uid_limit_are_summarised_and_root_is_never_limited() {
        let (dir, log) = temp_log("limit");
        log.configure(&AuditSettings {
            max_refusals: 3,
            refusal_window: Duration::from_secs(3600),
            ..AuditSettings::default()
        });
        for _ in 0..10 {
            refused_open(&log, 1000);
        }
        for _ in 0..5 {
            refused_open(&log, 0);
        }
        assert_eq!(log.suppressed(), 7);
        log.flush_summaries(false);
        let before = parse(&std::fs::read(log.path()).expect("read"), &AuditFilter::default());
        assert!(
            !before.records.iter().any(|r| r.event == AuditEvent::Suppressed),
            "the window has not ended"
        );
        log.flush_summaries(true);
        let out = parse(&std::fs::read(log.path()).expect("read"), &AuditFilter::default());
        let count =
            |uid: u32, e: AuditEvent| out.records.iter().filter(|r| r.uid == uid && r.event == e).count();
        assert_eq!(count(1000, AuditEvent::OpenDenied), 3);
        assert_eq!(count(0, AuditEvent::OpenDenied), 5, "root's refusals are all written");
        let s: Vec<_> = out.records.iter().filter(|r| r.event == AuditEvent::Suppressed).collect();
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].uid, s[0].suppressed), (1000, Some(7)));
        assert_eq!(s[0].reason.as_deref(), Some("suppressed 7 refusals from uid 1000"));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_window_that_ended_is_summarised_by_the_next_refusal_and_a_new_one_starts() {
        let (dir, log) = temp_log("window");
        log.configure(&AuditSettings {
            max_refusals: 1,
            refusal_window: Duration::from_millis(50),
            ..AuditSettings::default()
        });
        refused_open(&log, 7);
        refused_open(&log, 7);
        std::thread::sleep(Duration::from_millis(80));
        refused_open(&log, 7);
        let out = parse(&std::fs::read(log.path()).expect("read"), &AuditFilter::default());
        let events: Vec<_> = out.records.iter().map(|r| (r.event, r.suppressed)).collect();
        assert_eq!(
            events,
            vec![
                (AuditEvent::OpenDenied, None),
                (AuditEvent::Suppressed, Some(1)),
                (AuditEvent::OpenDenied, None)
            ]
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_policy_sets_every_audit_setting_and_rejects_unknown_values_with_a_position() {
        let p = crate::policy::load_str(
            "version = 1\n[audit]\nlevel = \"denials\"\non_failure = \"continue\"\nsync = \"always\"\n\
             max_refusals = 5\nrefusal_window_secs = 7\n",
            "a.toml",
        )
        .expect("policy");
        let s = p.policy.audit_settings();
        assert_eq!(
            (s.level, s.on_failure, s.sync, s.max_refusals, s.refusal_window),
            (AuditLevel::Denials, OnFailure::Continue, AuditSync::Always, 5, Duration::from_secs(7))
        );
        let short = crate::policy::load_str("version = 1\naudit = \"none\"\n", "b.toml").expect("policy");
        assert_eq!(
            short.policy.audit_settings(),
            AuditSettings { level: AuditLevel::None, ..Default::default() }
        );
        let refused = |text: &str, file: &str| match crate::policy::load_str(text, file) {
            Ok(_) => panic!("{file} was accepted"),
            Err(e) => e.to_string(),
        };
        let e = refused("version = 1\n[audit]\non_failure = \"halt\"\n", "c.toml");
        assert!(e.starts_with("c.toml:3:14: unknown on_failure 'halt'"), "{e}");
        let e = refused("version = 1\n[audit]\nlevle = \"all\"\n", "d.toml");
        assert!(e.contains("unknown field `levle`"), "{e}");
    }
}
