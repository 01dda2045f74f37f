//! The JSON of one audit line, written by the same serde derive as
//! `serde_json` would (so one shape), but without its per-byte escape loop
//! for strings that need no escaping (almost all of them: field names, device
//! and command names, the SHA-256 hex).
//!
//! Only what a flat record needs is written here: structs, integers, strings,
//! booleans, unit variants and options. Anything else (floats, sequences,
//! maps) is [`Unsupported`], and the caller writes the line with
//! `serde_json` instead. A string that needs escaping is handed to
//! `serde_json` too, so the bytes are always exactly `serde_json`'s (a test
//! compares them).

use serde::Serialize;
use serde::ser::{Impossible, SerializeStruct, Serializer};

/// A value this writer does not write; the caller falls back to `serde_json`.
#[derive(Debug)]
pub(super) struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a flat record")
    }
}

impl std::error::Error for Unsupported {}

impl serde::ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

/// Write `value` (a flat record) as compact JSON at the end of `out`,
/// byte for byte what `serde_json::to_writer` writes. On `Err` the bytes
/// written so far are left for the caller to truncate.
pub(super) fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Unsupported> {
    value.serialize(&mut LineWriter { out, first: false })
}

struct LineWriter<'a> {
    out: &'a mut Vec<u8>,
    /// No field of the struct being written yet.
    first: bool,
}

/// Whether `s` goes into JSON as it is (`serde_json` escapes only control
/// characters, `"` and `\`). No early exit, so the compiler can vectorise it.
fn plain(s: &str) -> bool {
    !s.bytes().fold(false, |bad, b| bad | (b < 0x20) | (b == b'"') | (b == b'\\'))
}

impl LineWriter<'_> {
    fn string(&mut self, s: &str) -> Result<(), Unsupported> {
        if plain(s) {
            self.out.reserve(s.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
            Ok(())
        } else {
            serde_json::to_writer(&mut *self.out, s).map_err(|_| Unsupported)
        }
    }

    fn unsigned(&mut self, mut n: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&buf[i..]);
    }

    fn signed(&mut self, n: i64) {
        if n < 0 {
            self.out.push(b'-');
        }
        self.unsigned(n.unsigned_abs());
    }
}

impl Serializer for &mut LineWriter<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.signed(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.unsigned(v);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.string(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.string(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
        self.out.push(b'{');
        self.first = true;
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

impl SerializeStruct for &mut LineWriter<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        self.string(key)?;
        self.out.push(b':');
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Unsupported> {
        // A nested struct ends as a value: its parent's next field needs a comma.
        self.first = false;
        self.out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{AuditEvent, AuditRecord};
    use fwctl_subsys::taint::TaintEvent;
    use fwctl_uapi::RpcScope;

    fn same_as_serde_json<T: serde::Serialize>(v: &T) {
        let mut ours = Vec::new();
        super::write(&mut ours, v).expect("a flat record");
        let theirs = serde_json::to_vec(v).expect("serde_json");
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
    }

    /// Text with everything JSON escapes, and what it does not.
    const AWKWARD: [&str; 8] = [
        "",
        "plain",
        "quote \" here",
        "back\\slash",
        "nl\nand\ttab\r",
        "\u{1}\u{1f}\u{7f}",
        "ünïcødé ✓",
        "\"\\\"",
    ];

    #[test]
    fn every_record_shape_is_byte_for_byte_serde_json() {
        for (i, text) in AWKWARD.iter().enumerate() {
            let mut r: AuditRecord<&str> = AuditRecord::blank(AuditEvent::Rpc, 1000 + i as u32, -7, text);
            r.time = u64::MAX - i as u64;
            r.device = Some(text);
            r.scope = Some("debug-write");
            r.opcode = Some(u32::MAX);
            r.op_mod = Some(0);
            r.command = Some(text);
            r.in_len = Some(16);
            r.out_capacity = Some(0);
            r.out_len = Some(u64::MAX);
            r.errno = Some("EPERM");
            r.status = Some(text);
            r.status_code = Some(3);
            r.syndrome = Some(0x1234_5678);
            r.rule = Some(text);
            r.reason = Some(text);
            r.sha256 = Some("be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991");
            r.error = Some(text);
            r.suppressed = Some(i as u64);
            r.lost = Some(0);
            same_as_serde_json(&r);
            // A nested struct (the cleared taint record), with absent fields.
            r.cleared = Some(TaintEvent {
                time: 5,
                device: text.to_string(),
                uid: 0,
                pid: i32::MIN,
                comm: text.to_string(),
                scope: RpcScope::DebugWriteFull,
                opcode: None,
                command: Some(text.to_string()),
            });
            same_as_serde_json(&r);
            same_as_serde_json(&AuditRecord::<&str>::blank(AuditEvent::Shutdown, 0, 0, text));
        }
    }
}
