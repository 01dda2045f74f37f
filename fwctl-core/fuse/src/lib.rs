//! # fwctl-fuse
//!
//! `/dev/fwctl/fwctlN` for unmodified programs: `fwctld --dev-dir DIR` mounts a
//! FUSE file system with one node per device. `open(2)` on a node opens a uctx
//! for the calling thread's identity, `ioctl(fd, FWCTL_INFO | FWCTL_RPC, arg)`
//! runs the subsystem's dispatcher (`Handle::ioctl`) over the caller's own
//! memory ([`ProcessMemory`], `process_vm_readv`/`process_vm_writev`), and
//! `close(2)` closes the uctx exactly once. See `Documentation/real-clients.md`.
//!
//! **Why not the `fuser` crate:** a FUSE file system (as opposed to CUSE) only
//! gets *restricted* ioctls: the kernel copies `_IOC_SIZE(cmd)` bytes in and out
//! and hands the server the raw `arg`. fwctl's ioctls are `_IO` (size 0, the size
//! travels in the struct), so the raw `arg` pointer is all a server gets, and
//! `fuser`'s `ioctl` callback (0.18) does not pass it on (nor does
//! `fuse-backend-rs`'s). The handful of requests a directory of device nodes
//! needs are therefore served here directly on `/dev/fuse` (module `abi` restates the
//! structs from `include/uapi/linux/fuse.h`).

mod abi;
pub mod identity;
pub mod memory;
mod server;
pub mod sysfs;

pub use memory::ProcessMemory;
pub use server::{DevNodes, DevNodesConfig, MountError};
