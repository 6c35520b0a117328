#!/usr/bin/env bash
# Prints the path of uniffi-bindgen-java (crates.io, MPL-2.0; generates Java over the Foreign Function
# & Memory API), installing it first when missing: `cargo install --locked` into
# $PIVOTAL_TOOLS/uniffi-bindgen-java/VERSION, once per machine, reused by every build and worktree
# afterwards. An unoptimized build without debug info: it compiles in half the time of a release
# build (2.5 against 6 min of CPU) and generates the same files (in a tenth of a second either way).
# Cargo's output goes to stderr.
#
# Environment: CARGO (default cargo), PIVOTAL_TOOLS (default ~/.cache/pivotal-tools).
set -euo pipefail
version=0.5.2
cargo=${CARGO:-cargo}
root=${PIVOTAL_TOOLS:-$HOME/.cache/pivotal-tools}/uniffi-bindgen-java/$version
bindgen=$root/bin/uniffi-bindgen-java
if [[ ! -x $bindgen ]] || ! "$bindgen" --version 2>/dev/null | grep -q "$version"; then
  echo "bindgen.sh: cargo install uniffi-bindgen-java $version into $root (once per machine)" >&2
  # Its own build directory, so a shared CARGO_TARGET_DIR is neither reused nor filled.
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  CARGO_TARGET_DIR=$scratch CARGO_PROFILE_DEV_DEBUG=0 \
    "$cargo" install --debug --locked --version "$version" --root "$root" uniffi-bindgen-java >&2
fi
echo "$bindgen"
