"""Onboardings: create, retrieve, update (phases, states, waiting), delete, lists, transitions."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

import pivotal_core as pc
from pivotal_core import Phase, State


def test_create_defaults(db: pc.Pivotal, acme: pc.Customer, clock: pc.FixedClock) -> None:
    o = db.onboardings.create(customer_id=acme.display_id)
    assert o.id.startswith("onb_") and o.display_id == 1
    assert o.customer_id == acme.id
    assert o.phase is Phase.BEFORE_GETTING_STARTED and o.state is State.ACTIVE
    assert o.started_at == clock.now() and o.completed_at is None
    assert (o.reminder_email, o.reminder_slack, o.reminder_frequency_days) == (True, True, 1)
    assert o.waiting_on_customer is False and o.waiting_on_customer_since is None
    assert db.onboardings.transitions(o.id) == []


def test_create_accepts_datetimes_dates_and_strings(db: pc.Pivotal, acme: pc.Customer) -> None:
    cet = timezone(timedelta(hours=1))
    o = db.onboardings.create(
        customer_id=acme.id,
        started_at=datetime(2024, 3, 1, 10, 0, tzinfo=cet),
        target_launch_date=date(2026, 7, 15),
        wizard_completed_at="2024-03-02T10:00:00+02:00",
        template_id="tmpl_1",
        csm_id="u1",
        notes="hello",
        reminder_frequency_days=7,
    )
    assert o.started_at == datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    assert o.target_launch_date == datetime(2026, 7, 15, tzinfo=timezone.utc)
    assert o.wizard_completed_at == datetime(2024, 3, 2, 8, 0, tzinfo=timezone.utc)
    assert o.to_dict()["target_launch_date"] == "2026-07-15T00:00:00.000Z"
    with pytest.raises(pc.InvalidRequestError) as e:
        db.onboardings.create(customer_id=acme.id, started_at=datetime(2024, 1, 1))  # naive
    assert (e.value.code, e.value.field) == ("invalid_timestamp", "started_at")
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.onboardings.create(customer_id=acme.id, started_at=date(2024, 1, 1))  # type: ignore[call-overload]
    assert (e2.value.code, e2.value.field) == ("invalid_timestamp", "started_at")


def test_create_in_a_later_phase_records_no_transition(db: pc.Pivotal, acme: pc.Customer, clock: pc.FixedClock) -> None:
    o = db.onboardings.create(customer_id=acme.id, phase="launch")
    assert o.phase is Phase.LAUNCH and db.onboardings.transitions(o.id) == []
    done = db.onboardings.create(customer_id=acme.id, phase=Phase.COMPLETED)
    assert done.completed_at == clock.now()
    with pytest.raises(pc.NotFoundError) as e:
        db.onboardings.create(customer_id="cus_missing")
    assert (e.value.code, e.value.field) == ("customer_not_found", "customer_id")
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.onboardings.create()  # type: ignore[call-overload]
    assert (e2.value.code, e2.value.field) == ("missing_field", "customer_id")


def test_walk_every_phase_with_a_refused_skip(db: pc.Pivotal, acme: pc.Customer, clock: pc.FixedClock) -> None:
    o = db.onboardings.create(customer_id=acme.id)
    with pytest.raises(pc.InvalidRequestError) as e:
        db.onboardings.update(o.id, phase=Phase.REVIEW)
    assert (e.value.code, e.value.field) == ("transition_reason_required", "reason")
    for phase in Phase.order()[1:]:
        clock.advance(ms=1000)
        o = db.onboardings.update(o.id, phase=phase)
        assert o.phase is phase
    assert o.completed_at == clock.now()
    transitions = db.onboardings.transitions(o.display_id)
    assert [(t.from_phase, t.to_phase) for t in transitions] == list(zip(Phase.order(), Phase.order()[1:]))
    assert all(t.actor == "tester" and t.reason is None for t in transitions)
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.onboardings.update(o.id, phase="launch", reason="oops")
    assert e2.value.code == "invalid_phase_transition"


def test_skip_and_regression_with_a_reason(db: pc.Pivotal, acme: pc.Customer) -> None:
    o = db.onboardings.create(customer_id=acme.id)
    o = db.onboardings.update(o.id, phase="internal_qa", reason="  fast track  ")
    o = db.onboardings.update(o.id, phase="review", reason="back to review")
    t = db.onboardings.transitions(o.id)
    assert [(x.to_phase, x.reason) for x in t] == [(Phase.INTERNAL_QA, "fast track"), (Phase.REVIEW, "back to review")]
    with pytest.raises(pc.InvalidRequestError) as e:
        db.onboardings.update(o.id, phase="before_getting_started", reason="   ")
    assert e.value.code == "transition_reason_required"


def test_paused_blocks_phase_changes(db: pc.Pivotal, acme: pc.Customer) -> None:
    o = db.onboardings.create(customer_id=acme.id, state="paused")
    with pytest.raises(pc.InvalidRequestError) as e:
        db.onboardings.update(o.id, phase="program_design")
    assert (e.value.code, e.value.field) == ("onboarding_paused", "phase")
    o = db.onboardings.update(o.id, phase="program_design", state="active")
    assert (o.phase, o.state) == (Phase.PROGRAM_DESIGN, State.ACTIVE)


def test_waiting_invariant(db: pc.Pivotal, acme: pc.Customer, clock: pc.FixedClock) -> None:
    o = db.onboardings.create(customer_id=acme.id)
    clock.advance(timedelta(hours=1))
    o = db.onboardings.update(o.id, waiting_on_customer=True)
    since = clock.now()
    assert (o.state, o.waiting_on_customer, o.waiting_on_customer_since) == (State.WAITING, True, since)
    clock.advance(timedelta(hours=1))
    o = db.onboardings.update(o.id, notes="still waiting")
    assert o.waiting_on_customer_since == since
    o = db.onboardings.update(o.id, state="at_risk")
    assert (o.waiting_on_customer, o.waiting_on_customer_since) == (False, None)
    o = db.onboardings.update(o.id, state=State.WAITING)
    assert o.waiting_on_customer and o.waiting_on_customer_since == clock.now()
    o = db.onboardings.update(o.id, waiting_on_customer=False)
    assert o.state is State.ACTIVE and o.waiting_on_customer_since is None
    with pytest.raises(pc.InvalidRequestError) as e:
        db.onboardings.update(o.id, state="active", waiting_on_customer=True)
    assert e.value.code == "conflicting_fields"


def test_completion_ends_waiting(db: pc.Pivotal, acme: pc.Customer) -> None:
    o = db.onboardings.create(customer_id=acme.id, phase="launch", waiting_on_customer=True)
    assert o.state is State.WAITING
    o = db.onboardings.update(o.id, phase="completed")
    assert (o.state, o.waiting_on_customer, o.waiting_on_customer_since) == (State.ACTIVE, False, None)


def test_update_clears_and_rejects_bad_values(db: pc.Pivotal, acme: pc.Customer) -> None:
    o = db.onboardings.create(customer_id=acme.id, notes="n", target_launch_date="2026-07-15", csm_id="u")
    o = db.onboardings.update(o.id, notes=None, target_launch_date=None, csm_id=None)
    assert (o.notes, o.target_launch_date, o.csm_id) == (None, None, None)
    with pytest.raises(pc.InvalidRequestError) as e:
        db.onboardings.update(o.id, customer_id="x")  # type: ignore[call-arg]
    assert (e.value.code, e.value.field) == ("unknown_field", "customer_id")
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.onboardings.update(o.id, reminder_frequency_days=0)
    assert (e2.value.code, e2.value.field) == ("too_small", "reminder_frequency_days")
    with pytest.raises(pc.InvalidRequestError) as e3:
        db.onboardings.update(o.id, phase=3)  # type: ignore[arg-type]
    assert (e3.value.code, e3.value.field) == ("invalid_type", "phase")
    with pytest.raises(pc.InvalidRequestError) as e4:
        db.onboardings.update(o.id, waiting_on_customer="yes")  # type: ignore[arg-type]
    assert (e4.value.code, e4.value.field) == ("invalid_type", "waiting_on_customer")


def test_delete(db: pc.Pivotal, acme: pc.Customer) -> None:
    o = db.onboardings.create(customer_id=acme.id)
    d = db.onboardings.delete(o.display_id)
    assert (d.id, d.deleted) == (o.id, True)
    with pytest.raises(pc.NotFoundError) as e:
        db.onboardings.retrieve(o.id)
    assert e.value.code == "onboarding_not_found"
    with pytest.raises(pc.NotFoundError):
        db.onboardings.transitions(o.id)


def test_lists(db: pc.Pivotal, acme: pc.Customer, clock: pc.FixedClock) -> None:
    other = db.customers.create(name="Other")
    made = []
    for i in range(30):
        made.append(
            db.onboardings.create(customer_id=acme.id if i % 2 else other.id, phase="review" if i < 4 else None)
        )
        clock.advance(ms=1)
    page = db.onboardings.list_page()
    assert len(page.data) == 25 and page.has_more  # onboardings default to 25 per page
    assert len(list(db.onboardings.list(limit=7))) == 30
    mine = list(db.onboardings.list(customer_id=acme.display_id))
    assert len(mine) == 15 and all(o.customer_id == acme.id for o in mine)
    assert len(list(db.onboardings.list(phase=Phase.REVIEW))) == 4
    assert len(list(db.onboardings.list(phase="review", customer_id=acme.id))) == 2
    assert list(db.onboardings.list(state="waiting")) == []
    everything = db.onboardings.list_for_customer(acme.id)
    assert not everything.has_more and everything.next_cursor is None
    assert [o.id for o in everything] == [o.id for o in reversed(made) if o.customer_id == acme.id]
    with pytest.raises(pc.NotFoundError) as e:
        db.onboardings.list(customer_id="cus_missing")
    assert e.value.field == "customer_id"
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.onboardings.list_page(phase="nope")
    assert (e2.value.code, e2.value.field) == ("invalid_enum_value", "phase")


def test_update_events(db: pc.Pivotal, acme: pc.Customer) -> None:
    o = db.onboardings.create(customer_id=acme.id, phase="internal_qa", state="at_risk")
    seq = max(e.sequence for e in db.events.list())
    db.onboardings.update(o.id, phase="launch", state="active")
    new = list(db.events.list(after_sequence=seq))
    assert [e.type for e in new] == [
        "onboarding.updated",
        "onboarding.phase_changed",
        "onboarding.launched",
        "onboarding.state_changed",
        "onboarding.back_on_track",
    ]
    assert new[0].data["previous_attributes"] == {"phase": "internal_qa", "state": "at_risk"}
    assert new[2].data["previous_attributes"] == {"phase": "internal_qa"}
