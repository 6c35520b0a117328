//! The `pivotal` binary run as a user runs it: the fixture, round trips, hostile files, exit codes,
//! `--json` output, `events --follow` across processes, API keys, `check`, and `demo`.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/list-customer-onboardings.json"
);

/// The customer the fixture's onboardings belong to, as the API returns it.
fn fixture_customer() -> Value {
    serde_json::from_str(include_str!("fixtures/customer.json")).unwrap()
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pivotal"))
}

/// `pivotal` with no store chosen and no `PIVOTAL_DB` from the environment.
fn bare() -> Command {
    let mut command = Command::new(binary());
    command.env_remove("PIVOTAL_DB");
    command
}

/// `pivotal --db DB`.
fn pivotal(db: &Path) -> Command {
    let mut command = bare();
    command.arg("--db").arg(db);
    command
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs a command that must succeed and returns its standard output.
fn stdout(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Runs a command that must succeed and parses its standard output as one JSON document.
fn json_of(command: &mut Command) -> Value {
    let text = stdout(command.arg("--json"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text:?} is not JSON: {e}"))
}

/// A store holding the fixture and its customer.
fn fixture_store(dir: &Path) -> PathBuf {
    let db = dir.join("mirror.db");
    let customer = write(dir, "customer.json", fixture_customer().to_string());
    let out = stdout(pivotal(&db).arg("import").arg(&customer).arg(FIXTURE));
    assert!(
        out.contains("total: 3 created, 0 updated, 0 unchanged, 0 skipped"),
        "{out}"
    );
    db
}

fn demo_store(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    stdout(pivotal(&db).arg("demo"));
    db
}

#[test]
fn the_fixture_imports_with_its_ids_and_show_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_store(dir.path());
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    for item in fixture["data"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let shown = json_of(pivotal(&db).args(["show", id]));
        for field in ["id", "display_id", "phase", "completed_at", "updated_at"] {
            assert_eq!(
                shown[field].as_str().map(|s| s.replace(".000Z", "Z")),
                item[field].as_str().map(String::from),
                "{field}: {shown}"
            );
        }
        assert_eq!(shown["display_id"], item["display_id"]);
    }
    // Display ids: 42 names only the onboarding, 12 only the customer.
    let by_number = json_of(pivotal(&db).args(["show", "42"]));
    assert_eq!(by_number["id"], "onb_9f8a7c6d5e4b3a21");
    let readable = stdout(pivotal(&db).args(["show", "12"]));
    assert!(readable.contains("cus_1234567890abcdef") && readable.contains("acme-corp"));
    // The completed onboarding launched on time, by its own fields.
    let report = json_of(pivotal(&db).args([
        "report",
        "--as-of",
        "2024-06-01T00:00:00Z",
        "--customer",
        "12",
    ]));
    assert_eq!(
        (
            report["launched"].clone(),
            report["launched_on_time"].clone()
        ),
        (json!(1), json!(1))
    );
    let table = stdout(pivotal(&db).args(["ls", "onboardings"]));
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("#   ID "), "{table}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("42  onb_9f8a7c6d5e4b3a21")),
        "{table}"
    );
    // Importing it again changes nothing.
    let again = json_of(pivotal(&db).arg("import").arg(FIXTURE));
    assert_eq!(again["unchanged"], 2);
    assert_eq!(again["created"], 0);
}

#[test]
fn the_fixture_alone_names_its_missing_customer_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mirror.db");
    pivotal(&db)
        .arg("import")
        .arg(FIXTURE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: not_found/customer_not_found: ",
        ))
        .stderr(predicate::str::contains(
            "list-customer-onboardings.json: item 0",
        ));
    let listed = json_of(pivotal(&db).args(["ls", "onboardings"]));
    assert_eq!(listed["data"], json!([]));
    // With --json the error is the API's envelope on stderr.
    let output = pivotal(&db)
        .args(["--json", "import"])
        .arg(FIXTURE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let envelope: Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(envelope["error"]["code"], "customer_not_found");
    assert_eq!(envelope["error"]["type"], "not_found");
    // Skipping bad items imports the rest and lists the errors.
    let skipped = json_of(
        pivotal(&db)
            .args(["import", "--on-error", "skip"])
            .arg(FIXTURE),
    );
    assert_eq!(skipped["skipped"], 2);
    assert_eq!(skipped["errors"][1]["index"], 1);
    assert_eq!(skipped["errors"][1]["error"]["code"], "customer_not_found");
    assert_eq!(skipped["errors"][1]["file"], FIXTURE);
    let readable = stdout(
        pivotal(&db)
            .args(["import", "--on-error", "skip"])
            .arg(FIXTURE),
    );
    assert!(
        readable.contains("0 created, 0 updated, 0 unchanged, 2 skipped\n  skipped item 0 (line ")
            && readable.contains("): not_found/customer_not_found: "),
        "{readable}"
    );
}

/// Every list of `db` in `format`, concatenated.
fn export_all(db: &Path, format: &str) -> String {
    ["customers", "contacts", "onboardings"]
        .iter()
        .map(|list| stdout(pivotal(db).args(["export", list, "--format", format])))
        .collect()
}

#[test]
fn export_then_import_into_a_fresh_file_gives_identical_exports() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo_store(dir.path());
    // One more customer and the fixture, so several records of each kind travel.
    let customer = write(dir.path(), "customer.json", fixture_customer().to_string());
    stdout(pivotal(&source).arg("import").arg(&customer).arg(FIXTURE));
    let mut files = Vec::new();
    for list in ["customers", "contacts", "onboardings"] {
        let file = dir.path().join(format!("{list}.ndjson"));
        let said = stdout(pivotal(&source).args(["export", list, "-o"]).arg(&file));
        assert!(
            said.ends_with(&format!("{list} written to {}\n", file.display())),
            "{said}"
        );
        files.push(file);
    }
    let copy = dir.path().join("copy.db");
    let summary = json_of(pivotal(&copy).arg("import").args(&files));
    assert_eq!(summary["created"], 7, "{summary}");
    for format in ["ndjson", "json", "csv"] {
        assert_eq!(
            export_all(&copy, format),
            export_all(&source, format),
            "{format}"
        );
    }
    assert!(export_all(&copy, "csv").starts_with("object,id,display_id,name,slug,"));
    // Filters as in the API.
    let completed = stdout(pivotal(&copy).args(["export", "onboardings", "--phase", "completed"]));
    assert_eq!(completed.lines().count(), 2, "{completed}");
    let envelope = json_of(pivotal(&copy).args(["export", "customers", "--slug", "acme-corp"]));
    assert_eq!(envelope["object"], "list");
    assert_eq!(envelope["data"][0]["id"], "cus_1234567890abcdef");
}

/// Imports `text` as line 2 after a valid customer on line 1: the command fails with exit 2,
/// naming line 2, and nothing is imported.
fn refused(name: &str, text: &[u8], says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hostile.db");
    let mut file = fixture_customer().to_string().into_bytes();
    file.push(b'\n');
    file.extend_from_slice(text);
    let path = write(dir.path(), name, file);
    let output = pivotal(&db).arg("import").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
    assert!(stderr.starts_with("error: "), "{name}: {stderr}");
    assert!(stderr.contains("line 2"), "{name}: {stderr}");
    assert!(stderr.contains(says), "{name}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
    let listed = json_of(pivotal(&db).args(["ls", "customers"]));
    assert_eq!(listed["data"], json!([]), "{name}: half imported");
}

#[test]
fn hostile_files_name_the_line_exit_2_and_import_nothing() {
    refused(
        "truncated.ndjson",
        br#"{"object":"customer","id":"cus_second","name":"Tr"#,
        "malformed JSON",
    );
    let mut long = br#"{"object":"customer","name":""#.to_vec();
    long.extend(std::iter::repeat_n(b'x', 3 << 20));
    long.extend_from_slice(b"\"}\n");
    refused("long.ndjson", &long, "too_large");
    refused(
        "invoice.ndjson",
        br#"{"object":"invoice","id":"in_1"}"#,
        "invoice",
    );
    // With chunks of one item, the item before the bad one was committed: the default
    // chunking is what keeps a small file whole.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("chunked.db");
    let file = format!("{}\n{{\"object\":\"invoice\"}}\n", fixture_customer());
    let path = write(dir.path(), "chunked.ndjson", file);
    pivotal(&db)
        .args(["import", "--chunk-size", "1"])
        .arg(&path)
        .assert()
        .code(2);
    let listed = json_of(pivotal(&db).args(["ls", "customers"]));
    assert_eq!(listed["data"][0]["id"], "cus_1234567890abcdef");
    refused(
        "garbage.bin",
        &[0x00, 0xff, 0xfe, 0x1b, b'{', 0x80, 0x81, b'\n', 0xc3],
        "malformed JSON",
    );
}

#[test]
fn exit_codes_are_0_1_for_usage_and_2_for_pivotal_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    bare().arg("--help").assert().code(0);
    bare().arg("--version").assert().code(0);
    bare().assert().code(1);
    bare().args(["ls", "invoices"]).assert().code(1);
    bare()
        .args(["ls", "customers", "--no-such-flag"])
        .assert()
        .code(1);
    bare()
        .args(["ls", "customers"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("PIVOTAL_DB"));
    bare()
        .args(["ls", "customers"])
        .env("PIVOTAL_DB", &db)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Acme Café"));
    pivotal(&dir.path().join("missing.db"))
        .args(["ls", "customers"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"));
    assert!(!dir.path().join("missing.db").exists());
    pivotal(&db)
        .args(["import", "no-such-file.json"])
        .assert()
        .code(1);
    pivotal(&db)
        .args(["ls", "customers", "--phase", "review"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--phase does not filter customers",
        ));
    pivotal(&db)
        .args(["ls", "onboardings", "--phase", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: invalid_request_error/invalid_enum_value: ",
        ))
        .stderr(predicate::str::contains("(field phase)"));
    pivotal(&db)
        .args(["ls", "customers", "--limit", "500"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid_limit"));
    pivotal(&db)
        .args(["show", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a customer (cus_"))
        .stderr(predicate::str::contains("an onboarding (onb_"))
        .stderr(predicate::str::contains("--kind"));
    pivotal(&db)
        .args(["show", "onb_doesnotexist"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("onboarding_not_found"));
    pivotal(&db)
        .args(["show", "999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no customer, contact or onboarding",
        ));
    pivotal(&db).args(["show", "xyz"]).assert().code(1);
    pivotal(&db)
        .args(["report", "--as-of", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid_timestamp"));
}

#[test]
fn json_output_parses_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("json.db");
    let demo = json_of(pivotal(&db).arg("demo"));
    assert_eq!(
        (demo["object"].clone(), demo["contacts"].clone()),
        (json!("demo"), json!(2))
    );
    let customers = json_of(pivotal(&db).args(["ls", "customers", "--limit", "1"]));
    assert_eq!(customers["object"], "list");
    assert_eq!(customers["data"][0]["object"], "customer");
    let onboardings = json_of(pivotal(&db).args(["ls", "onboardings", "--phase", "completed"]));
    assert_eq!(onboardings["data"][0]["phase"], "completed");
    let shown = json_of(pivotal(&db).args(["show", "1", "--kind", "contact"]));
    assert_eq!(shown["object"], "contact");
    let report = json_of(pivotal(&db).args(["report", "--as-of", "2030-08-01T00:00:00Z"]));
    assert_eq!(
        (report["object"].clone(), report["launched"].clone()),
        (json!("workspace_report"), json!(1))
    );
    let check = json_of(pivotal(&db).arg("check"));
    assert_eq!(check["counts"]["events"], demo["events"]);
    let keys = json_of(pivotal(&db).args(["keys", "ls"]));
    assert_eq!(keys["data"], json!([]));
    let exported = json_of(
        pivotal(&db)
            .args(["export", "contacts", "-o"])
            .arg(dir.path().join("c.csv"))
            .args(["--format", "csv"]),
    );
    assert_eq!(
        (exported["count"].clone(), exported["format"].clone()),
        (json!(2), json!("csv"))
    );
    let events =
        stdout(pivotal(&db).args(["--json", "events", "--type", "onboarding.phase_changed"]));
    let lines: Vec<Value> = events
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "{events}");
    assert!(lines
        .iter()
        .all(|e| e["type"] == "onboarding.phase_changed"));
}

#[test]
fn events_follow_sees_an_event_written_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let last = json_of(pivotal(&db).arg("check"))["counts"]["events"]
        .as_i64()
        .unwrap();
    let mut follower = std::process::Command::new(binary())
        .arg("--db")
        .arg(&db)
        .args(["--json", "events", "--follow", "--max-events", "2"])
        .args(["--timeout", "60", "--interval", "50"])
        .args(["--after-sequence", &last.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(follower.stdout.take().unwrap()).lines();
    // The first event, then a second one written only once the follower has printed the first:
    // it can only see that one by polling.
    let customer = write(dir.path(), "customer.json", fixture_customer().to_string());
    stdout(pivotal(&db).arg("import").arg(&customer));
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["type"], "customer.imported");
    assert_eq!(first["sequence"], last + 1);
    assert_eq!(first["data"]["object"]["id"], "cus_1234567890abcdef");
    std::thread::sleep(Duration::from_millis(200));
    stdout(pivotal(&db).args(["keys", "create", "unused"]));
    stdout(pivotal(&db).arg("import").arg(FIXTURE));
    let second: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(second["type"], "onboarding.imported");
    assert_eq!(second["sequence"], last + 2);
    let status = follower.wait().unwrap();
    assert!(status.success(), "the follower failed");
    assert!(lines.next().is_none(), "more than --max-events");
    // Without --follow the log is printed and the command ends; --timeout ends a quiet follow.
    let log = stdout(pivotal(&db).args(["events", "--after-sequence", &last.to_string()]));
    assert!(
        log.starts_with(&format!("#{}", last + 1)) && log.contains("customer.imported"),
        "{log}"
    );
    let quiet = stdout(
        pivotal(&db)
            .args(["events", "--follow", "--timeout", "0.3"])
            .args(["--after-sequence", &(last + 3).to_string()]),
    );
    assert_eq!(quiet, "");
}

#[test]
fn keys_are_created_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("keys.db");
    let created = json_of(pivotal(&db).args(["keys", "create", "ci-runner", "--test"]));
    let secret = created["secret"].as_str().unwrap();
    assert!(
        secret.starts_with("pivotal_test_") && secret.len() == 45,
        "{secret}"
    );
    let id = created["api_key"]["id"].as_str().unwrap().to_string();
    let live = stdout(pivotal(&db).args(["keys", "create", "deploy"]));
    assert!(
        live.lines().nth(1).unwrap().starts_with("pivotal_"),
        "{live}"
    );
    let listed = json_of(pivotal(&db).args(["keys", "ls"]));
    let names: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["deploy", "ci-runner"]);
    assert!(!listed.to_string().contains(secret), "a secret is listed");
    let revoked = json_of(pivotal(&db).args(["keys", "revoke", &id]));
    assert!(revoked["revoked_at"].is_string(), "{revoked}");
    let table = stdout(pivotal(&db).args(["keys", "ls"]));
    let row = table.lines().find(|l| l.starts_with(&id)).unwrap();
    assert!(row.contains("ci-runner") && !row.ends_with(" -"), "{table}");
    pivotal(&db)
        .args(["keys", "revoke", "key_nosuchkey"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("api_key_not_found"));
}

#[test]
fn check_passes_a_healthy_file_and_fails_a_damaged_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let said = stdout(pivotal(&db).arg("check"));
    assert!(
        said.contains(": ok (integrity check passed), schema version "),
        "{said}"
    );
    assert!(said.contains("contacts     2"), "{said}");
    // Two indexes pointed at each other's pages: SQLite still opens the file.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let root = |name: &str| -> i64 {
        conn.query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (list, by_status) = (root("customers_list"), root("customers_by_status"));
    conn.execute_batch("PRAGMA writable_schema = ON").unwrap();
    for (name, page) in [("customers_list", by_status), ("customers_by_status", list)] {
        conn.execute(
            "UPDATE sqlite_schema SET rootpage = ?1 WHERE name = ?2",
            rusqlite::params![page, name],
        )
        .unwrap();
    }
    drop(conn);
    pivotal(&db)
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: internal_error/storage_corrupt: ",
        ))
        .stderr(predicate::str::contains("integrity check"));
    // A file that is not a database at all.
    let junk = write(dir.path(), "junk.db", vec![0x42; 8192]);
    pivotal(&junk)
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("storage_corrupt"));
}

#[test]
fn demo_writes_the_quickstart_and_never_replaces_other_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pivotal-demo.db");
    let first = stdout(pivotal(&db).arg("demo"));
    assert!(first.contains("\nCreated "), "{first}");
    assert!(
        first.contains("Next: pivotal ls onboardings --db "),
        "{first}"
    );
    // Again on its own file: replaced, the same walk.
    let second = stdout(pivotal(&db).arg("demo"));
    let steps = |s: &str| s.lines().filter(|l| l.contains("phase →")).count();
    assert_eq!(steps(&first), steps(&second));
    let check = json_of(pivotal(&db).arg("check"));
    assert_eq!(check["counts"]["customers"], 1);
    // A file with other data is refused and left as it was.
    let other = dir.path().join("mine.db");
    let customer = write(dir.path(), "customer.json", fixture_customer().to_string());
    stdout(pivotal(&other).arg("import").arg(&customer));
    pivotal(&other)
        .arg("demo")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a pivotal demo file"));
    let shown = json_of(pivotal(&other).args(["show", "cus_1234567890abcdef"]));
    assert_eq!(shown["name"], "Acme Corp");
    // So is a file that is no store at all.
    let notes = write(dir.path(), "notes.txt", "my notes\n");
    pivotal(&notes).arg("demo").assert().code(1);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
}

#[test]
fn piped_runs_draw_no_progress_bars() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("quiet.db");
    let customer = write(dir.path(), "customer.json", fixture_customer().to_string());
    pivotal(&db)
        .arg("import")
        .arg(&customer)
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    pivotal(&db)
        .args(["export", "customers"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    // Standard input too.
    pivotal(&db)
        .args(["import", "-"])
        .write_stdin(fixture_customer().to_string())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "-: 0 created, 0 updated, 1 unchanged, 0 skipped",
        ))
        .stderr(predicate::str::is_empty());
}

#[test]
fn a_reader_that_goes_away_ends_export_and_events_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("many.db");
    // About a megabyte of export, far more than a pipe holds.
    let customers: String = (0..2000)
        .map(|i| {
            let mut c = fixture_customer();
            c["id"] = json!(format!("cus_many{i:012}"));
            c["display_id"] = json!(i + 1);
            c["slug"] = json!(format!("acme-{i}"));
            format!("{c}\n")
        })
        .collect();
    let file = write(dir.path(), "many.ndjson", customers);
    stdout(pivotal(&db).arg("import").arg(&file));
    for args in [&["export", "customers"][..], &["--json", "events"][..]] {
        let mut child = std::process::Command::new(binary())
            .arg("--db")
            .arg(&db)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(first.starts_with('{'), "{first}");
        // The pipe's reading end is closed here.
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}

/// `--db` takes a PostgreSQL URL: import, show, ls, events and check work on it as on a file
/// (the same output as on a SQLite file given the same input), and no output repeats the URL's
/// password. Needs a server: make pg-test.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_postgres_url_is_a_store_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture_store(dir.path());
    let url = pivotal_core::store::postgres::testing::fresh_database().replacen(
        "://postgres@",
        "://postgres:not-shown@",
        1,
    );
    let db = Path::new(&url);
    let customer = write(dir.path(), "customer.json", fixture_customer().to_string());
    let out = stdout(pivotal(db).arg("import").arg(&customer).arg(FIXTURE));
    assert!(out.contains("total: 3 created"), "{out}");
    for args in [
        &["show", "cus_1234567890abcdef"][..],
        &["ls", "onboardings"],
        &["ls", "customers"],
        &["export", "onboardings"],
    ] {
        let on_postgres = stdout(pivotal(db).args(args));
        assert_eq!(on_postgres, stdout(pivotal(&file).args(args)), "{args:?}");
        assert!(!on_postgres.contains("not-shown"));
    }
    let checked = stdout(pivotal(db).arg("check"));
    assert!(checked.contains("ok (integrity check passed)"), "{checked}");
    assert!(!checked.contains("not-shown"), "{checked}");
    let refused = pivotal(db).arg("demo").output().unwrap();
    assert!(!refused.status.success());
}
