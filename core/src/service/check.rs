//! The store check (`pivotal check`): the storage's own integrity check, the schema version, and
//! how many visible records of each kind the session's workspace and mode hold.

use super::{Pivotal, WorkspaceReportParams};
use crate::error::{Error, ErrorCode, Result};
use crate::service::{ExportFormat, ExportList};
use serde::Serialize;

/// What [`Pivotal::check`] found in a sound store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Always `"check"`.
    pub object: String,
    /// `ok`: the integrity check found nothing.
    pub status: String,
    /// The library version.
    pub version: String,
    /// The store's schema version.
    pub schema_version: i64,
    /// The workspace checked (its id).
    pub workspace: String,
    /// Live (`true`) or test (`false`) mode.
    pub livemode: bool,
    /// Visible (not deleted) records of each kind.
    pub counts: RecordCounts,
}

/// Visible records per kind, in one workspace and mode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordCounts {
    /// Customers.
    pub customers: u64,
    /// Contacts of visible customers.
    pub contacts: u64,
    /// Onboardings of visible customers.
    pub onboardings: u64,
    /// Events in the change log.
    pub events: u64,
    /// API keys, revoked ones included.
    pub api_keys: u64,
}

impl Pivotal {
    /// Checks the store: its storage-level integrity check (SQLite's `PRAGMA integrity_check`;
    /// other stores may have none), then reads every visible record of the session's workspace
    /// and mode once, page by page, and counts them. A problem found is `storage_corrupt`, its
    /// message listing the first problems.
    pub fn check(&self) -> Result<CheckReport> {
        let problems = self.engine.read_with(|tx| tx.integrity_problems())?;
        if !problems.is_empty() {
            let shown: Vec<&str> = problems.iter().take(5).map(String::as_str).collect();
            return Err(Error::new(
                ErrorCode::StorageCorrupt,
                format!(
                    "the integrity check found {} problem(s): {}",
                    problems.len(),
                    shown.join("; ")
                ),
            ));
        }
        let health = self.health()?;
        // Every record is read back as the API would return it, so a stored value that no
        // longer reads (a damaged row) fails here too.
        let count = |list: ExportList| self.export(&list, ExportFormat::Ndjson, std::io::sink());
        let counts = RecordCounts {
            customers: count(ExportList::Customers(Default::default()))?,
            contacts: count(ExportList::Contacts(None))?,
            onboardings: count(ExportList::Onboardings(Default::default()))?,
            events: count(ExportList::Events(Default::default()))?,
            api_keys: self.api_keys().list()?.len() as u64,
        };
        // The report reads every onboarding's history.
        self.analytics()
            .workspace(&WorkspaceReportParams::default())?;
        Ok(CheckReport {
            object: "check".into(),
            status: health.status,
            version: health.version,
            schema_version: health.schema_version,
            workspace: self.session().workspace.id.clone(),
            livemode: self.session().livemode,
            counts,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{ContactParams, CustomerParams, OnboardingParams, Pivotal};

    #[test]
    fn check_counts_the_visible_records_of_the_session() {
        let db = Pivotal::open_in_memory().unwrap();
        let acme = db
            .customers()
            .create(
                CustomerParams {
                    name: "Acme".into(),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        let gone = db
            .customers()
            .create(
                CustomerParams {
                    name: "Gone".into(),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        db.contacts()
            .create(
                &acme.id,
                ContactParams {
                    name: "Ada".into(),
                    email: "ada@acme.com".into(),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        db.onboardings()
            .create(
                OnboardingParams {
                    customer_id: acme.id.clone(),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        db.customers().delete(&gone.id).unwrap();
        db.api_keys().create("ci").unwrap();
        let report = db.check().unwrap();
        assert_eq!(report.status, "ok");
        assert_eq!(
            (
                report.counts.customers,
                report.counts.contacts,
                report.counts.onboardings,
                report.counts.api_keys
            ),
            (1, 1, 1, 1)
        );
        // 2 customers created, 1 deleted, 1 contact, 1 onboarding (the key writes no event).
        assert_eq!(
            report.counts.events,
            db.export(
                &crate::ExportList::Events(Default::default()),
                crate::ExportFormat::Ndjson,
                std::io::sink()
            )
            .unwrap()
        );
        assert!(report.counts.events >= 5, "{report:?}");
        let test_mode = db.with_livemode(false).unwrap().check().unwrap();
        assert_eq!(test_mode.counts, Default::default());
    }

    #[test]
    fn a_sound_sqlite_file_passes_and_a_damaged_one_is_storage_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("check.db");
        let db = Pivotal::open(&path).unwrap();
        for i in 0..200 {
            db.customers()
                .create(
                    CustomerParams {
                        name: format!("Customer {i}"),
                        ..Default::default()
                    },
                    None,
                )
                .unwrap();
        }
        assert_eq!(db.check().unwrap().counts.customers, 200);
        db.close();
        drop(db);
        damage_an_index(&path);
        let err = Pivotal::open(&path).and_then(|db| db.check()).unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::StorageCorrupt, "{err}");
        assert!(err.message.contains("integrity check"), "{err}");
    }

    /// Points two indexes of the customers table at each other's pages: SQLite opens and reads
    /// the file, only its integrity check sees that the indexes no longer match their rows.
    pub(crate) fn damage_an_index(path: &std::path::Path) {
        let conn = rusqlite::Connection::open(path).unwrap();
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
    }
}
