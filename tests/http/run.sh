#!/usr/bin/env bash
# The HTTP suite: builds `pivotal` (debug), installs httpx and pytest in a virtualenv, then runs
# the shared scenarios over HTTP against live `pivotal serve` processes (tests/http/run_scenarios.py),
# the server tests (tests/http/test_*.py) and ruff over tests/http. Fails on the first failure.
#
#   bash tests/http/run.sh                          # venv in target/http-venv (kept between runs)
#   PIVOTAL_HTTP_VENV=/some/dir bash tests/http/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="${PIVOTAL_HTTP_VENV:-$TARGET/http-venv}"
PYTHON="${PYTHON:-python3}"
SECONDS=0
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 RUFF_CACHE_DIR="$VENV/.ruff_cache"

step() { printf '\n==> [%3ds] %s\n' "$SECONDS" "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

step "cargo build -p pivotal-cli (the pivotal binary)"
(cd "$ROOT" && cargo build --quiet -p pivotal-cli) || fail "cargo build -p pivotal-cli"
export PIVOTAL_BIN="$TARGET/debug/pivotal"

if [[ ! -x "$VENV/bin/python" ]]; then
  step "creating the virtualenv $VENV" >&2
  "$PYTHON" -m venv "$VENV" || fail "python3 -m venv (on Debian: apt-get install python3-venv)"
fi
printf '*\n' > "$VENV/.gitignore"
PY="$VENV/bin/python"
step "installing the HTTP clients (tests/http/requirements.txt)" >&2
"$PY" -m pip install --quiet -r "$ROOT/tests/http/requirements.txt" >&2

step "shared scenarios over HTTP (tests/scenarios, one pivotal serve each)"
"$PY" "$ROOT/tests/http/run_scenarios.py" "$ROOT/tests/scenarios" || fail "HTTP scenario runner"

step "pytest tests/http"
set +e
(cd "$VENV" && "$PY" -m pytest -p no:cacheprovider -q "$ROOT/tests/http")
status=$?
set -e
if [[ $status -eq 5 ]]; then fail "pytest collected no tests (exit 5)"; fi
if [[ $status -ne 0 ]]; then fail "pytest (exit $status)"; fi

step "ruff check + ruff format --check (tests/http)"
cd "$ROOT"
"$VENV/bin/ruff" check --config bindings-python/ruff.toml tests/http || fail "ruff check"
"$VENV/bin/ruff" format --config bindings-python/ruff.toml --check tests/http || fail "ruff format --check"

step "the HTTP suite passed (${SECONDS}s)"
