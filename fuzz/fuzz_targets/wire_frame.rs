//! Fuzz the daemon's wire decoding: frame headers, whole frames from a byte
//! stream, and ioctl request payloads with their memory segments. Every input
//! must decode or give a `WireError`; nothing may panic or allocate beyond the
//! frame cap.

#![no_main]

use fwctl_core::server::wire;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() >= wire::HEADER_LEN {
        let mut h = [0u8; wire::HEADER_LEN];
        h.copy_from_slice(&data[..wire::HEADER_LEN]);
        let _ = wire::decode_header(&h);
    }
    let mut stream = data;
    let mut payload = Vec::new();
    while wire::read_frame(&mut stream, &mut payload).is_ok() {}
    let _ = wire::decode_ioctl(data);
});
