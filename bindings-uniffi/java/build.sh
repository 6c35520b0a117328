#!/usr/bin/env bash
# Builds the JVM artifact app.pivotal:pivotal-core-java (bindings-uniffi/java/pom.xml) for Java 22+:
# the Java bindings uniffi-bindgen-java generates from the release library (Foreign Function & Memory
# API, no JNA), compiled by Maven with --release 22 on a JDK 22+, with the library as the resource
# linux-x86-64/libpivotal_uniffi.so; then deploys it into the Maven repository
# $CARGO_TARGET_DIR/maven-repo. Maven, its plugins and the test dependencies come from Maven Central
# into $PIVOTAL_TOOLS/maven/repository; Maven's output goes to stderr.
#
# The generated code loads the library with System.loadLibrary(name) unless the system property
# uniffi.component.pivotal_uniffi.libraryOverride names a file. The one line naming the library is
# pointed at NativeLoader.libraryPath (src/main/java), which extracts the JAR's copy; the build
# fails when that line is not found exactly once (a new uniffi-bindgen-java changed it).
#
# Usage: bindings-uniffi/java/build.sh [--test] [--dist DIR]
#   --test      also run tests/java (JUnit 5) against the packaged JAR (mvn verify, failsafe):
#               reports in $CARGO_TARGET_DIR/jvm/pivotal-core-java/failsafe-reports/
#   --dist DIR  copy the JAR and its POM into DIR
# Prints the JAR's path on stdout. Environment: CARGO, CARGO_TARGET_DIR, PIVOTAL_TOOLS,
# JAVA22_HOME (a JDK 22+, default the Temurin 25 in /usr/lib/jvm).
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
cargo=${CARGO:-cargo}
build=$target/jvm/pivotal-core-java
gen=$target/bindings/java
version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' bindings-uniffi/java/pom.xml | head -n 1)
jar=$build/pivotal-core-java-$version.jar
jdk=${JAVA22_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

[[ -x $jdk/bin/javac ]] || { echo "build.sh: no JDK 22+ at $jdk (set JAVA22_HOME)" >&2; exit 1; }
command -v mvn >/dev/null 2>&1 || { echo "build.sh: Maven (mvn) is required" >&2; exit 1; }
bindgen=$(bash bindings-uniffi/java/bindgen.sh)

echo "build.sh: the release library and its Java bindings (uniffi-bindgen-java)" >&2
CARGO_TARGET_DIR=$target "$cargo" build --quiet --release -p pivotal-uniffi --lib
rm -rf "$gen"
# Library mode: bindings-uniffi/uniffi.toml ([bindings.java]) is found through cargo metadata.
"$bindgen" generate --metadata-no-deps --out-dir "$gen" "$target/release/libpivotal_uniffi.so" >&2
loader=$gen/app/pivotal/core/NamespaceLibrary.java
line='        return "pivotal_uniffi";'
count=$(grep -cxF "$line" "$loader" || true)
[[ $count == 1 ]] || { echo "build.sh: expected one line '$line' in $loader, found $count" >&2; exit 1; }
sed -i 's|^        return "pivotal_uniffi";$|        return NativeLoader.libraryPath("pivotal_uniffi");|' "$loader"

goal=package
if [[ $run_tests == 1 ]]; then
  goal=verify
  rm -rf "$build/failsafe-reports"
fi
echo "build.sh: mvn $goal app.pivotal:pivotal-core-java:$version with $jdk (Maven Central cache $tools/maven)" >&2
rc=0
JAVA_HOME=$jdk mvn -B -ntp -Dstyle.color=never -Dmaven.repo.local="$tools/maven/repository" \
  -f bindings-uniffi/java/pom.xml \
  -Dpivotal.bindings="$gen" -Dpivotal.native="$target/release" \
  -Dpivotal.build="$build" -Dpivotal.scenarios="$root/tests/scenarios" \
  -DaltDeploymentRepository="pivotal-local::file://$target/maven-repo" \
  "$goal" deploy:deploy >&2 || rc=$?
[[ $rc -eq 0 ]] || { echo "build.sh: mvn $goal failed (exit $rc)" >&2; exit "$rc"; }

if [[ -n $dist ]]; then
  mkdir -p "$dist"
  cp "$jar" "$dist/"
  cp bindings-uniffi/java/pom.xml "$dist/pivotal-core-java-$version.pom"
  echo "build.sh: $dist/pivotal-core-java-$version.jar and .pom" >&2
fi
echo "$jar"
