from odoo import api, fields, models
from odoo.tools import clean_context

from ..models.kam_case_complaint import COMPLAINT_CHANNELS


class KamComplaintRegister(models.TransientModel):
    """Register a complaint in one deliberate step.

    Opened prefilled from a sale order, a customer or a product (or empty from
    the complaint list). Nothing is registered and nothing is mailed to the
    customer until *Register* is clicked: a form that is left, closed or hidden
    at most leaves this transient record behind. *Register* creates the
    complaint (which sends the one acknowledgement) and opens it."""

    _name = "kam.complaint.register"
    _description = "KAM: register a complaint"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, domain="[('is_company', '=', True)]"
    )
    contact_id = fields.Many2one(
        "res.partner",
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
        help="The person who made the complaint; gets the acknowledgement.",
    )
    channel = fields.Selection(COMPLAINT_CHANNELS, required=True, default="phone")
    date_received = fields.Date(
        string="Received on", required=True, default=fields.Date.context_today
    )
    complaint_category_id = fields.Many2one("kam.complaint.category", string="Complaint category")
    sale_order_id = fields.Many2one("sale.order", string="Sale order")
    sale_line_ids = fields.Many2many(
        "sale.order.line", string="Order lines", domain="[('order_id', '=', sale_order_id)]"
    )
    product_id = fields.Many2one("product.product")
    title = fields.Char(string="Complaint", required=True)
    description = fields.Html(string="What the customer says")
    claimed_impact = fields.Text(string="Claimed impact")
    res_model = fields.Char(string="Related document model")
    res_id = fields.Integer(string="Related document ID")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if order:
            self.partner_id = order.partner_id.commercial_partner_id
            self.contact_id = order.partner_id
            self.company_id = order.company_id

    def _kam_case_values(self):
        self.ensure_one()
        return {
            "case_type": "complaint",
            "source": "customer",
            "channel": self.channel,
            "date_received": self.date_received,
            "complaint_category_id": self.complaint_category_id.id,
            "partner_id": self.partner_id.id,
            "contact_id": self.contact_id.id,
            "sale_order_id": self.sale_order_id.id,
            "sale_line_ids": [fields.Command.set(self.sale_line_ids.ids)],
            "product_id": self.product_id.id,
            "title": self.title,
            "description": self.description,
            "claimed_impact": self.claimed_impact,
            "res_model": self.res_model or ("sale.order" if self.sale_order_id else False),
            "res_id": self.res_id or self.sale_order_id.id,
            "company_id": self.company_id.id,
        }

    def action_register(self):
        """Create the complaint (as the user: their rights apply) and open it."""
        self.ensure_one()
        # no default_* keys of the caller (the sale order's form) reach the case
        cases = self.env["kam.case"].with_context(clean_context(self.env.context))
        complaint = cases.create(self._kam_case_values())
        return {
            "type": "ir.actions.act_window",
            "name": complaint.name,
            "res_model": "kam.case",
            "res_id": complaint.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            # new complaints go through this dialog (no unsaved form that saves itself)
            "context": {"default_case_type": "complaint", "create": False},
        }
