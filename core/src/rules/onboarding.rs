//! How an onboarding changes: a patch applied under the phase rules and the waiting invariant.

use super::{phase, required, state};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Onboarding, OnboardingPatch, Patch, Phase, State, Timestamp};

/// A phase change an update makes, to be recorded as a phase transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseChange {
    /// The phase before.
    pub from: Phase,
    /// The phase after.
    pub to: Phase,
    /// The reason given with the update, if any.
    pub reason: Option<String>,
}

/// Applies an already validated patch to `before` as of `now`.
///
/// Every field is set first; then the state is resolved (4.2), the phase change checked against the
/// resulting state (4.1), and the effects of entering `completed` applied. `updated_at` is left to the
/// caller, who knows whether anything changed.
pub fn apply_patch(
    before: &Onboarding,
    patch: OnboardingPatch,
    now: Timestamp,
) -> Result<(Onboarding, Option<PhaseChange>)> {
    let mut after = before.clone();
    let b = before.clone();
    after.template_id = patch.template_id.apply(b.template_id);
    after.target_launch_date = patch.target_launch_date.apply(b.target_launch_date);
    after.csm_id = patch.csm_id.apply(b.csm_id);
    after.se_id = patch.se_id.apply(b.se_id);
    after.designer_id = patch.designer_id.apply(b.designer_id);
    after.product_ops_id = patch.product_ops_id.apply(b.product_ops_id);
    after.notes = patch.notes.apply(b.notes);
    after.wizard_completed_at = patch.wizard_completed_at.apply(b.wizard_completed_at);
    after.started_at = required(patch.started_at, b.started_at);
    after.reminder_email = required(patch.reminder_email, b.reminder_email);
    after.reminder_slack = required(patch.reminder_slack, b.reminder_slack);
    after.reminder_frequency_days =
        required(patch.reminder_frequency_days, b.reminder_frequency_days);

    let requested_state = set_value(patch.state);
    let requested_waiting = set_value(patch.waiting_on_customer);
    let to = set_value(patch.phase).unwrap_or(before.phase);
    let reason = patch
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());

    let mut state = state::resolve(before.state, requested_state, requested_waiting)?;
    let step = phase::check(before.phase, to, state, reason.as_deref())?;
    let change = (step != phase::Step::Stay).then_some(PhaseChange {
        from: before.phase,
        to,
        reason,
    });
    if change.is_some() && to == Phase::Completed {
        state = end_waiting_on_completion(state, requested_state, requested_waiting)?;
        after.completed_at = Some(now);
    }
    after.phase = to;
    set_state(&mut after, state, before.waiting_on_customer_since, now);
    check_reminders(&after)?;
    Ok((after, change))
}

/// Resolves the initial phase, state and waiting fields of a new onboarding as of `now`.
pub fn initialise(
    onboarding: &mut Onboarding,
    phase: Option<Phase>,
    state: Option<State>,
    waiting: Option<bool>,
    now: Timestamp,
) -> Result<()> {
    let mut resolved = state::resolve(State::Active, state, waiting)?;
    onboarding.phase = phase.unwrap_or(Phase::BeforeGettingStarted);
    if onboarding.phase == Phase::Completed {
        resolved = end_waiting_on_completion(resolved, state, waiting)?;
        onboarding.completed_at = Some(now);
    }
    set_state(onboarding, resolved, None, now);
    check_reminders(onboarding)
}

/// Checks an onboarding given whole rather than built by the rules (import): the waiting
/// invariant (4.2), `completed_at` set exactly in `completed`, no waiting in `completed`, and the
/// reminder frequency. Each failure is `conflicting_fields` (`too_small` for the frequency) naming
/// the field at odds with the others.
pub fn check_consistent(o: &Onboarding) -> Result<()> {
    let conflict = |field: &str, message: &str| {
        Err(Error::field(ErrorCode::ConflictingFields, field, message))
    };
    if o.waiting_on_customer != (o.state == State::Waiting) {
        return conflict(
            "waiting_on_customer",
            "`waiting_on_customer` must be true exactly while `state` is `waiting`",
        );
    }
    if o.waiting_on_customer_since.is_some() != o.waiting_on_customer {
        return conflict(
            "waiting_on_customer_since",
            "`waiting_on_customer_since` must be set exactly while waiting on the customer",
        );
    }
    if o.completed_at.is_some() != (o.phase == Phase::Completed) {
        return conflict(
            "completed_at",
            "`completed_at` must be set exactly when `phase` is `completed`",
        );
    }
    if o.phase == Phase::Completed && o.state == State::Waiting {
        return conflict("state", "a completed onboarding cannot be waiting");
    }
    check_reminders(o)
}

/// Entering `completed` ends any waiting; asking to wait in the same request is a contradiction.
fn end_waiting_on_completion(
    state: State,
    requested: Option<State>,
    waiting: Option<bool>,
) -> Result<State> {
    if state != State::Waiting {
        return Ok(state);
    }
    if requested == Some(State::Waiting) || waiting == Some(true) {
        return Err(Error::field(
            ErrorCode::ConflictingFields,
            "waiting_on_customer",
            "an onboarding entering `completed` cannot start waiting on the customer",
        ));
    }
    Ok(State::Active)
}

fn set_state(o: &mut Onboarding, state: State, since: Option<Timestamp>, now: Timestamp) {
    o.state = state;
    o.waiting_on_customer = state == State::Waiting;
    o.waiting_on_customer_since = state::waiting_since(state, since, now);
}

/// `reminder_frequency_days` must be at least 1 while either reminder is on.
fn check_reminders(o: &Onboarding) -> Result<()> {
    if (o.reminder_email || o.reminder_slack) && o.reminder_frequency_days < 1 {
        return Err(Error::field(
            ErrorCode::TooSmall,
            "reminder_frequency_days",
            "`reminder_frequency_days` must be at least 1 while a reminder is on",
        ));
    }
    Ok(())
}

fn set_value<T>(p: Patch<T>) -> Option<T> {
    match p {
        Patch::Set(v) => Some(v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::parse_instant;

    fn at(s: &str) -> Timestamp {
        parse_instant(s).unwrap()
    }

    fn sample() -> Onboarding {
        let t = at("2024-01-01T00:00:00Z");
        Onboarding {
            id: "onb_1".into(),
            display_id: 1,
            customer_id: "cus_1".into(),
            template_id: None,
            phase: Phase::BeforeGettingStarted,
            state: State::Active,
            started_at: t,
            completed_at: None,
            target_launch_date: None,
            csm_id: None,
            se_id: None,
            designer_id: None,
            product_ops_id: None,
            notes: None,
            waiting_on_customer: false,
            waiting_on_customer_since: None,
            wizard_completed_at: None,
            reminder_email: true,
            reminder_slack: true,
            reminder_frequency_days: 1,
            created_at: t,
            updated_at: t,
        }
    }

    #[test]
    fn waiting_starts_and_survives_unrelated_updates() {
        let t1 = at("2024-01-02T00:00:00Z");
        let patch = OnboardingPatch {
            waiting_on_customer: Patch::Set(true),
            ..Default::default()
        };
        let (o, _) = apply_patch(&sample(), patch, t1).unwrap();
        assert_eq!(
            (o.state, o.waiting_on_customer, o.waiting_on_customer_since),
            (State::Waiting, true, Some(t1))
        );
        let patch = OnboardingPatch {
            notes: Patch::Set("x".into()),
            ..Default::default()
        };
        let (o2, _) = apply_patch(&o, patch, at("2024-01-03T00:00:00Z")).unwrap();
        assert_eq!(o2.waiting_on_customer_since, Some(t1));
    }

    #[test]
    fn completing_sets_completed_at_and_ends_waiting() {
        let mut o = sample();
        o.phase = Phase::Launch;
        o.state = State::Waiting;
        o.waiting_on_customer = true;
        o.waiting_on_customer_since = Some(o.created_at);
        let now = at("2024-02-01T00:00:00Z");
        let patch = OnboardingPatch {
            phase: Patch::Set(Phase::Completed),
            ..Default::default()
        };
        let (after, change) = apply_patch(&o, patch, now).unwrap();
        assert_eq!(after.completed_at, Some(now));
        assert_eq!(
            (
                after.state,
                after.waiting_on_customer,
                after.waiting_on_customer_since
            ),
            (State::Active, false, None)
        );
        assert_eq!(change.unwrap().to, Phase::Completed);
    }

    #[test]
    fn unpausing_in_the_same_update_allows_a_phase_change() {
        let mut o = sample();
        o.state = State::Paused;
        let patch = OnboardingPatch {
            phase: Patch::Set(Phase::ProgramDesign),
            state: Patch::Set(State::Active),
            ..Default::default()
        };
        assert!(apply_patch(&o, patch, o.created_at).is_ok());
    }

    #[test]
    fn reminder_frequency_must_be_positive_while_reminding() {
        let patch = OnboardingPatch {
            reminder_frequency_days: Patch::Set(0),
            ..Default::default()
        };
        assert_eq!(
            apply_patch(&sample(), patch, sample().created_at)
                .unwrap_err()
                .code,
            ErrorCode::TooSmall
        );
        let patch = OnboardingPatch {
            reminder_frequency_days: Patch::Set(0),
            reminder_email: Patch::Set(false),
            reminder_slack: Patch::Set(false),
            ..Default::default()
        };
        assert!(apply_patch(&sample(), patch, sample().created_at).is_ok());
    }

    #[test]
    fn blank_reasons_do_not_count() {
        let patch = OnboardingPatch {
            phase: Patch::Set(Phase::Launch),
            reason: Some("   ".into()),
            ..Default::default()
        };
        let e = apply_patch(&sample(), patch, sample().created_at).unwrap_err();
        assert_eq!(e.code, ErrorCode::TransitionReasonRequired);
    }
}
