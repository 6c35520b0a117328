#!/usr/bin/env bash
# The Python suite: installs the package with pip in a fresh virtualenv, then runs pytest, the shared
# scenarios, mypy.stubtest, mypy on the tests and the example, ruff, and vermin (the package's Python
# code needs nothing newer than 3.9). Fails on the first failure.
#
#   bash tests/python/run.sh                        # fresh venv at .venv-test (release build, ~3 min)
#   PIVOTAL_REUSE_VENV=1 bash tests/python/run.sh   # reuse the venv when it exists
#   PIVOTAL_VENV=/some/dir bash tests/python/run.sh # put the venv elsewhere
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${PIVOTAL_VENV:-$ROOT/.venv-test}"
PYTHON="${PYTHON:-python3}"
SECONDS=0
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
# Keep tool caches out of the work tree: they live in the venv (which ignores itself in git).
export MYPY_CACHE_DIR="$VENV/.mypy_cache" RUFF_CACHE_DIR="$VENV/.ruff_cache"

step() { printf '\n==> [%3ds] %s\n' "$SECONDS" "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

if [[ "${PIVOTAL_REUSE_VENV:-0}" == 1 && -x "$VENV/bin/python" ]]; then
  step "reusing the virtualenv $VENV"
else
  step "creating a fresh virtualenv $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" || fail "python3 -m venv (on Debian: apt-get install python3-venv)"
fi
printf '*\n' > "$VENV/.gitignore"
PY="$VENV/bin/python"

step "installing the test tools (tests/python/requirements.txt)"
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet -r "$ROOT/tests/python/requirements.txt"

step "pip install ./bindings-python (maturin, release build)"
(cd "$ROOT" && "$PY" -m pip install --quiet --force-reinstall --no-deps ./bindings-python) \
  || fail "pip install ./bindings-python"
"$PY" -c 'import pivotal_core as pc; print("installed pivotal_core", pc.__version__, "from", pc.__file__)'

# Run from inside the venv so pytest, Hypothesis and mypy leave nothing in the work tree, and so the
# installed package (not the sources) is what gets imported.
cd "$VENV"

step "pytest tests/python"
set +e
"$PY" -m pytest -p no:cacheprovider -q "$ROOT/tests/python"
status=$?
set -e
if [[ $status -eq 5 ]]; then fail "pytest collected no tests (exit 5)"; fi
if [[ $status -ne 0 ]]; then fail "pytest (exit $status)"; fi

step "shared scenarios (tests/scenarios) through the Python API"
"$PY" "$ROOT/tests/python/run_scenarios.py" "$ROOT/tests/scenarios" || fail "scenario runner"

step "mypy.stubtest pivotal_core"
"$PY" -m mypy.stubtest pivotal_core || fail "stubtest: the stubs disagree with the module"

step "mypy --strict on the tests and the example (the stubs as users see them)"
"$PY" -m mypy --strict --no-strict-equality "$ROOT/examples/quickstart.py" "$ROOT/tests/python" || fail "mypy"

step "ruff check + ruff format --check"
RUFF="$VENV/bin/ruff"
PATHS=(bindings-python/python tests/python examples/quickstart.py)
cd "$ROOT"  # ruff matches the config's per-file globs against paths relative to here
"$RUFF" check --config bindings-python/ruff.toml "${PATHS[@]}" || fail "ruff check"
"$RUFF" format --config bindings-python/ruff.toml --check "${PATHS[@]}" || fail "ruff format --check"

step "vermin: the package's Python code runs on Python 3.9 (its declared minimum; stubs are never run)"
"$VENV/bin/vermin" --no-tips --violations --eval-annotations --feature union-types \
  --exclude-regex '\.pyi$' -t=3.9- bindings-python/python \
  || fail "vermin: code that needs a Python newer than 3.9"

step "the Python suite passed (${SECONDS}s)"
