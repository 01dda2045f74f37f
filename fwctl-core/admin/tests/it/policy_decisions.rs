//! Decisions of the shipped policies for a table of (principal, device, scope,
//! command) cases, the ordering rules, and the policy installed in a subsystem.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use crate::common;

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use common::{PAOS, TestDriver, device, req, root, user};
use fwctl_admin::policy::{self, CompiledPolicy, StaticResolver};
use fwctl_subsys::driver::{Effects, RegisterAccess, RpcDescription};
use fwctl_subsys::hooks::{Hooks, OpenCheck, Policy, RpcCheck};
use fwctl_subsys::subsystem::DeviceView;
use fwctl_subsys::{Credentials, Subsystem};
use fwctl_uapi::DeviceType;
use fwctl_uapi::{Errno, RpcScope};

use RpcScope::{Configuration as CFG, DebugReadOnly as DRO, DebugWrite as DW, DebugWriteFull as DWF};

fn resolver() -> StaticResolver {
    StaticResolver::new().user("alice", 1000).user("monitor", 991).group("fwctl", 500)
}

fn compile(text: &str) -> Arc<CompiledPolicy> {
    policy::load_str_with(text, "policy.toml", &resolver()).unwrap().policy
}

fn cmd(opcode: u32, op_mod: u32, name: Option<&'static str>, min: Option<RpcScope>) -> RpcDescription {
    RpcDescription {
        opcode,
        op_mod,
        name: name.map(Cow::Borrowed),
        min_scope: min,
        effects: Effects::READ,
        expected_out_len: None,
        register: None,
    }
}

fn reg(write: bool, min: RpcScope) -> RpcDescription {
    let mut d = cmd(0x805, 0, Some("ACCESS_REG"), Some(min));
    d.register = Some(RegisterAccess { id: PAOS, name: Some("PAOS".into()), write });
    d
}

fn query() -> RpcDescription {
    cmd(0x100, 0, Some("QUERY_HCA_CAP"), Some(CFG))
}

fn alice() -> Credentials {
    user(1000, 1000, &[500], false)
}
fn bob_rawio() -> Credentials {
    user(2000, 2000, &[], true)
}
fn carol() -> Credentials {
    user(3000, 3000, &[], false)
}

fn nic0() -> DeviceView {
    device(0, DeviceType::Mlx5, Some("0000:08:00.0"), Some("28.39.1002"))
}
fn nic1() -> DeviceView {
    device(1, DeviceType::Mlx5, Some("0000:08:00.1"), Some("28.39.1002"))
}
fn cxl2() -> DeviceView {
    device(2, DeviceType::Cxl, Some("0000:3a:00.0"), Some("1.2"))
}
fn mgmt3() -> DeviceView {
    device(3, DeviceType::Mlx5, Some("0000:00:1f.6"), Some("28.39.1002"))
}
fn old4() -> DeviceView {
    device(4, DeviceType::Mlx5, Some("0000:09:00.0"), Some("28.35.2000"))
}

/// (errno, rule) of an RPC decision.
fn rpc(
    p: &CompiledPolicy,
    who: &Credentials,
    dev: &DeviceView,
    scope: RpcScope,
    d: Option<&RpcDescription>,
) -> (Option<Errno>, Option<String>) {
    let dec = p.check_rpc(&RpcCheck { device: dev, creds: who, scope, description: d, request: &[] });
    (dec.errno, dec.rule.as_deref().map(str::to_string))
}

fn open(p: &CompiledPolicy, who: &Credentials, dev: &DeviceView) -> (Option<Errno>, Option<String>) {
    let dec = p.check_open(&OpenCheck { device: dev, creds: who });
    (dec.errno, dec.rule.as_deref().map(str::to_string))
}

/// `device block 'NAME' (policy.toml:L)`, L being the line of the block's header.
fn block(text: &str, name: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == format!("name = \"{name}\"")).unwrap();
    let header = (0..at).rev().find(|i| lines[*i].starts_with("[[")).unwrap() + 1;
    format!("device block '{name}' (policy.toml:{header})")
}

fn ok(rule: &str) -> (Option<Errno>, Option<String>) {
    (None, Some(rule.into()))
}
fn no(e: Errno, rule: &str) -> (Option<Errno>, Option<String>) {
    (Some(e), Some(rule.into()))
}
fn default_deny() -> (Option<Errno>, Option<String>) {
    (Some(Errno::EPERM), None)
}
fn driver_refuses() -> (Option<Errno>, Option<String>) {
    (Some(Errno::EBADMSG), None)
}

#[test]
fn default_policy_is_read_only_for_root_only() {
    let p = compile(policy::shipped::DEFAULT);
    let q = query();
    let cases: Vec<(&str, Credentials, DeviceView, RpcScope, Option<RpcDescription>, _)> = vec![
        ("root config", root(), nic0(), CFG, Some(q.clone()), ok("root-read-only")),
        ("root debug read", root(), cxl2(), DRO, Some(q.clone()), ok("root-read-only")),
        ("root debug write", root(), nic0(), DW, Some(q.clone()), no(Errno::EPERM, "root-read-only")),
        ("root full: lockdown", root(), nic0(), DWF, Some(q.clone()), no(Errno::EPERM, "lockdown")),
        ("alice: default deny", alice(), nic0(), CFG, Some(q.clone()), default_deny()),
        ("driver wants more", root(), nic0(), DRO, Some(cmd(7, 0, None, Some(DW))), driver_refuses()),
        ("driver never allows", root(), nic0(), CFG, Some(cmd(7, 0, None, None)), driver_refuses()),
        ("undescribable: driver answers", root(), nic0(), CFG, None, ok("root-read-only")),
    ];
    for (what, who, dev, scope, d, want) in cases {
        assert_eq!(rpc(&p, &who, &dev, scope, d.as_ref()), want, "{what}");
    }
    assert_eq!(open(&p, &root(), &nic0()), ok("root-read-only"));
    assert_eq!(open(&p, &alice(), &nic0()), default_deny());
    assert!(p.lockdown());
    assert_eq!(p.audit_level(), fwctl_admin::audit::AuditLevel::All);
}

/// The shipped lab policy with its commented-out group line enabled (the
/// shipped file names no group a machine may lack; this table also checks the
/// group principal of `lab-admins`).
fn lab_with_group() -> String {
    let line = "# groups = [\"fwctl\"]";
    assert!(policy::shipped::LAB.contains(line), "lab.toml's example group line moved");
    policy::shipped::LAB.replace(line, "groups = [\"fwctl\"]")
}

#[test]
fn lab_policy_decision_table() {
    let lab = lab_with_group();
    let p = compile(&lab);
    let q = query();
    let adapter_at_0805 = cmd(0x805, 0, None, Some(CFG));
    let cases: Vec<(&str, Credentials, DeviceView, RpcScope, Option<RpcDescription>, _)> = vec![
        (
            "PAOS write refused for root",
            root(),
            nic0(),
            DWF,
            Some(reg(true, DW)),
            no(Errno::EPERM, "no-port-admin"),
        ),
        ("PAOS read falls through", root(), nic0(), DW, Some(reg(false, CFG)), ok("lab-admins")),
        ("group member full", alice(), nic0(), DWF, Some(q.clone()), ok("lab-admins")),
        ("rawio on mlx5 write", bob_rawio(), nic0(), DW, Some(q.clone()), ok("rawio-debug")),
        ("rawio on mlx5 full", bob_rawio(), nic0(), DWF, Some(q.clone()), no(Errno::EPERM, "rawio-debug")),
        ("rawio on cxl falls to queries", bob_rawio(), cxl2(), DRO, Some(q.clone()), ok("everyone-queries")),
        ("anyone: listed query", carol(), nic0(), DRO, Some(q.clone()), ok("everyone-queries")),
        (
            "anyone: listed by number+op_mod",
            carol(),
            nic0(),
            CFG,
            Some(adapter_at_0805.clone()),
            ok("everyone-queries"),
        ),
        (
            "anyone: other op_mod not listed",
            carol(),
            nic0(),
            CFG,
            Some(cmd(0x805, 1, None, Some(CFG))),
            default_deny(),
        ),
        ("anyone: above ceiling", carol(), nic0(), DW, Some(q.clone()), no(Errno::EPERM, "everyone-queries")),
        (
            "anyone: unlisted command",
            carol(),
            nic0(),
            CFG,
            Some(cmd(9, 0, Some("SET_ISSI"), Some(CFG))),
            default_deny(),
        ),
        ("undescribable refused by deny list", carol(), nic0(), CFG, None, no(Errno::EPERM, "no-port-admin")),
        (
            "management NIC disabled",
            root(),
            mgmt3(),
            CFG,
            Some(q.clone()),
            no(Errno::EACCES, &block(&lab, "management-nic")),
        ),
        ("firmware deny-listed", root(), old4(), CFG, Some(q.clone()), no(Errno::EACCES, "deny_firmware")),
    ];
    for (what, who, dev, scope, d, want) in cases {
        assert_eq!(rpc(&p, &who, &dev, scope, d.as_ref()), want, "{what}");
    }
    assert_eq!(open(&p, &root(), &mgmt3()).0, Some(Errno::EACCES));
    assert_eq!(
        open(&p, &carol(), &nic0()),
        ok("everyone-queries"),
        "a conditional deny rule does not refuse the open"
    );
    assert!(!p.lockdown());
}

#[test]
fn lockdown_policy_decision_table() {
    let p = compile(policy::shipped::LOCKDOWN);
    let q = query();
    let diag = cmd(0x6, 0, Some("QUERY_DIAGNOSTIC_COUNTERS"), Some(CFG));
    let cases: Vec<(&str, Credentials, DeviceView, RpcScope, Option<RpcDescription>, _)> = vec![
        ("root reads", root(), nic0(), DRO, Some(q.clone()), ok("root-read")),
        (
            "root write: fleet ceiling",
            root(),
            nic0(),
            DW,
            Some(q.clone()),
            no(Errno::EPERM, &block(policy::shipped::LOCKDOWN, "read-only-fleet")),
        ),
        ("root full: lockdown first", root(), nic0(), DWF, Some(q.clone()), no(Errno::EPERM, "lockdown")),
        ("deny-listed by name", root(), nic0(), CFG, Some(diag), no(Errno::EPERM, "root-read")),
        (
            "deny-listed by number/op_mod",
            root(),
            nic0(),
            CFG,
            Some(cmd(0x806, 1, None, Some(CFG))),
            no(Errno::EPERM, "root-read"),
        ),
        ("other op_mod allowed", root(), nic0(), CFG, Some(cmd(0x806, 0, None, Some(CFG))), ok("root-read")),
        ("undescribable refused", root(), nic0(), CFG, None, no(Errno::EPERM, "root-read")),
        (
            "netdev-only NIC",
            root(),
            nic1(),
            CFG,
            Some(q.clone()),
            no(Errno::EACCES, &block(policy::shipped::LOCKDOWN, "netdev-only")),
        ),
        ("monitor on nic0", user(990, 990, &[], false), nic0(), CFG, Some(q.clone()), ok("monitoring")),
        ("monitor by id", user(990, 990, &[], false), cxl2(), CFG, Some(q.clone()), ok("monitoring")),
        (
            "monitor above ceiling",
            user(990, 990, &[], false),
            nic0(),
            DRO,
            Some(q.clone()),
            no(Errno::EPERM, "monitoring"),
        ),
        ("others", alice(), nic0(), CFG, Some(q.clone()), default_deny()),
    ];
    for (what, who, dev, scope, d, want) in cases {
        assert_eq!(rpc(&p, &who, &dev, scope, d.as_ref()), want, "{what}");
    }
    assert_eq!(open(&p, &root(), &nic1()).0, Some(Errno::EACCES));
}

#[test]
fn reasons_cite_rule_and_line() {
    let p = compile(policy::shipped::DEFAULT);
    let d = p.check_rpc(&RpcCheck {
        device: &nic0(),
        creds: &root(),
        scope: DW,
        description: Some(&query()),
        request: &[],
    });
    let line = policy::shipped::DEFAULT.lines().position(|l| l == "[[rule]]").unwrap() + 1;
    assert_eq!(
        &*d.reason,
        format!("denied by rule 'root-read-only' (policy.toml:{line}): it allows at most debug-read-only")
    );
    let d = p.check_rpc(&RpcCheck {
        device: &nic0(),
        creds: &alice(),
        scope: CFG,
        description: Some(&query()),
        request: &[],
    });
    assert_eq!(&*d.reason, "no rule allows uid 1000 on fwctl0 (default deny)");
    let d = p.check_rpc(&RpcCheck {
        device: &nic0(),
        creds: &root(),
        scope: DRO,
        description: Some(&cmd(1, 0, None, Some(DW))),
        request: &[],
    });
    assert_eq!(&*d.reason, "the driver requires scope debug-write for this command");
}

const HEAD: &str = "version = 1\n";

#[test]
fn order_firmware_deny_list_comes_before_device_blocks() {
    let p = compile(&format!(
        "{HEAD}deny_firmware = [\"28.39.*\"]\n[[device]]\nenabled = false\n[[rule]]\nname = \"all\"\nusers = [\"*\"]\nmax_scope = \"configuration\"\n"
    ));
    assert_eq!(rpc(&p, &root(), &nic0(), CFG, Some(&query())), no(Errno::EACCES, "deny_firmware"));
    assert_eq!(
        rpc(&p, &root(), &cxl2(), CFG, Some(&query())),
        no(Errno::EACCES, "device block (policy.toml:3)")
    );
}

#[test]
fn order_later_device_blocks_override_earlier_ones_key_by_key() {
    let text = format!(
        "{HEAD}[[device]]\nname = \"all-off\"\nenabled = false\nmax_scope = \"configuration\"\n\
         [[device]]\nname = \"keep-0\"\ndevices = [\"fwctl0\"]\nenabled = true\n\
         [[rule]]\nname = \"root\"\nusers = [\"root\"]\nmax_scope = \"debug-write\"\n"
    );
    let p = compile(&text);
    assert_eq!(rpc(&p, &root(), &nic0(), CFG, Some(&query())), ok("root"));
    assert_eq!(
        rpc(&p, &root(), &nic0(), DRO, Some(&query())),
        no(Errno::EPERM, "device block 'all-off' (policy.toml:2)"),
        "the first block's ceiling still applies: the second does not set max_scope"
    );
    assert_eq!(rpc(&p, &root(), &nic1(), CFG, Some(&query())).0, Some(Errno::EACCES));
    // Reversed order: the general block comes last and wins.
    let text = format!(
        "{HEAD}[[device]]\ndevices = [\"fwctl0\"]\nenabled = true\n[[device]]\nenabled = false\n\
         [[rule]]\nname = \"root\"\nusers = [\"root\"]\nmax_scope = \"debug-write\"\n"
    );
    assert_eq!(rpc(&compile(&text), &root(), &nic0(), CFG, Some(&query())).0, Some(Errno::EACCES));
}

#[test]
fn order_lockdown_comes_before_the_driver_and_the_driver_before_rules() {
    let p = compile(&format!(
        "{HEAD}lockdown = true\n[[rule]]\nname = \"all\"\nusers = [\"*\"]\nmax_scope = \"debug-write-full\"\n"
    ));
    assert_eq!(rpc(&p, &root(), &nic0(), DWF, Some(&cmd(1, 0, None, None))), no(Errno::EPERM, "lockdown"));
    assert_eq!(rpc(&p, &root(), &nic0(), DW, Some(&cmd(1, 0, None, None))), driver_refuses());
    assert_eq!(rpc(&p, &root(), &nic0(), DW, Some(&query())), ok("all"));
}

#[test]
fn order_first_matching_rule_wins() {
    let deny_first = format!(
        "{HEAD}[[rule]]\nname = \"no-alice\"\naction = \"deny\"\nusers = [\"alice\"]\n\
         [[rule]]\nname = \"fwctl-group\"\ngroups = [\"fwctl\"]\nmax_scope = \"debug-write\"\n"
    );
    assert_eq!(
        rpc(&compile(&deny_first), &alice(), &nic0(), CFG, Some(&query())),
        no(Errno::EPERM, "no-alice")
    );
    assert_eq!(open(&compile(&deny_first), &alice(), &nic0()), no(Errno::EPERM, "no-alice"));
    let allow_first = format!(
        "{HEAD}[[rule]]\nname = \"fwctl-group\"\ngroups = [\"fwctl\"]\nmax_scope = \"debug-write\"\n\
         [[rule]]\nname = \"no-alice\"\naction = \"deny\"\nusers = [\"alice\"]\n"
    );
    assert_eq!(rpc(&compile(&allow_first), &alice(), &nic0(), CFG, Some(&query())), ok("fwctl-group"));
}

#[test]
fn order_is_file_order_across_index_buckets() {
    // Rule 1 is found through the glob/any-device list of alice's uid bucket, rule 2
    // through the exact-name list of the "everyone" bucket: file order still wins.
    let text = format!(
        "{HEAD}[[rule]]\nname = \"glob-deny\"\naction = \"deny\"\nusers = [1000]\ndevices = [\"fwctl*\"]\n\
         [[rule]]\nname = \"exact-allow\"\nusers = [\"*\"]\ndevices = [\"fwctl0\"]\nmax_scope = \"configuration\"\n"
    );
    assert_eq!(rpc(&compile(&text), &alice(), &nic0(), CFG, Some(&query())), no(Errno::EPERM, "glob-deny"));
    let text = format!(
        "{HEAD}[[rule]]\nname = \"exact-allow\"\nusers = [\"*\"]\ndevices = [\"fwctl0\"]\nmax_scope = \"configuration\"\n\
         [[rule]]\nname = \"glob-deny\"\naction = \"deny\"\nusers = [1000]\ndevices = [\"fwctl*\"]\n"
    );
    let p = compile(&text);
    assert_eq!(rpc(&p, &alice(), &nic0(), CFG, Some(&query())), ok("exact-allow"));
    assert_eq!(rpc(&p, &alice(), &nic1(), CFG, Some(&query())), no(Errno::EPERM, "glob-deny"));
}

#[test]
fn allow_lists_and_conditional_denies_fall_through() {
    let text = format!(
        "{HEAD}[[rule]]\nname = \"no-paos-write\"\naction = \"deny\"\nusers = [\"*\"]\ndeny_register_writes = [0x5006]\n\
         [[rule]]\nname = \"queries\"\nusers = [\"*\"]\nopcodes = [\"query_hca_cap\"]\nmax_scope = \"debug-read-only\"\n\
         [[rule]]\nname = \"root\"\nusers = [\"root\"]\nmax_scope = \"debug-write\"\n"
    );
    let p = compile(&text);
    assert_eq!(
        rpc(&p, &carol(), &nic0(), DRO, Some(&query())),
        ok("queries"),
        "names match case-insensitively"
    );
    assert_eq!(
        rpc(&p, &root(), &nic0(), DW, Some(&query())),
        no(Errno::EPERM, "queries"),
        "the first covering rule decides"
    );
    assert_eq!(rpc(&p, &root(), &nic0(), DW, Some(&reg(false, CFG))), ok("root"));
    assert_eq!(rpc(&p, &root(), &nic0(), DW, Some(&reg(true, CFG))), no(Errno::EPERM, "no-paos-write"));
    assert_eq!(rpc(&p, &carol(), &nic0(), CFG, Some(&cmd(5, 0, None, Some(CFG)))), default_deny());
}

#[test]
fn selectors_by_type_parent_and_firmware() {
    let text = format!(
        "{HEAD}[[rule]]\nname = \"sel\"\nusers = [\"*\"]\ndevice_types = [\"mlx5\"]\nparents = [\"0000:08:*\"]\nfirmware = [\"28.39.*\"]\nmax_scope = \"configuration\"\n"
    );
    let p = compile(&text);
    assert_eq!(rpc(&p, &carol(), &nic1(), CFG, Some(&query())), ok("sel"));
    assert_eq!(rpc(&p, &carol(), &cxl2(), CFG, Some(&query())), default_deny(), "type");
    assert_eq!(rpc(&p, &carol(), &mgmt3(), CFG, Some(&query())), default_deny(), "parent");
    let no_fw = device(5, DeviceType::Mlx5, Some("0000:08:00.2"), None);
    assert_eq!(
        rpc(&p, &carol(), &no_fw, CFG, Some(&query())),
        default_deny(),
        "unknown firmware never matches"
    );
}

#[test]
fn explain_lists_the_rules_like_sudo_l() {
    let p = compile(&lab_with_group());
    let e = policy::explain(&p, &alice(), &nic0(), Some(DW), Some(&reg(true, DW)));
    assert_eq!(e.decision.rule.as_deref(), Some("no-port-admin"));
    let names: Vec<(&str, bool)> = e.rules.iter().map(|r| (r.name.as_str(), r.decided)).collect();
    assert_eq!(names, vec![("no-port-admin", true), ("lab-admins", false), ("everyone-queries", false)]);
    let text = e.to_string();
    assert!(text.starts_with("DENIED (EPERM): denied by rule 'no-port-admin' (policy.toml:"), "{text}");
    assert!(text.contains("firmware deny-list: 28.39.1002 is not listed"), "{text}");
    assert!(text.contains("* 'no-port-admin'"), "{text}");
    let e = policy::explain(&p, &alice(), &nic0(), None, None);
    assert!(e.decision.allowed());
    assert!(e.to_string().starts_with("ALLOWED: allowed by rule 'lab-admins'"), "{e}");
}

#[test]
fn principal_resolution_for_explain() {
    let r = resolver();
    let c = policy::principal_with("alice", &["fwctl", "27"], false, &r).unwrap();
    assert_eq!((c.uid, c.groups.clone()), (1000, vec![500, 27]));
    assert_eq!(policy::principal_with("4242", &[], true, &r).unwrap().uid, 4242);
    assert_eq!(
        policy::principal_with("nobody-here", &[], false, &r).unwrap_err(),
        policy::PrincipalError::UnknownUser("nobody-here".into())
    );
    let e = policy::principal_with("root", &["nope"], false, &r).unwrap_err();
    assert_eq!(
        (e.to_string(), e),
        ("unknown group 'nope'".into(), policy::PrincipalError::UnknownGroup("nope".into()))
    );
}

#[test]
fn installed_policy_refuses_before_the_driver_sees_anything() {
    let fwctl = Subsystem::new();
    let drv = Arc::new(TestDriver::new("28.39.1002"));
    let rpcs = drv.rpcs.clone();
    let minor = fwctl.register(drv).unwrap();
    let p = compile(policy::shipped::DEFAULT);
    fwctl.set_hooks(Hooks { policy: Some(p), audit: None });
    assert_eq!(fwctl.open(minor, &alice()).err(), Some(Errno::EPERM));
    let h = fwctl.open(minor, &root()).unwrap();
    let mut out = [0u8; 4];
    assert!(h.rpc(&root(), DRO as u32, &req(1, 0, CFG, 0), &mut out).is_ok());
    assert_eq!(h.rpc(&root(), DW as u32, &req(1, 0, CFG, 0), &mut out), Err(Errno::EPERM));
    assert_eq!(h.rpc(&root(), DWF as u32, &req(1, 0, CFG, 0), &mut out), Err(Errno::EPERM));
    assert_eq!(rpcs.load(Ordering::SeqCst), 1, "refused RPCs never reach the driver");
    assert!(!fwctl.taint().is_tainted(), "a refused tainting scope does not taint");
    let dry = h.dry_run(&root(), DW as u32, &req(1, 0, CFG, 0)).unwrap();
    assert_eq!(dry.decision.rule.as_deref(), Some("root-read-only"));
    // Disabled devices answer EACCES at open.
    let off = compile(
        "version = 1\n[[device]]\nenabled = false\n[[rule]]\nname = \"r\"\nusers = [\"root\"]\nmax_scope = \"configuration\"\n",
    );
    fwctl.set_hooks(Hooks { policy: Some(off), audit: None });
    assert_eq!(fwctl.open(minor, &root()).err(), Some(Errno::EACCES));
    assert_eq!(
        h.rpc(&root(), CFG as u32, &req(1, 0, CFG, 0), &mut out),
        Err(Errno::EACCES),
        "and at rpc on handles already open"
    );
}

#[test]
fn rules_for_lists_every_rule_naming_the_caller_on_any_device_and_nothing_else() {
    let p = compile(&lab_with_group());
    let names = |c: &Credentials| -> Vec<String> { p.rules_for(c).into_iter().map(|r| r.name).collect() };
    // alice is in group fwctl (500): lab-admins names her through the group.
    assert_eq!(names(&alice()), ["no-port-admin", "lab-admins", "everyone-queries"]);
    // bob holds CAP_SYS_RAWIO: rawio-debug (mlx5 only) is listed although it selects devices.
    assert_eq!(names(&bob_rawio()), ["no-port-admin", "rawio-debug", "everyone-queries"]);
    assert_eq!(names(&carol()), ["no-port-admin", "everyone-queries"]);
    let text = "version = 1\n[[rule]]\nname = \"nic0-only\"\nusers = [3000]\ndevices = [\"fwctl0\"]\nmax_scope = \"configuration\"\n\
                [[rule]]\nname = \"other\"\nusers = [4000]\nmax_scope = \"configuration\"\n";
    let p = compile(text);
    let carol_rules: Vec<String> = p.rules_for(&carol()).into_iter().map(|r| r.name).collect();
    assert_eq!(carol_rules, ["nic0-only"], "a rule on one named device is listed; another user's is not");
}

#[test]
fn unknown_names_warn_when_loading_and_are_errors_when_strict() {
    let text = "version = 1\n[[rule]]\nname = \"a\"\nusers = [\"alicee\"]\ngroups = [\"fwtcl\"]\nmax_scope = \"configuration\"\n";
    let loaded = policy::load_str_with(text, "p.toml", &resolver()).unwrap();
    assert_eq!(loaded.unknown_names.len(), 2);
    assert_eq!(loaded.warnings.len(), 2);
    let first = loaded.unknown_names[0].to_string();
    assert!(
        first.starts_with("p.toml:4:10: unknown user 'alicee'") && first.contains("did you mean alice?"),
        "{first}"
    );
    let second = loaded.unknown_names[1].to_string();
    assert!(second.contains("unknown group 'fwtcl'") && second.contains("did you mean fwctl?"), "{second}");
    assert_eq!(policy::resolve::nearest("zzzzzz", &["alice".to_string()]), None);
    // The strict loader (system names) refuses a name no system has.
    let strict = policy::load_str_strict(
        "version = 1\n[[rule]]\nname = \"a\"\ngroups = [\"no-such-group-fwctl-x\"]\nmax_scope = \"configuration\"\n",
        "p.toml",
    );
    let err = strict.unwrap_err().to_string();
    assert!(err.contains("p.toml:4:11: unknown group 'no-such-group-fwctl-x'"), "{err}");
}

/// The dispatcher leaves a known sender's identity unconfirmed only when no
/// decision can depend on it: rules that name users or groups make the policy
/// "use" the caller's identity; `users = ["*"]` and capability rules do not
/// (the capability is asked afresh by its own deferred check).
#[test]
fn a_policy_uses_the_callers_identity_exactly_when_a_rule_names_users_or_groups() {
    let rule =
        |who: &str| format!("version = 1\n[[rule]]\nname = \"r\"\n{who}\nmax_scope = \"debug-read-only\"\n");
    for (who, uses) in [
        ("users = [\"*\"]", false),
        ("cap_sys_rawio = true", false),
        ("users = [\"alice\"]", true),
        ("users = [\"root\"]", true),
        ("groups = [\"fwctl\"]", true),
        ("users = [\"*\"]\ngroups = [\"fwctl\"]", true),
    ] {
        let p = compile(&rule(who));
        assert_eq!(p.uses_identity(), uses, "{who}");
        assert_eq!(p.names_callers(), uses, "{who}");
    }
    // The shipped default names root: every RPC confirms its sender.
    assert!(compile(policy::shipped::DEFAULT).uses_identity());
}
