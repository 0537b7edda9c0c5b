from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date, sql


class KamSupplierCertificate(models.Model):
    """A certificate a supplier holds (ISO 9001, VCA, CE...), with its expiry date."""

    _name = "kam.supplier.certificate"
    _description = "Supplier certificate"
    _inherit = ["kam.system.text.mixin", "mail.thread", "mail.activity.mixin", "kam.periodic.duty"]
    _order = "date_valid_until, id"
    _check_company_auto = True
    # reminded once, the company's reminder term before the certificate expires
    _kam_duty_date_field = "date_valid_until"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_certificate_expiry"

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        check_company=True,
    )
    standard_id = fields.Many2one("kam.standard", tracking=True, check_company=True)
    standard_name = fields.Char(
        string="Other standard", help="A standard that is not in the list (VCA, CE, BRC...)."
    )
    name = fields.Char(string="Certificate number", required=True, tracking=True)
    certification_body = fields.Char(help="The body that issued the certificate.")
    date_valid_until = fields.Date(string="Valid until", required=True, tracking=True, index=True)
    attachment = fields.Binary(string="Certificate", attachment=True)
    attachment_name = fields.Char(string="File name")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Gets the reminder before the certificate expires.",
    )
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    is_expired = fields.Boolean(string="Expired", compute="_compute_is_expired")
    active = fields.Boolean(default=True)

    @api.depends("standard_id", "standard_name", "name")
    def _compute_display_name(self):
        for certificate in self:
            standard = certificate.standard_id.display_name or certificate.standard_name
            certificate.display_name = (
                f"{standard} ({certificate.name})" if standard else certificate.name
            )

    @api.depends("date_valid_until")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for certificate in self:
            certificate.is_expired = bool(
                certificate.date_valid_until and certificate.date_valid_until < today
            )

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        commercial_of = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = commercial_of[vals["partner_id"]]
        return super().create(vals_list)

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_init_state(self):
        # the flag this state replaces: reminded, also when that activity is done
        if sql.column_exists(self.env.cr, self._table, "expiry_reminded"):
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET kam_duty_state = 'reminded' WHERE expiry_reminded",
                    SQL.identifier(self._table),
                )
            )

    @api.model
    def _kam_duty_remind_days(self, company):
        return company.kam_certificate_reminder_days

    def _kam_creation_note(self):
        return self.env._("Supplier certificate created")

    def _kam_duty_reminder_values(self, today):
        company = self.env.company
        limit = today + timedelta(days=company.kam_certificate_reminder_days)
        fallback = company.kam_supplier_evaluator_id or self.env.ref("base.user_admin")
        return {
            certificate: {
                "user_id": (certificate.user_id or certificate.partner_id.buyer_id or fallback).id,
                "date_deadline": min(certificate.date_valid_until, limit),
                "summary": lambda env, certificate=certificate: env._(
                    "Certificate %(certificate)s of %(supplier)s expires on %(date)s",
                    certificate=certificate.with_env(env).display_name,
                    supplier=certificate.partner_id.display_name,
                    date=format_date(env, certificate.date_valid_until),
                ),
            }
            for certificate in self
        }
