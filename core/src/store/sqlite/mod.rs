//! The SQLite store.

/// Placeholder while the SQLite store is written.
#[derive(Debug, Default)]
pub struct SqliteStore;

/// How hard a commit waits for the disk.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=NORMAL`.
    #[default]
    Normal,
    /// `synchronous=FULL`.
    Full,
}
