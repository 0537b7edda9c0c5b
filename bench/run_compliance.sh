#!/usr/bin/env bash
# Compliance monitor and transition benchmark (bench_compliance.py) on a fresh database.
#   bash bench/run_compliance.sh [--cases 100000 --documents 10000 --hazards 10000] [--keep-db] [--skip-install]
exec bash "$(dirname "${BASH_SOURCE[0]}")/_run.sh" bench_compliance.py kam_bench_cmp "$@"
