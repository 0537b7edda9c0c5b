from odoo import api, fields, models

TRIGGERS = [
    ("category", "Ticket category"),
    ("tag", "Ticket tag"),
    ("rating", "Low customer rating"),
    ("reopened", "Ticket reopened"),
]


class KamHelpdeskEscalationRule(models.Model):
    """When a helpdesk ticket becomes a complaint by itself: a ticket of one of
    the categories or with one of the tags, a customer rating at or below a
    value (2 of 5 by default), or a ticket that is reopened after it was closed.
    A ticket is escalated once; the complaint is the one record that counts."""

    _name = "kam.helpdesk.escalation.rule"
    _description = "KAM helpdesk escalation rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    trigger = fields.Selection(TRIGGERS, required=True, default="category")
    category_ids = fields.Many2many("helpdesk.ticket.category", string="Categories")
    tag_ids = fields.Many2many("helpdesk.ticket.tag", string="Tags")
    rating_max = fields.Integer(
        string="Rating at most",
        default=2,
        help="A customer rating (1 to 5) at or below this value escalates the ticket.",
    )

    _rating_check = models.Constraint(
        "CHECK(rating_max >= 1 AND rating_max <= 5)", "A rating limit lies between 1 and 5."
    )

    @api.model
    def _kam_rules(self, company, trigger):
        return self.sudo().search([("company_id", "=", company.id), ("trigger", "=", trigger)])

    def _kam_matches(self, ticket, rating=None):
        """Whether ``ticket`` (with ``rating`` for a rating rule) meets this rule."""
        self.ensure_one()
        if self.trigger == "category":
            return bool(ticket.category_id and ticket.category_id in self.category_ids)
        if self.trigger == "tag":
            return bool(ticket.tag_ids & self.tag_ids)
        if self.trigger == "rating":
            return rating is not None and 0 < rating <= self.rating_max
        return self.trigger == "reopened"
