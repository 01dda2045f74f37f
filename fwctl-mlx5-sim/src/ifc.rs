//! Big-endian bit-field accessors over command mailboxes (the `MLX5_SET`/`MLX5_GET`
//! convention of `mlx5_ifc.h`).
//!
//! A PRM structure is a big-endian bit string: bit offset 0 is the most significant
//! bit of byte 0, offset 8 the most significant bit of byte 1, and so on. A field of
//! width `w ≤ 32` at offset `o` therefore sits in dword `o/32` exactly as the
//! kernel's macros place it, and a 64-bit field at an 8-byte aligned offset is a
//! big-endian `u64`. Fields up to 64 bits wide are read and written as integers;
//! wider fields (strings, byte arrays) through [`get_bytes`] / [`set_bytes`].
//!
//! Bits beyond the end of a buffer read as zero (the kernel's command mailboxes are
//! zero-filled past what the caller supplied) and writes beyond it are dropped;
//! the firmware checks command lengths before it touches any field, so this only
//! makes the accessors total, it never hides a short command.

/// Read `width` (1..=64) bits at `bit`, most significant bit first.
pub fn get(buf: &[u8], bit: usize, width: usize) -> u64 {
    debug_assert!((1..=64).contains(&width), "field width {width}");
    let width = width.clamp(1, 64);
    if bit.is_multiple_of(8) && width.is_multiple_of(8) {
        // Byte-aligned fast path: most PRM fields.
        let start = bit / 8;
        return (start..start + width / 8).fold(0u64, |v, i| (v << 8) | u64::from(byte(buf, i)));
    }
    let first = bit / 8;
    let last = (bit + width - 1) / 8;
    let mut acc: u128 = 0;
    for i in first..=last {
        acc = (acc << 8) | u128::from(byte(buf, i));
    }
    let span = (last - first + 1) * 8;
    let shift = span - (bit % 8) - width;
    ((acc >> shift) & mask(width)) as u64
}

/// Write the low `width` (1..=64) bits of `value` at `bit`; higher bits of `value`
/// are masked off, as `MLX5_SET` does.
pub fn set(buf: &mut [u8], bit: usize, width: usize, value: u64) {
    debug_assert!((1..=64).contains(&width), "field width {width}");
    debug_assert!(bit + width <= buf.len() * 8, "field at bit {bit:#x} width {width} past the buffer");
    let width = width.clamp(1, 64);
    let value = u128::from(value) & mask(width);
    let first = bit / 8;
    let last = (bit + width - 1) / 8;
    let span = (last - first + 1) * 8;
    let shift = span - (bit % 8) - width;
    let mut acc: u128 = 0;
    for i in first..=last {
        acc = (acc << 8) | u128::from(byte(buf, i));
    }
    acc = (acc & !(mask(width) << shift)) | (value << shift);
    for i in (first..=last).rev() {
        if let Some(b) = buf.get_mut(i) {
            *b = acc as u8;
        }
        acc >>= 8;
    }
}

/// The `len` bytes at `byte_off`, zero-filled where the buffer is shorter.
pub fn get_bytes(buf: &[u8], byte_off: usize, len: usize) -> Vec<u8> {
    (byte_off..byte_off + len).map(|i| byte(buf, i)).collect()
}

/// Copy `src` to `byte_off`, dropping what does not fit.
pub fn set_bytes(buf: &mut [u8], byte_off: usize, src: &[u8]) {
    debug_assert!(byte_off + src.len() <= buf.len(), "bytes at {byte_off} past the buffer");
    for (i, b) in src.iter().enumerate() {
        if let Some(d) = buf.get_mut(byte_off + i) {
            *d = *b;
        }
    }
}

fn byte(buf: &[u8], i: usize) -> u8 {
    buf.get(i).copied().unwrap_or(0)
}

fn mask(width: usize) -> u128 {
    (1u128 << width) - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn header_fields_sit_where_the_kernel_macros_put_them() {
        let mut b = [0u8; 16];
        set(&mut b, 0x00, 16, 0x0101); // opcode
        set(&mut b, 0x10, 16, 0x1234); // uid
        set(&mut b, 0x30, 16, 0x0001); // op_mod
        assert_eq!(b[..8], [0x01, 0x01, 0x12, 0x34, 0, 0, 0x00, 0x01]);
        assert_eq!(get(&b, 0x10, 16), 0x1234);
    }

    #[test]
    fn sub_byte_fields_are_msb_first_inside_their_dword() {
        let mut b = [0u8; 8];
        // query_vport_state_out: admin_state 0x78(4), state 0x7c(4) -> byte 15 in the
        // real layout; here at 0x38/0x3c -> byte 7, high nibble then low nibble.
        set(&mut b, 0x38, 4, 0x1);
        set(&mut b, 0x3c, 4, 0x2);
        assert_eq!(b[7], 0x12);
        // log_max_msg 0x1c3(5) relative: bits 3..7 of byte 0 of its dword.
        let mut c = [0u8; 64];
        set(&mut c, 0x1c3, 5, 0x1e);
        assert_eq!(c[56], 0x1e);
        // A one-bit flag at 0x183 is 0x10 in byte 48.
        set(&mut c, 0x183, 1, 1);
        assert_eq!(c[48], 0x10);
    }

    #[test]
    fn values_are_masked_and_neighbours_kept() {
        let mut b = [0xffu8; 4];
        set(&mut b, 4, 8, 0x1ab);
        assert_eq!(b, [0xfa, 0xbf, 0xff, 0xff]);
        assert_eq!(get(&b, 4, 8), 0xab);
    }

    #[test]
    fn reads_past_the_end_are_zero_and_writes_are_dropped() {
        let b = [0xffu8; 2];
        assert_eq!(get(&b, 8, 16), 0xff00);
        assert_eq!(get_bytes(&b, 1, 3), vec![0xff, 0, 0]);
    }

    proptest! {
        #[test]
        fn set_then_get_round_trips(bit in 0usize..200, width in 1usize..=64, v: u64) {
            let mut b = vec![0u8; 40];
            set(&mut b, bit, width, v);
            let m = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
            prop_assert_eq!(get(&b, bit, width), v & m);
            // Nothing outside the field changed.
            let mut z = b.clone();
            set(&mut z, bit, width, 0);
            prop_assert!(z.iter().all(|x| *x == 0));
        }
    }
}
