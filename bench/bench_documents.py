#!/usr/bin/env python3
"""Benchmark of the controlled documents and read-and-acknowledge tasks on a
database where the addon is installed. Prints figures; asserts nothing. See
bench/README.md.

    .venv/bin/python bench/bench_documents.py --db kam_bench_doc [--documents 2000 --employees 500]

Data: --employees employees in 10 departments of 2 teams each (the teams are
sub-departments), --documents documents with --versions versions each (1.0, 1.1,
2.0, 2.1, 3.0: the last one effective, the others obsolete), each applying to
one department (with its teams), one team or one job position; 5 % apply to the
whole company. Documents and versions are created in batches by the superuser
with their final state (data generation, not measured).

Steps:
  1. the first sync: every read-and-acknowledge task of the effective versions
     (``kam.document.acknowledgement._kam_sync()``), one transaction; then ~70 %
     of the tasks are acknowledged with SQL (data generation)
  2. the sync with nothing to do (what the daily job runs first)
  3. the normal path: --releases new major versions released through the
     workflow, one each (create, submit, approve, release: the sync of one
     document), as a KAM manager; an employee who joins a department
  4. "who has not read what" as a KAM officer: the read and attendance status
     grouped per employee and per department (open / done counts), the first
     page of what is not read, the document list with its read counts
  5. the reminder job: --overdue tasks past their date (the periodic duty of the
     tasks, one transaction), then a re-run (nothing new)
  6. the Excel register of the open tasks
"""

import datetime
import statistics
import sys
import time

import benchlib
from benchlib import out, record


class Bench(benchlib.Bench):
    extra_context = {"tracking_disable": True}

    # ------------------------------------------------------------ data
    def make_data(self):
        args, env = self.args, self.env
        out(f"[data] {args.employees} employees, {args.documents} documents x {args.versions}")
        t0 = time.perf_counter()
        Department = env["hr.department"]
        departments = Department.create([{"name": f"Bench dept {i}"} for i in range(10)])
        teams = Department.create(
            [
                {"name": f"Bench team {d.name[-1]}{j}", "parent_id": d.id}
                for d in departments
                for j in range(2)
            ]
        )
        jobs = env["hr.job"].create([{"name": f"Bench job {i}"} for i in range(10)])
        officer = env["res.users"].create(
            {
                "name": "Bench officer",
                "login": "bench_doc_officer",
                "group_ids": [(4, env.ref("kam_management.group_kam_officer").id)],
            }
        )
        self.manager = env["res.users"].create(
            {
                "name": "Bench manager",
                "login": "bench_doc_manager",
                "group_ids": [(4, env.ref("kam_management.group_kam_manager").id)],
            }
        )
        self.officer = officer
        users = env["res.users"].create(
            [
                {
                    "name": f"Bench reader {i}",
                    "login": f"bench_reader_{i}",
                    "group_ids": [(4, env.ref("kam_management.group_kam_user").id)],
                }
                for i in range(args.employees // 2)
            ]
        )
        self.departments, self.teams = departments, teams
        # the employees are created before the documents: their own sync has nothing to do
        employees = env["hr.employee"].create(
            [
                {
                    "name": f"Bench employee {i:04d}",
                    "department_id": teams[i % len(teams)].id,
                    "job_id": jobs[i % len(jobs)].id,
                    "user_id": users[i].id if i < len(users) else False,
                }
                for i in range(args.employees)
            ]
        )
        self.employees = employees
        documents = env["kam.document"].create(
            [
                self._document_values(i, departments, teams, jobs, officer)
                for i in range(args.documents)
            ]
        )
        kinds = ["major", "minor", "major", "minor", "major", "minor", "major"]
        Version = env["kam.document.version"]
        for number in range(args.versions):
            last = number == args.versions - 1
            effective = self.today - datetime.timedelta(days=400 * (args.versions - number))
            Version.create(
                [
                    {
                        "document_id": document.id,
                        "revision": kinds[number],
                        "state": "effective" if last else "obsolete",
                        "change_summary": f"Change {number}",
                        "body": f"<p>{document.name}, version {number}</p>",
                        "approved_by_id": officer.id,
                        "approved_date": effective,
                        "effective_date": effective,
                        "obsolete_date": False if last else effective + datetime.timedelta(400),
                    }
                    for document in documents
                ]
            )
            self.commit()
            env.invalidate_all()
        self.documents = documents
        self.cr.execute("ANALYZE")
        self.commit()
        record(
            "data",
            "employees / documents / versions",
            f"{len(employees)} / {len(documents)} / {len(documents) * args.versions}",
            "",
            f"({time.perf_counter() - t0:.0f} s, not measured)",
        )

    def _document_values(self, i, departments, teams, jobs, officer):
        rnd = self.rnd
        values = {
            "code": f"B-{i:05d}",
            "name": f"Bench document {i}",
            "doc_type": rnd.choice(["procedure", "work_instruction", "policy", "manual"]),
            "user_id": officer.id,
            "review_frequency": "yearly",
            "review_date": self.today + datetime.timedelta(days=rnd.randint(-30, 365)),
        }
        choice = rnd.random()
        if choice < 0.05:
            values["applies_to_all"] = True
        elif choice < 0.55:
            values["department_ids"] = [(6, 0, [rnd.choice(departments).id])]
        elif choice < 0.85:
            values["department_ids"] = [(6, 0, [rnd.choice(teams).id])]
        else:
            values["job_ids"] = [(6, 0, [rnd.choice(jobs).id])]
        return values

    # ------------------------------------------------------------ steps
    def first_sync(self):
        Ack = self.env["kam.document.acknowledgement"]
        seconds, queries = self.measure(Ack._kam_sync)
        self.commit()
        count = Ack.search_count([])
        record("first sync", "tasks created", count)
        record("first sync", "time", seconds, "s", f"{count / seconds:,.0f} tasks/s")
        record("first sync", "queries", queries, "", f"({queries / max(count, 1):.3f} per task)")
        # data: ~70 % read, some of them long ago; the rest due in the past or future
        self.cr.execute(
            """UPDATE kam_document_acknowledgement
                  SET state = 'done', acknowledged_date = now() - interval '20 days',
                      acknowledged_by_id = %s, method = 'recorded'
                WHERE random() < 0.7""",
            [self.officer.id],
        )
        self.cr.execute(
            """UPDATE kam_document_acknowledgement
                  SET date_deadline = CURRENT_DATE - 1 - (random() * 20)::int
                WHERE state = 'pending'"""
        )
        self.cr.execute("ANALYZE kam_document_acknowledgement")
        self.commit()
        self.env.invalidate_all()
        self.task_count = count

    def idle_sync(self):
        Ack = self.env["kam.document.acknowledgement"]
        seconds, queries = self.measure(Ack._kam_sync)
        record("idle sync", "time / queries", f"{seconds * 1000:.0f} ms / {queries}", "")
        self.commit()

    def releases(self):
        env = self.env
        documents = self.documents.filtered(lambda d: d.department_ids)[: self.args.releases]
        times, counts = [], []
        for document in documents:

            def release(document=document):
                Version = env["kam.document.version"].with_user(self.manager)
                version = Version.create(
                    {
                        "document_id": document.id,
                        "revision": "major",
                        "change_summary": "Bench release",
                        "body": "<p>New</p>",
                    }
                )
                version.action_submit()
                version.action_approve()
                version.action_release()

            seconds, queries = self.measure(release)
            self.commit()
            times.append(seconds)
            counts.append(queries)
        tasks = env["kam.document.acknowledgement"].search_count(
            [("document_id", "in", documents.ids), ("state", "=", "pending")]
        )
        record(
            "release",
            "one major version (create, submit, approve, release)",
            statistics.median(times) * 1000,
            "ms",
            f"median of {len(times)}; {statistics.median(counts):.0f} queries; "
            f"{tasks / max(len(documents), 1):.0f} employees asked per document",
        )
        newcomer = {}

        def join():
            newcomer["employee"] = env["hr.employee"].create(
                {"name": "Bench newcomer", "department_id": self.teams[0].id}
            )

        seconds, queries = self.measure(join)
        self.commit()
        asked = env["kam.document.acknowledgement"].search_count(
            [("employee_id", "=", newcomer["employee"].id)]
        )
        record(
            "join",
            "new employee in a team",
            seconds * 1000,
            "ms",
            f"{queries} queries, {asked} documents to read",
        )

    def report(self):
        env = self.env(user=self.officer)
        Report = env["kam.awareness.report"]
        Document = env["kam.document"]
        steps = [
            (
                "open / done per employee",
                lambda: Report._read_group(
                    [], ["employee_id"], ["open_count:sum", "done_count:sum"]
                ),
            ),
            (
                "open / done per department",
                lambda: Report._read_group(
                    [], ["department_id"], ["open_count:sum", "done_count:sum"]
                ),
            ),
            (
                "not read: first page (80) + count",
                lambda: (
                    Report.search_fetch(
                        [("done", "=", False)],
                        ["employee_id", "department_id", "kind", "subject", "date_due"],
                        limit=80,
                    ),
                    Report.search_count([("done", "=", False)]),
                ),
            ),
            (
                "document list first page with read counts",
                lambda: Document.search_fetch([], ["code", "name"], limit=80).mapped("ack_rate"),
            ),
        ]
        for label, func in steps:
            runs = [self.measure(func) for _i in range(self.args.runs)]
            record(
                "report",
                label,
                statistics.median(r[0] for r in runs) * 1000,
                "ms",
                f"{runs[-1][1]} queries",
            )

    def reminders(self):
        Ack = self.env["kam.document.acknowledgement"]
        overdue = Ack.search_count([("state", "=", "pending"), ("date_deadline", "<", self.today)])
        before = self.env["mail.activity"].search_count([("res_model", "=", Ack._name)])
        seconds, queries = self.measure(lambda: Ack._kam_duty_run())
        self.commit()
        created = self.env["mail.activity"].search_count([("res_model", "=", Ack._name)]) - before
        record("reminders", "overdue tasks", overdue)
        record(
            "reminders",
            "job (sync + reminders)",
            seconds,
            "s",
            f"{queries} queries, {created} activities",
        )
        before += created
        seconds, queries = self.measure(lambda: Ack._kam_duty_run())
        self.commit()
        again = self.env["mail.activity"].search_count([("res_model", "=", Ack._name)]) - before
        record("reminders", "re-run", seconds, "s", f"{queries} queries, {again} new")

    def export(self):
        Ack = self.env["kam.document.acknowledgement"].with_user(self.officer)
        result = {}

        def run():
            result["file"] = Ack._kam_register_export(
                "document_acknowledgement", [("state", "=", "pending"), ("is_current", "=", True)]
            )

        seconds, queries = self.measure(run)
        rows = Ack.search_count([("state", "=", "pending"), ("is_current", "=", True)])
        record(
            "export",
            "XLSX read and acknowledge status (open tasks)",
            seconds,
            "s",
            f"{rows} rows, {queries} queries, {len(result['file'][1]) // 1024} KiB",
        )

    def steps(self):
        return [
            self.make_data,
            self.first_sync,
            self.idle_sync,
            self.releases,
            self.report,
            self.reminders,
            self.export,
        ]


def main():
    return benchlib.main(
        __doc__,
        Bench,
        [
            ("--documents", int, 2000),
            ("--versions", int, 5),
            ("--employees", int, 500),
            ("--releases", int, 20),
            ("--runs", int, 5),
        ],
        seed=42,
    )


if __name__ == "__main__":
    sys.exit(main())
