"""Import and export: db.import_records (paths, iterables, pages, records) and db.export."""

from __future__ import annotations

import io
import json
import pickle
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import pivotal_core as pc

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "list-customer-onboardings.json"

#: The customer every fixture onboarding belongs to, as the API returns it.
CUSTOMER: dict[str, Any] = json.loads((FIXTURE.parent / "customer.json").read_text(encoding="utf-8"))


def contact(id: str, display_id: int, email: str, customer: str = "cus_1234567890abcdef") -> dict[str, Any]:
    """A contact's API JSON."""
    return {
        "object": "contact",
        "id": id,
        "display_id": display_id,
        "customer_id": customer,
        "name": "Ada",
        "email": email,
        "title": None,
        "phone": None,
        "is_primary": False,
        "labels": [],
        "created_at": "2023-11-03T00:00:00Z",
        "updated_at": "2023-11-03T00:00:00Z",
    }


def fixture_file(tmp_path: Path) -> Path:
    """The fixture with its customer first, as one file of concatenated JSON documents."""
    path = tmp_path / "mirror.json"
    path.write_text(json.dumps(CUSTOMER) + "\n" + FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def counts(s: pc.ImportSummary) -> tuple[int, int, int, int]:
    return (s.created, s.updated, s.unchanged, s.skipped)


def test_the_fixture_imports_with_ids_display_ids_timestamps_and_analytics(db: pc.Pivotal, tmp_path: Path) -> None:
    summary = db.import_records(fixture_file(tmp_path))
    assert counts(summary) == (3, 0, 0, 0)
    assert summary.errors == []
    for item in json.loads(FIXTURE.read_text(encoding="utf-8"))["data"]:
        want = pc.Onboarding.from_dict(item)
        assert db.onboardings.retrieve(want.id) == want
        assert db.onboardings.retrieve(want.display_id) == want
    assert db.customers.retrieve(12) == pc.Customer.from_dict(CUSTOMER)
    m = db.analytics.onboarding("onb_1a2b3c4d5e6f7g8h", as_of="2024-06-01T00:00:00Z")
    assert m.launched_at == datetime(2024, 1, 10, 16, tzinfo=timezone.utc)
    assert m.time_to_launch_ms is not None and 56 <= m.time_to_launch_ms / 86_400_000 < 57
    assert m.on_time is True
    # Records created afterwards get display ids past the imported ones.
    assert db.onboardings.create(customer_id=12).display_id == 43


def test_importing_twice_changes_nothing(db: pc.Pivotal, tmp_path: Path) -> None:
    path = fixture_file(tmp_path)
    db.import_records(str(path))
    events = [e.id for e in db.events.list()]
    again = db.import_records(path)
    assert counts(again) == (0, 0, 3, 0)
    assert [e.id for e in db.events.list()] == events
    assert len(list(db.onboardings.list())) == 2


def test_pages_records_and_dicts_import_as_their_api_json(mem: pc.Pivotal) -> None:
    page = pc.Page.from_dict(json.loads(FIXTURE.read_text(encoding="utf-8")))
    summary = mem.import_records([pc.Customer.from_dict(CUSTOMER), page])
    assert counts(summary) == (3, 0, 0, 0)
    assert counts(mem.import_records(page)) == (0, 0, 2, 0)
    assert counts(mem.import_records(iter([contact("con_x", 5, "x@acme.com")]))) == (1, 0, 0, 0)
    assert counts(mem.import_records(list(mem.onboardings.list()))) == (0, 0, 2, 0)


def test_a_newer_updated_at_replaces_an_older_one_is_unchanged(mem: pc.Pivotal) -> None:
    mem.import_records([CUSTOMER])
    newer = {**CUSTOMER, "plan": "scale", "updated_at": "2023-12-01T00:00:00Z"}
    assert counts(mem.import_records([newer])) == (0, 1, 0, 0)
    assert mem.customers.retrieve(12).plan == "scale"
    older = {**CUSTOMER, "plan": "basic", "updated_at": "2023-11-01T09:00:00Z"}
    assert counts(mem.import_records([older])) == (0, 0, 1, 0)
    assert mem.customers.retrieve(12).plan == "scale"


def test_a_contact_before_its_customer_is_fine(mem: pc.Pivotal) -> None:
    summary = mem.import_records([contact("con_ada", 3, "ada@acme.com"), CUSTOMER])
    assert counts(summary) == (2, 0, 0, 0)
    assert mem.contacts.retrieve("con_ada").customer_id == "cus_1234567890abcdef"


def test_export_then_import_reproduces_every_object(db: pc.Pivotal, tmp_path: Path) -> None:
    db.import_records(fixture_file(tmp_path))
    db.contacts.create(12, name="Bo", email="bo@acme.com", labels=["Ops"])
    out = tmp_path / "out"
    out.mkdir()
    assert db.export("customers", out / "customers.ndjson") == 1
    with (out / "contacts.json").open("wb") as f:
        assert db.export("contacts", f, format="json") == 1
    onboardings = db.export("onboardings")
    assert isinstance(onboardings, bytes) and onboardings.count(b"\n") == 2

    with pc.open_in_memory() as copy:
        summary = copy.import_records(out / "customers.ndjson")
        summary = copy.import_records(out / "contacts.json")
        assert counts(summary) == (1, 0, 0, 0)
        assert counts(copy.import_records([json.loads(line) for line in onboardings.splitlines()])) == (2, 0, 0, 0)
        assert list(copy.customers.list()) == list(db.customers.list())
        assert list(copy.contacts.list(12)) == list(db.contacts.list(12))
        assert list(copy.onboardings.list()) == list(db.onboardings.list())


def test_export_formats_and_filters(mem: pc.Pivotal, tmp_path: Path) -> None:
    mem.import_records(fixture_file(tmp_path))
    envelope = json.loads(mem.export("onboardings", format="json", phase="completed"))
    assert envelope["object"] == "list" and envelope["has_more"] is False
    assert [o["id"] for o in envelope["data"]] == ["onb_1a2b3c4d5e6f7g8h"]
    csv = mem.export("customers", format="csv").decode()
    header, row = csv.splitlines()
    assert header.split(",")[:3] == ["object", "id", "display_id"]
    assert "cus_1234567890abcdef" in row
    events = mem.export("events", types=["onboarding.imported"]).splitlines()
    assert [json.loads(e)["type"] for e in events] == ["onboarding.imported"] * 2
    buffer = io.BytesIO()
    assert mem.export("contacts", buffer, customer=12) == 0
    assert buffer.getvalue() == b""


def test_export_refuses_bad_arguments(mem: pc.Pivotal) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.export("widgets")  # type: ignore[call-overload]
    assert (e.value.code, e.value.field) == ("invalid_enum_value", "kind")
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.export("customers", format="xml")  # type: ignore[call-overload]
    assert (e.value.code, e.value.field) == ("invalid_enum_value", "format")
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.export("onboardings", phase="nowhere")
    assert (e.value.code, e.value.field) == ("invalid_enum_value", "phase")
    with pytest.raises(TypeError, match="phase"):
        mem.export("customers", phase="review")
    with pytest.raises(TypeError):
        mem.export("customers", 42)  # type: ignore[call-overload]


def test_a_failing_file_object_raises_its_own_exception(mem: pc.Pivotal) -> None:
    mem.customers.create(name="Acme")

    class Full(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        mem.export("customers", Full())


def test_a_hostile_file_is_a_typed_error_naming_the_line_and_imports_nothing(mem: pc.Pivotal, tmp_path: Path) -> None:
    path = tmp_path / "hostile.ndjson"
    path.write_text(json.dumps(CUSTOMER) + "\n" + json.dumps(contact("con_a", 1, "a@acme.com"))[:-9])
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.import_records(path)
    assert e.value.code == "invalid_type"
    assert "line 2" in e.value.message
    assert list(mem.customers.list()) == []

    path.write_bytes(b'{"object":"customer"\x00\xff\xfe garbage')
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.import_records(path)
    assert "line 1" in e.value.message

    wrong = {**CUSTOMER, "object": "widget"}
    path.write_text(json.dumps(CUSTOMER) + "\n" + json.dumps(wrong) + "\n")
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.import_records(path)
    assert (e.value.code, e.value.field) == ("invalid_enum_value", "object")
    assert e.value.message.startswith("item 1 (line 2): ")
    assert list(mem.customers.list()) == []

    with pytest.raises(FileNotFoundError):
        mem.import_records(tmp_path / "missing.ndjson")


def test_stop_raises_the_first_bad_item_with_its_position(mem: pc.Pivotal) -> None:
    bad = contact("con_bad", 2, "not-an-email")
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.import_records([CUSTOMER, bad])
    assert (e.value.code, e.value.field) == ("invalid_email", "email")
    assert e.value.message.startswith("item 1: ")
    assert list(mem.customers.list()) == []
    with pytest.raises(pc.NotFoundError) as nf:
        mem.import_records([contact("con_orphan", 4, "o@acme.com", customer="cus_nobody")])
    assert nf.value.code == "customer_not_found"


def test_skip_mode_leaves_bad_items_out_and_lists_them(mem: pc.Pivotal, tmp_path: Path) -> None:
    path = tmp_path / "mixed.ndjson"
    items = [CUSTOMER, contact("con_bad", 2, "not-an-email"), contact("con_ok", 3, "ok@acme.com")]
    path.write_text("".join(json.dumps(i) + "\n" for i in items))
    summary = mem.import_records(path, on_error="skip", chunk_size=1)
    assert counts(summary) == (2, 0, 0, 1)
    [error] = summary.errors
    assert (error.index, error.line, error.type, error.code, error.field) == (
        1,
        2,
        "invalid_request_error",
        "invalid_email",
        "email",
    )
    assert "@" not in error.message or "email" in error.message
    assert mem.contacts.retrieve("con_ok").email == "ok@acme.com"
    with pytest.raises(pc.NotFoundError):
        mem.contacts.retrieve("con_bad")


def test_the_summary_is_a_frozen_record(mem: pc.Pivotal) -> None:
    summary = mem.import_records([CUSTOMER, {"object": "event"}], on_error="skip")
    with pytest.raises(AttributeError):
        summary.created = 5  # type: ignore[misc]
    d = summary.to_dict()
    assert d["object"] == "import_summary"
    assert (d["created"], d["skipped"], d["errors"][0]["code"]) == (1, 1, "invalid_enum_value")
    assert pc.ImportSummary.from_dict(d) == summary
    assert pickle.loads(pickle.dumps(summary)) == summary
    assert repr(summary).startswith("ImportSummary(created=1,")
    assert summary.errors[0].line is None


def test_import_refuses_bad_arguments(mem: pc.Pivotal) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.import_records([CUSTOMER], on_error="ignore")  # type: ignore[arg-type]
    assert (e.value.code, e.value.field) == ("invalid_enum_value", "on_error")
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.import_records([CUSTOMER], chunk_size=-1)
    assert (e.value.code, e.value.field) == ("too_small", "chunk_size")
    with pytest.raises(pc.InvalidRequestError) as e:
        mem.import_records([CUSTOMER, 42])  # type: ignore[list-item]
    assert e.value.code == "invalid_type" and e.value.message.startswith("item 1: ")
    with pytest.raises(TypeError):
        mem.import_records(42)  # type: ignore[arg-type]
    assert list(mem.customers.list()) == []
