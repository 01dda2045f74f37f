//! # fwctl-plugin-sdk
//!
//! Everything a fwctl vendor plugin compiles against, and nothing more:
//!
//! - [`abi`]: the `#[repr(C)]` vtable and structs of the stable C ABI, mirrored by
//!   `include/fwctl_plugin.h` in this crate (the contract for C vendors);
//! - [`sdk`]: the Rust side: implement [`sdk::Plugin`] with ordinary
//!   [`Driver`](fwctl_subsys::driver::Driver)s and call [`declare_plugin!`].
//!
//! The host side (loading a library, validating its vtable) is `fwctl-plugin-host`;
//! a vendor never builds it.

pub mod abi;
mod names;
pub mod sdk;

/// The driver interface a plugin implements (re-exported from `fwctl-subsys`).
pub use fwctl_subsys::driver;
pub use fwctl_subsys::{self, Credentials};
pub use fwctl_uapi::{self, DeviceType, Errno, RpcScope};
