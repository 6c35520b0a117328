//! Import and export (docs/reference.md#import-and-export): the types of `import_json` and
//! `export_json` on the store, mapped onto the core's `ImportOptions`, `ImportSummary`,
//! `ExportList` and `ExportFormat`. The rules are the core's.

use crate::error::{ErrorInfo, PivotalError};
use crate::types::{Bridge, CustomerListParams, EventListParams, OnboardingListParams};

/// What an import does with an item that fails its checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, uniffi::Enum)]
pub enum OnError {
    /// Roll the item's chunk back and throw the item's error (default).
    #[default]
    Stop,
    /// Leave the item out, count it as skipped and list its error in the summary.
    Skip,
}

impl OnError {
    pub(crate) fn into_core(self) -> pivotal_core::OnError {
        match self {
            OnError::Stop => pivotal_core::OnError::Stop,
            OnError::Skip => pivotal_core::OnError::Skip,
        }
    }
}

/// An item an import left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportItemError {
    /// Its index among the input's items, from 0.
    pub index: u64,
    /// The line its JSON text ends on, from 1.
    pub line: Option<u64>,
    /// Its error, as the API would answer it (the message without the position).
    pub error: ErrorInfo,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportSummary {
    /// Records inserted (ids, display ids and timestamps as given).
    pub created: u64,
    /// Records replaced by a newer version.
    pub updated: u64,
    /// Items that changed nothing (not newer, identical, or deleted here).
    pub unchanged: u64,
    /// Items left out for their errors (`OnError.SKIP`).
    pub skipped: u64,
    /// The first 100 skipped items' errors, in input order.
    pub errors: Vec<ImportItemError>,
}

impl ImportSummary {
    pub(crate) fn from_core(s: pivotal_core::ImportSummary) -> Self {
        let errors = s
            .errors
            .into_iter()
            .map(|e| ImportItemError {
                index: e.position.index as u64,
                line: e.position.line.map(|l| l as u64),
                error: PivotalError::from(e.error).parts(),
            })
            .collect();
        Self {
            created: s.created,
            updated: s.updated,
            unchanged: s.unchanged,
            skipped: s.skipped,
            errors,
        }
    }
}

/// Which list an export writes, with the list's own filters (`limit` is the page size it reads
/// with; every page is exported).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ExportList {
    /// `list_customers`.
    Customers { params: CustomerListParams },
    /// The contacts of one customer (id or display id), or of every customer when `None`.
    Contacts { customer: Option<String> },
    /// `list_onboardings`.
    Onboardings { params: OnboardingListParams },
    /// `list_events`, in sequence order.
    Events { params: EventListParams },
}

impl ExportList {
    pub(crate) fn into_core(self) -> pivotal_core::ExportList {
        match self {
            ExportList::Customers { params } => {
                pivotal_core::ExportList::Customers(params.into_core())
            }
            ExportList::Contacts { customer } => pivotal_core::ExportList::Contacts(customer),
            ExportList::Onboardings { params } => {
                pivotal_core::ExportList::Onboardings(params.into_core())
            }
            ExportList::Events { params } => pivotal_core::ExportList::Events(params.into_core()),
        }
    }
}

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, uniffi::Enum)]
pub enum ExportFormat {
    /// One JSON object per line, each the API's JSON (default).
    #[default]
    Ndjson,
    /// One list envelope (`has_more: false`, `next_cursor: null`).
    Json,
    /// Comma-separated values with a header row of the field names.
    Csv,
}

impl ExportFormat {
    pub(crate) fn into_core(self) -> pivotal_core::ExportFormat {
        match self {
            ExportFormat::Ndjson => pivotal_core::ExportFormat::Ndjson,
            ExportFormat::Json => pivotal_core::ExportFormat::Json,
            ExportFormat::Csv => pivotal_core::ExportFormat::Csv,
        }
    }
}
