//! # fwctl-ipc
//!
//! fwctl between processes: the daemon side of the privilege boundary
//! ([`server`], with the wire protocol in [`server::wire`]) and the client
//! transports the CLI uses to reach devices wherever the subsystem runs
//! ([`transport`]: a `fwctld` socket, the kernel's `/dev/fwctl`, or an embedded
//! subsystem).

pub mod server;
pub mod transport;
