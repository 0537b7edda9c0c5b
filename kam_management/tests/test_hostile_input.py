"""Malformed and hostile input on the public and portal forms and the XLSX
route (issue 14, defects 4 and 5): a 400 or the form again with a translated
message, never a 500, never a partial record; markup is the user's text, kept
whole and escaped, whatever is left unclosed."""

import io
import json
import re
from urllib.parse import quote

from odoo.tests import HttpCase, new_test_user, tagged

from ..tools import input_rules

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
UNCLOSED_TAGS = ("object", "style", "iframe", "script", "embed", "template")


@tagged("post_install", "-at_install")
class TestHostileInput(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("kam_management.public_form_max_per_ip", "1000")
        params.set_param("kam_management.public_form_max_per_email", "1000")
        customer = cls.env["res.partner"].create({"name": "Hostile Klant B.V.", "is_company": True})
        contact = cls.env["res.partner"].create(
            {"name": "Hanna Hostile", "parent_id": customer.id, "email": "hanna@hostile.example"}
        )
        new_test_user(
            cls.env, login="kam_hostile_portal", groups="base.group_portal", partner_id=contact.id
        )
        new_test_user(
            cls.env,
            login="kam_hostile_officer",
            groups="kam_management.group_kam_officer",
        )
        cls.report_path = cls.env.company._kam_report_path()

    # ------------------------------------------------------------ helpers
    def _counts(self):
        return (
            self.env["kam.case"].search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", "kam.case")]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
        )

    def _post(self, path, data, files=None):
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200, path)
        data = dict(data, csrf_token=CSRF_RE.search(page.text).group(1))
        return self.url_open(path, data=data, files=files)

    def _public(self, files=None, path="/kam/complaint", **values):
        data = {
            "name": "Hanna Hostile",
            "email": "hanna@hostile.example",
            "title": "Bent railing",
            "description": "Bent on arrival.",
        }
        return self._post(path, dict(data, **values), files)

    def _portal(self, files=None, **values):
        self.authenticate("kam_hostile_portal", "kam_hostile_portal")
        data = {"title": "Bent railing", "description": "Bent on arrival."}
        return self._post("/my/complaints/new", dict(data, **values), files)

    def _safe(self, files=None, **values):
        data = {"title": "Oil on the floor", "description": "Near press 3.", "anonymous": "1"}
        return self._post(self.report_path, dict(data, **values), files)

    def _forms(self):
        return (
            ("public complaint", self._public),
            ("portal complaint", self._portal),
            ("safe report", self._safe),
        )

    def _last_case(self):
        return self.env["kam.case"].search([], order="id desc", limit=1)

    def _assert_refused(self, response, message=None):
        self.assertEqual(response.status_code, 400, response.text[:300])
        if message:
            self.assertIn(message, response.text)

    # ------------------------------------------------------------ defect 5
    def test_unclosed_markup_is_kept_as_text(self):
        """Nothing after an unclosed tag is lost; it is stored escaped."""
        for name, post in self._forms():
            for tag in UNCLOSED_TAGS:
                with self.subTest(form=name, tag=tag):
                    title = f"Cable <{tag} loose at press 3"
                    description = f"Before <{tag} data=x\nafter the tag, second line\n<{tag}"
                    response = post(title=title, description=description)
                    self.assertIn(response.status_code, (200, 303), response.text[:300])
                    case = self._last_case()
                    self.assertEqual(case.title, title)
                    stored = str(case.description)
                    self.assertIn(f"Before &lt;{tag} data=x", stored)
                    self.assertIn("after the tag, second line", stored)
                    self.assertNotIn(f"<{tag}", stored)
                    self.assertNotIn(f"<{tag}", response.text.split("</head>", 1)[-1])
        # and in the back office: the quick report wizard
        wizard = self.env["kam.incident.quick.report"].create(
            {"title": "Leak <iframe", "incident_kind": "unsafe", "description": "a <style b\nc"}
        )
        wizard.action_report()
        case = self.env["kam.case"].search([("title", "=", "Leak <iframe")])
        self.assertEqual(str(case.description), "<p>a &lt;style b<br>c</p>")

    # ------------------------------------------------------------ defect 4
    def test_company_parameter(self):
        """Any ``company`` is read as an id or ignored: never a 500."""
        before = self._counts()
        for company in ("abc", "²", "-1", "1.5", "99999999999999999999", "1 OR 1=1", "\x00"):
            with self.subTest(company=company):
                self.assertEqual(
                    self.url_open(f"/kam/complaint?company={company}").status_code, 200
                )
                self._assert_refused(self._public(company=company, title=""))
        response = self._public(
            path="/kam/complaint?company=99999999999", title="", files={"company": io.BytesIO(b"1")}
        )
        self._assert_refused(response, "Please fill in the field “Subject”.")
        self.assertEqual(self._counts(), before)
        # an id beyond the database's integer range in the safe-reporting address
        token = self.env.company.kam_report_token
        response = self.url_open(f"/kam/report/99999999999999/{token}")
        self.assertEqual(response.status_code, 404)

    def test_field_sent_as_file(self):
        before = self._counts()
        for name, post in self._forms():
            with self.subTest(form=name):
                response = post(
                    title="", files={"title": ("title.txt", io.BytesIO(b"A title"), "text/plain")}
                )
                self._assert_refused(response, "Please fill in the field")
        response = self._safe(files={"when": ("when.txt", io.BytesIO(b"2026-01-01"), "text/plain")})
        self._assert_refused(response, "The field “When?” does not hold a valid date and time.")
        response = self._public(
            email="", files={"email": ("e.txt", io.BytesIO(b"a@example.com"), "text/plain")}
        )
        self._assert_refused(response, "Please fill in the field “E-mail address”.")
        self.assertEqual(self._counts(), before)

    def test_nul_bytes(self):
        """NUL and other control characters never reach the database."""
        for name, post in self._forms():
            with self.subTest(form=name):
                response = post(title="Nul\x00 byte\x07", description="a\x00b\x1bc")
                self.assertIn(response.status_code, (200, 303), response.text[:300])
                case = self._last_case()
                self.assertEqual(case.title, "Nul byte")
                self.assertIn("abc", str(case.description))
        before = self._counts()
        self._assert_refused(
            self._public(email="hanna\x00@hostile.example"), "is not a valid e-mail address"
        )
        self._assert_refused(self._safe(anonymous="0", email="x\x00@example.com"))
        self.assertEqual(self._counts(), before)

    def test_dates_out_of_range(self):
        before = self._counts()
        for when in ("0001-01-01T00:00", "1899-12-31T23:59", "9999-12-31T23:59", "0000-01-01"):
            with self.subTest(when=when):
                self._assert_refused(
                    self._safe(when=when), "The field “When?” does not hold a valid date and time."
                )
        self.assertEqual(self._counts(), before)
        values, errors = input_rules.validate(
            self.env, input_rules.SAFE_REPORT, {"title": "t", "description": "d", "when": 3}
        )
        self.assertIn("when", errors)
        self.assertFalse(values["when"])

    def test_record_id(self):
        record_id = input_rules.record_id
        self.assertEqual(record_id("12"), 12)
        self.assertEqual(record_id(12), 12)
        for value in ("", "0", "-1", "²", "1e3", " 1", "2147483648", 2**31, True, None, 1.0, []):
            with self.subTest(value=value):
                self.assertIsNone(record_id(value))

    def test_xlsx_malformed_domain(self):
        """A filter the register cannot use is a 400 with a message, never a 500."""
        self.authenticate("kam_hostile_officer", "kam_hostile_officer")
        case_fields = self.env["kam.case"]._fields
        not_searchable = next(
            name
            for name, field in case_fields.items()
            if not (field.store or field.search or field.related)
            and field.type not in ("one2many", "many2many")
        )
        deep_list = [["id", ">", 0]]
        for _i in range(60):
            deep_list = [deep_list]
        for domain_text in (
            "[" * 5000 + "]" * 5000,
            json.dumps(deep_list),
            json.dumps([[not_searchable, "=", "x"]]),
            json.dumps([["id", "in", ["x"]]]),
            json.dumps([["no_such_field", "=", 1]]),
            json.dumps([["id", "no-op", 1]]),
            json.dumps([["id", "IN", [1]]]),
            json.dumps([["id", "Ç", []]]),
            json.dumps([["id", ["="], 1]]),
            json.dumps([[["id", "=", 1]]]),
            json.dumps([{"a": 1}]),
            json.dumps([["id", "=", 1]] * 800),
            json.dumps([["title", "=", "nul\x00"]]),
            json.dumps([["date_found", ">", "not a date"]]),
            "[" * 15000,
            '"just a string"',
            "nul\x00",
        ):
            with self.subTest(domain=domain_text[:40]):
                response = self.url_open(
                    "/kam/xlsx/nonconformity?domain=" + quote(domain_text, safe="")
                )
                self.assertEqual(response.status_code, 400, response.text[:300])
