from odoo import fields, models


class KamAuditEvidenceAccess(models.Model):
    """One visit of an evidence room's page or item, or a refused one (wrong
    token, closed room): when, from where, what."""

    _name = "kam.audit.evidence.access"
    _description = "Evidence room access"
    _order = "create_date desc, id desc"

    room_id = fields.Many2one(
        "kam.audit.evidence.room", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="room_id.company_id", store=True)
    item_id = fields.Many2one("kam.audit.evidence.item", ondelete="set null")
    what = fields.Char()
    granted = fields.Boolean()
    ip_address = fields.Char(string="IP address")
    user_agent = fields.Char(string="Browser")
