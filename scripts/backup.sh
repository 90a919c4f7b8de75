#!/usr/bin/env bash
# Back up or restore the registry's database with PostgreSQL's own tools.
# Usage: scripts/backup.sh backup FILE    pg_dump in the custom format (compressed, restorable table by table)
#        scripts/backup.sh restore FILE   pg_restore into the database, replacing what is there, in one
#                                         transaction (a failed restore leaves the database as it was)
# The database is DATABASE_URL, else the project's own cluster (scripts/pg.sh url).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 backup|restore FILE" >&2; exit 2; }
[ $# -eq 2 ] || usage
ACTION=$1
FILE=$2
URL=${DATABASE_URL:-$(scripts/pg.sh url)}

# Tools of the server's major version (15) when installed side by side with others.
BIN=""
for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  [ -x "$dir/pg_dump" ] && { BIN="$dir/"; break; }
done

case "$ACTION" in
  backup)
    mkdir -p "$(dirname "$FILE")"
    # Dump next to the target and rename: a failed dump never replaces the previous good backup.
    "${BIN}pg_dump" --format=custom --compress=6 --file="$FILE.partial" --dbname="$URL"
    mv "$FILE.partial" "$FILE"
    echo "backed up to $FILE ($(du -h "$FILE" | cut -f1))"
    ;;
  restore)
    [ -f "$FILE" ] || { echo "no backup file at $FILE" >&2; exit 1; }
    "${BIN}pg_restore" --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
      --dbname="$URL" "$FILE"
    echo "restored from $FILE"
    ;;
  *) usage ;;
esac
