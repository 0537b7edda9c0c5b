from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.activities import schedule_once
from ..tools.batches import in_chunks


class KamSupplierCertificate(models.Model):
    """A certificate a supplier holds (ISO 9001, VCA, CE...), with its expiry date."""

    _name = "kam.supplier.certificate"
    _description = "Supplier certificate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_valid_until, id"
    _check_company_auto = True

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
    expiry_reminded = fields.Boolean(
        copy=False, help="The expiry reminder was given; reset when the date changes."
    )
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

    def write(self, vals):
        if "date_valid_until" in vals:
            vals = dict(vals, expiry_reminded=False)
        return super().write(vals)

    def _expiry_reminder(self, company, limit):
        fallback = company.kam_supplier_evaluator_id or self.env.ref("base.user_admin")

        def values(certificate):
            user = certificate.user_id or certificate.partner_id.buyer_id or fallback
            return {
                "user_id": user.id,
                "date_deadline": min(certificate.date_valid_until, limit),
                "summary": self.env._(
                    "Certificate %(certificate)s of %(supplier)s expires on %(date)s",
                    certificate=certificate.display_name,
                    supplier=certificate.partner_id.display_name,
                    date=certificate.date_valid_until,
                ),
            }

        return values

    @api.model
    def _cron_expiry_reminders(self, batch_size=500):
        """Daily: one activity per certificate that expires within the company's
        reminder term, never a second (also not after the first one is done)."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("kam_management.mail_activity_kam_certificate_expiry")
        for company in self.env["res.company"].sudo().search([]):
            limit = today + relativedelta(days=company.kam_certificate_reminder_days)
            domain = [
                ("expiry_reminded", "=", False),
                ("date_valid_until", "<=", limit),
                ("company_id", "in", [company.id, False]),
            ]
            reminder = self._expiry_reminder(company, limit)
            for certificates in in_chunks(self.sudo().with_company(company), domain, batch_size):
                schedule_once(certificates, activity_type, reminder)
                certificates.write({"expiry_reminded": True})
        return True
