#!/usr/bin/env bash
# Controlled documents and read-and-acknowledge benchmark (bench_documents.py) on a fresh database.
#   bash bench/run_documents.sh [--documents 2000 --employees 500] [--keep-db] [--skip-install]
exec bash "$(dirname "${BASH_SOURCE[0]}")/_run.sh" bench_documents.py kam_bench_doc "$@"
