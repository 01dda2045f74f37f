//! Unprivileged OS identities for tests that run as root: a user and two groups,
//! created with `useradd`/`groupadd` and removed again.
//!
//! Each test process gets its own names (`fwctl-t<pid>`, `fwctl-t<pid>-ops`), so
//! suites running side by side never delete each other's user. The identities
//! are an [`Identities`] guard: dropping it runs `userdel`/`groupdel`. The one
//! [`TestUser::ensure`] hands out lives in a static, and an `atexit` handler
//! drops it when the test process exits (also after a failed test: libtest
//! leaves through `exit`). A process killed before it could clean up leaves its
//! names behind; the next [`TestUser::ensure`] removes those whose process is gone.

use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// A user and groups created for a test; removed from the system on drop.
#[derive(Debug)]
pub struct Identities {
    /// The user name; also the name of its primary group.
    pub user: String,
    /// A second group the user is not a member of in `/etc/group`.
    pub ops_group: String,
}

fn id_of(flag: &str, name: &str) -> Option<u32> {
    let out = Command::new("id").args([flag, name]).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn gid_of_group(name: &str) -> Option<u32> {
    let out = Command::new("getent").args(["group", name]).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().split(':').nth(2)?.parse().ok()
}

/// Whether `getent DB NAME` finds an entry (`passwd` or `group`).
pub fn exists(db: &str, name: &str) -> bool {
    Command::new("getent").args([db, name]).output().map(|o| o.status.success()).unwrap_or(false)
}

fn quiet(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

impl Identities {
    /// Create the group `user`, the group `ops_group` and the user `user` (primary
    /// group `user`, no home, no login shell). Names that already exist are an
    /// error: a guard deletes only what it created.
    pub fn create(user: &str, ops_group: &str) -> Result<Identities, String> {
        for (db, name) in [("passwd", user), ("group", user), ("group", ops_group)] {
            if exists(db, name) {
                return Err(format!("{db} entry '{name}' already exists"));
            }
        }
        // From here on the guard owns the names: a half-made set is removed on drop.
        let ids = Identities { user: user.to_string(), ops_group: ops_group.to_string() };
        if !quiet("groupadd", &[user]) || !quiet("groupadd", &[ops_group]) {
            return Err(format!("groupadd {user} / {ops_group} failed"));
        }
        if !quiet("useradd", &["-M", "-N", "-g", user, "-s", "/usr/sbin/nologin", "-d", "/nonexistent", user])
        {
            return Err(format!("useradd {user} failed"));
        }
        Ok(ids)
    }
}

impl Drop for Identities {
    fn drop(&mut self) {
        // userdel first: a group cannot be removed while it is a user's primary group.
        quiet("userdel", &[&self.user]);
        quiet("groupdel", &[&self.user]);
        quiet("groupdel", &[&self.ops_group]);
    }
}

/// The per-process names: `fwctl-t<pid>` and `fwctl-t<pid>-ops`.
fn names_for(pid: u32) -> (String, String) {
    (format!("fwctl-t{pid}"), format!("fwctl-t{pid}-ops"))
}

/// Remove identities left by test processes that no longer exist (killed before
/// their `atexit` handler ran).
fn sweep_stale() {
    let Ok(groups) = std::fs::read_to_string("/etc/group") else { return };
    for line in groups.lines() {
        let name = line.split(':').next().unwrap_or("");
        let Some(pid) = name.strip_prefix("fwctl-t").map(|s| s.trim_end_matches("-ops")) else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let (user, ops_group) = names_for(pid);
            drop(Identities { user, ops_group });
        }
    }
}

/// The identities [`TestUser::ensure`] created; taken and dropped at exit.
static CREATED: Mutex<Option<Identities>> = Mutex::new(None);

extern "C" fn remove_at_exit() {
    let ids = CREATED.lock().unwrap_or_else(|e| e.into_inner()).take();
    drop(ids);
}

#[allow(unsafe_code)] // atexit(3): FFI, no wrapper in nix or std
unsafe extern "C" {
    /// `atexit(3)` from the C library.
    fn atexit(callback: extern "C" fn()) -> std::ffi::c_int;
}

/// An unprivileged OS user and groups for clients.
#[derive(Debug, Clone)]
pub struct TestUser {
    /// User name (`fwctl-t<pid>`).
    pub name: String,
    /// uid.
    pub uid: u32,
    /// Primary gid (the group of the same name).
    pub gid: u32,
    /// Name of a second group (`fwctl-t<pid>-ops`) the user is not a member of in
    /// `/etc/group`: tests add it as a supplementary group to a client process
    /// ([`TestUser::command_in_groups`]) to exercise per-group policy.
    pub ops_group: String,
    /// Its gid.
    pub ops_gid: u32,
}

impl TestUser {
    /// Create (once per process) the user `fwctl-t<pid>` with its group and the
    /// group `fwctl-t<pid>-ops`, removed again when the process exits; print what
    /// was set up. `None`, with a message, when not running as root.
    pub fn ensure() -> Option<TestUser> {
        if !nix::unistd::geteuid().is_root() {
            eprintln!(
                "SKIP: not root: cannot create an unprivileged test user; run the suite as root (CI does)"
            );
            return None;
        }
        static USER: OnceLock<Option<TestUser>> = OnceLock::new();
        USER.get_or_init(|| {
            sweep_stale();
            let (name, ops) = names_for(std::process::id());
            let ids = match Identities::create(&name, &ops) {
                Ok(ids) => ids,
                Err(e) => {
                    eprintln!("cannot create the test identities: {e}");
                    return None;
                }
            };
            let u = TestUser {
                name: name.clone(),
                uid: id_of("-u", &name)?,
                gid: id_of("-g", &name)?,
                ops_group: ops.clone(),
                ops_gid: gid_of_group(&ops)?,
            };
            *CREATED.lock().unwrap_or_else(|e| e.into_inner()) = Some(ids);
            // SAFETY: atexit(3) stores a function pointer; `remove_at_exit` is a
            // plain `extern "C" fn` that lives for the whole program.
            #[allow(unsafe_code)]
            unsafe {
                atexit(remove_at_exit)
            };
            eprintln!(
                "test identities: user {} uid={} gid={} (no capabilities); group {} gid={} (added per process); removed at exit",
                u.name, u.uid, u.gid, u.ops_group, u.ops_gid
            );
            Some(u)
        })
        .clone()
        .or_else(|| panic!("running as root but could not create the test user/groups with groupadd/useradd"))
    }

    /// A command running `program` as this user with no capabilities and no
    /// supplementary groups.
    pub fn command(&self, program: &Path) -> Command {
        self.command_in_groups(program, &[])
    }

    /// A command running `program` as this user with no capabilities and exactly
    /// the supplementary groups `groups` (gids).
    pub fn command_in_groups(&self, program: &Path, groups: &[u32]) -> Command {
        let mut c = Command::new("setpriv");
        c.arg(format!("--reuid={}", self.uid)).arg(format!("--regid={}", self.gid));
        if groups.is_empty() {
            c.arg("--clear-groups");
        } else {
            let list: Vec<String> = groups.iter().map(u32::to_string).collect();
            c.arg(format!("--groups={}", list.join(",")));
        }
        c.arg("--inh-caps=-all").arg("--bounding-set=-all").arg(program);
        c
    }
}
