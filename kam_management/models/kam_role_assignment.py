from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_date


class KamRoleAssignment(models.Model):
    """An employee holding a KAM role, with the expiry of the certificate or
    training that role needs. A daily job reminds once, N days before expiry."""

    _name = "kam.role.assignment"
    _description = "KAM role assignment"
    _inherit = [
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "hr.mixin",
        "kam.periodic.duty",
    ]
    _order = "role_id, expiry_date, id"
    _check_company_auto = True
    _rec_name = "employee_id"
    # reminded once, the company's reminder period before the certificate expires
    _kam_duty_date_field = "expiry_date"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_role_expiry"

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="cascade", check_company=True
    )
    role_id = fields.Many2one("kam.role", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        required=True,
        index=True,
        precompute=True,
    )
    date_start = fields.Date(string="Since", default=fields.Date.context_today)
    certificate = fields.Char(string="Certificate or training")
    expiry_date = fields.Date(string="Valid until", tracking=True, index=True)
    is_expired = fields.Boolean(compute="_compute_is_expired", search="_search_is_expired")
    note = fields.Text()
    active = fields.Boolean(default=True)

    _employee_role_uniq = models.Constraint(
        "UNIQUE(employee_id, role_id)", "This employee already holds this role."
    )

    @api.depends("employee_id")
    def _compute_company_id(self):
        for assignment in self:
            assignment.company_id = (
                assignment.employee_id.sudo().company_id
                or assignment.company_id
                or self.env.company
            )

    @api.depends("expiry_date")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for assignment in self:
            assignment.is_expired = bool(assignment.expiry_date and assignment.expiry_date < today)

    def _search_is_expired(self, operator, value):
        domain = Domain("expiry_date", "<", fields.Date.context_today(self))
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on expired certificates."))
        return domain if (operator == "=") == value else ~domain

    def _compute_display_name(self):
        for assignment in self:
            assignment.display_name = (
                f"{assignment.employee_id.sudo().name or ''} · {assignment.role_id.name or ''}"
            )

    # ------------------------------------------------------------------ periodic duty
    @api.model
    def _kam_duty_remind_days(self, company):
        return company.kam_role_reminder_days

    def _kam_creation_note(self):
        return self.env._("Role assignment created")

    def _kam_duty_reminder_values(self, today):
        """To the role's reminder user, else a KAM officer of the company."""
        officers_of = {}
        values = {}
        for assignment in self:
            company = assignment.company_id
            user = assignment.role_id.user_id
            if not user:
                if company not in officers_of:
                    officers_of[company] = self.env["kam.case"]._kam_officers(company)[:1]
                user = officers_of[company]
            if user:
                values[assignment] = {
                    "user_id": user.id,
                    "date_deadline": assignment.expiry_date,
                    "summary": lambda env, assignment=assignment: env._(
                        "%(role)s: certificate of %(employee)s expires on %(date)s",
                        role=assignment.role_id.with_env(env).name,
                        employee=assignment.employee_id.sudo().name,
                        date=format_date(env, assignment.expiry_date),
                    ),
                }
        return values
