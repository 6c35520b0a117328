//! Production manners around the routes: a body limit (413 `too_large`), a time limit per request
//! (408), a bound on requests handled at once (more wait), one log line per request (method, path,
//! status, time: never headers, query or body, so never a secret), and the API's error envelope
//! on every error answer, including those the HTTP stack makes itself.

use crate::app::{error_response, refused, too_large, too_slow, BODY_LIMIT};
use crate::Config;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use pivotal_core::{Error, ErrorCode};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// `router` with the manners of `config`.
pub fn layer(router: Router, config: &Config) -> Router {
    let slots = Arc::new(Semaphore::new(config.max_concurrent.max(1)));
    let timeout = config.request_timeout;
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let slots = slots.clone();
            async move { handle(req, next, &slots, timeout).await }
        }))
}

async fn handle(req: Request, next: Next, slots: &Semaphore, timeout: Duration) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path: String = req.uri().path().chars().take(200).collect();
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let response = if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        // Refused before a byte of the body is read; the unread body ends the connection.
        let mut r = too_large();
        r.headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
        r
    } else {
        served(req, next, slots, timeout).await
    };
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

async fn served(req: Request, next: Next, slots: &Semaphore, timeout: Duration) -> Response {
    match slots.acquire().await {
        Ok(_permit) => match tokio::time::timeout(timeout, next.run(req)).await {
            Ok(response) => enveloped(response),
            Err(_) => too_slow("the request", timeout),
        },
        Err(_) => error_response(&Error::internal("the server is shutting down")),
    }
}

/// An error answer that is not the API's JSON (made by the HTTP stack: a body too large, a
/// method not allowed, …) becomes the API's error envelope.
fn enveloped(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let reason = status.canonical_reason().unwrap_or("error");
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            error_response(&Error::new(ErrorCode::RouteNotFound, "no such route"))
        }
        s if s.is_server_error() => {
            error_response(&Error::internal(format!("the server failed: {reason}")))
        }
        s => refused(
            s,
            &Error::new(
                ErrorCode::InvalidType,
                format!("the request could not be read: {reason}"),
            ),
        ),
    }
}
