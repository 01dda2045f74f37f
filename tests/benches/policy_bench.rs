//! Policy compile time for a generated 10,000-rule policy (target <= 50 ms), and
//! the cost of one decision with 10 vs 10,000 rules (target: within 1.2x of each
//! other, and <= 100 ns). Run: `cargo bench -p fwctl-tests --bench policy_bench`.

use std::borrow::Cow;
use std::time::Instant;

use fwctl_core::driver::{DeviceIdentity, Effects, RpcDescription};
use fwctl_core::hooks::{Policy, RpcCheck};
use fwctl_core::policy::{self, StaticResolver};
use fwctl_core::subsystem::DeviceView;
use fwctl_core::uapi::DeviceType;
use fwctl_core::{Credentials, RpcScope};
use fwctl_tests::bench::{Row, keep, median, median_ns_per_op, print_table};

/// `n` rules in the shapes real policies use: per-user rules on exact devices,
/// group rules with opcode allow-lists, deny rules with register lists, a few
/// glob and type selectors, and a catch-all at the end.
fn generate(n: usize) -> String {
    let mut t = String::from("version = 1\nlockdown = true\naudit = \"denials\"\n");
    t.push_str("[[device]]\nname = \"nic\"\ndevices = [\"fwctl7\"]\nenabled = false\n");
    for i in 0..n.saturating_sub(1) {
        let uid = 10_000 + i;
        let dev = i % 64;
        let rule = match i % 4 {
            0 => format!("users = [{uid}]\ndevices = [\"fwctl{dev}\"]\nmax_scope = \"debug-read-only\"\n"),
            1 => format!(
                "groups = [{uid}]\nmax_scope = \"configuration\"\nopcodes = [{}, \"QUERY_{i}\"]\n",
                i % 4096
            ),
            2 => format!(
                "action = \"deny\"\nusers = [{uid}]\ndeny_register_writes = [\"PAOS\", {}]\n",
                0x5000 + i % 256
            ),
            _ => format!(
                "users = [{uid}]\ndevice_types = [\"mlx5\"]\nparents = [\"0000:{:02x}:*\"]\nmax_scope = \"debug-write\"\n",
                i % 256
            ),
        };
        t.push_str(&format!("[[rule]]\nname = \"r{i}\"\n{rule}"));
    }
    t.push_str("[[rule]]\nname = \"root\"\nusers = [\"root\"]\nmax_scope = \"debug-read-only\"\ndeny_opcodes = [\"DUMP\"]\n");
    t
}

fn main() {
    let resolver = StaticResolver::new();
    let big = generate(10_000);
    let small = generate(10);

    let mut compile_ms: Vec<f64> = (0..9)
        .map(|_| {
            let t = Instant::now();
            let loaded = keep(policy::load_str_with(&big, "bench.toml", &resolver));
            let ms = t.elapsed().as_secs_f64() * 1e3;
            drop(loaded); // freeing the result is not part of compiling it
            ms
        })
        .collect();
    let compile_big = median(&mut compile_ms);
    let mut compile_small_ms: Vec<f64> = (0..9)
        .map(|_| {
            let t = Instant::now();
            let loaded = keep(policy::load_str_with(&small, "bench.toml", &resolver));
            let ms = t.elapsed().as_secs_f64() * 1e3;
            drop(loaded);
            ms
        })
        .collect();
    let compile_small = median(&mut compile_small_ms);

    let (Ok(p_small), Ok(p_big)) = (
        policy::load_str_with(&small, "s.toml", &resolver),
        policy::load_str_with(&big, "b.toml", &resolver),
    ) else {
        eprintln!("generated policies must load");
        std::process::exit(1);
    };
    assert_eq!(p_big.policy.rule_count(), 10_000);
    let dev = DeviceView {
        minor: 3,
        name: "fwctl3".into(),
        device_type: DeviceType::Mlx5,
        identity: DeviceIdentity {
            driver: "bench".into(),
            parent: Some("0000:08:00.0".into()),
            fw_version: Some("28.39.1002".into()),
            serial: None,
            psid: None,
        },
    };
    // Root in a few groups, holding CAP_SYS_RAWIO: the caller every rule lookup
    // must consider (uid, primary and supplementary groups, capability, everyone).
    let creds = Credentials {
        uid: 0,
        gid: 0,
        groups: vec![4, 24, 27],
        pid: 1,
        comm: "bench".into(),
        cap_sys_rawio: true,
        ..Credentials::default()
    };
    let desc = RpcDescription {
        opcode: 0x100,
        op_mod: 0,
        name: Some(Cow::Borrowed("QUERY_HCA_CAP")),
        min_scope: Some(RpcScope::Configuration),
        effects: Effects::READ,
        expected_out_len: None,
        register: None,
    };
    let check = RpcCheck {
        device: &dev,
        creds: &creds,
        scope: RpcScope::DebugReadOnly,
        description: Some(&desc),
        request: &[],
    };
    let ps = p_small.policy.clone();
    let pb = p_big.policy.clone();
    assert!(ps.check_rpc(&check).allowed() && pb.check_rpc(&check).allowed());
    let small_ns = median_ns_per_op(31, 20_000, || {
        keep(ps.check_rpc(keep(&check)));
    });
    let big_ns = median_ns_per_op(31, 20_000, || {
        keep(pb.check_rpc(keep(&check)));
    });
    let ratio = big_ns / small_ns;
    print_table(
        "policy compile",
        &[
            Row {
                name: "compile 10 rules".into(),
                value: compile_small,
                unit: "ms",
                note: "baseline".into(),
            },
            Row {
                name: "compile 10,000 rules".into(),
                value: compile_big,
                unit: "ms",
                note: format!("target <= 50 ms: {}", if compile_big <= 50.0 { "met" } else { "MISSED" }),
            },
        ],
    );
    print_table(
        "policy decision (allowed RPC)",
        &[
            Row { name: "decide, 10 rules".into(), value: small_ns, unit: "ns/op", note: "baseline".into() },
            Row {
                name: "decide, 10,000 rules".into(),
                value: big_ns,
                unit: "ns/op",
                note: format!(
                    "{ratio:.2}x baseline (target <= 1.2x: {}); target <= 100 ns: {}",
                    if ratio <= 1.2 { "met" } else { "MISSED" },
                    if big_ns <= 100.0 { "met" } else { "MISSED" }
                ),
            },
        ],
    );
}
