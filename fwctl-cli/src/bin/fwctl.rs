//! `fwctl`: the command line tool. Everything lives in [`fwctl_cli::cli`]; this
//! binds it to the process's streams and exit status.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use fwctl_cli::cli::{self, Console, connect};

fn main() -> ExitCode {
    cli::watchdog::enable();
    let stdin = io::stdin();
    let stdin_is_terminal = stdin.is_terminal();
    let stderr_is_terminal = io::stderr().is_terminal();
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let mut stdin = stdin.lock();
    let mut console = Console {
        stdout: &mut stdout,
        stderr: &mut stderr,
        stdin: &mut stdin,
        stdin_is_terminal,
        stderr_is_terminal,
    };
    ExitCode::from(cli::run(std::env::args_os(), &mut console, &connect::connect))
}
