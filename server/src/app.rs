//! The server's state and the request plumbing shared by every route: who is calling (headers),
//! the request's parts (references, query, body), running an operation off the async threads, and
//! answering its result or error as the API's JSON.

use crate::auth::KeyCache;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pivotal_core::{Error, ErrorCode, FixedClock, Pivotal, Result};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// What every request handler shares: the store's keyless session, the key cache, the options.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    /// The store's keyless session (default workspace, live mode, the configured actor).
    pub db: Pivotal,
    pub keys: KeyCache,
    /// Requests without `Authorization` run in the keyless session (`--no-auth`).
    pub no_auth: bool,
    /// The fixed clock the test helpers move (`--clock`), if any.
    pub clock: Option<Arc<FixedClock>>,
}

impl AppState {
    /// The state of a server over `db`.
    pub fn new(db: Pivotal, no_auth: bool, clock: Option<Arc<FixedClock>>) -> Self {
        Self(Arc::new(Inner {
            db,
            keys: KeyCache::default(),
            no_auth,
            clock,
        }))
    }

    /// The key cache (for tests).
    pub fn keys(&self) -> &KeyCache {
        &self.0.keys
    }

    /// The session a caller works in: its key's (cached), or the keyless one under `--no-auth`,
    /// then the workspace, mode and actor its headers ask for (which only a keyless session may
    /// switch: the core answers `permission_denied` to a key's). Blocking.
    fn session(&self, caller: &Caller) -> Result<Pivotal> {
        let s = &self.0;
        let mut db = match &caller.secret {
            Some(secret) => s.keys.session(&s.db, secret)?,
            None if s.no_auth => s.db.clone(),
            None => {
                return Err(Error::new(
                    ErrorCode::InvalidApiKey,
                    "no API key: send `Authorization: Bearer <secret>`",
                ))
            }
        };
        if let Some(w) = &caller.workspace {
            db = db.with_workspace(w)?;
        }
        if let Some(live) = caller.livemode {
            db = db.with_livemode(live)?;
        }
        if let Some(actor) = &caller.actor {
            db = db.with_actor(actor)?;
        }
        Ok(db)
    }
}

/// The headers naming who calls: `Authorization: Bearer <secret>`, and for a keyless session
/// (`--no-auth`) `Pivotal-Workspace` (id or slug), `Pivotal-Livemode` (`true`/`false`) and
/// `Pivotal-Actor`, which stand in for what a key would select.
pub struct Caller {
    secret: Option<String>,
    workspace: Option<String>,
    livemode: Option<bool>,
    actor: Option<String>,
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> std::result::Result<Option<&'h str>, Error> {
    headers
        .get(name)
        .map(|v| {
            std::str::from_utf8(v.as_bytes()).map_err(|_| {
                Error::field(
                    ErrorCode::InvalidType,
                    name,
                    format!("the `{name}` header must be UTF-8"),
                )
            })
        })
        .transpose()
}

impl Caller {
    fn from_headers(headers: &HeaderMap) -> std::result::Result<Self, Error> {
        let secret = match headers.get(AUTHORIZATION) {
            None => None,
            Some(v) => {
                // The scheme is case-insensitive (RFC 9110, 11.1).
                let bearer = v
                    .to_str()
                    .ok()
                    .and_then(|v| v.split_once(' '))
                    .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                    .map(|(_, secret)| secret.trim())
                    .filter(|s| !s.is_empty());
                Some(bearer.map(str::to_owned).ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidApiKey,
                        "the Authorization header must be `Bearer <secret>`",
                    )
                })?)
            }
        };
        let livemode = match header(headers, "pivotal-livemode")? {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => {
                return Err(Error::field(
                    ErrorCode::InvalidType,
                    "Pivotal-Livemode",
                    "the `Pivotal-Livemode` header must be `true` or `false`",
                ))
            }
        };
        Ok(Self {
            secret,
            workspace: header(headers, "pivotal-workspace")?.map(str::to_owned),
            livemode,
            actor: header(headers, "pivotal-actor")?.map(str::to_owned),
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> std::result::Result<Self, Response> {
        Self::from_headers(&parts.headers).map_err(|e| error_response(&e))
    }
}

/// The record reference in the path (`/customers/{id}`): an id, or digits for a display id; empty
/// on a route without one (`/customers/`).
pub struct Ref(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Ref {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> std::result::Result<Self, Response> {
        match RawPathParams::from_request_parts(parts, state).await {
            Ok(params) => Ok(Self(
                params
                    .iter()
                    .next()
                    .map(|(_, id)| id.to_owned())
                    .unwrap_or_default(),
            )),
            Err(_) => Err(error_response(&Error::field(
                ErrorCode::InvalidType,
                "id",
                "the reference in the path must be percent-encoded UTF-8",
            ))),
        }
    }
}

/// The decoded query string, as `name=value` pairs in order (the core reads them).
pub struct Params(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> std::result::Result<Self, Response> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query).map(Self).map_err(|_| {
            error_response(&Error::new(
                ErrorCode::InvalidType,
                "the query string is malformed",
            ))
        })
    }
}

/// The `Idempotency-Key` header of a create, checked by the core.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> std::result::Result<Self, Response> {
        header(&parts.headers, "idempotency-key")
            .map(|k| Self(k.map(str::to_owned)))
            .map_err(|_| {
                error_response(&Error::field(
                    ErrorCode::InvalidIdempotencyKey,
                    "Idempotency-Key",
                    "the `Idempotency-Key` header must be UTF-8",
                ))
            })
    }
}

/// A request body, read within the body limit and parsed when the operation runs (after the key
/// is checked). Empty means `{}`; anything else must be `application/json`.
pub struct JsonBody {
    bytes: Bytes,
    json: bool,
}

impl JsonBody {
    /// The body as JSON, through the core's reader (`invalid_type` for malformed or deep JSON).
    pub fn value(&self) -> Result<serde_json::Value> {
        if self.bytes.is_empty() {
            return Ok(serde_json::json!({}));
        }
        if !self.json {
            return Err(Error::new(
                ErrorCode::InvalidType,
                "send the body as JSON, with `Content-Type: application/json`",
            ));
        }
        self.text().and_then(pivotal_core::wire::parse)
    }

    /// The body as text (import reads JSON and NDJSON itself).
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.bytes)
            .map_err(|_| Error::new(ErrorCode::InvalidType, "the body must be UTF-8"))
    }

    /// Whether the content type is JSON (or NDJSON).
    pub fn is_json(&self) -> bool {
        self.json
    }
}

fn is_json(content_type: Option<&HeaderValue>) -> bool {
    content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .is_some_and(|essence| {
            essence.eq_ignore_ascii_case("application/json")
                || essence.eq_ignore_ascii_case("application/x-ndjson")
        })
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Response;

    async fn from_request(req: Request<Body>, state: &S) -> std::result::Result<Self, Response> {
        let json = is_json(req.headers().get(CONTENT_TYPE));
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                error_response(&Error::new(
                    ErrorCode::InvalidType,
                    "the request body could not be read",
                ))
            }
        })?;
        Ok(Self { bytes, json })
    }
}

/// The largest request body (SPEC: 1 MiB); larger is 413 `too_large`.
pub const BODY_LIMIT: usize = 1 << 20;

/// 413 with the API's `too_large` error.
pub fn too_large() -> Response {
    refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        &Error::field(
            ErrorCode::TooLarge,
            "body",
            format!("the request body is larger than {BODY_LIMIT} bytes"),
        ),
    )
}

/// 408: `what` (the request, its headers) took longer than `limit`.
pub fn too_slow(what: &str, limit: Duration) -> Response {
    refused(
        StatusCode::REQUEST_TIMEOUT,
        &Error::new(
            ErrorCode::InvalidType,
            format!("{what} took longer than {} s", limit.as_secs()),
        ),
    )
}

/// The error envelope of `e` with `status`, for the HTTP layer's refusals (408, 413, 414, 431, …)
/// whose status is not that of the error's type.
pub fn refused(status: StatusCode, e: &Error) -> Response {
    json_response(status, e.to_json().to_string().into())
}

/// The error envelope with the status of the error's type.
pub fn error_response(e: &Error) -> Response {
    let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json_response(status, e.to_json().to_string().into())
}

/// A JSON answer with `status`.
pub fn json_response(status: StatusCode, body: Bytes) -> Response {
    (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response()
}

/// Runs `op` in the caller's session on the blocking pool (the core is synchronous) and answers
/// its result as JSON with `status`, or its error as the error envelope. A panic is `internal`.
pub async fn run<T, F>(state: &AppState, caller: Caller, status: StatusCode, op: F) -> Response
where
    T: Serialize,
    F: FnOnce(&Pivotal) -> Result<T> + Send + 'static,
{
    let state = state.clone();
    blocking(move || {
        let out = state.session(&caller).and_then(|db| op(&db));
        if let (Err(e), Some(secret)) = (&out, &caller.secret) {
            if e.code == ErrorCode::ApiKeyRevoked {
                state.0.keys.evict(secret);
            }
        }
        out.map(|v| (status, v))
    })
    .await
}

/// Runs `f` on the blocking pool and answers its value as JSON, or its error.
pub async fn blocking<T, F>(f: F) -> Response
where
    T: Serialize,
    F: FnOnce() -> Result<(StatusCode, T)> + Send + 'static,
{
    let done = tokio::task::spawn_blocking(move || {
        Error::catch_panic(|| {
            let (status, value) = f()?;
            let body = serde_json::to_vec(&value)
                .map_err(|e| Error::internal(format!("serialising the answer: {e}")))?;
            Ok((status, Bytes::from(body)))
        })
    })
    .await;
    match done {
        Ok(Ok((status, body))) => json_response(status, body),
        Ok(Err(e)) => error_response(&e),
        Err(e) => error_response(&Error::internal(format!("the operation failed: {e}"))),
    }
}
