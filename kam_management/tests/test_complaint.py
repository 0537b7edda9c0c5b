import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.kam_management.models.kam_case_complaint import add_working_days

from .test_case import KamCaseCommon

RAW_MAIL = """Return-Path: <inkoop@bouwbedrijf-test.example.com>
To: complaints@kam-test.example.com
Received: by mail.example.com
Message-Id: <complaint-1@bouwbedrijf-test.example.com>
Date: Mon, 16 Nov 2026 10:00:00 +0100
From: "Jan Inkoop" <inkoop@bouwbedrijf-test.example.com>
Subject: Beschadigde leuningen bij order {order}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"

Bij levering van order {order} waren drie leuningen beschadigd. Zie foto.

--BOUNDARY
Content-Type: image/png; name="schade.png"
Content-Disposition: attachment; filename="schade.png"
Content-Transfer-Encoding: base64

{png}
--BOUNDARY--
"""

REPLY_MAIL = """Return-Path: <inkoop@bouwbedrijf-test.example.com>
To: complaints@kam-test.example.com
Message-Id: <complaint-2@bouwbedrijf-test.example.com>
In-Reply-To: <complaint-1@bouwbedrijf-test.example.com>
References: <complaint-1@bouwbedrijf-test.example.com>
From: "Jan Inkoop" <inkoop@bouwbedrijf-test.example.com>
Subject: Re: Beschadigde leuningen
Content-Type: text/plain; charset="utf-8"

Aanvulling: het gaat om de RVS leuningen.
"""


@tagged("post_install", "-at_install")
class TestComplaint(KamCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"].search([("name", "=", "kam_management")])._load_module_terms(
            ["kam_management"], ["nl_NL"], overwrite=True
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bouwbedrijf Test B.V.", "is_company": True, "lang": "nl_NL"}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Jan Inkoop",
                "parent_id": cls.customer.id,
                "lang": "nl_NL",
                "email": "inkoop@bouwbedrijf-test.example.com",
            }
        )
        cls.english = cls.env["res.partner"].create(
            {
                "name": "Acme Ltd",
                "is_company": True,
                "lang": "en_US",
                "email": "qa@acme.example.com",
            }
        )
        cls.product = cls.env["product.product"].create({"name": "RVS leuning"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 3})
                ],
            }
        )
        cls.order.action_confirm()

    def test_working_days(self):
        friday = date(2026, 11, 20)
        self.assertEqual(add_working_days(friday, 1), date(2026, 11, 23))  # Monday
        self.assertEqual(add_working_days(friday, 3), date(2026, 11, 25))  # Wednesday
        self.assertEqual(add_working_days(friday, 10), date(2026, 12, 4))
        self.assertEqual(add_working_days(date(2026, 11, 21), 1), date(2026, 11, 23))  # Saturday
        self.assertEqual(add_working_days(friday, 0), friday)

    def test_register_from_sale_order(self):
        action = self.order.action_kam_register_complaint()
        ctx = action["context"]
        self.assertEqual(ctx["default_sale_order_id"], self.order.id)
        self.assertEqual(ctx["default_partner_id"], self.customer.id)
        self.assertEqual(ctx["default_contact_id"], self.contact.id)
        salesperson = new_test_user(
            self.env,
            login="kam_salesperson",
            groups="sales_team.group_sale_salesman_all_leads,kam_management.group_kam_user",
        )
        with Form(self.env["kam.case"].with_user(salesperson).with_context(**ctx)) as form:
            form.complaint_category_id = self.env.ref(
                "kam_management.kam_complaint_category_product"
            )
            form.sale_line_ids.add(self.order.order_line[0])
            form.product_id = self.product
            form.date_received = date(2026, 11, 20)
            form.claimed_impact = "Three railings to replace on site"
        complaint = form.record
        self.assertEqual(complaint.case_type, "complaint")
        self.assertTrue(complaint.name.startswith("KL/2026/"))
        self.assertEqual(complaint.channel, "phone")
        self.assertEqual(complaint.res_name, self.order.name)
        self.assertEqual(complaint.answer_deadline, date(2026, 12, 4))  # 10 working days
        # counts on the documents
        self.assertEqual(self.order.kam_complaint_count, 1)
        self.assertEqual(self.customer.kam_complaint_count, 1)
        self.assertEqual(self.contact.kam_complaint_count, 1)
        self.assertEqual(self.product.product_tmpl_id.kam_complaint_count, 1)
        listed = self.order.action_kam_view_complaints()
        self.assertEqual(self.env["kam.case"].search(listed["domain"]), complaint)

    def test_acknowledgement_in_the_customers_language(self):
        dutch = self.Case.create(
            {
                "title": "Late delivery",
                "case_type": "complaint",
                "partner_id": self.customer.id,
                "contact_id": self.contact.id,
                "date_received": date(2026, 11, 20),
            }
        )
        english = self.Case.create(
            {
                "title": "Wrong colour",
                "case_type": "complaint",
                "partner_id": self.english.id,
                "date_received": date(2026, 11, 20),
            }
        )
        self.assertTrue(dutch.acknowledgement_due, "sent right after the commit")
        self.Case._cron_kam_acknowledgements()
        self.assertTrue(dutch.acknowledged_date)
        mail_nl = self.env["mail.mail"].search(
            [("model", "=", "kam.case"), ("res_id", "=", dutch.id)]
        )
        mail_en = self.env["mail.mail"].search(
            [("model", "=", "kam.case"), ("res_id", "=", english.id)]
        )
        self.assertEqual(len(mail_nl), 1, "one queued acknowledgement")
        self.assertEqual(mail_nl.state, "outgoing", "queued, not sent inline")
        self.assertIn(dutch.name, mail_nl.subject)
        self.assertIn("Wij hebben uw klacht ontvangen", mail_nl.subject)
        dutch_date = dutch.answer_deadline.strftime(
            self.env["res.lang"]._lang_get("nl_NL").date_format
        )
        self.assertIn(dutch_date, str(mail_nl.body_html))
        self.assertIn("Wij hebben uw klacht geregistreerd", str(mail_nl.body_html))
        self.assertEqual(mail_nl.recipient_ids, self.contact)
        self.assertIn("We received your complaint", mail_en.subject)
        self.assertIn(english.name, mail_en.body_html)
        # complaints without a known customer (e.g. anonymous) get no mail
        nobody = self.Case.create({"title": "Anonymous", "case_type": "complaint"})
        self.assertFalse(nobody.acknowledged_date)

    def test_complaint_by_email(self):
        png = base64.b64encode(b"\\x89PNG\\r\\n\\x1a\\nfake image").decode()
        raw = RAW_MAIL.format(order=self.order.name, png=png)
        case_id = self.env["mail.thread"].message_process("kam.case", raw)
        complaint = self.env["kam.case"].browse(case_id)
        self.assertEqual(complaint.case_type, "complaint")
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.contact_id, self.contact, "the sender is matched to the contact")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.sale_order_id, self.order, "the order reference is linked")
        self.assertIn("Beschadigde leuningen", complaint.title)
        self.assertIn("drie leuningen", complaint.description)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "kam.case"), ("res_id", "=", complaint.id)]
        )
        self.assertIn("schade.png", attachments.mapped("name"))
        # a reply threads into the same complaint
        self.env["mail.thread"].message_process("kam.case", REPLY_MAIL)
        self.assertEqual(self.env["kam.case"].search_count([("title", "ilike", "leuningen")]), 1)
        self.assertTrue(complaint.message_ids.filtered(lambda m: "RVS leuningen" in (m.body or "")))

    def test_unknown_sender_becomes_a_contact(self):
        raw = RAW_MAIL.replace("inkoop@bouwbedrijf-test.example.com", "nieuw@klant.example.com")
        raw = raw.format(order="S99999", png="")
        complaint = self.env["kam.case"].browse(
            self.env["mail.thread"].message_process("kam.case", raw)
        )
        self.assertEqual(complaint.contact_id.email, "nieuw@klant.example.com")
        self.assertFalse(complaint.sale_order_id)

    @freeze_time("2026-03-16")
    def test_overdue_answers(self):
        late = self.Case.create(
            {
                "title": "Late answer",
                "case_type": "complaint",
                "user_id": self.kam_officer.id,
                "date_received": date(2026, 1, 5),
                "date_found": date(2026, 1, 5),
            }
        )
        self.assertEqual(late.deadline, late.answer_deadline, "the answer is what is due")
        self.assertTrue(late.is_overdue)
        fresh = self.Case.create({"title": "Fresh", "case_type": "complaint"})
        self.Case._kam_duty_run()
        self.Case._kam_duty_run()  # idempotent
        overdue_type = self.env.ref("kam_management.mail_activity_kam_answer_overdue")
        self.assertEqual(
            len(late.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type)), 1
        )
        self.assertEqual(late.activity_ids.user_id, self.kam_officer)
        self.assertFalse(fresh.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type))
        # a corrected date received gives a new answer deadline: due again once late
        self.assertEqual(late.kam_duty_state, "reminded")
        late.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type).action_done()
        late.date_received = date(2026, 2, 2)
        self.assertEqual(late.kam_duty_state, "pending")
        self.Case._kam_duty_run()
        self.assertEqual(
            len(late.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type)), 1
        )

    def test_every_role_opens_the_form(self):
        """The case form opens for the reporting KAM user and for officers and managers
        without sales rights, on a complaint that points at a sale order."""
        complaint = self.Case.create(
            {
                "title": "Order complaint",
                "case_type": "complaint",
                "partner_id": self.customer.id,
                "sale_order_id": self.order.id,
                "sale_line_ids": [Command.set(self.order.order_line.ids)],
                "reported_by_id": self.kam_user.id,
                "user_id": self.kam_officer.id,
            }
        )
        for user in (self.kam_user, self.kam_officer, self.kam_manager):
            with Form(complaint.with_user(user)) as form:
                self.assertEqual(form.title, "Order complaint")
        officer_form = Form(complaint.with_user(self.kam_officer))
        self.assertEqual(officer_form.sale_order_id, self.order)
