#!/usr/bin/env bash
# The README's run command: set-up, then (once) a database "kam_demo" with
# kam_management and its Dutch demo company, then Odoo on http://localhost:8069.
# A second run reuses the database (and updates the addon in it).
# Options (environment): KAM_DB (default kam_demo), KAM_PORT (default 8069),
# KAM_LANG=nl_NL to also load Dutch and make it the admin's language.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${KAM_DB:-kam_demo}"
PORT="${KAM_PORT:-8069}"

bash "$REPO/scripts/setup.sh" 2> >(grep -v "Location 'file:" >&2)
if ! db_exists "$DB"; then
  read -r _ TPLD < <(bash "$REPO/scripts/kamctl.sh" templates)
  log "Creating database $DB with kam_management and demo data (once)"
  copy_db "$TPLD" "$DB"
  odoo_bin -d "$DB" -i kam_management --stop-after-init --no-http --log-level=warn \
    || die "could not install kam_management into $DB"
  # Dutch first: load Dutch and give it to the Dutch demo users (admin stays English)
  odoo_bin i18n loadlang -d "$DB" -l nl_NL >/dev/null 2>&1 || die "could not load Dutch into $DB"
  psql_admin -d "$DB" -c "UPDATE res_partner SET lang = 'nl_NL' WHERE id IN (SELECT partner_id
    FROM res_users WHERE login IN ('directeur', 'kamcoordinator', 'medewerker', 'inkoper', 'klant'))"
  # Dutch customers and suppliers get their letters and mails in Dutch
  psql_admin -d "$DB" -c "UPDATE res_partner SET lang = 'nl_NL' WHERE country_id =
    (SELECT id FROM res_country WHERE code = 'NL') AND id NOT IN
    (SELECT partner_id FROM res_users WHERE login = 'admin')"
fi

cat <<MSG

  KAM management is starting on  http://localhost:$PORT   (database $DB)

  Demo logins (password = login):
    admin           administrator, KAM manager (password: admin)
    directeur       KAM manager   (Marieke van der Berg, directie)
    kamcoordinator  KAM officer   (Pieter Jansen, KAM-coördinator)
    medewerker      KAM user      (Sanne de Vries, productie)
    inkoper         purchaser, no KAM role (Ruud Bakker, inkoop)
    klant           portal user   (Erik Hoekstra, Bouwbedrijf Hoekstra B.V.)

  Stop with Ctrl+C.
MSG
exec "$VENV/bin/python" "$ODOO_HOME/odoo-bin" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" \
  --http-port="$PORT" --http-interface="${KAM_HTTP_INTERFACE:-127.0.0.1}" -u kam_management \
  --log-level="${KAM_LOG_LEVEL:-info}"
