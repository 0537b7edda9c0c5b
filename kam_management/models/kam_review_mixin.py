from odoo import fields, models
from odoo.exceptions import AccessError

from ..tools.recurrence import FREQUENCIES

# written only by the reviewer group, also outside the "Reviewed" button
REVIEW_FIELDS = ("review_frequency", "last_review_date", "reviewed_by_id")


class KamReviewMixin(models.AbstractModel):
    """A register entry that is reviewed every so often (an RI&E hazard, an
    environmental aspect, a context issue, an interested party, a risk or
    opportunity): a review date that is a periodic duty (its owner is reminded
    once when it is reached), a review frequency, and *Reviewed*, which
    records who reviewed it and when and moves the review date on by the
    frequency.

    An adopter inherits this mixin (it brings ``kam.periodic.duty``), has a
    ``user_id`` (the owner, who is reminded) and names its reminder activity
    type in ``_kam_duty_reminder_activity``; ``_kam_review_summary()`` is the
    reminder's text and ``_kam_review_refused()`` the error for users outside
    ``_kam_review_group``."""

    _name = "kam.review.mixin"
    _description = "KAM register entry with periodic reviews"
    _inherit = ["kam.periodic.duty"]

    _kam_duty_date_field = "review_date"
    # who records reviews (and sets the frequency)
    _kam_review_group = "kam_management.group_kam_officer"

    review_date = fields.Date(string="Review on", tracking=True, index=True)
    review_frequency = fields.Selection(
        FREQUENCIES,
        string="Review every",
        default="yearly",
        tracking=True,
        help="How often it is reviewed: Reviewed moves the review date on by this. "
        "Empty: no next review is planned.",
    )
    last_review_date = fields.Date(
        string="Last reviewed on", readonly=True, copy=False, tracking=True
    )
    reviewed_by_id = fields.Many2one(
        "res.users", string="Last reviewed by", readonly=True, copy=False
    )

    def write(self, vals):
        if any(name in vals for name in REVIEW_FIELDS):
            self._check_reviewer()
        return super().write(vals)

    def _check_reviewer(self):
        if not self.env.su and not self.env.user.has_group(self._kam_review_group):
            raise AccessError(self._kam_review_refused())

    def _kam_review_refused(self):
        return self.env._("Only KAM officers can record reviews.")

    def _kam_review_summary(self):
        return self.env._("Review this entry")

    def action_reviewed(self):
        """Record the review and move the review date on by the frequency: the next
        date of the series after today and after the current review date, so an
        early review does not make the same date due again."""
        self._check_reviewer()
        today = fields.Date.context_today(self)
        for record in self:
            start = record.review_date or today
            record.write(
                {
                    "last_review_date": today,
                    "reviewed_by_id": self.env.uid,
                    "review_date": record.review_frequency
                    and self._kam_duty_next_date(record.review_frequency, start, max(start, today)),
                }
            )
        if self._kam_duty_reminder_activity:
            self.activity_feedback([self._kam_duty_reminder_activity])
        return True

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_reminder_values(self, today):
        # the summary in the assignee's language (tools/activities.py)
        return {
            record: {
                "user_id": record.user_id.id,
                "date_deadline": record.review_date,
                "summary": lambda env: self.with_env(env)._kam_review_summary(),
            }
            for record in self
            if record.user_id
        }
