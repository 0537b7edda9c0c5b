"""The advice register: asked and unasked advice to management, the response,
the follow-up actions, and the reminder when an answer is due."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KamCommon

TODAY = datetime.date(2026, 3, 16)


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestAdvice(KamCommon):
    def _advice(self, **values):
        vals = {
            "name": "Replace the welding fume extraction",
            "kind": "unasked",
            "addressee_id": self.kam_manager.id,
            "advice": "<p>Exposure above half the limit value.</p>",
            "response_deadline": datetime.date(2026, 3, 30),
        }
        vals.update(values)
        return self.env["kam.advice"].with_user(self.kam_officer).create(vals)

    def test_register_and_workflow(self):
        advice = self._advice()
        self.assertEqual(advice.reference, "ADV/2026/0001")
        self.assertEqual(advice.user_id, self.kam_officer, "given by the coordinator")
        self.assertEqual(self._advice().reference, "ADV/2026/0002")
        advice.action_give()
        with self.assertRaisesRegex(UserError, "Record the decision"):
            advice.action_answered()
        advice.with_user(self.kam_manager).write(
            {"response": "<p>Agreed, budget Q2.</p>", "decision": "accepted"}
        )
        advice.with_user(self.kam_manager).action_answered()
        self.assertEqual(advice.response_date, TODAY)
        with self.assertRaisesRegex(UserError, "set by the workflow"):
            advice.write({"response_date": TODAY})
        advice.action_close()
        self.assertEqual(advice.closed_date, TODAY)
        with self.assertRaisesRegex(UserError, "is closed"):
            advice.write({"name": "Other"})
        with self.assertRaises(UserError):
            advice.unlink()
        advice.action_reopen()
        self.assertEqual(advice.state, "answered")
        draft = self._advice()
        draft.unlink()
        self.assertFalse(draft.exists(), "a draft may go")

    def test_follow_up_actions(self):
        advice = self._advice()
        action = self.env["kam.action"].create(
            {
                "name": "Order the torch extraction",
                "advice_id": advice.id,
                "user_id": self.kam_officer.id,
                "deadline": TODAY,
            }
        )
        self.assertEqual(action.source_ref, advice)
        self.assertEqual(advice.open_action_count, 1)
        self.assertEqual(action._kam_escalation_user(), self.kam_officer)

    def test_management_is_reminded_to_answer(self):
        advice = self._advice()
        Advice = self.env["kam.advice"]
        Advice._kam_duty_run()
        self.assertFalse(advice.activity_ids, "a draft waits for nothing")
        advice.action_give()
        Advice._kam_duty_run()
        self.assertFalse(advice.activity_ids, "not yet due")
        with freeze_time("2026-03-30"):
            Advice._kam_duty_run()
            Advice._kam_duty_run()
        self.assertEqual(advice.activity_ids.user_id, self.kam_manager)
        self.assertEqual(len(advice.activity_ids), 1)
        advice.write({"decision": "noted"})
        advice.action_answered()
        self.assertFalse(advice.activity_ids, "the answer closes it")

    def test_only_officers_and_managers(self):
        with self.assertRaises(AccessError):
            self.env["kam.advice"].with_user(self.kam_user).search([])
        other = self.env["kam.advice"].create(
            {"name": "Company 2 advice", "company_id": self.company_2.id}
        )
        self.assertNotIn(other, self.env["kam.advice"].with_user(self.kam_officer).search([]))
        advice = self._advice()
        advice.action_give()
        advice.write({"decision": "noted"})
        advice.action_answered()
        with self.assertRaisesRegex(AccessError, "Only KAM officers can close"):
            advice.with_user(self.kam_user).sudo(False).action_close()
