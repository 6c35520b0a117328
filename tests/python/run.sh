#!/usr/bin/env bash
# The Python suite, against the built wheel as users install it: builds the wheel
# (tests/dist/python.sh: cp39-abi3, manylinux2014), then runs pytest, the shared scenarios and the
# quickstart (tests/python/suite.sh) with the wheel installed in a fresh virtualenv with no Rust
# toolchain on PATH, on three interpreters: the host's Python, CPython 3.9 (Debian bullseye's) and
# CPython 3.13 (Debian trixie's), the last two in Debian chroots (tests/toolchain/python.sh, built
# once under $PIVOTAL_TOOLS; needs root). Then, on the host's Python, mypy.stubtest, mypy on the
# tests and the example, ruff, and vermin. Fails on the first failure.
#
#   bash tests/python/run.sh                         # fresh venv at .venv-test (release build, ~5 min)
#   PIVOTAL_REUSE_VENV=1 bash tests/python/run.sh    # reuse the host's venv when it exists
#   PIVOTAL_VENV=/some/dir bash tests/python/run.sh  # put the host's venv elsewhere
#   PIVOTAL_PYTHONS="host" bash tests/python/run.sh  # only some of: host 3.9 3.13
#   PIVOTAL_WHEEL=dist/x.whl bash tests/python/run.sh  # test this wheel instead of building one
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${PIVOTAL_VENV:-$ROOT/.venv-test}"
PYTHON="${PYTHON:-python3}"
PYTHONS="${PIVOTAL_PYTHONS:-host 3.9 3.13}"
TOOLS="${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}"
SECONDS=0
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
# Keep tool caches out of the work tree: they live in the venv (which ignores itself in git).
export MYPY_CACHE_DIR="$VENV/.mypy_cache" RUFF_CACHE_DIR="$VENV/.ruff_cache"

step() { printf '\n==> [%3ds] %s\n' "$SECONDS" "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

# PATH without the directories that hold a Rust toolchain.
path_without_rust() {
  local dir kept=()
  IFS=: read -r -a dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    [[ -x "$dir/cargo" || -x "$dir/rustc" || -x "$dir/rustup" ]] || kept+=("$dir")
  done
  (IFS=:; echo "${kept[*]}")
}

if [[ -n "${PIVOTAL_WHEEL:-}" ]]; then
  WHEEL=$(readlink -f "$PIVOTAL_WHEEL")
else
  step "building the wheel and the sdist (tests/dist/python.sh)"
  WHEEL=$(bash "$ROOT/tests/dist/python.sh") || fail "tests/dist/python.sh"
fi
echo "the wheel: $WHEEL ($(du -k "$WHEEL" | cut -f1) KiB)"

for python in $PYTHONS; do
  case "$python" in
    host)
      step "the suite on the host's $PYTHON"
      PATH=$(path_without_rust) bash "$ROOT/tests/python/suite.sh" "$PYTHON" "$VENV" "$WHEEL" \
        "$ROOT/tests/python/requirements.txt" || fail "the suite on the host's $PYTHON"
      ;;
    3.9 | 3.13)
      step "the suite on CPython $python (a Debian chroot: tests/toolchain/python.sh)"
      mkdir -p "$TOOLS/pip-cache" "$TOOLS/host-ca"
      binds=(--bind "$ROOT" --bind "$(dirname "$WHEEL")" --bind "$TOOLS/pip-cache")
      chroot_env=(PIP_CACHE_DIR="$TOOLS/pip-cache")
      # pip in the chroot reaches PyPI as the host's does: through the host's proxy settings, trusting
      # the host's certificate authorities (an HTTPS proxy may sign with its own).
      ca=${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}
      if [[ -f "$ca" ]]; then
        cp -L "$ca" "$TOOLS/host-ca/ca.crt"
        binds+=(--bind "$TOOLS/host-ca")
        chroot_env+=(PIP_CERT="$TOOLS/host-ca/ca.crt")
      fi
      for var in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy PIP_INDEX_URL PIP_EXTRA_INDEX_URL; do
        if [[ -n "${!var:-}" ]]; then chroot_env+=("$var=${!var}"); fi
      done
      (cd "$ROOT" && bash tests/toolchain/python.sh run "$python" "${binds[@]}" -- \
        env "${chroot_env[@]}" bash "$ROOT/tests/python/suite.sh" python3 "/tmp/venv-$python" \
        "$WHEEL" "$ROOT/tests/python/requirements-suite.txt") || fail "the suite on CPython $python"
      ;;
    *) fail "PIVOTAL_PYTHONS: unknown interpreter $python (host, 3.9 or 3.13)" ;;
  esac
done

if [[ " $PYTHONS " == *" host "* ]]; then
  PY="$VENV/bin/python"
  cd "$VENV"
  step "mypy.stubtest pivotal_core"
  "$PY" -m mypy.stubtest pivotal_core || fail "stubtest: the stubs disagree with the module"

  step "mypy --strict on the tests and the example (the stubs as users see them)"
  "$PY" -m mypy --strict --no-strict-equality "$ROOT/examples/quickstart.py" "$ROOT/tests/python" || fail "mypy"

  step "ruff check + ruff format --check"
  RUFF="$VENV/bin/ruff"
  PATHS=(bindings-python/python tests/python tests/dist examples/quickstart.py)
  cd "$ROOT"  # ruff matches the config's per-file globs against paths relative to here
  "$RUFF" check --config bindings-python/ruff.toml "${PATHS[@]}" || fail "ruff check"
  "$RUFF" format --config bindings-python/ruff.toml --check "${PATHS[@]}" || fail "ruff format --check"

  step "vermin: the package's Python code runs on Python 3.9 (its declared minimum; stubs are never run)"
  "$VENV/bin/vermin" --no-tips --violations --eval-annotations --feature union-types \
    --exclude-regex '\.pyi$' -t=3.9- bindings-python/python \
    || fail "vermin: code that needs a Python newer than 3.9"
fi

step "the Python suite passed on: $PYTHONS (${SECONDS}s)"
