#!/usr/bin/env bash
# The Python suite on one interpreter, against the built wheel: a fresh virtualenv, the test tools,
# the wheel itself (binaries only: nothing is compiled, and no Rust toolchain may be on PATH), then
# pytest, the shared scenarios and the quickstart, run from inside the virtualenv so that the
# installed package, not the sources, is imported. run.sh runs it on the host's Python and, in Debian chroots
# (tests/toolchain/python.sh), on CPython 3.9 and 3.13.
#
#   bash tests/python/suite.sh PYTHON VENV WHEEL REQUIREMENTS
#   PIVOTAL_REUSE_VENV=1 ...   keep VENV when it exists (the wheel is still reinstalled)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON=$1 VENV=$2 WHEEL=$3 REQUIREMENTS=$4
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore
label=$("$PYTHON" -c 'import platform; print("CPython", platform.python_version())')
SECONDS=0

step() { printf '\n==> [%s %3ds] %s\n' "$label" "$SECONDS" "$*"; }
fail() { printf '\nFAILED (%s): %s\n' "$label" "$*" >&2; exit 1; }

for tool in cargo rustc; do
  if command -v "$tool" >/dev/null; then fail "$tool is on PATH: the wheel must be tested without Rust"; fi
done

if [[ "${PIVOTAL_REUSE_VENV:-0}" == 1 && -x "$VENV/bin/python" ]]; then
  step "reusing the virtualenv $VENV"
else
  step "creating a fresh virtualenv $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" || fail "$PYTHON -m venv (on Debian: apt-get install python3-venv)"
fi
printf '*\n' > "$VENV/.gitignore"
PY="$VENV/bin/python"

step "installing the test tools (${REQUIREMENTS#"$ROOT"/})"
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet -r "$REQUIREMENTS"

step "pip install ${WHEEL##*/}"
t0=$(date +%s%N)
"$PY" -m pip install --quiet --force-reinstall --no-deps --only-binary=:all: "$WHEEL" || fail "pip install the wheel"
echo "installed the wheel in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
"$PY" -c 'import pivotal_core as pc; print("installed pivotal_core", pc.__version__, "from", pc.__file__)'

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
step "the quickstart (examples/quickstart.py) against the installed wheel"
"$PY" "$ROOT/examples/quickstart.py" > quickstart.out || { cat quickstart.out; fail "examples/quickstart.py"; }
tail -n 1 quickstart.out
step "passed (${SECONDS}s)"
