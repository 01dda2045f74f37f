//! Client transports: the one API the CLI uses to reach devices, wherever the
//! subsystem runs (DESIGN.md §3).
//!
//! - [`Embedded`]: the subsystem in this process (for trying things and tests);
//! - [`Daemon`]: a `fwctld` device socket (the real privilege boundary);
//! - [`Kernel`]: real ioctls on `/dev/fwctl/fwctlN`;
//! - [`auto::select`]: the first of kernel → daemon → embedded that answers.
//!
//! All of them return the same results and errnos for the same request.

pub mod auto;
pub mod daemon;
pub mod kernel;

pub use daemon::{Daemon, DaemonChannel, UserSegment};
pub use kernel::{Kernel, KernelChannel};

use std::fmt;

use fwctl_subsys::creds::Credentials;
use fwctl_subsys::driver::{DeviceStatus, RpcDescription};
use fwctl_subsys::ioctl::{DEFAULT_OUT_LEN, DryRun, InfoResult, RpcError, RpcReply, RpcResult};
use fwctl_subsys::memory::SegmentMemory;
use fwctl_subsys::subsystem::{DeviceSummary, Handle, Subsystem};
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{FWCTL_RPC, FwctlRpc};

/// Which transport answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportKind {
    /// Real ioctls on `/dev/fwctl`.
    Kernel,
    /// A `fwctld` daemon socket.
    Daemon,
    /// The in-process subsystem.
    Embedded,
}

impl TransportKind {
    /// Lower-case name for listings and `--transport`.
    pub fn name(self) -> &'static str {
        match self {
            TransportKind::Kernel => "kernel",
            TransportKind::Daemon => "daemon",
            TransportKind::Embedded => "embedded",
        }
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A way to reach fwctl devices.
pub trait Transport: Send + Sync {
    /// Which transport this is.
    fn kind(&self) -> TransportKind;
    /// The devices this transport can reach.
    fn list(&self) -> Result<Vec<DeviceSummary>, Errno>;
    /// Open a device by name (`fwctl0`); the analogue of `open(2)`.
    fn open(&self, name: &str) -> Result<Box<dyn Channel>, Errno>;
    /// Whether `TAINT_FWCTL` is set where the devices live, if this transport can tell.
    fn tainted(&self) -> Option<bool> {
        None
    }
    /// Why the last failed [`Transport::open`] failed, in the words of the
    /// party that refused (fwctld's error frame: "too many connections …"),
    /// when that is more than its errno (`EIO`).
    fn last_error(&self) -> Option<String> {
        None
    }
}

/// An open device: the analogue of an open file descriptor on `/dev/fwctl/fwctlN`.
pub trait Channel: Send {
    /// `FWCTL_INFO` into `device_data` (its length is `device_data_len`).
    fn info(&mut self, device_data: &mut [u8]) -> Result<InfoResult, Errno>;
    /// `FWCTL_RPC` with a raw scope value.
    fn rpc(&mut self, scope: u32, request: &[u8], response: &mut [u8]) -> Result<RpcResult, Errno>;
    /// One whole RPC with the metadata the dispatcher computed (description, device
    /// status, decision; also on refusal): one request to the device. `out_len`
    /// `None` offers the length the driver expects for the request. Transports
    /// that cannot carry the metadata (the kernel) return the plain result.
    fn call(&mut self, scope: u32, request: &[u8], out_len: Option<usize>) -> Result<RpcReply, RpcError> {
        let out_capacity = out_len.unwrap_or(DEFAULT_OUT_LEN);
        let mut response = vec![0u8; out_capacity];
        let result = self.rpc(scope, request, &mut response)?;
        response.truncate(out_capacity.min(result.out_len as usize));
        Ok(RpcReply { response, out_capacity, result })
    }
    /// The driver's decoding of a request, without delivering it. `EOPNOTSUPP` when the
    /// transport cannot ask the driver (the kernel has no such ioctl).
    fn describe(&mut self, request: &[u8]) -> Result<RpcDescription, Errno>;
    /// All checks an RPC would face (scope rules, allow-list, policy), without delivery.
    fn dry_run(&mut self, scope: u32, request: &[u8]) -> Result<DryRun, Errno>;
    /// The driver's decoding of a response's in-band status, when it has one.
    fn decode_status(&mut self, response: &[u8]) -> Option<DeviceStatus>;
    /// Why the last failed call failed when the transport itself failed (fwctld
    /// sent an error frame, or the connection was lost), beyond its `EIO`.
    fn transport_error(&self) -> Option<String> {
        None
    }
    /// `FWCTL_RPC` whose request points at more of the caller's memory (pds
    /// payload pointers, bnxt DMA buffers): each of `buffers` is part of the
    /// caller's address space for the call, at its address, exactly as a C
    /// client's pointers would be. Give each buffer its real address
    /// (`as_ptr() as u64`): that is what the kernel dereferences, so the same
    /// request works on every transport. The default (the kernel's) is a plain
    /// [`rpc`](Self::rpc): the buffers are this process's memory already.
    fn rpc_with_buffers(
        &mut self,
        scope: u32,
        request: &[u8],
        response: &mut [u8],
        buffers: &mut [UserSegment<'_>],
    ) -> Result<RpcResult, Errno> {
        let _ = buffers;
        self.rpc(scope, request, response)
    }
}

/// The in-process subsystem, called with this process's own credentials.
#[derive(Debug, Clone)]
pub struct Embedded {
    subsystem: Subsystem,
    creds: Credentials,
}

impl Embedded {
    /// Serve `subsystem` with the current process's credentials.
    pub fn new(subsystem: Subsystem) -> Self {
        Embedded { subsystem, creds: Credentials::current() }
    }

    /// Serve `subsystem` with explicit credentials (tests).
    pub fn with_credentials(subsystem: Subsystem, creds: Credentials) -> Self {
        Embedded { subsystem, creds }
    }

    /// The subsystem behind this transport.
    pub fn subsystem(&self) -> &Subsystem {
        &self.subsystem
    }
}

impl Transport for Embedded {
    fn kind(&self) -> TransportKind {
        TransportKind::Embedded
    }

    fn list(&self) -> Result<Vec<DeviceSummary>, Errno> {
        Ok(self.subsystem.devices())
    }

    fn open(&self, name: &str) -> Result<Box<dyn Channel>, Errno> {
        let minor = self.subsystem.minor_by_name(name).ok_or(Errno::ENODEV)?;
        let handle = self.subsystem.open(minor, &self.creds)?;
        Ok(Box::new(EmbeddedChannel { handle, creds: self.creds.clone() }))
    }

    fn tainted(&self) -> Option<bool> {
        Some(self.subsystem.taint().is_tainted())
    }
}

/// An open handle on the in-process subsystem.
#[derive(Debug)]
pub struct EmbeddedChannel {
    handle: Handle,
    creds: Credentials,
}

impl Channel for EmbeddedChannel {
    fn info(&mut self, device_data: &mut [u8]) -> Result<InfoResult, Errno> {
        self.handle.info(&self.creds, device_data)
    }

    fn rpc(&mut self, scope: u32, request: &[u8], response: &mut [u8]) -> Result<RpcResult, Errno> {
        self.handle.rpc(&self.creds, scope, request, response)
    }

    fn rpc_with_buffers(
        &mut self,
        scope: u32,
        request: &[u8],
        response: &mut [u8],
        buffers: &mut [UserSegment<'_>],
    ) -> Result<RpcResult, Errno> {
        use zerocopy::{FromBytes, IntoBytes};
        // Every segment at its real address: distinct live objects cannot overlap.
        let (in_addr, out_addr) = (request.as_ptr() as u64, response.as_ptr() as u64);
        let arg = FwctlRpc::request(scope, request.len(), in_addr, response.len(), out_addr)?;
        let arg_addr = &arg as *const FwctlRpc as u64;
        let mut mem = SegmentMemory::new();
        mem.map_owned(arg_addr, arg.as_bytes().to_vec()).map_ro(in_addr, request);
        for b in buffers.iter_mut() {
            match b {
                UserSegment::In(a, s) => mem.map_ro(*a, s),
                UserSegment::Out(a, s) | UserSegment::InOut(a, s) => mem.map_rw(*a, s),
            };
        }
        mem.map_rw(out_addr, response);
        self.handle.ioctl(&self.creds, FWCTL_RPC, arg_addr, &mut mem)?;
        let back =
            mem.segment(arg_addr).and_then(|b| FwctlRpc::read_from_bytes(b).ok()).ok_or(Errno::EFAULT)?;
        Ok(RpcResult { out_len: back.out_len, description: None, status: None, decision: None })
    }

    fn call(&mut self, scope: u32, request: &[u8], out_len: Option<usize>) -> Result<RpcReply, RpcError> {
        self.handle.call(&self.creds, scope, request, out_len)
    }

    fn describe(&mut self, request: &[u8]) -> Result<RpcDescription, Errno> {
        self.handle.describe(request)
    }

    fn dry_run(&mut self, scope: u32, request: &[u8]) -> Result<DryRun, Errno> {
        self.handle.dry_run(&self.creds, scope, request)
    }

    fn decode_status(&mut self, response: &[u8]) -> Option<DeviceStatus> {
        self.handle.decode_status(response)
    }
}
