from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import company_tz, grouped_by_period, total
from ..tools.review_inputs import Contribution, Figure, Selection, Table

_lt = LazyTranslate(__name__)


class KamAspect(models.Model):
    """Environmental aspects in the management review (ISO 14001 9.3 b 3): the
    significant aspects and their measures."""

    _name = "kam.aspect"
    _inherit = ["kam.aspect", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        periods = list(periods)
        base = [("company_id", "=", company.id)]
        Aspect = self.sudo().with_context(active_test=True)
        aspects = Aspect.search(base, order="score desc, id")
        significant = aspects.filtered("is_significant")
        measures = grouped_by_period(
            self.env["kam.action"].sudo(),
            base + [("aspect_id", "!=", False), ("done_date", "!=", False)],
            "done_date",
            periods,
            ["__count"],
        )
        recorded = grouped_by_period(
            Aspect, base, "create_date", periods, ["__count"], tz=company_tz(company)
        )
        figures = [
            Figure("aspects", _lt("Environmental aspects"), len(aspects), None),
            Figure("significant", _lt("Significant aspects"), len(significant), None),
            Figure(
                "recorded",
                _lt("Aspects recorded"),
                total(recorded, 0),
                total(recorded, 1),
            ),
            Figure(
                "measures_done",
                _lt("Measures for aspects done"),
                total(measures, 0),
                total(measures, 1),
                better="higher",
            ),
        ]
        rows = [
            [
                aspect.name,
                aspect.impact or "",
                Selection("kam.aspect", "condition", aspect.condition) if aspect.condition else "",
                aspect.class_id.name or "",
                aspect.open_action_count,
            ]
            for aspect in significant
        ]
        table = Table(
            "significant_aspects",
            _lt("Significant aspects"),
            [
                _lt("Aspect"),
                _lt("Impact"),
                _lt("Condition"),
                _lt("Significance"),
                _lt("Open measures"),
            ],
            rows,
        )
        return [Contribution("aspects", figures=figures, tables=[table] if rows else [])]
