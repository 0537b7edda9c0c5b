from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_standard_ids = fields.Many2many(related="company_id.kam_standard_ids", readonly=False)
    kam_certification_body_id = fields.Many2one(
        related="company_id.kam_certification_body_id", readonly=False
    )
    kam_escalation_days = fields.Integer(related="company_id.kam_escalation_days", readonly=False)
    kam_root_cause_nonconformity = fields.Boolean(
        related="company_id.kam_root_cause_nonconformity", readonly=False
    )
    kam_root_cause_complaint = fields.Boolean(
        related="company_id.kam_root_cause_complaint", readonly=False
    )
    kam_root_cause_incident = fields.Boolean(
        related="company_id.kam_root_cause_incident", readonly=False
    )
    kam_root_cause_improvement = fields.Boolean(
        related="company_id.kam_root_cause_improvement", readonly=False
    )
    kam_complaint_answer_days = fields.Integer(
        related="company_id.kam_complaint_answer_days", readonly=False
    )
    kam_complaint_satisfaction_wait_days = fields.Integer(
        related="company_id.kam_complaint_satisfaction_wait_days", readonly=False
    )
    kam_supplier_class_a_min = fields.Float(
        related="company_id.kam_supplier_class_a_min", readonly=False
    )
    kam_supplier_class_b_min = fields.Float(
        related="company_id.kam_supplier_class_b_min", readonly=False
    )
    kam_block_unapproved_suppliers = fields.Boolean(
        related="company_id.kam_block_unapproved_suppliers", readonly=False
    )
    kam_supplier_evaluator_id = fields.Many2one(
        related="company_id.kam_supplier_evaluator_id", readonly=False
    )
    kam_certificate_reminder_days = fields.Integer(
        related="company_id.kam_certificate_reminder_days", readonly=False
    )
