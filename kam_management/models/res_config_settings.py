from markupsafe import Markup, escape

from odoo import api, fields, models

from ..tools.access import SYSTEM, check_groups


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_standard_ids = fields.Many2many(related="company_id.kam_standard_ids", readonly=False)
    kam_certification_body_id = fields.Many2one(
        related="company_id.kam_certification_body_id", readonly=False
    )
    kam_escalation_days = fields.Integer(related="company_id.kam_escalation_days", readonly=False)
    kam_complaint_satisfaction_wait_days = fields.Integer(
        related="company_id.kam_complaint_satisfaction_wait_days", readonly=False
    )
    kam_risk_method_id = fields.Many2one(related="company_id.kam_risk_method_id", readonly=False)
    kam_role_reminder_days = fields.Integer(
        related="company_id.kam_role_reminder_days", readonly=False
    )
    kam_role_warning = fields.Html(
        string="Unfilled KAM roles", compute="_compute_kam_role_warning", sanitize=False
    )
    kam_report_url = fields.Char(string="Safe reporting page", compute="_compute_kam_report_url")
    kam_complaint_alias = fields.Char(related="company_id.kam_complaint_alias")
    kam_complaint_alias_ready = fields.Boolean(related="company_id.kam_complaint_alias_ready")

    @api.depends("company_id")
    def _compute_kam_role_warning(self):
        for settings in self:
            roles = self.env["kam.role"]._unfilled_required(settings.company_id)
            if roles:
                settings.kam_role_warning = Markup("%s<ul>%s</ul>") % (
                    self.env._("Nobody holds these required roles with a valid certificate:"),
                    Markup("").join(Markup("<li>%s</li>") % escape(r.name) for r in roles),
                )
            else:
                settings.kam_role_warning = False

    @api.depends("company_id")
    def _compute_kam_report_url(self):
        for settings in self:
            settings.kam_report_url = settings.company_id._kam_report_url()

    def action_kam_print_report_poster(self):
        check_groups(self, SYSTEM)
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.company_id._kam_report_path() + "/poster",
            "target": "new",
        }

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

    # audits and certification
    kam_audit_auditor_rule = fields.Selection(
        related="company_id.kam_audit_auditor_rule", readonly=False
    )
    kam_audit_reminder_days = fields.Integer(
        related="company_id.kam_audit_reminder_days", readonly=False
    )
    kam_major_nc_days = fields.Integer(related="company_id.kam_major_nc_days", readonly=False)
    kam_minor_nc_days = fields.Integer(related="company_id.kam_minor_nc_days", readonly=False)
    kam_own_certificate_reminder_days = fields.Integer(
        related="company_id.kam_own_certificate_reminder_days", readonly=False
    )

    # registers: legal requirements, environmental aspects, risks and opportunities
    kam_aspect_method_id = fields.Many2one(
        related="company_id.kam_aspect_method_id", readonly=False
    )
    kam_opportunity_method_id = fields.Many2one(
        related="company_id.kam_opportunity_method_id", readonly=False
    )
    kam_compliance_reminder_days = fields.Integer(
        related="company_id.kam_compliance_reminder_days", readonly=False
    )

    # ---- customer satisfaction
    kam_satisfaction_survey_id = fields.Many2one(
        related="company_id.kam_satisfaction_survey_id", readonly=False
    )
    kam_satisfaction_frequency = fields.Selection(
        related="company_id.kam_satisfaction_frequency", readonly=False
    )
    kam_satisfaction_exclude_months = fields.Integer(
        related="company_id.kam_satisfaction_exclude_months", readonly=False
    )
    kam_satisfaction_answer_days = fields.Integer(
        related="company_id.kam_satisfaction_answer_days", readonly=False
    )
    kam_satisfaction_reminder_days = fields.Integer(
        related="company_id.kam_satisfaction_reminder_days", readonly=False
    )
    kam_satisfaction_case_type = fields.Selection(
        related="company_id.kam_satisfaction_case_type", readonly=False
    )
    kam_satisfaction_csat_case_max = fields.Float(
        related="company_id.kam_satisfaction_csat_case_max", readonly=False
    )

    # ---- documented information and awareness
    kam_document_reviewer_ids = fields.Many2many(
        related="company_id.kam_document_reviewer_ids", readonly=False
    )
    kam_document_approver_ids = fields.Many2many(
        related="company_id.kam_document_approver_ids", readonly=False
    )
    kam_document_ack_days = fields.Integer(
        related="company_id.kam_document_ack_days", readonly=False
    )
    kam_document_review_remind_days = fields.Integer(
        related="company_id.kam_document_review_remind_days", readonly=False
    )
    kam_toolbox_plan_days = fields.Integer(
        related="company_id.kam_toolbox_plan_days", readonly=False
    )

    # management review
    kam_review_user_id = fields.Many2one(related="company_id.kam_review_user_id", readonly=False)
    kam_review_remind_days = fields.Integer(
        related="company_id.kam_review_remind_days", readonly=False
    )
