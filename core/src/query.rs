//! Query parameters of the REST API's reads (`?status=active&limit=50`), read from decoded
//! `name=value` pairs with the API's errors: an unknown name is `unknown_field`, a name given twice
//! (other than `types`) or a value of the wrong kind `invalid_type`, a `limit` that is not an
//! integer `invalid_limit`. Values go to the operations as given (an empty `cursor` is
//! `invalid_cursor`, as in the library); ranges and cursors are checked there.

use crate::error::{Error, ErrorCode, Result};
use crate::model::time::parse_instant;
use crate::model::{EventType, Timestamp};
use crate::service::{
    CustomerListParams, EventListParams, ImportOptions, ListParams, OnError, OnboardingListParams,
    WorkspaceReportParams,
};
use crate::wire::parse_enum;

/// The query of `GET /customers`: `status`, `slug`, `limit`, `cursor`.
pub fn customers(pairs: &[(String, String)]) -> Result<CustomerListParams> {
    let q = Query::new(pairs, &["status", "slug", "limit", "cursor"])?;
    Ok(CustomerListParams {
        status: q
            .one("status")?
            .map(|s| parse_enum("status", s))
            .transpose()?,
        slug: q.string("slug")?,
        limit: q.limit()?,
        cursor: q.string("cursor")?,
    })
}

/// The query of a paged list without filters (`GET /customers/{id}/contacts`, the timeline):
/// `limit`, `cursor`.
pub fn paging(pairs: &[(String, String)]) -> Result<ListParams> {
    let q = Query::new(pairs, &["limit", "cursor"])?;
    Ok(ListParams {
        limit: q.limit()?,
        cursor: q.string("cursor")?,
    })
}

/// The query of `GET /onboardings`: `customer_id`, `phase`, `state`, `limit`, `cursor`.
pub fn onboardings(pairs: &[(String, String)]) -> Result<OnboardingListParams> {
    let q = Query::new(pairs, &["customer_id", "phase", "state", "limit", "cursor"])?;
    Ok(OnboardingListParams {
        customer_id: q.string("customer_id")?,
        phase: q
            .one("phase")?
            .map(|s| parse_enum("phase", s))
            .transpose()?,
        state: q
            .one("state")?
            .map(|s| parse_enum("state", s))
            .transpose()?,
        limit: q.limit()?,
        cursor: q.string("cursor")?,
    })
}

/// The query of `GET /events`: `after_sequence`, `types` (repeated, or comma-separated),
/// `object_id`, `limit`.
pub fn events(pairs: &[(String, String)]) -> Result<EventListParams> {
    let q = Query::new(pairs, &["after_sequence", "types", "object_id", "limit"])?;
    let types = pairs
        .iter()
        .filter(|(k, _)| k == "types")
        .flat_map(|(_, v)| v.split(','))
        .filter(|t| !t.is_empty())
        .map(|t| parse_enum::<EventType>("types", t))
        .collect::<Result<_>>()?;
    Ok(EventListParams {
        after_sequence: q.integer("after_sequence", ErrorCode::InvalidType)?,
        types,
        object_id: q.string("object_id")?,
        limit: q.limit()?,
    })
}

/// The query of an onboarding's analytics: `as_of`.
pub fn as_of(pairs: &[(String, String)]) -> Result<Option<Timestamp>> {
    Query::new(pairs, &["as_of"])?.instant("as_of")
}

/// The query of the workspace report: `as_of`, `customer_id`, `csm_id`, `template_id`,
/// `stalled_after_days` (a number of days, fractions allowed).
pub fn workspace_report(pairs: &[(String, String)]) -> Result<WorkspaceReportParams> {
    let q = Query::new(
        pairs,
        &[
            "as_of",
            "customer_id",
            "csm_id",
            "template_id",
            "stalled_after_days",
        ],
    )?;
    let stalled = q
        .one("stalled_after_days")?
        .map(|s| {
            s.parse::<f64>()
                .ok()
                .filter(|d| d.is_finite())
                .ok_or_else(|| wrong("stalled_after_days", "a number", ErrorCode::InvalidType))
        })
        .transpose()?;
    Ok(WorkspaceReportParams {
        as_of: q.instant("as_of")?,
        customer_id: q.string("customer_id")?,
        csm_id: q.string("csm_id")?,
        template_id: q.string("template_id")?,
        stalled_after_days: stalled,
    })
}

/// The query of `POST /import`: `on_error` (`stop`, the default, or `skip`) and `chunk_size`
/// (items per transaction, at least 1).
pub fn import(pairs: &[(String, String)]) -> Result<ImportOptions> {
    let q = Query::new(pairs, &["on_error", "chunk_size"])?;
    let defaults = ImportOptions::default();
    let on_error = match q.one("on_error")? {
        None | Some("stop") => OnError::Stop,
        Some("skip") => OnError::Skip,
        Some(other) => {
            return Err(Error::field(
                ErrorCode::InvalidEnumValue,
                "on_error",
                format!("`{other}` is not a valid `on_error`; expected one of: stop, skip"),
            ))
        }
    };
    let chunk_size = match q.integer("chunk_size", ErrorCode::InvalidType)? {
        None => defaults.chunk_size,
        Some(n) if n >= 1 => usize::try_from(n).unwrap_or(usize::MAX),
        Some(_) => return Err(wrong("chunk_size", "at least 1", ErrorCode::TooSmall)),
    };
    Ok(ImportOptions {
        on_error,
        chunk_size,
        ..defaults
    })
}

/// A read without parameters: any name is `unknown_field`.
pub fn none(pairs: &[(String, String)]) -> Result<()> {
    Query::new(pairs, &[]).map(drop)
}

fn wrong(field: &str, expected: &str, code: ErrorCode) -> Error {
    Error::field(code, field, format!("`{field}` must be {expected}"))
}

/// The pairs of one query, checked against the names a read accepts.
struct Query<'a>(&'a [(String, String)]);

impl<'a> Query<'a> {
    fn new(pairs: &'a [(String, String)], accepted: &[&str]) -> Result<Self> {
        if let Some((k, _)) = pairs.iter().find(|(k, _)| !accepted.contains(&k.as_str())) {
            return Err(Error::field(
                ErrorCode::UnknownField,
                k.as_str(),
                format!("unknown query parameter `{k}`"),
            ));
        }
        Ok(Self(pairs))
    }

    /// The one value of `name`; given twice is `invalid_type`.
    fn one(&self, name: &str) -> Result<Option<&'a str>> {
        let mut values = self.0.iter().filter(|(k, _)| k == name);
        let first = values.next();
        if values.next().is_some() {
            return Err(wrong(name, "given once", ErrorCode::InvalidType));
        }
        Ok(first.map(|(_, v)| v.as_str()))
    }

    fn string(&self, name: &str) -> Result<Option<String>> {
        Ok(self.one(name)?.map(str::to_owned))
    }

    fn integer(&self, name: &str, code: ErrorCode) -> Result<Option<i64>> {
        self.one(name)?
            .map(|s| s.parse().map_err(|_| wrong(name, "an integer", code)))
            .transpose()
    }

    fn limit(&self) -> Result<Option<i64>> {
        self.integer("limit", ErrorCode::InvalidLimit)
    }

    fn instant(&self, name: &str) -> Result<Option<Timestamp>> {
        self.one(name)?
            .map(|s| {
                parse_instant(s).ok_or_else(|| {
                    Error::field(
                        ErrorCode::InvalidTimestamp,
                        name,
                        format!("`{name}` must be an RFC 3339 instant, not `{s}`"),
                    )
                })
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CustomerStatus, Phase};

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn err<T: std::fmt::Debug>(r: Result<T>) -> (ErrorCode, Option<String>) {
        let e = r.unwrap_err();
        (e.code, e.field)
    }

    #[test]
    fn filters_and_paging_are_read() {
        let p = customers(&q(&[("status", "active"), ("limit", "5"), ("cursor", "")])).unwrap();
        assert_eq!(
            (p.status, p.limit, p.cursor.as_deref()),
            (Some(CustomerStatus::Active), Some(5), Some(""))
        );
        let p = onboardings(&q(&[("phase", "launch"), ("customer_id", "42")])).unwrap();
        assert_eq!(
            (p.phase, p.customer_id.as_deref()),
            (Some(Phase::Launch), Some("42"))
        );
        let e = events(&q(&[
            ("types", "customer.created,contact.created"),
            ("types", "onboarding.created"),
            ("after_sequence", "3"),
        ]))
        .unwrap();
        assert_eq!((e.types.len(), e.after_sequence), (3, Some(3)));
        assert!(none(&[]).is_ok());
    }

    #[test]
    fn bad_parameters_are_the_apis_errors() {
        assert_eq!(
            err(customers(&q(&[("nope", "1")]))),
            (ErrorCode::UnknownField, Some("nope".into()))
        );
        assert_eq!(
            err(paging(&q(&[("limit", "ten")]))),
            (ErrorCode::InvalidLimit, Some("limit".into()))
        );
        assert_eq!(
            err(paging(&q(&[("limit", "1"), ("limit", "2")]))),
            (ErrorCode::InvalidType, Some("limit".into()))
        );
        assert_eq!(
            err(onboardings(&q(&[("state", "asleep")]))),
            (ErrorCode::InvalidEnumValue, Some("state".into()))
        );
        assert_eq!(
            err(events(&q(&[("types", "customer.exploded")]))),
            (ErrorCode::InvalidEnumValue, Some("types".into()))
        );
        assert_eq!(
            err(as_of(&q(&[("as_of", "yesterday")]))),
            (ErrorCode::InvalidTimestamp, Some("as_of".into()))
        );
        assert_eq!(
            err(workspace_report(&q(&[("stalled_after_days", "NaN")]))),
            (ErrorCode::InvalidType, Some("stalled_after_days".into()))
        );
        assert_eq!(err(none(&q(&[("x", "")]))).0, ErrorCode::UnknownField);
        assert_eq!(
            err(import(&q(&[("on_error", "ignore")]))).0,
            ErrorCode::InvalidEnumValue
        );
        assert_eq!(
            err(import(&q(&[("chunk_size", "0")]))).0,
            ErrorCode::TooSmall
        );
    }
}
