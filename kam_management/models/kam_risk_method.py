from odoo import api, fields, models


class KamRiskMethod(models.Model):
    """A way to classify scores: a set of classes with their lower bounds
    (Kinney & Wiruth with five classes, the three-class variant, a 5 x 5
    matrix...). One engine for every scored register: a method serves one
    ``usage`` (the RI&E, environmental aspects, risks and opportunities: each
    adopter of ``kam.risk.assessment.mixin`` adds its usage), and each company
    works with one method per usage (KAM settings)."""

    _name = "kam.risk.method"
    _description = "KAM risk classification method"
    _order = "usage, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    usage = fields.Selection(
        [("rie", "RI&E hazards")],
        string="Used for",
        required=True,
        default="rie",
        index=True,
        help="Which register scores with this method.",
    )
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
    obligation_significant = fields.Boolean(
        string="Linked compliance obligations make it significant",
        help="A record linked to a legal or other requirement in force counts as significant, "
        "whatever its score (environmental aspects, ISO 14001 6.1.2).",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    @api.model
    def _default_method(self, usage="rie"):
        return self.search([("usage", "=", usage)], limit=1)

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
