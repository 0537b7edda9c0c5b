#!/usr/bin/env python3
"""Benchmark of the audit programme and the coverage matrix on a database where
the addon is installed. Prints figures; asserts nothing. See bench/README.md.

    .venv/bin/python bench/bench_audits.py --db kam_bench_aud [--departments 50 --audits 5000]

Steps:
  1. programme generation: a three-year programme with one line per department
     (--departments, each with a 10-question checklist, frequencies from yearly to
     quarterly, some with a high risk), approved, then action_generate() as a KAM
     officer in one transaction; then an idempotent re-run
  2. coverage matrix at scale: --audits audits held over three years with
     --lines checklist lines (data generated in SQL, not measured), each line
     naming one ISO 9001 clause, a tenth of them nonconformities; then the pivot
     of the matrix (clause x year, read_group as the web client asks it) as
     superuser and as the officer, the "not audited" filter, and the risk of the
     programme lines (earlier findings per scope: one query)
"""

import datetime
import sys
import time

import benchlib
from benchlib import out, record


class Bench(benchlib.Bench):
    def __init__(self, args):
        super().__init__(args)
        self.iso9001 = self.env.ref("kam_management.kam_standard_iso9001_2015")

    # ------------------------------------------------------------ 1. programme
    def programme(self):
        env, args = self.env, self.args
        out(f"[programme] {args.departments} departments x 3 years")
        self.company.kam_standard_ids = [(6, 0, self.iso9001.ids)]
        self.company.kam_audit_auditor_rule = "warn"
        officer = env["res.users"].create(
            {
                "name": "Bench KAM officer",
                "login": "bench_kam_officer",
                "group_ids": [(4, env.ref("kam_management.group_kam_officer").id)],
            }
        )
        self.officer = officer
        clauses = env["kam.standard.clause"].search([("standard_id", "=", self.iso9001.id)])
        self.clauses = clauses
        checklist = env["kam.audit.checklist"].create(
            {
                "name": "Bench checklist",
                "question_ids": [
                    (0, 0, {"name": f"Question {i}", "clause_ids": [(6, 0, clauses[i].ids)]})
                    for i in range(10)
                ],
            }
        )
        departments = env["hr.department"].create(
            [{"name": f"Bench department {i:02d}"} for i in range(args.departments)]
        )
        frequencies = ["yearly", "yearly", "half_yearly", "quarterly"]
        programme = env["kam.audit.programme"].create(
            {
                "name": "Bench programme",
                "cycle": "three_years",
                "date_start": datetime.date(2026, 1, 1),
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": department.name,
                            "department_id": department.id,
                            "standard_ids": [(6, 0, self.iso9001.ids)],
                            "clause_ids": [(6, 0, clauses[i % 20].ids)],
                            "checklist_id": checklist.id,
                            "frequency": frequencies[i % 4],
                            "importance": "high" if i % 5 == 0 else "normal",
                            "date_first": datetime.date(2026, 1 + i % 12, 1 + i % 28),
                        },
                    )
                    for i, department in enumerate(departments)
                ],
            }
        )
        programme.write({"state": "approved"})
        self.commit()
        as_officer = programme.with_user(officer)
        audits, seconds, queries = self.timed(as_officer.action_generate)
        lines = sum(len(a.line_ids) for a in audits)
        record(
            "programme",
            "generate",
            seconds,
            "s",
            f"{queries} queries, {len(audits)} audits, {lines} checklist lines",
        )
        self.commit()
        again, seconds, queries = self.timed(as_officer.action_generate)
        record(
            "programme", "re-run (idempotent)", seconds, "s", f"{queries} queries, {len(again)} new"
        )
        self.commit()
        self.programme_record = programme

    # ------------------------------------------------------------ 2. coverage
    def coverage_data(self):
        args, env, rnd, cr = self.args, self.env, self.rnd, self.cr
        out(f"[data] {args.audits} audits, {args.lines} checklist lines")
        t0 = time.perf_counter()
        departments = env["hr.department"].search([("name", "like", "Bench department")])
        states = ["reported", "findings_closed", "closed", "closed", "planned"]
        values = []
        for i in range(args.audits):
            day = datetime.date(2023, 1, 1) + datetime.timedelta(days=rnd.randrange(3 * 365))
            values.append(
                {
                    "title": f"Bench audit {i}",
                    "date_planned": day,
                    "department_ids": [(6, 0, departments[i % len(departments)].ids)],
                    "standard_ids": [(6, 0, self.iso9001.ids)],
                    "clause_ids": [(6, 0, self.clauses[rnd.randrange(len(self.clauses))].ids)],
                    "state": states[i % len(states)],
                }
            )
        Audit = env["kam.audit"].with_context(tracking_disable=True, mail_create_nolog=True)
        audit_ids = []
        for start in range(0, len(values), 1000):
            audit_ids += Audit.create(values[start : start + 1000]).ids
            self.commit()
        # checklist lines in SQL: each names one clause, a tenth are nonconformities
        cr.execute(
            """
            INSERT INTO kam_audit_line (audit_id, company_id, date, sequence, display_type,
                                        name, result)
            SELECT a.id, a.company_id, a.date_planned, g.n, 'question', 'Bench question ' || g.n,
                   CASE WHEN g.n %% 10 = 0 THEN 'minor' ELSE 'conform' END
              FROM kam_audit a
              JOIN generate_series(1, %s) g(n) ON g.n <= %s
             WHERE a.id = ANY(%s)
            """,
            [args.lines // args.audits, args.lines // args.audits, audit_ids],
        )
        cr.execute(
            """
            INSERT INTO kam_audit_line_kam_standard_clause_rel
                        (kam_audit_line_id, kam_standard_clause_id)
            SELECT l.id, (%s::int[])[1 + (l.id %% %s)]
              FROM kam_audit_line l WHERE l.audit_id = ANY(%s)
            """,
            [self.clauses.ids, len(self.clauses), audit_ids],
        )
        cr.execute("ANALYZE")
        self.commit()
        cr.execute("SELECT count(*) FROM kam_audit_line")
        out(
            f"  data made in {time.perf_counter() - t0:.1f} s "
            f"({len(audit_ids)} audits, {cr.fetchone()[0]} lines in all)"
        )

    def coverage(self):
        Coverage = self.env["kam.audit.coverage"]
        for who, model in (("superuser", Coverage), ("officer", Coverage.with_user(self.officer))):
            timings = []
            for _run in range(self.args.runs):
                groups, seconds, queries = self.timed(
                    lambda m=model: m._read_group(
                        [], ["clause_id", "year"], ["done_count:sum", "planned_count:sum"]
                    )
                )
                timings.append((seconds, queries))
            seconds = sorted(t[0] for t in timings)[len(timings) // 2]
            record(
                "coverage",
                f"pivot clause x year ({who})",
                seconds * 1000,
                "ms",
                f"{timings[0][1]} queries, {len(groups)} cells (median of {self.args.runs})",
            )
        count, seconds, queries = self.timed(
            lambda: Coverage.search_count([("is_covered", "=", False), ("year", "=", 2025)])
        )
        record(
            "coverage",
            "not audited in 2025",
            seconds * 1000,
            "ms",
            f"{queries} queries, {count} clauses",
        )
        # the lines as a list view reads them (a search, so they prefetch together)
        ids = self.programme_record.line_ids.ids
        Line = self.env["kam.audit.programme.line"]
        levels, seconds, queries = self.timed(
            lambda: Line.search([("id", "in", ids)]).mapped("risk_level")
        )
        lines = Line.browse(ids)
        record(
            "coverage",
            f"risk of {len(lines)} programme lines",
            seconds * 1000,
            "ms",
            f"{queries} queries, {sum(1 for lv in levels if lv != 'normal')} not normal",
        )

    def steps(self):
        return [self.programme, self.coverage_data, self.coverage]


def main():
    return benchlib.main(
        __doc__,
        Bench,
        [
            ("--departments", int, 50),
            ("--audits", int, 5000),
            ("--lines", int, 100_000),
            ("--runs", int, 5),
        ],
        seed=42,
    )


if __name__ == "__main__":
    sys.exit(main())
