//! Shared code of the `fwctl` command line tool ([`cli`]) and the `fwctld` daemon ([`daemon`]).
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod cli;
pub mod daemon;
pub mod sim_state;

/// Teach the policy compiler the command and register names of the built-in
/// mlx5 driver, so a policy naming an unknown one is refused with a suggestion
/// ([`fwctl_core::policy::vocabulary`]). Both binaries call it at start-up.
pub fn register_policy_vocabulary() {
    use fwctl_core::policy::vocabulary::{self, Vocabulary};
    vocabulary::register(Vocabulary {
        driver: "mlx5".into(),
        opcodes: fwctl_mlx5_sim::allow_list::ALLOW_LIST.iter().map(|e| e.name.to_ascii_uppercase()).collect(),
        registers: fwctl_mlx5_sim::prm::registers::REGISTERS
            .iter()
            .map(|r| r.name.to_ascii_uppercase())
            .collect(),
    });
}
