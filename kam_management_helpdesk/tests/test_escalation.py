import base64

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestEscalation(TransactionCase):
    """Tickets of OCA's helpdesk_mgmt become KAM complaints: by hand in one step,
    or by the escalation rules (category, tag, low rating, reopened); linked both
    ways; closing the complaint informs the ticket; one complaint per ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.agent = new_test_user(
            cls.env,
            login="hd_agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
            name="Helpdesk Agent",
        )
        cls.officer = new_test_user(
            cls.env,
            login="hd_kam_officer",
            groups="kam_management.group_kam_officer,helpdesk_mgmt.group_helpdesk_user",
            name="KAM Officer",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bouwbedrijf Test B.V.", "is_company": True, "email": "info@test.example.com"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Jan Test", "parent_id": cls.customer.id, "email": "jan@test.example.com"}
        )
        cls.category_quality = cls.env["helpdesk.ticket.category"].create({"name": "Quality"})
        cls.category_question = cls.env["helpdesk.ticket.category"].create({"name": "Question"})
        cls.tag_claim = cls.env["helpdesk.ticket.tag"].create({"name": "Claim"})
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.Rule = cls.env["kam.helpdesk.escalation.rule"]
        cls.Case = cls.env["kam.case"]

    def _ticket(self, **values):
        vals = {
            "name": "Scratched panels",
            "description": "<p>The panels arrived <b>scratched</b>.</p>",
            "partner_id": self.contact.id,
            "stage_id": self.stage_new.id,
        }
        vals.update(values)
        return self.env["helpdesk.ticket"].with_user(self.agent).create(vals).sudo()

    def _complaints(self):
        return self.Case.search(
            [("case_type", "=", "complaint"), ("partner_id", "=", self.customer.id)]
        )

    # ------------------------------------------------------------------ by hand
    def test_escalate_in_one_step(self):
        ticket = self._ticket()
        self.env["ir.attachment"].create(
            {
                "name": "photo.txt",
                "datas": base64.b64encode(b"scratches"),
                "res_model": "helpdesk.ticket",
                "res_id": ticket.id,
            }
        )
        # a helpdesk agent without KAM rights escalates; the complaint is registered
        result = ticket.with_user(self.agent).action_kam_escalate()
        ticket = ticket.sudo()
        case = ticket.kam_case_id
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(case.name, result["params"]["message"])
        self.assertTrue(case)
        self.assertEqual(case.case_type, "complaint")
        self.assertEqual(case.title, "Scratched panels")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.contact_id, self.contact)
        self.assertEqual(case.channel, "helpdesk")
        self.assertIn("scratched", case.description)
        self.assertEqual((case.res_model, case.res_id), ("helpdesk.ticket", ticket.id))
        # linked both ways
        self.assertEqual(case.helpdesk_ticket_ids, ticket)
        self.assertEqual(case.helpdesk_ticket_count, 1)
        # the attachments came along
        copied = self.env["ir.attachment"].search(
            [("res_model", "=", "kam.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(copied.mapped("name"), ["photo.txt"])
        self.assertIn(case.name, ticket.message_ids[0].body)
        # the agent sees the reference but cannot open the complaint
        self.assertEqual(ticket.with_user(self.agent).kam_case_name, case.name)
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).action_kam_open_complaint()
        action = ticket.with_user(self.officer).action_kam_open_complaint()
        self.assertEqual((action["res_model"], action["res_id"]), ("kam.case", case.id))

    def test_escalate_twice_is_one_complaint(self):
        ticket = self._ticket()
        ticket.with_user(self.officer).action_kam_escalate()
        ticket.with_user(self.officer).action_kam_escalate()
        self.assertEqual(len(self._complaints()), 1)
        # a second ticket about the same complaint, linked by hand: still one complaint
        other = self._ticket(name="Scratched panels (again)")
        other.with_user(self.officer).kam_case_id = ticket.kam_case_id
        self.assertEqual(ticket.kam_case_id.helpdesk_ticket_ids, ticket | other)
        other._kam_escalate()
        self.assertEqual(len(self._complaints()), 1)
        figures = self.env["kam.complaint.report"].search(
            [("company_id", "=", self.company.id), ("period_kind", "=", "all")]
        )
        self.assertEqual(
            figures.received_count,
            self.Case.search_count(
                [("case_type", "=", "complaint"), ("company_id", "=", self.company.id)]
            ),
        )

    # ------------------------------------------------------------------ rules
    def test_rule_category(self):
        self.Rule.create(
            {
                "name": "Quality tickets are complaints",
                "trigger": "category",
                "category_ids": [Command.set(self.category_quality.ids)],
            }
        )
        question = self._ticket(category_id=self.category_question.id)
        self.assertFalse(question.kam_case_id)
        quality = self._ticket(category_id=self.category_quality.id)
        self.assertTrue(quality.kam_case_id)
        # a category set later escalates too
        question.category_id = self.category_quality
        self.assertTrue(question.kam_case_id)
        self.assertNotEqual(question.kam_case_id, quality.kam_case_id)
        self.assertIn("Quality tickets are complaints", question.message_ids[0].body)

    def test_rule_tag(self):
        self.Rule.create(
            {"name": "Claims", "trigger": "tag", "tag_ids": [Command.set(self.tag_claim.ids)]}
        )
        ticket = self._ticket()
        self.assertFalse(ticket.kam_case_id)
        ticket.tag_ids = [Command.link(self.tag_claim.id)]
        self.assertTrue(ticket.kam_case_id)

    def test_rule_low_rating(self):
        self.Rule.create({"name": "Low rating", "trigger": "rating", "rating_max": 2})
        happy, unhappy, limit = self._ticket(), self._ticket(), self._ticket()
        Rating = self.env["rating.rating"].sudo()
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        for ticket, value in ((happy, 4), (unhappy, 1), (limit, 2)):
            rating = Rating.create(
                {"res_model_id": model_id, "res_id": ticket.id, "partner_id": self.contact.id}
            )
            self.assertFalse(ticket.kam_case_id, "an unanswered rating escalates nothing")
            rating.write({"rating": value, "consumed": True})
        self.assertFalse(happy.kam_case_id)
        self.assertTrue(unhappy.kam_case_id)
        self.assertTrue(limit.kam_case_id)

    def test_rule_reopened(self):
        self.Rule.create({"name": "Reopened", "trigger": "reopened"})
        ticket = self._ticket()
        ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.kam_case_id, "moving on is not reopening")
        ticket.stage_id = self.stage_done
        self.assertFalse(ticket.kam_case_id)
        ticket.stage_id = self.stage_progress
        self.assertTrue(ticket.kam_case_id)

    def test_rules_per_company_and_archived(self):
        other_company = self.env["res.company"].create({"name": "Other company"})
        rule = self.Rule.create(
            {"name": "Reopened elsewhere", "trigger": "reopened", "company_id": other_company.id}
        )
        ticket = self._ticket(stage_id=self.stage_done.id)
        ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.kam_case_id, "a rule of another company does not apply")
        rule.write({"company_id": self.company.id, "active": False})
        ticket.stage_id = self.stage_done
        ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.kam_case_id, "an archived rule does not apply")

    def test_one_complaint_whatever_the_rules(self):
        self.Rule.create(
            [
                {"name": "Claims", "trigger": "tag", "tag_ids": [Command.set(self.tag_claim.ids)]},
                {
                    "name": "Quality",
                    "trigger": "category",
                    "category_ids": [Command.set(self.category_quality.ids)],
                },
                {"name": "Low rating", "trigger": "rating"},
                {"name": "Reopened", "trigger": "reopened"},
            ]
        )
        ticket = self._ticket(
            category_id=self.category_quality.id, tag_ids=[Command.set(self.tag_claim.ids)]
        )
        case = ticket.kam_case_id
        ticket.stage_id = self.stage_done
        ticket.stage_id = self.stage_progress
        self.env["rating.rating"].sudo().create(
            {
                "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": ticket.id,
                "rating": 1,
                "consumed": True,
            }
        )
        self.assertEqual(ticket.kam_case_id, case)
        self.assertEqual(len(self._complaints()), 1)

    # ------------------------------------------------------------------ closing
    def test_closing_the_complaint_informs_the_ticket(self):
        ticket = self._ticket()
        ticket._kam_escalate()
        case = ticket.kam_case_id.with_user(self.officer)
        case.write({"no_action_needed": True, "no_action_reason": "Replaced the panels."})
        before = len(ticket.message_ids)
        # a complaint with a customer closes after the customer's answer (satisfied)
        case._kam_workflow_write().write({"satisfaction": "satisfied"})
        case.action_close()
        self.assertTrue(case.is_closed)
        notes = ticket.message_ids[: len(ticket.message_ids) - before]
        self.assertEqual(len(notes), 1)
        self.assertIn(case.name, notes.body)
        self.assertIn("closed", notes.body)
        # saving the closed complaint again says nothing more
        case.write({"color": 3})
        self.assertEqual(len(ticket.message_ids), before + 1)
