#!/usr/bin/env bash
# `make dist-python`: the Python distribution into dist/ — an abi3 wheel for CPython 3.9 and newer
# (cp39-abi3) tagged manylinux2014 (glibc 2.17 or newer, x86-64), and the sdist — then checks both:
# maturin's own manylinux compliance check, `twine check --strict`, and tests/dist/check_wheel.py
# (tags, contents, entry point, and the glibc symbol versions the extension needs).
#
# The wheel is linked with Zig (the `ziglang` package) against glibc 2.17's symbols, so it installs
# on old distributions whatever glibc the build machine has. maturin, ziglang and twine are installed
# (tests/dist/requirements.txt) in a virtualenv under $PIVOTAL_TOOLS (default ~/.cache/pivotal-tools);
# progress goes to stderr. Prints the wheel's path on stdout.
#
#   bash tests/dist/python.sh              # into dist/
#   PIVOTAL_DIST=/some/dir bash tests/dist/python.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${PIVOTAL_DIST:-$ROOT/dist}"
TOOLS="${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}"
VENV="$TOOLS/dist-python"
REQUIREMENTS="$ROOT/tests/dist/requirements.txt"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

log() { echo "dist-python: $*" >&2; }

# The tools' virtualenv, rebuilt whenever tests/dist/requirements.txt changes.
want=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [[ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]]; then
  log "installing maturin, ziglang and twine (tests/dist/requirements.txt) into $VENV"
  rm -rf "$VENV"
  mkdir -p "$TOOLS"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS" >&2
  echo "$want" > "$VENV/.requirements.sha256"
fi
# maturin finds Zig through `python3 -m ziglang`: the virtualenv's python comes first on PATH.
export PATH="$VENV/bin:$PATH"

mkdir -p "$OUT"
printf '*\n' > "$OUT/.gitignore"
rm -f "$OUT"/pivotal_core-*.whl "$OUT"/pivotal_core-*.tar.gz

SECONDS=0
log "maturin build --release --zig --compatibility manylinux2014 (release build; a first build takes a few minutes)"
maturin build --release --zig --compatibility manylinux2014 --auditwheel check \
  -m "$ROOT/bindings-python/Cargo.toml" --out "$OUT" >&2
log "wheel built in ${SECONDS}s"
log "maturin sdist"
maturin sdist -m "$ROOT/bindings-python/Cargo.toml" --out "$OUT" >&2

log "twine check --strict"
twine check --strict "$OUT"/pivotal_core-*.whl "$OUT"/pivotal_core-*.tar.gz >&2
python3 "$ROOT/tests/dist/check_wheel.py" "$OUT" >&2
ls "$OUT"/pivotal_core-*.whl
