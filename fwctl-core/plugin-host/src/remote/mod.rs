//! Plugins out of process: each plugin library runs in its own small host
//! process, and fwctld reaches its devices through ordinary [`Driver`]s that
//! forward every call over a socketpair.
//!
//! - [`host`]: the child side. [`host_main`] sandboxes the process
//!   (`PR_SET_NO_NEW_PRIVS`, every descriptor but its two sockets closed, no
//!   core dumps), loads the library with the race-free [`load`](crate::load),
//!   and serves probe/remove/close on its control socket, and
//!   open/info/describe/decode_status/rpc on call connections fwctld hands it
//!   (`SCM_RIGHTS`), each on a thread of its own. An RPC's writes into the
//!   response buffer are held and sent with the answer, with the response's
//!   status (and on request the description); other caller memory (ABI v2
//!   `copy_from_user`/`copy_to_user` at other addresses) is a callback on the
//!   same connection.
//! - [`client`]: the daemon side. [`PluginHost::spawn`] starts a host,
//!   [`PluginHost::probe`] returns its devices as [`RemoteDriver`]s. A call
//!   takes a pooled connection and is written and read by the calling thread:
//!   one round trip. Every call has a deadline; the call that overruns it gets
//!   `ETIMEDOUT` and the host is killed. When a host dies (a segfault,
//!   `abort`, `exit`, a deadline), its other calls in flight and all later
//!   ones answer `ENODEV`, and the exit hook tells the daemon, which unplugs
//!   the devices and restarts the host with back-off.
//!
//! The protocol is internal (both ends are this crate, from one build): see
//! the private `wire` module (`remote/wire.rs`).
//!
//! [`Driver`]: fwctl_subsys::driver::Driver

pub mod client;
mod conn;
pub mod host;
mod wire;

pub use client::{ExitHook, HostExit, HostOptions, PluginHost, RemoteDriver, RoundTrips, kill_all};
pub use host::{HOST_FLAG, host_main, host_main_from_args};

use std::borrow::Cow;
use std::path::PathBuf;

use fwctl_subsys::driver::{DeviceIdentity, DeviceStatus, Effects, RegisterAccess, RpcDescription};
use fwctl_uapi::{DeviceType, RpcScope};

use crate::loader::PluginInfo;
use wire::{Dec, Enc, Malformed};

fn enc_info(e: Enc, i: &PluginInfo, has_rpc_v2: bool) -> Enc {
    e.str(&i.path.to_string_lossy())
        .str(&i.name)
        .str(&i.version)
        .u32(i.device_type.as_u32())
        .u32(i.abi_version)
        .u32(i.struct_size)
        .u8(u8::from(i.insecure))
        .u8(u8::from(has_rpc_v2))
}

fn dec_info(d: &mut Dec<'_>) -> Result<(PluginInfo, bool), Malformed> {
    let path = PathBuf::from(d.string()?);
    let name = d.string()?;
    let version = d.string()?;
    let device_type = DeviceType::from_u32(d.u32()?).ok_or(Malformed)?;
    let abi_version = d.u32()?;
    let struct_size = d.u32()?;
    let insecure = d.u8()? != 0;
    let v2 = d.u8()? != 0;
    Ok((PluginInfo { path, name, version, device_type, abi_version, struct_size, insecure }, v2))
}

fn enc_identity(e: Enc, id: &DeviceIdentity) -> Enc {
    e.str(&id.driver)
        .opt_str(id.parent.as_deref())
        .opt_str(id.fw_version.as_deref())
        .opt_str(id.serial.as_deref())
        .opt_str(id.psid.as_deref())
}

fn dec_identity(d: &mut Dec<'_>) -> Result<DeviceIdentity, Malformed> {
    Ok(DeviceIdentity {
        driver: d.string()?,
        parent: d.opt_str()?,
        fw_version: d.opt_str()?,
        serial: d.opt_str()?,
        psid: d.opt_str()?,
    })
}

fn enc_description(e: Enc, r: &RpcDescription) -> Enc {
    let e = e
        .u32(r.opcode)
        .u32(r.op_mod)
        .opt_str(r.name.as_deref())
        .opt_u64(r.min_scope.map(|s| u64::from(s.as_u32())))
        .u32(r.effects.bits())
        .opt_u64(r.expected_out_len.map(|n| n as u64));
    match &r.register {
        None => e.u8(0),
        Some(reg) => e.u8(1).u32(reg.id).opt_str(reg.name.as_deref()).u8(u8::from(reg.write)),
    }
}

fn dec_description(d: &mut Dec<'_>) -> Result<RpcDescription, Malformed> {
    let opcode = d.u32()?;
    let op_mod = d.u32()?;
    let name = d.opt_str()?.map(Cow::Owned);
    let min_scope = match d.opt_u64()? {
        None => None,
        Some(v) => Some(u32::try_from(v).ok().and_then(RpcScope::from_u32).ok_or(Malformed)?),
    };
    let effects = Effects::from_bits_truncate(d.u32()?);
    let expected_out_len = d.opt_u64()?.map(|n| usize::try_from(n).map_err(|_| Malformed)).transpose()?;
    let register = match d.u8()? {
        0 => None,
        1 => Some(RegisterAccess { id: d.u32()?, name: d.opt_str()?.map(Cow::Owned), write: d.u8()? != 0 }),
        _ => return Err(Malformed),
    };
    Ok(RpcDescription { opcode, op_mod, name, min_scope, effects, expected_out_len, register })
}

fn enc_status(e: Enc, s: &DeviceStatus) -> Enc {
    e.u32(s.code).str(&s.name).opt_u64(s.syndrome.map(u64::from)).u8(u8::from(s.ok))
}

fn dec_status(d: &mut Dec<'_>) -> Result<DeviceStatus, Malformed> {
    let code = d.u32()?;
    let name = Cow::Owned(d.string()?);
    let syndrome = d.opt_u64()?.map(|s| u32::try_from(s).map_err(|_| Malformed)).transpose()?;
    Ok(DeviceStatus { code, name, syndrome, ok: d.u8()? != 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_and_statuses_round_trip() {
        let r = RpcDescription {
            opcode: 0x101,
            op_mod: 2,
            name: Some("QUERY_HCA_CAP".into()),
            min_scope: Some(RpcScope::Configuration),
            effects: Effects::READ,
            expected_out_len: Some(4096),
            register: Some(RegisterAccess { id: 0x5006, name: Some("PAOS".into()), write: true }),
        };
        let b = enc_description(Enc::new(), &r).0;
        assert_eq!(dec_description(&mut Dec::new(&b)), Ok(r));
        let s = DeviceStatus { code: 2, name: "BAD_OP".into(), syndrome: Some(7), ok: false };
        let b = enc_status(Enc::new(), &s).0;
        assert_eq!(dec_status(&mut Dec::new(&b)), Ok(s));
        // Truncated bodies are refused, never a panic.
        for n in 0..b.len() {
            assert_eq!(dec_status(&mut Dec::new(&b[..n])), Err(Malformed));
        }
    }
}
