#!/usr/bin/env python3
"""XLSX export of one register in a fresh process, on a database kept by a
benchmark run (bench_cases.py creates the officer bench_officer_0). Prints the
time, the queries and the peak RSS over the process's RSS before the export
(nothing else ran in the process, so freed heap does not hide the growth).

    bash bench/run.sh --cases 20000 --actions 60000 --steps bulk,export --keep-db
    .venv/bin/python bench/bench_export.py --db kam_bench --register action
    .venv/bin/python bench/bench_export.py --db kam_bench --register case --rows 25000,50000,100000

``--profile FILE`` runs the export under cProfile (slower: the time is then not the
figure), writes the stats to FILE and prints the 25 functions of most own time.
``--rows`` exports the first N records (by id) of the register for each N, each in
a fresh process, to show whether memory stays flat as the rows grow. Each export
ends with one line ``FIGURE xlsx <register>, <N> rows: ...``.
"""

import cProfile
import gc
import os
import pstats
import subprocess
import sys
import threading
import time

import benchlib


def status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def export(args):
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    threading.current_thread().dbname = args.db
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(context=env["res.users"].context_get())
        user = env["res.users"].search([("login", "=", args.login)])
        env = env(user=user.id)
        Model = env[env["kam.register.mixin"]._kam_register_model(args.register)]
        domain = []
        if args.limit:
            # the first N records by id: exactly N rows whatever the register's order
            cr.execute(
                f"SELECT id FROM {Model._table} ORDER BY id OFFSET %s LIMIT 1", (args.limit - 1,)
            )
            row = cr.fetchone()
            if row:
                domain = [("id", "<=", row[0])]
        Model._kam_register_export(args.register, [("id", "=", 0)])  # warm the caches
        env.invalidate_all()
        gc.collect()
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")  # reset the peak RSS
        except OSError:
            print("the kernel refused to reset the peak RSS: the figure is the process peak")
        rss0 = status_kb("VmRSS")
        profiler = cProfile.Profile() if args.profile else None
        q0, t0, cpu0 = cr.sql_log_count, time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        _name, content = Model._kam_register_export(args.register, domain)
        if profiler:
            profiler.disable()
        seconds, queries = time.perf_counter() - t0, cr.sql_log_count - q0
        cpu = time.process_time() - cpu0
        if profiler:
            profiler.dump_stats(args.profile)
            pstats.Stats(args.profile).sort_stats("tottime").print_stats(25)
        peak = status_kb("VmHWM")
        rows = Model.search_count(domain)
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"{args.register} ({Model._name}) as {args.login}: {seconds:.2f} s, {queries} queries, "
            f"peak RSS +{(peak - rss0) / 1024:.0f} MB over {rss0 / 1024:.0f} MB, "
            f"{len(content) / 1e6:.1f} MB file"
        )
        print(
            f"FIGURE xlsx {args.register} register, {rows:,} rows: {seconds:.2f} s "
            f"{queries} queries, peak RSS +{(peak - rss0) / 1024:.0f} MB, "
            f"{rows / seconds:,.0f} rows/s, CPU of the process {cpu:.2f} s, load {load}",
            flush=True,
        )
        cr.rollback()


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--register", default="nonconformity")
    parser.add_argument("--login", default="bench_officer_0")
    parser.add_argument("--limit", type=int, default=0, help="only the first N records (by id)")
    parser.add_argument("--rows", default="", help="comma-separated sizes, each in a fresh process")
    parser.add_argument(
        "--profile", default="", help="cProfile the export into this file, print the top 25"
    )
    args = parser.parse_args()
    if args.rows:
        rc = 0
        for size in args.rows.split(","):
            command = [sys.executable, os.path.abspath(__file__), "--db", args.db]
            command += ["--config", args.config, "--odoo-home", args.odoo_home]
            command += ["--register", args.register, "--login", args.login, "--limit", size]
            rc = subprocess.call(command) or rc
        return rc
    benchlib.load_odoo(args)
    export(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
