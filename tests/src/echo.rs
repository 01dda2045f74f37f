//! A tiny echo driver that drives the core without the simulator.
//!
//! Request format: any bytes. The response echoes the request (in place when it
//! fits, else into a new buffer padded with zeros up to the caller's capacity).
//! Counters record every driver entry point so tests can assert "called exactly
//! once" and "never reached".

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fwctl_core::driver::{
    DeviceIdentity, DeviceStatus, Driver, DriverContext, Effects, RpcDescription, RpcResponse,
};
use fwctl_core::uapi::DeviceType;
use fwctl_core::{Errno, RpcScope};

/// Counters of driver calls, shared between the driver and the test.
#[derive(Debug, Default)]
pub struct EchoCounters {
    /// `open` calls that succeeded.
    pub opens: AtomicUsize,
    /// `close` calls.
    pub closes: AtomicUsize,
    /// `fw_rpc` calls.
    pub rpcs: AtomicUsize,
    /// `info` calls.
    pub infos: AtomicUsize,
    /// `describe` calls.
    pub describes: AtomicUsize,
    /// `decode_status` calls.
    pub decode_statuses: AtomicUsize,
}

/// Behaviour knobs for the echo driver.
#[derive(Debug, Default)]
pub struct EchoConfig {
    /// Return this errno from every `fw_rpc`.
    pub fail_rpc: Mutex<Option<Errno>>,
    /// Return this errno from `open`.
    pub fail_open: Mutex<Option<Errno>>,
    /// Sleep this long inside `fw_rpc` (to hold calls in flight).
    pub rpc_delay: Mutex<Option<Duration>>,
    /// Minimum scope reported by `describe` and enforced by `fw_rpc` (EBADMSG below it).
    pub min_scope: Mutex<Option<RpcScope>>,
    /// Claim an in-place response longer than the request (a driver bug).
    pub garbage_len: AtomicBool,
    /// Device data for FWCTL_INFO; `None` = no info op.
    pub info: Mutex<Option<Vec<u8>>>,
    /// Answer every RPC with exactly these bytes in a new buffer instead of echoing
    /// (to show the core neither pads nor zeroes a short response).
    pub response: Mutex<Option<Vec<u8>>>,
}

/// The echo driver.
#[derive(Debug, Clone, Default)]
pub struct EchoDriver {
    /// Call counters.
    pub counters: Arc<EchoCounters>,
    /// Behaviour knobs.
    pub config: Arc<EchoConfig>,
}

impl EchoDriver {
    /// A fresh driver with zeroed counters and default behaviour.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens minus closes: contexts still alive.
    pub fn live_contexts(&self) -> usize {
        self.counters.opens.load(Ordering::SeqCst) - self.counters.closes.load(Ordering::SeqCst)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Driver for EchoDriver {
    fn device_type(&self) -> DeviceType {
        DeviceType::Mlx5
    }

    fn identity(&self) -> DeviceIdentity {
        DeviceIdentity { driver: "echo".into(), parent: Some("echo:0".into()), ..Default::default() }
    }

    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        if let Some(e) = *lock(&self.config.fail_open) {
            return Err(e);
        }
        self.counters.opens.fetch_add(1, Ordering::SeqCst);
        Ok(Box::new(EchoCtx { drv: self.clone() }))
    }

    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        self.counters.describes.fetch_add(1, Ordering::SeqCst);
        let opcode = request.first().copied().unwrap_or(0) as u32;
        Ok(RpcDescription {
            opcode,
            op_mod: 0,
            name: Some("ECHO".into()),
            min_scope: Some(lock(&self.config.min_scope).unwrap_or(RpcScope::Configuration)),
            effects: Effects::READ,
            expected_out_len: Some(request.len()),
            register: None,
        })
    }

    fn decode_status(&self, response: &[u8]) -> Option<DeviceStatus> {
        let _ = response;
        self.counters.decode_statuses.fetch_add(1, Ordering::SeqCst);
        None
    }
}

struct EchoCtx {
    drv: EchoDriver,
}

impl DriverContext for EchoCtx {
    fn info(&self) -> Option<Result<Vec<u8>, Errno>> {
        self.drv.counters.infos.fetch_add(1, Ordering::SeqCst);
        lock(&self.drv.config.info).clone().map(Ok)
    }

    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno> {
        self.drv.counters.rpcs.fetch_add(1, Ordering::SeqCst);
        let delay = *lock(&self.drv.config.rpc_delay);
        if let Some(d) = delay {
            std::thread::sleep(d);
        }
        if let Some(e) = *lock(&self.drv.config.fail_rpc) {
            return Err(e);
        }
        if lock(&self.drv.config.min_scope).is_some_and(|min| scope < min) {
            return Err(Errno::EBADMSG);
        }
        if self.drv.config.garbage_len.load(Ordering::SeqCst) {
            return Ok(RpcResponse::InPlace(request.len() + 1));
        }
        if let Some(fixed) = lock(&self.drv.config.response).clone() {
            return Ok(RpcResponse::Buffer(fixed));
        }
        if out_capacity <= request.len() {
            Ok(RpcResponse::InPlace(request.len()))
        } else {
            let mut v = request.to_vec();
            v.resize(out_capacity, 0);
            Ok(RpcResponse::Buffer(v))
        }
    }

    fn close(self: Box<Self>) {
        self.drv.counters.closes.fetch_add(1, Ordering::SeqCst);
    }
}
