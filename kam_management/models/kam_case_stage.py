from odoo import fields, models

CASE_TYPES = [
    ("nonconformity", "Nonconformity"),
    ("complaint", "Complaint"),
    ("incident", "Incident"),
    ("improvement", "Improvement suggestion"),
]


class KamCaseStage(models.Model):
    """A stage of the case pipeline; each stage applies to one or more case types."""

    _name = "kam.case.stage"
    _description = "KAM case stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in kanban")
    is_closed = fields.Boolean(
        string="Closing stage", help="Cases in this stage are closed: their follow-up is complete."
    )
    case_types = fields.Char(
        default="nonconformity,complaint,incident,improvement",
        required=True,
        help="Comma-separated case types this stage applies to.",
    )
    applies_nonconformity = fields.Boolean(
        "Nonconformities", compute="_compute_applies", inverse="_inverse_applies"
    )
    applies_complaint = fields.Boolean(
        "Complaints", compute="_compute_applies", inverse="_inverse_applies"
    )
    applies_incident = fields.Boolean(
        "Incidents", compute="_compute_applies", inverse="_inverse_applies"
    )
    applies_improvement = fields.Boolean(
        "Improvement suggestions", compute="_compute_applies", inverse="_inverse_applies"
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    def _compute_applies(self):
        for stage in self:
            types = set((stage.case_types or "").split(","))
            for case_type, _label in CASE_TYPES:
                stage[f"applies_{case_type}"] = case_type in types

    def _inverse_applies(self):
        for stage in self:
            stage.case_types = (
                ",".join(t for t, _label in CASE_TYPES if stage[f"applies_{t}"]) or stage.case_types
            )

    def write(self, vals):
        res = super().write(vals)
        if "is_closed" in vals:
            # cases store whether they are closed (see kam.case.is_closed)
            cases = (
                self.env["kam.case"]
                .with_context(active_test=False)
                .search([("stage_id", "in", self.ids)])
            )
            cases.write({"is_closed": bool(vals["is_closed"])})
        return res

    def _for_type(self, case_type):
        """Stages of one case type, in order (a filtered recordset, no query)."""
        return self.filtered(lambda s: case_type in (s.case_types or "").split(","))
