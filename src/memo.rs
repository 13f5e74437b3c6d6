//! Memoisation of pure, expensive steps across the builds of one long-running process
//! (`folio serve`): a value is kept under a 128-bit hash of everything it depends on, so
//! it can never be stale, and values no build asked for since the last `prune` are
//! dropped, so deleted pages do not pile up.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use xxhash_rust::xxh3::Xxh3;

pub struct Memo<V> {
    entries: Mutex<HashMap<u128, V>>,
    used: Mutex<HashSet<u128>>,
}

impl<V: Clone> Memo<V> {
    pub fn new() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            used: Mutex::new(HashSet::new()),
        }
    }

    /// The value for `key`, computed by `make` the first time. `make` runs without the
    /// lock held, so threads never wait on each other's work.
    pub fn get_or_insert_with(&self, key: u128, make: impl FnOnce() -> V) -> V {
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key);
        if let Some(value) = self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return value.clone();
        }
        let value = make();
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, value.clone());
        value
    }

    /// Forgets what was not asked for since the last prune.
    pub fn prune(&self) {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|key, _| used.contains(key));
        used.clear();
    }

    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<V: Clone> Default for Memo<V> {
    fn default() -> Self {
        Self::new()
    }
}

/// A 128-bit key over several byte strings; each is length-prefixed so that no two
/// different lists hash the same way by running together.
pub fn key<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u128 {
    let mut hasher = Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_made_once_and_pruned_when_unused() {
        let memo: Memo<String> = Memo::new();
        let mut made = 0;
        for _ in 0..3 {
            memo.get_or_insert_with(1, || {
                made += 1;
                "one".into()
            });
        }
        assert_eq!(made, 1);
        memo.get_or_insert_with(2, || "two".into());
        memo.prune();
        assert_eq!(memo.len(), 2);
        memo.get_or_insert_with(2, || "two".into());
        memo.prune();
        assert_eq!(
            memo.len(),
            1,
            "key 1 was not asked for since the last prune"
        );
    }

    #[test]
    fn keys_do_not_run_parts_together() {
        assert_ne!(key([b"ab".as_slice(), b"c"]), key([b"a".as_slice(), b"bc"]));
        assert_eq!(key([b"ab".as_slice(), b"c"]), key([b"ab".as_slice(), b"c"]));
    }
}
