from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # the portal's chatter is mail's: its texts ("The conversation is empty.",
        # "Send") come in the customer's language only with mail's translations
        return [*super()._get_translation_frontend_modules_name(), "mail"]
