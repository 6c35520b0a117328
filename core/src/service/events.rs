//! Reading the change log: tail it by sequence.

use super::paging::{self, DEFAULT_LIMIT};
use super::Pivotal;
use crate::error::Result;
use crate::model::{Event, EventType, Page};
use crate::store::EventFilter;

/// Filters of `events.list`, read in ascending sequence order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventListParams {
    /// Only events after this sequence number (the last one you saw).
    pub after_sequence: Option<i64>,
    /// Only events of these types (every type when empty).
    pub types: Vec<EventType>,
    /// Only events about this object id.
    pub object_id: Option<String>,
    /// Events per page, 1–100 (default 20).
    pub limit: Option<i64>,
}

/// The change log of one session's workspace and mode.
#[derive(Debug, Clone, Copy)]
pub struct Events<'a> {
    db: &'a Pivotal,
}

impl<'a> Events<'a> {
    pub(crate) fn new(db: &'a Pivotal) -> Self {
        Self { db }
    }

    /// Events in ascending sequence order. When `has_more`, `next_cursor` is the last sequence
    /// returned, to pass as the next `after_sequence`.
    pub fn list(&self, params: &EventListParams) -> Result<Page<Event>> {
        let limit = paging::limit(params.limit, DEFAULT_LIMIT)?;
        let filter = EventFilter {
            after_sequence: params.after_sequence,
            types: params.types.clone(),
            object_id: params.object_id.clone(),
            limit: limit + 1,
        };
        let mut data = self.db.read(|ctx| ctx.tx.list_events(ctx.scope, &filter))?;
        let has_more = data.len() > limit;
        data.truncate(limit);
        let next_cursor = has_more
            .then(|| data.last().map(|e| e.sequence.to_string()))
            .flatten();
        Ok(Page {
            data,
            has_more,
            next_cursor,
        })
    }
}
