//! One connection between fwctld and a plugin host: frames read and written by
//! the thread that makes (or serves) the call, with no thread in between.
//!
//! fwctld keeps a pool of these per host (see `client.rs`); the host serves each
//! on a thread of its own, so a call is one `send` and one `recv` on each side
//! when the plugin needs nothing more of the caller's memory.

use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use fwctl_os::busy_poll::BusyPoll;

use super::wire::{self, Frame};

/// Why a frame could not be read or written.
#[derive(Debug)]
pub(crate) enum ConnError {
    /// The call's deadline passed.
    TimedOut,
    /// The other side closed the connection or the socket failed.
    Closed,
    /// The other side sent bytes that are not a frame.
    Malformed,
}

/// How long a thread that is about to sleep until its peer's next frame (the
/// host: fwctld's next request; fwctld: the host's answer) polls for it first,
/// as fwctld's connection threads do ([`fwctl_os::busy_poll`]).
const BUSY_POLL: Duration = Duration::from_micros(50);

/// Below this much time spent in a call, the socket's own timeout (the whole
/// call timeout) bounds a `recv` closely enough; past it, `poll` the remainder.
const SLACK: Duration = Duration::from_millis(1);

/// A socket with its receive buffer (a read may bring more than one frame's
/// worth only from a broken peer: the extra is then malformed).
#[derive(Debug)]
pub(crate) struct Conn {
    stream: UnixStream,
    buf: Vec<u8>,
    /// Unconsumed bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    /// The frame being sent (kept to reuse its allocation).
    out: Vec<u8>,
    busy: BusyPoll,
}

impl Conn {
    /// Wrap `stream`. With `timeout`, every `send` and `recv` is bounded by it
    /// (`SO_SNDTIMEO`/`SO_RCVTIMEO`), and [`read_frame`](Self::read_frame)
    /// polls for what is left of a deadline when less than that remains.
    pub(crate) fn new(stream: UnixStream, timeout: Option<Duration>) -> io::Result<Conn> {
        if let Some(t) = timeout {
            // A zero timeout means "block forever" to the socket layer.
            let t = t.max(Duration::from_millis(1));
            stream.set_read_timeout(Some(t))?;
            stream.set_write_timeout(Some(t))?;
        }
        Ok(Conn {
            stream,
            buf: vec![0; 8192],
            start: 0,
            end: 0,
            out: Vec::with_capacity(8192),
            busy: BusyPoll::new(BUSY_POLL),
        })
    }

    /// Send one frame in one `write_all`.
    pub(crate) fn send(&mut self, id: u64, op: u8, body: &[u8]) -> Result<(), ConnError> {
        self.out.clear();
        let len = u32::try_from(body.len() + 9).map_err(|_| ConnError::Malformed)?;
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(&id.to_le_bytes());
        self.out.push(op);
        self.out.extend_from_slice(body);
        match self.stream.write_all(&self.out) {
            Ok(()) => Ok(()),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                Err(ConnError::TimedOut)
            }
            Err(_) => Err(ConnError::Closed),
        }
    }

    /// Whether bytes are left over after the last frame (from a broken peer).
    pub(crate) fn has_leftover(&self) -> bool {
        self.start != self.end
    }

    /// Read one frame. `call` is `(started, deadline)` of the call it belongs
    /// to (fwctld), or `None` to wait as long as it takes (the host).
    pub(crate) fn read_frame(&mut self, call: Option<(Instant, Instant)>) -> Result<Frame, ConnError> {
        self.fill(13, call)?;
        let h = &self.buf[self.start..self.start + 13];
        let len = u32::from_le_bytes([h[0], h[1], h[2], h[3]]) as usize;
        if !(9..=wire::MAX_BODY + 9).contains(&len) {
            return Err(ConnError::Malformed);
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&h[4..12]);
        let op = h[12];
        self.fill(4 + len, call)?;
        let body = self.buf[self.start + 13..self.start + 4 + len].to_vec();
        self.start += 4 + len;
        if self.start == self.end {
            (self.start, self.end) = (0, 0);
        }
        Ok(Frame { id: u64::from_le_bytes(id), op, body })
    }

    /// Have at least `want` unconsumed bytes.
    fn fill(&mut self, want: usize, call: Option<(Instant, Instant)>) -> Result<(), ConnError> {
        if self.end - self.start >= want {
            return Ok(());
        }
        if self.start + want > self.buf.len() {
            // Move the partial frame to the front, and grow for a large one.
            self.buf.copy_within(self.start..self.end, 0);
            (self.start, self.end) = (0, self.end - self.start);
            if want > self.buf.len() {
                self.buf.resize(want, 0);
            }
        }
        while self.end - self.start < want {
            if let Some((started, deadline)) = call {
                let now = Instant::now();
                if now >= deadline {
                    return Err(ConnError::TimedOut);
                }
                if now.duration_since(started) > SLACK {
                    self.wait_readable(deadline - now)?;
                }
            }
            self.busy.before_wait(self.stream.as_fd());
            let read = self.stream.read(&mut self.buf[self.end..]);
            self.busy.after_wait();
            match read {
                Ok(0) => return Err(ConnError::Closed),
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    return Err(ConnError::TimedOut);
                }
                Err(_) => return Err(ConnError::Closed),
            }
        }
        Ok(())
    }

    fn wait_readable(&self, left: Duration) -> Result<(), ConnError> {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        let ms = u16::try_from(left.as_millis().saturating_add(1)).unwrap_or(u16::MAX);
        let mut fds = [PollFd::new(self.stream.as_fd(), PollFlags::POLLIN)];
        loop {
            match poll(&mut fds, PollTimeout::from(ms)) {
                Ok(0) => return Err(ConnError::TimedOut),
                // Readable, hung up or in error: the read says which.
                Ok(_) => return Ok(()),
                Err(nix::errno::Errno::EINTR) => {}
                Err(_) => return Err(ConnError::Closed),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_cross_in_any_split_and_deadlines_hold() {
        let (a, b) = UnixStream::pair().unwrap();
        let mut a = Conn::new(a, Some(Duration::from_millis(200))).unwrap();
        let mut b = Conn::new(b, None).unwrap();
        let big = vec![7u8; 20_000];
        a.send(5, wire::RPC, &big).unwrap();
        a.send(6, wire::OPEN, b"x").unwrap();
        let f = b.read_frame(None).unwrap();
        assert_eq!((f.id, f.op, f.body.len()), (5, wire::RPC, 20_000));
        let f = b.read_frame(None).unwrap();
        assert_eq!((f.id, f.op, f.body.as_slice()), (6, wire::OPEN, &b"x"[..]));
        assert!(!b.has_leftover());
        // Nothing comes: the deadline ends the wait, late or early in the call.
        let t0 = Instant::now();
        let r = a.read_frame(Some((t0, t0 + Duration::from_millis(50))));
        assert!(matches!(r, Err(ConnError::TimedOut)), "{r:?}");
        let el = t0.elapsed();
        assert!(el >= Duration::from_millis(50) && el < Duration::from_secs(2), "{el:?}");
        let early = Instant::now() - Duration::from_millis(10);
        let r = a.read_frame(Some((early, Instant::now() + Duration::from_millis(30))));
        assert!(matches!(r, Err(ConnError::TimedOut)), "{r:?}");
        // A length out of bounds is malformed; a hang-up is closed.
        b.stream.write_all(&u32::MAX.to_le_bytes()).unwrap();
        b.stream.write_all(&[0; 9]).unwrap();
        assert!(matches!(a.read_frame(None), Err(ConnError::Malformed)));
        let (c, d) = UnixStream::pair().unwrap();
        let mut c = Conn::new(c, None).unwrap();
        drop(d);
        assert!(matches!(c.read_frame(None), Err(ConnError::Closed)));
    }
}
