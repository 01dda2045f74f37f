//! # fwctl-admin
//!
//! The administrator's state, beside the subsystem: the policy language
//! ([`policy`]: compile, decide, explain, edit), the audit log ([`audit`]) and the
//! persistent taint record ([`taint_store`]). Each plugs into the subsystem
//! through its hooks (`fwctl_subsys::hooks`), so the dispatcher never depends on
//! a file format.

pub mod audit;
pub mod policy;
pub mod taint_store;
