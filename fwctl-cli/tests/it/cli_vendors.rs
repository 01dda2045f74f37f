//! `fwctl pds` and `fwctl bnxt` with the real binaries: the simulated pds DSC
//! (fwctl2) and bnxt function (fwctl3) of the embedded default set, and the
//! same commands through a real fwctld whose built-in configuration serves
//! them, with the caller's payload / DMA buffers mapped on both transports.

use crate::cli_common::{Env, err, json, out};
use fwctl_tests::daemon::Fwctld;

const BUILTIN: &str = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n\n[[device]]\nname = \"cxl0\"\ndriver = \"cxl-sim\"\n\n\
                       [[device]]\nname = \"dsc0\"\ndriver = \"pds\"\n\n[[device]]\nname = \"bnxt0\"\ndriver = \"bnxt-sim\"\n";

#[test]
fn bnxt_ver_nvm_and_hwrm_on_the_simulated_function() {
    let env = Env::open();
    let o = env.run(&["--simulate", "bnxt", "fwctl3", "ver"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("using scope debug-read-only, the lowest the driver allows for VER_GET"),
        "{}",
        err(&o)
    );
    assert!(out(&o).contains("firmware:            230.0.154.0"), "{}", out(&o));
    assert!(out(&o).contains("HWRM interface:      1.10.3.151"), "{}", out(&o));
    let v = json(&env.run(&["--simulate", "bnxt", "fwctl3", "ver", "--json"]));
    assert_eq!((v["firmware"].as_str(), v["chip_num"].as_str()), (Some("230.0.154.0"), Some("0x1750")));
    // Below VER_GET's scope: refused (exit 3) naming the scope the driver needs
    // (the policy's driver allow-list answers EBADMSG before the driver's EPERM).
    let o = env.run(&["--simulate", "bnxt", "fwctl3", "--scope", "configuration", "ver"]);
    assert_eq!(o.status.code(), Some(3), "{}", out(&o));
    assert!(err(&o).contains("VER_GET needs scope debug-read-only"), "{}", err(&o));
    // The NVM directory through a 64 KiB DMA buffer, then one item read into another.
    let v = json(&env.run(&["--simulate", "bnxt", "fwctl3", "nvm-dir", "--json"]));
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "{v}");
    assert_eq!((entries[1]["type"].as_u64(), entries[1]["data_length"].as_u64()), (Some(4), Some(8192)));
    let v = json(&env.run(&["--simulate", "bnxt", "fwctl3", "nvm-read", "1", "--len", "16", "--json"]));
    assert_eq!((v["error_code"].as_u64(), v["data"].as_str().map(str::len)), (Some(0), Some(32)), "{v}");
    // A firmware failure is in-band: exit 1 with the HWRM error named.
    let o = env.run(&["--simulate", "bnxt", "fwctl3", "nvm-read", "99", "--len", "16"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("INVALID_PARAMS"), "{}", out(&o));
    // Any HWRM request by name; an unmodelled one answers CMD_NOT_SUPPORTED in-band.
    let o = env.run(&["--simulate", "bnxt", "fwctl3", "hwrm", "temp_monitor_query"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        out(&o).starts_with(
            "fwctl3: HWRM_TEMP_MONITOR_QUERY (0x00e0) at scope debug-read-only: CMD_NOT_SUPPORTED (0xffff)"
        ),
        "{}",
        out(&o)
    );
    let o = env.run(&["--simulate", "bnxt", "fwctl3", "hwrm", "no_such_thing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("'no_such_thing' is not an HWRM request type"), "{}", err(&o));
    // The driver's table: all 104 request types.
    let v = json(&env.run(&["--simulate", "bnxt", "fwctl3", "commands", "--json"]));
    assert_eq!(v["commands"].as_array().unwrap().len(), 104);
    // Another device type is refused.
    let o = env.run(&["--simulate", "bnxt", "fwctl1", "ver"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("fwctl1 is not a bnxt device (type 2)"), "{}", err(&o));
}

#[test]
fn pds_endpoints_ops_and_call_on_the_simulated_dsc() {
    let env = Env::open();
    let v = json(&env.run(&["--simulate", "pds", "fwctl2", "endpoints", "--json"]));
    let eps: Vec<u64> =
        v["endpoints"].as_array().unwrap().iter().map(|e| e["endpoint"].as_u64().unwrap()).collect();
    assert_eq!(eps, [1, 2, 7]);
    let o = env.run(&["--simulate", "pds", "fwctl2", "ops", "7"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("0x70      debug.mem_read            debug-read-only"), "{}", out(&o));
    assert!(out(&o).contains("0x71      debug.mem_write           debug-write-full"), "{}", out(&o));
    // get_param 3 through the payload pointers: 103 (0x67) comes back in out.payload.
    let v = json(&env.run(&[
        "--simulate",
        "pds",
        "fwctl2",
        "call",
        "1",
        "0x1",
        "03000000",
        "--out-len",
        "4",
        "--json",
    ]));
    assert_eq!((v["retval"].as_u64(), v["payload"].as_str()), (Some(0), Some("67000000")), "{v}");
    // set_param 3 = 7, then get_param 3 sees it (state kept within one process only,
    // so both in one daemon below); an unknown index is in-band retval 1, exit 1.
    let o = env.run(&["--simulate", "pds", "fwctl2", "call", "1", "0x1", "63000000", "--out-len", "4"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    // A tainting operation needs --yes.
    let o = env.run(&[
        "--simulate",
        "pds",
        "fwctl2",
        "call",
        "7",
        "0x71",
        "00000000",
        "01000000",
        "--out-len",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn pds_and_bnxt_through_fwctlds_built_in_configuration() {
    // The built-in configuration's four devices (config.rs `Config::builtin`).
    let d = Fwctld::start(BUILTIN, &[]);
    let env = Env::open();
    let run =
        |args: &[&str]| env.command().env("FWCTL_RUNTIME_DIR", &d.runtime_dir).args(args).output().unwrap();
    let o = run(&["--transport", "daemon", "list"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let types: Vec<String> =
        out(&o).lines().skip(1).map(|l| l.split_whitespace().nth(1).unwrap().to_string()).collect();
    assert_eq!(types, ["mlx5", "cxl", "pds", "bnxt"]);
    let o = run(&["--transport", "daemon", "bnxt", "fwctl3", "ver"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("230.0.154.0"), "{}", out(&o));
    // DMA buffers through the daemon's frame memory.
    let v = json(&run(&["--transport", "daemon", "bnxt", "fwctl3", "nvm-read", "2", "--len", "8", "--json"]));
    assert_eq!((v["error_code"].as_u64(), v["data"].as_str().map(str::len)), (Some(0), Some(16)), "{v}");
    let embedded = json(&env.run(&["--simulate", "bnxt", "fwctl3", "nvm-read", "2", "--len", "8", "--json"]));
    assert_eq!(v["data"], embedded["data"], "the same NVM image on both transports");
    // pds payloads through the daemon: set then get in the daemon's firmware.
    let o = run(&[
        "--transport",
        "daemon",
        "pds",
        "fwctl2",
        "call",
        "1",
        "0x2",
        "03000000",
        "07000000",
        "--op-version",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v = json(&run(&[
        "--transport",
        "daemon",
        "pds",
        "fwctl2",
        "call",
        "1",
        "0x1",
        "03000000",
        "--out-len",
        "4",
        "--json",
    ]));
    assert_eq!(v["payload"].as_str(), Some("07000000"), "{v}");
    let v = json(&run(&["--transport", "daemon", "pds", "fwctl2", "ops", "2", "--json"]));
    assert_eq!(v["operations"].as_array().unwrap().len(), 2, "{v}");
    let (status, _) = d.stop();
    assert!(status.success(), "{status:?}");
}
