from odoo import api, models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # the portal's chatter is mail's: its texts ("The conversation is empty.",
        # "Send") come in the customer's language only with mail's translations
        return [*super()._get_translation_frontend_modules_name(), "mail"]

    @classmethod
    def _serve_fallback(cls):
        """A path that matches no page is looked up as an attachment's address;
        PostgreSQL refuses a NUL character in it, so ``/kam/...%00`` (or any
        such address) was a 500 with an ERROR in the log instead of a 404
        (found by tests/test_fuzz_forms.py). No attachment has such an address."""
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()

    @api.model
    def get_frontend_session_info(self):
        """The language of the portal page for its scripts too: without the
        website module neither the page nor the session tells them, so they
        loaded their texts (the chatter's) in English."""
        info = super().get_frontend_session_info()
        lang = info.get("bundle_params", {}).get("lang")
        if lang:
            info.setdefault("user_context", {}).setdefault("lang", lang)
        return info
