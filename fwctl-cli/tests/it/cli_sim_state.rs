//! The simulated device keeps its state from one `fwctl --simulate` run to the
//! next (a state file beside the taint record), `fwctl sim reset` forgets it,
//! and a state file that cannot be used is ignored with a warning, never fatal
//! and never overwritten. All through the real binary.

use std::process::Output;

use crate::cli_common::{Env, err, json, raw_err};

const STATE_FILE: &str = "mlx5-sim-state.json";

fn sim(env: &Env, args: &[&str]) -> Output {
    let mut all = vec!["--simulate"];
    all.extend_from_slice(args);
    let o = env.run(&all);
    assert_eq!(o.status.code(), Some(0), "{all:?}: {}", raw_err(&o));
    o
}

/// A register field as `reg read --json` reports it.
fn field(env: &Env, register: &str, name: &str) -> u64 {
    let o = sim(env, &["mlx5", "fwctl0", "reg", "read", register, "--json"]);
    let v = json(&o);
    v["fields"][format!("register_data.{name}")].as_u64().unwrap_or_else(|| panic!("{name} in {v}"))
}

#[test]
fn a_register_write_is_seen_by_the_next_run_until_sim_reset() {
    let env = Env::open();
    // PAOS admin_status: 1 up (power-on), 2 down (mlx5_ifc.h paos_reg, MLX5_PORT_UP/DOWN).
    assert_eq!(field(&env, "PAOS", "admin_status"), 1);
    let w = sim(&env, &["mlx5", "fwctl0", "reg", "write", "PAOS", "admin_status=2"]);
    // Firmware applies admin_status only with ase set: the CLI sets it and says so.
    assert!(err(&w).contains("also setting ase=1"), "{}", err(&w));
    assert_eq!(field(&env, "PAOS", "admin_status"), 2, "a new process sees the write");
    assert_eq!(field(&env, "PAOS", "oper_status"), 2);
    // A field kept in the register-write table, and another port untouched.
    sim(&env, &["mlx5", "fwctl0", "reg", "write", "QPTS", "trust_state=2"]);
    assert_eq!(field(&env, "QPTS", "trust_state"), 2);
    let o = sim(&env, &["mlx5", "fwctl0", "reg", "read", "PAOS", "--port", "2", "--json"]);
    assert_eq!(json(&o)["fields"]["register_data.admin_status"], 1);

    let file = env.state().join(STATE_FILE);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!((doc["format"].as_str(), doc["version"].as_u64()), (Some("fwctl-mlx5-sim-state"), Some(1)));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);

    let o = sim(&env, &["sim", "reset"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("removed "), "{o:?}");
    assert!(!file.exists());
    assert_eq!(field(&env, "PAOS", "admin_status"), 1, "power-on state after the reset");
    assert_eq!(field(&env, "QPTS", "trust_state"), 1, "QPTS trust_state powers on as PCP (1)");
    // Nothing left to reset is not an error; JSON says what happened.
    std::fs::remove_file(&file).unwrap();
    let v = json(&sim(&env, &["sim", "reset", "--json"]));
    assert_eq!(v["removed"], false, "{v}");
}

#[test]
fn an_unusable_state_file_is_ignored_with_a_warning_and_left_alone() {
    let env = Env::open();
    std::fs::create_dir_all(env.state()).unwrap();
    let file = env.state().join(STATE_FILE);
    let big = vec![b' '; 5 << 20];
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("corrupt", b"{not json".to_vec(), "is not a simulator state file"),
        (
            "another version",
            br#"{"format":"fwctl-mlx5-sim-state","version":99,"snapshot":{}}"#.to_vec(),
            "version 99",
        ),
        (
            "another device",
            br#"{"format":"fwctl-mlx5-sim-state","version":1,"snapshot":{"version":1,"seed":77,"traffic":0,"port_admin":[2,2],"node_desc":[],"max_temp":0,"register_writes":[],"nv_config":[],"cong_status":[],"function_caps":[],"vport_clears":[],"port_clears":[],"cong_clear":null}}"#.to_vec(),
            "seed 77",
        ),
        ("too large", big, "larger than"),
    ];
    for (what, bytes, why) in cases {
        std::fs::write(&file, &bytes).unwrap();
        let o = sim(&env, &["mlx5", "fwctl0", "reg", "read", "PAOS", "--json"]);
        let e = err(&o);
        assert!(e.contains("fwctl: warning: ignoring the simulated device's saved state"), "{what}: {e}");
        assert!(e.contains(why), "{what}: {e}");
        assert_eq!(json(&o)["fields"]["register_data.admin_status"], 1, "{what}: power-on state");
        // Not overwritten by this run (a newer fwctl's file survives an older one).
        assert_eq!(std::fs::read(&file).unwrap(), bytes, "{what}");
    }
    // A symbolic link is not followed.
    std::fs::remove_file(&file).unwrap();
    let target = env.dir.join("elsewhere.json");
    std::fs::write(&target, b"{}").unwrap();
    std::os::unix::fs::symlink(&target, &file).unwrap();
    let o = sim(&env, &["mlx5", "fwctl0", "reg", "read", "PAOS"]);
    assert!(err(&o).contains("ignoring the simulated device's saved state"), "{}", err(&o));
    assert_eq!(std::fs::read(&target).unwrap(), b"{}");
    // `sim reset` removes whatever is there (the link itself), and the next run saves again.
    sim(&env, &["sim", "reset"]);
    assert!(std::fs::symlink_metadata(&file).is_err() && target.exists());
    sim(&env, &["mlx5", "fwctl0", "reg", "read", "PAOS"]);
    assert!(file.exists());
}

#[test]
fn pbmc_pptb_and_pplm_writes_persist_across_runs_and_bad_values_are_refused() {
    let env = Env::open();
    // PBMC buffer 1: lossless, 400 cells, xoff 300, xon 290 (mlx5_ifc.h bufferx_reg; cells).
    let set = ["buffer0.lossy=1", "buffer0.size=600", "buffer1.size=400"];
    let mut args = vec!["mlx5", "fwctl0", "reg", "write", "PBMC"];
    args.extend(set);
    args.extend(["buffer1.xoff_threshold=300", "buffer1.xon_threshold=290"]);
    sim(&env, &args);
    assert_eq!(field(&env, "PBMC", "buffer0.size"), 600, "a new process sees the write");
    assert_eq!(field(&env, "PBMC", "buffer1.xoff_threshold"), 300);
    // Sizes past port_buffer_size (2048 cells): firmware's BAD_PARAM, and the state is kept.
    let o = env.run(&["--simulate", "mlx5", "fwctl0", "reg", "write", "PBMC", "buffer0.size=3000"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("BAD_PARAM_ERR (0x03), syndrome 0x5d1f0003"), "{out}");
    assert_eq!(field(&env, "PBMC", "buffer1.size"), 400);
    // PPTB: priority 1 to buffer 1 (pm bit 1); untagged frames to buffer 1 (um set by the CLI).
    let w =
        sim(&env, &["mlx5", "fwctl0", "reg", "write", "PPTB", "pm=2", "prio_x_buff=0x10", "untagged_buff=1"]);
    assert!(err(&w).contains("also setting um=1"), "{}", err(&w));
    assert_eq!(field(&env, "PPTB", "prio_x_buff"), 0x10);
    assert_eq!(field(&env, "PPTB", "untagged_buff"), 1);
    // PPLM: RS-FEC (bit 2) at 25G.
    sim(&env, &["mlx5", "fwctl0", "reg", "write", "PPLM", "fec_override_admin_25g=4"]);
    assert_eq!(field(&env, "PPLM", "fec_override_admin_25g"), 4);
}
