//! One number per phase, or per state: durations in milliseconds, or counts.
//!
//! Plain records with one field per value (not maps), so every binding can expose them as they
//! are; they serialise to the same JSON a map keyed by the wire strings would:
//! `{"before_getting_started": 0, "program_design": 0, …}`.

use crate::model::{Phase, State};
use serde::{Deserialize, Serialize};

/// One number per phase, in phase order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByPhase {
    /// `before_getting_started`
    pub before_getting_started: i64,
    /// `program_design`
    pub program_design: i64,
    /// `review`
    pub review: i64,
    /// `program_buildout`
    pub program_buildout: i64,
    /// `internal_qa`
    pub internal_qa: i64,
    /// `launch`
    pub launch: i64,
    /// `completed`
    pub completed: i64,
}

impl ByPhase {
    /// The number for `phase`.
    pub fn get(&self, phase: Phase) -> i64 {
        match phase {
            Phase::BeforeGettingStarted => self.before_getting_started,
            Phase::ProgramDesign => self.program_design,
            Phase::Review => self.review,
            Phase::ProgramBuildout => self.program_buildout,
            Phase::InternalQa => self.internal_qa,
            Phase::Launch => self.launch,
            Phase::Completed => self.completed,
        }
    }

    /// The number for `phase`, to change.
    pub fn get_mut(&mut self, phase: Phase) -> &mut i64 {
        match phase {
            Phase::BeforeGettingStarted => &mut self.before_getting_started,
            Phase::ProgramDesign => &mut self.program_design,
            Phase::Review => &mut self.review,
            Phase::ProgramBuildout => &mut self.program_buildout,
            Phase::InternalQa => &mut self.internal_qa,
            Phase::Launch => &mut self.launch,
            Phase::Completed => &mut self.completed,
        }
    }

    /// The sum over every phase.
    pub fn total(&self) -> i64 {
        Phase::ALL.iter().map(|p| self.get(*p)).sum()
    }
}

/// One number per state, in state order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByState {
    /// `active`
    pub active: i64,
    /// `paused`
    pub paused: i64,
    /// `at_risk`
    pub at_risk: i64,
    /// `waiting`
    pub waiting: i64,
}

impl ByState {
    /// The number for `state`.
    pub fn get(&self, state: State) -> i64 {
        match state {
            State::Active => self.active,
            State::Paused => self.paused,
            State::AtRisk => self.at_risk,
            State::Waiting => self.waiting,
        }
    }

    /// The number for `state`, to change.
    pub fn get_mut(&mut self, state: State) -> &mut i64 {
        match state {
            State::Active => &mut self.active,
            State::Paused => &mut self.paused,
            State::AtRisk => &mut self.at_risk,
            State::Waiting => &mut self.waiting,
        }
    }

    /// The sum over every state.
    pub fn total(&self) -> i64 {
        State::ALL.iter().map(|s| self.get(*s)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialise_like_maps_keyed_by_the_wire_strings_in_order() {
        let mut phases = ByPhase::default();
        *phases.get_mut(Phase::Review) += 3;
        let json = serde_json::to_value(phases).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let wire: Vec<&str> = Phase::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(keys, wire);
        assert_eq!(json["review"], 3);
        assert_eq!(phases.total(), 3);

        let mut states = ByState::default();
        *states.get_mut(State::Waiting) += 2;
        let json = serde_json::to_value(states).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let wire: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(keys, wire);
        assert_eq!(states.get(State::Waiting), 2);
        assert_eq!(states.total(), 2);
    }
}
