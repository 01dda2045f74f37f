//! The caller's credentials, which travel with every call as they do in the kernel
//! (`current_cred()`): the capability is checked per call, never cached at open.

/// Who is calling. In the daemon these come from the operating system
/// (SO_PEERCRED and `/proc/<pid>/status`), never from the client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    /// Real user id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Supplementary group ids.
    pub groups: Vec<u32>,
    /// Process id.
    pub pid: i32,
    /// Command name (`/proc/<pid>/comm`), for the taint warning and the audit log.
    pub comm: String,
    /// Whether the caller holds `CAP_SYS_RAWIO` in its effective set.
    pub cap_sys_rawio: bool,
}

/// Bit number of `CAP_SYS_RAWIO` in the capability sets (`linux/capability.h`).
pub const CAP_SYS_RAWIO: u32 = 17;

impl Credentials {
    /// The credentials of the current process, read from the OS.
    #[cfg(feature = "os")]
    pub fn current() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let mut c = Self::from_proc_status(&status);
        c.uid = nix::unistd::getuid().as_raw();
        c.gid = nix::unistd::getgid().as_raw();
        c.pid = std::process::id() as i32;
        if c.comm.is_empty() {
            c.comm = std::fs::read_to_string("/proc/self/comm")
                .map(|s| s.trim_end().to_string())
                .unwrap_or_default();
        }
        c
    }

    /// Parse the fields of a `/proc/<pid>/status` text: `Name`, `Pid`, `Uid`, `Gid`,
    /// `Groups` and `CapEff`. Missing or malformed fields stay at their defaults
    /// (no capability, no groups): parsing never fails open.
    pub fn from_proc_status(text: &str) -> Self {
        let mut c = Credentials::default();
        for line in text.lines() {
            let Some((key, val)) = line.split_once(':') else { continue };
            let val = val.trim();
            match key {
                "Name" => c.comm = val.to_string(),
                "Pid" => c.pid = val.parse().unwrap_or(0),
                "Uid" => c.uid = first_u32(val).unwrap_or(u32::MAX),
                "Gid" => c.gid = first_u32(val).unwrap_or(u32::MAX),
                "Groups" => c.groups = val.split_whitespace().filter_map(|g| g.parse().ok()).collect(),
                "CapEff" => {
                    c.cap_sys_rawio = u64::from_str_radix(val, 16)
                        .map(|caps| caps & (1 << CAP_SYS_RAWIO) != 0)
                        .unwrap_or(false)
                }
                _ => {}
            }
        }
        c
    }

    /// Whether the caller is in group `gid` (primary or supplementary).
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}

fn first_u32(s: &str) -> Option<u32> {
    s.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_status_is_parsed_and_cap_sys_rawio_is_bit_17() {
        let text = "Name:\tfwctl\nPid:\t42\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n\
                    Groups:\t4 24 27\nCapEff:\t0000000000020000\n";
        let c = Credentials::from_proc_status(text);
        assert_eq!((c.uid, c.gid, c.pid), (1000, 100, 42));
        assert_eq!(c.groups, vec![4, 24, 27]);
        assert_eq!(c.comm, "fwctl");
        assert!(c.cap_sys_rawio);
        assert!(c.in_group(27) && c.in_group(100) && !c.in_group(5));
        let c = Credentials::from_proc_status("CapEff:\t000001ffffffffff\n");
        assert!(c.cap_sys_rawio);
        let c = Credentials::from_proc_status("CapEff:\t0000000000000000\n");
        assert!(!c.cap_sys_rawio);
        let c = Credentials::from_proc_status("CapEff:\tzz\nUid:\tx\n");
        assert!(!c.cap_sys_rawio);
        assert_eq!(c.uid, u32::MAX, "a malformed uid must not become root");
    }
}
