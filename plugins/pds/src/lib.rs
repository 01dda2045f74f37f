//! # fwctl-pds
//!
//! The pds plugin (`pds.c`: a simulated AMD/Pensando DSC served as the
//! kernel's pds fwctl driver serves the real one; see `Documentation/pds.md`)
//! compiled into this crate, so `fwctl` (embedded transport) and `fwctld`
//! (built-in driver `pds`) serve it without a library file. The same source
//! is what `cc -shared` builds into `libpds.so` for `--plugin`.
//!
//! The C entry point is renamed to `fwctl_pds_plugin_v1` at compile time; the
//! host validates the vtable it returns exactly as for a loaded library
//! (`PluginLibrary::from_linked`).
#![allow(unsafe_code)]

use fwctl_plugin_sdk::abi::VTable;

unsafe extern "C" {
    /// `fwctl_plugin_v1` of `pds.c`, renamed.
    fn fwctl_pds_plugin_v1() -> *const VTable;
}

/// The pds plugin's vtable (ABI version 2, `rpc_v2`).
pub fn vtable() -> Option<&'static VTable> {
    // SAFETY: the entry point takes no arguments and returns the address of
    // a `static const` vtable in pds.c (or NULL, which `as_ref` maps to None);
    // a static lives as long as the process.
    unsafe { fwctl_pds_plugin_v1().as_ref() }
}
