//! Fuzz the ioctl dispatcher: the input is split into an ioctl number, a scope
//! of caller credentials and an argument struct of any length, laid out in an
//! address space that also maps an `in` and an `out` buffer. Every call must end
//! in success or one of the dispatcher's errnos, and the handle must keep working.

#![no_main]

use std::sync::{Arc, OnceLock};

use fwctl_core::{Credentials, Errno, Handle, SegmentMemory, Subsystem};
use fwctl_tests::echo::EchoDriver;
use libfuzzer_sys::fuzz_target;

const ARG: u64 = 0x1000;
const IN: u64 = 0x10_0000;
const OUT: u64 = 0x20_0000;

fn handle() -> &'static Handle {
    static H: OnceLock<Handle> = OnceLock::new();
    H.get_or_init(|| {
        let fw = Subsystem::new();
        fw.set_log(Arc::new(|_: &str| {}));
        let minor = fw.register(Arc::new(EchoDriver::new())).expect("register");
        fw.open(minor, &Credentials::default()).expect("open")
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let cmd = match data[0] % 4 {
        0 => 0x9A00,
        1 => 0x9A01,
        2 => 0x9A00 | u32::from(data[1]),
        _ => u32::from_ne_bytes([data[1], data[2], data[3], data[4]]),
    };
    let creds = Credentials { cap_sys_rawio: data[1] & 1 == 1, ..Default::default() };
    let mut mem = SegmentMemory::new();
    mem.map_owned(ARG, data[5..].to_vec()).map_owned(IN, vec![0x11; 64]).map_owned(OUT, vec![0x22; 64]);
    let h = handle();
    let r = h.ioctl(&creds, cmd, ARG, &mut mem);
    let allowed = [
        Errno::ENOTTY,
        Errno::EFAULT,
        Errno::EINVAL,
        Errno::E2BIG,
        Errno::EOPNOTSUPP,
        Errno::EMSGSIZE,
        Errno::EPERM,
    ];
    assert!(r.is_ok() || r.is_err_and(|e| allowed.contains(&e)), "{r:?}");
    let mut out = [0u8; 4];
    assert_eq!(h.rpc(&Credentials::default(), 0, b"okay", &mut out).map(|r| r.out_len), Ok(4));
});
