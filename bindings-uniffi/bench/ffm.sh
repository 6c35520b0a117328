#!/usr/bin/env bash
# Target 5 (BENCHMARKS.md) through uniffi-bindgen-java (crates.io, MPL-2.0): Java bindings over the
# Foreign Function & Memory API (Java 22+, no JNA), generated from the release library, beside the
# Kotlin/JNA artifact on the same file (`make bench-java-ffm`; not part of `make test`).
#
#   bash bindings-uniffi/bench/ffm.sh [N] [OPS] [WARMUP]     (default 10000 20000 10000)
#
# Installs uniffi-bindgen-java once per machine (bindings-uniffi/java/bindgen.sh, into $PIVOTAL_TOOLS),
# generates and compiles the Java bindings with the Temurin JDK ($JAVA22_HOME, default
# the Temurin 25 in /usr/lib/jvm), creates $CARGO_TARGET_DIR/bench-data/ffm/onboardings-N.db through
# them when missing, times retrieve there, then runs bindings-uniffi/bench/run.sh (the Kotlin JAR) on
# the same file. Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
ops=${2:-20000}
warmup=${3:-10000}
cargo=${CARGO:-cargo}
mkdir -p "${CARGO_TARGET_DIR:-target}"
target=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
export CARGO_TARGET_DIR=$target
jdk=${JAVA22_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $jdk/bin/javac ]] || { echo "ffm.sh: no JDK 22+ at $jdk (set JAVA22_HOME)" >&2; exit 1; }
out=$target/bench-java-ffm
bindgen=$(bash bindings-uniffi/java/bindgen.sh)
echo "ffm.sh: the release library and its Java bindings" >&2
"$cargo" build --quiet --release -p pivotal-uniffi --lib
rm -rf "$out/gen" "$out/classes"
"$bindgen" generate --metadata-no-deps --out-dir "$out/gen" "$target/release/libpivotal_uniffi.so" >&2
echo "ffm.sh: javac ($("$jdk/bin/javac" -version 2>&1))" >&2
mapfile -t sources < <(find "$out/gen" -name '*.java')
"$jdk/bin/javac" -nowarn -d "$out/classes" "${sources[@]}" bindings-uniffi/bench/ffm/RetrieveFfm.java
fixture=$target/bench-data/ffm/onboardings-$n.db
mkdir -p "$(dirname "$fixture")"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms512m -Xmx512m \
  -Djava.library.path="$target/release" -cp "$out/classes" RetrieveFfm "$fixture" "$n" "$ops" "$warmup"
echo "ffm.sh: the Kotlin/JNA artifact on the same file (bindings-uniffi/bench/run.sh)" >&2
bash bindings-uniffi/bench/run.sh --ops "$ops" --warmup "$warmup" "$fixture"
