//! # fwctl-core
//!
//! A user-space implementation of the Linux fwctl subsystem
//! (`drivers/fwctl/main.c`): the byte-exact uAPI ([`uapi`]), the closed errno set
//! ([`Errno`]), the driver interface ([`driver`]), devices and open handles with
//! hot-unplug ([`subsystem`]), the kernel's ioctl dispatcher ([`ioctl`]), taint
//! ([`taint`]), and the hooks where admin policy and audit plug in ([`hooks`]).
//!
//! ```
//! use std::sync::Arc;
//! use fwctl_core::{Credentials, Errno, Subsystem, RpcScope};
//! use fwctl_core::driver::{Driver, DriverContext, RpcResponse};
//! use fwctl_core::uapi::DeviceType;
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

pub mod audit;
pub mod creds;
pub mod driver;
pub mod errno;
pub mod hooks;
pub mod ioctl;
pub mod plugin;
pub mod policy;
pub mod server;
pub mod subsystem;
pub mod taint;
pub mod taint_store;
pub mod transport;
pub mod uapi;

pub use creds::Credentials;
pub use errno::Errno;
pub use ioctl::{InfoResult, RpcResult, SegmentMemory, UserMemory};
pub use subsystem::{DeviceState, DeviceSummary, DeviceView, Handle, Subsystem};
pub use uapi::{DeviceType, RpcScope};
