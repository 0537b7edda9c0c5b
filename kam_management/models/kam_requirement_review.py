from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import grouped_by_period, share, total
from ..tools.review_inputs import Contribution, Figure, Selection, Table

_lt = LazyTranslate(__name__)


class KamRequirement(models.Model):
    """The legal register in the management review (ISO 14001 / 45001 9.3): the
    fulfilment of compliance obligations (evaluations of compliance completed in
    the period and their results, the status now, changes noticed)."""

    _name = "kam.requirement"
    _inherit = ["kam.requirement", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        periods = list(periods)
        base = [("company_id", "=", company.id)]
        Requirement = self.sudo().with_context(active_test=True)
        evaluations = grouped_by_period(
            self.env["kam.requirement.evaluation"].sudo(),
            base + [("state", "=", "done")],
            "date",
            periods,
            ["__count"],
            ["result"],
        )
        changes = grouped_by_period(
            self.env["kam.requirement.change"].sudo(),
            base,
            "date_noticed",
            periods,
            ["__count"],
            ["impact"],
        )
        status = dict(
            Requirement._read_group(
                base + [("state", "=", "in_force")], ["compliance_status"], ["__count"]
            )
        )
        evaluated = [total(evaluations, i) for i in (0, 1)]
        compliant = [total(evaluations, i, {0: ("compliant", "not_applicable")}) for i in (0, 1)]
        figures = [
            Figure("in_force", _lt("Requirements in force"), sum(status.values()), None),
            Figure(
                "evaluations",
                _lt("Evaluations of compliance completed"),
                evaluated[0],
                evaluated[1],
                better="higher",
            ),
            Figure(
                "compliant",
                _lt("Evaluated as compliant"),
                share(compliant[0], evaluated[0]),
                share(compliant[1], evaluated[1]),
                unit="percent",
                better="higher",
            ),
            Figure(
                "not_compliant",
                _lt("Requirements not or partly complied with now"),
                status.get("not_compliant", 0) + status.get("partly", 0),
                None,
                better="lower",
            ),
            Figure(
                "not_evaluated",
                _lt("Requirements never evaluated"),
                status.get("none", 0),
                None,
                better="lower",
            ),
            Figure(
                "changes",
                _lt("Changes in requirements noticed"),
                total(changes, 0),
                total(changes, 1),
            ),
        ]
        open_issues = Requirement.search(
            base
            + [
                ("state", "=", "in_force"),
                ("compliance_status", "in", ("not_compliant", "partly")),
            ],
            order="kind_sequence, id",
        )
        rows = [
            [
                requirement.display_name,
                Selection("kam.requirement", "kind", requirement.kind),
                Selection("kam.requirement", "compliance_status", requirement.compliance_status),
                requirement.last_evaluation_date or "",
            ]
            for requirement in open_issues
        ]
        table = Table(
            "not_compliant",
            _lt("Requirements not or partly complied with"),
            [_lt("Requirement"), _lt("Kind"), _lt("Compliance"), _lt("Last evaluated on")],
            rows,
        )
        return [Contribution("compliance", figures=figures, tables=[table] if rows else [])]
