#!/usr/bin/env bash
# Benchmark target 5 (BENCHMARKS.md): retrieve through the Kotlin bindings, timed by
# bindings-uniffi/bench/RetrieveBench.kt, compiled with kotlinc + JNA (tests/toolchain/kotlin.sh, no
# Gradle). Nothing fails on time; any error (a build, a call that throws, a wrong result) fails.
#
#   bash bindings-uniffi/bench/run.sh           # release library and bindings generated from it; the
#       fixtures of the Rust reads bench (the newest $CARGO_TARGET_DIR/bench-data/<key>/ holding
#       onboardings-<n>.db with its .done marker), compared with bench-results/reads.json
#       -> $CARGO_TARGET_DIR/bench-results/kotlin.json
#   bash bindings-uniffi/bench/run.sh --smoke   # the debug library and bindings tests/uniffi/run.sh
#       builds (generated here when missing or older than the library), a temporary file with 200
#       onboardings, a few hundred calls per path -> bench-results/kotlin.smoke.json
#   Other arguments go to the harness: --ops N, --warmup N, or fixture files (*.db) to use instead.
#
# The compiled bindings are cached in $CARGO_TARGET_DIR/bench-kotlin/<profile>/ by the checksum of
# the generated Kotlin (compiling them takes ~15 s; the harness alone ~5 s); a smoke run without
# that cache uses the jar tests/uniffi/run.sh compiled from the same bindings, when it is newer.
# Environment: CARGO, CARGO_TARGET_DIR, PIVOTAL_TOOLS (see tests/toolchain/README.md),
#              PIVOTAL_BENCH_JAVA_OPTS (JVM flags; default below).
set -euo pipefail
cd "$(dirname "$0")/../.."

smoke=0
harness=()
given_fixtures=0
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    *.db) given_fixtures=1; harness+=("$arg") ;;
    *) harness+=("$arg") ;;
  esac
done

cargo=${CARGO:-cargo}
mkdir -p "${CARGO_TARGET_DIR:-target}"
target=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
export CARGO_TARGET_DIR=$target
case "$(uname -s)" in
  Darwin) so=dylib ;;
  *) so=so ;;
esac

start=$SECONDS
phase() { echo "== kotlin bench: $* ($((SECONDS - start))s)"; }

if [[ $smoke == 1 ]]; then
  profile=debug
  lib=$target/debug/libpivotal_uniffi.$so
  gen=$target/bindings/kotlin
  if [[ ! -f $lib || ! -f $gen/app/pivotal/core/pivotal_uniffi.kt || $lib -nt $gen/app/pivotal/core/pivotal_uniffi.kt ]]; then
    phase "building the debug library and its bindings (tests/uniffi/generate.sh)"
    bash tests/uniffi/generate.sh
  fi
  results=$target/bench-results/kotlin.smoke.json
else
  profile=release
  lib=$target/release/libpivotal_uniffi.$so
  gen=$target/bench-kotlin/release/bindings
  phase "building the release library"
  "$cargo" build --release -p pivotal-uniffi --lib
  phase "generating its Kotlin bindings"
  # The generator is a debug build; building it rebuilds the debug library with the `cli` feature,
  # so the debug library as shipped is built again after it (as tests/uniffi/generate.sh does).
  "$cargo" build --quiet -p pivotal-uniffi --features cli --bin uniffi-bindgen
  "$cargo" build --quiet -p pivotal-uniffi --lib
  rm -rf "$gen"
  "$target/debug/uniffi-bindgen" generate --no-format --metadata-no-deps \
    --library "$lib" --language kotlin --out-dir "$gen"
  results=$target/bench-results/kotlin.json

  if [[ $given_fixtures == 0 ]]; then
    data=""
    for dir in "$target"/bench-data/*/; do
      compgen -G "${dir}onboardings-*.done" >/dev/null || continue
      if [[ -z $data || $dir -nt $data ]]; then data=$dir; fi
    done
    if [[ -z $data ]]; then
      echo "kotlin bench: no fixtures under $target/bench-data/: run \`cargo bench -p pivotal-core --bench reads\` first" >&2
      exit 1
    fi
    for done in "$data"onboardings-*.done; do
      db=${done%.done}.db
      if [[ -f $db ]]; then harness+=("$db"); fi
    done
    phase "fixtures in $data"
  fi
fi
[[ -f $lib ]] || { echo "kotlin bench: missing library $lib" >&2; exit 1; }
kt=$gen/app/pivotal/core/pivotal_uniffi.kt
[[ -f $kt ]] || { echo "kotlin bench: missing bindings $kt" >&2; exit 1; }

phase "Kotlin toolchain"
# shellcheck source=tests/toolchain/lib.sh
source tests/toolchain/lib.sh
load_env tests/toolchain/kotlin.sh
out=$target/bench-kotlin/$profile
mkdir -p "$out"

# Compiles into $1 (a jar) when the stamp $1.sha256 differs from $2; the rest is the kotlinc command.
compile() {
  local jar=$1 sum=$2
  shift 2
  if [[ -f $jar && "$(cat "$jar.sha256" 2>/dev/null)" == "$sum" ]]; then return 0; fi
  rm -f "$jar" "$jar.sha256"
  "$KOTLINC" "$@" -d "$jar.tmp.jar"
  mv "$jar.tmp.jar" "$jar"
  echo "$sum" >"$jar.sha256"
}
bindings_sum=$({ cat "$kt"; echo "$KOTLINC"; } | sha256sum | cut -d' ' -f1)
harness_sources=(bindings-uniffi/bench/RetrieveBench.kt tests/kotlin/Json.kt)
bench_sum=$(echo "$bindings_sum" | cat - "${harness_sources[@]}" | sha256sum | cut -d' ' -f1)
bindings_jar=$out/bindings.jar
tests_jar=$target/uniffi-tests/kotlin/tests.jar
if [[ $smoke == 1 && "$(cat "$bindings_jar.sha256" 2>/dev/null)" != "$bindings_sum" && $tests_jar -nt $kt ]]; then
  phase "compiling the harness against the bindings tests/uniffi/run.sh compiled ($tests_jar)"
  bindings_jar=$tests_jar
else
  phase "compiling the bindings ($profile; cached) and the harness"
  compile "$bindings_jar" "$bindings_sum" -nowarn -cp "$JNA_JAR" -include-runtime "$kt"
fi
compile "$out/retrieve-bench.jar" "$bench_sum" -cp "$bindings_jar:$JNA_JAR" "${harness_sources[@]}"

java_opts=()
read -r -a java_opts <<<"${PIVOTAL_BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms512m -Xmx512m}"
mode=()
if [[ $smoke == 1 ]]; then mode=(--smoke); fi
phase "running ($(java -version 2>&1 | head -n 1))"
java "${java_opts[@]}" -Djna.library.path="$(dirname "$lib")" \
  -cp "$out/retrieve-bench.jar:$bindings_jar:$JNA_JAR" app.pivotal.bench.RetrieveBenchKt \
  "${mode[@]}" --library "$lib" --out "$results" --rust-reads "$target/bench-results/reads.json" \
  --tmp "$target/bench-data/tmp" "${harness[@]}"
phase "done"
