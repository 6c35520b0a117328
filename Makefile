# The README's two commands: `make demo` runs `pivotal demo` (the quickstart) on a SQLite file,
# `make test` runs every check CI runs. Each language's suite lives in its own script under tests/.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
FUZZ_SECONDS ?= 60

.PHONY: demo demo-check test test-fresh lint toolchain-test rust-test core-deps python-test http-test \
	uniffi-test fuzz soak bench bench-smoke bench-import bench-java-ffm bench-http bindings dist dist-python \
	dist-crates dist-jvm dist-swift crates-test msrv pg-test pg-soak bench-pg

# The build's progress first (a first build compiles the library and SQLite: 1–3 minutes), then the
# walk-through of `pivotal demo`, which ends by saying what it created.
demo:
	@echo "make demo: building the pivotal command-line tool (cli/)" >&2
	$(CARGO) build -p pivotal-cli
	@echo >&2
	"$${CARGO_TARGET_DIR:-target}/debug/pivotal" demo --db pivotal-demo.db

test: lint toolchain-test rust-test pg-test demo-check core-deps crates-test python-test http-test \
	uniffi-test bench-smoke fuzz

# `make test` on a fresh machine, rehearsed here: nothing the project installs outside the repo is
# kept (tests/toolchain/fresh.sh). Run it before landing a change to installs or test scripts.
test-fresh:
	bash tests/toolchain/fresh.sh

lint:
	bash tests/lint/shellcheck.sh
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps -p pivotal-core

rust-test:
	$(CARGO) test --workspace

# The demo runs to its end on a new file and says what it created, then what to try next.
demo-check:
	@dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	$(CARGO) run --quiet -p pivotal-cli -- demo --db "$$dir/demo.db" > "$$dir/out"; \
	if grep -qE '^Created .*demo.db \([0-9]+ KiB\): 1 customer, 2 contacts, 1 onboarding, [0-9]+ events\.$$' "$$dir/out" \
		&& grep -qE '^Next: pivotal ls onboardings --db .*demo.db$$' "$$dir/out"; \
	then echo "demo: 1 passed, 0 failed"; else cat "$$dir/out"; echo "demo: 0 passed, 1 failed"; exit 1; fi

# --print-env prints assignments only, even while installing (tests/toolchain/check.sh).
toolchain-test:
	bash tests/toolchain/check.sh

# The PostgreSQL store against a real, throwaway server (tests/postgres/cluster.sh installs Debian's
# PostgreSQL when missing, starts it under the target directory and stops it afterwards); the
# suites are listed in tests/postgres/run.sh.
pg-test:
	PIVOTAL_PG_TLS=1 CARGO=$(CARGO) bash tests/postgres/cluster.sh bash tests/postgres/run.sh

# The PostgreSQL benchmarks (BENCHMARKS.md): single operations against a hand-written baseline, writer
# scaling beside SQLite, the report at 100k onboardings, one 20k-item transaction, on the test
# cluster (fsync off); then writer scaling again on a durable cluster (fsync and synchronous_commit
# on, as a team's server runs), where commits wait for the disk. Release build, ~12 min.
bench-pg:
	bash tests/postgres/cluster.sh $(CARGO) bench -p pivotal-core --features postgres --bench postgres
	PIVOTAL_PG_DURABLE=1 PIVOTAL_BENCH_PARTS=writers bash tests/postgres/cluster.sh \
		$(CARGO) bench -p pivotal-core --features postgres --bench postgres

# The long outage run: the server killed 500 times under a write load (make pg-test kills it 50 times).
pg-soak:
	PIVOTAL_PG_OUTAGES=500 bash tests/postgres/cluster.sh $(CARGO) test -p pivotal-core --features postgres \
		--test postgres_outage -- --include-ignored --nocapture

# The core must never depend on a binding framework.
core-deps:
	@if $(CARGO) tree -p pivotal-core -e normal | grep -E '\b(pyo3|uniffi)\b'; then \
		echo "pivotal-core depends on pyo3 or uniffi" >&2; exit 1; \
	else echo "core-deps: pivotal-core has no pyo3 or uniffi dependency"; fi

# The wheel (tests/dist/python.sh), installed in fresh virtualenvs without Rust on PATH, on the host's
# Python, CPython 3.9 and CPython 3.13; inside a throwaway PostgreSQL server, for
# tests/python/test_postgres.py.
python-test:
	bash tests/postgres/cluster.sh bash tests/python/run.sh

# What users install, into dist/: each part is a prerequisite of `dist`.
dist: dist-python dist-crates dist-jvm dist-swift

# The cp39-abi3 manylinux2014 wheel and the sdist, checked (twine, tests/dist/check_wheel.py).
dist-python:
	bash tests/dist/python.sh

# pivotal-core and pivotal-cli as .crate files, verified and tested from the packages (a clean tree).
dist-crates:
	bash tests/dist/crates.sh

# The same in `make test`, where uncommitted changes are allowed.
crates-test:
	bash tests/dist/crates.sh --allow-dirty

# The crates' declared rust-version builds them, every target (rustup installs that toolchain, minimal
# profile, the first time). Not in `make test`: the toolchain comes from rustup's server, which is not
# one of the registries CI machines are known to reach.
MSRV := $(shell sed -n 's/^rust-version = "\(.*\)"$$/\1/p' Cargo.toml)
msrv:
	rustup toolchain install $(MSRV) --profile minimal >&2
	$(CARGO) +$(MSRV) check -p pivotal-core -p pivotal-cli --all-targets

# `pivotal serve` over real HTTP: the shared scenarios through httpx, and the server's own tests.
http-test:
	bash tests/http/run.sh

uniffi-test:
	bash tests/uniffi/run.sh

# Coverage-guided fuzzing (cargo-fuzz on stable via RUSTC_BOOTSTRAP), FUZZ_SECONDS per target.
fuzz:
	bash tests/reliability/fuzz.sh $(FUZZ_SECONDS)

# The long reliability run: 10,000 + 1,000 crash trials and ten minutes of concurrency.
soak:
	bash tests/reliability/run.sh --soak

# Benchmarks against hand-written baselines (BENCHMARKS.md): release builds, ~25 min, plus ~6 min the
# first time for the 1M-row fixture (cached in target/bench-data/). Nothing fails on time.
bench:
	mkdir -p target/bench-results
	$(CARGO) bench -p pivotal-core --bench writes
	$(CARGO) bench -p pivotal-core --bench reads
	bash bindings-uniffi/bench/run.sh
	$(CARGO) bench -p pivotal-core --bench import --no-run
	/usr/bin/time -v -o target/bench-results/import-time.txt $(CARGO) bench -p pivotal-core --bench import
	$(CARGO) bench -p pivotal-core --bench analytics
	bash bindings-python/bench/run.sh
	python3 bindings-python/bench/report.py

# Every bench once on a few hundred rows, so they cannot rot.
bench-smoke:
	$(CARGO) test -p pivotal-core --bench writes --bench reads --bench import --bench analytics
	PIVOTAL_REUSE_VENV=1 bash bindings-python/bench/run.sh --smoke
	bash bindings-uniffi/bench/run.sh --smoke
	python3 bindings-python/bench/import_export.py --smoke

# `pivotal import`/`export` against sqlite-utils (BENCHMARKS.md) on 100,000 onboardings; BENCH_N sets
# the size. Builds pivotal (release) and installs sqlite-utils into .venv-sqlite-utils. Not in `make test`.
BENCH_N ?= 100000
bench-import:
	python3 bindings-python/bench/import_export.py --n $(BENCH_N)

# Target 5 through uniffi-bindgen-java (Java 22+, FFM, no JNA) beside the Kotlin/JNA JAR on one
# 10,000-onboarding file (BENCHMARKS.md); installs the generator into $PIVOTAL_TOOLS once per machine
# (bindings-uniffi/java/bindgen.sh, ~4 min). Not in `make test`.
bench-java-ffm:
	bash bindings-uniffi/bench/ffm.sh

# `pivotal serve` against a hand-written axum handler with wrk (BENCHMARKS.md), auth on, on a SQLite file
# (rusqlite baseline) and on a throwaway PostgreSQL server (`postgres` crate baseline); release builds,
# about 5 minutes of load (BENCH_SECONDS per run). Installs Debian's wrk (and PostgreSQL). Not in `make test`.
bench-http:
	bash server/bench/run.sh

bindings:
	bash tests/uniffi/generate.sh

# The JVM artifacts (the release library inside each JAR) and their POMs: app.pivotal:pivotal-core
# (Kotlin, JNA: Java 17+, Android) and app.pivotal:pivotal-core-java (Java, FFM: Java 22+).
dist-jvm:
	bash bindings-uniffi/jvm/build.sh --dist dist/jvm
	bash bindings-uniffi/java/build.sh --dist dist/jvm

# The Swift package PivotalCore (the release library inside), for `.package(path:)`.
dist-swift:
	bash bindings-uniffi/swift/build.sh --dist dist/swift
