#!/usr/bin/env bash
# Builds the uniffi library and writes its generated Kotlin and Swift bindings (not committed):
#   target/bindings/kotlin/app/pivotal/core/pivotal_uniffi.kt
#   target/bindings/swift/{PivotalCore.swift, PivotalCoreFFI.h, PivotalCoreFFI.modulemap}
# Library mode: the bindings are read from the built library itself, with bindings-uniffi/uniffi.toml.
# The in-repo generator (`uniffi-bindgen`, feature `cli`) is built here, never by a default build.
#
# Environment: CARGO (default cargo), CARGO_TARGET_DIR (default target),
#              PIVOTAL_BINDINGS_DIR (default $CARGO_TARGET_DIR/bindings),
#              PIVOTAL_PROFILE (debug, the default, or release: the library built and read).
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo=${CARGO:-cargo}
target=${CARGO_TARGET_DIR:-target}
out=${PIVOTAL_BINDINGS_DIR:-$target/bindings}
profile=${PIVOTAL_PROFILE:-debug}
case "$profile" in
  debug) release=() ;;
  release) release=(--release) ;;
  *) echo "generate.sh: PIVOTAL_PROFILE must be debug or release, not $profile" >&2; exit 2 ;;
esac
case "$(uname -s)" in
  Darwin) lib="$target/$profile/libpivotal_uniffi.dylib" ;;
  *) lib="$target/$profile/libpivotal_uniffi.so" ;;
esac

# The generator first (always a debug build): building it builds the library with the `cli` feature
# too. The library as shipped (default features) comes last, so it is the one left in $target/$profile.
"$cargo" build --quiet -p pivotal-uniffi --features cli --bin uniffi-bindgen
"$cargo" build --quiet "${release[@]}" -p pivotal-uniffi --lib

rm -rf "$out/kotlin" "$out/swift"
for language in kotlin swift; do
  "$target/debug/uniffi-bindgen" generate --no-format --metadata-no-deps \
    --library "$lib" --language "$language" --out-dir "$out/$language"
done
echo "generate.sh: bindings in $out/kotlin and $out/swift (library $lib)" >&2
