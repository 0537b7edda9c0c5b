"""Command line and Odoo start-up shared by the benchmark scripts."""

import argparse
import datetime
import json
import os
import sys

DEFAULT_CONFIG = os.path.join(os.path.dirname(__file__), "..", ".state", "odoo.conf")


def parser(doc, config_required=False, config_help=None):
    """An argument parser with --db, --config and --odoo-home."""
    result = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    result.add_argument("--db", required=True)
    if config_required:
        result.add_argument("--config", required=True, help=config_help)
    else:
        result.add_argument("--config", default=DEFAULT_CONFIG, help=config_help)
    result.add_argument(
        "--odoo-home",
        default=os.environ.get(
            "ODOO_HOME", os.path.expanduser("~/.cache/kam_management/odoo-19.0")
        ),
    )
    return result


def load_odoo(args):
    """Make Odoo importable from --odoo-home and read --config (warnings only)."""
    sys.path.insert(0, os.path.abspath(args.odoo_home))
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        ["-c", os.path.abspath(args.config), "--log-level=warn"], setup_logging=True
    )


# ---------------------------------------------------------------- figures
RESULTS = []  # (step, figure, value, unit, note)
KEYED = {}  # figures by key, for the --json file (bench/issue16_table.py reads them)


def out(msg):
    print(msg, flush=True)


def shown(value):
    """A figure as printed: a float with two decimals, anything else as it is."""
    return f"{value:,.2f}" if isinstance(value, float) else value


def record(step, figure, value, unit="", note=""):
    """Keep one figure for the closing table and print it at once."""
    RESULTS.append((step, figure, value, unit, note))
    out(f"  -> {step} | {figure}: {shown(value)} {unit} {note}")


def print_results():
    """The figures recorded so far as one Markdown table."""
    out("\n| step | figure | value | note |")
    out("|---|---|---|---|")
    for step, figure, value, unit, note in RESULTS:
        out(f"| {step} | {figure} | {shown(value)} {unit} | {note} |")


def print_table(title):
    """The figures recorded so far as one aligned table (value and unit in columns of
    their own, floats with two decimals below 10, one above) under ``title``."""
    rows = [("step", "figure", "value", "unit", "note")]
    for step, figure, value, unit, note in RESULTS:
        if isinstance(value, float):
            value = f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
        rows.append((step, figure, str(value), unit, note))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    out("")
    out(title)
    for i, r in enumerate(rows):
        out(
            "| "
            + " | ".join(
                c.ljust(w) if j != 2 else c.rjust(w)
                for j, (c, w) in enumerate(zip(r, widths, strict=True))
            )
            + " |"
        )
        if i == 0:
            out("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def write_json(path, db):
    """The figures recorded so far (``results``) and ``KEYED`` (``keyed``) to the
    file ``path``, with the database, the date and the load average."""
    with open(path, "w") as f:
        json.dump(
            {
                "db": db,
                "date": f"{datetime.datetime.now():%Y-%m-%d %H:%M}",
                "load": os.getloadavg(),
                "results": RESULTS,
                "keyed": KEYED,
            },
            f,
            indent=1,
            default=str,
        )


def peak_rss_reset():
    """Reset the peak RSS (VmHWM) of this process; False if the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def proc_status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


# ---------------------------------------------------------------- the bench
class Bench:
    """One registry cursor as superuser in the admin's context (``extra_context``
    added), a seeded random generator, and the timing helpers of every bench."""

    extra_context = {}

    def __init__(self, args):
        import random  # noqa: PLC0415
        import threading  # noqa: PLC0415

        import odoo  # noqa: PLC0415
        from odoo.modules.registry import Registry  # noqa: PLC0415

        self.args = args
        threading.current_thread().dbname = args.db
        self.registry = Registry(args.db)
        self.cr = self.registry.cursor()
        env = odoo.api.Environment(self.cr, odoo.SUPERUSER_ID, {})
        self.env = env(context=dict(env["res.users"].context_get(), **self.extra_context))
        self.rnd = random.Random(args.seed)
        self.today = datetime.date.today()
        self.company = self.env.company

    def commit(self):
        self.env.flush_all()
        self.cr.commit()

    def queries(self):
        return self.cr.sql_log_count

    def timed(self, func):
        """(result, seconds, queries) of ``func`` from an empty cache, flushed."""
        import time  # noqa: PLC0415

        self.env.flush_all()
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        result = func()
        self.env.flush_all()
        return result, time.perf_counter() - t0, self.queries() - q0

    def measure(self, func):
        """(seconds, queries) of ``func`` from an empty cache, flushed."""
        _result, seconds, queries = self.timed(func)
        return seconds, queries

    def _columns(self, table):
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in self.cr.fetchall()]

    def _clone(self, table, template_id, rows, overrides):
        """Insert one copy of row ``template_id`` per dict in ``rows`` (SQL, data
        generation); ``overrides`` are the columns the dicts give. Returns the ids."""
        columns = self._columns(table)
        keys = list(overrides)
        select = ", ".join(
            f"v.c{keys.index(col)}" if col in overrides else f"t.{col}" for col in columns
        )
        value_cols = ", ".join(f"c{i}" for i in range(len(keys)))
        ids = []
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            placeholders = ", ".join(["%s"] * len(chunk))
            self.cr.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                f"SELECT {select} FROM {table} t, "
                f"(VALUES {placeholders}) AS v({value_cols}) WHERE t.id = %s "
                "RETURNING id",
                [tuple(row[key] for key in keys) for row in chunk] + [template_id],
            )
            ids += [row[0] for row in self.cr.fetchall()]
        return ids

    def steps(self):
        """The bench's steps in order (a list of methods)."""
        raise NotImplementedError

    def report(self):
        """What is printed after the steps: by default the figures as one table."""
        print_results()

    def run(self):
        try:
            for step in self.steps():
                step()
        finally:
            self.cr.rollback()
            self.cr.close()
        self.report()


def main(doc, bench_class, options, seed=42):
    """Parse ``--db``/``--config``/``--odoo-home``, ``--seed`` and ``options`` (a
    list of (flag, type, default)), load Odoo and run ``bench_class``."""
    result = parser(doc)
    for flag, kind, default in options:
        result.add_argument(flag, type=kind, default=default)
    result.add_argument("--seed", type=int, default=seed)
    args = result.parse_args()
    load_odoo(args)
    bench_class(args).run()
    return 0
