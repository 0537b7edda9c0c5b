from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kam_standard_ids = fields.Many2many(
        "kam.standard",
        "kam_standard_res_company_rel",
        "company_id",
        "standard_id",
        string="Certified standards",
        help="The standards (in their current edition) this company's management "
        "system is certified to or works by.",
    )
    kam_certification_body_id = fields.Many2one(
        "res.partner",
        string="Certification body",
        help="The certification body that audits this company's management system.",
    )

    kam_escalation_days = fields.Integer(
        string="Escalate overdue actions after (days)",
        default=7,
        help="Overdue actions are escalated to the case's responsible officer after this many "
        "days past their deadline.",
    )
    kam_root_cause_nonconformity = fields.Boolean(
        string="Root cause required for nonconformities", default=True
    )
    kam_root_cause_complaint = fields.Boolean(
        string="Root cause required for complaints", default=True
    )
    kam_root_cause_incident = fields.Boolean(
        string="Root cause required for incidents", default=True
    )
    kam_root_cause_improvement = fields.Boolean(
        string="Root cause required for improvement suggestions", default=False
    )
    kam_complaint_answer_days = fields.Integer(
        string="Answer complaints within (working days)",
        default=10,
        help="The expected answer date of a complaint is the date received plus this many "
        "working days.",
    )
    kam_complaint_satisfaction_wait_days = fields.Integer(
        string="Wait for the customer's answer (days)",
        default=14,
        help="After this many days without an answer to the satisfaction question, an officer "
        "may close the complaint; this is recorded as 'no answer'.",
    )
