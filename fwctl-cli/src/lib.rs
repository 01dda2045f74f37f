//! Shared code of the `fwctl` command line tool and the `fwctld` daemon (under construction, issues 6 and 7).
