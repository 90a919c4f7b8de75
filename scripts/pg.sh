#!/usr/bin/env bash
# The project's own PostgreSQL cluster under var/pg, for development and tests.
# Usage: scripts/pg.sh start|stop|status|url
# Used only when DATABASE_URL is unset; installs Debian's postgresql when it is missing and runs the
# server as the postgres user when invoked as root (PostgreSQL refuses to run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PGPORT=${PGPORT_LOCAL:-54329}
DATA="$ROOT/var/pg/data"
RUN="$ROOT/var/pg/run"
LOG="$ROOT/var/pg/server.log"
DB=twinning

find_bindir() {
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

ensure_installed() {
  if ! find_bindir >/dev/null; then
    echo "PostgreSQL not found: installing Debian's postgresql package" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  fi
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  ensure_installed
  BIN=$(find_bindir)
  mkdir -p "$ROOT/var/pg" "$RUN"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$ROOT/var/pg" "$RUN"; chmod 755 "$ROOT/var" 2>/dev/null || true; fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$DATA" -U twinning --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$RUN'
fsync = on
max_connections = 200
shared_buffers = 256MB
wal_level = replica
max_wal_senders = 5
CONF
    echo "host replication twinning 127.0.0.1/32 trust" >> "$DATA/pg_hba.conf"
  fi
  if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
  fi
  if ! "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U twinning -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U twinning "$DB"
  fi
}

stop() {
  BIN=$(find_bindir) || exit 0
  if [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) BIN=$(find_bindir); as_owner "$BIN/pg_ctl" -D "$DATA" status ;;
  url) echo "postgresql://twinning@127.0.0.1:$PGPORT/$DB" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
