import re

from odoo import SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_public_pages_security import photo

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class SafeReportMixin:
    def _assert_no_personal_trace(self, case, user=None):
        """Nothing on an anonymous report points at who sent it."""
        case = case.sudo()
        self.assertTrue(case.is_anonymous)
        self.assertFalse(case.reported_by_id)
        self.assertFalse(case.reporter_name)
        self.assertFalse(case.reporter_email)
        self.assertEqual(case.create_uid.id, SUPERUSER_ID)
        self.assertEqual(case.write_uid.id, SUPERUSER_ID)
        self.assertFalse(case.message_follower_ids)
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "kam.case"), ("res_id", "=", case.id)])
        )
        self.assertFalse(messages, "no creation note, no tracking, no author")
        self.assertFalse(
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.res_id", "=", case.id),
                    ("mail_message_id.model", "=", "kam.case"),
                ]
            )
        )
        for attachment in (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "kam.case"), ("res_id", "=", case.id)])
        ):
            self.assertEqual(attachment.create_uid.id, SUPERUSER_ID)
        if user:
            self.assertNotEqual(case.create_uid, user)
            values = " ".join(str(v) for v in case.read()[0].values())
            self.assertNotIn(user.name, values)
            self.assertNotIn(user.login, values)


@tagged("post_install", "-at_install")
class TestQuickReport(SafeReportMixin, HttpCase):
    """Veilig melden from the back office (the wizard), and its tour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="quick_user", groups="kam_management.group_kam_user", name="Quinn Quick"
        )

    def _wizard(self, **values):
        vals = {"title": "Oil on the floor", "location": "Hall 1", "incident_kind": "unsafe"}
        vals.update(values)
        return self.env["kam.incident.quick.report"].with_user(self.user).create(vals)

    def test_named_report(self):
        wizard = self._wizard(description="Near press 3 <b>slippery</b>\n<script>x()</script>")
        result = wizard.action_report()
        self.assertEqual(result["tag"], "display_notification")
        case = self.env["kam.case"].search([("title", "=", "Oil on the floor")])
        self.assertEqual(case.case_type, "incident")
        self.assertEqual(case.reported_by_id, self.user)
        self.assertFalse(case.is_anonymous)
        self.assertIn(case.name, result["params"]["message"])
        # the reporter can follow their own report
        self.assertEqual(case.with_user(self.user).title, "Oil on the floor")
        self.assertIn(self.user.partner_id, case.message_partner_ids)
        # the shared input rules: markup is text, kept and escaped, as on the public page
        self.assertEqual(
            str(case.description),
            "<p>Near press 3 &lt;b&gt;slippery&lt;/b&gt;<br>&lt;script&gt;x()&lt;/script&gt;</p>",
        )

    def test_anonymous_report(self):
        wizard = self._wizard(anonymous=True, title="Blocked emergency exit")
        wizard.action_report()
        case = self.env["kam.case"].search([("title", "=", "Blocked emergency exit")])
        self._assert_no_personal_trace(case, self.user)
        # no wizard row is left to tie the text to its creator
        self.assertFalse(wizard.sudo().exists())
        # the reporter cannot find it again
        self.assertFalse(self.env["kam.case"].with_user(self.user).search([("id", "=", case.id)]))

    def test_input_rules(self):
        for values, message in (
            ({"title": "  "}, "Please fill in the field “What happened?”."),
            ({"title": " \x07\x1b "}, "Please fill in the field “What happened?”."),
            ({"title": "x" * 201}, "The field “What happened?” can be at most 200 characters"),
            ({"description": "x" * 5001}, "The field “Details” can be at most 5000 characters"),
            ({"location": "x" * 201}, "The field “Where?” can be at most 200 characters"),
        ):
            with self.subTest(message=message):
                with self.assertRaisesRegex(UserError, re.escape(message)):
                    self._wizard(**values).action_report()
        # every message at once
        with self.assertRaises(UserError) as caught:
            self._wizard(title="", location="x" * 201).action_report()
        self.assertEqual(len(str(caught.exception).splitlines()), 2)
        self.assertFalse(self.env["kam.case"].search([("case_type", "=", "incident")]))

    def test_tour_quick_report(self):
        self.start_tour("/odoo", "kam_incident_quick_report", login="quick_user")
        case = self.env["kam.case"].search([("title", "=", "Ladder without feet")])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.incident_kind, "near_miss")
        self.assertEqual(case.location, "Warehouse aisle C")
        self._assert_no_personal_trace(case, self.user)


@tagged("post_install", "-at_install")
class TestPublicSafeReport(SafeReportMixin, HttpCase):
    """The public page, through real HTTP as the public user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.path = cls.company._kam_report_path()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("kam_management.public_form_max_per_ip", "50")
        params.set_param("kam_management.public_form_max_per_email", "50")

    def _incidents(self):
        return self.env["kam.case"].search([("case_type", "=", "incident")])

    def _token(self):
        response = self.url_open(self.path)
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def _post(self, files=None, **data):
        values = {
            "csrf_token": self._token(),
            "title": "Forklift too fast",
            "incident_kind": "near_miss",
            "location": "Warehouse",
            "when": "2026-03-02T14:30",
            "description": "Nearly hit a colleague.",
            "anonymous": "1",
        }
        values.update(data)
        values = {k: v for k, v in values.items() if v is not None}
        return self.url_open(self.path, data=values, files=files)

    def test_every_company_has_an_address(self):
        """Set at install and on company creation: showing the address never writes."""
        self.assertFalse(self.env["res.company"].sudo().search([("kam_report_token", "=", False)]))
        other = self.env["res.company"].create({"name": "Safe report Co"})
        self.assertTrue(other.sudo().kam_report_token)
        kinney5 = self.env.ref("kam_management.kam_risk_method_kinney5")
        self.assertEqual(other.kam_risk_method_id, kinney5)
        self.assertEqual(self.company.kam_risk_method_id, kinney5)
        self.assertNotEqual(other.sudo().kam_report_token, self.company.sudo().kam_report_token)
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.kam_report_url.endswith(self.company._kam_report_path()))
        action = settings.action_kam_print_report_poster()
        self.assertTrue(action["url"].endswith("/poster"))

    def test_page_and_wrong_token(self):
        response = self.url_open(self.path)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.company.name, response.text)
        self.assertIn('name="anonymous"', response.text)
        for name in ("title", "incident_kind", "location", "description", "attachments"):
            self.assertRegex(response.text, rf'<(input|textarea|select)[^>]*name="{name}"')
        self.assertEqual(self.url_open(f"/kam/report/{self.company.id}/wrong").status_code, 404)
        self.assertEqual(self.url_open("/kam/report/999999/x").status_code, 404)
        # a new token closes the old address
        old = self.path
        self.company.action_kam_reset_report_token()
        self.assertEqual(self.url_open(old).status_code, 404)
        self.assertEqual(self.url_open(self.company._kam_report_path()).status_code, 200)

    def test_anonymous_report_leaves_no_trace(self):
        before = self._incidents()
        response = self._post(
            name="Should Be Ignored",
            email="ignored@example.com",
            files=[("attachments", ("jan-jansen-photo.jpg", photo(), "image/jpeg"))],
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertIn("received anonymously", response.text)
        case = self._incidents() - before
        self.assertEqual(len(case), 1)
        self.assertEqual(case.incident_kind, "near_miss")
        self.assertEqual(case.location, "Warehouse")
        self.assertTrue(case.incident_datetime)
        self._assert_no_personal_trace(case)
        self.assertNotIn("Ignored", str(case.sudo().read()[0]))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "kam.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertNotIn("jansen", attachment.name)
        self.assertNotIn("127.0.0.1", str(case.sudo().read()[0]))
        # the rate limiter holds keyed hashes only (the IP; no e-mail when anonymous)
        rows = self.env["kam.public.submission"].search([("form", "=", "incident")])
        self.assertEqual(len(rows), 1)
        self.assertRegex(rows.key_hash, r"^[0-9a-f]{64}$")
        self.assertNotIn("127.0.0.1", rows.key_hash)

    def test_named_report(self):
        before = self._incidents()
        response = self._post(anonymous=None, name="Nina Named", email="Nina@Example.com")
        self.assertEqual(response.status_code, 200)
        case = self._incidents() - before
        self.assertIn(case.name, response.text)
        self.assertFalse(case.is_anonymous)
        self.assertEqual(case.reporter_name, "Nina Named")
        self.assertEqual(case.reporter_email, "nina@example.com")
        self.assertEqual(
            len(self.env["kam.public.submission"].search([("form", "=", "incident")])), 2
        )

    def test_bad_csrf_token(self):
        before = self._incidents()
        with self.assertLogs("odoo.http", level="WARNING"):
            response = self._post(csrf_token="bad-token")
        self.assertEqual(response.status_code, 400)
        with self.assertLogs("odoo.http", level="WARNING"):
            response = self.url_open(self.path, data={"title": "No token", "description": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._incidents() - before)
        self.assertFalse(self.env["kam.public.submission"].search([]))

    def test_invalid_input_saves_nothing(self):
        before = self._incidents()
        for data, message in (
            ({"description": "x" * 5001}, "The field “Description” can be at most 5000"),
            ({"description": "x" * 30000}, "The field “Description” can be at most 5000"),
            ({"title": "t" * 201}, "The field “What happened?” can be at most 200"),
            ({"title": " \x00 "}, "Please fill in the field “What happened?”"),
            ({"when": "0001-01-01T00:00"}, "The field “When?” does not hold a valid date"),
            ({"incident_kind": "party"}, "choose the kind of incident"),
            ({"when": "yesterday"}, "The field “When?” does not hold a valid date and time."),
            ({"when": "2026-03-02T14:30" * 3}, "does not hold a valid date and time"),
            ({"location": "l" * 201}, "The field “Where?” can be at most 200 characters long."),
            ({"anonymous": None, "name": "n" * 101}, "“Your name” can be at most 100"),
            ({"anonymous": None, "email": "not-an-address"}, "not a valid e-mail address"),
        ):
            with self.subTest(data=list(data)):
                response = self._post(**data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertIn("Your report was not sent", response.text)
        response = self._post(
            files=[("attachments", ("big.jpg", b"0" * (5 * 1024 * 1024 + 1), "image/jpeg"))]
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("big.jpg is too large", response.text)
        self.assertFalse(self._incidents() - before)
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "kam.case"), ("res_id", "=", 0)])
        )

    def test_markup_is_text(self):
        """Markup is the reporter's text: kept whole, escaped, never live."""
        before = self._incidents()
        response = self._post(
            title="Loose <b>cable</b>",
            description='Cable <script>alert("evil")</script><img src=x onerror=alert(1)> end',
        )
        self.assertEqual(response.status_code, 200)
        case = self._incidents() - before
        self.assertEqual(case.title, "Loose <b>cable</b>")
        self.assertIn("Cable &lt;script&gt;alert(", case.description)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt; end", case.description)
        self.assertNotIn("<script", case.description)
        self.assertNotIn("<img", case.description)

    def test_flood(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "kam_management.public_form_max_per_ip", "3"
        )
        before = self._incidents()
        for i in range(3):
            self.assertEqual(self._post(title=f"Flood {i}").status_code, 200)
        response = self._post(title="Flood 4")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many reports", response.text)
        self.assertEqual(len(self._incidents() - before), 3)

    def test_poster(self):
        response = self.url_open(self.path + "/poster")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/report/barcode/?barcode_type=QR", response.text)
        self.assertIn("window.print()", response.text)
        qr = re.search(r'src="(/report/barcode/\?[^"]+)"', response.text).group(1)
        image = self.url_open(qr.replace("&amp;", "&"))
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.headers["Content-Type"], "image/png")
        self.assertEqual(
            self.url_open(f"/kam/report/{self.company.id}/bad/poster").status_code, 404
        )
