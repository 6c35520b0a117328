"""Hostile input from issue 13: each reproduction is a typed error or a value that reads back."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

import pivotal_core as pc

MAX_NESTING = 32  # pivotal_core::validate::MAX_NESTING


def nested(levels: int) -> dict[str, Any]:
    """A dict nesting `levels` levels, itself included."""
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"k": value}
    return value


@pytest.mark.parametrize("levels", range(MAX_NESTING - 2, MAX_NESTING + 4))
def test_metadata_nesting_around_the_limit(db: pc.Pivotal, levels: int) -> None:
    key = f"key-{levels}"
    if levels > MAX_NESTING:
        with pytest.raises(pc.InvalidRequestError) as e:
            db.customers.create(name="Deep", metadata=nested(levels), idempotency_key=key)
        assert (e.value.code, e.value.field) == ("invalid_type", "metadata")
        base = db.customers.create(name="Base")
        with pytest.raises(pc.InvalidRequestError) as e:
            db.customers.update(base.id, metadata=nested(levels))
        assert (e.value.code, e.value.field) == ("invalid_type", "metadata")
        with pytest.raises(pc.InvalidRequestError) as e:
            db.customers.create({"name": "Deep", "metadata": nested(levels)})
        assert (e.value.code, e.value.field) == ("invalid_type", "metadata")
    else:
        c = db.customers.create(name="Deep", metadata=nested(levels), idempotency_key=key)
        assert db.customers.create(name="Deep", metadata=nested(levels), idempotency_key=key) == c
        c = db.customers.update(c.id, metadata=nested(levels), plan="pro")
        assert db.customers.retrieve(c.id).metadata == nested(levels)
        assert pc.Customer.from_dict(c.to_dict()) == c
        assert pickle.loads(pickle.dumps(c)) == c
        for page in (db.customers.list_page(), db.events.list_page(), db.customers.timeline_page(c.id)):
            assert type(page).from_dict(page.to_dict()).to_dict() == page.to_dict()
            for record in page:
                assert pickle.loads(pickle.dumps(record)) == record


def test_absurd_nesting_is_refused_not_overflowing(mem: pc.Pivotal) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.customers.create(name="Deep", metadata=nested(100_000))
    assert (e.value.code, e.value.field) == ("invalid_type", "metadata")
    loop: dict[str, Any] = {}
    loop["self"] = loop
    with pytest.raises(pc.InvalidRequestError):
        mem.customers.create(name="Loop", metadata=loop)
    with pytest.raises(pc.InvalidRequestError) as e:
        pc.Customer.from_dict(nested(100))
    assert e.value.code == "invalid_type"


def test_from_dict_refuses_non_positive_display_ids(mem: pc.Pivotal) -> None:
    data = mem.customers.create(name="Acme").to_dict()
    for bad in (0, -5):
        with pytest.raises(pc.InvalidRequestError) as e:
            pc.Customer.from_dict({**data, "display_id": bad})
        assert e.value.code == "invalid_type"


@pytest.mark.parametrize("path", ["", "a\x00b.db"])
def test_bad_paths_are_invalid_requests(path: str) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        pc.open(path)
    assert e.value.field == "path"


def test_memory_path_opens_one_database() -> None:
    with pc.open(":memory:") as db:
        c = db.customers.create(name="Acme")
        assert db.customers.retrieve(c.id) == c
        assert [x.id for x in db.customers.list()] == [c.id]
        assert db.path is None


def test_file_paths_are_file_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file:" / "x").mkdir(parents=True)
    with pc.open("file:/x/uri2.db") as db:
        c = db.customers.create(name="Acme")
        assert db.customers.retrieve(c.id) == c
        assert str(db.path) == "file:/x/uri2.db"
    assert (tmp_path / "file:" / "x" / "uri2.db").is_file()


def test_the_clock_never_leaves_the_years_1_to_9999(mem: pc.Pivotal, clock: pc.FixedClock) -> None:
    before = clock.now()
    moves: list[Callable[[], None]] = [
        lambda: clock.advance(timedelta(days=10**8)),
        lambda: clock.advance(ms=2**62),
        lambda: clock.advance(ms=2**63),
        lambda: clock.advance(ms=-(2**63) - 1),
        lambda: clock.advance(timedelta(days=-(10**8))),
    ]
    for move in moves:
        with pytest.raises(pc.InvalidRequestError) as e:
            move()
        assert e.value.code in ("invalid_timestamp", "too_large", "too_small")
        assert clock.now() == before
    clock.set(datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=timezone.utc))
    last = mem.customers.create(name="Last")
    with pytest.raises(pc.InvalidRequestError) as e:
        clock.advance(ms=1)
    assert e.value.code == "invalid_timestamp"
    assert mem.customers.retrieve(last.id).created_at.year == 9999


def test_integer_arguments_out_of_range_are_invalid_requests(tmp_path: Path) -> None:
    calls: list[tuple[Callable[[], object], str, str]] = [
        (lambda: pc.open(tmp_path / "x.db", id_seed=-1), "id_seed", "too_small"),
        (lambda: pc.open(tmp_path / "x.db", id_seed=2**64), "id_seed", "too_large"),
        (lambda: pc.open_in_memory(id_seed=-1), "id_seed", "too_small"),
        (lambda: pc.open(tmp_path / "x.db", mmap_size=-1), "mmap_size", "too_small"),
        (lambda: pc.open(tmp_path / "x.db", mmap_size=2**70), "mmap_size", "too_large"),
    ]
    for call, field, code in calls:
        with pytest.raises(pc.InvalidRequestError) as e:
            call()
        assert (e.value.code, e.value.field) == (code, field)


def test_lone_surrogate_in_a_reference_is_invalid_type(db: pc.Pivotal) -> None:
    calls: list[Callable[[str], object]] = [db.customers.retrieve, db.customers.delete, db.contacts.list_page]
    for call in calls:
        with pytest.raises(pc.InvalidRequestError) as e:
            call("cus_\udcff")
        assert e.value.code == "invalid_type"


def test_lone_surrogates_in_open_arguments_are_invalid_type(tmp_path: Path, db: pc.Pivotal) -> None:
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: pc.open(tmp_path / "x.db", actor="a\udcff"), "actor"),
        (lambda: pc.open_in_memory(actor="a\ud800"), "actor"),
        (lambda: db.with_actor("a\udcff"), "actor"),
        (lambda: pc.open(tmp_path / "x.db", durability="full\udcff"), "durability"),  # type: ignore[arg-type]
        (lambda: pc.open(str(tmp_path / "x\ud800.db")), "path"),
    ]
    for call, field in calls:
        with pytest.raises(pc.InvalidRequestError) as e:
            call()
        assert (e.value.code, e.value.field) == ("invalid_type", field)
    wrong_kinds: list[Callable[[], object]] = [
        lambda: pc.open_in_memory(actor=5),  # type: ignore[arg-type]
        lambda: db.with_actor(None),  # type: ignore[arg-type]
        lambda: pc.open(5),  # type: ignore[arg-type]
    ]
    for wrong_kind in wrong_kinds:
        with pytest.raises(TypeError):
            wrong_kind()
    # The defaults and the ordinary forms still work: str and PathLike paths, bytes paths.
    with pc.open(str(tmp_path / "a.db"), durability="full") as a, pc.open(bytes(tmp_path / "b.db")) as b:
        assert (a.actor, b.actor) == ("local", "local")
        assert b.path is not None and b.path.name == "b.db"


def test_year_one_east_of_utc_is_invalid_timestamp(db: pc.Pivotal) -> None:
    c = db.customers.create(name="Acme")
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    with pytest.raises(pc.InvalidRequestError) as e:
        db.onboardings.create(customer_id=c.id, started_at=early)
    assert (e.value.code, e.value.field) == ("invalid_timestamp", "started_at")
    assert "Overflow" not in str(e.value)
    with pytest.raises(pc.InvalidRequestError) as e:
        pc.FixedClock(early)
    assert e.value.code == "invalid_timestamp"


@pytest.mark.parametrize(
    "email",
    ["ada\x00@x.com", "ada\x07@x.com", "ad\u202emoc.x@a", "ada@x\u2066.com", "ada@\U0001f600.com", "ada@x.c$m"],
)
def test_hostile_emails_are_invalid(acme: pc.Customer, db: pc.Pivotal, email: str) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        db.contacts.create(acme.id, name="Ada", email=email)
    assert (e.value.code, e.value.field) == ("invalid_email", "email")


def test_an_altered_cursor_is_invalid(db: pc.Pivotal) -> None:
    for i in range(3):
        db.customers.create(name=f"C{i}")
    cursor = db.customers.list_page(limit=1).next_cursor
    assert cursor is not None
    assert len(db.customers.list_page(limit=1, cursor=cursor).data) == 1
    for bad in (cursor + "A", cursor + "0", cursor + "AA", cursor[:-1], "A" + cursor):
        with pytest.raises(pc.InvalidRequestError) as e:
            db.customers.list_page(limit=1, cursor=bad)
        assert (e.value.code, e.value.field) == ("invalid_cursor", "cursor")


def test_params_and_a_keyword_for_the_same_field_conflict(acme: pc.Customer, db: pc.Pivotal) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        db.customers.create({"name": "A"}, name="B")
    assert (e.value.code, e.value.field) == ("conflicting_fields", "name")
    with pytest.raises(pc.InvalidRequestError) as e:
        db.customers.update(acme.id, {"plan": "a"}, plan="b")
    assert (e.value.code, e.value.field) == ("conflicting_fields", "plan")
    assert db.customers.create({"name": "A"}, plan="pro").plan == "pro"
