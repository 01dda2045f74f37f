//! Issue 11, taint and audit fail closed (review finding L1): with the state
//! filesystem full, a tainting RPC is refused with `ENOSPC` instead of being
//! delivered without its durable record; once space is back, the next one is
//! recorded and delivered, and the record survives a restart. The audit log's
//! lines stay whole across the failure. Needs root (a 256 KiB tmpfs); SKIP
//! otherwise.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use fwctl_core::server::ControlRequest;
use fwctl_tests::daemon::{Fwctld, TempDir, binary, loopback_config};
use serde_json::Value;

/// A small tmpfs at `dir`, unmounted on drop.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(dir: &Path) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k,mode=0700", "fwctl-test", &dir.display().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.into()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn fill(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("filler");
    let mut f = std::fs::File::create(&p).expect("filler");
    let block = [0u8; 4096];
    while f.write_all(&block).is_ok() {}
    let _ = f.sync_all();
    p
}

fn debug_write(d: &Fwctld) -> Value {
    let out = Command::new(binary("fwctl-probe"))
        .arg(&d.runtime_dir)
        .args(["fwctl0", "rpc", "2", "0102", "2"])
        .output()
        .expect("fwctl-probe");
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

#[test]
fn l1_a_tainting_rpc_is_refused_while_its_record_cannot_be_written_and_recorded_once_it_can() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP: not root: cannot mount the small tmpfs for the full-disk case");
        return;
    }
    let base = TempDir::new("l1");
    let state = base.path().join("state");
    let Some(_fs) = Tmpfs::mount(&state) else {
        eprintln!("SKIP: mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?)");
        return;
    };
    let d = Fwctld::start_in(base, &loopback_config(1, ""), &[]);
    let filler = fill(&d.state_dir);
    let r = debug_write(&d);
    assert_eq!(r["result"], "ENOSPC", "a tainting RPC was delivered without its record: {r}\n{}", d.log());
    let status = d.control(&ControlRequest::Status).expect("status");
    assert_eq!(status["tainted"], false, "nothing was delivered, nothing is tainted");
    assert!(d.log().contains("taint record cannot be written"), "{}", d.log());

    std::fs::remove_file(&filler).expect("free the disk");
    let r = debug_write(&d);
    assert_eq!(r["result"], "ok", "{r}\n{}", d.log());
    assert!(d.state_dir.join("taint.json").exists(), "the record is on disk");
    // Every line of the audit log is whole JSON (no torn line glued to the next).
    let text = std::fs::read_to_string(d.state_dir.join("audit.log")).unwrap_or_default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let parsed: Result<Value, _> = serde_json::from_str(line);
        if parsed.is_err() {
            // A piece cut by ENOSPC is allowed only alone on its line, and never
            // when it would swallow a following record.
            assert!(!line.contains("}{"), "two records glued into one line: {line}");
        }
    }
    let (status, dir) = d.stop();
    assert!(status.success());
    let d = Fwctld::start_in(dir, &loopback_config(1, ""), &[]);
    assert_eq!(
        d.control(&ControlRequest::Status).expect("status")["tainted"],
        true,
        "the taint survived a restart"
    );
}
