//! Measurement helpers shared by every benchmark binary in `tests/benches/`.
//!
//! Benchmarks print numbers; they never assert timings. Each figure is the median
//! of several samples, each sample timing a batch of calls, so one scheduler
//! hiccup moves a single sample, not the result.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Median nanoseconds per call of `f`, over `samples` batches of `batch` calls,
/// after one warm-up batch.
pub fn median_ns_per_op(samples: usize, batch: usize, mut f: impl FnMut()) -> f64 {
    let batch = batch.max(1);
    for _ in 0..batch {
        f();
    }
    let mut per_op: Vec<f64> = (0..samples.max(1))
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_nanos() as f64 / batch as f64
        })
        .collect();
    median(&mut per_op)
}

/// Median wall time of `samples` runs of `f` (for whole-process timings).
pub fn median_duration(samples: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<f64> = (0..samples.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    Duration::from_secs_f64(median(&mut v))
}

/// The median of `v` (sorted in place); 0 for an empty slice.
pub fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let m = v.len() / 2;
    if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 }
}

/// Keep a value alive so the optimiser cannot remove the work that produced it.
pub fn keep<T>(v: T) -> T {
    black_box(v)
}

/// One row of a benchmark table.
#[derive(Debug, Clone)]
pub struct Row {
    /// What was measured.
    pub name: String,
    /// The figure.
    pub value: f64,
    /// Its unit, e.g. `ns/op`.
    pub unit: &'static str,
    /// Target or comparison, free text (e.g. `target <= 1.0x baseline: 0.62x`).
    pub note: String,
}

/// Print a titled table of rows, aligned, to stdout.
pub fn print_table(title: &str, rows: &[Row]) {
    println!("\n## {title}");
    let w = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(10);
    for r in rows {
        println!("{:<w$}  {:>12.1} {:<8} {}", r.name, r.value, r.unit, r.note, w = w);
    }
}
