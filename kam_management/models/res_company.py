import secrets

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import config, formataddr

from ..tools.access import KAM_MANAGER, SYSTEM, check_groups


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
    kam_complaint_satisfaction_wait_days = fields.Integer(
        string="Wait for the customer's answer (days)",
        default=14,
        help="After this many days without an answer to the satisfaction question, an officer "
        "may close the complaint; this is recorded as 'no answer'.",
    )
    kam_risk_method_id = fields.Many2one(
        "kam.risk.method",
        string="Risk classification method",
        default=lambda self: self.env.ref(
            "kam_management.kam_risk_method_kinney5", raise_if_not_found=False
        ),
        help="How RI&E risk scores are classified (Kinney & Wiruth with five classes by default).",
    )
    kam_role_reminder_days = fields.Integer(
        string="Remind of expiring role certificates (days before)",
        default=30,
        help="Holders of a KAM role whose certificate expires within this many days get a "
        "reminder activity (once).",
    )
    kam_report_token = fields.Char(
        string="Safe reporting token",
        copy=False,
        groups="base.group_system",
        help="Secret part of the address of the public safe reporting page.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("kam_report_token", secrets.token_urlsafe(16))
        return super().create(vals_list)

    @api.model
    def _kam_init_company_defaults(self):
        """Module install and update: a safe reporting token for every company
        that has none (so that pages showing the address never have to write)
        and the default risk classification method where none is chosen."""
        companies = self.sudo().with_context(active_test=False)
        for company in companies.search([("kam_report_token", "=", False)]):
            company.kam_report_token = secrets.token_urlsafe(16)
        method = self.env.ref("kam_management.kam_risk_method_kinney5", raise_if_not_found=False)
        if method:
            companies.search([("kam_risk_method_id", "=", False)]).kam_risk_method_id = method

    def _kam_report_path(self):
        """/kam/report/<company id>/<token>: the public safe reporting page.
        The token is created on first use (per company)."""
        self.ensure_one()
        company = self.sudo()
        if not company.kam_report_token:
            company.kam_report_token = secrets.token_urlsafe(16)
        return f"/kam/report/{self.id}/{company.kam_report_token}"

    def _kam_report_url(self):
        self.ensure_one()
        return self.get_base_url() + self._kam_report_path()

    def action_kam_reset_report_token(self):
        """A new address for the public page (the old one and its QR codes stop working).
        KAM managers and administrators, of their own companies only."""
        check_groups(self, KAM_MANAGER, SYSTEM)
        if not self.env.su and self - self.env.user.company_ids:
            raise AccessError(
                self.env._("You can only give a new safe reporting address to your own companies.")
            )
        for company in self.sudo():
            company.kam_report_token = secrets.token_urlsafe(16)
        return True

    # supplier evaluation (ISO 9001 8.4)
    kam_supplier_class_a_min = fields.Float(
        string="Class A from (points)",
        default=80.0,
        help="Supplier evaluations with at least this score (of 100) are class A: approved.",
    )
    kam_supplier_class_b_min = fields.Float(
        string="Class B from (points)",
        default=60.0,
        help="Supplier evaluations with at least this score (of 100) and below class A are "
        "class B: conditionally approved. Lower scores are class C: blocked.",
    )
    kam_block_unapproved_suppliers = fields.Boolean(
        string="Block purchase orders to blocked suppliers",
        help="Purchase orders to blocked suppliers cannot be confirmed.",
    )
    kam_supplier_evaluator_id = fields.Many2one(
        "res.users",
        string="Default supplier evaluator",
        help="Evaluates suppliers without a buyer on their latest purchase order or on the "
        "supplier, and gets their certificate reminders.",
    )
    kam_certificate_reminder_days = fields.Integer(
        string="Remind of expiring certificates (days before)", default=30
    )

    @api.constrains("kam_supplier_class_a_min", "kam_supplier_class_b_min")
    def _check_kam_supplier_classes(self):
        for company in self:
            if not (
                0 <= company.kam_supplier_class_b_min <= company.kam_supplier_class_a_min <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "The supplier class thresholds must satisfy 0 <= class B <= class A "
                        "<= 100 points."
                    )
                )

    # audits and certification
    kam_audit_auditor_rule = fields.Selection(
        [("block", "Block"), ("warn", "Warn")],
        string="Auditor independence and competence",
        default="block",
        required=True,
        help="Block: an auditor of their own department or work cannot be planned, and an "
        "internal audit cannot be prepared without competent auditors (the role internal "
        "auditor with a valid certificate). Warn: the audit shows the problem.",
    )
    kam_audit_reminder_days = fields.Integer(
        string="Remind of audits (days before)",
        default=14,
        help="The lead auditor gets an activity and every auditor and auditee a mail this many "
        "days before the planned date.",
    )
    kam_major_nc_days = fields.Integer(
        string="Close major nonconformities within (days)",
        default=90,
        help="Deadline of a major nonconformity found in an internal audit, from the last day of "
        "the audit. External audits follow their certificate's terms.",
    )
    kam_minor_nc_days = fields.Integer(
        string="Close minor nonconformities within (days)", default=180
    )
    kam_own_certificate_reminder_days = fields.Integer(
        string="Remind of the company's expiring certificates (days before)", default=120
    )

    # ------------------------------------------------------------------ KAM settings
    # The KAM settings a KAM manager owns (terms, thresholds, methods): they keep
    # them on their company's KAM settings form without being administrators.
    # Odoo's own settings page stays for administrators.
    kam_role_warning = fields.Html(
        string="Unfilled KAM roles", compute="_compute_kam_role_warning", sanitize=False
    )
    kam_report_url = fields.Char(string="Safe reporting page", compute="_compute_kam_report_url")
    kam_complaint_alias = fields.Char(
        string="Complaints address", compute="_compute_kam_complaint_alias"
    )
    kam_complaint_alias_ready = fields.Boolean(
        string="Complaints address can receive mail", compute="_compute_kam_complaint_alias"
    )

    @api.model
    def _kam_settings_fields(self):
        """The company fields a KAM manager may change on the KAM settings form."""
        return {
            "kam_standard_ids",
            "kam_certification_body_id",
            "kam_escalation_days",
            "kam_complaint_satisfaction_wait_days",
            "kam_risk_method_id",
            "kam_role_reminder_days",
            "kam_supplier_class_a_min",
            "kam_supplier_class_b_min",
            "kam_block_unapproved_suppliers",
            "kam_supplier_evaluator_id",
            "kam_certificate_reminder_days",
            "kam_audit_auditor_rule",
            "kam_audit_reminder_days",
            "kam_major_nc_days",
            "kam_minor_nc_days",
            "kam_own_certificate_reminder_days",
            "kam_aspect_method_id",
            "kam_opportunity_method_id",
            "kam_compliance_reminder_days",
            "kam_document_reviewer_ids",
            "kam_document_approver_ids",
            "kam_document_ack_days",
            "kam_document_review_remind_days",
            "kam_toolbox_plan_days",
            "kam_review_user_id",
            "kam_review_remind_days",
            "kam_satisfaction_survey_id",
            "kam_satisfaction_frequency",
            "kam_satisfaction_answer_days",
            "kam_satisfaction_reminder_days",
            "kam_satisfaction_exclude_months",
            "kam_satisfaction_case_type",
            "kam_satisfaction_csat_case_max",
        }

    def write(self, vals):
        if (
            vals
            and not self.env.su
            and set(vals) <= self._kam_settings_fields()
            and not self.env["res.company"].has_access("write")
        ):
            if not self.env.user.has_group(KAM_MANAGER):
                raise AccessError(self.env._("Only KAM managers can change the KAM settings."))
            # their own companies only (record rules)
            self.check_access("read")
            return super(ResCompany, self.sudo()).write(vals)
        res = super().write(vals)
        if "partner_id" in vals:
            self.env.registry.clear_cache()  # res.partner._kam_company_partner_lang
        return res

    @api.depends_context("uid")
    def _compute_kam_role_warning(self):
        for company in self:
            roles = self.env["kam.role"]._unfilled_required(company)
            company.kam_role_warning = (
                Markup("%s<ul>%s</ul>")
                % (
                    self.env._("Nobody holds these required roles with a valid certificate:"),
                    Markup("").join(Markup("<li>%s</li>") % escape(r.name) for r in roles),
                )
                if roles
                else False
            )

    def _compute_kam_report_url(self):
        for company in self:
            company.kam_report_url = company._kam_report_url()

    def _compute_kam_complaint_alias(self):
        alias = self.env.ref("kam_management.mail_alias_kam_complaint", raise_if_not_found=False)
        alias = alias.sudo() if alias else alias
        for company in self:
            company.kam_complaint_alias = alias.alias_full_name if alias else False
            company.kam_complaint_alias_ready = bool(alias and alias.alias_domain_id)

    @api.model
    def action_kam_open_settings(self):
        """The KAM settings of the current company (KAM managers)."""
        check_groups(self.env.company, KAM_MANAGER)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("KAM settings"),
            "res_model": "res.company",
            "res_id": self.env.company.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("kam_management.res_company_view_form_kam_settings").id, "form")
            ],
            "target": "current",
            "context": {"create": False, "delete": False},
        }

    def action_kam_print_report_poster(self):
        check_groups(self, KAM_MANAGER, SYSTEM)
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._kam_report_path() + "/poster",
            "target": "new",
        }

    def action_kam_case_types(self):
        check_groups(self, KAM_MANAGER, SYSTEM)
        return self.env["ir.actions.act_window"]._for_xml_id("kam_management.kam_case_type_action")

    def _kam_report_footer(self):
        """The company line at the bottom of every page of the KAM letters and
        reports: name, address, contact, Chamber of Commerce and VAT numbers."""
        self.ensure_one()
        company = self.sudo()
        city = " ".join(part for part in (company.zip, company.city) if part)
        address = ", ".join(part for part in (company.street, city) if part)
        parts = [company.name, address, company.phone, company.email, company.website]
        if company.company_registry:
            parts.append(self.env._("CoC %(number)s", number=company.company_registry))
        if company.vat:
            parts.append(self.env._("VAT %(number)s", number=company.vat))
        return " · ".join(part for part in parts if part)

    # registers: legal requirements, environmental aspects, risks and opportunities
    kam_aspect_method_id = fields.Many2one(
        "kam.risk.method",
        string="Significance of environmental aspects",
        domain="[('usage', '=', 'aspect')]",
        default=lambda self: self.env.ref(
            "kam_management.kam_risk_method_aspect", raise_if_not_found=False
        ),
        help="How the significance of environmental aspects is classified (frequency x severity).",
    )
    kam_opportunity_method_id = fields.Many2one(
        "kam.risk.method",
        string="Classification of risks and opportunities",
        domain="[('usage', '=', 'risk_opportunity')]",
        default=lambda self: self.env.ref(
            "kam_management.kam_risk_method_matrix5", raise_if_not_found=False
        ),
        help="How risks and opportunities are classified (likelihood x impact).",
    )
    kam_compliance_reminder_days = fields.Integer(
        string="Prepare evaluations of compliance (days before)",
        default=14,
        help="This many days before a requirement's next evaluation its responsible gets a "
        "reminder and a draft evaluation.",
    )

    @api.constrains("kam_risk_method_id", "kam_aspect_method_id", "kam_opportunity_method_id")
    def _check_kam_method_usage(self):
        expected = {
            "kam_risk_method_id": "rie",
            "kam_aspect_method_id": "aspect",
            "kam_opportunity_method_id": "risk_opportunity",
        }
        for company in self:
            for name, usage in expected.items():
                if company[name] and company[name].usage != usage:
                    raise ValidationError(
                        self.env._(
                            "%(method)s is not a method for %(register)s.",
                            method=company[name].name,
                            register=self._fields[name]._description_string(self.env),
                        )
                    )

    @api.model
    def _kam_init_register_methods(self):
        """Module install and update: the default methods of the aspects and of the
        risks and opportunities where a company has none."""
        companies = self.sudo().with_context(active_test=False)
        for field, xmlid in (
            ("kam_aspect_method_id", "kam_management.kam_risk_method_aspect"),
            ("kam_opportunity_method_id", "kam_management.kam_risk_method_matrix5"),
        ):
            method = self.env.ref(xmlid, raise_if_not_found=False)
            if method:
                companies.search([(field, "=", False)])[field] = method

    # ---- customer satisfaction (ISO 9001 9.1.2)
    kam_satisfaction_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction questionnaire",
        domain="[('survey_type', '=', 'kam_satisfaction')]",
        default=lambda self: self.env.ref(
            "kam_management.survey_kam_customer_satisfaction", raise_if_not_found=False
        ),
        help="The questionnaire new satisfaction campaigns send.",
    )
    kam_satisfaction_frequency = fields.Selection(
        [("quarterly", "Quarterly"), ("half_yearly", "Half-yearly"), ("yearly", "Yearly")],
        string="Satisfaction campaign every",
        default="half_yearly",
        help="The period of a new campaign: the last complete quarter, half year or year.",
    )
    kam_satisfaction_exclude_months = fields.Integer(
        string="Do not ask a customer again within (months)",
        default=12,
    )
    kam_satisfaction_answer_days = fields.Integer(
        string="Customers answer within (days)", default=21
    )
    kam_satisfaction_reminder_days = fields.Integer(
        string="Remind customers who did not answer after (days)", default=7
    )
    kam_satisfaction_case_type = fields.Selection(
        [("complaint", "Complaint"), ("improvement", "Improvement suggestion")],
        string="Follow-up of dissatisfied customers as",
        default="improvement",
        help="A detractor (NPS 0-6) or a very low CSAT answer opens a case of this type, with a "
        "call-back activity for the account manager.",
    )
    kam_satisfaction_csat_case_max = fields.Float(
        string="Follow up CSAT answers up to",
        default=2.0,
        help="A CSAT answer at or below this value (on the questionnaire's scale, e.g. 1-5) "
        "opens a follow-up case.",
    )

    @api.model
    def _kam_init_satisfaction_defaults(self):
        """Module install and update: the ready questionnaire for every company without one."""
        survey = self.env.ref(
            "kam_management.survey_kam_customer_satisfaction", raise_if_not_found=False
        )
        if survey:
            companies = self.sudo().with_context(active_test=False)
            companies.search([("kam_satisfaction_survey_id", "=", False)]).write(
                {"kam_satisfaction_survey_id": survey.id}
            )

    # documented information and awareness (ISO 7.5, 7.3)
    kam_document_reviewer_ids = fields.Many2many(
        "res.users",
        "kam_document_reviewer_res_company_rel",
        "company_id",
        "user_id",
        string="Default document reviewers",
        help="Review new versions of controlled documents (the default of a new document).",
    )
    kam_document_approver_ids = fields.Many2many(
        "res.users",
        "kam_document_approver_res_company_rel",
        "company_id",
        "user_id",
        string="Default document approvers",
        help="Approve new versions of controlled documents (the default of a new document). "
        "Empty: any KAM officer. Policies and manuals are approved by KAM managers only.",
    )
    kam_document_ack_days = fields.Integer(
        string="Days to read a new document",
        default=14,
        help="Employees read and acknowledge a released version within this many days; then "
        "they are reminded.",
    )
    kam_document_review_remind_days = fields.Integer(
        string="Remind of document reviews (days before)",
        default=30,
        help="The owner of a controlled document is reminded this many days before its review "
        "date.",
    )
    kam_toolbox_plan_days = fields.Integer(
        string="Plan toolbox meetings (days ahead)",
        default=14,
        help="The next meeting of a toolbox plan is created this many days before its date.",
    )

    # management review (ISO 9001 9.3)
    kam_review_user_id = fields.Many2one(
        "res.users",
        string="Management review coordinator",
        help="Prepares the management review and is reminded when the next one is due.",
    )
    kam_review_remind_days = fields.Integer(
        string="Remind of the next management review (days before)", default=30
    )

    # the sender of the addon's mails (tools/mail.py)
    kam_mail_from = fields.Char(
        string="Sender of KAM mails",
        compute="_compute_kam_mail_from",
        compute_sudo=True,
        help="The company's e-mail address, else the default sender of its mail domain or of "
        "the server. Empty: no KAM mail is sent for this company.",
    )

    @api.depends("email_formatted", "default_from_email", "name")
    def _compute_kam_mail_from(self):
        server_default = config.get("email_from")
        for company in self:
            default = company.default_from_email or server_default
            company.kam_mail_from = company.email_formatted or (
                formataddr((company.name, default)) if default else ""
            )
