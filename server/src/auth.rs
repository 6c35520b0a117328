//! Authentication at request rates: a verified key's session is cached under the SHA-256 digest of
//! its secret (never the secret itself), so only a key's first request pays the PBKDF2
//! verification (about 1 ms).
//!
//! A cached session is still checked on every call: the core re-reads the key's row inside each
//! operation's transaction (a primary-key lookup) and answers `api_key_revoked` once it is revoked,
//! by this process or by any other sharing the store. That answer evicts the entry, and a revocation
//! through this server evicts the key's entries at once.

use pivotal_core::{Pivotal, Result};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Entries kept before the cache starts over (a bound on memory, not a policy: a miss only costs
/// one verification).
const CAPACITY: usize = 10_000;

type Digest32 = [u8; 32];

/// Sessions of verified keys, by the digest of their secret.
#[derive(Default)]
pub struct KeyCache {
    sessions: Mutex<HashMap<Digest32, Pivotal>>,
}

fn digest(secret: &str) -> Digest32 {
    Sha256::digest(secret.as_bytes()).into()
}

impl KeyCache {
    /// The session of `secret`: cached, or authenticated through `db` (blocking: call it off the
    /// async threads) and cached when valid. Unknown and revoked keys are not cached.
    pub fn session(&self, db: &Pivotal, secret: &str) -> Result<Pivotal> {
        let d = digest(secret);
        if let Some(session) = self.lock().get(&d) {
            return Ok(session.clone());
        }
        let session = db.authenticate(secret)?;
        let mut sessions = self.lock();
        if sessions.len() >= CAPACITY {
            sessions.clear();
        }
        sessions.insert(d, session.clone());
        Ok(session)
    }

    /// Forgets the session of `secret` (its key was found revoked).
    pub fn evict(&self, secret: &str) {
        self.lock().remove(&digest(secret));
    }

    /// Forgets every session of the key `key_id` (it was just revoked here).
    pub fn evict_key(&self, key_id: &str) {
        self.lock()
            .retain(|_, s| s.session().api_key.as_ref().is_none_or(|k| k.id != key_id));
    }

    /// Cached sessions (for tests and logs).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no session is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Digest32, Pivotal>> {
        // The map holds no invariant a panic could break: keep using it.
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
