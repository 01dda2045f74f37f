//! User and group names to ids, resolved once when a policy is compiled.

use std::collections::HashMap;

/// Resolves user and group names. `root` always resolves to 0 without asking.
pub trait NameResolver {
    /// The uid of user `name`.
    fn uid(&self, name: &str) -> Option<u32>;
    /// The gid of group `name`.
    fn gid(&self, name: &str) -> Option<u32>;
    /// Known user (or, with `group`, group) names, for "did you mean" hints;
    /// may be incomplete (directory services are not enumerated).
    fn names(&self, _group: bool) -> Vec<String> {
        Vec::new()
    }
}

/// The name closest to `name` among `known` (by edit distance), when it is
/// close enough to be a typo: `"fwctl-tset"` → `fwctl-test`.
pub fn nearest(name: &str, known: &[String]) -> Option<String> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d < k.len().max(name.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

/// The first field of each line of a colon-separated database (`/etc/passwd`,
/// `/etc/group`), read with a size cap.
fn local_names(path: &str) -> Vec<String> {
    super::read_text(std::path::Path::new(path), 4 << 20)
        .map(|t| t.lines().filter_map(|l| l.split(':').next()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// The system's user and group databases (`getpwnam_r`, `getgrnam_r`).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemResolver;

impl NameResolver for SystemResolver {
    fn uid(&self, name: &str) -> Option<u32> {
        nix::unistd::User::from_name(name).ok().flatten().map(|u| u.uid.as_raw())
    }
    fn gid(&self, name: &str) -> Option<u32> {
        nix::unistd::Group::from_name(name).ok().flatten().map(|g| g.gid.as_raw())
    }
    fn names(&self, group: bool) -> Vec<String> {
        local_names(if group { "/etc/group" } else { "/etc/passwd" })
    }
}

/// A fixed table of names, for tests, examples and `explain` on another host.
#[derive(Debug, Default, Clone)]
pub struct StaticResolver {
    users: HashMap<String, u32>,
    groups: HashMap<String, u32>,
}

impl StaticResolver {
    /// An empty table (only `root` resolves).
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a user.
    pub fn user(mut self, name: &str, uid: u32) -> Self {
        self.users.insert(name.to_string(), uid);
        self
    }

    /// Add a group.
    pub fn group(mut self, name: &str, gid: u32) -> Self {
        self.groups.insert(name.to_string(), gid);
        self
    }
}

impl NameResolver for StaticResolver {
    fn uid(&self, name: &str) -> Option<u32> {
        self.users.get(name).copied()
    }
    fn gid(&self, name: &str) -> Option<u32> {
        self.groups.get(name).copied()
    }
    fn names(&self, group: bool) -> Vec<String> {
        let map = if group { &self.groups } else { &self.users };
        let mut v: Vec<String> = map.keys().cloned().collect();
        v.sort();
        v
    }
}
