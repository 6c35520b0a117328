//! Record ids (`cus_…`), and references that name a record by id or display id.

use rand::{rngs::StdRng, Rng, SeedableRng};
use std::sync::Mutex;

/// The kinds of record that get a prefixed id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// `cus_`
    Customer,
    /// `con_`
    Contact,
    /// `onb_`
    Onboarding,
    /// `evt_`
    Event,
    /// `ptr_` (phase transition)
    PhaseTransition,
    /// `org_` (workspace)
    Workspace,
    /// `key_` (API key)
    ApiKey,
}

impl IdKind {
    /// The id prefix, underscore included.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Customer => "cus_",
            Self::Contact => "con_",
            Self::Onboarding => "onb_",
            Self::Event => "evt_",
            Self::PhaseTransition => "ptr_",
            Self::Workspace => "org_",
            Self::ApiKey => "key_",
        }
    }
}

/// Random characters after the prefix: 20 of 36 symbols, about 103 bits.
const ID_BODY_LEN: usize = 20;
const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Makes new ids. Random by default; seeded for reproducible tests.
///
/// A process forked from the one that made the generator would repeat its ids: the generator
/// notices the new process id and reseeds itself from the operating system's entropy, so no id
/// ever repeats across a fork.
#[derive(Debug)]
pub struct IdGenerator {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    rng: StdRng,
    pid: u32,
}

impl IdGenerator {
    fn with(rng: StdRng) -> Self {
        Self {
            state: Mutex::new(State {
                rng,
                pid: std::process::id(),
            }),
        }
    }

    /// Seeded from the operating system's entropy.
    pub fn random() -> Self {
        Self::with(StdRng::from_os_rng())
    }

    /// Reproducible: the same seed yields the same ids in the same order (in one process).
    pub fn seeded(seed: u64) -> Self {
        Self::with(StdRng::seed_from_u64(seed))
    }

    /// A new id of the given kind, e.g. `cus_0k3j…`.
    pub fn next(&self, kind: IdKind) -> String {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let pid = std::process::id();
        if state.pid != pid {
            *state = State {
                rng: StdRng::from_os_rng(),
                pid,
            };
        }
        let mut id = String::with_capacity(kind.prefix().len() + ID_BODY_LEN);
        id.push_str(kind.prefix());
        for _ in 0..ID_BODY_LEN {
            id.push(ALPHABET[state.rng.random_range(0..ALPHABET.len())] as char);
        }
        id
    }
}

/// A parameter naming a record: a value of ASCII digits only is a display id, anything else an id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ref {
    /// The per-workspace sequence number. `None` when the digits overflow (it names no record).
    DisplayId(Option<i64>),
    /// The record's `id`, verbatim.
    Id(String),
}

impl Ref {
    /// Classifies a reference string.
    pub fn parse(s: &str) -> Self {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            Ref::DisplayId(s.parse().ok())
        } else {
            Ref::Id(s.to_owned())
        }
    }
}

impl From<&str> for Ref {
    fn from(s: &str) -> Self {
        Ref::parse(s)
    }
}

impl From<&String> for Ref {
    fn from(s: &String) -> Self {
        Ref::parse(s)
    }
}

impl From<String> for Ref {
    fn from(s: String) -> Self {
        Ref::parse(&s)
    }
}

impl From<i64> for Ref {
    fn from(n: i64) -> Self {
        Ref::DisplayId(Some(n))
    }
}

/// Reads a display id from a wire object: a positive integer (display ids count from 1).
pub fn deserialize_display_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::{de::Error as _, Deserialize};
    let n = i64::deserialize(d)?;
    if n < 1 {
        return Err(D::Error::custom(format!(
            "`display_id` must be a positive integer, not {n}"
        )));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_prefix_and_lowercase_body() {
        let g = IdGenerator::random();
        let id = g.next(IdKind::Onboarding);
        assert!(id.starts_with("onb_"));
        assert_eq!(id.len(), 24);
        assert!(id[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
        assert_ne!(id, g.next(IdKind::Onboarding));
    }

    #[test]
    fn seeded_generators_repeat() {
        let (a, b) = (IdGenerator::seeded(7), IdGenerator::seeded(7));
        assert_eq!(a.next(IdKind::Customer), b.next(IdKind::Customer));
    }

    #[test]
    fn digits_are_display_ids_anything_else_an_id() {
        assert_eq!(Ref::parse("42"), Ref::DisplayId(Some(42)));
        assert_eq!(Ref::parse("99999999999999999999999"), Ref::DisplayId(None));
        assert_eq!(Ref::parse("cus_1"), Ref::Id("cus_1".into()));
        assert_eq!(Ref::parse("-1"), Ref::Id("-1".into()));
        assert_eq!(Ref::parse("acme"), Ref::Id("acme".into()));
        assert_eq!(Ref::parse(""), Ref::Id(String::new()));
    }
}
