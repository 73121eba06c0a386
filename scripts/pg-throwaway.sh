#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for tests and benchmarks and prints its DATABASE_URL; `stop` stops it
# and removes its folder. Each server gets a free port (unless one is given) and a folder of its own, so two
# runs on one machine never share either.
# Usage: scripts/pg-throwaway.sh start [port]   |   scripts/pg-throwaway.sh stop <port | DATABASE_URL>
# Uses the machine's PostgreSQL server binaries (Debian: /usr/lib/postgresql/<version>/bin).
set -euo pipefail
cmd=${1:-start}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] && command -v pg_ctl >/dev/null; then bin=$(dirname "$(command -v pg_ctl)"); fi
[ -n "$bin" ] || { echo "no PostgreSQL server binaries found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

# A port nothing listens on now (the kernel picks it); node is here anyway.
free_port() {
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

dir_of() { echo "/tmp/tianping-pg-$1"; }

case "$cmd" in
  start)
    port=${2:-$(free_port)}
    dir=$(dir_of "$port")
    # A folder left by a run that was killed before its stop: nothing can be using it (the port was free).
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "'$bin/initdb' -D '$dir' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
    # Throwaway: durability traded for speed is fine here, but keep fsync on so benchmarks are honest.
    echo "max_connections = 50" >> "$dir/postgresql.conf"
    as_pg "'$bin/pg_ctl' -D '$dir' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1\" -l '$dir/log' -w start >/dev/null"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    arg=${2:?usage: $0 stop <port | DATABASE_URL>}
    port=$(echo "$arg" | sed -E 's#^.*:([0-9]+)/[^/]*$#\1#')
    dir=$(dir_of "$port")
    if [ -f "$dir/PG_VERSION" ]; then as_pg "'$bin/pg_ctl' -D '$dir' -m fast -w stop >/dev/null" || true; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start [port] | stop <port | DATABASE_URL>" >&2; exit 2 ;;
esac
