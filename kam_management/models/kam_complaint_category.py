from odoo import fields, models


class KamComplaintCategory(models.Model):
    """The nature of a complaint (delivery, product quality, service...)."""

    _name = "kam.complaint.category"
    _description = "KAM complaint category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
