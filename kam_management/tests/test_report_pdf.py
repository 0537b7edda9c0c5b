import io
import re
import subprocess

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

A4 = (595, 842)
PAGE_OF = re.compile(r"(\d+)\s*/\s*(\d+)\s*$")


@tagged("post_install", "-at_install")
class TestReportPdf(HttpCase):
    """The KAM letters and reports as PDF, made by the wkhtmltopdf on this
    machine (Debian's, without patched Qt): A4, the company's letterhead, the
    company line and "page x / y" on every page of each document, and several
    documents printed at once (which that wkhtmltopdf does not convert in one
    run). One test: each report run builds the report assets anew."""

    def _pdf(self, report, records):
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        sizes = {
            (round(float(page.mediaBox.getWidth())), round(float(page.mediaBox.getHeight())))
            for page in (reader.getPage(i) for i in range(reader.getNumPages()))
        }
        self.assertEqual(sizes, {A4}, "A4 pages")
        # poppler's pdftotext (set-up installs it) reads wkhtmltopdf's text too
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
        return text.split("\f")[: reader.getNumPages()]

    def test_letters_and_reports(self):
        self.env.company.write(
            {
                "name": "Van der Berg Metaaltechniek B.V.",
                "street": "Industrieweg 12",
                "zip": "7324 AB",
                "city": "Apeldoorn",
                "company_registry": "08123456",
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Bouwbedrijf Hoekstra B.V.", "is_company": True, "city": "Zwolle"}
        )
        Case = self.env["kam.case"].with_context(kam_no_acknowledgement=True)
        complaints = Case.create(
            [
                {
                    "title": f"Leuning {n} met krassen",
                    "case_type": "complaint",
                    "partner_id": customer.id,
                    "description": "<p>%s</p>" % ("Krassen op de leuning. " * n * 150),
                }
                for n in (1, 2)
            ]
        )
        pages = self._pdf("kam_management.action_report_kam_complaint", complaints)
        for page in pages:
            self.assertIn("Van der Berg Metaaltechniek B.V.", page, "letterhead and footer")
            self.assertIn("Industrieweg 12", page)
            self.assertIn("08123456", page, "the Chamber of Commerce number in the footer")
        # each document numbers its own pages
        counters = [PAGE_OF.search(page.strip().splitlines()[-1]) for page in pages]
        self.assertTrue(all(counters), pages)
        numbers = [int(c.group(1)) for c in counters]
        totals = [int(c.group(2)) for c in counters]
        self.assertEqual(numbers[: totals[0]], list(range(1, totals[0] + 1)), counters)
        self.assertEqual(numbers[totals[0] :], list(range(1, totals[-1] + 1)), counters)
        self.assertGreater(totals[-1], totals[0], "the longer complaint has more pages")
        self.assertIn(complaints[0].name, pages[0])
        self.assertIn(complaints[1].name, pages[totals[0]])
        self.assertIn("Bouwbedrijf Hoekstra B.V.", pages[0], "the customer's address")
        # the internal case report
        case = Case.create({"title": "Braam op beugels"})
        pages = self._pdf("kam_management.action_report_kam_case", case)
        self.assertIn(case.name, pages[0])
        self.assertEqual(PAGE_OF.search(pages[0].strip().splitlines()[-1]).groups(), ("1", "1"))
