from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import company_tz, grouped_by_period, total
from ..tools.review_inputs import Contribution, Figure

_lt = LazyTranslate(__name__)


class KamInterestedParty(models.Model):
    """Interested parties in the management review: b) changes in their needs and
    expectations (parties and needs recorded, needs that became obligations)."""

    _name = "kam.interested.party"
    _inherit = ["kam.interested.party", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        periods = list(periods)
        base = [("company_id", "=", company.id)]
        Party = self.sudo().with_context(active_test=True)
        Need = self.env["kam.interested.party.need"].sudo()
        needs = grouped_by_period(
            Need,
            base + [("party_id.active", "=", True)],
            "create_date",
            periods,
            ["__count"],
            ["is_obligation"],
            tz=company_tz(company),
        )
        reviewed = grouped_by_period(Party, base, "last_review_date", periods, ["__count"])
        figures = [
            Figure("parties", _lt("Interested parties"), Party.search_count(base), None),
            Figure(
                "needs",
                _lt("Needs and expectations recorded"),
                total(needs, 0),
                total(needs, 1),
            ),
            Figure(
                "obligations",
                _lt("Of which compliance obligations"),
                total(needs, 0, {0: (True,)}),
                total(needs, 1, {0: (True,)}),
            ),
            Figure(
                "parties_reviewed",
                _lt("Interested parties reviewed"),
                total(reviewed, 0),
                total(reviewed, 1),
                better="higher",
            ),
        ]
        return [Contribution("context", figures=figures, sequence=20)]
