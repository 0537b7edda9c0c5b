from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "kam.reportable.mixin"]

    def _kam_case_defaults(self):
        values = super()._kam_case_defaults()
        values["partner_id"] = self.partner_id.id
        values["source"] = "supplier" if self.picking_type_code == "incoming" else "customer"
        return values
