//! Benchmark of the daemon transport (filled below).
fn main() {}
