import pytz

from odoo import api, fields, models

from ..tools.periods import company_tz


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

    # ---- measured by indicators (supplier on-time delivery)
    kam_on_time = fields.Boolean(
        string="Received on time",
        compute="_compute_kam_on_time",
        store=True,
        help="A done receipt validated on or before its promised day (the deadline, else the "
        "scheduled date), compared by day in the company's time zone, as in the supplier "
        "evaluation.",
    )

    @api.depends("state", "date_done", "date_deadline", "scheduled_date", "picking_type_code")
    def _compute_kam_on_time(self):
        for picking in self:
            promised = picking.date_deadline or picking.scheduled_date
            if not (
                picking.picking_type_code == "incoming"
                and picking.state == "done"
                and picking.date_done
                and promised
            ):
                picking.kam_on_time = False
                continue
            zone = pytz.timezone(company_tz(picking.company_id))
            done_day = pytz.utc.localize(picking.date_done).astimezone(zone).date()
            promised_day = pytz.utc.localize(promised).astimezone(zone).date()
            picking.kam_on_time = done_day <= promised_day
