from odoo import api, fields, models


class KamRiskMethod(models.Model):
    """A way to classify risk scores: a set of classes with their lower bounds
    (Kinney & Wiruth with five classes, the three-class variant...). Each
    company works with one method (KAM settings)."""

    _name = "kam.risk.method"
    _description = "KAM risk classification method"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    bound_rule = fields.Selection(
        [
            ("ge", "A score equal to a bound belongs to the higher class"),
            ("gt", "A score equal to a bound belongs to the lower class"),
        ],
        string="Scores on a bound",
        required=True,
        default="ge",
    )
    class_ids = fields.One2many("kam.risk.class", "method_id", string="Classes")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    @api.model
    def _default_method(self):
        return self.search([], limit=1)

    def _classify(self, score):
        """The class of ``score`` in this method (an empty recordset without classes)."""
        self.ensure_one()
        found = self.env["kam.risk.class"]
        for risk_class in self.class_ids.sorted("lower_bound"):
            if (
                score >= risk_class.lower_bound
                if self.bound_rule == "ge"
                else score > risk_class.lower_bound or not found
            ):
                found = risk_class
        return found
