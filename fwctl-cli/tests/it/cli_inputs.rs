//! Inputs users can trust (issue 15), through the real binary: `--hex-file`
//! sends the whole request or fails (the limit is on decoded bytes), every file
//! the CLI reads must be a regular file of bounded size, so `/dev/urandom` as a
//! policy or audit log fails at once and random bytes never grow memory.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use crate::cli_common::{Env, err, json};

/// QUERY_ADAPTER's header followed by zeros, `len` bytes in all.
fn big_request(len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len];
    b[..4].copy_from_slice(&[0x01, 0x01, 0x00, 0x00]);
    b
}

/// `bytes` as `xxd -p` writes them: 30 bytes (60 digits) a line.
fn xxd_p(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2 + bytes.len() / 30 + 1);
    for chunk in bytes.chunks(30) {
        for b in chunk {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\n');
    }
    s
}

#[test]
fn a_1_2_mb_hex_file_arrives_whole() {
    let env = Env::open();
    let req = big_request(1_200_000);
    let hex = env.dir.join("p12.hex");
    std::fs::write(&hex, xxd_p(&req)).unwrap();
    let bin = env.dir.join("p12.bin");
    std::fs::write(&bin, &req).unwrap();
    for (flag, file) in [("--hex-file", &hex), ("--in-file", &bin)] {
        let f = file.to_str().unwrap();
        let o = env.run(&["rpc", "fwctl0", flag, f, "--dry-run", "--json"]);
        assert_eq!(o.status.code(), Some(0), "{flag}: {}", err(&o));
        assert_eq!(json(&o)["in_len"], 1_200_000, "{flag}");
        let o = env.run(&["rpc", "fwctl0", flag, f, "--json"]);
        assert_eq!(json(&o)["in_len"], 1_200_000, "{flag} delivered: {}", err(&o));
    }
}

#[test]
fn a_hex_file_above_the_limit_is_refused_naming_its_decoded_size() {
    let env = Env::open();
    let hex = env.dir.join("h4.hex");
    std::fs::write(&hex, xxd_p(&big_request(3_000_000))).unwrap();
    let o = env.run(&["rpc", "fwctl0", "--hex-file", hex.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("the request is 3000000 bytes, above the 2097152-byte (2 MiB) limit of FWCTL_RPC"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("nothing was sent"), "{}", err(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn devices_as_input_files_fail_within_a_second() {
    let env = Env::lab();
    for args in [
        &["--policy", "/dev/urandom", "list"][..],
        &["policy", "check", "/dev/urandom"][..],
        &["audit", "--audit-log", "/dev/urandom"][..],
        &["rpc", "fwctl0", "--hex-file", "/dev/urandom"][..],
        &["rpc", "fwctl0", "--in-file", "/dev/zero"][..],
    ] {
        let t = Instant::now();
        let o = env.run(args);
        assert!(t.elapsed() < Duration::from_secs(1), "{args:?} took {:?}", t.elapsed());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("not a regular file"), "{args:?}: {}", err(&o));
        assert!(!err(&o).contains("os error"), "{args:?}: {}", err(&o));
    }
}

#[test]
fn random_bytes_as_policy_or_audit_log_never_grow_memory() {
    let env = Env::lab();
    // 4 MB of pseudo-random bytes (xorshift) and a 256 MiB file of zeros
    // without a newline (sparse: one endless line, the worst case for a line reader).
    let junk = env.dir.join("junk");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut bytes = Vec::with_capacity(4 << 20);
    while bytes.len() < 4 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(&junk, &bytes).unwrap();
    let endless = env.dir.join("endless");
    std::fs::File::create(&endless).unwrap().set_len(256 << 20).unwrap();
    // Under a 128 MiB address-space limit, reading either file whole would fail.
    let limited = |args: &[&str]| {
        let mut c = env.command_for(std::path::Path::new("sh"));
        c.arg("-c").arg("ulimit -v 131072; exec \"$0\" \"$@\"").arg(env!("CARGO_BIN_EXE_fwctl")).args(args);
        c.output().unwrap()
    };
    for f in [&junk, &endless] {
        let p = f.to_str().unwrap();
        let o = limited(&["policy", "check", p]);
        assert_eq!(o.status.code(), Some(2), "{p}: {}", err(&o));
        assert!(err(&o).contains("larger than 1048576 bytes"), "{}", err(&o));
        let o = limited(&["audit", "--audit-log", p, "--tail", "1"]);
        assert_eq!(o.status.code(), Some(0), "{p}: {}", err(&o));
        assert!(err(&o).contains("skipped unparsable line(s)"), "{}", err(&o));
        assert!(err(&o).contains("0 record(s)"), "{}", err(&o));
    }
}

#[test]
fn devices_by_pci_address_and_identity_in_text() {
    let env = Env::lab();
    let by_name = crate::cli_common::out(&env.run(&["info", "fwctl0"]));
    for dev in ["0000:08:00.0", "08:00.0"] {
        let o = env.run(&["info", dev]);
        assert_eq!(o.status.code(), Some(0), "{dev}: {}", err(&o));
        assert_eq!(crate::cli_common::out(&o), by_name, "{dev} names fwctl0");
    }
    assert!(by_name.contains("firmware:    28.39.1002\n"), "{by_name}");
    assert!(by_name.contains("psid:        MT_0000000838\n"), "{by_name}");
    assert!(by_name.contains("serial:      MT2251X00001\n"), "{by_name}");
    assert!(by_name.contains("parent:      0000:08:00.0\n"), "{by_name}");
    let o = env.run(&["rpc", "0000:09:00.0", "00"]);
    assert_eq!(o.status.code(), Some(4), "{}", err(&o));
    assert!(err(&o).contains("no fwctl device has the parent 0000:09:00.0"), "{}", err(&o));
    let list = crate::cli_common::out(&env.run(&["list"]));
    let header: Vec<&str> = list.lines().next().unwrap_or_default().split_whitespace().collect();
    assert_eq!(header[..7], ["DEVICE", "TYPE", "PARENT", "DRIVER", "FIRMWARE", "PSID", "SERIAL"], "{list}");
    let row: Vec<&str> = list.lines().nth(1).unwrap_or_default().split_whitespace().collect();
    assert_eq!(
        row[..7],
        ["fwctl0", "mlx5", "0000:08:00.0", "mlx5_fwctl", "28.39.1002", "MT_0000000838", "MT2251X00001"],
        "{list}"
    );
}

#[test]
fn an_unopenable_audit_log_is_one_worded_line() {
    let env = Env::lab();
    // /proc: the state directory exists and is trusted, but no file can be made in it.
    let o = env.run(&["--simulate", "--state-dir", "/proc", "taint"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let first = err(&o).lines().next().unwrap_or_default().to_string();
    assert!(first.starts_with("fwctl: error: audit log: cannot open /proc/audit.log: "), "{first}");
    assert!(!err(&o).contains("os error") && first.matches("/proc/audit.log").count() == 1, "{}", err(&o));
}
