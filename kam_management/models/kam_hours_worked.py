from odoo import api, fields, models


class KamHoursWorked(models.Model):
    """Hours worked in a period, for the frequency rates: LTIFR = lost-time
    injuries x 1,000,000 / hours worked. The figures of the period are
    computed from the incidents of the company found in it."""

    _name = "kam.hours.worked"
    _description = "KAM hours worked"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    hours = fields.Float(string="Hours worked", required=True, digits=(16, 1))
    note = fields.Char()
    lti_count = fields.Integer(string="Lost-time injuries", compute="_compute_figures")
    days_lost = fields.Integer(string="Days lost", compute="_compute_figures")
    incident_count = fields.Integer(string="Incidents", compute="_compute_figures")
    ltifr = fields.Float(string="LTIFR", compute="_compute_figures", digits=(16, 2))

    _period_valid = models.Constraint(
        "CHECK(date_to >= date_from)", "The end of the period cannot be before its start."
    )
    _hours_positive = models.Constraint("CHECK(hours >= 0)", "Hours worked cannot be negative.")

    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.date_from} – {record.date_to}"

    @api.depends("company_id", "date_from", "date_to", "hours")
    def _compute_figures(self):
        """One grouped query for all periods: incidents per company and day."""
        periods = self.filtered(lambda r: r.date_from and r.date_to)
        per_day = {}
        if periods:
            # sudo: days of absence are health data; only their sum is shown here
            rows = (
                self.env["kam.case"]
                .sudo()
                ._read_group(
                    [
                        ("case_type", "=", "incident"),
                        ("company_id", "in", periods.company_id.ids),
                        ("date_found", ">=", min(periods.mapped("date_from"))),
                        ("date_found", "<=", max(periods.mapped("date_to"))),
                    ],
                    ["company_id", "date_found:day", "is_lost_time"],
                    ["__count", "absence_days:sum"],
                )
            )
            for company, day, lost_time, count, days in rows:
                figures = per_day.setdefault((company.id, fields.Date.to_date(day)), [0, 0, 0])
                figures[0] += count
                if lost_time:
                    figures[1] += count
                    figures[2] += days or 0
        for record in self:
            incidents = ltis = days = 0
            if record in periods:
                for (company_id, day), figures in per_day.items():
                    if company_id == record.company_id.id and (
                        record.date_from <= day <= record.date_to
                    ):
                        incidents += figures[0]
                        ltis += figures[1]
                        days += figures[2]
            record.incident_count = incidents
            record.lti_count = ltis
            record.days_lost = days
            record.ltifr = ltis * 1_000_000 / record.hours if record.hours else 0.0
