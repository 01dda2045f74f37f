//! One module per `fwctl` subcommand.

pub mod info;
pub mod list;
pub mod mlx5;
pub mod rpc;
pub mod taint;
