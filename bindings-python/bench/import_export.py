"""`pivotal import`/`export` against sqlite-utils, the tool a user would pick instead (BENCHMARKS.md).

On NDJSON of N onboardings and N/10 customers (the API's JSON, generated from the fixture's records
with new ids, display ids and timestamps), one run measures, side by side:

- `pivotal import customers.ndjson onboardings.ndjson` vs `sqlite-utils insert --nl --pk id` of both
  files (rows/s over both; peak RSS from `/usr/bin/time -v`);
- `pivotal export onboardings --format ndjson` vs `sqlite-utils rows --nl`;
- `pivotal export onboardings --format csv` vs `sqlite-utils rows --csv`
  (each export the fastest of 3 runs).

It builds `pivotal` (release; `--smoke`: the debug build, 1,000 onboardings), installs sqlite-utils
into its own virtualenv (`.venv-sqlite-utils`, kept; installs are printed on stderr), caches the
data in `$CARGO_TARGET_DIR/bench-data/import-export-N/`, prints a Markdown table and writes
`$CARGO_TARGET_DIR/bench-results/import_export.json` (`--smoke`: `import_export-smoke.json`).
Nothing fails on time; a wrong result fails.

    python3 bindings-python/bench/import_export.py [--n 100000] [--smoke] [--dir /dev/shm]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
FIXTURE = ROOT / "tests" / "fixtures" / "list-customer-onboardings.json"
SQLITE_UTILS = "sqlite-utils==4.2.1"
VENV = Path(os.environ.get("PIVOTAL_SQLITE_UTILS_VENV") or ROOT / ".venv-sqlite-utils")
#: Onboardings per customer.
PER_CUSTOMER = 10
#: Each export runs this many times and the fastest run counts (the import runs once).
EXPORT_RUNS = 3
#: The timestamp fields of a record, shifted together so that each record stays consistent.
INSTANTS = (
    "created_at",
    "updated_at",
    "started_at",
    "completed_at",
    "target_launch_date",
    "waiting_on_customer_since",
    "wizard_completed_at",
)
CUSTOMER: dict[str, Any] = {
    "object": "customer",
    "id": "",
    "display_id": 0,
    "name": "",
    "slug": "",
    "domain": None,
    "status": "onboarding",
    "plan": "growth",
    "mrr": 250000,
    "monthly_orders": None,
    "hubspot_company_id": None,
    "hubspot_deal_id": None,
    "stripe_customer_id": None,
    "intercom_company_id": None,
    "slack_channel_id": None,
    "metadata": {"region": "eu"},
    "created_at": "2023-11-01T09:00:00Z",
    "updated_at": "2023-11-02T09:00:00Z",
}


def say(message: str) -> None:
    """Progress on stderr (stdout is the table)."""
    print(f"==> {message}", file=sys.stderr, flush=True)


def shifted(record: dict[str, Any], seconds: int) -> dict[str, Any]:
    """The record with every timestamp moved by `seconds`, written as the API writes them (milliseconds)."""
    out = dict(record)
    for field in INSTANTS:
        value = out.get(field)
        if value is not None:
            instant = datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
            out[field] = (instant + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return out


def generate(directory: Path, onboardings: int) -> tuple[Path, Path]:
    """customers.ndjson and onboardings.ndjson in `directory` (made once, then reused)."""
    customers_path, onboardings_path = directory / "customers.ndjson", directory / "onboardings.ndjson"
    if customers_path.exists() and onboardings_path.exists():
        return customers_path, onboardings_path
    say(f"generating {onboardings:,} onboardings and {onboardings // PER_CUSTOMER:,} customers in {directory}")
    directory.mkdir(parents=True, exist_ok=True)
    templates = json.loads(FIXTURE.read_text(encoding="utf-8"))["data"]
    customers = onboardings // PER_CUSTOMER
    with open(f"{customers_path}.tmp", "w", encoding="utf-8") as out:
        for i in range(customers):
            customer = shifted(CUSTOMER, i)
            customer.update(
                id=f"cus_{i:020d}",
                display_id=i + 1,
                name=f"Customer {i + 1}",
                slug=f"customer-{i + 1}",
                domain=f"customer-{i + 1}.example.com",
                metadata={"region": "eu", "crm_id": str(i)},
            )
            out.write(json.dumps(customer, separators=(",", ":"), ensure_ascii=False) + "\n")
    with open(f"{onboardings_path}.tmp", "w", encoding="utf-8") as out:
        for i in range(onboardings):
            onboarding = shifted(copy.deepcopy(templates[i % len(templates)]), i)
            onboarding.update(id=f"onb_{i:020d}", display_id=i + 1, customer_id=f"cus_{i // PER_CUSTOMER:020d}")
            out.write(json.dumps(onboarding, separators=(",", ":"), ensure_ascii=False) + "\n")
    os.replace(f"{customers_path}.tmp", customers_path)
    os.replace(f"{onboardings_path}.tmp", onboardings_path)
    return customers_path, onboardings_path


def pivotal_binary(smoke: bool) -> Path:
    """Builds `pivotal` (release, or debug for --smoke) and returns its path."""
    profile = [] if smoke else ["--release"]
    say(f"cargo build -p pivotal-cli {' '.join(profile)}")
    subprocess.run(["cargo", "build", "--quiet", "-p", "pivotal-cli", *profile], cwd=ROOT, check=True)
    return TARGET / ("debug" if smoke else "release") / "pivotal"


def sqlite_utils_binary() -> Path:
    """sqlite-utils in its own virtualenv (created once; the install is printed on stderr)."""
    tool = VENV / "bin" / "sqlite-utils"
    if not tool.exists():
        say(f"installing {SQLITE_UTILS} into {VENV} (PyPI)")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        (VENV / ".gitignore").write_text("*\n", encoding="utf-8")
        subprocess.run(
            [
                str(VENV / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                SQLITE_UTILS,
            ],
            check=True,
            stdout=sys.stderr,
        )
    return tool


def timed(commands: list[list[str]], stdout: Path | None = None) -> dict[str, float]:
    """Runs the commands one after the other under `/usr/bin/time -v`: wall seconds, CPU seconds (user +
    system: what a loaded machine inflates least) and peak RSS (MiB)."""
    seconds, cpu, peak_kib = 0.0, 0.0, 0
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "time.txt"
        for command in commands:
            with open(stdout or os.devnull, "wb") as out:
                start = time.perf_counter()
                subprocess.run(["/usr/bin/time", "-v", "-o", str(report), *command], stdout=out, check=True)
                seconds += time.perf_counter() - start
            text = report.read_text(encoding="utf-8")
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
            assert found, "no peak RSS from /usr/bin/time -v"
            peak_kib = max(peak_kib, int(found.group(1)))
            for kind in ("User", "System"):
                spent = re.search(rf"{kind} time \(seconds\): ([\d.]+)", text)
                assert spent, f"no {kind.lower()} time from /usr/bin/time -v"
                cpu += float(spent.group(1))
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mib": peak_kib / 1024}


def best_of(runs: int, commands: list[list[str]], stdout: Path | None = None) -> dict[str, float]:
    """The fastest of `runs` timed runs (a shared machine's noise only ever adds time)."""
    return min((timed(commands, stdout) for _ in range(runs)), key=lambda r: r["seconds"])


def lines(path: Path) -> Counter[int]:
    """The file's lines, as a multiset of their hashes."""
    with open(path, "rb") as f:
        return Counter(hash(line.rstrip(b"\n")) for line in f)


def machine() -> dict[str, Any]:
    """The CPU, how many, and the load average."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return {"cpu": cpu, "cpus": os.cpu_count(), "loadavg": Path("/proc/loadavg").read_text().strip()}


def main() -> None:
    """Builds, installs, generates, measures, checks, prints the table and writes the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="onboardings (customers: N/10)")
    parser.add_argument("--smoke", action="store_true", help="1,000 onboardings with the debug build")
    parser.add_argument(
        "--dir",
        type=Path,
        default=TARGET / "bench-data",
        help="where the store files go (e.g. /dev/shm: no disk flushes); default $CARGO_TARGET_DIR/bench-data",
    )
    args = parser.parse_args()
    n = 1_000 if args.smoke else args.n
    if n < PER_CUSTOMER or n % PER_CUSTOMER:
        parser.error(f"--n must be a positive multiple of {PER_CUSTOMER}")
    if shutil.which("/usr/bin/time") is None:
        sys.exit("/usr/bin/time is missing (on Debian: apt-get install time)")
    pivotal, su = str(pivotal_binary(args.smoke)), str(sqlite_utils_binary())
    customers, onboardings = generate(TARGET / "bench-data" / f"import-export-{n}", n)
    rows = n + n // PER_CUSTOMER
    before = machine()
    results: dict[str, Any] = {
        "bench": "import_export",
        "smoke": args.smoke,
        "onboardings": n,
        "customers": n // PER_CUSTOMER,
    }
    results["dir"] = str(args.dir)
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        work = Path(scratch)
        store, plain = str(work / "pivotal.db"), str(work / "sqlite-utils.db")
        say(f"import: {rows:,} rows")
        summary_path = work / "summary.json"
        results["import"] = {
            "pivotal": timed(
                [[pivotal, "--db", store, "--json", "import", str(customers), str(onboardings)]], summary_path
            ),
            "sqlite-utils": timed(
                [
                    [su, "insert", plain, "customers", str(customers), "--nl", "--pk", "id"],
                    [su, "insert", plain, "onboardings", str(onboardings), "--nl", "--pk", "id"],
                ]
            ),
        }
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        assert (summary["created"], summary["skipped"]) == (rows, 0), summary
        say("export onboardings: NDJSON and CSV")
        out = {name: work / name for name in ("p.ndjson", "s.ndjson", "p.csv", "s.csv")}
        results["export_ndjson"] = {
            "pivotal": best_of(
                EXPORT_RUNS, [[pivotal, "--db", store, "export", "onboardings", "-o", str(out["p.ndjson"])]]
            ),
            "sqlite-utils": best_of(EXPORT_RUNS, [[su, "rows", plain, "onboardings", "--nl"]], out["s.ndjson"]),
        }
        results["export_csv"] = {
            "pivotal": best_of(
                EXPORT_RUNS,
                [[pivotal, "--db", store, "export", "onboardings", "--format", "csv", "-o", str(out["p.csv"])]],
            ),
            "sqlite-utils": best_of(EXPORT_RUNS, [[su, "rows", plain, "onboardings", "--csv"]], out["s.csv"]),
        }
        # The export is the input again (in another order): the API's JSON, byte for byte.
        assert lines(out["p.ndjson"]) == lines(onboardings), "pivotal export differs from the imported NDJSON"
        for name, expected in (("s.ndjson", n), ("p.csv", n + 1), ("s.csv", n + 1)):
            count = sum(lines(out[name]).values())
            assert count == expected, f"{name}: {count} lines, not {expected}"
    results["machine_before"], results["machine_after"] = before, machine()
    results["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results["command"] = " ".join(["python3 bindings-python/bench/import_export.py", *sys.argv[1:]])
    report(results, rows)


def report(results: dict[str, Any], rows: int) -> None:
    """Prints the Markdown table and writes the JSON results."""
    n = results["onboardings"]
    print(
        f"| step ({n:,} onboardings, {results['customers']:,} customers; files in {results['dir']}) "
        "| pivotal | sqlite-utils | ratio | ratio of CPU time | target |"
    )
    print("|---|---|---|---|---|---|")
    for step, count, label, target in (
        ("import", rows, "import (rows/s)", 1.0),
        ("export_ndjson", n, "export NDJSON (rows/s)", 3.0),
        ("export_csv", n, "export CSV (rows/s)", 2.0),
    ):
        p, s = results[step]["pivotal"], results[step]["sqlite-utils"]
        ratio = s["seconds"] / p["seconds"]
        cpu_ratio = s["cpu_seconds"] / p["cpu_seconds"]
        results[step]["ratio"], results[step]["cpu_ratio"] = ratio, cpu_ratio
        print(
            f"| {label} | {count / p['seconds']:,.0f} ({p['seconds']:.2f} s; CPU {p['cpu_seconds']:.2f} s) "
            f"| {count / s['seconds']:,.0f} ({s['seconds']:.2f} s; CPU {s['cpu_seconds']:.2f} s) "
            f"| {ratio:.2f}x | {cpu_ratio:.2f}x | >= {target:g}x |"
        )
    imp = results["import"]
    print(
        f"| import peak RSS | {imp['pivotal']['peak_rss_mib']:.0f} MiB "
        f"| {imp['sqlite-utils']['peak_rss_mib']:.0f} MiB | | | < 200 MB |"
    )
    print(
        f"\n{results['date']}; {results['machine_before']['cpu']} x{results['machine_before']['cpus']}; "
        f"load {results['machine_before']['loadavg']} -> {results['machine_after']['loadavg']}"
    )
    out = TARGET / "bench-results" / ("import_export-smoke.json" if results["smoke"] else "import_export.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    say(f"results in {out}")


if __name__ == "__main__":
    main()
