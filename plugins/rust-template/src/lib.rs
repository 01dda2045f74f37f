//! A template fwctl vendor plugin in Rust: copy this crate, rename it, and
//! replace the register-file device with your driver logic.
//!
//! The device is a bank of 16 registers. Its RPC format (native byte order):
//! request `[u32 opcode][u32 register][u32 value]`, response `[u32 status][u32 value]`.
//!
//! | opcode | command   | minimum scope   | effects      |
//! |--------|-----------|-----------------|--------------|
//! | 1      | READ_REG  | configuration   | read         |
//! | 2      | WRITE_REG | debug-write     | write-debug  |
//!
//! Other opcodes are refused at every scope (`EBADMSG`, as mlx5 does). This
//! table is the security model the plugin documents: which commands run at
//! which scope.
//!
//! Build: `cargo build -p fwctl-plugin-template --release`, which produces
//! `target/release/libfwctl_plugin_template.so`; check it with
//! `fwctl plugin check target/release/libfwctl_plugin_template.so`.

use std::ffi::CStr;
use std::sync::{Arc, Mutex};

use fwctl_plugin_sdk::driver::{DeviceIdentity, Driver, DriverContext, Effects, RpcDescription, RpcResponse};
use fwctl_plugin_sdk::sdk::Plugin;
use fwctl_plugin_sdk::{DeviceType, Errno, RpcScope};

/// `READ_REG`: read one register.
pub const READ_REG: u32 = 1;
/// `WRITE_REG`: write one register.
pub const WRITE_REG: u32 = 2;
/// Number of registers.
pub const REGISTERS: usize = 16;
/// Request length: opcode, register, value.
pub const REQUEST_LEN: usize = 12;
/// Response length: status, value.
pub const RESPONSE_LEN: usize = 8;

/// The plugin: metadata and `probe`.
pub struct TemplatePlugin;

impl Plugin for TemplatePlugin {
    const NAME: &'static CStr = c"rust-template";
    const VERSION: &'static CStr = c"0.1.0";
    // Replace with your device family's fwctl_device_type.
    const DEVICE_TYPE: DeviceType = DeviceType::Pds;

    /// `""` or `devices=N` (1..=4).
    fn probe(config: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        let n = match config {
            "" => 1,
            c => c
                .strip_prefix("devices=")
                .and_then(|n| n.parse().ok())
                .filter(|n| (1..=4).contains(n))
                .ok_or(Errno::EINVAL)?,
        };
        Ok((0..n).map(|i| Arc::new(RegisterFile::new(i)) as Arc<dyn Driver>).collect())
    }
}

fwctl_plugin_sdk::declare_plugin!(TemplatePlugin);

/// One device: a bank of registers shared by all its open handles.
pub struct RegisterFile {
    index: usize,
    regs: Arc<Mutex<[u32; REGISTERS]>>,
}

impl RegisterFile {
    /// Device number `index`, registers zeroed.
    pub fn new(index: usize) -> Self {
        RegisterFile { index, regs: Arc::new(Mutex::new([0; REGISTERS])) }
    }
}

/// A decoded request.
struct Request {
    opcode: u32,
    register: usize,
    value: u32,
}

fn parse(request: &[u8]) -> Result<Request, Errno> {
    let word = |i: usize| -> Result<u32, Errno> {
        let b = request.get(i * 4..i * 4 + 4).ok_or(Errno::EINVAL)?;
        Ok(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
    };
    if request.len() != REQUEST_LEN {
        return Err(Errno::EINVAL);
    }
    let register = word(1)? as usize;
    if register >= REGISTERS {
        return Err(Errno::EINVAL);
    }
    Ok(Request { opcode: word(0)?, register, value: word(2)? })
}

impl Driver for RegisterFile {
    fn device_type(&self) -> DeviceType {
        TemplatePlugin::DEVICE_TYPE
    }

    fn identity(&self) -> DeviceIdentity {
        DeviceIdentity { parent: Some(format!("template:{}", self.index)), ..Default::default() }
    }

    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(Context { regs: self.regs.clone() }))
    }

    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        let r = parse(request)?;
        let (name, min_scope, effects) = match r.opcode {
            READ_REG => ("READ_REG", RpcScope::Configuration, Effects::READ),
            WRITE_REG => ("WRITE_REG", RpcScope::DebugWrite, Effects::WRITE_DEBUG),
            op => return Ok(RpcDescription::unknown(op, 0)),
        };
        Ok(RpcDescription {
            opcode: r.opcode,
            op_mod: 0,
            name: Some(name.into()),
            min_scope: Some(min_scope),
            effects,
            expected_out_len: Some(RESPONSE_LEN),
            register: None,
        })
    }
}

/// One open handle.
struct Context {
    regs: Arc<Mutex<[u32; REGISTERS]>>,
}

impl DriverContext for Context {
    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno> {
        let r = parse(request)?;
        if out_capacity < RESPONSE_LEN {
            return Err(Errno::EINVAL);
        }
        let min = match r.opcode {
            READ_REG => RpcScope::Configuration,
            WRITE_REG => RpcScope::DebugWrite,
            _ => return Err(Errno::EBADMSG),
        };
        if scope < min {
            return Err(Errno::EBADMSG);
        }
        let mut regs = self.regs.lock().unwrap_or_else(|e| e.into_inner());
        if r.opcode == WRITE_REG {
            regs[r.register] = r.value;
        }
        let mut out = Vec::with_capacity(RESPONSE_LEN);
        out.extend_from_slice(&0u32.to_ne_bytes());
        out.extend_from_slice(&regs[r.register].to_ne_bytes());
        Ok(RpcResponse::Buffer(out))
    }

    fn close(self: Box<Self>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(op: u32, reg: u32, val: u32) -> Vec<u8> {
        [op, reg, val].iter().flat_map(|w| w.to_ne_bytes()).collect()
    }

    #[test]
    fn write_needs_debug_write_and_read_sees_it() -> Result<(), Errno> {
        let dev = RegisterFile::new(0);
        let ctx = dev.open()?;
        assert_eq!(ctx.fw_rpc(RpcScope::DebugReadOnly, &mut req(WRITE_REG, 3, 9), 8), Err(Errno::EBADMSG));
        ctx.fw_rpc(RpcScope::DebugWrite, &mut req(WRITE_REG, 3, 9), 8)?;
        let out = ctx.fw_rpc(RpcScope::Configuration, &mut req(READ_REG, 3, 0), 8)?;
        assert_eq!(out, RpcResponse::Buffer([0u32, 9].iter().flat_map(|w| w.to_ne_bytes()).collect()));
        assert_eq!(ctx.fw_rpc(RpcScope::Configuration, &mut req(READ_REG, 16, 0), 8), Err(Errno::EINVAL));
        ctx.close();
        Ok(())
    }
}
