//! The plugin-host supervisor: when an out-of-process plugin's host dies (a
//! segfault, `abort`, `exit`, a call past its deadline), unplug its devices
//! (open handles get `ENODEV`, as on a hot-unplug), audit it, and plug the entry
//! again after an exponential back-off (its devices come back as a hot-plug).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fwctl_core::plugin::remote::{ExitHook, HostExit};
use fwctl_core::server::Server;

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
    pub fn start(
        server: Arc<Server>,
        admin: Arc<DaemonAdmin>,
        rx: mpsc::Receiver<HostExit>,
        backoff: Backoff,
    ) -> Supervisor {
        let stopping = Arc::new(AtomicBool::new(false));
        let stop = stopping.clone();
        let thread = std::thread::Builder::new()
            .name("plugin-supervisor".into())
            .spawn(move || run(&server, &admin, &rx, backoff, &stop))
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
) {
    let mut entries: std::collections::HashMap<String, EntryState> = std::collections::HashMap::new();
    // Restarts due: (when, label).
    let mut due: Vec<(Instant, String)> = Vec::new();
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
            // Devices registered by a plug that raced with the death: gone too.
            server.unplug_label(&label, "restarting its plugin host");
            match server.plug(&label) {
                Ok(names) => {
                    log(&format!("device '{label}': plugin host restarted; serving {names}"));
                    admin.record_plugin_host(&label, "restart", None, Some(&format!("serving {names}")));
                }
                Err(err) => {
                    let e = entries.entry(label.clone()).or_default();
                    let delay = backoff.next(e.delay);
                    e.delay = Some(delay);
                    log(&format!(
                        "device '{label}': restart failed: {err}; retrying in {} ms",
                        delay.as_millis()
                    ));
                    admin.record_plugin_host(&label, "restart-failed", None, Some(&err.to_string()));
                    due.push((Instant::now() + delay, label));
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
