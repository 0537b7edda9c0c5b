from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kam_standard_ids = fields.Many2many(
        "kam.standard",
        "kam_standard_res_company_rel",
        "company_id",
        "standard_id",
        string="Certified standards",
        help="The standards (in their current edition) this company's management "
        "system is certified to or works by.",
    )
    kam_certification_body_id = fields.Many2one(
        "res.partner",
        string="Certification body",
        help="The certification body that audits this company's management system.",
    )
