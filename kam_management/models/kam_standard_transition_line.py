from odoo import api, fields, models

TRANSITION_RESULTS = [
    ("relinked", "Re-linked"),
    ("kept", "Kept on the old edition (closed or archived)"),
    ("no_counterpart", "No counterpart in the new edition"),
]


class KamStandardTransitionLine(models.Model):
    """What a transition did with the records of one model that linked one clause
    of the old edition: re-linked them, kept them (closed or archived records
    stay as they were judged) or found no counterpart for the clause."""

    _name = "kam.standard.transition.line"
    _description = "KAM transition: records per clause"
    _order = "transition_id, result desc, res_model, old_clause_id"

    transition_id = fields.Many2one(
        "kam.standard.transition", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="transition_id.company_id", store=True)
    res_model = fields.Char(string="Record type (model)", required=True)
    model_label = fields.Char(string="Record type", compute="_compute_model_label")
    old_clause_id = fields.Many2one(
        "kam.standard.clause", string="Old clause", required=True, ondelete="cascade"
    )
    new_clause_ids = fields.Many2many(
        "kam.standard.clause", string="New clauses", compute="_compute_new_clause_ids"
    )
    result = fields.Selection(TRANSITION_RESULTS, required=True)
    res_ids = fields.Json(string="Record IDs")
    count = fields.Integer(string="Records", compute="_compute_count", store=True)

    _line_uniq = models.Constraint(
        "UNIQUE(transition_id, res_model, old_clause_id, result)",
        "One line per model, clause and result.",
    )

    @api.depends("res_ids")
    def _compute_count(self):
        for line in self:
            line.count = len(line.res_ids or [])

    @api.depends("res_model")
    def _compute_model_label(self):
        for line in self:
            line.model_label = self.env["ir.model"]._get(line.res_model).name or line.res_model

    @api.depends("old_clause_id", "transition_id.new_standard_id")
    def _compute_new_clause_ids(self):
        for line in self:
            transition = line.transition_id
            mapping = self.env["kam.clause.crosswalk"].search(
                [
                    ("old_clause_id", "=", line.old_clause_id.id),
                    ("new_standard_id", "=", transition.new_standard_id.id),
                    ("new_clause_id", "!=", False),
                ]
            )
            line.new_clause_ids = mapping.new_clause_id

    def action_open_records(self):
        """The records of this line (with the user's own rights)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(type)s: %(clause)s",
                type=self.model_label,
                clause=self.old_clause_id.display_name,
            ),
            "res_model": self.res_model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.res_ids or [])],
            "context": {"active_test": False},
        }
