from odoo import fields, models

LINE_KINDS = [("line_section", "Section"), ("question", "Question")]


class KamAuditChecklist(models.Model):
    """A checklist template: questions in sections, per standard and clause. An
    audit copies its questions (``kam.audit.line``) and answers them there; the
    template itself never changes through an audit."""

    _name = "kam.audit.checklist"
    _description = "Audit checklist template"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    standard_ids = fields.Many2many(
        "kam.standard",
        string="Standards",
        check_company=True,
        help="The standards this checklist audits against.",
    )
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company.")
    question_ids = fields.One2many(
        "kam.audit.checklist.question", "checklist_id", string="Questions", copy=True
    )
    question_count = fields.Integer(string="Number of questions", compute="_compute_question_count")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    def _compute_question_count(self):
        counts = dict(
            self.env["kam.audit.checklist.question"]._read_group(
                [("checklist_id", "in", self.ids), ("display_type", "=", "question")],
                ["checklist_id"],
                ["__count"],
            )
        )
        for checklist in self:
            checklist.question_count = counts.get(checklist, 0)

    def _kam_line_values(self):
        """The values of the audit lines that copy this template (in order)."""
        self.ensure_one()
        return [
            {
                "sequence": question.sequence,
                "display_type": question.display_type,
                "name": question.name,
                "guidance": question.guidance,
                "clause_ids": [fields.Command.set(question.clause_ids.ids)],
            }
            for question in self.question_ids.sorted(lambda q: (q.sequence, q.id))
        ]
