"""Read and acknowledge: who must read which effective version (departments with
their sub-departments, jobs, the whole company), minor and major revisions,
employees who join or leave, the reminders, the "who has not read what"
report, and flat query counts."""

import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_cron import count_queries
from .test_document import KamDocumentCommon

TODAY = datetime.date(2026, 3, 16)


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestAcknowledgement(KamDocumentCommon):
    def test_release_asks_the_audience(self):
        document = self._document(department_ids=[Command.set(self.production.ids)])
        self.assertFalse(self._tasks(document), "nothing before the release")
        version = self._release(document)
        tasks = self._tasks(document)
        # production and the welding team below it; not sales, not company 2
        self.assertEqual(tasks.employee_id, self.emp_user | self.emp_prod)
        self.assertEqual(set(tasks.mapped("state")), {"pending"})
        self.assertEqual(tasks.version_id, version)
        self.assertEqual(set(tasks.mapped("date_deadline")), {TODAY + datetime.timedelta(days=14)})
        self.assertEqual((document.ack_required_count, document.ack_done_count), (2, 0))

    def test_jobs_and_the_whole_company(self):
        self.emp_sales.job_id = self.welder_job
        by_job = self._document(department_ids=False, job_ids=[Command.set(self.welder_job.ids)])
        self._release(by_job)
        self.assertEqual(self._tasks(by_job).employee_id, self.emp_sales)
        everyone = self._document(department_ids=False, applies_to_all=True)
        self._release(everyone)
        self.assertEqual(
            self._tasks(everyone).employee_id,
            self.env["hr.employee"].search([("company_id", "=", self.company.id)]),
        )
        self.assertNotIn(self.emp_other_company, self._tasks(everyone).employee_id)
        not_acknowledged = self._document(doc_type="form")
        self._release(not_acknowledged)
        self.assertFalse(self._tasks(not_acknowledged), "forms are not acknowledged")

    def test_minor_keeps_major_asks_again(self):
        document = self._document()
        first = self._release(document)
        done = self._tasks(document, employee_id=self.emp_user.id)
        done.with_user(self.kam_user).action_acknowledge()
        minor = self._release(document, revision="minor")
        self.assertTrue(done.is_current, "a minor revision keeps the acknowledgement")
        self.assertEqual(done.version_id, first, "what was read stays on record")
        pending = self._tasks(document, state="pending")
        self.assertEqual(pending.employee_id, self.emp_prod)
        self.assertEqual(pending.version_id, minor, "open tasks move to the new version")
        self.assertEqual((document.ack_required_count, document.ack_done_count), (2, 1))
        major = self._release(document, revision="major")
        self.assertFalse(done.is_current)
        pending = self._tasks(document, state="pending")
        self.assertEqual(pending.employee_id, self.emp_user | self.emp_prod, "everyone again")
        self.assertEqual(pending.version_id, major)
        self.assertEqual((document.ack_required_count, document.ack_done_count), (2, 0))
        self.assertEqual(len(self._tasks(document)), 3, "the old acknowledgement is kept")

    def test_employees_who_join_and_leave(self):
        document = self._release(self._document()).document_id
        newcomer = self.env["hr.employee"].create(
            {"name": "Nina Newcomer", "department_id": self.welding.id}
        )
        self.assertTrue(self._tasks(document, employee_id=newcomer.id), "a new employee reads it")
        self.emp_sales.department_id = self.production
        self.assertTrue(self._tasks(document, employee_id=self.emp_sales.id), "moved in")
        self.emp_prod.department_id = self.sales
        self.assertFalse(self._tasks(document, employee_id=self.emp_prod.id), "moved out")
        newcomer.action_archive()
        self.assertFalse(self._tasks(document, employee_id=newcomer.id), "left the company")
        # an acknowledgement stays when its employee moves on
        task = self._tasks(document, employee_id=self.emp_user.id)
        task.with_user(self.kam_user).action_acknowledge()
        self.emp_user.department_id = self.sales
        self.assertTrue(task.exists())

    def test_audience_changes_and_dated_contract_changes(self):
        document = self._release(self._document()).document_id
        document.department_ids = [Command.link(self.sales.id)]
        self.assertIn(self.emp_sales, self._tasks(document).employee_id)
        document.department_ids = [Command.set(self.sales.ids)]
        self.assertEqual(self._tasks(document).employee_id, self.emp_sales | self.emp_officer)
        # a department changed in the employee's contract version, not through the
        # employee: the daily job's sync catches it
        self.emp_prod.version_id.sudo().write({"department_id": self.sales.id})
        self.assertNotIn(self.emp_prod, self._tasks(document).employee_id)
        self.env["kam.periodic.duty"]._cron_kam_duties()
        self.assertIn(self.emp_prod, self._tasks(document).employee_id)
        document.active = False
        self.assertFalse(self._tasks(document, state="pending"), "archived: no more tasks")

    def test_who_acknowledges(self):
        document = self._release(self._document()).document_id
        own = self._tasks(document, employee_id=self.emp_user.id)
        other = self._tasks(document, employee_id=self.emp_prod.id)
        Ack = self.Ack.with_user(self.kam_user)
        self.assertEqual(Ack.search([]), own, "a user sees their own tasks only")
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).action_acknowledge()
        for field, value in (("employee_id", self.emp_prod.id), ("acknowledged_date", False)):
            with self.assertRaisesRegex(UserError, "set by the workflow"):
                own.with_user(self.kam_user).write({field: value})
        # from the document form: "I have read and understood it"
        self.assertTrue(document.with_user(self.kam_user).my_ack_pending)
        document.with_user(self.kam_user).action_acknowledge()
        self.assertEqual((own.state, own.method), ("done", "self"))
        self.assertEqual(own.acknowledged_date, datetime.datetime(2026, 3, 16, 9, 0))
        self.assertFalse(document.with_user(self.kam_user).my_ack_pending)
        # an officer records the paper signature of an employee without a user
        other.with_user(self.kam_officer).action_acknowledge()
        self.assertEqual((other.method, other.acknowledged_by_id), ("recorded", self.kam_officer))
        # kept as it is
        with self.assertRaises(UserError):
            own.with_user(self.kam_manager).write({"state": "pending"})
        with self.assertRaises(UserError):
            own.unlink()
        with self.assertRaisesRegex(UserError, "nothing to acknowledge"):
            document.with_user(self.kam_user).action_acknowledge()

    def test_the_employee_reads_only_the_effective_version(self):
        document = self._document()
        first = self._release(document, body="<p>Old text</p>")
        task = self._tasks(document, employee_id=self.emp_user.id)
        task.with_user(self.kam_user).action_acknowledge()
        self._release(document, revision="major", body="<p>New text</p>")
        as_user = task.with_user(self.kam_user)
        self.assertFalse(as_user.content_body, "an old acknowledgement shows no obsolete text")
        new_task = self._tasks(document, employee_id=self.emp_user.id, state="pending")
        self.assertIn("New text", new_task.with_user(self.kam_user).content_body)
        self.assertNotIn(first, self.Version.with_user(self.kam_user).search([]))

    def test_reminders(self):
        document = self._release(self._document()).document_id
        self.emp_prod.parent_id = self.emp_officer
        read = self.env.ref("kam_management.mail_activity_kam_document_read")

        def reminders():
            return self.env["mail.activity"].search(
                [("res_model", "=", self.Ack._name), ("activity_type_id", "=", read.id)]
            )

        self.Ack._kam_duty_run()
        self.assertFalse(reminders(), "not before the date to read by")
        with freeze_time("2026-03-30 09:00:00"):
            self.Ack._kam_duty_run()
            by_user = {a.user_id: a for a in reminders()}
            self.assertEqual(set(by_user), {self.kam_user, self.kam_officer})
            self.assertIn("Read and acknowledge", by_user[self.kam_user].summary)
            # no user: the employee's manager has them read it
            self.assertIn("Piet Production has not read", by_user[self.kam_officer].summary)
            self.Ack._kam_duty_run()
            self.assertEqual(len(reminders()), 2, "once")
            document.with_user(self.kam_user).action_acknowledge()
            self.assertEqual(reminders().user_id, self.kam_officer, "read: the reminder goes")

    def test_who_has_not_read_what(self):
        document = self._release(self._document(code="WI-12")).document_id
        self._tasks(document, employee_id=self.emp_user.id).with_user(
            self.kam_user
        ).action_acknowledge()
        toolbox = self.env["kam.toolbox"].create(
            {"name": "Extraction", "department_id": self.production.id}
        )
        toolbox.action_invite_department()
        toolbox.attendee_ids.filtered(lambda a: a.employee_id == self.emp_prod).action_present()
        toolbox.action_held()
        Report = self.env["kam.awareness.report"].with_user(self.kam_officer)
        rows = Report.search([("employee_id", "in", (self.emp_user | self.emp_prod).ids)])
        status = {(r.employee_id, r.kind, r.done) for r in rows}
        self.assertEqual(
            status,
            {
                (self.emp_user, "document", True),
                # attending a meeting about another subject is not reading the document
                (self.emp_prod, "document", False),
                (self.emp_prod, "toolbox", True),
                (self.emp_user, "toolbox", False),
            },
        )
        not_done = Report.search([("done", "=", False), ("employee_id", "=", self.emp_prod.id)])
        self.assertEqual(not_done.subject, "WI-12 Welding procedure")
        groups = Report._read_group(
            [("employee_id", "in", (self.emp_user | self.emp_prod).ids)],
            ["employee_id"],
            ["open_count:sum", "done_count:sum"],
        )
        self.assertEqual(
            {employee: (open_, done) for employee, open_, done in groups},
            {self.emp_user: (1, 1), self.emp_prod: (1, 1)},
        )
        with self.assertRaises(AccessError):
            self.env["kam.awareness.report"].with_user(self.kam_user).search([])

    def test_sync_is_flat(self):
        """The sync costs the same for 1 and for 40 employees and 10 documents."""
        Employee = self.env["hr.employee"]

        def release_documents(count):
            documents = self.Document
            for _i in range(count):
                documents |= self._release(self._document()).document_id
            return documents

        one = release_documents(1)
        Employee.create({"name": "One", "department_id": self.production.id})
        q1 = count_queries(self.env, lambda: self.Ack._kam_sync(documents=one))
        many = release_documents(10)
        Employee.create(
            [{"name": f"Many {i}", "department_id": self.welding.id} for i in range(40)]
        )
        self.assertEqual(len(self._tasks(many[0])), 2 + 1 + 40)
        # nothing to change: two queries for the audience and the tasks, at any size
        q_many = count_queries(self.env, lambda: self.Ack._kam_sync(documents=many))
        self.assertEqual(q_many, q1)
        # 40 new employees for 11 documents: one create per batch
        new_employees = Employee.with_context(tracking_disable=True).create(
            [{"name": f"New {i}", "department_id": self.production.id} for i in range(3)]
        )
        self.Ack.search([("employee_id", "in", new_employees.ids)]).unlink()
        q_create3 = count_queries(self.env, lambda: self.Ack._kam_sync(employees=new_employees))
        more = Employee.with_context(tracking_disable=True).create(
            [{"name": f"More {i}", "department_id": self.production.id} for i in range(40)]
        )
        self.Ack.search([("employee_id", "in", more.ids)]).unlink()
        q_create40 = count_queries(self.env, lambda: self.Ack._kam_sync(employees=more))
        self.assertEqual(self.Ack.search_count([("employee_id", "in", more.ids)]), 40 * 11)
        # Odoo inserts 100 rows per INSERT: one more query per 100 tasks, not per task
        self.assertLessEqual(
            q_create40, q_create3 + 440 // 100, f"33 tasks: {q_create3}, 440: {q_create40}"
        )

    def test_reminder_job_is_flat(self):
        """The reminders of 1 and of 30 overdue tasks cost the same."""

        def overdue(count):
            # each with their own user: the reminders go to as many users
            start = len(self.env["hr.employee"].search([("name", "=like", "Late %")]))
            users = self.env["res.users"].create(
                [
                    {
                        "name": f"Late {start + i}",
                        "login": f"late_{start + i}",
                        "group_ids": [
                            Command.link(self.env.ref("kam_management.group_kam_user").id)
                        ],
                    }
                    for i in range(count)
                ]
            )
            return self.env["hr.employee"].create(
                [
                    {"name": user.name, "department_id": self.sales.id, "user_id": user.id}
                    for user in users
                ]
            )

        document = self._release(self._document(department_ids=[Command.set(self.sales.ids)]))
        overdue(1)
        with freeze_time("2026-04-01"):
            q1 = count_queries(self.env, self.Ack._kam_duty_run)
        overdue(30)
        with freeze_time("2026-04-01"):
            q30 = count_queries(self.env, self.Ack._kam_duty_run)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", self.Ack._name),
                    ("res_id", "in", self._tasks(document.document_id).ids),
                ]
            ),
            1 + 1 + 30 + 1,
        )
        self.assertLessEqual(q30, q1 + 3, f"1: {q1} queries, 30: {q30}")
