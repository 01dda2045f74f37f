//! The policy file as written: serde types with source spans, and the mapping of
//! TOML/serde errors to positioned diagnostics with hints. Meaning (scope names,
//! selectors that can never match, rule consistency) is checked in `compile`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;

use super::error::{Diagnostic, SourceMap, closest};

/// The only schema version this build understands.
pub const SCHEMA_VERSION: i64 = 1;

/// A list value with the span of the whole list and of each element.
pub(crate) type List<T> = Spanned<Vec<Spanned<T>>>;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyFile {
    pub version: Spanned<i64>,
    pub lockdown: Option<Spanned<bool>>,
    pub audit: Option<Spanned<AuditSpec>>,
    pub deny_firmware: Option<List<String>>,
    #[serde(default)]
    pub device: Vec<Spanned<DeviceSpec>>,
    #[serde(default)]
    pub rule: Vec<Spanned<RuleSpec>>,
}

/// `audit = "all"`, or an `[audit]` table with the level and what happens
/// when the log cannot be written.
#[derive(Debug)]
pub(crate) enum AuditSpec {
    Level(String),
    Table(AuditTable),
}

/// The `[audit]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditTable {
    pub level: Option<Spanned<String>>,
    pub on_failure: Option<Spanned<String>>,
    pub sync: Option<Spanned<String>>,
    pub max_refusals: Option<Spanned<u32>>,
    pub refusal_window_secs: Option<Spanned<u64>>,
}

impl<'de> Deserialize<'de> for AuditSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AuditSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an audit level (\"all\", \"denials\", \"none\") or an [audit] table")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AuditSpec, E> {
                Ok(AuditSpec::Level(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AuditSpec, A::Error> {
                AuditTable::deserialize(de::value::MapAccessDeserializer::new(map)).map(AuditSpec::Table)
            }
        }
        d.deserialize_any(V)
    }
}

/// A `[[device]]` block: per-device settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeviceSpec {
    pub name: Option<Spanned<String>>,
    pub devices: Option<List<String>>,
    pub device_types: Option<List<String>>,
    pub parents: Option<List<String>>,
    pub firmware: Option<List<String>>,
    pub enabled: Option<Spanned<bool>>,
    pub max_scope: Option<Spanned<String>>,
}

/// A `[[rule]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    pub name: Spanned<String>,
    pub action: Option<Spanned<String>>,
    pub users: Option<List<IdOrName>>,
    pub groups: Option<List<IdOrName>>,
    pub cap_sys_rawio: Option<Spanned<bool>>,
    pub devices: Option<List<String>>,
    pub device_types: Option<List<String>>,
    pub parents: Option<List<String>>,
    pub firmware: Option<List<String>>,
    pub max_scope: Option<Spanned<String>>,
    pub opcodes: Option<List<OpcodeSpec>>,
    pub deny_opcodes: Option<List<OpcodeSpec>>,
    pub deny_register_writes: Option<List<IdOrName>>,
    pub deny_register_reads: Option<List<IdOrName>>,
}

/// A user, group or register: a number or a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdOrName {
    Id(u32),
    Name(String),
}

impl<'de> Deserialize<'de> for IdOrName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IdOrName;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name (string) or a numeric id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IdOrName, E> {
                u32::try_from(v)
                    .map(IdOrName::Id)
                    .map_err(|_| E::custom(format!("id {v} is out of range 0..=4294967295")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IdOrName, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IdOrName, E> {
                if v.is_empty() {
                    return Err(E::custom("an empty name matches nothing"));
                }
                Ok(IdOrName::Name(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A command: opcode number or driver name, optionally with an `op_mod`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpcodeSpec {
    pub opcode: IdOrName,
    pub op_mod: Option<u32>,
}

impl<'de> Deserialize<'de> for OpcodeSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OpcodeSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an opcode number, a command name, or { opcode = …, op_mod = … }")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<OpcodeSpec, E> {
                let opcode =
                    u32::try_from(v).map_err(|_| E::custom(format!("opcode {v} is out of range")))?;
                Ok(OpcodeSpec { opcode: IdOrName::Id(opcode), op_mod: None })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<OpcodeSpec, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OpcodeSpec, E> {
                if v.is_empty() {
                    return Err(E::custom("an empty command name matches nothing"));
                }
                Ok(OpcodeSpec { opcode: IdOrName::Name(v.to_string()), op_mod: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OpcodeSpec, A::Error> {
                let mut opcode = None;
                let mut op_mod = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "opcode" => opcode = Some(map.next_value::<IdOrName>()?),
                        "op_mod" => op_mod = Some(map.next_value::<u32>()?),
                        other => return Err(de::Error::unknown_field(other, &["opcode", "op_mod"])),
                    }
                }
                let opcode = opcode.ok_or_else(|| de::Error::missing_field("opcode"))?;
                Ok(OpcodeSpec { opcode, op_mod })
            }
        }
        d.deserialize_any(V)
    }
}

/// Keys valid at each level, for "did you mean" hints.
const TOP_KEYS: &[&str] = &["version", "lockdown", "audit", "deny_firmware", "device", "rule"];
const DEVICE_KEYS: &[&str] =
    &["name", "devices", "device_types", "parents", "firmware", "enabled", "max_scope"];
const RULE_KEYS: &[&str] = &[
    "name",
    "action",
    "users",
    "groups",
    "cap_sys_rawio",
    "devices",
    "device_types",
    "parents",
    "firmware",
    "max_scope",
    "opcodes",
    "deny_opcodes",
    "deny_register_writes",
    "deny_register_reads",
];

/// Parse `text` into the schema types, or one positioned diagnostic.
pub(crate) fn parse(map: &SourceMap<'_>, text: &str) -> Result<PolicyFile, Diagnostic> {
    toml::from_str::<PolicyFile>(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim_end().to_string();
        let hint = hint_for(&message);
        map.diag(span, message, hint)
    })
}

/// A hint for a serde/TOML message, when one helps.
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let all = TOP_KEYS.iter().chain(DEVICE_KEYS).chain(RULE_KEYS).copied();
        return Some(match closest(field, all) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "remove it; Documentation/policy.md lists every key".to_string(),
        });
    }
    if message.starts_with("missing field `version`") {
        return Some(format!("every policy starts with `version = {SCHEMA_VERSION}`"));
    }
    if message.starts_with("missing field `name`") {
        return Some("every [[rule]] needs a unique name; denials and the audit log cite it".into());
    }
    if message.starts_with("invalid type") {
        let hint = if message.contains("expected a boolean") {
            "write true or false, without quotes"
        } else if message.contains("expected a string") {
            "strings are quoted: \"like this\""
        } else if message.contains("expected a sequence") {
            "this key takes a list: [\"a\", \"b\"]"
        } else if message.contains("expected i64") {
            "write a number without quotes"
        } else {
            "check the value's type: strings are quoted; numbers, booleans and lists are not"
        };
        return Some(hint.to_string());
    }
    None
}
