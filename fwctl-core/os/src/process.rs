//! What fwctld reads about a calling process, shared by the socket server
//! (`fwctl-ipc`) and the FUSE server (`fwctl-fuse`): its ids from
//! `/proc/<pid>/status` and its effective capability set from `capget(2)`.

/// The four ids (real, effective, saved, fs) of the `Uid:` or `Gid:` line of a
/// `/proc/<pid>/status` text; `None` when the line is missing or malformed.
pub fn status_ids(status: &str, key: &str) -> Option<[u32; 4]> {
    let line = status.lines().find_map(|l| l.split_once(':').filter(|(k, _)| *k == key).map(|(_, v)| v))?;
    let mut it = line.split_whitespace().map(str::parse::<u32>);
    let mut ids = [0u32; 4];
    for id in &mut ids {
        *id = it.next()?.ok()?;
    }
    Some(ids)
}

/// `_LINUX_CAPABILITY_VERSION_3` (`linux/capability.h`).
const CAP_V3: u32 = 0x2008_0522;

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// The effective capability set of process (or thread) `pid` (`capget(2)`,
/// version 3: a syscall, no text to parse), relative to that process's user
/// namespace. `None` when it cannot be read (gone, or not visible).
#[expect(unsafe_code, reason = "capget has no safe wrapper in nix")]
pub fn capget_effective(pid: i32) -> Option<u64> {
    let mut hdr = CapHeader { version: CAP_V3, pid };
    let mut data = [CapData::default(); 2];
    // SAFETY: capget reads the header and writes two CapData structs (version 3),
    // both living on this stack frame for the duration of the call.
    let r =
        unsafe { nix::libc::syscall(nix::libc::SYS_capget, std::ptr::from_mut(&mut hdr), data.as_mut_ptr()) };
    (r == 0).then(|| u64::from(data[0].effective) | (u64::from(data[1].effective) << 32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_ids_reads_all_four_and_refuses_short_lines() {
        let status = "Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t100\t100\n";
        assert_eq!(status_ids(status, "Uid"), Some([1000, 0, 0, 0]));
        assert_eq!(status_ids(status, "Gid"), None);
        assert_eq!(status_ids(status, "Groups"), None);
    }

    #[test]
    fn capget_reads_this_process() {
        assert!(capget_effective(std::process::id() as i32).is_some());
    }
}
