from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.review_inputs import Contribution, Figure, Table

_lt = LazyTranslate(__name__)


class KamSatisfactionCampaign(models.Model):
    """Customer satisfaction in the management review (ISO 9001 9.3.2 c 1): the
    campaigns whose period ends in the period under review, with the figures of
    ``kam.satisfaction.report`` (one grouped query per period) and a short table
    of those campaigns."""

    _name = "kam.satisfaction.campaign"
    _inherit = ["kam.satisfaction.campaign", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        Report = self.env["kam.satisfaction.report"].sudo()
        company = review.company_id
        current, previous = (
            Report._kam_period_figures(company, period.start, period.end) for period in periods
        )
        if not current["invited"] and not previous["invited"]:
            return []
        figures = [
            Figure(
                "satisfaction_invited",
                _lt("Customers asked about their satisfaction"),
                current["invited"],
                previous["invited"],
            ),
            Figure(
                "satisfaction_response",
                _lt("Response rate of the satisfaction survey"),
                current["response_rate"],
                previous["response_rate"],
                unit="percent",
                better="higher",
            ),
            Figure(
                "nps",
                _lt("Net Promoter Score (NPS)"),
                current["nps"],
                previous["nps"],
                unit="number",
                better="higher",
            ),
            Figure(
                "csat",
                _lt("Satisfied customers (CSAT)"),
                current["csat"],
                previous["csat"],
                unit="percent",
                better="higher",
            ),
            Figure(
                "detractors",
                _lt("Detractors (score 0-6)"),
                current["detractors"],
                previous["detractors"],
                better="lower",
            ),
        ]
        campaigns = (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("date_to", ">=", periods[0].start),
                    ("date_to", "<=", periods[0].end),
                ],
                order="date_to, id",
                limit=10,
            )
        )
        tables = []
        if campaigns:
            tables.append(
                Table(
                    "satisfaction_campaigns",
                    _lt("Satisfaction campaigns"),
                    [
                        _lt("Campaign"),
                        _lt("Period end"),
                        _lt("Answered"),
                        _lt("NPS"),
                        _lt("CSAT (%)"),
                    ],
                    [
                        [c.name, c.date_to, c.response_count, round(c.nps, 1), round(c.csat, 1)]
                        for c in campaigns
                    ],
                    limit=10,
                )
            )
        return [Contribution("customer", figures=figures, tables=tables, sequence=20)]
