//! The internal protocol between fwctld and a plugin host, over a socketpair.
//!
//! Every message is one frame: `u32 len` (of what follows), `u64 id`, `u8 op`,
//! then `len - 9` bytes of body, all little-endian. On the control socket a
//! request and its reply share the request's `id`, and `id` 0 carries the
//! host's greeting; on a call connection (`conn.rs`) one request is in flight
//! at a time, and its reply and callbacks follow it in order. Requests from fwctld: [`PROBE`] .. [`RPC`]; replies from the host:
//! [`REPLY`]; during an [`RPC`] the host may ask [`COPY_FROM`]/[`COPY_TO`] and
//! fwctld answers [`COPY_FROM_DONE`]/[`COPY_TO_DONE`]. Both sides treat a frame
//! they cannot decode as the end of the other side: nothing in a frame is
//! trusted (the host runs plugin code).

use std::io::{self, Read, Write};

/// Largest body of a frame: three maximal RPC buffers (a reply's response,
/// the writes into the response buffer held back with it, slack) and headers.
pub(crate) const MAX_BODY: usize = 3 * fwctl_uapi::MAX_RPC_LEN + 4096;

/// Host → fwctld, id 0: the library loaded; body: the plugin's info.
pub(crate) const HELLO: u8 = 1;
/// Host → fwctld, id 0: the library did not load; body: kind, message.
pub(crate) const LOAD_ERROR: u8 = 2;
/// `probe(config)` → device ids and identities.
pub(crate) const PROBE: u8 = 10;
/// `remove(device)`; no reply.
pub(crate) const REMOVE: u8 = 11;
/// `open(device)` → context id.
pub(crate) const OPEN: u8 = 12;
/// `close(context)`; no reply.
pub(crate) const CLOSE: u8 = 13;
/// `info(context)`.
pub(crate) const INFO: u8 = 14;
/// `describe(device, request)`.
pub(crate) const DESCRIBE: u8 = 15;
/// `decode_status(device, response)`.
pub(crate) const DECODE_STATUS: u8 = 16;
/// `fw_rpc_user(context, call, request)`.
pub(crate) const RPC: u8 = 17;
/// Host → fwctld: the answer to a request.
pub(crate) const REPLY: u8 = 30;
/// Host → fwctld during an RPC: `copy_from_user(addr, len)`.
pub(crate) const COPY_FROM: u8 = 40;
/// fwctld → host: bytes not copied, then `len` bytes (the uncopied tail zeroed).
pub(crate) const COPY_FROM_DONE: u8 = 41;
/// Host → fwctld during an RPC: `copy_to_user(addr, bytes)`.
pub(crate) const COPY_TO: u8 = 42;
/// fwctld → host: bytes not written.
pub(crate) const COPY_TO_DONE: u8 = 43;

/// Reply status: success, a payload follows.
pub(crate) const R_OK: u8 = 0;
/// Reply status: an errno (`u32`) follows.
pub(crate) const R_ERRNO: u8 = 1;
/// Reply status: no answer (`None`: no info op, no status).
pub(crate) const R_NONE: u8 = 2;
/// Reply status: a plugin error (probe): kind and message follow.
pub(crate) const R_PLUGIN_ERROR: u8 = 3;

/// RPC reply payload: answered in place; `n` and the first `n` request bytes.
pub(crate) const RPC_IN_PLACE: u8 = 0;
/// RPC reply payload: a separate response buffer.
pub(crate) const RPC_BUFFER: u8 = 1;
/// RPC reply payload: written to the caller's memory; the driver's length.
pub(crate) const RPC_DIRECT: u8 = 2;

/// One received frame.
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) id: u64,
    pub(crate) op: u8,
    pub(crate) body: Vec<u8>,
}

/// Write one frame in a single `write_all` (the caller holds the writer's lock).
pub(crate) fn write_frame(w: &mut impl Write, id: u64, op: u8, body: &[u8]) -> io::Result<()> {
    let len = u32::try_from(body.len() + 9).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let mut buf = Vec::with_capacity(body.len() + 13);
    buf.extend_from_slice(&len.to_le_bytes());
    buf.extend_from_slice(&id.to_le_bytes());
    buf.push(op);
    buf.extend_from_slice(body);
    w.write_all(&buf)
}

/// Read one frame; `InvalidData` for a length out of bounds.
pub(crate) fn read_frame(r: &mut impl Read) -> io::Result<Frame> {
    let mut hdr = [0u8; 13];
    r.read_exact(&mut hdr)?;
    let len = u32::from_le_bytes([hdr[0], hdr[1], hdr[2], hdr[3]]) as usize;
    if !(9..=MAX_BODY + 9).contains(&len) {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("frame length {len} out of bounds")));
    }
    let mut id = [0u8; 8];
    id.copy_from_slice(&hdr[4..12]);
    let mut body = vec![0u8; len - 9];
    r.read_exact(&mut body)?;
    Ok(Frame { id: u64::from_le_bytes(id), op: hdr[12], body })
}

/// Builds a body.
#[derive(Debug, Default)]
pub(crate) struct Enc(pub(crate) Vec<u8>);

impl Enc {
    pub(crate) fn new() -> Self {
        Enc(Vec::new())
    }
    pub(crate) fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }
    pub(crate) fn u32(mut self, v: u32) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub(crate) fn u64(mut self, v: u64) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub(crate) fn bytes(self, v: &[u8]) -> Self {
        let mut e = self.u64(v.len() as u64);
        e.0.extend_from_slice(v);
        e
    }
    pub(crate) fn str(self, v: &str) -> Self {
        self.bytes(v.as_bytes())
    }
    pub(crate) fn opt_str(self, v: Option<&str>) -> Self {
        match v {
            None => self.u8(0),
            Some(s) => self.u8(1).str(s),
        }
    }
    pub(crate) fn opt_u64(self, v: Option<u64>) -> Self {
        match v {
            None => self.u8(0),
            Some(n) => self.u8(1).u64(n),
        }
    }
}

/// A body that does not decode: the peer is broken (or hostile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

/// Reads a body; every read is bounds-checked.
#[derive(Debug)]
pub(crate) struct Dec<'a> {
    b: &'a [u8],
}

impl<'a> Dec<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Dec { b }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        if self.b.len() < n {
            return Err(Malformed);
        }
        let (head, rest) = self.b.split_at(n);
        self.b = rest;
        Ok(head)
    }
    pub(crate) fn u8(&mut self) -> Result<u8, Malformed> {
        Ok(self.take(1)?[0])
    }
    /// The next byte, not consumed.
    pub(crate) fn peek_u8(&self) -> Result<u8, Malformed> {
        self.b.first().copied().ok_or(Malformed)
    }
    /// What is not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.b
    }
    pub(crate) fn u32(&mut self) -> Result<u32, Malformed> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub(crate) fn u64(&mut self) -> Result<u64, Malformed> {
        let mut v = [0u8; 8];
        v.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(v))
    }
    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], Malformed> {
        let n = usize::try_from(self.u64()?).map_err(|_| Malformed)?;
        self.take(n)
    }
    pub(crate) fn string(&mut self) -> Result<String, Malformed> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| Malformed)
    }
    pub(crate) fn opt_str(&mut self) -> Result<Option<String>, Malformed> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(Malformed),
        }
    }
    pub(crate) fn opt_u64(&mut self) -> Result<Option<u64>, Malformed> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.u64().map(Some),
            _ => Err(Malformed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_bad_lengths_are_refused() {
        let mut buf = Vec::new();
        let body = Enc::new().u8(7).u32(9).u64(11).str("ab").opt_str(None).opt_u64(Some(3)).0;
        write_frame(&mut buf, 42, RPC, &body).unwrap();
        let f = read_frame(&mut buf.as_slice()).unwrap();
        assert_eq!((f.id, f.op), (42, RPC));
        let mut d = Dec::new(&f.body);
        assert_eq!(d.u8(), Ok(7));
        assert_eq!(d.u32(), Ok(9));
        assert_eq!(d.u64(), Ok(11));
        assert_eq!(d.string(), Ok("ab".into()));
        assert_eq!(d.opt_str(), Ok(None));
        assert_eq!(d.opt_u64(), Ok(Some(3)));
        assert_eq!(d.u8(), Err(Malformed));
        // A length claiming more than is there, or absurdly much, never panics.
        let mut d = Dec::new(&[0xff; 8]);
        assert_eq!(d.bytes(), Err(Malformed));
        let mut huge = Vec::new();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(&[0; 9]);
        assert_eq!(read_frame(&mut huge.as_slice()).unwrap_err().kind(), io::ErrorKind::InvalidData);
    }
}
