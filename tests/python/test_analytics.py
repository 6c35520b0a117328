"""Analytics (docs/reference.md#analytics): one onboarding's clocks and the workspace report, through the binding."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone

import pytest

import pivotal_core as pc
from pivotal_core import Phase, State

DAY = timedelta(days=1)
DAY_MS = 86_400_000


def walk(db: pc.Pivotal, clock: pc.FixedClock, target: str) -> pc.Onboarding:
    """An onboarding walked to `launch` in 3-day steps, with 2 days of waiting in `review`."""
    customer = db.customers.create(name=f"Customer {target}")
    o = db.onboardings.create(customer_id=customer.id, target_launch_date=target, csm_id="csm_1")
    for phase in Phase.order()[1:6]:
        clock.advance(3 * DAY)
        if phase is Phase.PROGRAM_BUILDOUT:
            db.onboardings.update(o.id, waiting_on_customer=True)
            clock.advance(2 * DAY)
            db.onboardings.update(o.id, waiting_on_customer=False)
        o = db.onboardings.update(o.id, phase=phase)
    return o


def test_onboarding_metrics(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    o = walk(db, clock, "2024-03-01")
    m = db.analytics.onboarding(o.display_id)
    assert m.object == "onboarding_metrics" and m.onboarding_id == o.id
    assert (m.phase, m.state) == (Phase.LAUNCH, State.ACTIVE)
    assert m.as_of == clock.now()
    assert m.elapsed_ms == 17 * DAY_MS and m.waiting_ms == 2 * DAY_MS and m.sla_ms == 15 * DAY_MS
    assert m.time_in_phase_ms.review == 5 * DAY_MS
    assert m.time_in_phase_ms[Phase.REVIEW] == m.time_in_phase_ms["review"] == 5 * DAY_MS
    assert m.time_in_phase_ms.total() == m.elapsed_ms
    assert m.launched_at == clock.now() and m.on_time is True and not m.overdue
    assert m.time_to_launch_ms == 17 * DAY_MS and m.sla_time_to_launch_ms == 15 * DAY_MS
    assert pc.OnboardingMetrics.from_dict(m.to_dict()) == m
    assert pickle.loads(pickle.dumps(m)) == m
    earlier = db.analytics.onboarding(o.id, as_of=datetime(2024, 1, 2, tzinfo=timezone.utc))
    assert earlier.phase is Phase.BEFORE_GETTING_STARTED and earlier.elapsed_ms == DAY_MS
    with pytest.raises(pc.NotFoundError) as e:
        db.analytics.onboarding(o.id, as_of="2023-12-31T00:00:00Z")  # did not exist yet
    assert e.value.code == "onboarding_not_found"
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.analytics.onboarding(o.id, as_of="yesterday")
    assert (e2.value.code, e2.value.field) == ("invalid_timestamp", "as_of")
    with pytest.raises(pc.InvalidRequestError):
        m.time_in_phase_ms["nope"]


def test_workspace_report(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    on_time = walk(db, clock, "2030-01-01")
    walk(db, clock, "2024-01-02")  # launched late
    other = db.customers.create(name="Other")
    db.onboardings.create(customer_id=other.id, state="at_risk")
    clock.advance(10 * DAY)
    r = db.analytics.workspace(stalled_after_days=7)
    assert r.object == "workspace_report" and r.total == 3
    assert r.by_phase.launch == 2 and r.by_phase[Phase.BEFORE_GETTING_STARTED] == 1 and r.by_phase.total() == 3
    assert r.by_state[State.AT_RISK] == r.by_state.at_risk == 1 and r.by_state.total() == 3
    assert (r.launched, r.launched_with_target, r.launched_on_time, r.on_time_rate) == (2, 2, 1, 0.5)
    assert r.days_to_launch.count == 2 and r.days_to_launch.median == 17.0
    assert r.sla_days_to_launch.p90 == 15.0
    assert r.stalled == 3 and r.stalled_after_days == 7
    assert pc.WorkspaceReport.from_dict(r.to_dict()) == r
    mine = db.analytics.workspace(customer_id=on_time.customer_id, as_of=clock.now() - 30 * DAY)
    assert mine.customer_id == on_time.customer_id and mine.stalled is None
    assert db.analytics.workspace(csm_id="nobody").total == 0
    for bad, code in [("x", "invalid_type"), (-1, "too_small"), (10**6, "too_large"), (float("inf"), "invalid_type")]:
        with pytest.raises(pc.InvalidRequestError) as e:
            db.analytics.workspace(stalled_after_days=bad)  # type: ignore[arg-type]
        assert (e.value.code, e.value.field) == (code, "stalled_after_days")
    with pytest.raises(pc.NotFoundError) as e2:
        db.analytics.workspace(customer_id="cus_nope")
    assert e2.value.field == "customer_id"
