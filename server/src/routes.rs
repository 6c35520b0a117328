//! Every operation of the API as its REST route under `/api/v1` (docs/reference.md, HTTP): each
//! handler reads the request's parts and calls the one library operation; the core parses,
//! validates and decides.

use crate::app::{blocking, run, AppState, Caller, IdempotencyKey, JsonBody, Params, Ref};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use pivotal_core::model::time::parse_instant;
use pivotal_core::{query, wire, Error, ErrorCode, Page};
use serde_json::{json, Value};

const OK: StatusCode = StatusCode::OK;
const CREATED: StatusCode = StatusCode::CREATED;

/// The routes of `/api/v1`, without the middleware. `/customers/` (and the others) name the
/// record whose reference is empty: the library answers `customer_not_found`, as for any other.
pub fn api(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/health", get(health))
        .route("/me", get(me))
        .route("/customers", get(customers_list).post(customers_create))
        .route(
            "/customers/{id}",
            get(customers_retrieve)
                .patch(customers_update)
                .delete(customers_delete),
        )
        .route(
            "/customers/",
            get(customers_retrieve)
                .patch(customers_update)
                .delete(customers_delete),
        )
        .route(
            "/customers/{id}/contacts",
            get(contacts_list).post(contacts_create),
        )
        .route("/customers/{id}/onboardings", get(onboardings_for_customer))
        .route("/customers/{id}/timeline", get(customers_timeline))
        .route(
            "/contacts/{id}",
            get(contacts_retrieve)
                .patch(contacts_update)
                .delete(contacts_delete),
        )
        .route(
            "/contacts/",
            get(contacts_retrieve)
                .patch(contacts_update)
                .delete(contacts_delete),
        )
        .route(
            "/onboardings",
            get(onboardings_list).post(onboardings_create),
        )
        .route(
            "/onboardings/{id}",
            get(onboardings_retrieve)
                .patch(onboardings_update)
                .delete(onboardings_delete),
        )
        .route(
            "/onboardings/",
            get(onboardings_retrieve)
                .patch(onboardings_update)
                .delete(onboardings_delete),
        )
        .route(
            "/onboardings/{id}/transitions",
            get(onboardings_transitions),
        )
        .route("/onboardings/{id}/analytics", get(analytics_onboarding))
        .route("/analytics", get(analytics_workspace))
        .route("/events", get(events_list))
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

async fn health(State(s): State<AppState>, Params(q): Params) -> Response {
    let db = s.0.db.clone();
    blocking(move || {
        query::none(&q)?;
        Ok((OK, db.health()?))
    })
    .await
}

async fn me(State(s): State<AppState>, c: Caller, Params(q): Params) -> Response {
    run(&s, c, OK, move |db| {
        query::none(&q)?;
        db.me()
    })
    .await
}

async fn customers_list(State(s): State<AppState>, c: Caller, Params(q): Params) -> Response {
    run(&s, c, OK, move |db| {
        db.customers().list(&query::customers(&q)?)
    })
    .await
}

async fn customers_create(
    State(s): State<AppState>,
    c: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: JsonBody,
) -> Response {
    run(&s, c, CREATED, move |db| {
        let params = wire::customer_params(&body.value()?)?;
        db.customers().create(params, key.as_deref())
    })
    .await
}

async fn customers_retrieve(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    run(&s, c, OK, move |db| db.customers().retrieve(&id)).await
}

async fn customers_update(
    State(s): State<AppState>,
    c: Caller,
    Ref(id): Ref,
    body: JsonBody,
) -> Response {
    run(&s, c, OK, move |db| {
        db.customers()
            .update(&id, wire::customer_patch(&body.value()?)?)
    })
    .await
}

async fn customers_delete(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    run(&s, c, OK, move |db| db.customers().delete(&id)).await
}

async fn customers_timeline(
    State(s): State<AppState>,
    c: Caller,
    Ref(id): Ref,
    Params(q): Params,
) -> Response {
    run(&s, c, OK, move |db| {
        db.customers().timeline(&id, &query::paging(&q)?)
    })
    .await
}

async fn contacts_list(
    State(s): State<AppState>,
    c: Caller,
    Ref(id): Ref,
    Params(q): Params,
) -> Response {
    run(&s, c, OK, move |db| {
        db.contacts().list(&id, &query::paging(&q)?)
    })
    .await
}

async fn contacts_create(
    State(s): State<AppState>,
    c: Caller,
    Ref(id): Ref,
    IdempotencyKey(key): IdempotencyKey,
    body: JsonBody,
) -> Response {
    run(&s, c, CREATED, move |db| {
        let params = wire::contact_params(&body.value()?)?;
        db.contacts().create(&id, params, key.as_deref())
    })
    .await
}

async fn contacts_retrieve(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    run(&s, c, OK, move |db| db.contacts().retrieve(&id)).await
}

async fn contacts_update(
    State(s): State<AppState>,
    c: Caller,
    Ref(id): Ref,
    body: JsonBody,
) -> Response {
    run(&s, c, OK, move |db| {
        db.contacts()
            .update(&id, wire::contact_patch(&body.value()?)?)
    })
    .await
}

async fn contacts_delete(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    run(&s, c, OK, move |db| db.contacts().delete(&id)).await
}

async fn onboardings_list(State(s): State<AppState>, c: Caller, Params(q): Params) -> Response {
    run(&s, c, OK, move |db| {
        db.onboardings().list(&query::onboardings(&q)?)
    })
    .await
}

async fn onboardings_create(
    State(s): State<AppState>,
    c: Caller,
    IdempotencyKey(key): IdempotencyKey,
    body: JsonBody,
) -> Response {
    run(&s, c, CREATED, move |db| {
        let params = wire::onboarding_params(&body.value()?)?;
        db.onboardings().create(params, key.as_deref())
    })
    .await
}

async fn onboardings_for_customer(
    State(s): State<AppState>,
    c: Caller,
    Ref(id): Ref,
    Params(q): Params,
) -> Response {
    run(&s, c, OK, move |db| {
        query::none(&q)?;
        db.onboardings().list_for_customer(&id)
    })
    .await
}

async fn onboardings_retrieve(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    run(&s, c, OK, move |db| db.onboardings().retrieve(&id)).await
}

async fn onboardings_update(
    State(s): State<AppState>,
    c: Caller,
    Ref(id): Ref,
    body: JsonBody,
) -> Response {
    run(&s, c, OK, move |db| {
        db.onboardings()
            .update(&id, wire::onboarding_patch(&body.value()?)?)
    })
    .await
}

async fn onboardings_delete(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    run(&s, c, OK, move |db| db.onboardings().delete(&id)).await
}

async fn onboardings_transitions(State(s): State<AppState>, c: Caller, Ref(id): Ref) -> Response {
    run(&s, c, OK, move |db| {
        db.onboardings().transitions(&id).map(all)
    })
    .await
}

async fn analytics_onboarding(
    State(s): State<AppState>,
    c: Caller,
    Ref(id): Ref,
    Params(q): Params,
) -> Response {
    run(&s, c, OK, move |db| {
        db.analytics().onboarding(&id, query::as_of(&q)?)
    })
    .await
}

async fn analytics_workspace(State(s): State<AppState>, c: Caller, Params(q): Params) -> Response {
    run(&s, c, OK, move |db| {
        db.analytics().workspace(&query::workspace_report(&q)?)
    })
    .await
}

async fn events_list(State(s): State<AppState>, c: Caller, Params(q): Params) -> Response {
    run(&s, c, OK, move |db| db.events().list(&query::events(&q)?)).await
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
