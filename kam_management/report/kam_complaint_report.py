from odoo import api, fields, models
from odoo.tools import format_date


class KamComplaintReport(models.Model):
    """Complaint figures per month, per year and overall (per company).

    One row per period: complaints received in it, how many of those are
    closed or still open, the handling time of the closed ones (received to
    closed, in calendar days: average and 90th percentile) and the share
    closed with a satisfied customer. The percentile cannot be re-aggregated
    from monthly rows, hence the year and overall rows computed by
    PostgreSQL itself (GROUPING SETS)."""

    _name = "kam.complaint.report"
    _description = "Complaint figures"
    _auto = False
    _order = "period_start desc, period_kind"
    _rec_name = "period_start"

    period_kind = fields.Selection(
        [("month", "Month"), ("year", "Year"), ("all", "Overall")],
        string="Period",
        readonly=True,
    )
    period_start = fields.Date(string="Period start", readonly=True)
    period_name = fields.Char(string="Period code", readonly=True)
    period_label = fields.Char(string="Month or year", compute="_compute_period_label")
    company_id = fields.Many2one("res.company", readonly=True)
    received_count = fields.Integer(string="Received", readonly=True)
    closed_count = fields.Integer(string="Closed", readonly=True)
    open_count = fields.Integer(string="Open", readonly=True)
    avg_handling_days = fields.Float(
        string="Average handling time (days)", readonly=True, digits=(16, 1), aggregator="avg"
    )
    p90_handling_days = fields.Float(
        string="90th percentile handling time (days)",
        readonly=True,
        digits=(16, 1),
        aggregator="max",
        help="Nine out of ten closed complaints were handled within this many days.",
    )
    satisfied_count = fields.Integer(string="Closed, customer satisfied", readonly=True)
    satisfied_share = fields.Float(
        string="Closed with satisfied customer (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
    )

    @api.depends("period_kind", "period_start")
    @api.depends_context("lang")
    def _compute_period_label(self):
        """The period as people read it: "november 2026", "2026", "Overall"."""
        for row in self:
            if row.period_kind == "month":
                row.period_label = format_date(self.env, row.period_start, date_format="LLLL y")
            elif row.period_kind == "year":
                row.period_label = str(row.period_start.year)
            else:
                row.period_label = self.env._("Overall")

    @property
    def _table_query(self):
        return """
            WITH complaint AS (
                SELECT company_id, is_closed, satisfaction,
                       date_trunc('month', date_received)::date AS month,
                       date_trunc('year', date_received)::date AS year,
                       CASE WHEN closed_date IS NOT NULL
                            THEN closed_date::date - date_received END AS days
                  FROM kam_case
                 WHERE case_type = 'complaint' AND active AND date_received IS NOT NULL
            )
            SELECT company_id::bigint * 1000000
                   + CASE WHEN GROUPING(month) = 0
                          THEN extract(year FROM month) * 100 + extract(month FROM month)
                          WHEN GROUPING(year) = 0 THEN extract(year FROM year) * 100
                          ELSE 0 END AS id,
                   CASE WHEN GROUPING(month) = 0 THEN 'month'
                        WHEN GROUPING(year) = 0 THEN 'year'
                        ELSE 'all' END AS period_kind,
                   COALESCE(month, year) AS period_start,
                   CASE WHEN GROUPING(month) = 0 THEN to_char(month, 'YYYY-MM')
                        WHEN GROUPING(year) = 0 THEN to_char(year, 'YYYY')
                        ELSE '' END AS period_name,
                   company_id,
                   count(*) AS received_count,
                   count(*) FILTER (WHERE is_closed) AS closed_count,
                   count(*) FILTER (WHERE NOT is_closed) AS open_count,
                   avg(days) AS avg_handling_days,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90_handling_days,
                   count(*) FILTER (WHERE is_closed AND satisfaction = 'satisfied')
                       AS satisfied_count,
                   100.0 * count(*) FILTER (WHERE is_closed AND satisfaction = 'satisfied')
                       / NULLIF(count(*) FILTER (WHERE is_closed), 0) AS satisfied_share
              FROM complaint
             GROUP BY GROUPING SETS ((company_id, month), (company_id, year), (company_id))
        """
