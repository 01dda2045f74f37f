//! The subsystem: devices with minors `0..4096` named `fwctlN`, open handles with
//! per-handle driver contexts, and hot-unplug (drivers/fwctl/main.c §4.3).
//!
//! Locking mirrors the kernel. Each device has a `registration` read-write lock
//! guarding its driver (`ops`): every open, ioctl and release holds it for read
//! for its whole duration; unregister takes it for write, which waits for every
//! in-flight call, closes each still-open context exactly once and clears the
//! driver. Calls on different handles only share read locks, so they run
//! concurrently.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};

use crate::creds::Credentials;
pub use crate::device::{DeviceState, DeviceSummary, DeviceView};
use crate::driver::{Driver, DriverContext};
pub use crate::handle::Handle;
use crate::hooks::{Decision, Hooks, OpenCheck};
pub(crate) use crate::sync::{lock, read, write};
use crate::taint::{Taint, TaintStore};
use fwctl_uapi::FWCTL_MAX_DEVICES;
use fwctl_uapi::errno::Errno;

/// Receives the subsystem's kernel-log style messages (the taint warning).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

pub(crate) struct UctxSlot {
    pub(crate) id: u64,
    pub(crate) ctx: RwLock<Option<Box<dyn DriverContext>>>,
}

pub(crate) struct Device {
    pub(crate) view: DeviceView,
    /// `registration_lock` + `ops`: `None` once unregistered.
    pub(crate) ops: RwLock<Option<Arc<dyn Driver>>>,
    pub(crate) uctxs: Mutex<Vec<Arc<UctxSlot>>>,
    subsystem: Weak<Inner>,
}

impl Drop for Device {
    /// The last reference (driver's or an open handle's) frees the minor, as the
    /// kernel's device release does.
    fn drop(&mut self) {
        if let Some(inner) = self.subsystem.upgrade() {
            let mut minors = lock(&inner.minors);
            if let Some(m) = minors.get_mut(&self.view.minor) {
                m.holders = m.holders.saturating_sub(1);
                if m.holders == 0 {
                    minors.remove(&self.view.minor);
                }
            }
        }
    }
}

/// Who holds a minor: live and removed devices with that number.
#[derive(Debug, Clone, Copy)]
struct MinorUse {
    /// Device objects with this number (a removed one lives on while handles
    /// are open on it).
    holders: u32,
    /// Whether one of them is registered.
    registered: bool,
}

pub(crate) struct Inner {
    devices: RwLock<Vec<Arc<Device>>>,
    minors: Mutex<BTreeMap<u32, MinorUse>>,
    pub(crate) taint: Taint,
    pub(crate) hooks: RwLock<Hooks>,
    /// Whether `hooks` holds anything: lets the RPC hot path skip the lock when,
    /// as in the kernel, nothing is installed.
    hooks_installed: AtomicBool,
    pub(crate) log: RwLock<LogSink>,
    /// Unregistered devices, listed as removed while handles keep them alive.
    removed: Mutex<Vec<Weak<Device>>>,
    next_uctx: AtomicU64,
}

impl Inner {
    /// A snapshot of the installed hooks, taken without holding any lock
    /// afterwards (a reload never waits for calls in flight).
    pub(crate) fn hooks_snapshot(&self) -> Hooks {
        if self.hooks_installed.load(Ordering::Acquire) {
            read(&self.hooks).clone()
        } else {
            Hooks::default()
        }
    }
}

/// The fwctl subsystem instance (the analogue of the loaded `fwctl.ko`).
#[derive(Clone)]
pub struct Subsystem {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Subsystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subsystem")
            .field("devices", &read(&self.inner.devices).len())
            .field("taint", &self.inner.taint)
            .finish()
    }
}

impl Default for Subsystem {
    fn default() -> Self {
        Self::new()
    }
}

impl Subsystem {
    /// A subsystem with no devices, no hooks, an untainted flag and warnings on stderr.
    pub fn new() -> Self {
        Self::with_taint(Taint::default())
    }

    /// A subsystem whose taint flag (and its persistence) is `taint`.
    pub fn with_taint(taint: Taint) -> Self {
        Subsystem {
            inner: Arc::new(Inner {
                devices: RwLock::new(Vec::new()),
                minors: Mutex::new(BTreeMap::new()),
                taint,
                hooks: RwLock::new(Hooks::default()),
                hooks_installed: AtomicBool::new(false),
                log: RwLock::new(Arc::new(|msg: &str| eprintln!("{msg}"))),
                removed: Mutex::new(Vec::new()),
                next_uctx: AtomicU64::new(1),
            }),
        }
    }

    /// A subsystem with a persisted taint state.
    pub fn with_taint_store(tainted: bool, store: Arc<dyn TaintStore>) -> Self {
        Self::with_taint(Taint::new(tainted, store))
    }

    /// Replace where kernel-log style messages go (affects every clone).
    pub fn set_log(&self, log: LogSink) {
        *write(&self.inner.log) = log;
    }

    /// Emit a kernel-log style message.
    pub(crate) fn log_message(inner: &Inner, msg: &str) {
        let sink = read(&inner.log).clone();
        sink(msg);
    }

    /// Install or replace the policy and audit hooks (e.g. on policy reload).
    pub fn set_hooks(&self, hooks: Hooks) {
        let mut guard = write(&self.inner.hooks);
        let installed = hooks.policy.is_some() || hooks.audit.is_some();
        *guard = hooks;
        self.inner.hooks_installed.store(installed, Ordering::Release);
    }

    /// The hooks currently installed.
    pub fn hooks(&self) -> Hooks {
        read(&self.inner.hooks).clone()
    }

    /// The taint flag.
    pub fn taint(&self) -> &Taint {
        &self.inner.taint
    }

    /// `fwctl_register`: give `driver` the lowest free minor and make it openable.
    /// `ENOSPC` when all 4096 minors are taken.
    pub fn register(&self, driver: Arc<dyn Driver>) -> Result<u32, Errno> {
        self.register_preferring(driver, None)
    }

    /// [`register`](Self::register), as `fwctl{minor}` when `minor` is given
    /// and no registered device has that number — a removed device still held
    /// by open handles may (those handles keep getting `ENODEV`): a device that
    /// comes back after a hot-unplug (a restarted plugin host) keeps its name,
    /// so scripts and device nodes find it again. Otherwise the lowest free
    /// number, as `register`.
    pub fn register_preferring(&self, driver: Arc<dyn Driver>, minor: Option<u32>) -> Result<u32, Errno> {
        let minor = {
            let mut minors = lock(&self.inner.minors);
            let wanted =
                minor.filter(|m| *m < FWCTL_MAX_DEVICES && minors.get(m).is_none_or(|u| !u.registered));
            let minor = match wanted {
                Some(m) => m,
                None => (0..FWCTL_MAX_DEVICES).find(|m| !minors.contains_key(m)).ok_or(Errno::ENOSPC)?,
            };
            let slot = minors.entry(minor).or_insert(MinorUse { holders: 0, registered: false });
            slot.holders += 1;
            slot.registered = true;
            minor
        };
        let view = DeviceView {
            minor,
            name: format!("fwctl{minor}"),
            device_type: driver.device_type(),
            identity: driver.identity(),
        };
        let dev = Arc::new(Device {
            view,
            ops: RwLock::new(Some(driver)),
            uctxs: Mutex::new(Vec::new()),
            subsystem: Arc::downgrade(&self.inner),
        });
        write(&self.inner.devices).push(dev);
        Ok(minor)
    }

    /// `fwctl_unregister`: remove the device. Waits for in-flight calls, closes
    /// every open context exactly once; open handles then get `ENODEV`.
    pub fn unregister(&self, minor: u32) -> Result<(), Errno> {
        let dev = {
            let mut devs = write(&self.inner.devices);
            let pos = devs.iter().position(|d| d.view.minor == minor).ok_or(Errno::ENODEV)?;
            devs.remove(pos)
        };
        if let Some(u) = lock(&self.inner.minors).get_mut(&minor) {
            u.registered = false;
        }
        // Write lock: waits for every open/ioctl/release holding it for read.
        let mut ops = write(&dev.ops);
        let slots = std::mem::take(&mut *lock(&dev.uctxs));
        for slot in slots {
            if let Some(ctx) = write(&slot.ctx).take() {
                ctx.close();
            }
        }
        *ops = None;
        drop(ops);
        let mut removed = lock(&self.inner.removed);
        removed.retain(|w| w.strong_count() > 0);
        removed.push(Arc::downgrade(&dev));
        Ok(())
    }

    /// Registered devices, in minor order.
    pub fn devices(&self) -> Vec<DeviceSummary> {
        let devs = read(&self.inner.devices);
        let mut out: Vec<DeviceSummary> = devs
            .iter()
            .map(|d| {
                let failure = read(&d.ops).as_ref().and_then(|drv| drv.failure());
                DeviceSummary {
                    view: d.view.clone(),
                    state: if failure.is_some() { DeviceState::Failed } else { DeviceState::Live },
                    failure,
                    open_handles: lock(&d.uctxs).len(),
                }
            })
            .collect();
        drop(devs);
        let mut removed = lock(&self.inner.removed);
        removed.retain(|w| w.strong_count() > 0);
        for dev in removed.iter().filter_map(Weak::upgrade) {
            // Every other strong reference is an open handle.
            let open_handles = Arc::strong_count(&dev).saturating_sub(1);
            out.push(DeviceSummary {
                view: dev.view.clone(),
                state: DeviceState::Removed,
                failure: None,
                open_handles,
            });
        }
        out.sort_by_key(|s| (s.view.minor, s.state == DeviceState::Removed));
        out
    }

    fn find(&self, minor: u32) -> Option<Arc<Device>> {
        read(&self.inner.devices).iter().find(|d| d.view.minor == minor).cloned()
    }

    /// Resolve `fwctlN` to its minor.
    pub fn minor_by_name(&self, name: &str) -> Option<u32> {
        read(&self.inner.devices).iter().find(|d| d.view.name == name).map(|d| d.view.minor)
    }

    /// `open(2)` on `/dev/fwctl/fwctlN`: `ENODEV` if no such device is registered,
    /// the policy's errno if it refuses, the driver's errno if `open_uctx` fails.
    pub fn open(&self, minor: u32, creds: &Credentials) -> Result<Handle, Errno> {
        let dev = self.find(minor).ok_or(Errno::ENODEV)?;
        let ops = read(&dev.ops);
        let driver = ops.as_ref().ok_or(Errno::ENODEV)?;
        let hooks = read(&self.inner.hooks).clone();
        if let Some(policy) = &hooks.policy {
            let decision = policy.check_open(&OpenCheck { device: &dev.view, creds });
            if let Some(errno) = decision.errno {
                if let Some(audit) = &hooks.audit {
                    audit.record_open_denied(&dev.view, creds, &decision);
                }
                return Err(errno);
            }
        }
        let ctx = driver.open()?;
        let slot = Arc::new(UctxSlot {
            id: self.inner.next_uctx.fetch_add(1, Ordering::Relaxed),
            ctx: RwLock::new(Some(ctx)),
        });
        lock(&dev.uctxs).push(slot.clone());
        drop(ops);
        Ok(Handle { device: dev, slot, subsystem: self.inner.clone() })
    }

    /// Ask a device's driver to describe `request` without opening the device
    /// (no driver context, no device access; for fwctld's `explain` verb).
    pub fn describe(&self, minor: u32, request: &[u8]) -> Result<crate::driver::RpcDescription, Errno> {
        let dev = self.find(minor).ok_or(Errno::ENODEV)?;
        let ops = read(&dev.ops);
        ops.as_ref().ok_or(Errno::ENODEV)?.describe(request)
    }

    /// Run a policy decision for an open without opening (for `policy explain`).
    pub fn check_open(&self, minor: u32, creds: &Credentials) -> Result<Decision, Errno> {
        let dev = self.find(minor).ok_or(Errno::ENODEV)?;
        let hooks = read(&self.inner.hooks).clone();
        Ok(match &hooks.policy {
            Some(p) => p.check_open(&OpenCheck { device: &dev.view, creds }),
            None => Decision::allow("no policy installed"),
        })
    }
}
