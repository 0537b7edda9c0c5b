from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import grouped_by_period
from ..tools.review_inputs import Contribution, Figure, Table

_lt = LazyTranslate(__name__)


class KamRisk(models.Model):
    """The RI&E in the management review: e) the effectiveness of the actions
    taken to address risks (the hazards now, per class, and the highest ones
    with their open measures; the measures themselves come from kam.action)."""

    _name = "kam.risk"
    _inherit = ["kam.risk", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        Risk = self.sudo().with_context(active_test=True)
        base = [("company_id", "=", company.id)]
        classes = Risk._read_group(base, ["class_id"], ["__count"])
        reviewed = grouped_by_period(Risk, base, "last_review_date", list(periods), ["__count"])
        top = Risk.search(base, order="score desc, id", limit=10)
        figures = [
            Figure("hazards", _lt("Hazards in the RI&E"), sum(c for _k, c in classes), None),
            Figure(
                "reviewed",
                _lt("Hazards reviewed"),
                reviewed.get((0,), [0])[0],
                reviewed.get((1,), [0])[0],
                better="higher",
            ),
        ]
        class_rows = [
            [risk_class.name if risk_class else self.env._("Not classified"), count]
            for risk_class, count in sorted(
                classes, key=lambda row: -(row[0].lower_bound if row[0] else -1)
            )
        ]
        top_rows = [
            [
                risk.name,
                risk.department_id.name or "",
                round(risk.score, 1),
                risk.class_id.name or "",
                risk.open_action_count,
            ]
            for risk in top
        ]
        return [
            Contribution(
                "risks",
                figures=figures,
                tables=[
                    Table(
                        "risk_classes",
                        _lt("Hazards per risk class"),
                        [_lt("Risk class"), _lt("Hazards")],
                        class_rows,
                    ),
                    Table(
                        "top_hazards",
                        _lt("Highest risks"),
                        [
                            _lt("Hazard"),
                            _lt("Department"),
                            _lt("Score"),
                            _lt("Class"),
                            _lt("Open measures"),
                        ],
                        top_rows,
                        limit=10,
                    ),
                ]
                if classes
                else [],
            )
        ]
