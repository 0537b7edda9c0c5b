"""What leaves Odoo: the printed document (controlled copy or uncontrolled when
printed) and the registers in Excel."""

import io
import re
import subprocess

import openpyxl
from freezegun import freeze_time

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .test_document import KamDocumentCommon

HEADER_ROW = 4
PAGE_OF = re.compile(r"(\d+)\s*/\s*(\d+)\s*$")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestDocumentPrint(KamDocumentCommon):
    def setUp(self):
        super().setUp()
        self.document = self._document(code="WI-12", name="Welding")
        self.first = self._release(self.document, body="<p>Use the extraction arm.</p>")
        self.second = self._release(
            self.document,
            revision="major",
            body="<p>Use the torch extraction.</p>",
            change_summary="Torch extraction in hall 2",
        )

    def _html(self, xmlid, records, user=None):
        report = self.env.ref(xmlid)
        html, _kind = report.with_user(user or self.kam_officer)._render_qweb_html(
            report.report_name, records.ids
        )
        return html.decode()

    def test_uncontrolled_when_printed(self):
        html = self._html("kam_management.action_report_kam_document", self.document, self.kam_user)
        self.assertIn("UNCONTROLLED WHEN PRINTED", html)
        self.assertIn("Use the torch extraction.", html)
        self.assertNotIn("Use the extraction arm.", html, "the effective version only")
        self.assertIn("Torch extraction in hall 2", html, "the version history")
        self.assertNotIn("CONTROLLED COPY", html)

    def test_controlled_copy(self):
        html = self._html("kam_management.action_report_kam_document_controlled", self.document)
        self.assertIn("CONTROLLED COPY", html)
        self.assertIn("version <strong>2.0</strong>, effective since", html)
        self.assertIn("03/16/2026", html)
        note = self.document.message_ids[0]
        self.assertIn("Controlled copy of version 2.0 printed", note.body)
        self.assertEqual(note.author_id, self.kam_officer.partner_id)

    def test_versions_that_are_not_effective_say_so(self):
        html = self._html("kam_management.action_report_kam_document_version", self.first)
        self.assertIn("OBSOLETE: no longer valid", html)
        draft = self.Version.browse(self.document.action_new_version()["res_id"])
        html = self._html("kam_management.action_report_kam_document_version", draft)
        self.assertIn("NOT RELEASED", html)
        new = self._document(code="PR-77")
        self._version(new)
        html = self._html("kam_management.action_report_kam_document", new)
        self.assertIn("NOT RELEASED", html, "no effective version: the draft, marked")


@tagged("post_install", "-at_install")
class TestDocumentRegisters(HttpCase, KamDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam_officer.write({"password": "kam_officer"})
        cls.document = cls._document(code="WI-12", name="Welding")
        cls._release(cls.document)
        cls.toolbox = cls.env["kam.toolbox"].create(
            {"name": "Extraction", "department_id": cls.production.id}
        )
        cls.toolbox.action_invite_department()
        cls.toolbox.action_held()
        cls.advice = cls.env["kam.advice"].create({"name": "Torch extraction"})

    def _sheet(self, register):
        response = self.url_open(f"/kam/xlsx/{register}")
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        header = [cell.value for cell in sheet[HEADER_ROW]]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
        return sheet["A1"].value, header, rows

    def test_every_register_downloads(self):
        self.authenticate("kam_officer", "kam_officer")
        title, header, rows = self._sheet("document")
        self.assertEqual(title, "Document register")
        self.assertEqual(header[:5], ["Code", "Title", "Type", "Version", "Status"])
        self.assertIn(["WI-12", "Welding", "Procedure", "1.0", "In force"], [r[:5] for r in rows])
        title, header, rows = self._sheet("document_version")
        self.assertEqual(title, "Document versions")
        self.assertIn("Approved by", header)
        title, header, rows = self._sheet("document_acknowledgement")
        self.assertEqual(title, "Read and acknowledge status")
        self.assertEqual(
            sorted(r[0] for r in rows if r[2] == "WI-12 Welding"),
            ["Piet Production", "Wendy Welder"],
        )
        title, header, rows = self._sheet("toolbox")
        self.assertEqual((title, header[1]), ("Toolbox meetings", "Topic"))
        title, header, rows = self._sheet("toolbox_attendance")
        self.assertEqual(title, "Toolbox attendance")
        self.assertEqual({r[4] for r in rows if r[1] == "Extraction"}, {"Absent"})
        title, header, rows = self._sheet("advice")
        self.assertEqual(title, "Advice register")
        self.assertIn("Torch extraction", [r[2] for r in rows])
        title, header, rows = self._sheet("awareness")
        self.assertEqual(title, "Read and attendance status")
        self.assertEqual(header[:4], ["Employee", "Department", "What", "Subject"])

    def test_pdf(self):
        """The real PDF through wkhtmltopdf (assets from this test's server)."""
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        report = self.env.ref("kam_management.action_report_kam_document_controlled")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.document.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 5000)

    def test_pdf_pages_name_the_document(self):
        """On Debian's wkhtmltopdf too: A4, and every page of every document
        printed at once names the document, its version and copy status, with
        "page x / y" (a loose page of a procedure must say what it is)."""
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        long = self._document(code="WI-14", name="Cutting")
        self._release(long, body="<p>%s</p>" % ("Use the torch extraction. " * 900))
        other = self._document(code="WI-13", name="Grinding")
        self._release(other, body="<p>Wear a face shield.</p>")
        report = self.env.ref("kam_management.action_report_kam_document")
        documents = long | other
        pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, documents.ids
        )
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        count = reader.getNumPages()
        self.assertEqual(
            {
                (round(float(page.mediaBox.getWidth())), round(float(page.mediaBox.getHeight())))
                for page in (reader.getPage(i) for i in range(count))
            },
            {(595, 842)},
            "A4",
        )
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        pages = text.split("\f")[:count]
        self.assertGreater(count, 2, "the long procedure takes pages")
        footers = [page.strip().splitlines()[-1] for page in pages]
        welding = [f for f in footers if "WI-14 Cutting" in f]
        grinding = [f for f in footers if "WI-13 Grinding" in f]
        self.assertEqual(len(welding) + len(grinding), count, footers)
        self.assertEqual(len(grinding), 1, footers)
        self.assertTrue(all("UNCONTROLLED WHEN PRINTED" in f for f in footers), footers)
        self.assertTrue(all("version 1.0" in f for f in footers), footers)
        # "page / pages" at the end of each footer (pdftotext may drop the spaces)
        counters = [PAGE_OF.search(footer).groups() for footer in welding]
        self.assertEqual(
            counters, [(str(n), str(len(welding))) for n in range(1, len(welding) + 1)]
        )
        self.assertEqual(PAGE_OF.search(grinding[0]).groups(), ("1", "1"))

    def test_users_export_only_what_they_read(self):
        self.kam_user.write({"password": "kam_user"})
        self.authenticate("kam_user", "kam_user")
        _title, _header, rows = self._sheet("document_acknowledgement")
        self.assertEqual([r[0] for r in rows], ["Wendy Welder"])
        self.assertEqual(self.url_open("/kam/xlsx/advice").status_code, 403)
        self.assertEqual(self.url_open("/kam/xlsx/awareness").status_code, 403)
