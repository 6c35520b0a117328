#!/usr/bin/env bash
# Debian chroots for interpreters and compilers the host's Debian lacks (source it; needs root):
# swift.sh (trixie: Swift, Python 3.13) and python.sh (bullseye: Python 3.9) build theirs with it.
#
#   chroot_ensure DIR SUITE "PKG..." NAME   debootstrap SUITE into DIR once (a marker written at the
#       very end marks it complete; an incomplete DIR is wiped and rebuilt), then install any of
#       PKG... still missing (so a package added to a script's list reaches existing chroots)
#   chroot_exec DIR "BIND1:BIND2:..." -- CMD...   run CMD in DIR with each BIND bind-mounted at the
#       same absolute path, /proc, /sys, /dev and a fresh tmpfs /tmp, in a private mount namespace
#       (unshare -m; an EXIT trap unmounts too), so no mount outlives the command. CMD runs with a
#       clean environment (env -i; pass variables with `env VAR=...`), in the current directory when
#       that is inside a bound dir (else /). Returns CMD's exit status.
#
# Progress goes to stderr. Environment: PIVOTAL_DEBIAN_MIRROR (default: the host apt config's).

_chroot_log() { echo "chroot.sh: $*" >&2; }
_CHROOT_MARKER=".pivotal-chroot-complete"

# Debian mirror from the host's apt configuration (deb822 .sources or
# one-line .list), skipping -security and disabled files.
chroot_mirror() {
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
_chroot_mounts_under() {
  local root; root=$(readlink -f "$1")
  awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

_chroot_umount_all() {
  local m
  for m in $(_chroot_mounts_under "$1"); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}

chroot_ensure() {
  local dir=$1 suite=$2 packages=$3 name=$4 t0 installed missing
  # A chroot built before this library marked itself with the Swift script's marker.
  if [[ ! -f "$dir/$_CHROOT_MARKER" && ! -f "$dir/.pivotal-swift-chroot-complete" ]]; then
    [[ $EUID -eq 0 ]] || { _chroot_log "building the $name chroot needs root"; return 1; }
    if [[ -e "$dir" ]]; then
      _chroot_log "removing incomplete chroot $dir"
      _chroot_umount_all "$dir"
      if [[ -n "$(_chroot_mounts_under "$dir")" ]]; then
        _chroot_log "mounts remain under $dir; refusing to delete it"; return 1
      fi
      rm -rf --one-file-system "$dir"
    fi
    # shellcheck source=tests/toolchain/lib.sh
    source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
    apt_ensure debootstrap debootstrap
    local mirror; mirror=$(chroot_mirror)
    mkdir -p "$(dirname "$dir")"
    t0=$SECONDS
    _chroot_log "debootstrap --variant=minbase $suite $dir $mirror"
    debootstrap --variant=minbase "$suite" "$dir" "$mirror" >&2
    _chroot_log "debootstrap took $((SECONDS - t0))s"
    date -u +%FT%TZ > "$dir/$_CHROOT_MARKER"
  fi
  # shellcheck disable=SC2086,SC2016  # the package list is meant to split; dpkg-query's format is literal
  installed=$(chroot "$dir" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $packages 2>/dev/null || true)
  missing=$(awk '$1 == "ii" { print $2 }' <<<"$installed" | sort | comm -13 - <(tr ' ' '\n' <<<"$packages" | grep . | sort) | paste -sd' ')
  if [[ -n "$missing" ]]; then
    [[ $EUID -eq 0 ]] || { _chroot_log "installing into the $name chroot needs root"; return 1; }
    t0=$SECONDS
    _chroot_log "installing $missing in the $name chroot $dir"
    chroot_exec "$dir" "" -- sh -c "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing && apt-get clean" >&2
    _chroot_log "package install took $((SECONDS - t0))s"
  fi
}

chroot_exec() {
  local dir binds="$2"; dir=$(readlink -f "$1"); shift 2
  [[ "${1:-}" == "--" ]] && shift
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
  ' chroot "$dir" "$binds" "$@"
}
