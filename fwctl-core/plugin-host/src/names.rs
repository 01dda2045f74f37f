//! Names a plugin reports per call (command, register and status names), turned
//! into `&'static str` once per process.
//!
//! `describe` and `decode_status` run on every RPC, and their names come from a
//! small fixed set (the driver's command table, its status codes). Converting
//! each answer afresh costs a UTF-8 check, an allocation and a free per name; a
//! name seen before costs one hash lookup instead. The set is bounded: past
//! [`MAX_NAMES`] distinct names (a plugin inventing names) or [`MAX_BYTES`]
//! bytes, further new names are converted per call as before, so a plugin
//! cannot grow the host's memory without limit.

use std::borrow::Cow;
use std::sync::RwLock;

use rustc_hash::FxHashMap;

/// Distinct names kept at most.
pub(crate) const MAX_NAMES: usize = 4096;
/// Bytes of names kept at most.
pub(crate) const MAX_BYTES: usize = 256 * 1024;

#[derive(Default)]
struct Names {
    map: FxHashMap<&'static [u8], &'static str>,
    bytes: usize,
}

static NAMES: RwLock<Option<Names>> = RwLock::new(None);

/// The text of `bytes[..len]`: `None` when empty (or `len` is out of range);
/// invalid UTF-8 is replaced as by `String::from_utf8_lossy`.
pub(crate) fn name(bytes: &[u8], len: u32) -> Option<Cow<'static, str>> {
    let b = bytes.get(..len as usize).filter(|b| !b.is_empty())?;
    // A poisoned lock only means a panic elsewhere while holding it: the map is
    // still consistent (inserts are single calls), so keep using it.
    if let Some(s) = NAMES.read().unwrap_or_else(|e| e.into_inner()).as_ref().and_then(|n| n.map.get(b)) {
        return Some(Cow::Borrowed(s));
    }
    let text = match std::str::from_utf8(b) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(b).into_owned(),
    };
    let mut guard = NAMES.write().unwrap_or_else(|e| e.into_inner());
    let names = guard.get_or_insert_with(Names::default);
    if let Some(s) = names.map.get(b) {
        return Some(Cow::Borrowed(s));
    }
    if names.map.len() >= MAX_NAMES || names.bytes + b.len() + text.len() > MAX_BYTES {
        return Some(Cow::Owned(text));
    }
    names.bytes += b.len() + text.len();
    let key: &'static [u8] = Box::leak(b.to_vec().into_boxed_slice());
    let text: &'static str = Box::leak(text.into_boxed_str());
    names.map.insert(key, text);
    Some(Cow::Borrowed(text))
}

/// Names kept now (for tests).
#[cfg(test)]
pub(crate) fn kept() -> usize {
    NAMES.read().unwrap_or_else(|e| e.into_inner()).as_ref().map_or(0, |n| n.map.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_reported_bytes_repeat_without_allocating_and_stay_bounded() {
        let mut raw = [0u8; 32];
        raw[..13].copy_from_slice(b"QUERY_ADAPTER");
        let a = name(&raw, 13).unwrap();
        assert_eq!(a, "QUERY_ADAPTER");
        let b = name(&raw, 13).unwrap();
        assert!(matches!(b, Cow::Borrowed(_)), "a name seen before is shared");
        assert!(std::ptr::eq(a.as_ptr(), b.as_ptr()));
        assert_eq!(name(&raw, 5).unwrap(), "QUERY", "the length decides, not the NUL");
        assert_eq!(name(&raw, 0), None);
        assert_eq!(name(&raw, 33), None, "a length past the array is no name");
        assert_eq!(name(b"\xffok", 3).unwrap(), "\u{fffd}ok");

        // In the same test, after the sharing checks: the table is one per
        // process, and a test filling it in parallel made the name above
        // unsharable (it failed once when the crate's tests ran together).
        // A plugin inventing names cannot grow the table without bound.
        for i in 0..(MAX_NAMES + 100) {
            let s = format!("invented-{i}");
            assert_eq!(name(s.as_bytes(), s.len() as u32).unwrap(), s);
        }
        assert!(kept() <= MAX_NAMES);
    }
}
