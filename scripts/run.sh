#!/usr/bin/env bash
# The README's run command: set-up (only what a run needs), then (once) a
# database "kam_demo" with kam_management and its Dutch demo company, then Odoo
# on http://localhost:8069. A second run reuses the database (and updates the
# addon in it). Stop it with Ctrl+C, and the private PostgreSQL with
# scripts/stop.sh (which also stops a server still running).
# Options (environment): KAM_DB (default kam_demo), KAM_PORT (default 8069),
# KAM_HTTP_INTERFACE (default 127.0.0.1), KAM_LOG_LEVEL (default info).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${KAM_DB:-kam_demo}"
PORT="${KAM_PORT:-8069}"
INTERFACE="${KAM_HTTP_INTERFACE:-127.0.0.1}"
HOST="localhost"
case "$INTERFACE" in 127.0.0.1|localhost|0.0.0.0|"") ;; *) HOST="$INTERFACE" ;; esac

run_setup run || die "set-up failed"
if ! db_exists "$DB"; then
  bash "$REPO/scripts/kamctl.sh" demo-db "$DB" || die "could not create the database $DB"
fi
# links, mails, the QR poster and the PDFs' styles use this address: the port of this run
bash "$REPO/scripts/kamctl.sh" base-url "$DB" "http://$HOST:$PORT" || die "could not set web.base.url"

cat <<MSG >&2

  KAM management is starting on  http://$HOST:$PORT   (database $DB)

  Demo logins (password = login):
    admin           administrator, KAM manager (password: admin)
    directeur       KAM manager   (Marieke van der Berg, directie)
    kamcoordinator  KAM officer   (Pieter Jansen, KAM-coördinator)
    medewerker      KAM user      (Sanne de Vries, productie)
    inkoper         purchaser, no KAM role (Ruud Bakker, inkoop)
    klant           portal user   (Erik Hoekstra, Bouwbedrijf Hoekstra B.V.)

  Stop with Ctrl+C; scripts/stop.sh stops the private PostgreSQL too.
MSG
mkdir -p "$RUNDIR"
echo $$ > "$RUNDIR/odoo-$DB.pid"
exec "$VENV/bin/python" "$ODOO_HOME/odoo-bin" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" \
  --http-port="$PORT" --http-interface="$INTERFACE" -u kam_management \
  --log-level="${KAM_LOG_LEVEL:-info}"
