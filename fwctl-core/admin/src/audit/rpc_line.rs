//! One RPC's audit line: its facts, copied out of the dispatcher into buffers
//! the thread reuses, and the line built from them without allocating; and the
//! per-thread write-behind stage ([`fwctl_subsys::hooks::WriteBehind`]).
//!
//! The facts are what [`RpcAudit`] borrows, owned: so a line can be staged
//! during the dispatch and built (SHA-256, JSON) and written after the reply.
//! The inline path goes through the same facts and the same builder, so a
//! staged line and an inline one are the same bytes.

use std::cell::RefCell;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use fwctl_subsys::hooks::RpcAudit;
use fwctl_uapi::RpcScope;
use fwctl_uapi::errno::Errno;

use super::now_secs;
#[cfg(test)]
use super::{AuditEvent, AuditRecord};

/// The most RPC records one thread stages before it writes inline (a
/// connection thread stages one at a time; the bound is for a caller that opted
/// in and forgot to flush).
pub const MAX_STAGED_PER_THREAD: usize = 8;
/// Requests longer than this are not staged (their bytes would be kept until
/// the flush only to be hashed): the line is written at once.
pub const MAX_STAGED_REQUEST: usize = 16 * 1024;
/// Reused buffers that grew past this are given back after use.
const KEEP: usize = 64 * 1024;

/// Replace the contents of a reused string without giving up its buffer.
fn set(buf: &mut String, text: &str) {
    buf.clear();
    buf.push_str(text);
}

/// One RPC as the audit log records it, owned (see the module docs).
#[derive(Debug, Default)]
pub(super) struct RpcFacts {
    time: u64,
    device: String,
    uid: u32,
    pid: i32,
    comm: String,
    scope: u32,
    /// `(opcode, op_mod)` when the driver described the request.
    described: Option<(u32, u32)>,
    command: String,
    has_command: bool,
    in_len: u32,
    out_capacity: u32,
    out_len: Option<u64>,
    errno: Option<Errno>,
    status: String,
    /// `(code, syndrome)` of the device status, when decoded.
    status_code: Option<(u32, Option<u32>)>,
    rule: Option<Arc<str>>,
    reason: Option<Arc<str>>,
    request: Vec<u8>,
    has_request: bool,
}

impl RpcFacts {
    /// Copy what `e` says into this slot's buffers.
    pub(super) fn capture(&mut self, e: &RpcAudit<'_>) {
        self.time = now_secs();
        set(&mut self.device, &e.device.name);
        self.uid = e.creds.uid;
        self.pid = e.creds.pid;
        set(&mut self.comm, &e.creds.comm);
        self.scope = e.scope;
        self.described = e.description.map(|d| (d.opcode, d.op_mod));
        let name = e.description.and_then(|d| d.name.as_deref());
        self.has_command = name.is_some();
        set(&mut self.command, name.unwrap_or(""));
        self.in_len = e.in_len;
        self.out_capacity = e.out_capacity;
        self.out_len = e.out_len.map(|n| n as u64);
        self.errno = e.result.err();
        set(&mut self.status, e.status.map_or("", |s| &s.name));
        self.status_code = e.status.map(|s| (s.code, s.syndrome));
        // Arc clones: the policy's texts are shared, never copied.
        self.rule = e.decision.and_then(|d| d.rule.clone());
        self.reason = e.decision.map(|d| d.reason.clone());
        self.request.clear();
        self.has_request = e.request.is_some();
        if let Some(r) = e.request {
            self.request.extend_from_slice(r);
        }
    }

    /// Append the record's JSON line (with its newline) to `out`.
    ///
    /// Written field by field in the order and spelling of the
    /// [`AuditRecord`] derive, which reads it back: the same bytes
    /// `serde_json` makes of the record (the tests compare the two on
    /// awkward inputs), without serde's per-byte escaping of every key and
    /// value. It is the hottest line fwctld writes (one per audited RPC);
    /// every other line goes through the derive.
    pub(super) fn write_line(&self, out: &mut Vec<u8>) {
        let mut hex = [0u8; 64];
        let sha = self.has_request.then(|| {
            // 32 bytes always make 64 digits: the size check cannot fail.
            let _ = hex::encode_to_slice(Sha256::digest(&self.request), &mut hex);
            &hex
        });
        num(out, b"{\"time\":", self.time);
        out.extend_from_slice(b",\"event\":\"rpc\"");
        text(out, b",\"device\":", &self.device);
        num(out, b",\"uid\":", self.uid);
        num(out, b",\"pid\":", self.pid);
        text(out, b",\"comm\":", &self.comm);
        match RpcScope::from_u32(self.scope) {
            Some(s) => plain(out, b",\"scope\":", s.name().as_bytes()),
            // The raw number, as a string (the derive's `scope: Option<S>`).
            None => plain(out, b",\"scope\":", itoa::Buffer::new().format(self.scope).as_bytes()),
        }
        if let Some((opcode, op_mod)) = self.described {
            num(out, b",\"opcode\":", opcode);
            num(out, b",\"op_mod\":", op_mod);
            if self.has_command {
                text(out, b",\"command\":", &self.command);
            }
        }
        num(out, b",\"in_len\":", self.in_len);
        num(out, b",\"out_capacity\":", self.out_capacity);
        if let Some(len) = self.out_len {
            num(out, b",\"out_len\":", len);
        }
        if let Some(e) = self.errno {
            plain(out, b",\"errno\":", e.name().as_bytes());
        }
        if let Some((code, syndrome)) = self.status_code {
            text(out, b",\"status\":", &self.status);
            num(out, b",\"status_code\":", code);
            if let Some(s) = syndrome {
                num(out, b",\"syndrome\":", s);
            }
        }
        if let Some(rule) = &self.rule {
            text(out, b",\"rule\":", rule);
        }
        if let Some(reason) = &self.reason {
            text(out, b",\"reason\":", reason);
        }
        if let Some(sha) = sha {
            plain(out, b",\"sha256\":", sha);
        }
        out.extend_from_slice(b"}\n");
    }

    /// The record [`RpcFacts::write_line`] writes, as the derive has it (for
    /// the tests that compare the two).
    #[cfg(test)]
    fn record<'a>(&'a self, sha: Option<&'a str>, scope: &'a str) -> AuditRecord<&'a str> {
        let mut r: AuditRecord<&str> = AuditRecord::blank(AuditEvent::Rpc, self.uid, self.pid, &self.comm);
        r.time = self.time;
        r.device = Some(&self.device);
        r.scope = Some(scope);
        if let Some((opcode, op_mod)) = self.described {
            r.opcode = Some(opcode);
            r.op_mod = Some(op_mod);
            r.command = self.has_command.then_some(self.command.as_str());
        }
        r.in_len = Some(self.in_len);
        r.out_capacity = Some(self.out_capacity);
        r.out_len = self.out_len;
        r.errno = self.errno.map(Errno::name);
        if let Some((code, syndrome)) = self.status_code {
            r.status = Some(&self.status);
            r.status_code = Some(code);
            r.syndrome = syndrome;
        }
        r.rule = self.rule.as_deref();
        r.reason = self.reason.as_deref();
        r.sha256 = sha;
        r
    }

    /// Give back buffers that one large RPC grew.
    fn trim(&mut self) {
        if self.request.capacity() > KEEP {
            self.request = Vec::new();
        }
    }
}

/// Append `key` (the separator, the quoted name and the colon) and the number `v`.
#[inline(always)]
fn num(out: &mut Vec<u8>, key: &[u8], v: impl itoa::Integer) {
    out.extend_from_slice(key);
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// Append `key` (the separator, the quoted name and the colon) and the string `s`.
#[inline(always)]
fn text(out: &mut Vec<u8>, key: &[u8], s: &str) {
    out.extend_from_slice(key);
    json_str(out, s);
}

/// Append `key` and the string `s`, which has nothing JSON escapes: a name
/// of ours (a scope's, an errno's: identifiers, pinned by a test), a number's
/// digits, the SHA-256's hex digits.
#[inline(always)]
fn plain(out: &mut Vec<u8>, key: &[u8], s: &[u8]) {
    debug_assert!(!needs_escape(s), "{s:?}");
    out.reserve(key.len() + s.len() + 2);
    out.extend_from_slice(key);
    out.push(b'"');
    out.extend_from_slice(s);
    out.push(b'"');
}

/// Append `s` as a JSON string, exactly as `serde_json` writes it: the
/// common text (no control character, quote or backslash: the only bytes
/// serde_json escapes) in one copy, anything else through serde_json itself.
fn json_str(out: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a Vec cannot fail, and a &str always serialises.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Whether `s` has a byte serde_json escapes: a control character (< 0x20),
/// `"` or `\`. Eight bytes at a time (the word tests of "Bit Twiddling
/// Hacks", `hasless` and `haszero`: they never miss such a byte); the last
/// word overlaps the one before it, and a string shorter than a word is
/// tested padded with spaces, so no byte is tested alone.
fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // Some byte of `x` is below `n` (n <= 0x80).
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0;
    // Some byte of `x` is zero.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let bad =
        |x: u64| below(x, 0x20) || zero(x ^ (ONES * u64::from(b'"'))) || zero(x ^ (ONES * u64::from(b'\\')));
    // Always 8 bytes; anything else would read as 0, i.e. "escape it".
    let word = |w: &[u8]| w.try_into().map_or(0, u64::from_ne_bytes);
    if s.len() < 8 {
        let mut a = [b' '; 8];
        a[..s.len()].copy_from_slice(s);
        return bad(u64::from_ne_bytes(a));
    }
    s.chunks_exact(8).any(|w| bad(word(w))) || bad(word(&s[s.len() - 8..]))
}

/// The calling thread's reusable record buffers and staged records.
#[derive(Debug, Default)]
pub(super) struct Stage {
    /// Which log the staged records belong to (its address; 0: none staged).
    pub(super) owner: usize,
    /// `facts[..staged]` wait for the flush; `facts[staged]` is scratch.
    pub(super) staged: usize,
    pub(super) facts: Vec<RpcFacts>,
    /// The line being built.
    pub(super) line: Vec<u8>,
}

impl Stage {
    /// The first free slot, created when needed.
    pub(super) fn slot(&mut self) -> &mut RpcFacts {
        if self.facts.len() <= self.staged {
            self.facts.resize_with(self.staged + 1, RpcFacts::default);
        }
        &mut self.facts[self.staged]
    }

    /// After writing: give back what grew too large.
    pub(super) fn trim(&mut self) {
        for f in &mut self.facts {
            f.trim();
        }
        if self.line.capacity() > KEEP {
            self.line = Vec::with_capacity(1024);
        }
    }
}

/// How long fwctld's background writer waits, after the first line of a
/// batch is handed to it, for more to join it (the lines of the RPCs answered
/// meanwhile), before it writes them all with one `write(2)`.
pub const HANDOFF_LINGER: std::time::Duration = std::time::Duration::from_millis(1);
/// The most RPC lines the background writer's handoff holds; a connection
/// thread that finds it full writes its line itself (after what it holds).
pub const MAX_HANDOFF_LINES: usize = 256;
/// The most request bytes the handoff holds (kept only to be hashed).
pub const MAX_HANDOFF_BYTES: usize = 1024 * 1024;

/// RPC records handed to the background writer, in order: `facts[..len]`.
#[derive(Debug, Default)]
pub(super) struct Handoff {
    pub(super) facts: Vec<RpcFacts>,
    pub(super) len: usize,
    /// Request bytes held by `facts[..len]`.
    pub(super) request_bytes: usize,
    /// The writer sleeps waiting for a line: the next one must wake it.
    pub(super) writer_waiting: bool,
    /// The writer is stopping: nothing more is handed off.
    pub(super) stop: bool,
}

impl Handoff {
    /// The first free slot, created when needed.
    pub(super) fn slot(&mut self) -> &mut RpcFacts {
        if self.facts.len() <= self.len {
            self.facts.resize_with(self.len + 1, RpcFacts::default);
        }
        &mut self.facts[self.len]
    }
}

/// What writing a batch of the handoff works in: the batch's records (the
/// handoff takes the previous batch's slots in exchange) and its lines.
#[derive(Debug, Default)]
pub(super) struct Drain {
    pub(super) facts: Vec<RpcFacts>,
    /// The batch's lines, one after another.
    pub(super) buf: Vec<u8>,
    /// Where each line in `buf` ends.
    pub(super) ends: Vec<usize>,
}

impl Drain {
    /// After a batch of `n`: give back what grew too large (a burst's slots
    /// beyond a few dozen, a large request's buffer, a long batch's lines).
    pub(super) fn trim(&mut self, n: usize) {
        for f in self.facts.iter_mut().take(n) {
            f.trim();
        }
        self.facts.truncate(64);
        if self.buf.capacity() > 4 * KEEP {
            self.buf = Vec::new();
        }
    }
}

thread_local! {
    pub(super) static STAGE: RefCell<Stage> = RefCell::new(Stage::default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditRecord;

    /// Facts with every optional part set or not, and texts that need
    /// escaping (quotes, backslashes, every control byte, DEL, non-ASCII).
    fn awkward(i: u32) -> RpcFacts {
        let texts = [
            "",
            "fwctl0",
            "a\"b",
            "back\\slash",
            "tab\tnl\n",
            "\u{1}\u{1f}\u{7f}",
            "é€😀",
            "'single' (p.toml:3)",
        ];
        let t = |k: u32| texts[(k as usize) % texts.len()].to_string();
        RpcFacts {
            time: u64::from(i) * 1_000_003,
            device: t(i),
            uid: i.wrapping_mul(2_654_435_761),
            pid: if i.is_multiple_of(3) { -1 } else { i as i32 },
            comm: t(i + 1),
            scope: [0, 1, 2, 3, 4, 77, u32::MAX][(i % 7) as usize],
            described: i.is_multiple_of(2).then_some((i, u32::MAX - i)),
            command: t(i + 2),
            has_command: i % 4 != 1,
            in_len: i,
            out_capacity: u32::MAX,
            out_len: (i % 3 != 1).then_some(u64::MAX - u64::from(i)),
            errno: i.is_multiple_of(5).then_some(Errno::EPERM),
            status: t(i + 3),
            status_code: i.is_multiple_of(3).then_some((i, i.is_multiple_of(2).then_some(0xdead_beef))),
            rule: (i % 2 == 1).then(|| Arc::from(t(i + 4).as_str())),
            reason: (i % 3 != 2).then(|| Arc::from(t(i + 5).as_str())),
            request: vec![i as u8; (i % 40) as usize],
            has_request: i % 6 != 5,
        }
    }

    #[test]
    fn the_written_line_is_the_derives_json_byte_for_byte() {
        for i in 0..400 {
            let f = awkward(i);
            let mut line = Vec::new();
            f.write_line(&mut line);
            let hex = hex::encode(Sha256::digest(&f.request));
            let scope =
                RpcScope::from_u32(f.scope).map_or_else(|| f.scope.to_string(), |s| s.name().to_string());
            let sha = f.has_request.then_some(hex.as_str());
            let mut want = serde_json::to_vec(&f.record(sha, &scope)).expect("serialise");
            want.push(b'\n');
            assert_eq!(String::from_utf8_lossy(&line), String::from_utf8_lossy(&want), "facts #{i}");
            // And it reads back as the record it describes.
            let back: AuditRecord = serde_json::from_slice(&line).expect("reads back");
            assert_eq!(back.comm, f.comm);
        }
    }

    /// The texts written without the escape check are ours and need none.
    #[test]
    fn scope_and_errno_names_need_no_escaping() {
        for name in RpcScope::ALL.iter().map(|s| s.name()).chain(Errno::ALL.iter().map(|e| e.name())) {
            assert!(!needs_escape(name.as_bytes()), "{name}");
            assert_eq!(serde_json::to_string(name).expect("serialise"), format!("\"{name}\""));
        }
    }

    #[test]
    fn json_str_escapes_exactly_what_serde_json_escapes() {
        for b in 0u8..=0x7f {
            let s = format!("x{}y", b as char);
            let mut out = Vec::new();
            json_str(&mut out, &s);
            assert_eq!(out, serde_json::to_vec(&s).expect("serialise"), "byte {b:#04x}");
        }
    }

    /// Every ASCII byte at every position of strings shorter than a word,
    /// of whole words, and of words and a tail (the overlapping last word), among plain, high (0x7f) and multi-byte
    /// UTF-8 neighbours whose borrows could hide it.
    #[test]
    fn json_str_finds_a_byte_to_escape_anywhere_in_a_word() {
        for fill in ["a", "\u{7f}", "é", " "] {
            for len in [1usize, 2, 7, 8, 9, 15, 16, 19] {
                for at in 0..len {
                    for b in 0u8..=0x7f {
                        let mut chars: Vec<String> = vec![fill.to_string(); len];
                        chars[at] = (b as char).to_string();
                        let s: String = chars.concat();
                        let mut out = Vec::new();
                        json_str(&mut out, &s);
                        assert_eq!(out, serde_json::to_vec(&s).expect("serialise"), "{s:?}");
                        let escaped = b < 0x20 || b == b'"' || b == b'\\';
                        assert_eq!(needs_escape(s.as_bytes()), escaped, "{s:?}");
                    }
                }
            }
        }
    }
}
