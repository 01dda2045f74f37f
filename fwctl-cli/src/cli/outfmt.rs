//! `--json` and `-o/--output-format` (nvme-cli's spelling), accepted only by
//! the commands that print JSON: each flattens [`JsonArgs`] (or, for commands
//! with typed subcommands, [`JsonArgsGlobal`]), so clap refuses the flags
//! elsewhere (`unexpected argument '--json'`). After parsing, [`requested`]
//! reads them from wherever they were given; commands then see
//! [`crate::cli::GlobalOpts::json`]. The keys of each command's JSON are
//! listed in `Documentation/json.md`.

use clap::ArgMatches;

/// `-o FMT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Text (the default).
    Normal,
    /// JSON, as `--json`.
    Json,
    /// The raw response bytes (`rpc` only; `--format raw`).
    Binary,
}

/// `--json` / `-o json|normal` on a command without subcommands.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct JsonArgs {
    /// Print JSON instead of text (keys: Documentation/json.md).
    #[arg(long, conflicts_with = "output_format")]
    pub json: bool,
    /// Output format, nvme-cli style: normal or json.
    #[arg(short = 'o', long = "output-format", value_enum, value_name = "FMT")]
    pub output_format: Option<OutputFormat>,
}

/// [`JsonArgs`] for a command whose every subcommand prints JSON (accepted
/// before or after the subcommand).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct JsonArgsGlobal {
    /// Print JSON instead of text (keys: Documentation/json.md).
    #[arg(long, global = true, conflicts_with = "output_format")]
    pub json: bool,
    /// Output format, nvme-cli style: normal or json.
    #[arg(short = 'o', long = "output-format", value_enum, value_name = "FMT", global = true)]
    pub output_format: Option<OutputFormat>,
}

/// What the command line asked for: (`--json` or `-o json`, the `-o` value).
pub fn requested(matches: &ArgMatches) -> (bool, Option<OutputFormat>) {
    let mut json = false;
    let mut format = None;
    let mut m = Some(matches);
    while let Some(cur) = m {
        if let Ok(Some(true)) = cur.try_get_one::<bool>("json") {
            json = true;
        }
        if let Ok(Some(f)) = cur.try_get_one::<OutputFormat>("output_format") {
            format = Some(*f);
        }
        m = cur.subcommand().map(|(_, sub)| sub);
    }
    (json || format == Some(OutputFormat::Json), format)
}
