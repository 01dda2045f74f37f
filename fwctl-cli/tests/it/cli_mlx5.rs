//! `fwctl` against the simulated mlx5 device: the real binary on the embedded
//! transport (golden outputs, README command, exit codes), and in-process runs
//! that read the simulator's command counter.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use crate::cli_common;

use std::io::Cursor;
use std::process::Output;

use fwctl_cli::cli::{self, Console, GlobalOpts, connect::Connected, exit::CliError};
use fwctl_core::transport::Embedded;
use fwctl_core::{Credentials, Subsystem};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig};
use serde_json::Value;

const QUERY_ADAPTER: [&str; 4] = ["01010000", "00000000", "00000000", "00000000"];
/// QUERY_HCA_CAP, op_mod 0x0001: the GENERAL page, current values.
const QUERY_HCA_CAP: [&str; 4] = ["01000000", "00000001", "00000000", "00000000"];

fn fwctl(args: &[&str]) -> Output {
    // An isolated environment whose policy narrows nothing, so these tests see
    // the driver's and the kernel's rules alone.
    cli_common::Env::open().run(args)
}

fn rpc(payload: &[&str], extra: &[&str]) -> Output {
    let mut args = vec!["rpc", "fwctl0"];
    args.extend_from_slice(payload);
    args.extend_from_slice(extra);
    fwctl(&args)
}

fn golden_path(name: &str) -> String {
    format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(golden_path(name)).unwrap()
}

/// `FWCTL_BLESS=1 cargo test -p fwctl-cli golden` rewrites the golden files from
/// what the binary prints now; review the diff before committing it.
fn blessing() -> bool {
    std::env::var_os("FWCTL_BLESS").is_some_and(|v| v == "1")
}

fn assert_golden_text(name: &str, got: &str) {
    if blessing() {
        std::fs::write(golden_path(name), got).unwrap();
    }
    assert_eq!(got, golden(name), "{name} (FWCTL_BLESS=1 rewrites it)");
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn readme_first_command_shows_the_decoded_adapter_identity() {
    let o = rpc(&QUERY_ADAPTER, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("status: OK (0x00), syndrome 0x00000000\nresponse: 272 bytes\n"), "{out}");
    // Vendor ids and PSID at the offsets of mlx5.md §7.2 (param block at byte 16).
    assert!(out.contains("00000020  00 00 00 00 00 00 00 00  00 00 02 c9 00 00 15 b3"), "{out}");
    assert!(out.contains("  ieee_vendor_id  0x2c9 (713)\n"), "{out}");
    assert!(out.contains("  vsd_vendor_id   0x15b3 (5555)\n"), "{out}");
    assert!(out.contains("  vsd_contd_psid  \"MT_0000000838\"\n"), "{out}");
}

#[test]
fn golden_hexdump_of_query_adapter_and_query_hca_cap() {
    assert_golden_text("query_adapter.hexdump", &text(&rpc(&QUERY_ADAPTER, &[]).stdout));
    assert_golden_text("query_hca_cap.hexdump", &text(&rpc(&QUERY_HCA_CAP, &["--format", "hexdump"]).stdout));
}

#[test]
fn golden_json_of_query_adapter_and_query_hca_cap() {
    for (payload, file) in [(QUERY_ADAPTER, "query_adapter.json"), (QUERY_HCA_CAP, "query_hca_cap.json")] {
        let o = rpc(&payload, &["--format", "json"]);
        assert_eq!(o.status.code(), Some(0));
        let got: Value = serde_json::from_slice(&o.stdout).unwrap();
        if blessing() {
            std::fs::write(golden_path(file), serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        }
        let want: Value = serde_json::from_str(&golden(file)).unwrap();
        assert_eq!(got, want, "{file}");
    }
    // The HCA cap page is decoded by name.
    let o = rpc(&QUERY_HCA_CAP, &["--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["description"]["name"], "QUERY_HCA_CAP");
    assert_eq!(v["decoded"]["capability.uctx_cap"], 7);
    assert_eq!(v["out_len"], 4112);
}

#[test]
fn out_len_defaults_to_the_mlx5_response_size_and_a_short_buffer_is_a_firmware_error() {
    let o = rpc(&QUERY_ADAPTER, &["--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["out_capacity"].as_u64(), v["truncated"].as_bool()), (Some(272), Some(false)));
    // The firmware refuses an output mailbox shorter than the command's (in-band).
    let o = rpc(&QUERY_ADAPTER, &["--out-len", "16", "--format", "hex"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).starts_with("# status: BAD_OUTP_LEN_ERR (0x51), syndrome 0x"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn raw_format_pipes_the_bytes_and_puts_the_status_on_stderr() {
    let o = rpc(&QUERY_ADAPTER, &["--format", "raw"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(o.stdout.len(), 272);
    assert_eq!(&o.stdout[256..269], b"MT_0000000838");
    assert_eq!(cli_common::err(&o), "status: OK (0x00), syndrome 0x00000000\n");
}

#[test]
fn verbose_prints_the_decoded_request_first() {
    let o = rpc(&QUERY_ADAPTER, &["-v"]);
    assert!(
        text(&o.stdout).starts_with(
            "request: QUERY_ADAPTER (opcode 0x0101, op_mod 0x0000), minimum scope configuration, effects read, response 272 bytes\nstatus: OK"
        ),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn a_firmware_error_status_exits_1() {
    // QUERY_HCA_CAP of a capability type the device does not have.
    let o = rpc(&["01000000", "000000fd", "00000000", "00000000"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("status: BAD_PARAM_ERR (0x03), syndrome 0x"), "{}", text(&o.stdout));
}

#[test]
fn a_command_below_its_minimum_scope_exits_3_naming_the_needed_scope() {
    // SET_DIAGNOSTIC_PARAMS needs debug-write.
    let o = rpc(&["08200000", "00000000", "00000000", "00000000"], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        cli_common::err(&o),
        "fwctl: error: rpc on fwctl0 at scope configuration: EBADMSG (Bad message)\n  \
         hint: SET_DIAGNOSTIC_PARAMS needs scope debug-write; add --scope debug-write\n"
    );
    // Shorter than the mailbox header: EMSGSIZE.
    let o = rpc(&["0101"], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("EMSGSIZE (Message too long)"), "{}", text(&o.stderr));
}

#[test]
fn list_and_info_say_embedded_and_decode_the_mlx5_device_data() {
    let o = fwctl(&["list"]);
    assert_eq!(
        text(&o.stdout),
        "DEVICE  TYPE  PARENT        DRIVER                 FIRMWARE       SERIAL                 STATE  TRANSPORT  TAINT\n\
         fwctl0  mlx5  0000:08:00.0  mlx5_fwctl             28.39.1002     MT2251X00001           live   embedded   -\n\
         fwctl1  cxl   mem0          cxl-sim 1.0 (plugin)   CXL-SIM 3.2.1  cxl-sim-mem0           live   embedded   -\n\
         fwctl2  pds   0000:b5:00.0  pds 1.0 (plugin)       1.67.0-C-8     FLM23190000            live   embedded   -\n\
         fwctl3  bnxt  0000:41:00.0  bnxt-sim 1.0 (plugin)  230.0.154.0    bnxt-sim-0000:41:00.0  live   embedded   -\n"
    );
    assert!(text(&o.stderr).contains("embedded transport"));
    let o = fwctl(&["info", "/dev/fwctl/fwctl0", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["type"].as_str(), v["device_data_len"].as_u64()), (Some("mlx5"), Some(8)));
    assert_eq!(v["decoded"]["uctx_caps_names"], serde_json::json!(["TOOLS_RESOURCES"]));
}

#[test]
fn tainting_scope_without_yes_is_refused_when_stdin_is_not_a_terminal() {
    let o = rpc(&QUERY_ADAPTER, &["--scope", "debug-write"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.starts_with("warning: scope debug-write taints the system"), "{err}");
    assert!(err.contains("about to send to fwctl0 at scope debug-write: QUERY_ADAPTER"), "{err}");
    assert!(o.stdout.is_empty());
    let o = rpc(&QUERY_ADAPTER, &["--scope", "debug-write", "--yes"]);
    assert_eq!(o.status.code(), Some(0));
}

/// `fwctl` in-process over a shared simulated device whose counter we can read.
fn run_inprocess(sub: &Subsystem, args: &[&str]) -> (u8, String) {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut stdin = Cursor::new(Vec::new());
    let mut console = Console {
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin: &mut stdin,
        stdin_is_terminal: false,
        stderr_is_terminal: false,
    };
    let connector = |_: &GlobalOpts| -> Result<Connected, CliError> {
        Ok(Connected::new(Embedded::with_credentials(sub.clone(), Credentials::default()), "test"))
    };
    let argv: Vec<&str> = std::iter::once("fwctl").chain(args.iter().copied()).collect();
    let code = cli::run(argv, &mut console, &connector);
    (code, String::from_utf8(stdout).unwrap())
}

#[test]
fn dry_run_never_reaches_the_simulated_firmware() {
    let dev = Mlx5Device::new(SimConfig::default()).unwrap();
    let sub = Subsystem::new();
    sub.register(dev.clone().into_driver()).unwrap();
    let mut qa = vec!["rpc", "fwctl0"];
    qa.extend(QUERY_ADAPTER);

    // Opening and closing a handle costs CREATE_UCTX + DESTROY_UCTX; measure it.
    let before = dev.commands_seen();
    assert_eq!(run_inprocess(&sub, &["info", "fwctl0"]).0, 0);
    let open_close = dev.commands_seen() - before;

    for scope in ["configuration", "debug-write", "debug-write-full"] {
        let before = dev.commands_seen();
        let mut args = qa.clone();
        args.extend(["--dry-run", "--scope", scope]);
        let (_, out) = run_inprocess(&sub, &args);
        assert!(out.ends_with("nothing was sent\n"), "{out}");
        assert_eq!(dev.commands_seen() - before, open_close, "dry run at {scope} reached the firmware");
    }
    assert!(!sub.taint().is_tainted(), "a dry run tainted");

    // The same request without --dry-run is one more firmware command.
    let before = dev.commands_seen();
    assert_eq!(run_inprocess(&sub, &qa).0, 0);
    assert_eq!(dev.commands_seen() - before, open_close + 1);
}

#[test]
fn typed_mlx5_commands_pick_their_scope_say_so_and_decode_fields() {
    let cases: [(&[&str], &str, &str, &str); 10] = [
        (&["query-adapter"], "configuration", "QUERY_ADAPTER", "  vsd_contd_psid  \"MT_0000000838\"\n"),
        (
            &["hca-cap", "--type", "DEBUG", "--mode", "max"],
            "configuration",
            "QUERY_HCA_CAP",
            "capability.log_max_samples",
        ),
        (&["hca-cap", "--type", "0"], "configuration", "QUERY_HCA_CAP", "capability.uctx_cap"),
        (&["issi"], "debug-read-only", "QUERY_ISSI", "current_issi"),
        (&["vport-state"], "debug-read-only", "QUERY_VPORT_STATE", "admin_state"),
        (
            &["nic-vport"],
            "debug-read-only",
            "QUERY_NIC_VPORT_CONTEXT",
            "nic_vport_context.mtu                0x5dc (1500)",
        ),
        (&["vport-counters"], "debug-read-only", "QUERY_VPORT_COUNTER", "received_errors.packets"),
        (
            &["reg", "read", "PAOS", "--port", "1"],
            "debug-read-only",
            "ACCESS_REG",
            "register_data.local_port    1",
        ),
        (&["diag", "params"], "debug-read-only", "QUERY_DIAGNOSTIC_PARAMS", "context.num_of_counters"),
        (&["nop"], "debug-read-only", "NOP", ""),
    ];
    for (cmd, scope, name, field) in cases {
        let mut args = vec!["mlx5", "fwctl0"];
        args.extend_from_slice(cmd);
        let o = fwctl(&args);
        assert_eq!(o.status.code(), Some(0), "{cmd:?}: {}", text(&o.stderr));
        let out = text(&o.stdout);
        assert!(
            out.starts_with(&format!("fwctl0: {name} at scope {scope}: OK (0x00), syndrome 0x00000000\n")),
            "{cmd:?}: {out}"
        );
        assert!(out.contains(field), "{cmd:?}: {out}");
        assert_eq!(
            cli_common::err(&o),
            format!("note: using scope {scope}, the lowest the driver allows for {name}\n"),
            "{cmd:?}"
        );
    }
}

#[test]
fn typed_mlx5_json_and_errors() {
    let o = fwctl(&["mlx5", "0", "vport-counters", "-q", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    // -q keeps notes off stderr, but never the line saying the simulator answered.
    let e = cli_common::raw_err(&o);
    assert!(e.starts_with(cli_common::SIMULATED_MARKER) && e.lines().count() == 1, "{e}");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in ["device", "transport", "command", "scope", "status", "out_len", "truncated", "fields"] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["command"], "QUERY_VPORT_COUNTER");
    assert!(v["fields"]["received_errors.packets"].is_u64(), "{v}");

    // Sampling not configured: the firmware's in-band error, exit 1.
    let o = fwctl(&["mlx5", "0", "diag", "counters"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("BAD_RES_STATE_ERR (0x09)"), "{}", text(&o.stdout));
    // Bad names and fields are usage errors, before anything is sent.
    for (args, msg) in [
        (&["mlx5", "0", "hca-cap", "--type", "NOPE"][..], "unknown capability type 'NOPE'"),
        (&["mlx5", "0", "reg", "read", "NOSUCH"], "unknown register 'NOSUCH'"),
        (&["mlx5", "0", "reg", "write", "PAOS", "bogus=1", "--yes"], "has no field 'bogus'"),
        (&["mlx5", "0", "reg", "write", "PAOS", "admin_status"], "expected FIELD=VALUE"),
        (&["mlx5", "0", "hca-cap", "--mode", "min"], "expected cur or max"),
    ] {
        let o = fwctl(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(text(&o.stderr).contains(msg), "{args:?}: {}", text(&o.stderr));
    }
    // An explicit tainting scope needs --yes without a terminal.
    let o = fwctl(&["mlx5", "0", "nop", "--scope", "debug-write"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("taints the system"), "{}", text(&o.stderr));
    // Dry run of a typed command.
    let o = fwctl(&["mlx5", "0", "--dry-run", "diag", "set", "--counters", "0x401", "--enable"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("SET_DIAGNOSTIC_PARAMS"), "{}", text(&o.stdout));
    assert!(text(&o.stdout).ends_with("nothing was sent\n"));
}

#[test]
fn the_documented_query_adapter_output_is_the_real_one() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Documentation/cli.md")).unwrap();
    let after = doc.split_once("The\nREADME's first command").map(|(_, a)| a).unwrap_or("");
    let block = after.split_once("```text\n").and_then(|(_, b)| b.split_once("```")).map(|(b, _)| b).unwrap();
    assert_eq!(block, golden("query_adapter.hexdump"));
}

#[test]
fn reg_fields_lists_every_field_with_its_width_and_meaning() {
    let o = fwctl(&["mlx5", "fwctl0", "reg", "read", "PAOS", "--fields"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let t = text(&o.stdout);
    // paos_reg_bits: admin_status[0x4] at bit 0x14, ase[0x1] at bit 0x20 (mlx5_ifc.h).
    let line = t.lines().find(|l| l.trim_start().starts_with("admin_status ")).unwrap_or_default();
    assert!(line.contains("bit 0x0014") && line.contains("width    4"), "{t}");
    assert!(line.contains("1 up, 2 down"), "the meaning is on the line: {line}");
    assert!(t.lines().any(|l| l.trim_start().starts_with("ase ") && l.contains("update enable")), "{t}");
    // JSON: the same fields, each with a non-empty meaning; PDDR adds its pages.
    for register in ["PAOS", "MGIR", "DTOR", "PDDR", "PPLM", "MNVGN"] {
        let o = fwctl(&["mlx5", "fwctl0", "reg", "read", register, "--fields", "--json"]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let fields = v["fields"].as_array().unwrap();
        assert!(!fields.is_empty(), "{register}");
        for f in fields {
            let m = f["meaning"].as_str().unwrap_or_default();
            assert!(m.len() > 10, "{register} {}: meaning {m:?}", f["name"]);
            assert!(f["width"].as_u64().is_some_and(|w| w > 0), "{f}");
        }
        if register == "PDDR" {
            // page 3 vendor_pn: adb pddr_module_info_ext offset 0x24 of page_data (register byte 8).
            let pn = fields.iter().find(|f| f["name"] == "page_data.vendor_pn").unwrap();
            assert_eq!(
                (pn["bit"].as_u64(), pn["width"].as_u64(), pn["page_select"].as_u64()),
                (Some((8 + 0x24) * 8), Some(128), Some(3))
            );
        }
    }
}
