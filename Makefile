# The README's two commands: `make demo` runs the quickstart on a SQLite file, `make test` runs every
# check CI runs. Each language's suite lives in its own script under tests/.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
FUZZ_SECONDS ?= 60

.PHONY: demo test lint rust-test core-deps python-test uniffi-test fuzz soak bench bench-smoke bindings

demo:
	$(CARGO) run --quiet -p pivotal-core --example quickstart

test: lint rust-test core-deps python-test uniffi-test bench-smoke fuzz

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps -p pivotal-core

rust-test:
	$(CARGO) test --workspace

# The core must never depend on a binding framework.
core-deps:
	@if $(CARGO) tree -p pivotal-core -e normal | grep -E '\b(pyo3|uniffi)\b'; then \
		echo "pivotal-core depends on pyo3 or uniffi" >&2; exit 1; \
	else echo "core-deps: pivotal-core has no pyo3 or uniffi dependency"; fi

python-test:
	bash tests/python/run.sh

uniffi-test:
	bash tests/uniffi/run.sh

# Coverage-guided fuzzing (cargo-fuzz on stable via RUSTC_BOOTSTRAP), FUZZ_SECONDS per target.
fuzz:
	bash tests/reliability/fuzz.sh $(FUZZ_SECONDS)

# The long reliability run: 10,000 crash trials and a minute of concurrency.
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

bindings:
	bash tests/uniffi/generate.sh
