//! Shared code of the `fwctl` command line tool and the `fwctld` daemon.

pub mod daemon;
