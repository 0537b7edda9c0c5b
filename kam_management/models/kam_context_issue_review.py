from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import company_tz, grouped_by_period, total
from ..tools.review_inputs import Contribution, Figure, Selection, Table

_lt = LazyTranslate(__name__)


class KamContextIssue(models.Model):
    """The context in the management review: b) changes in external and internal
    issues (issues recorded and reviewed in the period, climate)."""

    _name = "kam.context.issue"
    _inherit = ["kam.context.issue", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        periods = list(periods)
        current = periods[0]
        Issue = self.sudo().with_context(active_test=True)
        base = [("company_id", "=", company.id)]
        new = grouped_by_period(
            Issue, base, "create_date", periods, ["__count"], ["kind"], tz=company_tz(company)
        )
        reviewed = grouped_by_period(Issue, base, "last_review_date", periods, ["__count"])
        issues = Issue.search(base, order="kind, category, id")
        figures = [
            Figure(
                "issues",
                _lt("Issues in the context register"),
                len(issues),
                None,
            ),
            Figure(
                "new_external",
                _lt("External issues recorded"),
                total(new, 0, {0: ("external",)}),
                total(new, 1, {0: ("external",)}),
            ),
            Figure(
                "new_internal",
                _lt("Internal issues recorded"),
                total(new, 0, {0: ("internal",)}),
                total(new, 1, {0: ("internal",)}),
            ),
            Figure(
                "reviewed",
                _lt("Issues reviewed"),
                total(reviewed, 0),
                total(reviewed, 1),
                better="higher",
            ),
            Figure(
                "climate",
                _lt("Issues related to climate change"),
                len(issues.filtered("climate_related")),
                None,
            ),
        ]
        changed = issues.filtered(
            lambda i: (
                (i.create_date and current.start <= i.create_date.date() <= current.end)
                or (i.last_review_date and current.start <= i.last_review_date <= current.end)
            )
        )
        rows = [
            [
                issue.name,
                Selection("kam.context.issue", "kind", issue.kind),
                Selection("kam.context.issue", "category", issue.category),
                Selection("kam.context.issue", "effect", issue.effect),
            ]
            for issue in changed
        ]
        table = Table(
            "context_changes",
            _lt("Issues recorded or reviewed in the period"),
            [_lt("Issue"), _lt("Kind"), _lt("Category"), _lt("Effect on us")],
            rows,
        )
        return [Contribution("context", figures=figures, tables=[table] if rows else [])]
