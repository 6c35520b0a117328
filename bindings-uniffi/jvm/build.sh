#!/usr/bin/env bash
# Builds the JVM artifact app.pivotal:pivotal-core (bindings-uniffi/jvm/pom.xml): the Kotlin bindings
# generated from the release library, compiled by Maven (kotlin-maven-plugin), with the library as
# the resource linux-x86-64/libpivotal_uniffi.so; then deploys it into the Maven repository
# $CARGO_TARGET_DIR/maven-repo, where projects find it by its coordinates. Maven, its plugins and the
# artifact's dependencies come from Maven Central into $PIVOTAL_TOOLS/maven/repository; Maven's
# output (downloads included) goes to stderr.
#
# Usage: bindings-uniffi/jvm/build.sh [--test] [--dist DIR]
#   --test      also run tests/kotlin (JUnit 5) against the packaged JAR (mvn verify, failsafe):
#               reports in $CARGO_TARGET_DIR/jvm/pivotal-core/failsafe-reports/
#   --dist DIR  copy the JAR and its POM into DIR
# Prints the JAR's path on stdout. Environment: CARGO, CARGO_TARGET_DIR, PIVOTAL_TOOLS.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

run_tests=0
dist=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --test) run_tests=1 ;;
    --dist) dist=${2:?--dist needs a directory}; shift ;;
    *) echo "usage: $0 [--test] [--dist DIR]" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "${CARGO_TARGET_DIR:-target}"
target=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
tools=${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}
build=$target/jvm/pivotal-core
version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' bindings-uniffi/jvm/pom.xml | head -n 1)
jar=$build/pivotal-core-$version.jar

command -v mvn >/dev/null 2>&1 || { echo "build.sh: Maven (mvn) is required" >&2; exit 1; }
echo "build.sh: the release library and its Kotlin bindings (tests/uniffi/generate.sh)" >&2
PIVOTAL_PROFILE=release CARGO_TARGET_DIR=$target bash tests/uniffi/generate.sh

goal=package
if [[ $run_tests == 1 ]]; then
  goal=verify
  rm -rf "$build/failsafe-reports"
fi
echo "build.sh: mvn $goal app.pivotal:pivotal-core:$version (Maven Central cache $tools/maven)" >&2
rc=0
mvn -B -ntp -Dstyle.color=never -Dmaven.repo.local="$tools/maven/repository" -f bindings-uniffi/jvm/pom.xml \
  -Dpivotal.bindings="$target/bindings/kotlin" -Dpivotal.native="$target/release" \
  -Dpivotal.build="$build" -Dpivotal.scenarios="$root/tests/scenarios" \
  -DaltDeploymentRepository="pivotal-local::file://$target/maven-repo" \
  "$goal" deploy:deploy >&2 || rc=$?
[[ $rc -eq 0 ]] || { echo "build.sh: mvn $goal failed (exit $rc)" >&2; exit "$rc"; }

if [[ -n $dist ]]; then
  mkdir -p "$dist"
  cp "$jar" "$dist/"
  cp bindings-uniffi/jvm/pom.xml "$dist/pivotal-core-$version.pom"
  echo "build.sh: $dist/pivotal-core-$version.jar and .pom" >&2
fi
echo "$jar"
