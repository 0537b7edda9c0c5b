#!/usr/bin/env bash
# The full fuzz run of issue 14: 1,000 hypothesis inputs per public/portal form and
# for the XLSX route, over real HTTP against a freshly started test server (the
# pytest system test tests/test_fuzz_forms.py with more examples; the suite runs 150).
#   bash scripts/fuzz_public.sh [examples per form, default 1000] [--random]
# Prints the figures (inputs, answers by status, saved cases, seconds); copy them into
# the README ("Tests that keep it closed").
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export KAM_FUZZ_EXAMPLES="${1:-1000}"
if [ "${2:-}" = "--random" ]; then export KAM_FUZZ_RANDOM=1; fi
start=$(date +%s)
rc=0
out=$(mktemp)
KAM_SKIP_ODOO=1 KAM_PYTEST_ARGS="-k test_fuzz" bash "$REPO/scripts/test.sh" 2>&1 | tee "$out" \
  || rc=$?
# the log folder of this run (another run may have moved .state/logs/latest since)
logdir=$(sed -nE 's/.*pytest system tests \(logs in (.*)\)$/\1/p' "$out" | tail -1)
rm -f "$out"
echo "---- fuzz figures ($KAM_FUZZ_EXAMPLES inputs per form, $(($(date +%s) - start)) s in all)"
cat "$logdir/fuzz-figures.txt" 2>/dev/null || echo "(no figures: see the log)"
exit $rc
