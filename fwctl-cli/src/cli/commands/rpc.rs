//! `fwctl rpc DEV [HEX…]`: send one RPC and print the response.
//!
//! The order of events is fixed: read and validate the payload (exit 2 before
//! anything is opened), open the device, then either dry-run the request (never
//! delivered) or, for tainting scopes, describe it, warn and confirm, and deliver
//! it. Delivery is one request to the device ([`Channel::call`]): the reply
//! carries the description, the device status and, on refusal, the decision the
//! dispatcher computed, so nothing is asked twice.

use std::io::{Read, Write};
use std::path::PathBuf;

use fwctl_core::driver::{DeviceStatus, RpcDescription};
use fwctl_core::hooks::Decision;
use fwctl_core::ioctl::{DryRun, RpcError, RpcReply};
use fwctl_core::transport::{Channel, Transport};
use fwctl_core::uapi::{MAX_RPC_LEN, TAINT_FWCTL_MASK};
use fwctl_core::{DeviceType, Errno, RpcScope};
use serde::Serialize;
use serde_json::Value;

use crate::cli::Ctx;
use crate::cli::decode;
use crate::cli::device::{self, DeviceArg};
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::files;
use crate::cli::hexpayload::{self, to_hex};
use crate::cli::output::{self, Format, Tone};
use crate::cli::value::ValueError;

/// Examples and notes shown by `fwctl rpc --help`.
pub const RPC_HELP: &str = "\
Examples:
  # QUERY_ADAPTER (opcode 0x0101) on the first device, response as a hexdump:
  fwctl rpc fwctl0 01010000 00000000 00000000 00000000
  # the same bytes, other spellings:
  fwctl rpc 0 0x0101 0x0000 00:00:00:00 00,00,00,00,00,00,00,00
  # from a hex file (# comments, xxd -p output) or raw binary on stdin:
  fwctl rpc fwctl0 --hex-file query.hex
  head -c 16 cmd.bin | fwctl rpc fwctl0 --in-file - --format raw > out.bin
  # check and describe without sending:
  fwctl rpc fwctl0 --scope debug-write --dry-run 01010000 00000000 00000000 00000000

Scopes (least invasive first): configuration (0), debug-read-only (1),
debug-write (2, taints), debug-write-full (3, taints, needs CAP_SYS_RAWIO).
The kernel's FWCTL_RPC_* names are accepted too.";

/// Arguments of `fwctl rpc`.
#[derive(Debug, clap::Args)]
pub struct RpcArgs {
    /// The device: fwctl0, 0, /dev/fwctl/fwctl0 or a path.
    #[arg(value_name = "DEV", value_parser = device::parse)]
    pub device: DeviceArg,
    /// The request: hex tokens (optional 0x), separated by spaces, ':' or ','; bytes in order written.
    #[arg(value_name = "HEX")]
    pub hex: Vec<String>,
    /// The scope to ask for (configuration | debug-read-only | debug-write | debug-write-full, or 0-3).
    #[arg(short, long, default_value = "configuration", value_parser = parse_scope)]
    pub scope: RpcScope,
    /// Read the request as raw binary from PATH ('-' for stdin).
    #[arg(long, value_name = "PATH|-", conflicts_with_all = ["hex", "hex_file"])]
    pub in_file: Option<PathBuf>,
    /// Read the request as hex text from PATH ('-' for stdin): '#' comments and xxd -p output accepted.
    #[arg(long, value_name = "PATH|-", conflicts_with = "hex")]
    pub hex_file: Option<PathBuf>,
    /// Response buffer size (default: the size the driver expects for this command, else 4096).
    #[arg(long, value_name = "N", value_parser = parse_len)]
    pub out_len: Option<usize>,
    /// Output format.
    #[arg(short, long, value_enum, conflicts_with_all = ["json", "output_format"])]
    pub format: Option<Format>,
    /// Print JSON (same as --format json).
    #[arg(long, conflicts_with = "output_format")]
    pub json: bool,
    /// Output format, nvme-cli style: normal (hexdump), json, or binary (raw bytes).
    #[arg(short = 'o', long = "output-format", value_enum, value_name = "FMT")]
    pub output_format: Option<crate::cli::outfmt::OutputFormat>,
    /// Describe and policy-check the request and print what would be sent; never deliver it.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the decoded request (opcode name, op_mod, minimum scope, effects) first.
    #[arg(short, long)]
    pub verbose: bool,
    /// Confirm a tainting scope (debug-write, debug-write-full) without asking.
    #[arg(short, long)]
    pub yes: bool,
}

/// The default response buffer when the driver cannot tell the expected size.
pub use fwctl_core::ioctl::DEFAULT_OUT_LEN;

/// A scope by name, number or kernel name (a clap value parser).
pub fn parse_scope(s: &str) -> Result<RpcScope, ValueError> {
    s.parse::<RpcScope>().map_err(ValueError::Scope)
}

/// A length in decimal or `0x` hex, at most the kernel's 2 MiB.
fn parse_len(s: &str) -> Result<usize, ValueError> {
    let n = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => usize::from_str_radix(h, 16),
        None => s.parse::<usize>(),
    }
    .map_err(|_| ValueError::NotALength(s.into()))?;
    if n > MAX_RPC_LEN {
        return Err(ValueError::LengthTooLarge { len: n, max: MAX_RPC_LEN });
    }
    Ok(n)
}

/// The most hex text `--hex-file` reads: two digits a byte for the largest
/// request, with room for whitespace, comments and offsets. Above it the file
/// is refused, never cut.
const MAX_HEX_TEXT: u64 = 8 * MAX_RPC_LEN as u64;

/// Read all of `path` (`-`: standard input), at most `cap` bytes: a larger
/// input is an error naming its size, never a silently shortened request.
/// A path must be a regular file.
fn read_source(
    ctx: &mut Ctx<'_, '_>,
    path: &std::path::Path,
    cap: u64,
    what: &str,
) -> Result<Vec<u8>, CliError> {
    if path.as_os_str() != "-" {
        return files::read_capped(path, cap).map_err(|e| {
            CliError::usage(format!("cannot read {}: {e}", path.display())).with_hint(format!(
                "{what} is limited to {cap} bytes and must be a regular file (or - for stdin)"
            ))
        });
    }
    let mut buf = Vec::new();
    (&mut ctx.console.stdin)
        .take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| CliError::usage(format!("cannot read standard input: {}", files::io_reason(&e))))?;
    if buf.len() as u64 > cap {
        return Err(CliError::usage(format!("standard input is larger than {cap} bytes"))
            .with_hint(format!("{what} is limited to {cap} bytes")));
    }
    Ok(buf)
}

/// A request above the kernel's limit: refused before anything is sent.
fn check_request_len(bytes: Vec<u8>, from: &std::path::Path) -> Result<Vec<u8>, CliError> {
    if bytes.len() > MAX_RPC_LEN {
        return Err(CliError::usage(format!(
            "{}: the request is {} bytes, above the {MAX_RPC_LEN}-byte (2 MiB) limit of FWCTL_RPC",
            from.display(),
            bytes.len()
        ))
        .with_hint("nothing was sent; split the request, or check that the file holds one request"));
    }
    Ok(bytes)
}

/// The request bytes from HEX arguments, `--hex-file` or `--in-file`.
fn read_request(ctx: &mut Ctx<'_, '_>, args: &RpcArgs) -> Result<Vec<u8>, CliError> {
    if let Some(path) = &args.in_file {
        // One byte past the limit reaches the subsystem, which answers EMSGSIZE as
        // the kernel does; anything larger is refused here, never cut.
        let bytes = read_source(ctx, path, MAX_RPC_LEN as u64 + 1, "--in-file")?;
        if bytes.is_empty() {
            return Err(CliError::usage(format!(
                "{} is empty: the request needs at least one byte",
                path.display()
            )));
        }
        return Ok(bytes);
    }
    if let Some(path) = &args.hex_file {
        let bytes = read_source(ctx, path, MAX_HEX_TEXT, "--hex-file text")?;
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::usage(format!("{} is not text; use --in-file for binary", path.display()))
        })?;
        let bytes =
            hexpayload::parse_text(&text).map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?;
        return check_request_len(bytes, path);
    }
    hexpayload::parse_args(&args.hex).map_err(|e| CliError::usage(e.to_string()))
}

/// One line describing a request, as `-v` and `--dry-run` print it.
pub fn describe_line(d: &RpcDescription) -> String {
    let name = d.name.as_deref().unwrap_or("unknown command");
    let min = d.min_scope.map_or("none (not allowed at any scope)".to_string(), |s| s.name().to_string());
    let effects = d.effects.names();
    let effects = if effects.is_empty() { "unknown".to_string() } else { effects.join(", ") };
    let mut s = format!(
        "{name} (opcode 0x{:04x}, op_mod 0x{:04x}), minimum scope {min}, effects {effects}",
        d.opcode, d.op_mod
    );
    if let Some(n) = d.expected_out_len {
        s.push_str(&format!(", response {n} bytes"));
    }
    if let Some(r) = &d.register {
        let name = r.name.as_deref().unwrap_or("unnamed");
        s.push_str(&format!(", register {name} (0x{:04x}) {}", r.id, if r.write { "write" } else { "read" }));
    }
    s
}

/// A description as JSON: the one serde shape of `RpcDescription`
/// (Documentation/protocol.md), as every JSON output carries it.
pub fn description_json(d: &RpcDescription) -> Value {
    serde_json::to_value(d).unwrap_or(Value::Null)
}

/// The hint for a refused RPC, from the errno and the driver's description.
fn refusal_hint(errno: Errno, scope: RpcScope, d: Option<&RpcDescription>) -> Option<String> {
    let name = d.and_then(|d| d.name.as_deref()).unwrap_or("this command");
    match errno {
        Errno::EBADMSG => match d.map(|d| d.min_scope) {
            Some(Some(min)) if min > scope => Some(format!("{name} needs scope {min}; add --scope {min}")),
            Some(None) => Some(format!("the driver does not allow {name} at any scope")),
            _ => Some(format!("the driver does not allow {name} at scope {scope}")),
        },
        Errno::EPERM if scope.needs_cap_sys_rawio() => {
            Some("scope debug-write-full needs CAP_SYS_RAWIO (run as root), or the policy refused it".into())
        }
        Errno::EPERM => Some("the policy refused this request; see `fwctl policy explain`".into()),
        Errno::EMSGSIZE => Some(format!(
            "requests and responses are limited to {MAX_RPC_LEN} bytes, and the driver may need a minimum size"
        )),
        _ => None,
    }
}

/// The type of device `name` as the transport lists it (selects the response
/// decoder): the listing already knows it, so no `FWCTL_INFO` is sent for it.
pub fn listed_type(transport: &dyn Transport, name: &str) -> Option<DeviceType> {
    let devices = transport.list().ok()?;
    devices.into_iter().find(|d| d.view.name == name).map(|d| d.view.device_type)
}

/// Run `fwctl rpc`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &RpcArgs) -> CmdResult {
    let request = read_request(ctx, args)?;
    let format = args.format.unwrap_or(match ctx.global.output_format {
        Some(crate::cli::outfmt::OutputFormat::Binary) => Format::Raw,
        _ if ctx.global.json => Format::Json,
        _ => Format::Hexdump,
    });
    let transport = ctx.transport()?;
    let dev = &device::resolve(transport.as_ref(), &args.device)?;
    let device_type = listed_type(transport.as_ref(), &dev.name);
    let mut channel = ctx.open_device(transport.as_ref(), dev)?;
    let mut report = Report {
        device: dev.name.clone(),
        device_type,
        transport: transport.kind().name(),
        scope: args.scope,
        request: &request,
        description: None,
    };
    if args.dry_run {
        // One request: the dry run carries the driver's description with the decision.
        let dry = channel
            .dry_run(args.scope.as_u32(), &request)
            .map_err(|e| CliError::errno(e, format!("dry run on {dev}")))?;
        report.description = dry.description.as_ref();
        verbose(ctx, args, format, report.description)?;
        return print_dry_run(ctx, &mut report, format, &dry);
    }
    // A tainting scope is confirmed before anything is delivered, showing what the
    // request is: only then is the description asked for on its own.
    let confirmed = if args.scope.taints() { channel.describe(&request).ok() } else { None };
    if args.scope.taints() {
        report.description = confirmed.as_ref();
        precheck(channel.as_mut(), &report)?;
        confirm_taint(ctx, &report, args.yes)?;
    }
    let out_len = args.out_len.or(confirmed.as_ref().and_then(|d| d.expected_out_len));
    let sent = send(channel.as_mut(), &report.device, report.scope, report.request, out_len);
    let (sent, described) = match sent {
        Ok(mut ex) => {
            let d = ex.description.take();
            (Ok(ex), d)
        }
        Err(mut f) => {
            let d = f.description.take().map(|d| *d);
            (Err(f), d)
        }
    };
    let report = Report { description: described.as_ref().or(confirmed.as_ref()), ..report };
    verbose(ctx, args, format, report.description)?;
    match sent {
        Ok(ex) => {
            let exit = ex.exit();
            print_response(ctx, &report, format, &ex).map_err(|e| quiet_or(e, exit))?;
            Ok(exit)
        }
        Err(failure) => {
            let err = failure.error;
            if format == Format::Json {
                let doc = RpcJson {
                    base: report.json(),
                    out_capacity: failure.out_capacity,
                    errno: err.errno,
                    out_len: None,
                    truncated: false,
                    status: None,
                    response: None,
                    decoded: None,
                    failure: Some(FailureJson { error: &err.message, hint: err.hint.as_deref() }),
                };
                print_json(ctx, &doc).map_err(|e| quiet_or(e, err.exit))?;
            }
            Err(err)
        }
    }
}

/// `-v`: the decoded request, first.
fn verbose(
    ctx: &mut Ctx<'_, '_>,
    args: &RpcArgs,
    format: Format,
    d: Option<&RpcDescription>,
) -> Result<(), CliError> {
    if args.verbose && !matches!(format, Format::Json) {
        let line = d.map_or("the driver cannot describe this request".into(), describe_line);
        verbose_line(ctx, format, &format!("request: {line}"))?;
    }
    Ok(())
}

/// What every output of one RPC mentions.
pub struct Report<'a> {
    /// `fwctlN`.
    pub device: String,
    /// The device type, when known (selects the response decoder).
    pub device_type: Option<DeviceType>,
    /// The transport's name.
    pub transport: &'static str,
    /// The scope asked for.
    pub scope: RpcScope,
    /// The request bytes.
    pub request: &'a [u8],
    /// The driver's description of the request.
    pub description: Option<&'a RpcDescription>,
}

/// The fields every JSON report of one RPC starts with (Documentation/cli.md).
#[derive(Debug, Serialize)]
pub struct RequestJson<'a> {
    /// `fwctlN`.
    pub device: &'a str,
    /// The transport's name.
    pub transport: &'static str,
    /// The scope asked for, by name.
    pub scope: RpcScope,
    /// The request bytes in hex.
    pub request: String,
    /// The request length.
    pub in_len: usize,
    /// The driver's description of the request.
    pub description: Option<&'a RpcDescription>,
}

impl Report<'_> {
    /// The fields every JSON report of this RPC starts with.
    pub fn json(&self) -> RequestJson<'_> {
        RequestJson {
            device: &self.device,
            transport: self.transport,
            scope: self.scope,
            request: to_hex(self.request),
            in_len: self.request.len(),
            description: self.description,
        }
    }
}

/// `fwctl rpc --format json` of a delivered, refused or failed RPC.
#[derive(Debug, Serialize)]
struct RpcJson<'a> {
    #[serde(flatten)]
    base: RequestJson<'a>,
    out_capacity: usize,
    errno: Option<Errno>,
    out_len: Option<usize>,
    truncated: bool,
    status: Option<&'a DeviceStatus>,
    response: Option<String>,
    decoded: Option<Value>,
    #[serde(flatten)]
    failure: Option<FailureJson<'a>>,
}

/// The `error` and `hint` of a refused or failed RPC.
#[derive(Debug, Serialize)]
struct FailureJson<'a> {
    error: &'a str,
    hint: Option<&'a str>,
}

/// `fwctl rpc --dry-run --format json`.
#[derive(Debug, Serialize)]
struct DryRunJson<'a> {
    #[serde(flatten)]
    base: RequestJson<'a>,
    dry_run: bool,
    allowed: bool,
    errno: Option<Errno>,
    reason: &'a str,
    rule: Option<&'a str>,
    taints: bool,
}

/// Write one JSON document and a newline to standard output.
/// One JSON document through [`Ctx::json_text`]: 64-bit values as strings,
/// the simulator's mark, `--pretty`.
fn print_json(ctx: &mut Ctx<'_, '_>, doc: &impl Serialize) -> std::io::Result<()> {
    let value = serde_json::to_value(doc).map_err(std::io::Error::other)?;
    let text = ctx.json_text(value);
    writeln!(ctx.console.stdout, "{text}")
}

fn verbose_line(ctx: &mut Ctx<'_, '_>, format: Format, line: &str) -> Result<(), CliError> {
    match format {
        Format::Raw => writeln!(ctx.console.stderr, "{line}")?,
        Format::Hex => writeln!(ctx.console.stdout, "# {line}")?,
        _ => writeln!(ctx.console.stdout, "{line}")?,
    }
    Ok(())
}

/// Print what a dry run found; exit 0 when it would be allowed, 3 when refused.
pub fn print_dry_run(
    ctx: &mut Ctx<'_, '_>,
    report: &mut Report<'_>,
    format: Format,
    dry: &DryRun,
) -> CmdResult {
    let d = &dry.decision;
    let exit = if d.allowed() { Exit::Ok } else { Exit::Refused };
    if format == Format::Json {
        let doc = DryRunJson {
            base: report.json(),
            dry_run: true,
            allowed: d.allowed(),
            errno: d.errno,
            reason: &d.reason,
            rule: d.rule.as_deref(),
            taints: report.scope.taints(),
        };
        print_json(ctx, &doc)?;
        return Ok(exit);
    }
    let out: &mut dyn Write =
        if format == Format::Raw { &mut *ctx.console.stderr } else { &mut *ctx.console.stdout };
    let (dev, scope) = (&report.device, report.scope);
    writeln!(out, "dry run: would send {} bytes to {dev} at scope {scope}:", report.request.len())?;
    output::hexdump(out, report.request)?;
    match report.description {
        Some(desc) => writeln!(out, "request: {}", describe_line(desc))?,
        None => writeln!(out, "request: the driver cannot describe it")?,
    }
    if scope.taints() {
        writeln!(out, "taint: scope {scope} would set TAINT_FWCTL (J, {TAINT_FWCTL_MASK})")?;
    }
    match d.errno {
        None => writeln!(out, "decision: allowed: {}", d.reason)?,
        Some(e) => writeln!(out, "decision: refused with {}: {}", e.name(), d.reason)?,
    }
    if let Some(rule) = &d.rule {
        writeln!(out, "rule: {rule}")?;
    }
    writeln!(out, "nothing was sent")?;
    Ok(exit)
}

/// Before asking to confirm a tainting request: every check it would face
/// (kernel rules, the driver's allow-list, the policy), without delivery. A
/// request that would be refused is refused now, so nobody confirms an
/// irreversible taint for nothing. A transport that cannot dry-run (the
/// kernel) goes on to the confirmation.
pub fn precheck(channel: &mut dyn Channel, report: &Report<'_>) -> Result<(), CliError> {
    let Ok(dry) = channel.dry_run(report.scope.as_u32(), report.request) else { return Ok(()) };
    match dry.decision.errno {
        None => Ok(()),
        Some(errno) => {
            let mut e = CliError::errno(errno, format!("rpc on {} at scope {}", report.device, report.scope));
            e.message.push_str(&format!(": {}", dry.decision.reason));
            let hint = refusal_hint(errno, report.scope, report.description)
                .map_or(String::new(), |h| format!("{h}; "));
            Err(e.with_hint(format!("{hint}nothing was sent and the system was not tainted")))
        }
    }
}

/// Warn before a tainting RPC and get confirmation (`--yes`, or a terminal answer).
pub fn confirm_taint(ctx: &mut Ctx<'_, '_>, report: &Report<'_>, yes: bool) -> Result<(), CliError> {
    let scope = report.scope;
    ctx.warn(&format!(
        "scope {scope} taints the system: TAINT_FWCTL (J, {TAINT_FWCTL_MASK}) is set before the device sees \
         the request and stays set until an administrator clears it"
    ))?;
    let what = report.description.map_or("a request the driver cannot describe".into(), describe_line);
    writeln!(ctx.console.stderr, "about to send to {} at scope {scope}: {what}", report.device)?;
    writeln!(ctx.console.stderr, "  {}", to_hex(report.request))?;
    if yes {
        return Ok(());
    }
    if !ctx.console.stdin_is_terminal {
        return Err(CliError::usage(format!(
            "refusing to send at tainting scope {scope} without --yes: standard input is not a terminal"
        ))
        .with_hint("add --yes to confirm, or --dry-run to check it without sending"));
    }
    let _paused = crate::cli::watchdog::Paused::new();
    write!(ctx.console.stderr, "send it? [y/N] ")?;
    ctx.console.stderr.flush()?;
    let mut answer = String::new();
    ctx.console
        .stdin
        .read_line(&mut answer)
        .map_err(|e| CliError::usage(format!("cannot read the confirmation: {}", files::io_reason(&e))))?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(CliError::usage("not confirmed; nothing was sent")),
    }
}

/// What came back from one delivered RPC.
pub struct Exchange {
    /// The response bytes received (at most the buffer size).
    pub response: Vec<u8>,
    /// The length the driver produced (may exceed the buffer: truncation).
    pub produced: usize,
    /// The buffer size offered.
    pub out_capacity: usize,
    /// The driver's decoding of the in-band device status.
    pub status: Option<DeviceStatus>,
    /// The driver's description of the request, as the dispatcher computed it.
    pub description: Option<RpcDescription>,
}

impl Exchange {
    /// Whether the device produced more than the buffer held.
    pub fn truncated(&self) -> bool {
        self.produced > self.out_capacity
    }

    /// Exit 1 when the device reported an error status, else 0.
    pub fn exit(&self) -> Exit {
        match &self.status {
            Some(s) if !s.ok => Exit::DeviceError,
            _ => Exit::Ok,
        }
    }
}

impl From<RpcReply> for Exchange {
    fn from(r: RpcReply) -> Self {
        Exchange {
            response: r.response,
            produced: r.result.out_len as usize,
            out_capacity: r.out_capacity,
            status: r.result.status,
            description: r.result.description,
        }
    }
}

/// A refused or failed RPC: the one-line error with its hint, and what the
/// dispatcher had learned.
pub struct Failure {
    /// The error to report.
    pub error: CliError,
    /// The driver's description of the request, when the dispatcher computed it.
    pub description: Option<Box<RpcDescription>>,
    /// The response buffer size offered.
    pub out_capacity: usize,
}

impl From<Failure> for CliError {
    fn from(f: Failure) -> Self {
        f.error
    }
}

/// Deliver `request` at `scope` (one request to the device) with an `out_len`
/// buffer (`None`: the length the driver expects); an errno becomes the one-line
/// error with the hint that fits it, naming the policy rule that refused it.
pub fn send(
    channel: &mut dyn Channel,
    device: &str,
    scope: RpcScope,
    request: &[u8],
    out_len: Option<usize>,
) -> Result<Exchange, Failure> {
    match channel.call(scope.as_u32(), request, out_len) {
        Ok(reply) => Ok(Exchange::from(reply)),
        Err(RpcError { errno, description, decision }) => {
            let mut err = CliError::errno(errno, format!("rpc on {device} at scope {scope}"));
            if errno == Errno::EIO
                && let Some(why) = channel.transport_error()
            {
                err.message = format!("rpc on {device} at scope {scope}: {why}");
            }
            err.hint = refusal_hint(errno, scope, description.as_deref());
            if matches!(errno, Errno::EPERM | Errno::EACCES)
                && let Some(Decision { errno: Some(_), reason, .. }) = &decision
            {
                err.message = format!("{}: {reason}", err.message);
                let uid = nix::unistd::getuid().as_raw();
                let opcode =
                    description.as_ref().map(|d| format!(" --opcode 0x{:x}", d.opcode)).unwrap_or_default();
                let or_root = if uid == 0 { "" } else { " or root" };
                err.hint = Some(format!(
                    "`fwctl policy explain --user {uid} --device {device} --scope {scope}{opcode}` shows every check; \
                     a policy that allows it (e.g. --policy policies/lab.toml){or_root} may be needed"
                ));
            }
            let out_capacity =
                out_len.or(description.as_ref().and_then(|d| d.expected_out_len)).unwrap_or(DEFAULT_OUT_LEN);
            Err(Failure { error: err, description, out_capacity })
        }
    }
}

/// A closed pipe ends quietly with the exit code the RPC earned.
fn quiet_or(e: std::io::Error, exit: Exit) -> CliError {
    let mut err = CliError::from(e);
    if err.quiet {
        err.exit = exit;
    }
    err
}

fn print_response(
    ctx: &mut Ctx<'_, '_>,
    report: &Report<'_>,
    format: Format,
    ex: &Exchange,
) -> std::io::Result<()> {
    let (response, produced, truncated, status) =
        (&ex.response[..], ex.produced, ex.truncated(), ex.status.as_ref());
    let status_text = match status {
        Some(s) => format!("status: {s}"),
        None => "status: delivered (the driver reports no in-band status)".to_string(),
    };
    let length_text = if truncated {
        format!("response: {} of {produced} bytes (truncated: add --out-len {produced})", response.len())
    } else {
        format!("response: {} bytes", response.len())
    };
    let tone = if status.is_some_and(|s| !s.ok) { Tone::Bad } else { Tone::Good };
    let decoded = report.device_type.and_then(|t| decode::response_fields(t, report.request, response));
    match format {
        Format::Json => {
            let doc = RpcJson {
                base: report.json(),
                out_capacity: ex.out_capacity,
                errno: None,
                out_len: Some(produced),
                truncated,
                status,
                response: Some(to_hex(response)),
                decoded: decoded.as_deref().map(decode::fields_json),
                failure: None,
            };
            print_json(ctx, &doc)
        }
        Format::Raw => {
            writeln!(ctx.console.stderr, "{status_text}")?;
            if truncated {
                writeln!(ctx.console.stderr, "{length_text}")?;
            }
            ctx.console.stdout.write_all(response)
        }
        Format::Hex => {
            writeln!(ctx.console.stdout, "# {status_text}")?;
            writeln!(ctx.console.stdout, "# {length_text}")?;
            output::hex_lines(ctx.console.stdout, response)
        }
        Format::Hexdump => {
            let painted = if ctx.style.color { ctx.style.paint(&status_text, tone) } else { status_text };
            writeln!(ctx.console.stdout, "{painted}")?;
            writeln!(ctx.console.stdout, "{length_text}")?;
            output::hexdump(ctx.console.stdout, response)?;
            match decoded {
                Some(fields) if !fields.is_empty() => {
                    writeln!(ctx.console.stdout, "decoded:")?;
                    decode::write_fields(ctx.console.stdout, &fields, "  ")
                }
                _ => Ok(()),
            }
        }
    }
}

/// For a typed vendor command (`fwctl mlx5`, `fwctl cxl`): refuse a device of
/// another type, naming `want` (e.g. "an mlx5") and what to do instead.
pub fn require_device_type(
    channel: &mut dyn Channel,
    dev: &DeviceArg,
    want: DeviceType,
    article_name: &str,
    hint: &str,
) -> Result<(), CliError> {
    let info = channel.info(&mut []).map_err(|e| CliError::errno(e, format!("FWCTL_INFO on {dev}")))?;
    if DeviceType::from_u32(info.device_type) != Some(want) {
        return Err(CliError::usage(format!(
            "{dev} is not {article_name} device (type {})",
            info.device_type
        ))
        .with_hint(hint.to_string()));
    }
    Ok(())
}

/// The scope a typed command runs at: the one asked for, else the lowest the
/// driver allows for the command (said on stderr), else configuration.
pub fn typed_scope(
    ctx: &mut Ctx<'_, '_>,
    asked: Option<RpcScope>,
    description: Option<&RpcDescription>,
) -> Result<RpcScope, CliError> {
    let name = description.and_then(|d| d.name.as_deref()).unwrap_or("the command");
    Ok(match (asked, description.and_then(|d| d.min_scope)) {
        (Some(s), _) => s,
        (None, Some(min)) => {
            ctx.note(&format!("using scope {min}, the lowest the driver allows for {name}"))?;
            min
        }
        (None, None) => RpcScope::Configuration,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_accept_decimal_and_hex_up_to_two_mebibytes() {
        assert_eq!(parse_len("272"), Ok(272));
        assert_eq!(parse_len("0x110"), Ok(272));
        assert_eq!(parse_len("2097152"), Ok(MAX_RPC_LEN));
        assert!(parse_len("2097153").unwrap_err().to_string().contains("2 MiB"));
        assert!(parse_len("ten").unwrap_err().to_string().contains("not a length"));
        assert!(parse_len("-1").is_err());
    }

    #[test]
    fn scopes_accept_names_numbers_and_kernel_names() {
        assert_eq!(parse_scope("debug-read-only"), Ok(RpcScope::DebugReadOnly));
        assert_eq!(parse_scope("3"), Ok(RpcScope::DebugWriteFull));
        assert_eq!(parse_scope("FWCTL_RPC_DEBUG_WRITE"), Ok(RpcScope::DebugWrite));
        assert!(parse_scope("4").unwrap_err().to_string().contains("expected configuration"));
    }

    #[test]
    fn a_scope_refusal_names_the_scope_the_command_needs() {
        let mut d = RpcDescription::unknown(0x100, 1);
        d.name = Some("QUERY_HCA_CAP".into());
        d.min_scope = Some(RpcScope::DebugReadOnly);
        assert_eq!(
            refusal_hint(Errno::EBADMSG, RpcScope::Configuration, Some(&d)).unwrap(),
            "QUERY_HCA_CAP needs scope debug-read-only; add --scope debug-read-only"
        );
        d.min_scope = None;
        assert!(
            refusal_hint(Errno::EBADMSG, RpcScope::Configuration, Some(&d)).unwrap().contains("any scope")
        );
    }
}
