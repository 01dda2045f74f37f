//! Speculative ioctls ([`Kind::IoctlIfSame`]): an IOCTL request the daemon runs
//! only if the argument struct it carries is the bytes the client expected,
//! answered so that the client can receive the reply straight into the
//! caller's memory.
//!
//! The preload library of `fwctl exec` sends one when a program repeats an
//! ioctl with its struct at the same address. It does not read the struct
//! first (a system call); the kernel copies the struct into the frame from the
//! caller's memory at `sendmsg` time, `in` from where the previous struct
//! pointed, and the library adds the struct bytes it expects (the previous
//! call's). The guess is checked here before anything runs:
//!
//! * the struct differs: [`Kind::Held`] [`NOT_RUN`]. Nothing ran: no
//!   credential check, no policy, no driver call, no audit line, no taint. The
//!   client sends the ordinary IOCTL frame;
//! * it is the same: the request is exactly the one the program made (its
//!   struct as the kernel copied it, `in` as the kernel copied it from where
//!   that struct points, after the struct, as `copy_from_user` reads them)
//!   and is run as an IOCTL frame is. A reply of a shape the client receives
//!   in place ([`lands_in_place`]) is sent as it is. Any other (an ERROR
//!   frame, a range of another shape) is held back: [`Kind::Held`] [`HELD`]
//!   goes instead, and the client asks for the reply with [`Kind::FetchReply`].
//!
//! A `Held` frame is [`HELD_LEN`] bytes, shorter than any reply the client
//! lays out, so it never reaches the caller's memory; with only the in-place
//! shapes left, the client needs no copy of `out` taken before the call to
//! undo a reply of another shape.
//!
//! Nothing in the frame is trusted beyond what an IOCTL frame already is: the
//! sender's identity comes from the kernel (`SCM_CREDENTIALS`), the expected
//! bytes are compared with the client's own bytes and decide only whether its
//! own request runs, and the client can describe only its own memory.

use super::wire::{self, Cursor, HEADER_LEN, IoctlRequest, Kind, WireError, Written};
use fwctl_uapi::FWCTL_RPC_MIN_SIZE;

/// [`Kind::Held`]: the struct was not the expected bytes; nothing ran.
pub const NOT_RUN: u32 = 0;
/// [`Kind::Held`]: the reply (to the ioctl that ran, or an ERROR frame) waits
/// for [`Kind::FetchReply`].
pub const HELD: u32 = 1;
/// Length of a [`Kind::Held`] frame.
pub const HELD_LEN: usize = HEADER_LEN + 4;

/// Bytes of `struct fwctl_rpc` the dispatcher writes back (`ucmd_respond`).
const RPC_STRUCT: u32 = FWCTL_RPC_MIN_SIZE;

fn malformed(why: &str) -> WireError {
    WireError::Malformed { kind: Kind::IoctlIfSame, why: why.into() }
}

/// Append the start of an [`Kind::IoctlIfSame`] payload to `buf`: the expected
/// struct bytes. An IOCTL request payload ([`wire::encode_ioctl`]) follows.
pub fn encode_expected(buf: &mut Vec<u8>, expected: &[u8]) {
    buf.extend_from_slice(&(expected.len() as u32).to_le_bytes());
    buf.extend_from_slice(&0u32.to_le_bytes());
    buf.extend_from_slice(expected);
}

/// Decode an [`Kind::IoctlIfSame`] payload: the expected struct bytes, and the
/// IOCTL request.
pub fn decode(payload: &[u8]) -> Result<(&[u8], IoctlRequest<'_>), WireError> {
    let mut c = Cursor::new(Kind::IoctlIfSame, payload);
    let n = c.u32("expected length")? as usize;
    if c.u32("reserved")? != 0 {
        return Err(malformed("reserved word after the expected length is not zero"));
    }
    let expected = c.bytes(n, "expected struct")?;
    Ok((expected, wire::decode_ioctl(c.rest())?))
}

/// Whether the struct `req` carries (its first data segment at `arg`) is
/// exactly `expected`. `Err` when no data segment starts at `arg`.
pub fn struct_is(req: &IoctlRequest<'_>, expected: &[u8]) -> Result<bool, WireError> {
    let fresh = req
        .segments
        .iter()
        .find_map(|(h, d)| if h.addr == req.arg { *d } else { None })
        .ok_or_else(|| malformed("no data segment at the argument's address"))?;
    Ok(fresh == expected)
}

/// A whole [`Kind::Held`] frame saying `code` ([`NOT_RUN`] or [`HELD`]), into
/// `buf` (cleared first).
pub fn encode_held(buf: &mut Vec<u8>, code: u32) {
    buf.clear();
    buf.extend_from_slice(&wire::encode_header(Kind::Held, 4));
    buf.extend_from_slice(&code.to_le_bytes());
}

/// Decode a [`Kind::Held`] payload: whether the ioctl ran (its reply is held).
pub fn decode_held(payload: &[u8]) -> Result<bool, WireError> {
    let mut c = Cursor::new(Kind::Held, payload);
    let code = c.u32("code")?;
    c.end()?;
    match code {
        NOT_RUN => Ok(false),
        HELD => Ok(true),
        _ => Err(WireError::Malformed { kind: Kind::Held, why: format!("unknown code {code}") }),
    }
}

/// Whether an IOCTL reply to `req` writing `written` (in segment order) has a
/// shape the client receives in place, so that the bytes landing in the
/// caller's memory are exactly the ones the reply writes there:
///
/// * nothing written (any result: an error is 20 bytes);
/// * the struct alone: segment 0, at `arg`, bytes `[0, 32)`, all on the wire;
/// * the struct, then `out`: the only writable segment besides the struct,
///   carrying no data, written from its start, every byte on the wire (no zero
///   tail), at most its length.
pub fn lands_in_place<'a>(req: &IoctlRequest<'_>, mut written: impl Iterator<Item = Written<'a>>) -> bool {
    let Some(st) = written.next() else { return true };
    let whole = |w: &Written<'_>| w.offset == 0 && w.data.len() == w.len as usize;
    let at_arg = req.segments.first().is_some_and(|(h, _)| h.addr == req.arg);
    if st.segment != 0 || !at_arg || st.len != RPC_STRUCT || !whole(&st) {
        return false;
    }
    let Some(out) = written.next() else { return true };
    let mut others = req.segments.iter().enumerate().skip(1).filter(|(_, (h, _))| h.writable());
    let (Some((i, (h, _))), None) = (others.next(), others.next()) else { return false };
    out.segment as usize == i && !h.has_data() && whole(&out) && out.len <= h.len && written.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::wire::{SEG_DATA, SEG_WRITABLE, SegmentHeader};

    fn rpc_req<'a>(st: &'a [u8], inb: &'a [u8]) -> IoctlRequest<'a> {
        IoctlRequest {
            cmd: fwctl_uapi::FWCTL_RPC,
            arg: 0x1000,
            segments: [
                (SegmentHeader { addr: 0x1000, len: 32, flags: SEG_DATA | SEG_WRITABLE }, Some(st)),
                (SegmentHeader { addr: 0x2000, len: 16, flags: SEG_DATA }, Some(inb)),
                (SegmentHeader { addr: 0x3000, len: 64, flags: SEG_WRITABLE }, None),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn a_frame_round_trips_and_the_struct_is_compared_whole() {
        let (st, inb) = ([3u8; 32], [4u8; 16]);
        let req = rpc_req(&st, &inb);
        let mut buf = Vec::new();
        encode_expected(&mut buf, &st);
        wire::encode_ioctl(&mut buf, req.cmd, req.arg, &req.segments);
        let (expected, got) = decode(&buf).unwrap();
        assert_eq!((expected, got.segments.clone()), (&st[..], req.segments.clone()));
        assert!(struct_is(&got, &st).unwrap());
        let mut other = st;
        other[31] = 0;
        assert!(!struct_is(&got, &other).unwrap(), "one byte differs");
        assert!(!struct_is(&got, &st[..31]).unwrap(), "a shorter guess");
        let no_arg = IoctlRequest { arg: 0x5000, ..rpc_req(&st, &inb) };
        assert!(struct_is(&no_arg, &st).is_err());
        drop(got);
        buf[4] = 1;
        assert!(decode(&buf).is_err(), "reserved word");
    }

    #[test]
    fn held_frames_are_short_and_decode() {
        let mut buf = vec![9u8; 100];
        encode_held(&mut buf, HELD);
        assert_eq!(buf.len(), HELD_LEN);
        let h = wire::decode_header(buf.first_chunk().unwrap()).unwrap();
        assert_eq!((h.kind, h.len), (Kind::Held, 4));
        assert!(decode_held(&buf[HEADER_LEN..]).unwrap());
        encode_held(&mut buf, NOT_RUN);
        assert!(!decode_held(&buf[HEADER_LEN..]).unwrap());
        assert!(decode_held(&[2, 0, 0, 0]).is_err());
    }

    #[test]
    fn only_the_in_place_shapes_land() {
        let (st, inb) = ([3u8; 32], [4u8; 16]);
        let req = rpc_req(&st, &inb);
        let w = |segment, offset, len, data: &'static [u8]| Written { segment, offset, len, data };
        static D: [u8; 64] = [7; 64];
        let lands = |ws: Vec<Written<'static>>| lands_in_place(&req, ws.into_iter());
        assert!(lands(vec![]));
        assert!(lands(vec![w(0, 0, 32, &D[..32])]));
        assert!(lands(vec![w(0, 0, 32, &D[..32]), w(2, 0, 40, &D[..40])]));
        assert!(lands(vec![w(0, 0, 32, &D[..32]), w(2, 0, 64, &D[..64])]));
        assert!(!lands(vec![w(2, 0, 40, &D[..40])]), "out without the struct");
        assert!(!lands(vec![w(0, 0, 24, &D[..24])]), "a struct of another length");
        assert!(!lands(vec![w(0, 0, 32, &D[..30])]), "a zero tail in the struct");
        assert!(!lands(vec![w(0, 0, 32, &D[..32]), w(2, 8, 16, &D[..16])]), "out from offset 8");
        assert!(!lands(vec![w(0, 0, 32, &D[..32]), w(2, 0, 40, &D[..4])]), "a zero tail in out");
        assert!(!lands(vec![w(0, 0, 32, &D[..32]), w(1, 0, 16, &D[..16])]), "in is not out");
        let two_out = IoctlRequest {
            segments: [
                req.segments[0],
                req.segments[2],
                (SegmentHeader { addr: 0x4000, len: 8, flags: SEG_WRITABLE }, None),
            ]
            .into_iter()
            .collect(),
            ..rpc_req(&st, &inb)
        };
        assert!(!lands_in_place(&two_out, [w(0, 0, 32, &D[..32]), w(1, 0, 8, &D[..8])].into_iter()));
    }
}
