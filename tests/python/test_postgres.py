"""`pc.open("postgresql://…")`: the same library over a PostgreSQL server.

The tests that need a server run when PIVOTAL_TEST_POSTGRES_URL names one (make python-test runs
this suite inside tests/postgres/cluster.sh, which starts a throwaway server and sets it).
"""

from __future__ import annotations

import itertools
import os
import subprocess

import pytest

import pivotal_core as pc

SERVER = os.environ.get("PIVOTAL_TEST_POSTGRES_URL")
needs_server = pytest.mark.skipif(SERVER is None, reason="no PostgreSQL server (make python-test starts one)")
_numbers = itertools.count()


@pytest.fixture
def url() -> str:
    """A fresh database on the test server."""
    assert SERVER is not None
    name = f"pivotal_py_{os.getpid()}_{next(_numbers)}"
    subprocess.run(["psql", SERVER, "-qc", f"CREATE DATABASE {name}"], check=True)
    return SERVER.rsplit("/", 1)[0] + "/" + name


@needs_server
def test_two_handles_on_one_database_see_each_other(url: str) -> None:
    with pc.open(url, actor="writer") as a, pc.open(url, actor="reader") as b:
        assert a.path is None
        acme = a.customers.create(name="Acme", idempotency_key="k1")
        assert b.customers.retrieve(acme.display_id) == acme
        assert b.customers.create(name="Acme", idempotency_key="k1") == acme
        with pytest.raises(pc.ConflictError) as e:
            b.customers.create(name="Other", slug="acme")
        assert e.value.code == "slug_taken"
        events = b.events.list_page(after_sequence=0)
        assert [ev.sequence for ev in events.data] == [1] and events.data[0].actor == "writer"


def test_an_unreachable_server_is_storage_unavailable_without_the_password() -> None:
    with pytest.raises(pc.InternalError) as e:
        pc.open("postgresql://ada:s3cret-pw@127.0.0.1:1/pivotal")
    assert e.value.code == "storage_unavailable"
    assert "ada@127.0.0.1:1/pivotal" in e.value.message
    assert "s3cret-pw" not in str(e.value) and "s3cret-pw" not in repr(e.value)
