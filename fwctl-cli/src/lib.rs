//! Shared code of the `fwctl` command line tool and the `fwctld` daemon.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod cli;
