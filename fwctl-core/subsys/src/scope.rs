//! The kernel's scope rules, in one place (`fwctl_cmd_rpc` in `drivers/fwctl/main.c`).
//!
//! - an unknown scope value is `EOPNOTSUPP`;
//! - `FWCTL_RPC_DEBUG_WRITE_FULL` needs `CAP_SYS_RAWIO` (as `capable()` judges it),
//!   else `EPERM`;
//! - `FWCTL_RPC_DEBUG_WRITE` and above taint the kernel (`TAINT_FWCTL`) before the
//!   driver sees the request.
//!
//! The scope values and their order are the uAPI's ([`RpcScope`]); the dispatcher
//! ([`crate::ioctl`]) and the dry run ([`crate::Handle::dry_run`]) both apply them
//! through these functions.

use crate::creds::Credentials;
use fwctl_uapi::RpcScope;
use fwctl_uapi::errno::Errno;

/// The scope of a raw `fwctl_rpc.scope`: `EOPNOTSUPP` for values the uAPI does not define.
pub fn parse(raw: u32) -> Result<RpcScope, Errno> {
    RpcScope::from_u32(raw).ok_or(Errno::EOPNOTSUPP)
}

/// The capability check: `EPERM` when `scope` needs `CAP_SYS_RAWIO` and the caller lacks it.
/// The caller's capability is asked only for such a scope.
pub fn check_capability(scope: RpcScope, creds: &Credentials) -> Result<(), Errno> {
    if scope.needs_cap_sys_rawio() && !creds.has_cap_sys_rawio() { Err(Errno::EPERM) } else { Ok(()) }
}

/// Whether delivering an RPC at `scope` taints the kernel.
pub fn taints(scope: RpcScope) -> bool {
    scope.taints()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_scope_is_eopnotsupp_and_full_write_needs_rawio() {
        assert_eq!(parse(4), Err(Errno::EOPNOTSUPP));
        assert_eq!(parse(3), Ok(RpcScope::DebugWriteFull));
        let user = Credentials::default();
        let admin = Credentials { cap_sys_rawio: true, ..Credentials::default() };
        assert_eq!(check_capability(RpcScope::DebugWriteFull, &user), Err(Errno::EPERM));
        assert_eq!(check_capability(RpcScope::DebugWriteFull, &admin), Ok(()));
        assert_eq!(check_capability(RpcScope::DebugWrite, &user), Ok(()));
        assert!(!taints(RpcScope::DebugReadOnly) && taints(RpcScope::DebugWrite));
    }
}
