from odoo import api, fields, models

from .res_partner import SUPPLIER_STATUSES


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "kam.reportable.mixin", "kam.investigation.mixin"]
    # KAM officers without purchase rights read the order of a supplier case here
    _kam_investigation_view = "kam_management.purchase_order_view_form_kam_investigation"
    _kam_investigation_app_group = "purchase.group_purchase_user"

    kam_supplier_status = fields.Selection(
        SUPPLIER_STATUSES, string="Supplier status", compute="_compute_kam_supplier_warning"
    )
    kam_supplier_warning = fields.Char(
        string="Supplier warning", compute="_compute_kam_supplier_warning"
    )

    @api.depends("partner_id", "company_id")
    def _compute_kam_supplier_warning(self):
        for company, orders in self.grouped("company_id").items():
            statuses = orders.partner_id._kam_supplier_status_of(company or self.env.company)
            for order in orders:
                partner = order.partner_id.commercial_partner_id
                status = statuses.get(partner.id, ("not_evaluated", None))[0]
                if not partner:
                    status = False
                order.kam_supplier_status = status
                order.kam_supplier_warning = order._kam_supplier_message(status, partner)

    def _kam_case_defaults(self):
        values = super()._kam_case_defaults()
        values.update(partner_id=self.partner_id.id, source="supplier")
        return values

    def _kam_supplier_message(self, status, partner):
        if status == "conditional":
            return self.env._(
                "%(supplier)s is only conditionally approved (class B in the latest supplier "
                "evaluation): check the agreed improvements before ordering.",
                supplier=partner.name,
            )
        if status == "not_evaluated":
            return self.env._(
                "%(supplier)s has not been evaluated and approved yet (ISO 9001 8.4).",
                supplier=partner.name,
            )
        if status == "blocked":
            reason = partner.with_company(self.company_id).sudo().kam_supplier_block_reason
            if reason:
                return self.env._(
                    "%(supplier)s is blocked as a supplier: %(reason)s",
                    supplier=partner.name,
                    reason=reason,
                )
            return self.env._(
                "%(supplier)s is blocked as a supplier (class C in the latest supplier "
                "evaluation).",
                supplier=partner.name,
            )
        return False

    def _confirmation_error_message(self):
        message = super()._confirmation_error_message()
        if message or not self.company_id.kam_block_unapproved_suppliers:
            return message
        if self.kam_supplier_status == "blocked":
            return self.env._(
                "This order cannot be confirmed: %(warning)s Ask the KAM coordinator to "
                "evaluate the supplier again or lift the block.",
                warning=self.kam_supplier_warning,
            )
        return False
