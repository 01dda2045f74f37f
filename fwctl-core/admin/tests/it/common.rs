//! Fixtures shared by the policy and audit tests: a describing driver, devices
//! and callers.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use fwctl_subsys::Credentials;
use fwctl_subsys::driver::{
    DeviceIdentity, Driver, DriverContext, Effects, RegisterAccess, RpcDescription, RpcResponse,
};
use fwctl_subsys::subsystem::DeviceView;
use fwctl_uapi::DeviceType;
use fwctl_uapi::{Errno, RpcScope};

/// Request format: byte 0 = opcode, byte 1 = op_mod, byte 2 = the minimum scope
/// the driver demands (0..=3, or 0xff: refused at every scope), byte 3 = register
/// flags (0: none, 1: PAOS read, 2: PAOS write). Opcode 0xee cannot be described.
pub struct TestDriver {
    pub identity: DeviceIdentity,
    pub rpcs: Arc<AtomicUsize>,
}

impl TestDriver {
    pub fn new(fw: &str) -> Self {
        TestDriver {
            identity: DeviceIdentity {
                driver: "test".into(),
                parent: Some("0000:08:00.0".into()),
                fw_version: Some(fw.into()),
                serial: None,
                psid: None,
            },
            rpcs: Arc::new(AtomicUsize::new(0)),
        }
    }
}

pub const PAOS: u32 = 0x5006;

pub fn describe(request: &[u8]) -> Result<RpcDescription, Errno> {
    let b = |i: usize| request.get(i).copied().unwrap_or(0);
    if b(0) == 0xee {
        return Err(Errno::EOPNOTSUPP);
    }
    let name: Option<Cow<'static, str>> = match b(0) {
        0x01 => Some("QUERY_HCA_CAP".into()),
        0x02 => Some("QUERY_ADAPTER".into()),
        0x05 => Some("ACCESS_REG".into()),
        0x06 => Some("QUERY_DIAGNOSTIC_COUNTERS".into()),
        _ => None,
    };
    let register = match b(3) {
        1 => Some(RegisterAccess { id: PAOS, name: Some("PAOS".into()), write: false }),
        2 => Some(RegisterAccess { id: PAOS, name: Some("PAOS".into()), write: true }),
        _ => None,
    };
    Ok(RpcDescription {
        opcode: u32::from(b(0)),
        op_mod: u32::from(b(1)),
        name,
        min_scope: RpcScope::from_u32(u32::from(b(2))),
        effects: Effects::READ,
        expected_out_len: None,
        register,
    })
}

pub fn req(opcode: u8, op_mod: u8, min: RpcScope, reg: u8) -> Vec<u8> {
    vec![opcode, op_mod, min as u8, reg]
}

impl Driver for TestDriver {
    fn device_type(&self) -> DeviceType {
        DeviceType::Mlx5
    }
    fn identity(&self) -> DeviceIdentity {
        self.identity.clone()
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(Ctx { rpcs: self.rpcs.clone() }))
    }
    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        describe(request)
    }
}

struct Ctx {
    rpcs: Arc<AtomicUsize>,
}

impl DriverContext for Ctx {
    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], _cap: usize) -> Result<RpcResponse, Errno> {
        self.rpcs.fetch_add(1, Ordering::SeqCst);
        if let Ok(d) = describe(request)
            && !d.allowed_at(scope)
        {
            return Err(Errno::EBADMSG);
        }
        Ok(RpcResponse::InPlace(request.len()))
    }
    fn close(self: Box<Self>) {}
}

pub fn device(minor: u32, ty: DeviceType, parent: Option<&str>, fw: Option<&str>) -> DeviceView {
    DeviceView {
        minor,
        name: format!("fwctl{minor}"),
        device_type: ty,
        identity: DeviceIdentity {
            driver: "test".into(),
            parent: parent.map(str::to_string),
            fw_version: fw.map(str::to_string),
            serial: None,
            psid: None,
        },
    }
}

pub fn user(uid: u32, gid: u32, groups: &[u32], cap: bool) -> Credentials {
    Credentials {
        uid,
        gid,
        groups: groups.to_vec(),
        pid: 4242,
        comm: "tester".into(),
        cap_sys_rawio: cap,
        ..Credentials::default()
    }
}

pub fn root() -> Credentials {
    user(0, 0, &[], true)
}

/// A fresh scratch directory under the target dir (never /etc or /var).
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fwctl-test-{}-{name}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn unique() -> usize {
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}
