from odoo import models

from ..tools.core_shortcuts import as_download
from ..tools.input_rules import INLINE_TYPES


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _to_http_stream(self):
        """A file on a KAM record that is not a photo or a PDF (an office
        document, text, or an upload from before the type checks) is sent as a
        download, never shown inline on the Odoo origin."""
        stream = super()._to_http_stream()
        if (self.res_model or "").startswith("kam.") and self.mimetype not in INLINE_TYPES:
            stream = as_download(stream)
        return stream
