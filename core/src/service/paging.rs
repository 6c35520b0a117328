//! Limits and cursors of lists (docs/reference.md#lists-and-pagination).

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

/// A cursor's text: `payload|check` in unpadded URL-safe base64, `check` the first 4 bytes of the
/// payload's SHA-256 in hex. The check makes a cursor changed in any way (a character appended,
/// one altered) read as no cursor at all, rather than as another position.
fn encode(payload: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{payload}|{}", check(payload)))
}

fn check(payload: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(payload.as_bytes());
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// The payload of a cursor made by [`encode`], exactly: anything else is `None`.
fn decode(cursor: &str) -> Option<String> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let (payload, sum) = text.rsplit_once('|')?;
    (sum == check(payload) && encode(payload) == cursor).then(|| payload.to_owned())
}

/// An integer written the one way `i64`'s `Display` writes it (no sign, zeros or spaces added).
fn canonical_int(s: &str) -> Option<i64> {
    let n: i64 = s.parse().ok()?;
    (n.to_string() == s).then_some(n)
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
    let t = canonical_int(ms)
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
        .and_then(canonical_int)
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
        .map(|(t, id)| encode(&format!("{}:{id}", t.timestamp_millis())));
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
        .then(|| rows.last().map(|r| encode(&format!("seq:{}", sequence(r)))))
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
        let timeline = encode("seq:5");
        let unchecked = URL_SAFE_NO_PAD.encode("1704067200000:cus_b");
        for bad in [
            "",
            "nope",
            "!!!",
            "MTIz",
            timeline.as_str(),
            unchecked.as_str(),
        ] {
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

    /// Only the exact text of a cursor is one: with any character appended (which base64 may
    /// decode to a longer id or sequence), removed or changed, it is `invalid_cursor`.
    #[test]
    fn cursors_are_read_only_in_their_exact_form() {
        let t = parse_instant("2024-01-01T00:00:00.123Z").unwrap();
        let list = page(vec![(t, "cus_b"), (t, "cus_a")], 1, |r| (r.0, r.1))
            .next_cursor
            .unwrap();
        let timeline = sequence_page(vec![12, 11], 1, |r| *r).next_cursor.unwrap();
        assert!(list_cursor(Some(&list)).is_ok());
        assert!(timeline_cursor(Some(&timeline)).is_ok());
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=. ";
        for c in alphabet.chars() {
            for (cursor, read) in [
                (
                    &list,
                    (|s| list_cursor(Some(s)).map(drop)) as fn(&str) -> Result<()>,
                ),
                (&timeline, |s| timeline_cursor(Some(s)).map(drop)),
            ] {
                let mut variants = vec![format!("{cursor}{c}"), format!("{cursor}{c}{c}")];
                for i in 0..cursor.len() {
                    let mut changed = cursor.clone();
                    changed.replace_range(i..=i, &c.to_string());
                    if changed != *cursor {
                        variants.push(changed);
                    }
                }
                variants.push(cursor[..cursor.len() - 1].to_owned());
                for bad in variants {
                    let e = read(&bad).unwrap_err();
                    assert_eq!(e.code, ErrorCode::InvalidCursor, "{bad}");
                }
            }
        }
        // Non-canonical numbers inside a well-formed cursor are refused too.
        for payload in ["01704067200123:cus_b", "+1704067200123:cus_b", "seq:012"] {
            assert!(list_cursor(Some(&encode(payload))).is_err(), "{payload}");
            assert!(
                timeline_cursor(Some(&encode(payload))).is_err(),
                "{payload}"
            );
        }
    }
}
