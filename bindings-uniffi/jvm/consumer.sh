#!/usr/bin/env bash
# Builds a Maven project that depends on app.pivotal:pivotal-core by its coordinates (the quickstart,
# the retrieve bench) against the repository bindings-uniffi/jvm/build.sh deployed the artifact to,
# $CARGO_TARGET_DIR/maven-repo, and prints the classpath to run it with on stdout (its classes, then
# its dependencies). Maven's output goes to stderr.
#
# Usage: bindings-uniffi/jvm/consumer.sh POM BUILD_DIR
# Environment: CARGO_TARGET_DIR, PIVOTAL_TOOLS (the Maven Central cache is $PIVOTAL_TOOLS/maven).
set -euo pipefail
pom=${1:?usage: consumer.sh POM BUILD_DIR}
build=${2:?usage: consumer.sh POM BUILD_DIR}
cd "$(dirname "$0")/../.."
mkdir -p "${CARGO_TARGET_DIR:-target}" "$build"
target=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
build=$(cd "$build" && pwd)
repository=${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}/maven/repository
[[ -d $target/maven-repo/app/pivotal/pivotal-core ]] || {
  echo "consumer.sh: no app.pivotal:pivotal-core in $target/maven-repo: run bindings-uniffi/jvm/build.sh" >&2
  exit 1
}
# The artifact is resolved from the deployed repository every time, never from a copy cached by an
# earlier build.
rm -rf "$repository/app/pivotal/pivotal-core"
mvn -B -ntp -Dstyle.color=never -Dmaven.repo.local="$repository" -f "$pom" \
  -Dpivotal.repo="file://$target/maven-repo" -Dpivotal.build="$build" \
  package dependency:build-classpath -Dmdep.outputFile="$build/classpath.txt" >&2
echo "$build/classes:$(cat "$build/classpath.txt")"
