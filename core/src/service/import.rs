//! Import: the API's own JSON (objects, list envelopes, arrays, NDJSON) mirrored into the store,
//! ids, display ids and timestamps kept (docs/reference.md#import-and-export).
//!
//! Each item is dispatched on `object` (`customer`, `contact`, `onboarding`) and checked as a
//! create would check it, its read-only fields (`id`, `display_id`, `created_at`, `updated_at`,
//! `completed_at`, `waiting_on_customer_since`) accepted as given. Then, by its id:
//!
//! - **unknown** — inserted as given, with one `<object>.imported` event (at import time, the
//!   object as payload); the display-id counter moves past its display id. A display id held by
//!   another record of the same kind (in either mode, deleted or not) is `conflict/display_id_taken`;
//!   a slug or email taken is `slug_taken` / `email_taken`, as on create.
//! - **known** — replaced when the item's `updated_at` is newer than the stored one and a field
//!   differs, with one `<object>.updated` event whose `previous_attributes` are the changed fields'
//!   old values; otherwise unchanged, and nothing is written. A record's `display_id`,
//!   `created_at` and `customer_id` never change: an item that changes one is
//!   `conflicting_fields`.
//! - **deleted here** (or hidden by its customer's deletion) — unchanged: an import never brings a
//!   deleted record back.
//!
//! Side effects are those the source already applied, so none is applied again: importing a
//! `churned` customer pauses nothing, and no phase transition or specific onboarding event is
//! invented. One exception keeps the store's invariant: an imported primary contact demotes the
//! customer's current primary contact (a `contact.updated` event), as on create.
//!
//! **References.** A contact's or onboarding's `customer_id` (an id, or a display id) may name a
//! customer that comes later in the same input: such items wait until the end of the import and are
//! then imported; a reference that still names no visible customer is `customer_not_found`.
//!
//! **History.** An imported onboarding's history starts at its `started_at` in its own phase and
//! state; one imported in `completed` counts as launched and completed at its `completed_at` (the
//! latest its launch can have been), so analytics read its days to launch and on-time verdict
//! from its fields. A replacement that changes a field analytics reads adds a history entry at
//! the item's `updated_at` (its `completed_at` when it enters `completed`).
//!
//! **Chunks and errors.** Items are written in transactions of [`ImportOptions::chunk_size`]
//! items. With [`OnError::Stop`] (the default) the first bad item rolls its chunk back and is
//! returned as the error, its type, code and field those of the API, its message starting with
//! its position (`item 3 (line 4): …`); earlier chunks stay imported. With [`OnError::Skip`] bad
//! items are left out and listed in the summary. Either way, malformed JSON text and storage
//! failures end the import with an error (the chunk in progress rolled back).
//!
//! **Threads.** [`Pivotal::import_json`] reads and checks items on the calling thread while a
//! scoped thread writes the checked ones (a short queue between them bounds memory); the call
//! returns when both are done, with the first error of either.

mod item;
mod stream;

pub use stream::MAX_ITEM_BYTES;

use super::context::{previous_attributes, Ctx};
use super::{contacts, customers, resolve, Pivotal};
use crate::analytics::{NewHistoryEntry, Snapshot};
use crate::error::{Error, ErrorCode, ErrorType, Result};
use crate::model::{Contact, Customer, EventType, Onboarding, Phase, Timestamp};
use crate::store::DisplayKind;
use item::Record;
use serde_json::Value;
use std::collections::HashMap;
use std::io::BufRead;
use std::sync::mpsc;

/// Items a batch carries from the reading thread to the writing one.
const BATCH: usize = 256;
/// Batches that may wait for the writer.
const QUEUED_BATCHES: usize = 4;

/// The reading side's error when the writer has stopped (never returned: the writer's is).
fn writer_stopped() -> Error {
    Error::internal("the import's writer stopped")
}

/// What to do with an item that fails its checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnError {
    /// Roll the item's chunk back and return the item's error (the default).
    #[default]
    Stop,
    /// Leave the item out, count it as skipped and list its error in the summary.
    Skip,
}

/// How an import runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// Stop at the first bad item, or skip bad items.
    pub on_error: OnError,
    /// Items per transaction (default 1,000; at least 1).
    pub chunk_size: usize,
    /// How many item errors the summary lists at most (default 100); `skipped` counts them all.
    pub max_errors: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            on_error: OnError::Stop,
            chunk_size: 1_000,
            max_errors: 100,
        }
    }
}

/// Where an item is in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Its index among the input's items, from 0.
    pub index: usize,
    /// The line its JSON text ends on, from 1 (for JSON text; `None` for values).
    pub line: Option<usize>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "item {} (line {line})", self.index),
            None => write!(f, "item {}", self.index),
        }
    }
}

/// An item left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    /// Where the item is.
    pub position: Position,
    /// Its error, as the API would answer it (the message without the position).
    pub error: Error,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Records inserted.
    pub created: u64,
    /// Records replaced by a newer version.
    pub updated: u64,
    /// Items that changed nothing (not newer, identical, or deleted here).
    pub unchanged: u64,
    /// Items left out for their errors ([`OnError::Skip`]).
    pub skipped: u64,
    /// The first errors of the skipped items, in input order.
    pub errors: Vec<ItemError>,
}

impl ImportSummary {
    /// The summary as the HTTP API answers it: `{"object":"import_summary","created","updated",
    /// "unchanged","skipped","errors":[{"index","line","error":{"type","code","message","field"?}}]}`
    /// (`line` is null for items not read from text).
    pub fn to_json(&self) -> Value {
        let errors: Vec<Value> = self
            .errors
            .iter()
            .map(|e| {
                serde_json::json!({"index": e.position.index, "line": e.position.line,
                                   "error": e.error.to_json()["error"]})
            })
            .collect();
        serde_json::json!({"object": "import_summary", "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped,
            "errors": errors})
    }
}

impl Pivotal {
    /// Imports the JSON text `reader` holds — objects, arrays, list envelopes or NDJSON, of any
    /// size (streamed) — into the session's workspace and mode. See [`crate::service::import`]
    /// for the rules.
    ///
    /// ```
    /// use pivotal_core::{ImportOptions, Pivotal};
    ///
    /// let db = Pivotal::open_in_memory()?;
    /// let ndjson = r#"{"object":"customer","id":"cus_acme0000000000001","display_id":7,"name":"Acme","slug":"acme","created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z"}
    /// {"object":"contact","id":"con_ada00000000000001","display_id":3,"customer_id":"cus_acme0000000000001","name":"Ada","email":"ada@acme.com","is_primary":true,"created_at":"2024-01-03T00:00:00Z","updated_at":"2024-01-03T00:00:00Z"}
    /// "#;
    /// let summary = db.import_json(ndjson.as_bytes(), &ImportOptions::default())?;
    /// assert_eq!(summary.created, 2);
    /// assert_eq!(db.customers().retrieve("7")?.id, "cus_acme0000000000001");
    /// let again = db.import_json(ndjson.as_bytes(), &ImportOptions::default())?;
    /// assert_eq!((again.created, again.unchanged), (0, 2));
    /// # Ok::<(), pivotal_core::Error>(())
    /// ```
    pub fn import_json<R: BufRead>(
        &self,
        reader: R,
        options: &ImportOptions,
    ) -> Result<ImportSummary> {
        // Reading and checking items (this thread) overlaps with writing them (a scoped writer
        // thread): batches of checked items go through a short queue, which bounds memory.
        let (batches, queue) = mpsc::sync_channel::<Result<Vec<Pending>>>(QUEUED_BATCHES);
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                let mut importer = Importer::new(self, options);
                for batch in queue {
                    match batch {
                        Ok(batch) => {
                            for item in batch {
                                importer.push(item).map_err(|e| importer.annotate(e))?;
                            }
                        }
                        Err(e) => return Err(importer.annotate(e)),
                    }
                }
                importer.finish()
            });
            let mut batch = Vec::with_capacity(BATCH);
            let mut index = 0;
            let read = stream::read_items(reader, &mut |value, line| {
                let position = Position {
                    index,
                    line: Some(line),
                };
                index += 1;
                batch.push(Pending::new(position, value));
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    // The writer stopped: its error is the import's.
                    batches.send(Ok(full)).map_err(|_| writer_stopped())?;
                }
                Ok(())
            });
            // A send fails only when the writer has stopped, with its own error to report.
            let _ = match read {
                Ok(()) => batches.send(Ok(batch)),
                Err(e) => batches.send(Err(e)),
            };
            drop(batches);
            writer
                .join()
                .unwrap_or_else(|panic| Err(Error::from_panic(panic)))
        })
    }

    /// Imports JSON values already in memory: each an item, an array of items or a list envelope
    /// (e.g. a page's JSON). The same rules as [`import_json`](Self::import_json).
    pub fn import_values<I>(&self, values: I, options: &ImportOptions) -> Result<ImportSummary>
    where
        I: IntoIterator<Item = Value>,
    {
        let mut importer = Importer::new(self, options);
        let mut index = 0;
        for value in values {
            for value in flatten(value) {
                let position = Position { index, line: None };
                index += 1;
                importer
                    .push(Pending::new(position, value))
                    .map_err(|e| importer.annotate(e))?;
            }
        }
        importer.finish()
    }
}

/// The items of a value: the elements of an array or of a list envelope's `data`, else itself.
fn flatten(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(mut map)
            if map.get("object").and_then(Value::as_str) == Some("list")
                && map.get("data").is_some_and(Value::is_array) =>
        {
            match map.remove("data") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            }
        }
        other => vec![other],
    }
}

/// An item waiting for its chunk, read into its record (or its error) on arrival, outside the
/// chunk's transaction.
#[derive(Debug, Clone)]
struct Pending {
    position: Position,
    record: Result<Record>,
}

impl Pending {
    fn new(position: Position, value: Value) -> Self {
        Self {
            position,
            record: item::parse(value),
        }
    }
}

/// What a chunk's transaction remembers between its items.
#[derive(Default)]
struct ChunkState {
    /// The canonical ids of the customers references resolved to (visible for the whole
    /// transaction: an import never deletes).
    parents: HashMap<String, String>,
    /// The largest display id imported, per kind: the counters move past them at the end.
    display_ids: HashMap<DisplayKind, i64>,
}

impl ChunkState {
    fn imported(&mut self, kind: DisplayKind, display_id: i64) {
        let largest = self.display_ids.entry(kind).or_insert(display_id);
        *largest = display_id.max(*largest);
    }

    /// Moves the display-id counters past the imported display ids.
    fn raise_counters(&self, ctx: &mut Ctx<'_>) -> Result<()> {
        for (kind, largest) in &self.display_ids {
            ctx.tx
                .raise_display_id(&ctx.scope.workspace_id, *kind, *largest)?;
        }
        Ok(())
    }
}

/// What importing one item did.
enum Done {
    Created,
    Updated,
    Unchanged,
    /// Its customer is not known yet: try again at the end of the import.
    Deferred,
}

/// One chunk's results, kept only if its transaction commits.
#[derive(Default)]
struct ChunkOutcome {
    summary: ImportSummary,
    deferred: Vec<Pending>,
}

struct Importer<'a> {
    db: &'a Pivotal,
    options: ImportOptions,
    summary: ImportSummary,
    chunk: Vec<Pending>,
    deferred: Vec<Pending>,
    /// Items of committed chunks.
    committed: u64,
}

impl<'a> Importer<'a> {
    fn new(db: &'a Pivotal, options: &ImportOptions) -> Self {
        let options = ImportOptions {
            chunk_size: options.chunk_size.max(1),
            ..options.clone()
        };
        Self {
            db,
            options,
            summary: ImportSummary::default(),
            chunk: Vec::new(),
            deferred: Vec::new(),
            committed: 0,
        }
    }

    fn push(&mut self, item: Pending) -> Result<()> {
        self.chunk.push(item);
        if self.chunk.len() >= self.options.chunk_size {
            let chunk = std::mem::take(&mut self.chunk);
            self.run(chunk, false)?;
        }
        Ok(())
    }

    /// Imports what is left, then the items that waited for their customer.
    fn finish(mut self) -> Result<ImportSummary> {
        let chunk = std::mem::take(&mut self.chunk);
        self.run(chunk, false).map_err(|e| self.annotate(e))?;
        let mut deferred = std::mem::take(&mut self.deferred);
        deferred.sort_by_key(|p| p.position.index);
        for chunk in deferred.chunks(self.options.chunk_size) {
            self.run(chunk.to_vec(), true)
                .map_err(|e| self.annotate(e))?;
        }
        Ok(self.summary)
    }

    /// Says, on an error that ends the import, how much of it was imported before.
    fn annotate(&self, e: Error) -> Error {
        if self.committed == 0 {
            return e;
        }
        let message = format!(
            "{} ({} items before it were imported)",
            e.message, self.committed
        );
        e.with_message(message)
    }

    /// Imports `items` in one transaction. `last_pass`: a missing customer is an error rather than
    /// a reason to wait.
    fn run(&mut self, items: Vec<Pending>, last_pass: bool) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let on_error = self.options.on_error;
        let mut outcome = ChunkOutcome::default();
        let written = self.db.write(|ctx| {
            outcome = ChunkOutcome::default();
            let mut state = ChunkState::default();
            for item in &items {
                let s = &mut outcome.summary;
                match import_item(ctx, &mut state, &item.record, last_pass) {
                    Ok(Done::Created) => s.created += 1,
                    Ok(Done::Updated) => s.updated += 1,
                    Ok(Done::Unchanged) => s.unchanged += 1,
                    Ok(Done::Deferred) => outcome.deferred.push(item.clone()),
                    Err(e) if e.error_type() == ErrorType::InternalError => return Err(e),
                    Err(e) if on_error == OnError::Stop => {
                        let message = format!("{}: {}", item.position, e.message);
                        return Err(e.with_message(message));
                    }
                    Err(error) => {
                        s.skipped += 1;
                        s.errors.push(ItemError {
                            position: item.position,
                            error,
                        });
                    }
                }
            }
            state.raise_counters(ctx)
        });
        written?;
        let done = outcome.summary;
        self.committed += items.len() as u64 - outcome.deferred.len() as u64;
        self.summary.created += done.created;
        self.summary.updated += done.updated;
        self.summary.unchanged += done.unchanged;
        self.summary.skipped += done.skipped;
        // Items that waited for their customer come late: keep the first errors in input order.
        let errors = &mut self.summary.errors;
        errors.extend(done.errors);
        errors.sort_by_key(|e| e.position.index);
        errors.truncate(self.options.max_errors);
        self.deferred.extend(outcome.deferred);
        Ok(())
    }
}

/// Imports one item in the current transaction. Every check runs before the first write, so an
/// item that fails (other than for storage) has written nothing.
fn import_item(
    ctx: &mut Ctx<'_>,
    state: &mut ChunkState,
    record: &Result<Record>,
    last_pass: bool,
) -> Result<Done> {
    match record.clone()? {
        Record::Customer(c) => customer(ctx, state, c),
        Record::Contact(c) => contact(ctx, state, c, last_pass),
        Record::Onboarding(o) => onboarding(ctx, state, o, last_pass),
    }
}

fn customer(ctx: &mut Ctx<'_>, state: &mut ChunkState, c: Customer) -> Result<Done> {
    let Some(stored) = ctx.tx.customer(ctx.scope, &c.id)? else {
        if ctx
            .tx
            .record_exists(ctx.scope, DisplayKind::Customer, &c.id)?
        {
            return Ok(Done::Unchanged);
        }
        claim(ctx, DisplayKind::Customer, &c.id, c.display_id)?;
        customers::ensure_slug_free(ctx, &c.slug)?;
        state.imported(DisplayKind::Customer, c.display_id);
        ctx.tx.insert_customer(ctx.scope, &c)?;
        ctx.emit(EventType::CustomerImported, &c.id, &c.id, &c, None)?;
        return Ok(Done::Created);
    };
    fixed_fields(
        (stored.display_id, c.display_id),
        (stored.created_at, c.created_at),
    )?;
    let previous = previous_attributes(&stored, &c)?;
    if c.updated_at <= stored.updated_at || previous.is_empty() {
        return Ok(Done::Unchanged);
    }
    if c.slug != stored.slug {
        customers::ensure_slug_free(ctx, &c.slug)?;
    }
    ctx.tx.update_customer(ctx.scope, &c)?;
    ctx.emit(EventType::CustomerUpdated, &c.id, &c.id, &c, Some(previous))?;
    Ok(Done::Updated)
}

fn contact(
    ctx: &mut Ctx<'_>,
    state: &mut ChunkState,
    mut c: Contact,
    last_pass: bool,
) -> Result<Done> {
    let stored = ctx.tx.contact(ctx.scope, &c.id)?;
    if stored.is_none()
        && ctx
            .tx
            .record_exists(ctx.scope, DisplayKind::Contact, &c.id)?
    {
        return Ok(Done::Unchanged);
    }
    let Some(customer_id) = parent(ctx, state, &c.customer_id, last_pass)? else {
        return Ok(Done::Deferred);
    };
    c.customer_id = customer_id;
    let Some(stored) = stored else {
        claim(ctx, DisplayKind::Contact, &c.id, c.display_id)?;
        contacts::ensure_email_free(ctx, &c.customer_id, &c.email)?;
        if c.is_primary {
            contacts::demote_primary(ctx, &c.customer_id)?;
        }
        state.imported(DisplayKind::Contact, c.display_id);
        ctx.tx.insert_contact(ctx.scope, &c)?;
        ctx.emit(EventType::ContactImported, &c.id, &c.customer_id, &c, None)?;
        return Ok(Done::Created);
    };
    fixed_fields(
        (stored.display_id, c.display_id),
        (stored.created_at, c.created_at),
    )?;
    same_customer(&stored.customer_id, &c.customer_id)?;
    let previous = previous_attributes(&stored, &c)?;
    if c.updated_at <= stored.updated_at || previous.is_empty() {
        return Ok(Done::Unchanged);
    }
    if c.email != stored.email {
        contacts::ensure_email_free(ctx, &c.customer_id, &c.email)?;
    }
    if c.is_primary && !stored.is_primary {
        contacts::demote_primary(ctx, &c.customer_id)?;
    }
    ctx.tx.update_contact(ctx.scope, &c)?;
    let customer_id = c.customer_id.clone();
    ctx.emit(
        EventType::ContactUpdated,
        &c.id,
        &customer_id,
        &c,
        Some(previous),
    )?;
    Ok(Done::Updated)
}

fn onboarding(
    ctx: &mut Ctx<'_>,
    state: &mut ChunkState,
    mut o: Onboarding,
    last_pass: bool,
) -> Result<Done> {
    let stored = ctx.tx.onboarding(ctx.scope, &o.id)?;
    if stored.is_none()
        && ctx
            .tx
            .record_exists(ctx.scope, DisplayKind::Onboarding, &o.id)?
    {
        return Ok(Done::Unchanged);
    }
    let Some(customer_id) = parent(ctx, state, &o.customer_id, last_pass)? else {
        return Ok(Done::Deferred);
    };
    o.customer_id = customer_id;
    let Some(stored) = stored else {
        claim(ctx, DisplayKind::Onboarding, &o.id, o.display_id)?;
        state.imported(DisplayKind::Onboarding, o.display_id);
        ctx.tx.insert_onboarding(ctx.scope, &o)?;
        let entry = NewHistoryEntry {
            onboarding_id: o.id.clone(),
            at: history_start(&o),
            previous_phase: None,
            snapshot: Snapshot::of(&o),
        };
        ctx.tx.append_history(ctx.scope, entry)?;
        ctx.emit(
            EventType::OnboardingImported,
            &o.id,
            &o.customer_id,
            &o,
            None,
        )?;
        return Ok(Done::Created);
    };
    fixed_fields(
        (stored.display_id, o.display_id),
        (stored.created_at, o.created_at),
    )?;
    same_customer(&stored.customer_id, &o.customer_id)?;
    let previous = previous_attributes(&stored, &o)?;
    if o.updated_at <= stored.updated_at || previous.is_empty() {
        return Ok(Done::Unchanged);
    }
    ctx.tx.update_onboarding(ctx.scope, &o)?;
    if Snapshot::of(&stored) != Snapshot::of(&o) {
        let entered_completion = o.phase == Phase::Completed && stored.phase != Phase::Completed;
        let at = match o.completed_at {
            Some(t) if entered_completion => t,
            _ => o.updated_at,
        };
        let history = ctx.tx.onboarding_history(ctx.scope, &o.id)?;
        let at = history.last().map_or(at, |last| at.max(last.at));
        let entry = NewHistoryEntry {
            onboarding_id: o.id.clone(),
            at,
            previous_phase: Some(stored.phase),
            snapshot: Snapshot::of(&o),
        };
        ctx.tx.append_history(ctx.scope, entry)?;
    }
    let customer_id = o.customer_id.clone();
    ctx.emit(
        EventType::OnboardingUpdated,
        &o.id,
        &customer_id,
        &o,
        Some(previous),
    )?;
    Ok(Done::Updated)
}

/// Where an imported onboarding's history starts: its `started_at`, or for one imported in
/// `completed` its `completed_at` (taken as its launch too), its time since `started_at` counted
/// in `completed` up to there.
fn history_start(o: &Onboarding) -> Timestamp {
    match (o.phase, o.completed_at) {
        (Phase::Completed, Some(t)) => t,
        _ => o.started_at,
    }
}

/// Whether the new record `id` (not in the store, deleted or not) may take `display_id`:
/// `display_id_taken` when another record holds it.
fn claim(ctx: &mut Ctx<'_>, kind: DisplayKind, id: &str, display_id: i64) -> Result<()> {
    let owner = ctx
        .tx
        .display_id_owner(&ctx.scope.workspace_id, kind, display_id)?;
    match owner {
        None => Ok(()),
        Some((_, owner)) => Err(Error::field(
            ErrorCode::DisplayIdTaken,
            "display_id",
            format!(
                "display id {display_id} belongs to {} `{owner}`, not `{id}`",
                kind.as_str()
            ),
        )),
    }
}

/// The canonical id of the visible customer `reference` names; `None` when there is none yet and
/// the item may wait for the end of the import.
fn parent(
    ctx: &mut Ctx<'_>,
    state: &mut ChunkState,
    reference: &str,
    last_pass: bool,
) -> Result<Option<String>> {
    if let Some(id) = state.parents.get(reference) {
        return Ok(Some(id.clone()));
    }
    match resolve::customer(ctx, reference, Some("customer_id")) {
        Ok(customer) => {
            state
                .parents
                .insert(reference.to_owned(), customer.id.clone());
            Ok(Some(customer.id))
        }
        Err(e) if e.code == ErrorCode::CustomerNotFound && !last_pass => Ok(None),
        Err(e) => Err(e),
    }
}

/// A record's display id and creation time never change.
fn fixed_fields(display_id: (i64, i64), created_at: (Timestamp, Timestamp)) -> Result<()> {
    if display_id.0 != display_id.1 {
        return Err(Error::field(
            ErrorCode::ConflictingFields,
            "display_id",
            format!(
                "the record has display id {} here; a display id never changes",
                display_id.0
            ),
        ));
    }
    if created_at.0 != created_at.1 {
        return Err(Error::field(
            ErrorCode::ConflictingFields,
            "created_at",
            "the record was created at another instant here; `created_at` never changes",
        ));
    }
    Ok(())
}

/// A contact or onboarding never moves to another customer.
fn same_customer(stored: &str, incoming: &str) -> Result<()> {
    if stored != incoming {
        return Err(Error::field(
            ErrorCode::ConflictingFields,
            "customer_id",
            format!("the record belongs to customer `{stored}` here; it cannot move"),
        ));
    }
    Ok(())
}
