//! Timestamps (UTC, millisecond precision, RFC 3339 with `Z`) and the injectable clock.

use crate::error::{Error, ErrorCode, Result};
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, TimeZone, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

/// An instant, always UTC with millisecond precision.
pub type Timestamp = DateTime<Utc>;

/// Truncates an instant to whole milliseconds, the precision every record is stored with.
pub fn to_millis(t: Timestamp) -> Timestamp {
    from_unix_ms(t.timestamp_millis()).unwrap_or(t)
}

/// The instant `ms` milliseconds after the Unix epoch, if representable.
pub fn from_unix_ms(ms: i64) -> Option<Timestamp> {
    Utc.timestamp_millis_opt(ms).single()
}

/// Whether an instant lies in the years 1–9999, the range every binding's instant type (Python's
/// `datetime` is the narrowest) can hold and RFC 3339 can write.
pub fn in_range(t: &Timestamp) -> bool {
    (1..=9999).contains(&t.year())
}

/// Writes an instant the way the API does: `2024-04-01T10:00:00.000Z`.
pub fn format(t: &Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads any RFC 3339 instant (any offset, any fraction), converted to UTC and truncated to milliseconds.
pub fn parse_instant(s: &str) -> Option<Timestamp> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| to_millis(t.with_timezone(&Utc)))
        .filter(in_range)
}

/// Reads an RFC 3339 instant or a bare `YYYY-MM-DD` date (midnight UTC).
pub fn parse_instant_or_date(s: &str) -> Option<Timestamp> {
    parse_instant(s).or_else(|| {
        let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
        Some(date.and_hms_opt(0, 0, 0)?.and_utc())
    })
}

/// A source of "now". Inject a [`FixedClock`] to make tests and analytics deterministic.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

fn out_of_range(field: &str, what: &str) -> Error {
    Error::field(
        ErrorCode::InvalidTimestamp,
        field,
        format!("{what} must lie in the years 1 to 9999"),
    )
}

/// The clock's instant, truncated to milliseconds; an instant outside the years 1–9999 (a clock
/// set or moved out of them) is `invalid_timestamp`, so that no record gets a time a binding
/// cannot hold. Every operation takes its "now" through here.
pub fn checked_now(clock: &dyn Clock) -> Result<Timestamp> {
    let now = to_millis(clock.now());
    if !in_range(&now) {
        return Err(out_of_range(
            "clock",
            &format!("the clock's time ({})", format(&now)),
        ));
    }
    Ok(now)
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        to_millis(Utc::now())
    }
}

/// A clock that stands still until told to move; shareable across threads.
#[derive(Debug)]
pub struct FixedClock {
    ms: AtomicI64,
}

impl FixedClock {
    /// A clock fixed at `t`.
    pub fn new(t: Timestamp) -> Self {
        Self {
            ms: AtomicI64::new(t.timestamp_millis()),
        }
    }

    /// Moves the clock to `t` (backwards is allowed). Outside the years 1–9999 every operation
    /// then fails with `invalid_timestamp`; [`try_set`](Self::try_set) refuses such a `t`.
    pub fn set(&self, t: Timestamp) {
        self.ms.store(t.timestamp_millis(), Ordering::SeqCst);
    }

    /// Moves the clock to `t`; `invalid_timestamp` (field `at`), the clock unchanged, when `t`
    /// lies outside the years 1–9999.
    pub fn try_set(&self, t: Timestamp) -> Result<()> {
        if !in_range(&to_millis(t)) {
            return Err(out_of_range("at", "the clock's time"));
        }
        self.set(t);
        Ok(())
    }

    /// Moves the clock by `ms` milliseconds (back for a negative `ms`), saturating: it never
    /// wraps around. Past the years 1–9999 every operation then fails with `invalid_timestamp`;
    /// [`try_advance_ms`](Self::try_advance_ms) refuses such a move.
    pub fn advance_ms(&self, ms: i64) {
        let _ = self
            .ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_add(ms))
            });
    }

    /// Moves the clock by `ms` milliseconds; `invalid_timestamp` (field `ms`), the clock
    /// unchanged, when that would leave the years 1–9999.
    pub fn try_advance_ms(&self, ms: i64) -> Result<()> {
        self.ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                t.checked_add(ms)
                    .filter(|&t| from_unix_ms(t).is_some_and(|t| in_range(&t)))
            })
            .map(drop)
            .map_err(|_| out_of_range("ms", "the clock's time"))
    }
}

impl Clock for FixedClock {
    /// The instant set; one beyond what a `Timestamp` holds reads as the nearest one it holds
    /// (never wrapping to 1970), which [`checked_now`] refuses.
    fn now(&self) -> Timestamp {
        let ms = self.ms.load(Ordering::SeqCst);
        from_unix_ms(ms).unwrap_or(if ms < 0 {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
    }
}

/// Serde helpers writing timestamps with milliseconds and reading any RFC 3339 instant.
pub mod serde_ts {
    use super::*;
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    /// Serializes as `2024-04-01T10:00:00.000Z`.
    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(t))
    }

    /// Deserializes any RFC 3339 instant.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = String::deserialize(d)?;
        parse_instant(&s).ok_or_else(|| D::Error::custom(format!("invalid timestamp `{s}`")))
    }

    /// The same for `Option<Timestamp>`, `null` for `None`.
    pub mod option {
        use super::*;

        /// Serializes `None` as `null`.
        pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&format(t)),
                None => s.serialize_none(),
            }
        }

        /// Deserializes `null` as `None`, a date-or-instant otherwise.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(s) => parse_instant_or_date(&s)
                    .map(Some)
                    .ok_or_else(|| D::Error::custom(format!("invalid timestamp `{s}`"))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_millis_and_z() {
        let t = parse_instant("2024-04-01T12:00:00+02:00").unwrap();
        assert_eq!(format(&t), "2024-04-01T10:00:00.000Z");
    }

    #[test]
    fn truncates_to_millis() {
        let t = parse_instant("2024-04-01T10:00:00.123456789Z").unwrap();
        assert_eq!(format(&t), "2024-04-01T10:00:00.123Z");
    }

    #[test]
    fn years_outside_1_to_9999_are_refused() {
        assert!(parse_instant("0001-01-01T00:00:00Z").is_some());
        assert!(parse_instant("9999-12-31T23:59:59.999Z").is_some());
        assert!(parse_instant("0000-12-31T23:59:59Z").is_none());
        assert!(
            parse_instant("0001-01-01T00:00:00+01:00").is_none(),
            "year 0 in UTC"
        );
    }

    #[test]
    fn reads_bare_dates_as_midnight_utc() {
        let t = parse_instant_or_date("2026-07-15").unwrap();
        assert_eq!(format(&t), "2026-07-15T00:00:00.000Z");
        assert!(parse_instant("2026-07-15").is_none());
        assert!(parse_instant_or_date("15/07/2026").is_none());
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let c = FixedClock::new(parse_instant("2024-01-01T00:00:00Z").unwrap());
        c.advance_ms(1500);
        assert_eq!(format(&c.now()), "2024-01-01T00:00:01.500Z");
    }

    /// A clock never wraps (to 1970) and never gives an instant outside the years 1–9999.
    #[test]
    fn clocks_stay_in_the_years_1_to_9999() {
        let last = parse_instant("9999-12-31T23:59:59.999Z").unwrap();
        let c = FixedClock::new(last);
        assert_eq!(checked_now(&c).unwrap(), last);
        for ms in [1, i64::MAX, 1 << 62, 86_400_000 * 100_000_000] {
            let e = c.try_advance_ms(ms).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::InvalidTimestamp, Some("ms"))
            );
            assert_eq!(c.now(), last, "unchanged");
        }
        c.advance_ms(i64::MAX);
        c.advance_ms(i64::MAX);
        assert!(c.now().year() > 9999, "saturated, not wrapped: {}", c.now());
        assert_eq!(
            checked_now(&c).unwrap_err().code,
            ErrorCode::InvalidTimestamp
        );
        let first = parse_instant("0001-01-01T00:00:00Z").unwrap();
        c.set(first);
        assert_eq!(
            c.try_advance_ms(-1).unwrap_err().code,
            ErrorCode::InvalidTimestamp
        );
        c.advance_ms(i64::MIN);
        assert!(c.now().year() < 1);
        assert_eq!(
            checked_now(&c).unwrap_err().code,
            ErrorCode::InvalidTimestamp
        );
        assert_eq!(
            c.try_set(last + chrono::Duration::milliseconds(1))
                .unwrap_err()
                .code,
            ErrorCode::InvalidTimestamp
        );
        c.try_set(last).unwrap();
        assert_eq!(checked_now(&SystemClock).unwrap().year(), Utc::now().year());
    }
}
