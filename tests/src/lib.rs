//! Shared fixtures for fwctl's cross-crate integration tests and benchmarks.

pub mod bench;
pub mod daemon;
pub mod echo;
pub mod load;
pub mod plugins;
pub mod proxy;
pub mod real_clients;
pub mod tmpfs;
pub mod users;

#[doc = include_str!("../../Documentation/protocol.md")]
pub mod doc_protocol {}

#[doc = include_str!("../../Documentation/user-api.md")]
pub mod doc_user_api {}

#[doc = include_str!("../../Documentation/cli.md")]
pub mod doc_cli {}

#[doc = include_str!("../../Documentation/mlx5-sim.md")]
pub mod doc_mlx5_sim {}

/// `Documentation/policy.md`, whose Rust examples run as doctests.
#[doc = include_str!("../../Documentation/policy.md")]
pub mod doc_policy {}

#[doc = include_str!("../../Documentation/plugin-guide.md")]
pub mod doc_plugin_guide {}

/// `Documentation/daemon.md`: running `fwctld` (its Rust example is compiled).
#[doc = include_str!("../../Documentation/daemon.md")]
pub mod doc_daemon {}
