//! The operations of the API (docs/reference.md#operations), each one transaction: resolve references → validate → apply
//! the rules → write the records, their history and their events.

mod analytics;
mod api_keys;
mod batch;
pub mod check;
mod contacts;
mod context;
mod customers;
mod engine;
mod events;
pub mod export;
mod idempotency;
pub mod import;
mod onboardings;
mod paging;
mod resolve;
mod workspaces;

pub use analytics::{Analytics, WorkspaceReportParams};
pub use api_keys::ApiKeys;
pub use check::{CheckReport, RecordCounts};
pub use contacts::Contacts;
pub use customers::{CustomerListParams, Customers};
pub use events::{EventListParams, Events};
pub use export::{ExportFormat, ExportList};
pub use import::{ImportOptions, ImportSummary, ItemError, OnError, Position};
pub use onboardings::{OnboardingListParams, Onboardings};
pub use paging::ListParams;
pub use workspaces::Workspaces;

use crate::error::{Error, ErrorCode, Result};
use crate::keys;
use crate::model::{
    Clock, Health, IdGenerator, IdKind, Identity, KeyIdentity, SystemClock, Workspace,
};
use crate::store::{
    is_postgres_url, Durability, MemoryStore, Scope, SqliteStore, Store, StoreExt, Tx,
};
use crate::validate;
use context::Ctx;
use engine::Engine;
use std::path::{Path, PathBuf};
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
    /// The API key the session authenticated with; `None` for a local session.
    pub api_key: Option<KeyIdentity>,
}

/// An open store with a session: the entry point of the library.
///
/// Cheap to clone; clones and derived sessions share the store, and [`close`](Self::close) on any
/// of them closes it for all. Operations are grouped by resource:
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

/// How to open a store: actor name, clock, id seed, durability, memory map.
#[derive(Clone)]
pub struct Options {
    actor: String,
    clock: Arc<dyn Clock>,
    id_seed: Option<u64>,
    durability: Durability,
    mmap_size: u64,
    key_iterations: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            actor: DEFAULT_ACTOR.into(),
            clock: Arc::new(SystemClock),
            id_seed: None,
            durability: Durability::Normal,
            mmap_size: 0,
            key_iterations: keys::DEFAULT_ITERATIONS,
        }
    }
}

impl Options {
    /// The actor name recorded on every change (default `local`): trimmed, 1 to
    /// [`NAME_MAX`](crate::rules::limits::NAME_MAX) characters, checked by `open` (`invalid_request_error`, field `actor`).
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

    /// Bytes of a SQLite file that reads may memory-map (default 0: none). Faster reads on files
    /// larger than the page cache, at the costs listed under [`SqliteOptions::mmap_size`].
    ///
    /// [`SqliteOptions::mmap_size`]: crate::store::sqlite::SqliteOptions::mmap_size
    pub fn mmap_size(mut self, bytes: u64) -> Self {
        self.mmap_size = bytes;
        self
    }

    /// PBKDF2 iterations for new API keys (default [`keys::DEFAULT_ITERATIONS`]); existing keys keep
    /// the count they were hashed with. At most [`keys::MAX_ITERATIONS`].
    pub fn key_iterations(mut self, iterations: u32) -> Self {
        self.key_iterations = iterations.clamp(1, keys::MAX_ITERATIONS);
        self
    }

    /// Opens (creating or migrating as needed) a SQLite file, or the PostgreSQL database that a
    /// `postgresql://` (or `postgres://`) URL names: one entry point for both, so that moving
    /// from a file to a server is changing this one string. PostgreSQL needs the `postgres`
    /// feature (without it, such a URL is `storage_unavailable`); the URL and the `PG*`
    /// variables it may leave things to are described at `store::postgres::PostgresStore::open`.
    /// The SQLite options (durability, mmap) do not apply to PostgreSQL.
    pub fn open(self, path: impl AsRef<Path>) -> Result<Pivotal> {
        if let Some(url) = path.as_ref().to_str().filter(|p| is_postgres_url(p)) {
            let actor = actor(&self.actor)?;
            let store = open_postgres(url)?;
            return self.start(store, actor, None);
        }
        let options = crate::store::sqlite::SqliteOptions {
            durability: self.durability,
            mmap_size: self.mmap_size,
            ..Default::default()
        };
        let actor = actor(&self.actor)?;
        let path = path.as_ref().to_path_buf();
        let store = SqliteStore::open_with(&path, options)?;
        let file = Some(path).filter(|p| !crate::store::sqlite::is_memory_path(p));
        self.start(Box::new(store), actor, file)
    }

    /// Opens a fresh in-memory store.
    pub fn open_in_memory(self) -> Result<Pivotal> {
        let actor = actor(&self.actor)?;
        self.start(Box::new(MemoryStore::new()), actor, None)
    }

    /// Opens over any [`Store`] implementation.
    pub fn with_store(self, store: Box<dyn Store>) -> Result<Pivotal> {
        let actor = actor(&self.actor)?;
        self.start(store, actor, None)
    }

    fn start(self, store: Box<dyn Store>, actor: String, path: Option<PathBuf>) -> Result<Pivotal> {
        let ids = self
            .id_seed
            .map_or_else(IdGenerator::random, IdGenerator::seeded);
        let now = crate::model::time::checked_now(&*self.clock)?;
        // Opening an existing store only reads: it must not wait for another process's write.
        let existing = store.read_with(|tx| tx.workspace_by_slug(DEFAULT_WORKSPACE_SLUG))?;
        let workspace = match existing {
            Some(w) => w,
            None => {
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
                })?
            }
        };
        let engine = Arc::new(Engine::new(
            store,
            self.clock,
            ids,
            self.key_iterations,
            path,
        ));
        let session = Session {
            workspace,
            livemode: true,
            actor,
            api_key: None,
        };
        Ok(Pivotal::from_parts(engine, session))
    }
}

#[cfg(feature = "postgres")]
fn open_postgres(url: &str) -> Result<Box<dyn Store>> {
    Ok(Box::new(crate::store::PostgresStore::open(url)?))
}

#[cfg(not(feature = "postgres"))]
fn open_postgres(_url: &str) -> Result<Box<dyn Store>> {
    Err(Error::new(
        ErrorCode::StorageUnavailable,
        "this build of pivotal-core cannot open PostgreSQL databases: enable its `postgres` feature",
    ))
}

impl Pivotal {
    /// Opens a SQLite file (or a `postgresql://` URL: see [`Options::open`]) with default
    /// options and the actor `local`.
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

    /// The same store, acting under another actor name (trimmed, 1 to [`NAME_MAX`](crate::rules::limits::NAME_MAX)
    /// characters: else `invalid_request_error`, field `actor`).
    ///
    /// A session of an API key acts under the key's name: changing it is
    /// `permission_error/permission_denied`.
    pub fn with_actor(&self, actor: &str) -> Result<Self> {
        self.local_only("another actor")?;
        let actor = self::actor(actor)?;
        self.derive(Session {
            actor,
            ..(*self.session).clone()
        })
    }

    /// The same store and workspace in live (`true`) or test (`false`) mode.
    ///
    /// A session of an API key stays in the key's mode: `permission_error/permission_denied`.
    pub fn with_livemode(&self, livemode: bool) -> Result<Self> {
        self.local_only("another mode")?;
        self.derive(Session {
            livemode,
            ..(*self.session).clone()
        })
    }

    /// The same store, in another workspace (named by id or slug), in live mode.
    ///
    /// A session of an API key stays in the key's workspace: `permission_error/permission_denied`.
    pub fn with_workspace(&self, reference: &str) -> Result<Self> {
        self.local_only("another workspace")?;
        let workspace = self.workspaces().retrieve(reference)?;
        self.derive(Session {
            workspace,
            livemode: true,
            ..(*self.session).clone()
        })
    }

    /// Sessions derived from an API key's keep its workspace, mode and actor: only a handle opened
    /// without a key switches them.
    fn local_only(&self, what: &str) -> Result<()> {
        match &self.session.api_key {
            None => Ok(()),
            Some(key) => Err(Error::new(
                ErrorCode::PermissionDenied,
                format!(
                    "this session is bound to the API key `{}`, its workspace, mode and actor: \
                     switch to {what} from a handle opened without a key",
                    key.name
                ),
            )),
        }
    }

    /// A session of the same store; `store_closed` once it is closed.
    fn derive(&self, session: Session) -> Result<Self> {
        self.ensure_open()?;
        Ok(Self::from_parts(self.engine.clone(), session))
    }

    /// Closes the store for this handle, its clones and every session derived from it: it waits
    /// for the operations already running (on other threads) to finish, then releases the store
    /// (for SQLite, its connections and file). Idempotent. Every later call fails with
    /// `invalid_request_error/store_closed`.
    pub fn close(&self) {
        self.engine.close();
    }

    /// Whether the store was closed (through any handle), or is used in a process forked from the
    /// one that opened it (where every call fails with `store_closed`).
    pub fn is_closed(&self) -> bool {
        self.engine.is_closed()
    }

    /// `invalid_request_error/store_closed` when [`is_closed`](Self::is_closed), else nothing.
    pub fn ensure_open(&self) -> Result<()> {
        self.engine.check_open()
    }

    /// The SQLite file the store was opened from; `None` for other stores.
    pub fn path(&self) -> Option<&Path> {
        self.engine.path.as_deref()
    }

    /// A session for an API key secret: its workspace, its mode, and its name as the actor.
    ///
    /// A malformed or unknown secret is `authentication_error/invalid_api_key`; a revoked one
    /// `authentication_error/api_key_revoked`. A key revoked later fails every call made through the
    /// session from then on.
    pub fn authenticate(&self, secret: &str) -> Result<Self> {
        let livemode = keys::mode_of(secret)?;
        let prefix = keys::display_prefix(secret);
        let candidates = self.engine.read_with(|tx| tx.api_keys_by_prefix(&prefix))?;
        let stored = candidates
            .into_iter()
            .find(|c| c.key.livemode == livemode && keys::verify(secret, &c.hash))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidApiKey,
                    "the API key is malformed or unknown",
                )
            })?;
        if stored.key.revoked_at.is_some() {
            return Err(crate::store::api_key_revoked());
        }
        let workspace = self.workspaces().retrieve(&stored.workspace_id)?;
        let key = stored.key;
        let session = Session {
            workspace,
            livemode,
            actor: key.name.clone(),
            api_key: Some(KeyIdentity {
                id: key.id,
                name: key.name,
                prefix: key.prefix,
                livemode,
            }),
        };
        self.derive(session)
    }

    /// Who this session is: `{"object":"me","api_key","organization"}`.
    pub fn me(&self) -> Result<Identity> {
        self.read(|_| {
            Ok(Identity {
                api_key: self.session.api_key.clone(),
                organization: self.session.workspace.clone(),
            })
        })
    }

    /// This handle's session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The clock's current instant; `invalid_timestamp` when the clock is outside the years
    /// 1–9999 (every operation takes its "now" here), `store_closed` once the store is closed.
    pub fn now(&self) -> Result<crate::model::Timestamp> {
        self.ensure_open()?;
        self.clock_now()
    }

    /// The clock's instant for an operation already admitted by the store's gate (which a
    /// concurrent `close()` waits for, so it must not check for closing again).
    fn clock_now(&self) -> Result<crate::model::Timestamp> {
        crate::model::time::checked_now(&*self.engine.clock)
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

    /// Workspace management.
    pub fn workspaces(&self) -> Workspaces<'_> {
        Workspaces::new(self)
    }

    /// API keys of the session's workspace and mode.
    pub fn api_keys(&self) -> ApiKeys<'_> {
        ApiKeys::new(self)
    }

    /// Analytics of the onboardings (docs/reference.md#analytics), computed from their recorded history.
    pub fn analytics(&self) -> Analytics<'_> {
        Analytics::new(self)
    }

    /// The change log.
    pub fn events(&self) -> Events<'_> {
        Events::new(self)
    }

    /// Checks that the store answers: `{"status":"ok","timestamp","version","schema_version"}`.
    pub fn health(&self) -> Result<Health> {
        self.engine
            .read_with(|tx| tx.workspace(&self.scope.workspace_id))?;
        Ok(Health {
            status: "ok".into(),
            timestamp: self.now()?,
            version: env!("CARGO_PKG_VERSION").into(),
            schema_version: self.engine.schema_version()?,
        })
    }

    /// Runs an operation in a write transaction, after checking the session's key is still valid.
    /// The operation's instant is read inside the transaction. `f` may run more than once (a
    /// store re-runs a transaction that lost a deadlock): it must take what it needs by reference
    /// or clone it.
    fn write<R>(&self, mut f: impl FnMut(&mut Ctx<'_>) -> Result<R>) -> Result<R> {
        self.engine.write_with(|tx| {
            self.check_key(tx)?;
            let now = self.clock_now()?;
            f(&mut Ctx::new(tx, self, now))
        })
    }

    /// Runs an operation in a read transaction, after checking the session's key is still valid.
    fn read<R>(&self, f: impl FnOnce(&mut Ctx<'_>) -> Result<R>) -> Result<R> {
        self.engine.read_with(|tx| {
            self.check_key(tx)?;
            let now = self.clock_now()?;
            f(&mut Ctx::new(tx, self, now))
        })
    }

    /// Revocation is effective immediately: every call through a key's session looks the key up.
    fn check_key(&self, tx: &mut dyn Tx) -> Result<()> {
        match &self.session.api_key {
            Some(key) => tx.require_live_api_key(&self.scope, &key.id),
            None => Ok(()),
        }
    }
}

/// An actor name: trimmed, 1 to [`NAME_MAX`](crate::rules::limits::NAME_MAX) characters, like the API key names it stands
/// for in a key's session.
fn actor(name: &str) -> Result<String> {
    validate::required_text("actor", name, crate::rules::limits::NAME_MAX)
}
