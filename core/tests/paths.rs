//! What a path passed to `Pivotal::open` names: a file, always (never a SQLite URI), or the
//! in-memory store for `:memory:`; an empty path or one with a NUL byte is refused. Every write
//! acknowledged is readable. (Its own test binary: it changes the working directory.)

use pivotal_core::{CustomerListParams, CustomerParams, ErrorCode, Pivotal};
use std::path::Path;

fn create_and_read(db: &Pivotal) {
    let c = db
        .customers()
        .create(
            CustomerParams {
                name: "Acme".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    assert_eq!(db.customers().retrieve(&c.id).unwrap(), c);
    let page = db.customers().list(&CustomerListParams::default()).unwrap();
    assert_eq!(page.data, vec![c]);
}

#[test]
fn paths_name_files_or_the_memory_store() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();

    for (path, code) in [
        ("", ErrorCode::MissingField),
        ("a\0b.db", ErrorCode::InvalidType),
    ] {
        let e = Pivotal::open(path).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref(), e.error_type().as_str()),
            (code, Some("path"), "invalid_request_error"),
            "{path:?}: {e}"
        );
    }
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());

    // Both connections see one database: what is written is read back.
    let memory = Pivotal::open(":memory:").unwrap();
    create_and_read(&memory);
    assert!(!Path::new(":memory:").exists());

    // `file:` paths are file names, not URIs.
    create_and_read(&Pivotal::open("file:uri.db").unwrap());
    assert!(Path::new("file:uri.db").is_file());
    assert!(!Path::new("uri.db").exists());
    std::fs::create_dir_all("file:/x").unwrap();
    create_and_read(&Pivotal::open("file:/x/uri2.db").unwrap());
    assert!(dir.path().join("file:/x/uri2.db").is_file());
    let e = Pivotal::open("file:uri3.db?mode=memory").unwrap();
    create_and_read(&e);
    assert!(Path::new("file:uri3.db?mode=memory").is_file());
}
