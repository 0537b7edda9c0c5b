#!/usr/bin/env bash
# Legal register benchmark (bench_requirements.py) on a fresh database.
#   bash bench/run_requirements.sh [--requirements 1000 --evaluations 5] [--keep-db] [--skip-install]
exec bash "$(dirname "${BASH_SOURCE[0]}")/_run.sh" bench_requirements.py kam_bench_req "$@"
