from odoo import fields, models

from .kam_audit_checklist import LINE_KINDS


class KamAuditChecklistQuestion(models.Model):
    """A question of a checklist template, or a section heading between them."""

    _name = "kam.audit.checklist.question"
    _description = "Audit checklist question"
    _order = "checklist_id, sequence, id"

    checklist_id = fields.Many2one(
        "kam.audit.checklist", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    display_type = fields.Selection(LINE_KINDS, string="Kind", required=True, default="question")
    name = fields.Text(string="Question", required=True, translate=True)
    guidance = fields.Text(
        translate=True, help="What the auditor looks at or asks for (evidence, records)."
    )
    clause_ids = fields.Many2many("kam.standard.clause", string="Standard clauses")
