//! The HEX grammar of `fwctl rpc`: how a request payload is written on the command
//! line or in a hex file.
//!
//! - A payload is a sequence of tokens separated by whitespace, `:` or `,`.
//! - A token is an even number of hex digits, optionally prefixed by `0x`/`0X`.
//! - Bytes are taken in the order written: `0x0102` is the bytes `01 02`, never a
//!   number (so there is no byte-order or width guessing).
//! - `#` starts a comment that runs to the end of the line.
//! - `xxd -p` output (lines of hex digits) is therefore valid as it is.
//!
//! Any other input is refused with the token, its location and what is wrong:
//! nothing is padded, guessed or skipped (nvme-cli #313, ipmitool #195).

use std::fmt;

/// Where a token was found: a command-line argument or a line of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The n-th HEX argument (1-based).
    Argument(usize),
    /// The n-th line of a hex file (1-based).
    Line(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Argument(n) => write!(f, "argument {n}"),
            Place::Line(n) => write!(f, "line {n}"),
        }
    }
}

/// What is wrong with a hex payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// A token has an odd number of hex digits (half a byte).
    #[error(
        "hex payload: token '{token}' at {place}, column {column} has an odd number of hex digits ({digits}); write whole bytes, e.g. '0{digits_hint}'"
    )]
    OddDigits {
        /// The offending token.
        token: String,
        /// Where it is.
        place: Place,
        /// 1-based column of the token's first character.
        column: usize,
        /// How many digits it has.
        digits: usize,
        /// The token's digits, for the suggestion.
        digits_hint: String,
    },
    /// A token contains a character that is not a hex digit.
    #[error("hex payload: token '{token}' at {place}, column {column} has a non-hex character '{ch}'")]
    NotHex {
        /// The offending token.
        token: String,
        /// Where the bad character is.
        place: Place,
        /// 1-based column of the bad character.
        column: usize,
        /// The bad character.
        ch: char,
    },
    /// A `0x` prefix with no digits after it.
    #[error("hex payload: token '{token}' at {place}, column {column} is a 0x prefix without digits")]
    EmptyPrefix {
        /// The offending token.
        token: String,
        /// Where it is.
        place: Place,
        /// 1-based column of the token's first character.
        column: usize,
    },
    /// No bytes at all.
    #[error(
        "hex payload is empty: give at least one byte, e.g. 'fwctl rpc fwctl0 01010000 00000000 00000000 00000000'"
    )]
    Empty,
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == ':' || c == ','
}

/// Append the bytes of one line (or argument) to `out`.
fn parse_line(line: &str, place: Place, out: &mut Vec<u8>) -> Result<(), HexError> {
    let line = match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    };
    // Columns count characters, not bytes, so a multi-byte character points right.
    let chars: Vec<(usize, char)> = line.chars().enumerate().map(|(i, c)| (i + 1, c)).collect();
    let mut i = 0;
    while i < chars.len() {
        if is_separator(chars[i].1) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !is_separator(chars[i].1) {
            i += 1;
        }
        parse_token(&chars[start..i], place, out)?;
    }
    Ok(())
}

fn parse_token(tok: &[(usize, char)], place: Place, out: &mut Vec<u8>) -> Result<(), HexError> {
    let token: String = tok.iter().map(|&(_, c)| c).collect();
    let column = tok[0].0;
    let digits = match tok {
        [(_, '0'), (_, 'x' | 'X'), rest @ ..] => rest,
        _ => tok,
    };
    if digits.is_empty() {
        return Err(HexError::EmptyPrefix { token, place, column });
    }
    if let Some(&(column, ch)) = digits.iter().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(HexError::NotHex { token, place, column, ch });
    }
    if digits.len() % 2 == 1 {
        let digits_hint: String = digits.iter().map(|&(_, c)| c).collect();
        return Err(HexError::OddDigits { token, place, column, digits: digits.len(), digits_hint });
    }
    for pair in digits.chunks_exact(2) {
        // Both are ASCII hex digits (checked above), so to_digit cannot fail.
        let hi = pair[0].1.to_digit(16).unwrap_or(0);
        let lo = pair[1].1.to_digit(16).unwrap_or(0);
        out.push((hi * 16 + lo) as u8);
    }
    Ok(())
}

/// Parse the HEX arguments of `fwctl rpc`, one token list per argument.
pub fn parse_args<S: AsRef<str>>(args: &[S]) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::new();
    for (n, arg) in args.iter().enumerate() {
        parse_line(arg.as_ref(), Place::Argument(n + 1), &mut out)?;
    }
    non_empty(out)
}

/// Parse a hex file (`--hex-file`): the same grammar, line by line, `#` comments allowed.
pub fn parse_text(text: &str) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        parse_line(line, Place::Line(n + 1), &mut out)?;
    }
    non_empty(out)
}

fn non_empty(out: Vec<u8>) -> Result<Vec<u8>, HexError> {
    if out.is_empty() { Err(HexError::Empty) } else { Ok(out) }
}

/// Lower-case hex of `bytes` with no separators (the inverse of the grammar):
/// the `hex` crate's encoder; the parser above stays, for its per-token
/// column errors.
pub fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bytes_are_taken_in_the_order_written() {
        assert_eq!(
            parse_args(&["01010000", "0x0002", "ab:CD,ef"]).unwrap(),
            [1, 1, 0, 0, 0, 2, 0xab, 0xcd, 0xef]
        );
        assert_eq!(parse_args(&["01 02\t03"]).unwrap(), [1, 2, 3]);
    }

    #[test]
    fn files_allow_comments_and_xxd_plain_output() {
        let text =
            "# QUERY_ADAPTER\n0101 0000 # opcode, uid\n00000000000000000000000000000000\n\n0x00,0x01\n";
        assert_eq!(parse_text(text).unwrap(), [[1, 1, 0, 0].as_slice(), &[0; 16], &[0, 1]].concat());
    }

    #[test]
    fn odd_digit_counts_point_at_the_token_and_column() {
        let e = parse_args(&["0101", "00 123"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "hex payload: token '123' at argument 2, column 4 has an odd number of hex digits (3); write whole bytes, e.g. '0123'"
        );
        let e = parse_text("00\n  0x1\n").unwrap_err();
        assert!(
            matches!(e, HexError::OddDigits { place: Place::Line(2), column: 3, digits: 1, .. }),
            "{e:?}"
        );
    }

    #[test]
    fn non_hex_characters_point_at_the_character() {
        let e = parse_args(&["01g2"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "hex payload: token '01g2' at argument 1, column 3 has a non-hex character 'g'"
        );
        let e = parse_args(&["é1"]).unwrap_err();
        assert_eq!(e, HexError::NotHex { token: "é1".into(), place: Place::Argument(1), column: 1, ch: 'é' });
        let e = parse_args(&["00 -1"]).unwrap_err();
        assert!(matches!(e, HexError::NotHex { column: 4, ch: '-', .. }), "{e:?}");
    }

    #[test]
    fn a_bare_prefix_and_an_empty_payload_are_refused() {
        assert_eq!(
            parse_args(&["0x"]).unwrap_err().to_string(),
            "hex payload: token '0x' at argument 1, column 1 is a 0x prefix without digits"
        );
        assert_eq!(parse_args::<&str>(&[]).unwrap_err(), HexError::Empty);
        assert_eq!(parse_args(&[" , : "]).unwrap_err(), HexError::Empty);
        assert_eq!(parse_text("# only a comment\n").unwrap_err(), HexError::Empty);
    }

    proptest! {
        #[test]
        fn any_bytes_round_trip_through_any_separator_style(
            bytes in proptest::collection::vec(any::<u8>(), 1..64),
            chunk in 1usize..8,
            sep in prop::sample::select(vec![" ", ":", ",", "\n", " , "]),
            prefix in any::<bool>(),
            upper in any::<bool>(),
        ) {
            let tokens: Vec<String> = bytes.chunks(chunk).map(|c| {
                let h = to_hex(c);
                let h = if upper { h.to_uppercase() } else { h };
                if prefix { format!("0x{h}") } else { h }
            }).collect();
            let text = tokens.join(sep);
            prop_assert_eq!(parse_text(&text).unwrap(), bytes.clone());
            prop_assert_eq!(parse_args(&tokens).unwrap(), bytes);
        }

        #[test]
        fn arbitrary_text_never_panics_and_errors_point_inside_the_input(s in ".{0,80}") {
            match parse_text(&s) {
                Ok(b) => prop_assert!(!b.is_empty()),
                Err(HexError::Empty) => {}
                Err(HexError::OddDigits { column, place: Place::Line(l), .. }
                    | HexError::NotHex { column, place: Place::Line(l), .. }
                    | HexError::EmptyPrefix { column, place: Place::Line(l), .. }) => {
                    let line = s.lines().nth(l - 1).unwrap_or("");
                    prop_assert!(column >= 1 && column <= line.chars().count());
                }
                Err(e) => prop_assert!(false, "unexpected {e:?}"),
            }
        }
    }
}
