//! Shared fixtures for fwctl's cross-crate integration tests and benchmarks.

pub mod bench;
pub mod daemon;
pub mod echo;

#[doc = include_str!("../../Documentation/protocol.md")]
pub mod doc_protocol {}
