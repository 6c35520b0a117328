"""Batch creates: customers.create_many and onboardings.create_many, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import pivotal_core as pc

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def open_store(kind: str, path: Path) -> pc.Pivotal:
    clock = pc.FixedClock(START)
    if kind == "memory":
        return pc.open_in_memory(actor="tester", clock=clock, id_seed=7)
    return pc.open(path, actor="tester", clock=clock, id_seed=7)


CUSTOMERS: list[dict[str, Any]] = [
    {"name": "Acme", "domain": "acme.com"},
    {"name": "Globex", "metadata": {"tier": "gold"}},
    {"name": "Initech", "status": pc.CustomerStatus.ACTIVE},
]

ONBOARDINGS: list[dict[str, Any]] = [
    {"customer_id": 1},
    {"customer_id": "2", "phase": "launch", "csm_id": "csm_1"},
    {"customer_id": 3, "phase": pc.Phase.COMPLETED},
    {"customer_id": 1, "waiting_on_customer": True, "target_launch_date": "2024-03-01"},
]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_batch_writes_what_single_creates_write(kind: str, tmp_path: Path) -> None:
    with open_store(kind, tmp_path / "one.db") as one, open_store(kind, tmp_path / "many.db") as many:
        singles = [one.customers.create(c) for c in CUSTOMERS]
        batch = many.customers.create_many(CUSTOMERS)
        assert [c.to_dict() for c in batch] == [c.to_dict() for c in singles]
        assert [c.display_id for c in batch] == [1, 2, 3]

        single_onboardings = [one.onboardings.create(o) for o in ONBOARDINGS]
        batch_onboardings = many.onboardings.create_many(iter(ONBOARDINGS))  # any iterable
        assert batch_onboardings == single_onboardings
        assert batch_onboardings[2].completed_at == START
        assert batch_onboardings[3].state is pc.State.WAITING

        single_events = [e.to_dict() for e in one.events.list()]
        batch_events = [e.to_dict() for e in many.events.list()]
        assert len(batch_events) == len(CUSTOMERS) + len(ONBOARDINGS)
        assert batch_events == single_events


def test_one_bad_item_rolls_back_the_whole_batch(db: pc.Pivotal) -> None:
    db.customers.create(name="Acme")
    before = list(db.events.list())

    with pytest.raises(pc.InvalidRequestError) as e:
        db.customers.create_many([{"name": "Globex"}, {"name": "Initech", "mrr": -1}])
    assert (e.value.code, e.value.field) == ("too_small", "mrr")
    assert e.value.message.startswith("item 1: ")

    with pytest.raises(pc.ConflictError) as conflict:
        db.customers.create_many([{"name": "Globex"}, {"name": "globex"}])
    assert conflict.value.code == "slug_taken"
    assert conflict.value.message.startswith("item 1: ")

    with pytest.raises(pc.NotFoundError) as missing:
        db.onboardings.create_many([{"customer_id": 1}, {"customer_id": 1}, {"customer_id": 99}])
    assert (missing.value.code, missing.value.field) == ("customer_not_found", "customer_id")
    assert missing.value.message.startswith("item 2: ")

    # Refused while reading the items, before anything is sent to the store.
    with pytest.raises(pc.InvalidRequestError) as unknown:
        db.onboardings.create_many([{"customer_id": 1}, {"customer_id": 1, "colour": "red"}])
    assert unknown.value.code == "unknown_field"
    assert unknown.value.message.startswith("item 1: ")

    assert list(db.events.list()) == before
    assert [c.name for c in db.customers.list()] == ["Acme"]
    assert list(db.onboardings.list()) == []
    # Nothing of the failed batches was kept, not even the display ids they took.
    assert db.customers.create(name="Globex").display_id == 2
    assert db.onboardings.create(customer_id=1).display_id == 1


def test_create_many_takes_any_iterable_and_an_empty_one(db: pc.Pivotal) -> None:
    def names() -> Iterator[dict[str, Any]]:
        for i in range(5):
            yield {"name": f"Customer {i}"}

    created = db.customers.create_many(names())
    assert [c.slug for c in created] == [f"customer-{i}" for i in range(5)]
    assert db.customers.create_many([]) == []
    assert db.onboardings.create_many(()) == []
    with pytest.raises(pc.InvalidRequestError) as e:
        db.customers.create_many(42)  # type: ignore[arg-type]
    assert (e.value.code, e.value.field) == ("invalid_type", "items")
    with pytest.raises(pc.InvalidRequestError) as bad:
        db.customers.create_many([{"name": "A"}, ["name", "B"]])  # type: ignore[list-item]
    assert bad.value.code == "invalid_type"
    assert bad.value.message.startswith("item 1: ")
