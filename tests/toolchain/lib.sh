#!/usr/bin/env bash
# Shared by the toolchain scripts (source it). Two rules every install here follows:
#   - installs print their progress to stderr, never to stdout, so a script's stdout stays
#     machine-readable (`--print-env` prints NAME=value lines and nothing else);
#   - what a test needs from outside the repo is installed by these scripts, so a fresh machine runs
#     `make test` with nothing installed by hand (rehearsed by tests/toolchain/fresh.sh).
#
#   apt_ensure COMMAND PACKAGE   install Debian's PACKAGE when COMMAND is not on PATH (root only)
#   load_env SCRIPT              run SCRIPT --print-env and export its NAME=value lines; fails, naming
#                                the line, on anything else in its output

# Every Debian package a script of this project installs: tests/toolchain/fresh.sh purges exactly
# these to rehearse a fresh machine, so apt_ensure refuses any package missing from this list.
TOOLCHAIN_APT_PACKAGES=(shellcheck debootstrap wrk postgresql openssl)

_toolchain_log() { echo "toolchain: $*" >&2; }

apt_ensure() {
  local command=$1 package=$2
  command -v "$command" >/dev/null 2>&1 && return 0
  if [[ " ${TOOLCHAIN_APT_PACKAGES[*]} " != *" $package "* ]]; then
    _toolchain_log "apt_ensure $package: add it to TOOLCHAIN_APT_PACKAGES in tests/toolchain/lib.sh"
    return 1
  fi
  if [[ $EUID -ne 0 ]]; then
    _toolchain_log "$command is missing and this is not root: apt-get install $package"
    return 1
  fi
  _toolchain_log "installing Debian's $package (for $command)"
  if [[ -z "${_TOOLCHAIN_APT_UPDATED:-}" ]]; then
    apt-get update -q >&2
    _TOOLCHAIN_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package" >&2
  command -v "$command" >/dev/null 2>&1 || { _toolchain_log "$package did not provide $command"; return 1; }
}

# Every line must be NAME=value (NAME in [A-Z_][A-Z0-9_]*); values are taken verbatim, not evaluated.
load_env() {
  local script=$1 out line
  out=$("$script" --print-env) || { _toolchain_log "$script --print-env failed"; return 1; }
  while IFS= read -r line; do
    if [[ ! $line =~ ^[A-Z_][A-Z0-9_]*= ]]; then
      _toolchain_log "$script --print-env printed a line that is not NAME=value: $line"
      return 1
    fi
    export "${line%%=*}=${line#*=}"
  done <<<"$out"
}
