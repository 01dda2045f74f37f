//! Safe policy editing for administrators, like `visudo`.
//!
//! Every change — an interactive [`EditSession`] or a programmatic [`apply`] —
//! goes through the same steps:
//! 1. take the exclusive lock `policy.toml.lock` (an edit session refuses when it
//!    is held; [`apply`] waits for it), and remember a SHA-256 of the file;
//! 2. produce the new text (editor on a private copy, or a `toml_edit` change
//!    that keeps comments and formatting);
//! 3. validate it with the policy compiler (an edit session offers re-edit or
//!    discard through a [`Prompt`]; non-interactive callers refuse);
//! 4. [`install`]: check the file still has the remembered hash (someone who
//!    wrote it without the lock is never overwritten), write a temporary file,
//!    fsync, keep the old file as `policy.toml.bak`, rename over the name, fsync
//!    the directory, then call the "after install" callback (daemon reload).
//!
//! A crash at any point leaves either the old file or the new one, never a mix.
//!
//! Every file is created relative to the policy directory's descriptor with
//! `O_NOFOLLOW` (`O_EXCL` for temporaries), and a directory another user could
//! write in (group/world-writable, or owned by someone other than root or the
//! editor) is refused outright, like `visudo`: a symbolic link planted as
//! `policy.toml.lock` or `policy.toml.bak.tmp` can never make root clobber or
//! create a file elsewhere.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use nix::fcntl::{Flock, FlockArg};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value, value};

use super::paths::Paths;
use super::{LoadedPolicy, PolicyError, shipped};
use crate::audit::sha256_hex;

/// Why an edit did not install.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// Another editor holds the lock.
    #[error("{} is being edited by another session (lock {} is held); try again later", path.display(), lock.display())]
    Busy {
        /// The policy file.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// The file changed since the edit started (written without the lock).
    #[error("{} changed since this edit started; nothing was installed{}", path.display(), kept.as_ref().map(|k| format!(" (your version is kept in {})", k.display())).unwrap_or_default())]
    Conflict {
        /// The policy file.
        path: PathBuf,
        /// Where the unsaved edit was kept, if anywhere.
        kept: Option<PathBuf>,
    },
    /// The new text is not a valid policy.
    #[error("the edited policy is invalid; nothing was installed:\n{0}")]
    Invalid(PolicyError),
    /// The edit was discarded after a validation error.
    #[error("edit discarded; {} is unchanged", .0.display())]
    Discarded(PathBuf),
    /// The editor failed.
    #[error("editor failed: {0}")]
    Editor(EditorError),
    /// A programmatic edit does not make sense for this file.
    #[error("{0}")]
    Op(OpError),
    /// A file system error.
    #[error("{}: {err}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        err: std::io::Error,
    },
}

/// Why a programmatic edit ([`apply`], [`apply_to_text`]) does not make sense
/// for the policy text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpError {
    /// The current text is not TOML (the parser's message).
    #[error("the current policy does not parse: {0}")]
    Unparsable(String),
    /// `unset KEY` of a key that is not there.
    #[error("'{0}' is not set")]
    NotSet(String),
    /// `allow`/`deny` of a rule name already used.
    #[error("rule '{0}' already exists; change it with `set rule.{0}.KEY VALUE` or remove it first")]
    RuleExists(String),
    /// `rule` is something other than an array of tables.
    #[error("`rule` is not an array of [[rule]] tables")]
    RuleNotArray,
    /// No `[[rule]]` or `[[device]]` has this name.
    #[error("no {array} named '{name}'")]
    NoSuch {
        /// `rule` or `device`.
        array: String,
        /// The name asked for.
        name: String,
    },
    /// A key that addresses nothing editable.
    #[error("cannot address '{0}': use lockdown, audit, deny_firmware, rule.NAME.KEY or device.NAME.KEY")]
    BadKey(String),
}

impl From<OpError> for EditError {
    fn from(e: OpError) -> Self {
        EditError::Op(e)
    }
}

/// Why an [`Editor`] did not finish an edit.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    /// The editor could not be started.
    #[error("cannot run '{command}': {err}")]
    Spawn {
        /// The command line.
        command: String,
        /// The OS error.
        err: std::io::Error,
    },
    /// The editor exited with a failure status.
    #[error("'{command}' exited with {status}")]
    Failed {
        /// The command line.
        command: String,
        /// How it ended.
        status: std::process::ExitStatus,
    },
    /// The working copy could not be read or written (an editor that is not a
    /// program).
    #[error("{0}")]
    Io(std::io::Error),
}

/// Why the "after install" step ([`InstallOptions::after_install`], e.g.
/// asking a running daemon to reload) failed. The file is installed anyway.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{target} did not reload: {cause}")]
pub struct ReloadError {
    /// What was asked to reload, e.g. `fwctld (/run/fwctl)`.
    pub target: String,
    /// Why it did not (the caller's own error type, e.g. the control socket's).
    pub cause: std::sync::Arc<dyn std::error::Error + Send + Sync>,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> EditError + '_ {
    move |err| EditError::Io { path: path.into(), err }
}

fn os_err(e: fwctl_os::OsError) -> EditError {
    let path = match &e {
        fwctl_os::OsError::Io { path, .. }
        | fwctl_os::OsError::Insecure { path, .. }
        | fwctl_os::OsError::Locked { path, .. } => path.clone(),
    };
    EditError::Io { path, err: std::io::Error::other(e.to_string()) }
}

/// The directory of `policy`, trusted for writing ([`fwctl_os::TrustedDir`]):
/// created 0755 when missing, else refused when another user could write in it.
fn policy_dir(policy: &Path) -> Result<fwctl_os::TrustedDir, EditError> {
    let dir = policy.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if dir.exists() {
        fwctl_os::TrustedDir::open_existing(dir, "policy directory").map_err(os_err)
    } else {
        fwctl_os::TrustedDir::ensure(dir, 0o755, "policy directory").map_err(os_err)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "policy".into())
}

/// The exclusive editing lock on a policy file (released on drop).
#[derive(Debug)]
pub struct PolicyLock {
    _lock: Flock<File>,
}

impl PolicyLock {
    /// Take the lock; `wait = false` fails with [`EditError::Busy`] when it is held.
    pub fn acquire(policy: &Path, wait: bool) -> Result<Self, EditError> {
        let lock_path = Paths::lock_of(policy);
        let file = policy_dir(policy)?.open_rw(&file_name(&lock_path), 0o600).map_err(os_err)?;
        let arg = if wait { FlockArg::LockExclusive } else { FlockArg::LockExclusiveNonblock };
        match Flock::lock(file, arg) {
            Ok(lock) => Ok(PolicyLock { _lock: lock }),
            Err((_, nix::errno::Errno::EWOULDBLOCK)) => {
                Err(EditError::Busy { path: policy.into(), lock: lock_path })
            }
            Err((_, e)) => Err(EditError::Io { path: lock_path, err: e.into() }),
        }
    }
}

/// The file's content when an edit began: what install expects to replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The bytes (`None`: the file did not exist).
    pub bytes: Option<Vec<u8>>,
    /// Their SHA-256 (`None`: absent).
    pub sha256: Option<String>,
}

impl Snapshot {
    /// Read `path` now.
    pub fn take(path: &Path) -> Result<Self, EditError> {
        match std::fs::read(path) {
            Ok(b) => Ok(Snapshot { sha256: Some(sha256_hex(&b)), bytes: Some(b) }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Snapshot { bytes: None, sha256: None }),
            Err(e) => Err(EditError::Io { path: path.into(), err: e }),
        }
    }

    /// The text to start editing from: the file, or the built-in default.
    pub fn text(&self) -> String {
        match &self.bytes {
            Some(b) => String::from_utf8_lossy(b).into_owned(),
            None => shipped::DEFAULT.to_string(),
        }
    }
}

/// A fault-injection point between writing the new file and renaming it.
pub type BeforeRename<'a> = &'a dyn Fn(&Path) -> std::io::Result<()>;
/// The "after install" callback (e.g. daemon reload).
pub type AfterInstall<'a> = &'a dyn Fn(&LoadedPolicy) -> Result<(), ReloadError>;

/// Hooks around an install.
#[derive(Default)]
pub struct InstallOptions<'a> {
    /// Called after the new file is written and fsynced, before it replaces the
    /// old one. An error aborts the install (the old file stays); tests use it to
    /// simulate a crash at the worst moment.
    pub before_rename: Option<BeforeRename<'a>>,
    /// Called once the new policy is in place, e.g. to ask a running daemon to
    /// reload. Its error is reported, not fatal: the file is already installed.
    pub after_install: Option<AfterInstall<'a>>,
}

impl std::fmt::Debug for InstallOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstallOptions")
            .field("before_rename", &self.before_rename.is_some())
            .field("after_install", &self.after_install.is_some())
            .finish()
    }
}

/// What an install did.
#[derive(Debug, Clone)]
pub struct Installed {
    /// The installed, validated policy.
    pub policy: LoadedPolicy,
    /// Line diff from the old text to the new one.
    pub diff: String,
    /// Where the previous file was kept (`None` when there was none).
    pub backup: Option<PathBuf>,
    /// The "after install" callback's result, when one was given.
    pub reload: Option<Result<(), ReloadError>>,
}

/// Validate `text` as the policy at `path` and install it atomically. The caller
/// holds the [`PolicyLock`]; `expected` is what the file held when the edit began.
pub fn install(
    path: &Path,
    text: &str,
    expected: &Snapshot,
    opts: &InstallOptions<'_>,
) -> Result<Installed, EditError> {
    let mut loaded = super::dropin::check_edit(path, text).map_err(EditError::Invalid)?;
    loaded.source = super::PolicySource::File(path.into());
    let now = Snapshot::take(path)?;
    if now.sha256 != expected.sha256 {
        return Err(EditError::Conflict { path: path.into(), kept: None });
    }
    let trusted = policy_dir(path)?;
    let dir = trusted.path().to_path_buf();
    let name = file_name(path);
    let tmp_name = format!(".{name}.new.{}", std::process::id());
    let tmp = dir.join(&tmp_name);
    let mode = std::fs::symlink_metadata(path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0o644);
    // A leftover of a crashed edit by a process with our pid: ours to remove.
    let _ = trusted.remove(&tmp_name);
    let result = (|| {
        let mut f = trusted.create_new(&tmp_name, mode).map_err(os_err)?;
        f.write_all(text.as_bytes()).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
        drop(f);
        if let Some(hook) = opts.before_rename {
            hook(&tmp).map_err(io_err(&tmp))?;
        }
        let backup = match &expected.bytes {
            Some(old) => Some(keep_backup(&trusted, path, old, mode)?),
            None => None,
        };
        trusted.rename(&tmp_name, &name).map_err(os_err)?;
        trusted.sync().map_err(os_err)?;
        Ok(backup)
    })();
    let backup = match result {
        Ok(b) => b,
        Err(e) => {
            let _ = trusted.remove(&tmp_name);
            return Err(e);
        }
    };
    let diff = diff_lines(&expected.text(), text);
    let reload = opts.after_install.map(|cb| cb(&loaded));
    Ok(Installed { policy: loaded, diff, backup, reload })
}

/// Make `policy.toml.bak` a durable copy of the current file (`old`, whose
/// hash install just checked), with the one atomic install.
fn keep_backup(dir: &fwctl_os::TrustedDir, path: &Path, old: &[u8], mode: u32) -> Result<PathBuf, EditError> {
    let bak = Paths::backup_of(path);
    dir.install(&file_name(&bak), old, mode, true).map_err(os_err)?;
    Ok(bak)
}

/// Opens a file in an editor.
pub trait Editor {
    /// Let the user edit `file` in place; return when they are done.
    fn edit(&mut self, file: &Path) -> Result<(), EditorError>;
}

/// `$VISUAL`, else `$EDITOR`, else `vi`, run through `sh` so editors with
/// arguments (`code --wait`) work.
#[derive(Debug, Clone)]
pub struct CommandEditor {
    /// The command line, without the file.
    pub command: String,
}

impl CommandEditor {
    /// The user's editor from the environment.
    pub fn from_env() -> Self {
        let pick = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        CommandEditor { command: pick("VISUAL").or_else(|| pick("EDITOR")).unwrap_or_else(|| "vi".into()) }
    }
}

impl Editor for CommandEditor {
    fn edit(&mut self, file: &Path) -> Result<(), EditorError> {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{} \"$1\"", self.command))
            .arg("fwctl-edit")
            .arg(file)
            .status()
            .map_err(|err| EditorError::Spawn { command: self.command.clone(), err })?;
        if status.success() {
            Ok(())
        } else {
            Err(EditorError::Failed { command: self.command.clone(), status })
        }
    }
}

/// What to do with an invalid edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidChoice {
    /// Open the editor again on the same text.
    ReEdit,
    /// Throw the edit away.
    Discard,
}

/// The questions an edit session asks.
pub trait Prompt {
    /// The edited text does not validate: re-edit or discard?
    fn invalid(&mut self, error: &PolicyError) -> InvalidChoice;
    /// Show the diff about to be installed.
    fn show_diff(&mut self, diff: &str);
}

/// For scripts and pipes: never asks; invalid edits are refused.
#[derive(Debug, Default, Clone, Copy)]
pub struct NonInteractive;

impl Prompt for NonInteractive {
    fn invalid(&mut self, _error: &PolicyError) -> InvalidChoice {
        InvalidChoice::Discard
    }
    fn show_diff(&mut self, _diff: &str) {}
}

/// Asks on stderr/stdin: `(e)dit again or e(x)it without saving?`.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdioPrompt;

impl Prompt for StdioPrompt {
    fn invalid(&mut self, error: &PolicyError) -> InvalidChoice {
        eprintln!("{error}");
        loop {
            eprint!("What now? (e)dit again, e(x)it without saving: ");
            let mut line = String::new();
            match std::io::stdin().read_line(&mut line) {
                Ok(0) | Err(_) => return InvalidChoice::Discard,
                Ok(_) => match line.trim() {
                    "e" | "E" => return InvalidChoice::ReEdit,
                    "x" | "X" | "q" => return InvalidChoice::Discard,
                    _ => {}
                },
            }
        }
    }
    fn show_diff(&mut self, diff: &str) {
        eprint!("{diff}");
    }
}

/// How an edit session ended.
#[derive(Debug)]
pub enum EditOutcome {
    /// The text was not changed; nothing was installed.
    Unchanged,
    /// The new policy was installed.
    Installed(Box<Installed>),
}

/// A `visudo`-style session: lock, copy, edit, validate, diff, install.
#[derive(Debug)]
pub struct EditSession {
    path: PathBuf,
    work: PathBuf,
    snapshot: Snapshot,
    _lock: PolicyLock,
}

impl EditSession {
    /// Lock `path` (failing with [`EditError::Busy`] if another session holds it)
    /// and write a private working copy next to it (the built-in default when the
    /// file does not exist yet).
    pub fn begin(path: &Path) -> Result<Self, EditError> {
        let lock = PolicyLock::acquire(path, false)?;
        let snapshot = Snapshot::take(path)?;
        let trusted = policy_dir(path)?;
        let name =
            path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "policy".into());
        let work_name = format!(".{name}.fwctl-edit.{}.toml", std::process::id());
        let work = trusted.path().join(&work_name);
        let _ = trusted.remove(&work_name);
        let mut f = trusted.create_new(&work_name, 0o600).map_err(os_err)?;
        f.write_all(snapshot.text().as_bytes()).map_err(io_err(&work))?;
        Ok(EditSession { path: path.into(), work, snapshot, _lock: lock })
    }

    /// The working copy the editor opens.
    pub fn work_file(&self) -> &Path {
        &self.work
    }

    /// Run the editor until the text validates (or the prompt discards), show
    /// the diff and install. The working copy is removed unless a conflict keeps it.
    pub fn run(
        self,
        editor: &mut dyn Editor,
        prompt: &mut dyn Prompt,
        opts: &InstallOptions<'_>,
    ) -> Result<EditOutcome, EditError> {
        let result = self.run_inner(editor, prompt, opts);
        if !matches!(result, Err(EditError::Conflict { .. })) {
            let _ = std::fs::remove_file(&self.work);
        }
        result
    }

    fn run_inner(
        &self,
        editor: &mut dyn Editor,
        prompt: &mut dyn Prompt,
        opts: &InstallOptions<'_>,
    ) -> Result<EditOutcome, EditError> {
        let original = self.snapshot.text();
        loop {
            editor.edit(&self.work).map_err(EditError::Editor)?;
            let text = std::fs::read_to_string(&self.work).map_err(io_err(&self.work))?;
            if text == original && self.snapshot.bytes.is_some() {
                return Ok(EditOutcome::Unchanged);
            }
            if let Err(e) = super::dropin::check_edit(&self.path, &text) {
                match prompt.invalid(&e) {
                    InvalidChoice::ReEdit => continue,
                    InvalidChoice::Discard => return Err(EditError::Discarded(self.path.clone())),
                }
            }
            prompt.show_diff(&diff_lines(&original, &text));
            return match install(&self.path, &text, &self.snapshot, opts) {
                Ok(done) => Ok(EditOutcome::Installed(Box::new(done))),
                Err(EditError::Conflict { path, .. }) => {
                    Err(EditError::Conflict { path, kept: Some(self.work.clone()) })
                }
                Err(e) => Err(e),
            };
        }
    }
}

/// A new rule for [`SetOp::Allow`] / [`SetOp::Deny`]. Empty lists are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleEdit {
    /// Unique rule name.
    pub name: String,
    /// Users (names, numeric ids, or `*`).
    pub users: Vec<String>,
    /// Groups (names or numeric ids).
    pub groups: Vec<String>,
    /// Whether holders of CAP_SYS_RAWIO are a principal.
    pub cap_sys_rawio: bool,
    /// Device names or patterns.
    pub devices: Vec<String>,
    /// Device types.
    pub device_types: Vec<String>,
    /// Parent patterns.
    pub parents: Vec<String>,
    /// Firmware version patterns.
    pub firmware: Vec<String>,
    /// Allow rules: the ceiling.
    pub max_scope: Option<String>,
    /// Allow rules: only these commands.
    pub opcodes: Vec<String>,
    /// Commands refused.
    pub deny_opcodes: Vec<String>,
    /// Registers whose writes are refused.
    pub deny_register_writes: Vec<String>,
    /// Registers whose reads are refused.
    pub deny_register_reads: Vec<String>,
}

/// A programmatic edit (`fwctl policy set/allow/deny`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetOp {
    /// Set `key` to `value`. Keys: `lockdown`, `audit`, `deny_firmware`,
    /// `rule.NAME.KEY`, `device.NAME.KEY`. The value is TOML (`true`,
    /// `"debug-write"`, `["a", "b"]`); a bare word is taken as a string.
    Set {
        /// Where.
        key: String,
        /// What.
        value: String,
    },
    /// Remove `key` (same addressing as `Set`).
    Unset {
        /// Where.
        key: String,
    },
    /// Append an allow rule (after every existing rule).
    Allow(RuleEdit),
    /// Insert a deny rule before every existing rule, so it takes effect.
    Deny(RuleEdit),
    /// Remove the rule with this name.
    RemoveRule {
        /// The rule's name.
        name: String,
    },
}

/// Apply `op` to the policy at `path` (starting from the built-in default when
/// it does not exist): waits for the lock, edits with comments and formatting
/// kept, validates, and installs.
pub fn apply(path: &Path, op: &SetOp, opts: &InstallOptions<'_>) -> Result<Installed, EditError> {
    let _lock = PolicyLock::acquire(path, true)?;
    let snapshot = Snapshot::take(path)?;
    let text = apply_to_text(&snapshot.text(), op)?;
    install(path, &text, &snapshot, opts)
}

/// Apply `op` to policy text, keeping comments and formatting (no validation).
pub fn apply_to_text(text: &str, op: &SetOp) -> Result<String, EditError> {
    let mut doc: DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| EditError::Op(OpError::Unparsable(e.to_string())))?;
    match op {
        SetOp::Set { key, value: v } => {
            let (table, leaf) = locate(&mut doc, key)?;
            let mut new = parse_value(v);
            // Keep the old value's surrounding whitespace and trailing comment.
            if let Some(old) = table.get(&leaf).and_then(Item::as_value) {
                *new.decor_mut() = old.decor().clone();
            }
            table[leaf.as_str()] = Item::Value(new);
        }
        SetOp::Unset { key } => {
            let (table, leaf) = locate(&mut doc, key)?;
            if table.remove(&leaf).is_none() {
                return Err(OpError::NotSet(key.clone()).into());
            }
        }
        SetOp::Allow(rule) | SetOp::Deny(rule) => {
            let deny = matches!(op, SetOp::Deny(_));
            if find_named(&doc, "rule", &rule.name).is_some() {
                return Err(OpError::RuleExists(rule.name.clone()).into());
            }
            let table = rule_table(rule, deny);
            if doc.get("rule").is_none() {
                doc["rule"] = Item::ArrayOfTables(ArrayOfTables::new());
            }
            let aot = doc["rule"].as_array_of_tables_mut().ok_or(EditError::Op(OpError::RuleNotArray))?;
            if deny && !aot.is_empty() {
                let mut table = table;
                table.set_position(aot.get(0).and_then(Table::position));
                aot.insert(0, table);
            } else {
                aot.push(table);
            }
        }
        SetOp::RemoveRule { name } => {
            let idx = find_named(&doc, "rule", name)
                .ok_or_else(|| OpError::NoSuch { array: "rule".into(), name: name.clone() })?;
            if let Some(aot) = doc["rule"].as_array_of_tables_mut() {
                aot.remove(idx);
            }
        }
    }
    Ok(doc.to_string())
}

fn find_named(doc: &DocumentMut, array: &str, name: &str) -> Option<usize> {
    doc.get(array)?
        .as_array_of_tables()?
        .iter()
        .position(|t| t.get("name").and_then(Item::as_str) == Some(name))
}

/// The table and key that `key` addresses.
fn locate<'d>(doc: &'d mut DocumentMut, key: &str) -> Result<(&'d mut Table, String), EditError> {
    const TOP: &[&str] = &["version", "lockdown", "audit", "deny_firmware"];
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        [k] if TOP.contains(k) => Ok((doc.as_table_mut(), (*k).to_string())),
        [array @ ("rule" | "device"), name, k] => {
            let missing = || OpError::NoSuch { array: (*array).into(), name: (*name).into() };
            let idx = find_named(doc, array, name).ok_or_else(missing)?;
            let table =
                doc[*array].as_array_of_tables_mut().and_then(|a| a.get_mut(idx)).ok_or_else(missing)?;
            Ok((table, (*k).to_string()))
        }
        _ => Err(OpError::BadKey(key.into()).into()),
    }
}

/// A TOML value, or the text as a string when it is not one (`denials`).
fn parse_value(text: &str) -> Value {
    text.trim().parse::<Value>().unwrap_or_else(|_| Value::from(text.trim()))
}

/// A list of names, ids written as integers.
fn id_list(items: &[String]) -> Value {
    let mut a = Array::new();
    for i in items {
        match i.parse::<i64>() {
            Ok(n) => a.push(n),
            Err(_) => a.push(i.as_str()),
        }
    }
    Value::Array(a)
}

fn str_list(items: &[String]) -> Value {
    Value::Array(items.iter().map(String::as_str).collect())
}

fn rule_table(r: &RuleEdit, deny: bool) -> Table {
    let mut t = Table::new();
    t["name"] = value(r.name.as_str());
    if deny {
        t["action"] = value("deny");
    }
    for (key, items, ids) in [
        ("users", &r.users, true),
        ("groups", &r.groups, true),
        ("devices", &r.devices, false),
        ("device_types", &r.device_types, false),
        ("parents", &r.parents, false),
        ("firmware", &r.firmware, false),
    ] {
        if !items.is_empty() {
            t[key] = Item::Value(if ids { id_list(items) } else { str_list(items) });
        }
    }
    if r.cap_sys_rawio {
        t["cap_sys_rawio"] = value(true);
    }
    if let Some(s) = &r.max_scope {
        t["max_scope"] = value(s.as_str());
    }
    for (key, items) in [
        ("opcodes", &r.opcodes),
        ("deny_opcodes", &r.deny_opcodes),
        ("deny_register_writes", &r.deny_register_writes),
        ("deny_register_reads", &r.deny_register_reads),
    ] {
        if !items.is_empty() {
            t[key] = Item::Value(id_list(items));
        }
    }
    t
}

/// A line diff (`-` removed, `+` added, two lines of context, one `@@ line N @@`
/// header per hunk), for review before install. Myers' diff from `similar`.
pub fn diff_lines(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    for group in diff.grouped_ops(2) {
        let first = group.first().map_or(0, |op| op.old_range().start);
        out.push_str(&format!("@@ line {} @@\n", first + 1));
        for op in &group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                out.push(tag);
                out.push(' ');
                out.push_str(change.value().trim_end_matches('\n'));
                out.push('\n');
            }
        }
    }
    out
}
