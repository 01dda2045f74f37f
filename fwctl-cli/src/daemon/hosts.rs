//! The plugin-host supervisor: when an out-of-process plugin's host dies (a
//! segfault, `abort`, `exit`, a call past its deadline), unplug its devices
//! (open handles get `ENODEV`, as on a hot-unplug), audit it, and plug the entry
//! again after an exponential back-off (its devices come back as a hot-plug).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fwctl_core::plugin::remote::{ExitHook, HostExit, PluginHost};
use fwctl_core::server::{AdminError, Server};
use fwctl_core::sync::lock;
use serde_json::{Value, json};

use super::state::DaemonAdmin;

/// Restart delays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The first delay.
    pub initial: Duration,
    /// The longest delay; a host that served at least this long before dying
    /// starts again from `initial`.
    pub max: Duration,
}

impl Backoff {
    /// The delay after `prev` (doubled, capped).
    fn next(&self, prev: Option<Duration>) -> Duration {
        match prev {
            None => self.initial,
            Some(d) => (d * 2).clamp(self.initial, self.max),
        }
    }
}

fn log(msg: &str) {
    eprintln!("fwctld: {msg}");
}

/// What became of an out-of-process plugin entry's host, last.
#[derive(Debug, Clone)]
enum Seen {
    /// Serving (the host may have died since: asked when listed).
    Running(Weak<PluginHost>),
    /// Dead or never started; a restart is due.
    Restarting { cause: String, pid: Option<u32> },
    /// Could not be started, and is not retried (stopping).
    Failed { cause: String },
}

/// The plugin hosts of fwctld's out-of-process entries, by label: what `fwctl
/// plugin list` (through the `status` verb) shows.
#[derive(Debug, Default)]
pub struct HostTable {
    entries: Mutex<BTreeMap<String, (String, Seen, u32)>>,
}

impl HostTable {
    /// Entry `label` (library `library`) is served by `host`.
    pub fn running(&self, label: &str, library: &str, host: &Arc<PluginHost>) {
        let mut e = lock(&self.entries);
        let restarts =
            e.get(label).map_or(0, |(_, seen, n)| n + u32::from(!matches!(seen, Seen::Running(_))));
        e.insert(label.to_string(), (library.to_string(), Seen::Running(Arc::downgrade(host)), restarts));
    }

    /// Entry `label`'s host failed (to start, or died): `cause`; a restart is due.
    pub fn restarting(&self, label: &str, cause: &str, pid: Option<u32>) {
        if let Some((_, seen, _)) = lock(&self.entries).get_mut(label) {
            *seen = Seen::Restarting { cause: cause.to_string(), pid };
        }
    }

    /// Entry `label` (library `library`) could not be started: `cause`.
    pub fn failed(&self, label: &str, library: &str, cause: &str) {
        let mut e = lock(&self.entries);
        let restarts = e.get(label).map_or(0, |(_, _, n)| *n);
        e.insert(
            label.to_string(),
            (library.to_string(), Seen::Failed { cause: cause.to_string() }, restarts),
        );
    }

    /// The entries that could not be started: (label, cause).
    fn failures(&self) -> Vec<(String, String)> {
        lock(&self.entries)
            .iter()
            .filter_map(|(label, (_, seen, _))| match seen {
                Seen::Failed { cause } => Some((label.clone(), cause.clone())),
                _ => None,
            })
            .collect()
    }

    /// Every entry: label, library, host pid, state (`running`, `restarting`,
    /// `failed`), cause, restarts so far.
    pub fn to_json(&self) -> Value {
        let e = lock(&self.entries);
        let list: Vec<Value> = e
            .iter()
            .map(|(label, (library, seen, restarts))| {
                let (state, pid, cause) = match seen {
                    Seen::Running(w) => match w.upgrade() {
                        Some(h) => match (h.exit_reason(), h.failure()) {
                            (Some(why), _) => ("restarting", Some(h.pid()), Some(why)),
                            (None, Some(f)) => ("failed", Some(h.pid()), Some(f)),
                            (None, None) => ("running", Some(h.pid()), None),
                        },
                        None => ("restarting", None, Some("its devices are gone".to_string())),
                    },
                    Seen::Restarting { cause, pid } => ("restarting", *pid, Some(cause.clone())),
                    Seen::Failed { cause } => ("failed", None, Some(cause.clone())),
                };
                json!({"label": label, "library": library, "pid": pid, "state": state, "cause": cause,
                       "restarts": restarts})
            })
            .collect();
        Value::Array(list)
    }
}

/// Per configuration entry: the last delay used.
#[derive(Debug, Default)]
struct EntryState {
    delay: Option<Duration>,
}

/// The running supervisor.
pub struct Supervisor {
    stopping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Supervisor").finish_non_exhaustive()
    }
}

/// The hook the factories install on each host: forwards to a supervisor
/// started later by [`Supervisor::start`] (events wait in the channel).
pub fn channel() -> (ExitHook, mpsc::Receiver<HostExit>) {
    let (tx, rx) = mpsc::channel::<HostExit>();
    let tx = std::sync::Mutex::new(tx);
    let hook: ExitHook = Arc::new(move |exit| {
        let _ = tx.lock().unwrap_or_else(|e| e.into_inner()).send(exit);
    });
    (hook, rx)
}

impl Supervisor {
    /// Serve the events of `rx` for `server`.
    /// `table` is kept current; the entries it lists as failed (they did not
    /// come up at start) are retried with the same back-off as a host that died.
    pub fn start(
        server: Arc<Server>,
        admin: Arc<DaemonAdmin>,
        rx: mpsc::Receiver<HostExit>,
        backoff: Backoff,
        table: Arc<HostTable>,
    ) -> Supervisor {
        let stopping = Arc::new(AtomicBool::new(false));
        let stop = stopping.clone();
        let start_failures = table.failures();
        let thread = std::thread::Builder::new()
            .name("plugin-supervisor".into())
            .spawn(move || run(&server, &admin, &rx, backoff, &stop, &table, start_failures))
            .map_err(|e| log(&format!("cannot start the plugin-host supervisor: {e}")))
            .ok();
        Supervisor { stopping, thread }
    }

    /// Stop restarting hosts (shutdown); it notices within 100 ms. Does not
    /// wait: the thread may be inside a plug (bounded by the call deadline).
    pub fn stop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        drop(self.thread.take());
    }
}

fn run(
    server: &Server,
    admin: &DaemonAdmin,
    rx: &mpsc::Receiver<HostExit>,
    backoff: Backoff,
    stopping: &AtomicBool,
    table: &HostTable,
    start_failures: Vec<(String, String)>,
) {
    let mut entries: std::collections::HashMap<String, EntryState> = std::collections::HashMap::new();
    // Restarts due: (when, label).
    let mut due: Vec<(Instant, String)> = Vec::new();
    // A start or restart that failed: log, audit, and try again after the
    // entry's next delay.
    type Entries = std::collections::HashMap<String, EntryState>;
    let retry = |entries: &mut Entries,
                 due: &mut Vec<(Instant, String)>,
                 label: String,
                 what: &str,
                 event: &str,
                 why: &str| {
        let e = entries.entry(label.clone()).or_default();
        let delay = backoff.next(e.delay);
        e.delay = Some(delay);
        log(&format!("device '{label}': {what}: {why}; retrying in {} ms", delay.as_millis()));
        admin.record_plugin_host(&label, event, None, Some(why));
        table.restarting(&label, why, None);
        due.push((Instant::now() + delay, label));
    };
    for (label, why) in start_failures {
        retry(&mut entries, &mut due, label, "plugin host did not start", "start-failed", &why);
    }
    loop {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let now = Instant::now();
        // Wait for a host death, never longer than the next restart is due (or
        // 100 ms, to see a stop).
        let next = due.iter().map(|(t, _)| *t).min();
        let wait = next
            .map_or(Duration::from_millis(100), |t| t.saturating_duration_since(now))
            .min(Duration::from_millis(100));
        match rx.recv_timeout(wait) {
            Ok(exit) => {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                let e = entries.entry(exit.label.clone()).or_default();
                // A host that served a long time earns a fresh back-off.
                if exit.uptime >= backoff.max {
                    e.delay = None;
                }
                let delay = backoff.next(e.delay);
                e.delay = Some(delay);
                let why = format!("plugin host (pid {}) died: {}", exit.pid, exit.reason);
                let names = server
                    .unplug_label(&exit.label, &format!("{why}; restarting in {} ms", delay.as_millis()));
                log(&format!(
                    "device '{}': {why}; unplugged {} (open handles get ENODEV); restarting in {} ms",
                    exit.label,
                    if names.is_empty() { "nothing".to_string() } else { names.join(", ") },
                    delay.as_millis()
                ));
                admin.record_plugin_host(&exit.label, "crash", Some(exit.pid), Some(&exit.reason));
                table.restarting(&exit.label, &exit.reason, Some(exit.pid));
                due.retain(|(_, l)| *l != exit.label);
                due.push((Instant::now() + delay, exit.label));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        let ready: Vec<String> = due.iter().filter(|(t, _)| *t <= now).map(|(_, l)| l.clone()).collect();
        due.retain(|(t, _)| *t > now);
        for label in ready {
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            match server.replug(&label) {
                Ok(names) => {
                    log(&format!("device '{label}': plugin host restarted; serving {names}"));
                    admin.record_plugin_host(&label, "restart", None, Some(&format!("serving {names}")));
                }
                // The `plug` verb (an operator, or a script that installed the
                // library) plugged the entry since its host died or failed to
                // start: that new host serves. Tearing its devices down to
                // restart them would hand open handles ENODEV for nothing; if
                // that host dies, its death schedules a restart as any other.
                Err(AdminError::AlreadyPlugged(_)) => {
                    entries.remove(&label);
                    log(&format!("device '{label}': plugged meanwhile; restart not needed"));
                }
                Err(err) => {
                    retry(
                        &mut entries,
                        &mut due,
                        label,
                        "restart failed",
                        "restart-failed",
                        &err.to_string(),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let b = Backoff { initial: Duration::from_millis(100), max: Duration::from_millis(350) };
        let d1 = b.next(None);
        let d2 = b.next(Some(d1));
        let d3 = b.next(Some(d2));
        let d4 = b.next(Some(d3));
        assert_eq!([d1, d2, d3, d4].map(|d| d.as_millis()), [100, 200, 350, 350]);
    }
}
