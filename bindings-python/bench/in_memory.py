"""The Python test-fake workload on ``pc.open_in_memory()``, to compare two builds of the package.

The workload is what a test suite using pivotal_core as a fake does: open a fresh store per test,
then create, update and list onboardings. One run, in a fresh process:

- ``create``: 100 customers, then 10,000 onboardings (100 per customer), one call each;
- ``update``: each onboarding moved one phase forward (a transition, a history row, two events);
- ``list``: every onboarding read back through ``onboardings.list()`` (lazy pages of 100), then
  each customer's onboardings through ``list(customer_id=...)``;
- ``open``, apart (not in the total): 200 × ``open_in_memory()`` + ``close()``, a fixture per test.

``--python`` names the interpreters of the virtualenvs to compare (each with its own build of the
package installed); the rounds alternate between them so that both see the same machine load, and
the summary gives, per phase, the median and the spread (min–max) of the rounds in seconds, and the
ratio of the totals (create + update + list)::

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

PHASES = ("create", "update", "list")


def workload(onboardings: int, per_customer: int, opens: int) -> dict[str, float]:
    """Runs the workload once; seconds per phase."""
    import pivotal_core as pc

    out: dict[str, float] = {}
    t = time.perf_counter()
    for _ in range(opens):
        pc.open_in_memory().close()
    out["open"] = time.perf_counter() - t

    clock = pc.FixedClock(datetime(2024, 1, 1, tzinfo=timezone.utc))
    with pc.open_in_memory(actor="bench", clock=clock) as db:
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


def compare(pythons: list[str], rounds: int, args: list[str]) -> None:
    """Alternates one workload process per interpreter for `rounds` rounds; prints the summary."""
    runs: dict[str, list[dict[str, float]]] = {p: [] for p in pythons}
    for r in range(rounds):
        for python in pythons if r % 2 == 0 else reversed(pythons):
            result = subprocess.run([python, __file__, *args], check=True, capture_output=True, text=True)
            runs[python].append(json.loads(result.stdout))
            print(f"round {r + 1} {python}: {result.stdout.strip()}", file=sys.stderr)
    print(f"{rounds} rounds; seconds per phase, median (min–max)")
    for python, results in runs.items():
        cells = []
        for phase in (*PHASES, "total", "open"):
            values = [x[phase] for x in results]
            cells.append(f"{phase} {statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})")
        print(f"{python}: " + ", ".join(cells))
    if len(pythons) == 2:
        a, b = (statistics.median(x["total"] for x in runs[p]) for p in pythons)
        ratios = sorted(y["total"] / x["total"] for x, y in zip(runs[pythons[0]], runs[pythons[1]]))
        print(f"total, second / first: {b / a:.2f} (per round {ratios[0]:.2f}–{ratios[-1]:.2f})")


def main() -> None:
    """Compares interpreters with ``--python``, else runs the workload once here."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append", default=[], help="an interpreter to compare (repeat)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--onboardings", type=int, default=10_000)
    parser.add_argument("--per-customer", type=int, default=100)
    parser.add_argument("--opens", type=int, default=200)
    ns = parser.parse_args()
    sizes = ["--onboardings", str(ns.onboardings), "--per-customer", str(ns.per_customer), "--opens", str(ns.opens)]
    if ns.python:
        compare(ns.python, ns.rounds, sizes)
    else:
        print(json.dumps(workload(ns.onboardings, ns.per_customer, ns.opens)))


if __name__ == "__main__":
    main()
