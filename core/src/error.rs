//! The one error type of the library, mirroring the API's error envelope.

use serde::Serialize;
use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// The broad class of an error: the API's `error.type`, which fixes the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorType {
    /// The request was malformed or broke a rule (400).
    InvalidRequestError,
    /// The API key was missing, malformed, unknown or revoked (401).
    AuthenticationError,
    /// The key may not do this (403).
    PermissionError,
    /// The record does not exist, or is not visible to this session (404).
    NotFound,
    /// The request collides with the current state (409).
    Conflict,
    /// Too many requests (429). Not raised by the library itself; reserved for the HTTP server,
    /// which answers it when it bounds concurrent requests.
    RateLimitError,
    /// The library or its store failed (500).
    InternalError,
}

impl ErrorType {
    /// The wire string, e.g. `invalid_request_error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequestError => "invalid_request_error",
            Self::AuthenticationError => "authentication_error",
            Self::PermissionError => "permission_error",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::RateLimitError => "rate_limit_error",
            Self::InternalError => "internal_error",
        }
    }

    /// The HTTP status the REST API answers with for this type.
    pub fn http_status(self) -> u16 {
        match self {
            Self::InvalidRequestError => 400,
            Self::AuthenticationError => 401,
            Self::PermissionError => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::RateLimitError => 429,
            Self::InternalError => 500,
        }
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! error_codes {
    ($($variant:ident => $wire:literal, $ty:ident;)*) => {
        /// The machine-readable reason of an error: the API's `error.code`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(#[doc = concat!("`", $wire, "`")] $variant,)*
        }

        impl ErrorCode {
            /// Every code, in SPEC order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The wire string, e.g. `slug_taken`.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $wire,)* }
            }

            /// The error type this code belongs to.
            pub fn error_type(self) -> ErrorType {
                match self { $(Self::$variant => ErrorType::$ty,)* }
            }
        }
    };
}

error_codes! {
    MissingField => "missing_field", InvalidRequestError;
    InvalidType => "invalid_type", InvalidRequestError;
    TooLong => "too_long", InvalidRequestError;
    TooSmall => "too_small", InvalidRequestError;
    TooLarge => "too_large", InvalidRequestError;
    InvalidEnumValue => "invalid_enum_value", InvalidRequestError;
    InvalidEmail => "invalid_email", InvalidRequestError;
    InvalidSlug => "invalid_slug", InvalidRequestError;
    InvalidDomain => "invalid_domain", InvalidRequestError;
    InvalidPhone => "invalid_phone", InvalidRequestError;
    InvalidTimestamp => "invalid_timestamp", InvalidRequestError;
    InvalidCursor => "invalid_cursor", InvalidRequestError;
    InvalidLimit => "invalid_limit", InvalidRequestError;
    UnknownField => "unknown_field", InvalidRequestError;
    ConflictingFields => "conflicting_fields", InvalidRequestError;
    InvalidPhaseTransition => "invalid_phase_transition", InvalidRequestError;
    OnboardingPaused => "onboarding_paused", InvalidRequestError;
    TransitionReasonRequired => "transition_reason_required", InvalidRequestError;
    InvalidIdempotencyKey => "invalid_idempotency_key", InvalidRequestError;
    StoreClosed => "store_closed", InvalidRequestError;
    CustomerNotFound => "customer_not_found", NotFound;
    ContactNotFound => "contact_not_found", NotFound;
    OnboardingNotFound => "onboarding_not_found", NotFound;
    WorkspaceNotFound => "workspace_not_found", NotFound;
    ApiKeyNotFound => "api_key_not_found", NotFound;
    RouteNotFound => "route_not_found", NotFound;
    SlugTaken => "slug_taken", Conflict;
    EmailTaken => "email_taken", Conflict;
    IdempotencyKeyReused => "idempotency_key_reused", Conflict;
    DisplayIdTaken => "display_id_taken", Conflict;
    InvalidApiKey => "invalid_api_key", AuthenticationError;
    ApiKeyRevoked => "api_key_revoked", AuthenticationError;
    PermissionDenied => "permission_denied", PermissionError;
    StorageBusy => "storage_busy", InternalError;
    StorageCorrupt => "storage_corrupt", InternalError;
    StorageUnavailable => "storage_unavailable", InternalError;
    SchemaTooNew => "schema_too_new", InternalError;
    Internal => "internal", InternalError;
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure of any operation: type, code, human message and, where one input is at fault, its field.
///
/// Errors compare by code, message and field; the underlying cause (a SQLite error, …), when there
/// is one, is [`source()`](std::error::Error::source).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
#[non_exhaustive]
pub struct Error {
    /// The machine-readable reason.
    pub code: ErrorCode,
    /// A sentence for humans; not stable, do not match on it.
    pub message: String,
    /// The input field at fault, when exactly one is.
    pub field: Option<String>,
    /// The failure this error reports, when it comes from below the library.
    #[source]
    cause: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        (self.code, &self.message, &self.field) == (other.code, &other.message, &other.field)
    }
}

impl Eq for Error {}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with no field.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            cause: None,
        }
    }

    /// An error about one input field.
    pub fn field(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(code, message)
        }
    }

    /// An `internal_error/internal` wrapping an unexpected failure.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    /// The same error, keeping `cause` as its [`source()`](std::error::Error::source).
    pub fn with_source(self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self {
            cause: Some(Arc::new(cause)),
            ..self
        }
    }

    /// The error of item `index` of a batch: same type, code and field, `item <index>: ` before
    /// the message.
    pub fn at_index(self, index: usize) -> Self {
        let message = format!("item {index}: {}", self.message);
        self.with_message(message)
    }

    /// The same error (type, code, field and cause) with another message.
    pub fn with_message(self, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            ..self
        }
    }

    /// `internal_error/internal` for a panic caught at a boundary (a bug: please report it).
    pub fn from_panic(payload: Box<dyn Any + Send>) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Self::internal(format!("pivotal-core failed unexpectedly: {what}"))
    }

    /// Runs `f`, turning a panic into [`Error::from_panic`] so that none crosses a language
    /// boundary.
    pub fn catch_panic<T, E: From<Error>>(f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|payload| Err(Self::from_panic(payload).into()))
    }

    /// The error's type (`error.type`).
    pub fn error_type(&self) -> ErrorType {
        self.code.error_type()
    }

    /// The HTTP status the REST API would answer.
    pub fn http_status(&self) -> u16 {
        self.error_type().http_status()
    }

    /// The API's error envelope: `{"error":{"type","code","message","field"?}}`.
    pub fn to_json(&self) -> serde_json::Value {
        Self::envelope(
            self.error_type().as_str(),
            self.code.as_str(),
            &self.message,
            self.field.as_deref(),
        )
    }

    /// The API's error envelope from its parts, for bindings that hold an error as strings.
    pub fn envelope(
        error_type: &str,
        code: &str,
        message: &str,
        field: Option<&str>,
    ) -> serde_json::Value {
        let mut body = serde_json::Map::new();
        body.insert("type".into(), error_type.into());
        body.insert("code".into(), code.into());
        body.insert("message".into(), message.into());
        if let Some(field) = field {
            body.insert("field".into(), field.into());
        }
        serde_json::json!({ "error": body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_types() {
        assert_eq!(Error::new(ErrorCode::SlugTaken, "x").http_status(), 409);
        assert_eq!(
            Error::new(ErrorCode::CustomerNotFound, "x").http_status(),
            404
        );
        assert_eq!(Error::new(ErrorCode::InvalidApiKey, "x").http_status(), 401);
        assert_eq!(Error::new(ErrorCode::MissingField, "x").http_status(), 400);
        assert_eq!(Error::new(ErrorCode::StorageBusy, "x").http_status(), 500);
    }

    #[test]
    fn envelope_names_field_only_when_known() {
        let e = Error::field(ErrorCode::TooLong, "name", "too long");
        assert_eq!(e.to_json()["error"]["field"], "name");
        assert!(Error::internal("x").to_json()["error"]
            .get("field")
            .is_none());
    }

    #[test]
    fn every_code_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()));
        }
        assert_eq!(seen.len(), 38);
    }

    #[test]
    fn batch_items_name_their_index() {
        let e = Error::field(ErrorCode::TooLong, "name", "too long").at_index(3);
        assert_eq!(
            e,
            Error::field(ErrorCode::TooLong, "name", "item 3: too long")
        );
    }

    #[test]
    fn panics_become_internal_errors() {
        let e = Error::catch_panic::<(), Error>(|| panic!("boom {}", 1)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Internal);
        assert!(e.message.ends_with("boom 1"), "{}", e.message);
        let e = Error::catch_panic::<(), Error>(|| std::panic::panic_any(5u8)).unwrap_err();
        assert!(e.message.ends_with("unknown panic"));
    }

    #[test]
    fn the_cause_is_the_source() {
        use std::error::Error as _;
        let io = std::io::Error::other("disk on fire");
        let e = Error::new(ErrorCode::StorageUnavailable, "x").with_source(io);
        assert_eq!(e.source().unwrap().to_string(), "disk on fire");
        assert!(Error::internal("x").source().is_none());
        assert_eq!(e, Error::new(ErrorCode::StorageUnavailable, "x"));
    }
}
