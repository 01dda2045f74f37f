//! The SDK's name table: the names a Rust driver reports (command, register and
//! status names, `Cow::Borrowed` `&'static str` from its tables) given out as
//! small integer ids, so `describe` and a decoded status cross the C ABI as
//! numbers instead of copied text; the host asks the text of an id once
//! (`name_text`) and keeps it.
//!
//! A name is keyed by its address and length: a `&'static str` never moves nor
//! changes, so the same key is always the same text. Computed names
//! (`Cow::Owned`) have no id and cross as text, as do names once the table is
//! full ([`abi::MAX_NAME_IDS`]), so a driver inventing names cannot grow it
//! without bound.

#![expect(unsafe_code, reason = "reading the lock-free cache's entry pointers")]

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::RwLock;
use std::sync::atomic::{AtomicPtr, Ordering};

use crate::abi;

/// FxHash over the two words of a key (address, length).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

struct Table {
    ids: HashMap<(usize, usize), &'static Entry, BuildHasherDefault<KeyHasher>>,
    names: Vec<&'static str>,
}

static TABLE: RwLock<Table> =
    RwLock::new(Table { ids: HashMap::with_hasher(BuildHasherDefault::new()), names: Vec::new() });

/// One name with its id, made once per id and never freed (at most
/// [`abi::MAX_NAME_IDS`] exist).
struct Entry {
    name: &'static str,
    id: u32,
}

/// Slots of the lock-free cache in front of [`TABLE`].
const CACHE_SLOTS: usize = 256;

/// A direct-mapped cache of entries by key hash: a hit costs one load and two
/// compares instead of the lock and the map. Slots only ever point to entries
/// of [`TABLE`] (immutable, immortal); a collision just replaces the pointer.
static CACHE: [AtomicPtr<Entry>; CACHE_SLOTS] = [const { AtomicPtr::new(std::ptr::null_mut()) }; CACHE_SLOTS];

fn slot_of(s: &str) -> &'static AtomicPtr<Entry> {
    let h = (s.as_ptr() as u64 ^ s.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56;
    &CACHE[h as usize % CACHE_SLOTS]
}

/// The id of `name` when the lock-free cache holds it (every call after the
/// first for a name of a driver's tables): one load and two compares, no call.
/// `None` only means "not cached": [`id_of`] decides.
#[inline(always)]
#[expect(clippy::ptr_arg, reason = "only a borrowed `&'static str` has an id: the variant matters")]
pub(crate) fn cached_id(name: &Cow<'static, str>) -> Option<u32> {
    let Cow::Borrowed(s) = name else { return None };
    let e = slot_of(s).load(Ordering::Acquire);
    // SAFETY: a non-NULL slot points to a leaked `Entry` (see `CACHE`), published
    // with Release after it was fully written.
    unsafe { e.as_ref() }.filter(|e| std::ptr::eq(e.name, *s)).map(|e| e.id)
}

/// The id of `name`, if it has (or now gets) one.
#[inline]
#[expect(clippy::ptr_arg, reason = "only a borrowed `&'static str` has an id: the variant matters")]
pub(crate) fn id_of(name: &Cow<'static, str>) -> Option<u32> {
    if let Some(id) = cached_id(name) {
        return Some(id);
    }
    let Cow::Borrowed(s) = name else { return None };
    let e = entry_of(s)?;
    slot_of(s).store(std::ptr::from_ref(e).cast_mut(), Ordering::Release);
    Some(e.id)
}

#[cold]
fn entry_of(s: &'static str) -> Option<&'static Entry> {
    let key = (s.as_ptr() as usize, s.len());
    // A poisoned lock only means a panic elsewhere while holding it; the table
    // is updated by single inserts and stays consistent.
    if let Some(e) = TABLE.read().unwrap_or_else(|e| e.into_inner()).ids.get(&key) {
        return Some(e);
    }
    let mut t = TABLE.write().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = t.ids.get(&key) {
        return Some(e);
    }
    let id = u32::try_from(t.names.len()).ok().filter(|id| *id < abi::MAX_NAME_IDS)?;
    let e: &'static Entry = Box::leak(Box::new(Entry { name: s, id }));
    t.names.push(s);
    t.ids.insert(key, e);
    Some(e)
}

/// The text of id `id`.
pub(crate) fn text_of(id: u32) -> Option<&'static str> {
    TABLE.read().unwrap_or_else(|e| e.into_inner()).names.get(id as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_names_get_stable_ids_and_computed_ones_none() {
        static A: &str = "QUERY_ADAPTER";
        let a = id_of(&Cow::Borrowed(A)).unwrap();
        assert_eq!(id_of(&Cow::Borrowed(A)), Some(a));
        assert_eq!(text_of(a), Some("QUERY_ADAPTER"));
        // A prefix of the same bytes is another name.
        let q = id_of(&Cow::Borrowed(&A[..5])).unwrap();
        assert_ne!(q, a);
        assert_eq!(text_of(q), Some("QUERY"));
        assert_eq!(id_of(&Cow::Owned("status 0x5".to_string())), None);
        assert_eq!(text_of(abi::MAX_NAME_IDS), None);
    }
}
