from odoo import fields, models
from odoo.exceptions import UserError


class KamReviewSection(models.Model):
    """One input of a management review: a topic with the figures and short
    tables frozen when the review was prepared (they never change afterwards)
    and the management's conclusion on it. Only the conclusion is written by
    people; an approved review's sections are read-only."""

    _name = "kam.review.section"
    _description = "KAM management review input"
    _inherit = ["kam.workflow.mixin"]
    _order = "review_id, sequence, id"
    _rec_name = "topic_id"

    review_id = fields.Many2one("kam.review", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    review_state = fields.Selection(related="review_id.state", string="Review status")
    topic_id = fields.Many2one("kam.review.topic", required=True, ondelete="restrict")
    sequence = fields.Integer(default=10)
    reference = fields.Char(related="topic_id.reference")
    guidance = fields.Text(related="topic_id.description", string="What to look at")
    figure_ids = fields.One2many("kam.review.figure", "section_id", string="Figures")
    table_html = fields.Html(
        string="Tables", translate=True, readonly=True, sanitize_attributes=False
    )
    note = fields.Text(string="Remark", translate=True, readonly=True)
    conclusion = fields.Html(
        string="Conclusion", help="The management's conclusion on this input."
    )

    # the snapshot is written by the review's own code only
    _kam_derived_fields = ("table_html", "note", "review_id", "topic_id")
    _kam_locked_writable_fields = ()

    def _kam_is_locked(self):
        return self.filtered(lambda s: s.review_id.state == "approved")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Management review %(review)s is approved and can no longer be changed.",
                review=", ".join(self.review_id.mapped("name")[:3]),
            )
        )

    def _kam_check_unlink(self):
        if not self.env.su:
            raise UserError(
                self.env._("The inputs of a review go with it: set the review back to draft.")
            )
