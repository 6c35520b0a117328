"""Opening and closing stores, sessions, the clock, health, and use from many threads."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

import pivotal_core as pc


def test_open_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with pc.open(path, actor="writer") as db:
        assert db.path == path and db.actor == "writer" and db.livemode
        acme = db.customers.create(name="Acme")
    with pc.open(str(path)) as db:
        assert db.customers.retrieve(acme.id) == acme
        assert db.actor == "local"
        assert db.health().schema_version >= 1


def test_reads_of_a_mapped_file_see_every_write(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with pc.open(path, mmap_size=64 << 20) as db:
        for i in range(50):
            created = db.customers.create(name=f"Customer {i}")
            assert db.customers.retrieve(created.id) == created
        assert len(db.customers.list_page(limit=100).data) == 50
    with pc.open(path, mmap_size=1 << 40) as db:  # more than SQLite maps: capped, not an error
        assert db.customers.retrieve("50").name == "Customer 49"
    with pytest.raises(pc.InvalidRequestError) as e:
        pc.open(path, mmap_size=-1)
    assert (e.value.code, e.value.field) == ("too_small", "mmap_size")


def test_open_in_memory_is_fresh_each_time() -> None:
    with pc.open_in_memory() as a, pc.open_in_memory() as b:
        a.customers.create(name="Acme")
        assert b.customers.list_page().data == []
        assert a.path is None


def test_close_is_idempotent_and_every_call_after_raises(tmp_path: Path) -> None:
    db = pc.open(tmp_path / "c.db")
    acme = db.customers.create(name="Acme")
    db.customers.create(name="Globex")
    onb = db.onboardings.create(customer_id=acme.id)
    pages = db.customers.list(limit=1)
    other = db.with_actor("other")
    db.close()
    db.close()
    assert db.closed and other.closed
    calls: list[Callable[[], Any]] = [
        lambda: db.customers.create(name="B"),
        lambda: db.customers.retrieve(acme.id),
        lambda: db.customers.update(acme.id, plan="x"),
        lambda: db.customers.delete(acme.id),
        lambda: db.customers.list(),
        lambda: db.customers.list_page(),
        lambda: db.customers.timeline(acme.id),
        lambda: db.contacts.create(acme.id, name="A", email="a@b.co"),
        lambda: db.contacts.list(acme.id),
        lambda: db.onboardings.update(onb.id, phase="review"),
        lambda: db.onboardings.transitions(onb.id),
        lambda: db.onboardings.list_for_customer(acme.id),
        lambda: db.events.list_page(),
        lambda: db.health(),
        lambda: db.now(),
        lambda: db.with_actor("x"),
        lambda: other.customers.list_page(),
        lambda: list(pages),  # the first page was fetched; the next needs the store
    ]
    for call in calls:
        with pytest.raises(pc.StoreClosedError) as e:
            call()
        assert (e.value.code, e.value.type) == ("store_closed", "invalid_request_error")
    assert "closed" in repr(db)


def test_context_manager_closes_on_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with pc.open(tmp_path / "e.db") as db:
            raise RuntimeError("boom")
    assert db.closed


def test_sessions_share_one_store(mem: pc.Pivotal) -> None:
    test_mode = mem.with_livemode(False)
    assert (test_mode.livemode, test_mode.actor) == (False, "tester")
    test_mode.customers.create(name="Acme")
    assert mem.customers.list_page().data == []
    assert len(test_mode.with_actor("x").customers.list_page().data) == 1
    live_again = test_mode.with_livemode(True)
    assert live_again.customers.list_page().data == []
    assert "livemode=False" in repr(test_mode)


def test_open_with_livemode_false(tmp_path: Path) -> None:
    with pc.open(tmp_path / "t.db", livemode=False) as db:
        db.customers.create(name="Acme")
        assert [e.livemode for e in db.events.list()] == [False]


def test_fixed_clock() -> None:
    clock = pc.FixedClock("2024-01-01T00:00:00.000Z")
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert clock.now() == start
    clock.advance(ms=1500)
    clock.advance(timedelta(minutes=1))
    assert clock.now() == start + timedelta(seconds=61.5)
    clock.set(datetime(2023, 6, 1, 12, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2023, 6, 1, 10, tzinfo=timezone.utc)
    assert repr(clock) == "FixedClock('2023-06-01T10:00:00.000Z')"
    with pc.open_in_memory(clock=clock) as db:
        assert db.now() == clock.now()
        assert db.health().timestamp == clock.now()
        assert db.health().status == "ok"
    now = pc.FixedClock().now()
    assert abs(now - datetime.now(timezone.utc)) < timedelta(minutes=1)
    with pytest.raises(pc.InvalidRequestError):
        clock.set(datetime(2024, 1, 1))  # naive


def test_id_seed_makes_ids_reproducible() -> None:
    ids = []
    for _ in range(2):
        with pc.open_in_memory(id_seed=7) as db:
            ids.append(db.customers.create(name="Acme").id)
    assert ids[0] == ids[1]


def test_a_corrupt_file_is_an_internal_error_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(pc.InternalError) as e:
        pc.open(path)
    assert e.value.code == "storage_corrupt" and e.value.http_status == 500
    assert path.read_bytes() == garbage


def test_a_file_that_cannot_be_opened_is_storage_unavailable(tmp_path: Path) -> None:
    for path in (tmp_path / "no" / "such" / "dir.db", tmp_path):
        with pytest.raises(pc.InternalError) as e:
            pc.open(path)
        assert e.value.code == "storage_unavailable" and e.value.http_status == 500
        assert "cannot open" in e.value.message
    assert not (tmp_path / "no").exists()


def test_one_store_hammered_from_a_thread_pool(tmp_path: Path) -> None:
    with pc.open(tmp_path / "threads.db", actor="pool") as db:
        customers = [db.customers.create(name=f"Customer {i}") for i in range(4)]

        def work(n: int) -> int:
            c = customers[n % len(customers)]
            contact = db.contacts.create(c.id, name=f"P{n}", email=f"p{n}@example.com")
            onb = db.onboardings.create(customer_id=c.display_id, idempotency_key=f"onb-{n}")
            onb = db.onboardings.update(onb.id, phase="program_design", notes=f"thread {n}")
            db.onboardings.update(onb.id, waiting_on_customer=True)
            db.contacts.update(contact.id, title="t")
            assert db.onboardings.retrieve(onb.id).state == "waiting"
            return sum(1 for _ in db.customers.list(limit=2)) + len(db.onboardings.transitions(onb.id))

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(200)))
        assert results == [5] * 200
        onboardings = list(db.onboardings.list(limit=100))
        assert sorted(o.display_id for o in onboardings) == list(range(1, 201))
        assert len({o.id for o in onboardings}) == 200
        contacts = [c for cu in customers for c in db.contacts.list(cu.id)]
        assert sorted(c.display_id for c in contacts) == list(range(1, 201))
        sequences = [e.sequence for e in db.events.list(limit=100)]
        assert sequences == list(range(1, len(sequences) + 1))


def test_one_iterator_shared_by_threads_yields_each_record_once(mem: pc.Pivotal) -> None:
    for i in range(150):
        mem.customers.create(name=f"C{i}")
    it = mem.customers.list(limit=7)

    def drain(_: int) -> list[str]:
        return [c.id for c in it]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = [i for chunk in pool.map(drain, range(4)) for i in chunk]
    assert len(ids) == 150 and len(set(ids)) == 150


def test_the_gil_is_released_while_the_store_works(tmp_path: Path) -> None:
    """With thread switching by time made (almost) impossible, another Python thread can only run
    while this one has released the GIL: it runs during store calls, so the binding releases it."""
    old = sys.getswitchinterval()
    progress = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal progress
        while not stop.is_set():
            progress += 1
            time.sleep(0)  # hands the GIL back at once, so the main thread never waits on it

    with pc.open(tmp_path / "gil.db") as db:
        for i in range(100):
            db.customers.create(name=f"C{i}")
        sys.setswitchinterval(30)
        try:
            t = threading.Thread(target=spin)
            t.start()
            before = progress
            deadline = time.monotonic() + 10  # far below the switch interval
            while progress == before and time.monotonic() < deadline:
                db.customers.list_page(limit=100)  # a store call of a few milliseconds
            during = progress - before
        finally:
            stop.set()
            sys.setswitchinterval(old)
            t.join()
    assert during > 0, (before, during)


# Holds the file's write lock until told to let go (another process: POSIX locks are per process).
_BLOCKER = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
c.execute("ROLLBACK")
"""


def test_close_waits_for_a_running_batch(tmp_path: Path, file_reader: Callable[[Path], sqlite3.Connection]) -> None:
    path = tmp_path / "w.db"
    db = pc.open(path)
    blocker = subprocess.Popen(
        [sys.executable, "-c", _BLOCKER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert blocker.stdout is not None and blocker.stdin is not None
    assert blocker.stdout.readline() == "locked\n"
    outcome: list[Any] = []
    worker = threading.Thread(
        target=lambda: outcome.append(db.customers.create_many([{"name": f"C{i}"} for i in range(1_000)]))
    )
    worker.start()
    time.sleep(1.0)  # the batch is running: inside the store, retrying its BEGIN (5 s busy timeout)
    closer = threading.Thread(target=db.close)
    closer.start()
    closer.join(0.5)
    assert closer.is_alive(), "close() returned while the batch was running"
    blocker.communicate("go\n")
    closer.join()
    # close() returned: the batch has committed (a reader of the file sees every row) ...
    with file_reader(path) as reader:
        assert reader.execute("SELECT count(*) FROM customers").fetchone() == (1_000,)
    worker.join()
    # ... and it succeeded; what comes after the close is refused.
    assert len(outcome) == 1 and len(outcome[0]) == 1_000
    with pytest.raises(pc.StoreClosedError):
        db.customers.create(name="Late")


@pytest.mark.parametrize("actor", ["", "   ", "x" * 201, "x" * 10_000_000])
def test_actor_names_are_bounded(actor: str) -> None:
    with pytest.raises(pc.InvalidRequestError) as e:
        pc.open_in_memory(actor=actor)
    assert e.value.field == "actor" and e.value.code in ("missing_field", "too_long")
    with pc.open_in_memory() as db:
        with pytest.raises(pc.InvalidRequestError) as e2:
            db.with_actor(actor)
        assert (e2.value.code, e2.value.field) == (e.value.code, "actor")
        assert db.with_actor("  sync  ").actor == "sync"
