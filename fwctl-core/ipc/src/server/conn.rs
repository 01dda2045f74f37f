//! One device connection: identify the peer, open the handle, then answer frames
//! until the client leaves, breaks the protocol or the server stops. Dropping the
//! handle at the end is `release`: the driver context is closed exactly once.
//!
//! Frames are read with `recvmsg`, so each carries the credentials the kernel
//! stamped on it (`SCM_CREDENTIALS`, [`peer`](super::peer)): a request is judged
//! by the process that sent it, not by whoever opened the connection.

use std::io::{self, BufRead, BufReader, IoSliceMut, Read, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::Ordering;
use std::time::Instant;

use fwctl_os::busy_poll::BusyPoll;
use serde_json::Value;

use super::memory::FrameMemory;
use super::peer::{Peer, PeerError, ScmCreds};
use super::speculate;
use super::wire::{self, IoctlRequest, Kind, WireError};
use super::{Refused, Shared};
use fwctl_subsys::creds::Credentials;
use fwctl_subsys::subsystem::Handle;
use fwctl_uapi::FWCTL_RPC;
use fwctl_uapi::errno::Errno;

/// Read-buffer size: one read syscall takes a whole small frame.
const READ_BUF: usize = 16 * 1024;
/// Largest reply/payload buffer kept between frames.
const KEEP: usize = 64 * 1024;

/// Reads the stream with `recvmsg` and remembers the kernel-stamped sender of
/// what it read. The kernel never returns the data of two senders from one
/// `recvmsg` on a stream socket with `SO_PASSCRED`, so every byte read is
/// attributed exactly.
struct CredReader<'a> {
    stream: &'a UnixStream,
    cmsg: Vec<u8>,
    /// Sender of the most recent read.
    last: Option<ScmCreds>,
    /// Sender of the current frame so far, and whether a second one appeared.
    frame: Option<ScmCreds>,
    mixed: bool,
    /// When the frame being read must be complete (D1: a deadline for the
    /// whole frame, not a timeout per `read`). `None` between frames.
    deadline: Option<Instant>,
}

impl<'a> CredReader<'a> {
    fn new(stream: &'a UnixStream) -> Self {
        CredReader {
            stream,
            cmsg: nix::cmsg_space!(nix::libc::ucred),
            last: None,
            frame: None,
            mixed: false,
            deadline: None,
        }
    }

    /// A frame starts; `buffered` says whether its first bytes are already in the
    /// reader's buffer (and so came from the most recent read).
    fn begin_frame(&mut self, buffered: bool, deadline: Instant) {
        self.frame = if buffered { self.last } else { None };
        self.mixed = false;
        self.deadline = Some(deadline);
    }

    /// The frame was read: back to waiting idly for the next one.
    fn end_frame(&mut self) {
        self.deadline = None;
    }

    /// Wait until the socket is readable or the frame deadline passes.
    fn wait_readable(&self, deadline: Instant) -> io::Result<()> {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "frame deadline"));
            }
            let ms = u16::try_from(left.as_millis().max(1)).unwrap_or(u16::MAX);
            let mut fds = [PollFd::new(self.stream.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(ms)) {
                Ok(0) => continue,
                Ok(_) => return Ok(()),
                Err(nix::Error::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The single sender of the frame just read.
    fn frame_sender(&self) -> Result<ScmCreds, PeerError> {
        match self.frame {
            _ if self.mixed => Err(PeerError::MixedSenders),
            Some(c) => Ok(c),
            None => Err(PeerError::NoCredentials),
        }
    }
}

impl Read for CredReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use nix::sys::socket::{ControlMessageOwned, MsgFlags, recvmsg};
        // Inside a frame: never block past its deadline. Between frames: block
        // (the socket's receive timeout wakes us to notice a shutdown).
        let flags = match self.deadline {
            Some(_) => MsgFlags::MSG_CMSG_CLOEXEC | MsgFlags::MSG_DONTWAIT,
            None => MsgFlags::MSG_CMSG_CLOEXEC,
        };
        let mut iov = [IoSliceMut::new(buf)];
        let msg = loop {
            match recvmsg::<()>(self.stream.as_raw_fd(), &mut iov, Some(&mut self.cmsg), flags) {
                Err(nix::Error::EAGAIN) => match self.deadline {
                    Some(d) => self.wait_readable(d)?,
                    None => return Err(io::Error::from(nix::Error::EAGAIN)),
                },
                Err(nix::Error::EINTR) => continue,
                Err(e) => return Err(e.into()),
                Ok(m) => break m,
            }
        };
        let n = msg.bytes;
        let mut creds = ScmCreds { pid: 0, uid: u32::MAX, gid: u32::MAX };
        if let Ok(cmsgs) = msg.cmsgs() {
            for c in cmsgs {
                match c {
                    ControlMessageOwned::ScmCredentials(u) => {
                        creds = ScmCreds { pid: u.pid(), uid: u.uid(), gid: u.gid() };
                    }
                    ControlMessageOwned::ScmRights(fds) => {
                        // Never keep descriptors a client pushes at us.
                        for fd in fds {
                            let _ = nix::unistd::close(fd);
                        }
                    }
                    _ => {}
                }
            }
        }
        if n > 0 {
            self.last = Some(creds);
            match self.frame {
                None => self.frame = Some(creds),
                Some(f) if f != creds => self.mixed = true,
                Some(_) => {}
            }
        }
        Ok(n)
    }
}

fn send_error(w: &mut impl Write, msg: &str) {
    let _ = wire::write_frame(w, Kind::Error, msg.as_bytes());
}

/// The credentials of the process that sent this very frame (the kernel checks the
/// calling task, `current_cred()`, at call time). When they cannot be established
/// the caller gets an ERROR frame and `None`; the stream stays in sync.
/// `defer`: a sender seen before is confirmed only if the call reads its
/// identity ([`Peer::sender`]); for frames the dispatcher serves.
fn frame_creds<'p>(
    peer: &'p mut Peer,
    writer: &mut impl Write,
    sender: Result<ScmCreds, PeerError>,
    defer: bool,
) -> Option<&'p Credentials> {
    match sender.and_then(|s| peer.sender(s, defer)) {
        Ok(c) => Some(c),
        Err(e) => {
            send_error(writer, &e.to_string());
            None
        }
    }
}

fn describe_wire_error(e: &WireError, shared: &Shared) -> String {
    match e {
        WireError::Io(io) if matches!(io.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
            format!("timed out after {:?} in the middle of a frame", shared.config.limits.frame_timeout)
        }
        other => other.to_string(),
    }
}

/// The one JSON shape of a reply document (serde; `Documentation/protocol.md`).
fn to_json(v: &impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

pub(super) fn serve(shared: &Shared, stream: UnixStream, minor: u32) {
    let limits = &shared.config.limits;
    if stream.set_write_timeout(Some(limits.write_timeout)).is_err()
        || stream.set_read_timeout(Some(limits.frame_timeout)).is_err()
    {
        return;
    }
    // Normally inherited from the listener; set again in case this connection
    // raced the listener's own setsockopt (its frames would carry no sender).
    if nix::sys::socket::setsockopt(&stream, nix::sys::socket::sockopt::PassCred, &true).is_err() {
        return;
    }
    let mut peer = match Peer::identify(&stream) {
        Ok(p) => p,
        Err(e) => {
            send_error(&mut &stream, &e.to_string());
            return;
        }
    };
    let handle = match shared.subsystem.open(minor, &peer.creds) {
        Ok(h) => h,
        Err(e) => {
            let _ = wire::write_frame(&mut &stream, Kind::Hello, &(e.code() as u32).to_le_bytes());
            return;
        }
    };
    if wire::write_frame(&mut &stream, Kind::Hello, &0u32.to_le_bytes()).is_err() {
        return;
    }
    let Some(registered) = shared.register_conn(&stream) else { return };
    let mut c = Conn {
        shared,
        handle: &handle,
        peer: &mut peer,
        reader: BufReader::with_capacity(READ_BUF, CredReader::new(&stream)),
        writer: &stream,
        payload: Vec::new(),
        out: Vec::new(),
        held: Vec::new(),
        mem: FrameMemory::new(),
    };
    c.run();
    drop(registered);
    let unplugged = !handle.is_live();
    drop(handle);
    if unplugged {
        // An unplugged device is listed as removed until its last handle closes.
        shared.publish();
    }
}

struct Conn<'a> {
    shared: &'a Shared,
    handle: &'a Handle,
    peer: &'a mut Peer,
    reader: BufReader<CredReader<'a>>,
    writer: &'a UnixStream,
    payload: Vec<u8>,
    out: Vec<u8>,
    /// The reply to an `IOCTL_IF_SAME` frame held for `FETCH_REPLY`
    /// ([`speculate`]); empty when none.
    held: Vec<u8>,
    mem: FrameMemory,
}

/// What to do after a frame.
enum Next {
    Continue,
    Close,
}

impl Conn<'_> {
    fn run(&mut self) {
        // Audit lines that need no sync are written after the reply, before the
        // next request is read (`fwctl_subsys::hooks::WriteBehind`).
        let _write_behind = fwctl_subsys::hooks::WriteBehind::begin();
        // Poll for the next request a little before sleeping (`Limits::busy_poll`).
        let mut busy = BusyPoll::new(self.shared.config.limits.busy_poll);
        loop {
            if self.reader.buffer().is_empty() {
                busy.before_wait(self.reader.get_ref().stream.as_fd());
            }
            // Idle between frames is fine (an open file nobody uses); the read
            // timeout only wakes us to notice a shutdown.
            let filled = self.reader.fill_buf();
            busy.after_wait();
            match filled {
                Ok([]) => return,
                Ok(_) => {}
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    if self.shared.stopping.load(Ordering::Acquire) {
                        return;
                    }
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            }
            let next = self.frame();
            fwctl_subsys::hooks::flush_staged();
            match next {
                Ok(Next::Continue) => {}
                Ok(Next::Close) => return,
                Err(e) => {
                    if !matches!(e, WireError::Closed) {
                        send_error(&mut self.writer, &describe_wire_error(&e, self.shared));
                    }
                    return;
                }
            }
            if self.payload.capacity() > KEEP {
                self.payload = Vec::new();
            }
            if self.out.capacity() > KEEP {
                self.out = Vec::new();
            }
            self.mem.trim();
        }
    }

    /// Receive and answer one frame. `Err` means the stream is out of sync.
    fn frame(&mut self) -> Result<Next, WireError> {
        let buffered = !self.reader.buffer().is_empty();
        let deadline = Instant::now() + self.shared.config.limits.frame_timeout;
        self.reader.get_mut().begin_frame(buffered, deadline);
        let h = wire::read_header(&mut self.reader)?;
        // The budget is waited for within the same deadline: a frame that cannot
        // get its share in time is refused, never queued for ever.
        // Charged to the uid the kernel stamped on the header's bytes (per-uid
        // shares: many connections of one user cannot starve the others).
        let uid = self.reader.get_ref().frame.map_or(self.peer.creds.uid, |c| c.uid);
        let Some(_permit) = self.shared.budget.acquire_by(uid, h.len, deadline) else {
            const WHY: &str =
                "the daemon's in-flight byte budget stayed exhausted for the whole frame timeout";
            self.shared.log_refusal(uid, Refused::Frame, &format!("{WHY} ({} bytes)", h.len));
            return Err(WireError::Io(io::Error::new(io::ErrorKind::OutOfMemory, WHY)));
        };
        wire::read_payload(&mut self.reader, h.len, &mut self.payload)?;
        self.reader.get_mut().end_frame();
        let sender = self.reader.get_ref().frame_sender();
        let payload = std::mem::take(&mut self.payload);
        if h.kind != Kind::FetchReply {
            // A held reply is for the very next frame only.
            self.drop_held();
        }
        let next = match h.kind {
            Kind::Ioctl => self.ioctl(&payload, sender),
            Kind::IoctlIfSame => self.ioctl_if_same(&payload, sender),
            Kind::FetchReply => self.fetch_reply(),
            Kind::Rpc => self.typed_rpc(&payload, sender),
            Kind::Describe => {
                let r = self.handle.describe(&payload).map(|d| to_json(&d));
                self.reply_json(Kind::DescribeReply, r)
            }
            Kind::DryRun => {
                let Some(creds) = frame_creds(self.peer, &mut self.writer, sender, false) else {
                    self.payload = payload;
                    return Ok(Next::Continue);
                };
                let r = match payload.split_first_chunk::<4>() {
                    Some((scope, req)) => {
                        self.handle.dry_run(creds, u32::from_le_bytes(*scope), req).map(|d| to_json(&d))
                    }
                    None => {
                        self.payload = payload;
                        send_error(&mut self.writer, "malformed DryRun frame: missing scope");
                        return Ok(Next::Continue);
                    }
                };
                self.reply_json(Kind::DryRunReply, r)
            }
            Kind::DecodeStatus => {
                let r = Ok(self.handle.decode_status(&payload).map_or(Value::Null, |s| to_json(&s)));
                self.reply_json(Kind::DecodeStatusReply, r)
            }
            other => {
                send_error(&mut self.writer, &format!("unexpected {other:?} frame on a device socket"));
                Next::Continue
            }
        };
        self.payload = payload;
        Ok(next)
    }

    fn ioctl(&mut self, payload: &[u8], sender: Result<ScmCreds, PeerError>) -> Next {
        let req = match wire::decode_ioctl(payload) {
            Ok(r) => r,
            Err(e) => {
                // The frame was well delimited: the stream is still in sync.
                send_error(&mut self.writer, &e.to_string());
                return Next::Continue;
            }
        };
        self.run_ioctl(&req, sender);
        self.send()
    }

    /// Run a decoded ioctl request: its `IOCTL_REPLY` frame (to be finished)
    /// in `out`, or, when the sender cannot be established, an ERROR frame.
    /// `false` in that second case.
    fn run_ioctl(&mut self, req: &IoctlRequest<'_>, sender: Result<ScmCreds, PeerError>) -> bool {
        self.out.clear();
        let Some(creds) = frame_creds(self.peer, &mut self.out, sender, true) else {
            return false;
        };
        self.mem.load(req);
        self.shared.in_flight.fetch_add(1, Ordering::SeqCst);
        let result = self.handle.ioctl(creds, req.cmd, req.arg, &mut self.mem);
        self.shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.shared.rpcs.fetch_add(1, Ordering::Relaxed);
        wire::begin_frame(&mut self.out, Kind::IoctlReply);
        wire::encode_ioctl_reply_head(&mut self.out, result, self.mem.written_count());
        for w in self.mem.written() {
            wire::encode_written(&mut self.out, &w);
        }
        if req.cmd == FWCTL_RPC {
            // Before the reply, so a client that saw its RPC succeed sees the taint.
            self.shared.publish_if_taint_changed();
            if result == Err(Errno::ENXIO) {
                self.shared.publish_if_failures_changed();
            }
        }
        true
    }

    /// An `IOCTL_IF_SAME` frame ([`speculate`]): nothing runs unless the
    /// struct is the expected bytes; a reply that would not land in place is
    /// held for `FETCH_REPLY`.
    fn ioctl_if_same(&mut self, payload: &[u8], sender: Result<ScmCreds, PeerError>) -> Next {
        let checked = speculate::decode(payload).and_then(|(expected, req)| {
            let same = speculate::struct_is(&req, expected)?;
            Ok((same, req))
        });
        let in_place = match checked {
            Ok((false, _)) => {
                speculate::encode_held(&mut self.out, speculate::NOT_RUN);
                return self.send();
            }
            Ok((true, req)) => {
                self.run_ioctl(&req, sender) && speculate::lands_in_place(&req, self.mem.written())
            }
            Err(e) => {
                self.out.clear();
                let _ = wire::write_frame(&mut self.out, Kind::Error, e.to_string().as_bytes());
                false
            }
        };
        if in_place {
            return self.send();
        }
        if wire::finish_frame(&mut self.out).is_err() {
            send_error(&mut self.writer, "reply too large");
            return Next::Close;
        }
        std::mem::swap(&mut self.out, &mut self.held);
        speculate::encode_held(&mut self.out, speculate::HELD);
        self.send()
    }

    /// `FETCH_REPLY`: the reply held after the previous frame, or an ERROR frame.
    fn fetch_reply(&mut self) -> Next {
        if self.held.is_empty() {
            send_error(&mut self.writer, "FETCH_REPLY: no reply is held");
            return Next::Continue;
        }
        std::mem::swap(&mut self.out, &mut self.held);
        self.drop_held();
        self.send()
    }

    /// Forget the held reply (and its buffer, if large).
    fn drop_held(&mut self) {
        self.held.clear();
        if self.held.capacity() > KEEP {
            self.held = Vec::new();
        }
    }

    fn reply_json(&mut self, kind: Kind, r: Result<Value, Errno>) -> Next {
        self.out.clear();
        wire::begin_frame(&mut self.out, kind);
        match r {
            Ok(v) => {
                let doc = if v.is_null() { Vec::new() } else { v.to_string().into_bytes() };
                wire::encode_result_json(&mut self.out, Ok(()), Some(&doc));
            }
            Err(e) => wire::encode_result_json(&mut self.out, Err(e), None),
        }
        self.send()
    }

    fn send(&mut self) -> Next {
        if wire::finish_frame(&mut self.out).is_err() {
            send_error(&mut self.writer, "reply too large");
            return Next::Close;
        }
        match self.writer.write_all(&self.out) {
            Ok(()) => Next::Continue,
            Err(_) => Next::Close,
        }
    }
}

impl Conn<'_> {
    /// A typed RPC ([`Kind::Rpc`]): the dispatcher's result with the metadata it
    /// computed, in one reply.
    fn typed_rpc(&mut self, payload: &[u8], sender: Result<ScmCreds, PeerError>) -> Next {
        let req = match wire::decode_rpc(payload) {
            Ok(r) => r,
            Err(e) => {
                send_error(&mut self.writer, &e.to_string());
                return Next::Continue;
            }
        };
        let Some(creds) = frame_creds(self.peer, &mut self.writer, sender, true) else {
            return Next::Continue;
        };
        self.shared.in_flight.fetch_add(1, Ordering::SeqCst);
        let result = self.handle.call(creds, req.scope, req.request, req.out_len);
        self.shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.shared.rpcs.fetch_add(1, Ordering::Relaxed);
        self.out.clear();
        wire::begin_frame(&mut self.out, Kind::RpcReply);
        if let Err(e) = wire::encode_rpc_reply(&mut self.out, &result) {
            send_error(&mut self.writer, &e.to_string());
            return Next::Continue;
        }
        // Before the reply, so a client that saw its RPC succeed sees the taint.
        self.shared.publish_if_taint_changed();
        if result.as_ref().is_err_and(|e| e.errno == Errno::ENXIO) {
            self.shared.publish_if_failures_changed();
        }
        self.send()
    }
}
