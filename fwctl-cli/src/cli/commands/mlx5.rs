//! `fwctl mlx5 DEV <command>`: typed mlx5 commands. Each builds its mailbox with
//! the simulator crate's PRM builders, asks the driver for the lowest scope that
//! allows it (and says so), sends it through the same path as `fwctl rpc`, and
//! prints the decoded response as a field table or JSON.

use std::io::Write;

use fwctl_core::{DeviceType, RpcScope};
use fwctl_mlx5_sim::prm::{self, CapMode, DiagParams, FieldDef, build, caps, meanings, queries, registers};
use serde_json::json;

use crate::cli::Ctx;
use crate::cli::commands::rpc::{self, DEFAULT_OUT_LEN, Report};
use crate::cli::decode;
use crate::cli::device::{self, DeviceArg};
use crate::cli::exit::{CliError, CmdResult, Exit};
use crate::cli::output::Format;
use crate::cli::value::ValueError;

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
    /// Output format (every subcommand).
    #[command(flatten)]
    pub out: crate::cli::outfmt::JsonArgsGlobal,
    /// The command.
    #[command(subcommand)]
    pub command: Mlx5Command,
}

/// The typed mlx5 commands.
#[derive(Debug, clap::Subcommand)]
pub enum Mlx5Command {
    /// QUERY_ADAPTER: vendor ids, PSID, vendor-specific data.
    QueryAdapter,
    /// QUERY_HCA_CAP: one capability page (alias `cap`).
    #[command(visible_alias = "cap")]
    HcaCap {
        /// Capability type by name (GENERAL, ROCE, DEBUG, …) or number.
        #[arg(long = "type", visible_alias = "id", value_name = "NAME|NUM", default_value = "GENERAL")]
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
    /// Query one object or table: `obj eq --id 3`, `obj flow_table --id 1`,
    /// `obj vhca_state` (names: the QUERY_* opcodes without QUERY_, lower case).
    Obj {
        /// The object type, e.g. eq, cq, qp, sq, rq, tir, tis, rqt, mkey, flow_table.
        #[arg(value_name = "TYPE")]
        name: String,
        /// The object's id (decimal or 0x hex).
        #[arg(long, value_parser = parse_u32)]
        id: Option<u32>,
        /// op_mod (the object type for general_object).
        #[arg(long, value_parser = parse_u16, default_value = "0")]
        op_mod: u16,
    },
    /// Diagnostic counters: parameters, sampling set-up, samples.
    #[command(subcommand)]
    Diag(DiagCommand),
    /// NOP: a command that does nothing (checks the command interface).
    Nop,
}

/// `fwctl mlx5 DEV reg …`.
#[derive(Debug, clap::Subcommand)]
pub enum RegCommand {
    /// The registers the device knows: id, name, size, access.
    List,
    /// Read a register by name (PAOS, PMTU, MTMP, …) or id (alias `get`).
    #[command(visible_alias = "get")]
    Read {
        /// The register.
        #[arg(value_name = "NAME|ID")]
        register: String,
        /// Local port (for port registers); port 1 when not given.
        #[arg(long)]
        port: Option<u8>,
        /// Index fields, mlxreg style: `--indexes "local_port=1,pnat=0"`.
        #[arg(long, value_name = "FIELD=VALUE,…", value_delimiter = ',')]
        indexes: Vec<String>,
        /// Show the register's fields (offset, width, meaning) instead of reading it.
        #[arg(long)]
        fields: bool,
    },
    /// Write register fields: FIELD=VALUE (numbers decimal or 0x hex) (alias `set`).
    #[command(visible_alias = "set")]
    Write {
        /// The register.
        #[arg(value_name = "NAME|ID")]
        register: String,
        /// Field assignments.
        #[arg(value_name = "FIELD=VALUE", required_unless_present = "set")]
        fields: Vec<String>,
        /// Field assignments, mlxreg style: `--set "admin_status=2,ase=1"`.
        #[arg(long, value_name = "FIELD=VALUE,…", value_delimiter = ',')]
        set: Vec<String>,
        /// Index fields, mlxreg style: `--indexes "local_port=1"`.
        #[arg(long, value_name = "FIELD=VALUE,…", value_delimiter = ',')]
        indexes: Vec<String>,
        /// Local port (for port registers); port 1 when not given.
        #[arg(long)]
        port: Option<u8>,
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
  fwctl mlx5 fwctl0 reg list
  fwctl mlx5 fwctl0 reg read MGIR
  fwctl mlx5 fwctl0 reg read PAOS --port 1
  fwctl mlx5 fwctl0 reg read PPCNT --indexes local_port=1,grp=0x12
  fwctl mlx5 fwctl0 reg write PAOS local_port=1 admin_status=2 ase=1 --yes
  fwctl mlx5 fwctl0 obj eq --id 1
  fwctl mlx5 fwctl0 cap --id FLOW_TABLE --mode max
  fwctl mlx5 fwctl0 diag set --counters 0x401,0x402 --enable --yes
  fwctl mlx5 fwctl0 --dry-run nop

Each command uses the lowest scope the driver allows for it (a note says which);
--scope overrides it.";

fn parse_mode(s: &str) -> Result<CapMode, ValueError> {
    CapMode::from_name(s).ok_or_else(|| ValueError::CapMode(s.into()))
}

fn parse_u16(s: &str) -> Result<u16, ValueError> {
    prm::parse_number(s)
        .and_then(|v| u16::try_from(v).ok())
        .ok_or_else(|| ValueError::NotAnInteger { value: s.into(), bits: 16 })
}

fn parse_u32(s: &str) -> Result<u32, ValueError> {
    prm::parse_number(s)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| ValueError::NotAnInteger { value: s.into(), bits: 32 })
}

fn prm_error(e: prm::PrmError) -> CliError {
    CliError::usage(e.to_string())
}

fn find_register(name: &str) -> Result<&'static registers::Register, CliError> {
    registers::find(name).ok_or_else(|| prm_error(prm::PrmError::UnknownRegister(name.to_string())))
}

/// `FIELD=VALUE` pairs, in order.
pub type Assignments = Vec<(String, String)>;

/// The field assignments of `reg write`, in the order they are applied (later
/// wins): the register's default indexes (port 1, …), `--port`, `--indexes`,
/// `--set`, the positional `FIELD=VALUE`s; then the update-enable bit of each
/// written field that has one and was not given (`ase=1` for PAOS
/// `admin_status`), each with a note saying so.
pub fn write_assignments(
    reg: &registers::Register,
    fields: &[String],
    set: &[String],
    indexes: &[String],
    port: Option<u8>,
) -> Result<(Assignments, Vec<String>), CliError> {
    let owned = |(f, v): (&str, &str)| (f.to_string(), v.to_string());
    let mut pairs: Vec<(String, String)> =
        registers::default_indexes(reg.id).iter().map(|p| owned(*p)).collect();
    pairs.extend(port.map(|p| ("local_port".to_string(), p.to_string())));
    let mut written = Vec::new();
    for (i, a) in indexes.iter().chain(set).chain(fields).enumerate() {
        let pair = build::parse_assignment(a).map_err(prm_error)?;
        if i >= indexes.len() {
            written.push(pair.0.to_string());
        }
        pairs.push(owned(pair));
    }
    let mut notes = Vec::new();
    for field in &written {
        if let Some(enable) = registers::update_enable(reg.id, field)
            && !pairs.iter().any(|(f, _)| f.eq_ignore_ascii_case(enable))
        {
            notes.push(format!(
                "also setting {enable}=1: {} applies a write of {field} only with {enable} set",
                reg.name
            ));
            pairs.push((enable.to_string(), "1".to_string()));
        }
    }
    Ok((pairs, notes))
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
        Mlx5Command::Reg(RegCommand::List) => {
            return Err(CliError::usage("`reg list` sends nothing".to_string()));
        }
        Mlx5Command::Reg(RegCommand::Read { register, port, indexes, .. }) => {
            let reg = find_register(register)?;
            // Defaults first, then --port, then --indexes: later assignments win.
            let port = port.map(|p| p.to_string());
            let mut fields: Vec<(&str, &str)> = registers::default_indexes(reg.id).to_vec();
            fields.extend(port.iter().map(|p| ("local_port", p.as_str())));
            for a in indexes {
                fields.push(build::parse_assignment(a).map_err(prm_error)?);
            }
            build::access_reg(reg, false, &fields).map_err(prm_error)?
        }
        Mlx5Command::Reg(RegCommand::Write { register, fields, set, indexes, port }) => {
            let reg = find_register(register)?;
            let (pairs, _) = write_assignments(reg, fields, set, indexes, *port)?;
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(f, v)| (f.as_str(), v.as_str())).collect();
            build::access_reg(reg, true, &pairs).map_err(prm_error)?
        }
        Mlx5Command::Obj { name, id, op_mod } => {
            let q = queries::by_object_name(name).ok_or_else(|| {
                CliError::usage(format!("unknown object type '{name}'"))
                    .with_hint("`fwctl mlx5 DEV obj --help` lists them: eq, cq, qp, sq, rq, tir, tis, rqt, mkey, flow_table, …")
            })?;
            queries::request(q, *id, *op_mod)
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
    if let Some(written) = local(ctx, &args.command)? {
        return Ok(written);
    }
    let request = build_request(&args.command)?;
    if let Mlx5Command::Reg(RegCommand::Write { register, fields, set, indexes, port }) = &args.command {
        let (_, notes) = write_assignments(find_register(register)?, fields, set, indexes, *port)?;
        for n in notes {
            ctx.note(&n)?;
        }
    }
    let transport = ctx.transport()?;
    let dev = &device::resolve(transport.as_ref(), &args.device)?;
    let mut channel = ctx.open_device(transport.as_ref(), dev)?;
    rpc::require_device_type(
        channel.as_mut(),
        dev,
        DeviceType::Mlx5,
        "an mlx5",
        "`fwctl list` shows each device's type; use `fwctl rpc` for others",
    )?;
    let description = channel.describe(&request).ok();
    let name = description.as_ref().and_then(|d| d.name.as_deref()).unwrap_or("the command").to_string();
    let scope = rpc::typed_scope(ctx, args.scope, description.as_ref())?;
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
        rpc::precheck(channel.as_mut(), &report)?;
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
    let explanation = fwctl_mlx5_sim::explain(&request, &ex.response).filter(|_| exit != Exit::Ok);
    let written = if json_out {
        let doc = json!({
            "device": dev.name,
            "transport": report.transport,
            "command": name,
            "scope": scope.name(),
            "status": ex.status,
            "explanation": explanation,
            "out_len": ex.produced,
            "truncated": ex.truncated(),
            "fields": decode::fields_json(&fields),
        });
        let text = ctx.json_text(doc);
        writeln!(ctx.console.stdout, "{text}")
    } else {
        let out = &mut ctx.console.stdout;
        let status = ex.status.as_ref().map_or("delivered".to_string(), ToString::to_string);
        writeln!(out, "{}: {name} at scope {scope}: {status}", dev.name)
            .and_then(|()| match &explanation {
                Some(e) => writeln!(out, "  {e}"),
                None => Ok(()),
            })
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

/// The fields `reg read NAME --fields` lists: the register's own, then for
/// PDDR each page's (`page_data.NAME`, with its `page_select`).
fn field_list(reg: &registers::Register) -> Vec<(String, &'static FieldDef, Option<u64>)> {
    let mut list: Vec<_> = reg.layout.fields.iter().map(|f| (f.name.to_string(), f, None)).collect();
    if reg.id == registers::id::PDDR {
        for page in registers::pddr::PAGES {
            let fields = registers::pddr::page_layout(page).map_or(&[][..], |l| l.fields);
            list.extend(fields.iter().map(|f| (format!("page_data.{}", f.name), f, Some(page))));
        }
    }
    list
}

/// The commands answered without a device: `reg list` and `reg read NAME --fields`.
fn local(ctx: &mut Ctx<'_, '_>, cmd: &Mlx5Command) -> Result<Option<Exit>, CliError> {
    let json_out = ctx.global.json;
    let out = &mut ctx.console.stdout;
    let written = match cmd {
        Mlx5Command::Reg(RegCommand::List) => {
            let mut regs = registers::REGISTERS.iter();
            if json_out {
                let list: Vec<_> = regs
                    .map(|r| json!({ "id": r.id, "name": r.name, "bytes": r.size(), "writable": r.writable, "description": r.description }))
                    .collect();
                writeln!(out, "{}", json!({ "registers": list }))
            } else {
                regs.try_for_each(|r| {
                    let access = if r.writable { "rw" } else { "ro" };
                    writeln!(
                        out,
                        "{:#06x}  {:<14} {:>4} B  {access}  {}",
                        r.id,
                        r.name,
                        r.size(),
                        r.description
                    )
                })
            }
        }
        Mlx5Command::Reg(RegCommand::Read { register, fields: true, .. }) => {
            let reg = find_register(register)?;
            let defs = field_list(reg);
            if json_out {
                let list: Vec<_> = defs
                    .iter()
                    .map(|(name, f, page)| {
                        json!({
                            "name": name,
                            "bit": f.bit + 8 * page.map_or(0, |_| registers::pddr::PAGE_DATA_BYTE as u32),
                            "width": f.width,
                            "page_select": page,
                            "meaning": meanings::field_meaning(reg.name, name),
                        })
                    })
                    .collect();
                writeln!(
                    out,
                    "{}",
                    json!({ "register": reg.name, "id": reg.id, "bytes": reg.size(), "writable": reg.writable, "fields": list })
                )
            } else {
                writeln!(out, "{} ({:#06x}): {}, {} bytes", reg.name, reg.id, reg.description, reg.size())
                    .and_then(|()| {
                        let mut last_page = None;
                        defs.iter().try_for_each(|(name, f, page)| {
                            if *page != last_page {
                                last_page = *page;
                                if let Some(p) = page {
                                    writeln!(out, "  page_select = {p}:")?;
                                }
                            }
                            let base = page.map_or(0, |_| 8 * registers::pddr::PAGE_DATA_BYTE as u32);
                            let meaning = meanings::field_meaning(reg.name, name).unwrap_or_default();
                            writeln!(
                                out,
                                "  {:<40} bit {:#06x}  width {:>4}  {meaning}",
                                name,
                                base + f.bit,
                                f.width,
                            )
                        })
                    })
            }
        }
        _ => return Ok(None),
    };
    written.map_err(CliError::from)?;
    Ok(Some(Exit::Ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(register: &str, port: Option<u8>, indexes: &[&str]) -> Result<Vec<u8>, CliError> {
        build_request(&Mlx5Command::Reg(RegCommand::Read {
            register: register.into(),
            port,
            indexes: indexes.iter().map(|s| s.to_string()).collect(),
            fields: false,
        }))
    }

    #[test]
    fn register_reads_get_default_indexes_that_port_and_indexes_override() {
        // PTYS: local_port (byte 17) 1 and proto_mask (byte 19, low bits) Ethernet by default.
        let q = read("PTYS", None, &[]).map_err(|e| e.to_string()).unwrap_or_default();
        assert_eq!((q[17], q[19] & 0x7), (1, 4));
        let q = read("PTYS", Some(2), &[]).map_err(|e| e.to_string()).unwrap_or_default();
        assert_eq!(q[17], 2);
        let q = read("PPCNT", Some(2), &["local_port=1", "grp=0x12"])
            .map_err(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!((q[17], q[19] & 0x3f), (1, 0x12), "--indexes wins over --port");
        assert!(read("PPCNT", None, &["nonsense"]).is_err());
    }

    #[test]
    fn writes_take_set_and_indexes_and_objects_take_ids() {
        let w = build_request(&Mlx5Command::Reg(RegCommand::Write {
            register: "QPTS".into(),
            fields: vec![],
            set: vec!["trust_state=2".into()],
            indexes: vec!["local_port=1".into()],
            port: None,
        }))
        .map_err(|e| e.to_string())
        .unwrap_or_default();
        assert_eq!((w[6..8].to_vec(), w[17], w[23] & 0x7), (vec![0, 0], 1, 2));
        // obj cq --id 0x401: QUERY_CQ (0x402) with cqn at bit 0x48.
        let q = build_request(&Mlx5Command::Obj { name: "cq".into(), id: Some(0x401), op_mod: 0 })
            .map_err(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!((&q[0..2], &q[9..12]), (&[0x04, 0x02][..], &[0x00, 0x04, 0x01][..]));
        assert!(build_request(&Mlx5Command::Obj { name: "nosuch".into(), id: None, op_mod: 0 }).is_err());
    }
}
