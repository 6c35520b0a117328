"""The record classes' part of ``_native.pyi`` is the one their declarations generate."""

from __future__ import annotations

import inspect

import stubgen

from pivotal_core import _native


def test_the_committed_stub_is_the_generated_one() -> None:
    committed = stubgen.STUB.read_text(encoding="utf-8")
    assert committed == stubgen.expected(committed), "stale stub: run tests/python/stubgen.py"


def test_every_record_class_has_a_generated_stub() -> None:
    generated = _native._record_stubs()
    records = [
        name
        for name, cls in inspect.getmembers(_native, inspect.isclass)
        if hasattr(cls, "from_dict") and name != "Page"
    ]
    assert len(records) == 19
    for name in records:
        assert f"\nclass {name}:\n" in f"\n{generated}", name
