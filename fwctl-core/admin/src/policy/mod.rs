//! The admin policy: who may use which scope on which device, with which commands.
//!
//! A policy is a TOML file (language: `Documentation/policy.md`; examples:
//! `policies/*.toml`). It is parsed with positions ([`schema`]), validated and
//! compiled into lookup tables ([`CompiledPolicy`]), and then answers the core's
//! [`fwctl_subsys::hooks::Policy`] questions. A policy only narrows: a request the driver
//! refuses is never allowed, whatever the rules say.
//!
//! ```
//! use fwctl_admin::policy;
//! let loaded = policy::load_str("version = 1\n[[rule]]\nname = \"root\"\nusers = [\"root\"]\nmax_scope = \"debug-read-only\"\n", "p.toml").unwrap();
//! assert_eq!(loaded.policy.rule_count(), 1);
//! let err = policy::load_str("version = 1\nlockdwn = true\n", "p.toml").unwrap_err();
//! assert_eq!(err.to_string().lines().next().unwrap(), "p.toml:2:1: unknown field `lockdwn`, expected one of `version`, `lockdown`, `audit`, `deny_firmware`, `device`, `rule`");
//! ```

pub mod compile;
pub mod decide;
pub mod dropin;
pub mod edit;
pub mod error;
pub mod glob;
pub mod paths;
pub mod resolve;
pub mod schema;
pub mod vocabulary;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use compile::CompiledPolicy;
pub use decide::{ExplainedRule, Explanation};
pub use dropin::{DROPIN_DIR, check_with_dropins, dropin_dir, load_with_dropins};
pub use error::{Diagnostic, PolicyError};
pub use resolve::{NameResolver, StaticResolver, SystemResolver};

use fwctl_subsys::creds::Credentials;
use fwctl_subsys::driver::RpcDescription;
use fwctl_subsys::hooks::{OpenCheck, RpcCheck};
use fwctl_subsys::subsystem::DeviceView;
use fwctl_uapi::RpcScope;

/// The shipped policies, compiled into the binary.
pub mod shipped {
    /// `policies/default.toml` (shipped copy in this crate, kept equal by a test): used when no policy file exists.
    pub const DEFAULT: &str = include_str!("../../policies/default.toml");
    /// `policies/lab.toml`: permissive, for a lab.
    pub const LAB: &str = include_str!("../../policies/lab.toml");
    /// `policies/lockdown.toml`: production, read-only.
    pub const LOCKDOWN: &str = include_str!("../../policies/lockdown.toml");
}

/// Where a loaded policy came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// A policy file.
    File(PathBuf),
    /// The built-in copy of `policies/default.toml`, used because `missing` does not exist.
    BuiltinDefault {
        /// The policy file that was looked for.
        missing: PathBuf,
    },
    /// Text given directly (tests, `check` of unsaved text).
    Text(String),
}

impl fmt::Display for PolicySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicySource::File(p) => write!(f, "{}", p.display()),
            PolicySource::BuiltinDefault { missing } => {
                write!(f, "built-in default policy ({} does not exist)", missing.display())
            }
            PolicySource::Text(name) => f.write_str(name),
        }
    }
}

/// A validated, compiled policy with its text, origin and warnings.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    /// Where it came from.
    pub source: PolicySource,
    /// The text as loaded.
    pub text: String,
    /// The compiled policy, ready to install as a hook.
    pub policy: Arc<CompiledPolicy>,
    /// Problems that do not prevent loading (e.g. unknown user names, which match nobody).
    pub warnings: Vec<Diagnostic>,
    /// The unknown user and group names among `warnings`: errors for
    /// [`load_str_strict`] (editing commands, `policy check`), warnings when a
    /// daemon loads the policy (such an entry matches nobody: fail-closed).
    pub unknown_names: Vec<Diagnostic>,
    /// The drop-in files merged after the main file, in order ([`dropin`]).
    pub dropins: Vec<PathBuf>,
}

impl LoadedPolicy {
    /// `fwctl policy show`: a header naming the source, then the policy text.
    pub fn show(&self) -> String {
        let mut out = format!("# effective policy: {}\n", self.source);
        for w in &self.warnings {
            out.push_str(&format!("# warning: {}\n", w.to_string().replace('\n', "\n#   ")));
        }
        out.push_str(&self.text);
        out
    }
}

/// Compile `text` (named `file` in diagnostics and reasons) with `resolver`.
pub fn load_str_with(
    text: &str,
    file: &str,
    resolver: &dyn NameResolver,
) -> Result<LoadedPolicy, PolicyError> {
    compile_map(&error::SourceMap::new(file, text), text, file, resolver)
}

/// Parse and compile `text` as `map` describes it (one file, or the main file
/// and its drop-ins joined).
fn compile_map(
    map: &error::SourceMap<'_>,
    text: &str,
    file: &str,
    resolver: &dyn NameResolver,
) -> Result<LoadedPolicy, PolicyError> {
    let parsed = schema::parse(map, text).map_err(|d| PolicyError::Invalid(vec![d]))?;
    let mut compiler = compile::Compiler::new(map, resolver);
    let policy = compiler.compile(&parsed);
    if !compiler.errors.is_empty() {
        return Err(PolicyError::Invalid(std::mem::take(&mut compiler.errors)));
    }
    Ok(LoadedPolicy {
        source: PolicySource::Text(file.to_string()),
        text: text.to_string(),
        policy: Arc::new(policy),
        warnings: std::mem::take(&mut compiler.warnings),
        unknown_names: std::mem::take(&mut compiler.unknown_names),
        dropins: Vec::new(),
    })
}

/// Like visudo: [`load_str`], with unknown user and group names as errors
/// (each with the nearest known name). For editing commands and `policy
/// check`; loading for use keeps them warnings, so a missing group does not
/// disable the whole policy.
pub fn load_str_strict(text: &str, file: &str) -> Result<LoadedPolicy, PolicyError> {
    strict(load_str(text, file)?)
}

/// [`load`] with unknown user and group names as errors ([`load_str_strict`]).
pub fn load_strict(path: &Path) -> Result<LoadedPolicy, PolicyError> {
    strict(load(path)?)
}

fn strict(loaded: LoadedPolicy) -> Result<LoadedPolicy, PolicyError> {
    if loaded.unknown_names.is_empty() { Ok(loaded) } else { Err(PolicyError::Invalid(loaded.unknown_names)) }
}

/// Compile `text` (named `file` in messages), resolving names on this system.
pub fn load_str(text: &str, file: &str) -> Result<LoadedPolicy, PolicyError> {
    load_str_with(text, file, &SystemResolver)
}

/// Load and compile the policy file at `path`. A missing file is an error; see
/// [`load_or_default`] for the daemon's behaviour.
pub fn load(path: &Path) -> Result<LoadedPolicy, PolicyError> {
    let text = read_text(path, MAX_POLICY_BYTES).map_err(|err| PolicyError::Io { path: path.into(), err })?;
    let mut loaded = load_str(&text, &path.display().to_string())?;
    loaded.source = PolicySource::File(path.into());
    Ok(loaded)
}

/// The largest policy file (or drop-in) read: far above any real policy, and
/// a bound on memory whatever the path names.
pub const MAX_POLICY_BYTES: u64 = 1 << 20;

/// Read a policy file: a regular file of at most `cap` bytes, UTF-8. A device
/// (`/dev/urandom`), FIFO or directory is refused before it is read (opened
/// non-blocking and checked on the descriptor, so nothing swapped in between
/// can block the reader), a larger file without reading past the cap; errors read as words
/// (`no such file or directory`), not `(os error 2)`.
pub fn read_text(path: &Path, cap: u64) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let words = |e: Error| match e.raw_os_error() {
        Some(code) => Error::new(e.kind(), nix::errno::Errno::from_raw(code).desc().to_lowercase()),
        None => e,
    };
    let not_regular = || Error::new(ErrorKind::InvalidInput, "not a regular file");
    if !std::fs::metadata(path).map_err(words)?.is_file() {
        return Err(not_regular());
    }
    // O_NONBLOCK: a FIFO swapped in after the check above opens at once (and is
    // refused below) instead of blocking the daemon's signal thread (D8).
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(nix::libc::O_NONBLOCK)
            .open(path)
            .map_err(words)?
    };
    if !file.metadata().map_err(words)?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(words)?;
    if bytes.len() as u64 > cap {
        return Err(Error::new(ErrorKind::FileTooLarge, format!("larger than {cap} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Load `path`, or the built-in default when it does not exist.
pub fn load_or_default(path: &Path) -> Result<LoadedPolicy, PolicyError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => builtin_default(path),
        _ => load(path),
    }
}

/// The built-in copy of `policies/default.toml`, reported as replacing `missing`.
pub fn builtin_default(missing: &Path) -> Result<LoadedPolicy, PolicyError> {
    let mut loaded = load_str(shipped::DEFAULT, "<built-in default>")?;
    loaded.source = PolicySource::BuiltinDefault { missing: missing.into() };
    Ok(loaded)
}

/// `fwctl policy check FILE`: validate; `Ok` carries the warnings.
pub fn check_file(path: &Path) -> Result<Vec<Diagnostic>, PolicyError> {
    load(path).map(|l| l.warnings)
}

/// `fwctl policy show`: the effective policy for `path` (file or built-in default).
pub fn show(path: &Path) -> Result<String, PolicyError> {
    load_or_default(path).map(|l| l.show())
}

/// `fwctl policy explain`: the decision for `creds` on `device`, with its reasons.
/// With `scope = None` the question is "may they open it"; otherwise the RPC
/// question, with the driver's description of the request when one is available
/// (`None` asks about a request the driver cannot describe).
pub fn explain(
    policy: &CompiledPolicy,
    creds: &Credentials,
    device: &DeviceView,
    scope: Option<RpcScope>,
    description: Option<&RpcDescription>,
) -> Explanation {
    match scope {
        None => policy.explain_open(&OpenCheck { device, creds }),
        Some(scope) => policy.explain_rpc(&RpcCheck { device, creds, scope, description, request: &[] }),
    }
}

/// [`explain`] with the kernel's own gate in front: `debug-write-full` needs
/// `CAP_SYS_RAWIO` whatever the policy says (`fwctl_subsys` `scope.rs`, as
/// `drivers/fwctl/main.c` checks it before the driver and the policy run).
/// What `fwctl policy explain` answers, locally and in fwctld.
pub fn explain_request(
    policy: &CompiledPolicy,
    creds: &Credentials,
    device: &DeviceView,
    scope: Option<RpcScope>,
    description: Option<&RpcDescription>,
) -> Explanation {
    let mut e = explain(policy, creds, device, scope, description);
    if scope == Some(RpcScope::DebugWriteFull) {
        if creds.has_cap_sys_rawio() {
            e.steps.insert(0, "kernel: debug-write-full needs CAP_SYS_RAWIO: the caller holds it".into());
        } else {
            e.steps.insert(
                0,
                "kernel: debug-write-full needs CAP_SYS_RAWIO: the caller does not hold it".into(),
            );
            e.decision = fwctl_subsys::hooks::Decision::deny(
                fwctl_uapi::errno::Errno::EPERM,
                "debug-write-full needs CAP_SYS_RAWIO (the kernel's rule, before any policy): run as root, \
                 or --cap-sys-rawio to ask about a caller who holds it",
            );
        }
    }
    e
}

/// Why `explain --user U --group G…` names nobody.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrincipalError {
    /// The user name is neither a number nor in the user database.
    #[error("unknown user '{0}'")]
    UnknownUser(String),
    /// The group name is neither a number nor in the group database.
    #[error("unknown group '{0}'")]
    UnknownGroup(String),
}

/// Credentials for `explain --user U --group G…`: names or numbers. A user name
/// brings its primary group from the user database.
pub fn principal(user: &str, groups: &[&str], cap_sys_rawio: bool) -> Result<Credentials, PrincipalError> {
    principal_with(user, groups, cap_sys_rawio, &SystemResolver)
}

/// [`principal`] with an explicit resolver.
pub fn principal_with(
    user: &str,
    groups: &[&str],
    cap_sys_rawio: bool,
    resolver: &dyn NameResolver,
) -> Result<Credentials, PrincipalError> {
    let uid = match user.parse::<u32>() {
        Ok(id) => id,
        Err(_) if user == "root" => 0,
        Err(_) => resolver.uid(user).ok_or_else(|| PrincipalError::UnknownUser(user.into()))?,
    };
    let primary =
        nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)).ok().flatten().map(|u| u.gid.as_raw());
    let mut gids = Vec::new();
    for g in groups {
        let gid = match g.parse::<u32>() {
            Ok(id) => id,
            Err(_) if *g == "root" => 0,
            Err(_) => resolver.gid(g).ok_or_else(|| PrincipalError::UnknownGroup((*g).into()))?,
        };
        gids.push(gid);
    }
    // Without a user database entry the caller has no primary group we know of;
    // u32::MAX never matches a rule.
    let gid = primary.or_else(|| gids.first().copied()).unwrap_or(u32::MAX);
    Ok(Credentials {
        uid,
        gid,
        groups: gids,
        pid: 0,
        comm: "explain".into(),
        cap_sys_rawio,
        ..Default::default()
    })
}
