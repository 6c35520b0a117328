#!/usr/bin/env bash
# Install a Kotlin compiler and JNA for testing the uniffi-generated Kotlin
# bindings. Idempotent; when everything is present it does no network I/O.
#
#   kotlinc: JetBrains' full compiler distribution, as shipped in the npm
#            package `kotlin-compiler` (bin/kotlinc + lib/*.jar; runs on the
#            machine's Java 17). Unpacked into
#            ${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}/kotlin/<version>.
#   JNA:     Debian's libjna-java (/usr/share/java/jna.jar, with the native
#            libjnidispatch from libjna-jni); apt-installed only if missing.
#
# Usage:
#   tests/toolchain/kotlin.sh              install if needed, print KEY=VALUE lines
#   tests/toolchain/kotlin.sh --print-env  same
#   source tests/toolchain/kotlin.sh       install if needed, export KOTLINC, JNA_JAR
#
# Compiling and running uniffi Kotlin bindings (see README.md):
#   uniffi-bindgen generate --library target/debug/libNAME.so --language kotlin --out-dir gen
#   "$KOTLINC" -cp "$JNA_JAR" -include-runtime -d target/kt-test.jar \
#       gen/uniffi/NAME/NAME.kt tests/Main.kt
#   java -Djna.library.path=target/debug -cp "target/kt-test.jar:$JNA_JAR" MainKt
#
# Environment:
#   PIVOTAL_TOOLS            cache root (default $HOME/.cache/pivotal-tools)
#   PIVOTAL_KOTLIN_VERSION   npm kotlin-compiler version (default below)

set -euo pipefail

_kt_version="${PIVOTAL_KOTLIN_VERSION:-2.4.20}"
_kt_root="${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}/kotlin"
_kt_home="$_kt_root/$_kt_version"
_kt_marker="$_kt_home/.pivotal-complete"

_kt_log() { echo "kotlin.sh: $*" >&2; }

_kt_install_kotlinc() {
  [[ -f "$_kt_marker" && -x "$_kt_home/bin/kotlinc" ]] && return 0
  _kt_do_install
}

# Runs in a subshell so the cleanup trap stays local.
_kt_do_install() (
  set -euo pipefail
  command -v npm >/dev/null 2>&1 || { _kt_log "npm is required to fetch kotlin-compiler"; return 1; }
  command -v java >/dev/null 2>&1 || { _kt_log "java (JDK 17) is required"; return 1; }
  _kt_log "installing kotlin-compiler@$_kt_version into $_kt_home"
  mkdir -p "$_kt_root"
  local tmp; tmp=$(mktemp -d "$_kt_root/.tmp.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  (cd "$tmp" && npm pack --silent "kotlin-compiler@$_kt_version" >/dev/null)
  local tgz; tgz=$(ls "$tmp"/kotlin-compiler-*.tgz)
  mkdir "$tmp/x"
  tar -xzf "$tgz" -C "$tmp/x"
  [[ -x "$tmp/x/package/bin/kotlinc" && -f "$tmp/x/package/lib/kotlin-compiler.jar" ]] || {
    _kt_log "kotlin-compiler@$_kt_version has no bin/kotlinc + lib/kotlin-compiler.jar"; return 1; }
  rm -rf "$_kt_home"
  mv "$tmp/x/package" "$_kt_home"
  "$_kt_home/bin/kotlinc" -version >&2
  date -u +%FT%TZ > "$_kt_marker"
)

_kt_install_jna() {
  if [[ -f /usr/share/java/jna.jar ]] && ls /usr/lib/*/jni/libjnidispatch*.so >/dev/null 2>&1; then
    return 0
  fi
  [[ $EUID -eq 0 ]] || { _kt_log "libjna-java missing and not root: apt-get install libjna-java"; return 1; }
  _kt_log "installing libjna-java"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y libjna-java
}

_kt_install_kotlinc
_kt_install_jna
KOTLIN_HOME="$_kt_home"
KOTLINC="$_kt_home/bin/kotlinc"
JNA_JAR="/usr/share/java/jna.jar"
export KOTLIN_HOME KOTLINC JNA_JAR

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:---print-env}" in
    --print-env) echo "KOTLINC=$KOTLINC"; echo "JNA_JAR=$JNA_JAR"; echo "KOTLIN_HOME=$KOTLIN_HOME" ;;
    *) _kt_log "unknown argument: $1"; exit 2 ;;
  esac
fi
