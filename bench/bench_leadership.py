#!/usr/bin/env python3
"""Benchmark of the leadership part of kam_management: indicators, the management
review and the KAM dashboard, at register scale. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_leadership.py --db kam_bench_lead [--cases 100000 --actions 300000]

Steps (after the bulk data of bench_cases.py: cases over three years, actions):
  bulk        the cases and actions of bench_cases.py, then (data generation, not
              measured) the measures a closed case carries, lost-time incidents,
              --orders sale orders first delivered over three years, hours worked
              per month
  indicators  every ready indicator over 36 monthly periods (12 quarters for the
              quarterly ones): one _kam_update() of all nine, per indicator time and
              queries; the same over 12 periods (query counts must not grow)
  review      a management review of the last 12 months prepared at this size
              (every input, compared with the 12 months before), twice
  dashboard   every data source of the KAM dashboard (pivots, charts, lists) as the
              web client asks for them (formatted_read_group, web_search_read), as a
              KAM officer: total server time and queries, and the dashboard's own load
"""

import datetime
import json
import sys
import time

import bench_cases
import benchlib
from bench_cases import Bench
from benchlib import out, record

READY = (
    "complaints_per_orders",
    "complaints_satisfied",
    "complaint_handling_time",
    "actions_overdue",
    "actions_effective",
    "ltifr",
    "incidents",
    "supplier_on_time",
    "suppliers_class_a",
)


class LeadershipBench(Bench):
    STEPS = (
        ("bulk", "step 2: bulk import", ("step_bulk", "step_data")),
        ("indicators", "step 7: ready indicators", ("step_indicators",)),
        ("review", "step 8: management review snapshot", ("step_review",)),
        ("dashboard", "step 9: KAM dashboard", ("step_dashboard",)),
    )

    def setup_users(self):
        super().setup_users()
        # the browser measurement (bench_dashboard_browser.py) logs in as this officer
        self.officer.password = self.officer.login
        self.commit()

    # ------------------------------------------------------------ data
    def step_data(self):
        """Data generation, not measured: what the indicators and the review read
        besides cases and actions."""
        t0 = time.perf_counter()
        cr = self.cr
        # closed cases closed by SQL in step_bulk: their stored measures
        cr.execute(
            """UPDATE kam_case SET handling_days = closed_date::date - COALESCE(
                        CASE WHEN case_type = 'complaint' THEN date_received END, date_found),
                   closed_on_time = deadline IS NULL OR closed_date::date <= deadline,
                   satisfaction = CASE WHEN case_type = 'complaint' AND id % 3 > 0
                                       THEN 'satisfied' WHEN case_type = 'complaint'
                                       THEN 'no_answer' END
             WHERE is_closed"""
        )
        cr.execute(
            """UPDATE kam_case SET date_received = date_found,
                   incident_kind = CASE WHEN case_type = 'incident' THEN (ARRAY[
                       'injury', 'near_miss', 'unsafe', 'environmental', 'damage'])[id % 5 + 1]
                   END,
                   absence_days = CASE WHEN case_type = 'incident' AND id % 5 = 0 THEN id % 4 END,
                   is_lost_time = case_type = 'incident' AND id % 5 = 0 AND id % 4 > 0"""
        )
        # sale orders first delivered over three years
        partner = self.env["res.partner"].create({"name": "Bench customer", "is_company": True})
        SaleOrder = self.env["sale.order"].with_context(**bench_cases.BULK_CONTEXT)
        for start in range(0, self.args.orders, 1000):
            SaleOrder.create(
                [{"partner_id": partner.id} for _i in range(min(1000, self.args.orders - start))]
            )
        cr.execute(
            """UPDATE sale_order SET effective_date = now() - (id %% 1095) * interval '1 day'
             WHERE partner_id = %s""",
            (partner.id,),
        )
        # hours worked per month
        company = self.env.company
        first = self.today.replace(day=1)
        rows = []
        for k in range(1, 40):
            start = (first - datetime.timedelta(days=31 * k)).replace(day=1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            rows.append(
                {"company_id": company.id, "date_from": start, "date_to": end, "hours": 7500}
            )
        self.env["kam.hours.worked"].create(rows)
        self.commit()
        cr.execute("ANALYZE kam_case; ANALYZE kam_action; ANALYZE sale_order")
        self.commit()
        self.env.invalidate_all()
        out(
            f"  (data generation: measures, {self.args.orders:,} orders, hours; "
            f"{time.perf_counter() - t0:.1f}s, not measured)"
        )

    # ------------------------------------------------------------ indicators
    def _indicators(self, months):
        start = (self.today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        for _i in range(months - 1):
            start = (start - datetime.timedelta(days=1)).replace(day=1)
        indicators = self.env["kam.indicator"]
        for key in READY:
            indicators |= self.env.ref(f"kam_management.kam_indicator_{key}").copy(
                {"date_start": start, "name": f"{key} ({months})"}
            )
        self.commit()
        return indicators

    def step_indicators(self):
        for months in (36, 12):
            indicators = self._indicators(months)
            self.env.invalidate_all()
            q0, t0 = self.queries(), time.perf_counter()
            indicators._kam_update(self.today)
            self.env.flush_all()
            dt, dq = time.perf_counter() - t0, self.queries() - q0
            values = self.env["kam.indicator.value"].search_count(
                [("indicator_id", "in", indicators.ids)]
            )
            record(
                "7 indicators",
                f"all 9 ready indicators, {months} monthly periods",
                dt * 1000,
                "ms",
                f"{dq} queries, {values} values",
            )
            if months == 36:
                for indicator in indicators:
                    self.env["kam.indicator.value"].search(
                        [("indicator_id", "=", indicator.id)]
                    ).unlink()
                    self.env.invalidate_all()
                    q0, t0 = self.queries(), time.perf_counter()
                    indicator._kam_update(self.today)
                    self.env.flush_all()
                    record(
                        "7 indicators",
                        f"  {indicator.name}",
                        (time.perf_counter() - t0) * 1000,
                        "ms",
                        f"{self.queries() - q0} queries",
                    )
            self.cr.rollback()

    # ------------------------------------------------------------ review
    def step_review(self):
        end = self.today.replace(day=1) - datetime.timedelta(days=1)
        start = end.replace(year=end.year - 1) + datetime.timedelta(days=1)
        Review = self.env["kam.review"]
        standards = self.env["kam.standard"].search(
            [("name", "in", ["ISO 9001", "ISO 14001", "ISO 45001"])]
        )
        for run in (1, 2):
            review = Review.create(
                {
                    "name": f"Bench review {run}",
                    "date_from": start,
                    "date_to": end,
                    "standard_ids": [(6, 0, standards.ids)],
                }
            )
            self.commit()
            self.env.invalidate_all()
            q0, t0 = self.queries(), time.perf_counter()
            review.action_prepare()
            self.env.flush_all()
            dt, dq = time.perf_counter() - t0, self.queries() - q0
            record(
                "8 review",
                f"prepare a review of 12 months (run {run})",
                dt * 1000,
                "ms",
                f"{dq} queries, {len(review.section_ids)} topics, {len(review.figure_ids)} figures",
            )
            self.cr.rollback()

    # ------------------------------------------------------------ dashboard
    def step_dashboard(self):
        dashboard = self.env.ref("kam_management.spreadsheet_dashboard_kam")
        data = json.loads(dashboard.spreadsheet_data)
        env = self.env(user=self.officer)
        calls = []
        for pivot in data["pivots"].values():
            groupby = [row["fieldName"] for row in pivot["rows"]]
            aggregates = [m["fieldName"] for m in pivot["measures"]]
            calls.append(
                (
                    f"pivot {pivot['name']}",
                    lambda p=pivot, g=groupby, a=aggregates: env[p["model"]].formatted_read_group(
                        p["domain"], g, a
                    ),
                )
            )
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                chart = figure["data"]
                if chart["type"].startswith("odoo_"):
                    calls.append(
                        (
                            f"chart {chart['title']['text']}",
                            lambda c=chart: env[c["metaData"]["resModel"]].formatted_read_group(
                                c["searchParams"]["domain"], c["metaData"]["groupBy"], ["__count"]
                            ),
                        )
                    )
        for odoo_list in data["lists"].values():
            spec = {name: {} for name in odoo_list["columns"]}
            order = ", ".join(
                f"{o['name']} {'asc' if o['asc'] else 'desc'}" for o in odoo_list["orderBy"]
            )
            calls.append(
                (
                    f"list {odoo_list['name']}",
                    lambda ol=odoo_list, s=spec, o=order: env[ol["model"]].web_search_read(
                        ol["domain"], s, order=o, limit=12
                    ),
                )
            )
        calls.append(
            (
                "load the dashboard",
                lambda: dashboard.with_env(env)._get_serialized_readonly_dashboard(),
            )
        )
        total_ms, total_q = 0.0, 0
        for name, call in calls:
            ms, q = self.median_ms(call, self.args.runs, env=env)
            total_ms += ms
            total_q += q
            record("9 dashboard", f"  {name}", ms, "ms", f"{q} queries")
        record(
            "9 dashboard",
            f"every data request of the dashboard, one after the other ({len(calls)})",
            total_ms,
            "ms",
            f"{total_q} queries (the browser sends them in parallel)",
        )


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=300_000)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--normal", type=int, default=0)
    parser.add_argument("--steps", default="bulk,indicators,review,dashboard")
    args = parser.parse_args()
    benchlib.load_odoo(args)
    LeadershipBench(args).run()


if __name__ == "__main__":
    sys.exit(main())
