//! The daemon's wire protocol: framing and the encoding of each message.
//!
//! Shared by the server ([`super`]) and the client ([`crate::transport::daemon`]),
//! so both sides parse with one implementation. `Documentation/protocol.md`
//! describes the same bytes for people writing other clients.
//!
//! Every message is a frame: a 12-byte header (`"FWCT"`, version, kind, payload
//! length; integers little-endian) followed by the payload. The payload of an
//! [`Kind::Ioctl`] request is the ioctl itself: the command number, the caller's
//! address of the argument struct and the caller's memory as *segments* (address,
//! length, flags, and the bytes of those the kernel would read). The server runs
//! the kernel's dispatcher over exactly those segments; the reply lists each
//! range the dispatcher wrote.
//!
//! A [`Kind::Rpc`] request is the typed form of one `FWCTL_RPC` (scope, response
//! length, request bytes); its reply carries the response with the metadata the
//! dispatcher computed (description, device status, decision), so a client needs
//! one frame per RPC.

use std::io::{self, Read, Write};

use arrayvec::ArrayVec;
use thiserror::Error;

use serde::{Deserialize, Serialize};

use fwctl_subsys::driver::{DeviceStatus, RpcDescription};
use fwctl_subsys::hooks::Decision;
use fwctl_subsys::ioctl::{RpcError, RpcReply, RpcResult};
use fwctl_uapi::MAX_RPC_LEN;
use fwctl_uapi::errno::Errno;

/// The four bytes every frame starts with.
pub const MAGIC: [u8; 4] = *b"FWCT";
/// The protocol version this build speaks.
pub const VERSION: u16 = 1;
/// Size of the frame header.
pub const HEADER_LEN: usize = 12;
/// Room for everything in a payload that is not RPC data (struct, segment
/// table, JSON of a description).
pub const MAX_OVERHEAD: usize = 64 * 1024;
/// Largest payload either side accepts: the kernel's 2 MiB RPC limit plus headers.
pub const MAX_PAYLOAD: usize = MAX_RPC_LEN + MAX_OVERHEAD;
/// Most memory segments one ioctl request may describe.
pub const MAX_SEGMENTS: usize = 16;

/// Segment flag: the segment's bytes follow in the request (memory the kernel reads).
pub const SEG_DATA: u32 = 1 << 0;
/// Segment flag: the kernel may write the segment (otherwise a write is `EFAULT`).
pub const SEG_WRITABLE: u32 = 1 << 1;
const SEG_KNOWN: u32 = SEG_DATA | SEG_WRITABLE;

/// What a frame carries. Replies use the request's kind with the top bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Kind {
    /// Client → server: one ioctl.
    Ioctl = 0x0001,
    /// Client → server: describe a request (no delivery).
    Describe = 0x0002,
    /// Client → server: dry-run a request (all checks, no delivery, no taint).
    DryRun = 0x0003,
    /// Client → server: decode the in-band status of a response.
    DecodeStatus = 0x0004,
    /// Client → server: one typed RPC (scope, response length, request); the reply
    /// carries the response and the dispatcher's metadata.
    Rpc = 0x0005,
    /// Client → server: an ioctl to run only if the argument struct it carries
    /// is still the bytes the client expects ([`super::speculate`]).
    IoctlIfSame = 0x0006,
    /// Client → server: the reply held back after a [`Kind::Held`] answer.
    FetchReply = 0x0007,
    /// Client → server, control socket only: an administrative verb (JSON).
    Control = 0x0010,
    /// Server → client, first frame on a device socket: the result of `open`.
    Hello = 0x8000,
    /// Reply to [`Kind::Ioctl`].
    IoctlReply = 0x8001,
    /// Reply to [`Kind::Describe`].
    DescribeReply = 0x8002,
    /// Reply to [`Kind::DryRun`].
    DryRunReply = 0x8003,
    /// Reply to [`Kind::DecodeStatus`].
    DecodeStatusReply = 0x8004,
    /// Reply to [`Kind::Rpc`].
    RpcReply = 0x8005,
    /// Reply to [`Kind::IoctlIfSame`] when its reply cannot land in place: a
    /// `u32`, the ioctl did not run or its reply is held ([`super::speculate`]).
    Held = 0x8006,
    /// Reply to [`Kind::Control`] (JSON).
    ControlReply = 0x8010,
    /// Server → client: the request could not be understood (UTF-8 message).
    Error = 0xFFFF,
}

impl Kind {
    /// Decode a kind number.
    pub fn from_u16(v: u16) -> Option<Kind> {
        Some(match v {
            0x0001 => Kind::Ioctl,
            0x0002 => Kind::Describe,
            0x0003 => Kind::DryRun,
            0x0004 => Kind::DecodeStatus,
            0x0005 => Kind::Rpc,
            0x0006 => Kind::IoctlIfSame,
            0x0007 => Kind::FetchReply,
            0x0010 => Kind::Control,
            0x8000 => Kind::Hello,
            0x8001 => Kind::IoctlReply,
            0x8002 => Kind::DescribeReply,
            0x8003 => Kind::DryRunReply,
            0x8004 => Kind::DecodeStatusReply,
            0x8005 => Kind::RpcReply,
            0x8006 => Kind::Held,
            0x8010 => Kind::ControlReply,
            0xFFFF => Kind::Error,
            _ => return None,
        })
    }
}

/// Why bytes from the other side are not a valid message.
#[derive(Debug, Error)]
pub enum WireError {
    /// The stream failed or ended. The OS error is part of the message (and so
    /// not also a `source()`, which would print it twice).
    #[error("connection: {0}")]
    Io(io::Error),
    /// The stream ended between frames.
    #[error("connection closed")]
    Closed,
    /// The frame does not start with `FWCT`.
    #[error("not an fwctl frame (bad magic {0:02x?})")]
    BadMagic([u8; 4]),
    /// The peer speaks another protocol version.
    #[error("protocol version {0} not supported (this side speaks {VERSION})")]
    BadVersion(u16),
    /// Unknown frame kind.
    #[error("unknown frame kind 0x{0:04x}")]
    BadKind(u16),
    /// The announced payload exceeds [`MAX_PAYLOAD`].
    #[error("frame payload of {0} bytes exceeds the limit of {MAX_PAYLOAD}")]
    TooLarge(u64),
    /// The payload is inconsistent with its kind.
    #[error("malformed {kind:?} frame: {why}")]
    Malformed {
        /// The frame kind.
        kind: Kind,
        /// What is wrong.
        why: String,
    },
    /// The server reported a protocol error.
    #[error("server: {0}")]
    Server(String),
}

impl From<io::Error> for WireError {
    fn from(e: io::Error) -> Self {
        WireError::Io(e)
    }
}

impl WireError {
    /// Whether the byte stream is no longer in sync (the connection must close).
    pub fn is_fatal(&self) -> bool {
        !matches!(self, WireError::Malformed { .. } | WireError::Server(_))
    }

    /// The errno a client reports for this failure.
    pub fn errno(&self) -> Errno {
        Errno::EIO
    }
}

fn malformed(kind: Kind, why: impl Into<String>) -> WireError {
    WireError::Malformed { kind, why: why.into() }
}

/// A decoded frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The frame kind.
    pub kind: Kind,
    /// Payload bytes that follow.
    pub len: usize,
}

/// Encode a header.
pub fn encode_header(kind: Kind, len: usize) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..4].copy_from_slice(&MAGIC);
    h[4..6].copy_from_slice(&VERSION.to_le_bytes());
    h[6..8].copy_from_slice(&(kind as u16).to_le_bytes());
    h[8..12].copy_from_slice(&(len as u32).to_le_bytes());
    h
}

/// Decode and validate a header.
pub fn decode_header(h: &[u8; HEADER_LEN]) -> Result<Header, WireError> {
    let magic = [h[0], h[1], h[2], h[3]];
    if magic != MAGIC {
        return Err(WireError::BadMagic(magic));
    }
    let version = u16::from_le_bytes([h[4], h[5]]);
    if version != VERSION {
        return Err(WireError::BadVersion(version));
    }
    let raw_kind = u16::from_le_bytes([h[6], h[7]]);
    let kind = Kind::from_u16(raw_kind).ok_or(WireError::BadKind(raw_kind))?;
    let len = u32::from_le_bytes([h[8], h[9], h[10], h[11]]) as usize;
    if len > MAX_PAYLOAD {
        return Err(WireError::TooLarge(len as u64));
    }
    Ok(Header { kind, len })
}

/// Start a frame in `buf` (cleared first); finish it with [`finish_frame`].
pub fn begin_frame(buf: &mut Vec<u8>, kind: Kind) {
    buf.clear();
    buf.extend_from_slice(&encode_header(kind, 0));
}

/// Patch the payload length into a frame built with [`begin_frame`].
pub fn finish_frame(buf: &mut [u8]) -> Result<(), WireError> {
    let len = buf.len() - HEADER_LEN;
    if len > MAX_PAYLOAD {
        return Err(WireError::TooLarge(len as u64));
    }
    buf[8..12].copy_from_slice(&(len as u32).to_le_bytes());
    Ok(())
}

/// Build and send one frame.
pub fn write_frame(w: &mut impl Write, kind: Kind, payload: &[u8]) -> Result<(), WireError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(WireError::TooLarge(payload.len() as u64));
    }
    let mut buf = Vec::with_capacity(HEADER_LEN + payload.len());
    buf.extend_from_slice(&encode_header(kind, payload.len()));
    buf.extend_from_slice(payload);
    w.write_all(&buf)?;
    Ok(())
}

/// Read one frame header. A clean end of stream before any byte is [`WireError::Closed`].
pub fn read_header(r: &mut impl Read) -> Result<Header, WireError> {
    let mut h = [0u8; HEADER_LEN];
    let mut got = 0;
    while got < HEADER_LEN {
        match r.read(&mut h[got..]) {
            Ok(0) if got == 0 => return Err(WireError::Closed),
            Ok(0) => {
                return Err(WireError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("truncated frame header ({got} of {HEADER_LEN} bytes)"),
                )));
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    decode_header(&h)
}

/// Read one whole frame into `payload` (resized to the payload length).
pub fn read_frame(r: &mut impl Read, payload: &mut Vec<u8>) -> Result<Kind, WireError> {
    let h = read_header(r)?;
    read_payload(r, h.len, payload)?;
    Ok(h.kind)
}

/// Read `len` payload bytes into `payload`.
pub fn read_payload(r: &mut impl Read, len: usize, payload: &mut Vec<u8>) -> Result<(), WireError> {
    payload.clear();
    payload.resize(len, 0);
    r.read_exact(payload).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            WireError::Io(io::Error::new(io::ErrorKind::UnexpectedEof, "truncated frame payload"))
        } else {
            WireError::Io(e)
        }
    })
}

/// A little-endian cursor over a payload.
#[derive(Debug)]
pub struct Cursor<'a> {
    kind: Kind,
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// Read `buf`, a payload of a `kind` frame.
    pub fn new(kind: Kind, buf: &'a [u8]) -> Self {
        Cursor { kind, buf, pos: 0 }
    }

    /// The next `n` bytes.
    #[inline(always)]
    pub fn bytes(&mut self, n: usize, what: &str) -> Result<&'a [u8], WireError> {
        match self.pos.checked_add(n).filter(|&e| e <= self.buf.len()) {
            Some(end) => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(self.truncated(n, what)),
        }
    }

    #[cold]
    #[inline(never)]
    fn truncated(&self, n: usize, what: &str) -> WireError {
        malformed(self.kind, format!("truncated at {what} (need {n} bytes, {} left)", self.remaining()))
    }

    /// A little-endian `u32`.
    #[inline(always)]
    pub fn u32(&mut self, what: &str) -> Result<u32, WireError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A little-endian `u64`.
    #[inline(always)]
    pub fn u64(&mut self, what: &str) -> Result<u64, WireError> {
        let b = self.bytes(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// Everything not yet read.
    pub fn rest(&mut self) -> &'a [u8] {
        let s = &self.buf[self.pos..];
        self.pos = self.buf.len();
        s
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Fail unless every byte was consumed.
    pub fn end(&self) -> Result<(), WireError> {
        if self.remaining() != 0 {
            return Err(malformed(self.kind, format!("{} unexpected trailing bytes", self.remaining())));
        }
        Ok(())
    }
}

/// One piece of the caller's memory in an ioctl request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentHeader {
    /// The caller's address of the segment.
    pub addr: u64,
    /// Its length in bytes.
    pub len: u32,
    /// [`SEG_DATA`] | [`SEG_WRITABLE`].
    pub flags: u32,
}

impl SegmentHeader {
    /// Whether the segment's bytes travel in the request.
    pub fn has_data(&self) -> bool {
        self.flags & SEG_DATA != 0
    }

    /// Whether the kernel may write it.
    pub fn writable(&self) -> bool {
        self.flags & SEG_WRITABLE != 0
    }
}

/// A decoded ioctl request. Data segments borrow from the payload.
#[derive(Debug)]
pub struct IoctlRequest<'a> {
    /// The ioctl number.
    pub cmd: u32,
    /// The caller's address of the argument struct.
    pub arg: u64,
    /// The caller's memory.
    pub segments: Segments<'a>,
}

/// The segments of one ioctl request, each header with its bytes (`Some`
/// exactly for [`SEG_DATA`] segments), at most [`MAX_SEGMENTS`]: on the stack,
/// so decoding a request allocates nothing.
pub type Segments<'a> = ArrayVec<(SegmentHeader, Option<&'a [u8]>), MAX_SEGMENTS>;

/// Encode an ioctl request payload into `buf` (appending). `segments` pairs each
/// header with its bytes (`Some` exactly for [`SEG_DATA`] segments).
pub fn encode_ioctl(buf: &mut Vec<u8>, cmd: u32, arg: u64, segments: &[(SegmentHeader, Option<&[u8]>)]) {
    buf.extend_from_slice(&cmd.to_le_bytes());
    buf.extend_from_slice(&0u32.to_le_bytes());
    buf.extend_from_slice(&arg.to_le_bytes());
    buf.extend_from_slice(&(segments.len() as u32).to_le_bytes());
    buf.extend_from_slice(&0u32.to_le_bytes());
    for (s, _) in segments {
        buf.extend_from_slice(&s.addr.to_le_bytes());
        buf.extend_from_slice(&s.len.to_le_bytes());
        buf.extend_from_slice(&s.flags.to_le_bytes());
    }
    for (_, data) in segments {
        if let Some(d) = data {
            buf.extend_from_slice(d);
        }
    }
}

/// Decode and validate an ioctl request payload: known flags, at most
/// [`MAX_SEGMENTS`], no address overflow, no overlapping segments, data exactly
/// as long as the data segments.
pub fn decode_ioctl(payload: &[u8]) -> Result<IoctlRequest<'_>, WireError> {
    let k = Kind::Ioctl;
    let mut c = Cursor::new(k, payload);
    let cmd = c.u32("cmd")?;
    if c.u32("reserved")? != 0 {
        return Err(malformed(k, "reserved word after cmd is not zero"));
    }
    let arg = c.u64("arg")?;
    let n = c.u32("segment count")? as usize;
    if c.u32("reserved")? != 0 {
        return Err(malformed(k, "reserved word after segment count is not zero"));
    }
    if n > MAX_SEGMENTS {
        return Err(malformed(k, format!("{n} segments (at most {MAX_SEGMENTS})")));
    }
    // At most `MAX_SEGMENTS` (checked above), so no push below can fail.
    let mut segments = Segments::new();
    for i in 0..n {
        let addr = c.u64("segment address")?;
        let len = c.u32("segment length")?;
        let flags = c.u32("segment flags")?;
        if flags & !SEG_KNOWN != 0 {
            return Err(malformed(k, format!("segment {i}: unknown flags 0x{flags:x}")));
        }
        if addr.checked_add(len as u64).is_none() {
            return Err(malformed(k, format!("segment {i}: address range overflows")));
        }
        segments.push((SegmentHeader { addr, len, flags }, None));
    }
    for (i, (a, _)) in segments.iter().enumerate() {
        for (b, _) in &segments[..i] {
            let overlap =
                a.len != 0 && b.len != 0 && a.addr < b.addr + b.len as u64 && b.addr < a.addr + a.len as u64;
            if overlap {
                return Err(malformed(k, format!("segment {i} overlaps another segment")));
            }
        }
    }
    for (h, data) in &mut segments {
        if h.has_data() {
            *data = Some(c.bytes(h.len as usize, "segment data")?);
        }
    }
    c.end()?;
    Ok(IoctlRequest { cmd, arg, segments })
}

/// One range the dispatcher wrote into a segment: `[offset, offset + len)`, of
/// which the first `data.len()` bytes are `data` and the rest are zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written<'a> {
    /// Index of the segment in the request.
    pub segment: u32,
    /// Offset inside the segment.
    pub offset: u32,
    /// Length of the written range.
    pub len: u32,
    /// The non-zero-tail part of the range.
    pub data: &'a [u8],
}

/// Encode the start of an ioctl reply: the result and the number of written ranges
/// (each then appended with [`encode_written`]).
pub fn encode_ioctl_reply_head(buf: &mut Vec<u8>, result: Result<(), Errno>, ranges: u32) {
    let code = match result {
        Ok(()) => 0u32,
        Err(e) => e.code() as u32,
    };
    buf.extend_from_slice(&code.to_le_bytes());
    buf.extend_from_slice(&ranges.to_le_bytes());
}

/// Append one written range to an ioctl reply.
pub fn encode_written(buf: &mut Vec<u8>, w: &Written<'_>) {
    buf.extend_from_slice(&w.segment.to_le_bytes());
    buf.extend_from_slice(&w.offset.to_le_bytes());
    buf.extend_from_slice(&w.len.to_le_bytes());
    buf.extend_from_slice(&(w.data.len() as u32).to_le_bytes());
    buf.extend_from_slice(w.data);
}

/// A decoded ioctl reply.
#[derive(Debug)]
pub struct IoctlReply<'a> {
    /// 0 or the errno.
    pub result: Result<(), Errno>,
    /// The ranges written (at most [`MAX_SEGMENTS`], on the stack).
    pub written: ArrayVec<Written<'a>, MAX_SEGMENTS>,
}

/// Decode a result word: 0 or a positive errno in the closed set.
pub fn decode_result(kind: Kind, code: u32) -> Result<Result<(), Errno>, WireError> {
    if code == 0 {
        return Ok(Ok(()));
    }
    let e = i32::try_from(code).ok().and_then(Errno::from_code);
    e.map(Err).ok_or_else(|| malformed(kind, format!("result {code} is not an errno of the set")))
}

/// Decode an ioctl reply payload.
pub fn decode_ioctl_reply(payload: &[u8]) -> Result<IoctlReply<'_>, WireError> {
    let k = Kind::IoctlReply;
    let mut c = Cursor::new(k, payload);
    let result = decode_result(k, c.u32("result")?)?;
    let n = c.u32("range count")? as usize;
    if n > MAX_SEGMENTS {
        return Err(malformed(k, format!("{n} written ranges (at most {MAX_SEGMENTS})")));
    }
    // At most `MAX_SEGMENTS` (checked above), so no push below can fail.
    let mut written = ArrayVec::new();
    for _ in 0..n {
        let segment = c.u32("segment index")?;
        let offset = c.u32("offset")?;
        let len = c.u32("length")?;
        let data_len = c.u32("data length")?;
        if data_len > len {
            return Err(malformed(k, "range data longer than the range"));
        }
        let data = c.bytes(data_len as usize, "range data")?;
        written.push(Written { segment, offset, len, data });
    }
    c.end()?;
    Ok(IoctlReply { result, written })
}

/// Encode a reply made of a result word and an optional JSON document.
pub fn encode_result_json(buf: &mut Vec<u8>, result: Result<(), Errno>, json: Option<&[u8]>) {
    encode_ioctl_reply_head_result(buf, result);
    if let Some(j) = json {
        buf.extend_from_slice(j);
    }
}

fn encode_ioctl_reply_head_result(buf: &mut Vec<u8>, result: Result<(), Errno>) {
    let code = match result {
        Ok(()) => 0u32,
        Err(e) => e.code() as u32,
    };
    buf.extend_from_slice(&code.to_le_bytes());
}

/// Decode a result word followed by a JSON document (empty = none).
pub fn decode_result_json(
    kind: Kind,
    payload: &[u8],
) -> Result<Result<Option<serde_json::Value>, Errno>, WireError> {
    let mut c = Cursor::new(kind, payload);
    let result = decode_result(kind, c.u32("result")?)?;
    let rest = c.rest();
    match result {
        Err(e) => Ok(Err(e)),
        Ok(()) if rest.is_empty() => Ok(Ok(None)),
        Ok(()) => serde_json::from_slice(rest)
            .map(|v| Ok(Some(v)))
            .map_err(|e| malformed(kind, format!("bad JSON: {e}"))),
    }
}

/// [`Kind::Rpc`]'s response-length word asking for the length the driver expects
/// for the request (else [`fwctl_subsys::ioctl::DEFAULT_OUT_LEN`]).
pub const OUT_LEN_EXPECTED: u32 = u32::MAX;

/// A decoded typed RPC request ([`Kind::Rpc`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcRequest<'a> {
    /// The raw `fwctl_rpc_scope` value.
    pub scope: u32,
    /// The response buffer to offer; `None` for the driver's expected length.
    pub out_len: Option<usize>,
    /// The request bytes.
    pub request: &'a [u8],
}

/// Encode a typed RPC request payload into `buf` (appending).
pub fn encode_rpc(buf: &mut Vec<u8>, req: &RpcRequest<'_>) -> Result<(), WireError> {
    let out_len = match req.out_len {
        None => OUT_LEN_EXPECTED,
        Some(n) => u32::try_from(n)
            .ok()
            .filter(|&n| n != OUT_LEN_EXPECTED)
            .ok_or_else(|| malformed(Kind::Rpc, "response length does not fit"))?,
    };
    buf.extend_from_slice(&req.scope.to_le_bytes());
    buf.extend_from_slice(&out_len.to_le_bytes());
    buf.extend_from_slice(req.request);
    Ok(())
}

/// Decode a typed RPC request payload.
pub fn decode_rpc(payload: &[u8]) -> Result<RpcRequest<'_>, WireError> {
    let mut c = Cursor::new(Kind::Rpc, payload);
    let scope = c.u32("scope")?;
    let out_len = match c.u32("response length")? {
        OUT_LEN_EXPECTED => None,
        n => Some(n as usize),
    };
    Ok(RpcRequest { scope, out_len, request: c.rest() })
}

/// The metadata trailer of a [`Kind::RpcReply`]: what the dispatcher computed
/// for the RPC (JSON; the shape `Documentation/protocol.md` documents).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RpcMetadata {
    /// The driver's description of the request.
    #[serde(default)]
    pub description: Option<RpcDescription>,
    /// The driver's decoding of the response's in-band status.
    #[serde(default)]
    pub status: Option<DeviceStatus>,
    /// The policy's (or the capability rule's) decision.
    #[serde(default)]
    pub decision: Option<Decision>,
}

/// Encode a typed RPC reply payload into `buf` (appending): result, response
/// capacity, `out_len`, the response bytes, then the JSON metadata.
pub fn encode_rpc_reply(buf: &mut Vec<u8>, reply: &Result<RpcReply, RpcError>) -> Result<(), WireError> {
    let bad = |_| malformed(Kind::RpcReply, "metadata does not encode");
    match reply {
        Ok(r) => {
            buf.extend_from_slice(&0u32.to_le_bytes());
            buf.extend_from_slice(&(r.out_capacity as u32).to_le_bytes());
            buf.extend_from_slice(&r.result.out_len.to_le_bytes());
            buf.extend_from_slice(&(r.response.len() as u32).to_le_bytes());
            buf.extend_from_slice(&r.response);
            let meta = RpcMetadataRef {
                description: r.result.description.as_ref(),
                status: r.result.status.as_ref(),
                decision: r.result.decision.as_ref(),
            };
            serde_json::to_writer(&mut *buf, &meta).map_err(bad)
        }
        Err(e) => {
            buf.extend_from_slice(&(e.errno.code() as u32).to_le_bytes());
            buf.extend_from_slice(&[0u8; 12]);
            let meta = RpcMetadataRef {
                description: e.description.as_deref(),
                status: None,
                decision: e.decision.as_ref(),
            };
            serde_json::to_writer(&mut *buf, &meta).map_err(bad)
        }
    }
}

/// [`RpcMetadata`] by reference, to encode without cloning.
#[derive(Serialize)]
struct RpcMetadataRef<'a> {
    description: Option<&'a RpcDescription>,
    status: Option<&'a DeviceStatus>,
    decision: Option<&'a Decision>,
}

/// Decode a typed RPC reply payload.
pub fn decode_rpc_reply(payload: &[u8]) -> Result<Result<RpcReply, RpcError>, WireError> {
    let k = Kind::RpcReply;
    let mut c = Cursor::new(k, payload);
    let result = decode_result(k, c.u32("result")?)?;
    let out_capacity = c.u32("response capacity")? as usize;
    let out_len = c.u32("out_len")?;
    let n = c.u32("response length")? as usize;
    if n > out_capacity {
        return Err(malformed(k, "response longer than its buffer"));
    }
    let response = c.bytes(n, "response")?;
    let meta: RpcMetadata =
        serde_json::from_slice(c.rest()).map_err(|e| malformed(k, format!("bad metadata JSON: {e}")))?;
    Ok(match result {
        Ok(()) => Ok(RpcReply {
            response: response.to_vec(),
            out_capacity,
            result: RpcResult {
                out_len,
                description: meta.description,
                status: meta.status,
                decision: meta.decision,
            },
        }),
        Err(errno) => {
            Err(RpcError { errno, description: meta.description.map(Box::new), decision: meta.decision })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn header_round_trips_and_rejects_garbage() {
        let h = encode_header(Kind::Ioctl, 52);
        assert_eq!(&h[..4], b"FWCT");
        assert_eq!(decode_header(&h).unwrap(), Header { kind: Kind::Ioctl, len: 52 });
        let mut bad = h;
        bad[0] = b'X';
        assert!(matches!(decode_header(&bad), Err(WireError::BadMagic(_))));
        let mut bad = h;
        bad[4] = 2;
        assert!(matches!(decode_header(&bad), Err(WireError::BadVersion(2))));
        let mut bad = h;
        bad[6] = 0x77;
        assert!(matches!(decode_header(&bad), Err(WireError::BadKind(0x0077))));
        let mut big = h;
        big[8..12].copy_from_slice(&((MAX_PAYLOAD + 1) as u32).to_le_bytes());
        assert!(matches!(decode_header(&big), Err(WireError::TooLarge(_))));
    }

    #[test]
    fn ioctl_request_round_trips() {
        let st = [1u8; 32];
        let inb = [2u8; 16];
        let segs = [
            (SegmentHeader { addr: 0x1000, len: 32, flags: SEG_DATA | SEG_WRITABLE }, Some(&st[..])),
            (SegmentHeader { addr: 0x2000, len: 16, flags: SEG_DATA }, Some(&inb[..])),
            (SegmentHeader { addr: 0x3000, len: 272, flags: SEG_WRITABLE }, None),
        ];
        let mut buf = Vec::new();
        encode_ioctl(&mut buf, 0x9A01, 0x1000, &segs);
        assert_eq!(buf.len(), 24 + 3 * 16 + 48);
        let r = decode_ioctl(&buf).unwrap();
        assert_eq!((r.cmd, r.arg), (0x9A01, 0x1000));
        assert_eq!(r.segments.as_slice(), &segs[..]);
    }

    #[test]
    fn overlapping_or_short_segments_are_rejected() {
        let d = [0u8; 8];
        let mut buf = Vec::new();
        let segs = [
            (SegmentHeader { addr: 0x1000, len: 8, flags: SEG_DATA }, Some(&d[..])),
            (SegmentHeader { addr: 0x1004, len: 8, flags: SEG_DATA }, Some(&d[..])),
        ];
        encode_ioctl(&mut buf, 0x9A01, 0x1000, &segs);
        assert!(decode_ioctl(&buf).unwrap_err().to_string().contains("overlaps"));
        buf.clear();
        encode_ioctl(&mut buf, 0x9A01, 0x1000, &segs[..1]);
        buf.pop();
        assert!(decode_ioctl(&buf).unwrap_err().to_string().contains("truncated"));
    }

    #[test]
    fn typed_rpc_frames_round_trip_with_their_metadata() {
        use fwctl_subsys::driver::Effects;
        let mut buf = Vec::new();
        let req = RpcRequest { scope: 1, out_len: None, request: b"\x01\x01" };
        encode_rpc(&mut buf, &req).unwrap();
        assert_eq!(&buf[..8], &[1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(decode_rpc(&buf).unwrap(), req);
        assert!(encode_rpc(&mut buf, &RpcRequest { out_len: Some(u32::MAX as usize), ..req }).is_err());

        let mut d = RpcDescription::unknown(0x101, 0);
        d.name = Some("QUERY_ADAPTER".into());
        d.effects = Effects::READ;
        let ok = Ok(RpcReply {
            response: vec![7; 4],
            out_capacity: 4,
            result: RpcResult {
                out_len: 9,
                description: Some(d.clone()),
                status: Some(DeviceStatus { code: 0, name: "OK".into(), syndrome: Some(0), ok: true }),
                decision: Some(Decision::allow("fine")),
            },
        });
        buf.clear();
        encode_rpc_reply(&mut buf, &ok).unwrap();
        assert_eq!(&buf[..16], &[0, 0, 0, 0, 4, 0, 0, 0, 9, 0, 0, 0, 4, 0, 0, 0]);
        assert_eq!(decode_rpc_reply(&buf).unwrap(), ok);

        let mut refusal = Decision::deny(Errno::EPERM, "denied by rule 'r'");
        refusal.rule = Some("r".into());
        let err =
            Err(RpcError { errno: Errno::EPERM, description: Some(Box::new(d)), decision: Some(refusal) });
        buf.clear();
        encode_rpc_reply(&mut buf, &err).unwrap();
        assert_eq!(&buf[..4], &[1, 0, 0, 0]);
        let json: serde_json::Value = serde_json::from_slice(&buf[16..]).unwrap();
        // The documented shapes: scope and errno by name, effects as names.
        assert_eq!(
            json["decision"],
            serde_json::json!({"errno": "EPERM", "reason": "denied by rule 'r'", "rule": "r"})
        );
        assert_eq!(json["description"]["effects"], serde_json::json!(["read"]));
        assert_eq!(json["description"]["min_scope"], serde_json::Value::Null);
        assert_eq!(decode_rpc_reply(&buf).unwrap(), err);
    }

    proptest! {
        #[test]
        fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode_ioctl(&bytes);
            let _ = decode_ioctl_reply(&bytes);
            let _ = decode_result_json(Kind::DescribeReply, &bytes);
            let _ = decode_rpc(&bytes);
            let _ = decode_rpc_reply(&bytes);
            let _ = crate::server::speculate::decode(&bytes);
            let _ = crate::server::speculate::decode_held(&bytes);
            if bytes.len() >= HEADER_LEN {
                let mut h = [0u8; HEADER_LEN];
                h.copy_from_slice(&bytes[..HEADER_LEN]);
                let _ = decode_header(&h);
            }
        }

        #[test]
        fn read_frame_never_panics_on_streams(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let mut r = &bytes[..];
            let mut p = Vec::new();
            while read_frame(&mut r, &mut p).is_ok() {}
        }
    }
}
