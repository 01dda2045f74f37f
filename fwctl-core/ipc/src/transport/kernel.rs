//! The `Kernel` transport: real `FWCTL_INFO`/`FWCTL_RPC` ioctls on
//! `/dev/fwctl/fwctlN` (Linux ≥ 6.15 with an fwctl driver bound), devices listed
//! from `/sys/class/fwctl`. The only `unsafe` of the transports lives here: the
//! ioctl calls themselves.
#![expect(unsafe_code, reason = "FFI: the ioctl(2) system call")]

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use super::daemon::valid_device_name;
use super::{Channel, Transport, TransportKind};
use fwctl_subsys::driver::{DeviceIdentity, DeviceStatus, RpcDescription};
use fwctl_subsys::ioctl::{DryRun, InfoResult, RpcResult};
use fwctl_subsys::subsystem::{DeviceState, DeviceSummary, DeviceView};
use fwctl_uapi::errno::Errno;
use fwctl_uapi::{DeviceType, FwctlInfo, FwctlRpc, TAINT_FWCTL_MASK};

mod sys {
    use fwctl_uapi::{FWCTL_INFO, FWCTL_RPC, FwctlInfo, FwctlRpc};
    nix::ioctl_readwrite_bad!(
        /// `ioctl(fd, FWCTL_INFO, &info)`: the number is `_IO` (no size bits), hence "bad".
        fwctl_info_ioctl,
        FWCTL_INFO,
        FwctlInfo
    );
    nix::ioctl_readwrite_bad!(
        /// `ioctl(fd, FWCTL_RPC, &rpc)`.
        fwctl_rpc_ioctl,
        FWCTL_RPC,
        FwctlRpc
    );
}
use sys::{fwctl_info_ioctl, fwctl_rpc_ioctl};

/// Where the kernel exposes fwctl.
#[derive(Debug, Clone)]
pub struct Kernel {
    dev_dir: PathBuf,
    sys_dir: PathBuf,
}

impl Default for Kernel {
    fn default() -> Self {
        Kernel::new("/dev/fwctl", "/sys/class/fwctl")
    }
}

impl Kernel {
    /// Device nodes under `dev_dir`, class directory `sys_dir`.
    pub fn new(dev_dir: impl Into<PathBuf>, sys_dir: impl Into<PathBuf>) -> Self {
        Kernel { dev_dir: dev_dir.into(), sys_dir: sys_dir.into() }
    }

    /// Whether at least one fwctl device node exists.
    pub fn available(&self) -> bool {
        std::fs::read_dir(&self.dev_dir)
            .map(|d| d.flatten().any(|e| e.file_name().to_str().is_some_and(valid_device_name)))
            .unwrap_or(false)
    }

    fn open_file(&self, name: &str) -> Result<File, Errno> {
        if !valid_device_name(name) {
            return Err(Errno::ENODEV);
        }
        OpenOptions::new().read(true).write(true).open(self.dev_dir.join(name)).map_err(|e| {
            match e.raw_os_error().and_then(Errno::from_code) {
                Some(Errno::ENOENT) => Errno::ENODEV,
                Some(e) => e,
                None => Errno::EIO,
            }
        })
    }
}

fn minor_of(name: &str) -> Option<u32> {
    fwctl_uapi::DeviceName::from_name(name).map(fwctl_uapi::DeviceName::minor)
}

fn parent_of(sys: &Path) -> Option<String> {
    let target = std::fs::read_link(sys.join("device")).ok()?;
    Some(target.file_name()?.to_string_lossy().into_owned())
}

impl Transport for Kernel {
    fn kind(&self) -> TransportKind {
        TransportKind::Kernel
    }

    fn list(&self) -> Result<Vec<DeviceSummary>, Errno> {
        let dir = std::fs::read_dir(&self.sys_dir).map_err(|_| Errno::ENOENT)?;
        let mut out = Vec::new();
        for entry in dir.flatten() {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
            let Some(minor) = minor_of(&name).filter(|_| valid_device_name(&name)) else { continue };
            // sysfs has no type attribute: ask the device when we may open it.
            let device_type = self
                .open_file(&name)
                .ok()
                .and_then(|f| KernelChannel { file: f }.info(&mut []).ok())
                .and_then(|i| DeviceType::from_u32(i.device_type))
                .unwrap_or(DeviceType::Error);
            out.push(DeviceSummary {
                view: DeviceView {
                    minor,
                    name: name.clone(),
                    device_type,
                    identity: DeviceIdentity {
                        driver: "kernel".into(),
                        parent: parent_of(&entry.path()),
                        ..Default::default()
                    },
                },
                state: DeviceState::Live,
                failure: None,
                open_handles: 0,
            });
        }
        out.sort_by_key(|d| d.view.minor);
        Ok(out)
    }

    fn open(&self, name: &str) -> Result<Box<dyn Channel>, Errno> {
        Ok(Box::new(KernelChannel { file: self.open_file(name)? }))
    }

    fn tainted(&self) -> Option<bool> {
        let t = std::fs::read_to_string("/proc/sys/kernel/tainted").ok()?;
        Some(t.trim().parse::<u64>().ok()? & TAINT_FWCTL_MASK != 0)
    }
}

/// An open `/dev/fwctl/fwctlN`.
#[derive(Debug)]
pub struct KernelChannel {
    file: File,
}

impl Channel for KernelChannel {
    fn info(&mut self, device_data: &mut [u8]) -> Result<InfoResult, Errno> {
        let mut arg = FwctlInfo::request(device_data.len(), device_data.as_mut_ptr() as u64)?;
        // SAFETY: `arg` is a valid, exclusively borrowed fwctl_info; the kernel
        // writes at most `device_data_len` bytes at `out_device_data`, which points
        // into `device_data`, alive and exclusively borrowed for the call.
        unsafe { fwctl_info_ioctl(self.file.as_raw_fd(), &mut arg) }.map_err(Errno::from)?;
        Ok(InfoResult { device_type: arg.out_device_type, device_data_len: arg.device_data_len })
    }

    fn rpc(&mut self, scope: u32, request: &[u8], response: &mut [u8]) -> Result<RpcResult, Errno> {
        let mut arg = FwctlRpc::request(
            scope,
            request.len(),
            request.as_ptr() as u64,
            response.len(),
            response.as_mut_ptr() as u64,
        )?;
        // SAFETY: `arg` is a valid fwctl_rpc; the kernel reads `in_len` bytes from
        // `request` and writes at most `out_len` bytes into `response`, both alive
        // for the call and with exactly those lengths.
        unsafe { fwctl_rpc_ioctl(self.file.as_raw_fd(), &mut arg) }.map_err(Errno::from)?;
        Ok(RpcResult { out_len: arg.out_len, description: None, status: None, decision: None })
    }

    fn describe(&mut self, _request: &[u8]) -> Result<RpcDescription, Errno> {
        // The kernel has no describe ioctl.
        Err(Errno::EOPNOTSUPP)
    }

    fn dry_run(&mut self, _scope: u32, _request: &[u8]) -> Result<DryRun, Errno> {
        Err(Errno::EOPNOTSUPP)
    }

    fn decode_status(&mut self, _response: &[u8]) -> Option<DeviceStatus> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_kernel_support_is_reported_not_guessed() {
        let dir = std::env::temp_dir().join(format!("fwctl-kernel-test-{}", std::process::id()));
        let k = Kernel::new(dir.join("dev"), dir.join("sys"));
        assert!(!k.available());
        assert_eq!(k.list().err(), Some(Errno::ENOENT));
        assert_eq!(k.open("fwctl0").err(), Some(Errno::ENODEV));
        assert_eq!(k.open("../etc/passwd").err(), Some(Errno::ENODEV));
    }

    #[test]
    fn a_non_fwctl_node_answers_enotty() {
        // /dev/null exists everywhere and does not implement the fwctl ioctls.
        let mut ch =
            KernelChannel { file: OpenOptions::new().read(true).write(true).open("/dev/null").unwrap() };
        assert_eq!(ch.rpc(0, b"x", &mut [0u8; 4]).err(), Some(Errno::ENOTTY));
        assert_eq!(ch.info(&mut []).err(), Some(Errno::ENOTTY));
    }
}
