#!/usr/bin/env bash
# Customer satisfaction campaign benchmark (bench_satisfaction.py) on a fresh database.
#   bash bench/run_satisfaction.sh [--customers 20000] [--keep-db] [--skip-install]
exec bash "$(dirname "${BASH_SOURCE[0]}")/_run.sh" bench_satisfaction.py kam_bench_sat "$@"
