//! Limits and cursors of lists (SPEC 4.5).

use crate::error::{Error, ErrorCode, Result};
use crate::model::time::{from_unix_ms, parse_instant};
use crate::model::{Page, Timestamp};
use crate::rules::limits::PAGE_LIMIT_MAX;
use crate::store::{ListCursor, PageRequest, TimelineCursor};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Paging parameters of a list: `limit` (1–100) and `cursor`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    /// Records per page, 1–100 (default 20).
    pub limit: Option<i64>,
    /// The previous page's `next_cursor`, or an RFC 3339 instant meaning "strictly older than".
    pub cursor: Option<String>,
}

/// The default page size of most lists.
pub(crate) const DEFAULT_LIMIT: usize = 20;

/// Checks a limit: 1–100, `default` when absent.
pub(crate) fn limit(limit: Option<i64>, default: usize) -> Result<usize> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=PAGE_LIMIT_MAX).contains(&n) => Ok(n as usize),
        Some(n) => Err(Error::field(
            ErrorCode::InvalidLimit,
            "limit",
            format!("`limit` must be 1–{PAGE_LIMIT_MAX}, not {n}"),
        )),
    }
}

fn invalid_cursor() -> Error {
    Error::field(
        ErrorCode::InvalidCursor,
        "cursor",
        "`cursor` must be a `next_cursor` from the previous page or an RFC 3339 instant",
    )
}

fn decode(cursor: &str) -> Option<String> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()
}

/// Reads a list cursor.
pub(crate) fn list_cursor(cursor: Option<&str>) -> Result<Option<ListCursor>> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    if let Some(t) = parse_instant(cursor) {
        return Ok(Some(ListCursor::OlderThan(t)));
    }
    let decoded = decode(cursor).ok_or_else(invalid_cursor)?;
    let (ms, id) = decoded.split_once(':').ok_or_else(invalid_cursor)?;
    let t = ms
        .parse()
        .ok()
        .and_then(from_unix_ms)
        .ok_or_else(invalid_cursor)?;
    Ok(Some(ListCursor::After(t, id.to_owned())))
}

/// Reads a timeline cursor.
pub(crate) fn timeline_cursor(cursor: Option<&str>) -> Result<Option<TimelineCursor>> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    if let Some(t) = parse_instant(cursor) {
        return Ok(Some(TimelineCursor::OlderThan(t)));
    }
    let decoded = decode(cursor).ok_or_else(invalid_cursor)?;
    let seq = decoded
        .strip_prefix("seq:")
        .and_then(|s| s.parse().ok())
        .ok_or_else(invalid_cursor)?;
    Ok(Some(TimelineCursor::BeforeSequence(seq)))
}

/// The page request for `limit` records: one more is fetched to learn whether more follow.
pub(crate) fn request(params: &ListParams, default_limit: usize) -> Result<(PageRequest, usize)> {
    let limit = limit(params.limit, default_limit)?;
    let cursor = list_cursor(params.cursor.as_deref())?;
    Ok((
        PageRequest {
            cursor,
            limit: limit + 1,
        },
        limit,
    ))
}

/// Cuts `rows` (fetched with `limit + 1`) to a page whose cursor points after its last record.
pub(crate) fn page<T>(
    mut rows: Vec<T>,
    limit: usize,
    key: impl Fn(&T) -> (Timestamp, &str),
) -> Page<T> {
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = has_more
        .then(|| rows.last().map(&key))
        .flatten()
        .map(|(t, id)| URL_SAFE_NO_PAD.encode(format!("{}:{id}", t.timestamp_millis())));
    Page {
        data: rows,
        has_more,
        next_cursor,
    }
}

/// Cuts timeline `rows` (fetched with `limit + 1`) to a page.
pub(crate) fn sequence_page<T>(
    mut rows: Vec<T>,
    limit: usize,
    sequence: impl Fn(&T) -> i64,
) -> Page<T> {
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = has_more
        .then(|| {
            rows.last()
                .map(|r| URL_SAFE_NO_PAD.encode(format!("seq:{}", sequence(r))))
        })
        .flatten();
    Page {
        data: rows,
        has_more,
        next_cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_1_to_100() {
        assert_eq!(limit(None, 25).unwrap(), 25);
        assert_eq!(limit(Some(100), 20).unwrap(), 100);
        for bad in [0, -1, 101] {
            assert_eq!(
                limit(Some(bad), 20).unwrap_err().code,
                ErrorCode::InvalidLimit
            );
        }
    }

    #[test]
    fn cursors_round_trip_and_bare_instants_are_accepted() {
        let t = parse_instant("2024-01-01T00:00:00.123Z").unwrap();
        let page = page(vec![(t, "cus_b"), (t, "cus_a")], 1, |r| (r.0, r.1));
        let next = page.next_cursor.unwrap();
        assert_eq!(
            list_cursor(Some(&next)).unwrap(),
            Some(ListCursor::After(t, "cus_b".into()))
        );
        assert_eq!(
            list_cursor(Some("2024-01-01T00:00:00Z")).unwrap(),
            Some(ListCursor::OlderThan(
                parse_instant("2024-01-01T00:00:00Z").unwrap()
            ))
        );
    }

    #[test]
    fn garbage_cursors_are_refused() {
        let timeline = URL_SAFE_NO_PAD.encode("seq:5");
        for bad in ["", "nope", "!!!", "MTIz", timeline.as_str()] {
            let e = list_cursor(Some(bad)).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::InvalidCursor, Some("cursor")),
                "{bad}"
            );
        }
        assert_eq!(
            timeline_cursor(Some(&timeline)).unwrap(),
            Some(TimelineCursor::BeforeSequence(5))
        );
        assert!(timeline_cursor(Some("abc")).is_err());
    }
}
