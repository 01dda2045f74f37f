//! Drop-in policy files: `<policy dir>/policy.d/*.toml` (for
//! `/etc/fwctl/policy.toml`, `/etc/fwctl/policy.d/`), merged after the main
//! file in file-name order, so configuration-management tools can write one
//! file each.
//!
//! A drop-in holds `[[rule]]` and `[[device]]` tables (and comments) only: the
//! file-wide settings (`version`, `lockdown`, `audit`, `deny_firmware`) live in
//! the main file. The whole set is checked as one policy — rule names are
//! unique across files, shadowed rules are reported across files — and every
//! diagnostic and reason names the file and line it comes from
//! (`policy.d/20-ops.toml:3`). The main file's rules come first, then each
//! drop-in's, in name order; first match decides, so a drop-in cannot override
//! a rule of the main file (`fwctl policy check` warns when one is shadowed).
//!
//! Only regular files ending in `.toml` whose names do not start with `.` are
//! read (editor backups and temporary files are skipped); at most
//! [`MAX_DROPINS`] files, each at most [`super::MAX_POLICY_BYTES`]. A missing
//! directory means no drop-ins.

use std::path::{Path, PathBuf};

use super::error::SourceMap;
use super::{Diagnostic, LoadedPolicy, PolicyError, PolicySource, SystemResolver};

/// The drop-in directory's name, next to the main policy file.
pub const DROPIN_DIR: &str = "policy.d";

/// At most this many drop-in files are read.
pub const MAX_DROPINS: usize = 256;

/// The drop-in directory of the policy file `path`: `<its directory>/policy.d`.
pub fn dropin_dir(path: &Path) -> PathBuf {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join(DROPIN_DIR)
}

/// The drop-in files of `dir`, in name order (none when it does not exist).
pub fn dropin_files(dir: &Path) -> Result<Vec<PathBuf>, PolicyError> {
    let io = |err: std::io::Error| PolicyError::Io { path: dir.to_path_buf(), err };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || !name.ends_with(".toml") {
            continue;
        }
        if !entry.file_type().map_err(io)?.is_file() {
            continue;
        }
        files.push(entry.path());
        if files.len() > MAX_DROPINS {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("more than {MAX_DROPINS} drop-in files"),
            )));
        }
    }
    files.sort();
    Ok(files)
}

/// A drop-in must start (after comments and blank lines) with a table header
/// and hold only `rule` and `device` tables: anything else would, once
/// joined after the main file, silently become part of the previous table.
fn check_dropin(file: &str, text: &str) -> Result<(), Diagnostic> {
    let map = SourceMap::new(file, text);
    let first = text
        .lines()
        .scan(0usize, |off, l| {
            let start = *off;
            *off += l.len() + 1;
            Some((start, l))
        })
        .find(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        });
    let hint = Some(
        "a drop-in holds [[rule]] and [[device]] tables only; version, lockdown, audit and \
         deny_firmware belong in the main policy file"
            .to_string(),
    );
    if let Some((start, line)) = first
        && !line.trim_start().starts_with('[')
    {
        let key = line.split('=').next().unwrap_or("").trim();
        return Err(map.diag(start..start, format!("`{key}` is not allowed in a drop-in"), hint));
    }
    let table: toml::Table = toml::from_str(text)
        .map_err(|e| map.diag(e.span().unwrap_or(0..0), e.message().trim_end().to_string(), None))?;
    if let Some(key) = table.keys().find(|k| *k != "rule" && *k != "device") {
        let at = text.find(&format!("[{key}")).unwrap_or(0);
        return Err(map.diag(at..at, format!("`[{key}]` is not allowed in a drop-in"), hint));
    }
    Ok(())
}

/// Load the policy at `path` (or the built-in default when it does not exist)
/// with the drop-ins of its directory ([`dropin_dir`]): what fwctld and
/// embedded runs enforce.
pub fn load_with_dropins(path: &Path) -> Result<LoadedPolicy, PolicyError> {
    load_merged(path, &dropin_dir(path))
}

/// `fwctl policy check [--dir DIR]`: the policy at `path` (or the built-in
/// default) with the drop-ins of `dir`, checked as a whole; unknown user and
/// group names are errors ([`super::load_str_strict`]).
pub fn check_with_dropins(path: &Path, dir: &Path) -> Result<LoadedPolicy, PolicyError> {
    let loaded = load_merged(path, dir)?;
    if loaded.unknown_names.is_empty() { Ok(loaded) } else { Err(PolicyError::Invalid(loaded.unknown_names)) }
}

/// An edit of the policy at `path`, `text`, validated as the editing commands
/// install it: strictly ([`super::load_str_strict`]) and together with the
/// drop-ins next to it, so a rule name a drop-in already uses is refused
/// before the file is installed.
pub fn check_edit(path: &Path, text: &str) -> Result<LoadedPolicy, PolicyError> {
    let dir = dropin_dir(path);
    let files = dropin_files(&dir)?;
    if files.is_empty() {
        return super::load_str_strict(text, &path.display().to_string());
    }
    let main = (text.to_string(), PolicySource::File(path.into()), path.display().to_string());
    let merged = join(main, files)?;
    if merged.unknown_names.is_empty() { Ok(merged) } else { Err(PolicyError::Invalid(merged.unknown_names)) }
}

/// The policy at `path` (or the built-in default) joined with the drop-ins of `dir`.
pub fn load_merged(path: &Path, dir: &Path) -> Result<LoadedPolicy, PolicyError> {
    let files = dropin_files(dir)?;
    if files.is_empty() {
        return super::load_or_default(path);
    }
    let main = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
            super::shipped::DEFAULT.to_string(),
            PolicySource::BuiltinDefault { missing: path.into() },
            "<built-in default>".to_string(),
        ),
        _ => {
            let text = super::read_text(path, super::MAX_POLICY_BYTES)
                .map_err(|err| PolicyError::Io { path: path.into(), err })?;
            (text, PolicySource::File(path.into()), path.display().to_string())
        }
    };
    join(main, files)
}

/// The main text (with its source and name) followed by `files`, compiled as one.
fn join(main: (String, PolicySource, String), files: Vec<PathBuf>) -> Result<LoadedPolicy, PolicyError> {
    let (mut text, source, main_name) = main;
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let mut starts = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for (file, name) in files.iter().zip(&names) {
        let part = super::read_text(file, super::MAX_POLICY_BYTES)
            .map_err(|err| PolicyError::Io { path: file.clone(), err })?;
        if let Err(d) = check_dropin(name, &part) {
            problems.push(d);
            continue;
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
        starts.push(text.len());
        text.push_str(&part);
    }
    if !problems.is_empty() {
        return Err(PolicyError::Invalid(problems));
    }
    let parts: Vec<(usize, &str)> = starts.iter().copied().zip(names.iter().map(String::as_str)).collect();
    let map = SourceMap::joined(&main_name, &text, parts);
    let mut loaded = super::compile_map(&map, &text, &main_name, &SystemResolver)?;
    loaded.source = source;
    loaded.dropins = files;
    Ok(loaded)
}

impl LoadedPolicy {
    /// The source with its drop-ins: `/etc/fwctl/policy.toml + 2 drop-in(s) in /etc/fwctl/policy.d`.
    pub fn describe_source(&self) -> String {
        match self.dropins.first().and_then(|f| f.parent()) {
            Some(dir) => format!("{} + {} drop-in(s) in {}", self.source, self.dropins.len(), dir.display()),
            None => self.source.to_string(),
        }
    }
}
