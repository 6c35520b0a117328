//! Every operation of the API as its REST route under `/api/v1` (docs/reference.md, HTTP): each
//! handler reads the request's parts and calls the one library operation; the core parses,
//! validates and decides.

use crate::app::{blocking, run, AppState, Caller, IdempotencyKey, JsonBody, Params, Ref};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use pivotal_core::model::time::parse_instant;
use pivotal_core::{query, wire, Error, ErrorCode, Page, Pivotal, Result};
use serde::Serialize;
use serde_json::{json, Value};

const OK: StatusCode = StatusCode::OK;
const CREATED: StatusCode = StatusCode::CREATED;

/// A request's decoded query string.
type Query = [(String, String)];

/// The routes of `/api/v1`, without the middleware. `/customers/` (and the others) name the
/// record whose reference is empty: the library answers `customer_not_found`, as for any other.
pub fn api(state: AppState) -> Router {
    let customer = record(
        |db, id| db.customers().retrieve(id),
        |db, id, body| db.customers().update(id, wire::customer_patch(body)?),
        |db, id| db.customers().delete(id),
    );
    let contact = record(
        |db, id| db.contacts().retrieve(id),
        |db, id, body| db.contacts().update(id, wire::contact_patch(body)?),
        |db, id| db.contacts().delete(id),
    );
    let onboarding = record(
        |db, id| db.onboardings().retrieve(id),
        |db, id, body| db.onboardings().update(id, wire::onboarding_patch(body)?),
        |db, id| db.onboardings().delete(id),
    );
    let v1 = Router::new()
        .route("/health", get(health))
        .route(
            "/me",
            read(|db, q| {
                query::none(q)?;
                db.me()
            }),
        )
        .route(
            "/customers",
            read(|db, q| db.customers().list(&query::customers(q)?)).merge(create(
                |db, body, key| db.customers().create(wire::customer_params(body)?, key),
            )),
        )
        .route("/customers/{id}", customer.clone())
        .route("/customers/", customer)
        .route(
            "/customers/{id}/contacts",
            read_of(|db, id, q| db.contacts().list(id, &query::paging(q)?)).merge(create_in(
                |db, id, body, key| db.contacts().create(id, wire::contact_params(body)?, key),
            )),
        )
        .route(
            "/customers/{id}/onboardings",
            read_of(|db, id, q| {
                query::none(q)?;
                db.onboardings().list_for_customer(id)
            }),
        )
        .route(
            "/customers/{id}/timeline",
            read_of(|db, id, q| db.customers().timeline(id, &query::paging(q)?)),
        )
        .route("/contacts/{id}", contact.clone())
        .route("/contacts/", contact)
        .route(
            "/onboardings",
            read(|db, q| db.onboardings().list(&query::onboardings(q)?)).merge(create(
                |db, body, key| db.onboardings().create(wire::onboarding_params(body)?, key),
            )),
        )
        .route("/onboardings/{id}", onboarding.clone())
        .route("/onboardings/", onboarding)
        .route(
            "/onboardings/{id}/transitions",
            get(onboardings_transitions),
        )
        .route(
            "/onboardings/{id}/analytics",
            read_of(|db, id, q| db.analytics().onboarding(id, query::as_of(q)?)),
        )
        .route(
            "/analytics",
            read(|db, q| db.analytics().workspace(&query::workspace_report(q)?)),
        )
        .route(
            "/events",
            read(|db, q| db.events().list(&query::events(q)?)),
        )
        .route("/api_keys", get(api_keys_list).post(api_keys_create))
        .route("/api_keys/{id}/revoke", post(api_keys_revoke))
        .route("/workspaces", get(workspaces_list).post(workspaces_create))
        .route("/import", post(import))
        .route("/test_helpers/clock", get(clock_get).post(clock_move))
        .route("/openapi.json", get(crate::openapi::serve));
    Router::new()
        .nest("/api/v1", v1)
        .fallback(route_not_found)
        .method_not_allowed_fallback(route_not_found)
        .with_state(state)
}

/// 404 `route_not_found`: no such path, or no such method on it.
pub async fn route_not_found(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let path = uri.path();
    let shown: String = path.chars().take(200).collect();
    crate::app::error_response(&Error::new(
        ErrorCode::RouteNotFound,
        format!("no route {method} {shown}"),
    ))
}

/// A whole list (transitions, keys, workspaces) in the list envelope.
fn all<T>(data: Vec<T>) -> Page<T> {
    Page {
        data,
        has_more: false,
        next_cursor: None,
    }
}

// The shapes most routes share: each takes the library operation, which runs in the caller's
// session (`run`) and reads the request's parts as the core reads them.

/// `GET`, `PATCH` and `DELETE` of one record by its reference (`/customers/{id}`, …).
fn record<T, D>(
    retrieve: fn(&Pivotal, &str) -> Result<T>,
    update: fn(&Pivotal, &str, &Value) -> Result<T>,
    delete: fn(&Pivotal, &str) -> Result<D>,
) -> MethodRouter<AppState>
where
    T: Serialize + Send + 'static,
    D: Serialize + Send + 'static,
{
    get(
        move |State(s): State<AppState>, c: Caller, Ref(id): Ref| async move {
            run(&s, c, OK, move |db| retrieve(db, &id)).await
        },
    )
    .patch(
        move |State(s): State<AppState>, c: Caller, Ref(id): Ref, body: JsonBody| async move {
            run(&s, c, OK, move |db| update(db, &id, &body.value()?)).await
        },
    )
    .delete(
        move |State(s): State<AppState>, c: Caller, Ref(id): Ref| async move {
            run(&s, c, OK, move |db| delete(db, &id)).await
        },
    )
}

/// `GET` of a collection or a report, read from the query string.
fn read<T: Serialize + Send + 'static>(
    op: fn(&Pivotal, &Query) -> Result<T>,
) -> MethodRouter<AppState> {
    get(
        move |State(s): State<AppState>, c: Caller, Params(q): Params| async move {
            run(&s, c, OK, move |db| op(db, &q)).await
        },
    )
}

/// `GET` of what belongs to a record (`/customers/{id}/timeline`, …), with a query string.
fn read_of<T: Serialize + Send + 'static>(
    op: fn(&Pivotal, &str, &Query) -> Result<T>,
) -> MethodRouter<AppState> {
    get(
        move |State(s): State<AppState>, c: Caller, Ref(id): Ref, Params(q): Params| async move {
            run(&s, c, OK, move |db| op(db, &id, &q)).await
        },
    )
}

/// `POST` of a create (201) from the JSON body, with its `Idempotency-Key`.
fn create<T: Serialize + Send + 'static>(
    op: fn(&Pivotal, &Value, Option<&str>) -> Result<T>,
) -> MethodRouter<AppState> {
    post(
        move |State(s): State<AppState>,
              c: Caller,
              IdempotencyKey(key): IdempotencyKey,
              body: JsonBody| async move {
            run(&s, c, CREATED, move |db| {
                op(db, &body.value()?, key.as_deref())
            })
            .await
        },
    )
}

/// `POST` of a create under a record (`/customers/{id}/contacts`).
fn create_in<T: Serialize + Send + 'static>(
    op: fn(&Pivotal, &str, &Value, Option<&str>) -> Result<T>,
) -> MethodRouter<AppState> {
    post(
        move |State(s): State<AppState>,
              c: Caller,
              Ref(id): Ref,
              IdempotencyKey(key): IdempotencyKey,
              body: JsonBody| async move {
            run(&s, c, CREATED, move |db| {
                op(db, &id, &body.value()?, key.as_deref())
            })
            .await
        },
    )
}

async fn health(State(s): State<AppState>, Params(q): Params) -> Response {
    let db = s.0.db.clone();
    blocking(move || {
        query::none(&q)?;
        Ok((OK, db.health()?))
    })
    .await
}

async fn onboardings_transitions(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    run(&s, c, OK, move |db| {
        db.onboardings().transitions(&id).map(all)
    })
    .await
}

async fn api_keys_list(State(s): State<AppState>, c: Caller) -> Response {
    run(&s, c, OK, move |db| db.api_keys().list().map(all)).await
}

async fn api_keys_create(State(s): State<AppState>, c: Caller, body: JsonBody) -> Response {
    run(&s, c, CREATED, move |db| {
        db.api_keys().create(&wire::api_key_name(&body.value()?)?)
    })
    .await
}

async fn api_keys_revoke(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    let state = s.clone();
    run(&s, c, OK, move |db| {
        let key = db.api_keys().revoke(&id)?;
        state.keys().evict_key(&key.id);
        Ok(key)
    })
    .await
}

async fn workspaces_list(State(s): State<AppState>, c: Caller) -> Response {
    run(&s, c, OK, move |db| db.workspaces().list().map(all)).await
}

async fn workspaces_create(State(s): State<AppState>, c: Caller, body: JsonBody) -> Response {
    run(&s, c, CREATED, move |db| {
        let (name, slug) = wire::workspace_params(&body.value()?)?;
        db.workspaces().create(&name, slug.as_deref())
    })
    .await
}

async fn import(
    State(s): State<AppState>,
    c: Caller,
    Params(q): Params,
    body: JsonBody,
) -> Response {
    run(&s, c, OK, move |db| {
        let options = query::import(&q)?;
        if !body.is_json() {
            body.value()?; // the content-type error
        }
        Ok(db.import_json(body.text()?.as_bytes(), &options)?.to_json())
    })
    .await
}

/// `{"object":"test_clock","now"}`: the fixed clock's instant.
fn clock_json(now: pivotal_core::Timestamp) -> Value {
    json!({"object": "test_clock", "now": pivotal_core::model::time::format(&now)})
}

fn no_clock() -> Error {
    Error::new(
        ErrorCode::RouteNotFound,
        "the test clock exists only on a server started with --clock",
    )
}

async fn clock_get(State(s): State<AppState>) -> Response {
    blocking(move || {
        let clock = s.0.clock.as_ref().ok_or_else(no_clock)?;
        Ok((OK, clock_json(pivotal_core::model::Clock::now(&**clock))))
    })
    .await
}

/// Moves the test clock: `{"at": RFC 3339}` sets it, `{"ms": n}` moves it by n milliseconds.
async fn clock_move(State(s): State<AppState>, body: JsonBody) -> Response {
    blocking(move || {
        let clock = s.0.clock.as_ref().ok_or_else(no_clock)?;
        let body = body.value()?;
        let fields = body
            .as_object()
            .ok_or_else(|| Error::new(ErrorCode::InvalidType, "the body must be a JSON object"))?;
        if let Some(k) = fields.keys().find(|k| *k != "at" && *k != "ms") {
            return Err(Error::field(
                ErrorCode::UnknownField,
                k.as_str(),
                format!("unknown field `{k}`"),
            ));
        }
        match (fields.get("at"), fields.get("ms")) {
            (Some(at), None) => {
                let at = at.as_str().and_then(parse_instant).ok_or_else(|| {
                    Error::field(
                        ErrorCode::InvalidTimestamp,
                        "at",
                        "`at` must be an RFC 3339 instant",
                    )
                })?;
                clock.try_set(at)?;
            }
            (None, Some(ms)) => {
                let ms = ms.as_i64().ok_or_else(|| {
                    Error::field(ErrorCode::InvalidType, "ms", "`ms` must be an integer")
                })?;
                clock.try_advance_ms(ms)?;
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::ConflictingFields,
                    "give exactly one of `at` and `ms`",
                ))
            }
        }
        Ok((OK, clock_json(pivotal_core::model::Clock::now(&**clock))))
    })
    .await
}
