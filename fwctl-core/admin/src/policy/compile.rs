//! From the schema to lookup tables. Meaning is validated here (scope names,
//! device types, selectors that can never match, rule consistency), names are
//! resolved to ids once, and rules are indexed by principal and by exact device
//! name so a decision only looks at the rules that concern the caller.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::error::{Diagnostic, SourceMap};
use super::glob::Glob;
use super::resolve::NameResolver;
use super::schema::{AuditSpec, IdOrName, List, OpcodeSpec, PolicyFile, SCHEMA_VERSION};
use super::vocabulary::{self, NameKind};
use crate::audit::{AuditLevel, AuditSettings};
use fwctl_uapi::{DeviceType, FWCTL_MAX_DEVICES, RpcScope};

/// FxHash (`rustc-hash`) for the lookup tables: a small, fast, non-cryptographic
/// hasher is enough, as keys are uids, gids and device names chosen by the
/// administrator, not by callers.
pub(crate) type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Where something was written: for reasons and `explain`.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// `policy.toml:42`.
    pub at: Arc<str>,
}

/// Which devices a rule or device block selects. Every key given must match
/// (AND); within one key, any entry may match (OR). An absent key matches all.
#[derive(Debug, Clone, Default)]
pub(crate) struct DeviceSelector {
    pub names: Option<Vec<Glob>>,
    pub types: Option<Vec<DeviceType>>,
    pub parents: Option<Vec<Glob>>,
    pub firmware: Option<Vec<Glob>>,
}

impl DeviceSelector {
    /// Exact device names, when the name selector lists only literals.
    fn exact_names(&self) -> Option<Vec<&str>> {
        let names = self.names.as_ref()?;
        names.iter().all(Glob::is_literal).then(|| names.iter().map(Glob::as_str).collect())
    }

    /// Human-readable summary for `explain`.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        let globs = |v: &[Glob]| v.iter().map(Glob::as_str).collect::<Vec<_>>().join(", ");
        if let Some(n) = &self.names {
            parts.push(format!("devices {}", globs(n)));
        }
        if let Some(t) = &self.types {
            parts.push(format!("type {}", t.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ")));
        }
        if let Some(p) = &self.parents {
            parts.push(format!("parent {}", globs(p)));
        }
        if let Some(f) = &self.firmware {
            parts.push(format!("firmware {}", globs(f)));
        }
        if parts.is_empty() { "every device".into() } else { parts.join("; ") }
    }
}

/// Who a rule applies to: any listed principal (OR).
#[derive(Debug, Clone, Default)]
pub(crate) struct Who {
    pub everyone: bool,
    pub uids: Vec<u32>,
    pub gids: Vec<u32>,
    pub cap_sys_rawio: bool,
    /// The principals as written, for `explain`.
    pub text: String,
}

/// Which `op_mod`s of one opcode a list names.
#[derive(Debug, Clone, Default)]
pub(crate) struct OpMods {
    pub any: bool,
    pub mods: Vec<u32>,
}

impl OpMods {
    fn add(&mut self, op_mod: Option<u32>) {
        match op_mod {
            None => self.any = true,
            Some(m) => self.mods.push(m),
        }
    }
    #[inline]
    pub(crate) fn contains(&self, op_mod: u32) -> bool {
        self.any || self.mods.contains(&op_mod)
    }
}

/// A set of commands, by number and by (upper-cased) driver name.
#[derive(Debug, Clone, Default)]
pub(crate) struct OpcodeSet {
    pub by_number: FxMap<u32, OpMods>,
    pub by_name: FxMap<Box<str>, OpMods>,
}

/// A set of registers, by id and by (upper-cased) name.
#[derive(Debug, Clone, Default)]
pub(crate) struct RegisterSet {
    pub ids: rustc_hash::FxHashSet<u32>,
    pub names: rustc_hash::FxHashSet<Box<str>>,
}

/// Allow up to a scope, or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Allow(RpcScope),
    Deny,
}

/// Precomputed reason texts, so an allowing decision never formats (refusals
/// with details format on demand).
#[derive(Debug, Clone)]
pub(crate) struct RuleReasons {
    pub allowed: Arc<str>,
    pub denied: Arc<str>,
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub name: Arc<str>,
    pub origin: Origin,
    pub action: Action,
    pub who: Who,
    pub select: DeviceSelector,
    /// Allow rules only: the rule covers only these commands.
    pub opcodes: Option<OpcodeSet>,
    pub deny_opcodes: Option<OpcodeSet>,
    pub deny_register_writes: Option<RegisterSet>,
    pub deny_register_reads: Option<RegisterSet>,
    pub reasons: RuleReasons,
}

impl Rule {
    /// Whether the rule has any command-level list.
    pub(crate) fn has_deny_lists(&self) -> bool {
        self.deny_opcodes.is_some()
            || self.deny_register_writes.is_some()
            || self.deny_register_reads.is_some()
    }
}

/// One compiled `[[device]]` block.
#[derive(Debug, Clone)]
pub(crate) struct DeviceBlock {
    pub label: Arc<str>,
    pub select: DeviceSelector,
    pub enabled: Option<bool>,
    pub max_scope: Option<RpcScope>,
}

/// Rule indices (ascending = file order) for one principal key.
#[derive(Debug, Default)]
pub(crate) struct Bucket {
    pub by_device: FxMap<Box<str>, Vec<u32>>,
    pub any_device: Vec<u32>,
}

impl Bucket {
    fn add(&mut self, idx: u32, exact: &Option<Vec<&str>>) {
        match exact {
            Some(names) => {
                for n in names {
                    let list = self.by_device.entry((*n).into()).or_default();
                    if list.last() != Some(&idx) {
                        list.push(idx);
                    }
                }
            }
            None => self.any_device.push(idx),
        }
    }

    /// The (at most two) candidate lists for a device.
    #[inline]
    /// Whether no rule is in this bucket.
    pub(crate) fn is_empty(&self) -> bool {
        self.any_device.is_empty() && self.by_device.is_empty()
    }

    pub(crate) fn lists<'a>(&'a self, device: &str) -> [&'a [u32]; 2] {
        let named = self.by_device.get(device).map_or(&[][..], Vec::as_slice);
        [named, &self.any_device]
    }
}

/// Rules indexed by principal, then by exact device name.
#[derive(Debug, Default)]
pub(crate) struct RuleIndex {
    pub by_uid: FxMap<u32, Bucket>,
    pub by_gid: FxMap<u32, Bucket>,
    pub cap_sys_rawio: Bucket,
    pub everyone: Bucket,
}

/// The firmware deny-list.
#[derive(Debug, Default)]
pub(crate) struct FirmwareDeny {
    pub exact: FxMap<Box<str>, Arc<str>>,
    pub globs: Vec<(Glob, Arc<str>)>,
}

/// A policy compiled into lookup tables; implements [`fwctl_subsys::hooks::Policy`].
#[derive(Debug)]
pub struct CompiledPolicy {
    /// File name used in reasons, e.g. `policy.toml`.
    pub(crate) file: Arc<str>,
    pub(crate) lockdown: Option<Arc<str>>,
    pub(crate) audit: AuditSettings,
    pub(crate) deny_firmware: FirmwareDeny,
    pub(crate) devices: Vec<DeviceBlock>,
    pub(crate) device_by_name: FxMap<Box<str>, Vec<u32>>,
    pub(crate) device_any: Vec<u32>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) index: RuleIndex,
}

impl CompiledPolicy {
    /// The file name used in reasons, e.g. `policy.toml`.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Whether `lockdown = true`.
    pub fn lockdown(&self) -> bool {
        self.lockdown.is_some()
    }

    /// The configured audit level.
    pub fn audit_level(&self) -> AuditLevel {
        self.audit.level
    }

    /// Every audit setting (level, `on_failure`, `sync`, refusal rate limit).
    pub fn audit_settings(&self) -> AuditSettings {
        self.audit
    }

    /// Number of rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Names of the rules, in file order.
    pub fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| &*r.name)
    }
}

/// A file as reasons cite it: its name (`policy.toml`), or `policy.d/NAME` for a
/// drop-in.
fn reason_name(f: &str) -> &str {
    let name = f.rfind('/').map_or(0, |i| i + 1);
    let parent = &f[..name.saturating_sub(1)];
    let dropin = super::DROPIN_DIR;
    if name > 0 && (parent == dropin || parent.ends_with(&format!("/{dropin}"))) {
        &f[name - dropin.len() - 1..]
    } else {
        &f[name..]
    }
}

/// For a device name no device can have (`fwtcl0`, `/dev/fwctl/fwctl1`, `3`):
/// the `fwctlN` it most likely means, from its trailing number.
fn device_name_suggestion(name: &str) -> Option<String> {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let n: u32 = name[name.len() - digits..].parse().ok()?;
    (n < FWCTL_MAX_DEVICES).then(|| format!("fwctl{n}"))
}

const SCOPE_HINT: &str = "scopes are configuration, debug-read-only, debug-write, debug-write-full";

/// Compile state: the source map, the resolver and collected diagnostics.
pub(crate) struct Compiler<'a> {
    map: &'a SourceMap<'a>,
    resolver: &'a dyn NameResolver,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// The unknown user and group names among `warnings`.
    pub unknown_names: Vec<Diagnostic>,
    checked_globs: HashSet<String>,
    users: HashMap<String, Option<u32>>,
    groups: HashMap<String, Option<u32>>,
}

impl<'a> Compiler<'a> {
    pub(crate) fn new(map: &'a SourceMap<'a>, resolver: &'a dyn NameResolver) -> Self {
        Compiler {
            map,
            resolver,
            errors: Vec::new(),
            warnings: Vec::new(),
            unknown_names: Vec::new(),
            checked_globs: HashSet::new(),
            users: HashMap::new(),
            groups: HashMap::new(),
        }
    }

    fn error(&mut self, span: Range<usize>, msg: impl Into<String>, hint: Option<&str>) {
        let d = self.map.diag(span, msg, hint.map(str::to_string));
        self.errors.push(d);
    }

    /// The `audit` key: a level, or an `[audit]` table.
    fn audit_settings(&mut self, spec: Option<&Spanned<AuditSpec>>) -> AuditSettings {
        let mut out = AuditSettings::default();
        let Some(spec) = spec else { return out };
        let (level, table) = match spec.get_ref() {
            AuditSpec::Level(l) => (Some((l.clone(), spec.span())), None),
            AuditSpec::Table(t) => (t.level.as_ref().map(|l| (l.get_ref().clone(), l.span())), Some(t)),
        };
        if let Some((l, span)) = level {
            match l.parse() {
                Ok(l) => out.level = l,
                Err(_) => self.error(
                    span,
                    format!("unknown audit level '{l}'"),
                    Some("audit levels are all, denials, none"),
                ),
            }
        }
        let Some(t) = table else { return out };
        if let Some(v) = &t.on_failure {
            match v.get_ref().parse() {
                Ok(v) => out.on_failure = v,
                Err(_) => self.error(
                    v.span(),
                    format!("unknown on_failure '{}'", v.get_ref()),
                    Some("on_failure is refuse (tainting scopes, the default), refuse-all or continue"),
                ),
            }
        }
        if let Some(v) = &t.sync {
            match v.get_ref().parse() {
                Ok(v) => out.sync = v,
                Err(_) => self.error(
                    v.span(),
                    format!("unknown sync '{}'", v.get_ref()),
                    Some("sync is critical (the default) or always"),
                ),
            }
        }
        if let Some(v) = &t.max_refusals {
            out.max_refusals = *v.get_ref();
        }
        if let Some(v) = &t.refusal_window_secs {
            if *v.get_ref() == 0 {
                self.error(v.span(), "refusal_window_secs must be at least 1", None);
            } else {
                out.refusal_window = std::time::Duration::from_secs(*v.get_ref());
            }
        }
        out
    }

    /// A user or group name the system does not know: a warning (the entry
    /// matches nobody: fail-closed), also kept in `unknown_names` so editing
    /// commands and `policy check` can refuse it, with the nearest known name.
    fn unknown_name(&mut self, span: Range<usize>, name: &str, group: bool) {
        let noun = if group { "group" } else { "user" };
        let known = self.resolver.names(group);
        let hint = match super::resolve::nearest(name, &known) {
            Some(n) => format!("did you mean {n}? (or create {noun} '{name}', or write the numeric id)"),
            None => format!("create {noun} '{name}', or write the numeric id"),
        };
        let d =
            self.map.diag(span, format!("unknown {noun} '{name}': this entry matches nobody"), Some(hint));
        self.unknown_names.push(d.clone());
        self.warnings.push(d);
    }

    fn warn(&mut self, span: Range<usize>, msg: impl Into<String>, hint: Option<&str>) {
        let d = self.map.diag(span, msg, hint.map(str::to_string));
        self.warnings.push(d);
    }

    fn origin(&self, span: &Range<usize>) -> Origin {
        let file = reason_name(self.map.file_at(span.start));
        Origin { at: format!("{file}:{}", self.map.line(span.start)).into() }
    }

    fn reason_file(&self) -> &str {
        reason_name(self.map.file)
    }

    fn scope(&mut self, s: &Spanned<String>) -> Option<RpcScope> {
        match s.get_ref().parse::<RpcScope>() {
            Ok(sc) => Some(sc),
            Err(_) => {
                self.error(s.span(), format!("unknown scope '{}'", s.get_ref()), Some(SCOPE_HINT));
                None
            }
        }
    }

    /// A list that must not be empty (an empty list selects nothing).
    fn non_empty<T>(&mut self, key: &str, list: &List<T>) -> bool {
        if list.get_ref().is_empty() {
            self.error(
                list.span(),
                format!("impossible selector: `{key} = []` matches nothing"),
                Some("remove the key to match everything, or list at least one entry"),
            );
            return false;
        }
        true
    }

    fn globs(&mut self, key: &str, list: &Option<List<String>>) -> Option<Vec<Glob>> {
        let list = list.as_ref()?;
        self.non_empty(key, list);
        let mut out = Vec::new();
        for item in list.get_ref() {
            if item.get_ref().is_empty() {
                self.error(
                    item.span(),
                    format!("impossible selector: an empty pattern in `{key}` matches nothing"),
                    None,
                );
                continue;
            }
            match Glob::new(item.get_ref()) {
                Ok(g) => {
                    if key == "devices" {
                        self.check_device_name(&g, item.span());
                    }
                    out.push(g);
                }
                Err(e) => self.error(item.span(), e.to_string(), Some("patterns use *, ? and [a-z] classes")),
            }
        }
        Some(out)
    }

    /// Devices are named `fwctl0` … `fwctl4095`; a name or pattern no device can
    /// have is an error, not a silent no-op.
    fn check_device_name(&mut self, g: &Glob, span: Range<usize>) {
        let possible = if g.is_literal() {
            parse_device_name(g.as_str()).is_some()
        } else if self.checked_globs.contains(g.as_str()) {
            true
        } else {
            let ok = (0..FWCTL_MAX_DEVICES).any(|m| g.matches(&format!("fwctl{m}")));
            if ok {
                self.checked_globs.insert(g.as_str().to_string());
            }
            ok
        };
        if !possible {
            let hint = match device_name_suggestion(g.as_str()) {
                Some(n) => format!(
                    "did you mean {n}? devices are named fwctl0 … fwctl4095; select hardware with device_types or parents"
                ),
                None => "devices are named fwctl0 … fwctl4095; select hardware with device_types or parents"
                    .into(),
            };
            self.error(
                span,
                format!("impossible selector: no fwctl device can be named '{}'", g.as_str()),
                Some(&hint),
            );
        }
    }

    fn types(&mut self, list: &Option<List<String>>) -> Option<Vec<DeviceType>> {
        let list = list.as_ref()?;
        self.non_empty("device_types", list);
        let mut out = Vec::new();
        for item in list.get_ref() {
            match item.get_ref().parse::<DeviceType>() {
                Ok(DeviceType::Error) => self.error(
                    item.span(),
                    "impossible selector: no device has type 'error'",
                    Some("device types are mlx5, cxl, bnxt, pds"),
                ),
                Ok(t) => out.push(t),
                Err(_) => self.error(
                    item.span(),
                    format!("unknown device type '{}'", item.get_ref()),
                    Some("device types are mlx5, cxl, bnxt, pds"),
                ),
            }
        }
        Some(out)
    }

    fn selector(
        &mut self,
        devices: &Option<List<String>>,
        types: &Option<List<String>>,
        parents: &Option<List<String>>,
        firmware: &Option<List<String>>,
    ) -> DeviceSelector {
        DeviceSelector {
            names: self.globs("devices", devices),
            types: self.types(types),
            parents: self.globs("parents", parents),
            firmware: self.globs("firmware", firmware),
        }
    }

    fn resolve(&mut self, name: &str, group: bool) -> Option<u32> {
        let cache = if group { &mut self.groups } else { &mut self.users };
        if let Some(hit) = cache.get(name) {
            return *hit;
        }
        let id = if name == "root" {
            Some(0)
        } else if group {
            self.resolver.gid(name)
        } else {
            self.resolver.uid(name)
        };
        cache.insert(name.to_string(), id);
        id
    }

    fn who(&mut self, rule: &super::schema::RuleSpec, header: &Range<usize>) -> Who {
        let mut who = Who::default();
        let mut text = String::new();
        let push = |t: &mut String, part: std::fmt::Arguments<'_>| {
            use std::fmt::Write as _;
            if !t.is_empty() {
                t.push_str(", ");
            }
            let _ = t.write_fmt(part);
        };
        for (list, group) in [(&rule.users, false), (&rule.groups, true)] {
            let Some(list) = list else { continue };
            self.non_empty(if group { "groups" } else { "users" }, list);
            for item in list.get_ref() {
                match item.get_ref() {
                    IdOrName::Id(id) => {
                        push(&mut text, format_args!("{}{id}", if group { "group " } else { "uid " }));
                        if group { who.gids.push(*id) } else { who.uids.push(*id) }
                    }
                    IdOrName::Name(n) if n == "*" && !group => {
                        who.everyone = true;
                        push(&mut text, format_args!("everyone"));
                    }
                    IdOrName::Name(n) => {
                        push(&mut text, format_args!("{}{n}", if group { "group " } else { "" }));
                        match self.resolve(n, group) {
                            Some(id) if group => who.gids.push(id),
                            Some(id) => who.uids.push(id),
                            None => self.unknown_name(item.span(), n, group),
                        }
                    }
                }
            }
        }
        if let Some(cap) = &rule.cap_sys_rawio {
            who.cap_sys_rawio = *cap.get_ref();
            if who.cap_sys_rawio {
                push(&mut text, format_args!("holders of CAP_SYS_RAWIO"));
            }
        }
        if rule.users.is_none() && rule.groups.is_none() && rule.cap_sys_rawio.is_none() {
            self.error(
                header.clone(),
                format!("rule '{}' names no principal", rule.name.get_ref()),
                Some("add users = [...], groups = [...] or cap_sys_rawio = true (users = [\"*\"] means everyone)"),
            );
        }
        who.text = text;
        who
    }

    fn opcodes(&mut self, key: &str, list: &Option<List<OpcodeSpec>>) -> Option<OpcodeSet> {
        let list = list.as_ref()?;
        self.non_empty(key, list);
        let mut set = OpcodeSet::default();
        for item in list.get_ref() {
            let spec = item.get_ref();
            match &spec.opcode {
                IdOrName::Id(n) => set.by_number.entry(*n).or_default().add(spec.op_mod),
                IdOrName::Name(n) => match parse_number(n) {
                    Some(num) => set.by_number.entry(num).or_default().add(spec.op_mod),
                    None => {
                        if let Some((msg, hint)) = vocabulary::check(NameKind::Opcode, n) {
                            self.error(item.span(), format!("{key}: {msg}"), Some(&hint));
                        }
                        set.by_name.entry(n.to_ascii_uppercase().into()).or_default().add(spec.op_mod)
                    }
                },
            }
        }
        Some(set)
    }

    fn registers(&mut self, key: &str, list: &Option<List<IdOrName>>) -> Option<RegisterSet> {
        let list = list.as_ref()?;
        self.non_empty(key, list);
        let mut set = RegisterSet::default();
        for item in list.get_ref() {
            match item.get_ref() {
                IdOrName::Id(id) => {
                    set.ids.insert(*id);
                }
                IdOrName::Name(n) => match parse_number(n) {
                    Some(id) => {
                        set.ids.insert(id);
                    }
                    None => {
                        if let Some((msg, hint)) = vocabulary::check(NameKind::Register, n) {
                            self.error(item.span(), format!("{key}: {msg}"), Some(&hint));
                        }
                        set.names.insert(n.to_ascii_uppercase().into());
                    }
                },
            }
        }
        Some(set)
    }

    /// Compile a parsed file. Errors are collected in `self.errors`.
    pub(crate) fn compile(&mut self, file: &PolicyFile) -> CompiledPolicy {
        if *file.version.get_ref() != SCHEMA_VERSION {
            self.error(
                file.version.span(),
                format!("unsupported policy version {}", file.version.get_ref()),
                Some("this fwctl understands `version = 1`"),
            );
        }
        let lockdown = match &file.lockdown {
            Some(l) if *l.get_ref() => Some(self.origin(&l.span()).at),
            _ => None,
        };
        let audit = self.audit_settings(file.audit.as_ref());
        let mut deny_firmware = FirmwareDeny::default();
        if let Some(list) = &file.deny_firmware {
            for item in list.get_ref() {
                let at = self.origin(&item.span()).at;
                match Glob::new(item.get_ref()) {
                    Ok(g) if g.is_literal() => {
                        deny_firmware.exact.insert(item.get_ref().as_str().into(), at);
                    }
                    Ok(g) => deny_firmware.globs.push((g, at)),
                    Err(e) => {
                        self.error(item.span(), e.to_string(), Some("patterns use *, ? and [a-z] classes"))
                    }
                }
            }
        }

        let mut devices = Vec::new();
        let mut device_by_name: FxMap<Box<str>, Vec<u32>> = FxMap::default();
        let mut device_any = Vec::new();
        for block in &file.device {
            let span = block.span();
            let spec = block.get_ref();
            let select = self.selector(&spec.devices, &spec.device_types, &spec.parents, &spec.firmware);
            let max_scope = spec.max_scope.as_ref().and_then(|s| self.scope(s));
            if spec.enabled.is_none() && spec.max_scope.is_none() {
                self.warn(
                    span.clone(),
                    "this [[device]] block sets nothing",
                    Some("set enabled = false or max_scope"),
                );
            }
            let at = self.origin(&span).at;
            let label: Arc<str> = match &spec.name {
                Some(n) => format!("device block '{}' ({at})", n.get_ref()).into(),
                None => format!("device block ({at})").into(),
            };
            let idx = devices.len() as u32;
            match select.exact_names() {
                Some(names) => {
                    for n in names {
                        device_by_name.entry(n.into()).or_default().push(idx);
                    }
                }
                None => device_any.push(idx),
            }
            devices.push(DeviceBlock {
                label,
                select,
                enabled: spec.enabled.as_ref().map(|e| *e.get_ref()),
                max_scope,
            });
        }

        let mut rules: Vec<Rule> = Vec::with_capacity(file.rule.len());
        let mut headers = Vec::with_capacity(file.rule.len());
        let mut index = RuleIndex::default();
        let mut names: FxMap<String, usize> = FxMap::default();
        for spanned in &file.rule {
            let header = spanned.span();
            let spec = spanned.get_ref();
            let name = spec.name.get_ref();
            if name.is_empty() {
                self.error(spec.name.span(), "a rule name must not be empty", None);
            }
            if let Some(first) = names.insert(name.clone(), header.start) {
                let first = self.origin(&(first..first)).at;
                self.error(
                    spec.name.span(),
                    format!("duplicate rule name '{name}' (first used at {first})"),
                    Some("rule names must be unique; denials and the audit log cite them"),
                );
            }
            let action = match spec.action.as_ref().map(|a| (a.get_ref().as_str(), a.span())) {
                None | Some(("allow", _)) => match &spec.max_scope {
                    Some(s) => Action::Allow(self.scope(s).unwrap_or(RpcScope::Configuration)),
                    None => {
                        self.error(
                            header.clone(),
                            format!("allow rule '{name}' has no max_scope"),
                            Some("add e.g. max_scope = \"debug-read-only\"; a rule grants at most its max_scope"),
                        );
                        Action::Allow(RpcScope::Configuration)
                    }
                },
                Some(("deny", _)) => {
                    if let Some(s) = &spec.max_scope {
                        self.error(
                            s.span(),
                            "max_scope has no meaning in a deny rule",
                            Some("remove it, or make this an allow rule"),
                        );
                    }
                    if let Some(o) = &spec.opcodes {
                        self.error(
                            o.span(),
                            "`opcodes` (an allow-list) has no meaning in a deny rule",
                            Some("use deny_opcodes to list the commands this rule refuses"),
                        );
                    }
                    Action::Deny
                }
                Some((other, span)) => {
                    self.error(span, format!("unknown action '{other}'"), Some("actions are allow and deny"));
                    Action::Deny
                }
            };
            let who = self.who(spec, &header);
            let select = self.selector(&spec.devices, &spec.device_types, &spec.parents, &spec.firmware);
            if let (Some(sc), Some(lockdown_at)) = (spec.max_scope.as_ref(), &lockdown)
                && matches!(action, Action::Allow(RpcScope::DebugWriteFull))
            {
                let msg = format!(
                    "lockdown ({lockdown_at}) refuses debug-write-full; this rule grants at most debug-write"
                );
                self.warn(sc.span(), msg, None);
            }
            let opcodes = self.opcodes("opcodes", &spec.opcodes);
            let deny_opcodes = self.opcodes("deny_opcodes", &spec.deny_opcodes);
            let deny_register_writes = self.registers("deny_register_writes", &spec.deny_register_writes);
            let deny_register_reads = self.registers("deny_register_reads", &spec.deny_register_reads);
            let origin = self.origin(&header);
            let reasons = RuleReasons {
                allowed: format!("allowed by rule '{name}' ({})", origin.at).into(),
                denied: format!("denied by rule '{name}' ({})", origin.at).into(),
            };
            let idx = rules.len() as u32;
            let exact = select.exact_names();
            if who.everyone {
                index.everyone.add(idx, &exact);
            }
            if who.cap_sys_rawio {
                index.cap_sys_rawio.add(idx, &exact);
            }
            for uid in &who.uids {
                index.by_uid.entry(*uid).or_default().add(idx, &exact);
            }
            for gid in &who.gids {
                index.by_gid.entry(*gid).or_default().add(idx, &exact);
            }
            headers.push(header.clone());
            rules.push(Rule {
                name: name.as_str().into(),
                origin,
                action,
                who,
                select,
                opcodes,
                deny_opcodes,
                deny_register_writes,
                deny_register_reads,
                reasons,
            });
        }

        for (j, later) in rules.iter().enumerate() {
            if let Some(earlier) = rules[..j].iter().find(|e| shadows(e, later)) {
                let msg = format!(
                    "rule '{}' can never decide: rule '{}' ({}) comes first and decides every request \
                     '{}' covers (the first matching rule decides)",
                    later.name, earlier.name, earlier.origin.at, later.name
                );
                let hint =
                    format!("move '{}' above '{}', or narrow '{}'", later.name, earlier.name, earlier.name);
                self.warn(headers[j].clone(), msg, Some(&hint));
            }
        }

        CompiledPolicy {
            file: self.reason_file().into(),
            lockdown,
            audit,
            deny_firmware,
            devices,
            device_by_name,
            device_any,
            rules,
            index,
        }
    }
}

/// Whether `earlier` decides every request `later` covers, so `later` is dead:
/// `earlier` covers unconditionally (an allow rule without an `opcodes` list, or
/// a deny rule without deny lists), applies to everyone `later` applies to, and
/// selects every device `later` selects. Conservative: `false` when unsure.
fn shadows(earlier: &Rule, later: &Rule) -> bool {
    let unconditional = match earlier.action {
        Action::Allow(_) => earlier.opcodes.is_none(),
        Action::Deny => !earlier.has_deny_lists(),
    };
    let (e, l) = (&earlier.who, &later.who);
    let nobody = !l.everyone && !l.cap_sys_rawio && l.uids.is_empty() && l.gids.is_empty();
    let principals = e.everyone
        || (!l.everyone
            && l.uids.iter().all(|u| e.uids.contains(u))
            && l.gids.iter().all(|g| e.gids.contains(g))
            && (!l.cap_sys_rawio || e.cap_sys_rawio));
    let es = &earlier.select;
    let all_devices =
        es.names.is_none() && es.types.is_none() && es.parents.is_none() && es.firmware.is_none();
    let devices = all_devices || es.describe() == later.select.describe();
    unconditional && !nobody && principals && devices
}

/// `fwctlN` with N in 0..4096 and no leading zeros ([`fwctl_uapi::DeviceName`]).
pub(crate) fn parse_device_name(name: &str) -> Option<u32> {
    fwctl_uapi::DeviceName::from_name(name).map(fwctl_uapi::DeviceName::minor)
}

/// `0x805`, `2053`: a number written as a string.
fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}
