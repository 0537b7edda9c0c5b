#!/usr/bin/env bash
# Benchmark of kam_management cases and actions (bench_cases.py) on a fresh database.
#   bash bench/run.sh [--cases 100000 --actions 300000] [--keep-db] [--skip-install]
exec bash "$(dirname "${BASH_SOURCE[0]}")/_run.sh" bench_cases.py kam_bench "$@"
