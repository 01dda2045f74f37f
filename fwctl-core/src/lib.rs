//! # fwctl-core
//!
//! A user-space implementation of the Linux fwctl subsystem
//! (`drivers/fwctl/main.c`), as one facade over its layers, each its own crate
//! (see `ARCHITECTURE.md`):
//!
//! | layer | crate | modules here |
//! |---|---|---|
//! | the byte-exact uAPI and the closed errno set | `fwctl-uapi` | [`uapi`], [`errno`] |
//! | the subsystem: drivers, devices, handles, the dispatcher, taint, hooks | `fwctl-subsys` | [`driver`], [`subsystem`], [`ioctl`], [`taint`], [`creds`], [`hooks`], [`sync`] |
//! | what a vendor plugin compiles against | `fwctl-plugin-sdk` | [`plugin::abi`], [`plugin::sdk`] |
//! | loading plugin libraries | `fwctl-plugin-host` | [`plugin`] |
//! | policy, audit log, taint record | `fwctl-admin` | [`policy`], [`audit`], [`taint_store`] |
//! | the daemon's wire protocol, server and client transports | `fwctl-ipc` | [`server`], [`transport`] |
//!
//! Drivers and vendor plugins depend on the lower crates only; the daemon, the
//! CLI and the tests use this facade.
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

pub use fwctl_uapi as uapi;
pub use fwctl_uapi::errno;

pub use fwctl_subsys::{creds, driver, hooks, ioctl, subsystem, sync, taint};

pub use fwctl_admin::{audit, policy, taint_store};

pub use fwctl_ipc::{server, transport};

/// Vendor plugins: the C ABI and Rust SDK (`fwctl-plugin-sdk`) and the host
/// side that loads them (`fwctl-plugin-host`).
pub mod plugin {
    pub use fwctl_plugin_host::*;
}

pub use fwctl_plugin_sdk::declare_plugin;

pub use fwctl_subsys::{
    Credentials, DeviceState, DeviceSummary, DeviceView, Handle, InfoResult, RpcError, RpcReply, RpcResult,
    SegmentMemory, Subsystem, UserMemory,
};
pub use fwctl_uapi::{DeviceType, Errno, RpcScope};
