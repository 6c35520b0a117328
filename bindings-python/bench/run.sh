#!/usr/bin/env bash
# The Python bench: pivotal_core against hand-written stdlib sqlite3 and SQLAlchemy ORM baselines.
# Installs the wheel (tests/dist/python.sh: the release build users install) and SQLAlchemy in its own
# virtualenv, then runs bench.py.
#
#   bash bindings-python/bench/run.sh            # the full bench (after the Rust benches: it compares
#                                                 # with target/bench-results/{writes,reads}.json)
#   bash bindings-python/bench/run.sh --smoke    # every part on a few hundred rows
#   PIVOTAL_REUSE_VENV=1 ...                     # reuse the virtualenv (still reinstalls the package)
#   PIVOTAL_WHEEL=dist/x.whl ...                 # bench this wheel instead of building one
#   PIVOTAL_BENCH_VENV=/some/dir ...             # put the virtualenv elsewhere (default .venv-bench)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${PIVOTAL_BENCH_VENV:-$ROOT/.venv-bench}"
PYTHON="${PYTHON:-python3}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

if [[ "${PIVOTAL_REUSE_VENV:-0}" == 1 && -x "$VENV/bin/python" ]]; then
  echo "==> reusing the virtualenv $VENV"
else
  echo "==> creating the virtualenv $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi
printf '*\n' > "$VENV/.gitignore"
PY="$VENV/bin/python"

echo "==> installing SQLAlchemy (bindings-python/bench/requirements.txt) and the wheel users install (tests/dist/python.sh)"
"$PY" -m pip install --quiet -r "$ROOT/bindings-python/bench/requirements.txt"
WHEEL="${PIVOTAL_WHEEL:-$(bash "$ROOT/tests/dist/python.sh")}"
"$PY" -m pip install --quiet --force-reinstall --no-deps "$WHEEL"

echo "==> bench.py $*"
cd "$VENV"  # import the installed package, not the sources
exec "$PY" "$ROOT/bindings-python/bench/bench.py" "$@"
