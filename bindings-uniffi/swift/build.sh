#!/usr/bin/env bash
# Assembles the Swift package PivotalCore (bindings-uniffi/swift/Package.swift) in
# $CARGO_TARGET_DIR/swift/PivotalCore: the release library in lib/, the Swift bindings generated
# from it with the sequences of Sources/PivotalCore/, and the C header and module map in
# Sources/PivotalCoreFFI/. Files keep their times when unchanged, so SwiftPM rebuilds only what changed.
#
# Usage: bindings-uniffi/swift/build.sh [--tests] [--dist DIR]
#   --tests     also copy tests/swift into the package as its XCTest target PivotalCoreTests
#   --dist DIR  copy the package (without tests) to DIR/PivotalCore
# Prints the package directory on stdout. Environment: CARGO, CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."

tests=0
dist=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tests) tests=1 ;;
    --dist) dist=${2:?--dist needs a directory}; shift ;;
    *) echo "usage: $0 [--tests] [--dist DIR]" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "${CARGO_TARGET_DIR:-target}"
target=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
gen=$target/bindings/swift
pkg=$target/swift/PivotalCore

echo "swift build.sh: the release library and its Swift bindings (tests/uniffi/generate.sh)" >&2
PIVOTAL_PROFILE=release CARGO_TARGET_DIR=$target bash tests/uniffi/generate.sh

# Copies $1 to $2 unless $2 already has the same bytes (keeping its time, so no rebuild follows).
put() {
  mkdir -p "$(dirname "$2")"
  cmp -s "$1" "$2" || cp "$1" "$2"
}
rm -rf "$pkg/Tests"
put bindings-uniffi/swift/Package.swift "$pkg/Package.swift"
put bindings-uniffi/swift/Sources/PivotalCore/Sequences.swift "$pkg/Sources/PivotalCore/Sequences.swift"
put "$gen/PivotalCore.swift" "$pkg/Sources/PivotalCore/PivotalCore.swift"
put "$gen/PivotalCoreFFI.h" "$pkg/Sources/PivotalCoreFFI/PivotalCoreFFI.h"
put "$gen/PivotalCoreFFI.modulemap" "$pkg/Sources/PivotalCoreFFI/module.modulemap"
put "$target/release/libpivotal_uniffi.so" "$pkg/lib/libpivotal_uniffi.so"
if [[ $tests == 1 ]]; then
  for f in tests/swift/*.swift; do put "$f" "$pkg/Tests/PivotalCoreTests/$(basename "$f")"; done
fi
echo "swift build.sh: package in $pkg" >&2

if [[ -n $dist ]]; then
  rm -rf "$dist/PivotalCore"
  mkdir -p "$dist"
  cp -R "$pkg" "$dist/PivotalCore"
  rm -rf "$dist/PivotalCore/Tests"
  echo "swift build.sh: $dist/PivotalCore" >&2
fi
echo "$pkg"
