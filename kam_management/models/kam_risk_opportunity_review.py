from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import grouped_by_period, share, total
from ..tools.review_inputs import Contribution, Figure, Selection, Table

_lt = LazyTranslate(__name__)


class KamRiskOpportunity(models.Model):
    """The register of risks and opportunities in the management review: e) the
    effectiveness of the actions taken to address them."""

    _name = "kam.risk.opportunity"
    _inherit = ["kam.risk.opportunity", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        periods = list(periods)
        base = [("company_id", "=", company.id)]
        Register = self.sudo().with_context(active_test=True)
        records = Register.search(base, order="score desc, id")
        judged = grouped_by_period(
            self.env["kam.action"].sudo(),
            base
            + [
                ("risk_opportunity_id", "!=", False),
                ("state", "in", ("verified", "not_effective")),
            ],
            "verified_date",
            periods,
            ["__count"],
            ["state"],
        )
        done = grouped_by_period(
            self.env["kam.action"].sudo(),
            base + [("risk_opportunity_id", "!=", False), ("done_date", "!=", False)],
            "done_date",
            periods,
            ["__count"],
        )

        def effective(index):
            judged_count = total(judged, index)
            verified = total(judged, index, {0: ("verified",)})
            return share(verified, judged_count)

        significant = records.filtered("needs_treatment")
        figures = [
            Figure(
                "register_risks",
                _lt("Risks in the register"),
                len(records.filtered(lambda r: r.kind == "risk")),
                None,
            ),
            Figure(
                "register_opportunities",
                _lt("Opportunities in the register"),
                len(records.filtered(lambda r: r.kind == "opportunity")),
                None,
            ),
            Figure(
                "untreated",
                _lt("Risks and opportunities that need treatment and have none"),
                len(significant.filtered(lambda r: not r.treatment)),
                None,
                better="lower",
            ),
            Figure(
                "register_actions_done",
                _lt("Actions for risks and opportunities done"),
                total(done, 0),
                total(done, 1),
                better="higher",
            ),
            Figure(
                "register_actions_effective",
                _lt("Actions for risks and opportunities verified effective"),
                effective(0),
                effective(1),
                unit="percent",
                better="higher",
            ),
        ]
        rows = [
            [
                record.name,
                Selection("kam.risk.opportunity", "kind", record.kind),
                record.class_id.name or "",
                Selection("kam.risk.opportunity", "treatment", record.treatment)
                if record.treatment
                else "",
                record.open_action_count,
            ]
            for record in significant
        ]
        table = Table(
            "risks_opportunities",
            _lt("Risks and opportunities that need treatment"),
            [
                _lt("Risk or opportunity"),
                _lt("Kind"),
                _lt("Level"),
                _lt("Treatment"),
                _lt("Open actions"),
            ],
            rows,
        )
        return [Contribution("risks", figures=figures, tables=[table] if rows else [], sequence=30)]
