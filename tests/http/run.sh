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

step "schemathesis against the server's own /api/v1/openapi.json (with a key)"
# Every operation but key revocation (it would revoke the run's own key) and the test clock (a
# server started with --clock). Left out: positive_data_acceptance (the API refuses schema-valid
# requests that break its rules: a phase skip without a reason, a taken slug) and
# unsupported_method (an undeclared method is 404 route_not_found, as any unknown route).
st_dir="$(mktemp -d)"
server_pid=""
cleanup() { if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi; rm -rf "$st_dir"; }
trap cleanup EXIT
secret="$("$PIVOTAL_BIN" keys create schemathesis --db "$st_dir/st.db" --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
"$PIVOTAL_BIN" serve --db "$st_dir/st.db" --addr 127.0.0.1:0 --quiet > "$st_dir/out" &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$st_dir/out" && break; sleep 0.1; done
url="$(sed -n 's/^listening on //p' "$st_dir/out")/api/v1"
[[ "$url" == http://* ]] || fail "pivotal serve did not start"
(cd "$st_dir" && "$VENV/bin/schemathesis" run "$url/openapi.json" --url "$url" \
  -H "Authorization: Bearer $secret" --checks all \
  --exclude-checks positive_data_acceptance,unsupported_method \
  --exclude-operation-id revokeApiKey --exclude-path-regex '^/test_helpers' \
  --max-examples 10 --workers 2 --seed 1 --no-color) || fail "schemathesis"
cleanup
server_pid=""
trap - EXIT

step "ruff check + ruff format --check (tests/http)"
cd "$ROOT"
"$VENV/bin/ruff" check --config bindings-python/ruff.toml tests/http || fail "ruff check"
"$VENV/bin/ruff" format --config bindings-python/ruff.toml --check tests/http || fail "ruff format --check"

step "the HTTP suite passed (${SECONDS}s)"
