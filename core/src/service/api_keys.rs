//! API keys of the session's workspace and mode: create (the secret is returned once), list, revoke.

use super::Pivotal;
use crate::error::{Error, ErrorCode, Result};
use crate::keys;
use crate::model::{ApiKey, CreatedApiKey, IdKind};
use crate::rules::limits::NAME_MAX;
use crate::validate;

/// API key management for one session's (workspace, mode).
#[derive(Debug, Clone, Copy)]
pub struct ApiKeys<'a> {
    db: &'a Pivotal,
}

impl<'a> ApiKeys<'a> {
    pub(crate) fn new(db: &'a Pivotal) -> Self {
        Self { db }
    }

    /// Creates a key in the session's mode. The returned secret is not stored and cannot be shown again.
    pub fn create(&self, name: &str) -> Result<CreatedApiKey> {
        let name = validate::required_text("name", name, NAME_MAX)?;
        let livemode = self.db.scope.livemode;
        let secret = keys::generate(livemode);
        let hash = keys::hash(&secret, self.db.engine.key_iterations);
        self.db.write(|ctx| {
            let api_key = ApiKey {
                id: ctx.new_id(IdKind::ApiKey),
                name: name.clone(),
                prefix: keys::display_prefix(&secret),
                livemode,
                created_at: ctx.now,
                revoked_at: None,
            };
            ctx.tx.insert_api_key(ctx.scope, &api_key, &hash)?;
            let secret = secret.clone();
            Ok(CreatedApiKey { api_key, secret })
        })
    }

    /// The session's keys, revoked ones included, oldest first. Secrets are never listed.
    pub fn list(&self) -> Result<Vec<ApiKey>> {
        self.db.read(|ctx| ctx.tx.api_keys(ctx.scope))
    }

    /// Revokes a key: from now on it authenticates nothing, and sessions opened with it fail.
    pub fn revoke(&self, id: &str) -> Result<ApiKey> {
        self.db.write(|ctx| {
            let not_found = || Error::new(ErrorCode::ApiKeyNotFound, format!("no API key `{id}`"));
            ctx.tx.api_key(ctx.scope, id)?.ok_or_else(not_found)?;
            ctx.tx.revoke_api_key(ctx.scope, id, ctx.now)?;
            ctx.tx.api_key(ctx.scope, id)?.ok_or_else(not_found)
        })
    }
}
