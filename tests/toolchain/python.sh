#!/usr/bin/env bash
# Other CPythons than the host's, for testing the built wheel on the oldest and newest Python the
# package supports: CPython 3.9 is Debian 11 (bullseye)'s, in a debootstrapped bullseye chroot
# ($PIVOTAL_TOOLS/python-bullseye-chroot); CPython 3.13 is Debian 13 (trixie)'s, in the trixie chroot
# the Swift tests use (swift.sh: $PIVOTAL_SWIFT_CHROOT, default $PIVOTAL_TOOLS/swift-chroot). Both get
# Debian's python3 and python3-venv, once (chroot.sh; progress on stderr). Needs root. No Rust
# toolchain exists in either chroot.
#
#   tests/toolchain/python.sh ensure VERSION                      build or reuse the chroot
#   tests/toolchain/python.sh run VERSION [--bind DIR]... -- CMD  run CMD in it, `python3` being
#       CPython VERSION; each DIR is bind-mounted at the same path (see chroot_exec in chroot.sh)
set -euo pipefail
# shellcheck source=tests/toolchain/chroot.sh
source "$(dirname "${BASH_SOURCE[0]}")/chroot.sh"

_python_tools="${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}"
_PYTHON_PACKAGES="python3 python3-venv"

_python_log() { echo "python.sh: $*" >&2; }

# VERSION → "SUITE DIR"
_python_chroot() {
  case "$1" in
    3.9) echo "bullseye $_python_tools/python-bullseye-chroot" ;;
    3.13) echo "trixie ${PIVOTAL_SWIFT_CHROOT:-$_python_tools/swift-chroot}" ;;
    *) _python_log "no chroot for CPython $1 (3.9 or 3.13)"; return 2 ;;
  esac
}

python_ensure() {
  local version=$1 suite dir found
  read -r suite dir <<<"$(_python_chroot "$version")"
  chroot_ensure "$dir" "$suite" "$_PYTHON_PACKAGES" "Python $version ($suite)"
  found=$(chroot "$dir" python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  [[ $found == "$version" ]] || { _python_log "the $suite chroot has CPython $found, not $version"; return 1; }
  PYTHON_CHROOT=$dir
}

python_run() {
  local version=$1 binds="" b; shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --bind) b=$(readlink -f "$2"); [[ -d "$b" ]] || { _python_log "--bind: no dir $2"; return 1; }
              binds+="${binds:+:}$b"; shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  [[ $# -gt 0 ]] || { _python_log "run: no command"; return 2; }
  python_ensure "$version"
  chroot_exec "$PYTHON_CHROOT" "$binds" -- "$@"
}

case "${1:-}" in
  ensure) python_ensure "${2:?VERSION}" ;;
  run) shift; python_run "${1:?VERSION}" "${@:2}" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
esac
