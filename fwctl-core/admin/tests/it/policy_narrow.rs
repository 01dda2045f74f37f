//! Property: a policy only narrows. For random policies and requests, nothing the
//! driver refuses is ever allowed, and lockdown always refuses debug-write-full.

use crate::common;

use std::borrow::Cow;

use common::{device, user};
use fwctl_admin::policy::{self, StaticResolver};
use fwctl_subsys::driver::{Effects, RegisterAccess, RpcDescription};
use fwctl_subsys::hooks::{Policy, RpcCheck};
use fwctl_uapi::DeviceType;
use fwctl_uapi::{Errno, RpcScope};
use proptest::prelude::*;

const SCOPES: [&str; 4] = ["configuration", "debug-read-only", "debug-write", "debug-write-full"];

fn rule_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "users = [\"*\"]",
            "users = [0]",
            "users = [1000, 1001]",
            "groups = [10]",
            "cap_sys_rawio = true",
        ]),
        prop::sample::select(vec![
            "",
            "devices = [\"fwctl0\"]",
            "devices = [\"fwctl*\"]",
            "device_types = [\"mlx5\"]",
            "firmware = [\"1.*\"]",
        ]),
        any::<bool>(),
        0..4usize,
        prop::sample::select(vec!["", "opcodes = [1, 2]", "opcodes = [\"QUERY\"]"]),
        prop::sample::select(vec![
            "",
            "deny_opcodes = [3]",
            "deny_register_writes = [\"PAOS\"]",
            "deny_register_reads = [0x5006]",
        ]),
    )
        .prop_map(|(who, sel, deny, scope, allow_list, deny_list)| {
            if deny {
                format!("action = \"deny\"\n{who}\n{sel}\n{deny_list}\n")
            } else {
                format!("{who}\n{sel}\nmax_scope = \"{}\"\n{allow_list}\n{deny_list}\n", SCOPES[scope])
            }
        })
}

fn policy_text() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::option::of(0..4usize), prop::collection::vec(rule_text(), 0..8)).prop_map(
        |(lockdown, ceiling, rules)| {
            let mut t = format!("version = 1\nlockdown = {lockdown}\n");
            if let Some(c) = ceiling {
                t.push_str(&format!("[[device]]\nmax_scope = \"{}\"\n", SCOPES[c]));
            }
            for (i, r) in rules.iter().enumerate() {
                t.push_str(&format!("[[rule]]\nname = \"r{i}\"\n{r}"));
            }
            t
        },
    )
}

fn description() -> impl Strategy<Value = Option<RpcDescription>> {
    prop::option::of((0..5u32, 0..2u32, prop::option::of(0..4u32), 0..3u8, any::<bool>())).prop_map(|d| {
        d.map(|(opcode, op_mod, min, reg, named)| RpcDescription {
            opcode,
            op_mod,
            name: named.then_some(Cow::Borrowed("QUERY")),
            min_scope: min.and_then(RpcScope::from_u32),
            effects: Effects::READ,
            expected_out_len: None,
            register: (reg > 0).then(|| RegisterAccess {
                id: 0x5006,
                name: Some("PAOS".into()),
                write: reg == 2,
            }),
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn nothing_the_driver_refuses_is_ever_allowed(
        text in policy_text(),
        uid in prop::sample::select(vec![0u32, 1000, 1001, 2000]),
        cap in any::<bool>(),
        minor in 0..3u32,
        scope in 0..4u32,
        desc in description(),
    ) {
        let loaded = policy::load_str_with(&text, "p.toml", &StaticResolver::new()).unwrap();
        let p = loaded.policy;
        let dev = device(minor, if minor == 2 { DeviceType::Cxl } else { DeviceType::Mlx5 }, None, Some("1.2"));
        let creds = user(uid, 10, &[], cap);
        let scope = RpcScope::from_u32(scope).unwrap();
        let d = p.check_rpc(&RpcCheck { device: &dev, creds: &creds, scope, description: desc.as_ref(), request: &[] });
        if let Some(desc) = &desc
            && !desc.allowed_at(scope)
        {
            prop_assert!(!d.allowed(), "driver refused but the policy allowed: {:?}", d);
            // Stages before the driver (firmware, device blocks, lockdown) may refuse
            // first; otherwise the driver's own errno comes back.
            prop_assert!(matches!(d.errno, Some(Errno::EBADMSG | Errno::EPERM | Errno::EACCES)));
        }
        if p.lockdown() && scope == RpcScope::DebugWriteFull {
            prop_assert!(!d.allowed());
        }
        // Allowing at a scope implies the caller matched a rule granting at least it.
        if d.allowed() {
            prop_assert!(d.rule.is_some());
        }
    }
}
