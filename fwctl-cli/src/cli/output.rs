//! Output formats: `hexdump` (offsets, 16 bytes a line, ASCII column), `hex`
//! (plain, re-readable as a hex file), `raw` (the bytes alone) and `json`; and the
//! small amount of colour the terminal gets.
//!
//! The device status is always reported apart from the payload (nvme-cli #831,
//! hyve-pyipmi #5): on its own line for text formats, on standard error for `raw`,
//! as its own object for `json`.

use std::io::{self, Write};

use crate::cli::hexpayload::to_hex;

/// How `fwctl rpc` prints a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Offsets, 16 bytes a line and an ASCII column, with the status line above.
    Hexdump,
    /// Plain hex, 32 bytes a line, status as a `#` comment: valid input for `--hex-file`.
    Hex,
    /// The response bytes only on stdout (for piping); status on stderr.
    Raw,
    /// One JSON object: request, scope, lengths, errno, status, response, decoded fields.
    Json,
}

/// Write `bytes` as `hexdump -C` does: offset, two groups of 8 bytes, ASCII
/// column; a run of lines equal to the one before is shown as one `*`, and the
/// final offset (the length) closes the dump.
pub fn hexdump(w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    let mut previous: Option<&[u8]> = None;
    let mut starred = false;
    for (line, chunk) in bytes.chunks(16).enumerate() {
        if chunk.len() == 16 && previous == Some(chunk) {
            if !starred {
                writeln!(w, "*")?;
                starred = true;
            }
            continue;
        }
        previous = Some(chunk);
        starred = false;
        let mut s = format!("{:08x} ", line * 16);
        for i in 0..16 {
            if i == 8 {
                s.push(' ');
            }
            match chunk.get(i) {
                Some(b) => s.push_str(&format!(" {b:02x}")),
                None => s.push_str("   "),
            }
        }
        s.push_str("  |");
        s.extend(chunk.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' }));
        s.push('|');
        writeln!(w, "{s}")?;
    }
    writeln!(w, "{:08x}", bytes.len())
}

/// Write `bytes` as plain lower-case hex, 32 bytes (64 digits) a line.
pub fn hex_lines(w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    for chunk in bytes.chunks(32) {
        writeln!(w, "{}", to_hex(chunk))?;
    }
    Ok(())
}

/// The largest integer every JSON parser keeps exactly (IEEE double): 2^53 - 1.
pub const JSON_SAFE_MAX: u64 = (1 << 53) - 1;

/// `v` with every integer outside ±(2^53 - 1) replaced by a `"0x…"` string
/// (negative ones by their decimal string), recursively: 64-bit GUIDs, keys
/// and counters survive jq and JavaScript.
pub fn json_safe(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) if u > JSON_SAFE_MAX => Value::String(format!("{u:#x}")),
            (None, Some(i)) if i.unsigned_abs() > JSON_SAFE_MAX => Value::String(i.to_string()),
            _ => Value::Number(n),
        },
        Value::Array(a) => Value::Array(a.into_iter().map(json_safe).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, json_safe(v))).collect()),
        other => other,
    }
}

/// Seconds since the Unix epoch as `2026-01-01T00:00:00Z` (UTC), for audit and
/// taint records.
pub fn utc_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// What a piece of coloured text means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Success.
    Good,
    /// Failure.
    Bad,
    /// Caution.
    Warn,
}

/// Whether to colour, decided once from `--color` and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Emit ANSI colour sequences.
    pub color: bool,
}

impl Style {
    /// `text` in the colour of `tone`, or unchanged without colour.
    pub fn paint(&self, text: &str, tone: Tone) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match tone {
            Tone::Good => "32",
            Tone::Bad => "31",
            Tone::Warn => "33",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_above_2_53_become_hex_strings_and_smaller_ones_stay_numbers() {
        let v = serde_json::json!({"guid": 1_027_561_785_844_039_696u64, "n": [JSON_SAFE_MAX, 1], "neg": i64::MIN});
        let s = json_safe(v);
        assert_eq!(s["guid"], "0xe42a1fffe000010");
        assert_eq!(s["n"][0], JSON_SAFE_MAX);
        assert_eq!(s["n"][1], 1);
        assert_eq!(s["neg"], i64::MIN.to_string());
    }

    #[test]
    fn hexdump_has_offsets_two_groups_and_an_ascii_column() {
        let mut out = Vec::new();
        let bytes: Vec<u8> = (0x41..0x41 + 18).collect();
        hexdump(&mut out, &bytes).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n\
             00000010  51 52                                             |QR|\n\
             00000012\n"
        );
    }

    #[test]
    fn hexdump_collapses_repeated_lines_like_hexdump_c() {
        let mut bytes = vec![0u8; 64];
        bytes.push(1);
        let mut out = Vec::new();
        hexdump(&mut out, &bytes).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n\
             *\n\
             00000040  01                                                |.|\n\
             00000041\n"
        );
    }

    #[test]
    fn hex_lines_round_trip_through_the_hex_grammar() {
        let bytes: Vec<u8> = (0..=255).collect();
        let mut out = Vec::new();
        hex_lines(&mut out, &bytes).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 8);
        assert_eq!(crate::cli::hexpayload::parse_text(&text).unwrap(), bytes);
    }

    #[test]
    fn utc_times_match_known_dates() {
        assert_eq!(utc_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_time(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(utc_time(1_767_225_599), "2025-12-31T23:59:59Z");
    }

    #[test]
    fn colour_only_when_asked() {
        assert_eq!(Style { color: false }.paint("OK", Tone::Good), "OK");
        assert_eq!(Style { color: true }.paint("OK", Tone::Good), "\x1b[32mOK\x1b[0m");
    }
}
