//! The `fwctl` command tree run in-process against the core with test drivers
//! (the echo driver, and a status driver that reports an in-band device status),
//! so every path can be checked together with what the driver saw.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::io::{self, Cursor, Write};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use fwctl_cli::cli::{self, Console, GlobalOpts, connect::Connected, exit::CliError};
use fwctl_core::driver::{DeviceStatus, Driver, DriverContext, RpcResponse};
use fwctl_core::transport::Embedded;
use fwctl_core::{Credentials, DeviceType, Errno, RpcScope, Subsystem};
use fwctl_tests::echo::EchoDriver;
use serde_json::Value;

/// What one run produced.
struct Run {
    code: u8,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).unwrap()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.out()))
    }
}

/// A subsystem with `driver` as fwctl0, called with `creds`.
struct Fixture {
    subsystem: Subsystem,
    creds: Credentials,
}

impl Fixture {
    fn new(driver: Arc<dyn Driver>) -> Self {
        let subsystem = Subsystem::new();
        subsystem.set_log(Arc::new(|_: &str| {}));
        subsystem.register(driver).unwrap();
        Fixture { subsystem, creds: Credentials { comm: "fwctl".into(), ..Default::default() } }
    }

    fn echo() -> (Self, EchoDriver) {
        let echo = EchoDriver::new();
        (Self::new(Arc::new(echo.clone())), echo)
    }

    fn run_with(&self, args: &[&str], stdin: &[u8], stdin_is_terminal: bool) -> Run {
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let mut input = Cursor::new(stdin.to_vec());
        let mut console = Console {
            stdout: &mut stdout,
            stderr: &mut stderr,
            stdin: &mut input,
            stdin_is_terminal,
            stderr_is_terminal: false,
        };
        let connector = |_: &GlobalOpts| -> Result<Connected, CliError> {
            Ok(Connected::new(Embedded::with_credentials(self.subsystem.clone(), self.creds.clone()), "test"))
        };
        let argv: Vec<&str> = std::iter::once("fwctl").chain(args.iter().copied()).collect();
        let code = cli::run(argv, &mut console, &connector);
        Run { code, stdout, stderr: crate::cli_common::strip_marker(&String::from_utf8(stderr).unwrap()) }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, b"", false)
    }
}

fn rpcs(echo: &EchoDriver) -> usize {
    echo.counters.rpcs.load(Ordering::SeqCst)
}

/// Echoes the request; byte 0 is the device status (0 = OK), bytes 4..8 the syndrome.
struct StatusDriver;
struct StatusCtx;

impl Driver for StatusDriver {
    fn device_type(&self) -> DeviceType {
        DeviceType::Mlx5
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(StatusCtx))
    }
    fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        let code = *response.first()? as u32;
        let syndrome = response.get(4..8).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        let name = if code == 0 { "OK" } else { "BAD_OP_ERR" };
        Some(DeviceStatus { code, name: name.into(), syndrome, ok: code == 0 })
    }
}

impl DriverContext for StatusCtx {
    fn fw_rpc(&self, _: RpcScope, req: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        Ok(RpcResponse::InPlace(req.len()))
    }
    fn close(self: Box<Self>) {}
}

#[test]
fn rpc_prints_status_line_apart_from_the_hexdump() {
    let (fx, echo) = Fixture::echo();
    let r = fx.run(&["rpc", "fwctl0", "48656c6c", "0x6f2c", "20:77:6f:72:6c:64,21"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The echo driver reports the mlx5 device type, so mlx5 decoded fields follow the dump.
    assert!(
        r.out().starts_with(
            "status: delivered (the driver reports no in-band status)\n\
         response: 13 bytes\n\
         00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21           |Hello, world!|\n\
         0000000d\ndecoded:\n"
        ),
        "{}",
        r.out()
    );
    assert_eq!(rpcs(&echo), 1);
}

#[test]
fn out_len_defaults_to_the_drivers_expected_size_and_truncation_is_reported() {
    let (fx, _) = Fixture::echo();
    // The echo driver expects a response as long as the request: 4 bytes.
    let r = fx.run(&["rpc", "0", "01020304", "--format", "hex"]);
    assert_eq!(
        r.out(),
        "# status: delivered (the driver reports no in-band status)\n# response: 4 bytes\n01020304\n"
    );
    // A bigger buffer is honoured (the echo pads with zeros up to the capacity).
    let r = fx.run(&["rpc", "0", "01020304", "--format", "hex", "--out-len", "0x8"]);
    assert!(r.out().ends_with("# response: 8 bytes\n0102030400000000\n"), "{}", r.out());
    // A smaller one truncates, and says how to get everything.
    let r = fx.run(&["rpc", "0", "01020304", "--format", "hex", "--out-len", "2"]);
    assert_eq!(r.code, 0);
    assert!(r.out().contains("# response: 2 of 4 bytes (truncated: add --out-len 4)\n0102\n"), "{}", r.out());
}

#[test]
fn out_len_is_4096_when_the_driver_cannot_describe_the_request() {
    let fx = Fixture::new(Arc::new(StatusDriver));
    let r = fx.run(&["rpc", "0", "00000000", "--json"]);
    assert_eq!(r.json()["out_capacity"], 4096);
    assert_eq!(r.json()["description"], Value::Null);
}

#[test]
fn raw_output_is_only_the_bytes_with_the_status_on_stderr() {
    let fx = Fixture::new(Arc::new(StatusDriver));
    let r = fx.run(&["rpc", "0", "00000000 00000000 ff", "--format", "raw", "-v"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, [0, 0, 0, 0, 0, 0, 0, 0, 0xff]);
    assert!(r.stderr.contains("status: OK (0x00), syndrome 0x00000000"), "{}", r.stderr);
    assert!(r.stderr.contains("request: the driver cannot describe this request"), "{}", r.stderr);
}

#[test]
fn an_in_band_device_error_exits_1_with_status_and_syndrome() {
    let fx = Fixture::new(Arc::new(StatusDriver));
    let r = fx.run(&["rpc", "fwctl0", "02000000", "0badc0de"]);
    assert_eq!(r.code, 1);
    assert!(
        r.out().starts_with("status: BAD_OP_ERR (0x02), syndrome 0x0badc0de\nresponse: 8 bytes\n"),
        "{}",
        r.out()
    );
    let j = fx.run(&["rpc", "fwctl0", "02000000", "0badc0de", "--format", "json"]);
    assert_eq!(j.code, 1);
    let v = j.json();
    assert_eq!(v["status"]["name"], "BAD_OP_ERR");
    assert_eq!(v["status"]["syndrome"], 0x0badc0de);
    assert_eq!(v["status"]["ok"], false);
    assert_eq!(v["errno"], Value::Null);
}

#[test]
fn json_output_has_every_documented_field() {
    let (fx, _) = Fixture::echo();
    let r = fx.run(&["rpc", "fwctl0", "--scope", "debug-read-only", "0a0b", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    for key in [
        "device",
        "transport",
        "scope",
        "request",
        "in_len",
        "out_capacity",
        "out_len",
        "truncated",
        "errno",
        "status",
        "response",
        "description",
        "decoded",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["device"], "fwctl0");
    assert_eq!(v["transport"], "embedded");
    assert_eq!(v["scope"], "debug-read-only");
    assert_eq!(v["request"], "0a0b");
    assert_eq!((v["in_len"].as_u64(), v["out_len"].as_u64()), (Some(2), Some(2)));
    assert_eq!(v["response"], "0a0b");
    assert_eq!(v["truncated"], false);
    let d = &v["description"];
    assert_eq!((d["name"].as_str(), d["opcode"].as_u64()), (Some("ECHO"), Some(10)));
    assert_eq!(d["min_scope"], "configuration");
    assert_eq!(d["effects"], serde_json::json!(["read"]));
}

#[test]
fn a_command_below_its_minimum_scope_is_refused_naming_the_scope_it_needs() {
    let (fx, echo) = Fixture::echo();
    *echo.config.min_scope.lock().unwrap() = Some(RpcScope::DebugReadOnly);
    let r = fx.run(&["rpc", "fwctl0", "01"]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("rpc on fwctl0 at scope configuration: EBADMSG (Bad message)"), "{}", r.stderr);
    assert!(
        r.stderr.contains("hint: ECHO needs scope debug-read-only; add --scope debug-read-only"),
        "{}",
        r.stderr
    );
    let j = fx.run(&["rpc", "fwctl0", "01", "--json"]);
    assert_eq!(j.code, 3);
    assert_eq!(j.json()["errno"], "EBADMSG");
    assert_eq!(fx.run(&["rpc", "fwctl0", "01", "-s", "1"]).code, 0);
}

#[test]
fn subsystem_errnos_exit_3_by_name() {
    let (fx, echo) = Fixture::echo();
    // DEBUG_WRITE_FULL without CAP_SYS_RAWIO: EPERM from the core.
    let r = fx.run(&["rpc", "fwctl0", "01", "--scope", "FWCTL_RPC_DEBUG_WRITE_FULL", "--yes"]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("EPERM (Operation not permitted)"), "{}", r.stderr);
    assert!(r.stderr.contains("CAP_SYS_RAWIO"), "{}", r.stderr);
    // A driver failure errno.
    *echo.config.fail_rpc.lock().unwrap() = Some(Errno::ETIMEDOUT);
    let r = fx.run(&["rpc", "fwctl0", "01"]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("ETIMEDOUT"), "{}", r.stderr);
}

#[test]
fn an_oversized_request_is_emsgsize() {
    let (fx, echo) = Fixture::echo();
    let big = vec![0u8; fwctl_core::uapi::MAX_RPC_LEN + 1];
    let r = fx.run_with(&["rpc", "fwctl0", "--in-file", "-", "--out-len", "16"], &big, false);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("EMSGSIZE"), "{}", r.stderr);
    assert_eq!(rpcs(&echo), 0);
}

#[test]
fn no_such_device_exits_4() {
    let (fx, echo) = Fixture::echo();
    let r = fx.run(&["rpc", "fwctl1", "01"]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("open fwctl1: ENODEV"), "{}", r.stderr);
    assert!(r.stderr.contains("`fwctl list`"), "{}", r.stderr);
    assert_eq!(fx.run(&["info", "/dev/fwctl/fwctl9"]).code, 4);
    assert_eq!(rpcs(&echo), 0);
}

#[test]
fn dry_run_never_reaches_the_device() {
    let (fx, echo) = Fixture::echo();
    let r = fx.run(&["rpc", "fwctl0", "--dry-run", "0102", "--scope", "debug-write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = r.out();
    assert!(out.starts_with("dry run: would send 2 bytes to fwctl0 at scope debug-write:\n"), "{out}");
    assert!(
        out.contains("request: ECHO (opcode 0x0001, op_mod 0x0000), minimum scope configuration"),
        "{out}"
    );
    assert!(out.contains("taint: scope debug-write would set TAINT_FWCTL (J, 524288)"), "{out}");
    assert!(out.contains("decision: allowed"), "{out}");
    assert!(out.ends_with("nothing was sent\n"), "{out}");
    assert_eq!(rpcs(&echo), 0, "the driver saw an RPC during a dry run");
    // It needs no --yes (nothing is sent) and taints nothing.
    assert!(!fx.subsystem.taint().is_tainted());
    // A refusal is exit 3, in JSON too.
    *echo.config.min_scope.lock().unwrap() = Some(RpcScope::DebugWrite);
    let j = fx.run(&["rpc", "fwctl0", "--dry-run", "0102", "--json"]);
    assert_eq!(j.code, 3);
    let v = j.json();
    assert_eq!((v["dry_run"].as_bool(), v["allowed"].as_bool()), (Some(true), Some(false)));
    assert_eq!(v["errno"], "EBADMSG");
    assert!(v["reason"].as_str().unwrap().contains("debug-write"), "{v}");
    assert_eq!(rpcs(&echo), 0);
}

#[test]
fn tainting_scopes_warn_and_need_yes_without_a_terminal() {
    let (fx, echo) = Fixture::echo();
    let r = fx.run(&["rpc", "fwctl0", "0102", "--scope", "debug-write"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("warning: scope debug-write taints the system"), "{}", r.stderr);
    assert!(r.stderr.contains("about to send to fwctl0 at scope debug-write: ECHO"), "{}", r.stderr);
    assert!(r.stderr.contains("without --yes: standard input is not a terminal"), "{}", r.stderr);
    assert_eq!(rpcs(&echo), 0);
    assert!(!fx.subsystem.taint().is_tainted());

    let r = fx.run(&["rpc", "fwctl0", "0102", "--scope", "debug-write", "--yes"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.starts_with("warning: scope debug-write taints the system"), "{}", r.stderr);
    assert_eq!(rpcs(&echo), 1);
    assert!(fx.subsystem.taint().is_tainted());
}

#[test]
fn a_terminal_user_is_asked_and_only_yes_sends() {
    let (fx, echo) = Fixture::echo();
    let r = fx.run_with(&["rpc", "fwctl0", "0102", "--scope", "2"], b"n\n", true);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("send it? [y/N] "), "{}", r.stderr);
    assert!(r.stderr.contains("not confirmed; nothing was sent"), "{}", r.stderr);
    assert_eq!(rpcs(&echo), 0);
    let r = fx.run_with(&["rpc", "fwctl0", "0102", "--scope", "2"], b"yes\n", true);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(rpcs(&echo), 1);
}

#[test]
fn taint_reports_mask_and_letter() {
    let (fx, _) = Fixture::echo();
    // The record is looked up in the state directory: an empty one here.
    let state = std::env::temp_dir().join(format!("fwctl-inprocess-taint-{}", std::process::id()));
    let state = state.to_str().unwrap();
    let r = fx.run(&["taint", "--state-dir", state]);
    assert_eq!(r.code, 0);
    assert_eq!(r.out().lines().next(), Some("TAINT_FWCTL: not set (0)"));
    assert_eq!(fx.run(&["rpc", "0", "00", "-s", "debug-write", "-y"]).code, 0);
    assert_eq!(
        fx.run(&["taint", "--state-dir", state]).out().lines().next(),
        Some("TAINT_FWCTL: set (J, 524288)")
    );
    let v = fx.run(&["taint", "--json", "--state-dir", state]).json();
    assert_eq!(
        (v["tainted"].as_bool(), v["mask"].as_u64(), v["letter"].as_str()),
        (Some(true), Some(524288), Some("J"))
    );
}

#[test]
fn payload_sources_hex_file_and_binary_stdin() {
    let (fx, _) = Fixture::echo();
    let dir = std::env::temp_dir().join(format!("fwctl-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hexfile = dir.join("req.hex");
    std::fs::write(&hexfile, "# a comment\n0102 # trailing\n0x03,04\n").unwrap();
    let r = fx.run(&["rpc", "0", "--hex-file", hexfile.to_str().unwrap(), "-f", "raw"]);
    assert_eq!((r.code, r.stdout.as_slice()), (0, [1u8, 2, 3, 4].as_slice()), "{}", r.stderr);
    let r = fx.run_with(&["rpc", "0", "--in-file", "-", "-f", "raw"], &[9, 8, 7], false);
    assert_eq!(r.stdout, [9, 8, 7]);
    let r = fx.run_with(&["rpc", "0", "--hex-file", "-", "-f", "raw"], b"0a 0b\n", false);
    assert_eq!(r.stdout, [10, 11]);
    // Errors name the file.
    std::fs::write(&hexfile, "01\n0x2\n").unwrap();
    let r = fx.run(&["rpc", "0", "--hex-file", hexfile.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("req.hex: hex payload: token '0x2' at line 2, column 1 has an odd number"),
        "{}",
        r.stderr
    );
    let r = fx.run_with(&["rpc", "0", "--in-file", "-"], b"", false);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is empty"), "{}", r.stderr);
    let r = fx.run(&["rpc", "0", "--in-file", dir.join("missing").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn list_shows_type_parent_driver_state_transport_and_taint() {
    let (fx, _) = Fixture::echo();
    let r = fx.run(&["list"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.out(),
        "DEVICE  TYPE  PARENT  DRIVER  FIRMWARE  SERIAL  STATE  TRANSPORT  TAINT\nfwctl0  mlx5  echo:0  echo    -         -       live   embedded   -\n"
    );
    assert!(r.stderr.contains("embedded transport"), "{}", r.stderr);
    assert_eq!(fx.run(&["list", "-q"]).stderr, "");
    let v = fx.run(&["list", "--json"]).json();
    assert_eq!(v["transport"], "embedded");
    let d = &v["devices"][0];
    assert_eq!(
        (d["name"].as_str(), d["type"].as_str(), d["state"].as_str()),
        (Some("fwctl0"), Some("mlx5"), Some("live"))
    );
    assert_eq!(
        (d["parent"].as_str(), d["driver"].as_str(), d["tainted"].as_bool()),
        (Some("echo:0"), Some("echo"), Some(false))
    );
}

#[test]
fn info_decodes_mlx5_device_data() {
    let (fx, echo) = Fixture::echo();
    let mut data = 5u32.to_ne_bytes().to_vec();
    data.extend(4u32.to_ne_bytes());
    *echo.config.info.lock().unwrap() = Some(data.clone());
    let r = fx.run(&["info", "fwctl0"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = r.out();
    assert!(out.contains("type:        mlx5 (FWCTL_DEVICE_TYPE_MLX5 = 1)"), "{out}");
    assert!(out.contains("  uid        5\n"), "{out}");
    assert!(out.contains("  uctx_caps  0x00000004 (TOOLS_RESOURCES)\n"), "{out}");
    let v = fx.run(&["info", "0", "--json"]).json();
    assert_eq!((v["type"].as_str(), v["device_data_len"].as_u64()), (Some("mlx5"), Some(8)));
    assert_eq!(v["decoded"]["uid"], 5);
    assert_eq!(v["decoded"]["uctx_caps_names"], serde_json::json!(["TOOLS_RESOURCES"]));
    assert_eq!(fx.run(&["info", "0", "--raw"]).stdout, data);
}

/// A stdout whose reader has gone away.
struct ClosedPipe;
impl Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_closed_stdout_ends_quietly_with_the_earned_exit_code() {
    let fx = Fixture::new(Arc::new(StatusDriver));
    for (payload, want) in [("00000000", 0u8), ("02000000", 1)] {
        let mut stdout = ClosedPipe;
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
            Ok(Connected::new(Embedded::with_credentials(fx.subsystem.clone(), fx.creds.clone()), "test"))
        };
        let code = cli::run(["fwctl", "rpc", "0", payload], &mut console, &connector);
        assert_eq!(code, want);
        let stderr = crate::cli_common::strip_marker(&String::from_utf8_lossy(&stderr));
        assert!(stderr.is_empty(), "{stderr}");
    }
}
