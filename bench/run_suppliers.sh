#!/usr/bin/env bash
# Supplier evaluation benchmark (bench_suppliers.py) on a fresh database.
#   bash bench/run_suppliers.sh [--suppliers 1000 --lines 50000] [--keep-db] [--skip-install]
exec bash "$(dirname "${BASH_SOURCE[0]}")/_run.sh" bench_suppliers.py kam_bench_sup "$@"
