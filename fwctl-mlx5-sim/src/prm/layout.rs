//! Named descriptions of PRM structures: a field is a name, a bit offset and a
//! width; a layout is a size and its fields. The firmware reads and writes through
//! these definitions and the CLI decodes responses with them, so each layout is
//! written exactly once.

use std::fmt;

use crate::ifc;

/// How a field's bits are meant to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// An unsigned integer (up to 64 bits).
    Uint,
    /// NUL-padded ASCII text (byte aligned).
    Ascii,
    /// An opaque byte array (byte aligned).
    Bytes,
}

/// One field of a PRM structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// The `mlx5_ifc.h` field name.
    pub name: &'static str,
    /// Offset in bits from the start of the structure.
    pub bit: u32,
    /// Width in bits.
    pub width: u32,
    /// How to read it.
    pub kind: FieldKind,
}

/// An unsigned integer field of `width` (1..=64) bits at `bit`.
pub const fn uint(name: &'static str, bit: u32, width: u32) -> FieldDef {
    assert!(width >= 1 && width <= 64, "integer fields are 1..=64 bits");
    FieldDef { name, bit, width, kind: FieldKind::Uint }
}

/// An ASCII field of `len` bytes starting at byte `byte`.
pub const fn ascii(name: &'static str, byte: u32, len: u32) -> FieldDef {
    FieldDef { name, bit: byte * 8, width: len * 8, kind: FieldKind::Ascii }
}

/// A byte-array field of `len` bytes starting at byte `byte`.
pub const fn bytes(name: &'static str, byte: u32, len: u32) -> FieldDef {
    FieldDef { name, bit: byte * 8, width: len * 8, kind: FieldKind::Bytes }
}

impl FieldDef {
    /// Read this integer field from `buf` (the structure starts at `buf[0]`).
    pub fn get(&self, buf: &[u8]) -> u64 {
        ifc::get(buf, self.bit as usize, self.width.min(64) as usize)
    }

    /// Write this integer field into `buf`.
    pub fn set(&self, buf: &mut [u8], value: u64) {
        ifc::set(buf, self.bit as usize, self.width.min(64) as usize, value)
    }

    /// The raw bytes of a byte-aligned field.
    pub fn get_bytes(&self, buf: &[u8]) -> Vec<u8> {
        ifc::get_bytes(buf, (self.bit / 8) as usize, (self.width / 8) as usize)
    }

    /// Write `text` (truncated to the field, NUL padded) into a byte-aligned field.
    pub fn set_text(&self, buf: &mut [u8], text: &[u8]) {
        let start = (self.bit / 8) as usize;
        let len = (self.width / 8) as usize;
        let n = text.len().min(len);
        ifc::set_bytes(buf, start, &text[..n]);
        for b in buf.iter_mut().skip(start + n).take(len - n) {
            *b = 0;
        }
    }

    /// The byte offset of the field (for tables and documentation).
    pub fn byte_offset(&self) -> u32 {
        self.bit / 8
    }

    /// Decode this field of a structure that starts `base_bit` bits into `buf`.
    pub fn decode(&self, buf: &[u8], base_bit: u32, prefix: &str) -> Field {
        let bit = base_bit + self.bit;
        let value = match self.kind {
            FieldKind::Uint => FieldValue::Uint(ifc::get(buf, bit as usize, self.width as usize)),
            FieldKind::Ascii | FieldKind::Bytes => {
                let raw = ifc::get_bytes(buf, (bit / 8) as usize, (self.width / 8) as usize);
                if self.kind == FieldKind::Ascii {
                    let end = raw.iter().position(|b| *b == 0).unwrap_or(raw.len());
                    FieldValue::Ascii(String::from_utf8_lossy(&raw[..end]).into_owned())
                } else {
                    FieldValue::Bytes(raw)
                }
            }
        };
        Field { name: format!("{prefix}{}", self.name), bit, width: self.width, value }
    }
}

/// A PRM structure: its name, its size in bytes and its named fields (reserved
/// bits are simply not listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The `mlx5_ifc.h` structure name without the `mlx5_ifc_` prefix and `_bits` suffix.
    pub name: &'static str,
    /// Size in bytes (`MLX5_ST_SZ_BYTES`).
    pub bytes: usize,
    /// Fields in offset order.
    pub fields: &'static [FieldDef],
}

impl Layout {
    /// A layout; evaluated in const context, a field that does not fit inside
    /// `bytes` or a non byte-aligned text field fails the build.
    pub const fn new(name: &'static str, bytes: usize, fields: &'static [FieldDef]) -> Layout {
        let mut i = 0;
        while i < fields.len() {
            let f = &fields[i];
            assert!((f.bit + f.width) as usize <= bytes * 8, "field past the end of its layout");
            if !matches!(f.kind, FieldKind::Uint) {
                assert!(
                    f.bit.is_multiple_of(8) && f.width.is_multiple_of(8),
                    "byte fields must be byte aligned"
                );
            }
            i += 1;
        }
        Layout { name, bytes, fields }
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// Decode every field of this structure located `base_byte` bytes into `buf`.
    pub fn decode_at(&self, buf: &[u8], base_byte: usize, prefix: &str) -> Vec<Field> {
        self.fields.iter().map(|f| f.decode(buf, (base_byte * 8) as u32, prefix)).collect()
    }
}

/// A decoded field value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// An integer.
    Uint(u64),
    /// Text, trailing NULs removed.
    Ascii(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
}

impl FieldValue {
    /// The integer, for integer fields.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            FieldValue::Uint(v) => Some(*v),
            _ => None,
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Uint(v) if *v < 10 => write!(f, "{v}"),
            FieldValue::Uint(v) => write!(f, "{v:#x} ({v})"),
            FieldValue::Ascii(s) => write!(f, "{s:?}"),
            FieldValue::Bytes(b) => {
                for x in b {
                    write!(f, "{x:02x}")?;
                }
                Ok(())
            }
        }
    }
}

/// One decoded field of a request or response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Field name, prefixed with its sub-structure (e.g. `capability.vhca_id`).
    pub name: String,
    /// Absolute bit offset in the buffer.
    pub bit: u32,
    /// Width in bits.
    pub width: u32,
    /// The value.
    pub value: FieldValue,
}
