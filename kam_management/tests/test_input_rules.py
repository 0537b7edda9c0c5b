import io
import re
from datetime import datetime

from werkzeug.datastructures import FileStorage, MultiDict

from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..tools import input_rules
from .common import load_dutch

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _upload(name, raw):
    return FileStorage(stream=io.BytesIO(raw), filename=name, content_type="text/plain")


@tagged("post_install", "-at_install")
class TestInputRules(TransactionCase):
    """tools/input_rules.py on its own: it needs an env, not a request."""

    def _validate(self, form, **data):
        return input_rules.validate(self.env, form, data)

    def test_text(self):
        form = input_rules.SAFE_REPORT
        limit = input_rules.LINE_MAX_LENGTH
        values, errors = self._validate(
            form,
            title="<b>Loose</b>   cable\n<script>alert(1)</script>",
            description="Line one\r\n\r\n\r\n\r\nLine &amp; two\x00",
            location="x" * limit,
        )
        self.assertFalse(errors)
        # markup is text: kept as typed (escaped where shown), never stripped
        self.assertEqual(values["title"], "<b>Loose</b> cable <script>alert(1)</script>")
        self.assertEqual(values["description"], "Line one\n\nLine &amp; two")
        self.assertEqual(values["location"], "x" * limit, "the limit itself is allowed")
        self.assertEqual(values["incident_kind"], "unsafe", "the default kind")
        self.assertEqual(values["when"], False)
        self.assertEqual(values["attachments"], [])
        _values, errors = self._validate(form, title="x" * (limit + 1), description=" \n\x00 \r\n")
        self.assertEqual(
            errors,
            {
                "title": "The field “What happened?” can be at most 200 characters long.",
                "description": "Please fill in the field “Description”.",
            },
        )

    def test_messages_in_dutch(self):
        load_dutch(self.env)
        nl = self.env(context={"lang": "nl_NL"})
        _values, errors = input_rules.validate(nl, input_rules.QUICK_REPORT, {"title": ""})
        self.assertEqual(errors["title"], "Vul het veld “Wat is er gebeurd?” in.")

    def test_email_choice_datetime(self):
        form = input_rules.SAFE_REPORT
        values, errors = self._validate(
            form,
            title="t",
            description="d",
            email=" Nina@Example.com ",
            incident_kind="near_miss",
            when="2026-03-02T14:30",
        )
        self.assertFalse(errors)
        self.assertEqual(values["email"], "nina@example.com")
        self.assertEqual(values["incident_kind"], "near_miss")
        self.assertEqual(values["when"], datetime(2026, 3, 2, 14, 30))
        moment = datetime(2026, 3, 2, 8, 0)
        self.assertEqual(self._validate(form, when=moment)[0]["when"], moment)
        _values, errors = self._validate(
            form,
            title="t",
            description="d",
            email="a@example.com, b@example.com",
            incident_kind="party",
            when="2026-13-45T99:99",
        )
        self.assertEqual(
            errors,
            {
                "email": "a@example.com, b@example.com is not a valid e-mail address.",
                "incident_kind": "Please choose the kind of incident from the list.",
                "when": "The field “When?” does not hold a valid date and time.",
            },
        )
        # choices that depend on the user: {value sent: value returned}
        order = self.env["sale.order"]
        form = input_rules.PORTAL_COMPLAINT
        choices = {"sale_order_id": {"7": order}}
        values, errors = input_rules.validate(
            self.env, form, {"title": "t", "description": "d", "sale_order_id": "7"}, choices
        )
        self.assertFalse(errors)
        self.assertIs(values["sale_order_id"], order)
        for sent in ("8", "abc", "7 OR 1=1"):
            _values, errors = input_rules.validate(
                self.env, form, {"title": "t", "description": "d", "sale_order_id": sent}, choices
            )
            self.assertEqual(
                errors, {"sale_order_id": "The selected order is not one of your confirmed orders."}
            )
        values, errors = input_rules.validate(
            self.env, form, {"title": "t", "description": "d", "sale_order_id": ""}, choices
        )
        self.assertFalse(errors)
        self.assertIsNone(values["sale_order_id"])

    def test_files(self):
        form = input_rules.PUBLIC_COMPLAINT
        files = MultiDict(
            [
                ("attachments", _upload("<b>photo</b>.jpg", b"jpeg")),
                ("attachments", _upload("", b"")),  # an empty file input
            ]
        )
        data = form.data({"title": "t"}, files)
        values, errors = input_rules.validate(self.env, form, data)
        self.assertNotIn("attachments", errors)
        self.assertEqual(
            values["attachments"],
            [{"name": "<b>photo</b>.txt", "raw": b"jpeg", "mimetype": "text/plain"}],
        )
        too_big = b"0" * (input_rules.UPLOAD_MAX_BYTES + 1)
        _values, errors = self._validate(form, attachments=[_upload("big.bin", too_big)])
        self.assertEqual(errors["attachments"], "big.bin is too large: a file can be at most 5 MB.")
        uploads = [_upload(f"f{i}.txt", b"x") for i in range(input_rules.UPLOAD_MAX_COUNT + 1)]
        _values, errors = self._validate(form, attachments=uploads)
        self.assertEqual(errors["attachments"], "You can send at most 3 files.")

    def test_redisplay(self):
        form = input_rules.SAFE_REPORT
        shown = form.redisplay({"title": "Typed", "description": ["not", "text"], "x": "y"})
        self.assertEqual(shown["title"], "Typed")
        self.assertEqual(shown["description"], "")
        self.assertNotIn("x", shown)
        self.assertNotIn("attachments", shown)

    def test_limits_declared_once(self):
        """Every form takes its limits from the one declaration."""
        line, text = input_rules.LINE_MAX_LENGTH, input_rules.TEXT_MAX_LENGTH
        forms = (
            input_rules.PUBLIC_COMPLAINT,
            input_rules.PORTAL_COMPLAINT,
            input_rules.SAFE_REPORT,
            input_rules.QUICK_REPORT,
        )
        for form in forms:
            self.assertEqual(form["title"].limit, line, form.name)
            self.assertEqual(form["description"].limit, text, form.name)
        for form in forms[:3]:
            self.assertEqual(form["attachments"].limit, input_rules.UPLOAD_MAX_COUNT)
        for form in forms[2:]:
            self.assertEqual(form["location"].limit, line)
        self.assertEqual(input_rules.PUBLIC_COMPLAINT["name"].limit, input_rules.NAME_MAX_LENGTH)
        self.assertEqual(input_rules.SAFE_REPORT["name"].limit, input_rules.NAME_MAX_LENGTH)
        self.assertEqual(input_rules.PUBLIC_COMPLAINT["phone"].limit, input_rules.PHONE_MAX_LENGTH)


@tagged("post_install", "-at_install")
class TestOneSetOfInputRules(HttpCase):
    """The four entry points (public complaint form, portal complaint form,
    safe-reporting page, quick report wizard) refuse the same input with the
    same message and report the same limits: those of tools/input_rules.py."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("kam_management.public_form_max_per_ip", "100")
        params.set_param("kam_management.public_form_max_per_email", "100")
        customer = cls.env["res.partner"].create({"name": "Rules Klant B.V.", "is_company": True})
        contact = cls.env["res.partner"].create(
            {"name": "Rita Rules", "parent_id": customer.id, "email": "rita@rules.example.com"}
        )
        new_test_user(
            cls.env, login="kam_rules_portal", groups="base.group_portal", partner_id=contact.id
        )
        cls.kam_user = new_test_user(
            cls.env, login="kam_rules_user", groups="kam_management.group_kam_user"
        )
        cls.report_path = cls.env.company._kam_report_path()

    # ------------------------------------------------------------ entry points
    def _post_form(self, path, data):
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        data = dict(data, csrf_token=CSRF_RE.search(page.text).group(1))
        return page.text, self.url_open(path, data=data)

    def _public_complaint(self, **values):
        data = {
            "name": "Rita Rules",
            "email": "rita@rules.example.com",
            "title": "Bent railing",
            "description": "Bent on arrival.",
        }
        return self._post_form("/kam/complaint", dict(data, **values))

    def _portal_complaint(self, **values):
        self.authenticate("kam_rules_portal", "kam_rules_portal")
        data = {"title": "Bent railing", "description": "Bent on arrival."}
        return self._post_form("/my/complaints/new", dict(data, **values))

    def _safe_report(self, **values):
        data = {"title": "Oil on the floor", "description": "Near press 3.", "anonymous": "1"}
        return self._post_form(self.report_path, dict(data, **values))

    def _quick_report(self, **values):
        """The wizard has no page: its message is the UserError."""
        data = {"title": "Oil on the floor", "incident_kind": "unsafe"}
        data.update(values)
        wizard = self.env["kam.incident.quick.report"].with_user(self.kam_user).create(data)
        with self.assertRaises(UserError) as caught:
            wizard.action_report()
        return str(caught.exception)

    def _entry_points(self):
        return (
            ("public complaint form", input_rules.PUBLIC_COMPLAINT, self._public_complaint),
            ("portal complaint form", input_rules.PORTAL_COMPLAINT, self._portal_complaint),
            ("safe-reporting page", input_rules.SAFE_REPORT, self._safe_report),
            ("quick report wizard", input_rules.QUICK_REPORT, self._quick_report),
        )

    def _message(self, entry_point, **values):
        """(message shown, maxlength attributes of the page or None) of a refused input."""
        result = entry_point(**values)
        if isinstance(result, str):
            return result, None
        page, response = result
        self.assertEqual(response.status_code, 400, "the form again, never a 500")
        maxlength = dict(
            re.findall(r'<(?:input|textarea)[^>]*name="(\w+)"[^>]*maxlength="(\d+)"', page)
        )
        return response.text, {name: int(value) for name, value in maxlength.items()}

    def _cases(self):
        return self.env["kam.case"].search_count([])

    def test_same_overlong_title_same_message(self):
        before = self._cases()
        limit = input_rules.LINE_MAX_LENGTH
        messages = {}
        for name, form, entry_point in self._entry_points():
            with self.subTest(entry_point=name):
                field = form["title"]
                self.assertEqual(field.limit, limit)
                expected = input_rules.too_long_message(self.env, field)
                text, maxlength = self._message(entry_point, title="x" * (limit + 1))
                self.assertIn(expected, text)
                if maxlength is not None:
                    self.assertEqual(maxlength["title"], limit, "the page says the same limit")
                # the same rule and words; only the field's own label differs
                messages[name] = expected.replace(self.env._(field.label), "…")
        self.assertEqual(
            set(messages.values()), {f"The field “…” can be at most {limit} characters long."}
        )
        self.assertEqual(self._cases(), before, "nothing saved")

    def test_same_limits_everywhere(self):
        """Every entry point reports the limits of the one declaration, on the
        page (maxlength) and in its refusal."""
        before = self._cases()
        for name, form, entry_point in self._entry_points():
            for field_name in ("description", "location"):
                if field_name not in form.fields:
                    continue
                field = form[field_name]
                with self.subTest(entry_point=name, field=field_name):
                    text, maxlength = self._message(
                        entry_point, **{field_name: "y" * (field.limit + 1)}
                    )
                    self.assertIn(input_rules.too_long_message(self.env, field), text)
                    self.assertIn(f"at most {field.limit} characters", text)
                    if maxlength is not None:
                        self.assertEqual(maxlength[field_name], field.limit)
        self.assertEqual(self._cases(), before)

    def test_blank_is_no_title_everywhere(self):
        """Spaces and control characters alone are no title, on every entry point."""
        before = self._cases()
        for name, form, entry_point in self._entry_points():
            with self.subTest(entry_point=name):
                text, _maxlength = self._message(entry_point, title=" \x07\x1b \t ")
                self.assertIn(input_rules.required_message(self.env, form["title"]), text)
        self.assertEqual(self._cases(), before)
