from odoo import api, fields, models

# 4M + Milieu and Management (6M), as Dutch KAM coordinators use them
CAUSE_CATEGORIES = [
    ("man", "Man (people)"),
    ("machine", "Machine"),
    ("material", "Material"),
    ("method", "Method"),
    ("environment", "Environment (milieu)"),
    ("management", "Management"),
]


class KamCause(models.Model):
    """A line of a case's cause analysis: a cause on a 4M/6M bone of the
    Ishikawa diagram, or one step of the 5-why chain."""

    _name = "kam.cause"
    _description = "KAM cause"
    _order = "case_id, method, sequence, id"

    case_id = fields.Many2one("kam.case", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    method = fields.Selection(
        [("fishbone", "Cause (4M/6M)"), ("why", "5-why step")],
        required=True,
        default="fishbone",
    )
    sequence = fields.Integer(default=10)
    category = fields.Selection(CAUSE_CATEGORIES, help="The 4M/6M category (Ishikawa bone).")
    question = fields.Char(string="Why?", help="For a 5-why step: the question asked.")
    name = fields.Char(string="Cause", required=True, help="The cause, or the answer to why.")
    is_root_cause = fields.Boolean(string="Root cause")

    @api.depends("name", "category")
    def _compute_display_name(self):
        labels = dict(self._fields["category"]._description_selection(self.env))
        for cause in self:
            prefix = labels.get(cause.category)
            cause.display_name = f"{prefix}: {cause.name}" if prefix else cause.name
