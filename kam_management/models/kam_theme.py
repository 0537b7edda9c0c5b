from odoo import fields, models


class KamTheme(models.Model):
    """A KAM theme: quality, health & safety or environment (tags on records)."""

    _name = "kam.theme"
    _description = "KAM theme"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        [
            ("quality", "Quality"),
            ("health_safety", "Health & safety"),
            ("environment", "Environment"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "Each KAM theme exists only once.")
