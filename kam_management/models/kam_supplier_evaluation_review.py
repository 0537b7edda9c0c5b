from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import grouped_by_period
from ..tools.review_inputs import Contribution, Figure, Table

_lt = LazyTranslate(__name__)


class KamSupplierEvaluation(models.Model):
    """Supplier evaluations in the management review: c) 7 the performance of
    external providers (evaluations approved in the period, their scores and
    classes, the receipts on time)."""

    _name = "kam.supplier.evaluation"
    _inherit = ["kam.supplier.evaluation", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        Evaluation = self.sudo()
        periods = list(periods)
        rows = grouped_by_period(
            Evaluation,
            [("company_id", "=", review.company_id.id), ("state", "=", "approved")],
            "approved_date",
            periods,
            ["__count", "total_score:sum", "receipt_count:sum", "receipt_on_time_count:sum"],
            ["supplier_class"],
        )

        def total(index, position, classes=None):
            return sum(
                values[position] or 0
                for key, values in rows.items()
                if key[0] == index and (classes is None or key[1] in classes)
            )

        def ratio(part, whole):
            return part / whole if whole else None

        figures = [
            Figure("evaluated", _lt("Suppliers evaluated"), total(0, 0), total(1, 0)),
            Figure(
                "score",
                _lt("Average score"),
                ratio(total(0, 1), total(0, 0)),
                ratio(total(1, 1), total(1, 0)),
                unit="number",
                better="higher",
            ),
            Figure(
                "class_a",
                _lt("Suppliers in class A"),
                ratio(100.0 * total(0, 0, ("a",)), total(0, 0)),
                ratio(100.0 * total(1, 0, ("a",)), total(1, 0)),
                unit="percent",
                better="higher",
            ),
            Figure(
                "class_c",
                _lt("Suppliers in class C"),
                total(0, 0, ("c",)),
                total(1, 0, ("c",)),
                better="lower",
            ),
            Figure(
                "on_time",
                _lt("Receipts on time"),
                ratio(100.0 * total(0, 3), total(0, 2)),
                ratio(100.0 * total(1, 3), total(1, 2)),
                unit="percent",
                better="higher",
            ),
        ]
        weak = Evaluation.search(
            [
                ("company_id", "=", review.company_id.id),
                ("state", "=", "approved"),
                ("approved_date", ">=", periods[0].start),
                ("approved_date", "<=", periods[0].end),
                ("supplier_class", "in", ("b", "c")),
            ],
            order="total_score, id",
            limit=10,
        )
        table = Table(
            "weak_suppliers",
            _lt("Suppliers in class B or C"),
            [_lt("Supplier"), _lt("Score"), _lt("Class")],
            [[e.partner_id.name, round(e.total_score, 1), e.supplier_class.upper()] for e in weak],
            limit=10,
        )
        return [Contribution("suppliers", figures=figures, tables=[table] if weak else [])]
