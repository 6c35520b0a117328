"""Fixtures of the Python suite: stores on both backends with a fixed clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

import pivotal_core as pc

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> pc.FixedClock:
    """A clock fixed at 2024-01-01T00:00:00Z."""
    return pc.FixedClock(START)


@pytest.fixture(params=["memory", "sqlite"])
def db(request: pytest.FixtureRequest, clock: pc.FixedClock, tmp_path: Path) -> Iterator[pc.Pivotal]:
    """A fresh store, in memory and on a SQLite file, acting as `tester`."""
    if request.param == "memory":
        store = pc.open_in_memory(actor="tester", clock=clock)
    else:
        store = pc.open(tmp_path / "test.db", actor="tester", clock=clock)
    with store:
        yield store


@pytest.fixture
def mem(clock: pc.FixedClock) -> Iterator[pc.Pivotal]:
    """A fresh in-memory store (for tests that need only one backend)."""
    with pc.open_in_memory(actor="tester", clock=clock) as store:
        yield store


@pytest.fixture
def acme(db: pc.Pivotal) -> pc.Customer:
    """A customer named Acme."""
    return db.customers.create(name="Acme", domain="acme.com")


@pytest.fixture
def file_reader() -> Callable[[Path], sqlite3.Connection]:
    """Python's own sqlite3, to read a store file behind the library's back. Skips the test where it
    links a SQLite older than 3.37, which cannot read the schema's STRICT tables (Debian bullseye's
    Python 3.9 links 3.34)."""
    if sqlite3.sqlite_version_info < (3, 37):
        pytest.skip(f"Python's sqlite3 links SQLite {sqlite3.sqlite_version}; STRICT tables need 3.37")
    return sqlite3.connect
