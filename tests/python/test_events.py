"""The change log: events.list and events.list_page."""

from __future__ import annotations

import pytest

import pivotal_core as pc
from pivotal_core import EventType


def test_events_are_tailable_by_sequence(db: pc.Pivotal, acme: pc.Customer) -> None:
    for i in range(5):
        db.customers.update(acme.id, mrr=i)
    events = list(db.events.list(limit=2))
    assert [e.sequence for e in events] == list(range(1, 7))
    assert events[0].type is EventType.CUSTOMER_CREATED
    first = events[0]
    assert (first.actor, first.livemode, first.api_version) == ("tester", True, "v1")
    assert first.org_id.startswith("org_")
    assert first.data == {"object": acme.to_dict(), "previous_attributes": None}
    page = db.events.list_page(limit=4)
    assert page.has_more and page.next_cursor == "4"
    tail = db.events.list_page(after_sequence=int(page.next_cursor or 0))
    assert [e.sequence for e in tail] == [5, 6] and not tail.has_more
    assert list(db.events.list(after_sequence=6)) == []


def test_event_filters(db: pc.Pivotal, acme: pc.Customer) -> None:
    other = db.customers.create(name="Other")
    db.customers.update(acme.id, plan="pro")
    updated = list(db.events.list(types=[EventType.CUSTOMER_UPDATED]))
    assert [e.data["object"]["id"] for e in updated] == [acme.id]
    assert updated[0].data["previous_attributes"] == {"plan": None}
    assert len(list(db.events.list(types="customer.created"))) == 2
    assert len(list(db.events.list(types=("customer.created", "customer.updated")))) == 3
    assert [e.type for e in db.events.list(object_id=other.id)] == ["customer.created"]
    with pytest.raises(pc.InvalidRequestError) as e:
        db.events.list(types=["customer.exploded"])
    assert (e.value.code, e.value.field) == ("invalid_enum_value", "types")
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.events.list(types=5)  # type: ignore[arg-type]
    assert e2.value.field == "types"
    with pytest.raises(pc.InvalidRequestError) as e3:
        db.events.list_page(after_sequence="3")  # type: ignore[arg-type]
    assert (e3.value.code, e3.value.field) == ("invalid_type", "after_sequence")
    with pytest.raises(pc.InvalidRequestError) as e4:
        db.events.list_page(limit=1000)
    assert e4.value.code == "invalid_limit"


def test_actor_and_livemode_are_recorded(db: pc.Pivotal) -> None:
    db.with_actor("importer").customers.create(name="Acme")
    test_mode = db.with_livemode(False)
    test_mode.customers.create(name="Acme")  # another mode: the slug is free there
    live = list(db.events.list())
    test = list(test_mode.events.list())
    assert [(e.actor, e.livemode) for e in live] == [("importer", True)]
    assert [(e.actor, e.livemode) for e in test] == [("tester", False)]
