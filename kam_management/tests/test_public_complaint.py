import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestPublicComplaintForm(HttpCase):
    """The login-free complaint form, through real HTTP as the public user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the sender of the mails to the customer (without it no mail is queued)
        cls.env.company.email = "kwaliteit@kam-test.example.com"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Webform Klant B.V.", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Wim Web", "parent_id": cls.customer.id, "email": "wim@webklant.example.com"}
        )
        other = cls.env["res.partner"].create({"name": "Someone Else B.V.", "is_company": True})
        product = cls.env["product.product"].create({"name": "Webform test product"})
        cls.own_order, cls.other_order = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for partner in (cls.customer, other)
            ]
        )
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("kam_management.public_form_max_per_ip", "50")
        params.set_param("kam_management.public_form_max_per_email", "50")

    # ------------------------------------------------------------------ helpers
    def _complaints(self):
        return self.env["kam.case"].search([("case_type", "=", "complaint")])

    def _token(self):
        response = self.url_open("/kam/complaint")
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def _post(self, files=None, **data):
        values = {
            "csrf_token": self._token(),
            "name": "Wim Web",
            "email": "wim@webklant.example.com",
            "title": "Railing delivered bent",
            "description": "The railing was bent on arrival.",
        }
        values.update(data)
        return self.url_open("/kam/complaint", data=values, files=files)

    def _assert_refused(self, response, message, status=400):
        self.assertEqual(response.status_code, status)
        self.assertIn(message, response.text)

    # ------------------------------------------------------------------ tests
    def test_form_page(self):
        response = self.url_open("/kam/complaint")
        self.assertEqual(response.status_code, 200)
        self.assertIn('action="/kam/complaint"', response.text)
        for name in ("name", "email", "title", "description", "attachments"):
            self.assertRegex(response.text, rf'<(input|textarea)[^>]*name="{name}"')
        self.assertRegex(response.text, CSRF_RE)
        self.assertIn(self.env.company.name, response.text)

    def test_submit_existing_contact_with_own_order(self):
        before = self._complaints()
        response = self._post(
            order_reference=self.own_order.name.lower(),
            files=[
                ("attachments", ("photo.txt", b"bent railing", "text/plain")),
                ("attachments", ("note.txt", b"second file", "text/plain")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        complaint = self._complaints() - before
        self.assertEqual(len(complaint), 1)
        self.assertIn(complaint.name, response.text)
        self.assertEqual(complaint.channel, "web")
        # a known address: linked only once its owner confirms (the mailed link)
        self.assertFalse(complaint.contact_id)
        self.assertFalse(complaint.sale_order_id)
        self.assertEqual(complaint.kam_claim_partner_id, self.contact)
        complaint._kam_confirm_claim()
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.sale_order_id, self.own_order)
        self.assertTrue(complaint.acknowledgement_due, "sent right after the commit")
        self.env["kam.case"]._cron_kam_acknowledgements()
        self.assertTrue(complaint.acknowledged_date, "the acknowledgement mail is queued")
        # the mail, not the page, carries the link to follow the complaint
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "kam.case"),
                ("res_id", "=", complaint.id),
                ("subject", "not ilike", "confirm"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(f"/my/complaints/{complaint.id}?access_token=", mail.body_html)
        self.assertNotIn("access_token", response.text)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "kam.case"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(sorted(attachments.mapped("raw")), [b"bent railing", b"second file"])

    def test_submit_new_contact_other_order_not_linked(self):
        before_partners = self.env["res.partner"].search([])
        response = self._post(
            name="Nieuwe Klager",
            email="Nieuw@Example.com",
            company_name="Klager B.V.",
            phone="+31 6 12345678",
            order_reference=self.other_order.name,
        )
        self.assertEqual(response.status_code, 200)
        contact = self.env["res.partner"].search([]) - before_partners
        self.assertEqual(len(contact), 1)
        self.assertEqual(contact.email, "nieuw@example.com")
        complaint = self.env["kam.case"].search([("contact_id", "=", contact.id)])
        self.assertFalse(complaint.sale_order_id, "someone else's order is never linked")
        self.assertIn(self.other_order.name, complaint.description)
        self.assertEqual(contact.phone, "+31 6 12345678")
        self.assertEqual(contact.company_name, "Klager B.V.")

    def test_markup_is_text(self):
        """Markup is the customer's text: kept whole, escaped, never live."""
        before = self._complaints()
        response = self._post(
            title="<b>Bold</b> title<script>alert(1)</script>",
            description='Broken <script>alert("x")</script><img src=x onerror=alert(2)>part'
            " &lt;script&gt;evil()&lt;/script&gt; end",
        )
        self.assertEqual(response.status_code, 200)
        complaint = self._complaints() - before
        self.assertEqual(complaint.title, "<b>Bold</b> title<script>alert(1)</script>")
        text = complaint.description
        self.assertNotIn("<script", text)
        self.assertNotIn("<img", text)
        self.assertIn("Broken &lt;script&gt;alert(", text)
        self.assertIn("&amp;lt;script&amp;gt;evil()&amp;lt;/script&amp;gt; end", text)

    def test_bad_csrf_token(self):
        before = self._complaints()
        with self.assertLogs("odoo.http", level="WARNING"):
            response = self._post(csrf_token="bad-token")
        self.assertEqual(response.status_code, 400)
        with self.assertLogs("odoo.http", level="WARNING"):
            response = self.url_open("/kam/complaint", data={"title": "No token"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._complaints() - before)
        self.assertFalse(self.env["kam.public.submission"].search([]))

    def test_invalid_input_saves_nothing(self):
        before = self._complaints()
        before_partners = self.env["res.partner"].search_count([])
        cases = [
            (
                {"description": "x" * 5001},
                "The field “Description” can be at most 5000 characters long.",
            ),
            (
                {"description": "x" * 30000},
                "The field “Description” can be at most 5000 characters long.",
            ),
            ({"title": "t" * 201}, "The field “Subject” can be at most 200 characters long."),
            ({"title": "\x00\x00"}, "Please fill in the field “Subject”."),
            ({"name": ""}, "Please fill in the field “Name”."),
            ({"email": "not-an-address", "name": "Kept name"}, "not-an-address is not a valid"),
            ({"email": "a@example.com, b@example.com"}, "is not a valid e-mail address"),
        ]
        for data, message in cases:
            with self.subTest(data=list(data)):
                response = self._post(**data)
                self._assert_refused(response, message)
        # what the user typed is shown again
        self.assertIn("Kept name", self._post(email="bad", name="Kept name").text)
        response = self._post(
            files=[("attachments", ("big.bin", b"0" * (5 * 1024 * 1024 + 1), "text/plain"))]
        )
        self._assert_refused(response, "big.bin is too large: a file can be at most 5 MB.")
        response = self._post(
            files=[("attachments", (f"f{i}.txt", b"x", "text/plain")) for i in range(4)]
        )
        self._assert_refused(response, "You can send at most 3 files.")
        self.assertFalse(self._complaints() - before)
        self.assertEqual(self.env["res.partner"].search_count([]), before_partners)
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "kam.case"), ("res_id", "=", 0)])
        )

    def test_flood_per_ip(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "kam_management.public_form_max_per_ip", "3"
        )
        before = self._complaints()
        for i in range(3):
            response = self._post(email=f"flood{i}@example.com", title=f"Flood {i}")
            self.assertEqual(response.status_code, 200)
        response = self._post(email="flood9@example.com", title="Flood 9")
        self._assert_refused(response, "too many submissions", status=429)
        self.assertEqual(len(self._complaints() - before), 3)
        # invalid attempts count too: the limit is on attempts, not on successes
        response = self._post(email="flood10@example.com", description="")
        self.assertEqual(response.status_code, 429)

    def test_flood_per_email(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "kam_management.public_form_max_per_email", "2"
        )
        before = self._complaints()
        self.assertEqual(self._post(title="One").status_code, 200)
        self.assertEqual(self._post(title="Two").status_code, 200)
        response = self._post(title="Three", email="WIM@webklant.example.com")
        self._assert_refused(response, "too many submissions", status=429)
        self.assertEqual(self._post(title="Other sender", email="x@example.com").status_code, 200)
        self.assertEqual(len(self._complaints() - before), 3)

    def test_rate_limit_keeps_no_address(self):
        self._post(email="private@example.com")
        rows = self.env["kam.public.submission"].search([])
        self.assertEqual(len(rows), 2, "one row for the IP address, one for the e-mail address")
        for row in rows:
            self.assertEqual(row.form, "complaint")
            self.assertRegex(row.key_hash, r"^[0-9a-f]{64}$")
            self.assertNotIn("127.0.0.1", row.key_hash)
            self.assertNotIn("private", row.key_hash)
        # forgotten after a day
        rows.write({"attempt_date": fields.Datetime.now() - timedelta(hours=25)})
        self.env["kam.public.submission"]._cron_purge()
        self.assertFalse(rows.exists())

    def test_honeypot(self):
        before = self._complaints()
        response = self._post(website_url="http://spam.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self._complaints() - before)
