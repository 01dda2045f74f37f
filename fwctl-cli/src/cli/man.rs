//! `fwctl man [SUBCOMMAND]`: roff manual pages. `fwctl(1)`, one page per
//! subcommand (`fwctl-rpc(1)` …, generated from the clap tree so they never
//! drift from `--help`), `fwctld(8)` and `fwctl-policy(5)`; `--dir DIR`
//! writes them all as files, for packaging (`contrib/man/` holds the copy the
//! `.deb` ships, checked against this output by a test).

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::exit::CliError;

/// `fwctl-policy(5)`: the policy file, in brief (the full reference is `Documentation/policy.md`).
const POLICY_5: &str = r#".TH FWCTL-POLICY 5 "" "fwctl" "File Formats"
.SH NAME
fwctl-policy \- the fwctl administrator policy (policy.toml)
.SH SYNOPSIS
.B /etc/fwctl/policy.toml
.SH DESCRIPTION
The policy narrows what the fwctl driver and the kernel rules allow: who may use
which maximum scope on which devices, with which commands. fwctld and the
embedded subsystem load it; a file that does not validate is never installed
(\fBfwctl policy edit\fR works like visudo).
.PP
Rules are evaluated in order and the \fBfirst rule that applies decides\fR
(sudoers is last-match; fwctl is not). \fBfwctl policy check\fR warns about a rule an
earlier rule always decides first.
.SH KEYS
.TP
.B version = 1
Required.
.TP
.B lockdown = true
Refuse debug-write-full outright.
.TP
.B audit = "all" | "denials" | "none"
What the audit log records.
.TP
.B [[rule]]
\fBname\fR (unique), \fBaction\fR (allow | deny), principals \fBusers\fR,
\fBgroups\fR, \fBcap_sys_rawio\fR; device selectors \fBdevices\fR,
\fBdevice_types\fR, \fBparents\fR, \fBfirmware\fR; \fBmax_scope\fR (allow rules);
\fBopcodes\fR, \fBdeny_opcodes\fR, \fBdeny_register_writes\fR,
\fBdeny_register_reads\fR.
.TP
.B [[device]]
\fBenabled\fR, \fBmax_scope\fR for the devices it selects.
.SH STRICTNESS
Command and register names are checked against the drivers fwctl knows: an
unknown name is an error with the nearest known name
("PAOZ": unknown register; did you mean PAOS?). Numbers are always accepted.
Unknown user and group names are warnings (they match nobody).
.SH SCOPES
configuration < debug-read-only < debug-write < debug-write-full. debug-write
and debug-write-full taint the kernel (TAINT_FWCTL, letter J);
debug-write-full also needs CAP_SYS_RAWIO.
.SH FILES
/etc/fwctl/policy.toml, /var/lib/fwctl/audit.log
.SH SEE ALSO
.BR fwctl (1),
.BR fwctl-policy-cmd (1),
.BR fwctld (8)
"#;

/// The page names `fwctl man` knows: `fwctl`, each subcommand, `fwctld`, `policy-file`.
pub fn page_names() -> Vec<String> {
    let mut v = vec!["fwctl".to_string()];
    v.extend(crate::cli::command().get_subcommands().map(|s| s.get_name().to_string()));
    v.push("fwctld".into());
    v.push("policy-file".into());
    v
}

/// Render one page: `None` or `fwctl` for fwctl(1), a subcommand name for
/// fwctl-NAME(1), `fwctld` for fwctld(8), `policy-file` for fwctl-policy(5).
/// Returns the file name and the roff text.
pub fn render(page: Option<&str>) -> Result<(String, Vec<u8>), CliError> {
    let mut out = Vec::new();
    match page {
        None | Some("fwctl") => {
            clap_mangen::Man::new(crate::cli::command()).render(&mut out)?;
            Ok(("fwctl.1".into(), out))
        }
        Some("fwctld") => {
            let cmd = crate::daemon::Args::command();
            clap_mangen::Man::new(cmd).section("8").render(&mut out)?;
            Ok(("fwctld.8".into(), out))
        }
        Some("policy-file") => Ok(("fwctl-policy.5".into(), POLICY_5.as_bytes().to_vec())),
        Some(name) => {
            // Built first, so the global options are propagated into the subcommand.
            let mut root = crate::cli::command();
            root.build();
            let Some(sub) = root.find_subcommand(name).cloned() else {
                return Err(CliError::usage(format!("no manual page '{name}'"))
                    .with_hint(format!("pages: {}", page_names().join(", "))));
            };
            // The page is named fwctl-NAME and its synopsis reads `fwctl NAME …`.
            let full = format!("fwctl-{name}");
            let sub = sub.name(full.clone()).bin_name(format!("fwctl {name}"));
            clap_mangen::Man::new(sub).title(full.to_uppercase()).render(&mut out)?;
            Ok((format!("{full}.1"), out))
        }
    }
}

/// Write every page into `dir` (created if missing).
pub fn write_all(dir: &Path, stdout: &mut dyn Write) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::usage(format!("cannot create {}: {}", dir.display(), crate::cli::files::io_reason(&e)))
    })?;
    for name in page_names() {
        let (file, text) = render(Some(&name))?;
        let path = dir.join(&file);
        std::fs::write(&path, text).map_err(|e| {
            CliError::usage(format!("cannot write {}: {}", path.display(), crate::cli::files::io_reason(&e)))
        })?;
        writeln!(stdout, "{}", path.display())?;
    }
    Ok(())
}
