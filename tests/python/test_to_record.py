"""Native-typed records (``to_record()``) and ``pc.to_pandas`` for analysis (bindings-python/README.md)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from test_analytics import walk

import pivotal_core as pc
from pivotal_core import Phase, State


def test_a_record_is_its_attributes_as_native_values(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    customer = db.customers.create(name="Acme", metadata={"tier": "gold", "seats": 3})
    o = db.onboardings.create(customer_id=customer.id, target_launch_date="2024-03-01", csm_id="csm_1")
    record = o.to_record()
    assert record["id"] == o.id and record["display_id"] == o.display_id == 1
    assert type(record["display_id"]) is int
    assert record["created_at"] == clock.now() and isinstance(record["created_at"], datetime)
    assert record["created_at"].tzinfo is not None
    assert record["phase"] is Phase.BEFORE_GETTING_STARTED and record["state"] is State.ACTIVE
    assert record["completed_at"] is None
    # Every attribute, nothing else: the wire tag is the class, not a column.
    attributes = {name for name in dir(pc.Onboarding) if not name.startswith("_")}
    methods = {"to_dict", "to_record", "from_dict", "object"}
    assert set(record) == attributes - methods
    assert customer.to_record()["metadata"] == {"tier": "gold", "seats": 3}
    # The wire form is still to_dict()'s: strings, not datetimes.
    assert isinstance(o.to_dict()["created_at"], str)


def test_durations_are_timedeltas_down_to_nested_records(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    o = walk(db, clock, "2024-03-01")
    m = db.analytics.onboarding(o.id).to_record()
    assert m["elapsed_ms"] == timedelta(days=17) and m["waiting_ms"] == timedelta(days=2)
    assert m["sla_ms"] == timedelta(days=15) and m["time_to_launch_ms"] == timedelta(days=17)
    assert m["time_in_phase_ms"]["review"] == timedelta(days=5)
    assert sum(m["time_in_phase_ms"].values(), timedelta()) == m["elapsed_ms"]
    assert m["display_id"] == o.display_id and type(m["display_id"]) is int  # not a duration
    assert m["on_time"] is True and m["launched_at"] == clock.now()
    report = db.analytics.workspace().to_record()
    assert report["total"] == 1 and isinstance(report["by_phase"], dict)
    assert type(report["by_phase"]["launch"]) is int  # counts, not durations
    assert report["as_of"] == clock.now()


def test_odd_millisecond_counts_convert_exactly(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    o = db.onboardings.create(customer_id=db.customers.create(name="A").id)
    clock.advance(timedelta(milliseconds=86_400_000 * 3 + 1_234))
    m = db.analytics.onboarding(o.id).to_record()
    assert m["elapsed_ms"] == timedelta(days=3, seconds=1, milliseconds=234)
    assert m["elapsed_ms"] // timedelta(milliseconds=1) == db.analytics.onboarding(o.id).elapsed_ms


def test_to_pandas_makes_a_typed_frame(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    pandas: Any = pytest.importorskip("pandas")
    customer = db.customers.create(name="Acme")
    for i in range(3):
        db.onboardings.create(customer_id=customer.id, csm_id=f"csm_{i % 2}")
        clock.advance(timedelta(hours=1))
    frame = pc.to_pandas(db.onboardings.list(limit=2))  # every page
    assert len(frame) == 3 and list(frame["display_id"]) == [3, 2, 1]
    assert str(frame["created_at"].dtype).startswith("datetime64") and str(frame["created_at"].dt.tz) == "UTC"
    assert str(frame["display_id"].dtype) == "int64"
    assert list(frame["phase"].unique()) == ["before_getting_started"]
    assert type(frame["phase"].iloc[0]) is str
    assert frame.groupby("csm_id").size().to_dict() == {"csm_0": 2, "csm_1": 1}
    metrics = pc.to_pandas(db.analytics.onboarding(o.id) for o in db.onboardings.list())
    assert str(metrics["elapsed_ms"].dtype).startswith("timedelta64")
    assert max(metrics["elapsed_ms"]) == pandas.Timedelta(hours=3)
    assert pc.to_pandas([]).empty
