//! One module per `fwctl` subcommand.

pub mod audit;
pub mod bnxt;
pub mod cxl;
pub mod daemon;
pub mod exec;
pub mod info;
pub mod list;
pub mod mlx5;
pub mod pds;
pub mod plugin;
pub mod policy;
pub mod rpc;
pub mod sim;
pub mod taint;
pub mod vendor;
