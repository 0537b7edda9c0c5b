#!/usr/bin/env python3
"""Benchmark of the clause compliance monitor (kam.compliance.monitor) and the
transition to a new edition (kam.standard.transition) at register scale, on a
database where the addon is installed. Prints figures; asserts nothing. See
bench/README.md.

    .venv/bin/python bench/bench_compliance.py --db kam_bench_cmp [--cases 100000 --documents 10000
        --hazards 10000]

Data: --cases cases (created in batches of 1,000 as an import would, the four
types, dates over three years, 10 % open and overdue), --documents controlled
documents (created with a first version through the ORM, then put in force with
SQL; 20 % past their review date) and --hazards RI&E hazards (20 % past their
review date), each linked to one to three clauses of ISO 9001:2015 (links
inserted with SQL: data generation, not measured). Measured as a KAM officer (record rules apply):

  1. the heat map of ISO 9001:2015 (get_monitor_data): every clause x evidence type
  2. the records behind one cell (clause 10 with its sub-clauses: search_count)
  3. the transition ISO 9001:2015 -> ISO 9001:2026: the wizard's preview, the run
     (re-link every open record, report the rest, the gap actions) and a second run
"""

import datetime
import statistics
import sys
import time

import benchlib
from benchlib import out, record


class Bench(benchlib.Bench):
    def _link(self, model, ids, clause_ids):
        field = model._fields["clause_ids"]
        rows = []
        for record_id in ids:
            for clause_id in self.rnd.sample(clause_ids, self.rnd.randint(1, 3)):
                rows.append((record_id, clause_id))
        for start in range(0, len(rows), 10000):
            chunk = rows[start : start + 10000]
            self.cr.execute(
                f"INSERT INTO {field.relation} ({field.column1}, {field.column2}) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s)"] * len(chunk))
                + " ON CONFLICT DO NOTHING",
                [value for row in chunk for value in row],
            )
        return len(rows)

    def make_data(self):
        args, env, rnd = self.args, self.env, self.rnd
        out(
            f"[data] {args.cases} cases, {args.documents} documents, {args.hazards} hazards, "
            "linked to ISO 9001:2015"
        )
        t0 = time.perf_counter()
        self.officer = env["res.users"].create(
            {
                "name": "Bench KAM officer",
                "login": "bench_kam_officer",
                "group_ids": [(4, env.ref("kam_management.group_kam_officer").id)],
            }
        )
        self.standard = env.ref("kam_management.kam_standard_iso9001_2015")
        clauses = self.standard.clause_ids.ids
        ctx = {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
            "kam_no_acknowledgement": True,
        }
        Case = env["kam.case"].with_context(**ctx)
        types = ["nonconformity", "complaint", "incident", "improvement"]
        case_ids = []
        for start in range(0, args.cases, 1000):
            vals = []
            for _i in range(start, min(start + 1000, args.cases)):
                found = self.today - datetime.timedelta(days=rnd.randint(0, 3 * 365))
                late = rnd.random() < 0.10
                case_type = rnd.choice(types)
                vals.append(
                    {
                        "title": "Bench case",
                        "case_type": case_type,
                        "date_found": found,
                        # a complaint is found the day it is received (issue 17)
                        **({"date_received": found} if case_type == "complaint" else {}),
                        "deadline": (self.today - datetime.timedelta(days=rnd.randint(1, 30)))
                        if late and found < self.today - datetime.timedelta(days=31)
                        else found + datetime.timedelta(days=rnd.randint(14, 120)),
                    }
                )
            case_ids += Case.create(vals).ids
            self.commit()
            env.invalidate_all()
        Factor = env["kam.risk.factor"]
        factors = {
            f"{axis}_id": Factor.search([("axis", "=", axis)], limit=1).id
            for axis in ("probability", "exposure", "effect")
        }
        Risk = env["kam.risk"].with_context(**ctx)
        hazard_ids = []
        for start in range(0, args.hazards, 1000):
            vals = [
                dict(
                    factors,
                    name=f"Bench hazard {i}",
                    review_date=self.today + datetime.timedelta(days=rnd.randint(-60, 300)),
                )
                for i in range(start, min(start + 1000, args.hazards))
            ]
            hazard_ids += Risk.create(vals).ids
            self.commit()
            env.invalidate_all()
        document_ids = self._make_documents(ctx)
        links = self._link(env["kam.case"], case_ids, clauses)
        links += self._link(env["kam.document"], document_ids, clauses)
        links += self._link(env["kam.risk"], hazard_ids, clauses)
        self.commit()
        self.cr.execute("ANALYZE")
        out(f"[data] {links} clause links; done in {time.perf_counter() - t0:.1f} s")

    def _make_documents(self, ctx):
        """Controlled documents with one version each, in force since a date in
        the last three years (SQL: releasing 10,000 versions one by one is the
        documents' benchmark, not this one)."""
        args, env, rnd = self.args, self.env, self.rnd
        Document = env["kam.document"].with_context(**ctx)
        Version = env["kam.document.version"].with_context(**ctx)
        types = ["procedure", "work_instruction", "form", "record"]
        document_ids = []
        for start in range(0, args.documents, 1000):
            documents = Document.create(
                [
                    {
                        "code": f"B-{i:05d}",
                        "name": f"Bench document {i}",
                        "doc_type": rnd.choice(types),
                        "user_id": self.officer.id,
                    }
                    for i in range(start, min(start + 1000, args.documents))
                ]
            )
            versions = Version.create(
                [{"document_id": d.id, "body": "<p>Bench</p>"} for d in documents]
            )
            self.env.flush_all()
            for document, version in zip(documents, versions, strict=True):
                effective = self.today - datetime.timedelta(days=rnd.randint(0, 3 * 365))
                review = self.today + datetime.timedelta(days=rnd.randint(-90, 360))
                self.cr.execute(
                    "UPDATE kam_document_version SET state = 'effective', effective_date = %s "
                    "WHERE id = %s",
                    [effective, version.id],
                )
                self.cr.execute(
                    "UPDATE kam_document SET state = 'effective', current_version_id = %s, "
                    "effective_date = %s, review_date = %s WHERE id = %s",
                    [version.id, effective, review, document.id],
                )
            document_ids += documents.ids
            self.commit()
            env.invalidate_all()
        return document_ids

    def step_monitor(self):
        Monitor = self.env["kam.compliance.monitor"].with_user(self.officer)
        times, queries = [], []
        data = None
        for _run in range(self.args.runs):
            self.env.invalidate_all()
            q0, t0 = self.queries(), time.perf_counter()
            data = Monitor.get_monitor_data(self.standard.id)
            times.append(time.perf_counter() - t0)
            queries.append(self.queries() - q0)
        cells = len(data["rows"]) * len(data["columns"])
        record(
            "monitor",
            "heat map ISO 9001:2015",
            statistics.median(times) * 1000,
            "ms (median)",
            f"{len(data['rows'])} clauses x {len(data['columns'])} types = {cells} cells, "
            f"{queries[-1]} queries",
        )
        record("monitor", "slowest of the runs", max(times) * 1000, "ms")
        clause = self.env.ref("kam_management.iso9001_2015_c10")
        action = Monitor.action_open_cell(clause.id, "kam.case")
        Case = self.env["kam.case"].with_user(self.officer)
        times = []
        count = 0
        for _run in range(self.args.runs):
            self.env.invalidate_all()
            t0 = time.perf_counter()
            count = Case.search_count(action["domain"])
            times.append(time.perf_counter() - t0)
        record(
            "monitor",
            "records of one cell (clause 10, search_count)",
            statistics.median(times) * 1000,
            "ms (median)",
            f"{count} cases",
        )

    def step_transition(self):
        env = self.env
        new = env.ref("kam_management.kam_standard_iso9001_2026")
        Wizard = env["kam.standard.transition.wizard"].with_user(self.officer)
        q0, t0 = self.queries(), time.perf_counter()
        wizard = Wizard.create({"old_standard_id": self.standard.id, "new_standard_id": new.id})
        linked = wizard.linked_count
        record(
            "transition",
            "wizard preview",
            (time.perf_counter() - t0) * 1000,
            "ms",
            f"{linked} linked records, {self.queries() - q0} queries",
        )
        q0, t0 = self.queries(), time.perf_counter()
        action = wizard.action_start()
        self.commit()
        elapsed = time.perf_counter() - t0
        transition = env["kam.standard.transition"].browse(action["res_id"])
        record(
            "transition",
            "first run",
            elapsed,
            "s",
            f"{transition.relinked_count} re-linked, {transition.kept_count} kept, "
            f"{len(transition.gap_ids)} gap actions, {self.queries() - q0} queries",
        )
        env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        transition.with_user(self.officer).action_run()
        self.commit()
        record(
            "transition",
            "second run (nothing to do)",
            time.perf_counter() - t0,
            "s",
            f"{self.queries() - q0} queries",
        )

    def steps(self):
        return [self.make_data, self.step_monitor, self.step_transition]


def main():
    return benchlib.main(
        __doc__,
        Bench,
        [
            ("--cases", int, 100000),
            ("--documents", int, 10000),
            ("--hazards", int, 10000),
            ("--runs", int, 5),
        ],
        seed=13,
    )


if __name__ == "__main__":
    sys.exit(main())
