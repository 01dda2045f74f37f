//! `fwctld.toml`: which devices to bring up and with what, plus daemon settings.
//!
//! ```toml
//! # /etc/fwctl/fwctld.toml
//! policy = "/etc/fwctl/policy.toml"   # optional
//!
//! [limits]                             # optional
//! max_connections = 4096
//! max_inflight_bytes = 67108864
//! frame_timeout_ms = 10000
//! max_connections_per_uid = 256       # root exempt
//! root_reserve = 16                    # the last connections are root's
//! busy_poll_us = 50                    # poll for the next request before sleeping (0: never)
//!
//! shutdown_timeout_ms = 10000         # SIGTERM ends fwctld within this
//!
//! [plugins]                            # optional: out-of-process plugin hosts
//! call_timeout_ms = 30000             # a call overrunning this kills its host
//! restart_backoff_ms = 500            # first restart delay after a host died
//! restart_backoff_max_ms = 60000      # longest restart delay
//!
//! [[device]]
//! name = "nic0"                        # label for hot-plug
//! driver = "mlx5-sim"                  # a built-in driver (mlx5-sim, loopback) ...
//! # plugin = "libvendor_fwctl.so"      # ... or a plugin library (relative to --plugin-dir)
//! # in_process = false                 # plugins run in their own host process unless true
//! [device.params]                      # handed to the driver
//! seed = 1
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

/// Default location of the configuration file.
pub const DEFAULT_CONFIG: &str = "/etc/fwctl/fwctld.toml";

/// Why a configuration cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {err}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        err: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys.
    #[error("{path}: {msg}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message (with line and column).
        msg: String,
    },
    /// A device entry is inconsistent.
    #[error("{path}: device '{name}': {why}")]
    Device {
        /// The file.
        path: PathBuf,
        /// The device label.
        name: String,
        /// What is wrong.
        why: String,
    },
}

/// Resource limits (all optional).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Maximum concurrent device connections.
    pub max_connections: Option<usize>,
    /// Maximum payload bytes in flight over all connections.
    pub max_inflight_bytes: Option<usize>,
    /// Longest a client may take to finish a frame it started, in milliseconds.
    pub frame_timeout_ms: Option<u64>,
    /// Maximum concurrent device connections of one non-root user.
    pub max_connections_per_uid: Option<usize>,
    /// Connections (of `max_connections`) kept for root.
    pub root_reserve: Option<usize>,
    /// Maximum payload bytes in flight over all connections of one non-root user.
    pub max_inflight_bytes_per_uid: Option<usize>,
    /// Payload bytes (of `max_inflight_bytes`) kept for root's frames.
    pub inflight_root_reserve: Option<usize>,
    /// How long a connection thread polls for the next request after a reply
    /// before it sleeps, in microseconds (default 50; 0: never).
    pub busy_poll_us: Option<u64>,
    /// Longest SIGTERM may take, in milliseconds (default 10000): after half of
    /// it, plugin hosts still busy are killed; at the end, fwctld exits with
    /// status [`EXIT_STUCK`](super::EXIT_STUCK) without waiting for stuck calls.
    pub shutdown_timeout_ms: Option<u64>,
}

/// How out-of-process plugin hosts are run (all optional).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PluginsConfig {
    /// Longest one call into a plugin host may take, in milliseconds (default
    /// 30000); a call that overruns it kills the host.
    pub call_timeout_ms: Option<u64>,
    /// First restart delay after a host died, in milliseconds (default 500);
    /// doubled after each failed or short-lived restart.
    pub restart_backoff_ms: Option<u64>,
    /// Longest restart delay, in milliseconds (default 60000).
    pub restart_backoff_max_ms: Option<u64>,
}

/// One `[[device]]` entry.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeviceConfig {
    /// Label (unique), used by the `plug` control verb.
    pub name: String,
    /// A built-in driver name.
    pub driver: Option<String>,
    /// A plugin library (absolute, or relative to the plugin directory).
    pub plugin: Option<PathBuf>,
    /// Driver parameters.
    #[serde(default)]
    pub params: toml::Table,
    /// Load the plugin inside fwctld instead of in its own plugin host (for
    /// trusted plugins: faster, but a crash or hang of the plugin is fwctld's).
    #[serde(default)]
    pub in_process: bool,
}

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Policy file (overridden by `--policy`).
    pub policy: Option<PathBuf>,
    /// Limits.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Plugin hosts.
    #[serde(default)]
    pub plugins: PluginsConfig,
    /// Serve device nodes over FUSE in this directory (`auto`: see `--dev-dir`).
    pub dev_dir: Option<PathBuf>,
    /// Permission bits of the device nodes (TOML octal, e.g. `0o660`).
    pub dev_mode: Option<u32>,
    /// Group (name or gid) owning the device nodes.
    pub dev_group: Option<String>,
    /// Devices.
    #[serde(default, rename = "device")]
    pub devices: Vec<DeviceConfig>,
}

/// The driver of the built-in default configuration (one of `drivers::BUILTIN`).
pub const DEFAULT_DRIVER: &str = "mlx5-sim";

impl Config {
    /// The built-in default: the simulated mlx5 device, and the simulated CXL
    /// memory device, pds DSC and bnxt function served through the plugin ABI.
    pub fn builtin() -> Self {
        let dev = |name: &str, driver: &str| DeviceConfig {
            name: name.into(),
            driver: Some(driver.into()),
            plugin: None,
            params: toml::Table::new(),
            in_process: false,
        };
        Config {
            devices: vec![
                dev("sim0", DEFAULT_DRIVER),
                dev("cxl0", "cxl-sim"),
                dev("dsc0", "pds"),
                dev("bnxt0", "bnxt-sim"),
            ],
            ..Config::default()
        }
    }

    /// Parse and validate a configuration text; `path` is for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let c: Config =
            toml::from_str(text).map_err(|e| ConfigError::Parse { path: path.into(), msg: e.to_string() })?;
        let dev_err = |name: &str, why: &str| ConfigError::Device {
            path: path.into(),
            name: name.into(),
            why: why.into(),
        };
        for (i, d) in c.devices.iter().enumerate() {
            if d.name.is_empty() {
                return Err(dev_err("", "empty name"));
            }
            if c.devices[..i].iter().any(|o| o.name == d.name) {
                return Err(dev_err(&d.name, "name used twice"));
            }
            match (&d.driver, &d.plugin) {
                (Some(_), Some(_)) => {
                    return Err(dev_err(&d.name, "set either 'driver' or 'plugin', not both"));
                }
                (None, None) => {
                    return Err(dev_err(&d.name, "needs 'driver' (built-in) or 'plugin' (library)"));
                }
                _ => {}
            }
            if d.in_process && d.plugin.is_none() {
                return Err(dev_err(&d.name, "'in_process' applies to 'plugin' entries only"));
            }
        }
        if c.devices.is_empty() {
            return Err(ConfigError::Parse { path: path.into(), msg: "no [[device]] entries".into() });
        }
        Ok(c)
    }

    /// Load `path`; when `path` is the default location and does not exist, the
    /// built-in default. An explicitly named file must exist.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let (path, explicit) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_CONFIG), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, &path),
            Err(e) if !explicit && e.kind() == std::io::ErrorKind::NotFound => Ok(Self::builtin()),
            Err(err) => Err(ConfigError::Read { path, err }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_set_serves_each_kernel_driver_type() {
        let c = Config::builtin();
        let devs: Vec<(&str, Option<&str>)> =
            c.devices.iter().map(|d| (d.name.as_str(), d.driver.as_deref())).collect();
        assert_eq!(
            devs,
            [
                ("sim0", Some("mlx5-sim")),
                ("cxl0", Some("cxl-sim")),
                ("dsc0", Some("pds")),
                ("bnxt0", Some("bnxt-sim"))
            ]
        );
    }

    #[test]
    fn the_documented_example_parses() {
        let text = "policy = \"/etc/fwctl/policy.toml\"\n[limits]\nmax_connections = 10\n\
                    [[device]]\nname = \"nic0\"\ndriver = \"mlx5-sim\"\n[device.params]\nseed = 1\n";
        let c = Config::parse(text, Path::new("x.toml")).unwrap();
        assert_eq!(c.limits.max_connections, Some(10));
        assert_eq!(c.devices[0].params.get("seed").and_then(|v| v.as_integer()), Some(1));
    }

    #[test]
    fn busy_polling_is_configured_in_microseconds_and_capped_at_a_millisecond() {
        let p = Path::new("f.toml");
        let dev = "[[device]]\nname = \"a\"\ndriver = \"mlx5-sim\"\n";
        let limits =
            |text: &str| super::super::limits(&Config::parse(&format!("{text}{dev}"), p).unwrap().limits);
        let default = fwctl_core::server::Limits::default().busy_poll;
        assert_eq!(default, std::time::Duration::from_micros(50));
        assert_eq!(limits("").busy_poll, default);
        assert_eq!(limits("[limits]\nbusy_poll_us = 0\n").busy_poll, std::time::Duration::ZERO);
        assert_eq!(limits("[limits]\nbusy_poll_us = 200\n").busy_poll, std::time::Duration::from_micros(200));
        assert_eq!(limits("[limits]\nbusy_poll_us = 99999\n").busy_poll, std::time::Duration::from_millis(1));
        let e = Config::parse(&format!("[limits]\nbusy_poll_us = -1\n{dev}"), p).unwrap_err().to_string();
        assert!(e.contains("busy_poll_us"), "{e}");
    }

    #[test]
    fn bad_files_get_clear_errors() {
        let p = Path::new("f.toml");
        let e = Config::parse("[[device]]\nname=\"a\"\n", p).unwrap_err().to_string();
        assert!(e.contains("needs 'driver'"), "{e}");
        let e =
            Config::parse("[[device]]\nname=\"a\"\ndriver=\"x\"\nplugin=\"y\"\n", p).unwrap_err().to_string();
        assert!(e.contains("not both"), "{e}");
        let e = Config::parse("bogus = 1\n", p).unwrap_err().to_string();
        assert!(e.contains("bogus"), "{e}");
        let e =
            Config::parse("[[device]]\nname=\"a\"\ndriver=\"x\"\n[[device]]\nname=\"a\"\ndriver=\"x\"\n", p)
                .unwrap_err()
                .to_string();
        assert!(e.contains("twice"), "{e}");
        assert!(Config::load(Some(Path::new("/nonexistent/fwctld.toml"))).is_err());
    }

    #[test]
    fn the_configuration_examples_in_daemon_md_parse() {
        let doc = include_str!("../../../Documentation/daemon.md");
        let blocks: Vec<&str> = doc
            .split("```toml\n")
            .skip(1)
            .filter_map(|b| b.split_once("```").map(|(block, _)| block))
            .collect();
        assert!(!blocks.is_empty(), "daemon.md has configuration examples");
        for b in blocks {
            let c = Config::parse(b, Path::new("daemon.md")).unwrap_or_else(|e| panic!("{e}\n{b}"));
            for d in &c.devices {
                let made = super::super::drivers::factory(d, Path::new("/nonexistent"));
                assert!(made.is_ok(), "{}: {:?}", d.name, made.err());
            }
        }
    }
}
