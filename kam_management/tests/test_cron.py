from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged, users, warmup

from .test_case import KamCaseCommon


def count_queries(env, func):
    env.flush_all()
    env.invalidate_all()
    before = env.cr.sql_log_count
    func()
    env.flush_all()
    return env.cr.sql_log_count - before


@freeze_time("2026-03-16")
@tagged("post_install", "-at_install")
class TestOverdueCron(KamCaseCommon):
    """Overdue actions, a periodic duty of kam.action: a reminder for the owner the
    day after the deadline, an escalation after the company's number of days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.remind = cls.env.ref("kam_management.mail_activity_kam_overdue")
        cls.escalate = cls.env.ref("kam_management.mail_activity_kam_escalation")
        cls.env.company.kam_escalation_days = 5

    def _overdue_actions(self, count, days_late):
        case = self._case(date_found=self.today - timedelta(days=60))
        return self.Action.create(
            [
                {
                    "name": f"Late {i}",
                    "case_id": case.id,
                    "user_id": self.kam_user.id,
                    "deadline": self.today - timedelta(days=days_late),
                }
                for i in range(count)
            ]
        )

    def _activities(self, actions, activity_type):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kam.action"),
                ("res_id", "in", actions.ids),
                ("activity_type_id", "in", activity_type.ids),
            ]
        )

    def test_reminder_then_escalation_idempotent(self):
        recent = self._overdue_actions(2, days_late=2)
        old = self._overdue_actions(3, days_late=10)
        on_time = self._action(self._case(), deadline=self.today + timedelta(days=1))
        self.Action._kam_duty_run()
        self.assertEqual(len(self._activities(recent | old, self.remind)), 5)
        self.assertEqual(self._activities(recent | old, self.remind).user_id, self.kam_user)
        escalations = self._activities(recent | old, self.escalate)
        self.assertEqual(escalations.mapped("res_id"), old.ids)
        self.assertEqual(escalations.user_id, self.kam_officer)
        self.assertEqual(set(recent.mapped("kam_duty_state")), {"reminded"})
        self.assertEqual(set(old.mapped("kam_duty_state")), {"escalated"})
        self.assertFalse(self._activities(on_time, self.remind))
        # run again: nothing new
        self.Action._kam_duty_run()
        self.assertEqual(len(self._activities(recent | old, self.remind)), 5)
        self.assertEqual(len(self._activities(recent | old, self.escalate)), 3)
        # done actions are left alone
        done = self._overdue_actions(1, days_late=3)
        done.action_done()
        self.Action._kam_duty_run()
        self.assertFalse(self._activities(done, self.remind))

    def test_small_batches_cover_everything(self):
        actions = self._overdue_actions(7, days_late=1)
        self.Action._kam_duty_run(batch_size=3)
        self.assertEqual(len(self._activities(actions, self.remind)), 7)

    def test_escalation_after_the_reminder(self):
        """An action reminded earlier is escalated once the days have passed; an
        escalation never comes before the reminder is due, even with 0 days."""
        action = self._overdue_actions(1, days_late=1)
        self.Action._kam_duty_run()
        self.assertEqual(action.kam_duty_state, "reminded")
        self.assertFalse(self._activities(action, self.escalate))
        with freeze_time("2026-03-20"):  # 5 days late
            self.Action._kam_duty_run()
        self.assertEqual(action.kam_duty_state, "escalated")
        self.assertEqual(len(self._activities(action, self.escalate)), 1)
        self.assertEqual(len(self._activities(action, self.remind)), 1)
        # without days: not on the deadline itself, only from the day after
        self.env.company.kam_escalation_days = 0
        due_today = self._overdue_actions(1, days_late=0)
        self.Action._kam_duty_run()
        self.assertEqual(due_today.kam_duty_state, "pending")
        self.assertFalse(self._activities(due_today, self.escalate | self.remind))
        with freeze_time("2026-03-17"):
            self.Action._kam_duty_run()
        self.assertEqual(due_today.kam_duty_state, "escalated")

    def test_escalation_user_hook(self):
        """Nobody to escalate to: the action stays reminded and is escalated as soon
        as there is someone (kam.action._kam_escalation_user decides who)."""
        action = self._overdue_actions(1, days_late=10)
        action.case_id.user_id = False
        self.Action._kam_duty_run()
        self.assertEqual(action.kam_duty_state, "reminded")
        self.assertFalse(self._activities(action, self.escalate))
        self.assertFalse(action._kam_escalation_user())
        action.case_id.user_id = self.kam_manager
        self.assertEqual(action._kam_escalation_user(), self.kam_manager)
        self.Action._kam_duty_run()
        self.assertEqual(self._activities(action, self.escalate).user_id, self.kam_manager)
        self.assertEqual(len(self._activities(action, self.remind)), 1)

    def test_cron_flat_1_vs_100(self):
        def make(n):
            case = self._case(date_found=self.today - timedelta(days=30))
            return self.Action.create(
                [
                    {
                        "name": f"A{i}",
                        "case_id": case.id,
                        "user_id": self.kam_user.id,
                        "deadline": self.today - timedelta(days=10),
                    }
                    for i in range(n)
                ]
            )

        one = make(1)
        q1 = count_queries(self.env, self.Action._kam_duty_run)
        self.assertEqual(len(one.activity_ids), 3)  # own to-do, reminder, escalation
        self.Action.search([("state", "=", "open")]).write({"state": "done"})
        hundred = make(100)
        q100 = count_queries(self.env, self.Action._kam_duty_run)
        self.assertEqual(len(hundred.activity_ids), 300)
        self.assertLessEqual(q100, q1 + 2, f"cron: {q1} queries for 1, {q100} for 100")

    def test_cron_queries_per_chunk(self):
        """Each chunk costs the same few queries, however many chunks: 4 chunks of 10
        overdue actions (reminder and escalation each) cost 4 x one chunk of 10."""

        def run(count):
            self._overdue_actions(count, days_late=10)
            return count_queries(self.env, lambda: self.Action._kam_duty_run(batch_size=10))

        q1 = run(10)
        self.Action.search([("state", "=", "open")]).write({"state": "done"})
        q4 = run(40)
        per_chunk = (q4 - q1) / 3
        self.assertLessEqual(per_chunk, q1, f"1 chunk: {q1} queries, 4 chunks: {q4}")
        self.assertLessEqual(per_chunk, 25, f"1 chunk: {q1} queries, 4 chunks: {q4}")
        self.assertEqual(len(self._activities(self.Action.search([]), self.escalate)), 50)


@tagged("post_install", "-at_install")
class TestQueryCounts(KamCaseCommon):
    """Query counts stay flat as the number of records grows."""

    def _count(self, func):
        return count_queries(self.env, func)

    def test_case_create_flat_1_vs_100(self):
        q1 = self._count(lambda: self.Case.create([{"title": "one"}]))
        q100 = self._count(lambda: self.Case.create([{"title": f"c{i}"} for i in range(100)]))
        # references come from one sequence query per batch; everything else is batched too
        self.assertLessEqual(q100, q1 + 5, f"create: {q1} for 1, {q100} for 100")

    def test_bulk_context_is_honoured(self):
        """Imports switch off followers and the creation note, as on any mail.thread."""
        bulk = self.Case.with_context(
            mail_create_nosubscribe=True, mail_create_nolog=True, tracking_disable=True
        ).create([{"title": f"bulk {i}", "user_id": self.kam_officer.id} for i in range(20)])
        self.assertFalse(bulk.message_follower_ids)
        self.assertFalse(bulk.message_ids)
        q20 = self._count(
            lambda: self.Case.with_context(tracking_disable=True).create(
                [{"title": f"b{i}"} for i in range(200)]
            )
        )
        self.assertLessEqual(q20, 12, f"bulk create of 200 cases: {q20} queries")
        normal = self.Case.with_user(self.kam_user).create(
            {"title": "normal", "user_id": self.kam_officer.id}
        )
        self.assertEqual(
            normal.message_follower_ids.partner_id,
            self.kam_user.partner_id | self.kam_officer.partner_id,
        )
        self.assertIn(normal.name, normal.message_ids[-1].body)

    def test_close_flat_1_vs_100(self):
        def make(n):
            return self.Case.create(
                [{"title": f"c{i}", "case_type": "improvement"} for i in range(n)]
            )

        one, hundred = make(1), make(100)
        officer = self.kam_officer
        q1 = self._count(lambda: one.with_user(officer).action_close())
        q100 = self._count(lambda: hundred.with_user(officer).action_close())
        self.assertTrue(all(hundred.mapped("is_closed")))
        self.assertLessEqual(q100, q1 + 5, f"close: {q1} for 1, {q100} for 100")

    @users("kam_officer")
    @warmup
    def test_case_create_query_count(self):
        # 16, plus the company's language for the creation note (2 reads, once per batch)
        with self.assertQueryCount(kam_officer=18):
            self.env["kam.case"].create({"title": "Counted", "user_id": self.kam_officer.id})
