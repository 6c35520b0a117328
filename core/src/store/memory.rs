//! An in-memory store.

/// Placeholder while the in-memory store is written.
#[derive(Debug, Default)]
pub struct MemoryStore;
