//! Shared code of the `fwctl` command line tool ([`cli`]) and the `fwctld` daemon ([`daemon`]).
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod cli;
pub mod daemon;
