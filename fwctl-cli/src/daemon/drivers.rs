//! Built-in drivers `fwctld` can bring up by name, and how a configuration entry
//! becomes a [`DriverFactory`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use fwctl_core::driver::{DeviceIdentity, Driver, DriverContext, Effects, RpcDescription, RpcResponse};
use fwctl_core::plugin;
use fwctl_core::server::{DriverBuildError, DriverFactory};
use fwctl_core::uapi::DeviceType;
use fwctl_core::{Errno, RpcScope};

use super::config::DeviceConfig;
use crate::sim_state::StateFile;

pub use super::config::DEFAULT_DRIVER;

/// Why a device entry of fwctld's configuration gives no factory, or its
/// factory no driver.
#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    /// A parameter is wrong (its type, range or name).
    #[error("parameter '{key}' of device '{device}': {why}")]
    Param {
        /// The entry's label.
        device: String,
        /// The parameter.
        key: String,
        /// What is wrong.
        why: &'static str,
    },
    /// The simulated mlx5 device refuses the configuration.
    #[error("device '{device}': {err}")]
    Mlx5Sim {
        /// The entry's label.
        device: String,
        /// The simulator's reason.
        err: fwctl_mlx5_sim::ConfigError,
    },
    /// No built-in driver has this name.
    #[error("unknown built-in driver '{0}' (built-in: {list})", list = BUILTIN.join(", "))]
    UnknownDriver(String),
    /// No vendor simulator linked into this binary has this name.
    #[error("no built-in plugin '{0}'")]
    NoBuiltinPlugin(String),
    /// A linked-in plugin's library did not validate (the same error each time).
    #[error("{0}")]
    Builtin(Arc<plugin::PluginError>),
    /// A plugin's library did not load, or its host did not start.
    #[error("plugin {path}: {err}", path = path.display())]
    Load {
        /// The library.
        path: PathBuf,
        /// The loader's reason.
        err: plugin::PluginError,
    },
    /// A plugin whose message names its library already (most loader errors).
    #[error("{0}")]
    LoadNamed(plugin::PluginError),
    /// A plugin's probe failed.
    #[error("plugin '{name}': {err}")]
    Probe {
        /// The plugin's name.
        name: String,
        /// The probe's reason.
        err: plugin::PluginError,
    },
}

fn param_err(name: &str, key: &str, why: &'static str) -> EntryError {
    EntryError::Param { device: name.into(), key: key.into(), why }
}

/// Names of the built-in drivers.
pub const BUILTIN: &[&str] = &["mlx5-sim", "cxl-sim", "pds", "bnxt-sim", "loopback"];

/// Devices of a vendor simulator linked into this binary, created through the
/// plugin ABI exactly as a loaded library's would be (the SDK's vtable, the
/// host's validation, `PluginDriver`): `cxl-sim` (`devices=N,feat_cap=ro|rw|none`),
/// `pds` (the C plugin compiled in; `devices=N,fail_ops=EP,adminq_down`) and
/// `bnxt-sim` (`devices=N,ulp_stopped,fw_hang`). `config` is the plugin's probe string.
pub fn builtin_plugin_devices(name: &str, config: &str) -> Result<Vec<Arc<dyn Driver>>, EntryError> {
    type Lib = std::sync::OnceLock<Result<Arc<plugin::PluginLibrary>, Arc<plugin::PluginError>>>;
    static CXL: Lib = std::sync::OnceLock::new();
    static PDS: Lib = std::sync::OnceLock::new();
    static BNXT: Lib = std::sync::OnceLock::new();
    // One library per process, as for a loaded file (`fwctl plugin list` shows it once).
    let lib = match name {
        "cxl-sim" => CXL.get_or_init(|| {
            plugin::PluginLibrary::from_static(&fwctl_cxl_sim::VTABLE, name).map_err(Arc::new)
        }),
        "bnxt-sim" => BNXT.get_or_init(|| {
            plugin::PluginLibrary::from_static(&fwctl_bnxt_sim::VTABLE, name).map_err(Arc::new)
        }),
        "pds" => PDS.get_or_init(|| {
            let vtable = fwctl_pds::vtable().ok_or_else(|| {
                Arc::new(plugin::PluginError::Failed("the linked pds plugin returned no vtable".into()))
            })?;
            #[allow(unsafe_code)]
            // SAFETY: pds.c is this repository's plugin, compiled into this binary
            // by fwctl-pds's build script; its vtable is a static with literal
            // strings, and the host validates it as for a loaded library.
            unsafe { plugin::PluginLibrary::from_linked(vtable, name) }.map_err(Arc::new)
        }),
        other => return Err(EntryError::NoBuiltinPlugin(other.into())),
    };
    let lib = lib.clone().map_err(EntryError::Builtin)?;
    let devices = lib.probe(config).map_err(|err| EntryError::Probe { name: name.into(), err })?;
    Ok(devices.into_iter().map(|d| d as Arc<dyn Driver>).collect())
}

/// Request prefix that makes the loopback driver hold the call: `SLEEP` then a
/// little-endian `u32` of milliseconds (at most [`MAX_SLEEP_MS`]).
pub const SLEEP_MAGIC: &[u8; 5] = b"SLEEP";
/// Longest a loopback request may hold its call.
pub const MAX_SLEEP_MS: u32 = 60_000;

/// The loopback device: answers every request with the request itself, zero padded
/// to the caller's capacity (or to `response_len`). A diagnostic device for
/// checking a deployment end to end and measuring the transport alone.
#[derive(Debug, Clone)]
pub struct Loopback {
    device_type: DeviceType,
    response_len: Option<usize>,
    min_scope: RpcScope,
    label: String,
}

impl Loopback {
    /// Build from configuration parameters: `device_type` (name, default `error`),
    /// `response_len` (integer), `min_scope` (scope name, default `configuration`).
    pub fn from_params(name: &str, params: &toml::Table) -> Result<Self, EntryError> {
        let mut lb = Loopback {
            device_type: DeviceType::Error,
            response_len: None,
            min_scope: RpcScope::Configuration,
            label: name.to_string(),
        };
        for (key, v) in params {
            match key.as_str() {
                "device_type" => {
                    let s = v.as_str().ok_or_else(|| param_err(name, key, "must be a string"))?;
                    lb.device_type = s.parse().map_err(|_| param_err(name, key, "unknown device type"))?;
                }
                "response_len" => {
                    let n = v.as_integer().ok_or_else(|| param_err(name, key, "must be an integer"))?;
                    let n = usize::try_from(n)
                        .ok()
                        .filter(|&n| n <= fwctl_core::uapi::MAX_RPC_LEN)
                        .ok_or_else(|| param_err(name, key, "must be 0..=2097152"))?;
                    lb.response_len = Some(n);
                }
                "min_scope" => {
                    let s = v.as_str().ok_or_else(|| param_err(name, key, "must be a string"))?;
                    lb.min_scope = s.parse().map_err(|_| param_err(name, key, "unknown scope"))?;
                }
                _ => return Err(param_err(name, key, "unknown parameter of the loopback driver")),
            }
        }
        Ok(lb)
    }
}

impl Driver for Loopback {
    fn device_type(&self) -> DeviceType {
        self.device_type
    }

    fn identity(&self) -> DeviceIdentity {
        DeviceIdentity {
            driver: "loopback".into(),
            parent: Some(format!("loopback:{}", self.label)),
            ..Default::default()
        }
    }

    fn open(&self) -> Result<Box<dyn DriverContext>, Errno> {
        Ok(Box::new(LoopbackCtx { dev: self.clone() }))
    }

    fn describe(&self, request: &[u8]) -> Result<RpcDescription, Errno> {
        Ok(RpcDescription {
            opcode: request.first().copied().unwrap_or(0).into(),
            op_mod: 0,
            name: Some(if request.starts_with(SLEEP_MAGIC) { "LOOPBACK_SLEEP" } else { "LOOPBACK" }.into()),
            min_scope: Some(self.min_scope),
            effects: Effects::READ,
            expected_out_len: self.response_len,
            register: None,
        })
    }
}

struct LoopbackCtx {
    dev: Loopback,
}

impl DriverContext for LoopbackCtx {
    fn fw_rpc(&self, scope: RpcScope, request: &mut [u8], out_capacity: usize) -> Result<RpcResponse, Errno> {
        if scope < self.dev.min_scope {
            return Err(Errno::EBADMSG);
        }
        if let Some(ms) = request.strip_prefix(SLEEP_MAGIC).and_then(|r| r.first_chunk::<4>()) {
            let ms = u32::from_le_bytes(*ms).min(MAX_SLEEP_MS);
            std::thread::sleep(Duration::from_millis(ms.into()));
        }
        let len = self.dev.response_len.unwrap_or(out_capacity.max(request.len()));
        if len <= request.len() {
            return Ok(RpcResponse::InPlace(len));
        }
        let mut v = Vec::with_capacity(len);
        v.extend_from_slice(request);
        v.resize(len, 0);
        Ok(RpcResponse::Buffer(v))
    }

    fn close(self: Box<Self>) {}
}

/// A simulated mlx5 device from parameters: `seed`, `psid`, `serial`,
/// `pci_address`, `num_vfs`, `max_uctx`, `temperature_c` (all optional; the rest
/// derives from the seed); `state_file` is read by [`mlx5_sim_state_file`].
pub fn mlx5_sim_config(name: &str, params: &toml::Table) -> Result<fwctl_mlx5_sim::SimConfig, EntryError> {
    let mut c = fwctl_mlx5_sim::SimConfig::default();
    if let Some(seed) = params.get("seed") {
        let seed = seed.as_integer().and_then(|n| u64::try_from(n).ok());
        c = fwctl_mlx5_sim::SimConfig::with_seed(
            seed.ok_or_else(|| param_err(name, "seed", "must be a non-negative integer"))?,
        );
    }
    let int =
        |key: &str, v: &toml::Value| v.as_integer().ok_or_else(|| param_err(name, key, "must be an integer"));
    let text = |key: &str, v: &toml::Value| {
        v.as_str().map(str::to_string).ok_or_else(|| param_err(name, key, "must be a string"))
    };
    for (key, v) in params {
        let range = |_| param_err(name, key, "out of range");
        match key.as_str() {
            "seed" => {}
            "psid" => c.psid = text(key, v)?,
            "serial" => c.serial = text(key, v)?,
            "pci_address" => c.pci_address = text(key, v)?,
            "num_vfs" => c.num_vfs = u16::try_from(int(key, v)?).map_err(range)?,
            "max_uctx" => c.max_uctx = usize::try_from(int(key, v)?).map_err(range)?,
            "temperature_c" => c.temperature_c = i16::try_from(int(key, v)?).map_err(range)?,
            // Not part of the device's identity: see `mlx5_sim_state_file`.
            "state_file" => {}
            _ => return Err(param_err(name, key, "unknown parameter of the mlx5-sim driver")),
        }
    }
    c.validate().map_err(|err| EntryError::Mlx5Sim { device: name.into(), err })?;
    Ok(c)
}

/// The `state_file` parameter of a mlx5-sim device: an absolute path where
/// the device's state is restored from at power-on (each plug) and saved at
/// power-off (unplug, clean shutdown) ([`crate::sim_state`]).
pub fn mlx5_sim_state_file(name: &str, params: &toml::Table) -> Result<Option<StateFile>, EntryError> {
    let Some(v) = params.get("state_file") else { return Ok(None) };
    let path = v.as_str().map(Path::new).ok_or_else(|| param_err(name, "state_file", "must be a string"))?;
    if !path.is_absolute() {
        return Err(param_err(name, "state_file", "must be an absolute path"));
    }
    StateFile::at(path).map(Some).ok_or_else(|| param_err(name, "state_file", "must name a file"))
}

fn daemon_log(msg: &str) {
    eprintln!("fwctld: {msg}");
}

/// The probe configuration of a plugin entry: `params.config` (a string, handed
/// to the plugin's `probe` verbatim; the plugin defines its syntax), default empty.
pub fn plugin_probe_config(name: &str, params: &toml::Table) -> Result<String, EntryError> {
    let mut config = String::new();
    for (key, v) in params {
        match key.as_str() {
            "config" => {
                config = v.as_str().ok_or_else(|| param_err(name, key, "must be a string"))?.to_string();
                if config.contains('\0') {
                    return Err(param_err(name, key, "contains a NUL byte"));
                }
            }
            _ => {
                return Err(param_err(
                    name,
                    key,
                    "unknown parameter of a plugin device (plugins take one string, 'config', handed to their probe)",
                ));
            }
        }
    }
    Ok(config)
}

/// Where a plugin entry's library is: absolute, or relative to `plugin_dir`.
pub fn plugin_path(lib: &Path, plugin_dir: &Path) -> PathBuf {
    if lib.is_absolute() { lib.to_path_buf() } else { plugin_dir.join(lib) }
}

/// How plugin entries without `in_process = true` are hosted.
#[derive(Clone)]
pub struct Hosting {
    /// How a host is started and how long a call may take.
    pub options: plugin::remote::HostOptions,
    /// Told when an established host dies (the daemon's supervisor).
    pub on_exit: Option<plugin::remote::ExitHook>,
}

impl std::fmt::Debug for Hosting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hosting").field("options", &self.options).finish_non_exhaustive()
    }
}

impl Default for Hosting {
    fn default() -> Self {
        Hosting {
            options: plugin::remote::HostOptions::this_program(
                "",
                Duration::from_millis(super::DEFAULT_CALL_TIMEOUT_MS),
                false,
            ),
            on_exit: None,
        }
    }
}

/// Turn a configuration entry into a factory, with plugins hosted the default
/// way and nobody told when a host dies (see [`factory_with`]).
pub fn factory(entry: &DeviceConfig, plugin_dir: &Path) -> Result<DriverFactory, EntryError> {
    factory_with(entry, plugin_dir, &Hosting::default())
}

/// Turn a configuration entry into a factory. Parameters are checked now, so a
/// bad entry fails at start-up; a plugin library is loaded (through
/// [`fwctl_core::plugin`], with its ownership and ABI checks) each time the
/// factory runs, so a plugin that fails to load makes only its own entry
/// unavailable, and `plug LABEL` retries it once the file is fixed.
///
/// A plugin entry runs in its own plugin host process
/// ([`plugin::remote::PluginHost`]) unless it says `in_process = true`; each run
/// of the factory starts a fresh host, and `hosting.on_exit` hears of its death.
pub fn factory_with(
    entry: &DeviceConfig,
    plugin_dir: &Path,
    hosting: &Hosting,
) -> Result<DriverFactory, EntryError> {
    if let Some(lib) = &entry.plugin {
        let path = plugin_path(lib, plugin_dir);
        let config = plugin_probe_config(&entry.name, &entry.params)?;
        let load_options = plugin::LoadOptions::from_env();
        let name_error = move |err: plugin::PluginError, path: &Path| {
            // Most loader errors name the file already; say it once.
            let named = err.to_string().contains(&path.display().to_string());
            DriverBuildError::new(if named {
                EntryError::LoadNamed(err)
            } else {
                EntryError::Load { path: path.into(), err }
            })
        };
        if !entry.in_process {
            let mut options = hosting.options.clone();
            options.label = entry.name.clone();
            options.allow_insecure = load_options.allow_insecure;
            let on_exit = hosting.on_exit.clone();
            return Ok(Arc::new(move || -> Result<_, DriverBuildError> {
                let host =
                    plugin::remote::PluginHost::spawn(&path, &options).map_err(|e| name_error(e, &path))?;
                let devices = host.probe(&config).map_err(|err| {
                    DriverBuildError::new(EntryError::Probe { name: host.info().name.clone(), err })
                })?;
                if let Some(hook) = &on_exit {
                    host.set_exit_hook(hook.clone());
                }
                Ok(devices.into_iter().map(|d| d as Arc<dyn Driver>).collect())
            }));
        }
        return Ok(Arc::new(move || -> Result<_, DriverBuildError> {
            #[allow(unsafe_code)]
            // SAFETY: the library is named by the daemon's configuration, which
            // only the administrator edits: configuring a plugin with
            // `in_process = true` is declaring it trusted to run inside fwctld.
            // The loader still refuses files that someone other than root or
            // fwctld's user could have replaced.
            let loaded = unsafe { plugin::load(&path, &load_options) };
            let lib = loaded.map_err(|e| name_error(e, &path))?;
            let devices = lib.probe(&config).map_err(|err| {
                DriverBuildError::new(EntryError::Probe { name: lib.name().to_string(), err })
            })?;
            Ok(devices.into_iter().map(|d| d as Arc<dyn Driver>).collect())
        }));
    }
    let driver = entry.driver.as_deref().unwrap_or_default();
    match driver {
        "mlx5-sim" => {
            let config = mlx5_sim_config(&entry.name, &entry.params)?;
            let state = mlx5_sim_state_file(&entry.name, &entry.params)?;
            let label = entry.name.clone();
            // Every plug powers on a fresh device (new firmware state), as a real
            // hot-plugged card would come up; with a `state_file`, with the
            // state it had when it last powered off.
            Ok(Arc::new(move || {
                let device = fwctl_mlx5_sim::Mlx5Device::new(config.clone()).map_err(|err| {
                    DriverBuildError::new(EntryError::Mlx5Sim { device: label.clone(), err })
                })?;
                if let Some(warning) = state.as_ref().and_then(|f| f.attach(&device, daemon_log)) {
                    daemon_log(&format!("device '{label}': {warning}"));
                }
                Ok(vec![device.into_driver()])
            }))
        }
        "cxl-sim" | "pds" | "bnxt-sim" => {
            let config = plugin_probe_config(&entry.name, &entry.params)?;
            let name = driver.to_string();
            Ok(Arc::new(move || builtin_plugin_devices(&name, &config).map_err(DriverBuildError::new)))
        }
        "loopback" => {
            let lb = Loopback::from_params(&entry.name, &entry.params)?;
            Ok(Arc::new(move || Ok(vec![Arc::new(lb.clone()) as Arc<dyn Driver>])))
        }
        other => Err(EntryError::UnknownDriver(other.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_echoes_and_pads_and_checks_params() {
        let mut p = toml::Table::new();
        p.insert("response_len".into(), toml::Value::Integer(8));
        let lb = Loopback::from_params("t", &p).unwrap();
        let ctx = lb.open().unwrap();
        let mut req = *b"abc";
        let r = ctx.fw_rpc(RpcScope::Configuration, &mut req, 4).unwrap();
        assert_eq!(r, RpcResponse::Buffer(b"abc\0\0\0\0\0".to_vec()));
        p.insert("bogus".into(), toml::Value::Integer(1));
        assert!(Loopback::from_params("t", &p).unwrap_err().to_string().contains("bogus"));
    }

    #[test]
    fn a_mlx5_sim_state_file_must_be_an_absolute_file_path() {
        let mut p = toml::Table::new();
        assert!(mlx5_sim_state_file("n", &p).unwrap().is_none());
        p.insert("state_file".into(), toml::Value::String("x.json".into()));
        assert!(mlx5_sim_state_file("n", &p).unwrap_err().to_string().contains("absolute"));
        p.insert("state_file".into(), toml::Value::Integer(1));
        assert!(mlx5_sim_state_file("n", &p).unwrap_err().to_string().contains("must be a string"));
        p.insert("state_file".into(), toml::Value::String("/var/lib/fwctl/sim0.json".into()));
        let f = mlx5_sim_state_file("n", &p).unwrap().unwrap();
        assert_eq!(f.path(), Path::new("/var/lib/fwctl/sim0.json"));
        // Not an identity parameter: the device configuration accepts it.
        assert!(mlx5_sim_config("n", &p).is_ok());
    }

    #[test]
    fn mlx5_sim_params_are_checked() {
        let mut p = toml::Table::new();
        p.insert("seed".into(), toml::Value::Integer(7));
        p.insert("max_uctx".into(), toml::Value::Integer(1));
        assert_eq!(mlx5_sim_config("n", &p).unwrap().max_uctx, 1);
        p.insert("num_vfs".into(), toml::Value::Integer(-1));
        assert!(mlx5_sim_config("n", &p).unwrap_err().to_string().contains("num_vfs"));
        let mut p = toml::Table::new();
        p.insert("psid".into(), toml::Value::Integer(1));
        assert!(mlx5_sim_config("n", &p).unwrap_err().to_string().contains("must be a string"));
    }

    #[test]
    fn plugin_entries_take_one_probe_string_and_resolve_against_the_plugin_dir() {
        let mut p = toml::Table::new();
        assert_eq!(plugin_probe_config("v", &p).unwrap(), "");
        p.insert("config".into(), toml::Value::String("devices=2".into()));
        assert_eq!(plugin_probe_config("v", &p).unwrap(), "devices=2");
        p.insert("config".into(), toml::Value::Integer(2));
        assert!(plugin_probe_config("v", &p).unwrap_err().to_string().contains("must be a string"));
        p.insert("config".into(), toml::Value::String("a\0b".into()));
        assert!(plugin_probe_config("v", &p).unwrap_err().to_string().contains("NUL"));
        let mut p = toml::Table::new();
        p.insert("seed".into(), toml::Value::Integer(1));
        assert!(
            plugin_probe_config("v", &p)
                .unwrap_err()
                .to_string()
                .contains("unknown parameter of a plugin device")
        );
        let dir = Path::new("/usr/lib/fwctl/plugins");
        assert_eq!(plugin_path(Path::new("libx.so"), dir), dir.join("libx.so"));
        assert_eq!(plugin_path(Path::new("/opt/liby.so"), dir), Path::new("/opt/liby.so"));
    }
}
