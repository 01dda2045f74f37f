//! `fwctl plugin check PATH` (load a plugin on its own and self-test it) and
//! `fwctl plugin list` (what this process has loaded, and from where).
//! `check` is an `unsafe fn`: it runs the library's code, as [`load`] does.

#![expect(unsafe_code, reason = "check runs the library's code (load, fork) as load does")]

use std::fmt;
use std::path::{Path, PathBuf};

use super::PluginError;
use super::loader::{LoadOptions, PluginInfo, load, registry};
use fwctl_subsys::driver::Driver;
use fwctl_subsys::sync::lock;

/// Why a self-test step failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepProblem {
    /// The plugin's call returned an errno.
    #[error("{0}")]
    Errno(fwctl_uapi::Errno),
    /// The host marked the plugin (or its device) failed: the host's reason.
    #[error("{0}")]
    Failed(String),
}

/// One step of a self-test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckStep {
    /// What was exercised, e.g. `open device 0`.
    pub name: String,
    /// `Ok(detail)` or `Err(problem)`.
    pub result: Result<String, StepProblem>,
}

/// The outcome of [`check`].
#[derive(Debug)]
pub struct CheckReport {
    /// The path checked.
    pub path: PathBuf,
    /// What the plugin declared, when it loaded.
    pub plugin: Option<PluginInfo>,
    /// Self-test steps run after a successful load, in order.
    pub steps: Vec<CheckStep>,
    /// The load or probe error that stopped the check, if any.
    pub error: Option<PluginError>,
}

impl CheckReport {
    /// Whether the plugin loaded and every step passed.
    pub fn ok(&self) -> bool {
        self.error.is_none() && self.steps.iter().all(|s| s.result.is_ok())
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "plugin {}", self.path.display())?;
        if let Some(p) = &self.plugin {
            writeln!(f, "  name:        {} {}", p.name, p.version)?;
            writeln!(f, "  abi:         version {}, vtable {} bytes", p.abi_version, p.struct_size)?;
            writeln!(f, "  device type: {} ({})", p.device_type, p.device_type.as_u32())?;
            if p.insecure {
                writeln!(f, "  WARNING:     loaded with permission checks disabled")?;
            }
        }
        for s in &self.steps {
            match &s.result {
                Ok(d) => writeln!(f, "  ok    {}: {d}", s.name)?,
                Err(e) => writeln!(f, "  FAIL  {}: {e}", s.name)?,
            }
        }
        if let Some(e) = &self.error {
            writeln!(f, "  error [{}]: {e}", e.kind())?;
        }
        write!(f, "{}", if self.ok() { "result: ok" } else { "result: FAILED" })
    }
}

/// Load the plugin at `path`, probe it with `config`, and self-test every device:
/// identity, open, info, describe (of an empty request; any errno is a valid
/// answer, a fault or garbage is not), close; then remove the devices. Nothing is
/// registered in any subsystem and no RPC is sent.
///
/// # Safety
/// As [`load`]: the library's initialisers and entry points run in this process.
pub unsafe fn check(path: &Path, config: &str, options: &LoadOptions) -> CheckReport {
    let mut report = CheckReport { path: path.to_path_buf(), plugin: None, steps: Vec::new(), error: None };
    // SAFETY: forwarded to this function's caller.
    let lib = match unsafe { load(path, options) } {
        Ok(lib) => lib,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    report.plugin = Some(lib.info().clone());
    let drivers = match lib.probe(config) {
        Ok(d) => d,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    let mut step =
        |name: String, result: Result<String, StepProblem>| report.steps.push(CheckStep { name, result });
    step(format!("probe '{config}'"), Ok(format!("{} device(s)", drivers.len())));
    for (i, drv) in drivers.iter().enumerate() {
        let id = drv.identity();
        step(
            format!("device {i} identity"),
            Ok(format!("{} parent={}", id.driver, id.parent.unwrap_or_default())),
        );
        let ctx = match drv.open() {
            Ok(c) => c,
            Err(e) => {
                step(format!("device {i} open"), Err(StepProblem::Errno(e)));
                continue;
            }
        };
        step(format!("device {i} open"), Ok("context created".into()));
        let info = match ctx.info() {
            None => Ok("no info op".to_string()),
            Some(Ok(d)) => Ok(format!("{} byte(s) of device data", d.len())),
            Some(Err(e)) => Err(StepProblem::Errno(e)),
        };
        step(format!("device {i} info"), info);
        let describe = match drv.describe(&[]) {
            _ if drv.failure().is_some() => Err(StepProblem::Failed(drv.failure().unwrap_or_default())),
            Ok(d) => Ok(format!("opcode {:#x} name {}", d.opcode, d.name.as_deref().unwrap_or("-"))),
            Err(e) => Ok(format!("empty request refused with {}", e.name())),
        };
        step(format!("device {i} describe"), describe);
        ctx.close();
        let closed = match drv.failure() {
            Some(f) => Err(StepProblem::Failed(f)),
            None => Ok("context released".to_string()),
        };
        step(format!("device {i} close"), closed);
    }
    drop(drivers);
    let removed = match lib.failure() {
        Some(f) => Err(StepProblem::Failed(f.to_string())),
        None if lib.live_devices() == 0 => Ok("all devices removed".to_string()),
        None => Ok(format!("{} device(s) of earlier probes still live", lib.live_devices())),
    };
    step("remove".into(), removed);
    report
}

/// One loaded plugin, for `fwctl plugin list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginRecord {
    /// What it declared and where it was loaded from.
    pub info: PluginInfo,
    /// Its devices not yet removed.
    pub live_devices: usize,
    /// Why it is failed, if it is.
    pub failure: Option<String>,
}

/// Every plugin loaded in this process, in load order. Libraries stay loaded for
/// the process lifetime, so a plugin with no live devices is still listed.
pub fn loaded() -> Vec<PluginRecord> {
    lock(registry())
        .libraries
        .iter()
        .map(|l| PluginRecord {
            info: l.info().clone(),
            live_devices: l.live_devices(),
            failure: l.failure().map(str::to_owned),
        })
        .collect()
}
