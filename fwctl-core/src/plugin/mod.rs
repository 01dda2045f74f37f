//! Placeholder: filled by the plugin work (issue 5).
