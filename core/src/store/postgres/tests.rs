//! The store conformance suite on a real PostgreSQL server, each check on a fresh database, and
//! the PostgreSQL store's own tests (see `testing` for the server they need).

use super::testing::{fresh_database, fresh_store, server_url};
use super::PostgresStore;
use postgres::NoTls;

crate::store_conformance_tests!(ignore = "needs PostgreSQL: make pg-test"; || fresh_store());

/// Every statement prepares: the server accepts its syntax and can type every parameter.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn every_statement_prepares() {
    let url = fresh_database();
    PostgresStore::open(&url).expect("the store opens");
    let mut client = postgres::Client::connect(&url, NoTls).expect("connects");
    for sql in super::sql::ALL {
        if let Err(e) = client.prepare(sql) {
            panic!("{e:?}\n{sql}");
        }
    }
}

use crate::error::ErrorCode;
use crate::store::{Store, StoreExt};
use std::time::{Duration, Instant};

fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, NoTls).expect("connects")
}

/// The tables of the database's schema, with their columns, as one text.
fn schema_text(url: &str) -> String {
    let rows = client(url)
        .query(
            "SELECT table_name, column_name, data_type FROM information_schema.columns
             WHERE table_schema = current_schema() ORDER BY 1, 2",
            &[],
        )
        .unwrap();
    rows.iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r.get::<_, String>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_newer_schema_is_refused_and_left_untouched() {
    let url = fresh_database();
    drop(PostgresStore::open(&url).unwrap());
    client(&url)
        .execute("UPDATE pivotal_schema SET version = 99", &[])
        .unwrap();
    let before = schema_text(&url);
    let e = PostgresStore::open(&url).unwrap_err();
    assert_eq!(e.code, ErrorCode::SchemaTooNew, "{e}");
    let version: i64 = client(&url)
        .query_one("SELECT version FROM pivotal_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 99);
    assert_eq!(schema_text(&url), before);
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_new_database_is_migrated_once_by_openers_racing() {
    let url = fresh_database();
    let opened: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| PostgresStore::open(&url)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for store in opened {
        assert_eq!(store.unwrap().schema_version(), super::open::SCHEMA_VERSION);
    }
    let version: i64 = client(&url)
        .query_one("SELECT version FROM pivotal_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, super::open::SCHEMA_VERSION);
}

#[test]
fn an_unreachable_server_is_unavailable_at_once_and_the_password_is_not_told() {
    let started = Instant::now();
    let e = PostgresStore::open("postgresql://ada:s3cret-pw@127.0.0.1:1/pivotal").unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
    assert!(e.message.contains("ada@127.0.0.1:1/pivotal"), "{e}");
    assert!(
        e.message.to_lowercase().contains("refused"),
        "the cause: {e}"
    );
    assert!(!format!("{e:?}").contains("s3cret-pw"), "{e:?}");
}

#[test]
fn a_url_that_does_not_parse_is_invalid() {
    let e = PostgresStore::open("postgresql://ada:s3cret-pw@host:port/db").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidType, "{e}");
    assert_eq!(e.field.as_deref(), Some("url"));
    assert!(!format!("{e:?}").contains("s3cret-pw"), "{e:?}");
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_refused_connection_is_unavailable_with_the_cause() {
    let url = server_url();
    let missing = format!("{}/no_such_database", &url[..url.rfind('/').unwrap()]);
    let e = PostgresStore::open(&missing).unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
    assert!(e.message.contains("does not exist"), "{e}");
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_connection_dropped_mid_transaction_rolls_back_and_is_replaced() {
    let url = fresh_database();
    let db = crate::Pivotal::open(&url).unwrap();
    db.customers()
        .create(
            crate::CustomerParams {
                name: "Before".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let scope = crate::store::Scope {
        workspace_id: db.session().workspace.id.clone(),
        livemode: true,
    };
    let store = PostgresStore::open(&url).unwrap();
    let e = store
        .write_with(|tx| {
            let at = crate::store::conformance::fixtures::t(0);
            let c = crate::store::conformance::fixtures::bare_customer("cus_dropped", 99, at);
            tx.insert_customer(&scope, &c)?;
            client(&url)
                .execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    &[],
                )
                .unwrap();
            tx.customer(&scope, "cus_dropped").map(drop)
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
    // The same stores work again, on new connections; nothing of the dropped write is there.
    let list = db.customers().list(&Default::default()).unwrap();
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].name, "Before");
    assert!(store
        .read_with(|tx| tx.customer(&scope, "cus_dropped"))
        .unwrap()
        .is_none());
}

/// A write that loses a real deadlock is rolled back and run again inside the library: the
/// caller sees its create succeed. A second connection holds the workspace's customer counter
/// row, the library's create locks the workspace and waits for that row, then the second
/// connection asks for the workspace's lock: a cycle, which the server breaks by aborting the
/// transaction that waited first, the library's.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_write_that_loses_a_deadlock_runs_again() {
    let url = fresh_database();
    let db = crate::Pivotal::open(&url).unwrap();
    let named = |name: &str| crate::CustomerParams {
        name: name.into(),
        ..Default::default()
    };
    db.customers().create(named("Before"), None).unwrap();
    let workspace = db.session().workspace.id.clone();

    let mut other = client(&url);
    other
        .batch_execute("SET deadlock_timeout = '10s'; BEGIN")
        .unwrap();
    other
        .execute(
            "SELECT value FROM counters WHERE workspace_id = $1 AND kind = 'customer' FOR UPDATE",
            &[&workspace],
        )
        .unwrap();
    let writer = {
        let db = db.clone();
        std::thread::spawn(move || db.customers().create(named("During"), None))
    };
    // The library's transaction holds the workspace and waits for the counter row.
    let mut watch = client(&url);
    let started = Instant::now();
    while watch
        .query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
             AND application_name = 'pivotal-core' AND wait_event_type = 'Lock'",
            &[],
        )
        .unwrap()
        .is_empty()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the write never waited"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // Granted only once the library's transaction is gone: it lost the deadlock.
    other
        .execute(
            "SELECT sequence FROM write_locks WHERE workspace_id = $1 FOR UPDATE",
            &[&workspace],
        )
        .expect("the library's transaction is the deadlock's victim");
    other.batch_execute("COMMIT").unwrap();

    let during = writer
        .join()
        .unwrap()
        .expect("the create runs again and succeeds");
    assert_eq!(
        during.display_id, 2,
        "the lost attempt's display id was rolled back"
    );
    let mut names: Vec<String> = db
        .customers()
        .list(&Default::default())
        .unwrap()
        .data
        .into_iter()
        .map(|c| c.name)
        .collect();
    names.sort();
    assert_eq!(names, ["Before", "During"]);
    let sequences: Vec<i64> = db
        .events()
        .list(&Default::default())
        .unwrap()
        .data
        .iter()
        .map(|e| e.sequence)
        .collect();
    assert_eq!(sequences.len(), 2);
    assert_eq!(
        sequences.iter().min().zip(sequences.iter().max()),
        Some((&1, &2))
    );
}

/// A closure that goes on after one of its statements failed (the server then aborts the
/// transaction and answers COMMIT by rolling back) is not acknowledged: nothing was written.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_write_that_went_on_after_a_failed_statement_is_not_acknowledged() {
    use crate::store::conformance::fixtures::{bare_customer, setup, t};
    let store = fresh_store();
    let (scope, _, _) = setup(&store);
    let e = store
        .write_with(|tx| {
            tx.insert_customer(&scope, &bare_customer("cus_1", 1, t(0)))?;
            let duplicate = tx.insert_customer(&scope, &bare_customer("cus_1", 1, t(0)));
            assert!(duplicate.is_err());
            Ok(())
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Internal, "{e}");
    let found = store.read_with(|tx| tx.customer(&scope, "cus_1")).unwrap();
    assert!(found.is_none());
}

/// A certificate file of the test server's TLS (`cluster.sh` with `PIVOTAL_PG_TLS=1`).
fn tls_file(variable: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| {
        panic!("{variable} is not set: run the TLS tests in make pg-test (PIVOTAL_PG_TLS=1)")
    })
}

/// Whether the store's connection is encrypted, as the server sees it.
fn encrypted(store: &PostgresStore) -> bool {
    let mut lease = store.connect().expect("a connection");
    let conn = lease.conn();
    let ssl = conn
        .driver
        .block_on(conn.client.query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        ))
        .unwrap()
        .get(0);
    lease.give_back();
    ssl
}

/// `url` with `host` in place of 127.0.0.1, still connecting there (`hostaddr`): the name the
/// server's certificate is checked against.
fn named(url: &str, host: &str) -> String {
    format!(
        "{}?hostaddr=127.0.0.1",
        url.replace("@127.0.0.1:", &format!("@{host}:"))
    )
}

#[test]
#[ignore = "needs PostgreSQL with TLS: make pg-test"]
fn sslmode_sets_tls_as_in_libpq() {
    let url = fresh_database();
    let ca = tls_file("PIVOTAL_TEST_POSTGRES_CA");
    let at_localhost = named(&url, "localhost");
    for (url, encrypts) in [
        (url.clone(), true), // prefer, the default
        (format!("{url}?sslmode=disable"), false),
        (format!("{url}?sslmode=prefer"), true),
        (format!("{url}?sslmode=require"), true),
        (format!("{url}?sslmode=verify-ca&sslrootcert={ca}"), true),
        (format!("{url}?sslmode=verify-full&sslrootcert={ca}"), true),
        (
            format!("{at_localhost}&sslmode=verify-full&sslrootcert={ca}"),
            true,
        ),
    ] {
        let store = PostgresStore::open(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(encrypted(&store), encrypts, "{url}");
    }
}

#[test]
#[ignore = "needs PostgreSQL with TLS: make pg-test"]
fn a_certificate_that_does_not_check_out_is_refused_with_the_cause() {
    let url = fresh_database();
    let (ca, other) = (
        tls_file("PIVOTAL_TEST_POSTGRES_CA"),
        tls_file("PIVOTAL_TEST_POSTGRES_OTHER_CA"),
    );
    // Signed by an authority the root certificate is not (require with a root checks as
    // verify-ca does).
    for mode in ["verify-full", "verify-ca", "require"] {
        let e =
            PostgresStore::open(&format!("{url}?sslmode={mode}&sslrootcert={other}")).unwrap_err();
        assert_eq!(e.code, ErrorCode::StorageUnavailable, "{mode}: {e}");
        assert!(e.message.contains("UnknownIssuer"), "{mode}: {e}");
    }
    // Issued for another name: verify-full refuses it, verify-ca does not check the name.
    let elsewhere = named(&url, "db.invalid");
    let e = PostgresStore::open(&format!("{elsewhere}&sslmode=verify-full&sslrootcert={ca}"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
    assert!(
        e.message.contains("not valid for name \"db.invalid\""),
        "{e}"
    );
    PostgresStore::open(&format!("{elsewhere}&sslmode=verify-ca&sslrootcert={ca}")).unwrap();
}

#[test]
#[ignore = "needs PostgreSQL with TLS: make pg-test"]
fn a_plain_connection_to_a_tls_only_database_is_refused_cleanly() {
    let server = server_url();
    let created = client(&server).batch_execute("CREATE DATABASE pivotal_tls_only");
    if let Err(e) = created {
        assert_eq!(
            e.code(),
            Some(&postgres::error::SqlState::DUPLICATE_DATABASE),
            "{e}"
        );
    }
    let url = format!("{}/pivotal_tls_only", &server[..server.rfind('/').unwrap()]);
    let e = PostgresStore::open(&format!("{url}?sslmode=disable")).unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
    assert!(e.message.contains("no encryption"), "{e}");
    let store = PostgresStore::open(&format!("{url}?sslmode=require")).unwrap();
    assert!(encrypted(&store));
}

/// The store's own backends on the server (idle or in a transaction).
fn backends(url: &str) -> i64 {
    client(url)
        .query_one(
            "SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn connections_are_capped_and_a_transaction_waits_for_a_free_one() {
    use super::PostgresOptions;
    use std::sync::Barrier;
    let url = fresh_database();
    let options = PostgresOptions {
        max_connections: 2,
        busy_timeout: Duration::from_secs(10),
    };
    let store = PostgresStore::open_with(&url, options).unwrap();
    let started = Barrier::new(3);
    let waited = std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                store
                    .read(&mut |_| {
                        started.wait();
                        std::thread::sleep(Duration::from_millis(300));
                        Ok(())
                    })
                    .unwrap();
            });
        }
        started.wait();
        // Both connections are in use: this read waits for one, then runs on it.
        let clock = Instant::now();
        store.read(&mut |_| Ok(())).unwrap();
        clock.elapsed()
    });
    assert!(
        waited >= Duration::from_millis(200),
        "did not wait: {waited:?}"
    );
    assert_eq!(store.pool.open(), 2);
    assert_eq!(backends(&url), 2, "every connection kept, none more");
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_transaction_that_finds_every_connection_busy_past_the_timeout_is_storage_busy() {
    use super::PostgresOptions;
    use std::sync::Barrier;
    let url = fresh_database();
    let options = PostgresOptions {
        max_connections: 1,
        busy_timeout: Duration::from_millis(100),
    };
    let store = PostgresStore::open_with(&url, options).unwrap();
    let started = Barrier::new(2);
    let release = Barrier::new(2);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            store
                .read(&mut |_| {
                    started.wait();
                    release.wait();
                    Ok(())
                })
                .unwrap();
        });
        started.wait();
        let err = store.write(&mut |_| Ok(())).unwrap_err();
        assert_eq!(err.code, ErrorCode::StorageBusy, "{err:?}");
        assert!(err.message.contains("1 connections"), "{}", err.message);
        release.wait();
    });
    // The connection is free again, and the pool's count is right.
    store.write(&mut |_| Ok(())).unwrap();
    assert_eq!(store.pool.open(), 1);
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_panicking_transaction_gives_its_place_back() {
    use super::PostgresOptions;
    let url = fresh_database();
    let options = PostgresOptions {
        max_connections: 1,
        busy_timeout: Duration::from_millis(500),
    };
    let store = PostgresStore::open_with(&url, options).unwrap();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.write(&mut |_| panic!("the closure panics"));
    }));
    assert!(panicked.is_err());
    assert_eq!(
        store.pool.open(),
        0,
        "the connection, mid-transaction, is not reused"
    );
    store.write(&mut |_| Ok(())).unwrap();
    assert_eq!(store.pool.open(), 1);
}

/// The state of the store's backends (`application_name` pivotal-core) as the server sees them.
fn store_backends(url: &str) -> Vec<(i32, String)> {
    client(url)
        .query(
            "SELECT pid, state FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = 'pivotal-core'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// A read ends without waiting for its ROLLBACK, but the ROLLBACK is on its way: the server ends
/// the transaction at once (no snapshot held by an idle pooled connection), and the next
/// transaction on the connection reads the answer and works.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_read_ends_its_transaction_on_the_server_before_the_connection_is_reused() {
    use super::PostgresOptions;
    use crate::store::conformance::fixtures::setup;
    let url = fresh_database();
    let options = PostgresOptions {
        max_connections: 1,
        ..Default::default()
    };
    let store = PostgresStore::open_with(&url, options).unwrap();
    let (scope, _, _) = setup(&store);
    for round in 1..=3 {
        let workspaces = store.read_with(|tx| tx.workspaces()).unwrap();
        assert_eq!(workspaces.len(), 2);
        let started = Instant::now();
        let state = loop {
            let backends = store_backends(&url);
            assert_eq!(backends.len(), 1, "{backends:?}");
            if backends[0].1 == "idle" || started.elapsed() > Duration::from_millis(500) {
                break backends[0].1.clone();
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert_eq!(state, "idle", "the read's transaction is still open");
        // The next transaction, a write, on the same connection.
        let at = crate::store::conformance::fixtures::t(0);
        let id = format!("cus_{round}");
        let customer = crate::store::conformance::fixtures::bare_customer(&id, round, at);
        store
            .write_with(|tx| tx.insert_customer(&scope, &customer))
            .unwrap();
        assert!(store
            .read_with(|tx| tx.customer(&scope, &id))
            .unwrap()
            .is_some());
    }
    assert_eq!(store.pool.open(), 1);
}

/// The counters a write took are written with its COMMIT, in one round trip: when that write
/// fails, the server answers COMMIT by rolling back, and the caller gets the failure, never Ok.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_write_whose_counter_flush_fails_is_not_acknowledged() {
    use crate::store::conformance::fixtures::setup;
    use crate::store::DisplayKind;
    let url = fresh_database();
    let store = PostgresStore::open(&url).unwrap();
    let (scope, _, _) = setup(&store);
    let ws = scope.workspace_id.clone();
    // The flush writes the counter's last value, 3: refused.
    client(&url)
        .batch_execute(
            "CREATE FUNCTION refuse_three() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN IF NEW.value = 3 THEN RAISE EXCEPTION 'three'; END IF; RETURN NEW; END $$;
             CREATE TRIGGER refuse_three BEFORE UPDATE ON counters
               FOR EACH ROW EXECUTE FUNCTION refuse_three()",
        )
        .unwrap();
    let e = store
        .write_with(|tx| {
            let at = crate::store::conformance::fixtures::t(0);
            let customer = crate::store::conformance::fixtures::bare_customer("cus_3", 3, at);
            for n in 1..=3 {
                assert_eq!(tx.next_display_id(&ws, DisplayKind::Customer)?, n);
            }
            tx.insert_customer(&scope, &customer)
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Internal, "{e}");
    assert!(e.message.contains("three"), "{e}");
    let found = store.read_with(|tx| tx.customer(&scope, "cus_3")).unwrap();
    assert!(found.is_none(), "the write was rolled back");
    let value: Option<i64> = client(&url)
        .query_opt("SELECT value FROM counters WHERE kind = 'customer'", &[])
        .unwrap()
        .map(|r| r.get(0));
    assert_eq!(value, None, "nothing of the write is there");
}

/// A pooled connection that the server dropped while idle is replaced at the transaction's first
/// statement, before anything reached the server: the caller sees nothing of it, and a read's
/// closure runs once.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_connection_dropped_while_idle_is_replaced_at_the_first_statement() {
    use crate::model::EventType;
    use crate::store::conformance::fixtures::{bare_customer, new_event, setup, t};
    let url = fresh_database();
    let store = PostgresStore::open(&url).unwrap();
    let (scope, _, _) = setup(&store);
    let read = || {
        let workspaces = store.read_with(|tx| tx.workspaces()).unwrap();
        assert_eq!(workspaces.len(), 2);
    };
    // A create: the workspace's lock (deferred), the insert, the event (its sequence), COMMIT.
    let created = std::cell::Cell::new(0);
    let write = || {
        let n = created.get() + 1;
        created.set(n);
        let id = format!("cus_{n}");
        store
            .write_with(|tx| {
                tx.insert_customer(&scope, &bare_customer(&id, n, t(0)))?;
                let event = new_event(
                    &format!("evt_{n}"),
                    EventType::CustomerCreated,
                    &id,
                    &id,
                    t(0),
                );
                tx.append_event(&scope, event)
            })
            .unwrap()
    };
    for operation in [&read as &dyn Fn(), &|| drop(write())] {
        // Once to prepare its statements on the connection, then on a connection dropped.
        operation();
        let backends = store_backends(&url);
        assert_eq!(backends.len(), 1, "{backends:?}");
        client(&url)
            .execute("SELECT pg_terminate_backend($1)", &[&backends[0].0])
            .unwrap();
        let started = Instant::now();
        while !store_backends(&url).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "not terminated"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        operation();
        assert_eq!(store.pool.open(), 1);
    }
    let event = write();
    assert_eq!(
        event.sequence, 3,
        "every create took its sequence under the lock"
    );
    assert!(store
        .read_with(|tx| tx.customer(&scope, "cus_2"))
        .unwrap()
        .is_some());
}

/// A store shared with the test, which counts its round trips.
struct Shared(std::sync::Arc<PostgresStore>);

impl Store for Shared {
    fn read(
        &self,
        f: &mut dyn FnMut(&mut dyn crate::store::Tx) -> crate::Result<()>,
    ) -> crate::Result<()> {
        self.0.read(f)
    }

    fn write(
        &self,
        f: &mut dyn FnMut(&mut dyn crate::store::Tx) -> crate::Result<()>,
    ) -> crate::Result<()> {
        self.0.write(f)
    }

    fn schema_version(&self) -> i64 {
        self.0.schema_version()
    }
}

/// The round trips of the library's operations, once their statements are prepared: a retrieve
/// is one (BEGIN with the select; the ROLLBACK is not waited for), two through an API key's
/// session (as `pivotal serve` answers a GET), a create one per statement whose answer it needs
/// (BEGIN and the workspace's lock go with the first; the counters with COMMIT): five for a
/// customer, seven for an onboarding through a session (as a POST).
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn operations_take_the_fewest_round_trips() {
    use super::PostgresOptions;
    let url = fresh_database();
    let options = PostgresOptions {
        max_connections: 1,
        ..Default::default()
    };
    let store = std::sync::Arc::new(PostgresStore::open_with(&url, options).unwrap());
    let db = crate::Pivotal::options()
        .with_store(Box::new(Shared(store.clone())))
        .unwrap();
    let waits = || {
        let mut lease = store.connect().unwrap();
        let waits = lease.conn().driver.waits;
        lease.give_back();
        waits
    };
    let named = |name: &str| crate::CustomerParams {
        name: name.into(),
        ..Default::default()
    };
    let counted = |what: &dyn Fn()| {
        let before = waits();
        what();
        waits() - before
    };
    // Prepares the statements on the connection.
    let warm = db.customers().create(named("Warm"), None).unwrap();
    db.customers().retrieve(&warm.id).unwrap();
    let retrieve = counted(&|| drop(db.customers().retrieve(&warm.id).unwrap()));
    let create = counted(&|| drop(db.customers().create(named("Next"), None).unwrap()));
    assert_eq!((retrieve, create), (1, 4));
    // Through an API key's session: the key's row is read again, with BEGIN and the record.
    let secret = db.api_keys().create("counted").unwrap().secret;
    let session = db.authenticate(&secret).unwrap();
    session.customers().retrieve(&warm.id).unwrap();
    let retrieve = counted(&|| drop(session.customers().retrieve(&warm.id).unwrap()));
    let onboarding = || crate::OnboardingParams {
        customer_id: warm.id.clone(),
        ..Default::default()
    };
    session.onboardings().create(onboarding(), None).unwrap();
    let create = counted(&|| drop(session.onboardings().create(onboarding(), None).unwrap()));
    assert_eq!((retrieve, create), (1, 5));
}

/// A key's check goes with the operation's next statement (`Connection::defer_check`): a key
/// revoked by another store (another process) fails the next call through its session, a read
/// and a write, which writes nothing; and a transaction whose check failed fails even when its
/// closure carries on after the error, or fails first for a reason of its own.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_key_revoked_elsewhere_fails_the_next_call_and_its_whole_transaction() {
    use crate::store::conformance::fixtures::{bare_customer, setup, t};
    let url = fresh_database();
    let db = crate::Pivotal::open(&url).unwrap();
    let named = |name: &str| crate::CustomerParams {
        name: name.into(),
        ..Default::default()
    };
    let customer = db.customers().create(named("Kept"), None).unwrap();
    let key = db.api_keys().create("revoked elsewhere").unwrap();
    let session = db.authenticate(&key.secret).unwrap();
    session.customers().retrieve(&customer.id).unwrap();
    let other = crate::Pivotal::open(&url).unwrap();
    other.api_keys().revoke(&key.api_key.id).unwrap();
    let code = |e: crate::Error| e.code;
    let read = session.customers().retrieve(&customer.id);
    assert_eq!(read.map_err(code).unwrap_err(), ErrorCode::ApiKeyRevoked);
    let write = session.customers().create(named("Refused"), None);
    assert_eq!(write.map_err(code).unwrap_err(), ErrorCode::ApiKeyRevoked);
    assert_eq!(
        other
            .customers()
            .list(&Default::default())
            .unwrap()
            .data
            .len(),
        1
    );

    let store = PostgresStore::open(&url).unwrap();
    let (scope, _, _) = setup(&store);
    let revoked = |r: crate::Result<()>| r.map_err(code).unwrap_err() == ErrorCode::ApiKeyRevoked;
    assert!(revoked(store.read_with(|tx| {
        tx.require_live_api_key(&scope, "key_unknown")?;
        let _ = tx.customer(&scope, "cus_1");
        Ok(())
    })));
    assert!(revoked(store.write_with(|tx| {
        tx.require_live_api_key(&scope, "key_unknown")?;
        let _ = tx.insert_customer(&scope, &bare_customer("cus_1", 1, t(0)));
        Ok(())
    })));
    assert!(revoked(store.write_with(|tx| {
        tx.require_live_api_key(&scope, "key_unknown")?;
        Err(crate::Error::internal(
            "the closure's own failure, before any statement",
        ))
    })));
    let written = store.read_with(|tx| tx.customer(&scope, "cus_1")).unwrap();
    assert!(written.is_none());
}

/// The workspace's lock goes with the transaction's next statement; when taking it fails, the
/// caller gets that failure (here a lock timeout, `storage_busy`), not the next statement's
/// (refused in the aborted transaction), and nothing is written.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_lock_that_fails_is_the_failure_of_the_statement_it_went_with() {
    use crate::store::conformance::fixtures::{bare_customer, setup, t};
    let url = fresh_database();
    let store = PostgresStore::open(&format!("{url}?options=-c%20lock_timeout%3D200")).unwrap();
    let (scope, _, _) = setup(&store);
    let first = bare_customer("cus_1", 1, t(0));
    store
        .write_with(|tx| tx.insert_customer(&scope, &first))
        .unwrap();
    let mut other = client(&url);
    other.batch_execute("BEGIN").unwrap();
    other
        .execute(
            "SELECT 1 FROM write_locks WHERE workspace_id = $1 FOR UPDATE",
            &[&scope.workspace_id],
        )
        .unwrap();
    let second = bare_customer("cus_2", 2, t(0));
    let e = store
        .write_with(|tx| tx.insert_customer(&scope, &second))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageBusy, "{e}");
    assert!(e.message.contains("55P03"), "{e}");
    other.batch_execute("COMMIT").unwrap();
    assert!(store
        .read_with(|tx| tx.customer(&scope, "cus_2"))
        .unwrap()
        .is_none());
    store
        .write_with(|tx| tx.insert_customer(&scope, &second))
        .unwrap();
}

/// A write whose last statement went unsent (an event waits for the next statement) sends it with
/// its COMMIT: nothing is acknowledged unwritten.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_write_of_deferred_statements_only_sends_them_with_its_commit() {
    use crate::model::EventType;
    use crate::store::conformance::fixtures::{new_event, setup, t};
    let url = fresh_database();
    let store = PostgresStore::open(&url).unwrap();
    let (scope, _, _) = setup(&store);
    let event = new_event(
        "evt_only",
        EventType::CustomerCreated,
        "cus_1",
        "cus_1",
        t(1),
    );
    let appended = store.write_with(|tx| tx.append_event(&scope, event.clone()));
    assert_eq!(appended.unwrap().sequence, 1);
    let stored: i64 = client(&url)
        .query_one("SELECT count(*) FROM events WHERE id = 'evt_only'", &[])
        .unwrap()
        .get(0);
    assert_eq!(stored, 1, "the acknowledged event is in the database");
}
