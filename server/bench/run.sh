#!/usr/bin/env bash
# make bench-http: `pivotal serve` against the hand-written baseline (server/examples/http_baseline.rs)
# with wrk on loopback, authentication on: GET /api/v1/onboardings/{id} and POST /api/v1/onboardings
# at 1, 16 and 64 connections, requests per second and p99 latency (BENCHMARKS.md), on a SQLite file
# and on PostgreSQL (a throwaway server, tests/postgres/cluster.sh). The baseline runs the same
# queries as the store by hand; the one-row baseline (`--one-row`) is the floor of any handler, one
# statement per request. Release builds; installs Debian's wrk (and PostgreSQL) when missing.
# BENCH_SECONDS sets each run's length (default 10).
#
#   bash server/bench/run.sh            # both tables
#   bash server/bench/run.sh sqlite     # one of them (postgres needs PIVOTAL_TEST_POSTGRES_URL,
#   bash tests/postgres/cluster.sh bash server/bench/run.sh postgres   # which cluster.sh sets)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/toolchain/lib.sh
source "$ROOT/tests/toolchain/lib.sh"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SECONDS_EACH="${BENCH_SECONDS:-10}"
stores=("$@")
[[ ${#stores[@]} -gt 0 ]] || stores=(sqlite postgres)
apt_ensure wrk wrk

if [[ -z "${BENCH_HTTP_BUILT:-}" ]]; then
  echo "bench-http: building pivotal and the baseline (release)" >&2
  (cd "$ROOT" && cargo build --quiet --release -p pivotal-cli && cargo build --quiet --release -p pivotal-server --example http_baseline)
fi
PIVOTAL="$TARGET/release/pivotal"
BASELINE="$TARGET/release/examples/http_baseline"

dir="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT

url_of() { for _ in $(seq 100); do grep -q '^listening on ' "$1" && break; sleep 0.1; done; sed -n 's/^listening on //p' "$1"; }

# One wrk run; prints "requests/s p99".
run() {
  local script=$1 url=$2 connections=$3 threads=$(( $3 < 2 ? 1 : 2 )) out
  out="$(wrk -t"$threads" -c"$connections" -d"${SECONDS_EACH}s" --latency -s "$script" "$url")"
  if grep -q 'Non-2xx' <<<"$out"; then echo "non-2xx answers: $out" >&2; exit 1; fi
  printf '%s %s\n' "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")"
}

# The table of one store: `pivotal serve --db PIVOTAL_DB` against `http_baseline BASELINE_DB`, the
# same-queries handler and the one-row one.
bench() {
  local store=$1 pivotal_db=$2 baseline_db=$3 secret pivotal_url baseline_url one_row_url onb base_onb
  # pivotal: a key, a customer and one onboarding to read.
  secret="$("$PIVOTAL" keys create bench --db "$pivotal_db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
  "$PIVOTAL" serve --db "$pivotal_db" --addr 127.0.0.1:0 --quiet > "$dir/$store-pivotal.out" &
  pids+=($!)
  pivotal_url="$(url_of "$dir/$store-pivotal.out")"
  local auth=(-H "Authorization: Bearer $secret" -H "Content-Type: application/json")
  curl -sf "${auth[@]}" -d '{"name":"Bench"}' "$pivotal_url/api/v1/customers" > /dev/null
  onb="$(curl -sf "${auth[@]}" -d '{"customer_id":"1"}' "$pivotal_url/api/v1/onboardings" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"

  # The baselines: each makes its own data (a workspace `baseline`, or a table of its own).
  "$BASELINE" "$baseline_db" 127.0.0.1:0 "$secret" > "$dir/$store-baseline.out" &
  pids+=($!)
  baseline_url="$(url_of "$dir/$store-baseline.out")"
  base_onb="$(sed -n 's/^onboarding //p' "$dir/$store-baseline.out")"
  "$BASELINE" "$baseline_db" 127.0.0.1:0 "$secret" --one-row > "$dir/$store-one-row.out" &
  pids+=($!)
  one_row_url="$(url_of "$dir/$store-one-row.out")"
  # The baseline answers the onboarding pivotal answers: the same fields, in the same order.
  python3 - "$(curl -sf "${auth[@]}" "$pivotal_url/api/v1/onboardings/$onb")" \
    "$(curl -sf "${auth[@]}" "$baseline_url/api/v1/onboardings/$base_onb")" <<'PY'
import json, sys
ours, base = (json.loads(a) for a in sys.argv[1:])
if list(ours) != list(base):
    sys.exit(f"the baseline's onboarding is not pivotal's: {list(base)} != {list(ours)}")
PY

  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$secret" > "$dir/get.lua"
  cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"customer_id":"1"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $secret"
LUA

  printf '\n%s, %s UTC, load average before: %s\n\n' "$store" "$(date -u '+%F %H:%M')" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '| route | connections | pivotal serve req/s | p99 | baseline req/s | p99 | ratio | one-row req/s | ratio |\n|---|---|---|---|---|---|---|---|---|\n'
  local route p_url b_url o_url name c p_rps p_p99 b_rps b_p99 o_rps
  for route in get post; do
    if [[ $route == get ]]; then
      p_url="$pivotal_url/api/v1/onboardings/$onb"; b_url="$baseline_url/api/v1/onboardings/$base_onb"
      o_url="$one_row_url/api/v1/onboardings/onb_bench"
      name="GET /api/v1/onboardings/{id}"
    else
      p_url="$pivotal_url/api/v1/onboardings"; b_url="$baseline_url/api/v1/onboardings"
      o_url="$one_row_url/api/v1/onboardings"
      name="POST /api/v1/onboardings"
    fi
    for c in 1 16 64; do
      read -r p_rps p_p99 < <(run "$dir/$route.lua" "$p_url" "$c")
      read -r b_rps b_p99 < <(run "$dir/$route.lua" "$b_url" "$c")
      read -r o_rps _ < <(run "$dir/$route.lua" "$o_url" "$c")
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$c" "$p_rps" "$p_p99" "$b_rps" "$b_p99" \
        "$(ratio "$p_rps" "$b_rps")" "$o_rps" "$(ratio "$p_rps" "$o_rps")"
    done
  done
  printf '\nload average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}

ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }

for store in "${stores[@]}"; do
  case $store in
    sqlite) bench sqlite "$dir/pivotal.db" "$dir/baseline.db" ;;
    postgres)
      if [[ -n "${PIVOTAL_TEST_POSTGRES_URL:-}" ]]; then
        # One database: pivotal's data in the default workspace, the baselines' in their own
        # workspace and table.
        bench postgres "$PIVOTAL_TEST_POSTGRES_URL" "$PIVOTAL_TEST_POSTGRES_URL"
      else
        BENCH_HTTP_BUILT=1 bash "$ROOT/tests/postgres/cluster.sh" bash "$0" postgres
      fi
      ;;
    *) echo "usage: $0 [sqlite|postgres]…" >&2; exit 2 ;;
  esac
done
