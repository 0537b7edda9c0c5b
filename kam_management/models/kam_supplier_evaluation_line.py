from odoo import api, fields, models
from odoo.exceptions import UserError


class KamSupplierEvaluationLine(models.Model):
    """One criterion of a supplier evaluation: weight (%) and score 0-10."""

    _name = "kam.supplier.evaluation.line"
    _description = "Supplier evaluation criterion score"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "kam.supplier.evaluation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True)
    criterion_id = fields.Many2one(
        "kam.supplier.criterion", required=True, ondelete="restrict", index=True
    )
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    measure = fields.Selection(related="criterion_id.measure")
    weight = fields.Float(string="Weight (%)", required=True, digits=(5, 1))
    score = fields.Float(
        digits=(4, 1), default=0.0, help="From 0 (unacceptable) to 10 (excellent)."
    )
    is_scored = fields.Boolean(
        string="Scored", default=False, help="Set when the score was given or measured."
    )
    is_measured = fields.Boolean(
        string="Measured", default=False, help="The score was prefilled from the measured figures."
    )
    contribution = fields.Float(
        string="Points", compute="_compute_contribution", store=True, digits=(5, 2)
    )
    note = fields.Char()

    _score_range = models.Constraint(
        "CHECK(score >= 0 AND score <= 10)", "A score must be between 0 and 10."
    )
    _weight_range = models.Constraint(
        "CHECK(weight >= 0 AND weight <= 100)", "A weight must be between 0 and 100 %."
    )

    @api.depends("weight", "score")
    def _compute_contribution(self):
        for line in self:
            line.contribution = line.weight * line.score / 10.0

    @api.onchange("score")
    def _onchange_score(self):
        self.is_scored = True

    def _check_draft(self):
        if any(line.evaluation_id.state != "draft" for line in self):
            raise UserError(
                self.env._("The criteria of a done or approved evaluation cannot be changed.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "score" in vals:
                vals.setdefault("is_scored", True)
        lines = super().create(vals_list)
        lines._check_draft()
        return lines

    def write(self, vals):
        self._check_draft()
        if "score" in vals:
            vals = dict(vals, is_scored=True)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        self._check_draft()
