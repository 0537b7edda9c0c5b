import html
import re

from odoo import models
from odoo.tools.pdf import merge_pdf

from ..tools.pdf_footer import add_page_footer

# set by the KAM layout (report/kam_report_layout.xml) on each document
KAM_FOOTER = re.compile(r'data-kam-footer="([^"]*)"')


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """Documents in the KAM layout carry their letterhead in the page and get
        their footer (company line, "page x / y") drawn afterwards: one
        wkhtmltopdf run per document, because the wkhtmltopdf Debian ships (no
        patched Qt) neither draws header and footer pages nor converts several
        documents in one run. Other reports are left to Odoo."""
        footers = [KAM_FOOTER.search(body) for body in bodies]
        if not bodies or not all(footers):
            return super()._run_wkhtmltopdf(
                bodies,
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
        documents = [
            add_page_footer(
                super(IrActionsReport, self)._run_wkhtmltopdf(
                    [body],
                    report_ref=report_ref,
                    landscape=landscape,
                    specific_paperformat_args=specific_paperformat_args,
                    set_viewport_size=set_viewport_size,
                ),
                html.unescape(match.group(1)),
            )
            for body, match in zip(bodies, footers, strict=True)
        ]
        return documents[0] if len(documents) == 1 else merge_pdf(documents)
