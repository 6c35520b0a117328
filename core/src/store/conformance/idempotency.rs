//! Conformance checks of idempotency entries: scoping, replacement, forgetting.

use super::fixtures::{full_customer, idempotency, read, setup, t, ts, write};
use super::support::json_text;
use crate::error::{Error, Result};
use crate::store::{Scope, Store, StoreExt};

/// Idempotency entries are kept per (scope, operation, key), read back exactly, and replaced by a
/// second put.
pub fn check_idempotency_entries(store: &dyn Store) {
    let (scope, test_a, live_b) = setup(store);
    let long_key = "k".repeat(255);
    let unicode_key = "clé-🔑-東京";
    let response = json_text(&full_customer("cus_x", 1, t(0)));
    let first = idempotency("{\"name\":\"Acme\"}", &response, t(123));
    let second = idempotency("{\"name\":\"Other\"}", "{}", ts("1970-01-01T00:00:00.000Z"));
    read(store, |tx| {
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "k1")?,
            None
        );
        Ok(())
    });
    write(store, |tx| {
        tx.put_idempotency_entry(&scope, "customers.create", "k1", &first)?;
        tx.put_idempotency_entry(&scope, "customers.create", &long_key, &second)?;
        tx.put_idempotency_entry(&scope, "contacts.create", unicode_key, &first)
    });
    read(store, |tx| {
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "k1")?,
            Some(first.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", &long_key)?,
            Some(second.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "contacts.create", unicode_key)?,
            Some(first.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "contacts.create", "k1")?,
            None,
            "per operation"
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "K1")?,
            None,
            "exact keys"
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "k2")?,
            None
        );
        for other in [&test_a, &live_b] {
            assert_eq!(
                tx.idempotency_entry(other, "customers.create", "k1")?,
                None,
                "per scope"
            );
        }
        Ok(())
    });
    write(store, |tx| {
        tx.put_idempotency_entry(&scope, "customers.create", "k1", &second)
    });
    write(store, |tx| {
        tx.put_idempotency_entry(&test_a, "customers.create", "k1", &first)
    });
    read(store, |tx| {
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "k1")?,
            Some(second.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&test_a, "customers.create", "k1")?,
            Some(first.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "contacts.create", unicode_key)?,
            Some(first.clone())
        );
        Ok(())
    });
}

/// Forgetting idempotency entries: only the scope's entries created before the instant, oldest
/// first, at most the limit; a replaced entry counts from its new creation; a rollback brings the
/// forgotten ones back.
pub fn check_forget_idempotency_entries(store: &dyn Store) {
    let (scope, test_a, live_b) = setup(store);
    let at = |ms| idempotency("f", "{}", t(ms));
    write(store, |tx| {
        tx.put_idempotency_entry(&scope, "customers.create", "old", &at(10))?;
        tx.put_idempotency_entry(&scope, "contacts.create", "oldest", &at(5))?;
        tx.put_idempotency_entry(&scope, "customers.create", "renewed", &at(1))?;
        tx.put_idempotency_entry(&scope, "customers.create", "renewed", &at(50))?;
        tx.put_idempotency_entry(&scope, "customers.create", "new", &at(40))?;
        tx.put_idempotency_entry(&test_a, "customers.create", "old", &at(0))
    });
    let kept = |keys: &[(&Scope, &str, &str)]| {
        read(store, |tx| {
            let mut present = Vec::new();
            for &(scope, operation, key) in keys {
                present.push(tx.idempotency_entry(scope, operation, key)?.is_some());
            }
            Ok(present)
        })
    };
    let all = [
        (&scope, "contacts.create", "oldest"),
        (&scope, "customers.create", "old"),
        (&scope, "customers.create", "renewed"),
        (&scope, "customers.create", "new"),
        (&test_a, "customers.create", "old"),
    ];

    let rolled_back = store.write_with(|tx| -> Result<()> {
        assert_eq!(tx.forget_idempotency_entries(&scope, t(100), 10)?, 4);
        Err(Error::internal("rolled back on purpose"))
    });
    assert!(rolled_back.is_err());
    assert_eq!(kept(&all), [true, true, true, true, true]);

    write(store, |tx| {
        assert_eq!(tx.forget_idempotency_entries(&scope, t(30), 1)?, 1);
        Ok(())
    });
    assert_eq!(
        kept(&all),
        [false, true, true, true, true],
        "the oldest first"
    );
    write(store, |tx| {
        assert_eq!(tx.forget_idempotency_entries(&scope, t(30), 10)?, 1);
        assert_eq!(tx.forget_idempotency_entries(&scope, t(30), 10)?, 0);
        assert_eq!(tx.forget_idempotency_entries(&live_b, t(100), 10)?, 0);
        Ok(())
    });
    assert_eq!(kept(&all), [false, false, true, true, true]);
    write(store, |tx| {
        assert_eq!(tx.forget_idempotency_entries(&scope, t(50), 10)?, 1);
        Ok(())
    });
    assert_eq!(
        kept(&all),
        [false, false, true, false, true],
        "before, not at"
    );
}
