//! Identity and shape of a simulated device. [`SimConfig::default`] is fully
//! deterministic; [`SimConfig::with_seed`] derives a distinct but reproducible
//! identity (serial, MACs, GUIDs, vHCA id, temperature) from a seed, and
//! [`SimConfig::fleet`] makes several distinct devices.

use std::fmt;

/// A firmware version `major.minor.subminor` (e.g. 28.39.1002), encoded in MCQI
/// as `major << 24 | minor << 16 | subminor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FwVersion {
    /// Major (product generation), 0..=255.
    pub major: u8,
    /// Minor, 0..=255.
    pub minor: u8,
    /// Sub-minor.
    pub subminor: u16,
}

impl FwVersion {
    /// The 32-bit encoding used by MCQI's `version` field.
    pub fn encoded(self) -> u32 {
        (u32::from(self.major) << 24) | (u32::from(self.minor) << 16) | u32::from(self.subminor)
    }
}

impl fmt::Display for FwVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{:04}", self.major, self.minor, self.subminor)
    }
}

impl std::str::FromStr for FwVersion {
    type Err = ConfigError;
    fn from_str(s: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::FwVersion(s.to_string());
        let mut it = s.trim().split('.');
        let mut next = || it.next().ok_or_else(bad);
        let major = next()?.parse().map_err(|_| bad())?;
        let minor = next()?.parse().map_err(|_| bad())?;
        let subminor = next()?.parse().map_err(|_| bad())?;
        if it.next().is_some() {
            return Err(bad());
        }
        Ok(FwVersion { major, minor, subminor })
    }
}

/// The ConnectX generation a simulated device presents: its PCI device id,
/// board id (PSID), firmware version line and the features that set its
/// capability pages and the commands it knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// ConnectX-6 Dx (PCI 15b3:101d, firmware 22.x): no MACsec, no DPA, no emulation.
    ConnectX6Dx,
    /// ConnectX-7 (PCI 15b3:1021, firmware 28.x), the default.
    #[default]
    ConnectX7,
    /// BlueField-3 DPU (PCI 15b3:a2dc, firmware 32.x): adds the DPA and device emulation.
    BlueField3,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [Profile::ConnectX6Dx, Profile::ConnectX7, Profile::BlueField3];

    /// Short name used in configurations: `cx6dx`, `cx7`, `bf3`.
    pub fn name(self) -> &'static str {
        match self {
            Profile::ConnectX6Dx => "cx6dx",
            Profile::ConnectX7 => "cx7",
            Profile::BlueField3 => "bf3",
        }
    }

    /// Marketing name, as MGIR's `device_hw_revision` tools print it next to.
    pub fn product(self) -> &'static str {
        match self {
            Profile::ConnectX6Dx => "ConnectX-6 Dx",
            Profile::ConnectX7 => "ConnectX-7",
            Profile::BlueField3 => "BlueField-3",
        }
    }

    /// Parse `cx6dx` / `cx7` / `bf3` (case-insensitive).
    pub fn from_name(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(s.trim()))
    }

    /// PCI device id (MGIR `device_id`).
    pub fn device_id(self) -> u16 {
        match self {
            Profile::ConnectX6Dx => 0x101d,
            Profile::ConnectX7 => 0x1021,
            Profile::BlueField3 => 0xa2dc,
        }
    }

    /// Hardware revision (MGIR `device_hw_revision`).
    pub fn hw_revision(self) -> u16 {
        match self {
            Profile::ConnectX6Dx => 0x00,
            Profile::ConnectX7 => 0x00,
            Profile::BlueField3 => 0x01,
        }
    }

    /// Sample PSID of the profile's reference board.
    pub fn psid(self) -> &'static str {
        match self {
            Profile::ConnectX6Dx => "MT_0000000359",
            Profile::ConnectX7 => "MT_0000000838",
            Profile::BlueField3 => "MT_0000000884",
        }
    }

    /// Firmware version of the profile's line.
    pub fn fw_version(self) -> FwVersion {
        match self {
            Profile::ConnectX6Dx => FwVersion { major: 22, minor: 39, subminor: 1002 },
            Profile::ConnectX7 => FwVersion { major: 28, minor: 39, subminor: 1002 },
            Profile::BlueField3 => FwVersion { major: 32, minor: 39, subminor: 1002 },
        }
    }

    /// Whether the device has `feature` (a command of a missing feature is BAD_OP).
    pub fn has(self, feature: crate::prm::queries::Feature) -> bool {
        use crate::prm::queries::Feature as F;
        match feature {
            F::Always => true,
            F::Emulation | F::Dpa => self == Profile::BlueField3,
            F::Fpga | F::Capi | F::Nvmf | F::Regexp => false,
        }
    }

    /// MACsec offload (ConnectX-7 and BlueField-3).
    pub fn has_macsec(self) -> bool {
        self != Profile::ConnectX6Dx
    }
}

/// An invalid simulator configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The PSID must be 1..=16 ASCII characters.
    #[error("PSID '{0}' must be 1 to 16 ASCII characters")]
    Psid(String),
    /// The serial must be 1..=64 ASCII characters.
    #[error("serial '{0}' must be 1 to 64 ASCII characters")]
    Serial(String),
    /// The node description must be at most 64 ASCII bytes.
    #[error("node description must be at most 64 ASCII bytes")]
    NodeDescription,
    /// Ports must be 1..=4.
    #[error("number of ports {0} must be 1 to 4")]
    Ports(u8),
    /// A version that does not parse as `major.minor.subminor`.
    #[error("firmware version '{0}' must look like 28.39.1002 (major, minor <= 255)")]
    FwVersion(String),
    /// Diagnostic counter ids must be non-zero and unique.
    #[error("diagnostic counter ids must be non-zero and unique")]
    DiagnosticCounters,
    /// Limits that make no sense.
    #[error("{0}")]
    Limit(&'static str),
    /// The driver's probe (QUERY_HCA_CAP) failed.
    #[error("probe failed: {0}")]
    Probe(String),
}

/// Everything configurable about one simulated device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// Device generation (identity, features, caps).
    pub profile: Profile,
    /// Seed of everything derived (counters' starting values, serial, MACs...).
    pub seed: u64,
    /// Board id, e.g. `MT_0000000838`.
    pub psid: String,
    /// Firmware version.
    pub fw_version: FwVersion,
    /// PCI parent device.
    pub pci_address: String,
    /// Board serial number.
    pub serial: String,
    /// MAC of port 1; port n uses this + n - 1; VFs follow the ports.
    pub base_mac: [u8; 6],
    /// Physical ports (1..=4).
    pub num_ports: u8,
    /// Virtual functions (each has a vport and a function id 1..=num_vfs).
    pub num_vfs: u16,
    /// The `uctx_cap` the device offers (§3): 0x4 = TOOLS_RESOURCES.
    pub uctx_cap: u32,
    /// This function's vHCA id.
    pub vhca_id: u16,
    /// Hardware MTU of the vports.
    pub mtu: u16,
    /// Initial NODE_DESC.
    pub node_description: String,
    /// Device clock.
    pub device_frequency_khz: u32,
    /// log2 of the largest command message.
    pub log_max_msg: u8,
    /// Diagnostic counter ids listed in the DEBUG cap page.
    pub diagnostic_counters: Vec<u16>,
    /// Most user contexts alive at once; CREATE_UCTX beyond it fails NO_RES.
    pub max_uctx: usize,
    /// Board temperature in °C.
    pub temperature_c: i16,
    /// Packets of simulated traffic per command executed (drives counters).
    pub packets_per_command: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            profile: Profile::ConnectX7,
            seed: 0,
            psid: "MT_0000000838".into(),
            fw_version: FwVersion { major: 28, minor: 39, subminor: 1002 },
            pci_address: "0000:08:00.0".into(),
            serial: "MT2251X00001".into(),
            base_mac: [0x0c, 0x42, 0xa1, 0x00, 0x00, 0x10],
            num_ports: 2,
            num_vfs: 2,
            uctx_cap: 0x7,
            vhca_id: 0,
            mtu: 1500,
            node_description: "fwctl-sim mlx5_0".into(),
            device_frequency_khz: 156_250,
            log_max_msg: 30,
            diagnostic_counters: vec![0x0401, 0x0402, 0x0403, 0x0404, 0x1001, 0x1002, 0x1003, 0x1004],
            max_uctx: 1024,
            temperature_c: 45,
            packets_per_command: 100,
        }
    }
}

/// SplitMix64: a tiny, well-distributed, dependency-free generator.
pub(crate) fn mix(seed: u64, salt: u64) -> u64 {
    let mut z = seed.wrapping_add(salt.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl SimConfig {
    /// The default device of another generation: its PSID, firmware version,
    /// device id and features; everything else as [`SimConfig::default`].
    pub fn for_profile(profile: Profile) -> Self {
        SimConfig {
            profile,
            psid: profile.psid().into(),
            fw_version: profile.fw_version(),
            ..SimConfig::default()
        }
    }

    /// The default device with identity derived from `seed` (seed 0 = the default).
    pub fn with_seed(seed: u64) -> Self {
        let mut c = SimConfig::default();
        if seed == 0 {
            return c;
        }
        c.seed = seed;
        let r = mix(seed, 1);
        c.serial = format!("MT{:04}X{:05}", 2200 + (r % 100), (r >> 8) % 100_000);
        let m = mix(seed, 2);
        c.base_mac = [0x0c, 0x42, 0xa1, (m >> 16) as u8, (m >> 8) as u8, (m as u8) & 0xf0];
        c.vhca_id = (mix(seed, 3) % 64) as u16;
        c.temperature_c = 38 + (mix(seed, 4) % 20) as i16;
        c
    }

    /// `n` devices with distinct identities: seeds `seed..seed+n`, PCI buses
    /// 0x08, 0x09, … and node descriptions `fwctl-sim mlx5_<i>`.
    pub fn fleet(n: usize, seed: u64) -> Vec<SimConfig> {
        (0..n)
            .map(|i| {
                let mut c = SimConfig::with_seed(seed.wrapping_add(i as u64));
                c.pci_address = format!("0000:{:02x}:00.0", 0x08 + i);
                c.node_description = format!("fwctl-sim mlx5_{i}");
                if i > 0 && c.serial == SimConfig::default().serial {
                    c.serial = format!("MT2251X{:05}", i + 1);
                }
                // Keep MACs apart even if two seeds collide in the mixed bits.
                c.base_mac[4] = c.base_mac[4].wrapping_add(i as u8);
                c
            })
            .collect()
    }

    /// Check every field; the device constructor calls this.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.psid.is_empty() || self.psid.len() > 16 || !self.psid.is_ascii() {
            return Err(ConfigError::Psid(self.psid.clone()));
        }
        if self.serial.is_empty() || self.serial.len() > 64 || !self.serial.is_ascii() {
            return Err(ConfigError::Serial(self.serial.clone()));
        }
        if self.node_description.len() > 64 || !self.node_description.is_ascii() {
            return Err(ConfigError::NodeDescription);
        }
        if !(1..=4).contains(&self.num_ports) {
            return Err(ConfigError::Ports(self.num_ports));
        }
        let mut ids = self.diagnostic_counters.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != self.diagnostic_counters.len() || ids.contains(&0) || ids.len() > 1000 {
            return Err(ConfigError::DiagnosticCounters);
        }
        if self.max_uctx == 0 || self.max_uctx > 0xfffe {
            return Err(ConfigError::Limit("max_uctx must be 1 to 65534"));
        }
        if self.log_max_msg > 31 {
            return Err(ConfigError::Limit("log_max_msg must fit 5 bits"));
        }
        Ok(())
    }

    /// MAC of a vport: 0 is the PF (port 1's MAC), 1..=num_vfs the VFs.
    pub fn vport_mac(&self, vport: u16) -> u64 {
        let base = self.base_mac.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b));
        let offset = if vport == 0 { 0 } else { u64::from(self.num_ports) + u64::from(vport) - 1 };
        (base + offset) & 0xffff_ffff_ffff
    }

    /// MAC of a physical port (1-based).
    pub fn port_mac(&self, port: u8) -> u64 {
        let base = self.base_mac.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b));
        (base + u64::from(port.saturating_sub(1))) & 0xffff_ffff_ffff
    }
}
