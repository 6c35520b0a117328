#!/usr/bin/env bash
# Install a Kotlin compiler and JNA for testing the uniffi-generated Kotlin bindings. Idempotent;
# when everything is present it does no network I/O. Progress goes to stderr: stdout carries only
# the NAME=value lines of --print-env.
#
#   kotlinc: JetBrains' full compiler distribution, as shipped in the npm package
#            `kotlin-compiler` (bin/kotlinc + lib/*.jar; runs on the machine's Java 17), unpacked
#            into $PIVOTAL_TOOLS/kotlin/<version>.
#   JNA:     net.java.dev.jna:jna from Maven Central (its jar carries the native libjnidispatch for
#            every platform), copied by Maven into $PIVOTAL_TOOLS/jna/<version>/jna.jar.
#
# Usage:
#   tests/toolchain/kotlin.sh              install if needed, print NAME=value lines
#   tests/toolchain/kotlin.sh --print-env  same
#   source tests/toolchain/kotlin.sh       install if needed, export KOTLINC, JNA_JAR
#   (scripts read the lines with load_env from tests/toolchain/lib.sh, never with eval)
#
# Compiling and running uniffi Kotlin bindings (see README.md):
#   "$KOTLINC" -cp "$JNA_JAR" -include-runtime -d target/kt-test.jar gen/.../NAME.kt tests/Main.kt
#   java -Djna.library.path=target/debug -cp "target/kt-test.jar:$JNA_JAR" MainKt
#
# Environment:
#   PIVOTAL_TOOLS            cache root (default $HOME/.cache/pivotal-tools)
#   PIVOTAL_KOTLIN_VERSION   npm kotlin-compiler version (default below)
#   PIVOTAL_JNA_VERSION      Maven Central JNA version (default below)

set -euo pipefail

_kt_version="${PIVOTAL_KOTLIN_VERSION:-2.4.20}"
_kt_tools="${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}"
_kt_root="$_kt_tools/kotlin"
_kt_home="$_kt_root/$_kt_version"
_kt_marker="$_kt_home/.pivotal-complete"
_jna_version="${PIVOTAL_JNA_VERSION:-5.17.0}"
_jna_jar="$_kt_tools/jna/$_jna_version/jna.jar"

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
  # shellcheck disable=SC2064  # expand $tmp now: the trap runs after it is out of scope
  trap "rm -rf '$tmp'" EXIT
  (cd "$tmp" && npm pack --silent "kotlin-compiler@$_kt_version" >&2)
  local tgz; tgz=$(find "$tmp" -maxdepth 1 -name 'kotlin-compiler-*.tgz' | head -n 1)
  mkdir "$tmp/x"
  tar -xzf "$tgz" -C "$tmp/x"
  [[ -x "$tmp/x/package/bin/kotlinc" && -f "$tmp/x/package/lib/kotlin-compiler.jar" ]] || {
    _kt_log "kotlin-compiler@$_kt_version has no bin/kotlinc + lib/kotlin-compiler.jar"; return 1; }
  rm -rf "$_kt_home"
  mv "$tmp/x/package" "$_kt_home"
  "$_kt_home/bin/kotlinc" -version >&2 2>&1
  date -u +%FT%TZ > "$_kt_marker"
)

_kt_install_jna() {
  [[ -f "$_jna_jar" ]] && return 0
  command -v mvn >/dev/null 2>&1 || { _kt_log "mvn (Maven) is required to fetch JNA"; return 1; }
  _kt_log "fetching net.java.dev.jna:jna:$_jna_version from Maven Central into $(dirname "$_jna_jar")"
  local dir; dir=$(dirname "$_jna_jar")
  mkdir -p "$dir"
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="net.java.dev.jna:jna:$_jna_version" -DoutputDirectory="$dir" -Dmdep.stripVersion=true >&2
  [[ -f "$_jna_jar" ]] || { _kt_log "Maven did not produce $_jna_jar"; return 1; }
}

_kt_install_kotlinc
_kt_install_jna
KOTLIN_HOME="$_kt_home"
KOTLINC="$_kt_home/bin/kotlinc"
JNA_JAR="$_jna_jar"
export KOTLIN_HOME KOTLINC JNA_JAR

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:---print-env}" in
    --print-env) echo "KOTLINC=$KOTLINC"; echo "JNA_JAR=$JNA_JAR"; echo "KOTLIN_HOME=$KOTLIN_HOME" ;;
    *) _kt_log "unknown argument: $1"; exit 2 ;;
  esac
fi
