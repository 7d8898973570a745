#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: Debian's binaries (installed with apt-get when missing), a
# cluster in a temp folder owned by the `postgres` user (initdb refuses root), listening on 127.0.0.1 at a free
# port, trust authentication (nothing but this machine can reach it).
#
# Usage: scripts/ci/postgres.sh start <folder>   creates and starts the cluster in <folder> (made if missing);
#                                                 prints the URL and writes it to <folder>/url
#        scripts/ci/postgres.sh stop <folder>    stops it and removes <folder>
#        scripts/ci/postgres.sh run -- CMD...    start, run CMD with CYBERBRIEF_TEST_DATABASE_URL and
#                                                 CYBERBRIEF_REQUIRE_PG=1 set, stop; exits with CMD's status
# Environment: CB_PG_BIN  the folder of initdb/pg_ctl (default /usr/lib/postgresql/15/bin)
set -euo pipefail

bin="${CB_PG_BIN:-/usr/lib/postgresql/15/bin}"

say() { echo "postgres.sh: $*" >&2; }

install_pg() {
  [[ -x "$bin/initdb" ]] && return
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    say "no PostgreSQL in $bin, and apt-get cannot install it here (needs root and Debian)"
    exit 1
  fi
  say "installing postgresql-15 with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s = require("node:net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

start() {
  local dir="$1" port url
  install_pg
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; say "initdb failed"; exit 1; }
  port="$(free_port)"
  # fsync off: a throwaway cluster; max_connections: test files run in parallel, each with its own pool.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off \
     -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null ||
    { cat "$dir/server.log" >&2; say "the server did not start"; exit 1; }
  url="postgres://postgres@127.0.0.1:$port/postgres"
  echo "$url" >"$dir/url"
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening at $url (data in $dir)"
  echo "$url"
}

stop() {
  local dir="$1"
  if [[ -d "$dir/data" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
start) start "${2:?usage: postgres.sh start <folder>}" ;;
stop) stop "${2:?usage: postgres.sh stop <folder>}" ;;
run)
  shift
  [[ "${1:-}" == "--" ]] && shift
  [[ $# -gt 0 ]] || { say "usage: postgres.sh run -- CMD..."; exit 2; }
  dir="$(mktemp -d "${TMPDIR:-/tmp}/cyberbrief-pg.XXXXXX")"
  chmod 755 "$dir"
  trap 'stop "$dir"' EXIT
  CYBERBRIEF_TEST_DATABASE_URL="$(start "$dir")"
  export CYBERBRIEF_TEST_DATABASE_URL CYBERBRIEF_REQUIRE_PG=1
  status=0
  "$@" || status=$?
  exit "$status"
  ;;
*)
  say "usage: postgres.sh start <folder> | stop <folder> | run -- CMD..."
  exit 2
  ;;
esac
