"""The Python test-fake workload on ``pc.open_in_memory()``, to compare two builds of the package.

The workload is what a test suite using pivotal_core as a fake does: open a fresh store per test,
then create, update and list onboardings. One run, in a fresh process:

- ``create``: 100 customers, then 10,000 onboardings (100 per customer), one call each;
- ``update``: each onboarding moved one phase forward (a transition, a history row, two events);
- ``list``: every onboarding read back through ``onboardings.list()`` (lazy pages of 100), then
  each customer's onboardings through ``list(customer_id=...)``;
- ``open``, apart (not in the total): 200 × ``open_in_memory()`` + ``close()``, a fixture per test.

``--store sqlite`` runs it on ``pc.open(":memory:")`` (SQLite's in-memory database) instead of
``open_in_memory()`` (the memory store). ``--compare-stores`` alternates the two in fresh processes of
this interpreter; ``--python`` (repeated) alternates interpreters of virtualenvs with other builds of
the package. The rounds alternate so that every variant sees the same machine load, and the summary
gives, per phase, the median and the spread (min–max) of the rounds in seconds, and the ratio of the
totals (create + update + list)::

    python3 bindings-python/bench/in_memory.py --compare-stores --rounds 5
    python3 bindings-python/bench/in_memory.py --python A/bin/python --python B/bin/python --rounds 5

Without ``--python`` it runs the workload once in this interpreter and prints its timings as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from typing import Any

PHASES = ("create", "update", "list")


def workload(onboardings: int, per_customer: int, opens: int, store: str) -> dict[str, float]:
    """Runs the workload once on `store` (``memory`` or ``sqlite``); seconds per phase."""
    import pivotal_core as pc

    def open_store(**options: Any) -> pc.Pivotal:
        return pc.open_in_memory(**options) if store == "memory" else pc.open(":memory:", **options)

    out: dict[str, float] = {}
    t = time.perf_counter()
    for _ in range(opens):
        open_store().close()
    out["open"] = time.perf_counter() - t

    clock = pc.FixedClock(datetime(2024, 1, 1, tzinfo=timezone.utc))
    with open_store(actor="bench", clock=clock) as db:
        t = time.perf_counter()
        customers = [db.customers.create(name=f"Customer {i}").id for i in range(onboardings // per_customer)]
        ids = [db.onboardings.create(customer_id=c).id for c in customers for _ in range(per_customer)]
        out["create"] = time.perf_counter() - t

        t = time.perf_counter()
        for i in ids:
            db.onboardings.update(i, phase="program_design")
        out["update"] = time.perf_counter() - t

        t = time.perf_counter()
        listed = sum(1 for _ in db.onboardings.list(limit=100))
        per = sum(1 for c in customers for _ in db.onboardings.list(customer_id=c, limit=100))
        out["list"] = time.perf_counter() - t
        if listed != len(ids) or per != len(ids):
            raise SystemExit(f"listed {listed} and {per} of {len(ids)} onboardings")
    out["total"] = sum(out[p] for p in PHASES)
    return out


def compare(variants: dict[str, list[str]], rounds: int, args: list[str]) -> None:
    """Alternates one workload process per variant (a label and its command) for `rounds` rounds;
    prints the summary."""
    runs: dict[str, list[dict[str, float]]] = {v: [] for v in variants}
    labels = list(variants)
    for r in range(rounds):
        for label in labels if r % 2 == 0 else reversed(labels):
            command = [*variants[label], *args]
            result = subprocess.run(command, check=True, capture_output=True, text=True)
            runs[label].append(json.loads(result.stdout))
            print(f"round {r + 1} {label}: {result.stdout.strip()}", file=sys.stderr)
    print(f"{rounds} rounds; seconds per phase, median (min–max)")
    for label, results in runs.items():
        cells = []
        for phase in (*PHASES, "total", "open"):
            values = [x[phase] for x in results]
            cells.append(f"{phase} {statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})")
        print(f"{label}: " + ", ".join(cells))
    if len(labels) == 2:
        a, b = (statistics.median(x["total"] for x in runs[v]) for v in labels)
        ratios = sorted(y["total"] / x["total"] for x, y in zip(runs[labels[0]], runs[labels[1]]))
        print(f"total, second / first: {b / a:.2f} (per round {ratios[0]:.2f}–{ratios[-1]:.2f})")


def main() -> None:
    """Compares interpreters with ``--python``, else runs the workload once here."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append", default=[], help="an interpreter to compare (repeat)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--onboardings", type=int, default=10_000)
    parser.add_argument("--per-customer", type=int, default=100)
    parser.add_argument("--opens", type=int, default=200)
    parser.add_argument("--store", choices=("memory", "sqlite"), default="memory")
    parser.add_argument("--compare-stores", action="store_true", help="the memory store vs SQLite in memory")
    ns = parser.parse_args()
    sizes = ["--onboardings", str(ns.onboardings), "--per-customer", str(ns.per_customer), "--opens", str(ns.opens)]
    if ns.compare_stores:
        here = [sys.executable, __file__]
        compare(
            {"memory store": [*here, "--store", "memory"], "SQLite in memory": [*here, "--store", "sqlite"]},
            ns.rounds,
            sizes,
        )
    elif ns.python:
        compare({p: [p, __file__, "--store", ns.store] for p in ns.python}, ns.rounds, sizes)
    else:
        print(json.dumps(workload(ns.onboardings, ns.per_customer, ns.opens, ns.store)))


if __name__ == "__main__":
    main()
