//! The driver interface: the user-space analogue of the kernel's `struct fwctl_ops`.
//!
//! A vendor module implements [`Driver`] once per device and [`DriverContext`] once
//! per open handle (the kernel's `fwctl_uctx`). The core guarantees:
//! - [`Driver::open`] is called for every open; a failure fails the open.
//! - [`DriverContext::close`] is called exactly once per successful open: when the
//!   handle is closed, or at unregister for handles still open. The type system
//!   enforces "at most once" (it consumes the box); the subsystem enforces "at least".
//! - [`DriverContext::fw_rpc`] is only called with a valid scope, with lengths at
//!   most [`MAX_RPC_LEN`](fwctl_uapi::MAX_RPC_LEN), after the capability and taint
//!   steps of the core. Calls on different handles run concurrently; drivers
//!   serialise internally where the device needs it.

use std::borrow::Cow;
use std::fmt;

use crate::memory::UserMemory;
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{DeviceType, RpcScope};

bitflags::bitflags! {
    /// What a command does to the device, as far as the driver can tell. Used for
    /// audit, `--dry-run` output and policy; the minimum scope is derived from it
    /// by the driver (the CXL "command effects" model).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Effects: u32 {
        /// Reads device state; changes nothing.
        const READ = 1 << 0;
        /// Writes device configuration (takes effect now).
        const WRITE_CONFIG = 1 << 1;
        /// Changes configuration that takes effect only after a reset.
        const CONFIG_ON_RESET = 1 << 2;
        /// Writes debug state; the device may leave its supported state.
        const WRITE_DEBUG = 1 << 3;
        /// Can disrupt traffic or other users of the device.
        const DISRUPTIVE = 1 << 4;
        /// May reveal data of other functions or users (read-only debug).
        const DEBUG_READ = 1 << 5;
    }
}

impl Effects {
    /// Each flag with its human-readable name, in bit order.
    const NAMED: [(Effects, &'static str); 6] = [
        (Effects::READ, "read"),
        (Effects::WRITE_CONFIG, "write-config"),
        (Effects::CONFIG_ON_RESET, "config-on-reset"),
        (Effects::WRITE_DEBUG, "write-debug"),
        (Effects::DISRUPTIVE, "disruptive"),
        (Effects::DEBUG_READ, "debug-read"),
    ];

    /// Human-readable names of the set flags, e.g. `["read", "debug-read"]`.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMED.iter().filter(|(flag, _)| self.contains(*flag)).map(|(_, name)| *name).collect()
    }

    /// The flag called `name` (as [`Effects::names`] spells it).
    pub fn from_display_name(name: &str) -> Option<Effects> {
        Self::NAMED.iter().find(|(_, n)| *n == name).map(|(flag, _)| *flag)
    }
}

/// Effects travel as the list of their names (`["read", "debug-read"]`), the
/// shape `Documentation/protocol.md` documents, not as bits.
#[cfg(feature = "serde")]
impl serde::Serialize for Effects {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Effects {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = <Vec<String>>::deserialize(d)?;
        names.iter().try_fold(Effects::empty(), |acc, n| {
            Effects::from_display_name(n)
                .map(|f| acc | f)
                .ok_or_else(|| serde::de::Error::custom(format_args!("unknown effect {n:?}")))
        })
    }
}

/// A register touched by a register-access command (mlx5 ACCESS_REG and friends).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RegisterAccess {
    /// The register id (e.g. 0x5006 for PAOS).
    pub id: u32,
    /// The register's name when the driver knows it.
    pub name: Option<Cow<'static, str>>,
    /// True for a write, false for a read.
    pub write: bool,
}

/// A driver's decoding of one request, computed without touching the device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RpcDescription {
    /// The command opcode in the device's own numbering.
    pub opcode: u32,
    /// The opcode modifier (mlx5 `op_mod`), 0 when the format has none.
    pub op_mod: u32,
    /// The command's name (mlx5: the PRM name such as `QUERY_ADAPTER`), if known.
    pub name: Option<Cow<'static, str>>,
    /// The lowest scope at which the driver allows this request; `None` means the
    /// driver refuses it at every scope.
    pub min_scope: Option<RpcScope>,
    /// What the command does.
    pub effects: Effects,
    /// The response length the device produces for this request, when known.
    pub expected_out_len: Option<usize>,
    /// The register accessed, for register-access commands.
    pub register: Option<RegisterAccess>,
}

impl RpcDescription {
    /// A description for a request the driver cannot decode at all.
    pub fn unknown(opcode: u32, op_mod: u32) -> Self {
        RpcDescription {
            opcode,
            op_mod,
            name: None,
            min_scope: None,
            effects: Effects::empty(),
            expected_out_len: None,
            register: None,
        }
    }

    /// Whether the driver allows this request at `scope` (scopes are ordered).
    pub fn allowed_at(&self, scope: RpcScope) -> bool {
        self.min_scope.is_some_and(|min| scope >= min)
    }
}

/// A device-side status reported inside a delivered response (in-band), decoded by
/// the driver, e.g. mlx5's status byte and syndrome.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeviceStatus {
    /// The raw status code (0 = success for mlx5).
    pub code: u32,
    /// The status name, e.g. `BAD_OP_ERR`.
    pub name: Cow<'static, str>,
    /// A vendor-specific error identifier (mlx5 syndrome), when present.
    pub syndrome: Option<u32>,
    /// Whether the status means success.
    pub ok: bool,
}

impl fmt::Display for DeviceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (0x{:02x})", self.name, self.code)?;
        if let Some(s) = self.syndrome {
            write!(f, ", syndrome 0x{s:08x}")?;
        }
        Ok(())
    }
}

/// Identity facts about a device that the core exposes to listing and policy
/// selectors. All optional; drivers fill in what they know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DeviceIdentity {
    /// Driver or plugin name, e.g. `mlx5_fwctl` or `pds-sim (plugin)`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub driver: String,
    /// The parent device, e.g. a PCI address `0000:08:00.0`.
    pub parent: Option<String>,
    /// Firmware version string, e.g. `28.39.1002`.
    pub fw_version: Option<String>,
    /// Serial number or similar.
    pub serial: Option<String>,
    /// The board's parameter-set identifier (Mellanox PSID, e.g.
    /// `MT_0000000838`), where the device has one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub psid: Option<String>,
}

/// How a driver hands back its response.
#[derive(Debug, PartialEq, Eq)]
pub enum RpcResponse {
    /// The response was written over the request buffer; the first `n` bytes of it
    /// are the response (`n` must not exceed the request length).
    InPlace(usize),
    /// A separately allocated response.
    Buffer(Vec<u8>),
}

/// What [`DriverContext::fw_rpc_user`] hands back.
#[derive(Debug, PartialEq, Eq)]
pub enum DriverReply {
    /// A response the core copies to the caller (in place or a buffer). A buffer
    /// longer than the caller's capacity is truncated and its full length reported.
    Response(RpcResponse),
    /// The driver wrote its response straight into the caller's buffer with
    /// [`RpcCall::write_response`] (or [`RpcCall::copy_to_user`] at
    /// [`RpcCall::out_addr`]): `min(len, out_capacity)` bytes are there, and `len`,
    /// the driver's own length, is what the caller sees in `out_len` — it may
    /// exceed the caller's buffer, as `drivers/fwctl/main.c` reports it.
    Direct(usize),
}

/// The in-band status of a delivered response, as [`DriverContext::fw_rpc_status`]
/// may hand it back.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum StatusSlot {
    /// Nobody looks at the status of this RPC (no audit, no caller asking).
    #[default]
    NotWanted,
    /// The core wants it; a driver may decode it, else the core does.
    Wanted,
    /// The driver decoded it: `None` when the response carries no status.
    Decoded(Option<DeviceStatus>),
}

/// One delivered RPC as a driver that needs the caller's memory sees it: the
/// scope, where the caller's response buffer is, and the caller's address space
/// (`copy_from_user`/`copy_to_user`), for requests that carry user pointers
/// (pds, bnxt DMA descriptors) and for answering without an intermediate buffer.
///
/// Through fwctld the caller's address space is the request frame: only the
/// segments the client sent (the `in` bytes and the capacity of `out`, plus any
/// extra segments the client attached) resolve; any other address is `EFAULT`.
pub struct RpcCall<'a> {
    /// The scope the RPC was issued at (already validated by the core).
    pub scope: RpcScope,
    /// The caller's address of its response buffer (`fwctl_rpc.out`).
    pub out_addr: u64,
    /// The caller's response buffer size (`fwctl_rpc.out_len` as passed in).
    pub out_capacity: usize,
    /// The caller's memory.
    pub user: &'a mut dyn UserMemory,
}

impl std::fmt::Debug for RpcCall<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RpcCall")
            .field("scope", &self.scope)
            .field("out_addr", &format_args!("{:#x}", self.out_addr))
            .field("out_capacity", &self.out_capacity)
            .finish_non_exhaustive()
    }
}

/// The longest prefix of `len` bytes at `addr` for which `ok(n)` holds, given that
/// `ok` is monotone (a readable/writable prefix stays so when shortened). Faults
/// in [`UserMemory`] are at segment (page) boundaries, so this finds the boundary
/// with `log2(len)` probes.
fn longest_prefix(len: usize, mut ok: impl FnMut(usize) -> bool) -> usize {
    if ok(len) {
        return len;
    }
    let (mut lo, mut hi) = (0usize, len); // ok(lo) holds (zero bytes never fault), ok(hi) does not
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) { lo = mid } else { hi = mid }
    }
    lo
}

/// The kernel's `copy_from_user(dst, addr, len)` over `user`: copy as much as is
/// mapped, zero the rest of `dst`, and return the number of bytes **not** copied
/// (0 on success). A driver answers a non-zero return with `EFAULT`.
pub fn copy_from_user(user: &dyn UserMemory, dst: &mut [u8], addr: u64) -> usize {
    let done = longest_prefix(dst.len(), |n| user.read(addr, &mut dst[..n]).is_ok());
    if done < dst.len() {
        // The probes may have left bytes of a failed read behind: the kernel
        // zero-fills whatever it could not copy.
        let _ = user.read(addr, &mut dst[..done]);
        dst[done..].fill(0);
    }
    dst.len() - done
}

/// The kernel's `copy_to_user(addr, src, len)` over `user`: write as much as is
/// mapped and writable, return the number of bytes **not** written (0 on success).
pub fn copy_to_user(user: &mut dyn UserMemory, addr: u64, src: &[u8]) -> usize {
    let done = longest_prefix(src.len(), |n| user.write(addr, &src[..n]).is_ok());
    src.len() - done
}

impl RpcCall<'_> {
    /// [`copy_from_user`] on the caller's memory: bytes **not** copied (zeroed in `dst`).
    pub fn copy_from_user(&self, dst: &mut [u8], addr: u64) -> usize {
        copy_from_user(&*self.user, dst, addr)
    }

    /// [`copy_to_user`] on the caller's memory: bytes **not** written.
    pub fn copy_to_user(&mut self, addr: u64, src: &[u8]) -> usize {
        copy_to_user(&mut *self.user, addr, src)
    }

    /// Read exactly `dst.len()` bytes at `addr`, or `EFAULT`.
    pub fn read_user(&self, addr: u64, dst: &mut [u8]) -> Result<(), Errno> {
        self.user.read(addr, dst)
    }

    /// Write `response` straight into the caller's buffer: its first
    /// `min(response.len(), out_capacity)` bytes go to [`out_addr`](Self::out_addr)
    /// and the reply reports the full length. `EFAULT` if the buffer is unmapped.
    pub fn write_response(&mut self, response: &[u8]) -> Result<DriverReply, Errno> {
        let n = response.len().min(self.out_capacity);
        self.user.write(self.out_addr, &response[..n])?;
        Ok(DriverReply::Direct(response.len()))
    }
}

/// One device's driver (the kernel's `fwctl_ops` plus device-level helpers).
pub trait Driver: Send + Sync {
    /// The uAPI device type reported by `FWCTL_INFO`.
    fn device_type(&self) -> DeviceType;

    /// Identity facts for listing and policy selectors.
    fn identity(&self) -> DeviceIdentity {
        DeviceIdentity::default()
    }

    /// `open_uctx`: create the per-handle context. An error fails the open.
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno>;

    /// Decode a request without touching the device. The default knows nothing.
    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        let _ = request;
        Err(Errno::EOPNOTSUPP)
    }

    /// Decode the in-band device status of a delivered response, if the format has one.
    fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        let _ = response;
        None
    }

    /// `Some(reason)` when the driver has failed (e.g. a plugin that misbehaved);
    /// the device is then listed as failed and its RPCs answer `ENXIO`.
    fn failure(&self) -> Option<String> {
        None
    }

    /// Whether [`failure`](Self::failure) is `Some`, asked on every RPC: a
    /// driver whose failure reason is costly to build answers it directly.
    fn has_failed(&self) -> bool {
        self.failure().is_some()
    }
}

/// The per-open-handle driver context (the kernel's driver-private `fwctl_uctx`).
pub trait DriverContext: Send + Sync {
    /// The `info` op: driver-specific device data for `FWCTL_INFO`. `None` means the
    /// driver has no info op (the core then zero-fills the caller's buffer).
    fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
        None
    }

    /// The `fw_rpc` op: deliver `request` to the firmware at `scope`. `out_capacity`
    /// is the caller's response buffer size. The driver may answer in place (over
    /// `request`) or with a new buffer; an `Err` means the RPC was not delivered.
    /// Device-side failures of a delivered RPC are reported inside the response.
    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno>;

    /// The `fw_rpc` op with the caller's memory: what the core actually calls.
    /// Drivers whose requests carry user pointers, or that write their response
    /// straight into the caller's buffer, override it; the default delivers the
    /// request through [`fw_rpc`](Self::fw_rpc).
    fn fw_rpc_user(&self, call: &mut RpcCall<'_>, request: &mut [u8]) -> Result<DriverReply, Errno> {
        self.fw_rpc(call.scope, request, call.out_capacity).map(DriverReply::Response)
    }

    /// [`fw_rpc_user`](Self::fw_rpc_user), offered the chance to decode the
    /// response's in-band status while the driver still holds the response:
    /// when `status` is [`StatusSlot::Wanted`] a driver may set it to
    /// [`StatusSlot::Decoded`] with what [`Driver::decode_status`] would say of
    /// the response it delivered, and the core then does not decode it again
    /// (nor read a [`DriverReply::Direct`] response back from the caller's
    /// buffer to do so). The default leaves the slot alone; the core decodes.
    fn fw_rpc_status(
        &self,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
    ) -> Result<DriverReply, Errno> {
        let _ = status;
        self.fw_rpc_user(call, request)
    }

    /// [`fw_rpc_status`](Self::fw_rpc_status), also describing `request` as
    /// it was before delivery into `description` (`None` where the driver
    /// cannot), whether or not the delivery then succeeds. The core calls this
    /// instead when it wants the description only for the record it writes
    /// afterwards (no policy to judge it, nothing tainting). The default
    /// describes with `describe` (the device's [`Driver::describe`]) and then
    /// delivers; a driver in another process, or behind the plugin ABI,
    /// overrides it to do both in one call.
    fn fw_rpc_described(
        &self,
        call: &mut RpcCall<'_>,
        request: &mut [u8],
        status: &mut StatusSlot,
        description: &mut Option<RpcDescription>,
        describe: &dyn Fn(&[u8]) -> Option<RpcDescription>,
    ) -> Result<DriverReply, Errno> {
        *description = describe(request);
        self.fw_rpc_status(call, request, status)
    }

    /// `close_uctx`: release the context. Called exactly once.
    fn close(self: Box<Self>);
}
