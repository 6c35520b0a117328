//! The one error of the bindings. Every core error becomes a [`PivotalError`] in exactly one place,
//! `From<pivotal_core::Error>` (a closed store and a caught panic are core errors too).
//!
//! Kotlin sees a sealed `PivotalException` with one subclass per error type
//! (`PivotalException.NotFound`, …), Swift an `enum PivotalError: Error` with one case per type. Every
//! case carries the same fields: `error_type`, `code` (the API's wire strings), `detail` (the human
//! message: not `message`, which Kotlin's `Throwable` owns), `field` and `http_status`.

use pivotal_core::ErrorType;
use std::fmt;

/// The fields of any [`PivotalError`], for code that handles every type alike.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorInfo {
    /// The API's `error.type`, e.g. `invalid_request_error`.
    pub error_type: String,
    /// The API's `error.code`, e.g. `slug_taken`.
    pub code: String,
    /// A sentence for humans (the API's `error.message`); not stable, do not match on it.
    pub detail: String,
    /// The input field at fault, when exactly one is.
    pub field: Option<String>,
    /// The HTTP status the REST API would answer.
    pub http_status: u16,
}

macro_rules! pivotal_error {
    ($($(#[$doc:meta])* $variant:ident => $ty:ident,)*) => {
        /// A failed operation: the API's error envelope, one case per error type.
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
        pub enum PivotalError {
            $(
                $(#[$doc])*
                $variant {
                    /// The API's `error.type`, e.g. `invalid_request_error`.
                    error_type: String,
                    /// The API's `error.code`, e.g. `slug_taken`.
                    code: String,
                    /// A sentence for humans (the API's `error.message`); not stable.
                    detail: String,
                    /// The input field at fault, when exactly one is.
                    field: Option<String>,
                    /// The HTTP status the REST API would answer.
                    http_status: u16,
                },
            )*
        }

        impl PivotalError {
            fn from_parts(error_type: ErrorType, code: &str, detail: String, field: Option<String>) -> Self {
                let (code, http_status) = (code.to_owned(), error_type.http_status());
                let error_type_name = error_type.as_str().to_owned();
                match error_type {
                    $(ErrorType::$ty => Self::$variant { error_type: error_type_name, code, detail, field, http_status },)*
                    // A type added to the core later is reported with its own strings and status.
                    _ => Self::Internal { error_type: error_type_name, code, detail, field, http_status },
                }
            }

            /// Every field, whatever the case.
            pub(crate) fn parts(&self) -> ErrorInfo {
                match self {
                    $(Self::$variant { error_type, code, detail, field, http_status } => ErrorInfo {
                        error_type: error_type.clone(),
                        code: code.clone(),
                        detail: detail.clone(),
                        field: field.clone(),
                        http_status: *http_status,
                    },)*
                }
            }
        }
    };
}

pivotal_error! {
    /// `invalid_request_error` (400): malformed input or a broken rule.
    InvalidRequest => InvalidRequestError,
    /// `authentication_error` (401).
    Authentication => AuthenticationError,
    /// `permission_error` (403).
    Permission => PermissionError,
    /// `not_found` (404): no such record, or not visible to this session.
    NotFound => NotFound,
    /// `conflict` (409): the request collides with the current state.
    Conflict => Conflict,
    /// `rate_limit_error` (429).
    RateLimit => RateLimitError,
    /// `internal_error` (500): the library or its store failed.
    Internal => InternalError,
}

impl From<pivotal_core::Error> for PivotalError {
    /// The one mapping of the core error.
    fn from(e: pivotal_core::Error) -> Self {
        Self::from_parts(e.error_type(), e.code.as_str(), e.message, e.field)
    }
}

impl fmt::Display for PivotalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.parts();
        write!(f, "{}/{}: {}", p.error_type, p.code, p.detail)?;
        match p.field {
            Some(field) => write!(f, " (field `{field}`)"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for PivotalError {}

#[uniffi::export]
impl PivotalError {
    /// Every field of the error, whatever its type.
    pub fn info(&self) -> ErrorInfo {
        self.parts()
    }

    /// The API's error envelope, `{"error":{"type","code","message","field"?}}`.
    pub fn to_json(&self) -> String {
        let p = self.parts();
        pivotal_core::Error::envelope(&p.error_type, &p.code, &p.detail, p.field.as_deref())
            .to_string()
    }
}

/// Runs `f`, turning a panic into a typed `internal_error` so none crosses the boundary.
pub(crate) fn guard<R>(f: impl FnOnce() -> Result<R, PivotalError>) -> Result<R, PivotalError> {
    pivotal_core::Error::catch_panic(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pivotal_core::ErrorCode;

    #[test]
    fn every_core_code_maps_to_its_type_and_status() {
        for &code in ErrorCode::ALL {
            let e = PivotalError::from(pivotal_core::Error::field(code, "f", "m"));
            let p = e.info();
            assert_eq!(p.code, code.as_str());
            assert_eq!(p.error_type, code.error_type().as_str());
            assert_eq!(p.http_status, code.error_type().http_status());
            assert_eq!(p.field.as_deref(), Some("f"));
            assert_eq!(p.detail, "m");
        }
        let e = PivotalError::from(pivotal_core::Error::new(ErrorCode::SlugTaken, "taken"));
        assert!(matches!(
            e,
            PivotalError::Conflict {
                http_status: 409,
                ..
            }
        ));
        let e = PivotalError::from(pivotal_core::Error::new(
            ErrorCode::CustomerNotFound,
            "gone",
        ));
        assert!(matches!(
            e,
            PivotalError::NotFound {
                http_status: 404,
                ..
            }
        ));
    }

    #[test]
    fn the_envelope_is_the_cores() {
        let core = pivotal_core::Error::field(ErrorCode::TooLong, "name", "too long");
        assert_eq!(
            PivotalError::from(core.clone()).to_json(),
            core.to_json().to_string()
        );
    }

    #[test]
    fn panics_become_internal_errors() {
        let e = guard::<()>(|| panic!("boom")).unwrap_err();
        assert!(matches!(e, PivotalError::Internal { ref code, .. } if code == "internal"));
        assert!(e.info().detail.contains("boom"));
    }
}
