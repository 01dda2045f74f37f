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

use super::{AuditEvent, AuditRecord, now_secs};

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
    pub(super) fn write_line(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        let mut hex = [0u8; 64];
        let sha = if self.has_request {
            // 32 bytes always make 64 digits: the size check cannot fail.
            let _ = hex::encode_to_slice(Sha256::digest(&self.request), &mut hex);
            std::str::from_utf8(&hex).ok()
        } else {
            None
        };
        let mut digits = [0u8; 10];
        let scope = match RpcScope::from_u32(self.scope) {
            Some(s) => s.name(),
            None => decimal(self.scope, &mut digits),
        };
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
        serde_json::to_writer(&mut *out, &r)?;
        out.push(b'\n');
        Ok(())
    }

    /// Give back buffers that one large RPC grew.
    fn trim(&mut self) {
        if self.request.capacity() > KEEP {
            self.request = Vec::new();
        }
    }
}

/// `n` in decimal, in `buf` (10 digits hold every `u32`).
fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
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

thread_local! {
    pub(super) static STAGE: RefCell<Stage> = RefCell::new(Stage::default());
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn decimal_writes_every_u32_like_display() {
        for n in [0, 7, 10, 99, 100, 4_294_967_295, 1_000_000_000, 123_456_789] {
            let mut buf = [0; 10];
            assert_eq!(decimal(n, &mut buf), n.to_string());
        }
    }
}
