//! Export: any list, every page of it, written to a [`Write`] as NDJSON, one list envelope, or
//! CSV (docs/reference.md#import-and-export).
//!
//! NDJSON and the envelope are byte-for-byte the API's JSON of each record (the envelope is the
//! one page the list would be with no limit: `has_more: false`, `next_cursor: null`). CSV has a
//! header row of the records' field names in wire order and one row per record: strings as they
//! are, `null` empty, numbers and booleans as JSON writes them, objects and lists (metadata,
//! labels, an event's data) as JSON text, timestamps as the API's RFC 3339; an empty list writes
//! nothing, not even a header. Pages are read one at a time (each its own read transaction, as a
//! client paging the API would), so memory stays at one page whatever the list's size.

use super::{CustomerListParams, EventListParams, ListParams, OnboardingListParams, Pivotal};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Page;
use serde::Serialize;
use std::io::Write;

mod row;

/// The page size an export reads with unless the list's `limit` says otherwise.
const PAGE: i64 = 100;

/// Which list to export, with the list's own filters. `limit` is the page size an export reads
/// with (default 100) and `cursor` where it starts; every page after it is exported.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportList {
    /// `customers.list`.
    Customers(CustomerListParams),
    /// `contacts.list` of one customer (id or display id), or of every customer in customer list
    /// order when `None`.
    Contacts(Option<String>),
    /// `onboardings.list`.
    Onboardings(OnboardingListParams),
    /// `events.list`, in sequence order.
    Events(EventListParams),
}

/// How an export is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object per line (the default).
    #[default]
    Ndjson,
    /// One list envelope, `{"object":"list","data":[…],"has_more":false,"next_cursor":null}`.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

impl Pivotal {
    /// Writes every record of `list` to `out` in `format`; returns how many it wrote.
    ///
    /// ```
    /// use pivotal_core::{CustomerParams, ExportFormat, ExportList, Pivotal};
    ///
    /// let db = Pivotal::open_in_memory()?;
    /// db.customers().create(CustomerParams { name: "Acme".into(), ..Default::default() }, None)?;
    /// let mut out = Vec::new();
    /// let list = ExportList::Customers(Default::default());
    /// assert_eq!(db.export(&list, ExportFormat::Ndjson, &mut out)?, 1);
    /// let copy = Pivotal::open_in_memory()?;
    /// copy.import_json(&out[..], &Default::default())?;
    /// assert_eq!(copy.customers().retrieve("1")?, db.customers().retrieve("1")?);
    /// # Ok::<(), pivotal_core::Error>(())
    /// ```
    pub fn export<W: Write>(&self, list: &ExportList, format: ExportFormat, out: W) -> Result<u64> {
        let mut writer = Writer::new(format, out);
        match list {
            ExportList::Customers(params) => walk(
                params.limit,
                params.cursor.clone(),
                &mut writer,
                |limit, cursor| {
                    self.customers().list(&CustomerListParams {
                        limit,
                        cursor,
                        ..params.clone()
                    })
                },
            )?,
            ExportList::Contacts(Some(customer)) => {
                self.export_contacts(customer, &mut writer)?;
            }
            ExportList::Contacts(None) => {
                let mut customers = Vec::new();
                walk(
                    Some(PAGE),
                    None,
                    &mut IdsOf(&mut customers),
                    |limit, cursor| {
                        self.customers().list(&CustomerListParams {
                            limit,
                            cursor,
                            ..Default::default()
                        })
                    },
                )?;
                for customer in customers {
                    self.export_contacts(&customer, &mut writer)?;
                }
            }
            ExportList::Onboardings(params) => walk(
                params.limit,
                params.cursor.clone(),
                &mut writer,
                |limit, cursor| {
                    self.onboardings().list(&OnboardingListParams {
                        limit,
                        cursor,
                        ..params.clone()
                    })
                },
            )?,
            ExportList::Events(params) => {
                let mut after = params.after_sequence;
                loop {
                    let page = self.events().list(&EventListParams {
                        after_sequence: after,
                        limit: params.limit.or(Some(PAGE)),
                        ..params.clone()
                    })?;
                    after = page.data.last().map(|e| e.sequence).or(after);
                    for event in &page.data {
                        writer.record(event)?;
                    }
                    if !page.has_more {
                        break;
                    }
                }
            }
        }
        writer.finish()
    }

    fn export_contacts<W: Write>(&self, customer: &str, writer: &mut Writer<W>) -> Result<()> {
        walk(Some(PAGE), None, writer, |limit, cursor| {
            self.contacts()
                .list(customer, &ListParams { limit, cursor })
        })
    }
}

/// Where the records of a walk go.
trait Sink {
    fn record<T: Serialize + HasId>(&mut self, record: &T) -> Result<()>;
}

/// Records that have an id (to collect the customers whose contacts are exported).
trait HasId {
    fn id(&self) -> &str;
}

impl HasId for crate::model::Customer {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for crate::model::Contact {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for crate::model::Onboarding {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for crate::model::Event {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Collects ids.
struct IdsOf<'a>(&'a mut Vec<String>);

impl Sink for IdsOf<'_> {
    fn record<T: Serialize + HasId>(&mut self, record: &T) -> Result<()> {
        self.0.push(record.id().to_owned());
        Ok(())
    }
}

/// Reads every page from `cursor` on, `limit` records each, into `sink`.
fn walk<T: Serialize + HasId, S: Sink>(
    limit: Option<i64>,
    mut cursor: Option<String>,
    sink: &mut S,
    mut page: impl FnMut(Option<i64>, Option<String>) -> Result<Page<T>>,
) -> Result<()> {
    let limit = limit.or(Some(PAGE));
    loop {
        let p = page(limit, cursor.take())?;
        for record in &p.data {
            sink.record(record)?;
        }
        match p.next_cursor {
            Some(next) if p.has_more => cursor = Some(next),
            _ => return Ok(()),
        }
    }
}

/// Writes records in one format.
struct Writer<W: Write> {
    format: ExportFormat,
    out: Option<W>,
    csv: Option<csv::Writer<W>>,
    row: row::Row,
    count: u64,
}

impl<W: Write> Writer<W> {
    fn new(format: ExportFormat, out: W) -> Self {
        Self {
            format,
            out: Some(out),
            csv: None,
            row: row::Row::default(),
            count: 0,
        }
    }

    fn out(&mut self) -> Result<&mut W> {
        self.out
            .as_mut()
            .ok_or_else(|| Error::internal("the export's output was handed to the CSV writer"))
    }

    fn finish(mut self) -> Result<u64> {
        match self.format {
            ExportFormat::Json => {
                if self.count == 0 {
                    self.out()?
                        .write_all(br#"{"object":"list","data":["#)
                        .map_err(write_error)?;
                }
                self.out()?
                    .write_all(br#"],"has_more":false,"next_cursor":null}"#)
                    .map_err(write_error)?;
                self.out()?.flush().map_err(write_error)?;
            }
            ExportFormat::Ndjson => self.out()?.flush().map_err(write_error)?,
            ExportFormat::Csv => match &mut self.csv {
                Some(csv) => csv.flush().map_err(write_error)?,
                None => self.out()?.flush().map_err(write_error)?,
            },
        }
        Ok(self.count)
    }
}

impl<W: Write> Sink for Writer<W> {
    fn record<T: Serialize + HasId>(&mut self, record: &T) -> Result<()> {
        let first = self.count == 0;
        self.count += 1;
        match self.format {
            ExportFormat::Ndjson => {
                let out = self.out()?;
                serde_json::to_writer(&mut *out, record).map_err(json_error)?;
                out.write_all(b"\n").map_err(write_error)
            }
            ExportFormat::Json => {
                let out = self.out()?;
                let lead: &[u8] = if first {
                    br#"{"object":"list","data":["#
                } else {
                    b","
                };
                out.write_all(lead).map_err(write_error)?;
                serde_json::to_writer(out, record).map_err(json_error)
            }
            ExportFormat::Csv => {
                self.row
                    .fill(record)
                    .map_err(|e| Error::internal(format!("a CSV row: {e}")))?;
                if self.csv.is_none() {
                    let out = self
                        .out
                        .take()
                        .ok_or_else(|| Error::internal("no output"))?;
                    let mut csv = csv::Writer::from_writer(out);
                    csv.write_record(&self.row.names).map_err(csv_error)?;
                    self.csv = Some(csv);
                }
                let csv = self.csv.as_mut().ok_or_else(|| Error::internal("no CSV"))?;
                csv.write_byte_record(&self.row.cells).map_err(csv_error)
            }
        }
    }
}

fn write_error(e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::StorageUnavailable,
        format!("the export could not be written: {e}"),
    )
}

fn json_error(e: serde_json::Error) -> Error {
    if e.is_io() {
        return Error::new(
            ErrorCode::StorageUnavailable,
            format!("the export could not be written: {e}"),
        );
    }
    Error::internal(format!("serialising: {e}"))
}

fn csv_error(e: csv::Error) -> Error {
    Error::new(
        ErrorCode::StorageUnavailable,
        format!("the export could not be written: {e}"),
    )
}
