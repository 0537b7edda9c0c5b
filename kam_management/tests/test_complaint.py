import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.kam_management.models.kam_case_complaint import add_working_days

from .common import load_dutch
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
        load_dutch(cls.env)
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

    def _mails(self, case):
        # acknowledgements are sent by their job, right after the commit
        self.Case._cron_kam_acknowledgements()
        return self.env["mail.mail"].search([("model", "=", "kam.case"), ("res_id", "=", case.id)])

    def test_working_days(self):
        friday = date(2026, 11, 20)
        self.assertEqual(add_working_days(friday, 1), date(2026, 11, 23))  # Monday
        self.assertEqual(add_working_days(friday, 3), date(2026, 11, 25))  # Wednesday
        self.assertEqual(add_working_days(friday, 10), date(2026, 12, 4))
        self.assertEqual(add_working_days(date(2026, 11, 21), 1), date(2026, 11, 23))  # Saturday
        self.assertEqual(add_working_days(friday, 0), friday)

    @freeze_time("2026-11-23")
    def test_register_from_sale_order(self):
        """*Register complaint* opens the register dialog prefilled from the order;
        the complaint exists (and the customer is mailed) only after *Register*."""
        action = self.order.action_kam_register_complaint()
        self.assertEqual(action["res_model"], "kam.complaint.register")
        self.assertEqual(action["target"], "new")
        ctx = action["context"]
        self.assertEqual(ctx["default_sale_order_id"], self.order.id)
        self.assertEqual(ctx["default_partner_id"], self.customer.id)
        self.assertEqual(ctx["default_contact_id"], self.contact.id)
        salesperson = new_test_user(
            self.env,
            login="kam_salesperson",
            groups="sales_team.group_sale_salesman_all_leads,kam_management.group_kam_user",
        )
        Register = self.env["kam.complaint.register"].with_user(salesperson)
        with Form(Register.with_context(**ctx)) as form:
            form.title = "Railings bent"
            form.complaint_category_id = self.env.ref(
                "kam_management.kam_complaint_category_product"
            )
            form.sale_line_ids.add(self.order.order_line[0])
            form.product_id = self.product
            form.date_received = date(2026, 11, 20)
            form.claimed_impact = "Three railings to replace on site"
        wizard = form.record
        self.assertFalse(
            self.env["kam.case"].search([("sale_order_id", "=", self.order.id)]),
            "nothing is registered before Register",
        )
        opened = wizard.action_register()
        complaint = self.env["kam.case"].browse(opened["res_id"])
        self.assertEqual(complaint.case_type, "complaint")
        self.assertTrue(complaint.name.startswith("KL/2026/"))
        self.assertEqual(complaint.channel, "phone")
        self.assertEqual(complaint.res_name, self.order.name)
        self.assertEqual(complaint.sale_line_ids, self.order.order_line[0])
        self.assertEqual(complaint.create_uid, salesperson, "registered with the user's rights")
        self.assertEqual(complaint.answer_deadline, date(2026, 12, 4))  # 10 working days
        self.assertEqual(complaint.date_found, date(2026, 11, 20), "found when received")
        mails = self._mails(complaint)
        self.assertEqual(len(mails), 1, "one acknowledgement")
        # counts on the documents
        self.assertEqual(self.order.kam_complaint_count, 1)
        self.assertEqual(self.customer.kam_complaint_count, 1)
        self.assertEqual(self.contact.kam_complaint_count, 1)
        self.assertEqual(self.product.product_tmpl_id.kam_complaint_count, 1)
        listed = self.order.action_kam_view_complaints()
        self.assertEqual(self.env["kam.case"].search(listed["domain"]), complaint)
        # "Register complaint" above that list opens the dialog with the order again
        again = (
            self.env["kam.case"]
            .with_context(**listed["context"])
            .action_kam_register_complaint_list()
        )
        self.assertEqual(again["res_model"], "kam.complaint.register")
        self.assertEqual(again["context"]["default_sale_order_id"], self.order.id)
        self.assertFalse(listed["context"]["create"], "no form that saves itself")

    def test_acknowledgement_once(self):
        complaint = self.Case.create(
            {
                "title": "Late delivery",
                "case_type": "complaint",
                "partner_id": self.customer.id,
                "contact_id": self.contact.id,
            }
        )
        complaint._send_acknowledgement()
        complaint.write({"contact_id": self.contact.id})
        mails = self._mails(complaint)
        self.assertEqual(len(mails), 1)

    @freeze_time("2026-01-06")
    def test_received_in_the_past(self):
        """Received on 20 December 2025, entered on 6 January 2026: found on
        20 December, a 2025 reference, the answer due ten working days after
        20 December; a corrected date received moves them along (not the
        reference: a reference is never renumbered)."""
        Register = self.env["kam.complaint.register"]
        with Form(Register.with_context(default_partner_id=self.customer.id)) as form:
            form.title = "Railings delivered bent"
            form.date_received = date(2025, 12, 20)
        complaint = self.Case.browse(form.record.action_register()["res_id"])
        self.assertRegex(complaint.name, r"^KL/2025/\d{4}$")
        self.assertEqual(complaint.date_found, date(2025, 12, 20))
        self.assertEqual(complaint.answer_deadline, date(2026, 1, 2))
        self.assertEqual(complaint.deadline, complaint.answer_deadline)
        # the back-office form too: its default date found (today) does not win
        with Form(self.Case.with_context(default_case_type="complaint")) as case_form:
            case_form.title = "By phone, last year"
            case_form.date_received = date(2025, 12, 22)
        by_form = case_form.record
        self.assertRegex(by_form.name, r"^KL/2025/\d{4}$")
        self.assertEqual(by_form.date_found, date(2025, 12, 22))
        self.assertEqual(by_form.deadline, date(2026, 1, 5))
        # a corrected date received
        complaint.date_received = date(2025, 12, 29)
        self.assertEqual(complaint.date_found, date(2025, 12, 29))
        self.assertEqual(complaint.answer_deadline, date(2026, 1, 12))
        self.assertEqual(complaint.deadline, date(2026, 1, 12))
        self.assertRegex(complaint.name, r"^KL/2025/\d{4}$")

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
        raw = raw.replace('"Jan Inkoop"', '"Jan Dekker"').format(order="S99999", png="")
        complaint = self.env["kam.case"].browse(
            self.env["mail.thread"].message_process("kam.case", raw)
        )
        self.assertEqual(complaint.contact_id.email, "nieuw@klant.example.com")
        self.assertEqual(complaint.contact_id.name, "Jan Dekker", "the name, not the raw header")
        self.assertFalse(complaint.sale_order_id)

    def test_email_gets_a_reference_not_the_subject(self):
        raw = RAW_MAIL.format(order=self.order.name, png="")
        complaint = self.Case.browse(self.env["mail.thread"].message_process("kam.case", raw))
        self.assertRegex(complaint.name, r"^KL/\d{4}/\d{4}$")
        self.assertEqual(complaint.title, f"Beschadigde leuningen bij order {self.order.name}")
        mail = self._mails(complaint)
        self.assertEqual(len(mail), 1)
        self.assertIn(complaint.name, mail.subject, "the acknowledgement carries the reference")

    def test_email_new_contact_in_the_customers_language(self):
        """A new contact from a mail gets the language the mail is written in
        (else the company's), never the language of whoever processes the mail;
        the acknowledgement follows it."""
        self.env.company.partner_id.lang = "nl_NL"
        gateway = self.env["mail.thread"].with_context(lang="en_US")
        dutch = RAW_MAIL.replace("inkoop@bouwbedrijf-test.example.com", "jan@dekker.example.com")
        dutch = dutch.replace('"Jan Inkoop"', '"Jan Dekker"').format(order="S99999", png="")
        complaint = self.Case.browse(gateway.message_process("kam.case", dutch))
        self.assertEqual(complaint.contact_id.lang, "nl_NL")
        mail = self._mails(complaint)
        self.assertIn("Wij hebben uw klacht ontvangen", mail.subject)
        english = (
            RAW_MAIL.replace("inkoop@bouwbedrijf-test.example.com", "jo@acme-uk.example.com")
            .replace("complaint-1@", "complaint-en@")
            .replace('"Jan Inkoop"', '"Jo Smith"')
            .replace("Beschadigde leuningen bij order {order}", "Damaged railings")
            .replace(
                "Bij levering van order {order} waren drie leuningen beschadigd. Zie foto.",
                "Three of the railings we received were damaged. Please see the photo, we would "
                "like to have them replaced this week.",
            )
            .format(png="")
        )
        complaint_en = self.Case.browse(gateway.message_process("kam.case", english))
        self.assertEqual(complaint_en.contact_id.lang, "en_US")
        # too short to tell: the company's language
        short = (
            RAW_MAIL.replace("inkoop@bouwbedrijf-test.example.com", "x@short.example.com")
            .replace("complaint-1@", "complaint-short@")
            .replace("Beschadigde leuningen bij order {order}", "S00001")
            .replace("Bij levering van order {order} waren drie leuningen", "")
            .replace("beschadigd. Zie foto.", "")
            .format(png="")
        )
        complaint_short = self.Case.browse(gateway.message_process("kam.case", short))
        self.assertEqual(complaint_short.contact_id.lang, "nl_NL")

    def test_email_other_customers_order_not_linked(self):
        """An unknown sender who names another customer's order does not get it
        linked; the officer finds the reference in a note."""
        raw = RAW_MAIL.replace("inkoop@bouwbedrijf-test.example.com", "vreemd@elders.example.com")
        raw = raw.format(order=self.order.name, png="")
        complaint = self.Case.browse(self.env["mail.thread"].message_process("kam.case", raw))
        self.assertFalse(complaint.sale_order_id)
        self.assertNotEqual(complaint.partner_id, self.customer)
        self.assertFalse(complaint.res_model)
        self.assertIn(self.order.name, str(complaint.description))
        self.assertIn("not an order of this customer", str(complaint.description))

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
