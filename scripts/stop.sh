#!/usr/bin/env bash
# Stop what scripts/run.sh started: the Odoo server(s) of this clone that are
# still running (Ctrl+C stops only Odoo) and then the private PostgreSQL
# cluster. A later scripts/run.sh or scripts/test.sh starts the cluster again.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stopped=0
for pidfile in "$RUNDIR"/odoo-*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null && grep -qa "odoo-bin" "/proc/$pid/cmdline" 2>/dev/null; then
    log "Stopping Odoo (pid $pid, $(basename "$pidfile" .pid | sed 's/^odoo-//'))"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    stopped=$((stopped + 1))
  fi
  rm -f "$pidfile"
done
if pg_running; then
  log "Stopping the private PostgreSQL cluster ($PGDATA_DIR)"
  pg_stop
fi
if pg_running; then
  die "the private PostgreSQL cluster is still running ($PGDATA_DIR)"
fi
log "Stopped ($stopped Odoo server(s)); the private PostgreSQL cluster is not running."
