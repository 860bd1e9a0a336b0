#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster for the corpus tests and print its URL on stdout.
#
#   export PRESSLENS_TEST_PG="$(.ci/postgres.sh)"     # install if needed, start, print URL
#   .ci/postgres.sh stop                              # stop the cluster again
#
# Debian's `postgresql` package is installed with apt-get when its binaries are missing. The
# cluster runs as a non-root user (the `postgres` system user when we are root, else the
# caller), listens on 127.0.0.1 only, trusts local connections (it is a test cluster holding
# nothing) and lives under $PRESSLENS_PG_DIR. Everything but the URL goes to stderr, so the
# script can be used in $(...). Running it twice is fine: a running cluster is reused.
set -euo pipefail

PGDIR="${PRESSLENS_PG_DIR:-/tmp/presslens-pg}"
PORT="${PRESSLENS_PG_PORT:-55432}"
DB="${PRESSLENS_PG_DB:-presslens_test}"
ROLE="presslens"

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BINDIR="$(find_bindir || true)"
if [[ -z "$BINDIR" || ! -x "$BINDIR/initdb" ]]; then
    log "installing Debian's postgresql"
    SUDO=""
    [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
    BINDIR="$(find_bindir)"
fi

# initdb and postgres refuse to run as root: use the postgres system user when we are root.
if [[ "$(id -u)" -eq 0 ]]; then
    RUNAS_USER="postgres"
    id "$RUNAS_USER" >/dev/null 2>&1 || useradd --system --home-dir "$PGDIR" "$RUNAS_USER"
    as_user() { runuser -u "$RUNAS_USER" -- "$@"; }
else
    as_user() { "$@"; }
fi

if [[ "${1:-start}" == "stop" ]]; then
    if [[ -f "$PGDIR/data/PG_VERSION" ]]; then
        as_user "$BINDIR/pg_ctl" -D "$PGDIR/data" -m fast stop >&2 || true
    fi
    exit 0
fi

mkdir -p "$PGDIR"
[[ "$(id -u)" -eq 0 ]] && chown "$RUNAS_USER" "$PGDIR"

if [[ ! -f "$PGDIR/data/PG_VERSION" ]]; then
    log "initdb in $PGDIR/data"
    as_user "$BINDIR/initdb" -D "$PGDIR/data" -U "$ROLE" -A trust -E UTF8 --locale=C.UTF-8 >&2 \
        || as_user "$BINDIR/initdb" -D "$PGDIR/data" -U "$ROLE" -A trust -E UTF8 --locale=C >&2
fi

if ! as_user "$BINDIR/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
    log "starting on 127.0.0.1:$PORT"
    as_user "$BINDIR/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off" start >&2
fi

if ! as_user "$BINDIR/psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    as_user "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U "$ROLE" "$DB" >&2
fi

echo "postgresql+psycopg://$ROLE@127.0.0.1:$PORT/$DB"
