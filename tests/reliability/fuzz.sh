#!/usr/bin/env bash
# Coverage-guided fuzzing of pivotal-core with cargo-fuzz (libFuzzer): every target in fuzz/,
# each for SECONDS (default 60), starting from the committed seeds in fuzz/corpus/<target>.
#
#   tests/reliability/fuzz.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`; installed here when missing) and a C++ compiler.
# The toolchain is stable: RUSTC_BOOTSTRAP=1 lets it take the sanitizer flags cargo-fuzz passes.
# New inputs go to fuzz/work/<target> (ignored by git), never into the committed corpus; to grow
# the committed one, run `cargo fuzz cmin <target>` over both and copy a few back by hand.
# A crash leaves its input in fuzz/artifacts/<target>/ and makes this script exit non-zero;
# reproduce it with `RUSTC_BOOTSTRAP=1 cargo fuzz run <target> <file>` in fuzz/.
set -euo pipefail

seconds="${1:-60}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root/fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(wire_json refs_cursors idempotency_keys api_keys operations)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

start=$(date +%s)
cargo fuzz build
echo "fuzz: built in $(( $(date +%s) - start ))s"

failed=()
for target in "${targets[@]}"; do
  mkdir -p "work/$target" "artifacts/$target"
  echo "fuzz: $target for ${seconds}s"
  if ! cargo fuzz run "$target" "work/$target" "corpus/$target" -- \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      2> "work/$target.log"; then
    failed+=("$target")
    tail -n 40 "work/$target.log"
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "work/$target.log" | tail -n 3 || true
done

echo "fuzz: done in $(( $(date +%s) - start ))s"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: no crashes"
