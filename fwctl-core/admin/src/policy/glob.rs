//! Shell-style patterns for device names, parents and firmware versions:
//! `*` (any run), `?` (one character), `[abc]`, `[a-z]`, `[!x]`. No other magic.
//!
//! Kept rather than the `glob` crate's `Pattern`, which is not a drop-in for
//! the documented language: it rejects `**` inside a name (`fw**`), takes an
//! unmatched `]` as a literal where a policy file gets a positioned error, and
//! has no literal fast path; switching would change what existing policy files
//! mean or how they fail.

/// Why a pattern is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GlobError {
    /// A `[` class is never closed.
    #[error("unclosed '[' in pattern '{0}'")]
    UnclosedClass(String),
    /// A `]` closes no class.
    #[error("unmatched ']' in pattern '{0}'")]
    UnmatchedBracket(String),
}

/// A validated pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    text: Box<str>,
    literal: bool,
}

impl Glob {
    /// Parse `pattern`; the error says what is malformed.
    pub fn new(pattern: &str) -> Result<Self, GlobError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        let mut literal = true;
        while i < chars.len() {
            match chars[i] {
                '*' | '?' => literal = false,
                '[' => {
                    literal = false;
                    let close =
                        class_end(&chars, i).ok_or_else(|| GlobError::UnclosedClass(pattern.into()))?;
                    i = close;
                }
                ']' => return Err(GlobError::UnmatchedBracket(pattern.into())),
                _ => {}
            }
            i += 1;
        }
        Ok(Glob { text: pattern.into(), literal })
    }

    /// Whether the pattern has no magic characters (an exact name).
    pub fn is_literal(&self) -> bool {
        self.literal
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `s` matches the whole pattern.
    pub fn matches(&self, s: &str) -> bool {
        if self.literal {
            return *self.text == *s;
        }
        if self.text.is_ascii() && s.is_ascii() {
            // The common case (device names, PCI addresses, versions): no allocation.
            return match_from(self.text.as_bytes(), s.as_bytes());
        }
        let p: Vec<char> = self.text.chars().collect();
        let s: Vec<char> = s.chars().collect();
        match_from(&p, &s)
    }
}

/// A pattern symbol: a byte (ASCII fast path) or a character.
trait Sym: Copy + PartialOrd {
    fn is(self, c: u8) -> bool;
}

impl Sym for u8 {
    #[inline]
    fn is(self, c: u8) -> bool {
        self == c
    }
}

impl Sym for char {
    #[inline]
    fn is(self, c: u8) -> bool {
        self == char::from(c)
    }
}

/// Index of the `]` closing the class that opens at `open`.
fn class_end<T: Sym>(p: &[T], open: usize) -> Option<usize> {
    let mut j = open + 1;
    if p.get(j).is_some_and(|c| c.is(b'!')) {
        j += 1;
    }
    // A `]` right after `[` or `[!` is a literal member.
    if p.get(j).is_some_and(|c| c.is(b']')) {
        j += 1;
    }
    while j < p.len() {
        if p[j].is(b']') {
            return Some(j);
        }
        j += 1;
    }
    None
}

fn class_matches<T: Sym>(class: &[T], c: T) -> bool {
    let (negate, class) = match class.first() {
        Some(f) if f.is(b'!') => (true, &class[1..]),
        _ => (false, class),
    };
    let mut hit = false;
    let mut k = 0;
    while k < class.len() {
        if k + 2 < class.len() && class[k + 1].is(b'-') {
            hit |= class[k] <= c && c <= class[k + 2];
            k += 3;
        } else {
            hit |= class[k] == c;
            k += 1;
        }
    }
    hit != negate
}

/// Iterative wildcard matching with single-star backtracking: O(|p|·|s|) worst case.
fn match_from<T: Sym>(p: &[T], s: &[T]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            let c = p[pi];
            if c.is(b'*') {
                star = Some((pi, si));
                pi += 1;
                continue;
            }
            if c.is(b'?') {
                pi += 1;
                si += 1;
                continue;
            }
            if c.is(b'[') {
                if let Some(end) = class_end(p, pi)
                    && class_matches(&p[pi + 1..end], s[si])
                {
                    pi = end + 1;
                    si += 1;
                    continue;
                }
            } else if c == s[si] {
                pi += 1;
                si += 1;
                continue;
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| c.is(b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Glob::new(p).unwrap().matches(s)
    }

    #[test]
    fn wildcards_classes_and_literals() {
        assert!(m("fwctl*", "fwctl12"));
        assert!(m("fwctl?", "fwctl1") && !m("fwctl?", "fwctl12"));
        assert!(m("fwctl[0-3]", "fwctl2") && !m("fwctl[0-3]", "fwctl4"));
        assert!(m("fwctl[!0]", "fwctl1") && !m("fwctl[!0]", "fwctl0"));
        assert!(m("28.*.100?", "28.39.1002"));
        assert!(m("*", "") && !m("a", ""));
        assert!(m("0000:08:00.0", "0000:08:00.0") && !m("0000:08:00.0", "0000:08:00.1"));
        assert_eq!(Glob::new("fwctl[1"), Err(GlobError::UnclosedClass("fwctl[1".into())));
        assert_eq!(Glob::new("a]"), Err(GlobError::UnmatchedBracket("a]".into())));
        assert_eq!(Glob::new("a]").unwrap_err().to_string(), "unmatched ']' in pattern 'a]'");
        assert!(Glob::new("x").unwrap().is_literal() && !Glob::new("x*").unwrap().is_literal());
    }
}
