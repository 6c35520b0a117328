#!/usr/bin/env bash
# Make a `swiftc` available for testing the uniffi-generated Swift bindings.
#
# Debian 12 (bookworm) has no Swift package, so when `swiftc` is not on PATH we
# build (once) a Debian 13 (trixie) chroot with debootstrap and install Debian's
# `swiftlang` in it (chroot.sh). The chroot is cached and reused; a marker file
# written at the end of a successful debootstrap marks it complete, and an
# incomplete chroot (no marker) is wiped and rebuilt. The Python suite installs
# Python 3.13 in the same chroot (python.sh). Needs root (debootstrap, mount,
# chroot).
#
# Progress goes to stderr; stdout carries only the NAME=value lines of ensure/--print-env.
#
# Usage:
#   tests/toolchain/swift.sh [ensure]     build the chroot if needed, print env
#   tests/toolchain/swift.sh --print-env  same as `ensure`
#   tests/toolchain/swift.sh run [--bind DIR]... [--] CMD [ARGS...]
#       Run CMD inside the chroot (or directly on the host when the host has
#       swiftc). Each --bind DIR is bind-mounted at the SAME absolute path
#       inside the chroot, so paths need no translation. /proc, /sys, /dev
#       (non-recursive bind) and a fresh tmpfs /tmp are mounted too. All of
#       it happens in a private mount namespace (unshare -m) and an EXIT trap
#       unmounts it as well, so no mount outlives the command. CMD runs with
#       a clean environment (env -i; pass variables with `env VAR=...`), in
#       the host's current directory when that is inside a bound dir (else
#       /). The exit status of CMD is returned.
#   source tests/toolchain/swift.sh       defines swift_ensure / swift_run and
#       exports SWIFT_CHROOT (empty when the host swiftc is used) and SWIFTC.
#       (Sourcing also turns on set -euo pipefail in the caller.)
#
# Compiling and running uniffi Swift bindings (tested; see README.md). From
# the crate root, after `cargo build`:
#   uniffi-bindgen generate --library target/debug/libNAME.so --language swift --out-dir gen
# yields gen/NAME.swift, gen/NAMEFFI.h and gen/NAMEFFI.modulemap. The
# generated code needs only Foundation (part of swiftlang) plus the C module
# NAMEFFI, which it imports via `#if canImport(NAMEFFI)`; so pass the
# modulemap with -Xcc -fmodule-map-file and link the Rust cdylib:
#   tests/toolchain/swift.sh run --bind "$PWD" -- \
#     swiftc -module-name NAME -Xcc -fmodule-map-file=gen/NAMEFFI.modulemap \
#       -I gen -L target/debug -lNAME gen/NAME.swift tests/main.swift \
#       -o target/swift-test
#   tests/toolchain/swift.sh run --bind "$PWD" -- \
#     env LD_LIBRARY_PATH=target/debug target/swift-test
# (main.swift is top-level code in the same module, so it needs no import.)
# The cdylib built on the bookworm host runs fine in the trixie chroot (newer
# glibc is backwards compatible); the Swift binary, linked against trixie's
# glibc and Swift runtime, only runs inside the chroot.

# Environment:
#   PIVOTAL_TOOLS          cache root (default $HOME/.cache/pivotal-tools)
#   PIVOTAL_SWIFT_CHROOT   chroot dir (default $PIVOTAL_TOOLS/swift-chroot)
#   PIVOTAL_DEBIAN_MIRROR  mirror (default: taken from the host apt config)
#   PIVOTAL_FORCE_CHROOT=1 use the chroot even if the host has swiftc

set -euo pipefail

_swift_tools="${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}"
SWIFT_CHROOT_DIR="${PIVOTAL_SWIFT_CHROOT:-$_swift_tools/swift-chroot}"
_SWIFT_PACKAGES="swiftlang libc6-dev"

_swift_log() { echo "swift.sh: $*" >&2; }
# shellcheck source=tests/toolchain/chroot.sh
source "$(dirname "${BASH_SOURCE[0]}")/chroot.sh"

_swift_host_has_swiftc() {
  [[ "${PIVOTAL_FORCE_CHROOT:-0}" != 1 ]] && command -v swiftc >/dev/null 2>&1
}

swift_ensure() {
  if _swift_host_has_swiftc; then
    SWIFT_CHROOT=""
    SWIFTC=$(command -v swiftc)
    export SWIFT_CHROOT SWIFTC
    return 0
  fi
  local dir="$SWIFT_CHROOT_DIR"
  chroot_ensure "$dir" trixie "$_SWIFT_PACKAGES" Swift
  [[ -x "$dir/usr/bin/swiftc" ]] || { _swift_log "no swiftc in $dir"; return 1; }
  SWIFT_CHROOT="$dir"
  SWIFTC="/usr/bin/swiftc"
  export SWIFT_CHROOT SWIFTC
}

# _swift_in_chroot "BIND1:BIND2:..." -- CMD...
_swift_in_chroot() { chroot_exec "$SWIFT_CHROOT_DIR" "$@"; }

swift_run() {
  local binds="" b
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --bind) b=$(readlink -f "$2"); [[ -d "$b" ]] || { _swift_log "--bind: no dir $2"; return 1; }
              binds+="${binds:+:}$b"; shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  [[ $# -gt 0 ]] || { _swift_log "run: no command"; return 2; }
  swift_ensure
  if [[ -z "$SWIFT_CHROOT" ]]; then "$@"; return; fi
  _swift_in_chroot "$binds" -- "$@"
}

_swift_print_env() {
  echo "SWIFT_CHROOT=$SWIFT_CHROOT"
  echo "SWIFTC=$SWIFTC"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  cmd="${1:-ensure}"
  case "$cmd" in
    ensure|--print-env) swift_ensure; _swift_print_env ;;
    run) shift; swift_run "$@" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' ;;
    *) _swift_log "unknown command: $cmd"; exit 2 ;;
  esac
else
  swift_ensure
fi
