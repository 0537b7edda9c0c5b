from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..tools.batches import assign_computed
from ..tools.periods import company_tz, grouped_by_period, share, total
from ..tools.review_inputs import Contribution, Figure, Name, Selection, Table

_lt = LazyTranslate(__name__)


def _sum(rows, index, **match):
    """``total`` of ``rows`` (grouped_by_period) for period ``index`` and the
    group values in ``match``: ``name=(position in the groupby, accepted values)``."""
    return total(rows, index, dict(match.values()))


class KamCase(models.Model):
    """What the indicators and the management review measure on cases.

    Two stored measures (so that an indicator defined in the form, a domain and a
    measure, can use them): the handling time in days of a closed case, and
    whether it was closed by its deadline. And the review inputs taken from
    cases: customer feedback (complaints), process performance and
    nonconformities, incidents and the meldplicht, improvement suggestions,
    participation of workers and supplier nonconformities."""

    _name = "kam.case"
    _inherit = ["kam.case", "kam.review.input.mixin"]

    handling_days = fields.Float(
        string="Handling time (days)",
        compute="_compute_handling",
        store=True,
        precompute=True,
        digits=(16, 1),
        aggregator="avg",
        help="Calendar days from receipt (complaints) or finding to closing; 0 while open.",
    )
    closed_on_time = fields.Boolean(
        string="Closed in time",
        compute="_compute_handling",
        store=True,
        precompute=True,
        help="Closed on or before its deadline (or closed without one).",
    )

    @api.depends("closed_date", "date_received", "date_found", "deadline", "case_type")
    def _compute_handling(self):
        def handling(case):
            start = (
                case.date_received
                if case.case_type == "complaint" and case.date_received
                else case.date_found
            )
            if not case.closed_date or not start:
                return {"handling_days": 0.0, "closed_on_time": False}
            closed = case.closed_date.date()
            return {
                "handling_days": float((closed - start).days),
                "closed_on_time": not case.deadline or closed <= case.deadline,
            }

        assign_computed(self, handling)

    # ------------------------------------------------------------------ review inputs
    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        tz = company_tz(company)
        base = [("company_id", "=", company.id)]
        periods = list(periods)
        Case = self.sudo().with_context(active_test=True)

        def grouped(domain, date_field, aggregates, groupby=()):
            return grouped_by_period(
                Case, base + domain, date_field, periods, aggregates, groupby, tz=tz
            )

        return (
            self._kam_review_customer(grouped)
            + self._kam_review_nonconformities(grouped, Case, base, periods)
            + self._kam_review_incidents(grouped, company, periods)
            + self._kam_review_improvement(grouped, Case, base)
        )

    @api.model
    def _kam_review_customer(self, grouped):
        """c) 1: customer satisfaction and feedback: complaints received and closed."""
        received = grouped(
            [("case_type", "=", "complaint")],
            "date_received",
            ["__count"],
            ["justification", "complaint_category_id"],
        )
        closed = grouped(
            [("case_type", "=", "complaint"), ("is_closed", "=", True)],
            "closed_date",
            ["__count", "handling_days:sum"],
            ["satisfaction"],
        )

        def closed_count(index):
            return sum(v[0] for k, v in closed.items() if k[0] == index)

        def handling(index):
            count = closed_count(index)
            return (
                sum(v[1] or 0 for k, v in closed.items() if k[0] == index) / count
                if count
                else None
            )

        figures = [
            Figure(
                "received",
                _lt("Complaints received"),
                _sum(received, 0),
                _sum(received, 1),
                better="lower",
            ),
            Figure(
                "justified",
                _lt("Complaints judged justified"),
                _sum(received, 0, j=(0, ("justified",))),
                _sum(received, 1, j=(0, ("justified",))),
                better="lower",
            ),
            Figure("closed", _lt("Complaints closed"), closed_count(0), closed_count(1)),
            Figure(
                "handling",
                _lt("Average handling time of closed complaints (days)"),
                handling(0),
                handling(1),
                unit="days",
                better="lower",
            ),
            Figure(
                "satisfied",
                _lt("Closed with a satisfied customer"),
                share(_sum(closed, 0, s=(0, ("satisfied",))), closed_count(0)),
                share(_sum(closed, 1, s=(0, ("satisfied",))), closed_count(1)),
                unit="percent",
                better="higher",
            ),
        ]
        categories = {}
        for (index, _justification, category), (count,) in received.items():
            categories.setdefault(category, [0, 0])[index] += count
        rows = [
            [Name.of(category) if category else _lt("No category"), now, before]
            for category, (now, before) in sorted(
                categories.items(), key=lambda item: (-item[1][0], item[0].name or "")
            )
        ]
        table = Table(
            "complaint_categories",
            _lt("Complaints per category"),
            [_lt("Category"), _lt("Received"), _lt("Period before")],
            rows,
        )
        return [Contribution("customer", figures=figures, tables=[table] if rows else [])]

    @api.model
    def _kam_open_nonconformities(self, domain, periods):
        """Per period: the nonconformities in ``domain`` found by its end and not
        closed by then (the review's *open at the end of the period*)."""
        return [
            self.search_count(
                domain
                + [
                    ("case_type", "=", "nonconformity"),
                    ("date_found", "<=", period.end),
                    "|",
                    ("closed_date", "=", False),
                    ("closed_date", ">", period.end),
                ]
            )
            for period in periods
        ]

    @api.model
    def _kam_review_nonconformities(self, grouped, Case, base, periods):
        """c) 3 process performance, c) 4 nonconformities (the cases; their
        corrective actions come from kam.action), c) 7 supplier nonconformities."""
        found = grouped(
            [("case_type", "=", "nonconformity")],
            "date_found",
            ["__count"],
            ["source", "severity", "department_id"],
        )
        closed = grouped(
            [("case_type", "=", "nonconformity"), ("is_closed", "=", True)],
            "closed_date",
            ["__count"],
            ["closed_on_time", "root_cause_category"],
        )
        open_at_end = Case._kam_open_nonconformities(base, periods)
        serious = ("major", "critical")
        process = [
            Figure(
                "found",
                _lt("Nonconformities found"),
                _sum(found, 0),
                _sum(found, 1),
                better="lower",
            ),
            Figure(
                "internal",
                _lt("Found in our own processes"),
                _sum(found, 0, s=(0, ("internal",))),
                _sum(found, 1, s=(0, ("internal",))),
                better="lower",
            ),
            Figure(
                "serious",
                _lt("Major or critical"),
                _sum(found, 0, v=(1, serious)),
                _sum(found, 1, v=(1, serious)),
                better="lower",
            ),
        ]
        departments = {}
        for (index, _source, _severity, department), (count,) in found.items():
            departments.setdefault(department, [0, 0])[index] += count
        dept_rows = [
            [Name.of(department) if department else _lt("No department"), now, before]
            for department, (now, before) in sorted(
                departments.items(), key=lambda item: (-item[1][0], item[0].name or "")
            )
        ]
        sources = {}
        for (index, source, _severity, _department), (count,) in found.items():
            sources.setdefault(source, [0, 0])[index] += count
        source_rows = [
            [Selection("kam.case", "source", source), now, before]
            for source, (now, before) in sorted(sources.items(), key=lambda item: -item[1][0])
            if source
        ]
        closed_count = [_sum(closed, i) for i in (0, 1)]
        on_time = [_sum(closed, i, t=(0, (True,))) for i in (0, 1)]
        causes = {}
        for (index, _on_time, category), (count,) in closed.items():
            causes.setdefault(category, [0, 0])[index] += count
        cause_rows = [
            [
                Selection("kam.case", "root_cause_category", category)
                if category
                else self.env._("No root cause recorded"),
                now,
                before,
            ]
            for category, (now, before) in sorted(causes.items(), key=lambda item: -item[1][0])
        ]
        nonconformities = [
            Figure("closed", _lt("Nonconformities closed"), closed_count[0], closed_count[1]),
            Figure(
                "closed_on_time",
                _lt("Closed by the deadline"),
                share(on_time[0], closed_count[0]),
                share(on_time[1], closed_count[1]),
                unit="percent",
                better="higher",
            ),
            Figure(
                "open_at_end",
                _lt("Open at the end of the period"),
                open_at_end[0],
                open_at_end[1],
                better="lower",
            ),
        ]
        columns = [_lt("Source"), _lt("Found"), _lt("Period before")]
        supplier = [
            Figure(
                "supplier_ncs",
                _lt("Nonconformities caused by suppliers"),
                _sum(found, 0, s=(0, ("supplier",))),
                _sum(found, 1, s=(0, ("supplier",))),
                better="lower",
            )
        ]
        return [
            Contribution(
                "process",
                figures=process,
                tables=[
                    Table("nc_sources", _lt("Nonconformities per source"), columns, source_rows),
                    Table(
                        "nc_departments",
                        _lt("Nonconformities per department"),
                        [_lt("Department"), _lt("Found"), _lt("Period before")],
                        dept_rows,
                    ),
                ],
            ),
            Contribution(
                "nonconformities",
                figures=nonconformities,
                tables=[
                    Table(
                        "nc_causes",
                        _lt("Root causes of the nonconformities closed"),
                        [_lt("Root cause"), _lt("Closed"), _lt("Period before")],
                        cause_rows,
                    )
                ]
                if cause_rows
                else [],
            ),
            Contribution("suppliers", figures=supplier),
        ]

    @api.model
    def _kam_review_incidents(self, grouped, company, periods):
        """ISO 45001 9.3: incidents, the safety pyramid, lost-time injuries, LTIFR and
        the meldplicht (Arbowet art. 9)."""
        rows = grouped(
            [("case_type", "=", "incident")],
            "date_found",
            ["__count", "absence_days:sum"],
            ["incident_kind", "is_lost_time", "is_notifiable"],
        )
        reported = grouped(
            [
                ("case_type", "=", "incident"),
                ("is_notifiable", "=", True),
                ("authority_reported_date", "!=", False),
            ],
            "date_found",
            ["__count"],
        )
        hours = grouped_by_period(
            self.env["kam.hours.worked"].sudo(),
            [("company_id", "=", company.id)],
            "date_from",
            periods,
            ["hours:sum"],
        )
        lti = [_sum(rows, i, lt=(1, (True,))) for i in (0, 1)]
        worked = [hours.get((i,), [0])[0] or 0 for i in (0, 1)]
        days = [sum(values[1] or 0 for key, values in rows.items() if key[0] == i) for i in (0, 1)]
        figures = [
            Figure("incidents", _lt("Incidents reported"), _sum(rows, 0), _sum(rows, 1)),
            Figure(
                "injuries",
                _lt("Accidents with injury"),
                _sum(rows, 0, k=(0, ("injury",))),
                _sum(rows, 1, k=(0, ("injury",))),
                better="lower",
            ),
            Figure(
                "near_misses",
                _lt("Near misses and unsafe situations reported"),
                _sum(rows, 0, k=(0, ("near_miss", "unsafe"))),
                _sum(rows, 1, k=(0, ("near_miss", "unsafe"))),
                better="higher",
            ),
            Figure("lti", _lt("Lost-time injuries"), lti[0], lti[1], better="lower"),
            Figure("days_lost", _lt("Days of absence"), days[0], days[1], better="lower"),
            Figure("hours", _lt("Hours worked"), worked[0], worked[1], unit="hours"),
            Figure(
                "ltifr",
                _lt("LTIFR (lost-time injuries per million hours)"),
                lti[0] * 1_000_000 / worked[0] if worked[0] else None,
                lti[1] * 1_000_000 / worked[1] if worked[1] else None,
                unit="rate",
                better="lower",
            ),
            Figure(
                "notifiable",
                _lt("Notifiable accidents (Arbowet art. 9)"),
                _sum(rows, 0, n=(2, (True,))),
                _sum(rows, 1, n=(2, (True,))),
                better="lower",
            ),
            Figure(
                "reported",
                _lt("Of which reported to the Arbeidsinspectie"),
                _sum(reported, 0),
                _sum(reported, 1),
            ),
        ]
        kinds = {}
        for (index, kind, _lost, _notifiable), (count, _days) in rows.items():
            kinds.setdefault(kind, [0, 0])[index] += count
        kind_rows = [
            [Selection("kam.case", "incident_kind", kind) if kind else "", now, before]
            for kind, (now, before) in sorted(kinds.items(), key=lambda item: -item[1][0])
        ]
        table = Table(
            "incident_kinds",
            _lt("Incidents per kind (safety pyramid)"),
            [_lt("Kind"), _lt("Reported"), _lt("Period before")],
            kind_rows,
        )
        return [Contribution("incidents", figures=figures, tables=[table] if kind_rows else [])]

    @api.model
    def _kam_review_improvement(self, grouped, Case, base):
        """f) opportunities for improvement (suggestions) and the participation of
        workers (reports of near misses, unsafe situations, anonymous reports)."""
        suggestions = grouped(
            [("case_type", "=", "improvement")], "date_found", ["__count"], ["is_closed"]
        )
        implemented = grouped(
            [("case_type", "=", "improvement"), ("is_closed", "=", True)],
            "closed_date",
            ["__count"],
        )
        reports = grouped(
            [("case_type", "in", ("incident", "improvement"))],
            "date_found",
            ["__count"],
            ["case_type", "is_anonymous", "incident_kind"],
        )
        open_ideas = Case.search(
            base + [("case_type", "=", "improvement"), ("is_closed", "=", False)],
            order="date_found desc, id desc",
            limit=10,
        )
        improvement = [
            Figure(
                "suggestions",
                _lt("Improvement suggestions received"),
                _sum(suggestions, 0),
                _sum(suggestions, 1),
                better="higher",
            ),
            Figure(
                "implemented",
                _lt("Improvement suggestions completed"),
                _sum(implemented, 0),
                _sum(implemented, 1),
                better="higher",
            ),
        ]
        participation = [
            Figure(
                "worker_reports",
                _lt("Near misses and unsafe situations reported by workers"),
                _sum(reports, 0, t=(0, ("incident",)), k=(2, ("near_miss", "unsafe"))),
                _sum(reports, 1, t=(0, ("incident",)), k=(2, ("near_miss", "unsafe"))),
                better="higher",
            ),
            Figure(
                "anonymous",
                _lt("Reports made anonymously"),
                _sum(reports, 0, a=(1, (True,))),
                _sum(reports, 1, a=(1, (True,))),
            ),
            Figure(
                "ideas",
                _lt("Improvement suggestions by workers"),
                _sum(reports, 0, t=(0, ("improvement",))),
                _sum(reports, 1, t=(0, ("improvement",))),
                better="higher",
            ),
        ]
        table = Table(
            "open_suggestions",
            _lt("Open improvement suggestions"),
            [_lt("Suggestion"), _lt("Date"), _lt("Reported by")],
            [[c.title, c.date_found, c.reported_by_id.name or ""] for c in open_ideas],
            limit=10,
        )
        return [
            Contribution("improvement", figures=improvement, tables=[table] if open_ideas else []),
            Contribution("participation", figures=participation),
        ]
