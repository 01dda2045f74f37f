//! Placeholder: filled by the policy/audit work (issue 4).
