//! Building plugins for tests: C plugins are compiled with the system C compiler
//! (`cc -shared -fPIC`) into a private temporary directory at test time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The workspace root (the parent of the `tests` package).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `fwctl-core/plugin-sdk/include`, where `fwctl_plugin.h` lives.
pub fn include_dir() -> PathBuf {
    workspace_root().join("fwctl-core/plugin-sdk/include")
}

/// `plugins/pds-sim/pds_sim.c`: the C vendor plugin.
pub fn pds_sim_source() -> PathBuf {
    workspace_root().join("plugins/pds-sim/pds_sim.c")
}

/// `plugins/c-template/template.c`: the template for C vendors.
pub fn c_template_source() -> PathBuf {
    workspace_root().join("plugins/c-template/template.c")
}

/// `tests/fixtures/plugins/fixture.c`: the configurable (broken) fixture plugin.
pub fn fixture_source() -> PathBuf {
    workspace_root().join("tests/fixtures/plugins/fixture.c")
}

/// A temporary directory (mode 0755) removed on drop, unless it holds a library
/// this process loaded through [`load`] or [`check`] (kept so its inode is never
/// reused by a later fixture while the old library is still mapped).
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// A fresh directory under the system temp dir, unique in this process.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("fwctl-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        set_mode(&path, 0o755);
        TempDir { path }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // A directory holding a library this process loaded stays until the
        // process exits: deleting the file frees its inode, a later fixture can
        // get the same (device, inode), and both the plugin registry and the
        // dynamic loader would then hand back the old, still-mapped library.
        if !loaded_under(&self.path) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Libraries loaded through [`load`] or [`check`] in this process.
fn loaded_paths() -> &'static std::sync::Mutex<Vec<PathBuf>> {
    static LOADED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    &LOADED
}

fn remember_loaded(path: &Path) {
    let mut v = loaded_paths().lock().unwrap_or_else(|p| p.into_inner());
    v.push(path.to_path_buf());
}

fn loaded_under(dir: &Path) -> bool {
    loaded_paths().lock().unwrap_or_else(|p| p.into_inner()).iter().any(|p| p.starts_with(dir))
}

/// `chmod`, panicking on failure (test helper).
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// How strictly to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warnings {
    /// `-Wall -Wextra -Werror`: for code we ship (plugins, templates).
    Strict,
    /// `-Wall`: for deliberately broken fixtures, which may leave code unused.
    Lenient,
}

/// Compile C `sources` into `dir/lib<name>.so` with `cc -shared -fPIC` and the
/// plugin header on the include path; `defines` are passed as `-D` flags.
/// Returns the library path, or the compiler's output as the error.
pub fn compile_c(
    dir: &Path,
    name: &str,
    sources: &[PathBuf],
    defines: &[&str],
    w: Warnings,
) -> Result<PathBuf, String> {
    compile_c_with(dir, name, sources, defines, w, &include_dir())
}

/// [`compile_c`] against the frozen ABI version 1 header: `fwctl_plugin_v1.h`
/// is copied as `fwctl_plugin.h` into `dir/v1-include`, which is the include path.
pub fn compile_c_v1(dir: &Path, name: &str, sources: &[PathBuf], w: Warnings) -> Result<PathBuf, String> {
    let inc = dir.join("v1-include");
    std::fs::create_dir_all(&inc).map_err(|e| format!("mkdir {}: {e}", inc.display()))?;
    std::fs::copy(include_dir().join("fwctl_plugin_v1.h"), inc.join("fwctl_plugin.h"))
        .map_err(|e| format!("copy the v1 header: {e}"))?;
    compile_c_with(dir, name, sources, &[], w, &inc)
}

/// [`compile_c`] with `include` as the directory holding `fwctl_plugin.h`.
pub fn compile_c_with(
    dir: &Path,
    name: &str,
    sources: &[PathBuf],
    defines: &[&str],
    w: Warnings,
    include: &Path,
) -> Result<PathBuf, String> {
    let out = dir.join(format!("lib{name}.so"));
    let mut cmd = Command::new(std::env::var_os("CC").unwrap_or_else(|| "cc".into()));
    cmd.args(["-shared", "-fPIC", "-std=c11", "-O2", "-Wall"]);
    if w == Warnings::Strict {
        cmd.args(["-Wextra", "-Werror"]);
    }
    cmd.arg("-I").arg(include);
    for d in defines {
        cmd.arg(format!("-D{d}"));
    }
    cmd.args(sources).arg("-o").arg(&out).arg("-lpthread");
    let result = cmd.output().map_err(|e| format!("cannot run the C compiler (cc): {e}"))?;
    if !result.status.success() {
        return Err(format!("cc failed for {name}: {}", String::from_utf8_lossy(&result.stderr)));
    }
    set_mode(&out, 0o755);
    Ok(out)
}

/// Compile the fixture plugin with one break switch (`""` for the good one).
pub fn fixture(dir: &Path, name: &str, define: &str) -> PathBuf {
    let defines: Vec<&str> = if define.is_empty() { vec![] } else { vec![define] };
    compile_c(dir, name, &[fixture_source()], &defines, Warnings::Lenient).unwrap_or_else(|e| panic!("{e}"))
}

/// Compile the pds-sim C plugin.
pub fn pds_sim(dir: &Path) -> PathBuf {
    compile_c(dir, "pds_sim", &[pds_sim_source()], &[], Warnings::Strict).unwrap_or_else(|e| panic!("{e}"))
}

/// The `cdylib` of a package this crate depends on (e.g. `fwctl-mlx5-sim`):
/// cargo builds every crate type of a dependency, so `lib<lib_name>.so` sits in
/// the same `deps` directory as the running test binary, built from the same
/// sources and with the same features in the same `cargo test` invocation.
pub fn dependency_cdylib(lib_name: &str) -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the test binary: {e}"))?;
    let path = exe.parent().map(|deps| deps.join(format!("lib{lib_name}.so"))).unwrap_or_default();
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found: is the package a dependency of fwctl-tests with a cdylib target?",
            path.display()
        ))
    }
}

/// Build the `cdylib` of workspace package `package` (whose library is named
/// `lib_name`) with the cargo that is running the tests, and return its path.
///
/// For packages that are not dependencies of the tests (the plugin templates).
/// Cargo is always asked (a no-op when fresh, so a stale library is never
/// loaded), with `--message-format=json`: the path is taken from the
/// `compiler-artifact` message. The build uses its own target directory,
/// `<target>/fwctl-plugin-build`, so its feature set never replaces artifacts
/// of the running `cargo test` (cargo has released its build lock by the time
/// tests run, so the nested build does not wait for it). The profile follows
/// the test binary's: `release` when it lives under a `release` directory.
///
/// Built once per test process and shared: later calls for the same package
/// return the first build's result without running cargo again.
pub fn cargo_cdylib(package: &str, lib_name: &str) -> Result<PathBuf, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Builds = HashMap<(String, String), Result<PathBuf, String>>;
    static BUILT: OnceLock<Mutex<Builds>> = OnceLock::new();
    let mut built = BUILT.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner());
    built
        .entry((package.to_string(), lib_name.to_string()))
        .or_insert_with(|| build_cdylib(package, lib_name))
        .clone()
}

fn build_cdylib(package: &str, lib_name: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the test binary: {e}"))?;
    let profile_dir = exe.parent().and_then(Path::parent).ok_or("unexpected test binary location")?;
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let target_dir =
        profile_dir.parent().ok_or("unexpected test binary location")?.join("fwctl-plugin-build");
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--quiet", "--message-format=json", "-p", package]);
    if release {
        cmd.arg("--release");
    }
    cmd.arg("--target-dir").arg(&target_dir).current_dir(workspace_root());
    let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo build -p {package} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let want = format!("lib{lib_name}.so");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .flat_map(|m| m["filenames"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f.as_str().map(PathBuf::from))
        .find(|p| p.file_name().is_some_and(|n| n == want.as_str()))
        .ok_or_else(|| format!("cargo built {package} but reported no {want}"))
}

/// [`fwctl_core::plugin::load`] for libraries this test suite built itself
/// (fixtures, simulators, templates).
pub fn load(
    path: &Path,
    options: &fwctl_core::plugin::LoadOptions,
) -> Result<std::sync::Arc<fwctl_core::plugin::PluginLibrary>, fwctl_core::plugin::PluginError> {
    remember_loaded(path);
    #[allow(unsafe_code)]
    // SAFETY: every library the tests load was compiled by the tests from this
    // repository's sources (or is a hostile fixture whose only hazards are the
    // ones the loader is being tested against), so running its initialisers is
    // what the test intends.
    unsafe {
        fwctl_core::plugin::load(path, options)
    }
}

/// [`fwctl_core::plugin::check()`] for libraries this test suite built itself.
pub fn check(
    path: &Path,
    config: &str,
    options: &fwctl_core::plugin::LoadOptions,
) -> fwctl_core::plugin::CheckReport {
    remember_loaded(path);
    #[allow(unsafe_code)]
    // SAFETY: as for [`load`]: the tests built the library.
    unsafe {
        fwctl_core::plugin::check(path, config, options)
    }
}

/// The faithful pds plugin's source (`plugins/pds/pds.c`, ABI version 2).
pub fn pds_source() -> PathBuf {
    workspace_root().join("plugins/pds/pds.c")
}

/// Compile the faithful pds C plugin (`libpds.so`).
pub fn pds(dir: &Path) -> PathBuf {
    compile_c(dir, "pds", &[pds_source()], &[], Warnings::Strict).unwrap_or_else(|e| panic!("{e}"))
}
