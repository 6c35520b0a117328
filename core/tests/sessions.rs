//! Sessions: a key's session keeps its workspace, mode and actor, and re-checks revocation on
//! every call; actor names have the limits of key names.

use pivotal_core::{CustomerParams, ErrorCode, ErrorType, Pivotal};

fn open() -> Pivotal {
    Pivotal::options()
        .key_iterations(1)
        .open_in_memory()
        .unwrap()
}

fn customer(name: &str) -> CustomerParams {
    CustomerParams {
        name: name.into(),
        ..Default::default()
    }
}

fn bound(e: pivotal_core::Error) {
    assert_eq!(e.code, ErrorCode::PermissionDenied, "{e}");
    assert_eq!(e.error_type(), ErrorType::PermissionError);
    assert_eq!(e.http_status(), 403);
    assert!(e.message.contains("without a key"), "{}", e.message);
}

#[test]
fn a_key_session_cannot_switch_workspace_mode_or_actor() {
    let db = open();
    db.customers().create(customer("Default Co"), None).unwrap();
    db.workspaces().create("Globex", Some("globex")).unwrap();
    let globex = db.with_workspace("globex").unwrap();
    let key = globex.api_keys().create("globex-sync").unwrap();
    let session = db.authenticate(&key.secret).unwrap();

    bound(session.with_workspace("default").unwrap_err());
    bound(session.with_workspace("globex").unwrap_err());
    bound(session.with_livemode(false).unwrap_err());
    bound(session.with_livemode(true).unwrap_err());
    bound(session.with_actor("spoofed").unwrap_err());

    // A clone keeps the key: its writes are the key's, in the key's workspace.
    let clone = session.clone();
    clone
        .customers()
        .create(customer("Globex Co"), None)
        .unwrap();
    let events = clone.events().list(&Default::default()).unwrap().data;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, "globex-sync");
    assert_eq!(events[0].org_id, globex.session().workspace.id);
    assert_eq!(
        db.customers().list(&Default::default()).unwrap().data.len(),
        1
    );
}

#[test]
fn a_test_key_session_cannot_go_live() {
    let db = open();
    let test = db.with_livemode(false).unwrap();
    let key = test.api_keys().create("ci").unwrap();
    let session = db.authenticate(&key.secret).unwrap();
    // A permission error, not `api_key_revoked`: the key is fine, the switch is not allowed.
    bound(session.with_livemode(true).unwrap_err());
    assert!(!session.session().livemode);
    assert!(session.me().unwrap().api_key.is_some());
}

#[test]
fn revocation_reaches_every_handle_of_the_session() {
    let db = open();
    let key = db.api_keys().create("doomed").unwrap();
    let session = db.authenticate(&key.secret).unwrap();
    let clone = session.clone();
    db.api_keys().revoke(&key.api_key.id).unwrap();
    for handle in [&session, &clone] {
        let e = handle
            .customers()
            .create(customer("After"), None)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ApiKeyRevoked);
    }
    // Still no way out through a derived session.
    bound(session.with_workspace("default").unwrap_err());
    // The local handle is unaffected, and may still switch.
    assert!(db
        .with_actor("admin")
        .unwrap()
        .customers()
        .list(&Default::default())
        .is_ok());
}

#[test]
fn actor_names_are_trimmed_and_bounded_like_key_names() {
    let db = open();
    let named = db.with_actor("  importer  ").unwrap();
    assert_eq!(named.session().actor, "importer");
    let max = "a".repeat(pivotal_core::rules::limits::NAME_MAX);
    assert_eq!(db.with_actor(&max).unwrap().session().actor, max);

    for (actor, code) in [
        ("", ErrorCode::MissingField),
        ("   ", ErrorCode::MissingField),
        (&*format!("{max}a"), ErrorCode::TooLong),
        (&*"x".repeat(10_000_000), ErrorCode::TooLong),
    ] {
        let e = db.with_actor(actor).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (code, Some("actor")));
        assert_eq!(e.error_type(), ErrorType::InvalidRequestError);
        let e = Pivotal::options()
            .actor(actor)
            .open_in_memory()
            .unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (code, Some("actor")));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("actor.db");
    let e = Pivotal::options().actor("").open(&path).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("actor"));
    assert!(!path.exists(), "a refused actor creates no file");
    let db = Pivotal::options().actor(" sync ").open(&path).unwrap();
    db.customers().create(customer("Acme"), None).unwrap();
    assert_eq!(
        db.events().list(&Default::default()).unwrap().data[0].actor,
        "sync"
    );
}
