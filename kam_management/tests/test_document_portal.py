"""Controlled documents on the portal: a portal contact reads the effective
version of what is published for them; anything else is a 404."""

import base64

from odoo import Command
from odoo.tests import HttpCase, tagged

from .test_document import KamDocumentCommon


@tagged("post_install", "-at_install")
class TestDocumentPortal(HttpCase, KamDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bouwbedrijf Test", "is_company": True}
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other = cls.env["res.partner"].create({"name": "Someone Else BV", "is_company": True})
        cls.house_rules = cls._document(
            code="HR-01", name="House rules for contractors", portal_published=True
        )
        cls._release(cls.house_rules, body="<p>Report at the gate.</p>")
        cls.for_others = cls._document(
            code="HR-02",
            name="Rules for someone else",
            portal_published=True,
            portal_partner_ids=[Command.set(cls.other.ids)],
        )
        cls._release(cls.for_others)
        cls.for_us = cls._document(
            code="HR-03",
            name="Delivery instruction",
            portal_published=True,
            portal_partner_ids=[Command.set(cls.customer.ids)],
        )
        cls._release(
            cls.for_us,
            content_type="file",
            body=False,
            file=base64.b64encode(b"%PDF-1.4 delivery"),
            file_name="delivery.pdf",
        )
        cls.internal = cls._document(code="PR-01", name="Internal procedure")
        cls._release(cls.internal)
        cls.unreleased = cls._document(code="HR-04", name="Draft rules", portal_published=True)
        cls._version(cls.unreleased)

    def test_list_and_read(self):
        self.authenticate("kam_portal", "kam_portal")
        page = self.url_open("/my/documents")
        self.assertEqual(page.status_code, 200)
        for code in ("HR-01", "HR-03"):
            self.assertIn(code, page.text)
        for code in ("HR-02", "PR-01", "HR-04"):
            self.assertNotIn(code, page.text)
        page = self.url_open(f"/my/documents/{self.house_rules.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Report at the gate.", page.text)
        self.assertIn("Printed copies are not controlled", page.text)
        download = self.url_open(f"/my/documents/{self.for_us.id}/file")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, b"%PDF-1.4 delivery")
        self.assertIn("delivery.pdf", download.headers["Content-Disposition"])
        home = self.url_open("/my/home")
        self.assertIn("/my/documents", home.text)

    def test_everything_else_is_not_found(self):
        self.authenticate("kam_portal", "kam_portal")
        for url in (
            f"/my/documents/{self.for_others.id}",
            f"/my/documents/{self.internal.id}",
            f"/my/documents/{self.unreleased.id}",
            "/my/documents/99999999",
            "/my/documents/abc",
            f"/my/documents/{self.house_rules.id}/file",
            f"/my/documents/{self.for_others.id}/file",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        # a withdrawn document leaves the portal
        self.house_rules.current_version_id.action_withdraw()
        self.assertEqual(self.url_open(f"/my/documents/{self.house_rules.id}").status_code, 404)

    def test_login_required(self):
        response = self.url_open(f"/my/documents/{self.house_rules.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
