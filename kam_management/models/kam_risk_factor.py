from odoo import fields, models

RISK_AXES = [
    ("probability", "Probability (W)"),
    ("exposure", "Exposure (B)"),
    ("effect", "Effect (E)"),
]


class KamRiskFactor(models.Model):
    """One value of a Kinney & Wiruth scale: probability (W), exposure (B) or
    effect (E), with its label. The scales are data, not code."""

    _name = "kam.risk.factor"
    _description = "KAM risk scale value"
    _order = "axis, value"

    axis = fields.Selection(RISK_AXES, required=True, index=True)
    value = fields.Float(required=True, digits=(16, 2))
    name = fields.Char(string="Label", required=True, translate=True)
    active = fields.Boolean(default=True)

    _axis_value_uniq = models.Constraint(
        "UNIQUE(axis, value)", "Each value occurs only once on a scale."
    )
    _value_positive = models.Constraint("CHECK(value > 0)", "A scale value must be positive.")

    def _compute_display_name(self):
        for factor in self:
            factor.display_name = f"{factor.value:g} · {factor.name or ''}"
