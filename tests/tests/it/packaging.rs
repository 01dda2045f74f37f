//! Every publishable crate can be packaged: no `include_str!`/`include_bytes!` in
//! its library or binary code reaches outside the package folder (that is what
//! made `cargo package -p fwctl-core` fail verification before the split). The
//! full check is `cargo package --workspace --exclude fwctl-tests --exclude
//! fwctl-plugin-template`, which CI runs without `--verify` and developers run
//! in full; this test is the fast guard that names the offending line.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use std::path::{Component, Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The workspace members, read from the root manifest's `members = [...]`.
fn members(root: &Path) -> Vec<PathBuf> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let start = manifest.find("members = [").unwrap();
    let end = start + manifest[start..].find(']').unwrap();
    manifest[start..end].split('"').skip(1).step_by(2).map(|m| root.join(m)).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The literal paths of `include_str!`/`include_bytes!` in the non-test part of
/// `text` (everything before the first `#[cfg(test)]`, which `cargo package`
/// does not compile).
fn includes(text: &str) -> Vec<(usize, String)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for mac in ["include_str!(\"", "include_bytes!(\""] {
            if let Some(i) = line.find(mac) {
                let rest = &line[i + mac.len()..];
                if let Some(j) = rest.find('"') {
                    found.push((n + 1, rest[..j].to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn no_publishable_crate_includes_a_file_outside_its_package() {
    let root = workspace_root();
    let mut checked = 0;
    let mut escapes = Vec::new();
    for member in members(&root) {
        let manifest = std::fs::read_to_string(member.join("Cargo.toml")).unwrap();
        if manifest.contains("publish = false") {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&member.join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (line, rel) in includes(&text) {
                checked += 1;
                let target = normalize(&file.parent().unwrap().join(&rel));
                if !target.starts_with(normalize(&member)) {
                    escapes.push(format!("{}:{line}: {rel}", file.display()));
                }
            }
        }
    }
    assert!(checked > 0, "the scan found the shipped-policy includes of fwctl-admin");
    assert!(escapes.is_empty(), "includes outside their package:\n{}", escapes.join("\n"));
}

#[test]
fn the_scan_catches_an_include_that_leaves_the_package() {
    // The line fwctl-core carried before the split.
    let old = r#"pub const DEFAULT: &str = include_str!("../../../policies/default.toml");"#;
    let found = includes(old);
    assert_eq!(found, vec![(1, "../../../policies/default.toml".to_string())]);
    let member = Path::new("/ws/fwctl-core");
    let target = normalize(&member.join("src/policy").join(&found[0].1));
    assert!(!target.starts_with(member), "{}", target.display());
}
