//! # pivotal-core
//!
//! The Pivotal customer-onboarding domain — customers, contacts, onboardings, their phases and
//! health states, the history of every change — as an embeddable library with the same validation,
//! defaults and behaviour as the hosted REST API, stored locally (SQLite by default).
//!
//! ```
//! use pivotal_core::{CustomerParams, OnboardingParams, OnboardingPatch, Patch, Phase, Pivotal};
//!
//! # fn main() -> pivotal_core::Result<()> {
//! let db = Pivotal::options().actor("docs").open_in_memory()?;
//! let acme = db.customers().create(
//!     CustomerParams { name: "Acme".into(), domain: Some("acme.com".into()), ..Default::default() },
//!     Some("crm-42"),
//! )?;
//! assert_eq!(acme.slug, "acme");
//! let onb = db.onboardings().create(
//!     OnboardingParams { customer_id: acme.display_id.to_string(), ..Default::default() },
//!     None,
//! )?;
//! let onb = db.onboardings().update(
//!     &onb.id,
//!     OnboardingPatch { phase: Patch::Set(Phase::ProgramDesign), ..Default::default() },
//! )?;
//! assert_eq!(db.onboardings().transitions(&onb.id)?.len(), 1);
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

/// The crate's README, whose Rust example is compiled as a doctest so that it follows the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod analytics;
pub mod error;
pub mod keys;
pub mod model;
pub mod query;
pub mod rules;
pub mod service;
pub mod store;
pub mod validate;
pub mod wire;

pub use analytics::{
    ByPhase, ByState, HistoryEntry, LaunchDays, OnboardingMetrics, Snapshot, WorkspaceReport,
};
pub use error::{Error, ErrorCode, ErrorType, Result};
pub use model::*;
pub use service::{
    Analytics, ApiKeys, CheckReport, Contacts, CustomerListParams, Customers, EventListParams,
    Events, ExportFormat, ExportList, ImportOptions, ImportSummary, ItemError, ListParams, OnError,
    OnboardingListParams, Onboardings, Options, Pivotal, Position, RecordCounts, Session,
    WorkspaceReportParams, Workspaces,
};
#[cfg(feature = "postgres")]
pub use store::PostgresStore;
pub use store::{Durability, MemoryStore, SqliteStore, Store};
