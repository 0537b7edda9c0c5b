#!/usr/bin/env bash
# Small entry points used by the test harness (tests/conftest.py) and by hand:
#   kamctl.sh odoo ARGS...          odoo-bin with the project's addons path, data dir and cluster
#   kamctl.sh copy-db SRC DST       copy a database and its filestore
#   kamctl.sh drop-db NAME          drop a database and its filestore
#   kamctl.sh deps                  the addon's dependency list (comma-separated)
#   kamctl.sh templates             ensure the template databases exist; prints "NODEMO DEMO"
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
  local deps h tpl tpld
  deps=$(addon_deps)
  h=$( { echo "$deps"; echo "$ODOO_HOME"; md5sum < "$ODOO_HOME/odoo/release.py"; } | md5sum | cut -c1-8)
  tpl="kam_tpl_$h"
  tpld="kam_tpld_$h"
  local name demo
  # sequential on purpose: parallel CREATE DATABASE calls collide on the template
  for name in "$tpl" "$tpld"; do
    db_exists "$name" && continue
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

cmd=${1:-}; shift || true
case "$cmd" in
  odoo) odoo_bin "$@" ;;
  copy-db) copy_db "$1" "$2" ;;
  drop-db) drop_db "$1" ;;
  deps) addon_deps ;;
  templates) ensure_templates ;;
  *) die "usage: kamctl.sh odoo|copy-db|drop-db|deps|templates ..." ;;
esac
