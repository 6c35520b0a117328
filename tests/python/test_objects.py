"""Objects: wire JSON (to_dict / from_dict), the fixture, enums, equality, hashing, pickling."""

from __future__ import annotations

import copy
import inspect
import json
import pickle
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import pivotal_core as pc
from pivotal_core import CustomerStatus, EventType, Phase, State

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "list-customer-onboardings.json"


def instant(value: Any) -> Any:
    """A timestamp string as a datetime (so `...00Z` and `...00.000Z` compare equal)."""
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and value[10] == "T":
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def test_the_fixture_round_trips() -> None:
    fixture = json.loads(FIXTURE.read_text())
    page = pc.Page.from_dict(fixture)
    assert len(page.data) == 2 and all(isinstance(o, pc.Onboarding) for o in page.data)
    first = page.data[0]
    assert first.display_id == 42 and first.phase is Phase.PROGRAM_BUILDOUT and first.state is State.ACTIVE
    assert first.started_at == datetime(2024, 4, 1, 10, tzinfo=timezone.utc)
    assert page.data[1].completed_at == datetime(2024, 1, 10, 16, tzinfo=timezone.utc)
    back = page.to_dict()
    assert list(back) == list(fixture)
    for got, want in zip(back["data"], fixture["data"]):
        assert list(got) == list(want)  # same fields, same order
        assert {k: instant(v) for k, v in got.items()} == {k: instant(v) for k, v in want.items()}
    assert back["data"][0]["started_at"] == "2024-04-01T10:00:00.000Z"
    # Reading what we wrote gives the same objects.
    assert pc.Page.from_dict(back) == page
    assert pc.Onboarding.from_dict(back["data"][1]) == page.data[1]


def test_every_object_round_trips_through_its_dict(db: pc.Pivotal, acme: pc.Customer) -> None:
    contact = db.contacts.create(acme.id, name="Ada", email="ada@acme.com", labels=["x"])
    onb = db.onboardings.create(customer_id=acme.id, target_launch_date="2026-07-15")
    db.onboardings.update(onb.id, phase="program_design")
    transition = db.onboardings.transitions(onb.id)[0]
    event = next(iter(db.events.list()))
    deleted = db.contacts.delete(contact.id)
    health = db.health()
    created_key = db.api_keys.create("k")
    identity = db.authenticate(created_key.secret).me()
    objects: list[tuple[Any, Any]] = [
        (acme, pc.Customer),
        (contact, pc.Contact),
        (onb, pc.Onboarding),
        (transition, pc.PhaseTransition),
        (event, pc.Event),
        (deleted, pc.Deleted),
        (health, pc.Health),
        (db.workspace, pc.Workspace),
        (created_key, pc.CreatedApiKey),
        (created_key.api_key, pc.ApiKey),
        (identity, pc.Identity),
        (identity.api_key, pc.KeyIdentity),
    ]
    for obj, cls in objects:
        d = obj.to_dict()
        assert json.loads(json.dumps(d)) == d  # plain JSON values only
        assert cls.from_dict(d) == obj
        if hasattr(obj, "object"):
            assert d["object"] == obj.object


def test_wire_json_is_exactly_the_apis(db: pc.Pivotal, acme: pc.Customer) -> None:
    d = acme.to_dict()
    assert list(d) == [
        "object", "id", "display_id", "name", "slug", "domain", "status", "plan", "mrr", "monthly_orders",
        "hubspot_company_id", "hubspot_deal_id", "stripe_customer_id", "intercom_company_id",
        "slack_channel_id", "metadata", "created_at", "updated_at",
    ]  # fmt: skip
    assert d["created_at"] == "2024-01-01T00:00:00.000Z"
    assert d["status"] == "onboarding" and type(d["status"]) is str
    h = db.health().to_dict()
    assert list(h) == ["status", "timestamp", "version", "schema_version"]
    assert h["version"] == pc.__version__


def test_from_dict_refuses_other_objects_and_bad_values(acme: pc.Customer) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        pc.Onboarding.from_dict(acme.to_dict())
    assert (e.value.code, e.value.field) == ("invalid_type", "object")
    broken = {**acme.to_dict(), "display_id": "one"}
    with pytest.raises(pc.InvalidRequestError):
        pc.Customer.from_dict(broken)
    with pytest.raises(pc.InvalidRequestError):
        pc.Page.from_dict({"object": "list", "data": [{"object": "unicorn"}], "has_more": False})
    with pytest.raises(pc.InvalidRequestError):
        pc.Customer.from_dict("not a dict")  # type: ignore[arg-type]


def test_objects_are_frozen_comparable_hashable_and_picklable(db: pc.Pivotal, acme: pc.Customer) -> None:
    again = db.customers.retrieve(acme.id)
    assert again == acme and again is not acme
    assert hash(again) == hash(acme)
    assert len({acme, again}) == 1
    assert acme != acme.to_dict()
    changed = db.customers.update(acme.id, plan="pro")
    assert changed != acme
    for attr in ("name", "id", "metadata"):
        with pytest.raises(AttributeError):
            setattr(acme, attr, "x")
    m = acme.metadata
    m["sneaky"] = 1  # a copy: the object is unchanged
    assert acme.metadata == {}
    assert pickle.loads(pickle.dumps(acme)) == acme
    assert copy.deepcopy(acme) == acme
    page = db.customers.list_page()
    assert pickle.loads(pickle.dumps(page.data)) == page.data
    assert "Customer(id='" in repr(acme) and "slug='acme'" in repr(acme)


def test_enums_are_strings() -> None:
    assert Phase.LAUNCH == "launch" and "launch" == Phase.LAUNCH
    assert isinstance(Phase.LAUNCH, str)
    assert str(Phase.LAUNCH) == "launch" and f"{Phase.LAUNCH}" == "launch"
    assert Phase("launch") is Phase.LAUNCH
    assert {Phase.LAUNCH: 1}["launch"] == 1  # type: ignore[index]
    assert json.dumps([State.WAITING]) == '["waiting"]'
    assert [p.position for p in Phase.order()] == list(range(7))
    assert CustomerStatus.AT_RISK.value == "at_risk"
    assert EventType("onboarding.back_on_track") is EventType.ONBOARDING_BACK_ON_TRACK
    assert len(EventType) == 18


def test_enum_members_round_trip_through_the_library(mem: pc.Pivotal) -> None:
    """Every Python member is accepted by the core and comes back as itself."""
    for status in CustomerStatus:
        c = mem.customers.create(name=f"c-{status.value}", status=status)
        assert c.status is status
    customer = mem.customers.create(name="x")
    for phase in Phase:
        assert mem.onboardings.create(customer_id=customer.id, phase=phase).phase is phase
    for state in State:
        assert mem.onboardings.create(customer_id=customer.id, state=state.value).state is state
    kinds = {e.type for e in mem.events.list(types=list(EventType))}
    assert kinds <= set(EventType)


def test_page_generics_and_repr(db: pc.Pivotal, acme: pc.Customer) -> None:
    assert pc.Page[pc.Customer] is not None and pc.ListIterator[pc.Event] is not None
    page = db.customers.list_page()
    assert page.object == "list"
    assert repr(page).startswith("Page(data=[Customer(")


def test_every_record_attribute_is_a_wire_field(db: pc.Pivotal, acme: pc.Customer) -> None:
    """Each record class has exactly one attribute per field of its API JSON."""
    contact = db.contacts.create(acme.id, name="Ada", email="ada@acme.com")
    onb = db.onboardings.create(customer_id=acme.id)
    db.onboardings.update(onb.id, phase="program_design")
    key = db.api_keys.create("k")
    identity = db.authenticate(key.secret).me()
    report = db.analytics.workspace()
    metrics = db.analytics.onboarding(onb.id)
    records: list[Any] = [
        acme, contact, onb, db.onboardings.transitions(onb.id)[0], next(iter(db.events.list())),
        db.contacts.delete(contact.id), db.health(), db.workspace, key, key.api_key, identity,
        identity.api_key, metrics, report, report.by_phase, report.by_state, report.days_to_launch,
    ]  # fmt: skip
    assert len({type(r) for r in records}) == 17
    for record in records:
        cls = type(record)
        attributes = {name for name, value in vars(cls).items() if inspect.isgetsetdescriptor(value)}
        assert attributes == set(record.to_dict()), cls.__name__
