//! Shared fixtures for fwctl's cross-crate integration tests and benchmarks.

pub mod bench;
pub mod daemon;
pub mod echo;

#[doc = include_str!("../../Documentation/protocol.md")]
pub mod doc_protocol {}

#[doc = include_str!("../../Documentation/user-api.md")]
pub mod doc_user_api {}

#[doc = include_str!("../../Documentation/mlx5-sim.md")]
pub mod doc_mlx5_sim {}
