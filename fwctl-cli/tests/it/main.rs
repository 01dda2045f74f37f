//! Integration tests of the `fwctl` and `fwctld` binaries and the CLI library.
//! One test binary; each file below is a module.

mod cli_common;

mod cli_audit_settings;

mod cli_daemon_verbs;

mod cli_binary;
mod cli_docs;
mod cli_inprocess;
mod cli_inputs;
mod cli_install;
mod cli_json;
mod cli_mlx5;
mod cli_plugin;
mod cli_policy;
mod cli_policy_language;
mod cli_policy_names;
mod cli_sim_state;
mod cli_simulator;
mod cli_state;
mod cli_transport;
mod cli_vendors;
