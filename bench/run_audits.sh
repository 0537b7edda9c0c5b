#!/usr/bin/env bash
# Audit programme and coverage benchmark (bench_audits.py) on a fresh database.
#   bash bench/run_audits.sh [--departments 50 --audits 5000 --lines 100000] [--keep-db] [--skip-install]
exec bash "$(dirname "${BASH_SOURCE[0]}")/_run.sh" bench_audits.py kam_bench_aud "$@"
