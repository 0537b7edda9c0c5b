# shellcheck shell=bash
# Shared settings for the project scripts; sourced, never run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$REPO/.state"
VENV="$REPO/.venv"
LINT_VENV="$REPO/.venv-lint"
ODOO_CACHE="$HOME/.cache/kam_management/odoo-19.0"
ODOO_HOME="${ODOO_HOME:-$ODOO_CACHE}"
is_root() { [ "$(id -u)" -eq 0 ]; }

# Where the private cluster lives: in the clone (.state/pg), unless the scripts
# run as root and the clone is where the postgres user cannot reach it (a clone
# under a private home folder, mode 0700): PostgreSQL runs as that user, so the
# cluster then lives in its home, one folder per clone.
REPO_KEY="$(printf '%s' "$REPO" | md5sum | cut -c1-10)"
pg_root() {
  if [ -f "$STATE/pg/data/PG_VERSION" ] || ! is_root || ! id postgres >/dev/null 2>&1; then
    echo "$STATE/pg"
  elif runuser -u postgres -- test -x "$REPO" 2>/dev/null; then
    echo "$STATE/pg"
  else
    echo "$(getent passwd postgres | cut -d: -f6)/kam_management/$REPO_KEY"
  fi
}
PGROOT="$(pg_root)"
PGDATA_DIR="$PGROOT/data"
# the cluster listens on a Unix socket only (no TCP), in a private directory
PGSOCK="$PGROOT/run"
if [ "${#PGSOCK}" -gt 80 ]; then
  PGSOCK="/tmp/kam-pg-$REPO_KEY"
fi
PGPORT_PRIVATE=5432
DB_USER=kam
ODOO_DATA="$STATE/odoo-data"
LOGDIR="$STATE/logs"
# OCA addons for the bridge addons (kam_management_helpdesk): installed from PyPI
# with pip --no-deps into this folder by setup.sh (requirements-oca.txt)
OCA_ADDONS="$STATE/oca/odoo/addons"
ADDONS_PATH="$ODOO_HOME/addons,$ODOO_HOME/odoo/addons,$REPO,$OCA_ADDONS"

log() { printf '[kam] %s\n' "$*" >&2; }
die() { printf '[kam] ERROR: %s\n' "$*" >&2; exit 1; }

# set-up (scripts/setup.sh MODE), its progress lines passed on as they come
# (a plain grep would hold them until set-up ends)
run_setup() {
  bash "$REPO/scripts/setup.sh" "$@" 2> >(grep --line-buffered -v "Location 'file:" >&2)
}

# run a PostgreSQL server binary as the cluster owner (postgres refuses root)
pg_as_owner() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local b
  for b in /usr/lib/postgresql/*/bin; do
    [ -x "$b/initdb" ] && { echo "$b"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

export PGOPTIONS="-c client_min_messages=warning"
psql_admin() { psql -h "$PGSOCK" -p "$PGPORT_PRIVATE" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

ODOO_CONF="$STATE/odoo.conf"

# the connection and paths every Odoo process of the project uses
write_odoo_conf() {
  mkdir -p "$STATE"
  cat > "$ODOO_CONF.tmp" <<CONF
[options]
addons_path = $ADDONS_PATH
data_dir = $ODOO_DATA
db_host = $PGSOCK
db_port = $PGPORT_PRIVATE
db_user = $DB_USER
http_interface = 127.0.0.1
CONF
  mv "$ODOO_CONF.tmp" "$ODOO_CONF"
}

# odoo-bin [SUBCOMMAND [SUBSUBCOMMAND]] ARGS... with the project's configuration
odoo_bin() {
  [ -f "$ODOO_CONF" ] || write_odoo_conf
  local sub=()
  case "${1:-}" in
    module|i18n) sub=("$1" "$2"); shift 2 ;;
    -*|"") ;;
    *) sub=("$1"); shift ;;
  esac
  "$VENV/bin/python" "$ODOO_HOME/odoo-bin" "${sub[@]}" -c "$ODOO_CONF" "$@"
}

# copy database $1 to $2 together with its filestore
copy_db() {
  local src=$1 dst=$2
  drop_db "$dst"
  psql_admin -c "CREATE DATABASE \"$dst\" TEMPLATE \"$src\""
  if [ -d "$ODOO_DATA/filestore/$src" ]; then
    mkdir -p "$ODOO_DATA/filestore"
    cp -a "$ODOO_DATA/filestore/$src" "$ODOO_DATA/filestore/$dst"
  fi
}

drop_db() {
  psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
  rm -rf "${ODOO_DATA:?}/filestore/$1"
}

pg_running() {
  local bin
  bin=$(pg_bin) || return 1
  [ -f "$PGDATA_DIR/PG_VERSION" ] && pg_as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

pg_stop() {
  local bin
  bin=$(pg_bin) || return 0
  [ -f "$PGDATA_DIR/PG_VERSION" ] || return 0
  pg_as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
}

# the Odoo servers scripts/run.sh started, one pid file per database
RUNDIR="$STATE/run"

db_exists() { [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$1'")" = "1" ]; }

# the log gate of odoo19-notes.md: any WARNING/ERROR/CRITICAL logger line fails
gate_log() {
  local logf=$1 what=$2
  if grep -aqE '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$logf"; then
    log "$what: WARNING/ERROR/CRITICAL lines in $logf:"
    grep -aE '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$logf" | head -20 >&2
    return 1
  fi
  if grep -aqE 'Chrome executable not found|websocket-client module is not installed' "$logf"; then
    log "$what: browser tests were skipped (see $logf)"
    return 1
  fi
  return 0
}
