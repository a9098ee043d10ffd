#!/usr/bin/env bash
# Start a throw-away PostgreSQL (+PostGIS when installed) server on loopback for the tests
# and print its admin URL. Installs the Debian packages when they are missing (needs root).
# Usage: export SAHELWATCH_TEST_PG_URL=$(scripts/test-postgres.sh start)   ·   scripts/test-postgres.sh stop
set -euo pipefail
PORT=${SAHELWATCH_TEST_PG_PORT:-54329}
DIR=${SAHELWATCH_TEST_PG_DIR:-/tmp/sahelwatch-test-pg}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    BIN=$(find_bin)
    if [ -z "$BIN" ]; then
      if [ "$(id -u)" != 0 ]; then echo "PostgreSQL is not installed and we are not root" >&2; exit 1; fi
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgis >&2 \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      BIN=$(find_bin)
    fi
    if [ ! -f "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_pg "$BIN/initdb" -D "$DIR" -A trust -U postgres -E UTF8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
    fi
    echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    BIN=$(find_bin)
    [ -n "$BIN" ] && [ -f "$DIR/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$DIR" -m fast stop >&2 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
