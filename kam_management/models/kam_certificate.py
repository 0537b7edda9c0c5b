from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools import xlsx

# the audits of a three-year certification cycle, planned from the certificate
CYCLE_AUDITS = (("surveillance", 1), ("surveillance", 2))
RECERTIFICATION_MONTHS_BEFORE = 3


class KamCertificate(models.Model):
    """A certificate the company holds (ISO 9001, ISO 14001, ISO 45001, HKZ...):
    the certification body and its contact, number, scope and sites, validity,
    the external audits planned against it (stage 1 and 2, surveillance,
    recertification), the deadlines for closing the body's findings and the
    transition to a new edition. The expiry is a dated duty (one reminder).
    For a health and safety certificate the notifiable accidents of its period
    show with the date the body was informed (IAF MD22)."""

    _name = "kam.certificate"
    _description = "KAM certificate"
    _inherit = [
        "kam.periodic.duty",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_valid_until desc, id desc"
    _check_company_auto = True
    _kam_duty_date_field = "date_valid_until"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_certificate_own_expiry"

    name = fields.Char(string="Certificate number", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    standard_id = fields.Many2one("kam.standard", required=True, tracking=True)
    theme = fields.Selection(related="standard_id.theme")
    certification_body_id = fields.Many2one(
        "res.partner",
        string="Certification body",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.kam_certification_body_id,
    )
    cb_contact_id = fields.Many2one(
        "res.partner",
        string="Contact person",
        domain="[('parent_id', '=', certification_body_id)]",
    )
    scope = fields.Text(help="The scope as printed on the certificate.")
    sites = fields.Text(help="The sites the certificate covers, one per line.")
    date_issued = fields.Date(string="Issued on")
    date_valid_from = fields.Date(string="Valid from", required=True, tracking=True)
    date_valid_until = fields.Date(string="Valid until", required=True, tracking=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Contact for the certification body; reminded before the certificate expires.",
    )
    # the body's rules for its findings
    kam_major_nc_days = fields.Integer(
        string="Close major nonconformities within (days)",
        default=90,
        help="The certification body's term for closing a major nonconformity.",
    )
    kam_minor_nc_days = fields.Integer(
        string="Close minor nonconformities within (days)",
        default=180,
        help="The certification body's term for a minor nonconformity (often: before the next "
        "audit).",
    )
    # transition to a new edition
    transition_standard_id = fields.Many2one(
        "kam.standard",
        string="Transition to",
        help="The new edition the certificate must move to.",
    )
    transition_deadline = fields.Date(
        string="Transition deadline", tracking=True, help="The last day of the transition period."
    )
    attachment = fields.Binary(string="Certificate", attachment=True)
    attachment_name = fields.Char(string="File name")
    audit_ids = fields.One2many("kam.audit", "certificate_id", string="External audits")
    next_audit_id = fields.Many2one("kam.audit", string="Next audit", compute="_compute_next_audit")
    next_audit_date = fields.Date(string="Next audit on", compute="_compute_next_audit")
    finding_ids = fields.Many2many(
        "kam.case", string="Findings of the body", compute="_compute_findings"
    )
    open_finding_count = fields.Integer(
        string="Open findings of the body", compute="_compute_findings"
    )
    notifiable_case_ids = fields.Many2many(
        "kam.case",
        string="Notifiable accidents",
        compute="_compute_notifiable_cases",
        help="IAF MD22: accidents that were notifiable to the authorities are also reported to "
        "the certification body, which reviews them at the next audit.",
    )
    uninformed_count = fields.Integer(
        string="Body not yet informed", compute="_compute_notifiable_cases"
    )
    is_expired = fields.Boolean(string="Expired", compute="_compute_is_expired")
    active = fields.Boolean(default=True)

    _validity_check = models.Constraint(
        "CHECK(date_valid_until >= date_valid_from)",
        "A certificate cannot expire before it becomes valid.",
    )

    def _kam_creation_note(self):
        return self.env._("Certificate created")

    @api.depends("standard_id", "name")
    def _compute_display_name(self):
        for certificate in self:
            certificate.display_name = (
                f"{certificate.standard_id.display_name} ({certificate.name})"
                if certificate.standard_id
                else certificate.name or ""
            )

    @api.depends("date_valid_until")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for certificate in self:
            certificate.is_expired = bool(
                certificate.date_valid_until and certificate.date_valid_until < today
            )

    def _compute_next_audit(self):
        today = fields.Date.context_today(self)
        audits = self.env["kam.audit"].search(
            [
                ("certificate_id", "in", self.ids),
                ("state", "in", ("planned", "prepared", "in_progress")),
                ("date_planned", ">=", today),
            ],
            order="date_planned, id",
        )
        first = {}
        for audit in audits:
            first.setdefault(audit.certificate_id, audit)
        for certificate in self:
            audit = first.get(certificate, self.env["kam.audit"])
            certificate.next_audit_id = audit
            certificate.next_audit_date = audit.date_planned

    def _compute_findings(self):
        cases = self.env["kam.case"].search([("audit_id.certificate_id", "in", self.ids)])
        by_certificate = cases.grouped(lambda c: c.audit_id.certificate_id)
        for certificate in self:
            findings = by_certificate.get(certificate, self.env["kam.case"])
            certificate.finding_ids = findings
            certificate.open_finding_count = len(findings.filtered(lambda c: not c.is_closed))

    def _compute_notifiable_cases(self):
        Case = self.env["kam.case"]
        health = self.filtered(lambda c: c.theme == "health_safety")
        cases = Case.browse()
        if health:
            cases = Case.search(
                [
                    ("case_type", "=", "incident"),
                    ("is_notifiable", "=", True),
                    ("company_id", "in", health.company_id.ids),
                    ("date_found", ">=", min(health.mapped("date_valid_from"))),
                    ("date_found", "<=", max(health.mapped("date_valid_until"))),
                ]
            )
        for certificate in self:
            found = cases.filtered(
                lambda c, cert=certificate: (
                    cert in health
                    and c.company_id == cert.company_id
                    and cert.date_valid_from <= c.date_found <= cert.date_valid_until
                )
            )
            certificate.notifiable_case_ids = found
            certificate.uninformed_count = len(found.filtered(lambda c: not c.cb_informed_date))

    # ------------------------------------------------------------------ the cycle
    def _kam_cycle_values(self):
        """The external audits of this certificate's cycle: surveillance audits a
        year and two years after the start, the recertification audit three
        months before the end."""
        self.ensure_one()
        values = []
        start, end = self.date_valid_from, self.date_valid_until
        for audit_type, years in CYCLE_AUDITS:
            day = start + relativedelta(years=years)
            if day < end:
                values.append((audit_type, day))
        recertification = end - relativedelta(months=RECERTIFICATION_MONTHS_BEFORE)
        if recertification > start:
            values.append(("recertification", recertification))
        return values

    def action_plan_audits(self):
        """Plan the external audits of the cycle (idempotent: an audit of the same
        type and period is not planned twice)."""
        Audit = self.env["kam.audit"]
        labels = dict(Audit._fields["audit_type"]._description_selection(self.env))
        existing = {
            (a.certificate_id.id, a.audit_type, a.programme_period)
            for a in Audit.with_context(active_test=False).search(
                [("certificate_id", "in", self.ids)]
            )
        }
        values = []
        for certificate in self:
            for audit_type, day in certificate._kam_cycle_values():
                if (certificate.id, audit_type, day) in existing:
                    continue
                values.append(
                    {
                        "title": self.env._(
                            "%(type)s %(standard)s",
                            type=labels[audit_type],
                            standard=certificate.standard_id.display_name,
                        ),
                        "audit_type": audit_type,
                        "certificate_id": certificate.id,
                        "company_id": certificate.company_id.id,
                        "programme_period": day,
                        "date_planned": day,
                        "partner_id": certificate.certification_body_id.id,
                        "external_auditor_ids": [fields.Command.set(certificate.cb_contact_id.ids)],
                        "standard_ids": [fields.Command.set(certificate.standard_id.ids)],
                        "user_id": certificate.user_id.id,
                    }
                )
        if not values and len(self) == 1 and not existing:
            raise UserError(self.env._("The validity of the certificate leaves no audit to plan."))
        return Audit.create(values)

    @api.readonly
    def action_view_audits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kam_management.kam_audit_action")
        action["domain"] = [("certificate_id", "=", self.id)]
        action["context"] = {
            "default_certificate_id": self.id,
            "default_audit_type": "surveillance",
            "default_company_id": self.company_id.id,
            "default_partner_id": self.certification_body_id.id,
        }
        return action

    # ------------------------------------------------------------------ periodic duty
    @api.model
    def _kam_duty_remind_days(self, company):
        return company.kam_own_certificate_reminder_days

    def _kam_duty_reminder_values(self, today):
        values = {}
        for certificate in self:
            user = (
                certificate.user_id
                or self.env["kam.case"]._kam_officers(certificate.company_id)[:1]
            )
            if user:
                values[certificate] = {
                    "user_id": user.id,
                    "date_deadline": certificate.date_valid_until,
                    "summary": lambda env, certificate=certificate: env._(
                        "Certificate %(certificate)s expires on %(date)s: is the "
                        "recertification audit planned?",
                        certificate=certificate.with_env(env).display_name,
                        date=format_date(env, certificate.date_valid_until),
                    ),
                }
        return values

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "certificate",
                self.env._("Certificates"),
                columns=[
                    xlsx.many2one("standard_id", width=18),
                    xlsx.char("name", width=18),
                    xlsx.many2one("certification_body_id", width=28),
                    xlsx.char("scope", width=40),
                    xlsx.char("sites", width=30),
                    xlsx.date("date_valid_from"),
                    xlsx.date("date_valid_until"),
                    xlsx.date("next_audit_date"),
                    xlsx.date("transition_deadline"),
                ],
                order="date_valid_until desc, id desc",
            ),
        ]
