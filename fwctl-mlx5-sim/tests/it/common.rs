//! Shared helpers: a subsystem with one simulated device, and raw RPCs.
#![allow(dead_code, clippy::unwrap_used)] // shared by several test binaries; tests may unwrap

use fwctl_core::{Credentials, Errno, Handle, RpcScope, Subsystem};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig};

pub const CONF: RpcScope = RpcScope::Configuration;
pub const DRO: RpcScope = RpcScope::DebugReadOnly;
pub const DW: RpcScope = RpcScope::DebugWrite;

pub struct Rig {
    pub fwctl: Subsystem,
    pub dev: Mlx5Device,
    pub minor: u32,
    pub me: Credentials,
}

impl Rig {
    pub fn new(config: SimConfig) -> Rig {
        let dev = Mlx5Device::new(config).unwrap();
        let fwctl = Subsystem::new();
        fwctl.set_log(std::sync::Arc::new(|_: &str| {}));
        let minor = fwctl.register(dev.clone().into_driver()).unwrap();
        Rig { fwctl, dev, minor, me: Credentials::default() }
    }

    pub fn default() -> Rig {
        Rig::new(SimConfig::default())
    }

    pub fn open(&self) -> Handle {
        self.fwctl.open(self.minor, &self.me).unwrap()
    }

    /// One RPC; returns the response buffer (out_len bytes) on success.
    pub fn rpc(&self, h: &Handle, scope: RpcScope, req: &[u8], out_len: usize) -> Result<Vec<u8>, Errno> {
        let mut out = vec![0u8; out_len];
        let r = h.rpc(&self.me, scope as u32, req, &mut out)?;
        assert_eq!(r.out_len as usize, out_len, "mlx5 returns the full out_len");
        Ok(out)
    }
}

/// A zeroed request with opcode and op_mod written byte by byte (big endian).
pub fn req(opcode: u16, op_mod: u16, len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len];
    b[0..2].copy_from_slice(&opcode.to_be_bytes());
    b[6..8].copy_from_slice(&op_mod.to_be_bytes());
    b
}

pub fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

pub fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

pub fn be64(b: &[u8], at: usize) -> u64 {
    u64::from_be_bytes(b[at..at + 8].try_into().unwrap())
}

/// (status, syndrome) of a response.
pub fn status(out: &[u8]) -> (u8, u32) {
    (out[0], be32(out, 4))
}
