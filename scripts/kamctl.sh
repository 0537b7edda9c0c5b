#!/usr/bin/env bash
# Small entry points used by the test harness (tests/conftest.py) and by hand:
#   kamctl.sh odoo ARGS...          odoo-bin with the project's addons path, data dir and cluster
#   kamctl.sh copy-db SRC DST       copy a database and its filestore
#   kamctl.sh drop-db NAME          drop a database and its filestore
#   kamctl.sh deps                  the addon's dependency list (comma-separated)
#   kamctl.sh templates [demo]      ensure the template databases exist (demo: only the one
#                                   with demo data); prints "NODEMO DEMO"
#   kamctl.sh demo-db NAME          create database NAME as scripts/run.sh does: the addon,
#                                   its Dutch demo company, Dutch loaded
#   kamctl.sh base-url DB URL       the address Odoo gives its own pages (web.base.url)
#   kamctl.sh setup [run|test]      the set-up (scripts/setup.sh), progress as it goes
#   kamctl.sh where                 where the private PostgreSQL cluster lives
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

addon_deps() {
  "$VENV/bin/python" - "$REPO/kam_management/__manifest__.py" <<'PY'
import ast, sys
manifest = ast.literal_eval(open(sys.argv[1]).read())
print(",".join(sorted(manifest["depends"])))
PY
}

# template databases with the dependencies installed (one without, one with demo
# data); named after a hash of the dependency list and the Odoo tree, so they are
# rebuilt only when either changes
ensure_templates() {
  local only=${1:-}
  local deps h tpl tpld
  deps=$(addon_deps)
  h=$( { echo "$deps"; echo "$ODOO_HOME"; md5sum < "$ODOO_HOME/odoo/release.py"; } | md5sum | cut -c1-8)
  tpl="kam_tpl_$h"
  tpld="kam_tpld_$h"
  local name demo
  # sequential on purpose: parallel CREATE DATABASE calls collide on the template
  for name in "$tpl" "$tpld"; do
    db_exists "$name" && continue
    # scripts/run.sh needs only the template with demo data
    [ "$only" = demo ] && [ "$name" = "$tpl" ] && continue
    demo=""
    [ "$name" = "$tpld" ] && demo="--with-demo"
    (
      drop_db "${name}_build"
      log "Building template database $name (dependencies: $deps; once)"
      odoo_bin -d "${name}_build" --db-filter="^${name}_build\$" -i "$deps" $demo \
        --http-interface=127.0.0.1 --no-http --stop-after-init --log-level=warn \
        > "$LOGDIR/$name.log" 2>&1 || { log "template build failed, see $LOGDIR/$name.log"; exit 1; }
      psql_admin -c "ALTER DATABASE \"${name}_build\" RENAME TO \"$name\""
      if [ -d "$ODOO_DATA/filestore/${name}_build" ]; then
        rm -rf "$ODOO_DATA/filestore/$name"
        mv "$ODOO_DATA/filestore/${name}_build" "$ODOO_DATA/filestore/$name"
      fi
    ) || die "could not build the template database $name"
  done
  echo "$tpl $tpld"
}

# web.base.url: what Odoo puts in links, mails and the QR poster, and where
# wkhtmltopdf fetches the styles of the PDFs. Odoo only learns it when the
# administrator logs in; a server on another port needs it at once.
set_base_url() {
  local db=$1 url=$2
  psql_admin -d "$db" -c "INSERT INTO ir_config_parameter (key, value, create_uid, write_uid,
      create_date, write_date) VALUES ('web.base.url', '$url', 1, 1, now(), now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = now()" >/dev/null
}

# a database as scripts/run.sh creates it: the addon with its demo data, Dutch loaded
# (the demo data makes Dutch the language of the demo company and its people),
# EUR for the Dutch demo companies
create_demo_db() {
  local db=$1 tpld
  read -r _ tpld < <(ensure_templates demo)
  log "Creating database $db with kam_management and demo data (once)"
  copy_db "$tpld" "$db"
  # Dutch first: the demo is written in the Dutch company's language (Odoo's
  # own notes too, e.g. "done" on an activity), and the addon's terms load
  # with its install
  log "Loading Dutch into $db"
  odoo_bin i18n loadlang -d "$db" -l nl_NL >/dev/null 2>&1 || die "could not load Dutch into $db"
  odoo_bin -d "$db" --db-filter="^$db\$" -i kam_management --stop-after-init --no-http \
    --log-level="${KAM_INSTALL_LOG_LEVEL:-warn}" || die "could not install kam_management into $db"
  demo_currency_eur "$db"
}

# Odoo's own demo data books journal items in USD for the main company before our
# demo turns it into a Dutch company; the accounting module then refuses a new
# currency through the ORM. The demo's own documents (price lists, sale and
# purchase orders of the Dutch companies) switch to EUR here; Odoo's US demo
# invoices keep their currency.
demo_currency_eur() {
  local db=$1
  psql_admin -d "$db" <<'SQL' >/dev/null
UPDATE res_currency SET active = true WHERE name = 'EUR';
CREATE TEMP TABLE kam_nl AS
  SELECT c.id FROM res_company c JOIN res_partner p ON p.id = c.partner_id
  JOIN res_country k ON k.id = p.country_id WHERE k.code = 'NL';
UPDATE res_company SET currency_id = (SELECT id FROM res_currency WHERE name = 'EUR')
  WHERE id IN (SELECT id FROM kam_nl);
UPDATE product_pricelist SET currency_id = (SELECT id FROM res_currency WHERE name = 'EUR')
  WHERE company_id IN (SELECT id FROM kam_nl) OR company_id IS NULL;
UPDATE sale_order SET currency_id = (SELECT id FROM res_currency WHERE name = 'EUR')
  WHERE company_id IN (SELECT id FROM kam_nl);
UPDATE sale_order_line SET currency_id = (SELECT id FROM res_currency WHERE name = 'EUR')
  WHERE company_id IN (SELECT id FROM kam_nl);
UPDATE purchase_order SET currency_id = (SELECT id FROM res_currency WHERE name = 'EUR')
  WHERE company_id IN (SELECT id FROM kam_nl);
SQL
}

cmd=${1:-}; shift || true
case "$cmd" in
  odoo) odoo_bin "$@" ;;
  copy-db) copy_db "$1" "$2" ;;
  drop-db) drop_db "$1" ;;
  deps) addon_deps ;;
  templates) ensure_templates "${1:-}" ;;
  demo-db) create_demo_db "$1" ;;
  base-url) set_base_url "$1" "$2" ;;
  setup) run_setup "${1:-test}" ;;
  where) echo "$PGROOT" ;;
  *) die "usage: kamctl.sh odoo|copy-db|drop-db|deps|templates|demo-db|base-url|setup|where ..." ;;
esac
