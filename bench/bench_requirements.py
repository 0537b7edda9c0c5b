#!/usr/bin/env python3
"""Benchmark of the legal register (kam.requirement) and its evaluations of
compliance on a database where the addon is installed. Prints figures; asserts
nothing. See bench/README.md.

    .venv/bin/python bench/bench_requirements.py --db kam_bench_req [--requirements 1000]

Data (generation, not measured): --requirements requirements (laws with a BWB-ID,
permits, customer requirements; a theme and two clauses each), each with
--evaluations completed evaluations of compliance in the past (created as drafts
through the ORM, completed in SQL, then the requirement's status recomputed) and a
next evaluation date between 30 days ago and 14 days ahead: all are due.

Steps:
  1. the evaluation job: the periodic duty of kam.requirement
     (kam.requirement._kam_duty_run(): a reminder activity for the responsible and
     a draft evaluation per due requirement), one transaction; then a re-run
  2. completing all the prepared evaluations in one write() (result, evidence,
     state): each moves its requirement's next evaluation date on
  3. XLSX registers as a KAM officer: the legal register and all evaluations
     (time, queries, peak RSS)
  4. the list's first page (web_search_read, 80 rows + count) as the officer
"""

import datetime
import sys
import time

import benchlib
from benchlib import record


class Bench(benchlib.Bench):
    # ------------------------------------------------------------ data
    def make_data(self):
        args, env, rnd = self.args, self.env, self.rnd
        t0 = time.perf_counter()
        Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
        self.officer = Users.search([("login", "=", "bench_req_officer")]) or Users.create(
            {
                "login": "bench_req_officer",
                "name": "Bench officer",
                "email": "bench.officer@example.com",
                "group_ids": [
                    (
                        6,
                        0,
                        [
                            env.ref("kam_management.group_kam_officer").id,
                            env.ref("base.group_user").id,
                        ],
                    )
                ],
            }
        )
        themes = env["kam.theme"].search([])
        clauses = env["kam.standard.clause"].search([("number", "like", "6.1")])
        quiet = env(
            context=dict(
                env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
                mail_auto_subscribe_no_notify=True,
            )
        )
        kinds = ["law"] * 6 + ["permit", "standard", "customer", "party"]
        vals_list = []
        for i in range(args.requirements):
            kind = rnd.choice(kinds)
            vals_list.append(
                {
                    "name": f"Requirement {i:05d}",
                    "short_name": f"R{i}",
                    "kind": kind,
                    "bwb_id": f"BWBR{1000000 + i:07d}" if kind == "law" else False,
                    "article": f"art. {rnd.randint(1, 20)}",
                    "user_id": self.officer.id,
                    "theme_ids": [(6, 0, [rnd.choice(themes).id])],
                    "clause_ids": [(6, 0, rnd.sample(clauses.ids, 2))],
                    "applicability": "Applies to the workshop.",
                    "compliance_method": "<p>Procedure, measurements and a yearly check.</p>",
                    "evaluation_frequency": "yearly",
                }
            )
        Requirement = quiet["kam.requirement"]
        requirements = Requirement.browse()
        for start in range(0, len(vals_list), 1000):
            requirements |= Requirement.create(vals_list[start : start + 1000])
        # history: completed evaluations, one per year back
        Evaluation = quiet["kam.requirement.evaluation"]
        results = ["compliant"] * 8 + ["partly", "not_applicable"]
        evaluations = Evaluation.browse()
        for start in range(0, len(requirements), 200):
            evaluations |= Evaluation.create(
                [
                    {
                        "requirement_id": requirement.id,
                        "date": self.today - datetime.timedelta(days=365 * (n + 1)),
                        "user_id": self.officer.id,
                    }
                    for requirement in requirements[start : start + 200]
                    for n in range(args.evaluations)
                ]
            )
        self.env.flush_all()
        self.cr.execute(
            """UPDATE kam_requirement_evaluation
                  SET state = 'done', done_by_id = %s, done_on = now() at time zone 'UTC',
                      result = (%s::varchar[])[1 + (id %% %s)],
                      evidence = '<p>Checked: measurement report and permit file.</p>'
                WHERE id = ANY(%s)""",
            [self.officer.id, results, len(results), evaluations.ids],
        )
        self.env.invalidate_all()
        for name in ("last_evaluation_id", "last_evaluation_date", "compliance_status"):
            self.env.add_to_compute(Requirement._fields[name], requirements)
        requirements.flush_recordset()
        # every requirement is due: next evaluation from 30 days ago to 14 days ahead
        self.cr.execute(
            """UPDATE kam_requirement
                  SET next_evaluation_date = %s::date + (id %% 45) - 30,
                      kam_duty_state = 'pending'
                WHERE id = ANY(%s)""",
            [self.today, requirements.ids],
        )
        self.env.invalidate_all()
        self.cr.execute("ANALYZE kam_requirement; ANALYZE kam_requirement_evaluation")
        self.commit()
        self.requirements = requirements
        record(
            "data",
            "requirements / completed evaluations",
            f"{len(requirements)} / {len(evaluations)}",
            "",
            f"(generated in {time.perf_counter() - t0:.0f} s, not measured)",
        )

    # ------------------------------------------------------------ steps
    def job(self):
        Requirement = self.env["kam.requirement"]
        Evaluation = self.env["kam.requirement.evaluation"]
        last_id = Evaluation.search([], order="id desc", limit=1).id
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        due = Requirement._kam_duty_run()
        self.env.flush_all()
        seconds, queries = time.perf_counter() - t0, self.queries() - q0
        self.commit()
        drafts = Evaluation.search([("id", ">", last_id)])
        activities = self.env["mail.activity"].search_count(
            [("res_model", "=", "kam.requirement"), ("res_id", "in", due.ids)]
        )
        record("job", "requirements due", len(due), "")
        record("job", "time", seconds, "s", f"({len(due) / seconds:,.0f} requirements/s)")
        record("job", "queries", queries, "", f"({queries / max(len(due), 1):.2f} per requirement)")
        record("job", "reminders / draft evaluations", f"{activities} / {len(drafts)}", "")
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        again = Requirement._kam_duty_run()
        self.env.flush_all()
        seconds, queries = time.perf_counter() - t0, self.queries() - q0
        new = Evaluation.search_count([("id", ">", max(drafts.ids, default=last_id))])
        record(
            "re-run",
            "time / queries / due / new drafts",
            f"{seconds:.3f} s / {queries} / {len(again)} / {new}",
            "",
        )
        self.commit()
        self.drafts = drafts

    def complete(self):
        drafts = self.drafts.with_user(self.officer)
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        drafts.write(
            {
                "date": self.today,
                "result": "compliant",
                "evidence": "<p>Checked on site.</p>",
                "state": "done",
            }
        )
        self.env.flush_all()
        seconds, queries = time.perf_counter() - t0, self.queries() - q0
        self.commit()
        moved = self.env["kam.requirement"].search_count(
            [("id", "in", self.requirements.ids), ("next_evaluation_date", ">", self.today)]
        )
        record(
            "complete",
            f"{len(drafts)} evaluations in one write()",
            seconds,
            "s",
            f"{queries} queries ({queries / max(len(drafts), 1):.1f} per evaluation); "
            f"{moved} next dates moved on",
        )

    def export(self):
        for model, register in (
            ("kam.requirement", "requirement"),
            ("kam.requirement.evaluation", "compliance_evaluation"),
        ):
            records = self.env[model].with_user(self.officer)
            rows = records.search_count([])
            self.env.invalidate_all()
            reset = benchlib.peak_rss_reset()
            rss0 = benchlib.proc_status_kb("VmRSS")
            q0, t0 = self.queries(), time.perf_counter()
            _name, content = records._kam_register_export(register)
            seconds, queries = time.perf_counter() - t0, self.queries() - q0
            peak = benchlib.proc_status_kb("VmHWM")
            memory = (
                f"peak RSS +{(peak - rss0) / 1024:.0f} MB"
                if reset
                else f"peak RSS {peak / 1024:.0f} MB (reset refused)"
            )
            record(
                "export",
                f"XLSX {register}, {rows} rows",
                seconds,
                "s",
                f"{queries} queries, {len(content) // 1024} KiB, {memory}",
            )

    def list_page(self):
        Requirement = self.env["kam.requirement"].with_user(self.officer)
        spec = {
            name: {}
            for name in (
                "kind",
                "name",
                "bwb_id",
                "article",
                "user_id",
                "compliance_status",
                "last_evaluation_date",
                "next_evaluation_date",
                "state",
                "company_id",
            )
        }
        timings = []
        for _run in range(5):
            self.env.invalidate_all()
            q0, t0 = self.queries(), time.perf_counter()
            Requirement.web_search_read(
                [("state", "=", "in_force")], spec, limit=80, count_limit=10001
            )
            timings.append((time.perf_counter() - t0, self.queries() - q0))
        timings.sort()
        seconds, queries = timings[len(timings) // 2]
        record(
            "list", "first page (80) + count, officer", seconds * 1000, "ms", f"{queries} queries"
        )

    def steps(self):
        return [self.make_data, self.job, self.complete, self.export, self.list_page]


def main():
    return benchlib.main(
        __doc__,
        Bench,
        [
            ("--requirements", int, 1000),
            ("--evaluations", int, 5),
        ],
        seed=42,
    )


if __name__ == "__main__":
    sys.exit(main())
