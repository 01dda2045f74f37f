//! The command and register names policies may use, as the linked-in drivers
//! know them. A name in `opcodes`, `deny_opcodes`, `deny_register_writes` or
//! `deny_register_reads` that no registered driver knows is an error with the
//! nearest known name as a suggestion (`"PAOZ": unknown register; did you mean
//! PAOS?`), as visudo refuses unknown names: a misspelt deny entry would
//! otherwise deny nothing. Numbers are always accepted (registers and commands
//! of devices this binary has no table for). With no driver registered (a
//! library user compiling a policy on its own), names are not checked.

use std::sync::{OnceLock, RwLock};

/// The names one driver knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// Which driver (for messages), e.g. `mlx5`.
    pub driver: String,
    /// Command names (`QUERY_ADAPTER`), upper case.
    pub opcodes: Vec<String>,
    /// Register names (`PAOS`), upper case.
    pub registers: Vec<String>,
}

fn registry() -> &'static RwLock<Vec<Vocabulary>> {
    static REGISTRY: OnceLock<RwLock<Vec<Vocabulary>>> = OnceLock::new();
    REGISTRY.get_or_init(|| RwLock::new(Vec::new()))
}

/// Register a driver's names for every policy compiled afterwards in this
/// process (the `fwctl` and `fwctld` binaries register their built-in drivers
/// at start-up). Registering the same driver again replaces its names.
pub fn register(vocabulary: Vocabulary) {
    let mut all = registry().write().unwrap_or_else(std::sync::PoisonError::into_inner);
    all.retain(|v| v.driver != vocabulary.driver);
    all.push(vocabulary);
}

/// Which kind of name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A command (opcode) name.
    Opcode,
    /// A register name.
    Register,
}

impl NameKind {
    fn noun(self) -> &'static str {
        match self {
            NameKind::Opcode => "command",
            NameKind::Register => "register",
        }
    }
}

/// Why a name is refused: the message and the hint, or `None` when it is known
/// (or when no vocabulary is registered).
pub fn check(kind: NameKind, name: &str) -> Option<(String, String)> {
    let all = registry().read().unwrap_or_else(std::sync::PoisonError::into_inner);
    check_in(&all, kind, name)
}

/// [`check`] against explicit vocabularies (testable without the global registry).
pub fn check_in(all: &[Vocabulary], kind: NameKind, name: &str) -> Option<(String, String)> {
    if all.is_empty() {
        return None;
    }
    let upper = name.to_ascii_uppercase();
    let names = || {
        all.iter().flat_map(move |v| match kind {
            NameKind::Opcode => v.opcodes.iter(),
            NameKind::Register => v.registers.iter(),
        })
    };
    if names().any(|n| *n == upper) {
        return None;
    }
    let best = names()
        .map(|n| (strsim::damerau_levenshtein(&upper, n), n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.clone());
    let drivers: Vec<&str> = all.iter().map(|v| v.driver.as_str()).collect();
    let msg = match &best {
        Some(b) => format!("\"{name}\": unknown {}; did you mean {b}?", kind.noun()),
        None => format!("\"{name}\": unknown {}", kind.noun()),
    };
    let hint = format!(
        "names are those the {} driver{} know{}; write a number \
         (e.g. 0x5006) for a {} this fwctl has no name for",
        drivers.join(", "),
        if drivers.len() == 1 { "" } else { "s" },
        if drivers.len() == 1 { "s" } else { "" },
        kind.noun()
    );
    Some((msg, hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mlx5() -> Vec<Vocabulary> {
        vec![Vocabulary {
            driver: "mlx5".into(),
            opcodes: vec!["QUERY_ADAPTER".into(), "QUERY_HCA_CAP".into()],
            registers: vec!["PAOS".into(), "PMTU".into(), "PTYS".into()],
        }]
    }

    #[test]
    fn a_typo_is_refused_with_the_nearest_name() {
        let (msg, _) = check_in(&mlx5(), NameKind::Register, "PAOZ").unwrap();
        assert_eq!(msg, "\"PAOZ\": unknown register; did you mean PAOS?");
        let (msg, _) = check_in(&mlx5(), NameKind::Opcode, "QUERY_ADAPTR").unwrap();
        assert_eq!(msg, "\"QUERY_ADAPTR\": unknown command; did you mean QUERY_ADAPTER?");
        let (msg, hint) = check_in(&mlx5(), NameKind::Opcode, "NOTACMD").unwrap();
        assert_eq!(msg, "\"NOTACMD\": unknown command");
        assert!(hint.contains("write a number"), "{hint}");
    }

    #[test]
    fn known_names_in_any_case_and_an_empty_registry_pass() {
        assert_eq!(check_in(&mlx5(), NameKind::Register, "paos"), None);
        assert_eq!(check_in(&mlx5(), NameKind::Opcode, "QUERY_HCA_CAP"), None);
        assert_eq!(check_in(&[], NameKind::Register, "ANYTHING"), None);
    }
}
