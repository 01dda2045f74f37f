//! # fwctl-subsys
//!
//! The fwctl subsystem (`drivers/fwctl/main.c`) in user space: the driver
//! interface ([`driver`]), devices and open handles with hot-unplug
//! ([`subsystem`]), the kernel's ioctl dispatcher ([`ioctl`]), taint ([`taint`]),
//! the caller's identity ([`creds`]) and the hooks where admin policy and audit
//! plug in ([`hooks`]). It sits on [`fwctl_uapi`] and knows nothing of policy
//! files, sockets or plugins: those layers sit above it.
//!
//! ```
//! use std::sync::Arc;
//! use fwctl_subsys::{Credentials, Subsystem};
//! use fwctl_subsys::driver::{Driver, DriverContext, RpcResponse};
//! use fwctl_uapi::{DeviceType, Errno, RpcScope};
//!
//! struct Echo;
//! struct EchoCtx;
//! impl Driver for Echo {
//!     fn device_type(&self) -> DeviceType { DeviceType::Mlx5 }
//!     fn open(&self) -> Result<Box<dyn DriverContext>, Errno> { Ok(Box::new(EchoCtx)) }
//! }
//! impl DriverContext for EchoCtx {
//!     fn fw_rpc(&self, _: RpcScope, req: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
//!         Ok(RpcResponse::InPlace(req.len()))
//!     }
//!     fn close(self: Box<Self>) {}
//! }
//!
//! let fwctl = Subsystem::new();
//! let minor = fwctl.register(Arc::new(Echo)).unwrap();
//! let me = Credentials::default();
//! let handle = fwctl.open(minor, &me).unwrap();
//! let mut out = [0u8; 4];
//! let r = handle.rpc(&me, RpcScope::Configuration as u32, b"ping", &mut out).unwrap();
//! assert_eq!((r.out_len, &out), (4, b"ping"));
//! // Scope 4 does not exist: EOPNOTSUPP, as in the kernel.
//! assert_eq!(handle.rpc(&me, 4, b"ping", &mut out), Err(Errno::EOPNOTSUPP));
//! ```

pub mod creds;
pub mod device;
pub mod driver;
pub mod handle;
pub mod hooks;
pub mod ioctl;
pub mod memory;
pub mod scope;
pub mod subsystem;
pub mod sync;
pub mod taint;

pub use creds::Credentials;
pub use ioctl::{InfoResult, RpcError, RpcReply, RpcResult, SegmentMemory, UserMemory};
pub use subsystem::{DeviceState, DeviceSummary, DeviceView, Handle, Subsystem};
