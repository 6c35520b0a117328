"""Hypothesis state machine: phases and waiting through the binding, against a model of the rules
(docs/reference.md#phases, #state-and-waiting).

Random sequences of creates, updates (phase, state, waiting flag, reason, in any combination) and
clock moves run on a real store; a small Python model of the rules predicts every outcome — the
error code when refused, else phase, state, waiting fields, completion time, the transition recorded
and the events written (4.3) — and the invariants are checked after every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, multiple, rule

import pivotal_core as pc
from pivotal_core import Phase, State

PHASES = list(Phase)
STATES = list(State)
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

maybe_phase = st.none() | st.sampled_from(PHASES)
maybe_state = st.none() | st.sampled_from(STATES)
maybe_flag = st.none() | st.booleans()
reasons = st.none() | st.sampled_from(["", "   ", "customer asked", " skip ahead "])


class Refused(Exception):
    """The model says the update is refused with this code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Model:
    """What an onboarding should look like."""

    id: str
    phase: Phase
    state: State
    since: Optional[datetime]
    completed_at: Optional[datetime]
    updated_at: datetime
    transitions: list[tuple[Phase, Phase, Optional[str]]] = field(default_factory=list)


def resolve_state(current: State, state: Optional[State], waiting: Optional[bool]) -> State:
    """docs/reference.md#state-and-waiting: the state an update leaves, or refused when state and flag contradict."""
    if state is not None and waiting is not None and (state is State.WAITING) != waiting:
        raise Refused("conflicting_fields")
    if state is not None:
        return state
    if waiting is True:
        return State.WAITING
    if waiting is False and current is State.WAITING:
        return State.ACTIVE
    return current


def end_waiting_on_completion(state: State, requested: Optional[State], waiting: Optional[bool]) -> State:
    """Entering `completed` ends waiting; asking to wait at the same time is a contradiction."""
    if state is not State.WAITING:
        return state
    if requested is State.WAITING or waiting is True:
        raise Refused("conflicting_fields")
    return State.ACTIVE


def expected_update_events(before: Model, after: Model) -> list[str]:
    """docs/reference.md#change-log: the events an onboarding update writes, in order."""
    changed = (before.phase, before.state, before.since, before.completed_at) != (
        after.phase,
        after.state,
        after.since,
        after.completed_at,
    )
    if not changed:
        return []
    events = ["onboarding.updated"]
    if before.phase is not after.phase:
        events.append("onboarding.phase_changed")
        if after.phase is Phase.LAUNCH:
            events.append("onboarding.launched")
        elif after.phase is Phase.COMPLETED:
            events.append("onboarding.completed")
    if before.state is not after.state:
        events.append("onboarding.state_changed")
        if after.state is State.AT_RISK:
            events.append("onboarding.at_risk")
        elif before.state is State.AT_RISK and after.state is State.ACTIVE:
            events.append("onboarding.back_on_track")
    return events


class PhasesAndWaiting(RuleBasedStateMachine):
    """One store, one customer, a few onboardings; the model in `self.models`."""

    onboardings = Bundle("onboardings")

    def __init__(self) -> None:
        super().__init__()
        self.clock = pc.FixedClock(START)
        self.db = pc.open_in_memory(actor="hypothesis", clock=self.clock)
        self.customer = self.db.customers.create(name="Acme")
        self.models: dict[str, Model] = {}
        self.last_sequence = 0
        assert self.new_event_types() == ["customer.created"]

    def teardown(self) -> None:
        self.db.close()

    def new_event_types(self) -> list[str]:
        events = list(self.db.events.list(after_sequence=self.last_sequence, limit=100))
        if events:
            self.last_sequence = events[-1].sequence
        return [e.type.value for e in events]

    @initialize(target=onboardings)
    def first_onboarding(self) -> str:
        o = self.db.onboardings.create(customer_id=self.customer.id)
        self.models[o.id] = Model(o.id, Phase.BEFORE_GETTING_STARTED, State.ACTIVE, None, None, o.updated_at)
        self.new_event_types()
        return o.id

    @rule(target=onboardings, phase=maybe_phase, state=maybe_state, waiting=maybe_flag)
    def create(self, phase: Optional[Phase], state: Optional[State], waiting: Optional[bool]) -> Any:
        now = self.clock.now()
        fields: dict[str, Any] = {}
        if phase is not None:
            fields["phase"] = phase
        if state is not None:
            fields["state"] = state.value  # plain strings are accepted too
        if waiting is not None:
            fields["waiting_on_customer"] = waiting
        try:
            resolved = resolve_state(State.ACTIVE, state, waiting)
            target = phase or Phase.BEFORE_GETTING_STARTED
            completed_at = None
            if target is Phase.COMPLETED:
                resolved = end_waiting_on_completion(resolved, state, waiting)
                completed_at = now
            expected: Optional[Model] = Model(
                "", target, resolved, now if resolved is State.WAITING else None, completed_at, now
            )
            code = None
        except Refused as r:
            expected, code = None, r.code
        try:
            o = self.db.onboardings.create(customer_id=self.customer.display_id, **fields)
        except pc.InvalidRequestError as e:
            assert code is not None, f"refused unexpectedly: {e!r}"
            assert e.code == code
            assert self.new_event_types() == []
            return multiple()  # nothing to add to the bundle
        assert code is None, f"expected {code}, got success"
        assert expected is not None
        expected.id = o.id
        self.models[o.id] = expected
        assert self.new_event_types() == ["onboarding.created"]
        assert self.db.onboardings.transitions(o.id) == []  # created in a phase: no transition
        return o.id

    @rule(
        onboarding=onboardings,
        phase=maybe_phase,
        state=maybe_state,
        waiting=maybe_flag,
        reason=reasons,
    )
    def update(
        self,
        onboarding: str,
        phase: Optional[Phase],
        state: Optional[State],
        waiting: Optional[bool],
        reason: Optional[str],
    ) -> None:
        before = self.models[onboarding]
        now = self.clock.now()
        fields: dict[str, Any] = {}
        if phase is not None:
            fields["phase"] = phase
        if state is not None:
            fields["state"] = state
        if waiting is not None:
            fields["waiting_on_customer"] = waiting
        if reason is not None:
            fields["reason"] = reason
        expected = self.predict(before, phase, state, waiting, reason, now)
        try:
            o = self.db.onboardings.update(onboarding, **fields)
        except pc.InvalidRequestError as e:
            assert isinstance(expected, Refused), f"refused unexpectedly: {e!r}"
            assert e.code == expected.code, (e.code, expected.code)
            assert self.new_event_types() == []
            return
        assert isinstance(expected, Model), f"expected {expected}, got success"
        assert (o.phase, o.state, o.waiting_on_customer_since, o.completed_at) == (
            expected.phase,
            expected.state,
            expected.since,
            expected.completed_at,
        )
        assert o.updated_at == expected.updated_at
        assert self.new_event_types() == expected_update_events(before, expected)
        self.models[onboarding] = expected

    def predict(
        self,
        before: Model,
        phase: Optional[Phase],
        state: Optional[State],
        waiting: Optional[bool],
        reason: Optional[str],
        now: datetime,
    ) -> Model | Refused:
        """docs/reference.md#phases, #state-and-waiting: the onboarding after the update, or the refusal."""
        try:
            new_state = resolve_state(before.state, state, waiting)
            to = phase or before.phase
            after = Model(
                before.id,
                before.phase,
                before.state,
                before.since,
                before.completed_at,
                before.updated_at,
                list(before.transitions),
            )
            if to is not before.phase:
                if before.phase is Phase.COMPLETED:
                    raise Refused("invalid_phase_transition")
                if new_state is State.PAUSED:
                    raise Refused("onboarding_paused")
                stripped = (reason or "").strip() or None
                if to.position - before.phase.position != 1 and stripped is None:
                    raise Refused("transition_reason_required")
                if to is Phase.COMPLETED:
                    new_state = end_waiting_on_completion(new_state, state, waiting)
                    after.completed_at = now
                after.transitions.append((before.phase, to, stripped))
                after.phase = to
            after.state = new_state
            after.since = (before.since or now) if new_state is State.WAITING else None
            if expected_update_events(before, after):
                after.updated_at = now
            return after
        except Refused as r:
            return r

    @rule(ms=st.integers(min_value=1, max_value=3 * 24 * 3600 * 1000))
    def advance_clock(self, ms: int) -> None:
        self.clock.advance(ms=ms)

    @invariant()
    def store_matches_model(self) -> None:
        for oid, m in self.models.items():
            o = self.db.onboardings.retrieve(oid)
            assert (o.phase, o.state, o.waiting_on_customer_since, o.completed_at, o.updated_at) == (
                m.phase,
                m.state,
                m.since,
                m.completed_at,
                m.updated_at,
            )
            # state == waiting <=> waiting_on_customer <=> waiting_on_customer_since is set
            # (docs/reference.md#state-and-waiting).
            assert (o.state is State.WAITING) == o.waiting_on_customer == (o.waiting_on_customer_since is not None)
            # docs/reference.md#phases: completed_at is set exactly when completed.
            assert (o.phase is Phase.COMPLETED) == (o.completed_at is not None)
            transitions = self.db.onboardings.transitions(oid)
            assert [(t.from_phase, t.to_phase, t.reason) for t in transitions] == m.transitions
            assert all(t.actor == "hypothesis" for t in transitions)


PhasesAndWaiting.TestCase.settings = settings(
    max_examples=500,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestPhasesAndWaiting = PhasesAndWaiting.TestCase


def test_model_agrees_with_a_known_walk() -> None:
    """A sanity check of the model itself on a hand-written sequence."""
    m = Model("x", Phase.REVIEW, State.WAITING, START, None, START)
    later = START + timedelta(days=1)
    out = PhasesAndWaiting.predict(None, m, Phase.COMPLETED, None, None, "r", later)  # type: ignore[arg-type]
    assert isinstance(out, Model)
    assert (out.phase, out.state, out.since, out.completed_at) == (Phase.COMPLETED, State.ACTIVE, None, later)
    refused = PhasesAndWaiting.predict(None, m, Phase.LAUNCH, State.PAUSED, None, "r", later)  # type: ignore[arg-type]
    assert isinstance(refused, Refused) and refused.code == "onboarding_paused"
