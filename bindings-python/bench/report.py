"""Prints the target tables of BENCHMARKS.md from the results of the last bench run.

Reads ``target/bench-results/{writes,reads,import,python,kotlin}.json`` (written by ``make bench``) and
``target/bench-results/import-time.txt`` (``/usr/bin/time -v``), and prints Markdown: one table per
target, with the verdict. Standard library only: ``python3 bindings-python/bench/report.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parents[2] / "target" / "bench-results"


def load(name: str) -> Any:
    """The JSON results file ``name``; exits when it is missing."""
    path = RESULTS / name
    if not path.exists():
        sys.exit(f"missing {path}: run `make bench` first")
    return json.loads(path.read_text())


def verdict(ok: bool) -> str:
    """Met or missed, in bold."""
    return "**met**" if ok else "**missed**"


def rate(x: float) -> str:
    """A throughput, per second."""
    return f"{x:,.0f}/s"


def main() -> None:
    """Prints the tables."""
    writes, reads, imp, py = load("writes.json"), load("reads.json"), load("import.json"), load("python.json")
    out: list[str] = []
    w = out.append

    w("### Target 1: batch create, one transaction (library ÷ rusqlite throughput ≥ 0.5)\n")
    w("| batch | library | rusqlite baseline | ratio | target |")
    w("|---|---|---|---|---|")
    for kind in ("onboardings", "customers"):
        b = writes["batch"][kind]
        w(
            f"| {b['items_per_round']:,} {kind} | {rate(b['library']['per_second'])} "
            f"({b['library']['median_round_s']:.2f} s) | {rate(b['rusqlite']['per_second'])} "
            f"({b['rusqlite']['median_round_s']:.2f} s) | {b['ratio']:.2f} | "
            f"{verdict(b['ratio'] >= 0.5) if kind == 'onboardings' else '(reference)'} |"
        )
    w("")
    w("### Target 2: single create, one transaction each (library ÷ rusqlite throughput ≥ 0.5)\n")
    w("| create | library | rusqlite baseline | ratio | library p50 / p99 | rusqlite p50 / p99 | target |")
    w("|---|---|---|---|---|---|---|")
    for kind in ("onboardings", "customers"):
        s = writes["single"][kind]
        lib, base = s["library"], s["rusqlite"]
        w(
            f"| {kind} | {rate(lib['per_second'])} | {rate(base['per_second'])} | {s['ratio']:.2f} | "
            f"{lib['per_op']['p50_us']:.0f} / {lib['per_op']['p99_us']:,.0f} µs | "
            f"{base['per_op']['p50_us']:.0f} / {base['per_op']['p99_us']:,.0f} µs | "
            f"{verdict(s['ratio'] >= 0.5) if kind == 'onboardings' else '(reference)'} |"
        )
    w("")

    w("### Target 3: reads at 10k, 100k and 1M onboardings (10 per customer)\n")
    limits = {
        "retrieve_by_id": 50,
        "retrieve_by_display_id": 50,
        "list_for_customer": 200,
        "list_by_phase_first_page": 1000,
        "list_by_phase_deep_page": None,  # a page after a cursor mid-list: for reference
    }
    sizes = reads["sizes"]
    header = " | ".join(f"{s['onboardings']:,} ({s['file_mb']:,} MB)" for s in sizes)
    w(f"| operation (p50 / p99, µs) | {header} | growth p50 / p99 | p99 limit | verdict |")
    w("|---|" + "---|" * len(sizes) + "---|---|---|")
    growth = reads["growth_smallest_to_largest"]
    for op, limit in limits.items():
        cells = " | ".join(f"{s['library'][op]['p50_us']:.1f} / {s['library'][op]['p99_us']:.1f}" for s in sizes)
        g = growth[op]
        p99 = sizes[-1]["library"][op]["p99_us"]
        if limit is None:
            w(f"| {op} | {cells} | {g['p50']:.2f}× / {g['p99']:.2f}× | — | (reference) |")
            continue
        ok_abs, ok_growth = p99 <= limit, max(g["p50"], g["p99"]) <= 1.5
        w(
            f"| {op} | {cells} | {g['p50']:.2f}× / {g['p99']:.2f}× | {limit} | "
            f"p99 {verdict(ok_abs)}, growth {verdict(ok_growth)} |"
        )
    w("")
    w("The same reads by the hand-written rusqlite baseline, timed alternately with the library's:\n")
    w("| operation (p50 / p99, µs) | " + " | ".join(f"{s['onboardings']:,}" for s in sizes) + " |")
    w("|---|" + "---|" * len(sizes))
    for op in ("retrieve_by_id", "list_by_phase_first_page"):
        for side in ("library", "rusqlite"):
            cells = " | ".join(f"{s[side][op]['p50_us']:.1f} / {s[side][op]['p99_us']:.1f}" for s in sizes)
            w(f"| {op}, {side} | {cells} |")
    w("")
    if "library_mmap" in sizes[0]:
        w("The library's reads with the file memory-mapped (`Options::mmap_size`), timed right after:\n")
        w(f"| operation (p50 / p99, µs) | {header} | growth p50 / p99 | growth verdict |")
        w("|---|" + "---|" * len(sizes) + "---|---|")
        mapped_growth = reads["growth_smallest_to_largest_mmap"]
        for op in sizes[0]["library_mmap"]:
            cells = " | ".join(
                f"{s['library_mmap'][op]['p50_us']:.1f} / {s['library_mmap'][op]['p99_us']:.1f}" for s in sizes
            )
            g = mapped_growth[op]
            ok = "(reference)" if limits[op] is None else verdict(max(g["p50"], g["p99"]) <= 1.5)
            w(f"| {op} | {cells} | {g['p50']:.2f}× / {g['p99']:.2f}× | {ok} |")
        w("")

    t = py["targets"]
    s = py["single_create"]
    w("### Target 4: Python\n")
    w("| measure | pivotal_core | baseline | ratio | target | verdict |")
    w("|---|---|---|---|---|---|")
    lib, std, orm = s["pivotal_core"], s["sqlite3"], s["sqlalchemy"]
    w(
        f"| create, one transaction each | {rate(lib['per_second'])} (p50 {lib['p50_us']:.0f} µs) | stdlib sqlite3 "
        f"{rate(std['per_second'])} (p50 {std['p50_us']:.0f} µs) | {t['create_vs_sqlite3']:.2f}× | ≥ 1 | "
        f"{verdict(t['create_vs_sqlite3'] >= 1)} |"
    )
    w(
        f"| create, one transaction each | {rate(lib['per_second'])} | SQLAlchemy ORM {rate(orm['per_second'])} "
        f"(p50 {orm['p50_us']:.0f} µs) | {t['create_vs_sqlalchemy']:.1f}× | ≥ 10 | "
        f"{verdict(t['create_vs_sqlalchemy'] >= 10)} |"
    )
    if "batch_python_vs_rust_time" in t:
        w(
            f"| batch create, {py['batch_create']['items']:,} onboardings | {t['batch_python_s']:.2f} s | "
            f"Rust `create_many` {t['batch_rust_s']:.2f} s | {t['batch_python_vs_rust_time']:.2f}× the time | ≤ 1.5 | "
            f"{verdict(t['batch_python_vs_rust_time'] <= 1.5)} |"
        )
    if "retrieve_p50_python_vs_rust" in t:
        w(
            f"| retrieve by id p50, {py['reads']['onboardings']:,} onboardings | "
            f"{t['retrieve_p50_python_us']:.1f} µs | "
            f"Rust {t['retrieve_p50_rust_us']:.1f} µs | {t['retrieve_p50_python_vs_rust']:.2f}× | ≤ 3 | "
            f"{verdict(t['retrieve_p50_python_vs_rust'] <= 3)} |"
        )
    b = py["batch_create"]
    w("")
    w("For reference, batch creates from Python and reads from Python (p50 / p99, µs):\n")
    w("| | pivotal_core | stdlib sqlite3 | SQLAlchemy ORM |")
    w("|---|---|---|---|")
    w(
        f"| batch create ({b['items']:,}; ORM {b['sqlalchemy_items']:,}) | {rate(b['pivotal_core']['per_second'])} | "
        f"{rate(b['sqlite3']['per_second'])} | {rate(b['sqlalchemy']['per_second'])} |"
    )
    for op in ("retrieve_by_id", "list_for_customer", "list_by_phase_first_page"):
        r = py["reads"][op]
        cells = " | ".join(
            f"{r[k]['p50_us']:.1f} / {r[k]['p99_us']:.1f}" for k in ("pivotal_core", "sqlite3", "sqlalchemy")
        )
        w(f"| {op} | {cells} |")
    w("")

    kt = load("kotlin.json")
    ks = kt["sizes"]
    w("### Target 5: Kotlin retrieve p50 ≤ 25 µs (through the bindings: uniffi + JNA)\n")
    w("| operation (p50 / p99, µs) | " + " | ".join(f"{s['onboardings']:,}" for s in ks) + " |")
    w("|---|" + "---|" * len(ks))
    for op in ("retrieve_by_id", "retrieve_by_display_id"):
        cells = " | ".join(f"{s['kotlin'][op]['p50_us']:.1f} / {s['kotlin'][op]['p99_us']:.1f}" for s in ks)
        w(f"| {op}, Kotlin | {cells} |")
        cells = " | ".join(
            f"{s['rust'][op]['p50_us']:.1f} / {s['rust'][op]['p99_us']:.1f}" if s["rust"] else "—" for s in ks
        )
        w(f"| {op}, Rust (`reads.json`) | {cells} |")
        cells = " | ".join(
            f"{s['rust'][op]['kotlin_vs_rust_p50']:.2f}× (+{s['rust'][op]['kotlin_minus_rust_p50_us']:.1f} µs)"
            if s["rust"]
            else "—"
            for s in ks
        )
        w(f"| {op}, Kotlin ÷ Rust p50 | {cells} |")
    cells = " | ".join(verdict(s["kotlin"]["retrieve_by_id"]["p50_us"] <= 25) for s in ks)
    w(f"| retrieve_by_id p50 ≤ 25 µs | {cells} |")
    w("")
    w("The JNA call overhead, measured the same way on calls that do no store work (p50 / p99, µs):\n")
    w("| call | " + " | ".join(f"{s['onboardings']:,}" for s in ks) + " |")
    w("|---|" + "---|" * len(ks))
    overheads = {
        "jvm_noop": "JVM no-op (the timer's floor)",
        "is_closed": "`store.isClosed()`: 2 JNA calls, a bool back",
        "clock_now": "`FixedClock.now()`: 3 JNA calls, a RustBuffer back",
        "format_timestamp": "`formatTimestamp()`: 3 JNA calls, a RustBuffer in, a String back",
        "onboarding_decode": "decoding an `Onboarding` from its bytes (JVM only, no FFI)",
    }
    for op, label in overheads.items():
        cells = " | ".join(f"{s['overhead'][op]['p50_us']:.1f} / {s['overhead'][op]['p99_us']:.1f}" for s in ks)
        w(f"| {label} | {cells} |")
    w("")
    before, after = kt["machine_before"], kt["machine_after"]
    w(
        f"Load average before / after: {before['loadavg']} / {after['loadavg']} ({before['java']}, JNA "
        f"{before['jna']}, {' '.join(kt['jvm_flags'])}); the Rust numbers are from `reads.json` "
        f"(written {kt['rust_reads_modified']}).\n"
    )
    w("### Target 6: importing 1M onboardings in chunks\n")
    time_text = (RESULTS / "import-time.txt").read_text() if (RESULTS / "import-time.txt").exists() else ""
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_text)
    timed = int(m.group(1)) if m else None
    w("| import | chunk | time | peak RSS (`/usr/bin/time -v`) | peak RSS of the bench (`VmHWM`) | target | verdict |")
    w("|---|---|---|---|---|---|---|")
    peak = imp["peak_rss_kib"]
    w(
        f"| {imp['onboardings']:,} onboardings over {imp['customers']:,} customers ({imp['file_mb']:,} MB file) | "
        f"{imp['chunk']:,} | {imp['took_s']:.0f} s | {timed / 1024 if timed else float('nan'):.1f} MiB | "
        f"{peak / 1024:.1f} MiB | < 200 MB | {verdict(max(peak, timed or 0) < 200 * 1000)} |"
    )
    w("")
    w(
        "`/usr/bin/time -v` reports the largest process it waited for, here `cargo` itself; the bench "
        "process's own peak is `VmHWM`.\n"
    )

    o = reads["open"]
    w("### Target 7: opening a store\n")
    w("| | p50 | p99 | target | verdict |")
    w("|---|---|---|---|---|")
    w(
        f"| open an existing file ({sizes[-1]['file_mb']:,} MB) | {o['open_existing']['p50_us'] / 1000:.2f} ms | "
        f"{o['open_existing']['p99_us'] / 1000:.2f} ms | ≤ 10 ms | {verdict(o['open_existing']['p99_us'] <= 10_000)} |"
    )
    w(
        f"| create and migrate a new file | {o['create_new']['p50_us'] / 1000:.2f} ms | "
        f"{o['create_new']['p99_us'] / 1000:.2f} ms | ≤ 50 ms | {verdict(o['create_new']['p99_us'] <= 50_000)} |"
    )
    w("")
    w("Load average before / after each run (2 vCPUs):\n")
    for name, r in (("writes", writes), ("reads", reads), ("import", imp)):
        before, after = r["machine_before"], r["machine_after"]
        w(f"- {name}: {before['loadavg']} / {after['loadavg']} ({before['cpu']}, SQLite {before['sqlite']})")
    load_before = " ".join(f"{x:.2f}" for x in py["machine_before"]["loadavg"])
    load_after = " ".join(f"{x:.2f}" for x in py["machine_after"]["loadavg"])
    versions = (
        f"Python {py['machine_before']['python']}, its sqlite3 module on SQLite {py['sqlite3_module_sqlite']}, "
        f"SQLAlchemy {py['sqlalchemy']}"
    )
    w(f"- python: {load_before} / {load_after} ({versions})")
    print("\n".join(out))


if __name__ == "__main__":
    main()
