//! The simulated ConnectX-like firmware: a device model that executes command
//! mailboxes. It keeps a uid table, capability pages, identity, vport and port
//! state, counters that advance with simulated traffic, diagnostic sampling and a
//! register file; it checks lengths, op_mods, fields, uid existence, caps and
//! object ownership the way firmware does, answering failures in band (status +
//! syndrome). The command interface in front of it ([`Firmware::execute`]) also
//! plays the kernel's cmd layer: injected faults become transport errors.

mod cap_values;
pub mod faults;
mod handlers;
mod more_registers;
mod objects;
mod register_file;
pub mod snapshot;
mod state;
mod status;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use fwctl_uapi::Errno;

pub use faults::{DeliveryError, Fault, FaultHandle};

use crate::config::{ConfigError, SimConfig};
use crate::prm::commands::{mbox_in, mbox_out};
use crate::prm::{opcode, status as st};
use state::State;
pub use status::syndrome;
use status::{Status, fail};

/// A command the interface could not deliver or complete: the RPC fails with
/// [`TransportError::errno`] and no response reaches the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The command interface is down (device in internal error).
    #[error("command interface down: device in internal error")]
    Offline,
    /// The firmware did not complete the command in time.
    #[error("firmware did not complete the command in time")]
    Timeout,
    /// The command-queue entry reported a delivery error.
    #[error("command delivery error {:#x}", .0.code())]
    Delivery(DeliveryError),
}

impl TransportError {
    /// The errno the kernel returns (§8.3): ENXIO, ETIMEDOUT or the delivery mapping.
    pub fn errno(self) -> Errno {
        match self {
            TransportError::Offline => Errno::ENXIO,
            TransportError::Timeout => Errno::ETIMEDOUT,
            TransportError::Delivery(d) => d.errno(),
        }
    }
}

/// Where a device's persistent state goes when its firmware powers off (the
/// [`Firmware`] is dropped): the embedded CLI's state file, or the daemon's
/// `state_file`. The firmware calls [`StateSink::save`] once, from `Drop`; the
/// sink reports its own failures (it cannot return them).
pub trait StateSink: Send + Sync + std::fmt::Debug {
    /// Keep `snapshot` (the device is powering off).
    fn save(&self, snapshot: &snapshot::Snapshot);
}

/// One simulated device's firmware.
#[derive(Debug)]
pub struct Firmware {
    config: SimConfig,
    state: Mutex<State>,
    faults: FaultHandle,
    seen: AtomicU64,
    sink: Mutex<Option<std::sync::Arc<dyn StateSink>>>,
}

impl Firmware {
    /// Firmware for a validated configuration, in its power-on state.
    pub fn new(config: SimConfig) -> Result<Firmware, ConfigError> {
        config.validate()?;
        let state = State::new(&config);
        Ok(Firmware {
            config,
            state: Mutex::new(state),
            faults: FaultHandle::default(),
            seen: AtomicU64::new(0),
            sink: Mutex::new(None),
        })
    }

    /// The configuration it was built from.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The fault-injection handle (shared).
    pub fn faults(&self) -> FaultHandle {
        self.faults.clone()
    }

    /// Commands that reached the firmware (including CREATE/DESTROY_UCTX;
    /// excluding those the cmd layer refused during an internal error).
    pub fn commands_seen(&self) -> u64 {
        self.seen.load(Ordering::SeqCst)
    }

    /// Live user contexts as `(uid, caps)`, in uid order.
    pub fn live_uids(&self) -> Vec<(u16, u32)> {
        self.lock().uctxs.iter().map(|(u, c)| (*u, c.caps)).collect()
    }

    /// Advance simulated traffic by `packets` (counters follow deterministically).
    pub fn simulate_traffic(&self, packets: u64) {
        let mut s = self.lock();
        s.traffic = s.traffic.saturating_add(packets);
    }

    /// Create a Q counter set owned by `owner_uid` (0 = the kernel), as mlx5_ib
    /// or a DEVX user would with ALLOC_Q_COUNTER (which fwctl does not allow).
    /// `None` when all 256 sets are taken or the uid is not live.
    pub fn alloc_q_counter(&self, owner_uid: u16) -> Option<u8> {
        self.lock().alloc_q_counter(owner_uid)
    }

    /// Create an object that a query command reads (`opcode` names the kind,
    /// e.g. QUERY_CQ, QUERY_UMEM, QUERY_GENERAL_OBJECT), owned by `owner_uid`
    /// (0 = the kernel), as a DEVX user would with a CREATE command fwctl does
    /// not allow. Returns its id: the lowest free one at or above `first_id`.
    /// `None` for a kind without ids or a uid that is not live.
    pub fn alloc_object(&self, opcode: u16, owner_uid: u16, first_id: u32) -> Option<u32> {
        let mut s = self.lock();
        if owner_uid != 0 && !s.uctxs.contains_key(&owner_uid) {
            return None;
        }
        objects::alloc(&mut s.objects, opcode, owner_uid, first_id)
    }

    /// The persistent part of the device state (register writes, NV
    /// configuration, congestion settings, other functions' caps, traffic and
    /// counter clears), to store between runs.
    pub fn snapshot(&self) -> snapshot::Snapshot {
        snapshot::take(&self.lock())
    }

    /// Put back a [`snapshot`](Self::snapshot) of a device with the same
    /// configuration; nothing changes when it does not fit.
    pub fn restore(&self, snap: &snapshot::Snapshot) -> Result<(), snapshot::SnapshotError> {
        let mut s = self.lock();
        snapshot::put(&mut s, snap)
    }

    /// Save the persistent state to `sink` when this firmware powers off
    /// (is dropped); replaces any earlier sink.
    pub fn persist_to(&self, sink: std::sync::Arc<dyn StateSink>) {
        *crate::sync::lock(&self.sink) = Some(sink);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        crate::sync::lock(&self.state)
    }

    /// Execute one command: `input` is the request mailbox (header uid already
    /// stamped), `out` the response buffer (at least 16 bytes), which is zeroed and
    /// then receives the response. `Ok` means a response was produced — its status
    /// byte may still report a firmware error.
    pub fn execute(&self, input: &[u8], out: &mut [u8]) -> Result<(), TransportError> {
        if out.len() < mbox_out::LAYOUT.bytes {
            return Err(TransportError::Delivery(DeliveryError::OutputLength));
        }
        out.fill(0);
        let op = mbox_in::OPCODE.get(input) as u16;
        if let Some(fault) = self.faults.take() {
            match fault {
                Fault::InternalError => return self.internal_error(op, input, out),
                Fault::Timeout => {
                    self.seen.fetch_add(1, Ordering::SeqCst);
                    return Err(TransportError::Timeout);
                }
                Fault::NotReady => {
                    self.seen.fetch_add(1, Ordering::SeqCst);
                    write_status(out, fail(st::NOT_READY, syndrome::NOT_READY));
                    return Ok(());
                }
                Fault::Delivery(d) => return Err(TransportError::Delivery(d)),
            }
        }
        self.seen.fetch_add(1, Ordering::SeqCst);
        let result = {
            let mut s = self.lock();
            s.traffic = s.traffic.saturating_add(self.config.packets_per_command);
            handlers::dispatch(&self.config, &mut s, input, out)
        };
        if let Err(st) = result {
            out.fill(0);
            write_status(out, st);
        }
        Ok(())
    }

    /// `mlx5_internal_err_ret_value`: teardown commands succeed (so contexts can
    /// be released), everything else is answered by the driver with 0xfe /
    /// 0xbadd00de and fails ENXIO.
    fn internal_error(&self, op: u16, input: &[u8], out: &mut [u8]) -> Result<(), TransportError> {
        if op == opcode::DESTROY_UCTX {
            let uid = crate::prm::commands::uctx::OBJ_UID.get(input) as u16;
            self.lock().uctxs.remove(&uid);
            return Ok(());
        }
        write_status(out, fail(st::DRIVER_STATUS_ABORTED, st::DRIVER_SYND));
        Err(TransportError::Offline)
    }
}

impl Drop for Firmware {
    /// Power off: hand the persistent state to the [`StateSink`], if any.
    fn drop(&mut self) {
        let sink = match self.sink.get_mut() {
            Ok(s) => s.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(sink) = sink {
            sink.save(&self.snapshot());
        }
    }
}

fn write_status(out: &mut [u8], st: Status) {
    mbox_out::STATUS.set(out, u64::from(st.status));
    mbox_out::SYNDROME.set(out, u64::from(st.syndrome));
}
