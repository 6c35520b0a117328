"""Runs the shared scenarios (tests/scenarios/*.json) through the Python API.

Each scenario runs twice, on a fresh in-memory store and on a fresh SQLite file, with a fixed clock
and the actor ``scenario``. The format is described in tests/scenarios/README.md; the matching rules
are those of the Rust runner (tests/rust/src/matching.rs).

Usage: ``python tests/python/run_scenarios.py [FILE_OR_DIR ...]`` (default: tests/scenarios).
Prints one line per scenario and ``N passed, N failed``; exits 1 when any fails or none ran.
"""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any, Callable, Optional

from scenario_matching import (
    ACTOR,
    DEFAULT_CLOCK,
    STEP_KEYS,
    ScenarioError,
    check_step,
    scenario_files,
    substitute,
)

import pivotal_core as pc

# --- running steps through the Python API ------------------------------------------------------


def error_json(e: pc.PivotalError) -> dict[str, Any]:
    return {"type": e.type, "code": e.code, "message": e.message, "field": e.field}


def to_json(result: Any) -> Any:
    """The wire JSON of what an operation returned."""
    if result is None:
        return None
    if isinstance(result, list):
        return [to_json(r) for r in result]
    if isinstance(result, pc.ImportSummary):
        return summary_json(result)
    return result.to_dict()


def summary_json(s: pc.ImportSummary) -> dict[str, Any]:
    """An import's summary as the scenario files describe it (each error without its line)."""
    errors = [
        {"index": e.index, "error": {"type": e.type, "code": e.code, "message": e.message, "field": e.field}}
        for e in s.errors
    ]
    counts = {"created": s.created, "updated": s.updated, "unchanged": s.unchanged, "skipped": s.skipped}
    return {"object": "import_summary", **counts, "errors": errors}


class Runner:
    """One scenario run: the store handle, its clock and the saved results."""

    def __init__(self, db: pc.Pivotal, clock: pc.FixedClock) -> None:
        self.db = db
        self.clock = clock
        self.saved: dict[str, Any] = {}

    def step(self, step: dict[str, Any]) -> None:
        unknown = set(step) - STEP_KEYS
        if unknown:
            raise ScenarioError(f"unknown step key `{sorted(unknown)[0]}`")
        args = {k: substitute(v, self.saved) for k, v in step.items() if k not in ("expect", "error")}
        try:
            outcome: Any = to_json(self.run(args["op"], args))
            failed = False
        except pc.PivotalError as e:
            outcome, failed = error_json(e), True
        check_step(step, outcome, failed, self.saved)

    def run(self, op: str, a: dict[str, Any]) -> Any:
        db = self.db
        body = a.get("params", {})
        # A request body goes in as keyword arguments; one that is not an object (which Python
        # keywords cannot express) as the positional body mapping, for the library to refuse.
        params = body if isinstance(body, dict) else {}
        bodies = () if isinstance(body, dict) else (body,)
        key = a.get("idempotency_key")
        ops: dict[str, Callable[[], Any]] = {
            "health": lambda: db.health(),
            "me": lambda: db.me(),
            "workspaces.create": lambda: db.workspaces.create(params.get("name", ""), slug=params.get("slug")),
            "workspaces.list": lambda: db.workspaces.list(),
            "session.workspace": lambda: self.switch(db.with_workspace(a["ref"])),
            "session.authenticate": lambda: self.switch(db.authenticate(a["secret"])),
            "api_keys.create": lambda: db.api_keys.create(params.get("name", "")),
            "api_keys.list": lambda: db.api_keys.list(),
            "api_keys.revoke": lambda: db.api_keys.revoke(a["ref"]),
            "analytics.onboarding": lambda: db.analytics.onboarding(a["ref"], **params),
            "analytics.workspace": lambda: db.analytics.workspace(**params),
            "customers.create": lambda: db.customers.create(*bodies, **params, idempotency_key=key),
            "customers.retrieve": lambda: db.customers.retrieve(a["ref"]),
            "customers.update": lambda: db.customers.update(a["ref"], *bodies, **params),
            "customers.delete": lambda: db.customers.delete(a["ref"]),
            "customers.list": lambda: db.customers.list_page(**params),
            "customers.list_all": lambda: list(db.customers.list(**params)),
            "customers.timeline": lambda: db.customers.timeline_page(a["ref"], **params),
            "contacts.create": lambda: db.contacts.create(a["customer"], *bodies, **params, idempotency_key=key),
            "contacts.retrieve": lambda: db.contacts.retrieve(a["ref"]),
            "contacts.update": lambda: db.contacts.update(a["ref"], *bodies, **params),
            "contacts.delete": lambda: db.contacts.delete(a["ref"]),
            "contacts.list": lambda: db.contacts.list_page(a["customer"], **params),
            "contacts.list_all": lambda: list(db.contacts.list(a["customer"], **params)),
            "onboardings.create": lambda: db.onboardings.create(*bodies, **params, idempotency_key=key),
            "onboardings.retrieve": lambda: db.onboardings.retrieve(a["ref"]),
            "onboardings.update": lambda: db.onboardings.update(a["ref"], *bodies, **params),
            "onboardings.delete": lambda: db.onboardings.delete(a["ref"]),
            "onboardings.list": lambda: db.onboardings.list_page(**params),
            "onboardings.list_all": lambda: list(db.onboardings.list(**params)),
            "onboardings.list_for_customer": lambda: db.onboardings.list_for_customer(a["customer"]),
            "onboardings.transitions": lambda: db.onboardings.transitions(a["ref"]),
            "events.list": lambda: db.events.list_page(**params),
            "import": lambda: db.import_records(
                params["items"], **{k: v for k, v in params.items() if k in ("on_error", "chunk_size")}
            ),
            "clock.set": lambda: self.clock.set(a["at"]),
            "clock.advance": lambda: self.clock.advance(ms=a["ms"]),
            "session.set": lambda: self.set_session(a),
        }
        if op not in ops:
            raise ScenarioError(f"unknown op `{op}`")
        try:
            return ops[op]()
        except KeyError as e:
            raise ScenarioError(f"`{e.args[0]}` is missing") from None

    def switch(self, session: pc.Pivotal) -> pc.Identity:
        """Later steps run in ``session``; the result is its identity."""
        self.db = session
        return session.me()

    def set_session(self, a: dict[str, Any]) -> None:
        if a.get("livemode") is not None:
            self.db = self.db.with_livemode(a["livemode"])
        if a.get("actor") is not None:
            self.db = self.db.with_actor(a["actor"])


def run_scenario(scenario: Any, backend: str, workdir: Path) -> None:
    """Runs one scenario on a fresh store of ``backend`` (``memory`` or ``sqlite``)."""
    if not isinstance(scenario, dict):
        raise ScenarioError("a scenario must be a JSON object")
    unknown = set(scenario) - {"name", "spec", "clock", "steps"}
    if unknown:
        raise ScenarioError(f"unknown scenario key `{sorted(unknown)[0]}`")
    if not isinstance(scenario.get("name"), str):
        raise ScenarioError("`name` is missing")
    steps = scenario.get("steps")
    if not isinstance(steps, list):
        raise ScenarioError("`steps` must be an array")
    clock = pc.FixedClock(scenario.get("clock", DEFAULT_CLOCK))
    if backend == "memory":
        db = pc.open_in_memory(actor=ACTOR, clock=clock)
    else:
        db = pc.open(workdir / "scenario.db", actor=ACTOR, clock=clock)
    with db:
        runner = Runner(db, clock)
        for i, step in enumerate(steps):
            op = step.get("op", "?") if isinstance(step, dict) else "?"
            try:
                if not isinstance(step, dict):
                    raise ScenarioError("a step must be an object")
                runner.step(step)
            except ScenarioError as e:
                raise ScenarioError(f"steps[{i}] ({op}): {e}") from None
            except Exception as e:  # a crash of the binding is a failure, reported with its trace
                trace = traceback.format_exc(limit=3)
                raise ScenarioError(f"steps[{i}] ({op}): {type(e).__name__}: {e}\n{trace}") from None


def run_file(path: Path) -> Optional[str]:
    """Runs a file on both backends; the failure report, or None."""
    try:
        scenario = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return f"{path.name}: {e}"
    failures = []
    for backend in ("memory", "sqlite"):
        with tempfile.TemporaryDirectory(prefix="pivotal-scenario-") as tmp:
            try:
                run_scenario(scenario, backend, Path(tmp))
            except ScenarioError as e:
                failures.append(f"{path.name} [{backend}] {e}")
    return "\n".join(failures) or None


def main(argv: list[str]) -> int:
    files = scenario_files(argv)
    passed = failed = 0
    for path in files:
        failure = run_file(path)
        if failure is None:
            passed += 1
            print(f"ok   {path.name}")
        else:
            failed += 1
            print(f"FAIL {path.name}\n  {failure}")
    print(f"{passed} passed, {failed} failed")
    if not files:
        print("no scenario files found", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
