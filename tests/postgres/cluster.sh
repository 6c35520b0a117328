#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `bash tests/postgres/cluster.sh COMMAND [ARGS…]`
# installs Debian's PostgreSQL when its binaries are missing, starts a fresh cluster on a free
# loopback port in a directory under the cargo target directory (in /tmp when the server's user
# cannot reach that directory), runs COMMAND with
# PIVOTAL_TEST_POSTGRES_URL (and, for tests that kill and restart the server,
# PIVOTAL_TEST_POSTGRES_STOP and PIVOTAL_TEST_POSTGRES_START) in its environment, then stops the
# server and deletes the directory, also when COMMAND fails or the script is interrupted. Exits with COMMAND's status.
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user that the
# Debian package creates. The cluster trusts local connections (it listens on 127.0.0.1 only)
# and runs with fsync off: it holds nothing but test data.
#
# PIVOTAL_PG_DURABLE=1: fsync on instead, as a team's server runs (with the other defaults:
# synchronous_commit and full_page_writes on), for the benchmarks where commits wait for the disk.
# PIVOTAL_PG_TLS=1: TLS on (`ssl = on`), with a throwaway CA and server certificate (for
# localhost and 127.0.0.1) made with the openssl command; the database `pivotal_tls_only` accepts
# only TLS connections (pg_hba). The CA's certificate is PIVOTAL_TEST_POSTGRES_CA, another CA's
# that signed nothing PIVOTAL_TEST_POSTGRES_OTHER_CA.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/toolchain/lib.sh
source tests/toolchain/lib.sh

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS…]" >&2
  exit 2
fi

log() { echo "postgres: $*" >&2; }

# The newest installed server's binaries.
pg_bin() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]] && echo "$dir"
}

bin=$(pg_bin) || true
if [[ -z $bin ]]; then
  # Debian's server binaries live outside PATH; postgresql-common puts pg_ctlcluster on it.
  apt_ensure pg_ctlcluster postgresql
  bin=$(pg_bin) || { log "the postgresql package installed no server under /usr/lib/postgresql"; exit 1; }
fi

target=${CARGO_TARGET_DIR:-target}
mkdir -p "$target"
dir=$(mktemp -d "$(cd "$target" && pwd)/postgres.XXXXXX")
data=$dir/data

as_server_user=()
if [[ $EUID -eq 0 ]]; then
  as_server_user=(runuser -u postgres --)
  chown postgres: "$dir"
  if ! runuser -u postgres -- test -w "$dir"; then
    # A parent of the target directory is closed to other users (a checkout in a 0700 temporary
    # directory, say): the server's files go to a directory of their own in /tmp instead.
    rmdir "$dir"
    dir=$(mktemp -d /tmp/pivotal-postgres.XXXXXX)
    data=$dir/data
    chown postgres: "$dir"
    log "the postgres user cannot reach $target: the cluster lives in $dir"
  fi
fi
run_server() { "${as_server_user[@]}" "$@"; }

started=
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local status=$?
  # Stderr may be a pipe whose reader is gone (`… 2>&1 | head`): a failed write must not stop this.
  trap '' PIPE
  if [[ -n $started ]]; then
    run_server "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    log "stopped the server on port $port" || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

log "initdb in $data ($("$bin/postgres" --version))"
run_server "$bin/initdb" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync -D "$data" >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }

fsync=off
if [[ ${PIVOTAL_PG_DURABLE:-} == 1 ]]; then
  fsync=on
  log "durable: fsync on, synchronous_commit on"
fi

tls_settings=
if [[ ${PIVOTAL_PG_TLS:-} == 1 ]]; then
  apt_ensure openssl openssl
  tls=$dir/tls
  mkdir -p "$tls"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  for ca in ca other; do
    openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=pivotal test $ca" \
      -keyout "$tls/$ca.key" -out "$tls/$ca.crt" 2>/dev/null
  done
  openssl req "${ec[@]}" -subj /CN=localhost -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
  printf '%s\n' "subjectAltName = DNS:localhost, IP:127.0.0.1" "basicConstraints = CA:FALSE" \
    "keyUsage = digitalSignature" "extendedKeyUsage = serverAuth" >"$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
    -days 2 -extfile "$tls/server.ext" -out "$tls/server.crt" 2>/dev/null
  chmod 644 "$tls"/*.crt "$tls/server.key"
  # The server reads its key only when no one else can.
  run_server cp "$tls/server.crt" "$tls/server.key" "$data/"
  run_server chmod 600 "$data/server.key"
  { printf '%s\n' "hostssl pivotal_tls_only all 127.0.0.1/32 trust" \
      "hostnossl pivotal_tls_only all 127.0.0.1/32 reject"
    cat "$data/pg_hba.conf"; } >"$dir/pg_hba.conf"
  run_server cp "$dir/pg_hba.conf" "$data/pg_hba.conf"
  tls_settings="ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'"
  export PIVOTAL_TEST_POSTGRES_CA=$tls/ca.crt PIVOTAL_TEST_POSTGRES_OTHER_CA=$tls/other.crt
  log "TLS on; CA $PIVOTAL_TEST_POSTGRES_CA"
fi

# Another process may take the port between choosing and binding it: try a few.
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  # In the configuration file, so that a restart (tests/postgres_outage.rs) needs no options.
  cat >"$dir/settings.conf" <<CONF
port = $port
unix_socket_directories = '$dir'
listen_addresses = '127.0.0.1'
fsync = $fsync
max_connections = 200
$tls_settings
CONF
  run_server cp "$dir/settings.conf" "$data/settings.conf"
  grep -q "^include_if_exists = 'settings.conf'" "$data/postgresql.conf" \
    || echo "include_if_exists = 'settings.conf'" | run_server tee -a "$data/postgresql.conf" >/dev/null
  if run_server "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 start >/dev/null; then
    started=1
    break
  fi
  log "could not start on port $port (attempt $attempt)"
  tail -n 5 "$dir/server.log" >&2 || true
done
[[ -n $started ]] || { log "the server did not start"; exit 1; }

export PIVOTAL_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
# For tests that kill and restart the server (tests/postgres_outage.rs): words separated by
# spaces, none of which contains one (the target directory's path must not).
export PIVOTAL_TEST_POSTGRES_STOP="${as_server_user[*]} $bin/pg_ctl -D $data -m immediate -w stop"
export PIVOTAL_TEST_POSTGRES_START="${as_server_user[*]} $bin/pg_ctl -D $data -l $dir/server.log -w -t 60 start"
log "PostgreSQL on $PIVOTAL_TEST_POSTGRES_URL"
set +e
"$@"
status=$?
set -e
exit "$status"
