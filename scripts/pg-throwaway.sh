#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for tests and benchmarks and prints its DATABASE_URL.
# Usage: scripts/pg-throwaway.sh start [port]   |   scripts/pg-throwaway.sh stop [port]
# Uses the machine's PostgreSQL server binaries (Debian: /usr/lib/postgresql/<version>/bin).
set -euo pipefail
cmd=${1:-start}
port=${2:-${PGPORT_THROWAWAY:-54329}}
dir=/tmp/tianping-pg-$port
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] && command -v pg_ctl >/dev/null; then bin=$(dirname "$(command -v pg_ctl)"); fi
[ -n "$bin" ] || { echo "no PostgreSQL server binaries found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "$cmd" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      rm -rf "$dir"; mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres "$dir"
      as_pg "'$bin/initdb' -D '$dir' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
      # Throwaway: durability traded for speed is fine here, but keep fsync on so benchmarks are honest.
      echo "max_connections = 50" >> "$dir/postgresql.conf"
    fi
    as_pg "'$bin/pg_ctl' -D '$dir' -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1\" -l '$dir/log' -w start >/dev/null"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir" ] && as_pg "'$bin/pg_ctl' -D '$dir' -m fast -w stop >/dev/null" || true
    ;;
  *) echo "usage: $0 start|stop [port]" >&2; exit 2 ;;
esac
