from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import company_tz, grouped_by_period, share, total
from ..tools.review_inputs import Contribution, Figure

_lt = LazyTranslate(__name__)

CORRECTIVE = ("correction", "corrective", "preventive")
JUDGED = ("verified", "not_effective")


class KamAction(models.Model):
    """What the indicators and the management review measure on actions: whether
    an action was done by its deadline (a stored measure, for the "overdue
    actions" indicator), and the review inputs on corrective actions, improvement
    actions and the measures of the RI&E."""

    _name = "kam.action"
    _inherit = ["kam.action", "kam.review.input.mixin"]

    done_on_time = fields.Boolean(
        string="Done in time",
        compute="_compute_done_on_time",
        store=True,
        precompute=True,
        help="Done on or before its deadline.",
    )

    @api.depends("done_date", "deadline")
    def _compute_done_on_time(self):
        for action in self:
            action.done_on_time = bool(
                action.done_date and action.deadline and action.done_date <= action.deadline
            )

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        periods = list(periods)
        Action = self.sudo().with_context(active_test=True)
        base = [("company_id", "=", company.id)]
        tz = company_tz(company)

        def grouped(domain, date_field, groupby=()):
            return grouped_by_period(
                Action, base + domain, date_field, periods, ["__count"], groupby, tz=tz
            )

        def count(rows, index, **match):
            return total(rows, index, dict(match.values()))

        def late_at_end(domain):
            # open at the end of the period and past their deadline then
            return [
                Action.search_count(
                    base
                    + domain
                    + [
                        ("deadline", "<", period.end),
                        "|",
                        ("done_date", "=", False),
                        ("done_date", ">", period.end),
                    ]
                )
                for period in periods
            ]

        due = grouped([], "deadline", ["kind", "done_on_time", "risk_id"])
        judged = grouped([("state", "in", JUDGED)], "verified_date", ["kind", "state", "risk_id"])
        done = grouped([("done_date", "!=", False)], "done_date", ["kind", "risk_id"])
        corrective_late = late_at_end([("kind", "in", CORRECTIVE)])

        def on_time_share(index, **match):
            return share(count(due, index, t=(1, (True,)), **match), count(due, index, **match))

        def effective_share(index, **match):
            return share(
                count(judged, index, s=(1, ("verified",)), **match),
                count(judged, index, **match),
            )

        corrective = {"k": (0, CORRECTIVE)}
        nonconformities = [
            Figure(
                "actions_done",
                _lt("Corrective actions done"),
                count(done, 0, **corrective),
                count(done, 1, **corrective),
            ),
            Figure(
                "actions_on_time",
                _lt("Corrective actions done by the deadline"),
                on_time_share(0, **corrective),
                on_time_share(1, **corrective),
                unit="percent",
                better="higher",
            ),
            Figure(
                "actions_effective",
                _lt("Corrective actions verified effective"),
                effective_share(0, **corrective),
                effective_share(1, **corrective),
                unit="percent",
                better="higher",
            ),
            Figure(
                "actions_late",
                _lt("Corrective actions overdue at the end of the period"),
                corrective_late[0],
                corrective_late[1],
                better="lower",
            ),
        ]
        improvement = [
            Figure(
                "improvement_actions",
                _lt("Improvement actions done"),
                count(done, 0, k=(0, ("improvement",))),
                count(done, 1, k=(0, ("improvement",))),
                better="higher",
            )
        ]

        def risk_match(rows, index, position, **match):
            return sum(
                values[0]
                for key, values in rows.items()
                if key[0] == index
                and key[position]
                and all(key[1 + pos] in wanted for pos, wanted in match.values())
            )

        measures_done = [risk_match(done, i, 2) for i in (0, 1)]
        measures_judged = [risk_match(judged, i, 3) for i in (0, 1)]
        measures_effective = [risk_match(judged, i, 3, s=(1, ("verified",))) for i in (0, 1)]
        measures_due = [risk_match(due, i, 3) for i in (0, 1)]
        measures_on_time = [risk_match(due, i, 3, t=(1, (True,))) for i in (0, 1)]
        risks = [
            Figure(
                "measures_done",
                _lt("Measures of the RI&E done"),
                measures_done[0],
                measures_done[1],
                better="higher",
            ),
            Figure(
                "measures_on_time",
                _lt("Measures of the RI&E done by the deadline"),
                share(measures_on_time[0], measures_due[0]),
                share(measures_on_time[1], measures_due[1]),
                unit="percent",
                better="higher",
            ),
            Figure(
                "measures_effective",
                _lt("Measures of the RI&E verified effective"),
                share(measures_effective[0], measures_judged[0]),
                share(measures_effective[1], measures_judged[1]),
                unit="percent",
                better="higher",
            ),
        ]
        return [
            Contribution("nonconformities", figures=nonconformities, sequence=20),
            Contribution("improvement", figures=improvement, sequence=20),
            Contribution("risks", figures=risks, sequence=20),
        ]
