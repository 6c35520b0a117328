//! API keys, authentication, identity and live/test isolation (docs/reference.md#keys-and-sessions, #conventions).

use pivotal_core::{CustomerParams, ErrorCode, Pivotal};

fn open() -> Pivotal {
    Pivotal::options()
        .key_iterations(1_000)
        .open_in_memory()
        .unwrap()
}

fn customer(db: &Pivotal, name: &str) -> pivotal_core::Customer {
    let params = CustomerParams {
        name: name.into(),
        ..Default::default()
    };
    db.customers().create(params, None).unwrap()
}

#[test]
fn secrets_have_the_spec_formats_and_are_returned_once() {
    let db = open();
    let live = db.api_keys().create("sync").unwrap();
    assert!(live.secret.starts_with("pivotal_") && !live.secret.starts_with("pivotal_test_"));
    assert_eq!(live.secret.len(), "pivotal_".len() + 32);
    assert_eq!(live.api_key.prefix, live.secret[..12]);
    assert!(live.api_key.id.starts_with("key_") && live.api_key.livemode);

    let test = db
        .with_livemode(false)
        .unwrap()
        .api_keys()
        .create("ci")
        .unwrap();
    assert!(test.secret.starts_with("pivotal_test_"));
    assert_eq!(test.secret.len(), "pivotal_test_".len() + 32);
    assert!(!test.api_key.livemode);

    let listed = db.api_keys().list().unwrap();
    assert_eq!(listed, vec![live.api_key.clone()]);
    let json = serde_json::to_string(&listed).unwrap();
    assert!(
        !json.contains(&live.secret[12..]),
        "a listing never shows the secret"
    );
}

#[test]
fn a_key_opens_a_session_in_its_workspace_and_mode() {
    let db = open();
    let created = db
        .with_livemode(false)
        .unwrap()
        .api_keys()
        .create("ci-bot")
        .unwrap();
    let session = db.authenticate(&created.secret).unwrap();
    assert!(!session.session().livemode);
    assert_eq!(session.session().actor, "ci-bot");

    let me = serde_json::to_value(session.me().unwrap()).unwrap();
    assert_eq!(me["object"], "me");
    assert_eq!(me["api_key"]["id"], created.api_key.id.as_str());
    assert_eq!(me["api_key"]["name"], "ci-bot");
    assert_eq!(me["api_key"]["prefix"], created.api_key.prefix.as_str());
    assert_eq!(me["api_key"]["livemode"], false);
    assert_eq!(me["organization"]["slug"], "default");
    assert_eq!(
        serde_json::to_value(db.me().unwrap()).unwrap()["api_key"],
        serde_json::Value::Null
    );

    let c = customer(&session, "Test Co");
    let events = session.events().list(&Default::default()).unwrap();
    assert_eq!(events.data[0].actor, "ci-bot");
    assert!(!events.data[0].livemode);
    assert_eq!(
        db.customers().retrieve(&c.id).unwrap_err().code,
        ErrorCode::CustomerNotFound
    );
}

#[test]
fn malformed_and_unknown_secrets_are_invalid() {
    let db = open();
    let real = db.api_keys().create("k").unwrap().secret;
    let mut forged = real.clone();
    forged.replace_range(20..21, if &real[20..21] == "a" { "b" } else { "a" });
    for bad in [
        "",
        "pivotal_",
        "garbage",
        "pivotal_test_0123",
        forged.as_str(),
    ] {
        let e = db.authenticate(bad).unwrap_err();
        assert_eq!(
            (e.code, e.http_status()),
            (ErrorCode::InvalidApiKey, 401),
            "{bad}"
        );
    }
}

#[test]
fn revocation_is_effective_immediately() {
    let db = open();
    let created = db.api_keys().create("old").unwrap();
    let session = db.authenticate(&created.secret).unwrap();
    customer(&session, "Before");
    let revoked = db.api_keys().revoke(&created.api_key.id).unwrap();
    assert!(revoked.revoked_at.is_some());

    let e = session.customers().list(&Default::default()).unwrap_err();
    assert_eq!((e.code, e.http_status()), (ErrorCode::ApiKeyRevoked, 401));
    let e = session.customers().create(
        CustomerParams {
            name: "After".into(),
            ..Default::default()
        },
        None,
    );
    assert_eq!(e.unwrap_err().code, ErrorCode::ApiKeyRevoked);
    assert_eq!(
        db.authenticate(&created.secret).unwrap_err().code,
        ErrorCode::ApiKeyRevoked
    );
    assert_eq!(
        db.customers().list(&Default::default()).unwrap().data.len(),
        1
    );
    assert_eq!(
        db.api_keys().revoke("key_nope").unwrap_err().code,
        ErrorCode::ApiKeyNotFound
    );
}

#[test]
fn workspaces_are_isolated_and_count_their_own_display_ids() {
    let db = open();
    let other = db.workspaces().create("Globex Inc", None).unwrap();
    assert_eq!(other.slug, "globex-inc");
    assert!(other.id.starts_with("org_"));
    assert_eq!(
        db.workspaces().create("Globex Inc", None).unwrap_err().code,
        ErrorCode::SlugTaken
    );
    assert_eq!(db.workspaces().list().unwrap().len(), 2);

    let globex = db.with_workspace("globex-inc").unwrap();
    let a = customer(&db, "Acme");
    let g = customer(&globex, "Acme");
    assert_eq!((a.display_id, g.display_id), (1, 1));
    assert_eq!(
        globex.customers().retrieve(&a.id).unwrap_err().code,
        ErrorCode::CustomerNotFound
    );
    assert_eq!(globex.customers().retrieve("1").unwrap().id, g.id);

    let key = globex.api_keys().create("globex-sync").unwrap();
    let session = db.authenticate(&key.secret).unwrap();
    assert_eq!(session.session().workspace.id, other.id);
    assert_eq!(
        session.customers().list(&Default::default()).unwrap().data,
        vec![g]
    );
    assert_eq!(db.api_keys().list().unwrap().len(), 0);
    assert_eq!(
        db.with_workspace("nope").unwrap_err().code,
        ErrorCode::WorkspaceNotFound
    );
    // A key's session neither sees nor makes other workspaces.
    assert_eq!(
        session.workspaces().list().unwrap_err().code,
        ErrorCode::PermissionDenied
    );
    assert_eq!(
        session
            .workspaces()
            .create("Initech", None)
            .unwrap_err()
            .code,
        ErrorCode::PermissionDenied
    );
    assert_eq!(db.workspaces().list().unwrap().len(), 2);
}

#[test]
fn both_modes_share_the_workspace_display_id_counter() {
    let db = open();
    let live = customer(&db, "Live");
    let test = customer(&db.with_livemode(false).unwrap(), "Test");
    assert_eq!((live.display_id, test.display_id), (1, 2));
    assert_eq!(
        db.customers().retrieve("2").unwrap_err().code,
        ErrorCode::CustomerNotFound
    );
}

#[test]
fn idempotency_keys_are_scoped_per_mode() {
    let db = open();
    let test = db.with_livemode(false).unwrap();
    let a = db
        .customers()
        .create(
            CustomerParams {
                name: "A".into(),
                ..Default::default()
            },
            Some("k"),
        )
        .unwrap();
    let b = test
        .customers()
        .create(
            CustomerParams {
                name: "B".into(),
                ..Default::default()
            },
            Some("k"),
        )
        .unwrap();
    assert_ne!(a.id, b.id);
}

#[test]
fn only_a_salted_hash_reaches_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.db");
    let secret = {
        let db = Pivotal::options()
            .key_iterations(1_000)
            .open(&path)
            .unwrap();
        let secret = db.api_keys().create("k").unwrap().secret;
        assert!(db.authenticate(&secret).is_ok());
        secret
    };
    let mut bytes = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("keys.db-wal")) {
        bytes.extend(wal);
    }
    let body = &secret.as_bytes()[12..];
    assert!(
        !bytes.windows(body.len()).any(|w| w == body),
        "the secret is stored"
    );
    let db = Pivotal::open(&path).unwrap();
    assert!(db.authenticate(&secret).is_ok(), "keys survive reopening");
}
