//! `fwctl exec [--embedded] [--sysfs-only] -- PROGRAM ARGS…`: run an unmodified
//! fwctl program against fwctld without root.
//!
//! The program runs with the preload library `libfwctl_preload.so`
//! (`fwctl-core/preload`): its opens of `/dev/fwctl/fwctlN` become connections
//! to the daemon's device sockets and its ioctls are forwarded with its own
//! memory, and a faked sysfs view (`fwctl_fuse::sysfs`) answers
//! `/sys/class/fwctl` and friends. With `--sysfs-only` the opens go to the
//! real nodes (fwctld's FUSE nodes, `--dev-dir`) and only sysfs and `stat` are
//! faked. The exit status is the program's (128 + N when killed by signal N).

use std::ffi::OsString;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fwctl_core::transport::{Daemon, Transport};
use fwctl_fuse::sysfs::{self, FakeSysfs, SysfsDevice, env};

use crate::cli::Ctx;
use crate::cli::connect::{alive, running_daemon};
use crate::cli::exit::{CliError, CmdResult, Exit};

/// The preload library's file name.
pub const PRELOAD_NAME: &str = "libfwctl_preload.so";

/// Arguments of `fwctl exec`.
#[derive(Debug, clap::Args)]
pub struct ExecArgs {
    /// Start a private fwctld for this run (its sockets in a temporary runtime
    /// directory; stopped when the program ends) instead of using a running one.
    #[arg(long, conflicts_with = "sysfs_only")]
    pub embedded: bool,
    /// The daemon configuration of the private fwctld (--embedded).
    #[arg(long, value_name = "FILE", requires = "embedded")]
    pub config: Option<PathBuf>,
    /// Open the real device nodes in --dev-dir (fwctld's FUSE nodes); fake only
    /// sysfs and stat.
    #[arg(long)]
    pub sysfs_only: bool,
    /// The preload library (default: libfwctl_preload.so next to fwctl, or in
    /// ../lib/fwctl/; also $FWCTL_PRELOAD).
    #[arg(long, value_name = "PATH", env = "FWCTL_PRELOAD")]
    pub preload: Option<PathBuf>,
    /// The program and its arguments.
    #[arg(value_name = "PROGRAM", required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<OsString>,
}

/// Help text shown after `fwctl exec --help`.
pub const EXEC_HELP: &str = "Examples:\n  fwctl exec -- mlx5ctl fwctl0 info\n  fwctl exec --embedded -- python3 tool.py\n  fwctl exec --sysfs-only --dev-dir /tmp/fwctl-dev -- ./tool\n\n\
The program finds /dev/fwctl/fwctlN and /sys/class/fwctl as on a kernel with fwctl;\n\
the daemon still learns its identity from the kernel. Statically linked programs\n\
cannot be preloaded: serve them device nodes with fwctld --dev-dir instead.";

/// Where the preload library is: `--preload`/`$FWCTL_PRELOAD`, else next to
/// this executable, else `../lib/fwctl/` from it.
fn find_preload(args: &ExecArgs) -> Result<PathBuf, CliError> {
    let hint = "build it with `cargo build -p fwctl-preload` (it lands next to fwctl), or name it with \
                --preload PATH or FWCTL_PRELOAD";
    if let Some(p) = &args.preload {
        return if p.is_file() {
            Ok(p.clone())
        } else {
            Err(CliError::usage(format!("exec: preload library {}: no such file", p.display()))
                .with_hint(hint))
        };
    }
    let exe = std::env::current_exe().map_err(|e| CliError::usage(format!("exec: locating fwctl: {e}")))?;
    let dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    let candidates = [dir.join(PRELOAD_NAME), dir.join("../lib/fwctl").join(PRELOAD_NAME)];
    candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        CliError::usage(format!(
            "exec: cannot find the preload library {PRELOAD_NAME} (looked in {} and {})",
            candidates[0].display(),
            candidates[1].display()
        ))
        .with_hint(hint)
    })
}

/// Whether `program` (a path or a name on $PATH) is a statically linked ELF
/// executable (no `PT_INTERP`): the dynamic loader, and so the preload
/// library, never sees it. `None` when it cannot be told.
fn statically_linked(program: &Path) -> Option<bool> {
    let path = if program.components().count() > 1 {
        program.to_path_buf()
    } else {
        std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(program)).find(|p| p.is_file())?
    };
    let mut head = vec![0u8; 4096];
    let n = std::io::Read::read(&mut std::fs::File::open(path).ok()?, &mut head).ok()?;
    let h = &head[..n];
    // 64-bit little-endian ELF only; anything else is left to the loader.
    if h.len() < 64 || &h[..4] != b"\x7fELF" || h[4] != 2 || h[5] != 1 {
        return None;
    }
    let u16_at = |o: usize| h.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let phoff = usize::try_from(u64::from_le_bytes(h.get(32..40)?.try_into().ok()?)).ok()?;
    let (phentsize, phnum) = (usize::from(u16_at(54)?), usize::from(u16_at(56)?));
    let mut interp = false;
    for i in 0..phnum {
        let off = phoff.checked_add(i.checked_mul(phentsize)?)?;
        let t = h.get(off..off + 4)?;
        interp |= u32::from_le_bytes(t.try_into().ok()?) == 3; // PT_INTERP
    }
    Some(!interp)
}

/// A private fwctld for `--embedded`, stopped (SIGTERM, then SIGKILL) on drop.
struct PrivateDaemon {
    child: Child,
}

impl PrivateDaemon {
    fn start(
        ctx: &Ctx<'_, '_>,
        dir: &Path,
        config: Option<&Path>,
    ) -> Result<(PrivateDaemon, Daemon), CliError> {
        let exe =
            std::env::current_exe().map_err(|e| CliError::usage(format!("exec: locating fwctl: {e}")))?;
        let fwctld = exe.with_file_name("fwctld");
        let run = dir.join("run");
        let mut cmd = Command::new(&fwctld);
        cmd.arg("--runtime-dir").arg(&run).arg("--state-dir").arg(dir.join("state"));
        if let Some(c) = config {
            cmd.arg("--config").arg(c);
        }
        if let Some(p) = &ctx.global.policy {
            cmd.arg("--policy").arg(p);
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        let child = cmd.spawn().map_err(|e| {
            CliError::no_device(format!("exec: starting {}: {e}", fwctld.display()))
                .with_hint("fwctld is installed next to fwctl; build it with `cargo build -p fwctl-cli`")
        })?;
        let mut me = PrivateDaemon { child };
        let daemon = Daemon::new(&run);
        let deadline = Instant::now() + Duration::from_secs(ctx.global.timeout.max(1));
        while !alive(&daemon) {
            if let Ok(Some(status)) = me.child.try_wait() {
                let mut log = String::new();
                if let Some(mut e) = me.child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut log);
                }
                return Err(CliError::no_device(format!(
                    "exec: the private fwctld exited ({status}): {}",
                    log.lines().last().unwrap_or("no message")
                )));
            }
            if Instant::now() > deadline {
                return Err(CliError::no_device("exec: the private fwctld did not start in time"));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok((me, daemon))
    }
}

impl Drop for PrivateDaemon {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private directory (0700), removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Result<ScratchDir, CliError> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::temp_dir();
        for i in 0..100u32 {
            let p = base.join(format!("fwctl-exec-{}-{i}", std::process::id()));
            match std::fs::DirBuilder::new().mode(0o700).create(&p) {
                Ok(()) => return Ok(ScratchDir(p)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(CliError::usage(format!("exec: creating {}: {e}", p.display()))),
            }
        }
        Err(CliError::usage(format!("exec: cannot create a directory in {}", base.display())))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `fwctl exec`.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &ExecArgs) -> CmdResult {
    let preload = find_preload(args)?;
    let program = PathBuf::from(&args.command[0]);
    if statically_linked(&program) == Some(true) {
        return Err(CliError::usage(format!(
            "exec: {} is statically linked: a preload library cannot reach it",
            program.display()
        ))
        .with_hint("serve it device nodes instead: fwctld --dev-dir DIR (root), then run it directly"));
    }
    let scratch = ScratchDir::new()?;
    let (_private, daemon) = if args.embedded {
        let (p, d) = PrivateDaemon::start(ctx, &scratch.0, args.config.as_deref())?;
        (Some(p), d)
    } else {
        let d = match &ctx.global.runtime_dir {
            Some(dir) => Some(Daemon::new(dir)).filter(alive),
            None => running_daemon(ctx.global),
        };
        let d = d.ok_or_else(|| {
            CliError::no_device("exec: no fwctld is running").with_hint(
                "start fwctld (or name its --runtime-dir), or use `fwctl exec --embedded` for a private one",
            )
        })?;
        (None, d)
    };
    let devices: Vec<SysfsDevice> = daemon
        .list()
        .map_err(|e| {
            CliError::errno(e, format!("exec: listing the devices of {}", daemon.runtime_dir().display()))
        })?
        .into_iter()
        .filter(|d| d.state == fwctl_core::DeviceState::Live)
        .map(|d| SysfsDevice {
            minor: d.view.minor,
            device_type: format!("{:?}", d.view.device_type).to_lowercase(),
            parent: d.view.identity.parent.clone().unwrap_or_default(),
        })
        .collect();
    let major = sysfs::free_experimental_major();
    let root = scratch.0.join("view");
    std::fs::create_dir(&root).map_err(|e| CliError::usage(format!("exec: {}: {e}", root.display())))?;
    let dev_target = args.sysfs_only.then_some(ctx.global.dev_dir.as_path());
    let view = FakeSysfs::build(&root, major, &devices, dev_target)
        .map_err(|e| CliError::usage(format!("exec: building the sysfs view in {}: {e}", root.display())))?;

    let mut ld_preload = preload.into_os_string();
    if let Some(old) = std::env::var_os("LD_PRELOAD").filter(|o| !o.is_empty()) {
        ld_preload.push(" ");
        ld_preload.push(old);
    }
    let mut cmd = Command::new(&args.command[0]);
    cmd.args(&args.command[1..])
        .env("LD_PRELOAD", ld_preload)
        .env(env::ROOT, view.root())
        .env(env::RUNTIME_DIR, daemon.runtime_dir())
        .env(env::MAJOR, major.to_string())
        .env(env::MODE, if args.sysfs_only { "sysfs-only" } else { "exec" })
        .env(env::DEV_DIR, sysfs::DEV_DIR)
        .env(env::REDIRECT, view.redirect_env());
    ctx.console.stdout.flush()?;
    let status = cmd.status().map_err(|e| {
        CliError::usage(format!("exec: {}: {e}", program.display()))
            .with_hint("give the program's path, or a name found on $PATH")
    })?;
    let code = status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
    if code == 0 {
        return Ok(Exit::Ok);
    }
    // The program's own status, as a shell's `exec` would give it (after the
    // private daemon and the view are cleaned up).
    drop(view);
    drop(_private);
    drop(scratch);
    let _ = ctx.console.stdout.flush();
    std::process::exit(code);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_and_dynamic_executables_are_told_apart() {
        // This test binary is dynamically linked (a PT_INTERP header).
        let me = std::env::current_exe().unwrap_or_default();
        assert_eq!(statically_linked(&me), Some(false));
        assert_eq!(statically_linked(Path::new("/nonexistent/x")), None);
    }
}
