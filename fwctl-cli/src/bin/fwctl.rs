//! `fwctl`: the command line tool (under construction, issue 6).
fn main() {}
