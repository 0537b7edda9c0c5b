#!/usr/bin/env python3
"""Optional comparison with OCA's mgmtsystem_nonconformity / mgmtsystem_action (19.0).

Runs on ONE database where both kam_management and the OCA addons are installed
(see bench/run_oca.sh), so both sides share the server, the data volume and the
cache state:

  1. normal-path create, one create() per record, commit per record, as an
     internal user in both KAM officer and OCA management-system manager groups:
     kam.case vs mgmtsystem.nonconformity, kam.action vs mgmtsystem.action
  2. bulk create (--bulk records each, 1,000 per create(), mail context keys off),
     not compared, only to have data for 3.
  3. grouped count by stage x month (kam: date_found, OCA: create_date, spread over
     three years by SQL), median of --runs, and ours/OCA ratios.
  4. at each of --read-sizes records of each (grown by SQL copies, not measured): the
     grouped count and the list's first page as the web client asks it (each list
     view's fields, 80 rows, count up to 10,001), as the officer, and ours/OCA ratios.
"""

import datetime
import os
import sys
import time

import benchlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_cases import BULK_CONTEXT, Bench, list_spec  # noqa: E402
from benchlib import KEYED, out, record  # noqa: E402


class OcaBench(Bench):
    def setup_users(self):
        super().setup_users()
        oca = self.env.ref("mgmtsystem.group_mgmtsystem_manager")
        self.users.write({"group_ids": [(4, oca.id)]})
        self.commit()
        self.partner = self.env["res.partner"].create({"name": "Bench partner"})
        self.commit()

    def oca_nc_vals(self, i):
        return {
            "name": f"Bench NC {i}",
            "partner_id": self.partner.id,
            "responsible_user_id": self.rnd.choice(self.users.ids),
            "manager_user_id": self.rnd.choice(self.users.ids),
            "description": "Found during the benchmark",
        }

    def timed_loops(self, step, loops, n, rounds=4):
        """``loops``: [(label, make)]; ``n`` records each, made in ``rounds`` rounds
        that interleave the loops (kam, OCA, kam, OCA...), so that a change of load
        on the shared machine weighs on both sides alike. Returns {label: rec/s}."""
        totals = {label: [0.0, 0, 0] for label, _make in loops}
        for r in range(rounds):
            size = n // rounds + (1 if r < n % rounds else 0)
            for label, make in loops:
                done = totals[label][2]
                q0, t0 = self.queries(), time.perf_counter()
                for i in range(done, done + size):
                    self.env.invalidate_all()
                    make(i)
                    self.commit()
                totals[label][0] += time.perf_counter() - t0
                totals[label][1] += self.queries() - q0
                totals[label][2] += size
        rates = {}
        for label, (dt, dq, count) in totals.items():
            rates[label] = count / dt
            record(
                step,
                label,
                rates[label],
                "rec/s",
                f"{dq / count:.1f} queries/rec, {count} recs, {rounds} interleaved rounds",
            )
        return rates

    def steps(self):
        return [self.setup_users, self.step_compare, self.oca_reads]

    def step_compare(self):
        """Steps 1 to 3: the creates, the bulk data and the grouped counts."""
        n, bulk = self.args.normal, self.args.bulk
        open_stages, _closed = self.stage_ids()
        env = self.env(user=self.officer.id, context=dict(self.env.context))
        today = self.today

        cases = []

        def kam_case(_i):
            vals = self.random_case_vals(open_stages, stage=False)
            vals["case_type"] = "nonconformity"
            cases.append(env["kam.case"].create(vals).id)

        def oca_nc(i):
            env["mgmtsystem.nonconformity"].create(self.oca_nc_vals(i))

        def kam_action(i):
            env["kam.action"].create(
                {
                    "name": f"Bench action {i}",
                    "case_id": cases[i % len(cases)],
                    "user_id": self.rnd.choice(self.users.ids),
                    "kind": "corrective",
                    "deadline": today + datetime.timedelta(days=30),
                }
            )

        def oca_action(i):
            env["mgmtsystem.action"].create(
                {
                    "name": f"Bench action {i}",
                    "user_id": self.rnd.choice(self.users.ids),
                    "type_action": "immediate",
                    "date_deadline": today + datetime.timedelta(days=30),
                }
            )

        out("step 1: normal-path create, ours vs OCA (interleaved)")
        cases_label, nc_label = "kam.case (nonconformity)", "OCA mgmtsystem.nonconformity"
        rates = self.timed_loops(
            "1 normal create", [(cases_label, kam_case), (nc_label, oca_nc)], n
        )
        r_case, r_nc = rates[cases_label], rates[nc_label]
        act_label = "kam.action (+ owner activity)"
        oact_label = "OCA mgmtsystem.action (+ mail, force_send)"
        rates = self.timed_loops(
            "1 normal create", [(act_label, kam_action), (oact_label, oca_action)], n
        )
        r_act, r_oact = rates[act_label], rates[oact_label]
        record(
            "1 normal create",
            "ratio cases ours/OCA (rec/s)",
            r_case / r_nc,
            "x",
            "> 1: ours faster",
        )
        record(
            "1 normal create",
            "ratio actions ours/OCA (rec/s)",
            r_act / r_oact,
            "x",
            "> 1: ours faster",
        )

        out(f"step 2: bulk {bulk:,} nonconformities each (data generation)")
        Case = self.env["kam.case"].with_context(**BULK_CONTEXT)
        NC = self.env["mgmtsystem.nonconformity"].with_context(**BULK_CONTEXT)
        for start in range(0, bulk, self.args.batch):
            size = min(self.args.batch, bulk - start)
            vals = [self.random_case_vals(open_stages) for _i in range(size)]
            for v in vals:
                v["case_type"] = "nonconformity"
                v["stage_id"] = self.rnd.choice(open_stages["nonconformity"])
            Case.create(vals)
            NC.create([self.oca_nc_vals(start + i) for i in range(size)])
            self.commit()
            self.env.invalidate_all()
        stages = self.env["mgmtsystem.nonconformity.stage"].search([]).ids
        self.cr.execute(
            """UPDATE mgmtsystem_nonconformity
                  SET create_date = now() - (id %% 1095) * interval '1 day',
                      stage_id = (%s::int[])[1 + id %% %s]""",
            (stages, len(stages)),
        )
        self.cr.execute("ANALYZE kam_case; ANALYZE mgmtsystem_nonconformity")
        self.cr.commit()
        self.env.invalidate_all()

        out("step 3: grouped count stage x month")
        runs = self.args.runs
        groupings = [
            ("kam.case", [("case_type", "=", "nonconformity")], ["stage_id", "date_found:month"]),
            ("mgmtsystem.nonconformity", [], ["stage_id", "create_date:month"]),
        ]
        ms_of = {}
        for label, e in (("superuser", self.env), ("officer", env)):
            for model, domain, groupby in groupings:
                ms, q = self.median_ms(
                    lambda e=e, model=model, domain=domain, groupby=groupby: e[model]._read_group(
                        domain, groupby, ["__count"]
                    ),
                    runs,
                    e,
                )
                count = self.env[model].search_count(domain)
                ms_of[(label, model)] = ms
                record(
                    "3 read_group",
                    f"{model} {'x'.join(groupby)}, {label}",
                    ms,
                    "ms",
                    f"median of {runs}, {q} queries, {count:,} recs",
                )
            record(
                "3 read_group",
                f"ratio ours/OCA time, {label}",
                ms_of[(label, "kam.case")] / ms_of[(label, "mgmtsystem.nonconformity")],
                "x",
                "< 1: ours faster",
            )

    def grow_oca(self, target):
        """Data generation, not measured: copies of OCA's nonconformities (every
        column, read from information_schema) made with one INSERT ... SELECT, their
        creation dates spread over three years; then VACUUM ANALYZE."""
        table = "mgmtsystem_nonconformity"
        self.cr.execute(f"SELECT count(*) FROM {table}")
        have = self.cr.fetchone()[0]
        if have < target:
            self.cr.execute(
                """SELECT column_name FROM information_schema.columns
                    WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position""",
                (table,),
            )
            cols = [r[0] for r in self.cr.fetchall()]
            select = [
                "now() - ((n.id + g) %% 1095) * interval '1 day'"
                if c == "create_date"
                else f"n.{c}"
                for c in cols
            ]
            copies = -(-(target - have) // have)
            self.cr.execute(
                f"""INSERT INTO {table} ({", ".join(cols)})
                    SELECT {", ".join(select)} FROM {table} n, generate_series(1, %s) g
                     LIMIT %s""",
                [copies, target - have],
            )
            self.commit()
            self.vacuum(table)
        self.cr.execute(f"SELECT count(*) FROM {table}")
        return self.cr.fetchone()[0]

    def oca_reads(self):
        """Grouped count and first page, ours and OCA's, at each of --read-sizes."""
        runs = self.args.runs
        env = self.env(user=self.officer.id)
        kam_spec = list_spec(env["kam.case"])
        oca_spec = list_spec(env["mgmtsystem.nonconformity"])
        out(f"  list specs: kam {kam_spec}\n  OCA {oca_spec}")
        for size in [int(s) for s in self.args.read_sizes.split(",") if s]:
            kam, oca = self.grow_cases(size), self.grow_oca(size)
            step = f"4 reads {size // 1000:,}k"
            out(f"step 4: reads at {kam:,} cases / {oca:,} nonconformities")
            calls = (
                (
                    "group",
                    "grouped count stage x month",
                    lambda: env["kam.case"]._read_group(
                        [], ["stage_id", "date_found:month"], ["__count"]
                    ),
                    lambda: env["mgmtsystem.nonconformity"]._read_group(
                        [], ["stage_id", "create_date:month"], ["__count"]
                    ),
                ),
                (
                    "page",
                    "list first page web_search_read(80, list spec)",
                    # both specs built from the list views (their default list view,
                    # as the web client asks it: every column, the officer's groups)
                    lambda: env["kam.case"].web_search_read(
                        [], kam_spec, limit=80, count_limit=10001
                    ),
                    lambda: env["mgmtsystem.nonconformity"].web_search_read(
                        [], oca_spec, limit=80, count_limit=10001
                    ),
                ),
            )
            for key, label, ours, theirs in calls:
                ms_k, q_k = self.median_ms(ours, runs, env)
                ms_o, q_o = self.median_ms(theirs, runs, env)
                KEYED[f"{key}_{size}_kam"] = (ms_k, q_k)
                KEYED[f"{key}_{size}_oca"] = (ms_o, q_o)
                note = f"median of {runs}, officer"
                record(step, f"kam.case {label}", ms_k, "ms", f"{note}, {q_k} queries, {kam:,}")
                record(step, f"OCA {label}", ms_o, "ms", f"{note}, {q_o} queries, {oca:,}")
                record(step, f"ratio ours/OCA time, {label}", ms_k / ms_o, "x", "< 1: ours faster")


def main():
    parser = benchlib.parser(
        __doc__,
        config_required=True,
        config_help="an odoo.conf whose addons_path has the OCA addons",
    )
    parser.add_argument("--normal", type=int, default=500)
    parser.add_argument("--bulk", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--read-sizes",
        default="10000,100000",
        help="records of each at which step 4 measures the reads (grown by SQL copies)",
    )
    parser.add_argument("--json", help="also write the figures to this file (JSON)")
    parser.add_argument("--random-page-cost", type=float, default=1.1)
    args = parser.parse_args()
    # the table header of Bench.report()
    args.cases, args.actions = args.bulk, 0
    benchlib.load_odoo(args)
    OcaBench(args).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
