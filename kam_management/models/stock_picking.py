from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "kam.reportable.mixin", "kam.investigation.mixin"]
    # KAM officers without inventory rights read the receipt of a supplier case here
    _kam_investigation_view = "kam_management.stock_picking_view_form_kam_investigation"
    _kam_investigation_app_group = "stock.group_stock_user"

    def _kam_case_defaults(self):
        values = super()._kam_case_defaults()
        values["partner_id"] = self.partner_id.id
        values["source"] = "supplier" if self.picking_type_code == "incoming" else "customer"
        return values
