"""Customers: create, retrieve, update, delete, list, list_page, timeline."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import pivotal_core as pc


def test_create_applies_defaults_and_returns_a_frozen_customer(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    c = db.customers.create(name="  Acme Café  ")
    assert c.id.startswith("cus_") and len(c.id) >= 20
    assert c.display_id == 1
    assert c.name == "Acme Café"
    assert c.slug == "acme-cafe"
    assert c.status is pc.CustomerStatus.ONBOARDING and c.status == "onboarding"
    assert c.domain is None and c.plan is None and c.mrr is None
    assert c.metadata == {}
    assert c.created_at == c.updated_at == clock.now()
    assert c.created_at.tzinfo is timezone.utc
    with pytest.raises(AttributeError):
        c.name = "x"  # type: ignore[misc]


def test_create_with_every_field(db: pc.Pivotal) -> None:
    fields = {
        "name": "Globex",
        "slug": "globex-corp",
        "domain": "GLOBEX.example",
        "status": pc.CustomerStatus.ACTIVE,
        "plan": "pro",
        "mrr": 120_000,
        "monthly_orders": 5,
        "hubspot_company_id": "h1",
        "hubspot_deal_id": "h2",
        "stripe_customer_id": "cus_stripe",
        "intercom_company_id": "i1",
        "slack_channel_id": "C1",
        "metadata": {"tier": "gold", "nested": {"a": [1, 2.5, True, None]}},
    }
    c = db.customers.create(**fields)  # type: ignore[call-overload]
    assert c.domain == "globex.example"
    assert c.status == "active"
    assert (c.plan, c.mrr, c.monthly_orders) == ("pro", 120_000, 5)
    assert (c.hubspot_company_id, c.hubspot_deal_id, c.stripe_customer_id) == ("h1", "h2", "cus_stripe")
    assert (c.intercom_company_id, c.slack_channel_id) == ("i1", "C1")
    assert c.metadata == {"tier": "gold", "nested": {"a": [1, 2.5, True, None]}}


def test_create_from_a_body_mapping(db: pc.Pivotal) -> None:
    c = db.customers.create({"name": "Acme"}, plan="pro")
    assert (c.name, c.plan) == ("Acme", "pro")
    with pytest.raises(pc.InvalidRequestError) as e:  # a field given both ways is refused
        db.customers.create({"name": "Acme", "plan": "free"}, plan="pro")
    assert (e.value.code, e.value.field) == ("conflicting_fields", "plan")
    with pytest.raises(pc.InvalidRequestError) as e:
        db.customers.create(["name", "Acme"])  # type: ignore[call-overload]
    assert e.value.code == "invalid_type"


def test_idempotency_key_replays_the_first_response(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    first = db.customers.create(name="Acme", idempotency_key="crm-42")
    clock.advance(ms=1000)
    again = db.customers.create(name="Acme", idempotency_key="crm-42")
    assert again == first
    assert len(db.customers.list_page().data) == 1
    with pytest.raises(pc.ConflictError) as e:
        db.customers.create(name="Other", idempotency_key="crm-42")
    assert (e.value.code, e.value.field, e.value.http_status) == ("idempotency_key_reused", "idempotency_key", 409)
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.customers.create(name="Acme", idempotency_key="")
    assert e2.value.code == "invalid_idempotency_key"
    with pytest.raises(pc.InvalidRequestError) as e3:
        db.customers.create(name="Acme", idempotency_key=42)  # type: ignore[call-overload]
    assert (e3.value.code, e3.value.field) == ("invalid_type", "idempotency_key")


def test_retrieve_by_id_display_id_and_digit_string(db: pc.Pivotal, acme: pc.Customer) -> None:
    assert db.customers.retrieve(acme.id) == acme
    assert db.customers.retrieve(acme.display_id) == acme
    assert db.customers.retrieve(str(acme.display_id)) == acme
    with pytest.raises(pc.NotFoundError) as e:
        db.customers.retrieve("acme")  # a slug does not resolve
    assert (e.value.code, e.value.type, e.value.http_status) == ("customer_not_found", "not_found", 404)
    assert isinstance(e.value, LookupError)


def test_update_sets_clears_and_leaves_alone(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    c = db.customers.create(name="Acme", plan="pro", mrr=10, metadata={"a": 1})
    clock.advance(ms=5)
    updated = db.customers.update(c.id, plan=None, mrr=20, metadata={"b": 2})
    assert (updated.plan, updated.mrr, updated.metadata, updated.name) == (None, 20, {"b": 2}, "Acme")
    assert updated.updated_at > c.updated_at
    assert updated.created_at == c.created_at
    # An update that changes nothing writes nothing and keeps updated_at.
    clock.advance(ms=5)
    same = db.customers.update(c.display_id, mrr=20)
    assert same == updated
    events = [e.type for e in db.events.list(object_id=c.id)]
    assert events == [pc.EventType.CUSTOMER_CREATED, pc.EventType.CUSTOMER_UPDATED]
    # Fields that cannot be cleared refuse None.
    with pytest.raises(pc.InvalidRequestError) as e:
        db.customers.update(c.id, name=None)  # type: ignore[arg-type]
    assert e.value.field == "name"
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.customers.update(c.id, {"status": "gone"})
    assert (e2.value.code, e2.value.field) == ("invalid_enum_value", "status")


def test_update_to_churned_pauses_open_onboardings(db: pc.Pivotal, acme: pc.Customer) -> None:
    open_one = db.onboardings.create(customer_id=acme.id)
    done = db.onboardings.create(customer_id=acme.id, phase="completed")
    db.customers.update(acme.id, status=pc.CustomerStatus.CHURNED)
    assert db.onboardings.retrieve(open_one.id).state is pc.State.PAUSED
    assert db.onboardings.retrieve(done.id).state is pc.State.ACTIVE


def test_slug_conflicts(db: pc.Pivotal, acme: pc.Customer) -> None:
    with pytest.raises(pc.ConflictError) as e:
        db.customers.create(name="Acme")
    assert (e.value.code, e.value.field) == ("slug_taken", "slug")
    other = db.customers.create(name="Other")
    with pytest.raises(pc.ConflictError):
        db.customers.update(other.id, slug="acme")


def test_delete_hides_the_customer(db: pc.Pivotal, acme: pc.Customer) -> None:
    deleted = db.customers.delete(acme.display_id)
    assert isinstance(deleted, pc.Deleted)
    assert deleted.to_dict() == {"object": "deleted", "id": acme.id, "display_id": 1, "deleted": True}
    for op in (db.customers.retrieve, db.customers.delete):
        with pytest.raises(pc.NotFoundError):
            op(acme.id)
    with pytest.raises(pc.NotFoundError):
        db.customers.update(acme.id, plan="x")
    assert list(db.customers.list()) == []
    # Display ids are never reused.
    assert db.customers.create(name="Next").display_id == 2


def make_customers(db: pc.Pivotal, clock: pc.FixedClock, n: int, step_ms: int = 0) -> list[pc.Customer]:
    out = []
    for i in range(n):
        out.append(db.customers.create(name=f"Customer {i}", status="active" if i % 3 == 0 else "onboarding"))
        clock.advance(ms=step_ms)
    return out


def test_list_iterates_every_page_lazily_newest_first(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    made = make_customers(db, clock, 45, step_ms=0)  # all share one created_at: ties broken by id
    it = db.customers.list(limit=10)
    assert iter(it) is it
    first = next(it)
    rest = list(it)
    seen = [first, *rest]
    assert len(seen) == 45
    assert {c.id for c in seen} == {c.id for c in made}
    assert [c.id for c in seen] == sorted((c.id for c in made), reverse=True)
    with pytest.raises(StopIteration):
        next(it)


def test_list_filters(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    make_customers(db, clock, 9, step_ms=1)
    active = list(db.customers.list(status=pc.CustomerStatus.ACTIVE))
    assert len(active) == 3 and all(c.status is pc.CustomerStatus.ACTIVE for c in active)
    assert [c.slug for c in db.customers.list(slug="customer-4")] == ["customer-4"]
    assert list(db.customers.list(status="churned")) == []


def test_list_page_and_cursors(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    made = make_customers(db, clock, 25, step_ms=1000)
    page = db.customers.list_page()
    assert isinstance(page, pc.Page)
    assert len(page) == 20 and page.has_more and page.next_cursor
    assert page.data[0] == made[-1]
    assert list(page) == page.data
    nxt = db.customers.list_page(cursor=page.next_cursor)
    assert len(nxt.data) == 5 and not nxt.has_more and nxt.next_cursor is None
    # A bare RFC 3339 instant means "strictly older than".
    older = db.customers.list_page(cursor="2024-01-01T00:00:02Z", limit=100)
    assert [c.display_id for c in older.data] == [2, 1]
    env = page.to_dict()
    assert env["object"] == "list" and env["has_more"] is True and len(env["data"]) == 20
    for bad_limit in (0, 101, -5):
        with pytest.raises(pc.InvalidRequestError) as e:
            db.customers.list_page(limit=bad_limit)
        assert (e.value.code, e.value.field) == ("invalid_limit", "limit")
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.customers.list(cursor="not-a-cursor")
    assert (e2.value.code, e2.value.field) == ("invalid_cursor", "cursor")
    with pytest.raises(pc.InvalidRequestError) as e3:
        db.customers.list_page(limit="10")  # type: ignore[arg-type]
    assert (e3.value.code, e3.value.field) == ("invalid_type", "limit")


def test_timeline_is_newest_first_across_the_customers_records(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    acme = db.customers.create(name="Acme")
    clock.advance(ms=1)
    contact = db.contacts.create(acme.id, name="Ada", email="ada@acme.com")
    onb = db.onboardings.create(customer_id=acme.id)
    db.onboardings.update(onb.id, phase="program_design")
    db.customers.create(name="Unrelated")
    events = list(db.customers.timeline(acme.display_id, limit=2))
    assert [e.type for e in events] == [
        "onboarding.phase_changed",
        "onboarding.updated",
        "onboarding.created",
        "contact.created",
        "customer.created",
    ]
    assert [e.sequence for e in events] == sorted((e.sequence for e in events), reverse=True)
    assert events[3].data["object"]["id"] == contact.id
    page = db.customers.timeline_page(acme.id, limit=2)
    assert len(page.data) == 2 and page.has_more
    rest = db.customers.timeline_page(acme.id, limit=100, cursor=page.next_cursor)
    assert [e.id for e in page.data + rest.data] == [e.id for e in events]
    with pytest.raises(pc.NotFoundError):
        db.customers.timeline("cus_nope")


def test_timestamps_are_aware_utc(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    clock.set(datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc))
    c = db.customers.create(name="Acme")
    assert c.created_at == datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=timezone.utc)
    assert c.to_dict()["created_at"] == "2024-05-06T07:08:09.123Z"
