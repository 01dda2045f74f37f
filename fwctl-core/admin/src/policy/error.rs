//! Load errors and warnings, positioned as `file:line:column` with a hint.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// One problem found in a policy file, at a position, with an optional hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it (or `<built-in default>`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// `policy.toml:12:5: unknown scope 'debug-rw'` and, on the next line, `  hint: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// Why a policy could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("cannot read policy {}: {err}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        err: std::io::Error,
    },
    /// The file was read but is not a valid policy; every problem found is listed.
    #[error("{}", DiagnosticList(.0))]
    Invalid(Vec<Diagnostic>),
}

impl PolicyError {
    /// The positioned problems (empty for I/O errors).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            PolicyError::Invalid(d) => d,
            PolicyError::Io { .. } => &[],
        }
    }
}

struct DiagnosticList<'a>(&'a [Diagnostic]);

impl fmt::Display for DiagnosticList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Turns byte offsets of one text into line/column positions. The text may be
/// several files joined (the main policy and its drop-ins): each part keeps its
/// own file name and line numbers.
#[derive(Debug)]
pub(crate) struct SourceMap<'a> {
    pub(crate) file: &'a str,
    text: &'a str,
    line_starts: Vec<usize>,
    /// Later parts: (byte offset where the part starts, its file name); the first
    /// part is `file` from offset 0.
    parts: Vec<(usize, &'a str)>,
}

impl<'a> SourceMap<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceMap { file, text, line_starts, parts: Vec::new() }
    }

    /// A map of `text` made of `file` followed by `parts` (each starting at a
    /// line start, at the given byte offset).
    pub(crate) fn joined(file: &'a str, text: &'a str, parts: Vec<(usize, &'a str)>) -> Self {
        SourceMap { parts, ..Self::new(file, text) }
    }

    /// The part holding `offset`: its start offset and file name.
    fn part(&self, offset: usize) -> (usize, &'a str) {
        self.parts.iter().rev().find(|(start, _)| *start <= offset).copied().unwrap_or((0, self.file))
    }

    /// The file name of the part holding byte `offset`.
    pub(crate) fn file_at(&self, offset: usize) -> &'a str {
        self.part(offset).1
    }

    /// 1-based (line, column) of byte `offset`, within its part.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        let part_start = self.part(offset).0;
        let first_line = self.line_starts.partition_point(|&s| s <= part_start).max(1);
        (line + 1 - first_line, column)
    }

    /// The 1-based line of byte `offset`, within its part.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.position(offset).0
    }

    /// A diagnostic at the start of `span`.
    pub(crate) fn diag(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(span.start);
        let file = self.file_at(span.start);
        Diagnostic { file: file.to_string(), line, column, message: message.into(), hint }
    }
}

/// The candidate closest to `word` (Levenshtein distance, from `strsim`), if it
/// is close enough to be a likely typo.
pub(crate) fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let m = SourceMap::new("p.toml", "ab\nçd = 1\n");
        assert_eq!(m.position(0), (1, 1));
        assert_eq!(m.position(3), (2, 1));
        assert_eq!(m.position(6), (2, 3), "ç is two bytes but one column");
    }

    #[test]
    fn joined_parts_keep_their_own_file_and_lines() {
        let text = "a\nb\nc\nd\n";
        let m = SourceMap::joined("main.toml", text, vec![(4, "policy.d/10.toml")]);
        assert_eq!((m.file_at(2), m.position(2)), ("main.toml", (2, 1)));
        assert_eq!((m.file_at(4), m.position(4)), ("policy.d/10.toml", (1, 1)));
        assert_eq!(m.position(6), (2, 1));
    }

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("max_scop", ["max_scope", "users"]), Some("max_scope"));
        assert_eq!(closest("zzzz", ["max_scope", "users"]), None);
    }
}
