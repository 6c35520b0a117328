#!/usr/bin/env bash
# The Kotlin and Swift bindings, tested for real (`make uniffi-test`):
#   1. build the uniffi library and generate its bindings (tests/uniffi/generate.sh);
#   2. Kotlin: kotlinc + JNA (tests/toolchain/kotlin.sh, no Gradle) compiles the generated bindings,
#      the test suite, the scenario runner and the quickstart into one jar, then runs all three;
#   3. Swift: swiftc (tests/toolchain/swift.sh: the host's, or a Debian trixie chroot) builds the
#      bindings as the module `PivotalCore`, then the tests + scenario runner and the quickstart
#      against it (`import PivotalCore`), and runs them.
# Every suite prints `<suite>: N passed, N failed`; the last line totals them. Exits non-zero when
# anything fails to build or any test, scenario or quickstart fails.
#
# Usage: tests/uniffi/run.sh [all|kotlin|swift]      (default all)
# Environment: CARGO, CARGO_TARGET_DIR, PIVOTAL_TOOLS (toolchain caches; see tests/toolchain/README.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
only=${1:-all}
case "$only" in all | kotlin | swift) ;; *) echo "usage: $0 [all|kotlin|swift]" >&2; exit 2 ;; esac

start=$SECONDS
phase() { echo "== uniffi: $* ($((SECONDS - start))s)"; }

target=$(cd "${CARGO_TARGET_DIR:-target}" 2>/dev/null && pwd || echo "$root/${CARGO_TARGET_DIR:-target}")
lib_dir=$target/debug
gen=$target/bindings
out=$target/uniffi-tests
scenarios=$root/tests/scenarios

phase "building the library and generating the bindings"
CARGO_TARGET_DIR=$target bash tests/uniffi/generate.sh

results=()   # "suite passed failed"
failed_any=0

# Runs a suite command, echoing its output; records the counts from its closing line.
suite() {
  local name=$1; shift
  local log="$out/$name.log" rc=0
  "$@" 2>&1 | tee "$log" || rc=$?
  local line
  line=$(grep -E '^[A-Za-z-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
  if [[ -z "$line" ]]; then
    echo "$name: no closing 'N passed, N failed' line (exit $rc)"
    results+=("$name 0 1")
    failed_any=1
    return
  fi
  local p f
  p=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
  f=$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  results+=("$name $p $f")
  if [[ $f -ne 0 ]]; then failed_any=1; fi
}

# Runs a quickstart in an empty directory; it passes when it exits 0 and ends with its timeline line.
quickstart() {
  local name=$1 dir=$2; shift 2
  rm -rf "$dir" && mkdir -p "$dir"
  local log="$out/$name.log" rc=0
  (cd "$dir" && "$@") >"$log" 2>&1 || rc=$?
  if [[ $rc -eq 0 ]] && grep -qE '^timeline: [0-9]+ events, newest first$' "$log"; then
    sed -n '1,3p' "$log"
    echo "   …"
    tail -n 4 "$log"
    echo "$name: 1 passed, 0 failed"
    results+=("$name 1 0")
  else
    cat "$log"
    echo "$name: 0 passed, 1 failed (exit $rc)"
    results+=("$name 0 1")
    failed_any=1
  fi
}

if [[ $only == all || $only == kotlin ]]; then
  phase "Kotlin: toolchain"
  # shellcheck source=tests/toolchain/lib.sh
  source tests/toolchain/lib.sh
  load_env tests/toolchain/kotlin.sh
  mkdir -p "$out/kotlin"
  phase "Kotlin: compiling the bindings, tests, scenario runner and quickstart"
  "$KOTLINC" -nowarn -cp "$JNA_JAR" -include-runtime -d "$out/kotlin/tests.jar" \
    "$gen/kotlin/app/pivotal/core/pivotal_uniffi.kt" tests/kotlin/*.kt bindings-uniffi/examples/quickstart.kt
  kt() { java -Djna.library.path="$lib_dir" -cp "$out/kotlin/tests.jar:$JNA_JAR" "$@"; }
  phase "Kotlin: running"
  suite kotlin-tests kt app.pivotal.tests.MainKt tests
  suite kotlin-scenarios kt app.pivotal.tests.MainKt scenarios "$scenarios"
  quickstart kotlin-quickstart "$out/kotlin/demo" kt QuickstartKt
fi

if [[ $only == all || $only == swift ]]; then
  phase "Swift: toolchain"
  tests/toolchain/swift.sh ensure
  binds=(--bind "$root")
  case "$target/" in "$root"/*) ;; *) binds+=(--bind "$target") ;; esac
  sw() { "$root/tests/toolchain/swift.sh" run "${binds[@]}" -- "$@"; }
  ffi=(-Xcc "-fmodule-map-file=$gen/swift/PivotalCoreFFI.modulemap" -I "$gen/swift")
  mkdir -p "$out/swift"
  phase "Swift: compiling the PivotalCore module"
  sw swiftc -emit-module -emit-library -module-name PivotalCore \
    -emit-module-path "$out/swift/PivotalCore.swiftmodule" -o "$out/swift/libPivotalCore.so" \
    "${ffi[@]}" -L "$lib_dir" -lpivotal_uniffi "$gen/swift/PivotalCore.swift"
  against=(-I "$out/swift" "${ffi[@]}" -L "$out/swift" -lPivotalCore -L "$lib_dir" -lpivotal_uniffi)
  phase "Swift: compiling the tests, scenario runner and quickstart"
  sw swiftc "${against[@]}" -o "$out/swift/swift-tests" tests/swift/main.swift tests/swift/Json.swift \
    tests/swift/Harness.swift tests/swift/BindingTests.swift tests/swift/ScenarioRunner.swift
  sw swiftc "${against[@]}" -o "$out/swift/quickstart" bindings-uniffi/examples/quickstart.swift
  swr() { sw env LD_LIBRARY_PATH="$lib_dir:$out/swift" "$@"; }
  phase "Swift: running"
  suite swift-tests swr "$out/swift/swift-tests" tests
  suite swift-scenarios swr "$out/swift/swift-tests" scenarios "$scenarios"
  quickstart swift-quickstart "$out/swift/demo" swr "$out/swift/quickstart"
fi

phase "done"
total_p=0
total_f=0
for r in "${results[@]}"; do
  read -r name p f <<<"$r"
  printf '%s: %s passed, %s failed\n' "$name" "$p" "$f"
  total_p=$((total_p + p))
  total_f=$((total_f + f))
done
echo "uniffi took $((SECONDS - start))s"
echo "uniffi: $total_p passed, $total_f failed"
[[ $failed_any -eq 0 && $total_f -eq 0 && ${#results[@]} -gt 0 ]]
