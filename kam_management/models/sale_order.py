from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = [
        "sale.order",
        "kam.complaint.mixin",
        "kam.reportable.mixin",
        "kam.investigation.mixin",
    ]
    # KAM officers without sales rights read the order of a complaint here
    _kam_investigation_view = "kam_management.sale_order_view_form_kam_investigation"
    _kam_investigation_app_group = "sales_team.group_sale_salesman"

    def _kam_case_defaults(self):
        values = super()._kam_case_defaults()
        values.update(partner_id=self.partner_id.id, source="customer")
        return values

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
