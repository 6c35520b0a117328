//! Idempotent creates (docs/reference.md#idempotency): a repeated key replays the first response.

use super::context::Ctx;
use super::Pivotal;
use crate::error::{Error, ErrorCode, Result};
use crate::store::IdempotencyEntry;
use crate::validate;
use chrono::Duration;
use serde::{de::DeserializeOwned, Serialize};

/// How long a key is remembered, by the injected clock.
pub(crate) const RETENTION_HOURS: i64 = 24;

/// Expired entries each keyed create forgets, oldest first: more than the one it adds, so the
/// store holds about a day of keys however long it lives, at a bounded cost per create.
const FORGOTTEN_PER_CREATE: usize = 8;

impl Pivotal {
    /// Runs a create in one transaction, replaying the first response when `key` was used before with
    /// the same `params` in the last 24 hours, and refusing it when the parameters differ.
    pub(crate) fn create_once<P: Serialize, T: Serialize + DeserializeOwned>(
        &self,
        operation: &str,
        key: Option<&str>,
        params: &P,
        mut create: impl FnMut(&mut Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        let Some(key) = key else {
            return self.write(create);
        };
        validate::idempotency_key(key)?;
        let fingerprint =
            serde_json::to_string(params).map_err(|e| Error::internal(e.to_string()))?;
        self.write(|ctx| {
            if let Some(entry) = ctx.tx.idempotency_entry(ctx.scope, operation, key)? {
                if entry.created_at + Duration::hours(RETENTION_HOURS) > ctx.now {
                    if entry.fingerprint != fingerprint {
                        return Err(Error::field(
                            ErrorCode::IdempotencyKeyReused,
                            "idempotency_key",
                            "this idempotency key was used with different parameters",
                        ));
                    }
                    return crate::store::read_stored_json(&entry.response).map_err(|e| {
                        Error::new(
                            ErrorCode::StorageCorrupt,
                            format!("the stored idempotent response cannot be read: {e}"),
                        )
                    });
                }
            }
            let created = create(ctx)?;
            let response =
                serde_json::to_string(&created).map_err(|e| Error::internal(e.to_string()))?;
            let entry = IdempotencyEntry {
                fingerprint: fingerprint.clone(),
                response,
                created_at: ctx.now,
            };
            ctx.tx
                .put_idempotency_entry(ctx.scope, operation, key, &entry)?;
            ctx.tx.forget_idempotency_entries(
                ctx.scope,
                ctx.now - Duration::hours(RETENTION_HOURS),
                FORGOTTEN_PER_CREATE,
            )?;
            Ok(created)
        })
    }
}
