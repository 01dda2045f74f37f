//! Benchmark harness (filled by the core work).
fn main() {}
