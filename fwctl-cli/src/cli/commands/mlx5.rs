//! `fwctl mlx5 DEV <command>`: typed mlx5 commands. Each builds its mailbox with
//! the simulator crate's PRM builders, asks the driver for the lowest scope that
//! allows it (and says so), sends it through the same path as `fwctl rpc`, and
//! prints the decoded response as a field table or JSON.

use std::io::Write;

use fwctl_core::{DeviceType, RpcScope};
use fwctl_mlx5_sim::prm::{self, CapMode, DiagParams, build, caps, registers};
use serde_json::json;

use crate::cli::Ctx;
use crate::cli::commands::rpc::{self, DEFAULT_OUT_LEN, Report};
use crate::cli::decode;
use crate::cli::device::{self, DeviceArg};
use crate::cli::exit::{CliError, CmdResult};
use crate::cli::output::Format;

/// Arguments of `fwctl mlx5`.
#[derive(Debug, clap::Args)]
pub struct Mlx5Args {
    /// The device: fwctl0, 0, /dev/fwctl/fwctl0 or a path.
    #[arg(value_name = "DEV", value_parser = device::parse)]
    pub device: DeviceArg,
    /// Scope to use instead of the lowest one the driver allows for the command.
    #[arg(short, long, global = true, value_parser = rpc::parse_scope)]
    pub scope: Option<RpcScope>,
    /// Describe and policy-check the command without sending it.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Confirm a tainting scope without asking.
    #[arg(short, long, global = true)]
    pub yes: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Mlx5Command,
}

/// The typed mlx5 commands.
#[derive(Debug, clap::Subcommand)]
pub enum Mlx5Command {
    /// QUERY_ADAPTER: vendor ids, PSID, vendor-specific data.
    QueryAdapter,
    /// QUERY_HCA_CAP: one capability page.
    HcaCap {
        /// Capability type by name (GENERAL, ROCE, DEBUG, …) or number.
        #[arg(long = "type", value_name = "NAME|NUM", default_value = "GENERAL")]
        cap_type: String,
        /// Current or maximum values.
        #[arg(long, value_name = "cur|max", default_value = "cur", value_parser = parse_mode)]
        mode: CapMode,
    },
    /// QUERY_ISSI: the interface step sequence ids.
    Issi,
    /// QUERY_VPORT_STATE of this function or another vport.
    VportState {
        /// Another vport's number.
        #[arg(long)]
        vport: Option<u16>,
    },
    /// QUERY_NIC_VPORT_CONTEXT: MAC, MTU and friends.
    NicVport {
        /// Another vport's number.
        #[arg(long)]
        vport: Option<u16>,
    },
    /// QUERY_VPORT_COUNTER: traffic counters.
    VportCounters {
        /// Another vport's number.
        #[arg(long)]
        vport: Option<u16>,
        /// Physical port number.
        #[arg(long, default_value_t = 1)]
        port: u8,
        /// Clear the counters after reading.
        #[arg(long)]
        clear: bool,
    },
    /// ACCESS_REG: read or write a register.
    #[command(subcommand)]
    Reg(RegCommand),
    /// Diagnostic counters: parameters, sampling set-up, samples.
    #[command(subcommand)]
    Diag(DiagCommand),
    /// NOP: a command that does nothing (checks the command interface).
    Nop,
}

/// `fwctl mlx5 DEV reg …`.
#[derive(Debug, clap::Subcommand)]
pub enum RegCommand {
    /// Read a register by name (PAOS, PMTU, MTMP, …) or id.
    Read {
        /// The register.
        #[arg(value_name = "NAME|ID")]
        register: String,
        /// Local port (for port registers).
        #[arg(long)]
        port: Option<u8>,
    },
    /// Write register fields: FIELD=VALUE (numbers decimal or 0x hex).
    Write {
        /// The register.
        #[arg(value_name = "NAME|ID")]
        register: String,
        /// Field assignments.
        #[arg(value_name = "FIELD=VALUE", required = true)]
        fields: Vec<String>,
    },
}

/// `fwctl mlx5 DEV diag …`.
#[derive(Debug, clap::Subcommand)]
pub enum DiagCommand {
    /// QUERY_DIAGNOSTIC_PARAMS.
    Params,
    /// SET_DIAGNOSTIC_PARAMS: choose counters and sampling.
    Set {
        /// Counter ids to sample, comma separated (decimal or 0x hex).
        #[arg(long, value_delimiter = ',', value_parser = parse_u16)]
        counters: Vec<u16>,
        /// log2 of the number of samples kept.
        #[arg(long, default_value_t = 0)]
        log_num_samples: u8,
        /// log2 of the sampling period.
        #[arg(long, default_value_t = 0)]
        log_sample_period: u8,
        /// Sample once.
        #[arg(long)]
        single: bool,
        /// Sample cyclically.
        #[arg(long)]
        repetitive: bool,
        /// Synchronise counters.
        #[arg(long)]
        sync: bool,
        /// Clear the sample buffer.
        #[arg(long)]
        clear: bool,
        /// On-demand sampling.
        #[arg(long)]
        on_demand: bool,
        /// Enable sampling.
        #[arg(long)]
        enable: bool,
    },
    /// QUERY_DIAGNOSTIC_COUNTERS: read samples.
    Counters {
        /// Number of samples.
        #[arg(long, default_value_t = 1)]
        samples: u16,
        /// First sample index.
        #[arg(long, default_value_t = 0)]
        index: u16,
    },
}

/// Examples shown by `fwctl mlx5 --help`.
pub const MLX5_HELP: &str = "\
Examples:
  fwctl mlx5 fwctl0 query-adapter
  fwctl mlx5 fwctl0 hca-cap --type ROCE --mode max
  fwctl mlx5 fwctl0 vport-counters --json
  fwctl mlx5 fwctl0 reg read PAOS --port 1
  fwctl mlx5 fwctl0 reg write PAOS local_port=1 admin_status=2 --yes
  fwctl mlx5 fwctl0 diag set --counters 0x401,0x402 --enable --yes
  fwctl mlx5 fwctl0 --dry-run nop

Each command uses the lowest scope the driver allows for it (a note says which);
--scope overrides it.";

fn parse_mode(s: &str) -> Result<CapMode, String> {
    CapMode::from_name(s).ok_or_else(|| format!("'{s}' is not a mode; expected cur or max"))
}

fn parse_u16(s: &str) -> Result<u16, String> {
    prm::parse_number(s)
        .and_then(|v| u16::try_from(v).ok())
        .ok_or_else(|| format!("'{s}' is not a 16-bit number (decimal or 0x hex)"))
}

fn prm_error(e: prm::PrmError) -> CliError {
    CliError::usage(e.to_string())
}

fn find_register(name: &str) -> Result<&'static registers::Register, CliError> {
    registers::find(name).ok_or_else(|| prm_error(prm::PrmError::UnknownRegister(name.to_string())))
}

/// The request mailbox of a typed command.
pub fn build_request(cmd: &Mlx5Command) -> Result<Vec<u8>, CliError> {
    Ok(match cmd {
        Mlx5Command::QueryAdapter => build::query_adapter(),
        Mlx5Command::HcaCap { cap_type, mode } => {
            let t = caps::cap_type_by_name(cap_type).ok_or_else(|| {
                CliError::usage(format!("unknown capability type '{cap_type}'"))
                    .with_hint("use a name such as GENERAL, ROCE, DEBUG, GENERAL_2, or a number")
            })?;
            build::query_hca_cap(t, *mode)
        }
        Mlx5Command::Issi => build::query_issi(),
        // op_mod 0: the vNIC vport state.
        Mlx5Command::VportState { vport } => build::query_vport_state(0, *vport),
        Mlx5Command::NicVport { vport } => build::query_nic_vport_context(*vport),
        Mlx5Command::VportCounters { vport, port, clear } => {
            build::query_vport_counter(*vport, *port, *clear)
        }
        Mlx5Command::Reg(RegCommand::Read { register, port }) => {
            let reg = find_register(register)?;
            let port = port.map(|p| p.to_string());
            let fields: Vec<(&str, &str)> = port.iter().map(|p| ("local_port", p.as_str())).collect();
            build::access_reg(reg, false, &fields).map_err(prm_error)?
        }
        Mlx5Command::Reg(RegCommand::Write { register, fields }) => {
            let reg = find_register(register)?;
            let pairs = fields.iter().map(|f| build::parse_assignment(f)).collect::<Result<Vec<_>, _>>();
            build::access_reg(reg, true, &pairs.map_err(prm_error)?).map_err(prm_error)?
        }
        Mlx5Command::Diag(DiagCommand::Params) => build::query_diagnostic_params(),
        Mlx5Command::Diag(DiagCommand::Set {
            counters,
            log_num_samples,
            log_sample_period,
            single,
            repetitive,
            sync,
            clear,
            on_demand,
            enable,
        }) => build::set_diagnostic_params(&DiagParams {
            counters: counters.clone(),
            log_num_of_samples: *log_num_samples,
            log_sample_period: *log_sample_period,
            single: *single,
            repetitive: *repetitive,
            sync: *sync,
            clear: *clear,
            on_demand: *on_demand,
            enable: *enable,
        })
        .map_err(prm_error)?,
        Mlx5Command::Diag(DiagCommand::Counters { samples, index }) => {
            build::query_diagnostic_counters(*samples, *index)
        }
        Mlx5Command::Nop => build::nop(),
    })
}

/// Run `fwctl mlx5`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &Mlx5Args) -> CmdResult {
    let request = build_request(&args.command)?;
    let transport = ctx.transport()?;
    let dev = &args.device;
    let mut channel = ctx.open_device(transport.as_ref(), dev)?;
    let info = channel.info(&mut []).map_err(|e| CliError::errno(e, format!("FWCTL_INFO on {dev}")))?;
    if DeviceType::from_u32(info.device_type) != Some(DeviceType::Mlx5) {
        return Err(CliError::usage(format!("{dev} is not an mlx5 device (type {})", info.device_type))
            .with_hint("`fwctl list` shows each device's type; use `fwctl rpc` for others"));
    }
    let description = channel.describe(&request).ok();
    let name = description.as_ref().and_then(|d| d.name.as_deref()).unwrap_or("the command").to_string();
    let scope = match (args.scope, description.as_ref().and_then(|d| d.min_scope)) {
        (Some(s), _) => s,
        (None, Some(min)) => {
            ctx.note(&format!("using scope {min}, the lowest the driver allows for {name}"))?;
            min
        }
        (None, None) => RpcScope::Configuration,
    };
    let json_out = ctx.global.json;
    let mut report = Report {
        device: dev.name.clone(),
        device_type: Some(DeviceType::Mlx5),
        transport: transport.kind().name(),
        scope,
        request: &request,
        description: description.as_ref(),
    };
    if args.dry_run {
        let dry = channel
            .dry_run(scope.as_u32(), &request)
            .map_err(|e| CliError::errno(e, format!("dry run on {dev}")))?;
        let format = if json_out { Format::Json } else { Format::Hexdump };
        return rpc::print_dry_run(ctx, &mut report, format, &dry);
    }
    if scope.taints() {
        rpc::confirm_taint(ctx, &report, args.yes)?;
    }
    let out_len = description.as_ref().and_then(|d| d.expected_out_len).unwrap_or(DEFAULT_OUT_LEN);
    let ex = rpc::send(channel.as_mut(), &dev.name, scope, &request, Some(out_len))?;
    let exit = ex.exit();
    // Status and syndrome have their own line; the table holds the command's fields.
    let fields: Vec<_> = decode::response_fields(DeviceType::Mlx5, &request, &ex.response)
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.name != "status" && f.name != "syndrome")
        .collect();
    let out = &mut ctx.console.stdout;
    let written = if json_out {
        let doc = json!({
            "device": dev.name,
            "transport": report.transport,
            "command": name,
            "scope": scope.name(),
            "status": ex.status,
            "out_len": ex.produced,
            "truncated": ex.truncated(),
            "fields": decode::fields_json(&fields),
        });
        writeln!(out, "{doc}")
    } else {
        let status = ex.status.as_ref().map_or("delivered".to_string(), ToString::to_string);
        writeln!(out, "{}: {name} at scope {scope}: {status}", dev.name)
            .and_then(|()| decode::write_fields(*out, &fields, "  "))
    };
    written.map_err(|e| {
        let mut err = CliError::from(e);
        if err.quiet {
            err.exit = exit;
        }
        err
    })?;
    Ok(exit)
}
