//! Fuzz the policy loader: any text must load or give a `PolicyError` whose
//! message renders (file:line:column and a hint); nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = fwctl_core::policy::load_str(text, "fuzz.toml") {
        let _ = e.to_string();
    }
});
