from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_standard_ids = fields.Many2many(related="company_id.kam_standard_ids", readonly=False)
    kam_certification_body_id = fields.Many2one(
        related="company_id.kam_certification_body_id", readonly=False
    )
