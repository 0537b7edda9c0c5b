"""Issue 14, defects 6, 7 and 8 on the public pages, through real HTTP: uploads
judged by their bytes and photos without metadata, a complaint from a known
address linked only after confirmation, and the anonymity promises."""

import io
import re

from freezegun import freeze_time
from PIL import Image
from werkzeug.datastructures import FileStorage

from odoo import Command
from odoo.service.server import CommonRequestHandler
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.kam_management.tools import input_rules

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
GPS_IFD = 0x8825


def photo(image_format="JPEG", size=(40, 30), exif=True):
    """A small real photo; with EXIF: camera, author and a GPS position."""
    image = Image.new("RGB", size, (200, 40, 40))
    output = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0110] = "Phone 12"  # Model
        data[0x013B] = "Jan Jansen"  # Artist
        data[0x0112] = 1  # Orientation
        data[GPS_IFD] = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)}
        options["exif"] = data.tobytes()
    image.save(output, format=image_format, **options)
    return output.getvalue()


class PublicFormMixin:
    def _token(self, path):
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)


@tagged("post_install", "-at_install")
class TestUploads(PublicFormMixin, HttpCase):
    """Defect 6 (and the EXIF part of 8): the type comes from the bytes; photos
    lose their metadata; other files are served as downloads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.path = cls.env.company._kam_report_path()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("kam_management.public_form_max_per_ip", "50")
        params.set_param("kam_management.public_form_max_per_email", "50")
        cls.officer = new_test_user(
            cls.env,
            login="upload_officer",
            groups="kam_management.group_kam_officer",
            name="Upload Officer",
        )

    def _incidents(self):
        return self.env["kam.case"].search([("case_type", "=", "incident")])

    def _report(self, files, **data):
        values = {
            "csrf_token": self._token(self.path),
            "title": "Upload test",
            "incident_kind": "unsafe",
            "description": "See the file.",
            "anonymous": "1",
        }
        values.update(data)
        return self.url_open(self.path, data=values, files=files)

    def _attachments(self, case):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "kam.case"), ("res_id", "=", case.id)]
        )

    def test_refused_types(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        for name, raw, declared in (
            ("page.html", b"<html><script>alert(document.cookie)</script></html>", "text/html"),
            ("page.jpg", b"<!DOCTYPE html><p onclick=x()>hi</p>", "image/jpeg"),
            ("logo.svg", svg, "image/svg+xml"),
            ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "application/octet-stream"),
            ("fake.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg"),
        ):
            with self.subTest(name=name):
                before = self._incidents()
                response = self._report([("attachments", (name, raw, declared))])
                self.assertEqual(response.status_code, 400)
                self.assertIn(f"{name} cannot be sent: we accept photos", response.text)
                # the form again, with what was typed
                self.assertIn('value="Upload test"', response.text)
                self.assertFalse(self._incidents() - before)

    def test_types_from_the_bytes_and_no_metadata(self):
        jpeg = photo()
        self.assertIn(b"Jan Jansen", jpeg)
        png = photo("PNG", exif=False)
        before = self._incidents()
        response = self._report(
            [
                ("attachments", ("IMG_0001.html", jpeg, "text/html")),
                ("attachments", ("scan.png", png, "image/svg+xml")),
                ("attachments", ("notes.html", b"Plain notes, no markup.", "text/html")),
            ],
            anonymous="0",
            name="Named Reporter",
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        case = self._incidents() - before
        attachments = self._attachments(case).sorted("id")
        self.assertEqual(attachments.mapped("mimetype"), ["image/jpeg", "image/png", "text/plain"])
        self.assertEqual(attachments.mapped("name"), ["IMG_0001.jpg", "scan.png", "notes.txt"])
        stored = attachments[0].raw
        self.assertNotIn(b"Jan Jansen", stored)
        self.assertNotIn(b"PhoneMaker", stored)
        self.assertNotIn(b"Exif", stored)
        with Image.open(io.BytesIO(stored)) as image:
            self.assertEqual(image.format, "JPEG")
            self.assertEqual(image.size, (40, 30))
            self.assertFalse(dict(image.getexif()))
            self.assertFalse(image.getexif().get_ifd(GPS_IFD))

    def test_every_image_format_stripped(self):
        # WebP where this Pillow is built with it
        formats = ("JPEG", "PNG", "WEBP") if "WEBP" in Image.SAVE else ("JPEG", "PNG")
        for image_format in formats:
            with self.subTest(image_format=image_format):
                raw = photo(image_format)
                self.assertIn(b"Jan Jansen", raw)
                values, errors = input_rules.validate(
                    self.env,
                    input_rules.SAFE_REPORT,
                    {
                        "title": "t",
                        "description": "d",
                        "attachments": [
                            FileStorage(io.BytesIO(raw), filename=f"x.{image_format.lower()}")
                        ],
                    },
                )
                self.assertNotIn("attachments", errors)
                [upload] = values["attachments"]
                self.assertNotIn(b"Jan Jansen", upload["raw"])
                with Image.open(io.BytesIO(upload["raw"])) as image:
                    self.assertEqual(image.format, image_format)
                    self.assertFalse(dict(image.getexif()))

    def test_served_as_download_unless_image_or_pdf(self):
        case = self.env["kam.case"].create({"title": "Served files", "case_type": "nonconformity"})
        Attachment = self.env["ir.attachment"]
        inline = Attachment.create(
            {"name": "a.png", "raw": photo("PNG", exif=False), "res_model": "kam.case",
             "res_id": case.id, "mimetype": "image/png"}
        )  # fmt: skip
        text = Attachment.create(
            {"name": "a.txt", "raw": b"plain", "res_model": "kam.case", "res_id": case.id,
             "mimetype": "text/plain"}
        )  # fmt: skip
        # an upload from before the type checks, with the browser's word for it
        old_html = Attachment.create(
            {"name": "old.html", "raw": b"<script>alert(1)</script>", "res_model": "kam.case",
             "res_id": case.id, "mimetype": "text/html"}
        )  # fmt: skip
        # not a KAM record: Odoo's own behaviour
        other = Attachment.create(
            {"name": "b.txt", "raw": b"plain", "res_model": "res.partner",
             "res_id": self.env.user.partner_id.id, "mimetype": "text/plain"}
        )  # fmt: skip
        self.authenticate("upload_officer", "upload_officer")
        for attachment, disposition in (
            (inline, "inline"),
            (text, "attachment"),
            (old_html, "attachment"),
            (other, "inline"),
        ):
            with self.subTest(name=attachment.name):
                response = self.url_open(f"/web/content/{attachment.id}")
                self.assertEqual(response.status_code, 200)
                self.assertTrue(
                    response.headers["Content-Disposition"].startswith(disposition),
                    response.headers["Content-Disposition"],
                )
                self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")


@tagged("post_install", "-at_install")
class TestComplaintClaim(PublicFormMixin, HttpCase):
    """Defect 7: a complaint with a customer's e-mail address shows up in their
    portal and on their order only after they confirmed it by the mailed link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the sender of the mailed link (without it no link is mailed, nothing is claimed)
        cls.env.company.email = "kwaliteit@kam-test.example.com"
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("kam_management.public_form_max_per_ip", "50")
        params.set_param("kam_management.public_form_max_per_email", "50")
        cls.customer = cls.env["res.partner"].create({"name": "Klant B.V.", "is_company": True})
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Karin Klant",
                "parent_id": cls.customer.id,
                "email": "karin@klant.example.com",
            }
        )
        cls.portal = new_test_user(
            cls.env,
            login="karin_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
            email=cls.contact.email,
        )
        product = cls.env["product.product"].create({"name": "Claim test product"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.order.action_confirm()

    def _complaint(self, **data):
        values = {
            "csrf_token": self._token("/kam/complaint"),
            "name": "Someone Pretending",
            "email": "Karin@Klant.example.com",
            "title": "Claim test",
            "description": "I pretend to be Karin.",
        }
        values.update(data)
        before = self.env["kam.case"].search([("case_type", "=", "complaint")])
        response = self.url_open("/kam/complaint", data=values)
        self.assertEqual(response.status_code, 200, response.text[:300])
        return self.env["kam.case"].search([("case_type", "=", "complaint")]) - before

    def _portal_complaints(self):
        """Karin's list of complaints in the portal (as a page)."""
        self.authenticate("karin_portal", "karin_portal")
        page = self.url_open("/my/complaints").text
        self.logout()
        return page

    def _claim_mail(self, case):
        return self.env["mail.mail"].search(
            [("model", "=", "kam.case"), ("res_id", "=", case.id), ("subject", "ilike", "confirm")]
        )

    def test_not_linked_until_confirmed(self):
        partners = self.env["res.partner"].search_count([])
        case = self._complaint(order_reference=self.order.name)
        self.assertEqual(len(case), 1)
        self.assertFalse(case.partner_id)
        self.assertFalse(case.contact_id)
        self.assertFalse(case.sale_order_id)
        self.assertEqual(case.kam_claim_partner_id, self.contact)
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "no new contact")
        self.assertIn("not confirmed yet", str(case.description))
        # not in Karin's portal, no acknowledgement with the portal link yet
        self.assertNotIn(case.name, self._portal_complaints())
        self.assertFalse(case.acknowledged_date)
        # the confirmation link goes to the address, not to the page
        mail = self._claim_mail(case)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.contact)
        link = re.search(r'href="[^"]*(/kam/complaint/confirm/\d+/[\w-]+)"', mail.body_html)
        self.assertTrue(link)
        url = link.group(1)
        # a wrong token or case: nothing
        self.assertEqual(self.url_open(url[:-3] + "xyz").status_code, 404)
        self.assertEqual(
            self.url_open(f"/kam/complaint/confirm/999999/{url[-10:]}").status_code, 404
        )
        # GET only asks (a mail scanner following the link confirms nothing)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Yes, I sent this complaint", page.text)
        self.assertFalse(case.partner_id)
        csrf = CSRF_RE.search(page.text).group(1)
        confirmed = self.url_open(url, data={"csrf_token": csrf})
        self.assertEqual(confirmed.status_code, 200)
        self.assertIn("is now linked", confirmed.text)
        case.invalidate_recordset()
        self.assertEqual(case.contact_id, self.contact)
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.sale_order_id, self.order)
        self.assertFalse(case.kam_claim_partner_id)
        self.assertTrue(case.acknowledgement_due, "sent by the job right after the commit")
        self.env["kam.case"]._cron_kam_acknowledgements()
        self.assertTrue(case.acknowledged_date)
        self.assertIn(case.name, self._portal_complaints())
        # the link works once
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_order_reference_wildcards(self):
        for reference in ("%", "_%", "S%", self.order.name[:-1] + "_", "%" + self.order.name[2:]):
            with self.subTest(reference=reference):
                case = self._complaint(order_reference=reference)
                case._kam_confirm_claim()
                self.assertEqual(case.partner_id, self.customer)
                self.assertFalse(case.sale_order_id, "a wildcard never links an order")
                self.assertIn(reference, str(case.description))
        # the exact reference, in other case, is linked
        case = self._complaint(order_reference=self.order.name.lower())
        case._kam_confirm_claim()
        self.assertEqual(case.sale_order_id, self.order)

    def test_escape_like(self):
        self.assertEqual(input_rules.escape_like("a%b_c\\d"), "a\\%b\\_c\\\\d")
        Order = self.env["sale.order"]
        self.assertEqual(Order.search([("name", "=ilike", input_rules.escape_like("%"))]), Order)
        self.assertEqual(
            Order.search([("name", "=ilike", input_rules.escape_like(self.order.name))]),
            self.order,
        )


@tagged("post_install", "-at_install")
class TestAnonymityPromises(PublicFormMixin, HttpCase):
    """Defect 8: what the safe-reporting page promises is true."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.path = cls.env.company._kam_report_path()

    @freeze_time("2026-03-02 14:37:23")
    def test_rate_limit_rows_to_the_hour(self):
        values = {
            "csrf_token": self._token(self.path),
            "title": "Bucket test",
            "incident_kind": "unsafe",
            "description": "d",
            "anonymous": "1",
        }
        response = self.url_open(self.path, data=values)
        self.assertEqual(response.status_code, 200)
        rows = self.env["kam.public.submission"].search([("form", "=", "incident")])
        self.assertEqual(len(rows), 1)
        self.assertEqual(str(rows.attempt_date), "2026-03-02 14:00:00")

    def test_rate_limit_counts_the_previous_hour(self):
        """Stored to the hour, the window is at least an hour: never shorter."""
        Submission = self.env["kam.public.submission"]
        self.env["ir.config_parameter"].sudo().set_param(
            "kam_management.public_form_max_per_ip", "2"
        )
        with freeze_time("2026-03-02 14:59:00"):
            self.assertTrue(Submission._register_attempt("incident", ip="10.0.0.1"))
            self.assertTrue(Submission._register_attempt("incident", ip="10.0.0.1"))
        with freeze_time("2026-03-02 15:30:00"):
            self.assertFalse(Submission._register_attempt("incident", ip="10.0.0.1"))
        with freeze_time("2026-03-02 16:00:01"):
            self.assertTrue(Submission._register_attempt("incident", ip="10.0.0.1"))

    def test_no_ip_in_the_access_log_line(self):
        handler = CommonRequestHandler.__new__(CommonRequestHandler)
        handler.environ = {"REMOTE_ADDR": "192.0.2.7"}
        handler.client_address = ("192.0.2.7", 40000)
        handler.path = self.path
        self.assertEqual(handler.address_string(), "-")
        handler.path = "/web/login"
        self.assertEqual(handler.address_string(), "192.0.2.7")

    def test_the_page_says_what_is_kept(self):
        page = self.url_open(self.path)
        self.assertIn("we store no name, e-mail or IP address", page.text)
        self.assertIn("location and camera data", page.text)
