#!/usr/bin/env bash
# `make dist-crates`: the publishable crates, pivotal-core and pivotal-cli, into dist/ as .crate files.
# `cargo package` packs both and verifies them (it builds each from its .crate, the CLI against the
# packed core). Then, from the .crate files unpacked outside the workspace, as a user of crates.io
# gets them: every test of both crates compiles, and the core's fixture tests pass (the crate must
# carry the data its tests read). Last, pivotal-core without its default features (the system's
# SQLite instead of the bundled one) type-checks.
#
#   bash tests/dist/crates.sh                 # a clean work tree (as publishing needs)
#   bash tests/dist/crates.sh --allow-dirty   # uncommitted changes allowed (`make test`)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${PIVOTAL_DIST:-$ROOT/dist}"
CARGO="${CARGO:-cargo}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT"

step() { echo "==> dist-crates: $*" >&2; }

version=$("$CARGO" pkgid -p pivotal-core)
version=${version##*@}
# `cargo package` verifies each crate against a temporary local registry and unpacks the packed
# crates into $CARGO_HOME/registry/src/-<hash of that registry's path>/, where cargo never unpacks a
# name-version twice: a copy left by an earlier run of the same version (a machine that kept its
# cargo home, the same checkout path) would be built instead of the crate just packed. Local
# registries are the directories whose name starts with "-" (a file URL has no host).
unpacked_by_cargo="${CARGO_HOME:-$HOME/.cargo}/registry/src"
for stale in "$unpacked_by_cargo"/-*/pivotal-{core,server,cli}-"$version"; do
  if [ -e "$stale" ]; then
    step "removing $stale (unpacked by an earlier cargo package)"
    rm -rf "$stale"
  fi
done
step "cargo package -p pivotal-core -p pivotal-server -p pivotal-cli${*:+ $*} (with verification)"
"$CARGO" package -p pivotal-core -p pivotal-server -p pivotal-cli "$@"
mkdir -p "$OUT"
printf '*\n' > "$OUT/.gitignore"
for crate in pivotal-core pivotal-server pivotal-cli; do
  cp "$CARGO_TARGET_DIR/package/$crate-$version.crate" "$OUT/"
done

unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
for crate in pivotal-core pivotal-server pivotal-cli; do
  tar -xzf "$OUT/$crate-$version.crate" -C "$unpacked"
done
# What cargo verified is what was packed: every unpacked copy equals its .crate (see the removal above).
for crate in pivotal-core pivotal-server pivotal-cli; do
  for copy in "$unpacked_by_cargo"/-*/"$crate-$version"; do
    [ -e "$copy" ] || continue
    diff -rq --exclude=.cargo-ok "$unpacked/$crate-$version" "$copy" >&2 \
      || { echo "dist-crates: $copy, which cargo package verified, differs from $crate-$version.crate" >&2; exit 1; }
  done
done
core="$unpacked/pivotal-core-$version"
step "the packaged pivotal-core: its tests compile, its fixture tests pass"
"$CARGO" test --manifest-path "$core/Cargo.toml" --tests --no-run
"$CARGO" test --manifest-path "$core/Cargo.toml" --lib the_fixture_round_trips
"$CARGO" test --manifest-path "$core/Cargo.toml" --test import_export fixture
step "the packaged pivotal-cli (against the packaged core and server): its tests compile"
"$CARGO" test --manifest-path "$unpacked/pivotal-cli-$version/Cargo.toml" --tests --no-run \
  --config "patch.crates-io.pivotal-core.path=\"$core\"" \
  --config "patch.crates-io.pivotal-server.path=\"$unpacked/pivotal-server-$version\""

step "pivotal-core --no-default-features (the system's SQLite) type-checks"
"$CARGO" check -p pivotal-core --no-default-features

ls "$OUT"/pivotal-core-"$version".crate "$OUT"/pivotal-server-"$version".crate "$OUT"/pivotal-cli-"$version".crate >&2
echo "dist-crates: pivotal-core, pivotal-server and pivotal-cli $version packaged, verified and tested from their .crate files"
