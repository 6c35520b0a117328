"""Errors: the exception classes, the mapping of every core code, and bad input of any kind."""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import pytest

import pivotal_core as pc
from pivotal_core import _native

CLASSES: dict[str, tuple[type[pc.PivotalError], int]] = {
    "invalid_request_error": (pc.InvalidRequestError, 400),
    "authentication_error": (pc.AuthenticationError, 401),
    "permission_error": (pc.PermissionDeniedError, 403),
    "not_found": (pc.NotFoundError, 404),
    "conflict": (pc.ConflictError, 409),
    "rate_limit_error": (pc.RateLimitError, 429),
    "internal_error": (pc.InternalError, 500),
}


@pytest.mark.parametrize("error_type", sorted(CLASSES))
def test_every_class_carries_the_api_error(error_type: str) -> None:
    cls, status = CLASSES[error_type]
    e = cls("went wrong", code="some_code", field="name")
    assert isinstance(e, pc.PivotalError) and isinstance(e, Exception)
    assert (e.type, e.code, e.message, e.field, e.http_status) == (
        error_type,
        "some_code",
        "went wrong",
        "name",
        status,
    )
    assert str(e) == "some_code: went wrong (field `name`)"
    assert e.to_dict() == {"error": {"type": error_type, "code": "some_code", "message": "went wrong", "field": "name"}}
    assert "field" not in cls("x", code="c").to_dict()["error"]
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is cls and (back.code, back.field, back.http_status) == ("some_code", "name", status)
    assert repr(back) == repr(e)


def test_python_base_classes() -> None:
    assert issubclass(pc.InvalidRequestError, ValueError)
    assert issubclass(pc.NotFoundError, LookupError)
    assert issubclass(pc.StoreClosedError, pc.InvalidRequestError)
    assert pc.exceptions.PivotalError is pc.PivotalError


def test_every_core_code_maps_to_its_class_once() -> None:
    """The Rust mapping, exercised for every code the core has."""
    mapped = _native._exceptions_by_code()
    assert len(mapped) == len({code for code, _ in mapped}) >= 31
    for code, exc in mapped:
        assert isinstance(exc, pc.PivotalError)
        cls, status = CLASSES[exc.type]
        assert type(exc) is (pc.StoreClosedError if code == "store_closed" else cls), code
        assert (exc.code, exc.field, exc.message, exc.http_status) == (code, "field", "message", status)
    seen = {exc.type for _, exc in mapped}
    assert {"invalid_request_error", "not_found", "conflict", "authentication_error", "internal_error"} <= seen


def test_errors_raised_by_operations(db: pc.Pivotal, acme: pc.Customer) -> None:
    with pytest.raises(pc.InvalidRequestError) as e1:
        db.customers.create(name="")
    assert (e1.value.type, e1.value.code, e1.value.field, e1.value.http_status) == (
        "invalid_request_error",
        "missing_field",
        "name",
        400,
    )
    with pytest.raises(pc.NotFoundError) as e2:
        db.onboardings.retrieve(12345)
    assert e2.value.field is None
    with pytest.raises(pc.ConflictError) as e3:
        db.customers.create(name="x", slug=acme.slug)
    assert e3.value.http_status == 409


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"name": 5}, "invalid_type", "name"),
        ({"name": b"bytes"}, "invalid_type", "name"),
        ({"name": "A", "mrr": 1.5}, "invalid_type", "mrr"),
        ({"name": "A", "mrr": True}, "invalid_type", "mrr"),
        ({"name": "A", "mrr": Decimal(1)}, "invalid_type", "mrr"),
        ({"name": "A", "mrr": 2**70}, "invalid_type", "mrr"),
        ({"name": "A", "mrr": -1}, "too_small", "mrr"),
        ({"name": "A", "metadata": [1]}, "invalid_type", "metadata"),
        ({"name": "A", "metadata": {1: "x"}}, "invalid_type", "metadata"),
        ({"name": "A", "metadata": {"x": {1, 2}}}, "invalid_type", "metadata"),
        ({"name": "A", "metadata": {"x": float("nan")}}, "invalid_type", "metadata"),
        ({"name": "A", "status": "gone"}, "invalid_enum_value", "status"),
        ({"name": "A", "status": pc.Phase.LAUNCH}, "invalid_enum_value", "status"),
        ({"name": "A", "domain": "http://x.com/a"}, "invalid_domain", "domain"),
        ({"name": "A", "slug": "Not A Slug"}, "invalid_slug", "slug"),
        ({"name": "A", "plan": "p" * 65}, "too_long", "plan"),
        ({"name": "\ud800"}, "invalid_type", "name"),
        ({"name": "A", "bogus": 1}, "unknown_field", "bogus"),
        ({"name": "A", "id": "cus_x"}, "unknown_field", "id"),
    ],
)
def test_bad_values_are_invalid_requests_never_crashes(
    mem: pc.Pivotal, fields: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.customers.create(**fields)
    assert (e.value.code, e.value.field) == (code, field)


def test_deep_or_cyclic_values_are_refused(mem: pc.Pivotal) -> None:
    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    deep: Any = "x"
    for _ in range(10_000):
        deep = [deep]
    for value in (cyclic, {"d": deep}):
        with pytest.raises(pc.InvalidRequestError) as e:
            mem.customers.create(name="A", metadata=value)
        assert (e.value.code, e.value.field) == ("invalid_type", "metadata")


def test_wrong_argument_kinds_are_type_errors(mem: pc.Pivotal) -> None:
    for bad in (None, 1.5, True, ["cus_1"], b"cus_1"):
        with pytest.raises(TypeError):
            mem.customers.retrieve(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mem.customers.retrieve()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        mem.customers.list(bogus=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        pc.open_in_memory(clock="2024-01-01")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pc.open(123)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pc.FixedClock(12)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        pc.open_in_memory().with_livemode(True).customers.create(name="A", idempotency_key="x" * 300)
    with pytest.raises(pc.InvalidRequestError):
        pc.FixedClock("yesterday")
    with pytest.raises(ValueError):
        pc.open("x.db", durability="sometimes")  # type: ignore[arg-type]
