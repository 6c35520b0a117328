#!/usr/bin/env bash
# The Kotlin and Swift bindings, tested for real (`make uniffi-test`):
#   1. build the uniffi library and generate its bindings (tests/uniffi/generate.sh);
#   2. Kotlin: bindings-uniffi/jvm/build.sh packages the JVM artifact (Maven: the release library
#      inside the JAR) and runs tests/kotlin (JUnit 5: the suite, the sequences, one test per
#      scenario) against the JAR; then the quickstart, its own Maven project
#      (bindings-uniffi/examples/kotlin), resolves the artifact by its coordinates from the local
#      repository build.sh deployed to, and runs;
#   3. Java (FFM, Java 22+): bindings-uniffi/java/build.sh packages app.pivotal:pivotal-core-java
#      (uniffi-bindgen-java's bindings, the release library inside the JAR) and runs tests/java
#      (JUnit 5: the suite, one test per scenario) against the JAR on the Temurin 25 JDK;
#   4. Swift: bindings-uniffi/swift/build.sh assembles the Swift package PivotalCore (the release
#      library, its generated bindings, the sequences) with tests/swift as its XCTest target;
#      `swift build` and `swift test` run in it (tests/toolchain/swift.sh: the host's Swift, or a
#      Debian trixie chroot); then the quickstart, a package of its own
#      (bindings-uniffi/examples/swift), depends on it by path, builds and runs.
# Every suite prints `<suite>: N passed, N failed`; the last line totals them. Exits non-zero when
# anything fails to build or any test, scenario or quickstart fails.
#
# Usage: tests/uniffi/run.sh [all|kotlin|java|swift]      (default all)
# Environment: CARGO, CARGO_TARGET_DIR, PIVOTAL_TOOLS (toolchain caches; see tests/toolchain/README.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
only=${1:-all}
case "$only" in all | kotlin | java | swift) ;; *) echo "usage: $0 [all|kotlin|java|swift]" >&2; exit 2 ;; esac

start=$SECONDS
phase() { echo "== uniffi: $* ($((SECONDS - start))s)"; }

target=$(cd "${CARGO_TARGET_DIR:-target}" 2>/dev/null && pwd || echo "$root/${CARGO_TARGET_DIR:-target}")
out=$target/uniffi-tests
scenarios=$root/tests/scenarios

phase "building the release library and generating the bindings"
PIVOTAL_PROFILE=release CARGO_TARGET_DIR=$target bash tests/uniffi/generate.sh

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

# Counts the JUnit reports FILES (surefire/failsafe XML) as the suite NAME's closing line.
junit_counts() {
  local name=$1; shift
  local tests=0 bad=0 skipped=0 line n
  for f in "$@"; do
    line=$(grep -m1 -o '<testsuite [^>]*>' "$f")
    for attr in tests failures errors skipped; do
      n=$(sed -nE "s/.* $attr=\"([0-9]+)\".*/\1/p" <<<"$line")
      case $attr in
        tests) tests=$((tests + n)) ;;
        skipped) skipped=$((skipped + n)) ;;
        *) bad=$((bad + n)) ;;
      esac
    done
  done
  echo "$name: $((tests - bad - skipped)) passed, $bad failed"
}

if [[ $only == all || $only == kotlin ]]; then
  phase "Kotlin: the JVM artifact (release library + bindings, Maven) and its JUnit tests against the JAR"
  mkdir -p "$out/kotlin"
  reports=$target/jvm/pivotal-core/failsafe-reports
  mvn_rc=0
  CARGO_TARGET_DIR=$target bash bindings-uniffi/jvm/build.sh --test >"$out/kotlin/build.log" 2>&1 || mvn_rc=$?
  grep -E '^\[(INFO|ERROR)\] (Tests run|Running|Failed|  )|BUILD|ERROR' "$out/kotlin/build.log" | head -n 60 || true
  jvm() {
    local suite_name=$1 rc=$mvn_rc; shift
    local files=()
    for c in "$@"; do [[ -f $reports/TEST-app.pivotal.tests.$c.xml ]] && files+=("$reports/TEST-app.pivotal.tests.$c.xml"); done
    if [[ ${#files[@]} -ne $# ]]; then echo "$suite_name: 0 passed, 1 failed (no JUnit report; see $out/kotlin/build.log)"; return 1; fi
    junit_counts "$suite_name" "${files[@]}"
    return "$rc"
  }
  suite kotlin-tests jvm kotlin-tests BindingTests SequenceTests
  suite kotlin-scenarios jvm kotlin-scenarios ScenarioTests
  phase "Kotlin: the quickstart as its own Maven project, depending on app.pivotal:pivotal-core by coordinates"
  if classpath=$(CARGO_TARGET_DIR=$target bash bindings-uniffi/jvm/consumer.sh bindings-uniffi/examples/kotlin/pom.xml "$out/kotlin/quickstart-build" 2>"$out/kotlin/quickstart-build.log"); then
    quickstart kotlin-quickstart "$out/kotlin/demo" java -cp "$classpath" QuickstartKt
  else
    tail -n 30 "$out/kotlin/quickstart-build.log"
    echo "kotlin-quickstart: 0 passed, 1 failed (the Maven build failed)"
    results+=("kotlin-quickstart 0 1")
    failed_any=1
  fi
fi

if [[ $only == all || $only == java ]]; then
  phase "Java: uniffi-bindgen-java (installed once per machine into \$PIVOTAL_TOOLS; progress on stderr)"
  bash bindings-uniffi/java/bindgen.sh >/dev/null
  phase "Java: the FFM artifact (uniffi-bindgen-java, Java 22+) and its JUnit tests against the JAR"
  mkdir -p "$out/java"
  java_reports=$target/jvm/pivotal-core-java/failsafe-reports
  java_rc=0
  CARGO_TARGET_DIR=$target bash bindings-uniffi/java/build.sh --test >"$out/java/build.log" 2>&1 || java_rc=$?
  grep -E '^\[(INFO|ERROR)\] (Tests run|Running|Failed|  )|BUILD|ERROR|bindgen.sh' "$out/java/build.log" | head -n 60 || true
  ffm() {
    local suite_name=$1 rc=$java_rc; shift
    local files=()
    for c in "$@"; do [[ -f $java_reports/TEST-app.pivotal.tests.$c.xml ]] && files+=("$java_reports/TEST-app.pivotal.tests.$c.xml"); done
    if [[ ${#files[@]} -ne $# ]]; then echo "$suite_name: 0 passed, 1 failed (no JUnit report; see $out/java/build.log)"; return 1; fi
    junit_counts "$suite_name" "${files[@]}"
    return "$rc"
  }
  suite java-tests ffm java-tests BindingTests
  suite java-scenarios ffm java-scenarios ScenarioTests
fi

# Prints the suite NAME's closing line from the XCTest classes CLASSES in the `swift test` log LOG.
xctest_counts() {
  local name=$1 log=$2 passed=0 failed=0 class line n f
  shift 2
  for class in "$@"; do
    line=$(grep -A1 -E "^Test Suite '$class' (passed|failed)" "$log" | grep -oE 'Executed [0-9]+ tests?, with [0-9]+ failures?' | head -n 1 || true)
    if [[ -z $line ]]; then
      echo "$class: no XCTest result"
      failed=$((failed + 1))
      continue
    fi
    n=$(sed -E 's/Executed ([0-9]+).*/\1/' <<<"$line")
    f=$(sed -E 's/.*with ([0-9]+) failure.*/\1/' <<<"$line")
    passed=$((passed + n - f))
    failed=$((failed + f))
  done
  echo "$name: $passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}

if [[ $only == all || $only == swift ]]; then
  phase "Swift: toolchain"
  tests/toolchain/swift.sh ensure
  binds=(--bind "$root")
  case "$target/" in "$root"/*) ;; *) binds+=(--bind "$target") ;; esac
  sw() { "$root/tests/toolchain/swift.sh" run "${binds[@]}" -- "$@"; }
  mkdir -p "$out/swift"
  phase "Swift: assembling the package PivotalCore (bindings-uniffi/swift/build.sh) with tests/swift"
  pkg=$(CARGO_TARGET_DIR=$target bash bindings-uniffi/swift/build.sh --tests)
  phase "Swift: swift build + swift test (XCTest) of the package"
  swift_rc=0
  sw swift build --package-path "$pkg" --scratch-path "$out/swift/build" >"$out/swift/build.log" 2>&1 || swift_rc=$?
  [[ $swift_rc -eq 0 ]] || tail -n 40 "$out/swift/build.log"
  sw env PIVOTAL_SCENARIOS="$scenarios" swift test --package-path "$pkg" --scratch-path "$out/swift/build" \
    >"$out/swift/test.log" 2>&1 || swift_rc=$?
  grep -E "^Test Suite '[A-Za-z]+Tests' (passed|failed)|error:|Executed|swift-scenarios:" "$out/swift/test.log" | head -n 60 || true
  xct() { xctest_counts swift-tests "$out/swift/test.log" BindingTests SequenceTests && return "$swift_rc"; }
  suite swift-tests xct
  suite swift-scenarios grep -E '^swift-scenarios: [0-9]+ passed, [0-9]+ failed' "$out/swift/test.log"
  phase "Swift: the quickstart as its own package, depending on PivotalCore by path"
  qs=$out/swift/quickstart-build
  if sw env PIVOTAL_CORE_PACKAGE="$pkg" swift build --package-path "$root/bindings-uniffi/examples/swift" \
    --scratch-path "$qs" >"$out/swift/quickstart-build.log" 2>&1; then
    quickstart swift-quickstart "$out/swift/demo" sw "$qs/debug/Quickstart"
  else
    tail -n 30 "$out/swift/quickstart-build.log"
    echo "swift-quickstart: 0 passed, 1 failed (swift build failed)"
    results+=("swift-quickstart 0 1")
    failed_any=1
  fi
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
