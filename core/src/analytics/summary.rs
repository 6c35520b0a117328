//! The clocks of one onboarding as of an instant, from its history alone.
//!
//! The rules (the SQLite store's report query applies the same ones, term for term):
//!
//! - **Which entries count.** Those with `at <= as_of`, in `seq` order. The newest of them gives
//!   the onboarding's values as of that instant (phase, state, `started_at` = S, target, CSM,
//!   template). An onboarding with none did not exist yet.
//! - **Segments.** Each entry covers `[lo, hi)`: `hi` is its `until` (capped at `as_of`), or
//!   `as_of` for the newest; `lo` is `max(at, S)`, except that the creation entry starts at S
//!   itself, so when `started_at` is earlier than the creation (an imported or mirrored
//!   onboarding) the time before the record existed counts in the phase and state it was created
//!   with. Time before S counts nowhere.
//! - **Completion stops the clock.** An entry in phase `completed` ends where it begins
//!   (`hi = at`), so nothing counts after the first entry into `completed` — except, for an
//!   onboarding created directly in `completed` with an earlier S, the stretch from S to its
//!   creation, attributed to `completed`.
//! - A segment counts `max(0, hi - lo)` milliseconds (never negative, even if the clock that
//!   recorded the history once went backwards).
//! - **Elapsed** is the sum over every segment, **waiting** the sum over segments in state
//!   `waiting`, **SLA time** elapsed minus waiting: waiting on the customer suspends the SLA clock,
//!   nothing else does (a paused onboarding's clock runs).
//! - **Launch** is the first instant the onboarding was recorded at or beyond `launch` (`launch`,
//!   or `completed` reached by a skip or created directly): for an onboarding created in such a
//!   phase, its creation instant. **Time to launch** sums the segments cut at that instant; its
//!   SLA variant leaves out the waiting ones.
//! - **Completion** is the first entry into `completed`.
//! - **The current stint** begins at the newest entry that entered a phase (the creation entry or
//!   a change of phase); its SLA time sums the non-waiting segments cut to begin there.

use super::history::{HistoryEntry, Snapshot};
use super::tally::ByPhase;
use crate::model::time::from_unix_ms;
use crate::model::{Phase, State, Timestamp};

/// What [`summarize`] finds for one onboarding; durations in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The onboarding's analytics fields as of the instant.
    pub snapshot: Snapshot,
    /// Time in each phase, summed over re-entries.
    pub time_in_phase: ByPhase,
    /// From `started_at` to the instant, or to completion.
    pub elapsed: i64,
    /// The part of `elapsed` spent waiting on the customer.
    pub waiting: i64,
    /// When the current stint in the current phase began (`started_at` for the first stint).
    pub current_phase_since: Timestamp,
    /// The SLA time of the current stint.
    pub current_phase_sla: i64,
    /// The first instant at or beyond `launch`.
    pub launched_at: Option<Timestamp>,
    /// Elapsed time up to the launch; `None` until launched.
    pub time_to_launch: Option<i64>,
    /// SLA time up to the launch; `None` until launched.
    pub sla_time_to_launch: Option<i64>,
    /// The first entry into `completed`.
    pub completed_at: Option<Timestamp>,
}

impl Summary {
    /// Elapsed time minus waiting.
    pub fn sla(&self) -> i64 {
        self.elapsed - self.waiting
    }

    /// Whether the onboarding had launched no later than its target (as of the instant);
    /// `None` without a target or before the launch.
    pub fn on_time(&self) -> Option<bool> {
        match (self.launched_at, self.snapshot.target_launch_date) {
            (Some(launched), Some(target)) => Some(launched <= target),
            _ => None,
        }
    }

    /// Whether the target had passed (strictly before `as_of`) without a launch.
    pub fn overdue(&self, as_of: Timestamp) -> bool {
        self.launched_at.is_none()
            && self
                .snapshot
                .target_launch_date
                .is_some_and(|target| target < as_of)
    }

    /// Whether the onboarding is still open (not `completed`).
    pub fn is_open(&self) -> bool {
        self.snapshot.phase != Phase::Completed
    }
}

/// The clocks of the onboarding whose history (in `seq` order) is `history`, as of `as_of`;
/// `None` when no entry is that old (the onboarding did not exist yet).
pub fn summarize(history: &[HistoryEntry], as_of: Timestamp) -> Option<Summary> {
    let a = as_of.timestamp_millis();
    let kept: Vec<&HistoryEntry> = history.iter().filter(|e| ms(e.at) <= a).collect();
    let last = *kept.last()?;
    let s = ms(last.snapshot.started_at);
    let first_at = |wanted: fn(Phase) -> bool| {
        kept.iter()
            .filter(|e| wanted(e.snapshot.phase))
            .map(|e| ms(e.at))
            .min()
    };
    let launched = first_at(|p| p >= Phase::Launch);
    let completed = first_at(|p| p == Phase::Completed);
    let stint = kept
        .iter()
        .filter(|e| e.enters_phase())
        .map(|e| if e.is_creation() { i64::MIN } else { ms(e.at) })
        .max()
        .unwrap_or(i64::MIN);

    let mut summary = Summary {
        snapshot: last.snapshot.clone(),
        time_in_phase: ByPhase::default(),
        elapsed: 0,
        waiting: 0,
        current_phase_since: instant(stint.max(s)),
        current_phase_sla: 0,
        launched_at: launched.map(instant),
        time_to_launch: launched.map(|_| 0),
        sla_time_to_launch: launched.map(|_| 0),
        completed_at: completed.map(instant),
    };
    for e in kept {
        let at = ms(e.at);
        let lo = if e.is_creation() { s } else { at.max(s) };
        let hi = if e.snapshot.phase == Phase::Completed {
            at
        } else {
            e.until.map_or(a, ms).min(a)
        };
        let counted = span(lo, hi);
        let waiting = e.snapshot.state == State::Waiting;
        *summary.time_in_phase.get_mut(e.snapshot.phase) += counted;
        summary.elapsed += counted;
        if waiting {
            summary.waiting += counted;
        } else {
            summary.current_phase_sla += span(lo.max(stint), hi);
        }
        if let Some(l) = launched {
            let before_launch = span(lo, hi.min(l));
            add(&mut summary.time_to_launch, before_launch);
            if !waiting {
                add(&mut summary.sla_time_to_launch, before_launch);
            }
        }
    }
    Some(summary)
}

/// The milliseconds of `[lo, hi)`, 0 when empty.
fn span(lo: i64, hi: i64) -> i64 {
    hi.saturating_sub(lo).max(0)
}

fn add(total: &mut Option<i64>, ms: i64) {
    if let Some(t) = total {
        *t += ms;
    }
}

fn ms(t: Timestamp) -> i64 {
    t.timestamp_millis()
}

/// Every value here comes from a stored timestamp, so it is representable.
fn instant(ms: i64) -> Timestamp {
    from_unix_ms(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::history::NewHistoryEntry;

    const DAY: i64 = 86_400_000;
    /// 2024-01-01T00:00:00Z.
    const T0: i64 = 1_704_067_200_000;

    fn day(d: f64) -> Timestamp {
        instant(T0 + (d * DAY as f64) as i64)
    }

    /// A history built the way the service records one: each step `(day, phase, state)` is an
    /// entry, closing the previous one.
    struct Builder {
        entries: Vec<HistoryEntry>,
        snapshot: Snapshot,
    }

    impl Builder {
        fn created(at: f64, phase: Phase, state: State) -> Self {
            let snapshot = Snapshot {
                phase,
                state,
                started_at: day(at),
                target_launch_date: None,
                csm_id: None,
                template_id: None,
            };
            let mut b = Self {
                entries: Vec::new(),
                snapshot,
            };
            b.push(at, None);
            b
        }

        fn push(&mut self, at: f64, previous_phase: Option<Phase>) {
            if let Some(last) = self.entries.last_mut() {
                last.until = Some(day(at));
            }
            let entry = NewHistoryEntry {
                onboarding_id: "onb_1".into(),
                at: day(at),
                previous_phase,
                snapshot: self.snapshot.clone(),
            };
            self.entries
                .push(HistoryEntry::new(entry, self.entries.len() as i64));
        }

        fn to(mut self, at: f64, phase: Phase, state: State) -> Self {
            let previous = self.snapshot.phase;
            self.snapshot.phase = phase;
            self.snapshot.state = state;
            self.push(at, Some(previous));
            self
        }

        fn started(mut self, at: f64) -> Self {
            self.snapshot.started_at = day(at);
            self.entries[0].snapshot.started_at = day(at);
            self
        }

        fn target(mut self, at: f64) -> Self {
            self.snapshot.target_launch_date = Some(day(at));
            for e in &mut self.entries {
                e.snapshot.target_launch_date = Some(day(at));
            }
            self
        }

        fn at(&self, as_of: f64) -> Summary {
            summarize(&self.entries, day(as_of)).expect("the onboarding existed")
        }
    }

    use Phase::*;
    use State::*;

    fn days(ms: i64) -> f64 {
        ms as f64 / DAY as f64
    }

    #[test]
    fn several_waiting_periods_suspend_the_sla_clock() {
        // Day 0 created; waits 2–3 and 5–8; as of day 10.
        let h = Builder::created(0.0, BeforeGettingStarted, Active)
            .to(2.0, BeforeGettingStarted, Waiting)
            .to(3.0, BeforeGettingStarted, Active)
            .to(5.0, BeforeGettingStarted, Waiting)
            .to(8.0, BeforeGettingStarted, Active);
        let s = h.at(10.0);
        assert_eq!(days(s.elapsed), 10.0);
        assert_eq!(days(s.waiting), 4.0);
        assert_eq!(days(s.sla()), 6.0);
        assert_eq!(days(s.time_in_phase.before_getting_started), 10.0);
        assert_eq!(s.current_phase_since, day(0.0));
        assert_eq!(days(s.current_phase_sla), 6.0);
        // As of day 6, in the middle of the second wait.
        let s = h.at(6.0);
        assert_eq!((days(s.elapsed), days(s.waiting)), (6.0, 2.0));
        assert_eq!(s.snapshot.state, Waiting);
    }

    #[test]
    fn a_phase_entered_twice_sums_both_stints_and_the_current_one_restarts() {
        // design 1–4, review 4–6, back to design 6–9 (regression), review again from 9.
        let h = Builder::created(0.0, BeforeGettingStarted, Active)
            .to(1.0, ProgramDesign, Active)
            .to(4.0, Review, Active)
            .to(6.0, ProgramDesign, Active)
            .to(9.0, Review, Active);
        let s = h.at(12.0);
        assert_eq!(days(s.time_in_phase.before_getting_started), 1.0);
        assert_eq!(days(s.time_in_phase.program_design), 6.0);
        assert_eq!(days(s.time_in_phase.review), 5.0);
        assert_eq!(s.time_in_phase.total(), s.elapsed);
        assert_eq!(s.current_phase_since, day(9.0));
        assert_eq!(days(s.current_phase_sla), 3.0);
    }

    #[test]
    fn a_waiting_period_spanning_a_phase_change_counts_in_both_phases() {
        // Waiting from day 2 (design) to day 7, through the move to review on day 4.
        let h = Builder::created(0.0, ProgramDesign, Active)
            .to(2.0, ProgramDesign, Waiting)
            .to(4.0, Review, Waiting)
            .to(7.0, Review, Active);
        let s = h.at(10.0);
        assert_eq!(days(s.waiting), 5.0);
        assert_eq!(days(s.time_in_phase.program_design), 4.0);
        assert_eq!(days(s.time_in_phase.review), 6.0);
        // The review stint began on day 4; 3 of its 6 days were spent waiting.
        assert_eq!(s.current_phase_since, day(4.0));
        assert_eq!(days(s.current_phase_sla), 3.0);
    }

    #[test]
    fn a_pause_does_not_suspend_the_sla_clock() {
        let h = Builder::created(0.0, Review, Active)
            .to(2.0, Review, Paused)
            .to(5.0, Review, Active);
        let s = h.at(6.0);
        assert_eq!(
            (days(s.elapsed), days(s.waiting), days(s.sla())),
            (6.0, 0.0, 6.0)
        );
        assert_eq!(days(s.current_phase_sla), 6.0);
    }

    #[test]
    fn launch_completion_and_on_time() {
        let h = Builder::created(0.0, InternalQa, Active)
            .to(1.0, InternalQa, Waiting)
            .to(3.0, InternalQa, Active)
            .to(5.0, Launch, Active)
            .to(8.0, Completed, Active)
            .target(5.0);
        let s = h.at(20.0);
        assert_eq!(s.launched_at, Some(day(5.0)));
        assert_eq!(s.completed_at, Some(day(8.0)));
        assert_eq!(s.time_to_launch.map(days), Some(5.0));
        assert_eq!(s.sla_time_to_launch.map(days), Some(3.0));
        assert_eq!(s.on_time(), Some(true));
        // The clock stopped at completion.
        assert_eq!(days(s.elapsed), 8.0);
        assert_eq!(s.time_in_phase.completed, 0);
        assert_eq!(s.current_phase_since, day(8.0));
        assert_eq!(s.current_phase_sla, 0);
        // Before the launch: not launched, not yet overdue on day 4, overdue on day 5.5.
        let before = h.at(4.0);
        assert_eq!((before.launched_at, before.on_time()), (None, None));
        assert!(!before.overdue(day(4.0)) && !before.overdue(day(5.0)));
        let late = Builder::created(0.0, InternalQa, Active)
            .target(5.0)
            .at(5.5);
        assert!(late.overdue(day(5.5)));
        // Launched a day late.
        let h = Builder::created(0.0, Launch, Active).target(-1.0);
        assert_eq!(h.at(1.0).on_time(), Some(false));
    }

    #[test]
    fn no_target_means_on_time_is_undefined() {
        let s = Builder::created(0.0, InternalQa, Active)
            .to(3.0, Launch, Active)
            .at(4.0);
        assert_eq!(s.launched_at, Some(day(3.0)));
        assert_eq!((s.on_time(), s.overdue(day(4.0))), (None, false));
    }

    #[test]
    fn a_regression_out_of_launch_keeps_the_first_launch() {
        let s = Builder::created(0.0, InternalQa, Active)
            .to(2.0, Launch, Active)
            .to(3.0, InternalQa, Active)
            .to(6.0, Launch, Active)
            .at(7.0);
        assert_eq!(s.launched_at, Some(day(2.0)));
        assert_eq!(s.time_to_launch.map(days), Some(2.0));
        assert_eq!(days(s.time_in_phase.launch), 2.0);
        assert_eq!(days(s.time_in_phase.internal_qa), 5.0);
    }

    #[test]
    fn a_skip_to_completed_counts_as_the_launch() {
        let s = Builder::created(0.0, InternalQa, Active)
            .to(4.0, Completed, Active)
            .at(9.0);
        assert_eq!(s.launched_at, Some(day(4.0)));
        assert_eq!(s.completed_at, Some(day(4.0)));
        assert_eq!(days(s.elapsed), 4.0);
    }

    #[test]
    fn started_before_creation_extends_the_first_segment_back() {
        // Imported on day 10, work started on day 4, waiting from day 12 to 13.
        let h = Builder::created(10.0, Review, Active)
            .started(4.0)
            .to(12.0, Review, Waiting)
            .to(13.0, ProgramBuildout, Active);
        let s = h.at(15.0);
        assert_eq!(days(s.elapsed), 11.0);
        assert_eq!(days(s.time_in_phase.review), 9.0);
        assert_eq!(days(s.waiting), 1.0);
        // Created directly in launch: launched when recorded, the time before counted in launch.
        let s = Builder::created(10.0, Launch, Active).started(4.0).at(11.0);
        assert_eq!(s.launched_at, Some(day(10.0)));
        assert_eq!(s.time_to_launch.map(days), Some(6.0));
        assert_eq!(days(s.time_in_phase.launch), 7.0);
        // Created directly in completed: the time from the start to the record, then nothing.
        let s = Builder::created(10.0, Completed, Active)
            .started(4.0)
            .at(30.0);
        assert_eq!(days(s.elapsed), 6.0);
        assert_eq!(days(s.time_in_phase.completed), 6.0);
        assert_eq!(s.completed_at, Some(day(10.0)));
    }

    #[test]
    fn started_after_creation_counts_from_the_start_only() {
        let h = Builder::created(0.0, BeforeGettingStarted, Active)
            .started(3.0)
            .to(1.0, BeforeGettingStarted, Waiting)
            .to(4.0, ProgramDesign, Active);
        let s = h.at(6.0);
        // Waiting 1–4 counts only from day 3; before day 3 nothing counts.
        assert_eq!((days(s.elapsed), days(s.waiting)), (3.0, 1.0));
        assert_eq!(days(s.time_in_phase.before_getting_started), 1.0);
        let s = h.at(2.0);
        assert_eq!((s.elapsed, s.current_phase_since), (0, day(3.0)));
    }

    #[test]
    fn nothing_before_the_creation_and_values_as_of_the_instant() {
        let h = Builder::created(1.0, BeforeGettingStarted, Active)
            .to(2.0, ProgramDesign, AtRisk)
            .to(3.0, Review, Active);
        assert!(summarize(&h.entries, day(0.5)).is_none());
        let s = h.at(2.5);
        assert_eq!(
            (s.snapshot.phase, s.snapshot.state),
            (ProgramDesign, AtRisk)
        );
        assert_eq!(days(s.elapsed), 1.5);
        let s = h.at(1.0);
        assert_eq!((s.snapshot.phase, s.elapsed), (BeforeGettingStarted, 0));
    }

    #[test]
    fn a_clock_that_went_backwards_never_makes_time_negative() {
        let h = Builder::created(5.0, BeforeGettingStarted, Active)
            .to(3.0, ProgramDesign, Active)
            .to(6.0, Review, Active);
        let s = h.at(7.0);
        assert!(s.elapsed >= 0 && s.waiting == 0);
        assert_eq!(s.time_in_phase.total(), s.elapsed);
    }
}
