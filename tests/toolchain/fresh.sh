#!/usr/bin/env bash
# Rehearses CI on a fresh machine (`make test-fresh`): a machine where nothing this project installs
# outside its repo is present yet. It
#   1. purges the Debian packages the project's scripts install (TOOLCHAIN_APT_PACKAGES in lib.sh),
#      but those the machine's own packages depend on (part of its base image);
#   2. points every cache outside the repo at an empty temporary directory: HOME (pip, npm, Maven),
#      CARGO_HOME (the crate registry, cargo-fuzz; rustup's toolchain itself is part of the machine),
#      PIVOTAL_TOOLS (Maven's Maven Central cache, the Swift and Python chroots, maturin and Zig);
#   3. clones the repository (default: its `main` branch) into that directory and runs `.ci/run` there
#      as CI does: CI=true, no standard input.
# It prints the time taken and exits with .ci/run's status. The temporary directory is removed
# afterwards unless --keep is given (a log of the run is kept beside it either way).
#
# Usage: tests/toolchain/fresh.sh [--keep] [REV]      (run as root, like CI)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
# shellcheck source=tests/toolchain/lib.sh
source tests/toolchain/lib.sh

keep=0
rev=main
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    -*) echo "usage: $0 [--keep] [REV]" >&2; exit 2 ;;
    *) rev=$arg ;;
  esac
done
[[ $EUID -eq 0 ]] || { echo "fresh.sh: run as root (it purges Debian packages, as a fresh machine lacks them)" >&2; exit 1; }
git rev-parse --verify --quiet "$rev^{commit}" >/dev/null || { echo "fresh.sh: no commit $rev" >&2; exit 1; }

work=$(mktemp -d /tmp/pivotal-fresh.XXXXXX)
log=$work.log
echo "fresh.sh: rehearsing in $work (log: $log)" >&2

installed=()
for p in "${TOOLCHAIN_APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || continue
  # A package the machine's own packages depend on (openssl: ca-certificates, the JDK) is part of
  # the base image, so a fresh machine has it too: purging it would take the base image apart.
  others=$(apt-get -s purge "$p" 2>/dev/null | awk -v p="$p" '$1 == "Purg" || $1 == "Remv" { if ($2 != p) n++ } END { print n + 0 }') || others=unknown
  if [[ $others != 0 ]]; then
    echo "fresh.sh: keeping $p: the machine's other packages depend on it (part of the base image)" >&2
    continue
  fi
  installed+=("$p")
done
if [[ ${#installed[@]} -gt 0 ]]; then
  echo "fresh.sh: purging ${installed[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "${installed[@]}" >&2
fi

# A home with only the machine's own settings (registry configuration), none of the project's caches.
mkdir -p "$work/home" "$work/cargo/bin" "$work/tools"
for f in .npmrc .gitconfig .profile .bashrc; do
  if [[ -f "$HOME/$f" ]]; then cp "$HOME/$f" "$work/home/$f"; fi
done
# rustup's proxies (cargo, rustc, clippy, rustfmt…) are the machine's toolchain; the rest of
# CARGO_HOME (registry, git checkouts, installed binaries such as cargo-fuzz) starts empty.
old_cargo_home=${CARGO_HOME:-$HOME/.cargo}
for tool in cargo rustc rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver rustup rust-gdb rust-lldb; do
  if [[ -e "$old_cargo_home/bin/$tool" ]]; then ln -s "$(readlink -f "$old_cargo_home/bin/$tool")" "$work/cargo/bin/$tool"; fi
done
path=$work/cargo/bin
IFS=: read -r -a parts <<<"$PATH"
for part in "${parts[@]}"; do
  [[ $part == "$old_cargo_home/bin" ]] || path+=":$part"
done

git clone --quiet --no-local --branch "$rev" "$root" "$work/repo" 2>/dev/null \
  || { git clone --quiet --no-local "$root" "$work/repo" && git -C "$work/repo" checkout --quiet "$rev"; }
echo "fresh.sh: $(git -C "$work/repo" log --oneline -1)" >&2

start=$SECONDS
rc=0
(
  cd "$work/repo"
  unset CARGO_TARGET_DIR VIRTUAL_ENV PIVOTAL_VENV PIVOTAL_REUSE_VENV PIVOTAL_SWIFT_CHROOT XDG_CACHE_HOME
  exec env HOME="$work/home" CARGO_HOME="$work/cargo" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
    PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}" PIVOTAL_TOOLS="$work/tools" PATH="$path" CI=true \
    bash .ci/run </dev/null
) 2>&1 | tee "$log" || rc=$?
elapsed=$((SECONDS - start))
echo "fresh.sh: .ci/run exited $rc after $((elapsed / 60)) min $((elapsed % 60)) s on a fresh machine (log: $log)" | tee -a "$log" >&2
if [[ $keep -eq 0 ]]; then rm -rf --one-file-system "$work"; fi
exit "$rc"
