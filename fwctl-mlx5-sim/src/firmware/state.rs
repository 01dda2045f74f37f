//! Mutable device state, guarded by one lock in [`super::Firmware`].

use std::collections::BTreeMap;

use crate::config::{SimConfig, mix};
use crate::prm::DiagParams;
use crate::prm::registers::paos;

/// One live user context.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Uctx {
    pub caps: u32,
}

/// A Q counter set and who owns it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QCounter {
    pub owner: u16,
    pub cleared_at: Option<u64>,
}

/// Diagnostic sampling state (SET_DIAGNOSTIC_PARAMS).
#[derive(Debug, Clone, Default)]
pub(crate) struct Diag {
    pub params: DiagParams,
    /// Traffic when sampling was enabled.
    pub enabled_at: u64,
}

#[derive(Debug)]
pub(crate) struct State {
    pub uctxs: BTreeMap<u16, Uctx>,
    /// Next uid to try: uids grow monotonically (wrapping, skipping 0 and live
    /// ones), so a closed uid is not handed out again soon and a live one never.
    pub next_uid: u16,
    /// Packets of simulated traffic so far; every counter is a function of it.
    pub traffic: u64,
    pub seed: u64,
    /// Traffic at the last clear, per vport (VPORT_COUNTER clear).
    pub vport_cleared: BTreeMap<u16, u64>,
    /// Traffic at the last clear, per port (PPCNT clr).
    pub port_cleared: BTreeMap<u8, u64>,
    pub cong_cleared: Option<u64>,
    pub q_counters: BTreeMap<u8, QCounter>,
    /// PAOS admin status per port (1 up, 2 down).
    pub port_admin: Vec<u8>,
    pub node_desc: [u8; 64],
    pub max_temp: u16,
    pub diag: Diag,
    /// Capability pages set for other functions: (function_id, cap type) → page.
    pub other_caps: BTreeMap<(u16, u16), Vec<u8>>,
    /// The objects the query commands read (see [`super::objects`]).
    pub objects: super::objects::Objects,
    /// MODIFY_CONG_STATUS settings: (priority, protocol) → (enable, tag_enable);
    /// absent means the default, enabled.
    pub cong_status: BTreeMap<(u8, u8), (bool, bool)>,
    /// Fields written to writable registers: (register id, index) → field → value.
    pub reg_writes: BTreeMap<(u16, u64), BTreeMap<&'static str, u64>>,
    /// Capability pages built so far: (cap type, function, cur) → page.
    pub cap_cache: BTreeMap<(u16, u16, bool), Vec<u8>>,
    /// NV-configuration TLVs written through MNVDA: type → data.
    pub nv_config: BTreeMap<u32, Vec<u8>>,
}

impl State {
    pub fn new(c: &SimConfig) -> State {
        let mut node_desc = [0u8; 64];
        let n = c.node_description.len().min(64);
        node_desc[..n].copy_from_slice(&c.node_description.as_bytes()[..n]);
        let mut q_counters = BTreeMap::new();
        // The kernel driver's own counter set.
        q_counters.insert(0, QCounter { owner: 0, cleared_at: None });
        State {
            uctxs: BTreeMap::new(),
            next_uid: 1,
            traffic: 0,
            seed: c.seed,
            vport_cleared: BTreeMap::new(),
            port_cleared: BTreeMap::new(),
            cong_cleared: None,
            q_counters,
            port_admin: vec![paos::UP as u8; usize::from(c.num_ports)],
            node_desc,
            max_temp: 0,
            diag: Diag::default(),
            other_caps: BTreeMap::new(),
            objects: super::objects::seed(c),
            cong_status: BTreeMap::new(),
            reg_writes: BTreeMap::new(),
            cap_cache: BTreeMap::new(),
            nv_config: BTreeMap::new(),
        }
    }

    /// Allocate a uid (never 0, never a live one). `None` when all are live.
    pub fn alloc_uid(&mut self, caps: u32) -> Option<u16> {
        for _ in 0..=u16::MAX {
            let uid = self.next_uid;
            self.next_uid = self.next_uid.wrapping_add(1).max(1);
            if uid != 0 && !self.uctxs.contains_key(&uid) {
                self.uctxs.insert(uid, Uctx { caps });
                return Some(uid);
            }
        }
        None
    }

    pub fn alloc_q_counter(&mut self, owner: u16) -> Option<u8> {
        if owner != 0 && !self.uctxs.contains_key(&owner) {
            return None;
        }
        let id = (0..=u8::MAX).find(|i| !self.q_counters.contains_key(i))?;
        self.q_counters.insert(id, QCounter { owner, cleared_at: None });
        Some(id)
    }

    /// Release everything a destroyed uid owned.
    pub fn destroy_uid(&mut self, uid: u16) -> bool {
        let existed = self.uctxs.remove(&uid).is_some();
        self.q_counters.retain(|_, q| q.owner != uid);
        super::objects::release(&mut self.objects, uid);
        existed
    }

    /// A counter that started at a seed-derived value and grows `num/den` per
    /// packet of traffic; after a clear it restarts from 0 at the clear.
    pub fn counter(&self, salt: u64, cleared_at: Option<u64>, num: u64, den: u64) -> u64 {
        match cleared_at {
            Some(at) => self.traffic.saturating_sub(at).saturating_mul(num) / den.max(1),
            None => mix(self.seed, salt) % 1_000_000 + self.traffic.saturating_mul(num) / den.max(1),
        }
    }
}
