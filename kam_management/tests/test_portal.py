import json
import re

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_dutch

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    """The customer portal for complaints: list, detail, new complaint form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Portal Customer A B.V.", "is_company": True})
        cls.contact_a = Partner.create(
            {"name": "Anna A", "parent_id": cls.customer_a.id, "email": "anna@a.example.com"}
        )
        cls.customer_b = Partner.create({"name": "Portal Customer B B.V.", "is_company": True})
        cls.contact_b = Partner.create(
            {"name": "Bert B", "parent_id": cls.customer_b.id, "email": "bert@b.example.com"}
        )
        cls.user_a = new_test_user(
            cls.env, login="kam_portal_a", groups="base.group_portal", partner_id=cls.contact_a.id
        )
        cls.user_b = new_test_user(
            cls.env, login="kam_portal_b", groups="base.group_portal", partner_id=cls.contact_b.id
        )
        product = cls.env["product.product"].create({"name": "Portal test railing"})
        cls.order_a, cls.order_b, cls.draft_order_a = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for partner in (cls.contact_a, cls.contact_b, cls.customer_a)
            ]
        )
        (cls.order_a | cls.order_b).action_confirm()
        Case = cls.env["kam.case"].with_context(kam_no_acknowledgement=True)
        cls.complaint_a = Case.create(
            {
                "case_type": "complaint",
                "title": "Scratched railing for A",
                "partner_id": cls.customer_a.id,
                "contact_id": cls.contact_a.id,
                "sale_order_id": cls.order_a.id,
                "description": "<p>The railing was scratched.</p>",
            }
        )
        cls.complaint_b = Case.create(
            {
                "case_type": "complaint",
                "title": "Late delivery for B",
                "partner_id": cls.customer_b.id,
                "contact_id": cls.contact_b.id,
            }
        )
        cls.nonconformity_a = Case.create(
            {
                "case_type": "nonconformity",
                "title": "Internal nonconformity about A",
                "partner_id": cls.customer_a.id,
            }
        )

    # ------------------------------------------------------------------ helpers
    def _complaints(self):
        return self.env["kam.case"].search([("case_type", "=", "complaint")])

    def _csrf_token(self):
        response = self.url_open("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        match = CSRF_RE.search(response.text)
        self.assertTrue(match, "the form has a CSRF token")
        for name in ("title", "description", "sale_order_id", "attachments"):
            self.assertRegex(response.text, rf'<(input|textarea|select)[^>]*name="{name}"')
        return match.group(1)

    def _post_complaint(self, **data):
        data.setdefault("csrf_token", self._csrf_token())
        return self.url_open("/my/complaints/new", data=data)

    # ------------------------------------------------------------------ tests
    def test_home_counter(self):
        self.authenticate("kam_portal_a", "kam_portal_a")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-placeholder_count="complaint_count"', response.text)
        self.assertIn('href="/my/complaints"', response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(counters["complaint_count"], 1)

    def test_list_only_own(self):
        self.authenticate("kam_portal_a", "kam_portal_a")
        response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint_a.name, response.text)
        self.assertIn(self.complaint_a.title, response.text)
        self.assertIn(self.complaint_a.stage_id.name, response.text)
        self.assertNotIn(self.complaint_b.name, response.text)
        self.assertNotIn(self.complaint_b.title, response.text)
        self.assertNotIn(self.nonconformity_a.title, response.text)
        response = self.url_open("/my/complaints/page/2")
        self.assertEqual(response.status_code, 200)

    def test_detail_access(self):
        self.authenticate("kam_portal_a", "kam_portal_a")
        # own complaint, without token
        response = self.url_open(f"/my/complaints/{self.complaint_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint_a.title, response.text)
        self.assertIn(self.complaint_a.stage_id.name, response.text)
        self.assertIn(self.order_a.name, response.text)
        self.assertIn("The railing was scratched.", response.text)
        self.assertIn('id="discussion"', response.text)  # portal chatter
        # the other customer's complaint, a non-complaint case, a missing case
        for case_id in (self.complaint_b.id, self.nonconformity_a.id, 999999999):
            response = self.url_open(f"/my/complaints/{case_id}", allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertURLEqual(response.headers["Location"], "/my")
        response = self.url_open(f"/my/complaints/{self.complaint_b.id}")
        self.assertNotIn(self.complaint_b.title, response.text)
        # a token of a non-complaint case does not open it either
        token = self.nonconformity_a.sudo()._portal_ensure_token()
        response = self.url_open(
            f"/my/complaints/{self.nonconformity_a.id}?access_token={token}",
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))

    def test_only_complaints_have_a_portal_page(self):
        incident = self.env["kam.case"].create(
            {"case_type": "incident", "title": "Near miss", "incident_kind": "near_miss"}
        )
        for case in (self.nonconformity_a, incident):
            with self.subTest(case=case.case_type):
                self.assertEqual(case.access_url, "#")
                self.assertNotIn("/my/complaints", case.get_portal_url())
        self.assertEqual(self.complaint_a.access_url, f"/my/complaints/{self.complaint_a.id}")

    def test_closed_complaint_shows_its_outcome(self):
        complaint = self.complaint_a
        complaint.write(
            {
                "justification": "justified",
                "justification_reason": "The railings were packed without corner protection.",
                "correction": "<p>Three new railings delivered on site.</p>",
            }
        )
        self.env["kam.cause"].create(
            [
                {
                    "case_id": complaint.id,
                    "name": "No packing instruction for railings",
                    "category": "method",
                    "is_root_cause": True,
                },
                {"case_id": complaint.id, "name": "Internal only", "category": "man"},
            ]
        )
        self.env["kam.action"].create(
            {
                "name": "Packing instruction for railings",
                "case_id": complaint.id,
                "user_id": self.env.ref("base.user_admin").id,
                "deadline": complaint.date_found,
            }
        ).action_done()
        self.authenticate("kam_portal_a", "kam_portal_a")
        open_page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertNotIn("o_kam_complaint_outcome", open_page, "no outcome while open")
        complaint.with_context(kam_closing_values={}).sudo()._kam_workflow_write().write(
            {"satisfaction": "satisfied"}
        )
        complaint.sudo().action_close()
        self.assertTrue(complaint.is_closed)
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertIn("o_kam_complaint_outcome", page)
        self.assertIn("We consider your complaint justified.", page)
        self.assertIn("packed without corner protection", page)
        self.assertIn("Three new railings delivered on site.", page)
        self.assertIn("No packing instruction for railings", page)
        self.assertNotIn("Internal only", page, "only the root cause is shown to the customer")
        self.assertIn("Packing instruction for railings", page)
        link = re.search(r'href="([^"]*report_type=pdf[^"]*)"', page)
        self.assertTrue(link, "a link to the complaint report")
        pdf = self.url_open(link.group(1).replace("&amp;", "&"))
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        # the test runner renders the report's HTML instead of calling wkhtmltopdf
        self.assertIn(complaint.name.encode(), pdf.content)
        # another customer gets neither the page nor the report
        self.authenticate("kam_portal_b", "kam_portal_b")
        response = self.url_open(
            f"/my/complaints/{complaint.id}?report_type=pdf", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))

    def test_portal_in_the_users_language(self):
        """A Dutch customer whose browser asks for English signs in: the portal
        is Dutch (before: the English cookie of the login page won)."""
        load_dutch(self.env)
        self.contact_a.lang = "nl_NL"
        self.user_a.password = "kam_portal_a"
        self.opener.headers["Accept-Language"] = "en-US,en;q=0.9"
        # a public page first (the browser loads some while signing in): English
        self.url_open("/kam/complaint")
        self.assertEqual(self.opener.cookies.get("frontend_lang"), "en_US", "the browser's")
        page = self.url_open("/web/login").text
        token = CSRF_RE.search(page).group(1)
        signed_in = self.url_open(
            "/web/login",
            data={"login": "kam_portal_a", "password": "kam_portal_a", "csrf_token": token},
        )
        self.assertNotIn("/web/login", signed_in.url)
        page = self.url_open("/my/complaints").text
        self.assertIn("Klachten", page)
        self.assertNotIn(">Complaints<", page)
        # the page's scripts (the chatter) load their texts in Dutch too
        session_info = json.loads(re.search(r"odoo.__session_info__ = (.*?);\n", page).group(1))
        self.assertEqual(session_info["user_context"]["lang"], "nl_NL")

    def test_portal_chatter_texts_in_dutch(self):
        """The portal's scripts (its chatter: mail's texts) get Dutch."""
        self.env["res.lang"]._activate_lang("nl_NL")
        response = self.url_open("/website/translations?lang=nl_NL")
        self.assertEqual(response.status_code, 200)
        modules = response.json()["modules"]
        self.assertIn("mail", modules)
        messages = {m["id"]: m["string"] for m in modules["mail"]["messages"]}
        self.assertEqual(messages.get("The conversation is empty."), "Het gesprek is leeg.")

    def test_detail_token(self):
        # anonymous visitor with the access token (link in the e-mail)
        url = self.complaint_b.get_portal_url()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint_b.title, response.text)
        response = self.url_open(
            f"/my/complaints/{self.complaint_b.id}?access_token=wrong", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))

    def test_chatter_post(self):
        self.authenticate("kam_portal_a", "kam_portal_a")
        response = self.url_open(f"/my/complaints/{self.complaint_a.id}")
        token = re.search(r'data-token="([^"]+)"', response.text).group(1)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "kam.case",
                "thread_id": self.complaint_a.id,
                "post_data": {"body": "Any news on this?", "message_type": "comment"},
                "token": token,
            },
        )
        message = self.complaint_a.message_ids[:1]
        self.assertIn("Any news on this?", str(message.body))
        self.assertEqual(message.author_id, self.contact_a)

    def test_new_complaint(self):
        self.authenticate("kam_portal_a", "kam_portal_a")
        form = self.url_open("/my/complaints/new")
        self.assertIn(self.order_a.name, form.text)
        self.assertNotIn(self.order_b.name, form.text)
        self.assertNotIn(self.draft_order_a.name, form.text)
        before = self._complaints()
        response = self._post_complaint(
            title="Broken <i>glass</i> panel<script>alert(1)</script>",
            description="Two panels broken.\n\n<b>not bold</b><script>alert(2)</script>",
            sale_order_id=str(self.order_a.id),
        )
        self.assertEqual(response.status_code, 200)
        new = self._complaints() - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.channel, "portal")
        self.assertEqual(new.source, "customer")
        self.assertEqual(new.partner_id, self.customer_a)
        self.assertEqual(new.contact_id, self.contact_a)
        self.assertEqual(new.sale_order_id, self.order_a)
        # the shared input rules: markup is the customer's text, kept and escaped
        self.assertEqual(new.title, "Broken <i>glass</i> panel<script>alert(1)</script>")
        self.assertIn("&lt;b&gt;not bold&lt;/b&gt;&lt;script&gt;alert(2)", str(new.description))
        for fragment in ("<b>", "<script"):
            self.assertNotIn(fragment, str(new.description))
        self.assertTrue(response.url.endswith(f"/my/complaints/{new.id}"))
        self.assertIn("Broken &lt;i&gt;glass&lt;/i&gt; panel&lt;script&gt;", response.text)
        self.assertNotIn("<script>alert(1)", response.text)

    def test_new_complaint_attachment(self):
        self.authenticate("kam_portal_a", "kam_portal_a")
        before = self._complaints()
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": self._csrf_token(),
                "title": "Photo of the damage",
                "description": "See the photo.",
            },
            files=[
                ("attachments", ("damage.txt", b"damage", "text/plain")),
                ("attachments", ("<b>second</b>.txt", b"more", "text/plain")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        new = self._complaints() - before
        self.assertEqual(len(new), 1)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "kam.case"), ("res_id", "=", new.id)], order="id"
        )
        self.assertEqual(attachments.mapped("name"), ["damage.txt", "<b>second</b>.txt"])
        self.assertEqual(attachments.mapped("raw"), [b"damage", b"more"])
        # too large, too many: refused with the public form's messages, nothing created
        before = self._complaints()
        for files, message in (
            (
                [("attachments", ("big.bin", b"0" * (5 * 1024 * 1024 + 1), "text/plain"))],
                "big.bin is too large: a file can be at most 5 MB.",
            ),
            (
                [("attachments", (f"f{i}.txt", b"x", "text/plain")) for i in range(4)],
                "You can send at most 3 files.",
            ),
        ):
            with self.subTest(message=message):
                response = self.url_open(
                    "/my/complaints/new",
                    data={
                        "csrf_token": self._csrf_token(),
                        "title": "Files",
                        "description": "Files",
                    },
                    files=files,
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertFalse(self._complaints() - before)

    def test_new_complaint_refused(self):
        self.authenticate("kam_portal_a", "kam_portal_a")
        before = self._complaints()
        # the order of another customer
        response = self._post_complaint(
            title="Not my order", description="Trying", sale_order_id=str(self.order_b.id)
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("The selected order is not one of your confirmed orders.", response.text)
        self.assertIn("Not my order", response.text)  # what the user typed is kept
        # an unconfirmed order of the customer itself
        response = self._post_complaint(
            title="Draft", description="Trying", sale_order_id=str(self.draft_order_a.id)
        )
        self.assertIn("The selected order is not one of your confirmed orders.", response.text)
        # missing title
        response = self._post_complaint(title="  ", description="No title given")
        self.assertIn("Please fill in the field “Subject”.", response.text)
        self.assertIn("No title given", response.text)
        # title too long, or only control characters
        response = self._post_complaint(title="x" * 201, description="Long")
        self.assertIn("The field “Subject” can be at most 200 characters long.", response.text)
        response = self._post_complaint(title="\x00\x07", description="Only control characters")
        self.assertIn("Please fill in the field “Subject”.", response.text)
        # missing / too long description
        response = self._post_complaint(title="No description", description="")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please fill in the field “Description”.", response.text)
        # the message sits next to its field
        self.assertRegex(response.text, r'name="description"[^>]*class="form-control is-invalid"')
        response = self._post_complaint(title="Long description", description="y" * 5001)
        self.assertIn("The field “Description” can be at most 5000 characters long.", response.text)
        self.assertFalse(self._complaints() - before)

    def test_new_complaint_csrf(self):
        self.authenticate("kam_portal_a", "kam_portal_a")
        before = self._complaints()
        with self.assertLogs("odoo.http", level="WARNING"):
            response = self.url_open(
                "/my/complaints/new", data={"title": "No token", "description": "CSRF"}
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._complaints() - before)
