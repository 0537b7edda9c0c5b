from odoo import api, fields, models

from .kam_clause_crosswalk import CROSSWALK_KINDS


class KamStandardClause(models.Model):
    """What changed for a clause of a new edition (from the crosswalk)."""

    _inherit = "kam.standard.clause"

    change_kind = fields.Selection(
        CROSSWALK_KINDS,
        string="Change",
        compute="_compute_change_kind",
        help="How this clause relates to the previous edition (from the crosswalk).",
    )
    change_note = fields.Char(string="What changed", compute="_compute_change_kind")

    @api.depends("standard_id")
    def _compute_change_kind(self):
        lines = self.env["kam.clause.crosswalk"].search([("new_clause_id", "in", self.ids)])
        by_clause = {}
        for line in lines:
            by_clause.setdefault(line.new_clause_id, line)
            # a real change outranks "the same" when several lines lead here
            if by_clause[line.new_clause_id].kind == "same":
                by_clause[line.new_clause_id] = line
        for clause in self:
            line = by_clause.get(clause)
            clause.change_kind = line.kind if line else False
            clause.change_note = line.note if line else False
