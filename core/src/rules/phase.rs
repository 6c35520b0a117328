//! Phase transitions (docs/reference.md#phases).

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Phase, State};

/// How a phase change relates to the order of phases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Same phase: nothing to do.
    Stay,
    /// The next phase.
    Forward,
    /// Two or more phases ahead.
    Skip,
    /// Any earlier phase.
    Backward,
}

/// Classifies a change from `from` to `to`.
pub fn step(from: Phase, to: Phase) -> Step {
    match to.index() as isize - from.index() as isize {
        0 => Step::Stay,
        1 => Step::Forward,
        d if d > 1 => Step::Skip,
        _ => Step::Backward,
    }
}

/// Checks a phase change against the onboarding as it will be after the whole update.
///
/// `reason` must already be trimmed (`None` when empty).
pub fn check(from: Phase, to: Phase, resulting_state: State, reason: Option<&str>) -> Result<Step> {
    let step = step(from, to);
    if step == Step::Stay {
        return Ok(step);
    }
    if from == Phase::Completed {
        return Err(Error::field(
            ErrorCode::InvalidPhaseTransition,
            "phase",
            "a completed onboarding cannot change phase",
        ));
    }
    if resulting_state == State::Paused {
        return Err(Error::field(
            ErrorCode::OnboardingPaused,
            "phase",
            "a paused onboarding cannot change phase; resume it first",
        ));
    }
    if step != Step::Forward && reason.is_none() {
        return Err(Error::field(
            ErrorCode::TransitionReasonRequired,
            "reason",
            format!("moving from `{from}` to `{to}` skips or reverses phases and needs a `reason`"),
        ));
    }
    Ok(step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Phase::*;

    fn code(r: Result<Step>) -> ErrorCode {
        r.unwrap_err().code
    }

    #[test]
    fn one_step_forward_needs_nothing() {
        for w in Phase::ALL.windows(2) {
            assert_eq!(
                check(w[0], w[1], State::Active, None).unwrap(),
                Step::Forward
            );
        }
    }

    #[test]
    fn skips_and_regressions_need_a_reason() {
        assert_eq!(
            code(check(Review, Launch, State::Active, None)),
            ErrorCode::TransitionReasonRequired
        );
        assert_eq!(
            code(check(Review, ProgramDesign, State::Active, None)),
            ErrorCode::TransitionReasonRequired
        );
        assert_eq!(
            check(Review, Launch, State::Active, Some("fast")).unwrap(),
            Step::Skip
        );
        assert_eq!(
            check(Review, ProgramDesign, State::AtRisk, Some("x")).unwrap(),
            Step::Backward
        );
    }

    #[test]
    fn completed_is_terminal_and_paused_blocks() {
        assert_eq!(
            code(check(Completed, Launch, State::Active, Some("x"))),
            ErrorCode::InvalidPhaseTransition
        );
        assert_eq!(
            code(check(Review, ProgramBuildout, State::Paused, None)),
            ErrorCode::OnboardingPaused
        );
        assert_eq!(
            check(Completed, Completed, State::Paused, None).unwrap(),
            Step::Stay
        );
    }
}
