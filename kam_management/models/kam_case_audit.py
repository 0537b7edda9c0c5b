from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamCase(models.Model):
    """Findings of audits: a case made from a checklist line points at its
    audit and the line (and so at the clauses of the question). Closing or
    reopening a finding moves its audit between *reported* and *findings
    closed*."""

    _inherit = "kam.case"

    audit_id = fields.Many2one(
        "kam.audit",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    audit_line_id = fields.Many2one(
        "kam.audit.line",
        string="Checklist line",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )

    @api.constrains("audit_id", "audit_line_id")
    def _check_audit_line(self):
        for case in self:
            if case.audit_line_id and case.audit_line_id.audit_id != case.audit_id:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s: the checklist line belongs to another audit.",
                        case=case.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        cases.audit_id._kam_sync_findings_state()
        return cases

    def write(self, vals):
        before = self.audit_id if "audit_id" in vals else self.env["kam.audit"]
        res = super().write(vals)
        if {"stage_id", "audit_id", "active"} & set(vals):
            (before | self.audit_id)._kam_sync_findings_state()
        return res

    def action_open_audit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.audit",
            "res_id": self.audit_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
