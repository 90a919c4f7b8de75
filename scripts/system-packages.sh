#!/usr/bin/env bash
# Debian packages the project needs beyond Python: PostgreSQL (server, for the local cluster) and
# Chromium (browser tests), wrk (make bench). Installs only what is missing.
set -euo pipefail
want=()
[ -n "${DATABASE_URL:-}" ] || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || want+=(postgresql postgresql-contrib)
for flag in "$@"; do
  case "$flag" in
    --with-browser) [ -x /usr/bin/chromium ] || want+=(chromium fonts-dejavu-core) ;;
    --with-bench) command -v wrk >/dev/null || want+=(wrk) ;;  # the load generator of make bench
  esac
done
[ ${#want[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing Debian packages: ${want[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${want[@]}" >/dev/null
