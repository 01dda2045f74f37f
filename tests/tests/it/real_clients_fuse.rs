//! fwctl's FUSE device nodes (`fwctld --dev-dir`), driven through the real
//! kernel: this test process issues `open(2)`/`ioctl(2)`/`close(2)` on the
//! nodes exactly as a C tool would, with pointers into its own memory (holes,
//! read-only pages and buffers straddling a mapping's end included).
//!
//! The errno table is differential: every case runs once through the node and
//! once through the in-process dispatcher over the same kind of memory, and the
//! errno and the bytes left in memory must agree, besides matching the kernel's
//! expectation restated from `drivers/fwctl/main.c` (kernel-fwctl.md §2).
//! Without root or `/dev/fuse` each test prints SKIP and why.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![allow(unsafe_code)] // mmap(2) of a device node: the FFI call under test

use std::num::NonZeroUsize;
use std::os::unix::fs::MetadataExt;

use fwctl_core::{Credentials, Subsystem};
use fwctl_fuse::ProcessMemory;
use fwctl_mlx5_sim::{Mlx5Device, SimConfig, prm};
use fwctl_tests::echo::EchoDriver;
use fwctl_tests::real_clients::{Nodes, Pages, raw_ioctl};
use nix::libc;

// kernel-fwctl.md §1.1: _IO(0x9A, 0) and _IO(0x9A, 1).
const INFO: u32 = 0x9A00;
const RPC: u32 = 0x9A01;
const MIB2: u32 = 2 * 1024 * 1024;

fn echo() -> EchoDriver {
    let d = EchoDriver::new();
    *d.config.info.lock().unwrap() = Some(b"ECHOINFO".to_vec());
    d
}

fn echo_nodes(tag: &str) -> Option<(Nodes, EchoDriver)> {
    let s = Subsystem::new();
    let d = echo();
    s.register(std::sync::Arc::new(d.clone())).unwrap();
    Some((Nodes::mount(tag, s, 0o600)?, d))
}

fn info_struct(size: u32, flags: u32, data_len: u32, data: u64) -> Vec<u8> {
    let mut b = Vec::new();
    for w in [size, flags, 0, data_len] {
        b.extend(w.to_ne_bytes());
    }
    b.extend(data.to_ne_bytes());
    b
}

fn rpc_struct(size: u32, scope: u32, in_len: u32, out_len: u32, inp: u64, out: u64) -> Vec<u8> {
    let mut b = Vec::new();
    for w in [size, scope, in_len, out_len] {
        b.extend(w.to_ne_bytes());
    }
    b.extend(inp.to_ne_bytes());
    b.extend(out.to_ne_bytes());
    b
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().unwrap())
}

#[test]
fn nodes_are_listed_with_the_kernels_owner_and_mode() {
    let s = Subsystem::new();
    s.register(std::sync::Arc::new(echo())).unwrap();
    s.register(std::sync::Arc::new(echo())).unwrap();
    let Some(n) = Nodes::mount("rc-list", s.clone(), 0o600) else { return };
    let mut names: Vec<String> = std::fs::read_dir(n.dir.path().join("dev"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["fwctl0", "fwctl1"]);
    let m = std::fs::metadata(n.node("fwctl0")).unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o600, 0, 0), "root:root 0600 as the kernel's nodes");
    assert!(std::fs::metadata(n.node("fwctl7")).is_err());
    // --dev-mode
    let Some(n2) = Nodes::mount("rc-mode", s, 0o660) else { return };
    assert_eq!(std::fs::metadata(n2.node("fwctl1")).unwrap().mode() & 0o7777, 0o660);
}

#[test]
fn info_and_query_adapter_through_a_node_match_in_process() {
    let s = Subsystem::new();
    s.register(Mlx5Device::new(SimConfig::with_seed(5)).unwrap().into_driver()).unwrap();
    let Some(n) = Nodes::mount("rc-mlx5", s, 0o600) else { return };
    let f = n.open("fwctl0").unwrap();

    let reference = Subsystem::new();
    reference.register(Mlx5Device::new(SimConfig::with_seed(5)).unwrap().into_driver()).unwrap();
    let me = Credentials::current();
    let h = reference.open(0, &me).unwrap();

    // FWCTL_INFO: struct fwctl_info_mlx5 {uid, uctx_caps} into a 16-byte buffer.
    let mut data = [0xAAu8; 16];
    let mut info = info_struct(24, 0, 16, data.as_mut_ptr() as u64);
    raw_ioctl(&f, INFO, info.as_mut_ptr() as u64).unwrap();
    assert_eq!((u32_at(&info, 8), u32_at(&info, 12)), (1, 8), "mlx5, 8 bytes of device data");
    let mut want = [0u8; 16];
    let r = h.info(&me, &mut want).unwrap();
    assert_eq!(r.device_data_len, 8);
    assert_eq!(data, want, "same uid and caps; the tail zero-filled");

    // QUERY_ADAPTER at configuration scope.
    let req = prm::build::query_adapter();
    let mut out = [0u8; 272];
    let mut rpc = rpc_struct(32, 0, req.len() as u32, 272, req.as_ptr() as u64, out.as_mut_ptr() as u64);
    raw_ioctl(&f, RPC, rpc.as_mut_ptr() as u64).unwrap();
    assert_eq!(u32_at(&rpc, 12), 272);
    let mut want = [0u8; 272];
    h.rpc(&me, 0, &req, &mut want).unwrap();
    assert_eq!(out, want);
    assert_eq!(&out[256..269], b"MT_0000000838");
}

#[test]
fn read_write_and_shared_mmap_answer_as_fwctls_fops() {
    use std::io::{Read, Write};
    let Some((n, _d)) = echo_nodes("rc-fops") else { return };
    let mut f = n.open("fwctl0").unwrap();
    // fwctl_fops has no read/write: vfs_read/vfs_write give EINVAL.
    assert_eq!(f.read(&mut [0u8; 8]).unwrap_err().raw_os_error(), Some(libc::EINVAL));
    assert_eq!(f.write(b"x").unwrap_err().raw_os_error(), Some(libc::EINVAL));
    // No .mmap: do_mmap gives ENODEV.
    use nix::sys::mman::{MapFlags, ProtFlags, mmap};
    // SAFETY: a shared mapping request that the server must refuse; nothing is
    // mapped on the expected path, and a mapping, if any, is never dereferenced.
    let r = unsafe {
        mmap(None, NonZeroUsize::new(4096).unwrap(), ProtFlags::PROT_READ, MapFlags::MAP_SHARED, &f, 0)
    };
    assert_eq!(r.err(), Some(nix::errno::Errno::ENODEV));
    // Unknown ioctl numbers: ENOTTY.
    assert_eq!(raw_ioctl(&f, 0x9A02, 0), Err(libc::ENOTTY));
    assert_eq!(raw_ioctl(&f, 0x9B00, 0), Err(libc::ENOTTY));
}

#[test]
fn each_open_is_one_uctx_closed_exactly_once() {
    let Some((n, d)) = echo_nodes("rc-once") else { return };
    let files: Vec<_> = (0..5).map(|_| n.open("fwctl0").unwrap()).collect();
    assert_eq!(d.live_contexts(), 5);
    // A dup shares the open file: still one uctx per open(2).
    let dup = files[0].try_clone().unwrap();
    drop(files);
    assert!(fwctl_tests::daemon::wait_until(std::time::Duration::from_secs(5), || d.live_contexts() <= 1));
    assert_eq!(d.live_contexts(), 1, "the dup keeps its open file alive");
    drop(dup);
    // release is asynchronous to close(2) in FUSE: wait for it.
    assert!(fwctl_tests::daemon::wait_until(std::time::Duration::from_secs(5), || d.live_contexts() == 0));
    assert_eq!(d.counters.closes.load(std::sync::atomic::Ordering::SeqCst), 5);
}

#[test]
fn hot_unplug_removes_the_node_and_open_files_get_enodev() {
    let Some((n, d)) = echo_nodes("rc-unplug") else { return };
    let f = n.open("fwctl0").unwrap();
    let mut data = [0u8; 8];
    let mut info = info_struct(24, 0, 8, data.as_mut_ptr() as u64);
    raw_ioctl(&f, INFO, info.as_mut_ptr() as u64).unwrap();
    n.subsystem.unregister(0).unwrap();
    assert_eq!(d.live_contexts(), 0, "unregister closed the uctx");
    assert_eq!(raw_ioctl(&f, INFO, info.as_mut_ptr() as u64), Err(libc::ENODEV));
    assert!(std::fs::metadata(n.node("fwctl0")).is_err(), "the node is gone");
    assert_eq!(std::fs::read_dir(n.dir.path().join("dev")).unwrap().count(), 0);
    drop(f);
    assert_eq!(d.counters.closes.load(std::sync::atomic::Ordering::SeqCst), 1, "closed once, by unregister");
}

/// One case of the errno table: a memory layout, the ioctl and the kernel's answer.
/// Also run against the daemon's memory model (`security_memory.rs`).
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) cmd: u32,
    /// Lay out memory in 4 pages, return the argument address.
    pub(crate) setup: fn(&mut Pages) -> u64,
    /// The kernel's errno (0: success).
    pub(crate) want: i32,
}

/// Pages 0..3: 0 holds the struct, 1 the `in` buffer, 2 the `out` buffer, 3 is
/// what cases turn into a hole or a read-only page.
pub(crate) fn cases() -> Vec<Case> {
    fn info(p: &mut Pages, size: u32, flags: u32, len: u32, data: u64) -> u64 {
        let mut s = info_struct(size.max(24), flags, len, data);
        s.resize(size.max(24) as usize, 0);
        p.write(0, &s[..]);
        p.write(0, &size.to_ne_bytes());
        p.addr(0)
    }
    fn rpc(p: &mut Pages, size: u32, scope: u32, in_len: u32, out_len: u32, inp: u64, out: u64) -> u64 {
        p.write(0, &rpc_struct(size, scope, in_len, out_len, inp, out));
        p.write(p.page(), b"pingpong");
        p.addr(0)
    }
    vec![
        // §2.2 steps 1-2: an unknown number is ENOIOCTLCMD, i.e. ENOTTY.
        Case { name: "nr 2", cmd: 0x9A02, setup: |p| info(p, 24, 0, 0, 0), want: libc::ENOTTY },
        Case { name: "type 0x9B", cmd: 0x9B00, setup: |p| info(p, 24, 0, 0, 0), want: libc::ENOTTY },
        Case {
            name: "_IOWR(0x9A,0,24)",
            cmd: 0xC018_9A00,
            setup: |p| info(p, 24, 0, 0, 0),
            want: libc::ENOTTY,
        },
        // §2.2 step 3: the size read faults.
        Case { name: "NULL arg", cmd: INFO, setup: |_| 0, want: libc::EFAULT },
        Case {
            name: "arg in a hole",
            cmd: INFO,
            setup: |p| {
                p.unmap(3);
                p.addr(3 * p.page())
            },
            want: libc::EFAULT,
        },
        // §2.2 step 4: below the minimum size.
        Case { name: "INFO size 23", cmd: INFO, setup: |p| info(p, 23, 0, 0, 0), want: libc::EINVAL },
        Case { name: "RPC size 31", cmd: RPC, setup: |p| rpc(p, 31, 0, 0, 0, 0, 0), want: libc::EINVAL },
        // §2.2 step 5: copy_struct_from_user.
        Case { name: "INFO size 32, zero tail", cmd: INFO, setup: |p| info(p, 32, 0, 0, 0), want: 0 },
        Case {
            name: "INFO size 32, non-zero tail",
            cmd: INFO,
            setup: |p| {
                let a = info(p, 32, 0, 0, 0);
                p.write(30, &[1]);
                a
            },
            want: libc::E2BIG,
        },
        Case {
            name: "struct tail straddling into a hole",
            cmd: INFO,
            setup: |p| {
                let at = 3 * p.page() - 24;
                p.write(at, &info_struct(40, 0, 0, 0));
                p.unmap(3);
                p.addr(at)
            },
            want: libc::EFAULT,
        },
        // §2.3 FWCTL_INFO.
        Case { name: "INFO flags 1", cmd: INFO, setup: |p| info(p, 24, 1, 0, 0), want: libc::EOPNOTSUPP },
        Case { name: "INFO len 0, NULL data", cmd: INFO, setup: |p| info(p, 24, 0, 0, 0), want: 0 },
        Case {
            name: "INFO 16-byte buffer (zero-padded)",
            cmd: INFO,
            setup: |p| {
                p.write(2 * p.page(), &[0xEE; 16]);
                info(p, 24, 0, 16, p.addr(2 * p.page()))
            },
            want: 0,
        },
        Case {
            name: "INFO data in a hole",
            cmd: INFO,
            setup: |p| {
                p.unmap(3);
                info(p, 24, 0, 8, p.addr(3 * p.page()))
            },
            want: libc::EFAULT,
        },
        Case {
            name: "INFO data read-only",
            cmd: INFO,
            setup: |p| {
                p.read_only(3);
                info(p, 24, 0, 8, p.addr(3 * p.page()))
            },
            want: libc::EFAULT,
        },
        Case {
            name: "INFO data straddling a mapping's end",
            cmd: INFO,
            setup: |p| {
                p.unmap(3);
                info(p, 24, 0, 8, p.addr(3 * p.page() - 4))
            },
            want: libc::EFAULT,
        },
        // §2.4 FWCTL_RPC.
        Case {
            name: "RPC in_len 2 MiB + 1",
            cmd: RPC,
            setup: |p| rpc(p, 32, 0, MIB2 + 1, 8, p.addr(p.page()), p.addr(2 * p.page())),
            want: libc::EMSGSIZE,
        },
        Case {
            name: "RPC out_len 2 MiB + 1",
            cmd: RPC,
            setup: |p| rpc(p, 32, 0, 8, MIB2 + 1, p.addr(p.page()), p.addr(2 * p.page())),
            want: libc::EMSGSIZE,
        },
        Case {
            name: "RPC scope 4",
            cmd: RPC,
            setup: |p| rpc(p, 32, 4, 8, 8, p.addr(p.page()), p.addr(2 * p.page())),
            want: libc::EOPNOTSUPP,
        },
        Case {
            name: "RPC echo",
            cmd: RPC,
            setup: |p| rpc(p, 32, 0, 4, 8, p.addr(p.page()), p.addr(2 * p.page())),
            want: 0,
        },
        Case {
            name: "RPC in in a hole",
            cmd: RPC,
            setup: |p| {
                p.unmap(3);
                rpc(p, 32, 0, 8, 8, p.addr(3 * p.page()), p.addr(2 * p.page()))
            },
            want: libc::EFAULT,
        },
        Case {
            name: "RPC in straddling a mapping's end",
            cmd: RPC,
            setup: |p| {
                p.unmap(3);
                rpc(p, 32, 0, 8, 8, p.addr(3 * p.page() - 4), p.addr(2 * p.page()))
            },
            want: libc::EFAULT,
        },
        Case {
            name: "RPC out read-only",
            cmd: RPC,
            setup: |p| {
                p.read_only(3);
                rpc(p, 32, 0, 8, 8, p.addr(p.page()), p.addr(3 * p.page()))
            },
            want: libc::EFAULT,
        },
        Case {
            name: "RPC out straddling a mapping's end",
            cmd: RPC,
            setup: |p| {
                p.unmap(3);
                rpc(p, 32, 0, 8, 8, p.addr(p.page()), p.addr(3 * p.page() - 4))
            },
            want: libc::EFAULT,
        },
        Case { name: "RPC in NULL, in_len 0", cmd: RPC, setup: |p| rpc(p, 32, 0, 0, 0, 0, 0), want: 0 },
    ]
}

#[test]
fn the_errno_table_through_a_node_matches_the_kernel_and_the_in_process_dispatcher() {
    let Some((n, _d)) = echo_nodes("rc-errno") else { return };
    let f = n.open("fwctl0").unwrap();
    let reference = Subsystem::new();
    reference.register(std::sync::Arc::new(echo())).unwrap();
    let me = Credentials::current();
    let h = reference.open(0, &me).unwrap();
    let mut failures = Vec::new();
    for c in cases() {
        let mut a = Pages::new(4);
        let arg = (c.setup)(&mut a);
        let got = raw_ioctl(&f, c.cmd, arg).err().unwrap_or(0);
        let mut b = Pages::new(4);
        let arg_b = (c.setup)(&mut b);
        let mut mem = ProcessMemory::new(std::process::id() as i32);
        let in_process = h.ioctl(&me, c.cmd, arg_b, &mut mem).err().map(|e| e.code()).unwrap_or(0);
        // Pages 0-2 are always mapped and readable: the bytes must agree, but for
        // the pointers at offsets 16..32 of the struct in page 0 (absolute
        // addresses of each run's own pages).
        let pg = a.page();
        let bytes = |p: &Pages| [p.read(0, 16), p.read(32, 3 * pg - 32)].concat();
        let (ma, mb) = (bytes(&a), bytes(&b));
        if got != c.want || in_process != c.want || ma != mb {
            failures.push(format!(
                "{}: node {got}, in-process {in_process}, kernel {}; memory {}",
                c.name,
                c.want,
                if ma == mb { "same" } else { "differs" }
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn written_results_land_in_the_callers_memory_like_copy_to_user() {
    let Some((n, _d)) = echo_nodes("rc-bytes") else { return };
    let f = n.open("fwctl0").unwrap();
    let cs = cases();
    let run = |name: &str| {
        let c = cs.iter().find(|c| c.name == name).unwrap();
        let mut p = Pages::new(4);
        let arg = (c.setup)(&mut p);
        (raw_ioctl(&f, c.cmd, arg).err().unwrap_or(0), p)
    };
    // INFO: the driver's 8 bytes, the rest of the 16-byte buffer zeroed, the
    // driver's length reported.
    let (e, p) = run("INFO 16-byte buffer (zero-padded)");
    assert_eq!(e, 0);
    assert_eq!(p.read(2 * p.page(), 16), b"ECHOINFO\0\0\0\0\0\0\0\0");
    assert_eq!((u32_at(&p.read(0, 24), 8), u32_at(&p.read(0, 24), 12)), (1, 8));
    // RPC: the echo, zero-padded to the capacity; out_len is the response length.
    let (e, p) = run("RPC echo");
    assert_eq!(e, 0);
    assert_eq!(p.read(2 * p.page(), 8), b"ping\0\0\0\0");
    assert_eq!(u32_at(&p.read(0, 32), 12), 8);
    // A response running into a hole: EFAULT, and the bytes before the hole are
    // written (copy_to_user copies up to the fault).
    let (e, p) = run("RPC out straddling a mapping's end");
    assert_eq!(e, libc::EFAULT);
    assert_eq!(p.read(3 * p.page() - 4, 4), b"ping");
    // INFO size 32 with a zero tail: 24 bytes written back, the tail untouched.
    let (e, p) = run("INFO size 32, zero tail");
    assert_eq!(e, 0);
    assert_eq!(u32_at(&p.read(0, 32), 0), 32, "size is rewritten verbatim");
}

/// Voluntary context switches of thread `tid` of this process.
fn wakeups(tid: i32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/self/task/{tid}/status")).unwrap();
    s.lines().find_map(|l| l.strip_prefix("voluntary_ctxt_switches:")).unwrap().trim().parse().unwrap()
}

#[test]
fn a_request_to_idle_server_threads_wakes_one_of_them() {
    let Some((n, _d)) = echo_nodes("rc-herd") else { return };
    let f = n.open("fwctl0").unwrap();
    let threads = n.nodes.as_ref().unwrap().server_threads();
    assert_eq!(threads.len(), 2, "two server threads by default");
    const CALLS: u64 = 100;
    let before: u64 = threads.iter().map(|&t| wakeups(t)).sum();
    for _ in 0..CALLS {
        // A gap, so that both threads are waiting when the request comes.
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert_eq!(raw_ioctl(&f, 0x9A7F, 0), Err(libc::ENOTTY));
    }
    let woken = threads.iter().map(|&t| wakeups(t)).sum::<u64>() - before;
    // One wake-up per request; poll(2) on the shared /dev/fuse woke both
    // threads for every request (2 per call).
    assert!((CALLS * 9 / 10..CALLS * 3 / 2).contains(&woken), "{woken} wake-ups for {CALLS} requests");
}
