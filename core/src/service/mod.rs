//! The operations of the API (SPEC 5), each one transaction: resolve references → validate → apply
//! the rules → write the records, their history and their events.

mod contacts;
mod context;
mod customers;
mod events;
mod idempotency;
mod onboardings;
mod paging;
mod resolve;

pub use contacts::Contacts;
pub use customers::{CustomerListParams, Customers};
pub use events::{EventListParams, Events};
pub use onboardings::{OnboardingListParams, Onboardings};
pub use paging::ListParams;

use crate::error::Result;
use crate::model::{Clock, Health, IdGenerator, IdKind, SystemClock, Workspace};
use crate::store::{Durability, MemoryStore, Scope, SqliteStore, Store, StoreExt};
use context::Ctx;
use std::path::Path;
use std::sync::Arc;

/// The actor name used when the embedder chooses none.
pub const DEFAULT_ACTOR: &str = "local";

/// The slug of the workspace an embedder gets when it opens a store without API keys.
pub const DEFAULT_WORKSPACE_SLUG: &str = "default";

/// Who is working, and where: one workspace, one mode, one actor name for the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The workspace every record read or written belongs to.
    pub workspace: Workspace,
    /// Live (`true`) or test (`false`) mode.
    pub livemode: bool,
    /// Recorded as the `actor` of every event and transition.
    pub actor: String,
}

struct Engine {
    store: Box<dyn Store>,
    clock: Arc<dyn Clock>,
    ids: IdGenerator,
}

/// An open store with a session: the entry point of the library.
///
/// Cheap to clone; clones share the store. Operations are grouped by resource:
/// [`customers`](Self::customers), [`contacts`](Self::contacts), [`onboardings`](Self::onboardings),
/// [`events`](Self::events).
#[derive(Clone)]
pub struct Pivotal {
    engine: Arc<Engine>,
    session: Arc<Session>,
    scope: Arc<Scope>,
}

impl std::fmt::Debug for Pivotal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pivotal")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

/// How to open a store: actor name, clock, id seed, durability.
#[derive(Clone)]
pub struct Options {
    actor: String,
    clock: Arc<dyn Clock>,
    id_seed: Option<u64>,
    durability: Durability,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            actor: DEFAULT_ACTOR.into(),
            clock: Arc::new(SystemClock),
            id_seed: None,
            durability: Durability::Normal,
        }
    }
}

impl Options {
    /// The actor name recorded on every change (default `local`).
    pub fn actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = actor.into();
        self
    }

    /// The source of "now" (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Makes new ids reproducible from a seed (for tests).
    pub fn id_seed(mut self, seed: u64) -> Self {
        self.id_seed = Some(seed);
        self
    }

    /// How hard SQLite commits wait for the disk (default `Normal`).
    pub fn durability(mut self, durability: Durability) -> Self {
        self.durability = durability;
        self
    }

    /// Opens (creating or migrating as needed) a SQLite file.
    pub fn open(self, path: impl AsRef<Path>) -> Result<Pivotal> {
        let options = crate::store::sqlite::SqliteOptions {
            durability: self.durability,
            ..Default::default()
        };
        let store = SqliteStore::open_with(path, options)?;
        self.with_store(Box::new(store))
    }

    /// Opens a fresh in-memory store.
    pub fn open_in_memory(self) -> Result<Pivotal> {
        self.with_store(Box::new(MemoryStore::new()))
    }

    /// Opens over any [`Store`] implementation.
    pub fn with_store(self, store: Box<dyn Store>) -> Result<Pivotal> {
        let ids = self
            .id_seed
            .map_or_else(IdGenerator::random, IdGenerator::seeded);
        let now = self.clock.now();
        let workspace =
            store.write_with(|tx| match tx.workspace_by_slug(DEFAULT_WORKSPACE_SLUG)? {
                Some(w) => Ok(w),
                None => {
                    let w = Workspace {
                        id: ids.next(IdKind::Workspace),
                        slug: DEFAULT_WORKSPACE_SLUG.into(),
                        name: "Default workspace".into(),
                    };
                    tx.insert_workspace(&w, now)?;
                    Ok(w)
                }
            })?;
        let engine = Arc::new(Engine {
            store,
            clock: self.clock,
            ids,
        });
        Ok(Pivotal::from_parts(
            engine,
            Session {
                workspace,
                livemode: true,
                actor: self.actor,
            },
        ))
    }
}

impl Pivotal {
    /// Opens a SQLite file with default options and the actor `local`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Options::default().open(path)
    }

    /// Opens a fresh in-memory store with default options.
    pub fn open_in_memory() -> Result<Self> {
        Options::default().open_in_memory()
    }

    /// Options for opening a store.
    pub fn options() -> Options {
        Options::default()
    }

    fn from_parts(engine: Arc<Engine>, session: Session) -> Self {
        let scope = Scope {
            workspace_id: session.workspace.id.clone(),
            livemode: session.livemode,
        };
        Self {
            engine,
            session: Arc::new(session),
            scope: Arc::new(scope),
        }
    }

    /// The same store, acting under another actor name.
    pub fn with_actor(&self, actor: impl Into<String>) -> Self {
        Self::from_parts(
            self.engine.clone(),
            Session {
                actor: actor.into(),
                ..(*self.session).clone()
            },
        )
    }

    /// The same store and workspace in live (`true`) or test (`false`) mode.
    pub fn with_livemode(&self, livemode: bool) -> Self {
        Self::from_parts(
            self.engine.clone(),
            Session {
                livemode,
                ..(*self.session).clone()
            },
        )
    }

    /// This handle's session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The clock's current instant.
    pub fn now(&self) -> crate::model::Timestamp {
        self.engine.clock.now()
    }

    /// Customer operations.
    pub fn customers(&self) -> Customers<'_> {
        Customers::new(self)
    }

    /// Contact operations.
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts::new(self)
    }

    /// Onboarding operations.
    pub fn onboardings(&self) -> Onboardings<'_> {
        Onboardings::new(self)
    }

    /// The change log.
    pub fn events(&self) -> Events<'_> {
        Events::new(self)
    }

    /// Checks that the store answers: `{"status":"ok","timestamp","version","schema_version"}`.
    pub fn health(&self) -> Result<Health> {
        self.engine
            .store
            .read_with(|tx| tx.workspace(&self.scope.workspace_id))?;
        Ok(Health {
            status: "ok".into(),
            timestamp: self.now(),
            version: env!("CARGO_PKG_VERSION").into(),
            schema_version: self.engine.store.schema_version(),
        })
    }

    fn write<R>(&self, f: impl FnOnce(&mut Ctx<'_>) -> Result<R>) -> Result<R> {
        let now = self.now();
        self.engine
            .store
            .write_with(|tx| f(&mut Ctx::new(tx, self, now)))
    }

    fn read<R>(&self, f: impl FnOnce(&mut Ctx<'_>) -> Result<R>) -> Result<R> {
        let now = self.now();
        self.engine
            .store
            .read_with(|tx| f(&mut Ctx::new(tx, self, now)))
    }
}
