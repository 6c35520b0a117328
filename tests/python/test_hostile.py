"""Hostile values through the binding: each round-trips verbatim or fails with a typed error."""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pytest

import pivotal_core as pc

HOSTILE = 'Robert\'); DROP TABLE customers;-- "q" \x00 nul \u202e rtl \U0001f600'


def test_quotes_sql_and_nul_round_trip(db: pc.Pivotal) -> None:
    c = db.customers.create(name=HOSTILE, metadata={"k'\";--": HOSTILE, "nested": {"nul": "a\x00b"}})
    again = db.customers.retrieve(c.id)
    assert again == c
    assert again.name == HOSTILE.strip()
    assert again.metadata["nested"] == {"nul": "a\x00b"}
    o = db.onboardings.create(customer_id=c.id, notes="x" * 10_000, template_id="t\x00'")
    assert db.onboardings.retrieve(o.id).to_dict() == o.to_dict()


@pytest.mark.parametrize("bad", ["\udcff", "a\ud800b"])
def test_lone_surrogates_are_invalid_requests(db: pc.Pivotal, bad: str) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        db.customers.create(name=bad)
    assert (e.value.code, e.value.field) == ("invalid_type", "name")


def test_a_megabyte_of_notes_is_too_long(db: pc.Pivotal) -> None:
    c = db.customers.create(name="Acme")
    with pytest.raises(pc.InvalidRequestError) as e:
        db.onboardings.create(customer_id=c.id, notes="x" * 1_000_000)
    assert (e.value.code, e.value.field) == ("too_long", "notes")


def test_extreme_datetimes_round_trip(db: pc.Pivotal) -> None:
    c = db.customers.create(name="Acme")
    first = datetime(1, 1, 1, tzinfo=timezone.utc)
    last = datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=timezone.utc)
    o = db.onboardings.create(customer_id=c.id, started_at=first, target_launch_date=last)
    assert (o.started_at, o.target_launch_date) == (first, last)
    assert db.onboardings.retrieve(o.id) == o


def test_nan_and_infinity_are_invalid(db: pc.Pivotal) -> None:
    for bad in (math.nan, math.inf):
        with pytest.raises(pc.InvalidRequestError) as e:
            db.analytics.workspace(stalled_after_days=bad)
        assert e.value.code == "invalid_type"
