//! Placeholder: filled by the daemon work (issue 7).
