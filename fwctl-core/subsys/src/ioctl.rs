//! The ioctl layer: drivers/fwctl/main.c's dispatcher, step by step, over a
//! [`UserMemory`] that resolves the caller's pointers.
//!
//! Order of checks (kernel-fwctl.md §2.2–§2.5):
//! 1. unknown nr or mismatched number → `ENOTTY`;
//! 2. the `size` word → `EFAULT` if unreadable; `size` below the minimum → `EINVAL`;
//! 3. `copy_struct_from_user`: non-zero tail beyond the known struct → `E2BIG`;
//! 4. registration read lock; device gone → `ENODEV`;
//! 5. the handler (INFO or RPC, below);
//! 6. copy back `min(user size, kernel size)` bytes of the struct → `EFAULT`.
//!
//! With a policy installed, RPCs additionally read and describe the request and
//! consult the policy after the capability check and before taint; with none,
//! the order is exactly the kernel's.

use std::cell::RefCell;

use zerocopy::{FromBytes, IntoBytes};

use crate::creds::Credentials;
use crate::driver::{Driver, DriverContext, DriverReply, RpcCall, RpcDescription, RpcResponse, StatusSlot};
use crate::handle::Handle;
use crate::handle::RpcMeta;
pub use crate::handle::{DEFAULT_OUT_LEN, DryRun, InfoResult, RpcError, RpcReply, RpcResult};
use crate::hooks::{Decision, Hooks, RpcAudit, RpcCheck};
pub use crate::memory::{SegmentMemory, UserMemory};
use crate::scope;
use crate::subsystem::read;
use crate::taint::TaintEvent;
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{
    FWCTL_CMD_BASE, FWCTL_INFO, FWCTL_INFO_MIN_SIZE, FWCTL_RPC, FWCTL_RPC_MIN_SIZE, FwctlInfo, FwctlRpc,
    MAX_RPC_LEN, RpcScope,
};

/// `copy_struct_from_user`: read a struct whose caller-side size is `usize_`.
fn copy_struct_from_user<T: FromBytes + IntoBytes + Default>(
    mem: &dyn UserMemory,
    arg: u64,
    usize_: u32,
) -> Result<T, Errno> {
    let mut k = T::default();
    let ksize = core::mem::size_of::<T>();
    let usize_ = usize_ as usize;
    if usize_ > ksize {
        let tail = arg.checked_add(ksize as u64).ok_or(Errno::EFAULT)?;
        check_zeroed_user(mem, tail, usize_ - ksize)?;
    }
    let n = usize_.min(ksize);
    mem.read(arg, &mut k.as_mut_bytes()[..n])?;
    Ok(k)
}

/// `check_zeroed_user`: every byte of `[addr, addr + len)` (the part of the caller's
/// struct the kernel does not understand) must be zero. The kernel scans aligned
/// words in order, so a non-zero byte before the first unmapped word is `E2BIG`
/// and a fault before any non-zero byte is `EFAULT`; a `size` of up to 4 GiB is
/// just a long scan.
fn check_zeroed_user(mem: &dyn UserMemory, addr: u64, len: usize) -> Result<(), Errno> {
    const WORD: u64 = 8;
    let mut chunk = [0u8; 512];
    let mut off = 0usize;
    while off < len {
        let at = addr.checked_add(off as u64).ok_or(Errno::EFAULT)?;
        let n = (len - off).min(chunk.len());
        let buf = &mut chunk[..n];
        if mem.read(at, buf).is_ok() {
            if buf.iter().any(|&b| b != 0) {
                return Err(Errno::E2BIG);
            }
        } else {
            // Part of this chunk faults: redo it word by word to find which
            // comes first, a non-zero byte or the fault.
            let mut w = 0usize;
            while w < n {
                let word_at = at.checked_add(w as u64).ok_or(Errno::EFAULT)?;
                let step = ((WORD - word_at % WORD) as usize).min(n - w);
                let word = &mut buf[w..w + step];
                mem.read(word_at, word)?;
                if word.iter().any(|&b| b != 0) {
                    return Err(Errno::E2BIG);
                }
                w += step;
            }
        }
        off += n;
    }
    Ok(())
}

/// `ucmd_respond`: write back `min(user size, kernel size)` bytes.
fn respond<T: IntoBytes + zerocopy::Immutable>(
    mem: &mut dyn UserMemory,
    arg: u64,
    usize_: u32,
    k: &T,
) -> Result<(), Errno> {
    let bytes = k.as_bytes();
    let n = (usize_ as usize).min(bytes.len());
    mem.write(arg, &bytes[..n])
}

thread_local! {
    /// Reused request buffer: the RPC path allocates nothing in the steady state.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Reused buffer for reading back a response a driver wrote straight into the
    /// caller's memory (to decode its status), inside the request's [`SCRATCH`].
    static READBACK: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Reused buffer for the audit log's copy of a request (taken while an
    /// RPC is audited, given back after its record).
    static AUDIT_REQUEST: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Largest scratch buffer kept between calls on one thread.
const SCRATCH_KEEP: usize = 64 * 1024;

/// Run `f` on a zeroed buffer of `len` bytes (the kernel's `kvzalloc`).
fn with_zeroed<R>(len: usize, f: impl FnOnce(&mut [u8]) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            buf.resize(len, 0);
            let r = f(&mut buf[..]);
            if buf.capacity() > SCRATCH_KEEP {
                *buf = Vec::new();
            }
            r
        }
        // Re-entered (a driver calling back into the core): use a fresh buffer.
        Err(_) => f(&mut vec![0u8; len]),
    })
}

/// Run `f` on a buffer of `len` bytes that `f` fills completely before reading
/// it (a read-back of the caller's memory, whose result is used only when the
/// read succeeded): the thread's kept buffer, not zeroed again between calls.
fn with_readback<R>(len: usize, f: impl FnOnce(&mut [u8]) -> R) -> R {
    READBACK.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            if buf.len() < len {
                buf.resize(len, 0);
            }
            let r = f(&mut buf[..len]);
            if buf.capacity() > SCRATCH_KEEP {
                *buf = Vec::new();
            }
            r
        }
        Err(_) => f(&mut vec![0u8; len]),
    })
}

impl Handle {
    /// `ioctl(fd, cmd, arg)`: the kernel's dispatcher. `arg` is the caller's address
    /// of the argument struct inside `mem`.
    pub fn ioctl(
        &self,
        creds: &Credentials,
        cmd: u32,
        arg: u64,
        mem: &mut dyn UserMemory,
    ) -> Result<(), Errno> {
        self.dispatch(creds, cmd, arg, mem, &mut RpcMeta::default())
    }

    /// [`Handle::ioctl`], leaving what the RPC path computed in `meta`.
    pub(crate) fn dispatch(
        &self,
        creds: &Credentials,
        cmd: u32,
        arg: u64,
        mem: &mut dyn UserMemory,
        meta: &mut RpcMeta,
    ) -> Result<(), Errno> {
        let nr = cmd & 0xff;
        if nr.wrapping_sub(FWCTL_CMD_BASE) >= 2 {
            return Err(Errno::ENOTTY);
        }
        let (expected, min_size) =
            if nr == 0 { (FWCTL_INFO, FWCTL_INFO_MIN_SIZE) } else { (FWCTL_RPC, FWCTL_RPC_MIN_SIZE) };
        if cmd != expected {
            return Err(Errno::ENOTTY);
        }
        let mut size = [0u8; 4];
        mem.read(arg, &mut size)?;
        let size = u32::from_ne_bytes(size);
        if size < min_size {
            return Err(Errno::EINVAL);
        }
        if nr == 0 {
            let mut info: FwctlInfo = copy_struct_from_user(mem, arg, size)?;
            let ops = read(&self.device.ops);
            let driver = ops.as_deref().ok_or(Errno::ENODEV)?;
            self.info_handler(driver, &mut info, mem)?;
            respond(mem, arg, size, &info)
        } else {
            let mut rpc: FwctlRpc = copy_struct_from_user(mem, arg, size)?;
            let ops = read(&self.device.ops);
            let driver = ops.as_deref().ok_or(Errno::ENODEV)?;
            self.rpc_handler(driver, creds, &mut rpc, mem, meta)?;
            respond(mem, arg, size, &rpc)
        }
    }

    fn ctx<R>(&self, f: impl FnOnce(&dyn DriverContext) -> Result<R, Errno>) -> Result<R, Errno> {
        let guard = read(&self.slot.ctx);
        let ctx = guard.as_deref().ok_or(Errno::ENODEV)?;
        f(ctx)
    }

    fn info_handler(
        &self,
        driver: &dyn Driver,
        info: &mut FwctlInfo,
        mem: &mut dyn UserMemory,
    ) -> Result<(), Errno> {
        if info.flags != 0 {
            return Err(Errno::EOPNOTSUPP);
        }
        let mut driver_info_len = 0u32;
        if info.device_data_len != 0 {
            let user_len = info.device_data_len as usize;
            match self.ctx(|ctx| Ok(ctx.info()))? {
                None => mem.zero(info.out_device_data, user_len)?,
                Some(Err(e)) => return Err(e),
                Some(Ok(data)) => {
                    let n = data.len().min(user_len);
                    mem.write(info.out_device_data, &data[..n])?;
                    let rest = info.out_device_data.checked_add(n as u64).ok_or(Errno::EFAULT)?;
                    mem.zero(rest, user_len - n)?;
                    driver_info_len = u32::try_from(data.len()).map_err(|_| Errno::EIO)?;
                }
            }
        }
        info.out_device_type = driver.device_type().as_u32();
        info.device_data_len = driver_info_len;
        Ok(())
    }

    fn rpc_handler(
        &self,
        driver: &dyn Driver,
        creds: &Credentials,
        rpc: &mut FwctlRpc,
        mem: &mut dyn UserMemory,
        meta: &mut RpcMeta,
    ) -> Result<(), Errno> {
        // A snapshot, not a held guard: a policy reload must not wait for RPCs in
        // flight (nor block new ones behind it), and nothing below may re-take the
        // lock while a writer waits.
        let hooks = self.subsystem.hooks_snapshot();
        // Who the caller is matters to a policy that names callers and to the
        // audit log; then its identity is confirmed now (the taint record
        // confirms it for itself). Otherwise, as in the kernel, it never matters.
        // A caller that cannot be identified any more is refused (and audited
        // under its last known identity).
        let confirmed = (creds.identity_check.pending()
            && (hooks.policy.as_ref().is_some_and(|p| p.uses_identity())
                || hooks.audit.as_ref().is_some_and(|a| a.wants_rpcs())))
        .then(|| creds.confirmed());
        let creds = match confirmed {
            Some(Ok(c)) => c,
            _ => creds,
        };
        let mut audit = Audit::new(&hooks, self, creds, rpc);
        let result = match confirmed {
            Some(Err(e)) => Err(e),
            _ => self.rpc_steps(driver, &hooks, creds, rpc, mem, &mut audit, meta),
        };
        audit.finish(result, meta);
        result
    }

    #[expect(clippy::too_many_arguments, reason = "the dispatcher's state, passed down once")]
    fn rpc_steps(
        &self,
        driver: &dyn Driver,
        hooks: &Hooks,
        creds: &Credentials,
        rpc: &mut FwctlRpc,
        mem: &mut dyn UserMemory,
        audit: &mut Audit<'_>,
        meta: &mut RpcMeta,
    ) -> Result<(), Errno> {
        if rpc.in_len as usize > MAX_RPC_LEN || rpc.out_len as usize > MAX_RPC_LEN {
            return Err(Errno::EMSGSIZE);
        }
        let scope = scope::parse(rpc.scope)?;
        if let Err(e) = scope::check_capability(scope, creds) {
            if meta.collect {
                meta.decision = Some(Decision::deny(e, format!("scope {scope} needs CAP_SYS_RAWIO")));
            }
            return Err(e);
        }
        if driver.has_failed() {
            return Err(Errno::ENXIO);
        }
        let policy = hooks.policy.as_deref();
        let taints = scope::taints(scope);
        // A clearing of the taint record waits for this RPC, and it for one.
        let _gate = taints.then(|| self.subsystem.taint.hold());
        if policy.is_none() {
            // An audit log that cannot record this RPC may refuse it
            // (`on_failure`), before anything taints.
            audit.admit(scope)?;
        }
        // Kernel order: taint before the request is even copied in.
        let mut first_taint = policy.is_none() && taints && self.subsystem.taint.set();
        if first_taint {
            self.taint_warning(creds);
        }
        let in_len = rpc.in_len as usize;
        let out_cap = rpc.out_len as usize;
        with_zeroed(in_len, |inbuf| {
            let copied = mem.read(rpc.in_, inbuf);
            if copied.is_err() {
                if first_taint {
                    // The flag was set as the kernel sets it; the RPC fails anyway.
                    let _ = self.record_taint(hooks, creds, scope, None, true);
                }
                return copied;
            }
            let want_description = policy.is_some() || first_taint || audit.enabled() || meta.collect;
            // Wanted only for the record written afterwards: the driver may
            // describe it together with the delivery (one round trip to a
            // plugin host instead of two).
            let describe_late = want_description && !meta.described && policy.is_none() && !taints;
            if want_description && !meta.described && !describe_late {
                meta.description = driver.describe(inbuf).ok();
                meta.described = true;
            }
            audit.set_request(inbuf);
            if let Some(policy) = policy {
                // The policy judges only requests the driver accepts: one the
                // driver refuses gets the driver's errno, and taints as in the
                // kernel (which taints before the driver sees the request).
                if let Some((errno, why)) = driver_refusal(driver, inbuf, scope, meta) {
                    meta.decision = Some(Decision::deny(errno, why));
                    audit.admit(scope)?;
                    let first = taints && self.subsystem.taint.set();
                    if first {
                        self.taint_warning(creds);
                    }
                    if taints {
                        self.record_taint(hooks, creds, scope, meta.description.as_ref(), first)?;
                    }
                    return Err(errno);
                }
                let decision = policy.check_rpc(&RpcCheck {
                    device: &self.device.view,
                    creds,
                    scope,
                    description: meta.description.as_ref(),
                    request: inbuf,
                });
                let refused = decision.errno;
                meta.decision = Some(decision);
                if let Some(errno) = refused {
                    return Err(errno);
                }
                audit.admit(scope)?;
                first_taint = scope::taints(scope) && self.subsystem.taint.set();
                if first_taint {
                    self.taint_warning(creds);
                }
            }
            if taints {
                // Fail closed: no tainting request reaches the driver without a
                // durable record.
                self.record_taint(hooks, creds, scope, meta.description.as_ref(), first_taint)?;
            }
            let out_addr = rpc.out;
            let want_status = audit.enabled() || meta.collect;
            let mut slot = if want_status { StatusSlot::Wanted } else { StatusSlot::NotWanted };
            let reply = self.ctx(|ctx| {
                let mut call = RpcCall { scope, out_addr, out_capacity: out_cap, user: &mut *mem };
                if !describe_late {
                    return ctx.fw_rpc_status(&mut call, inbuf, &mut slot);
                }
                let reply =
                    ctx.fw_rpc_described(&mut call, inbuf, &mut slot, &mut meta.description, &|request| {
                        driver.describe(request).ok()
                    });
                meta.described = true;
                reply
            });
            if describe_late && !meta.described {
                // No context to deliver to: the request is still as sent.
                meta.description = driver.describe(inbuf).ok();
                meta.described = true;
            }
            let reply = reply?;
            let response = match reply {
                DriverReply::Response(r) => r,
                DriverReply::Direct(len) => {
                    // Already in the caller's buffer (truncated to it by the driver):
                    // read it back only when a status is wanted and the driver
                    // did not decode it.
                    rpc.out_len = u32::try_from(len).map_err(|_| Errno::EIO)?;
                    if want_status {
                        meta.status = match std::mem::take(&mut slot) {
                            StatusSlot::Decoded(s) => s,
                            _ => with_readback(len.min(out_cap), |v| {
                                mem.read(out_addr, v).ok().and_then(|()| driver.decode_status(v))
                            }),
                        };
                    }
                    audit.out_len = Some(len);
                    return Ok(());
                }
            };
            let out: &[u8] = match &response {
                RpcResponse::InPlace(n) => inbuf.get(..*n).ok_or(Errno::EIO)?,
                RpcResponse::Buffer(v) => v,
            };
            let out_len = u32::try_from(out.len()).map_err(|_| Errno::EIO)?;
            let n = out.len().min(out_cap);
            mem.write(rpc.out, &out[..n])?;
            if want_status {
                meta.status = match std::mem::take(&mut slot) {
                    // What the driver decoded itself.
                    StatusSlot::Decoded(s) => s,
                    // The registration lock is already held by the caller; never re-take it.
                    _ => driver.decode_status(out),
                };
            }
            audit.out_len = Some(out.len());
            rpc.out_len = out_len;
            Ok(())
        })
    }

    fn taint_warning(&self, creds: &Credentials) {
        // Names the caller: confirmed (a caller that cannot be named any more is
        // named as it was).
        let creds = creds.confirmed().unwrap_or(creds);
        crate::subsystem::Subsystem::log_message(
            &self.subsystem,
            &format!(
                "fwctl {}: {}({}): has requested full access to the physical device",
                self.device.view.name, creds.comm, creds.pid
            ),
        );
    }

    fn record_taint(
        &self,
        hooks: &Hooks,
        creds: &Credentials,
        scope: RpcScope,
        d: Option<&RpcDescription>,
        first: bool,
    ) -> Result<(), Errno> {
        // The record names the caller: confirmed, or the RPC is refused.
        let creds = creds.confirmed()?;
        let event = TaintEvent {
            time: crate::taint::now_secs(),
            device: self.device.view.name.clone(),
            uid: creds.uid,
            pid: creds.pid,
            comm: creds.comm.clone(),
            scope,
            opcode: d.map(|d| d.opcode),
            command: d.and_then(|d| d.name.as_ref().map(|n| n.to_string())),
        };
        if let Err(e) = self.subsystem.taint.record(&event, first) {
            crate::subsystem::Subsystem::log_message(
                &self.subsystem,
                &format!(
                    "fwctl {}: refusing {}({})'s tainting RPC: the taint record cannot be written ({})",
                    self.device.view.name,
                    creds.comm,
                    creds.pid,
                    e.name()
                ),
            );
            return Err(e);
        }
        if first && let Some(audit) = &hooks.audit {
            audit.record_taint(&event);
        }
        Ok(())
    }
}

/// Whether the driver itself refuses `request` at `scope` (judged from its
/// description, without touching the device): a request it cannot even describe
/// (`EMSGSIZE` for a short mlx5 mailbox; `EOPNOTSUPP` means only that the driver
/// does not describe, and is not a refusal), or a command its allow-list does
/// not permit at this scope (`EBADMSG`, as `fw_rpc` would answer).
fn driver_refusal(
    driver: &dyn Driver,
    request: &[u8],
    scope: RpcScope,
    meta: &RpcMeta,
) -> Option<(Errno, String)> {
    match &meta.description {
        Some(d) if d.allowed_at(scope) => None,
        Some(d) => Some((
            Errno::EBADMSG,
            match d.min_scope {
                Some(min) => format!("the driver requires scope {min} for this command"),
                None => "the driver does not allow this command at any scope".to_string(),
            },
        )),
        // Described before and refused, or never asked: ask (cheap, pure) for the errno.
        None => match driver.describe(request) {
            Err(e) if e != Errno::EOPNOTSUPP => {
                Some((e, format!("the driver refuses this request ({})", e.name())))
            }
            _ => None,
        },
    }
}

/// Collects what the audit log needs while an RPC runs (the description, status
/// and decision are in the dispatcher's [`RpcMeta`]).
struct Audit<'a> {
    hooks: &'a Hooks,
    handle: &'a Handle,
    creds: &'a Credentials,
    scope: u32,
    in_len: u32,
    out_capacity: u32,
    request: Option<Vec<u8>>,
    out_len: Option<usize>,
}

impl<'a> Audit<'a> {
    fn new(hooks: &'a Hooks, handle: &'a Handle, creds: &'a Credentials, rpc: &FwctlRpc) -> Self {
        Audit {
            hooks,
            handle,
            creds,
            scope: rpc.scope,
            in_len: rpc.in_len,
            out_capacity: rpc.out_len,
            request: None,
            out_len: None,
        }
    }

    fn enabled(&self) -> bool {
        self.hooks.audit.as_ref().is_some_and(|a| a.wants_rpcs())
    }

    /// The audit log's verdict on delivering an RPC at `scope` now.
    fn admit(&self, scope: RpcScope) -> Result<(), Errno> {
        match &self.hooks.audit {
            Some(a) => a.admit(scope),
            None => Ok(()),
        }
    }

    /// Keep a copy of the request as sent (the driver may rewrite it in place),
    /// in the thread's kept buffer: no allocation per audited RPC.
    fn set_request(&mut self, request: &[u8]) {
        if self.enabled() {
            let mut buf = AUDIT_REQUEST.try_with(|b| b.take()).unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(request);
            self.request = Some(buf);
        }
    }

    fn finish(self, result: Result<(), Errno>, meta: &RpcMeta) {
        let Some(audit) = &self.hooks.audit else { return };
        if !audit.wants_rpcs() {
            return;
        }
        // Staged until the reply is sent when the thread opted in (write-behind).
        crate::hooks::record_rpc(
            audit,
            &RpcAudit {
                device: &self.handle.device.view,
                creds: self.creds,
                scope: self.scope,
                in_len: self.in_len,
                out_capacity: self.out_capacity,
                out_len: self.out_len,
                request: self.request.as_deref(),
                description: meta.description.as_ref(),
                decision: meta.decision.as_ref(),
                status: meta.status.as_ref(),
                result,
            },
        );
        if let Some(buf) = self.request
            && buf.capacity() <= SCRATCH_KEEP
        {
            let _ = AUDIT_REQUEST.try_with(|kept| kept.set(buf));
        }
    }
}
