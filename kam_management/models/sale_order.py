from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "kam.complaint.mixin"]

    def _kam_complaint_field(self):
        return "sale_order_id"

    def _kam_complaint_defaults(self):
        return {
            "sale_order_id": self.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "contact_id": self.partner_id.id,
            "res_model": self._name,
            "res_id": self.id,
            "company_id": self.company_id.id,
        }
