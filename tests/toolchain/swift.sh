#!/usr/bin/env bash
# Make a `swiftc` available for testing the uniffi-generated Swift bindings.
#
# Debian 12 (bookworm) has no Swift package, so when `swiftc` is not on PATH we
# build (once) a Debian 13 (trixie) chroot with debootstrap and install Debian's
# `swiftlang` in it. The chroot is cached and reused; a marker file written at
# the very end of a successful build marks it complete, and an incomplete
# chroot (no marker) is wiped and rebuilt. Needs root (debootstrap, mount,
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
_SWIFT_MARKER=".pivotal-swift-chroot-complete"
_SWIFT_PACKAGES="swiftlang libc6-dev"

_swift_log() { echo "swift.sh: $*" >&2; }

_swift_host_has_swiftc() {
  [[ "${PIVOTAL_FORCE_CHROOT:-0}" != 1 ]] && command -v swiftc >/dev/null 2>&1
}

# Debian mirror from the host's apt configuration (deb822 .sources or
# one-line .list), skipping -security and disabled files.
_swift_mirror() {
  if [[ -n "${PIVOTAL_DEBIAN_MIRROR:-}" ]]; then echo "$PIVOTAL_DEBIAN_MIRROR"; return; fi
  local f m=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    m=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f" \
        | grep -E '^https?://' | grep -v -- '-security' | grep -E '/debian/?$' | head -n1 || true)
    [[ -n "$m" ]] && break
  done
  if [[ -z "$m" ]]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f "$f" ]] || continue
      m=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\//) { print $i; break } }' "$f" \
          | grep -v -- '-security' | grep -E '/debian/?$' | head -n1 || true)
      [[ -n "$m" ]] && break
    done
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

# Mount points at or below $1, deepest first.
_swift_mounts_under() {
  local root; root=$(readlink -f "$1")
  awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

_swift_umount_all() {
  local m
  for m in $(_swift_mounts_under "$1"); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}

swift_ensure() {
  if _swift_host_has_swiftc; then
    SWIFT_CHROOT=""
    SWIFTC=$(command -v swiftc)
    export SWIFT_CHROOT SWIFTC
    return 0
  fi
  local dir="$SWIFT_CHROOT_DIR"
  if [[ ! -f "$dir/$_SWIFT_MARKER" ]]; then
    [[ $EUID -eq 0 ]] || { _swift_log "building the Swift chroot needs root"; return 1; }
    if [[ -e "$dir" ]]; then
      _swift_log "removing incomplete chroot $dir"
      _swift_umount_all "$dir"
      if [[ -n "$(_swift_mounts_under "$dir")" ]]; then
        _swift_log "mounts remain under $dir; refusing to delete it"; return 1
      fi
      rm -rf --one-file-system "$dir"
    fi
    # shellcheck source=tests/toolchain/lib.sh
    source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
    apt_ensure debootstrap debootstrap
    local mirror; mirror=$(_swift_mirror)
    mkdir -p "$(dirname "$dir")"
    local t0=$SECONDS
    _swift_log "debootstrap --variant=minbase trixie $dir $mirror"
    debootstrap --variant=minbase trixie "$dir" "$mirror" >&2
    _swift_log "debootstrap took $((SECONDS - t0))s"
    t0=$SECONDS
    _swift_log "installing $_SWIFT_PACKAGES in the chroot"
    _swift_in_chroot "" -- sh -c "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $_SWIFT_PACKAGES && apt-get clean" >&2
    _swift_log "package install took $((SECONDS - t0))s"
    _swift_in_chroot "" -- swiftc --version >&2
    date -u +%FT%TZ > "$dir/$_SWIFT_MARKER"
    _swift_log "chroot ready: $dir"
  fi
  SWIFT_CHROOT="$dir"
  SWIFTC="/usr/bin/swiftc"
  export SWIFT_CHROOT SWIFTC
}

# _swift_in_chroot "BIND1:BIND2:..." -- CMD...   (no completeness check)
_swift_in_chroot() {
  local binds="$1"; shift
  [[ "${1:-}" == "--" ]] && shift
  local dir; dir=$(readlink -f "$SWIFT_CHROOT_DIR")
  # A private mount namespace guarantees nothing leaks to the host even if
  # this process is killed; the trap unmounts in the normal case as well.
  # shellcheck disable=SC2016  # the inner script is meant to be single-quoted
  unshare --mount --propagation private -- bash -euo pipefail -c '
    dir=$1; binds=$2; shift 2
    mounted=()
    cleanup() {
      local i
      for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
      done
    }
    trap cleanup EXIT
    mnt() { local tgt=${@: -1}; mount "$@" && mounted+=("$tgt"); }
    mnt -t proc proc "$dir/proc"
    mnt -t sysfs sysfs "$dir/sys"
    mnt --bind /dev "$dir/dev"
    mnt -t tmpfs tmpfs "$dir/tmp"
    cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
    wd=/
    IFS=: read -r -a bl <<< "$binds"
    for b in "${bl[@]}"; do
      [[ -n "$b" ]] || continue
      mkdir -p "$dir$b"
      mnt --bind "$b" "$dir$b"
      case "$PWD/" in "$b"/*) wd=$PWD ;; esac
    done
    rc=0
    chroot "$dir" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$wd" "$@" || rc=$?
    exit $rc
  ' swift-chroot "$dir" "$binds" "$@"
}

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
