//! The device state worth keeping between runs (what `reg write`, SET_HCA_CAP,
//! MODIFY_CONG_STATUS and traffic changed), as a versioned, serde-serialisable
//! value. Whoever hosts the device decides where it lives (the embedded CLI
//! beside its taint record, the daemon for its lifetime): [`super::Firmware::snapshot`]
//! takes one, [`super::Firmware::restore`] puts one back.
//!
//! User contexts and the objects they own are not part of it: they die with
//! the handles that created them. The seeded objects are a function of the
//! configuration and are not stored either.

use serde::{Deserialize, Serialize};

use super::state::State;
use crate::prm::registers;

/// The snapshot format version; [`super::Firmware::restore`] refuses others.
pub const SNAPSHOT_VERSION: u32 = 1;

/// A field written to a writable register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterWrite {
    /// Register id.
    pub register: u16,
    /// The index it was written at (port, module, port << 8 | priority).
    pub index: u64,
    /// The register field.
    pub field: String,
    /// Its value.
    pub value: u64,
}

/// One NV-configuration TLV (MNVDA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NvTlv {
    /// `nv_hdr.type`.
    pub tlv_type: u32,
    /// The data written.
    pub data: Vec<u8>,
}

/// A MODIFY_CONG_STATUS setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CongSetting {
    /// Priority 0..=7.
    pub priority: u8,
    /// 1 reaction point, 2 notification point.
    pub protocol: u8,
    /// Congestion control enabled.
    pub enable: bool,
    /// Tagging enabled.
    pub tag_enable: bool,
}

/// A capability page set for another function with SET_HCA_CAP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionCap {
    /// The function (VF number).
    pub function: u16,
    /// The cap type.
    pub cap_type: u16,
    /// The 4096-byte page.
    pub page: Vec<u8>,
}

/// A counter clear: which counter set, and the traffic at the clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clear {
    /// vport (VPORT_COUNTER) or port (PPCNT) number; 0 for congestion statistics.
    pub number: u16,
    /// Traffic when it was cleared.
    pub at: u64,
}

/// The persistent part of a simulated device's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// [`SNAPSHOT_VERSION`].
    pub version: u32,
    /// The configuration's seed, so a snapshot is not put on another device.
    pub seed: u64,
    /// Packets of simulated traffic.
    pub traffic: u64,
    /// PAOS admin status per port.
    pub port_admin: Vec<u8>,
    /// NODE_DESC.
    pub node_desc: Vec<u8>,
    /// Highest temperature recorded (MTMP).
    pub max_temp: u16,
    /// Writable-register fields written.
    pub register_writes: Vec<RegisterWrite>,
    /// NV-configuration TLVs.
    pub nv_config: Vec<NvTlv>,
    /// Congestion-control settings.
    pub cong_status: Vec<CongSetting>,
    /// Pages set for other functions.
    pub function_caps: Vec<FunctionCap>,
    /// VPORT_COUNTER clears.
    pub vport_clears: Vec<Clear>,
    /// PPCNT clears.
    pub port_clears: Vec<Clear>,
    /// QUERY_CONG_STATISTICS clear.
    pub cong_clear: Option<u64>,
}

/// A snapshot that does not fit this device.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Another format version.
    #[error("device state version {found} is not {SNAPSHOT_VERSION}")]
    Version {
        /// The version found.
        found: u32,
    },
    /// Taken from a device with another seed.
    #[error("device state belongs to a device with seed {found}, this one has {expected}")]
    Seed {
        /// The snapshot's seed.
        found: u64,
        /// This device's.
        expected: u64,
    },
    /// A value that cannot belong to this device.
    #[error("device state is inconsistent: {0}")]
    Invalid(String),
}

pub(crate) fn take(s: &State) -> Snapshot {
    Snapshot {
        version: SNAPSHOT_VERSION,
        seed: s.seed,
        traffic: s.traffic,
        port_admin: s.port_admin.clone(),
        node_desc: s.node_desc.to_vec(),
        max_temp: s.max_temp,
        register_writes: s
            .reg_writes
            .iter()
            .flat_map(|((register, index), fields)| {
                fields.iter().map(move |(field, value)| RegisterWrite {
                    register: *register,
                    index: *index,
                    field: (*field).to_string(),
                    value: *value,
                })
            })
            .collect(),
        nv_config: s.nv_config.iter().map(|(t, d)| NvTlv { tlv_type: *t, data: d.clone() }).collect(),
        cong_status: s
            .cong_status
            .iter()
            .map(|((priority, protocol), (enable, tag_enable))| CongSetting {
                priority: *priority,
                protocol: *protocol,
                enable: *enable,
                tag_enable: *tag_enable,
            })
            .collect(),
        function_caps: s
            .other_caps
            .iter()
            .map(|((function, cap_type), page)| FunctionCap {
                function: *function,
                cap_type: *cap_type,
                page: page.clone(),
            })
            .collect(),
        vport_clears: s.vport_cleared.iter().map(|(n, at)| Clear { number: *n, at: *at }).collect(),
        port_clears: s.port_cleared.iter().map(|(n, at)| Clear { number: u16::from(*n), at: *at }).collect(),
        cong_clear: s.cong_cleared,
    }
}

pub(crate) fn put(s: &mut State, snap: &Snapshot) -> Result<(), SnapshotError> {
    if snap.version != SNAPSHOT_VERSION {
        return Err(SnapshotError::Version { found: snap.version });
    }
    if snap.seed != s.seed {
        return Err(SnapshotError::Seed { found: snap.seed, expected: s.seed });
    }
    let bad = |why: &str| SnapshotError::Invalid(why.to_string());
    if snap.port_admin.len() != s.port_admin.len() || snap.port_admin.iter().any(|a| !(1..=2).contains(a)) {
        return Err(bad("port admin states do not match the ports"));
    }
    let node_desc: [u8; 64] =
        snap.node_desc.as_slice().try_into().map_err(|_| bad("node description is not 64 bytes"))?;
    let mut reg_writes = std::collections::BTreeMap::new();
    for w in &snap.register_writes {
        // Field names come back as the layout's own (static) names.
        let field = registers::by_id(w.register)
            .filter(|r| r.writable)
            .and_then(|r| r.layout.field(&w.field))
            .ok_or_else(|| bad(&format!("register {:#06x} has no writable field {}", w.register, w.field)))?;
        reg_writes
            .entry((w.register, w.index))
            .or_insert_with(std::collections::BTreeMap::new)
            .insert(field.name, w.value);
    }
    if snap.nv_config.iter().any(|t| t.data.len() > 256) {
        return Err(bad("an NV TLV is longer than 256 bytes"));
    }
    if snap.function_caps.iter().any(|f| f.page.len() != 4096) {
        return Err(bad("a function capability page is not 4096 bytes"));
    }
    s.traffic = snap.traffic;
    s.port_admin.clone_from(&snap.port_admin);
    s.node_desc = node_desc;
    s.max_temp = snap.max_temp;
    s.reg_writes = reg_writes;
    s.nv_config = snap.nv_config.iter().map(|t| (t.tlv_type, t.data.clone())).collect();
    s.cong_status =
        snap.cong_status.iter().map(|c| ((c.priority, c.protocol), (c.enable, c.tag_enable))).collect();
    s.other_caps = snap.function_caps.iter().map(|f| ((f.function, f.cap_type), f.page.clone())).collect();
    s.vport_cleared = snap.vport_clears.iter().map(|c| (c.number, c.at)).collect();
    s.port_cleared =
        snap.port_clears.iter().filter_map(|c| u8::try_from(c.number).ok().map(|n| (n, c.at))).collect();
    s.cong_cleared = snap.cong_clear;
    Ok(())
}
