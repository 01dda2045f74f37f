//! `fwctld`: the fwctl daemon. See [`fwctl_cli::daemon`].

use clap::Parser;
use fwctl_core::plugin::remote;

fn main() {
    // fwctld re-runs itself as the host of an out-of-process plugin
    // (`fwctld --plugin-host PATH 0|1`, started by the daemon, never by hand).
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == remote::HOST_FLAG) {
        std::process::exit(remote::host_main_from_args(&argv[2..]));
    }
    let args = fwctl_cli::daemon::Args::parse();
    fwctl_cli::register_policy_vocabulary();
    std::process::exit(fwctl_cli::daemon::run(args));
}
