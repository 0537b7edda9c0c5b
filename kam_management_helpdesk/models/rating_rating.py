from odoo import api, models


class RatingRating(models.Model):
    """A customer's rating of a helpdesk ticket (helpdesk_mgmt_rating and the
    like): a low one escalates the ticket by the low-rating rules."""

    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._kam_escalate_tickets()
        return ratings

    def write(self, vals):
        res = super().write(vals)
        if "rating" in vals or "consumed" in vals:
            self._kam_escalate_tickets()
        return res

    def _kam_escalate_tickets(self):
        for rating in self.sudo().filtered(
            lambda r: r.res_model == "helpdesk.ticket" and r.consumed and r.rating
        ):
            ticket = self.env["helpdesk.ticket"].sudo().browse(rating.res_id).exists()
            ticket._kam_apply_rules("rating", rating=rating.rating)
