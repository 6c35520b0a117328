//! What an operation works with inside its transaction, and the change-log helpers it shares.

use super::Pivotal;
use crate::error::{Error, Result};
use crate::model::{EventData, EventType, IdGenerator, IdKind, Timestamp};
use crate::store::{NewEvent, Scope, Tx};
use serde::Serialize;
use serde_json::{Map, Value};

/// One operation's view: the transaction, the session's scope and actor, and its instant.
pub(crate) struct Ctx<'a> {
    pub tx: &'a mut dyn Tx,
    pub scope: &'a Scope,
    pub actor: &'a str,
    pub now: Timestamp,
    pub ids: &'a IdGenerator,
}

impl<'a> Ctx<'a> {
    pub fn new(tx: &'a mut dyn Tx, db: &'a Pivotal, now: Timestamp) -> Self {
        Self {
            tx,
            scope: &db.scope,
            actor: &db.session.actor,
            now,
            ids: &db.engine.ids,
        }
    }

    /// A new id of the given kind.
    pub fn new_id(&self, kind: IdKind) -> String {
        self.ids.next(kind)
    }

    /// Appends an event about `object` (owned by `customer_id`) to the change log.
    pub fn emit<T: Serialize>(
        &mut self,
        event_type: EventType,
        object_id: &str,
        customer_id: &str,
        object: &T,
        previous_attributes: Option<Map<String, Value>>,
    ) -> Result<()> {
        let event = NewEvent {
            id: self.new_id(IdKind::Event),
            event_type,
            object_id: object_id.to_owned(),
            customer_id: customer_id.to_owned(),
            created_at: self.now,
            actor: self.actor.to_owned(),
            data: EventData {
                object: to_json(object)?,
                previous_attributes,
            },
        };
        self.tx.append_event(self.scope, event)?;
        Ok(())
    }
}

/// The wire JSON of a value.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::internal(format!("serialising: {e}")))
}

/// The old values of exactly the fields that differ between `before` and `after`, `updated_at` aside.
/// Empty when nothing changed.
pub(crate) fn previous_attributes<T: Serialize>(
    before: &T,
    after: &T,
) -> Result<Map<String, Value>> {
    let (Value::Object(before), Value::Object(after)) = (to_json(before)?, to_json(after)?) else {
        return Err(Error::internal("objects serialise to JSON objects"));
    };
    Ok(before
        .into_iter()
        .filter(|(k, v)| k != "updated_at" && after.get(k) != Some(v))
        .collect())
}

/// `{field: old}` — the previous attributes of a specific event.
pub(crate) fn only<T: Serialize>(field: &str, old: &T) -> Result<Map<String, Value>> {
    Ok(Map::from_iter([(field.to_owned(), to_json(old)?)]))
}
