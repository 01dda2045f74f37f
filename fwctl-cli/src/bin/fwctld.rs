//! `fwctld`: the daemon (under construction, issue 7).
fn main() {}
