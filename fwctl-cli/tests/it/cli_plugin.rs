//! End-to-end tests of `fwctl plugin check` and `fwctl plugin list` with the real
//! binary: the C pds-sim plugin (compiled here with `cc`) passes its self-test and
//! can be loaded into the embedded subsystem; broken files fail by name.

use crate::cli_common;

use cli_common::{Env, err, json, out};
use fwctl_tests::plugins;

#[test]
fn plugin_check_passes_the_c_pds_sim_plugin() {
    let dir = plugins::TempDir::new("cli-plugin-check");
    let lib = plugins::pds_sim(dir.path());
    let env = Env::open();
    let o = env.run(&["plugin", "check", lib.to_str().unwrap(), "--config", "devices=2"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(text.starts_with(&format!("plugin {}\n", lib.display())), "{text}");
    assert!(text.contains("  device type: pds ("), "{text}");
    assert!(text.contains("  ok    probe 'devices=2': 2 device(s)"), "{text}");
    assert!(text.contains("  ok    device 1 close: context released"), "{text}");
    assert!(text.ends_with("result: ok\n"), "{text}");
    let o = env.run(&["plugin", "check", lib.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["ok"], true);
    assert_eq!(v["plugin"]["device_type"], "pds");
    assert_eq!(v["plugin"]["abi_version"], 2);
    assert!(v["steps"].as_array().unwrap().iter().all(|s| s["ok"] == true), "{v}");
    // A probe configuration the plugin rejects is a problem too.
    let o = env.run(&["plugin", "check", lib.to_str().unwrap(), "--config", "devices=99"]);
    assert_eq!(o.status.code(), Some(3), "{}", out(&o));
    assert!(out(&o).contains("result: FAILED"), "{}", out(&o));
}

#[test]
fn plugin_check_names_the_problem_of_a_broken_file() {
    let dir = plugins::TempDir::new("cli-plugin-broken");
    let env = Env::open();
    // Not a shared object.
    let text = dir.path().join("libtext.so");
    std::fs::write(&text, "this is not ELF\n").unwrap();
    plugins::set_mode(&text, 0o644);
    let o = env.run(&["plugin", "check", text.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", out(&o));
    assert!(out(&o).contains("  error [not-shared-object]: not a shared object: "), "{}", out(&o));
    assert!(
        err(&o).contains(&format!("fwctl: error: plugin {} failed the check", text.display())),
        "{}",
        err(&o)
    );
    // Writable by others: refused before it is ever loaded.
    let lib = plugins::pds_sim(dir.path());
    plugins::set_mode(&lib, 0o666);
    let o = env
        .command()
        .args(["plugin", "check", lib.to_str().unwrap(), "--json"])
        .env_remove(fwctl_core::plugin::INSECURE_ENV)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let v = json(&o);
    assert_eq!(v["ok"], false);
    assert!(v["error"]["message"].as_str().unwrap().contains("writable by group/others"), "{v}");
    // Missing: a usage error.
    let o = env.run(&["plugin", "check", "/nonexistent/libnothing.so"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("plugin file not found: /nonexistent/libnothing.so"), "{}", out(&o));
}

#[test]
fn plugin_list_shows_what_the_embedded_subsystem_loaded_and_where_from() {
    let env = Env::open();
    let o = env.run(&["plugin", "list"]);
    assert_eq!(o.status.code(), Some(0));
    // The default set's CXL, pds and bnxt devices come through the plugin ABI
    // (linked-in vtables: two Rust SDK plugins and the pds C plugin).
    assert!(
        out(&o).starts_with(
            "cxl-sim 1.0 (cxl, abi 2) from <static:cxl-sim>: 1 device(s) [fwctl1] ok\n\
             pds 1.0 (pds, abi 2) from <static:pds>: 1 device(s) [fwctl2] ok\n\
             bnxt-sim 1.0 (bnxt, abi 2) from <static:bnxt-sim>: 1 device(s) [fwctl3] ok\n"
        ),
        "{}",
        out(&o)
    );

    let dir = plugins::TempDir::new("cli-plugin-list");
    let lib = plugins::pds_sim(dir.path());
    let spec = format!("{}?devices=2", lib.display());
    let o = env.run(&["--plugin", &spec, "plugin", "list", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v = json(&o);
    let path = std::fs::canonicalize(&lib).unwrap().display().to_string();
    let p = v["plugins"].as_array().unwrap().iter().find(|p| p["path"] == path.as_str()).unwrap();
    assert_eq!(p["device_type"], "pds");
    assert_eq!(p["live_devices"], 2);
    assert_eq!(p["devices"], serde_json::json!(["fwctl4", "fwctl5"]));
    let o = env.run(&["--plugin", &spec, "plugin", "list"]);
    assert!(
        out(&o).contains(&format!(
            "from {}: 2 device(s) [fwctl4, fwctl5] ok",
            std::fs::canonicalize(&lib).unwrap().display()
        )),
        "{}",
        out(&o)
    );
    // The plugin's devices are ordinary devices: listed, with the plugin as driver.
    let o = env.run(&["--plugin", &spec, "list", "--json"]);
    let devs = json(&o)["devices"].as_array().unwrap().clone();
    assert_eq!(devs.len(), 6);
    assert_eq!(devs[4]["type"], "pds");
    assert!(devs[4]["driver"].as_str().unwrap().ends_with("(plugin)"), "{:?}", devs[4]);
    // A broken --plugin is an error, not a silent omission.
    let o = env.run(&["--plugin", "/nonexistent/libnothing.so", "list"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(err(&o).contains("--plugin /nonexistent/libnothing.so: plugin file not found"), "{}", err(&o));
}

#[test]
fn plugin_check_runs_the_plugin_in_a_child_and_names_a_crash() {
    let _env = Env::open(); // the shared CLI test environment (lock, runtime dir)
    let dir = plugins::TempDir::new("cli-plugin-hostile");
    for (how, kind, detail) in [
        ("segv", "crashed", "signal 11 (SIGSEGV)"),
        ("abort", "crashed", "signal 6 (SIGABRT)"),
        ("exit", "exited", "exit status 0"),
        ("sleep", "hung", "within 2 s"),
    ] {
        let lib = plugins::fixture(dir.path(), &format!("hostile-{how}"), &format!("PROBE_CRASH={how}"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_fwctl"))
            .args(["plugin", "check", lib.to_str().unwrap()])
            .env("FWCTL_PLUGIN_CHECK_TIMEOUT", "2")
            .env("FWCTL_STATE_DIR", dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(3), "{how}: {}{}", out(&o), err(&o));
        let text = out(&o);
        assert!(text.contains(&format!("error [{kind}]")) && text.contains(detail), "{how}: {text}");
        assert!(text.ends_with("result: FAILED\n"), "{how}: {text}");
        assert!(err(&o).contains(&format!("failed the check: {kind}")), "{how}: {}", err(&o));
    }
}
