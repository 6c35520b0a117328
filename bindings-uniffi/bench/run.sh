#!/usr/bin/env bash
# Benchmark target 5 (BENCHMARKS.md): retrieve through the Kotlin bindings as an app gets them, the
# packaged JAR app.pivotal:pivotal-core (bindings-uniffi/jvm/build.sh: the release library inside),
# timed by bindings-uniffi/bench/RetrieveBench.kt, its own Maven project (pom.xml beside it) that
# depends on the artifact by its coordinates. Nothing fails on time; any error (a build, a call that
# throws, a wrong result) fails.
#
#   bash bindings-uniffi/bench/run.sh           # the fixtures of the Rust reads bench (the newest
#       $CARGO_TARGET_DIR/bench-data/<key>/ holding onboardings-<n>.db with its .done marker),
#       compared with bench-results/reads.json -> $CARGO_TARGET_DIR/bench-results/kotlin.json
#   bash bindings-uniffi/bench/run.sh --smoke   # a temporary file with 200 onboardings, a few
#       hundred calls per path -> bench-results/kotlin.smoke.json
#   Other arguments go to the harness: --ops N, --warmup N, or fixture files (*.db) to use instead.
#
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

mkdir -p "${CARGO_TARGET_DIR:-target}"
target=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
export CARGO_TARGET_DIR=$target

start=$SECONDS
phase() { echo "== kotlin bench: $* ($((SECONDS - start))s)"; }

if [[ $smoke == 1 ]]; then
  results=$target/bench-results/kotlin.smoke.json
else
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

phase "packaging app.pivotal:pivotal-core (bindings-uniffi/jvm/build.sh)"
jar=$(bash bindings-uniffi/jvm/build.sh)
phase "compiling the bench against it (bindings-uniffi/bench/pom.xml)"
classpath=$(bash bindings-uniffi/jvm/consumer.sh bindings-uniffi/bench/pom.xml "$target/bench-kotlin")

java_opts=()
read -r -a java_opts <<<"${PIVOTAL_BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms512m -Xmx512m}"
mode=()
if [[ $smoke == 1 ]]; then mode=(--smoke); fi
phase "running ($(java -version 2>&1 | head -n 1))"
java "${java_opts[@]}" -cp "$classpath" app.pivotal.bench.RetrieveBenchKt \
  "${mode[@]}" --library "$jar" --out "$results" --rust-reads "$target/bench-results/reads.json" \
  --tmp "$target/bench-data/tmp" "${harness[@]}"
phase "done"
