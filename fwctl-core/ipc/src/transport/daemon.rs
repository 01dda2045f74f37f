//! The `Daemon` transport: a `fwctld` device socket `<runtime-dir>/fwctlN`.
//!
//! Connecting is `open(2)`: the daemon opens a handle with the credentials the
//! kernel reports for this process and answers with a hello frame carrying the
//! open's errno. Each [`Channel`] call is one request frame and one reply frame
//! (see [`crate::server::wire`]). When the connection itself fails (daemon gone,
//! protocol error) calls return `EIO`.

use std::io::{BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use zerocopy::{FromBytes, IntoBytes};

use super::{Channel, Transport, TransportKind};
use crate::server::STATUS_FILE;
use crate::server::wire::{self, Kind, SEG_DATA, SEG_WRITABLE, SegmentHeader, WireError};
use fwctl_subsys::driver::{DeviceStatus, RpcDescription};
use fwctl_subsys::ioctl::{DryRun, InfoResult, RpcError, RpcReply, RpcResult};
use fwctl_subsys::subsystem::DeviceSummary;
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{FWCTL_INFO, FWCTL_RPC, FwctlInfo, FwctlRpc};

/// The runtime directory `fwctld` uses by default: `/run/fwctl` for root, else
/// `$XDG_RUNTIME_DIR/fwctl` (falling back to `/run/fwctl`).
pub fn default_runtime_dir() -> PathBuf {
    if nix::unistd::geteuid().is_root() {
        return PathBuf::from("/run/fwctl");
    }
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d).join("fwctl"),
        _ => PathBuf::from("/run/fwctl"),
    }
}

/// A `fwctld` reached through its runtime directory.
#[derive(Debug, Clone)]
pub struct Daemon {
    runtime_dir: PathBuf,
    /// fwctld's words for the last refused open ([`Transport::last_error`]).
    last_error: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

/// Whether `name` is a device name `fwctlN` (so it cannot escape the directory).
pub fn valid_device_name(name: &str) -> bool {
    fwctl_uapi::DeviceName::from_name(name).is_some()
}

impl Daemon {
    /// The daemon serving `runtime_dir`.
    pub fn new(runtime_dir: impl Into<PathBuf>) -> Self {
        Daemon { runtime_dir: runtime_dir.into(), last_error: Default::default() }
    }

    /// The daemon at [`default_runtime_dir`].
    pub fn at_default() -> Self {
        Self::new(default_runtime_dir())
    }

    /// The runtime directory.
    pub fn runtime_dir(&self) -> &Path {
        &self.runtime_dir
    }

    fn status(&self) -> Result<Value, Errno> {
        let text = std::fs::read(self.runtime_dir.join(STATUS_FILE)).map_err(|_| Errno::ENOENT)?;
        serde_json::from_slice(&text).map_err(|_| Errno::EIO)
    }

    /// Whether a daemon appears to be serving: its `devices.json` names a live process.
    pub fn is_running(&self) -> bool {
        let Ok(status) = self.status() else { return false };
        let Some(pid) = status.get("pid").and_then(Value::as_i64).and_then(|p| i32::try_from(p).ok()) else {
            return false;
        };
        match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
            Ok(()) | Err(nix::errno::Errno::EPERM) => true,
            Err(_) => false,
        }
    }

    /// Open a device, returning the concrete channel (for [`DaemonChannel::ioctl`]).
    pub fn connect(&self, name: &str) -> Result<DaemonChannel, Errno> {
        if !valid_device_name(name) {
            return Err(Errno::ENODEV);
        }
        let stream = UnixStream::connect(self.runtime_dir.join(name)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused => Errno::ENODEV,
            std::io::ErrorKind::PermissionDenied => Errno::EACCES,
            _ => Errno::EIO,
        })?;
        let mut ch = DaemonChannel::from_stream(stream)?;
        let kind = ch.recv().inspect_err(|_| {
            *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) = ch.error.clone();
        })?;
        match kind {
            Kind::Hello => {
                let code = ch.payload.first_chunk::<4>().map(|b| u32::from_le_bytes(*b)).ok_or(Errno::EIO)?;
                wire::decode_result(Kind::Hello, code).map_err(|_| Errno::EIO)??;
                Ok(ch)
            }
            _ => Err(Errno::EIO),
        }
    }
}

impl Transport for Daemon {
    fn kind(&self) -> TransportKind {
        TransportKind::Daemon
    }

    fn list(&self) -> Result<Vec<DeviceSummary>, Errno> {
        let status = self.status()?;
        let devices = status.get("devices").ok_or(Errno::EIO)?;
        Vec::<DeviceSummary>::deserialize(devices).map_err(|_| Errno::EIO)
    }

    fn open(&self, name: &str) -> Result<Box<dyn Channel>, Errno> {
        Ok(Box::new(self.connect(name)?))
    }

    fn last_error(&self) -> Option<String> {
        self.last_error.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn tainted(&self) -> Option<bool> {
        self.status().ok()?.get("tainted")?.as_bool()
    }
}

/// One piece of the caller's memory for [`DaemonChannel::ioctl`].
#[derive(Debug)]
pub enum UserSegment<'a> {
    /// Memory the kernel reads and never writes (`in` buffers). Writes fault.
    In(u64, &'a [u8]),
    /// Memory the kernel only writes (`out` buffers): only its length travels.
    Out(u64, &'a mut [u8]),
    /// Memory the kernel reads and writes back (the argument struct).
    InOut(u64, &'a mut [u8]),
}

impl UserSegment<'_> {
    fn header(&self) -> (SegmentHeader, Option<&[u8]>) {
        let (addr, len, flags, data) = match self {
            UserSegment::In(a, b) => (*a, b.len(), SEG_DATA, Some(&b[..])),
            UserSegment::Out(a, b) => (*a, b.len(), SEG_WRITABLE, None),
            UserSegment::InOut(a, b) => (*a, b.len(), SEG_DATA | SEG_WRITABLE, Some(&b[..])),
        };
        (SegmentHeader { addr, len: len as u32, flags }, data)
    }

    fn writable(&mut self) -> Option<&mut [u8]> {
        match self {
            UserSegment::In(..) => None,
            UserSegment::Out(_, b) | UserSegment::InOut(_, b) => Some(b),
        }
    }
}

/// An open device on a daemon: one connection, one handle.
#[derive(Debug)]
pub struct DaemonChannel {
    reader: BufReader<UnixStream>,
    out: Vec<u8>,
    payload: Vec<u8>,
    /// Why the last call failed at the transport level, in words.
    error: Option<String>,
}

/// Wait until the reply can be read, when none of it is buffered yet: with
/// `poll(POLLIN)`, not by blocking in `read`. A reader blocked in `read` on a
/// Unix socket is also woken each time the daemon consumes a request this
/// socket sent (the kernel's `unix_write_space` wakes every sleeper on the
/// socket, readers included), only to find nothing and sleep again: a second
/// wake-up per round trip, and on a VM an inter-processor interrupt each. A
/// `poll` waiter is woken only for what it asked (`POLLIN`). Measured with a C
/// ping-pong of fwctld's shape on this project's 2-vCPU VM at load 1: 0.85–0.91×
/// the round trip of a blocking `read`. Errors are left to the `read` that
/// follows (a hang-up is readable).
fn wait_readable(reader: &BufReader<UnixStream>) {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;
    if !reader.buffer().is_empty() {
        return;
    }
    let mut fds = [PollFd::new(reader.get_ref().as_fd(), PollFlags::POLLIN)];
    while let Err(nix::errno::Errno::EINTR) = poll(&mut fds, PollTimeout::NONE) {}
}

// Addresses the typed calls place their buffers at in the request's address space.
const ARG: u64 = 0x1000;
const IN: u64 = 0x10_0000_0000;
const OUT: u64 = 0x20_0000_0000;

impl DaemonChannel {
    fn from_stream(stream: UnixStream) -> Result<Self, Errno> {
        Ok(DaemonChannel {
            reader: BufReader::with_capacity(16 * 1024, stream),
            out: Vec::new(),
            payload: Vec::new(),
            error: None,
        })
    }

    fn send(&mut self) -> Result<(), Errno> {
        wire::finish_frame(&mut self.out).map_err(|_| Errno::EMSGSIZE)?;
        let mut w: &UnixStream = self.reader.get_ref();
        w.write_all(&self.out).map_err(|e| {
            self.error = Some(format!("cannot send to fwctld: {}", io_words(&e)));
            Errno::EIO
        })
    }

    fn recv(&mut self) -> Result<Kind, Errno> {
        wait_readable(&self.reader);
        match wire::read_frame(&mut self.reader, &mut self.payload) {
            Ok(Kind::Error) => {
                self.error = Some(format!("fwctld: {}", String::from_utf8_lossy(&self.payload)));
                Err(Errno::EIO)
            }
            Ok(k) => {
                self.error = None;
                Ok(k)
            }
            Err(WireError::Closed) => {
                self.error = Some("fwctld closed the connection (it stopped or crashed)".into());
                Err(Errno::EIO)
            }
            Err(WireError::Io(e)) => {
                self.error = Some(format!("connection to fwctld lost: {}", io_words(&e)));
                Err(Errno::EIO)
            }
            Err(e) => {
                self.error = Some(format!("bad frame from fwctld: {e}"));
                Err(Errno::EIO)
            }
        }
    }

    /// The last protocol error message the daemon sent, if the last call failed that way.
    pub fn last_error_message(&self) -> Option<String> {
        std::str::from_utf8(&self.payload).ok().map(str::to_string)
    }

    /// `ioctl(fd, cmd, arg)` with the caller's memory given as segments: exactly
    /// what a C program passes. Written ranges are copied back into the
    /// writable segments; a pointer into no segment is `EFAULT` on the server.
    pub fn ioctl(&mut self, cmd: u32, arg: u64, segments: &mut [UserSegment<'_>]) -> Result<(), Errno> {
        if segments.len() > wire::MAX_SEGMENTS {
            return Err(Errno::EINVAL);
        }
        let data: usize = segments.iter().map(|s| s.header().1.map_or(0, <[u8]>::len)).sum();
        if data > wire::MAX_PAYLOAD - 1024 || segments.iter().any(|s| s.header().0.len as usize != seg_len(s))
        {
            // More data than a frame may carry; the kernel would refuse it too.
            return Err(Errno::EMSGSIZE);
        }
        self.out.clear();
        wire::begin_frame(&mut self.out, Kind::Ioctl);
        {
            // At most `MAX_SEGMENTS` (checked above): on the stack.
            let headers: wire::Segments<'_> = segments.iter().map(UserSegment::header).collect();
            wire::encode_ioctl(&mut self.out, cmd, arg, &headers);
        }
        self.send()?;
        if self.recv()? != Kind::IoctlReply {
            return Err(Errno::EIO);
        }
        let reply = wire::decode_ioctl_reply(&self.payload).map_err(|_| Errno::EIO)?;
        for w in &reply.written {
            let seg = segments.get_mut(w.segment as usize).ok_or(Errno::EIO)?;
            let buf = seg.writable().ok_or(Errno::EIO)?;
            let start = w.offset as usize;
            let end = start.checked_add(w.len as usize).filter(|&e| e <= buf.len()).ok_or(Errno::EIO)?;
            let (data, zeros) = buf[start..end].split_at_mut(w.data.len());
            data.copy_from_slice(w.data);
            zeros.fill(0);
        }
        reply.result
    }

    fn json_call(
        &mut self,
        kind: Kind,
        reply: Kind,
        head: Option<u32>,
        body: &[u8],
    ) -> Result<Option<Value>, Errno> {
        if body.len() > fwctl_uapi::MAX_RPC_LEN {
            return Err(Errno::EMSGSIZE);
        }
        self.out.clear();
        wire::begin_frame(&mut self.out, kind);
        if let Some(h) = head {
            self.out.extend_from_slice(&h.to_le_bytes());
        }
        self.out.extend_from_slice(body);
        self.send()?;
        if self.recv()? != reply {
            return Err(Errno::EIO);
        }
        wire::decode_result_json(reply, &self.payload).map_err(|_: WireError| Errno::EIO)?
    }
}

/// An I/O error in words (`connection reset by peer`), not `(os error 104)`.
fn io_words(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => nix::errno::Errno::from_raw(code).desc().to_lowercase(),
        None => e.to_string(),
    }
}

fn seg_len(s: &UserSegment<'_>) -> usize {
    match s {
        UserSegment::In(_, b) => b.len(),
        UserSegment::Out(_, b) | UserSegment::InOut(_, b) => b.len(),
    }
}

impl Channel for DaemonChannel {
    fn info(&mut self, device_data: &mut [u8]) -> Result<InfoResult, Errno> {
        let mut arg = FwctlInfo::request(device_data.len(), OUT)?;
        self.ioctl(
            FWCTL_INFO,
            ARG,
            &mut [UserSegment::InOut(ARG, arg.as_mut_bytes()), UserSegment::Out(OUT, device_data)],
        )?;
        Ok(InfoResult { device_type: arg.out_device_type, device_data_len: arg.device_data_len })
    }

    fn rpc(&mut self, scope: u32, request: &[u8], response: &mut [u8]) -> Result<RpcResult, Errno> {
        let mut arg = FwctlRpc::request(scope, request.len(), IN, response.len(), OUT)?;
        self.ioctl(
            FWCTL_RPC,
            ARG,
            &mut [
                UserSegment::InOut(ARG, arg.as_mut_bytes()),
                UserSegment::In(IN, request),
                UserSegment::Out(OUT, response),
            ],
        )?;
        let back = FwctlRpc::read_from_bytes(arg.as_bytes()).map_err(|_| Errno::EIO)?;
        Ok(RpcResult { out_len: back.out_len, description: None, status: None, decision: None })
    }

    fn rpc_with_buffers(
        &mut self,
        scope: u32,
        request: &[u8],
        response: &mut [u8],
        buffers: &mut [UserSegment<'_>],
    ) -> Result<RpcResult, Errno> {
        let mut arg = FwctlRpc::request(scope, request.len(), IN, response.len(), OUT)?;
        let mut segments = vec![
            UserSegment::InOut(ARG, arg.as_mut_bytes()),
            UserSegment::In(IN, request),
            UserSegment::Out(OUT, response),
        ];
        for b in buffers.iter_mut() {
            segments.push(match b {
                UserSegment::In(a, s) => UserSegment::In(*a, s),
                UserSegment::Out(a, s) => UserSegment::Out(*a, s),
                UserSegment::InOut(a, s) => UserSegment::InOut(*a, s),
            });
        }
        self.ioctl(FWCTL_RPC, ARG, &mut segments)?;
        drop(segments);
        let back = FwctlRpc::read_from_bytes(arg.as_bytes()).map_err(|_| Errno::EIO)?;
        Ok(RpcResult { out_len: back.out_len, description: None, status: None, decision: None })
    }

    fn call(&mut self, scope: u32, request: &[u8], out_len: Option<usize>) -> Result<RpcReply, RpcError> {
        if request.len() > fwctl_uapi::MAX_RPC_LEN {
            return Err(Errno::EMSGSIZE.into());
        }
        self.out.clear();
        wire::begin_frame(&mut self.out, Kind::Rpc);
        wire::encode_rpc(&mut self.out, &wire::RpcRequest { scope, out_len, request })
            .map_err(|_| Errno::EMSGSIZE)?;
        self.send()?;
        if self.recv()? != Kind::RpcReply {
            return Err(Errno::EIO.into());
        }
        wire::decode_rpc_reply(&self.payload).map_err(|_| Errno::EIO)?
    }

    fn describe(&mut self, request: &[u8]) -> Result<RpcDescription, Errno> {
        let v = self.json_call(Kind::Describe, Kind::DescribeReply, None, request)?.ok_or(Errno::EIO)?;
        RpcDescription::deserialize(&v).map_err(|_| Errno::EIO)
    }

    fn dry_run(&mut self, scope: u32, request: &[u8]) -> Result<DryRun, Errno> {
        let v = self.json_call(Kind::DryRun, Kind::DryRunReply, Some(scope), request)?.ok_or(Errno::EIO)?;
        DryRun::deserialize(&v).map_err(|_| Errno::EIO)
    }

    fn decode_status(&mut self, response: &[u8]) -> Option<DeviceStatus> {
        let v = self.json_call(Kind::DecodeStatus, Kind::DecodeStatusReply, None, response).ok()??;
        DeviceStatus::deserialize(&v).ok()
    }

    fn transport_error(&self) -> Option<String> {
        self.error.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_cannot_escape_the_runtime_dir() {
        assert!(valid_device_name("fwctl0") && valid_device_name("fwctl4095"));
        for bad in ["", "fwctl", "fwctl../x", "../fwctl0", "fwctl0/x", "control", "fwctl12345", "fwctl-1"] {
            assert!(!valid_device_name(bad), "{bad}");
        }
    }
}
