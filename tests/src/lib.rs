//! Shared fixtures for fwctl's cross-crate integration tests and benchmarks.

pub mod bench;
pub mod echo;

#[doc = include_str!("../../Documentation/user-api.md")]
pub mod doc_user_api {}

#[doc = include_str!("../../Documentation/cli.md")]
pub mod doc_cli {}
