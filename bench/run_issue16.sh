#!/usr/bin/env bash
# The whole table of issue 16 with one command: kam_management's bench (run.sh: creates,
# intake, bulk, reads at two sizes, overdue cron, XLSX, reads at the large size) and the
# side-by-side comparison with OCA's mgmtsystem_nonconformity / mgmtsystem_action 19.0
# (run_oca.sh: both in one database, the OCA wheels in /tmp only), then ONE table
# (issue16_table.py): measure | kam | OCA | plain SQL | target | met?
#   bash bench/run_issue16.sh [--size small|full] [--out DIR]
#   small: about 10 minutes on 2 idle cores (reads at 10k / 50k / 200k cases)
#   full:  about 10 minutes measured (reads at 10k / 100k / 1,000,000 cases; XLSX of the registers it made)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SIZE=small
OUT="${TMPDIR:-/tmp}/kam_issue16"
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "usage: run_issue16.sh [--size small|full] [--out DIR]" >&2; exit 2 ;;
  esac
done
case "$SIZE" in
  small)
    KAM=(--normal 200 --import-complaints 1000 --cases 10000 --actions 30000
         --overdue 10000 --read-sizes 10000,50000 --million 200000)
    OCA=(--normal 200 --bulk 5000 --read-sizes 10000,50000) ;;
  full)
    KAM=(--normal 2000 --import-complaints 10000 --cases 10000 --actions 60000
         --overdue 10000 --read-sizes 10000,100000 --million 1000000 --runs 9)
    OCA=(--normal 500 --bulk 5000 --read-sizes 10000,100000 --runs 9) ;;
  *) echo "--size small|full" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
# the project's cluster must run (the test runner starts it; so does this)
bash "$REPO/scripts/kamctl.sh" setup test > "$OUT/setup.log" 2>&1 < /dev/null
echo "[issue16] $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg); kam bench ($SIZE)" >&2
bash "$HERE/run.sh" "${KAM[@]}" --json "$OUT/kam.json" > "$OUT/kam.log" 2>&1 \
  || { tail -30 "$OUT/kam.log" >&2; exit 1; }
echo "[issue16] $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg); OCA side by side" >&2
bash "$HERE/run_oca.sh" "${OCA[@]}" --json "$OUT/oca.json" > "$OUT/oca.log" 2>&1 \
  || { tail -30 "$OUT/oca.log" >&2; exit 1; }
"$REPO/.venv/bin/python" "$HERE/issue16_table.py" --size "$SIZE" --kam "$OUT/kam.json" \
  --oca "$OUT/oca.json" --log "$OUT/kam.log" --log "$OUT/oca.log" | tee "$OUT/table.md"
echo "[issue16] logs and table in $OUT" >&2
