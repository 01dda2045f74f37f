//! The mlx5 fwctl driver (drivers/fwctl/mlx5/main.c) over the simulated firmware:
//! a user context per open (CREATE_UCTX / DESTROY_UCTX), FWCTL_INFO's
//! `fwctl_info_mlx5`, and the RPC path: length check, allow-list, uid stamping,
//! delivery with in-band firmware status.

use std::sync::Arc;

use fwctl_subsys::driver::{
    DeviceIdentity, DeviceStatus, Driver, DriverContext, RegisterAccess, RpcDescription, RpcResponse,
};
use fwctl_uapi::{DeviceType, FwctlInfoMlx5};
use fwctl_uapi::{Errno, RpcScope};
use zerocopy::IntoBytes;

use crate::allow_list;
use crate::config::{ConfigError, SimConfig};
use crate::firmware::{FaultHandle, Firmware};
use crate::prm::caps::{self, CapMode, UCTX_CAP_TOOLS_RESOURCES};
use crate::prm::commands::{access_reg, hca_cap, mbox_in, mbox_out, uctx};
use crate::prm::{self, build, decode, opcode, registers};

/// The size of `mbox_in_hdr` / `mbox_out_hdr`: shorter buffers are `EMSGSIZE`.
pub const MBOX_HDR_LEN: usize = 16;

/// A simulated mlx5 device: the fwctl driver bound to its own firmware.
/// Cloning shares the device (use a clone to keep the fault handle and counters
/// after handing the device to a [`fwctl_subsys::Subsystem`]).
#[derive(Debug, Clone)]
pub struct Mlx5Device {
    fw: Arc<Firmware>,
    /// `MLX5_CAP_GEN(mdev, uctx_cap)`, read once at probe as mlx5_core caches it.
    uctx_cap: u32,
}

impl Mlx5Device {
    /// Power on a device and probe it (QUERY_HCA_CAP GENERAL, current values).
    pub fn new(config: SimConfig) -> Result<Mlx5Device, ConfigError> {
        let fw = Arc::new(Firmware::new(config)?);
        let req = build::query_hca_cap(caps::GENERAL, CapMode::Cur);
        let mut out = vec![0u8; hca_cap::QUERY_OUT.bytes];
        fw.execute(&req, &mut out).map_err(|e| ConfigError::Probe(e.to_string()))?;
        let status = mbox_out::STATUS.get(&out) as u8;
        if status != prm::status::OK {
            return Err(ConfigError::Probe(prm::status_name(status).to_string()));
        }
        let uctx_cap = caps::general::UCTX_CAP.get(&out[hca_cap::CAPABILITY_BYTE..]) as u32;
        Ok(Mlx5Device { fw, uctx_cap })
    }

    /// `n` devices with distinct identities ([`SimConfig::fleet`]).
    pub fn fleet(n: usize, seed: u64) -> Result<Vec<Mlx5Device>, ConfigError> {
        SimConfig::fleet(n, seed).into_iter().map(Mlx5Device::new).collect()
    }

    /// This device as a driver for [`fwctl_subsys::Subsystem::register`].
    pub fn into_driver(self) -> Arc<dyn Driver> {
        Arc::new(self)
    }

    /// The simulated firmware (state, traffic, uid table).
    pub fn firmware(&self) -> &Arc<Firmware> {
        &self.fw
    }

    /// The fault-injection handle.
    pub fn faults(&self) -> FaultHandle {
        self.fw.faults()
    }

    /// Commands the firmware has seen so far.
    pub fn commands_seen(&self) -> u64 {
        self.fw.commands_seen()
    }

    /// The uctx caps an open handle gets: TOOLS_RESOURCES when the device offers it.
    pub fn open_caps(&self) -> u32 {
        if self.uctx_cap & UCTX_CAP_TOOLS_RESOURCES != 0 { UCTX_CAP_TOOLS_RESOURCES } else { 0 }
    }

    /// Run a kernel-identity command (header uid 0) as `mlx5_cmd_exec` does:
    /// transport errors and non-OK status both become errnos.
    fn exec_kernel(&self, req: &[u8], out_len: usize) -> Result<Vec<u8>, Errno> {
        let mut out = vec![0u8; out_len];
        self.fw.execute(req, &mut out).map_err(|e| e.errno())?;
        match prm::status_errno(mbox_out::STATUS.get(&out) as u8) {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }
}

impl Driver for Mlx5Device {
    fn device_type(&self) -> DeviceType {
        DeviceType::Mlx5
    }

    fn identity(&self) -> DeviceIdentity {
        let c = self.fw.config();
        DeviceIdentity {
            driver: "mlx5_fwctl".into(),
            parent: Some(c.pci_address.clone()),
            fw_version: Some(c.fw_version.to_string()),
            serial: Some(c.serial.clone()),
            psid: Some(c.psid.clone()),
        }
    }

    /// `mlx5ctl_open_uctx`: CREATE_UCTX with caps 0x4 when offered, else 0.
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        let caps = self.open_caps();
        let out = self.exec_kernel(&build::create_uctx(caps), uctx::CREATE_OUT.bytes)?;
        let uid = uctx::CREATE_OUT_UID.get(&out) as u16;
        Ok(Box::new(Mlx5Context { fw: self.fw.clone(), uid, caps }))
    }

    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        if request.len() < MBOX_HDR_LEN {
            return Err(Errno::EMSGSIZE);
        }
        let opcode = mbox_in::OPCODE.get(request) as u16;
        let op_mod = mbox_in::OP_MOD.get(request) as u16;
        let register = matches!(opcode, opcode::ACCESS_REG | opcode::ACCESS_REGISTER_USER).then(|| {
            let id = access_reg::REGISTER_ID.get(request) as u16;
            RegisterAccess {
                id: u32::from(id),
                name: registers::register_name(id).map(Into::into),
                write: op_mod == access_reg::OP_MOD_WRITE,
            }
        });
        let implemented = decode::command_layouts(opcode).is_some();
        Ok(RpcDescription {
            opcode: u32::from(opcode),
            op_mod: u32::from(op_mod),
            name: prm::opcode_name(opcode).map(Into::into),
            min_scope: allow_list::min_scope(opcode, op_mod),
            effects: allow_list::effects(opcode, op_mod),
            expected_out_len: if implemented {
                decode::expected_response_len(request, self.fw.config().diagnostic_counters.len())
            } else {
                None
            },
            register,
        })
    }

    fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        decode_status(response)
    }
}

/// The status byte and syndrome of a response (driver-synthesised 0xfe included).
pub fn decode_status(response: &[u8]) -> Option<DeviceStatus> {
    if response.len() < 8 {
        return None;
    }
    let code = mbox_out::STATUS.get(response) as u8;
    Some(DeviceStatus {
        code: u32::from(code),
        name: prm::status_name(code).into(),
        syndrome: Some(mbox_out::SYNDROME.get(response) as u32),
        ok: code == prm::status::OK,
    })
}

/// A response's status in words: `BAD_PARAM_ERR (0x3), syndrome 0x5d1f0003
/// BAD_FIELD: a request field is out of range …`, naming the register for
/// register accesses. `None` when the response has no header.
pub fn explain(request: &[u8], response: &[u8]) -> Option<String> {
    let st = decode_status(response)?;
    let code = st.code as u8;
    let mut text = format!("{} ({:#x}): {}", st.name, code, prm::status_explanation(code));
    if let Some(syn) = st.syndrome.filter(|_| !st.ok) {
        text.push_str(&format!("; syndrome {syn:#010x}"));
        if let Some((name, why)) = crate::firmware::syndrome::describe(syn) {
            text.push_str(&format!(" {name}: {why}"));
        }
    }
    let opcode = mbox_in::OPCODE.get(request) as u16;
    if !st.ok && matches!(opcode, opcode::ACCESS_REG | opcode::ACCESS_REGISTER_USER) {
        let id = access_reg::REGISTER_ID.get(request) as u16;
        let name = registers::register_name(id).unwrap_or("unknown");
        text.push_str(&format!(" (register {name}, id {id:#06x})"));
    }
    Some(text)
}

/// One open handle: its firmware uid and caps.
#[derive(Debug)]
pub struct Mlx5Context {
    fw: Arc<Firmware>,
    uid: u16,
    caps: u32,
}

impl Mlx5Context {
    /// The firmware uid stamped into this handle's commands.
    pub fn uid(&self) -> u16 {
        self.uid
    }
}

impl DriverContext for Mlx5Context {
    fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
        let info = FwctlInfoMlx5 { uid: u32::from(self.uid), uctx_caps: self.caps };
        Some(Ok(info.as_bytes().to_vec()))
    }

    /// `mlx5ctl_fw_rpc`.
    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno> {
        if request.len() < MBOX_HDR_LEN || out_capacity < MBOX_HDR_LEN {
            return Err(Errno::EMSGSIZE);
        }
        let opcode = mbox_in::OPCODE.get(request) as u16;
        let op_mod = mbox_in::OP_MOD.get(request) as u16;
        if !allow_list::allowed(opcode, op_mod, scope) {
            return Err(Errno::EBADMSG);
        }
        // The uid is forced: whatever the caller put in bytes 2–3 is overwritten.
        mbox_in::UID.set(request, u64::from(self.uid));
        if out_capacity <= request.len() {
            // The kernel reuses the input buffer; the cmd layer copied the input first.
            let input = request.to_vec();
            self.fw.execute(&input, &mut request[..out_capacity]).map_err(|e| e.errno())?;
            Ok(RpcResponse::InPlace(out_capacity))
        } else {
            // Zeroed, as the kernel's kvzalloc.
            let mut out = fwctl_subsys::memory::zeroed_buffer(out_capacity);
            self.fw.execute(request, &mut out).map_err(|e| e.errno())?;
            Ok(RpcResponse::Buffer(out))
        }
    }

    /// `mlx5ctl_close_uctx`: DESTROY_UCTX with the uid in the body; the result is
    /// only logged in the kernel, so it is ignored here.
    fn close(self: Box<Self>) {
        let mut out = [0u8; MBOX_HDR_LEN];
        let _ = self.fw.execute(&build::destroy_uctx(self.uid), &mut out);
    }
}
