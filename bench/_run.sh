#!/usr/bin/env bash
# Shared by the benchmark scripts: fresh database DB from the no-demo template,
# install the addon, run SCRIPT (prints a table), drop the database.
#   bash bench/_run.sh SCRIPT DB [script options] [--keep-db] [--skip-install]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
KAMCTL="$REPO/scripts/kamctl.sh"
SCRIPT="$1"; DB="${KAM_BENCH_DB:-$2}"; shift 2
KEEP=0; SKIP_INSTALL=0; ARGS=()
for a in "$@"; do
  case "$a" in
    --keep-db) KEEP=1 ;;
    --skip-install) SKIP_INSTALL=1 ;;
    *) ARGS+=("$a") ;;
  esac
done
if [ "$SKIP_INSTALL" = 0 ]; then
  read -r NODEMO _DEMO < <(bash "$KAMCTL" templates)
  bash "$KAMCTL" copy-db "$NODEMO" "$DB"
  echo "[bench] installing kam_management into $DB" >&2
  bash "$KAMCTL" odoo -d "$DB" -i kam_management --stop-after-init --no-http \
    --log-level=warn > "/tmp/${DB}_install.log" 2>&1 \
    || { tail -30 "/tmp/${DB}_install.log" >&2; exit 1; }
fi
rc=0
"$REPO/.venv/bin/python" "$HERE/$SCRIPT" --db "$DB" \
  --config "$REPO/.state/odoo.conf" "${ARGS[@]}" || rc=$?
if [ "$KEEP" = 0 ]; then
  bash "$KAMCTL" drop-db "$DB"
fi
exit $rc
