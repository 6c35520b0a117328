"""The ``pivotal`` console script that ``pip install`` puts next to the venv's python: the fixture,
show, an export -> import round trip, exit codes, and Ctrl-C on ``events --follow``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "list-customer-onboardings.json"
#: The installed console script, in the same bin directory as the interpreter running the tests.
PIVOTAL = Path(sys.executable).parent / "pivotal"

#: The customer every fixture onboarding belongs to, as the API returns it.
CUSTOMER: dict[str, Any] = json.loads((FIXTURE.parent / "customer.json").read_text(encoding="utf-8"))


def run(*args: str | Path, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs the installed ``pivotal`` (``--db db`` first when given) without ``PIVOTAL_DB``."""
    env = {k: v for k, v in os.environ.items() if k != "PIVOTAL_DB"}
    argv = [str(PIVOTAL), *(["--db", str(db)] if db is not None else []), *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)


def ok(*args: str | Path, db: Path) -> str:
    """Runs a command that must succeed; its stdout."""
    done = run(*args, db=db)
    assert done.returncode == 0, done.stderr
    return done.stdout


def same_instant(value: Any) -> Any:
    """A fixture value as the API writes it back: timestamps with milliseconds."""
    if isinstance(value, str) and len(value) == 20 and value[10] == "T" and value.endswith("Z"):
        return value[:-1] + ".000Z"
    return value


def fixture_store(tmp_path: Path) -> Path:
    """A store holding the fixture and its customer, imported by the console script."""
    db = tmp_path / "mirror.db"
    customer = tmp_path / "customer.json"
    customer.write_text(json.dumps(CUSTOMER), encoding="utf-8")
    out = ok("import", customer, FIXTURE, db=db)
    assert "total: 3 created, 0 updated, 0 unchanged, 0 skipped" in out, out
    return db


def test_the_console_script_is_installed_next_to_python() -> None:
    assert PIVOTAL.is_file() and os.access(PIVOTAL, os.X_OK), PIVOTAL
    done = run("--version")
    assert done.returncode == 0 and done.stdout.startswith("pivotal "), done


def test_import_keeps_the_fixture_and_show_reads_it(tmp_path: Path) -> None:
    db = fixture_store(tmp_path)
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))["data"]
    for onboarding in expected:
        shown = json.loads(ok("--json", "show", onboarding["id"], db=db))
        assert shown == {k: same_instant(v) for k, v in onboarding.items()}
    by_display_id = json.loads(ok("--json", "show", "42", "--kind", "onboarding", db=db))
    assert by_display_id["id"] == "onb_9f8a7c6d5e4b3a21"
    assert "Acme Corp" in ok("show", "cus_1234567890abcdef", db=db)
    again = json.loads(ok("--json", "import", FIXTURE, db=db))
    assert (again["created"], again["unchanged"]) == (0, 2), again


def test_export_then_import_round_trips(tmp_path: Path) -> None:
    db = fixture_store(tmp_path)
    dumps: dict[str, str] = {}
    for kind in ("customers", "onboardings"):
        out = tmp_path / f"{kind}.ndjson"
        ok("export", kind, "-o", out, db=db)
        dumps[kind] = out.read_text(encoding="utf-8")
    copy = tmp_path / "copy.db"
    # Each file is one import, so the customers come first.
    summary = json.loads(
        ok("--json", "import", tmp_path / "customers.ndjson", tmp_path / "onboardings.ndjson", db=copy)
    )
    assert (summary["created"], summary["skipped"]) == (3, 0), summary
    for kind, dump in dumps.items():
        assert ok("export", kind, db=copy) == dump
    rows = ok("export", "onboardings", "--format", "csv", db=copy).splitlines()
    assert rows[0].startswith("object,id,display_id") and len(rows) == 3, rows


def test_exit_codes(tmp_path: Path) -> None:
    assert run("ls", "customers").returncode == 1  # no --db and no PIVOTAL_DB
    assert run("frobnicate", db=tmp_path / "x.db").returncode == 1  # clap's usage error
    assert run("ls", "customers", db=tmp_path / "missing.db").returncode == 1
    db = fixture_store(tmp_path)
    wrong = run("--json", "show", "cus_doesnotexist000000", db=db)
    assert wrong.returncode == 2, wrong
    envelope: dict[str, Any] = json.loads(wrong.stderr)
    assert envelope["error"]["code"] == "customer_not_found", envelope
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"object": "customer", "name": "x"', encoding="utf-8")  # truncated
    assert run("import", bad, db=db).returncode == 2
    assert run("--help").returncode == 0


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_stops_events_follow(tmp_path: Path) -> None:
    db = fixture_store(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PIVOTAL_DB"}
    follower = subprocess.Popen(
        [str(PIVOTAL), "--db", str(db), "--json", "events", "--follow", "--interval", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert follower.stdout is not None
        first = json.loads(follower.stdout.readline())  # following: the log is printed, then polled
        assert first["type"] == "customer.imported", first
        time.sleep(0.3)
        assert follower.poll() is None, "the follower ended by itself"
        follower.send_signal(signal.SIGINT)
        status = follower.wait(timeout=10)
    finally:
        if follower.poll() is None:
            follower.kill()
            follower.wait()
    assert status == -signal.SIGINT, (status, follower.stderr.read() if follower.stderr else b"")
