//! The mlx5 simulator exported as a fwctl plugin through the Rust SDK.
//!
//! The same [`Mlx5Device`] driver that is linked in with
//! `Subsystem::register(dev.into_driver())` is exported from this crate's
//! `cdylib` (`libfwctl_mlx5_sim.so`) as `fwctl_plugin_v1`, so the loader can
//! create simulated devices at run time. Probe configuration:
//!
//! - `""`: one device with [`SimConfig::default`];
//! - `devices=N`: `N` devices (1..=16) from [`SimConfig::fleet`] with seed 0;
//! - `devices=N,seed=S`: the same with seed `S`;
//! - `profile=cx6dx|cx7|bf3` (alone or with the above): the device generation
//!   ([`crate::Profile`]); the default is ConnectX-7.
//!
//! Anything else is `EINVAL`.

use std::ffi::CStr;
use std::sync::Arc;

use fwctl_plugin_sdk::sdk::Plugin;
use fwctl_subsys::driver::Driver;
use fwctl_uapi::{DeviceType, Errno};

use crate::{Mlx5Device, Profile, SimConfig};

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
    let (mut devices, mut seed, mut profile) = (None, None, None);
    for item in config.split(',') {
        let (key, value) = item.split_once('=').ok_or(Errno::EINVAL)?;
        match key {
            "devices" if devices.is_none() => {
                devices = Some(value.parse::<usize>().map_err(|_| Errno::EINVAL)?)
            }
            "seed" => seed = Some(value.parse::<u64>().map_err(|_| Errno::EINVAL)?),
            "profile" if profile.is_none() => profile = Some(Profile::from_name(value).ok_or(Errno::EINVAL)?),
            _ => return Err(Errno::EINVAL),
        }
    }
    let n = match (devices, profile) {
        (Some(n), _) => Some(n),
        // `profile=` alone: one device.
        (None, Some(_)) if seed.is_none() => Some(1),
        _ => None,
    };
    let n = n.filter(|n| (1..=MAX_PROBE_DEVICES).contains(n)).ok_or(Errno::EINVAL)?;
    let mut configs = SimConfig::fleet(n, seed.unwrap_or(0));
    if let Some(p) = profile {
        for c in &mut configs {
            let base = SimConfig::for_profile(p);
            (c.profile, c.psid, c.fw_version) = (p, base.psid, base.fw_version);
        }
    }
    Ok(configs)
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

fwctl_plugin_sdk::declare_plugin!(Mlx5SimPlugin);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configurations_parse_or_are_einval() {
        assert_eq!(parse_config(""), Ok(vec![SimConfig::default()]));
        assert_eq!(parse_config("devices=3").map(|v| v.len()), Ok(3));
        assert_eq!(parse_config("devices=2,seed=7"), Ok(SimConfig::fleet(2, 7)));
        let bf3 = parse_config("profile=bf3").unwrap();
        assert_eq!(
            (bf3.len(), bf3[0].profile, bf3[0].psid.as_str()),
            (1, Profile::BlueField3, "MT_0000000884")
        );
        assert_eq!(parse_config("devices=3,profile=cx6dx").map(|v| v[2].fw_version.major), Ok(22));
        for bad in [
            "devices=0",
            "devices=17",
            "seed=1",
            "devices=2,devices=3",
            "devices",
            "x=1",
            "devices=2,",
            "profile=cx5",
            "profile=cx7,profile=bf3",
        ] {
            assert_eq!(parse_config(bad), Err(Errno::EINVAL), "{bad}");
        }
    }
}
