//! The in-flight byte budget: payload bytes being received or processed at
//! once, bounded over all connections ([`Limits::max_inflight_bytes`]) and per
//! non-root uid ([`Limits::max_inflight_bytes_per_uid`]), with the last
//! [`Limits::inflight_root_reserve`] bytes kept for root. A user with many
//! connections each sending maximal frames holds at most its share: it can
//! neither exhaust the daemon's memory nor starve root or other users.
//!
//! A frame that cannot get its bytes within its deadline is refused (the
//! caller closes the connection with an error frame), never queued for ever.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use fwctl_subsys::sync::lock;

use super::Limits;
use super::wire::MAX_PAYLOAD;

#[derive(Debug)]
struct State {
    free: usize,
    per_uid: HashMap<u32, usize>,
    /// Frames sleeping in [`Budget::acquire_by`]: a release wakes only when
    /// there are some (no wake-up syscall per frame otherwise).
    waiters: usize,
}

/// Blocks payload reception while too many bytes are in flight.
#[derive(Debug)]
pub(crate) struct Budget {
    state: Mutex<State>,
    cv: Condvar,
    per_uid: usize,
    root_reserve: usize,
}

/// Bytes reserved from the [`Budget`]; returned on drop.
pub(crate) struct Permit<'a> {
    budget: &'a Budget,
    uid: u32,
    n: usize,
}

impl Budget {
    /// The budget `limits` describe. Every share holds at least one maximal
    /// frame (else large RPCs would wait for ever), and the root reserve never
    /// leaves other users less than one.
    pub(crate) fn new(limits: &Limits) -> Self {
        let total = limits.max_inflight_bytes.max(MAX_PAYLOAD);
        Budget {
            state: Mutex::new(State { free: total, per_uid: HashMap::new(), waiters: 0 }),
            cv: Condvar::new(),
            per_uid: limits.max_inflight_bytes_per_uid.max(MAX_PAYLOAD),
            root_reserve: limits.inflight_root_reserve.min(total - MAX_PAYLOAD),
        }
    }

    fn fits(&self, s: &State, uid: u32, n: usize) -> bool {
        if s.free < n {
            return false;
        }
        if uid == 0 {
            return true;
        }
        let mine = s.per_uid.get(&uid).copied().unwrap_or(0);
        mine + n <= self.per_uid && s.free - n >= self.root_reserve
    }

    /// Reserve `n` bytes for a frame sent by `uid`, waiting at most until `deadline`.
    pub(crate) fn acquire_by(&self, uid: u32, n: usize, deadline: Instant) -> Option<Permit<'_>> {
        let mut s = lock(&self.state);
        if !self.fits(&s, uid, n) {
            s.waiters += 1;
            while !self.fits(&s, uid, n) {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    s.waiters -= 1;
                    return None;
                }
                s = self.cv.wait_timeout(s, left).map_or_else(|e| e.into_inner().0, |(g, _)| g);
            }
            s.waiters -= 1;
        }
        s.free -= n;
        if uid != 0 && n > 0 {
            *s.per_uid.entry(uid).or_insert(0) += n;
        }
        Some(Permit { budget: self, uid, n })
    }

    /// Bytes reserved now, over all connections.
    pub(crate) fn in_use(&self, total: usize) -> usize {
        total.max(MAX_PAYLOAD) - lock(&self.state).free
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut s = lock(&self.budget.state);
        s.free += self.n;
        if self.uid != 0
            && let Some(m) = s.per_uid.get_mut(&self.uid)
        {
            *m = m.saturating_sub(self.n);
            if *m == 0 {
                s.per_uid.remove(&self.uid);
            }
        }
        let waiting = s.waiters > 0;
        drop(s);
        if waiting {
            self.budget.cv.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn budget(total_frames: usize, per_uid_frames: usize, reserve_frames: usize) -> Budget {
        Budget::new(&Limits {
            max_inflight_bytes: total_frames * MAX_PAYLOAD,
            max_inflight_bytes_per_uid: per_uid_frames * MAX_PAYLOAD,
            inflight_root_reserve: reserve_frames * MAX_PAYLOAD,
            ..Limits::default()
        })
    }

    #[test]
    fn a_uid_gets_its_share_and_no_more_and_root_keeps_its_reserve() {
        let b = budget(6, 2, 1);
        let soon = || Instant::now() + Duration::from_millis(50);
        let u1: Vec<_> = (0..2).map(|_| b.acquire_by(1000, MAX_PAYLOAD, soon()).expect("share")).collect();
        assert!(b.acquire_by(1000, MAX_PAYLOAD, soon()).is_none(), "a third frame of uid 1000");
        let u2: Vec<_> = (0..2).map(|_| b.acquire_by(1001, MAX_PAYLOAD, soon()).expect("share")).collect();
        let third = b.acquire_by(1002, MAX_PAYLOAD, soon());
        assert!(third.is_some(), "one frame left above the reserve");
        assert!(b.acquire_by(1003, MAX_PAYLOAD, soon()).is_none(), "the last frame is root's");
        let root = b.acquire_by(0, MAX_PAYLOAD, soon());
        assert!(root.is_some(), "root uses the reserve");
        drop((u1, u2));
        assert!(b.acquire_by(1000, MAX_PAYLOAD, soon()).is_some(), "returned on drop");
    }

    #[test]
    fn a_waiting_frame_is_woken_by_a_release() {
        let b = budget(1, 1, 0);
        let p = b.acquire_by(0, MAX_PAYLOAD, Instant::now()).expect("fits");
        std::thread::scope(|s| {
            let waiter =
                s.spawn(|| b.acquire_by(1000, 50, Instant::now() + Duration::from_secs(30)).map(|p| p.n));
            // Wait until it sleeps, then release: it must get its bytes well
            // before its deadline.
            while lock(&b.state).waiters == 0 {
                std::thread::yield_now();
            }
            let t = Instant::now();
            drop(p);
            assert_eq!(waiter.join().expect("join"), Some(50));
            assert!(t.elapsed() < Duration::from_secs(10), "woken by the release, not by the deadline");
        });
        let s = lock(&b.state);
        assert_eq!((s.free, s.waiters), (MAX_PAYLOAD, 0), "the waiter's permit came back");
    }

    #[test]
    fn a_small_budget_still_takes_one_maximal_frame_of_anyone() {
        let b = budget(0, 0, 5);
        let soon = Instant::now() + Duration::from_millis(10);
        assert!(b.acquire_by(1000, MAX_PAYLOAD, soon).is_some());
    }
}
