"""pivotal_core from Python against the code a user would otherwise write.

Baselines, written as carefully as the library: a hand-written stdlib ``sqlite3`` implementation of
the same create / retrieve / list (the same rows: the counter, the record, its history row, its
``onboarding.created`` event with a ``json.dumps`` payload; the same visibility rules), and the same
with the SQLAlchemy ORM (mapped classes over the same tables, a ``TypeDecorator`` for timestamps).
All three work on files the library created (same schema) with the same pragmas (WAL,
``synchronous=NORMAL``, foreign keys, a 32 MiB page cache, a checkpoint every 10,000 WAL pages).

Measured in alternating rounds, so all sides see the same machine load:

- per-operation create, each its own transaction (target: pivotal_core at least as fast as
  stdlib ``sqlite3``, and at least 10x faster than the SQLAlchemy ORM);
- batch create (``onboardings.create_many``, 100k items, one transaction) against the Rust batch
  time of the same run (``target/bench-results/writes.json``; target: within 1.5x);
- retrieve by id on the 1M-onboarding fixture the Rust ``reads`` bench built, against the Rust p50
  on the same file (``target/bench-results/reads.json``; target: at most 3x); lists for reference.

Run through ``bindings-python/bench/run.sh`` (its own virtualenv with SQLAlchemy). ``--smoke`` runs
every part on a few hundred rows, to check it still works. Results: ``target/bench-results/python.json``.
"""

# A bench script: the mapped classes and the baselines' methods are what they are named.
# ruff: noqa: D101, D102, D103

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import ForeignKeyConstraint, Integer, String, TypeDecorator, create_engine, event, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

import pivotal_core as pc

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "target" / "bench-results"
T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
DAY = timedelta(days=1)
PER_CUSTOMER = 10
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
MASK = (1 << 64) - 1
PHASES = [p.value for p in pc.Phase.order()]
WEIGHTED_PHASES = [
    "before_getting_started",
    "before_getting_started",
    "program_design",
    "program_design",
    "review",
    "program_buildout",
    "internal_qa",
    "launch",
    "completed",
    "completed",
]


# ---------------------------------------------------------------------------------------------
# The data: the same generator as the Rust benches (core/benches/support/mod.rs).


def mix(i: int) -> int:
    """splitmix64, as in the Rust benches."""
    z = (i + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def customer_body(i: int) -> dict[str, Any]:
    r = mix(i)
    return {
        "name": f"Customer {i}",
        "domain": f"customer{i}.example.com",
        "plan": ["starter", "growth", "enterprise"][r % 3],
        "mrr": r % 100_000,
        "status": "onboarding",
        "metadata": {"region": "eu", "tier": r % 4},
    }


def onboarding_body(i: int, customers: int) -> dict[str, Any]:
    r = mix(i ^ 0x5EED)
    phase = WEIGHTED_PHASES[(r >> 8) % 10]
    state = None if phase == "completed" else {0: "at_risk", 1: "waiting", 2: "paused"}.get((r >> 16) % 10)
    body: dict[str, Any] = {
        "customer_id": str(i % customers + 1),
        "phase": phase,
        "template_id": f"tpl_{(r >> 24) % 5}",
        "csm_id": f"csm_{(r >> 32) % 20}",
    }
    if state is not None:
        body["state"] = state
    if (r >> 40) % 5 != 0:
        body["target_launch_date"] = T0 + ((r >> 44) % 300) * DAY
    if (r >> 48) % 4 == 0:
        body["notes"] = "Kick-off call done; waiting for the brand kit."
    return body


def new_store(path: Path, customers: int) -> pc.Pivotal:
    """A new file with ``customers`` customers, created through the library (untimed)."""
    db = pc.open(path, actor="bench", clock=pc.FixedClock(T0), id_seed=42)
    for start in range(0, customers, 10_000):
        db.customers.create_many([customer_body(i) for i in range(start, min(start + 10_000, customers))])
    return db


def ms(t: datetime | None) -> int | None:
    return None if t is None else int(t.timestamp() * 1000)


def iso(t: int | None) -> str | None:
    if t is None:
        return None
    return datetime.fromtimestamp(t / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def instant(t: int | None) -> datetime | None:
    return None if t is None else datetime.fromtimestamp(t / 1000, timezone.utc)


# ---------------------------------------------------------------------------------------------
# Baseline 1: stdlib sqlite3.

PRAGMAS = (
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
    "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 10000;"
)
CUSTOMER_BY_DISPLAY_ID = (
    "SELECT id FROM customers WHERE workspace_id = ? AND display_id = ? AND livemode = 1 AND deleted_at IS NULL"
)
NEXT_DISPLAY_ID = (
    "INSERT INTO counters (workspace_id, kind, value) VALUES (?, ?, 1) "
    "ON CONFLICT (workspace_id, kind) DO UPDATE SET value = value + 1 RETURNING value"
)
INSERT_ONBOARDING = (
    "INSERT INTO onboardings (workspace_id, livemode, id, display_id, customer_id, template_id, phase, state, "
    "started_at, completed_at, target_launch_date, csm_id, se_id, designer_id, product_ops_id, notes, "
    "waiting_on_customer, waiting_on_customer_since, wizard_completed_at, reminder_email, reminder_slack, "
    "reminder_frequency_days, created_at, updated_at) "
    "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_HISTORY = (
    "INSERT INTO onboarding_history (workspace_id, livemode, onboarding_id, seq, at, phase, state, started_at, "
    "target_launch_date, csm_id, template_id) VALUES (?, 1, ?, 0, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_EVENT = (
    "INSERT INTO events (workspace_id, livemode, sequence, id, type, object_id, customer_id, created_at, actor, data) "
    "SELECT ?1, 1, coalesce((SELECT max(sequence) FROM events WHERE workspace_id = ?1), 0) + 1, "
    "?2, 'onboarding.created', ?3, ?4, ?5, 'bench', ?6"
)
COLUMNS = (
    "o.id, o.display_id, o.customer_id, o.template_id, o.phase, o.state, o.started_at, o.completed_at, "
    "o.target_launch_date, o.csm_id, o.se_id, o.designer_id, o.product_ops_id, o.notes, o.waiting_on_customer, "
    "o.waiting_on_customer_since, o.wizard_completed_at, o.reminder_email, o.reminder_slack, "
    "o.reminder_frequency_days, o.created_at, o.updated_at"
)
VISIBLE = (
    "FROM onboardings o JOIN customers p ON p.workspace_id = o.workspace_id AND p.livemode = o.livemode "
    "AND p.id = o.customer_id WHERE o.workspace_id = ? AND o.livemode = 1 AND o.deleted_at IS NULL "
    "AND p.deleted_at IS NULL"
)
RETRIEVE = f"SELECT {COLUMNS} {VISIBLE} AND o.id = ?"
FOR_CUSTOMER = f"SELECT {COLUMNS} {VISIBLE} AND o.customer_id = ? ORDER BY o.created_at DESC, o.id DESC"
BY_PHASE = f"SELECT {COLUMNS} {VISIBLE} AND o.phase = ? ORDER BY o.created_at DESC, o.id DESC LIMIT 26"
FIELDS = [c.strip().removeprefix("o.") for c in COLUMNS.split(",")]
TIMES = {"started_at", "completed_at", "target_launch_date", "waiting_on_customer_since", "wizard_completed_at"}
TIMES |= {"created_at", "updated_at"}
BOOLS = {"waiting_on_customer", "reminder_email", "reminder_slack"}


def row_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    """An onboarding row as a dict with Python values (aware datetimes, bools)."""
    out: dict[str, Any] = {"object": "onboarding"}
    for name, value in zip(FIELDS, row):
        if name in TIMES:
            value = instant(value)
        elif name in BOOLS:
            value = bool(value)
        out[name] = value
    return out


class Stdlib:
    """The hand-written stdlib ``sqlite3`` version."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, cached_statements=64)
        self.conn.executescript(PRAGMAS)
        self.ws = self.conn.execute("SELECT id FROM workspaces ORDER BY seq LIMIT 1").fetchone()[0]
        self.rng = random.Random(43)
        self.now = ms(now)

    def close(self) -> None:
        self.conn.close()

    def _id(self, prefix: str) -> str:
        return prefix + "".join(self.rng.choices(ALPHABET, k=20))

    def _insert(self, p: dict[str, Any]) -> dict[str, Any]:
        c = self.conn
        found = c.execute(CUSTOMER_BY_DISPLAY_ID, (self.ws, int(p["customer_id"]))).fetchone()
        if found is None:
            raise LookupError(f"no customer {p['customer_id']}")
        now = self.now
        phase = p.get("phase") or "before_getting_started"
        state = p.get("state") or ("waiting" if p.get("waiting_on_customer") else "active")
        waiting = state == "waiting"
        o = {
            "object": "onboarding",
            "id": self._id("onb_"),
            "display_id": c.execute(NEXT_DISPLAY_ID, (self.ws, "onboarding")).fetchone()[0],
            "customer_id": found[0],
            "template_id": p.get("template_id"),
            "phase": phase,
            "state": state,
            "started_at": ms(p.get("started_at")) or now,
            "completed_at": now if phase == "completed" else None,
            "target_launch_date": ms(p.get("target_launch_date")),
            "csm_id": p.get("csm_id"),
            "se_id": p.get("se_id"),
            "designer_id": p.get("designer_id"),
            "product_ops_id": p.get("product_ops_id"),
            "notes": p.get("notes"),
            "waiting_on_customer": waiting,
            "waiting_on_customer_since": now if waiting else None,
            "wizard_completed_at": ms(p.get("wizard_completed_at")),
            "reminder_email": p.get("reminder_email", True),
            "reminder_slack": p.get("reminder_slack", True),
            "reminder_frequency_days": p.get("reminder_frequency_days", 1),
            "created_at": now,
            "updated_at": now,
        }
        c.execute(
            INSERT_ONBOARDING,
            (self.ws, *[o[f] for f in FIELDS]),
        )
        c.execute(
            INSERT_HISTORY,
            (
                self.ws,
                o["id"],
                now,
                phase,
                state,
                o["started_at"],
                o["target_launch_date"],
                o["csm_id"],
                o["template_id"],
            ),
        )
        wire = {k: (iso(v) if k in TIMES else v) for k, v in o.items()}
        data = json.dumps({"object": wire, "previous_attributes": None}, separators=(",", ":"))
        c.execute(INSERT_EVENT, (self.ws, self._id("evt_"), o["id"], o["customer_id"], now, data))
        return o

    @contextmanager
    def _tx(self, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
        self.conn.execute(begin)
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def create(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._tx():
            return self._insert(p)

    def create_many(self, ps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self._tx():
            return [self._insert(p) for p in ps]

    def retrieve(self, id: str) -> dict[str, Any] | None:
        with self._tx("BEGIN"):
            row = self.conn.execute(RETRIEVE, (self.ws, id)).fetchone()
        return None if row is None else row_dict(row)

    def list_for_customer(self, customer_id: str) -> list[dict[str, Any]]:
        with self._tx("BEGIN"):
            return [row_dict(r) for r in self.conn.execute(FOR_CUSTOMER, (self.ws, customer_id))]

    def list_by_phase(self, phase: str) -> list[dict[str, Any]]:
        with self._tx("BEGIN"):
            return [row_dict(r) for r in self.conn.execute(BY_PHASE, (self.ws, phase))]


# ---------------------------------------------------------------------------------------------
# Baseline 2: the SQLAlchemy ORM.


class Millis(TypeDecorator[datetime]):
    """Unix milliseconds in the database, aware UTC datetimes in Python."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> int | None:
        return ms(value)

    def process_result_value(self, value: int | None, dialect: Any) -> datetime | None:
        return instant(value)


class Base(DeclarativeBase):
    pass


class CustomerRow(Base):
    __tablename__ = "customers"
    workspace_id: Mapped[str] = mapped_column(String, primary_key=True)
    livemode: Mapped[bool] = mapped_column(primary_key=True)
    id: Mapped[str] = mapped_column(String, primary_key=True)
    display_id: Mapped[int]
    deleted_at: Mapped[datetime | None] = mapped_column(Millis)


class OnboardingRow(Base):
    __tablename__ = "onboardings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["workspace_id", "livemode", "customer_id"],
            ["customers.workspace_id", "customers.livemode", "customers.id"],
        ),
    )
    workspace_id: Mapped[str] = mapped_column(String, primary_key=True)
    livemode: Mapped[bool] = mapped_column(primary_key=True)
    id: Mapped[str] = mapped_column(String, primary_key=True)
    display_id: Mapped[int]
    customer_id: Mapped[str]
    deleted_at: Mapped[datetime | None] = mapped_column(Millis)
    created_at: Mapped[datetime] = mapped_column(Millis)
    updated_at: Mapped[datetime] = mapped_column(Millis)
    phase: Mapped[str]
    state: Mapped[str]
    started_at: Mapped[datetime] = mapped_column(Millis)
    completed_at: Mapped[datetime | None] = mapped_column(Millis)
    target_launch_date: Mapped[datetime | None] = mapped_column(Millis)
    waiting_on_customer: Mapped[bool]
    waiting_on_customer_since: Mapped[datetime | None] = mapped_column(Millis)
    wizard_completed_at: Mapped[datetime | None] = mapped_column(Millis)
    reminder_email: Mapped[bool]
    reminder_slack: Mapped[bool]
    reminder_frequency_days: Mapped[int]
    template_id: Mapped[str | None]
    csm_id: Mapped[str | None]
    se_id: Mapped[str | None]
    designer_id: Mapped[str | None]
    product_ops_id: Mapped[str | None]
    notes: Mapped[str | None]

    def wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"object": "onboarding"}
        for name in FIELDS:
            value = getattr(self, name)
            out[name] = iso(ms(value)) if name in TIMES else value
        return out


class HistoryRow(Base):
    __tablename__ = "onboarding_history"
    __table_args__ = (
        ForeignKeyConstraint(
            ["workspace_id", "livemode", "onboarding_id"],
            ["onboardings.workspace_id", "onboardings.livemode", "onboardings.id"],
        ),
    )
    workspace_id: Mapped[str] = mapped_column(String, primary_key=True)
    livemode: Mapped[bool] = mapped_column(primary_key=True)
    onboarding_id: Mapped[str] = mapped_column(String, primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Millis)
    until: Mapped[datetime | None] = mapped_column(Millis)
    previous_phase: Mapped[str | None]
    phase: Mapped[str]
    state: Mapped[str]
    started_at: Mapped[datetime] = mapped_column(Millis)
    target_launch_date: Mapped[datetime | None] = mapped_column(Millis)
    csm_id: Mapped[str | None]
    template_id: Mapped[str | None]
    onboarding: Mapped[OnboardingRow] = relationship()


class EventRow(Base):
    __tablename__ = "events"
    workspace_id: Mapped[str] = mapped_column(String, primary_key=True)
    sequence: Mapped[int] = mapped_column(primary_key=True)
    livemode: Mapped[bool]
    id: Mapped[str]
    type: Mapped[str]
    object_id: Mapped[str]
    customer_id: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(Millis)
    actor: Mapped[str]
    data: Mapped[str]


class CounterRow(Base):
    __tablename__ = "counters"
    workspace_id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[int]


class Orm:
    """The same operations with the SQLAlchemy ORM (2.x style)."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.engine = create_engine(f"sqlite:///{path}")

        @event.listens_for(self.engine, "connect")
        def pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            for pragma in PRAGMAS.split(";"):
                if pragma.strip():
                    cursor.execute(pragma)
            cursor.close()

        with Session(self.engine) as s:
            self.ws = s.execute(sqlalchemy.text("SELECT id FROM workspaces ORDER BY seq LIMIT 1")).scalar_one()
        self.rng = random.Random(43)
        self.now = now

    def close(self) -> None:
        self.engine.dispose()

    def _id(self, prefix: str) -> str:
        return prefix + "".join(self.rng.choices(ALPHABET, k=20))

    def _insert(self, s: Session, p: dict[str, Any]) -> OnboardingRow:
        customer_id = s.scalars(
            select(CustomerRow.id).where(
                CustomerRow.workspace_id == self.ws,
                CustomerRow.display_id == int(p["customer_id"]),
                CustomerRow.livemode.is_(True),
                CustomerRow.deleted_at.is_(None),
            )
        ).one()
        counter = s.get(CounterRow, (self.ws, "onboarding"))
        if counter is None:
            counter = CounterRow(workspace_id=self.ws, kind="onboarding", value=0)
            s.add(counter)
        counter.value += 1
        now = self.now
        phase = p.get("phase") or "before_getting_started"
        state = p.get("state") or ("waiting" if p.get("waiting_on_customer") else "active")
        waiting = state == "waiting"
        o = OnboardingRow(
            workspace_id=self.ws,
            livemode=True,
            id=self._id("onb_"),
            display_id=counter.value,
            customer_id=customer_id,
            template_id=p.get("template_id"),
            phase=phase,
            state=state,
            started_at=p.get("started_at") or now,
            completed_at=now if phase == "completed" else None,
            target_launch_date=p.get("target_launch_date"),
            csm_id=p.get("csm_id"),
            se_id=p.get("se_id"),
            designer_id=p.get("designer_id"),
            product_ops_id=p.get("product_ops_id"),
            notes=p.get("notes"),
            waiting_on_customer=waiting,
            waiting_on_customer_since=now if waiting else None,
            wizard_completed_at=p.get("wizard_completed_at"),
            reminder_email=p.get("reminder_email", True),
            reminder_slack=p.get("reminder_slack", True),
            reminder_frequency_days=p.get("reminder_frequency_days", 1),
            created_at=now,
            updated_at=now,
        )
        s.add(o)
        s.add(
            HistoryRow(
                onboarding=o,
                seq=0,
                at=now,
                phase=phase,
                state=state,
                started_at=o.started_at,
                target_launch_date=o.target_launch_date,
                csm_id=o.csm_id,
                template_id=o.template_id,
            )
        )
        sequence = (s.scalar(select(func.max(EventRow.sequence)).where(EventRow.workspace_id == self.ws)) or 0) + 1
        s.add(
            EventRow(
                workspace_id=self.ws,
                sequence=sequence,
                livemode=True,
                id=self._id("evt_"),
                type="onboarding.created",
                object_id=o.id,
                customer_id=customer_id,
                created_at=now,
                actor="bench",
                data=json.dumps({"object": o.wire(), "previous_attributes": None}, separators=(",", ":")),
            )
        )
        s.flush()  # the next item's max(sequence) must see this event
        return o

    def create(self, p: dict[str, Any]) -> OnboardingRow:
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            return self._insert(s, p)

    def create_many(self, ps: list[dict[str, Any]]) -> list[OnboardingRow]:
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            return [self._insert(s, p) for p in ps]

    def _visible(self) -> Any:
        return (
            select(OnboardingRow)
            .join(
                CustomerRow,
                (CustomerRow.workspace_id == OnboardingRow.workspace_id)
                & (CustomerRow.livemode == OnboardingRow.livemode)
                & (CustomerRow.id == OnboardingRow.customer_id),
            )
            .where(
                OnboardingRow.workspace_id == self.ws,
                OnboardingRow.livemode.is_(True),
                OnboardingRow.deleted_at.is_(None),
                CustomerRow.deleted_at.is_(None),
            )
        )

    def retrieve(self, id: str) -> OnboardingRow | None:
        with Session(self.engine) as s:
            return s.scalars(self._visible().where(OnboardingRow.id == id)).one_or_none()

    def list_for_customer(self, customer_id: str) -> list[OnboardingRow]:
        query = (
            self._visible()
            .where(OnboardingRow.customer_id == customer_id)
            .order_by(OnboardingRow.created_at.desc(), OnboardingRow.id.desc())
        )
        with Session(self.engine) as s:
            return list(s.scalars(query))

    def list_by_phase(self, phase: str) -> list[OnboardingRow]:
        query = (
            self._visible()
            .where(OnboardingRow.phase == phase)
            .order_by(OnboardingRow.created_at.desc(), OnboardingRow.id.desc())
            .limit(26)
        )
        with Session(self.engine) as s:
            return list(s.scalars(query))


# ---------------------------------------------------------------------------------------------
# Measuring.


def percentiles(ns: list[int]) -> dict[str, float]:
    xs = sorted(ns)

    def at(p: float) -> float:
        rank = max(1, min(len(xs), int(-(-p * len(xs) // 100))))
        return xs[rank - 1] / 1000

    return {"n": len(xs), "p50_us": at(50), "p90_us": at(90), "p99_us": at(99), "mean_us": sum(xs) / len(xs) / 1000}


def timed(ops: list[Callable[[], object]]) -> list[int]:
    out = []
    clock = time.perf_counter_ns
    for op in ops:
        start = clock()
        op()
        out.append(clock() - start)
    return out


class Files:
    def __init__(self) -> None:
        parent = ROOT / "target" / "bench-data" / "tmp"
        parent.mkdir(parents=True, exist_ok=True)
        self.dir = tempfile.TemporaryDirectory(dir=parent)
        self.n = 0

    def path(self) -> Path:
        self.n += 1
        return Path(self.dir.name) / f"py{self.n}.db"

    def clean(self) -> None:
        for f in Path(self.dir.name).iterdir():
            f.unlink()


def single_creates(files: Files, rounds: int, per_round: int) -> dict[str, Any]:
    """Per-operation creates, one transaction each, alternating rounds of the three sides."""
    customers = 1_000
    lib_db = new_store(files.path(), customers)
    std_path, orm_path = files.path(), files.path()
    new_store(std_path, customers).close()
    new_store(orm_path, customers).close()
    std = Stdlib(std_path, T0)
    orm = Orm(orm_path, T0)
    sides: dict[str, Callable[[dict[str, Any]], object]] = {
        "pivotal_core": lib_db.onboardings.create,
        "sqlite3": std.create,
        "sqlalchemy": orm.create,
    }
    seconds: dict[str, list[float]] = {k: [] for k in sides}
    latencies: dict[str, list[int]] = {k: [] for k in sides}
    order = list(sides)
    for r in range(rounds):
        bodies = [onboarding_body(i, customers) for i in range(r * per_round, (r + 1) * per_round)]
        for name in order if r % 2 == 0 else reversed(order):
            create = sides[name]
            gc.collect()
            start = time.perf_counter()
            latencies[name] += timed([functools.partial(create, b) for b in bodies])
            seconds[name].append(time.perf_counter() - start)
    lib_db.close()
    std.close()
    orm.close()
    files.clean()
    out: dict[str, Any] = {"per_round": per_round}
    for name in sides:
        median = statistics.median(seconds[name])
        out[name] = {"rounds_s": seconds[name], "per_second": per_round / median, **percentiles(latencies[name])}
    out["pivotal_core_vs_sqlite3"] = out["pivotal_core"]["per_second"] / out["sqlite3"]["per_second"]
    out["pivotal_core_vs_sqlalchemy"] = out["pivotal_core"]["per_second"] / out["sqlalchemy"]["per_second"]
    return out


#: A timed batch and its untimed cleanup.
Run = tuple[Callable[[], object], Callable[[], None]]


def batch_creates(files: Files, rounds: int, n: int, orm_n: int) -> dict[str, Any]:
    """``create_many`` of ``n`` onboardings (one transaction) against stdlib and ORM batches."""
    customers = max(1, n // PER_CUSTOMER)
    seconds: dict[str, list[float]] = {"pivotal_core": [], "sqlite3": [], "sqlalchemy": []}
    for r in range(rounds):
        bodies = [onboarding_body(i, customers) for i in range(n)]

        def lib(bodies: list[dict[str, Any]]) -> Run:
            db = new_store(files.path(), customers)
            return lambda: db.onboardings.create_many(bodies), db.close

        def std(bodies: list[dict[str, Any]]) -> Run:
            path = files.path()
            new_store(path, customers).close()
            s = Stdlib(path, T0)
            return lambda: s.create_many(bodies), s.close

        def orm(bodies: list[dict[str, Any]]) -> Run:
            path = files.path()
            new_store(path, customers).close()
            o = Orm(path, T0)
            return lambda: o.create_many(bodies[:orm_n]), o.close

        runs: list[tuple[str, Callable[[list[dict[str, Any]]], Run]]] = [
            ("pivotal_core", lib),
            ("sqlite3", std),
            ("sqlalchemy", orm),
        ]
        for name, setup in runs if r % 2 == 0 else reversed(runs):
            work, close = setup(bodies)
            gc.collect()
            start = time.perf_counter()
            work()
            seconds[name].append(time.perf_counter() - start)
            close()  # untimed, as in the Rust bench (closing checkpoints the WAL)
            files.clean()
    out: dict[str, Any] = {"items": n, "sqlalchemy_items": orm_n}
    for name, xs in seconds.items():
        items = orm_n if name == "sqlalchemy" else n
        out[name] = {"rounds_s": xs, "median_s": statistics.median(xs), "per_second": items / statistics.median(xs)}
    return out


# Onboardings sampled per file, as in the Rust reads bench: their pages far exceed the page cache.
KEYS = 20_000


def reads(fixture: Path, ops: int) -> dict[str, Any]:
    """Retrieve and lists from Python on one file, the three sides alternating per operation."""
    conn = sqlite3.connect(fixture)
    n = conn.execute("SELECT max(rowid) FROM onboardings").fetchone()[0]
    rng = random.Random(n)
    keys = []
    for _ in range(KEYS):
        keys.append(
            conn.execute("SELECT id, customer_id FROM onboardings WHERE rowid = ?", (rng.randint(1, n),)).fetchone()
        )
    conn.close()
    db = pc.open(fixture)
    std = Stdlib(fixture, T0)
    orm = Orm(fixture, T0)
    sides: dict[str, dict[str, Callable[[int], object]]] = {
        "retrieve_by_id": {
            "pivotal_core": lambda i: db.onboardings.retrieve(keys[i % len(keys)][0]),
            "sqlite3": lambda i: std.retrieve(keys[i % len(keys)][0]),
            "sqlalchemy": lambda i: orm.retrieve(keys[i % len(keys)][0]),
        },
        "list_for_customer": {
            "pivotal_core": lambda i: db.onboardings.list_for_customer(keys[i % len(keys)][1]),
            "sqlite3": lambda i: std.list_for_customer(keys[i % len(keys)][1]),
            "sqlalchemy": lambda i: orm.list_for_customer(keys[i % len(keys)][1]),
        },
        "list_by_phase_first_page": {
            "pivotal_core": lambda i: db.onboardings.list_page(phase=PHASES[i % len(PHASES)]),
            "sqlite3": lambda i: std.list_by_phase(PHASES[i % len(PHASES)]),
            "sqlalchemy": lambda i: orm.list_by_phase(PHASES[i % len(PHASES)]),
        },
    }
    out: dict[str, Any] = {"file": str(fixture), "onboardings": n}
    for op, impls in sides.items():
        count = ops if op == "retrieve_by_id" else max(1, ops // 4)
        for f in impls.values():  # warm-up: every key once
            for i in range(min(count, len(keys))):
                f(i)
        lat: dict[str, list[int]] = {k: [] for k in impls}
        clock = time.perf_counter_ns
        names = list(impls)
        gc.collect()
        for i in range(count):
            for name in names if i % 2 == 0 else reversed(names):
                start = clock()
                impls[name](i)
                lat[name].append(clock() - start)
        out[op] = {name: percentiles(xs) for name, xs in lat.items()}
    db.close()
    std.close()
    orm.close()
    return out


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="a few hundred rows: check that every part runs")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    smoke = args.smoke
    rounds = args.rounds or (1 if smoke else 5)
    files = Files()
    started = time.perf_counter()
    machine_before = {"loadavg": os.getloadavg(), "python": sys.version.split()[0]}

    single = single_creates(files, rounds, 30 if smoke else 1_000)
    batch_rounds = 1 if smoke else rounds // 2 + 1
    batch = batch_creates(files, batch_rounds, 300 if smoke else 100_000, 100 if smoke else 10_000)

    rust_reads = None if smoke else load("reads.json")
    if rust_reads is not None and Path(rust_reads["sizes"][-1]["file"]).exists():
        fixture = Path(rust_reads["sizes"][-1]["file"])
    else:
        fixture = files.path()
        new_store(fixture, 100).onboardings.create_many([onboarding_body(i, 100) for i in range(1_000)])
    read = reads(fixture, 200 if smoke else 20_000)

    rust_writes = None if smoke else load("writes.json")
    targets: dict[str, Any] = {
        "create_vs_sqlite3": single["pivotal_core_vs_sqlite3"],
        "create_vs_sqlalchemy": single["pivotal_core_vs_sqlalchemy"],
    }
    if rust_writes is not None and rust_writes["batch"]["onboardings"]["items_per_round"] == batch["items"]:
        rust_batch = rust_writes["batch"]["onboardings"]["library"]["median_round_s"]
        targets["batch_python_s"] = batch["pivotal_core"]["median_s"]
        targets["batch_rust_s"] = rust_batch
        targets["batch_python_vs_rust_time"] = batch["pivotal_core"]["median_s"] / rust_batch
    if rust_reads is not None and str(fixture) == rust_reads["sizes"][-1]["file"]:
        rust_p50 = rust_reads["sizes"][-1]["library"]["retrieve_by_id"]["p50_us"]
        targets["retrieve_p50_python_us"] = read["retrieve_by_id"]["pivotal_core"]["p50_us"]
        targets["retrieve_p50_rust_us"] = rust_p50
        targets["retrieve_p50_python_vs_rust"] = read["retrieve_by_id"]["pivotal_core"]["p50_us"] / rust_p50

    results = {
        "bench": "python",
        "command": "bash bindings-python/bench/run.sh",
        "smoke": smoke,
        "machine_before": machine_before,
        "machine_after": {"loadavg": os.getloadavg()},
        "platform": platform.platform(),
        "sqlite3_module_sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "pivotal_core": pc.__version__,
        "took_s": time.perf_counter() - started,
        "targets": targets,
        "single_create": single,
        "batch_create": batch,
        "reads": read,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("python.smoke.json" if smoke else "python.json")
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(targets, indent=2))
    print(f"results -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
