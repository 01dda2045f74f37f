//! Export the directory of `fwctl_plugin.h` to crates that compile C plugins
//! against it (`DEP_FWCTL_PLUGIN_INCLUDE` in their build scripts).

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    println!("cargo:include={dir}/include");
    println!("cargo:rerun-if-changed=build.rs");
}
