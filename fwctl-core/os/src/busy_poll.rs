//! Polling a socket for a little while before sleeping on it.
//!
//! A thread that answers a request and then sleeps until the next one must be
//! woken when it comes: on a virtual machine an inter-processor interrupt and a
//! halted vCPU that the host brings back, several microseconds of every round
//! trip. A thread still awake finds the request without that. [`BusyPoll`]
//! polls for at most a window, yields the CPU between polls, gives up as soon
//! as a yield lets another thread run (the CPU is wanted: polling on would
//! only take turns with that thread, the peer perhaps), and stops polling for
//! a peer whose requests come later than the window, until one comes within it
//! again: a socket used now and then costs at most one window of CPU per
//! request, an idle one none.

use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

/// A poll and a yield that took longer than this let another thread run.
const YIELD_TAKEN: Duration = Duration::from_micros(5);

/// Poll `fd` for readability without sleeping, for at most `window`, yielding
/// the CPU between polls; whether it became readable (data, end of stream or
/// an error: the next read says which). Gives up early when a yield lets
/// another thread run.
pub fn poll_briefly(fd: BorrowedFd<'_>, window: Duration) -> bool {
    let start = Instant::now();
    let mut now = start;
    loop {
        let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
        if matches!(poll(&mut fds, PollTimeout::ZERO), Ok(n) if n > 0) {
            return true;
        }
        if now.duration_since(start) >= window {
            return false;
        }
        std::thread::yield_now();
        let then = now;
        now = Instant::now();
        if now.duration_since(then) > YIELD_TAKEN {
            return false;
        }
    }
}

/// The adaptive part: whether to poll before the next blocking read of one
/// socket. Call [`before_wait`](Self::before_wait) when the next read would
/// block, and [`after_wait`](Self::after_wait) once it returned.
#[derive(Debug, Clone)]
pub struct BusyPoll {
    window: Duration,
    /// The peer's requests come within the window (they do until one does not).
    poll_first: bool,
    /// When the thread went to sleep without polling.
    slept_at: Option<Instant>,
}

impl BusyPoll {
    /// Poll for at most `window` (`Duration::ZERO`: never).
    pub fn new(window: Duration) -> Self {
        BusyPoll { window, poll_first: !window.is_zero(), slept_at: None }
    }

    /// The next read of `fd` would block: poll first if this peer's requests
    /// have been coming within the window.
    pub fn before_wait(&mut self, fd: BorrowedFd<'_>) {
        if self.poll_first {
            self.poll_first = poll_briefly(fd, self.window);
        }
        if !self.poll_first && !self.window.is_zero() {
            self.slept_at = Some(Instant::now());
        }
    }

    /// The read returned: if it slept, whether what it waited for came within
    /// the window (then the next wait polls first again).
    pub fn after_wait(&mut self) {
        if let Some(t) = self.slept_at.take() {
            self.poll_first = t.elapsed() <= self.window;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    use super::*;

    #[test]
    fn polling_finds_a_request_already_there_at_once() {
        let (a, mut b) = UnixStream::pair().expect("socketpair");
        b.write_all(b"x").expect("write");
        let t = Instant::now();
        assert!(poll_briefly(a.as_fd(), Duration::from_secs(5)));
        assert!(t.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn polling_gives_up_after_its_window_without_a_request() {
        let (a, _b) = UnixStream::pair().expect("socketpair");
        let t = Instant::now();
        assert!(!poll_briefly(a.as_fd(), Duration::from_millis(20)));
        // The window, or less when a yield let another thread run; never much more.
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    }

    #[test]
    fn polling_sees_a_request_that_arrives_during_the_window_and_the_end_of_the_stream() {
        let (mut a, mut b) = UnixStream::pair().expect("socketpair");
        let sender = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(2));
            b.write_all(b"x").expect("write");
            b
        });
        // A yield that let another thread run (a busy machine) ends the
        // polling early: then it is polled again.
        let t = Instant::now();
        while !poll_briefly(a.as_fd(), Duration::from_secs(10)) {
            assert!(t.elapsed() < Duration::from_secs(10), "the request was never seen");
        }
        drop(sender.join().expect("sender"));
        let mut buf = [0u8; 4];
        assert_eq!(a.read(&mut buf).expect("read"), 1);
        // The peer is gone: readable (end of stream), for the read to report.
        assert!(poll_briefly(a.as_fd(), Duration::from_secs(10)));
        assert_eq!(a.read(&mut buf).expect("read"), 0);
    }

    /// The bound that keeps polling from taking CPU time from anyone (a
    /// local user's client cannot make fwctld spin against other work): with
    /// another thread runnable on the same CPU, polling gives up at its first
    /// yield instead of running out a long window.
    #[test]
    fn polling_gives_way_to_another_thread_that_wants_the_cpu() {
        use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
        use nix::unistd::Pid;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let allowed = sched_getaffinity(Pid::from_raw(0)).expect("affinity");
        let Some(cpu) = (0..CpuSet::count()).find(|&c| allowed.is_set(c).unwrap_or(false)) else { return };
        let mut one = CpuSet::new();
        one.set(cpu).expect("cpu");
        let (a, _b) = UnixStream::pair().expect("socketpair");
        let stop = Arc::new(AtomicBool::new(false));
        let spinner = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                sched_setaffinity(Pid::from_raw(0), &one).expect("pin the spinner");
                while !stop.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            })
        };
        let mut gave_way = false;
        std::thread::scope(|s| {
            s.spawn(|| {
                sched_setaffinity(Pid::from_raw(0), &one).expect("pin the poller");
                // A few tries: the first poll may run before the spinner is pinned.
                for _ in 0..5 {
                    let t = Instant::now();
                    assert!(!poll_briefly(a.as_fd(), Duration::from_secs(2)));
                    if t.elapsed() < Duration::from_secs(1) {
                        gave_way = true;
                        break;
                    }
                }
            });
        });
        stop.store(true, Ordering::Relaxed);
        spinner.join().expect("spinner");
        assert!(gave_way, "polling ran out its 2 s window beside a thread that wanted the CPU");
    }

    #[test]
    fn a_peer_slower_than_the_window_is_not_polled_for_until_it_is_quick_again() {
        let (a, _b) = UnixStream::pair().expect("socketpair");
        let mut p = BusyPoll::new(Duration::from_millis(1));
        assert!(p.poll_first);
        p.before_wait(a.as_fd()); // nothing comes: gives up, then sleeps
        assert!(!p.poll_first && p.slept_at.is_some());
        std::thread::sleep(Duration::from_millis(20)); // the request came late
        p.after_wait();
        assert!(!p.poll_first, "a slow peer is not polled for");
        p.before_wait(a.as_fd()); // sleeps at once
        p.after_wait(); // and the request came at once
        assert!(p.poll_first, "a quick peer is polled for again");
        let mut never = BusyPoll::new(Duration::ZERO);
        never.before_wait(a.as_fd());
        never.after_wait();
        assert!(!never.poll_first && never.slept_at.is_none());
    }
}
