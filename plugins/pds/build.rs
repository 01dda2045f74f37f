//! Compile `pds.c` (the C plugin) into a static library linked into this
//! crate, with its entry symbol renamed to `fwctl_pds_plugin_v1` so it cannot
//! clash with another plugin's `fwctl_plugin_v1` in the same binary. Uses the
//! system C compiler (`$CC`, else `cc`) and `ar`; the header comes from
//! fwctl-plugin-sdk (`DEP_FWCTL_PLUGIN_INCLUDE`).

use std::path::PathBuf;
use std::process::Command;

fn run(cmd: &mut Command) {
    let shown = format!("{cmd:?}");
    match cmd.status() {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("{shown} failed: {s}"),
        Err(e) => panic!("{shown} could not run: {e}"),
    }
}

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let include =
        std::env::var("DEP_FWCTL_PLUGIN_INCLUDE").expect("fwctl-plugin-sdk exports its include dir");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let obj = out.join("pds.o");
    run(Command::new(&cc)
        .args([
            "-c",
            "-fPIC",
            "-O2",
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-Dfwctl_plugin_v1=fwctl_pds_plugin_v1",
            "-I",
            &include,
            "pds.c",
            "-o",
        ])
        .arg(&obj));
    let lib = out.join("libfwctl_pds_c.a");
    let _ = std::fs::remove_file(&lib);
    run(Command::new(std::env::var("AR").unwrap_or_else(|_| "ar".into())).arg("crs").arg(&lib).arg(&obj));
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=fwctl_pds_c");
    println!("cargo:rustc-link-lib=pthread");
    println!("cargo:rerun-if-changed=pds.c");
    println!("cargo:rerun-if-changed={include}/fwctl_plugin.h");
    println!("cargo:rerun-if-env-changed=CC");
}
