//! Instructions per FWCTL_RPC through `Handle::ioctl` with the echo driver
//! (16-byte request and response), for `valgrind --tool=callgrind`, whose
//! counts are stable on a noisy machine where wall time is not.
//!
//! The program runs `FWCTL_CALLGRIND_RPCS` RPCs (default 10,000) after one
//! checked warm-up call. Instructions per RPC are the difference of two runs
//! divided by the difference of their counts, so set-up cancels out:
//!
//! ```text
//! cargo bench -p fwctl-tests --bench core_callgrind --no-run   # prints the binary's path
//! FWCTL_CALLGRIND_RPCS=10000 valgrind --tool=callgrind --callgrind-out-file=/tmp/a.out BIN
//! FWCTL_CALLGRIND_RPCS=20000 valgrind --tool=callgrind --callgrind-out-file=/tmp/b.out BIN
//! # (Ir of b - Ir of a) / 10000, each Ir from the "summary:" line of the file
//! ```
//!
//! Run without valgrind it prints the count it ran.
//!
//! `FWCTL_CALLGRIND_AUDIT=<file>` installs an audit log at `<file>` (level
//! `all`, the default policy's: one line per RPC with its SHA-256), so the same
//! difference gives the instructions the audit record costs per RPC (issue 11).
//! With `FWCTL_CALLGRIND_AUDIT_STAGED=1` as well, the calling thread opts in to
//! write-behind ([`fwctl_core::hooks::WriteBehind`]) and flushes after each RPC,
//! as fwctld's connection threads do after each reply.

use std::sync::Arc;

use fwctl_core::uapi::{FWCTL_RPC, FwctlRpc};
use fwctl_core::{Credentials, RpcScope, SegmentMemory, Subsystem};
use fwctl_tests::bench::keep;
use fwctl_tests::echo::EchoDriver;
use zerocopy::IntoBytes;

fn main() {
    let rpcs: u64 = std::env::var("FWCTL_CALLGRIND_RPCS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    let minor = fw.register(Arc::new(EchoDriver::new())).expect("register the echo driver");
    let audit = std::env::var_os("FWCTL_CALLGRIND_AUDIT").map(|path| {
        let log = fwctl_core::audit::AuditLog::open(std::path::Path::new(&path), Default::default())
            .expect("open the audit log");
        fw.set_hooks(fwctl_core::hooks::Hooks { policy: None, audit: Some(Arc::new(log)) });
    });
    let staged = (audit.is_some() && std::env::var_os("FWCTL_CALLGRIND_AUDIT_STAGED").is_some())
        .then(fwctl_core::hooks::WriteBehind::begin);
    let creds = Credentials { comm: "core_callgrind".into(), ..Default::default() };
    let handle = fw.open(minor, &creds).expect("open the echo device");
    const ARG: u64 = 0x1000;
    const IN: u64 = 0x2000;
    const OUT: u64 = 0x3000;
    let arg = FwctlRpc {
        size: 32,
        scope: RpcScope::Configuration as u32,
        in_len: 16,
        out_len: 16,
        in_: IN,
        out: OUT,
    };
    let request: Vec<u8> = (0u8..16).collect();
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, arg.as_bytes().to_vec()).map_ro(IN, &request).map_owned(OUT, vec![0; 16]);
    handle.ioctl(&creds, FWCTL_RPC, ARG, &mut mem).expect("the warm-up RPC succeeds");
    assert_eq!(mem.segment(OUT), Some(&request[..]), "the echo came back");
    for _ in 0..rpcs {
        keep(handle.ioctl(&creds, FWCTL_RPC, keep(ARG), &mut mem)).ok();
        if staged.is_some() {
            fwctl_core::hooks::flush_staged();
        }
    }
    println!("core_callgrind: {rpcs} FWCTL_RPC calls");
}
