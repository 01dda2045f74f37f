//! Integration tests of `fwctl-admin`: policy language, editing, audit log and
//! taint record, each exercised through a real subsystem. One test binary for the
//! crate; each file below is a module.

mod common;

mod audit_log;
mod audit_taint;
mod policy_decisions;
mod policy_edit;
mod policy_narrow;
mod policy_schema;
mod shipped;
