"""A store never crosses os.fork(): the child gets a clear error on the inherited handle, opens the
file again, and no id is ever generated twice."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import pivotal_core as pc

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork() is POSIX only")

CHILDREN = 4
PER_PROCESS = 200


def _child(db: pc.Pivotal, path: Path, n: int) -> int:
    """The body of a forked child; returns its exit status (it must not raise out of the fork)."""
    try:
        try:
            db.customers.create(name="through the parent's handle")
            return 10  # the inherited handle worked: the bug
        except pc.StoreClosedError as e:
            if "fork" not in e.message or e.code != "store_closed":
                return 11
        if not db.closed:
            return 12
        with pc.open(path, actor=f"child-{n}") as mine:
            for i in range(PER_PROCESS):
                mine.customers.create(name=f"child {n} customer {i}")
        return 0
    except BaseException as e:  # noqa: BLE001 - reported through the exit status
        print(f"child {n}: {e!r}", file=sys.stderr)
        return 13


def test_forked_children_and_the_parent_never_repeat_an_id(
    tmp_path: Path, file_reader: Callable[[Path], sqlite3.Connection]
) -> None:
    path = tmp_path / "fork.db"
    with pc.open(path, actor="parent") as db:
        db.customers.create(name="before the fork")
        pids = []
        for n in range(CHILDREN):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                os._exit(_child(db, path, n))
            pids.append(pid)
        for i in range(PER_PROCESS):  # concurrently with the children
            db.customers.create(name=f"parent customer {i}")
        statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        assert statuses == [0] * CHILDREN
        # The parent's handle is untouched by its children.
        assert not db.closed
        db.customers.create(name="after the fork")
    expected = 2 + PER_PROCESS * (CHILDREN + 1)
    with file_reader(path) as check:
        ids = [r[0] for r in check.execute("SELECT id FROM customers")]
        events = [r[0] for r in check.execute("SELECT id FROM events")]
    assert len(ids) == len(set(ids)) == expected
    assert len(events) == len(set(events)) == expected


def test_an_in_memory_store_is_refused_in_the_child_too() -> None:
    with pc.open_in_memory() as db:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            os.close(r)
            try:
                db.customers.list_page()
                os.write(w, b"worked")
            except pc.StoreClosedError as e:
                os.write(w, e.code.encode())
            os._exit(0)
        os.close(w)
        with os.fdopen(r, "rb") as reader:
            said = reader.read()
        os.waitpid(pid, 0)
        assert said == b"store_closed"
        assert db.customers.list_page().data == []
