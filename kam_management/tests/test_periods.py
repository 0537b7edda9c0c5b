import datetime

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.kam_management.tools.periods import (
    Period,
    ended_periods,
    grouped_by_period,
    period_label,
    period_of,
    periods_from,
)

D = datetime.date


@tagged("post_install", "-at_install")
class TestPeriods(TransactionCase):
    """Calendar periods and the one grouped query per batch of periods."""

    def test_period_of(self):
        self.assertEqual(
            period_of(D(2026, 2, 14), "monthly"), Period(D(2026, 2, 1), D(2026, 2, 28))
        )
        self.assertEqual(
            period_of(D(2024, 2, 14), "monthly"), Period(D(2024, 2, 1), D(2024, 2, 29))
        )
        self.assertEqual(
            period_of(D(2026, 5, 31), "quarterly"), Period(D(2026, 4, 1), D(2026, 6, 30))
        )
        self.assertEqual(
            period_of(D(2026, 7, 1), "half_yearly"), Period(D(2026, 7, 1), D(2026, 12, 31))
        )
        self.assertEqual(
            period_of(D(2026, 12, 31), "yearly"), Period(D(2026, 1, 1), D(2026, 12, 31))
        )

    def test_series(self):
        months = periods_from(D(2025, 11, 20), "monthly", D(2026, 2, 3))
        self.assertEqual(
            [p.start for p in months],
            [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)],
        )
        ended = ended_periods(D(2025, 11, 20), "monthly", D(2026, 2, 1))
        self.assertEqual([p.end for p in ended], [D(2025, 11, 30), D(2025, 12, 31), D(2026, 1, 31)])
        # the period that ends today has not ended yet
        self.assertEqual(len(ended_periods(D(2026, 1, 1), "monthly", D(2026, 1, 31))), 0)

    def test_previous(self):
        year = Period(D(2025, 1, 1), D(2025, 12, 31))
        self.assertEqual(year.previous(), Period(D(2024, 1, 1), D(2024, 12, 31)))
        self.assertEqual(
            Period(D(2026, 3, 1), D(2026, 3, 31)).previous(), Period(D(2026, 2, 1), D(2026, 2, 28))
        )
        odd = Period(D(2026, 3, 10), D(2026, 3, 19))
        self.assertEqual(odd.previous(), Period(D(2026, 2, 28), D(2026, 3, 9)))
        with self.assertRaises(ValueError):
            Period(D(2026, 3, 10), D(2026, 3, 9))

    def test_labels(self):
        env_nl = self.env(context=dict(self.env.context, lang="en_US"))
        self.assertEqual(
            period_label(env_nl, period_of(D(2026, 3, 5), "monthly"), "monthly"), "March 2026"
        )
        self.assertEqual(
            period_label(env_nl, period_of(D(2026, 5, 5), "quarterly"), "quarterly"), "Q2 2026"
        )
        self.assertEqual(
            period_label(env_nl, period_of(D(2026, 9, 5), "half_yearly"), "half_yearly"), "H2 2026"
        )
        self.assertEqual(period_label(env_nl, period_of(D(2026, 9, 5), "yearly"), "yearly"), "2026")

    def test_grouped_by_period(self):
        """Counts and sums per period from one query; periods may be days or months."""
        Hours = self.env["kam.hours.worked"]
        company = self.env.company
        rows = [
            (D(2025, 1, 1), D(2025, 1, 31), 100),
            (D(2025, 1, 15), D(2025, 1, 31), 50),
            (D(2025, 2, 1), D(2025, 2, 28), 70),
            (D(2025, 4, 1), D(2025, 4, 30), 30),
            (D(2024, 12, 31), D(2024, 12, 31), 999),
        ]
        Hours.create(
            [
                {"company_id": company.id, "date_from": a, "date_to": b, "hours": h}
                for a, b, h in rows
            ]
        )
        periods = [
            period_of(D(2025, 1, 1), "monthly"),
            period_of(D(2025, 2, 1), "monthly"),
            period_of(D(2025, 3, 1), "monthly"),
        ]
        domain = [("company_id", "=", company.id)]
        with self.assertQueryCount(1):
            result = grouped_by_period(
                Hours, domain, "date_from", periods, ["__count", "hours:sum"]
            )
        self.assertEqual(result, {(0,): [2, 150.0], (1,): [1, 70.0]})
        # not whole months: grouped by day, the same totals
        odd = [Period(D(2025, 1, 10), D(2025, 2, 10))]
        result = grouped_by_period(Hours, domain, "date_from", odd, ["__count", "hours:sum"])
        self.assertEqual(result, {(0,): [2, 120.0]})
        with self.assertRaises(ValueError):
            grouped_by_period(Hours, domain, "date_from", periods, ["hours:avg"])
