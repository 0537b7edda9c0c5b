#!/usr/bin/env bash
# Leadership benchmark (bench_leadership.py): ready indicators over 36 months, a
# management review snapshot and the KAM dashboard on 100,000 cases / 300,000 actions.
#   bash bench/run_leadership.sh [--cases 100000 --actions 300000] [--keep-db] [--skip-install]
exec bash "$(dirname "${BASH_SOURCE[0]}")/_run.sh" bench_leadership.py kam_bench_lead "$@"
