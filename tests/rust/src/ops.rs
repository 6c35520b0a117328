//! The step interpreter: runs one step's operation on the library and checks its outcome.

use crate::matching::{matches, substitute, Saved};
use pivotal_core::model::time::parse_instant;
use pivotal_core::{
    wire, CustomerListParams, Error, EventListParams, FixedClock, ImportOptions, ImportSummary,
    ListParams, OnError, OnboardingListParams, Page, Pivotal, WorkspaceReportParams,
};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::str::FromStr;
use std::sync::Arc;

/// What an operation produced: its wire JSON, or the library's error.
type Outcome = Result<Value, Error>;

const STEP_KEYS: &[&str] = &[
    "op",
    "ref",
    "secret",
    "customer",
    "params",
    "idempotency_key",
    "save",
    "expect",
    "error",
    "at",
    "ms",
    "livemode",
    "actor",
];

/// A running scenario: the session, its clock and the saved results.
pub struct Runner {
    db: Pivotal,
    clock: Arc<FixedClock>,
    saved: Saved,
}

/// The error as the scenario files describe it: `{type, code, message, field}` (`field` null if none).
pub fn error_json(e: &Error) -> Value {
    json!({"type": e.error_type().as_str(), "code": e.code.as_str(), "message": e.message, "field": e.field})
}

/// An import's summary as the scenario files describe it: the counts, and each listed error as
/// `{index, error: {type, code, message, field}}` (no line: items are given as values).
pub fn summary_json(s: &ImportSummary) -> Value {
    let errors: Vec<Value> = s
        .errors
        .iter()
        .map(|e| json!({"index": e.position.index, "error": error_json(&e.error)}))
        .collect();
    json!({"object": "import_summary", "created": s.created, "updated": s.updated,
           "unchanged": s.unchanged, "skipped": s.skipped, "errors": errors})
}

fn wire_json<T: Serialize>(result: pivotal_core::Result<T>) -> Result<Outcome, String> {
    match result {
        Ok(v) => serde_json::to_value(v)
            .map(Ok)
            .map_err(|e| format!("serialising the result: {e}")),
        Err(e) => Ok(Err(e)),
    }
}

impl Runner {
    /// A runner over an open session whose clock is `clock`.
    pub fn new(db: Pivotal, clock: Arc<FixedClock>) -> Self {
        Self {
            db,
            clock,
            saved: Saved::new(),
        }
    }

    /// Runs one step: substitutes references, runs the operation, checks `expect`/`error`, saves.
    pub fn step(&mut self, step: &Value) -> Result<(), String> {
        let raw = step.as_object().ok_or("a step must be an object")?;
        if let Some(k) = raw.keys().find(|k| !STEP_KEYS.contains(&k.as_str())) {
            return Err(format!("unknown step key `{k}`"));
        }
        let mut args = Map::new();
        for (k, v) in raw
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "expect" | "error"))
        {
            args.insert(k.clone(), substitute(v, &self.saved)?);
        }
        let op = args
            .get("op")
            .and_then(Value::as_str)
            .ok_or("`op` is missing")?
            .to_owned();
        let outcome = self.run(&op, &Args(&args))?;
        let (result, want) = match (outcome, raw.get("error")) {
            (Ok(v), None) => (v, raw.get("expect")),
            (Err(e), Some(want)) => (error_json(&e), Some(want)),
            (Ok(v), Some(want)) => return Err(format!("expected error {want}, got success: {v}")),
            (Err(e), None) => return Err(format!("unexpected error: {}", error_json(&e))),
        };
        if let Some(want) = want {
            matches(want, &result, &self.saved)
                .map_err(|why| format!("{why}\n    expected: {want}\n    actual:   {result}"))?;
        }
        if let Some(name) = raw.get("save").and_then(Value::as_str) {
            self.saved.insert(name.to_owned(), result);
        }
        Ok(())
    }

    fn run(&mut self, op: &str, a: &Args) -> Result<Outcome, String> {
        let db = &self.db;
        let body = a.body();
        let key = a.opt_str("idempotency_key")?;
        match op {
            "health" => wire_json(db.health()),
            "me" => wire_json(db.me()),
            "workspaces.create" => {
                let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
                let slug = body.get("slug").and_then(Value::as_str);
                wire_json(db.workspaces().create(name, slug))
            }
            "workspaces.list" => wire_json(db.workspaces().list()),
            "session.workspace" => match db.with_workspace(&a.reference("ref")?) {
                Ok(next) => {
                    self.db = next;
                    wire_json(self.db.me())
                }
                Err(e) => Ok(Err(e)),
            },
            "session.authenticate" => {
                let secret = a.opt_str("secret")?.ok_or("`secret` is missing")?;
                match db.authenticate(secret) {
                    Ok(next) => {
                        self.db = next;
                        wire_json(self.db.me())
                    }
                    Err(e) => Ok(Err(e)),
                }
            }
            "api_keys.create" => {
                let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
                wire_json(db.api_keys().create(name))
            }
            "api_keys.list" => wire_json(db.api_keys().list()),
            "api_keys.revoke" => wire_json(db.api_keys().revoke(&a.reference("ref")?)),
            "customers.create" => {
                wire_json(wire::customer_params(&body).and_then(|p| db.customers().create(p, key)))
            }
            "customers.retrieve" => wire_json(db.customers().retrieve(&a.reference("ref")?)),
            "customers.update" => {
                let r = a.reference("ref")?;
                wire_json(wire::customer_patch(&body).and_then(|p| db.customers().update(&r, p)))
            }
            "customers.delete" => wire_json(db.customers().delete(&a.reference("ref")?)),
            "customers.list" => wire_json(db.customers().list(&customer_query(&body)?)),
            "customers.list_all" => {
                let q = customer_query(&body)?;
                walk(|cursor| {
                    db.customers().list(&CustomerListParams {
                        cursor,
                        ..q.clone()
                    })
                })
            }
            "customers.timeline" => wire_json(
                db.customers()
                    .timeline(&a.reference("ref")?, &paging_query(&body)?),
            ),
            "contacts.create" => {
                let c = a.reference("customer")?;
                wire_json(
                    wire::contact_params(&body).and_then(|p| db.contacts().create(&c, p, key)),
                )
            }
            "contacts.retrieve" => wire_json(db.contacts().retrieve(&a.reference("ref")?)),
            "contacts.update" => {
                let r = a.reference("ref")?;
                wire_json(wire::contact_patch(&body).and_then(|p| db.contacts().update(&r, p)))
            }
            "contacts.delete" => wire_json(db.contacts().delete(&a.reference("ref")?)),
            "contacts.list" => wire_json(
                db.contacts()
                    .list(&a.reference("customer")?, &paging_query(&body)?),
            ),
            "contacts.list_all" => {
                let (c, q) = (a.reference("customer")?, paging_query(&body)?);
                walk(|cursor| {
                    db.contacts().list(
                        &c,
                        &ListParams {
                            cursor,
                            ..q.clone()
                        },
                    )
                })
            }
            "onboardings.create" => wire_json(
                wire::onboarding_params(&body).and_then(|p| db.onboardings().create(p, key)),
            ),
            "onboardings.retrieve" => wire_json(db.onboardings().retrieve(&a.reference("ref")?)),
            "onboardings.update" => {
                let r = a.reference("ref")?;
                wire_json(
                    wire::onboarding_patch(&body).and_then(|p| db.onboardings().update(&r, p)),
                )
            }
            "onboardings.delete" => wire_json(db.onboardings().delete(&a.reference("ref")?)),
            "onboardings.list" => wire_json(db.onboardings().list(&onboarding_query(&body)?)),
            "onboardings.list_all" => {
                let q = onboarding_query(&body)?;
                walk(|cursor| {
                    db.onboardings().list(&OnboardingListParams {
                        cursor,
                        ..q.clone()
                    })
                })
            }
            "onboardings.list_for_customer" => wire_json(
                db.onboardings()
                    .list_for_customer(&a.reference("customer")?),
            ),
            "onboardings.transitions" => {
                wire_json(db.onboardings().transitions(&a.reference("ref")?))
            }
            "events.list" => wire_json(db.events().list(&event_query(&body)?)),
            "analytics.onboarding" => {
                let q = Query::new(&body, &["as_of"])?;
                let as_of = q.instant("as_of")?;
                wire_json(db.analytics().onboarding(&a.reference("ref")?, as_of))
            }
            "analytics.workspace" => wire_json(db.analytics().workspace(&report_query(&body)?)),
            "import" => {
                let q = Query::new(&body, &["items", "on_error", "chunk_size"])?;
                let items = q
                    .get("items")
                    .and_then(Value::as_array)
                    .ok_or("`params.items` must be an array of wire objects")?
                    .clone();
                let on_error = match q.string("on_error")?.as_deref() {
                    None | Some("stop") => OnError::Stop,
                    Some("skip") => OnError::Skip,
                    Some(other) => return Err(format!("`on_error`: {other}")),
                };
                let defaults = ImportOptions::default();
                let options = ImportOptions {
                    on_error,
                    chunk_size: q
                        .int("chunk_size")?
                        .map_or(defaults.chunk_size, |n| n.max(1) as usize),
                    ..defaults
                };
                Ok(db.import_values(items, &options).map(|s| summary_json(&s)))
            }
            "clock.set" => {
                let at = a.opt_str("at")?.ok_or("`at` is missing")?;
                let at = parse_instant(at)
                    .ok_or_else(|| format!("`at`: not an RFC 3339 instant: {at}"))?;
                Ok(self.clock.try_set(at).map(|()| Value::Null))
            }
            "clock.advance" => {
                let ms =
                    a.0.get("ms")
                        .and_then(Value::as_i64)
                        .ok_or("`ms` must be an integer")?;
                Ok(self.clock.try_advance_ms(ms).map(|()| Value::Null))
            }
            "session.set" => {
                let mut next = self.db.clone();
                if let Some(live) = a.0.get("livemode") {
                    match next.with_livemode(live.as_bool().ok_or("`livemode` must be a boolean")?)
                    {
                        Ok(db) => next = db,
                        Err(e) => return Ok(Err(e)),
                    }
                }
                if let Some(actor) = a.opt_str("actor")? {
                    match next.with_actor(actor) {
                        Ok(db) => next = db,
                        Err(e) => return Ok(Err(e)),
                    }
                }
                self.db = next;
                Ok(Ok(Value::Null))
            }
            other => Err(format!("unknown op `{other}`")),
        }
    }
}

/// Follows `next_cursor` from the first page to the last, collecting every record.
fn walk<T: Serialize>(
    mut page: impl FnMut(Option<String>) -> pivotal_core::Result<Page<T>>,
) -> Result<Outcome, String> {
    let (mut all, mut cursor) = (Vec::new(), None);
    for _ in 0..10_000 {
        let p = match page(cursor) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        for record in p.data {
            all.push(serde_json::to_value(record).map_err(|e| e.to_string())?);
        }
        if !p.has_more {
            return Ok(Ok(Value::Array(all)));
        }
        cursor = Some(
            p.next_cursor
                .ok_or("`has_more` is true but `next_cursor` is null")?,
        );
    }
    Err("the walk did not end after 10000 pages".into())
}

/// The step's arguments, references already substituted.
struct Args<'a>(&'a Map<String, Value>);

impl Args<'_> {
    /// A record reference: a string, or an integer display id.
    fn reference(&self, key: &str) -> Result<String, String> {
        match self.0.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
            other => Err(format!(
                "`{key}` must be a string or an integer, not {other:?}"
            )),
        }
    }

    fn opt_str(&self, key: &str) -> Result<Option<&str>, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{key}` must be a string, not {other}")),
        }
    }

    /// The request body or query (`{}` when absent).
    fn body(&self) -> Value {
        self.0.get("params").cloned().unwrap_or_else(|| json!({}))
    }
}

/// A list's query parameters, restricted to `accepted` names; `null` counts as absent.
struct Query<'a>(&'a Map<String, Value>);

impl<'a> Query<'a> {
    fn new(body: &'a Value, accepted: &[&str]) -> Result<Self, String> {
        let map = body.as_object().ok_or("list `params` must be an object")?;
        match map.keys().find(|k| !accepted.contains(&k.as_str())) {
            Some(k) => Err(format!("unknown list parameter `{k}`")),
            None => Ok(Self(map)),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    fn int(&self, key: &str) -> Result<Option<i64>, String> {
        self.get(key)
            .map(|v| v.as_i64().ok_or(format!("`{key}` must be an integer")))
            .transpose()
    }

    fn string(&self, key: &str) -> Result<Option<String>, String> {
        self.get(key)
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(format!("`{key}` must be a string")),
            })
            .transpose()
    }

    fn number(&self, key: &str) -> Result<Option<f64>, String> {
        self.get(key)
            .map(|v| v.as_f64().ok_or(format!("`{key}` must be a number")))
            .transpose()
    }

    fn instant(&self, key: &str) -> Result<Option<pivotal_core::Timestamp>, String> {
        self.string(key)?
            .map(|s| parse_instant(&s).ok_or(format!("`{key}`: not an RFC 3339 instant: {s}")))
            .transpose()
    }

    fn parsed<T: FromStr>(&self, key: &str) -> Result<Option<T>, String> {
        let parse = |s: String| {
            s.parse()
                .map_err(|_| format!("`{key}`: unknown value `{s}`"))
        };
        self.string(key)?.map(parse).transpose()
    }
}

fn paging_query(body: &Value) -> Result<ListParams, String> {
    let q = Query::new(body, &["limit", "cursor"])?;
    Ok(ListParams {
        limit: q.int("limit")?,
        cursor: q.string("cursor")?,
    })
}

fn customer_query(body: &Value) -> Result<CustomerListParams, String> {
    let q = Query::new(body, &["status", "slug", "limit", "cursor"])?;
    Ok(CustomerListParams {
        status: q.parsed("status")?,
        slug: q.string("slug")?,
        limit: q.int("limit")?,
        cursor: q.string("cursor")?,
    })
}

fn onboarding_query(body: &Value) -> Result<OnboardingListParams, String> {
    let q = Query::new(body, &["customer_id", "phase", "state", "limit", "cursor"])?;
    Ok(OnboardingListParams {
        customer_id: q.string("customer_id")?,
        phase: q.parsed("phase")?,
        state: q.parsed("state")?,
        limit: q.int("limit")?,
        cursor: q.string("cursor")?,
    })
}

fn report_query(body: &Value) -> Result<WorkspaceReportParams, String> {
    let q = Query::new(
        body,
        &[
            "as_of",
            "customer_id",
            "csm_id",
            "template_id",
            "stalled_after_days",
        ],
    )?;
    Ok(WorkspaceReportParams {
        as_of: q.instant("as_of")?,
        customer_id: q.string("customer_id")?,
        csm_id: q.string("csm_id")?,
        template_id: q.string("template_id")?,
        stalled_after_days: q.number("stalled_after_days")?,
    })
}

fn event_query(body: &Value) -> Result<EventListParams, String> {
    let q = Query::new(body, &["after_sequence", "types", "object_id", "limit"])?;
    let types = match q.get("types") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| {
                t.as_str()
                    .and_then(|s| s.parse().ok())
                    .ok_or(format!("`types`: unknown event type {t}"))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(format!("`types` must be an array, not {other}")),
    };
    Ok(EventListParams {
        after_sequence: q.int("after_sequence")?,
        types,
        object_id: q.string("object_id")?,
        limit: q.int("limit")?,
    })
}
