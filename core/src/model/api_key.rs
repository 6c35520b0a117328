//! API keys and the identity of a session (docs/reference.md#keys-and-sessions, #envelopes).

use super::envelope::Workspace;
use super::time::{serde_ts, Timestamp};
use serde::{Deserialize, Serialize};

/// An API key of a workspace, as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "api_key")]
pub struct ApiKey {
    /// `key_…`
    pub id: String,
    /// Becomes the actor of every change made with the key.
    pub name: String,
    /// The first 12 characters of the secret, for recognising it.
    pub prefix: String,
    /// Live (`pivotal_…`) or test (`pivotal_test_…`).
    pub livemode: bool,
    /// When the key was created.
    #[serde(with = "serde_ts")]
    pub created_at: Timestamp,
    /// When the key was revoked; it authenticates nothing from then on.
    #[serde(with = "serde_ts::option")]
    pub revoked_at: Option<Timestamp>,
}

/// A key just created: the only time its secret is ever returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApiKey {
    /// The key as it will be listed.
    pub api_key: ApiKey,
    /// The secret to hand to the key's user; only its hash is kept.
    pub secret: String,
}

/// The key part of [`Identity`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyIdentity {
    /// `key_…`
    pub id: String,
    /// The key's name.
    pub name: String,
    /// The secret's first 12 characters.
    pub prefix: String,
    /// The key's mode.
    pub livemode: bool,
}

/// Who a session is: `{"object":"me","api_key":{…}|null,"organization":{…}}`.
///
/// `api_key` is `null` for a session opened without a key (an embedder's local session).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "me")]
pub struct Identity {
    /// The key the session authenticated with.
    pub api_key: Option<KeyIdentity>,
    /// The session's workspace.
    pub organization: Workspace,
}
