//! `--timeout SECS` (default 30): a call that waits — on a daemon that stopped
//! answering, a policy lock another editor holds — ends with a clear error
//! instead of hanging. A watchdog thread ends the process when the deadline
//! passes; time spent waiting for the user (a confirmation prompt, an editor)
//! does not count. Only the `fwctl` binary arms it ([`enable`]), never a test
//! running the CLI in-process.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static PAUSED: AtomicBool = AtomicBool::new(false);
static WAITING: Mutex<String> = Mutex::new(String::new());

/// Let [`start`] arm the watchdog in this process (the `fwctl` binary calls it).
pub fn enable() {
    ENABLED.store(true, Ordering::SeqCst);
}

/// Name what the command is waiting for, for the timeout message.
pub fn waiting_for(what: impl Into<String>) {
    if let Ok(mut w) = WAITING.lock() {
        *w = what.into();
    }
}

/// Stops the clock while it lives (a prompt or an editor waits for a person).
#[derive(Debug)]
pub struct Paused(());

impl Paused {
    /// Stop the clock.
    pub fn new() -> Self {
        PAUSED.store(true, Ordering::SeqCst);
        Paused(())
    }
}

impl Default for Paused {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Paused {
    fn drop(&mut self) {
        PAUSED.store(false, Ordering::SeqCst);
    }
}

/// Arm the watchdog for `secs` seconds (0: never), if [`enable`]d.
pub fn start(secs: u64) {
    if secs == 0 || !ENABLED.load(Ordering::SeqCst) {
        return;
    }
    let limit = Duration::from_secs(secs);
    let spawned = std::thread::Builder::new().name("fwctl-timeout".into()).spawn(move || {
        let tick = Duration::from_millis(100);
        let mut used = Duration::ZERO;
        let mut last = Instant::now();
        loop {
            std::thread::sleep(tick);
            let now = Instant::now();
            if !PAUSED.load(Ordering::SeqCst) {
                used += now - last;
            }
            last = now;
            if used >= limit {
                break;
            }
        }
        let what = WAITING.lock().map(|w| w.clone()).unwrap_or_default();
        let what = if what.is_empty() { "the command".to_string() } else { what };
        let msg = format!(
            "fwctl: error: timed out after {secs} s waiting for {what} (--timeout {secs})\n  \
             hint: check that it is alive, or give it longer with --timeout SECS (0: wait forever)\n"
        );
        // Straight to the file descriptor: the main thread may hold the stderr lock.
        let _ = nix::unistd::write(std::io::stderr(), msg.as_bytes());
        std::process::exit(i32::from(crate::cli::exit::Exit::NoDevice.code()));
    });
    // Without a watchdog thread the command still runs, only without a deadline.
    drop(spawned);
}
