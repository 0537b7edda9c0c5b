#!/usr/bin/env bash
# Leadership benchmark (bench_leadership.py): ready indicators over 36 months, a
# management review snapshot and the KAM dashboard on 100,000 cases / 300,000 actions.
#   bash bench/run_leadership.sh [--cases 100000 --actions 300000] [--keep-db] [--skip-install]
#                                [--browser]   also open the dashboard in headless Chromium
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
DB="${KAM_BENCH_DB:-kam_bench_lead}"
BROWSER=0; KEEP=0; ARGS=()
for a in "$@"; do
  case "$a" in
    --browser) BROWSER=1 ;;
    --keep-db) KEEP=1 ;;
    *) ARGS+=("$a") ;;
  esac
done
if [ "$BROWSER" = 0 ]; then
  [ "$KEEP" = 1 ] && ARGS+=(--keep-db)
  exec bash "$HERE/_run.sh" bench_leadership.py "$DB" "${ARGS[@]}"
fi
bash "$HERE/_run.sh" bench_leadership.py "$DB" "${ARGS[@]}" --keep-db
PORT=$("$REPO/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bash "$REPO/scripts/kamctl.sh" odoo -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" \
  --http-interface=127.0.0.1 --workers=0 --max-cron-threads=0 --log-level=warn \
  > "/tmp/${DB}_server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$PORT/web/login" >/dev/null && break
  sleep 1
done
"$REPO/.venv/bin/python" "$HERE/bench_dashboard_browser.py" --url "http://127.0.0.1:$PORT" \
  --login bench_officer_0 --password bench_officer_0 --runs 5
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; trap - EXIT
[ "$KEEP" = 1 ] || bash "$REPO/scripts/kamctl.sh" drop-db "$DB"
