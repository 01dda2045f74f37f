//! Decisions, in a fixed order, each with its reason; and `explain`, which runs
//! the very same code with a tracer attached.
//!
//! Order (for an RPC; an open runs steps 1–2 and then asks whether any rule grants
//! the caller anything on the device):
//! 1. firmware deny-list → `EACCES`;
//! 2. `[[device]]` blocks (all that match, later ones override earlier ones key by
//!    key): `enabled = false` → `EACCES`; their `max_scope` is the device ceiling;
//! 3. `lockdown = true` and scope `debug-write-full` → `EPERM`;
//! 4. the driver: a request it refuses at this scope → `EBADMSG` (the driver's own
//!    answer; the policy never widens);
//! 5. the device ceiling → `EPERM`;
//! 6. the first rule, in file order, whose principals, devices and command lists
//!    match → its verdict (`EPERM` when it refuses);
//! 7. no rule matches → `EPERM` (default deny).

use std::fmt;
use std::sync::Arc;

use super::compile::{Action, Bucket, CompiledPolicy, DeviceSelector, OpcodeSet, RegisterSet, Rule};
use fwctl_subsys::creds::Credentials;
use fwctl_subsys::driver::RpcDescription;
use fwctl_subsys::hooks::{Decision, OpenCheck, Policy, RpcCheck};
use fwctl_subsys::subsystem::DeviceView;
use fwctl_uapi::RpcScope;
use fwctl_uapi::errno::Errno;

/// Receives the reasoning steps; the no-op tracer compiles away.
trait Trace {
    fn step(&mut self, f: impl FnOnce() -> String);
}

struct NoTrace;

impl Trace for NoTrace {
    #[inline(always)]
    fn step(&mut self, _f: impl FnOnce() -> String) {}
}

impl Trace for Vec<String> {
    fn step(&mut self, f: impl FnOnce() -> String) {
        self.push(f());
    }
}

fn with_rule(mut d: Decision, rule: &Arc<str>) -> Decision {
    d.rule = Some(rule.clone());
    d
}

impl DeviceSelector {
    /// Whether the device is selected.
    #[inline]
    pub(crate) fn matches(&self, dev: &DeviceView) -> bool {
        if let Some(names) = &self.names
            && !names.iter().any(|g| g.matches(&dev.name))
        {
            return false;
        }
        if let Some(types) = &self.types
            && !types.contains(&dev.device_type)
        {
            return false;
        }
        if let Some(parents) = &self.parents {
            match &dev.identity.parent {
                Some(p) if parents.iter().any(|g| g.matches(p)) => {}
                _ => return false,
            }
        }
        if let Some(fw) = &self.firmware {
            match &dev.identity.fw_version {
                Some(v) if fw.iter().any(|g| g.matches(v)) => {}
                _ => return false,
            }
        }
        true
    }
}

impl OpcodeSet {
    /// Whether the described command is in the set (by number or by name).
    #[inline]
    fn contains(&self, d: &RpcDescription) -> bool {
        if self.by_number.get(&d.opcode).is_some_and(|m| m.contains(d.op_mod)) {
            return true;
        }
        if self.by_name.is_empty() {
            return false;
        }
        let Some(name) = d.name.as_deref() else { return false };
        let hit = if name.bytes().any(|b| b.is_ascii_lowercase()) {
            self.by_name.get(name.to_ascii_uppercase().as_str())
        } else {
            self.by_name.get(name)
        };
        hit.is_some_and(|m| m.contains(d.op_mod))
    }
}

impl RegisterSet {
    #[inline]
    fn contains(&self, id: u32, name: Option<&str>) -> bool {
        if self.ids.contains(&id) {
            return true;
        }
        match name {
            Some(n) if !self.names.is_empty() => self.names.contains(n.to_ascii_uppercase().as_str()),
            _ => false,
        }
    }
}

impl Rule {
    /// Whether the described request is on one of this rule's deny lists.
    fn deny_listed(&self, d: &RpcDescription) -> bool {
        if self.deny_opcodes.as_ref().is_some_and(|s| s.contains(d)) {
            return true;
        }
        let Some(reg) = &d.register else { return false };
        let set = if reg.write { &self.deny_register_writes } else { &self.deny_register_reads };
        set.as_ref().is_some_and(|s| s.contains(reg.id, reg.name.as_deref()))
    }

    /// Whether this rule speaks about the request (else evaluation falls through).
    /// An allow-list cannot be proven without a description; a deny list must be
    /// assumed to apply when the request cannot be described.
    #[inline]
    fn covers(&self, d: Option<&RpcDescription>) -> bool {
        match self.action {
            Action::Allow(_) => match (&self.opcodes, d) {
                (None, _) => true,
                (Some(set), Some(d)) => set.contains(d),
                (Some(_), None) => false,
            },
            Action::Deny if self.has_deny_lists() => d.is_none_or(|d| self.deny_listed(d)),
            Action::Deny => true,
        }
    }

    /// The rule's verdict for a request it covers.
    #[inline]
    fn verdict(&self, scope: RpcScope, d: Option<&RpcDescription>) -> Decision {
        let r = &self.reasons;
        let decision = match self.action {
            Action::Deny => Decision::deny(Errno::EPERM, r.denied.clone()),
            Action::Allow(max) => {
                if self.has_deny_lists() && d.is_none() {
                    let why = ": the driver cannot describe this request, so the rule's command lists cannot be checked";
                    Decision::deny(Errno::EPERM, format!("{}{why}", r.denied))
                } else if d.is_some_and(|d| self.deny_listed(d)) {
                    Decision::deny(Errno::EPERM, format!("{}: the command is on its deny list", r.denied))
                } else if scope > max {
                    Decision::deny(Errno::EPERM, format!("{}: it allows at most {max}", r.denied))
                } else {
                    Decision::allow(r.allowed.clone())
                }
            }
        };
        with_rule(decision, &self.name)
    }

    /// One line for `explain`.
    pub(crate) fn summary(&self) -> String {
        let what = match self.action {
            Action::Allow(max) => format!("allow up to {max}"),
            Action::Deny => "deny".to_string(),
        };
        let mut s = format!("{what} for {} on {}", self.who.text, self.select.describe());
        if self.opcodes.is_some() {
            s.push_str("; only its listed opcodes");
        }
        if self.deny_opcodes.is_some() {
            s.push_str("; deny_opcodes");
        }
        if self.deny_register_writes.is_some() {
            s.push_str("; deny_register_writes");
        }
        if self.deny_register_reads.is_some() {
            s.push_str("; deny_register_reads");
        }
        s
    }
}

/// The device-level verdict: refused, or the device ceiling (if any).
type DeviceStage<'a> = Result<Option<(RpcScope, &'a Arc<str>)>, Decision>;

impl CompiledPolicy {
    /// The candidate rule lists for a caller on a device.
    #[inline]
    fn for_each_bucket(&self, creds: &Credentials, mut f: impl FnMut(&Bucket)) {
        let idx = &self.index;
        if let Some(b) = idx.by_uid.get(&creds.uid) {
            f(b);
        }
        if !idx.by_gid.is_empty() {
            if let Some(b) = idx.by_gid.get(&creds.gid) {
                f(b);
            }
            for g in &creds.groups {
                if *g != creds.gid
                    && let Some(b) = idx.by_gid.get(g)
                {
                    f(b);
                }
            }
        }
        // Asked only when a rule names the capability (asking may cost the
        // daemon system calls), and then once per call.
        if !idx.cap_sys_rawio.is_empty() && creds.has_cap_sys_rawio() {
            f(&idx.cap_sys_rawio);
        }
        f(&idx.everyone);
    }

    /// The first rule (file order) naming the caller, selecting the device and
    /// satisfying `pred`. Each candidate list is sorted, so scanning each up to the
    /// best index found so far visits only rules that concern the caller.
    #[inline]
    fn first_rule(
        &self,
        creds: &Credentials,
        dev: &DeviceView,
        pred: impl Fn(&Rule) -> bool,
    ) -> Option<&Rule> {
        let mut best = u32::MAX;
        self.for_each_bucket(creds, |bucket| {
            for list in bucket.lists(&dev.name) {
                for &i in list {
                    if i >= best {
                        break;
                    }
                    let rule = &self.rules[i as usize];
                    if rule.select.matches(dev) && pred(rule) {
                        best = i;
                        break;
                    }
                }
            }
        });
        self.rules.get(best as usize)
    }

    /// Every rule naming the caller (on any device), in file order: what
    /// `fwctl policy show --me` lists, like `sudo -l`.
    pub fn rules_for(&self, creds: &Credentials) -> Vec<ExplainedRule> {
        let mut all = Vec::new();
        self.for_each_bucket(creds, |b| {
            all.extend_from_slice(&b.any_device);
            for list in b.by_device.values() {
                all.extend_from_slice(list);
            }
        });
        all.sort_unstable();
        all.dedup();
        all.into_iter()
            .map(|i| &self.rules[i as usize])
            .map(|r| ExplainedRule {
                name: r.name.to_string(),
                at: r.origin.at.to_string(),
                summary: r.summary(),
                decided: false,
            })
            .collect()
    }

    /// Every rule naming the caller and selecting the device, in file order.
    pub(crate) fn applicable_rules(&self, creds: &Credentials, dev: &DeviceView) -> Vec<&Rule> {
        let mut all = Vec::new();
        self.for_each_bucket(creds, |b| {
            for list in b.lists(&dev.name) {
                all.extend_from_slice(list);
            }
        });
        all.sort_unstable();
        all.dedup();
        all.into_iter().map(|i| &self.rules[i as usize]).filter(|r| r.select.matches(dev)).collect()
    }

    /// Steps 1–2: firmware deny-list and device blocks.
    fn device_stage<T: Trace>(&self, dev: &DeviceView, t: &mut T) -> DeviceStage<'_> {
        if let Some(fw) = dev.identity.fw_version.as_deref() {
            let listed =
                self.deny_firmware.exact.get(fw).or_else(|| {
                    self.deny_firmware.globs.iter().find(|(g, _)| g.matches(fw)).map(|(_, at)| at)
                });
            if let Some(at) = listed {
                let why = format!("firmware {fw} of {} is on deny_firmware ({at})", dev.name);
                t.step(|| format!("firmware deny-list: {why}"));
                return Err(with_rule(Decision::deny(Errno::EACCES, why), &Arc::from("deny_firmware")));
            }
            t.step(|| format!("firmware deny-list: {fw} is not listed"));
        } else {
            t.step(|| "firmware deny-list: the device reports no firmware version".into());
        }
        let mut enabled: Option<(bool, usize)> = None;
        let mut ceiling: Option<(RpcScope, usize)> = None;
        let named = self.device_by_name.get(dev.name.as_str()).map_or(&[][..], Vec::as_slice);
        let (mut a, mut b) = (named.iter().peekable(), self.device_any.iter().peekable());
        // Merge the two sorted lists: later blocks override earlier ones.
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x < y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            let Some(&i) = next else { break };
            let block = &self.devices[i as usize];
            if !block.select.matches(dev) {
                continue;
            }
            t.step(|| format!("{} matches {}", block.label, dev.name));
            if let Some(e) = block.enabled {
                enabled = Some((e, i as usize));
            }
            if let Some(s) = block.max_scope {
                ceiling = Some((s, i as usize));
            }
        }
        if let Some((false, i)) = enabled {
            let why = format!("{} is disabled by {}", dev.name, self.devices[i].label);
            t.step(|| why.clone());
            return Err(with_rule(Decision::deny(Errno::EACCES, why), &self.devices[i].label));
        }
        Ok(ceiling.map(|(s, i)| (s, &self.devices[i].label)))
    }

    fn default_deny(creds: &Credentials, dev: &DeviceView) -> Decision {
        // The text names the caller: as confirmed now (a policy that names no
        // caller is consulted with an unconfirmed identity).
        let uid = creds.confirmed().map_or(creds.uid, |c| c.uid);
        Decision::deny(Errno::EPERM, format!("no rule allows uid {uid} on {} (default deny)", dev.name))
    }

    /// Whether a decision can depend on the caller's ids or groups: some rule
    /// names users or groups (`users = ["*"]` names nobody in particular; a
    /// `cap_sys_rawio` rule asks the capability, which is always asked afresh).
    pub fn names_callers(&self) -> bool {
        !self.index.by_uid.is_empty() || !self.index.by_gid.is_empty()
    }

    fn decide_open<T: Trace>(&self, check: &OpenCheck<'_>, t: &mut T) -> Decision {
        if let Err(d) = self.device_stage(check.device, t) {
            return d;
        }
        // Open is granted when some rule could allow something: the first rule
        // that is an allow rule or an unconditional deny rule decides.
        let rule = self.first_rule(check.creds, check.device, |r| {
            matches!(r.action, Action::Allow(_)) || !r.has_deny_lists()
        });
        match rule {
            Some(r) => {
                t.step(|| format!("open: first applicable rule is '{}' ({})", r.name, r.origin.at));
                match r.action {
                    Action::Allow(_) => with_rule(Decision::allow(r.reasons.allowed.clone()), &r.name),
                    Action::Deny => {
                        with_rule(Decision::deny(Errno::EPERM, r.reasons.denied.clone()), &r.name)
                    }
                }
            }
            None => {
                t.step(|| "open: no rule grants the caller anything on this device".into());
                Self::default_deny(check.creds, check.device)
            }
        }
    }

    fn decide_rpc<T: Trace>(&self, check: &RpcCheck<'_>, t: &mut T) -> Decision {
        let ceiling = match self.device_stage(check.device, t) {
            Ok(c) => c,
            Err(d) => return d,
        };
        let scope = check.scope;
        if scope == RpcScope::DebugWriteFull
            && let Some(at) = &self.lockdown
        {
            t.step(|| format!("lockdown ({at}): on"));
            let d = Decision::deny(Errno::EPERM, format!("lockdown: {scope} is refused outright ({at})"));
            return with_rule(d, &Arc::from("lockdown"));
        }
        t.step(|| {
            format!(
                "lockdown: {}",
                if self.lockdown.is_some() { "on (scope below debug-write-full)" } else { "off" }
            )
        });
        match check.description {
            Some(d) if !d.allowed_at(scope) => {
                let why = match d.min_scope {
                    Some(min) => format!("the driver requires scope {min} for this command"),
                    None => "the driver does not allow this command at any scope".to_string(),
                };
                t.step(|| format!("driver: {why}"));
                return Decision::deny(Errno::EBADMSG, why);
            }
            Some(d) => t.step(|| {
                let name = d.name.as_deref().unwrap_or("?");
                format!(
                    "driver: {name} (opcode 0x{:x}, op_mod {}) is allowed from {}",
                    d.opcode,
                    d.op_mod,
                    d.min_scope.map_or("-", |s| s.name())
                )
            }),
            None => {
                t.step(|| "driver: cannot describe this request (the driver will answer for itself)".into())
            }
        }
        if let Some((max, label)) = ceiling {
            if scope > max {
                t.step(|| format!("device ceiling: {max} ({label})"));
                let d = Decision::deny(
                    Errno::EPERM,
                    format!("{} allows at most {max} ({label})", check.device.name),
                );
                return with_rule(d, label);
            }
            t.step(|| format!("device ceiling: {max} ({label}), not exceeded"));
        }
        let d = check.description;
        match self.first_rule(check.creds, check.device, |r| r.covers(d)) {
            Some(rule) => {
                let v = rule.verdict(scope, d);
                t.step(|| format!("rule '{}' ({}) decides: {}", rule.name, rule.origin.at, v.reason));
                v
            }
            None => {
                t.step(|| "rules: none applies".into());
                Self::default_deny(check.creds, check.device)
            }
        }
    }

    /// The decision for an RPC with the reasoning behind it, like `sudo -l`.
    pub fn explain_rpc(&self, check: &RpcCheck<'_>) -> Explanation {
        let mut steps = Vec::new();
        let decision = self.decide_rpc(check, &mut steps);
        self.explanation(check.creds, check.device, decision, steps)
    }

    /// The decision for an open with the reasoning behind it.
    pub fn explain_open(&self, check: &OpenCheck<'_>) -> Explanation {
        let mut steps = Vec::new();
        let decision = self.decide_open(check, &mut steps);
        self.explanation(check.creds, check.device, decision, steps)
    }

    fn explanation(
        &self,
        creds: &Credentials,
        dev: &DeviceView,
        decision: Decision,
        steps: Vec<String>,
    ) -> Explanation {
        let rules = self
            .applicable_rules(creds, dev)
            .into_iter()
            .map(|r| ExplainedRule {
                name: r.name.to_string(),
                at: r.origin.at.to_string(),
                summary: r.summary(),
                decided: decision.rule.as_deref() == Some(&*r.name),
            })
            .collect();
        Explanation { decision, steps, rules }
    }
}

impl Policy for CompiledPolicy {
    fn check_open(&self, check: &OpenCheck<'_>) -> Decision {
        self.decide_open(check, &mut NoTrace)
    }

    fn check_rpc(&self, check: &RpcCheck<'_>) -> Decision {
        self.decide_rpc(check, &mut NoTrace)
    }

    fn uses_identity(&self) -> bool {
        self.names_callers()
    }
}

/// A rule that names the caller and selects the device.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExplainedRule {
    /// The rule's name.
    pub name: String,
    /// Where it is written, `policy.toml:42`.
    pub at: String,
    /// What it grants or refuses, in words.
    pub summary: String,
    /// Whether this rule made the decision.
    pub decided: bool,
}

/// A decision with the checks that led to it and the rules that apply.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Explanation {
    /// The decision itself.
    pub decision: Decision,
    /// The checks, in the order they ran.
    pub steps: Vec<String>,
    /// Every rule naming the caller on this device, in file order (`sudo -l`).
    pub rules: Vec<ExplainedRule>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decision.errno {
            None => writeln!(f, "ALLOWED: {}", self.decision.reason)?,
            Some(e) => writeln!(f, "DENIED ({}): {}", e.name(), self.decision.reason)?,
        }
        writeln!(f, "checks, in order:")?;
        for (i, s) in self.steps.iter().enumerate() {
            writeln!(f, "  {}. {s}", i + 1)?;
        }
        if self.rules.is_empty() {
            write!(f, "no rule names this caller on this device")?;
        } else {
            write!(f, "rules naming this caller on this device, in order:")?;
            for r in &self.rules {
                let mark = if r.decided { "*" } else { " " };
                write!(f, "\n  {mark} '{}' ({}): {}", r.name, r.at, r.summary)?;
            }
        }
        Ok(())
    }
}
