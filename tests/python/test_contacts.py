"""Contacts: create, retrieve, update, delete, list, list_page."""

from __future__ import annotations

import pytest

import pivotal_core as pc


def test_create_normalises_and_makes_the_first_contact_primary(db: pc.Pivotal, acme: pc.Customer) -> None:
    ada = db.contacts.create(acme.id, name="Ada", email=" Ada@Acme.COM ", labels=["VIP", "vip", "Tech"])
    assert ada.id.startswith("con_") and ada.display_id == 1
    assert ada.customer_id == acme.id
    assert ada.email == "ada@acme.com"
    assert ada.labels == ["vip", "tech"]
    assert ada.is_primary is True
    assert ada.title is None and ada.phone is None
    assert ada.to_dict()["object"] == "contact"


def test_customer_reference_forms(db: pc.Pivotal, acme: pc.Customer) -> None:
    by_int = db.contacts.create(acme.display_id, name="A", email="a@acme.com")
    by_digits = db.contacts.create(str(acme.display_id), name="B", email="b@acme.com")
    assert by_int.customer_id == by_digits.customer_id == acme.id
    with pytest.raises(pc.NotFoundError) as e:
        db.contacts.create("acme", name="C", email="c@acme.com")
    assert e.value.code == "customer_not_found"
    with pytest.raises(TypeError):
        db.contacts.create(None, name="C", email="c@acme.com")  # type: ignore[call-overload]


def test_making_a_contact_primary_demotes_the_previous_one(db: pc.Pivotal, acme: pc.Customer) -> None:
    ada = db.contacts.create(acme.id, name="Ada", email="ada@acme.com")
    grace = db.contacts.create(acme.id, name="Grace", email="grace@acme.com", is_primary=True)
    assert grace.is_primary and not db.contacts.retrieve(ada.id).is_primary
    ada = db.contacts.update(ada.display_id, is_primary=True)
    assert ada.is_primary and not db.contacts.retrieve(grace.id).is_primary


def test_update_and_clear(db: pc.Pivotal, acme: pc.Customer) -> None:
    ada = db.contacts.create(acme.id, name="Ada", email="ada@acme.com", title="CTO", phone="+1 (555) 010-0000")
    ada2 = db.contacts.update(ada.id, title=None, phone=None, labels=("One",), name="Ada L.")
    assert (ada2.title, ada2.phone, ada2.labels, ada2.name) == (None, None, ["one"], "Ada L.")
    assert db.contacts.update(ada.id, labels=[]).labels == []
    with pytest.raises(pc.InvalidRequestError) as e0:
        db.contacts.update(ada.id, labels=None)  # type: ignore[arg-type]
    assert (e0.value.code, e0.value.field) == ("invalid_type", "labels")
    with pytest.raises(pc.InvalidRequestError) as e:
        db.contacts.update(ada.id, email="not-an-email")
    assert (e.value.code, e.value.field) == ("invalid_email", "email")
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.contacts.update(ada.id, phone="call me")
    assert e2.value.field == "phone"


def test_email_is_unique_per_customer(db: pc.Pivotal, acme: pc.Customer) -> None:
    db.contacts.create(acme.id, name="Ada", email="ada@acme.com")
    with pytest.raises(pc.ConflictError) as e:
        db.contacts.create(acme.id, name="Ada 2", email="ADA@acme.com")
    assert (e.value.code, e.value.field) == ("email_taken", "email")
    other = db.customers.create(name="Other")
    assert db.contacts.create(other.id, name="Ada", email="ada@acme.com").customer_id == other.id


def test_create_requires_name_and_email(db: pc.Pivotal, acme: pc.Customer) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        db.contacts.create(acme.id, name="Ada")  # type: ignore[call-overload]
    assert (e.value.code, e.value.field) == ("missing_field", "email")
    with pytest.raises(pc.InvalidRequestError) as e2:
        db.contacts.create(acme.id, name="Ada", email="a@acme.com", labels="vip")  # type: ignore[call-overload]
    assert (e2.value.code, e2.value.field) == ("invalid_type", "labels")


def test_idempotent_create(db: pc.Pivotal, acme: pc.Customer) -> None:
    a = db.contacts.create(acme.id, name="Ada", email="ada@acme.com", idempotency_key="k")
    b = db.contacts.create(acme.id, name="Ada", email="ada@acme.com", idempotency_key="k")
    assert a == b
    with pytest.raises(pc.ConflictError):
        db.contacts.create(acme.display_id, name="Ada", email="ada@acme.com", idempotency_key="k")


def test_delete_and_customer_cascade(db: pc.Pivotal, acme: pc.Customer) -> None:
    ada = db.contacts.create(acme.id, name="Ada", email="ada@acme.com")
    bob = db.contacts.create(acme.id, name="Bob", email="bob@acme.com")
    assert db.contacts.delete(bob.id) == pc.Deleted.from_dict(
        {"object": "deleted", "id": bob.id, "display_id": bob.display_id, "deleted": True}
    )
    with pytest.raises(pc.NotFoundError) as e:
        db.contacts.retrieve(bob.id)
    assert e.value.code == "contact_not_found"
    assert [c.id for c in db.contacts.list(acme.id)] == [ada.id]
    db.customers.delete(acme.id)
    with pytest.raises(pc.NotFoundError):
        db.contacts.retrieve(ada.id)
    with pytest.raises(pc.NotFoundError):
        db.contacts.list(acme.id)


def test_list_and_list_page(db: pc.Pivotal, acme: pc.Customer, clock: pc.FixedClock) -> None:
    made = []
    for i in range(7):
        made.append(db.contacts.create(acme.id, name=f"C{i}", email=f"c{i}@acme.com"))
        clock.advance(ms=10)
    assert [c.id for c in db.contacts.list(acme.display_id, limit=3)] == [c.id for c in reversed(made)]
    page = db.contacts.list_page(acme.id, limit=5)
    assert len(page.data) == 5 and page.has_more
    last = db.contacts.list_page(acme.id, limit=5, cursor=page.next_cursor)
    assert len(last.data) == 2 and not last.has_more
