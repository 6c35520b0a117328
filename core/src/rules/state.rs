//! The waiting invariant (docs/reference.md#state-and-waiting): `state == waiting` ⇔ `waiting_on_customer` ⇔ a waiting start.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{State, Timestamp};

/// The state an onboarding takes, given its current state and the state and waiting flag requested.
///
/// Setting the flag true means `waiting`; setting it false while waiting means `active`; setting a
/// state sets the flag to match. Asking for both inconsistently is `conflicting_fields`.
pub fn resolve(current: State, state: Option<State>, waiting: Option<bool>) -> Result<State> {
    match (state, waiting) {
        (Some(s), Some(w)) if (s == State::Waiting) != w => Err(Error::field(
            ErrorCode::ConflictingFields,
            "waiting_on_customer",
            format!("`state: {s}` contradicts `waiting_on_customer: {w}`"),
        )),
        (Some(s), _) => Ok(s),
        (None, Some(true)) => Ok(State::Waiting),
        (None, Some(false)) if current == State::Waiting => Ok(State::Active),
        (None, _) => Ok(current),
    }
}

/// When the current waiting period began: kept while waiting goes on, `now` when it starts, none
/// when not waiting.
pub fn waiting_since(state: State, since: Option<Timestamp>, now: Timestamp) -> Option<Timestamp> {
    (state == State::Waiting).then(|| since.unwrap_or(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use State::*;

    #[test]
    fn flag_and_state_agree() {
        assert_eq!(resolve(Active, None, Some(true)).unwrap(), Waiting);
        assert_eq!(resolve(Waiting, None, Some(false)).unwrap(), Active);
        assert_eq!(resolve(Paused, None, Some(false)).unwrap(), Paused);
        assert_eq!(resolve(Waiting, Some(AtRisk), None).unwrap(), AtRisk);
        assert_eq!(resolve(Active, Some(Waiting), Some(true)).unwrap(), Waiting);
        assert_eq!(resolve(Active, None, None).unwrap(), Active);
    }

    #[test]
    fn contradictions_are_refused() {
        let e = resolve(Active, Some(Active), Some(true)).unwrap_err();
        assert_eq!(e.code, ErrorCode::ConflictingFields);
        assert!(resolve(Active, Some(Waiting), Some(false)).is_err());
    }

    #[test]
    fn waiting_start_survives_while_waiting() {
        let t0 = crate::model::time::from_unix_ms(0).unwrap();
        let t1 = crate::model::time::from_unix_ms(1000).unwrap();
        assert_eq!(waiting_since(Waiting, Some(t0), t1), Some(t0));
        assert_eq!(waiting_since(Waiting, None, t1), Some(t1));
        assert_eq!(waiting_since(Active, Some(t0), t1), None);
    }
}
