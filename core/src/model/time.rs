//! Timestamps (UTC, millisecond precision, RFC 3339 with `Z`) and the injectable clock.

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

    /// Moves the clock to `t` (backwards is allowed).
    pub fn set(&self, t: Timestamp) {
        self.ms.store(t.timestamp_millis(), Ordering::SeqCst);
    }

    /// Moves the clock forward by `ms` milliseconds.
    pub fn advance_ms(&self, ms: i64) {
        self.ms.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        from_unix_ms(self.ms.load(Ordering::SeqCst)).unwrap_or_default()
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
}
