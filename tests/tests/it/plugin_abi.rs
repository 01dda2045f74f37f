//! The C header `fwctl_plugin.h` and the Rust ABI definitions agree: a C program
//! compiled against the header prints every struct's size and field offsets and
//! every constant, and each is compared with the Rust side.
#![expect(clippy::unwrap_used, reason = "tests may unwrap")]

use std::collections::BTreeMap;
use std::mem::{offset_of, size_of};
use std::process::Command;

use fwctl_core::driver::Effects;
use fwctl_core::plugin::abi::{self, Description, Identity, Status, VTable};
use fwctl_tests::plugins::{TempDir, include_dir};

const PROGRAM: &str = r#"
#include <stddef.h>
#include <stdio.h>
#include "fwctl_plugin.h"
#define SZ(s) printf("sizeof %s %zu\n", #s, sizeof(struct s))
#define OFF(s, f) printf("offsetof %s.%s %zu\n", #s, #f, offsetof(struct s, f))
#define K(c) printf("const %s %lld\n", #c, (long long)(c))
int main(void) {
    SZ(fwctl_plugin_vtable);
    OFF(fwctl_plugin_vtable, abi_version); OFF(fwctl_plugin_vtable, struct_size);
    OFF(fwctl_plugin_vtable, device_type); OFF(fwctl_plugin_vtable, flags);
    OFF(fwctl_plugin_vtable, name); OFF(fwctl_plugin_vtable, version);
    OFF(fwctl_plugin_vtable, probe); OFF(fwctl_plugin_vtable, remove);
    OFF(fwctl_plugin_vtable, identity); OFF(fwctl_plugin_vtable, open);
    OFF(fwctl_plugin_vtable, close); OFF(fwctl_plugin_vtable, info);
    OFF(fwctl_plugin_vtable, describe); OFF(fwctl_plugin_vtable, decode_status);
    OFF(fwctl_plugin_vtable, rpc); OFF(fwctl_plugin_vtable, rpc_v2);
    OFF(fwctl_plugin_vtable, name_text); OFF(fwctl_plugin_vtable, features);
    SZ(fwctl_plugin_user);
    OFF(fwctl_plugin_user, struct_size); OFF(fwctl_plugin_user, flags);
    OFF(fwctl_plugin_user, cookie); OFF(fwctl_plugin_user, copy_from_user);
    OFF(fwctl_plugin_user, copy_to_user);
    SZ(fwctl_plugin_rpc_args);
    OFF(fwctl_plugin_rpc_args, struct_size); OFF(fwctl_plugin_rpc_args, scope);
    OFF(fwctl_plugin_rpc_args, request); OFF(fwctl_plugin_rpc_args, request_len);
    OFF(fwctl_plugin_rpc_args, out_capacity); OFF(fwctl_plugin_rpc_args, out_addr);
    OFF(fwctl_plugin_rpc_args, out_len); OFF(fwctl_plugin_rpc_args, flags);
    OFF(fwctl_plugin_rpc_args, user); OFF(fwctl_plugin_rpc_args, status);
    OFF(fwctl_plugin_rpc_args, describe);
    SZ(fwctl_plugin_identity);
    OFF(fwctl_plugin_identity, struct_size); OFF(fwctl_plugin_identity, parent_len);
    OFF(fwctl_plugin_identity, fw_version_len); OFF(fwctl_plugin_identity, serial_len);
    OFF(fwctl_plugin_identity, parent); OFF(fwctl_plugin_identity, fw_version);
    OFF(fwctl_plugin_identity, serial);
    SZ(fwctl_plugin_describe);
    OFF(fwctl_plugin_describe, struct_size); OFF(fwctl_plugin_describe, opcode);
    OFF(fwctl_plugin_describe, op_mod); OFF(fwctl_plugin_describe, min_scope);
    OFF(fwctl_plugin_describe, effects); OFF(fwctl_plugin_describe, flags);
    OFF(fwctl_plugin_describe, expected_out_len); OFF(fwctl_plugin_describe, register_id);
    OFF(fwctl_plugin_describe, name_len); OFF(fwctl_plugin_describe, register_name_len);
    OFF(fwctl_plugin_describe, name); OFF(fwctl_plugin_describe, register_name);
    OFF(fwctl_plugin_describe, name_id); OFF(fwctl_plugin_describe, register_name_id);
    SZ(fwctl_plugin_status);
    OFF(fwctl_plugin_status, struct_size); OFF(fwctl_plugin_status, code);
    OFF(fwctl_plugin_status, syndrome); OFF(fwctl_plugin_status, flags);
    OFF(fwctl_plugin_status, name_len); OFF(fwctl_plugin_status, name);
    OFF(fwctl_plugin_status, name_id);
    K(FWCTL_PLUGIN_ABI_VERSION); K(FWCTL_PLUGIN_FAULT); K(FWCTL_PLUGIN_MAX_STRUCT_SIZE);
    K(FWCTL_PLUGIN_MAX_STRING_LEN); K(FWCTL_PLUGIN_MAX_DEVICES); K(FWCTL_PLUGIN_INFO_CAPACITY);
    K(FWCTL_PLUGIN_DEVICE_TYPE_MLX5); K(FWCTL_PLUGIN_DEVICE_TYPE_CXL);
    K(FWCTL_PLUGIN_DEVICE_TYPE_BNXT); K(FWCTL_PLUGIN_DEVICE_TYPE_PDS);
    K(FWCTL_PLUGIN_SCOPE_NONE); K(FWCTL_PLUGIN_SCOPE_CONFIGURATION);
    K(FWCTL_PLUGIN_SCOPE_DEBUG_READ_ONLY); K(FWCTL_PLUGIN_SCOPE_DEBUG_WRITE);
    K(FWCTL_PLUGIN_SCOPE_DEBUG_WRITE_FULL);
    K(FWCTL_PLUGIN_EFFECT_READ); K(FWCTL_PLUGIN_EFFECT_WRITE_CONFIG);
    K(FWCTL_PLUGIN_EFFECT_CONFIG_ON_RESET); K(FWCTL_PLUGIN_EFFECT_WRITE_DEBUG);
    K(FWCTL_PLUGIN_EFFECT_DISRUPTIVE); K(FWCTL_PLUGIN_EFFECT_DEBUG_READ);
    K(FWCTL_PLUGIN_DESCRIBE_EXPECTED_OUT_LEN); K(FWCTL_PLUGIN_DESCRIBE_REGISTER);
    K(FWCTL_PLUGIN_DESCRIBE_REGISTER_WRITE);
    K(FWCTL_PLUGIN_RPC_IN_PLACE); K(FWCTL_PLUGIN_RPC_DIRECT); K(FWCTL_PLUGIN_ABI_VERSION_V1); K(FWCTL_PLUGIN_STATUS_OK); K(FWCTL_PLUGIN_STATUS_SYNDROME);
    K(FWCTL_PLUGIN_STATUS_NAME_ID); K(FWCTL_PLUGIN_DESCRIBE_NAME_IDS); K(FWCTL_PLUGIN_NO_NAME);
    K(FWCTL_PLUGIN_MAX_NAME_IDS); K(FWCTL_PLUGIN_NAME_CAPACITY); K(FWCTL_PLUGIN_RPC_STATUS_DECODED);
    K(FWCTL_PLUGIN_RPC_NO_STATUS); K(FWCTL_PLUGIN_RPC_ARGS_V2_0_SIZE); K(FWCTL_PLUGIN_VTABLE_V2_0_SIZE);
    K(FWCTL_PLUGIN_DESCRIBE_V2_0_SIZE); K(FWCTL_PLUGIN_STATUS_V2_0_SIZE);
    K(FWCTL_PLUGIN_RPC_DESCRIBED); K(FWCTL_PLUGIN_RPC_NOT_DESCRIBED); K(FWCTL_PLUGIN_RPC_ARGS_V2_1_SIZE);
    K(FWCTL_PLUGIN_VTABLE_V2_1_SIZE); K(FWCTL_PLUGIN_FEATURE_DESCRIBE_IN_RPC);
    printf("entry %s\n", FWCTL_PLUGIN_ENTRY);
    return 0;
}
"#;

/// Compile and run the layout program; its output lines as `key -> value`.
fn c_layout() -> BTreeMap<String, String> {
    let dir = TempDir::new("abi");
    let src = dir.path().join("layout.c");
    let exe = dir.path().join("layout");
    std::fs::write(&src, PROGRAM).unwrap();
    let out = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Werror", "-I"])
        .arg(include_dir())
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("run cc");
    assert!(out.status.success(), "cc: {}", String::from_utf8_lossy(&out.stderr));
    let run = Command::new(&exe).output().expect("run layout program");
    assert!(run.status.success());
    String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect()
}

#[test]
fn c_header_layout_matches_rust() {
    let c = c_layout();
    let mut rust: Vec<(String, usize)> = Vec::new();
    macro_rules! sz {
        ($c:literal, $t:ty) => {
            rust.push((format!("sizeof {}", $c), size_of::<$t>()));
        };
    }
    macro_rules! off {
        ($c:literal, $t:ty, $($f:ident),*) => {
            $( rust.push((format!("offsetof {}.{}", $c, stringify!($f)), offset_of!($t, $f))); )*
        };
    }
    sz!("fwctl_plugin_vtable", VTable);
    off!(
        "fwctl_plugin_vtable",
        VTable,
        abi_version,
        struct_size,
        device_type,
        flags,
        name,
        version,
        probe,
        remove,
        identity,
        open,
        close,
        info,
        describe,
        decode_status,
        rpc,
        rpc_v2,
        name_text,
        features
    );
    sz!("fwctl_plugin_user", abi::UserOps);
    off!("fwctl_plugin_user", abi::UserOps, struct_size, flags, cookie, copy_from_user, copy_to_user);
    sz!("fwctl_plugin_rpc_args", abi::RpcArgs);
    off!(
        "fwctl_plugin_rpc_args",
        abi::RpcArgs,
        struct_size,
        scope,
        request,
        request_len,
        out_capacity,
        out_addr,
        out_len,
        flags,
        user,
        status,
        describe
    );
    sz!("fwctl_plugin_identity", Identity);
    off!(
        "fwctl_plugin_identity",
        Identity,
        struct_size,
        parent_len,
        fw_version_len,
        serial_len,
        parent,
        fw_version,
        serial
    );
    sz!("fwctl_plugin_describe", Description);
    off!(
        "fwctl_plugin_describe",
        Description,
        struct_size,
        opcode,
        op_mod,
        min_scope,
        effects,
        flags,
        expected_out_len,
        register_id,
        name_len,
        register_name_len,
        name,
        register_name,
        name_id,
        register_name_id
    );
    sz!("fwctl_plugin_status", Status);
    off!("fwctl_plugin_status", Status, struct_size, code, syndrome, flags, name_len, name, name_id);

    for (key, want) in &rust {
        assert_eq!(c.get(key).map(String::as_str), Some(want.to_string().as_str()), "{key}");
    }
    // Every struct line the C side printed was compared.
    let c_struct_lines = c.keys().filter(|k| k.starts_with("sizeof") || k.starts_with("offsetof")).count();
    assert_eq!(c_struct_lines, rust.len());
}

#[test]
fn c_header_constants_match_rust() {
    let c = c_layout();
    let k = |name: &str| -> i64 { c[&format!("const {name}")].parse().unwrap() };
    assert_eq!(k("FWCTL_PLUGIN_ABI_VERSION"), abi::ABI_VERSION as i64);
    assert_eq!(k("FWCTL_PLUGIN_FAULT"), abi::FAULT as i64);
    assert_eq!(k("FWCTL_PLUGIN_MAX_STRUCT_SIZE"), abi::MAX_STRUCT_SIZE as i64);
    assert_eq!(k("FWCTL_PLUGIN_MAX_STRING_LEN"), abi::MAX_STRING_LEN as i64);
    assert_eq!(k("FWCTL_PLUGIN_MAX_DEVICES"), abi::MAX_DEVICES as i64);
    assert_eq!(k("FWCTL_PLUGIN_INFO_CAPACITY"), abi::INFO_CAPACITY as i64);
    // Device types and scopes are the kernel's uAPI numbers (kernel-fwctl.md §1.2, §1.3).
    assert_eq!(k("FWCTL_PLUGIN_DEVICE_TYPE_MLX5"), 1);
    assert_eq!(k("FWCTL_PLUGIN_DEVICE_TYPE_CXL"), 2);
    assert_eq!(k("FWCTL_PLUGIN_DEVICE_TYPE_BNXT"), 3);
    assert_eq!(k("FWCTL_PLUGIN_DEVICE_TYPE_PDS"), 4);
    assert_eq!(k("FWCTL_PLUGIN_SCOPE_NONE"), abi::SCOPE_NONE as i64);
    assert_eq!(k("FWCTL_PLUGIN_SCOPE_CONFIGURATION"), 0);
    assert_eq!(k("FWCTL_PLUGIN_SCOPE_DEBUG_READ_ONLY"), 1);
    assert_eq!(k("FWCTL_PLUGIN_SCOPE_DEBUG_WRITE"), 2);
    assert_eq!(k("FWCTL_PLUGIN_SCOPE_DEBUG_WRITE_FULL"), 3);
    assert_eq!(k("FWCTL_PLUGIN_EFFECT_READ"), Effects::READ.bits() as i64);
    assert_eq!(k("FWCTL_PLUGIN_EFFECT_WRITE_CONFIG"), Effects::WRITE_CONFIG.bits() as i64);
    assert_eq!(k("FWCTL_PLUGIN_EFFECT_CONFIG_ON_RESET"), Effects::CONFIG_ON_RESET.bits() as i64);
    assert_eq!(k("FWCTL_PLUGIN_EFFECT_WRITE_DEBUG"), Effects::WRITE_DEBUG.bits() as i64);
    assert_eq!(k("FWCTL_PLUGIN_EFFECT_DISRUPTIVE"), Effects::DISRUPTIVE.bits() as i64);
    assert_eq!(k("FWCTL_PLUGIN_EFFECT_DEBUG_READ"), Effects::DEBUG_READ.bits() as i64);
    assert_eq!(k("FWCTL_PLUGIN_DESCRIBE_EXPECTED_OUT_LEN"), abi::DESCRIBE_EXPECTED_OUT_LEN as i64);
    assert_eq!(k("FWCTL_PLUGIN_DESCRIBE_REGISTER"), abi::DESCRIBE_REGISTER as i64);
    assert_eq!(k("FWCTL_PLUGIN_DESCRIBE_REGISTER_WRITE"), abi::DESCRIBE_REGISTER_WRITE as i64);
    assert_eq!(k("FWCTL_PLUGIN_RPC_IN_PLACE"), abi::RPC_IN_PLACE as i64);
    assert_eq!(k("FWCTL_PLUGIN_RPC_DIRECT"), abi::RPC_DIRECT as i64);
    assert_eq!(k("FWCTL_PLUGIN_ABI_VERSION_V1"), abi::ABI_VERSION_V1 as i64);
    assert_eq!(k("FWCTL_PLUGIN_STATUS_OK"), abi::STATUS_OK as i64);
    assert_eq!(k("FWCTL_PLUGIN_STATUS_SYNDROME"), abi::STATUS_SYNDROME as i64);
    assert_eq!(k("FWCTL_PLUGIN_STATUS_NAME_ID"), abi::STATUS_NAME_ID as i64);
    assert_eq!(k("FWCTL_PLUGIN_DESCRIBE_NAME_IDS"), abi::DESCRIBE_NAME_IDS as i64);
    assert_eq!(k("FWCTL_PLUGIN_NO_NAME"), abi::NO_NAME as i64);
    assert_eq!(k("FWCTL_PLUGIN_MAX_NAME_IDS"), abi::MAX_NAME_IDS as i64);
    assert_eq!(k("FWCTL_PLUGIN_NAME_CAPACITY"), abi::NAME_CAPACITY as i64);
    assert_eq!(k("FWCTL_PLUGIN_RPC_STATUS_DECODED"), abi::RPC_STATUS_DECODED as i64);
    assert_eq!(k("FWCTL_PLUGIN_RPC_NO_STATUS"), abi::RPC_NO_STATUS as i64);
    assert_eq!(k("FWCTL_PLUGIN_RPC_ARGS_V2_0_SIZE"), abi::RPC_ARGS_V2_0_SIZE as i64);
    assert_eq!(k("FWCTL_PLUGIN_VTABLE_V2_0_SIZE"), abi::VTABLE_V2_0_SIZE as i64);
    assert_eq!(k("FWCTL_PLUGIN_DESCRIBE_V2_0_SIZE"), abi::DESCRIBE_V2_0_SIZE as i64);
    assert_eq!(k("FWCTL_PLUGIN_STATUS_V2_0_SIZE"), abi::STATUS_V2_0_SIZE as i64);
    assert_eq!(k("FWCTL_PLUGIN_RPC_DESCRIBED"), abi::RPC_DESCRIBED as i64);
    assert_eq!(k("FWCTL_PLUGIN_RPC_NOT_DESCRIBED"), abi::RPC_NOT_DESCRIBED as i64);
    assert_eq!(k("FWCTL_PLUGIN_RPC_ARGS_V2_1_SIZE"), abi::RPC_ARGS_V2_1_SIZE as i64);
    assert_eq!(k("FWCTL_PLUGIN_VTABLE_V2_1_SIZE"), abi::VTABLE_V2_1_SIZE as i64);
    assert_eq!(k("FWCTL_PLUGIN_FEATURE_DESCRIBE_IN_RPC"), abi::FEATURE_DESCRIBE_IN_RPC as i64);
    assert_eq!(c["entry"], abi::ENTRY_SYMBOL);
}
