//! The `fwctl` command line: the clap definitions, the global options and the
//! dispatcher. Each subcommand lives in [`commands`]; everything reaches devices
//! through a [`Transport`] chosen by [`connect`].

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use fwctl_core::transport::Transport;

pub mod commands;
pub mod connect;
pub mod decode;
pub mod device;
pub mod embedded;
pub mod exit;
pub mod files;
pub mod hexpayload;
pub mod man;
pub mod outfmt;
pub mod output;
pub mod value;
pub mod watchdog;

use connect::{Connected, TransportChoice};
use exit::{CliError, CmdResult, EXIT_CODES_HELP, Exit};
use output::{Style, Tone};

/// `fwctl`: send RPCs to device firmware through the fwctl subsystem.
#[derive(Debug, Parser)]
#[command(
    name = "fwctl",
    version,
    about = "Send RPCs to device firmware through the fwctl subsystem",
    long_about = "Send RPCs to device firmware through the fwctl subsystem, and inspect its devices, \
                  taint and audit state. With no daemon running and no /dev/fwctl, fwctl builds the \
                  subsystem in-process (the embedded transport).",
    after_help = EXIT_CODES_HELP,
    propagate_version = true
)]
pub struct Cli {
    /// Options that apply to every subcommand.
    #[command(flatten)]
    pub global: GlobalOpts,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// `fwctl [GLOBAL OPTIONS] --version [ANYTHING]`: the global options alone,
/// to say which daemon would answer.
#[derive(Debug, Parser)]
#[command(name = "fwctl", disable_version_flag = true, disable_help_flag = true, ignore_errors = true)]
struct VersionProbe {
    #[command(flatten)]
    global: GlobalOpts,
    /// `--version`/`-V` and whatever else was given.
    #[arg(allow_hyphen_values = true, trailing_var_arg = true, num_args = 0..)]
    _rest: Vec<OsString>,
}

/// Options accepted before or after any subcommand (listed after each
/// command's own options in `--help`, under their own heading).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalOpts {
    /// How to reach devices.
    #[arg(long, global = true, value_enum, default_value_t = TransportChoice::Auto, env = "FWCTL_TRANSPORT")]
    pub transport: TransportChoice,
    /// Directory of the daemon's device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl).
    #[arg(long, global = true, value_name = "DIR", env = "FWCTL_RUNTIME_DIR")]
    pub runtime_dir: Option<PathBuf>,
    /// Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml;
    /// the built-in default policy when it does not exist).
    #[arg(long, global = true, value_name = "FILE", env = "FWCTL_POLICY")]
    pub policy: Option<PathBuf>,
    /// Directory of the embedded subsystem's taint record and audit log
    /// (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl).
    #[arg(long, global = true, value_name = "DIR", env = "FWCTL_STATE_DIR")]
    pub state_dir: Option<PathBuf>,
    /// Audit log file (default: audit.log in the state directory).
    #[arg(long, global = true, value_name = "FILE", env = "FWCTL_AUDIT_LOG")]
    pub audit_log: Option<PathBuf>,
    /// Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass
    /// a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable.
    #[arg(long = "plugin", global = true, value_name = "PATH[?CONFIG]")]
    pub plugins: Vec<String>,
    /// Device node directory the kernel transport looks in.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "FWCTL_DEV_DIR",
        default_value = "/dev/fwctl",
        hide = true
    )]
    pub dev_dir: PathBuf,
    /// The system daemon's runtime directory, searched before the per-user one.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "FWCTL_SYSTEM_RUNTIME_DIR",
        default_value = connect::SYSTEM_RUNTIME_DIR,
        hide = true
    )]
    pub system_runtime_dir: PathBuf,
    /// The daemon configuration whose presence means "this machine runs fwctld".
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "FWCTL_DAEMON_CONFIG",
        default_value = connect::DAEMON_CONFIG,
        hide = true
    )]
    pub daemon_config: PathBuf,
    /// Use the in-process simulated device (same as --transport embedded).
    #[arg(long, global = true)]
    pub simulate: bool,
    /// JSON output was asked for (`--json` or `-o json` on a command that
    /// prints JSON; set after parsing, [`outfmt::requested`]).
    #[arg(skip)]
    pub json: bool,
    /// `-o FMT` as given (set after parsing).
    #[arg(skip)]
    pub output_format: Option<outfmt::OutputFormat>,
    /// Indent JSON output (use with a command's --json).
    #[arg(long, global = true)]
    pub pretty: bool,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30, env = "FWCTL_TIMEOUT")]
    pub timeout: u64,
    /// Print no notes on standard error (warnings and errors still appear).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List devices: name, type, parent, driver, state, transport and taint.
    #[command(after_help = "Examples:\n  fwctl list\n  fwctl list --json\n  fwctl list -o json")]
    List(commands::list::ListArgs),
    /// Show a device's type and its decoded device data (FWCTL_INFO).
    #[command(
        after_help = "Examples:\n  fwctl info fwctl0\n  fwctl info 0 --json\n  fwctl info fwctl0 --raw"
    )]
    Info(commands::info::InfoArgs),
    /// Send one RPC with a hex (or binary) payload and print the response.
    #[command(after_help = commands::rpc::RPC_HELP)]
    Rpc(commands::rpc::RpcArgs),
    /// Typed mlx5 commands: build the mailbox, pick the scope, decode the response.
    #[command(after_help = commands::mlx5::MLX5_HELP)]
    Mlx5(commands::mlx5::Mlx5Args),
    /// Typed CXL Features commands: features, get, set.
    #[command(after_help = commands::cxl::CXL_HELP)]
    Cxl(commands::cxl::CxlArgs),
    /// Typed pds commands: endpoints, ops, call.
    #[command(after_help = commands::pds::PDS_HELP)]
    Pds(commands::pds::PdsArgs),
    /// Typed bnxt (HWRM) commands: ver, hwrm, nvm-dir, nvm-read, commands.
    #[command(after_help = commands::bnxt::BNXT_HELP)]
    Bnxt(commands::bnxt::BnxtArgs),
    /// Show the TAINT_FWCTL flag (bitmask 524288, letter J) and the persisted record
    /// of the first tainting RPC; `taint clear` clears it (root, audited).
    #[command(
        after_help = "Examples:\n  fwctl taint\n  fwctl taint --json\n  fwctl taint clear --reason \"firmware reflashed\""
    )]
    Taint(commands::taint::TaintArgs),
    /// Read the audit log: every decision, taint events and taint clearing.
    #[command(
        after_help = "Examples:\n  fwctl audit --tail 20\n  fwctl audit --device fwctl0 --denied\n  fwctl audit --json --audit-log /var/lib/fwctl/audit.log"
    )]
    Audit(commands::audit::AuditArgs),
    /// The admin policy: check, show, edit, set/allow/deny, explain.
    #[command(after_help = commands::policy::POLICY_HELP)]
    Policy(commands::policy::PolicyArgs),
    /// The running fwctld's control verbs: status, reload, plug, unplug, taint-clear (root).
    #[command(
        after_help = "Examples:\n  fwctl daemon status\n  fwctl daemon reload\n  fwctl daemon unplug fwctl0\n  fwctl daemon plug sim0\n  fwctl daemon taint-clear --reason \"firmware reflashed\""
    )]
    Daemon(commands::daemon::DaemonArgs),
    /// Vendor plugins: self-test a library, list what is loaded.
    #[command(
        after_help = "Examples:\n  fwctl plugin check ./libpds_sim.so\n  fwctl plugin list\n  fwctl --plugin ./libpds_sim.so?devices=2 list"
    )]
    Plugin(commands::plugin::PluginArgs),
    /// The simulated subsystem's saved device state: `sim reset` starts over.
    #[command(after_help = "Examples:\n  fwctl sim reset")]
    Sim(commands::sim::SimArgs),
    /// Run an unmodified fwctl program (uAPI ioctls on /dev/fwctl, sysfs discovery) against fwctld, without root.
    #[command(after_help = commands::exec::EXEC_HELP)]
    Exec(commands::exec::ExecArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  fwctl completions bash > /etc/bash_completion.d/fwctl\n  fwctl completions zsh > ~/.zfunc/_fwctl"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): fwctl(1), fwctl-SUBCOMMAND(1), fwctld(8), fwctl-policy(5).
    #[command(
        after_help = "Examples:\n  fwctl man | man -l -\n  fwctl man rpc | man -l -\n  fwctl man fwctld > fwctld.8\n  fwctl man policy-file | man -l -\n  fwctl man --dir /usr/local/share/man/man1"
    )]
    Man {
        /// The page: a subcommand (rpc, mlx5, policy…), fwctld, or policy-file; none for fwctl(1).
        #[arg(value_name = "PAGE")]
        page: Option<String>,
        /// Write every page into DIR instead (for packaging), one file each.
        #[arg(long, value_name = "DIR", conflicts_with = "page")]
        dir: Option<PathBuf>,
    },
}

/// Where a command reads and writes: the process's streams, or buffers in tests.
pub struct Console<'a> {
    /// Standard output.
    pub stdout: &'a mut dyn Write,
    /// Standard error.
    pub stderr: &'a mut dyn Write,
    /// Standard input.
    pub stdin: &'a mut dyn BufRead,
    /// Whether standard input is a terminal (confirmation prompts need one).
    pub stdin_is_terminal: bool,
    /// Whether standard error is a terminal (for `--color auto`).
    pub stderr_is_terminal: bool,
}

/// Builds the transport for a run; [`connect::connect`] in the binary, a fixture in tests.
pub type Connector<'a> = &'a dyn Fn(&GlobalOpts) -> Result<Connected, CliError>;

/// What a running command has at hand.
pub struct Ctx<'a, 'c> {
    /// The streams.
    pub console: &'a mut Console<'c>,
    /// The global options.
    pub global: &'a GlobalOpts,
    /// Colour for standard error.
    pub style: Style,
    connector: Connector<'a>,
    /// Set once the simulated (embedded) subsystem was connected: every output says so.
    simulated: std::cell::Cell<bool>,
}

impl Ctx<'_, '_> {
    /// Connect to the transport the options ask for.
    pub fn transport(&self) -> Result<Box<dyn Transport>, CliError> {
        Ok(self.connect()?.transport)
    }

    /// Connect, keeping the reason the transport was chosen.
    pub fn connect(&self) -> Result<Connected, CliError> {
        let connected = (self.connector)(self.global)?;
        if connected.transport.kind() == fwctl_core::transport::TransportKind::Embedded {
            self.simulated.set(true);
        }
        Ok(connected)
    }

    /// Whether the simulated subsystem answered this command.
    pub fn simulated(&self) -> bool {
        self.simulated.get()
    }

    /// Print one JSON document on standard output: `"simulated": true` added to
    /// an object when the simulator answered, integers of 2^53 and above as
    /// `"0x…"` strings (so jq and JavaScript lose nothing), indented with `--pretty`.
    pub fn emit_json(&mut self, doc: &serde_json::Value) -> Result<(), CliError> {
        let text = self.json_text(doc.clone());
        writeln!(self.console.stdout, "{text}")?;
        Ok(())
    }

    /// The text [`Ctx::emit_json`] prints for `doc`.
    pub fn json_text(&self, doc: serde_json::Value) -> String {
        render_json(doc, self.simulated(), self.global.pretty)
    }

    /// Open `dev` on `transport`; a refusal by the embedded policy says which rule
    /// (or the default) refused, and what to do about it.
    pub fn open_device(
        &self,
        transport: &dyn Transport,
        dev: &device::DeviceArg,
    ) -> Result<Box<dyn fwctl_core::transport::Channel>, CliError> {
        device::open(transport, dev).map_err(|mut err| {
            let refused = matches!(err.errno, Some(fwctl_core::Errno::EPERM | fwctl_core::Errno::EACCES));
            if refused
                && transport.kind() == fwctl_core::transport::TransportKind::Embedded
                && let Some(view) = transport
                    .list()
                    .ok()
                    .and_then(|l| l.into_iter().find(|d| d.view.name == dev.name).map(|d| d.view))
                && let Some((reason, hint)) = embedded::refusal(self.global, &view)
            {
                err.message = format!("{}: {reason}", err.message);
                err.hint = Some(hint);
            }
            err
        })
    }

    /// A note on standard error, unless `-q`.
    pub fn note(&mut self, msg: &str) -> Result<(), CliError> {
        if !self.global.quiet {
            writeln!(self.console.stderr, "note: {msg}")?;
        }
        Ok(())
    }

    /// A warning on standard error (even with `-q`).
    pub fn warn(&mut self, msg: &str) -> Result<(), CliError> {
        let w = self.style.paint("warning:", Tone::Warn);
        writeln!(self.console.stderr, "{w} {msg}")?;
        Ok(())
    }
}

/// A command's JSON document as printed: integers of 2^53 and above as `"0x…"`
/// strings, `"simulated": true` when the simulator answered, indented with `pretty`.
pub fn render_json(doc: serde_json::Value, simulated: bool, pretty: bool) -> String {
    let mut doc = output::json_safe(doc);
    if simulated && let Some(map) = doc.as_object_mut() {
        map.insert("simulated".into(), serde_json::Value::Bool(true));
    }
    let text = if pretty { serde_json::to_string_pretty(&doc) } else { serde_json::to_string(&doc) };
    // Serializing a Value (string keys) cannot fail; fall back to the compact form.
    text.unwrap_or_else(|_| doc.to_string())
}

/// The clap command tree (for parsing, completions and the man page), with
/// the usage line of every command below one that takes arguments spelled out
/// in full: `fwctl mlx5 <DEV> reg read [OPTIONS] <NAME|ID>`, not clap's
/// `fwctl mlx5 reg read …`, which would not run.
pub fn command() -> clap::Command {
    full_usage(<Cli as clap::CommandFactory>::command(), "", false)
}

/// `<NAME>` for each positional of `cmd` (`[NAME]` when optional, `...` when repeated).
fn positionals(cmd: &clap::Command) -> String {
    cmd.get_positionals()
        .map(|a| {
            let name = a
                .get_value_names()
                .map(|v| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "))
                .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
            let many = matches!(a.get_num_args(), Some(r) if r.max_values() > 1);
            let dots = if many { "..." } else { "" };
            if a.is_required_set() { format!(" <{name}>{dots}") } else { format!(" [{name}]{dots}") }
        })
        .collect()
}

fn full_usage(mut cmd: clap::Command, parent: &str, spell_out: bool) -> clap::Command {
    let name = cmd.get_name().to_string();
    let path = if parent.is_empty() { name } else { format!("{parent} {name}") };
    let own = positionals(&cmd);
    if spell_out {
        let options = if cmd.get_arguments().any(|a| !a.is_positional()) { " [OPTIONS]" } else { "" };
        let sub = if cmd.has_subcommands() { " <COMMAND>" } else { "" };
        cmd = cmd.override_usage(format!("{path}{options}{own}{sub}"));
    }
    // Below a command with positionals, clap's usage lines drop them.
    let spell_children = spell_out || !own.is_empty();
    let here = format!("{path}{own}");
    let names: Vec<String> =
        cmd.get_subcommands().map(|s| s.get_name().to_string()).filter(|n| n != "help").collect();
    for n in names {
        cmd = cmd.mut_subcommand(&n, |s| full_usage(s, &here, spell_children));
    }
    cmd
}

/// Run `fwctl` with `args` (including the program name) and return the exit code.
pub fn run<I, T>(args: I, console: &mut Console<'_>, connector: Connector<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    crate::register_policy_vocabulary();
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let parsed = command().try_get_matches_from(&args).and_then(|m| {
        let mut cli = <Cli as clap::FromArgMatches>::from_arg_matches(&m)?;
        (cli.global.json, cli.global.output_format) = outfmt::requested(&m);
        Ok(cli)
    });
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayVersion => {
            let global = VersionProbe::try_parse_from(&args).ok().map(|p| p.global);
            let mut text = e.render().to_string();
            if let Some(global) = global {
                watchdog::start(global.timeout);
                text.push_str(&format!("daemon: {}\n", connect::who_answers(&global)));
            }
            return match console.stdout.write_all(text.as_bytes()).and_then(|()| console.stdout.flush()) {
                Err(w) if w.kind() != std::io::ErrorKind::BrokenPipe => {
                    let _ = writeln!(
                        console.stderr,
                        "fwctl: error: cannot write output: {}",
                        files::io_reason(&w)
                    );
                    Exit::Usage.code()
                }
                _ => Exit::Ok.code(),
            };
        }
        Err(e) => {
            // --help and --version are "errors" that go to stdout and exit 0.
            let (stream, exit): (&mut dyn Write, Exit) = if e.use_stderr() {
                (&mut *console.stderr, Exit::Usage)
            } else {
                (&mut *console.stdout, Exit::Ok)
            };
            let written = write!(stream, "{}", e.render()).and_then(|()| stream.flush());
            return match written {
                Err(w) if w.kind() != std::io::ErrorKind::BrokenPipe => {
                    let _ = writeln!(
                        console.stderr,
                        "fwctl: error: cannot write output: {}",
                        files::io_reason(&w)
                    );
                    Exit::Usage.code()
                }
                _ => exit.code(),
            };
        }
    };
    watchdog::start(cli.global.timeout);
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => console.stderr_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = Style { color };
    let mut ctx =
        Ctx { console, global: &cli.global, style, connector, simulated: std::cell::Cell::new(false) };
    let result = dispatch(&mut ctx, &cli.command);
    let result = result.and_then(|exit| ctx.console.stdout.flush().map(|()| exit).map_err(CliError::from));
    let code = match result {
        Ok(exit) => exit.code(),
        Err(e) if e.quiet => e.exit.code(),
        Err(e) => {
            let prefix = style.paint("error:", Tone::Bad);
            let _ = writeln!(ctx.console.stderr, "fwctl: {prefix} {}", e.message);
            if let Some(hint) = &e.hint {
                let _ = writeln!(ctx.console.stderr, "  hint: {hint}");
            }
            e.exit.code()
        }
    };
    if ctx.simulated() {
        // Even under -q: a simulated answer must never pass for a real device's.
        let _ = writeln!(
            ctx.console.stderr,
            "fwctl: simulated: the in-process simulated subsystem answered, not a real device \
             (its state is in {})",
            embedded::paths(ctx.global).state_dir.display()
        );
    }
    code
}

fn dispatch(ctx: &mut Ctx<'_, '_>, cmd: &Command) -> CmdResult {
    if ctx.global.output_format == Some(outfmt::OutputFormat::Binary) && !matches!(cmd, Command::Rpc(_)) {
        return Err(CliError::usage(
            "-o binary: only `fwctl rpc` prints raw bytes; use -o json or -o normal",
        ));
    }
    match cmd {
        Command::List(_) => commands::list::run(ctx),
        Command::Info(args) => commands::info::run(ctx, args),
        Command::Rpc(args) => commands::rpc::run(ctx, args),
        Command::Mlx5(args) => commands::mlx5::run(ctx, args),
        Command::Cxl(args) => commands::cxl::run(ctx, args),
        Command::Pds(args) => commands::pds::run(ctx, args),
        Command::Bnxt(args) => commands::bnxt::run(ctx, args),
        Command::Taint(args) => commands::taint::run(ctx, args),
        Command::Audit(args) => commands::audit::run(ctx, args),
        Command::Policy(args) => commands::policy::run(ctx, args),
        Command::Plugin(args) => commands::plugin::run(ctx, args),
        Command::Daemon(args) => commands::daemon::run(ctx, args),
        Command::Sim(args) => commands::sim::run(ctx, args),
        Command::Exec(args) => commands::exec::run(ctx, args),
        Command::Completions { shell } => {
            // Generated into memory first: clap_complete panics when its writer
            // fails, and a closed pipe or a full disk must end quietly or with an error.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command(), "fwctl", &mut script);
            ctx.console.stdout.write_all(&script)?;
            Ok(Exit::Ok)
        }
        Command::Man { page, dir } => {
            if let Some(dir) = dir {
                man::write_all(dir, ctx.console.stdout)?;
                return Ok(Exit::Ok);
            }
            let (_, text) = man::render(page.as_deref())?;
            ctx.console.stdout.write_all(&text)?;
            Ok(Exit::Ok)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_clap_tree_is_consistent() {
        super::command().debug_assert();
    }
}
