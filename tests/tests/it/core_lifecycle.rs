//! Devices, handles and hot-unplug against drivers/fwctl/main.c's lifetime rules
//! (kernel-fwctl.md §2.6, §4.3–§4.4), concurrency, and the policy/audit hooks.
//!
//! No test asserts a duration: waits use generous timeouts only so that a bug
//! shows up as a failure instead of a hang.

#![expect(clippy::unwrap_used, reason = "tests may unwrap: a panic is a test failure")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use fwctl_core::driver::{Driver, DriverContext, RpcResponse};
use fwctl_core::hooks::{AuditSink, Decision, Hooks, OpenCheck, Policy, RpcAudit, RpcCheck};
use fwctl_core::subsystem::DeviceView;
use fwctl_core::taint::TaintEvent;
use fwctl_core::uapi::DeviceType;
use fwctl_core::{Credentials, DeviceState, Errno, RpcScope, SegmentMemory, Subsystem};
use fwctl_tests::echo::EchoDriver;

/// Long enough never to fire on a healthy run, short enough to fail a hung one.
const GENEROUS: Duration = Duration::from_secs(60);

fn user() -> Credentials {
    Credentials { uid: 1000, gid: 1000, pid: 77, comm: "lifecycle".into(), ..Default::default() }
}

fn rawio() -> Credentials {
    Credentials { cap_sys_rawio: true, ..user() }
}

fn quiet() -> Subsystem {
    let fw = Subsystem::new();
    fw.set_log(Arc::new(|_: &str| {}));
    fw
}

fn closes(d: &EchoDriver) -> usize {
    d.counters.closes.load(Ordering::SeqCst)
}

// ---------------------------------------------------------------- minors

#[test]
fn minors_0_to_4095_are_named_fwctln_and_the_4097th_is_enospc() {
    let fw = quiet();
    let drv = Arc::new(EchoDriver::new());
    for want in 0u32..4096 {
        assert_eq!(fw.register(drv.clone()), Ok(want));
    }
    assert_eq!(fw.register(drv.clone()), Err(Errno::ENOSPC));
    let devs = fw.devices();
    assert_eq!(devs.len(), 4096);
    for (i, d) in devs.iter().enumerate() {
        assert_eq!((d.view.minor, d.view.name.as_str()), (i as u32, format!("fwctl{i}").as_str()));
    }
    assert_eq!(fw.minor_by_name("fwctl4095"), Some(4095));
    assert_eq!(fw.minor_by_name("fwctl4096"), None);
    // Freeing one minor makes exactly that one available again.
    fw.unregister(1234).unwrap();
    assert_eq!(fw.register(drv.clone()), Ok(1234));
    assert_eq!(fw.register(drv), Err(Errno::ENOSPC));
}

#[test]
fn a_minor_is_reused_lowest_first_and_only_after_all_its_handles_are_closed() {
    let fw = quiet();
    let drv = Arc::new(EchoDriver::new());
    for want in 0..3 {
        assert_eq!(fw.register(drv.clone()), Ok(want));
    }
    let h1 = fw.open(1, &user()).unwrap();
    let h1b = fw.open(1, &user()).unwrap();
    fw.unregister(1).unwrap();
    // Minor 1 is still referenced by open handles: the next device gets 3.
    assert_eq!(fw.register(drv.clone()), Ok(3));
    drop(h1);
    assert_eq!(fw.register(drv.clone()), Ok(4), "one handle is still open");
    drop(h1b);
    assert_eq!(fw.register(drv.clone()), Ok(1), "the lowest free minor");
    // Without handles, a minor is free as soon as it is unregistered.
    fw.unregister(0).unwrap();
    fw.unregister(2).unwrap();
    assert_eq!(fw.register(drv.clone()), Ok(0));
    assert_eq!(fw.register(drv), Ok(2));
}

#[test]
fn an_unplugged_device_is_listed_as_removed_while_handles_keep_it_alive() {
    let fw = quiet();
    let minor = fw.register(Arc::new(EchoDriver::new())).unwrap();
    let h1 = fw.open(minor, &user()).unwrap();
    let h2 = fw.open(minor, &user()).unwrap();
    let live = fw.devices();
    assert_eq!((live.len(), live[0].state, live[0].open_handles), (1, DeviceState::Live, 2));
    fw.unregister(minor).unwrap();
    let listed = fw.devices();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].view.name.as_str(), listed[0].state), ("fwctl0", DeviceState::Removed));
    assert_eq!(listed[0].open_handles, 2);
    drop(h1);
    assert_eq!(fw.devices()[0].open_handles, 1);
    drop(h2);
    assert!(fw.devices().is_empty(), "gone once the last handle is closed");
}

#[test]
fn unregistering_an_unknown_minor_is_enodev_and_so_is_opening_one() {
    let fw = quiet();
    assert_eq!(fw.unregister(0), Err(Errno::ENODEV));
    assert_eq!(fw.open(0, &user()).err(), Some(Errno::ENODEV));
    let m = fw.register(Arc::new(EchoDriver::new())).unwrap();
    fw.unregister(m).unwrap();
    assert_eq!(fw.unregister(m), Err(Errno::ENODEV), "twice");
}

#[test]
fn a_failing_driver_open_fails_the_open_and_is_never_closed() {
    let fw = quiet();
    let drv = EchoDriver::new();
    *drv.config.fail_open.lock().unwrap() = Some(Errno::ENOMEM);
    let m = fw.register(Arc::new(drv.clone())).unwrap();
    assert_eq!(fw.open(m, &user()).err(), Some(Errno::ENOMEM));
    fw.unregister(m).unwrap();
    assert_eq!(closes(&drv), 0);
    assert_eq!(fw.devices().len(), 0);
}

// ---------------------------------------------------------------- hot-unplug

#[test]
fn hot_unplug_with_handles_open_closes_each_once_and_every_later_call_is_enodev() {
    let fw = quiet();
    let drv = EchoDriver::new();
    let m = fw.register(Arc::new(drv.clone())).unwrap();
    let handles: Vec<_> = (0..3).map(|_| fw.open(m, &user()).unwrap()).collect();
    let closed_early = fw.open(m, &user()).unwrap();
    drop(closed_early);
    assert_eq!(closes(&drv), 1);
    assert!(handles.iter().all(|h| h.is_live()));

    fw.unregister(m).unwrap();
    assert_eq!(closes(&drv), 4, "unregister closed the three open contexts");
    assert_eq!(drv.live_contexts(), 0);
    for h in &handles {
        assert!(!h.is_live());
        let mut buf = [0u8; 8];
        assert_eq!(h.rpc(&user(), 0, b"ping", &mut buf), Err(Errno::ENODEV));
        assert_eq!(h.info(&user(), &mut buf), Err(Errno::ENODEV));
        assert_eq!(h.describe(b"ping"), Err(Errno::ENODEV));
        assert_eq!(h.dry_run(&user(), 0, b"ping").err(), Some(Errno::ENODEV));
        // Raw ioctl, well-formed struct.
        let mut arg = Vec::new();
        for w in [32u32, 0, 0, 0] {
            arg.extend_from_slice(&w.to_ne_bytes());
        }
        arg.extend_from_slice(&[0; 16]);
        let mut mem = SegmentMemory::new();
        mem.map_owned(0x1000, arg);
        assert_eq!(h.ioctl(&user(), 0x9A01, 0x1000, &mut mem), Err(Errno::ENODEV));
    }
    assert_eq!(fw.open(m, &user()).err(), Some(Errno::ENODEV), "new opens fail");
    assert_eq!(drv.counters.rpcs.load(Ordering::SeqCst), 0);
    drop(handles);
    assert_eq!(closes(&drv), 4, "release after unregister does not close again");
}

#[test]
fn hot_unplug_with_rpcs_in_flight_on_other_threads_does_not_deadlock() {
    let fw = quiet();
    let drv = EchoDriver::new();
    *drv.config.rpc_delay.lock().unwrap() = Some(Duration::from_millis(20));
    let m = fw.register(Arc::new(drv.clone())).unwrap();
    const THREADS: usize = 6;
    let (done_tx, done_rx) = mpsc::channel();
    let mut joins = Vec::new();
    for t in 0..THREADS {
        let h = fw.open(m, &user()).unwrap();
        let done = done_tx.clone();
        joins.push(thread::spawn(move || {
            let mut oks = 0usize;
            let req = [t as u8; 16];
            let last = loop {
                let mut out = [0u8; 16];
                match h.rpc(&user(), (t % 3) as u32, &req, &mut out) {
                    Ok(r) => {
                        assert_eq!((r.out_len, out), (16, req), "a completed RPC is whole");
                        oks += 1;
                    }
                    Err(e) => break e,
                }
            };
            // Once ENODEV, always ENODEV.
            let mut out = [0u8; 16];
            assert_eq!(h.rpc(&user(), 0, &req, &mut out), Err(Errno::ENODEV));
            done.send(()).unwrap();
            (last, oks, h)
        }));
    }
    // Let every thread get at least one RPC into the driver (no timing assertion:
    // this only waits for the counter).
    while drv.counters.rpcs.load(Ordering::SeqCst) < 2 * THREADS {
        thread::yield_now();
    }
    fw.unregister(m).unwrap();
    for _ in 0..THREADS {
        done_rx.recv_timeout(GENEROUS).expect("an RPC thread hung after unregister");
    }
    let mut handles = Vec::new();
    for j in joins {
        let (last, oks, h) = j.join().unwrap();
        assert_eq!(last, Errno::ENODEV);
        assert!(oks >= 1);
        handles.push(h);
    }
    assert_eq!(closes(&drv), THREADS, "each context closed exactly once, by unregister");
    assert_eq!(fw.open(m, &user()).err(), Some(Errno::ENODEV));
    drop(handles);
    assert_eq!(closes(&drv), THREADS);
    assert_eq!(drv.live_contexts(), 0);
}

/// A driver whose fw_rpc announces itself and then waits to be released, logging
/// the order of events.
#[derive(Clone)]
struct Gate {
    entered: Arc<Mutex<Option<mpsc::Sender<()>>>>,
    release: Arc<Mutex<Option<mpsc::Receiver<()>>>>,
    events: Arc<Mutex<Vec<&'static str>>>,
}
struct GateCtx(Gate);
impl Driver for Gate {
    fn device_type(&self) -> DeviceType {
        DeviceType::Bnxt
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(GateCtx(self.clone())))
    }
}
impl DriverContext for GateCtx {
    fn fw_rpc(&self, _: RpcScope, req: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        self.0.events.lock().unwrap().push("rpc-enter");
        if let Some(tx) = self.0.entered.lock().unwrap().take() {
            tx.send(()).unwrap();
        }
        let rx = self.0.release.lock().unwrap().take();
        if let Some(rx) = rx {
            rx.recv_timeout(GENEROUS).map_err(|_| Errno::ETIMEDOUT)?;
        }
        self.0.events.lock().unwrap().push("rpc-exit");
        Ok(RpcResponse::InPlace(req.len()))
    }
    fn close(self: Box<Self>) {
        self.0.events.lock().unwrap().push("close");
    }
}

#[test]
fn unregister_waits_for_the_in_flight_call_before_closing() {
    let fw = quiet();
    let (entered_tx, entered_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    let gate = Gate {
        entered: Arc::new(Mutex::new(Some(entered_tx))),
        release: Arc::new(Mutex::new(Some(release_rx))),
        events: Arc::new(Mutex::new(Vec::new())),
    };
    let m = fw.register(Arc::new(gate.clone())).unwrap();
    let h = fw.open(m, &user()).unwrap();
    let rpc = thread::spawn(move || {
        let mut out = [0u8; 4];
        let r = h.rpc(&user(), 0, b"slow", &mut out);
        (r, out, h)
    });
    entered_rx.recv_timeout(GENEROUS).unwrap();
    let unplug = {
        let fw = fw.clone();
        thread::spawn(move || fw.unregister(m))
    };
    // Unregister has started once the device is no longer listed.
    while fw.minor_by_name("fwctl0").is_some() {
        thread::yield_now();
    }
    assert_eq!(fw.open(m, &user()).err(), Some(Errno::ENODEV), "new opens fail during unplug");
    release_tx.send(()).unwrap();
    let (r, out, h) = rpc.join().unwrap();
    assert_eq!(unplug.join().unwrap(), Ok(()));
    assert_eq!(r.map(|r| r.out_len), Ok(4), "the in-flight call completes normally");
    assert_eq!(&out, b"slow");
    assert_eq!(*gate.events.lock().unwrap(), vec!["rpc-enter", "rpc-exit", "close"]);
    let mut out = [0u8; 4];
    assert_eq!(h.rpc(&user(), 0, b"next", &mut out), Err(Errno::ENODEV));
    drop(h);
    assert_eq!(gate.events.lock().unwrap().iter().filter(|e| **e == "close").count(), 1);
}

// ---------------------------------------------------------------- concurrency

/// A driver whose fw_rpc returns only once `parties` calls are inside it at the
/// same time (or ETIMEDOUT after a generous wait): success proves overlap.
struct Rendezvous {
    parties: usize,
    state: Arc<(Mutex<usize>, Condvar)>,
}
struct RendezvousCtx {
    parties: usize,
    state: Arc<(Mutex<usize>, Condvar)>,
}
impl Driver for Rendezvous {
    fn device_type(&self) -> DeviceType {
        DeviceType::Mlx5
    }
    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(RendezvousCtx { parties: self.parties, state: self.state.clone() }))
    }
}
impl DriverContext for RendezvousCtx {
    fn fw_rpc(&self, _: RpcScope, req: &mut [u8], _: usize) -> Result<RpcResponse, Errno> {
        let (lock, cv) = &*self.state;
        let mut arrived = lock.lock().unwrap();
        *arrived += 1;
        cv.notify_all();
        let (arrived, timeout) = cv.wait_timeout_while(arrived, GENEROUS, |n| *n < self.parties).unwrap();
        drop(arrived);
        if timeout.timed_out() { Err(Errno::ETIMEDOUT) } else { Ok(RpcResponse::InPlace(req.len())) }
    }
    fn close(self: Box<Self>) {}
}

fn all_rendezvous(same_handle: bool) {
    const N: usize = 4;
    let fw = quiet();
    let state = Arc::new((Mutex::new(0), Condvar::new()));
    let m = fw.register(Arc::new(Rendezvous { parties: N, state })).unwrap();
    let shared = Arc::new(fw.open(m, &user()).unwrap());
    let joins: Vec<_> = (0..N)
        .map(|i| {
            let h = if same_handle { shared.clone() } else { Arc::new(fw.open(m, &user()).unwrap()) };
            thread::spawn(move || {
                let mut out = [0u8; 1];
                h.rpc(&user(), 0, &[i as u8], &mut out).map(|_| out[0])
            })
        })
        .collect();
    let results: Vec<_> = joins.into_iter().map(|j| j.join().unwrap()).collect();
    assert_eq!(results, (0..N).map(|i| Ok(i as u8)).collect::<Vec<_>>());
}

#[test]
fn rpcs_on_different_handles_run_concurrently() {
    all_rendezvous(false);
}

#[test]
fn rpcs_on_one_handle_are_not_serialised_by_the_core_either() {
    // main.c holds only the shared registration lock; drivers serialise themselves.
    all_rendezvous(true);
}

// ---------------------------------------------------------------- hooks

/// Denies RPCs whose first byte is 0x42 and opens by uid 666, counting calls.
#[derive(Default)]
struct DenyPolicy {
    rpc_checks: AtomicUsize,
    open_checks: AtomicUsize,
    taint_at_check: Mutex<Vec<bool>>,
    fw: Mutex<Option<Subsystem>>,
}
impl Policy for DenyPolicy {
    fn check_open(&self, c: &OpenCheck<'_>) -> Decision {
        self.open_checks.fetch_add(1, Ordering::SeqCst);
        if c.creds.uid == 666 {
            Decision::deny(Errno::EACCES, "uid 666 banned")
        } else {
            Decision::allow("ok")
        }
    }
    fn check_rpc(&self, c: &RpcCheck<'_>) -> Decision {
        self.rpc_checks.fetch_add(1, Ordering::SeqCst);
        if let Some(fw) = &*self.fw.lock().unwrap() {
            self.taint_at_check.lock().unwrap().push(fw.taint().is_tainted());
        }
        match c.description {
            Some(d) if d.opcode == 0x42 => {
                let mut dec = Decision::deny(Errno::EPERM, "opcode 0x42 is denied");
                dec.rule = Some("no-0x42".into());
                dec
            }
            _ => Decision::allow("allowed"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Seen {
    scope: u32,
    result: Result<(), Errno>,
    rule: Option<String>,
    opcode: Option<u32>,
    out_len: Option<usize>,
}

#[derive(Default)]
struct Recorder {
    rpcs: Mutex<Vec<Seen>>,
    taints: Mutex<Vec<TaintEvent>>,
    open_denied: Mutex<Vec<(String, u32, Option<Errno>)>>,
}
impl AuditSink for Recorder {
    fn record_rpc(&self, e: &RpcAudit<'_>) {
        self.rpcs.lock().unwrap().push(Seen {
            scope: e.scope,
            result: e.result,
            rule: e.decision.and_then(|d| d.rule.as_deref().map(str::to_string)),
            opcode: e.description.map(|d| d.opcode),
            out_len: e.out_len,
        });
    }
    fn record_taint(&self, e: &TaintEvent) {
        self.taints.lock().unwrap().push(e.clone());
    }
    fn record_open_denied(&self, d: &DeviceView, c: &Credentials, dec: &Decision) {
        self.open_denied.lock().unwrap().push((d.name.clone(), c.uid, dec.errno));
    }
}

struct HookFx {
    fw: Subsystem,
    drv: EchoDriver,
    policy: Arc<DenyPolicy>,
    audit: Arc<Recorder>,
    minor: u32,
}

fn hooked() -> HookFx {
    let fw = quiet();
    let drv = EchoDriver::new();
    let minor = fw.register(Arc::new(drv.clone())).unwrap();
    let policy = Arc::new(DenyPolicy::default());
    *policy.fw.lock().unwrap() = Some(fw.clone());
    let audit = Arc::new(Recorder::default());
    fw.set_hooks(Hooks { policy: Some(policy.clone()), audit: Some(audit.clone()) });
    HookFx { fw, drv, policy, audit, minor }
}

#[test]
fn the_policy_is_consulted_after_the_kernel_checks_and_never_for_their_failures() {
    let fx = hooked();
    let h = fx.fw.open(fx.minor, &user()).unwrap();
    let mut out = [0u8; 4];
    assert_eq!(h.rpc(&user(), 3, b"\x01abc", &mut out), Err(Errno::EPERM), "capability first");
    assert_eq!(h.rpc(&user(), 4, b"\x01abc", &mut out), Err(Errno::EOPNOTSUPP));
    let big = vec![0u8; 2 * 1024 * 1024 + 1];
    assert_eq!(h.rpc(&user(), 0, &big, &mut out), Err(Errno::EMSGSIZE));
    assert_eq!(fx.policy.rpc_checks.load(Ordering::SeqCst), 0);
    assert_eq!(fx.drv.counters.rpcs.load(Ordering::SeqCst), 0);
    // Every outcome is audited, refused ones included.
    let seen = fx.audit.rpcs.lock().unwrap().clone();
    assert_eq!(
        seen.iter().map(|s| (s.scope, s.result)).collect::<Vec<_>>(),
        vec![(3, Err(Errno::EPERM)), (4, Err(Errno::EOPNOTSUPP)), (0, Err(Errno::EMSGSIZE))]
    );
    drop(fx.policy.fw.lock().unwrap().take());
}

#[test]
fn a_policy_refusal_comes_before_taint_and_before_the_driver() {
    let fx = hooked();
    let h = fx.fw.open(fx.minor, &rawio()).unwrap();
    let mut out = [0u8; 4];
    // Denied DEBUG_WRITE: the caller gets the policy's errno; no taint, no delivery.
    assert_eq!(h.rpc(&rawio(), 2, b"\x42xyz", &mut out), Err(Errno::EPERM));
    assert!(!fx.fw.taint().is_tainted());
    assert_eq!(fx.drv.counters.rpcs.load(Ordering::SeqCst), 0);
    assert!(fx.audit.taints.lock().unwrap().is_empty());
    // Allowed DEBUG_WRITE_FULL: policy consulted (untainted at that point), then taint, then driver.
    assert_eq!(h.rpc(&rawio(), 3, b"\x07xyz", &mut out).map(|r| r.out_len), Ok(4));
    assert!(fx.fw.taint().is_tainted());
    assert_eq!(*fx.policy.taint_at_check.lock().unwrap(), vec![false, false]);
    assert_eq!(fx.drv.counters.rpcs.load(Ordering::SeqCst), 1);
    let taints = fx.audit.taints.lock().unwrap().clone();
    assert_eq!(taints.len(), 1);
    assert_eq!(
        (taints[0].device.as_str(), taints[0].pid, taints[0].comm.as_str()),
        ("fwctl0", 77, "lifecycle")
    );
    assert_eq!((taints[0].scope, taints[0].opcode), (RpcScope::DebugWriteFull, Some(7)));
    let seen = fx.audit.rpcs.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![
            Seen {
                scope: 2,
                result: Err(Errno::EPERM),
                rule: Some("no-0x42".into()),
                opcode: Some(0x42),
                out_len: None
            },
            Seen { scope: 3, result: Ok(()), rule: None, opcode: Some(7), out_len: Some(4) },
        ]
    );
    drop(fx.policy.fw.lock().unwrap().take());
}

#[test]
fn a_policy_can_refuse_an_open_and_the_refusal_is_audited() {
    let fx = hooked();
    let banned = Credentials { uid: 666, ..user() };
    assert_eq!(fx.fw.open(fx.minor, &banned).err(), Some(Errno::EACCES));
    assert_eq!(fx.drv.counters.opens.load(Ordering::SeqCst), 0, "the driver never saw it");
    assert_eq!(*fx.audit.open_denied.lock().unwrap(), vec![("fwctl0".to_string(), 666, Some(Errno::EACCES))]);
    assert!(fx.fw.open(fx.minor, &user()).is_ok());
    assert_eq!(fx.policy.open_checks.load(Ordering::SeqCst), 2);
    drop(fx.policy.fw.lock().unwrap().take());
}

#[test]
fn hooks_can_be_replaced_while_rpcs_are_in_flight() {
    // The RPC path works on a snapshot of the hooks: set_hooks does not wait for
    // (or deadlock with) a call that is inside the driver.
    let fw = quiet();
    let (entered_tx, entered_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    let gate = Gate {
        entered: Arc::new(Mutex::new(Some(entered_tx))),
        release: Arc::new(Mutex::new(Some(release_rx))),
        events: Arc::new(Mutex::new(Vec::new())),
    };
    let m = fw.register(Arc::new(gate)).unwrap();
    let audit = Arc::new(Recorder::default());
    fw.set_hooks(Hooks { policy: None, audit: Some(audit.clone()) });
    let h = fw.open(m, &rawio()).unwrap();
    let rpc = thread::spawn(move || {
        let mut out = [0u8; 4];
        h.rpc(&rawio(), 2, b"slow", &mut out).map(|r| r.out_len)
    });
    entered_rx.recv_timeout(GENEROUS).unwrap();
    let (set_tx, set_rx) = mpsc::channel();
    let setter = {
        let fw = fw.clone();
        thread::spawn(move || {
            fw.set_hooks(Hooks::default());
            set_tx.send(()).unwrap();
        })
    };
    set_rx.recv_timeout(GENEROUS).expect("set_hooks blocked behind an RPC in flight");
    release_tx.send(()).unwrap();
    assert_eq!(rpc.join().unwrap(), Ok(4));
    setter.join().unwrap();
    // The in-flight call is audited by the hooks it started with.
    assert_eq!(audit.rpcs.lock().unwrap().len(), 1);
    assert_eq!(audit.taints.lock().unwrap().len(), 1);
}

/// Runs the same sequence of calls on a subsystem and reports what a caller and
/// the driver observe.
fn observe(fw: &Subsystem) -> (Vec<Result<u32, Errno>>, bool, usize) {
    let drv = EchoDriver::new();
    let m = fw.register(Arc::new(drv.clone())).unwrap();
    let h = fw.open(m, &user()).unwrap();
    let mut results = Vec::new();
    let mut out = [0u8; 8];
    for (scope, req) in [(0u32, &b"\x42cfg"[..]), (1, b"\x42dbg"), (3, b"\x01"), (7, b"\x01"), (2, b"\x42w")]
    {
        results.push(h.rpc(&user(), scope, req, &mut out).map(|r| r.out_len));
    }
    results.push(h.info(&user(), &mut out).map(|i| i.device_type));
    (results, fw.taint().is_tainted(), drv.counters.rpcs.load(Ordering::SeqCst))
}

#[test]
fn with_no_hooks_the_behaviour_is_the_kernels() {
    let plain = quiet();
    let (results, tainted, delivered) = observe(&plain);
    assert_eq!(
        results,
        vec![Ok(8), Ok(8), Err(Errno::EPERM), Err(Errno::EOPNOTSUPP), Ok(8), Ok(1)],
        "only the kernel's own checks apply"
    );
    assert!(tainted);
    assert_eq!(delivered, 3);

    // With a refusing policy the same calls are narrowed: the 0x42 RPCs are denied.
    let fx = hooked();
    let (results, tainted, delivered) = observe(&fx.fw);
    assert_eq!(
        results,
        vec![
            Err(Errno::EPERM),
            Err(Errno::EPERM),
            Err(Errno::EPERM),
            Err(Errno::EOPNOTSUPP),
            Err(Errno::EPERM),
            Ok(1)
        ]
    );
    assert!(!tainted);
    assert_eq!(delivered, 0);
    drop(fx.policy.fw.lock().unwrap().take());
}

#[test]
fn with_no_policy_taint_keeps_the_kernel_order_even_with_an_audit_sink() {
    // main.c taints before copying the request in: a bad `in` pointer still taints.
    for audit in [None, Some(Arc::new(Recorder::default()))] {
        let fw = quiet();
        let m = fw.register(Arc::new(EchoDriver::new())).unwrap();
        fw.set_hooks(Hooks { policy: None, audit: audit.clone().map(|a| a as Arc<dyn AuditSink>) });
        let h = fw.open(m, &user()).unwrap();
        let mut arg = Vec::new();
        for w in [32u32, 2, 4, 4] {
            arg.extend_from_slice(&w.to_ne_bytes());
        }
        arg.extend_from_slice(&0xdead_0000u64.to_ne_bytes()); // in: unmapped
        arg.extend_from_slice(&0x2000u64.to_ne_bytes());
        let mut mem = SegmentMemory::new();
        mem.map_owned(0x1000, arg).map_owned(0x2000, vec![0; 4]);
        assert_eq!(h.ioctl(&user(), 0x9A01, 0x1000, &mut mem), Err(Errno::EFAULT));
        assert!(fw.taint().is_tainted(), "audit installed: {}", audit.is_some());
        if let Some(a) = audit {
            assert_eq!(a.taints.lock().unwrap().len(), 1);
            assert_eq!(a.rpcs.lock().unwrap()[0].result, Err(Errno::EFAULT));
        }
    }
}
