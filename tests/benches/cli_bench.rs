//! Whole-process cost of `fwctl rpc`: `fwctl rpc fwctl0 <QUERY_ADAPTER>` on the
//! embedded simulated device against the bare start-up of `fwctl --version`,
//! measured in the same run. Target: the RPC adds at most 2 ms.
//!
//! Run with `cargo bench -p fwctl-tests --bench cli_bench`. The bench builds the
//! `fwctl` binary in the release profile first (cargo does not build another
//! package's binaries for a bench).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use std::time::Instant;

use fwctl_tests::bench::{Row, median, print_table};

/// QUERY_ADAPTER (opcode 0x0101), as the README's first command sends it.
const QUERY_ADAPTER: [&str; 4] = ["01010000", "00000000", "00000000", "00000000"];
const SAMPLES: usize = 101;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Build `fwctl` (release) and return its path next to this bench's own profile dir.
fn build_fwctl() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-q", "-p", "fwctl-cli", "--bin", "fwctl"])
        .current_dir(workspace_root())
        .status();
    assert!(status.as_ref().is_ok_and(|s| s.success()), "cannot build fwctl: {status:?}");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    target.join("release").join("fwctl")
}

/// Wall time of one whole `fwctl` process, in milliseconds.
fn run(bin: &Path, args: &[&str]) -> f64 {
    let t = Instant::now();
    // The README's command: the lab policy; state (taint, audit) in a scratch
    // directory, never the real /var/lib/fwctl or the user's home.
    let state = std::env::temp_dir().join(format!("fwctl-cli-bench-{}", std::process::id()));
    let out = Command::new(bin)
        .args(args)
        .env("FWCTL_TRANSPORT", "embedded")
        .env("FWCTL_POLICY", workspace_root().join("policies/lab.toml"))
        .env("FWCTL_STATE_DIR", &state)
        .stdin(Stdio::null())
        .output();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    // Measuring a failing command would measure the wrong thing.
    match out {
        Ok(o) if o.status.success() => {}
        other => panic!("fwctl {args:?} failed: {other:?}"),
    }
    ms
}

fn main() {
    let bin = build_fwctl();
    let mut rpc_args = vec!["rpc", "fwctl0"];
    rpc_args.extend(QUERY_ADAPTER);
    // Interleave so both see the same machine state.
    let mut version = Vec::with_capacity(SAMPLES);
    let mut rpc = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        version.push(run(&bin, &["--version"]));
        rpc.push(run(&bin, &rpc_args));
    }
    let _ =
        std::fs::remove_dir_all(std::env::temp_dir().join(format!("fwctl-cli-bench-{}", std::process::id())));
    let (v, r) = (median(&mut version), median(&mut rpc));
    let added = r - v;
    print_table(
        &format!("fwctl whole-process wall time, median of {SAMPLES} runs (embedded transport)"),
        &[
            Row { name: "fwctl --version (baseline)".into(), value: v, unit: "ms", note: String::new() },
            Row {
                name: "fwctl rpc fwctl0 QUERY_ADAPTER".into(),
                value: r,
                unit: "ms",
                note: format!("adds {added:.2} ms over the baseline (target <= 2 ms)"),
            },
        ],
    );
}
