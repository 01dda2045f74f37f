//! `fwctld`: the fwctl daemon. See [`fwctl_cli::daemon`].

use clap::Parser;

fn main() {
    let args = fwctl_cli::daemon::Args::parse();
    fwctl_cli::register_policy_vocabulary();
    std::process::exit(fwctl_cli::daemon::run(args));
}
