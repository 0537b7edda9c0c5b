#!/usr/bin/env python3
"""XLSX export of one register in a fresh process, on a database kept by a
benchmark run (bench_cases.py creates the officer bench_officer_0). Prints the
time, the queries and the peak RSS over the process's RSS before the export
(nothing else ran in the process, so freed heap does not hide the growth).

    bash bench/run.sh --cases 20000 --actions 60000 --steps bulk,export --keep-db
    .venv/bin/python bench/bench_export.py --db kam_bench --register action
"""

import gc
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


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--register", default="nonconformity")
    parser.add_argument("--login", default="bench_officer_0")
    args = parser.parse_args()
    benchlib.load_odoo(args)
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
        Model._kam_register_export(args.register, [("id", "=", 0)])  # warm the caches
        env.invalidate_all()
        gc.collect()
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")  # reset the peak RSS
        except OSError:
            print("the kernel refused to reset the peak RSS: the figure is the process peak")
        rss0 = status_kb("VmRSS")
        q0, t0 = cr.sql_log_count, time.perf_counter()
        _name, content = Model._kam_register_export(args.register)
        seconds, queries = time.perf_counter() - t0, cr.sql_log_count - q0
        peak = status_kb("VmHWM")
        print(
            f"{args.register} ({Model._name}) as {args.login}: {seconds:.2f} s, {queries} queries, "
            f"peak RSS +{(peak - rss0) / 1024:.0f} MB over {rss0 / 1024:.0f} MB, "
            f"{len(content) / 1e6:.1f} MB file"
        )
        cr.rollback()


if __name__ == "__main__":
    sys.exit(main())
