#!/usr/bin/env bash
# The PostgreSQL suites (make pg-test), against the throwaway server that tests/postgres/cluster.sh
# starts around this script: the store conformance suite and the store's own tests, the shared
# scenarios, the concurrency test (processes writing while a tailer follows the change log), the
# SQLite/PostgreSQL agreement and isolation property tests, the short outage test, the CLI, and the
# benchmark in smoke mode.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${PIVOTAL_TEST_POSTGRES_URL:?run me through tests/postgres/cluster.sh}"
cargo=${CARGO:-cargo}
"$cargo" test -p pivotal-core --features postgres --lib store::postgres -- --include-ignored
"$cargo" test -p pivotal-core --features postgres --test postgres_concurrency --test postgres_outage \
  -- --include-ignored --nocapture
"$cargo" test -p pivotal-core --features postgres --test state_machine --test isolation \
  -- --include-ignored postgres
"$cargo" test -p pivotal-scenarios --features postgres --test scenarios postgres -- --include-ignored
"$cargo" test -p pivotal-cli --test cli postgres -- --include-ignored
# The benchmark on a few rows, so that it cannot rot (make bench-pg runs it in full).
"$cargo" test -p pivotal-core --features postgres --bench postgres
