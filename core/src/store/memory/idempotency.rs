//! A scope's remembered idempotent responses: by (operation, key), and by age so that the expired
//! ones can be forgotten oldest first without looking at the others.

use crate::model::Timestamp;
use crate::store::IdempotencyEntry;
use std::collections::{BTreeSet, HashMap};

/// An (operation, key) pair.
pub(super) type IdempotencyKey = (String, String);

#[derive(Debug, Default)]
pub(super) struct Idempotency {
    entries: HashMap<IdempotencyKey, IdempotencyEntry>,
    by_age: BTreeSet<(Timestamp, IdempotencyKey)>,
}

impl Idempotency {
    pub(super) fn get(&self, key: &IdempotencyKey) -> Option<&IdempotencyEntry> {
        self.entries.get(key)
    }

    /// Makes `entry` the entry of `key` (`None` forgets it); returns the entry it replaces.
    pub(super) fn set(
        &mut self,
        key: IdempotencyKey,
        entry: Option<IdempotencyEntry>,
    ) -> Option<IdempotencyEntry> {
        let previous = self.entries.remove(&key);
        if let Some(previous) = &previous {
            self.by_age.remove(&(previous.created_at, key.clone()));
        }
        if let Some(entry) = entry {
            self.by_age.insert((entry.created_at, key.clone()));
            self.entries.insert(key, entry);
        }
        previous
    }

    /// The keys of at most `limit` entries created before `before`, oldest first.
    pub(super) fn created_before(&self, before: Timestamp, limit: usize) -> Vec<IdempotencyKey> {
        self.by_age
            .iter()
            .take_while(|(at, _)| *at < before)
            .take(limit)
            .map(|(_, key)| key.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::from_unix_ms;

    fn entry(ms: i64) -> IdempotencyEntry {
        IdempotencyEntry {
            fingerprint: "f".into(),
            response: "{}".into(),
            created_at: from_unix_ms(ms).unwrap(),
        }
    }

    fn key(k: &str) -> IdempotencyKey {
        ("customers.create".into(), k.into())
    }

    #[test]
    fn the_age_index_follows_every_change() {
        let mut keys = Idempotency::default();
        assert_eq!(keys.set(key("a"), Some(entry(30))), None);
        keys.set(key("b"), Some(entry(10)));
        keys.set(key("c"), Some(entry(20)));
        let before = |ms| from_unix_ms(ms).unwrap();
        assert_eq!(keys.created_before(before(25), 10), [key("b"), key("c")]);
        assert_eq!(keys.created_before(before(25), 1), [key("b")]);
        // Replacing moves the entry to its new age; the same age keeps it where it was.
        assert_eq!(keys.set(key("b"), Some(entry(40))), Some(entry(10)));
        keys.set(key("c"), Some(entry(20)));
        assert_eq!(
            keys.created_before(before(100), 10),
            [key("c"), key("a"), key("b")]
        );
        // Forgetting removes it from both.
        assert_eq!(keys.set(key("c"), None), Some(entry(20)));
        assert_eq!(keys.get(&key("c")), None);
        assert_eq!(keys.created_before(before(100), 10), [key("a"), key("b")]);
        assert_eq!(keys.set(key("c"), None), None);
    }
}
