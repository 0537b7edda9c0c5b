#!/usr/bin/env bash
# Optional: kam_management vs OCA mgmtsystem_nonconformity/mgmtsystem_action (19.0).
# The OCA wheels go to /tmp/oca_addons (never into the project venv), with a separate
# odoo config in /tmp whose addons_path is extended; one database kam_bench_oca holds both.
#   bash bench/run_oca.sh [--normal 500 --bulk 20000] [--keep-db]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
KAMCTL="$REPO/scripts/kamctl.sh"
DB="${KAM_BENCH_OCA_DB:-kam_bench_oca}"
OCA="${OCA_TARGET:-/tmp/oca_addons}"
# per checkout: several worktrees (each with its own cluster) may run this at once
CONF="/tmp/kam_bench_oca_$(echo "$REPO" | md5sum | cut -c1-8).conf"
KEEP=0; ARGS=()
for a in "$@"; do
  case "$a" in --keep-db) KEEP=1 ;; *) ARGS+=("$a") ;; esac
done
if [ ! -d "$OCA/odoo/addons/mgmtsystem_nonconformity" ]; then
  mkdir -p "$OCA/wheels"
  "$REPO/.venv/bin/pip" download --no-deps --quiet -d "$OCA/wheels" \
    'odoo-addon-mgmtsystem-nonconformity==19.0.*' 'odoo-addon-mgmtsystem-action==19.0.*' \
    'odoo-addon-mgmtsystem==19.0.*' 'odoo-addon-document-page-procedure==19.0.*' \
    'odoo-addon-document-page==19.0.*' 'odoo-addon-document-knowledge==19.0.*' 2>&1 \
    | grep -v 'is ignored' >&2 || true
  for w in "$OCA"/wheels/*.whl; do
    "$REPO/.venv/bin/python" -m zipfile -e "$w" "$OCA"
  done
fi
sed "s#^addons_path = \(.*\)#addons_path = \1,$OCA/odoo/addons#" "$REPO/.state/odoo.conf" > "$CONF"
read -r NODEMO _DEMO < <(bash "$KAMCTL" templates)
bash "$KAMCTL" copy-db "$NODEMO" "$DB"
echo "[bench] installing kam_management and mgmtsystem_nonconformity into $DB" >&2
"$REPO/.venv/bin/python" "${ODOO_HOME:-$HOME/.cache/kam_management/odoo-19.0}/odoo-bin" -c "$CONF" \
  -d "$DB" -i kam_management,mgmtsystem_nonconformity --stop-after-init --no-http \
  --log-level=warn > "${CONF%.conf}_install.log" 2>&1 \
  || { tail -30 "${CONF%.conf}_install.log" >&2; exit 1; }
rc=0
"$REPO/.venv/bin/python" "$HERE/bench_oca.py" --db "$DB" --config "$CONF" "${ARGS[@]}" || rc=$?
[ "$KEEP" = 0 ] && bash "$KAMCTL" drop-db "$DB"
exit $rc
