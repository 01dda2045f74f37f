//! Cross-crate integration tests: the core dispatcher, the daemon, plugins and the
//! CLI against fwctld. One test binary; each file below is a module.

mod core_ioctl;
mod core_lifecycle;
mod core_props;
mod daemon_cli;
mod daemon_lifecycle;
mod daemon_load;
mod daemon_mlx5;
mod daemon_plugins;
mod daemon_policy;
mod daemon_robustness;
mod daemon_rpc;
mod isolation_hosts;
mod isolation_load;
mod packaging;
mod plugin_abi;
mod plugin_abi_v2;
mod plugin_fast_path;
mod plugin_load;
mod plugin_mlx5;
mod plugin_pds_sim;
mod plugin_sdk;
mod real_clients_conformance;
mod real_clients_exec;
mod real_clients_fuse;
mod real_clients_programs;
mod rpc_round_trips;
mod security_audit;
mod security_dos;
mod security_files;
mod security_identity;
mod security_memory;
mod security_taint;
mod vendor_bnxt;
mod vendor_cxl;
mod vendor_pds;
