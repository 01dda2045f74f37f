//! User and group names to ids, resolved once when a policy is compiled.

use std::collections::HashMap;

/// Resolves user and group names. `root` always resolves to 0 without asking.
pub trait NameResolver {
    /// The uid of user `name`.
    fn uid(&self, name: &str) -> Option<u32>;
    /// The gid of group `name`.
    fn gid(&self, name: &str) -> Option<u32>;
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
}
