import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintSatisfaction(HttpCase):
    """Closing asks the customer; their one-click answer closes or reopens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env, login="sat_officer", groups="kam_management.group_kam_officer"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Klant B.V.", "email": "klant@example.com", "lang": "en_US"}
        )

    def _complaint(self):
        case = self.env["kam.case"].create(
            {
                "title": "Scratched railings",
                "case_type": "complaint",
                "partner_id": self.customer.id,
                "user_id": self.officer.id,
                "why_ids": [(0, 0, {"name": "Packed without protection", "is_root_cause": True})],
            }
        )
        case.with_user(self.officer).action_request_satisfaction()
        return case

    def _answer(self, case, rate):
        """The customer's click in the mail, then the confirmation on the page."""
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "kam.case"),
                ("res_id", "=", case.id),
                ("subject", "ilike", "satisfied"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "queued, not sent inline")
        token = re.search(r"/rate/([^/]+)/5", str(mail.body_html)).group(1)
        page = self.url_open(f"/rate/{token}/{rate}")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": rate, "csrf_token": csrf, "feedback": "Thanks"},
        )
        self.assertEqual(response.status_code, 200)
        case.invalidate_recordset()

    def test_not_closed_before_the_customer_is_asked(self):
        case = self.env["kam.case"].create(
            {
                "title": "x",
                "case_type": "complaint",
                "partner_id": self.customer.id,
                "why_ids": [(0, 0, {"name": "root", "is_root_cause": True})],
            }
        )
        with self.assertRaisesRegex(UserError, "only be closed when the customer is satisfied"):
            case.with_user(self.officer).action_close()

    def test_satisfied_closes(self):
        case = self._complaint()
        self.assertEqual(case.stage_id, self.env.ref("kam_management.kam_case_stage_waiting"))
        self.assertEqual(case.satisfaction, "asked")
        self._answer(case, 5)
        self.assertEqual(case.satisfaction, "satisfied")
        self.assertTrue(case.is_closed)
        self.assertTrue(case.satisfaction_date)
        self.assertEqual(case.rating_ids.rating, 5)

    def test_not_satisfied_reopens_and_notifies(self):
        case = self._complaint()
        self._answer(case, 1)
        self.assertEqual(case.satisfaction, "not_satisfied")
        self.assertFalse(case.is_closed)
        self.assertEqual(case.stage_id, self.env.ref("kam_management.kam_case_stage_analysis"))
        activity = case.activity_ids.filtered(lambda a: "not satisfied" in (a.summary or ""))
        self.assertEqual(activity.user_id, self.officer)
        # the officer can ask again after new work
        case.with_user(self.officer).action_request_satisfaction()
        self.assertEqual(case.satisfaction, "asked")

    def test_close_without_answer_after_waiting(self):
        case = self._complaint()
        with self.assertRaisesRegex(UserError, "days to answer"):
            case.with_user(self.officer).action_close_without_answer()
        case.sudo().satisfaction_asked_date = fields.Datetime.now() - timedelta(days=15)
        case.with_user(self.officer).action_close_without_answer()
        self.assertTrue(case.is_closed)
        self.assertEqual(case.satisfaction, "no_answer")
