//! Fuzz the `fwctl rpc` HEX grammar: any text parses to bytes or gives a
//! one-line error naming a token and column; bytes printed with `to_hex` parse
//! back to themselves.

#![no_main]

use fwctl_cli::cli::hexpayload::{parse_text, to_hex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match parse_text(text) {
            Ok(bytes) => assert!(!bytes.is_empty()),
            Err(e) => assert!(!e.to_string().contains('\n')),
        }
    }
    if !data.is_empty() {
        assert_eq!(parse_text(&to_hex(data)).ok().as_deref(), Some(data));
    }
});
