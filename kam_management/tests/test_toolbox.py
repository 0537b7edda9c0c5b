"""Toolbox meetings: invitations, attendance on the spot or afterwards, the
document it explains counts as read, and the plans per department that the
daily job turns into meetings."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_cron import count_queries
from .test_document import KamDocumentCommon


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestToolbox(KamDocumentCommon):
    def _toolbox(self, **values):
        vals = {
            "name": "New welding extraction",
            "department_id": self.production.id,
            "user_id": self.kam_user.id,
            "date": datetime.datetime(2026, 3, 16, 7, 0),
        }
        vals.update(values)
        return self.env["kam.toolbox"].create(vals)

    def _attendee(self, toolbox, employee):
        return toolbox.attendee_ids.filtered(lambda a: a.employee_id == employee)

    def test_invite_and_record_attendance(self):
        toolbox = self._toolbox()
        toolbox.with_user(self.kam_user).action_invite_department()
        self.assertEqual(toolbox.attendee_ids.employee_id, self.emp_user | self.emp_prod)
        toolbox.with_user(self.kam_user).action_invite_department()
        self.assertEqual(len(toolbox.attendee_ids), 2, "invited once")
        # the presenter marks who is there
        self._attendee(toolbox, self.emp_prod).with_user(self.kam_user).action_present()
        toolbox.with_user(self.kam_user).action_held()
        self.assertEqual(toolbox.held_date, datetime.date(2026, 3, 16))
        states = {a.employee_id: a.state for a in toolbox.attendee_ids}
        self.assertEqual(states, {self.emp_prod: "attended", self.emp_user: "absent"})
        self.assertEqual((toolbox.invited_count, toolbox.attended_count), (2, 1))
        self.assertEqual(toolbox.attendance_rate, 50.0)
        # held: the meeting itself no longer changes
        with self.assertRaisesRegex(UserError, "was held or cancelled"):
            toolbox.with_user(self.kam_officer).name = "Another subject"
        with self.assertRaises(UserError):
            toolbox.unlink()

    def test_read_afterwards(self):
        toolbox = self._toolbox(user_id=self.kam_officer.id)
        toolbox.action_invite_department()
        mine = self._attendee(toolbox, self.emp_user).with_user(self.kam_user)
        with self.assertRaisesRegex(UserError, "after the meeting was held"):
            mine.action_acknowledge()
        with self.assertRaisesRegex(UserError, "Only the presenter"):
            mine.action_present()
        toolbox.action_held()
        mine.action_acknowledge()
        self.assertEqual((mine.state, mine.recorded_by_id), ("acknowledged", self.kam_user))
        other = self._attendee(toolbox, self.emp_prod)
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).action_acknowledge()
        with self.assertRaisesRegex(UserError, "Only the presenter and KAM officers change"):
            mine.write({"employee_id": self.emp_prod.id})
        with self.assertRaises(UserError):
            mine.with_user(self.kam_officer).write({"state": "attended"})

    def test_attending_acknowledges_the_document(self):
        document = self._release(self._document(code="WI-12")).document_id
        toolbox = self._toolbox(document_id=document.id)
        toolbox.action_invite_department()
        toolbox.action_all_present()
        tasks = self._tasks(document)
        self.assertEqual(set(tasks.mapped("state")), {"done"})
        self.assertEqual(set(tasks.mapped("method")), {"toolbox"})
        self.assertEqual(tasks.toolbox_id, toolbox)
        self.assertEqual(tasks.acknowledged_by_id, self.env.user)

    def test_users_see_their_meetings(self):
        given = self._toolbox()
        invited = self._toolbox(user_id=self.kam_officer.id)
        invited.action_invite_department()
        other = self._toolbox(user_id=self.kam_officer.id, department_id=self.sales.id)
        other.action_invite_department()
        Toolbox = self.env["kam.toolbox"].with_user(self.kam_user)
        self.assertEqual(Toolbox.search([]), given | invited)
        with self.assertRaises(AccessError):
            invited.with_user(self.kam_user).write({"name": "Mine"})
        own = Toolbox.create({"name": "Ladder safety", "user_id": self.kam_user.id})
        self.assertEqual(own.user_id, self.kam_user)
        with self.assertRaises(AccessError):
            Toolbox.create({"name": "For someone else", "user_id": self.kam_officer.id})


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestToolboxPlan(KamDocumentCommon):
    def _plan(self, **values):
        vals = {
            "name": "Monthly toolbox production",
            "department_id": self.production.id,
            "user_id": self.kam_officer.id,
            "frequency": "monthly",
            "next_date": datetime.date(2026, 3, 25),
        }
        vals.update(values)
        return self.env["kam.toolbox.plan"].create(vals)

    def test_the_job_creates_the_next_meeting(self):
        self.company.kam_toolbox_plan_days = 14
        plan = self._plan(next_date=datetime.date(2026, 4, 15))
        self.env["kam.toolbox.plan"]._kam_duty_run()
        self.assertFalse(plan.toolbox_ids, "30 days ahead: not yet")
        plan.next_date = datetime.date(2026, 3, 25)
        self.env["kam.toolbox.plan"]._kam_duty_run()
        toolbox = plan.toolbox_ids
        self.assertEqual(len(toolbox), 1)
        self.assertEqual(toolbox.state, "planned")
        self.assertEqual(toolbox.attendee_ids.employee_id, self.emp_user | self.emp_prod)
        # 7:30 in Amsterdam (winter time: UTC+1)
        self.assertEqual(toolbox.date, datetime.datetime(2026, 3, 25, 6, 30))
        activity = toolbox.activity_ids
        self.assertEqual(
            (activity.user_id, activity.date_deadline),
            (self.kam_officer, datetime.date(2026, 3, 25)),
        )
        self.assertEqual(plan.next_date, datetime.date(2026, 4, 25), "moved on by the frequency")
        self.env["kam.toolbox.plan"]._kam_duty_run()
        self.assertEqual(len(plan.toolbox_ids), 1, "one meeting per date")
        # holding the meeting closes the presenter's activity
        toolbox.action_held()
        self.assertFalse(toolbox.activity_ids)

    def test_plans_are_flat_per_chunk(self):
        def plans(count):
            departments = self.env["hr.department"].create(
                [{"name": f"Team {i}", "parent_id": self.production.id} for i in range(count)]
            )
            self.env["hr.employee"].create(
                [{"name": f"Member {i}", "department_id": d.id} for i, d in enumerate(departments)]
            )
            return self.env["kam.toolbox.plan"].create(
                [
                    {
                        "name": f"Toolbox {d.name}",
                        "department_id": d.id,
                        "user_id": self.kam_officer.id,
                        "next_date": datetime.date(2026, 3, 20),
                    }
                    for d in departments
                ]
            )

        plans(1)
        q1 = count_queries(self.env, self.env["kam.toolbox.plan"]._kam_duty_run)
        created = plans(20)
        q20 = count_queries(self.env, self.env["kam.toolbox.plan"]._kam_duty_run)
        self.assertEqual(len(created.toolbox_ids), 20)
        self.assertLessEqual(q20, q1 + 4, f"1 plan: {q1} queries, 20 plans: {q20}")

    def test_weekly_and_access(self):
        plan = self._plan(frequency="weekly", next_date=datetime.date(2026, 3, 18))
        self.env["kam.toolbox.plan"]._kam_duty_run()
        self.assertEqual(plan.next_date, datetime.date(2026, 3, 25))
        with self.assertRaises(AccessError):
            self.env["kam.toolbox.plan"].with_user(self.kam_user).search([])
        plan.department_id = self.sales
        self.assertEqual(
            plan.with_user(self.kam_officer).action_view_toolboxes()["domain"],
            [("plan_id", "=", plan.id)],
        )
