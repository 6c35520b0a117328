//! Conformance checks of API keys.

use super::fixtures::{api_key, read, setup, t, write, WS_A, WS_B};
use super::support::assert_fails;
use crate::error::{Error, ErrorCode};
use crate::store::{Store, StoreExt, StoredApiKey};

/// API keys: scoped listing and lookup, first revocation kept, prefix lookup across scopes,
/// rollback.
pub fn check_api_keys(store: &dyn Store) {
    let (a_live, a_test, b_live) = setup(store);
    let k1 = api_key("key_1", "pivotal_AAAA", true, t(20));
    let k2 = api_key("key_2", "pivotal_test", false, t(10));
    let k3 = api_key("key_3", "pivotal_AAAA", true, t(5));
    let k4 = api_key("key_4", "pivotal_BBBB", true, t(20));
    write(store, |tx| {
        tx.insert_api_key(&a_live, &k1, "h1")?;
        tx.insert_api_key(&a_test, &k2, "h2")?;
        tx.insert_api_key(&b_live, &k3, "h3")?;
        tx.insert_api_key(&a_live, &k4, "h4")
    });
    assert_eq!(
        read(store, |tx| tx.api_keys(&a_live)),
        vec![k1.clone(), k4.clone()]
    );
    assert_eq!(read(store, |tx| tx.api_keys(&a_test)), vec![k2.clone()]);
    assert_eq!(
        read(store, |tx| tx.api_key(&a_live, "key_2")),
        None,
        "another mode's key"
    );
    assert_eq!(
        read(store, |tx| tx.api_key(&b_live, "key_1")),
        None,
        "another workspace's key"
    );
    assert_eq!(
        read(store, |tx| tx.api_key(&a_test, "key_2")),
        Some(k2.clone())
    );

    let mut by_prefix = read(store, |tx| tx.api_keys_by_prefix("pivotal_AAAA"));
    by_prefix.sort_by(|x, y| x.key.id.cmp(&y.key.id));
    let expected = vec![
        StoredApiKey {
            workspace_id: WS_A.into(),
            key: k1.clone(),
            hash: "h1".into(),
        },
        StoredApiKey {
            workspace_id: WS_B.into(),
            key: k3.clone(),
            hash: "h3".into(),
        },
    ];
    assert_eq!(by_prefix, expected);

    write(store, |tx| tx.revoke_api_key(&a_live, "key_1", t(30)));
    write(store, |tx| tx.revoke_api_key(&a_live, "key_1", t(40)));
    let revoked = read(store, |tx| tx.api_key(&a_live, "key_1")).map(|k| k.revoked_at);
    assert_eq!(
        revoked,
        Some(Some(t(30))),
        "the first revocation time is kept"
    );
    assert_fails(
        store.write_with(|tx| tx.revoke_api_key(&b_live, "key_1", t(50))),
        "revoking another workspace's key",
    );
    assert_fails(
        store.read_with(|tx| tx.insert_api_key(&a_live, &k1, "h")),
        "inserting in a read transaction",
    );

    // The check every call through a key's session makes first; a store may make it with the
    // transaction's next statement, but a failed one fails the transaction either way.
    let live = |r: crate::Result<()>| r.map_err(|e| e.code);
    assert_eq!(
        live(store.read_with(|tx| tx.require_live_api_key(&a_live, "key_4"))),
        Ok(())
    );
    let refused = [
        (&a_live, "key_1", "a revoked key"),
        (&a_test, "key_4", "another mode's key"),
        (&b_live, "key_4", "another workspace's key"),
        (&a_live, "key_9", "an unknown key"),
    ];
    for (scope, id, what) in refused {
        let read = store.read_with(|tx| {
            tx.require_live_api_key(scope, id)?;
            tx.api_keys(scope).map(drop)
        });
        assert_eq!(
            live(read),
            Err(ErrorCode::ApiKeyRevoked),
            "reading through {what}"
        );
        let write = store.write_with(|tx| {
            tx.require_live_api_key(scope, id)?;
            tx.insert_api_key(scope, &api_key("key_6", "pivotal_DDDD", true, t(70)), "h6")
        });
        assert_eq!(
            live(write),
            Err(ErrorCode::ApiKeyRevoked),
            "writing through {what}"
        );
    }
    assert_eq!(
        read(store, |tx| tx.api_keys_by_prefix("pivotal_DDDD")),
        vec![],
        "nothing written through a key that is not live"
    );

    let outcome = store.write_with(|tx| {
        tx.insert_api_key(
            &a_live,
            &api_key("key_5", "pivotal_CCCC", true, t(60)),
            "h5",
        )?;
        tx.revoke_api_key(&a_live, "key_4", t(60))?;
        Err::<(), _>(Error::internal("roll back"))
    });
    assert_fails(outcome, "the rolled-back transaction");
    assert_eq!(
        read(store, |tx| tx.api_keys_by_prefix("pivotal_CCCC")),
        vec![]
    );
    assert_eq!(read(store, |tx| tx.api_key(&a_live, "key_4")), Some(k4));
}
