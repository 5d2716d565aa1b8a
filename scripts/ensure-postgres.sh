#!/usr/bin/env bash
# Makes a local PostgreSQL available to the tests and prints the DATABASE_URL to use (on stdout,
# nothing else goes there):
#
#   export TEST_DATABASE_URL="$(bash scripts/ensure-postgres.sh)"
#
# Safe to run again and again: installs Debian's postgresql only when it is missing, creates its
# own cluster (so it never touches the default one) only once, starts it only when it is down, and
# creates the test role and database only when absent. Runs unattended as root, as in CI.
set -euo pipefail

# Below the kernel's range for outgoing connections and port-0 listeners (32768–60999 on Linux):
# a port in that range can be held for a moment by any client socket or test server on the machine,
# and the cluster then fails to start with "Address already in use".
PORT="${QUIZ_PG_PORT:-25432}"
CLUSTER="${QUIZ_PG_CLUSTER:-quiz}"
DB_USER=quiz
DB_PASSWORD=quiz
DB_NAME=quiz_test

log() { echo "ensure-postgres: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "run this as root: it may install packages and starts the server as the postgres user"
  exit 1
fi

if ! command -v pg_createcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing PostgreSQL from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"

cluster_field() { pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" -v f="$1" '$1 == v && $2 == c { print $f }'; }

if [ -z "$(cluster_field 2)" ]; then
  log "creating cluster $VERSION/$CLUSTER on port $PORT"
  pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >&2
fi
if [ "$(cluster_field 4)" != online ]; then
  # A cluster made by an earlier version of this script may sit on another port; move it while down.
  if [ "$(cluster_field 3)" != "$PORT" ]; then
    log "moving cluster $VERSION/$CLUSTER to port $PORT"
    pg_conftool "$VERSION" "$CLUSTER" set port "$PORT"
  fi
  log "starting cluster $VERSION/$CLUSTER on port $PORT"
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi
# A running cluster keeps the port it has.
PORT="$(cluster_field 3)"

# Over the local socket as the postgres superuser (peer authentication); from / so psql never
# complains that it cannot read the caller's working directory.
admin_sql() { (cd / && runuser -u postgres -- psql --port "$PORT" --no-psqlrc -v ON_ERROR_STOP=1 -qtA -c "$1"); }

if [ -z "$(admin_sql "select 1 from pg_roles where rolname = '$DB_USER'")" ]; then
  log "creating role $DB_USER"
  # CREATEDB: each test file gets a fresh database of its own and drops it afterwards.
  admin_sql "create role $DB_USER login createdb password '$DB_PASSWORD'"
fi
if [ -z "$(admin_sql "select 1 from pg_database where datname = '$DB_NAME'")" ]; then
  log "creating database $DB_NAME"
  admin_sql "create database $DB_NAME owner $DB_USER"
fi

echo "postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"
