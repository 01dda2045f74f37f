//! The mlx5 simulator exported as a fwctl plugin through the Rust SDK.
//!
//! The same [`Mlx5Device`] driver that is linked in with
//! `Subsystem::register(dev.into_driver())` is exported from this crate's
//! `cdylib` (`libfwctl_mlx5_sim.so`) as `fwctl_plugin_v1`, so the loader can
//! create simulated devices at run time. Probe configuration:
//!
//! - `""`: one device with [`SimConfig::default`];
//! - `devices=N`: `N` devices (1..=16) from [`SimConfig::fleet`] with seed 0;
//! - `devices=N,seed=S`: the same with seed `S`.
//!
//! Anything else is `EINVAL`.

use std::ffi::CStr;
use std::sync::Arc;

use fwctl_core::driver::Driver;
use fwctl_core::plugin::sdk::Plugin;
use fwctl_core::{DeviceType, Errno};

use crate::{Mlx5Device, SimConfig};

/// Most devices one probe creates.
pub const MAX_PROBE_DEVICES: usize = 16;

/// The plugin: `probe` powers on simulated devices.
#[derive(Debug)]
pub struct Mlx5SimPlugin;

/// Parse a probe configuration into the device configurations it asks for.
pub fn parse_config(config: &str) -> Result<Vec<SimConfig>, Errno> {
    if config.is_empty() {
        return Ok(vec![SimConfig::default()]);
    }
    let (mut devices, mut seed) = (None, 0u64);
    for item in config.split(',') {
        let (key, value) = item.split_once('=').ok_or(Errno::EINVAL)?;
        match key {
            "devices" if devices.is_none() => {
                devices = Some(value.parse::<usize>().map_err(|_| Errno::EINVAL)?)
            }
            "seed" => seed = value.parse().map_err(|_| Errno::EINVAL)?,
            _ => return Err(Errno::EINVAL),
        }
    }
    let n = devices.filter(|n| (1..=MAX_PROBE_DEVICES).contains(n)).ok_or(Errno::EINVAL)?;
    Ok(SimConfig::fleet(n, seed))
}

impl Plugin for Mlx5SimPlugin {
    const NAME: &'static CStr = c"mlx5-sim";
    const VERSION: &'static CStr = c"0.1.0";
    const DEVICE_TYPE: DeviceType = DeviceType::Mlx5;

    fn probe(config: &str) -> Result<Vec<Arc<dyn Driver>>, Errno> {
        parse_config(config)?
            .into_iter()
            .map(|c| Mlx5Device::new(c).map(Mlx5Device::into_driver).map_err(|_| Errno::EINVAL))
            .collect()
    }
}

fwctl_core::declare_plugin!(Mlx5SimPlugin);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configurations_parse_or_are_einval() {
        assert_eq!(parse_config(""), Ok(vec![SimConfig::default()]));
        assert_eq!(parse_config("devices=3").map(|v| v.len()), Ok(3));
        assert_eq!(parse_config("devices=2,seed=7"), Ok(SimConfig::fleet(2, 7)));
        for bad in
            ["devices=0", "devices=17", "seed=1", "devices=2,devices=3", "devices", "x=1", "devices=2,"]
        {
            assert_eq!(parse_config(bad), Err(Errno::EINVAL), "{bad}");
        }
    }
}
