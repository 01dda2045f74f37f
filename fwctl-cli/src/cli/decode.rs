//! Decoded response fields, for the device types whose format the CLI knows
//! (mlx5, through the simulator crate's PRM layouts).

use fwctl_core::DeviceType;
use fwctl_mlx5_sim::prm::{self, FieldValue};
use serde_json::{Value, json};

use crate::cli::hexpayload::to_hex;

/// One decoded field.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedField {
    /// The field's name, e.g. `ieee_vendor_id` or `capability.log_max_qp`.
    pub name: String,
    /// The value as text (integers as hex and decimal, text quoted, bytes as hex).
    pub text: String,
    /// The value as JSON (number, string, or hex string for bytes).
    pub json: Value,
}

/// The fields of `response` to `request` on a device of `device_type`, or `None`
/// when the CLI cannot decode that device type's format.
pub fn response_fields(
    device_type: DeviceType,
    request: &[u8],
    response: &[u8],
) -> Option<Vec<DecodedField>> {
    match device_type {
        DeviceType::Mlx5 => Some(
            prm::decode_exchange(request, response)
                .into_iter()
                .map(|f| DecodedField {
                    json: match &f.value {
                        FieldValue::Uint(v) => json!(v),
                        FieldValue::Ascii(s) => json!(s),
                        FieldValue::Bytes(b) => json!(to_hex(b)),
                    },
                    text: match &f.value {
                        FieldValue::Bytes(b) => bytes_text(b),
                        v => v.to_string(),
                    },
                    name: f.name,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Byte fields for reading: trailing zeros counted rather than printed, and a
/// printable prefix shown as text (`"MT2251X00001" + 196 zero bytes`).
pub fn bytes_text(b: &[u8]) -> String {
    let used = b.iter().rposition(|&x| x != 0).map_or(0, |i| i + 1);
    let (head, zeros) = (&b[..used], b.len() - used);
    let head_text = if head.len() >= 2 && head.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
        format!("{:?}", String::from_utf8_lossy(head))
    } else {
        to_hex(head)
    };
    match (head.is_empty(), zeros) {
        (true, n) => format!("{n} zero bytes"),
        (false, 0) => head_text,
        (false, n) => format!("{head_text} + {n} zero bytes"),
    }
}

/// Fields as one JSON object, in order.
pub fn fields_json(fields: &[DecodedField]) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|f| {
                let v = mac_of(f).map_or_else(|| f.json.clone(), Value::String);
                (f.name.clone(), v)
            })
            .collect(),
    )
}

/// Whether a field holds a MAC address (`…permanent_address`, `…mac…`).
fn is_mac_field(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last == "permanent_address" || last.contains("mac_addr") || last == "mac"
}

/// A MAC field's value as `aa:bb:cc:dd:ee:ff` (the low 48 bits), as ip and devlink print it.
pub fn mac_of(f: &DecodedField) -> Option<String> {
    let n = f.json.as_u64().filter(|_| is_mac_field(&f.name)).filter(|&n| n < 1 << 48)?;
    let b = n.to_be_bytes();
    Some(format!("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", b[2], b[3], b[4], b[5], b[6], b[7]))
}

/// Fields as an aligned two-column table.
pub fn write_fields(
    w: &mut dyn std::io::Write,
    fields: &[DecodedField],
    indent: &str,
) -> std::io::Result<()> {
    let width = fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
    for f in fields {
        match mac_of(f) {
            Some(mac) => writeln!(w, "{indent}{:<width$}  {mac}", f.name)?,
            None => writeln!(w, "{indent}{:<width$}  {}", f.name, f.text)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_fields_read_well() {
        let mut vsd = b"MT2251X00001".to_vec();
        vsd.resize(208, 0);
        assert_eq!(bytes_text(&vsd), "\"MT2251X00001\" + 196 zero bytes");
        assert_eq!(bytes_text(&[0, 0]), "2 zero bytes");
        assert_eq!(bytes_text(&[1, 0xff, 0]), "01ff + 1 zero bytes");
        assert_eq!(bytes_text(&[1, 2]), "0102");
    }
}
