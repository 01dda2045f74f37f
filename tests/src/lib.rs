//! Shared fixtures for fwctl's cross-crate integration tests and benchmarks.

pub mod bench;
pub mod echo;
pub mod plugins;
