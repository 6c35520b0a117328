#!/usr/bin/env bash
# The reliability suite of pivotal-core: crash trials (SIGKILL at random moments), concurrency
# across threads and processes, hostile files, migration snapshots. They are plain integration
# tests of the core crate, so `cargo test -p pivotal-core` runs them too; this script runs only
# them, with the knobs:
#
#   tests/reliability/run.sh            # the normal run: 200 + 30 kills, 3 s of concurrency
#   tests/reliability/run.sh --soak     # 10,000 + 1,000 kills, 10 minutes of concurrency
#
#   PIVOTAL_CRASH_TRIALS=N  PIVOTAL_CRASH_SEED=S              crash trials (1 in 4 with
#                                                             Durability::Full) and their seed
#   PIVOTAL_CRASH_FULL_TRIALS=N                               crash trials all with Durability::Full
#   PIVOTAL_CONCURRENCY_SECS=N  PIVOTAL_CONCURRENCY_SEED=S    concurrency run length and seed
#
# A failure prints the seed that repeats it (and, for a crash trial, where the files were kept).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [ "${1:-}" = "--soak" ]; then
  export PIVOTAL_CRASH_TRIALS="${PIVOTAL_CRASH_TRIALS:-10000}"
  export PIVOTAL_CRASH_FULL_TRIALS="${PIVOTAL_CRASH_FULL_TRIALS:-1000}"
  export PIVOTAL_CONCURRENCY_SECS="${PIVOTAL_CONCURRENCY_SECS:-600}"
fi

start=$(date +%s)
cargo test -p pivotal-core \
  --test crash --test concurrency --test hostile_files --test schema_snapshot \
  -- --nocapture 2>&1 | grep -vE '^test crash_child|^test concurrency_child|^$'
echo "reliability: done in $(( $(date +%s) - start ))s"
