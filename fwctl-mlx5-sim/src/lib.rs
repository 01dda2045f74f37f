//! # fwctl-mlx5-sim
//!
//! The mlx5 fwctl driver and a simulated ConnectX-like firmware.
//!
//! - [`driver`]: [`Mlx5Device`] implements [`fwctl_subsys::driver::Driver`] the way
//!   drivers/fwctl/mlx5 does: CREATE_UCTX on open, DESTROY_UCTX on close, the
//!   94-entry opcode allow-list ([`allow_list`]), uid stamping, in-band status.
//! - [`firmware`]: the device model that executes command mailboxes, with fault
//!   injection ([`FaultHandle`]) and a command counter.
//! - [`prm`]: the command and register layouts as named data, request builders,
//!   response decoding, status and capability names.
//! - [`ifc`]: big-endian bit-field accessors.
//! - [`config`]: deterministic, seedable device identity.
//! - [`plugin`]: the same driver exported through the fwctl plugin SDK (the
//!   crate's `cdylib`, `libfwctl_mlx5_sim.so`).
//!
//! ```
//! use fwctl_subsys::{Credentials, Subsystem};
//! use fwctl_uapi::RpcScope;
//! use fwctl_mlx5_sim::{Mlx5Device, SimConfig, prm};
//!
//! let dev = Mlx5Device::new(SimConfig::default()).unwrap();
//! let fwctl = Subsystem::new();
//! let minor = fwctl.register(dev.clone().into_driver()).unwrap();
//! let me = Credentials::default();
//! let h = fwctl.open(minor, &me).unwrap();
//! let mut out = [0u8; 272];
//! let r = h.rpc(&me, RpcScope::Configuration as u32, &prm::build::query_adapter(), &mut out).unwrap();
//! assert_eq!(r.out_len, 272);
//! let fields = prm::decode_response(prm::opcode::QUERY_ADAPTER, 0, &out);
//! let psid = fields.iter().find(|f| f.name == "vsd_contd_psid").unwrap();
//! assert_eq!(psid.value, prm::FieldValue::Ascii("MT_0000000838".into()));
//! ```

pub mod allow_list;
pub mod config;
pub mod driver;
pub mod firmware;
pub mod ifc;
pub mod plugin;
pub mod prm;
mod sync;

pub use config::{ConfigError, FwVersion, Profile, SimConfig};
pub use driver::{Mlx5Context, Mlx5Device, decode_status, explain};
pub use firmware::snapshot::{Snapshot, SnapshotError};
pub use firmware::{DeliveryError, Fault, FaultHandle, Firmware, StateSink, TransportError};
