//! The crate's one poison-tolerant lock helper.

use std::sync::{Mutex, MutexGuard};

/// Lock `m`, taking the data over if a panicking thread poisoned it: the
/// simulator's state stays usable (every mutation is a single assignment or a
/// map insert, so a panic cannot leave it half-written).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
