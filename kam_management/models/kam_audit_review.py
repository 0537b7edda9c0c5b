import datetime

from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import company_tz, grouped_by_period, share, total
from ..tools.review_inputs import Contribution, Figure, Selection, Table
from .kam_audit import DONE_STATES, TODO_STATES

_lt = LazyTranslate(__name__)


class KamAudit(models.Model):
    """Audits in the management review: c) 6 audit results (internal and external
    audits held, their findings and how they were closed, audits planned but not
    held, the company's certificates)."""

    _name = "kam.audit"
    _inherit = ["kam.audit", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        periods = list(periods)
        current = periods[0]
        Audit = self.sudo().with_context(active_test=True)
        Case = self.env["kam.case"].sudo().with_context(active_test=True)
        base = [("company_id", "=", company.id)]
        tz = company_tz(company)
        held = grouped_by_period(
            Audit,
            base + [("state", "in", DONE_STATES), ("date_end", "!=", False)],
            "date_end",
            periods,
            ["__count"],
            ["is_external"],
        )
        planned_not_held = grouped_by_period(
            Audit,
            base + [("state", "in", (*TODO_STATES, "cancelled"))],
            "date_planned",
            periods,
            ["__count"],
        )
        findings_base = base + [("audit_id", "!=", False)]
        found = grouped_by_period(
            Case,
            findings_base,
            "date_found",
            periods,
            ["__count"],
            ["case_type", "severity"],
            tz=tz,
        )
        closed = grouped_by_period(
            Case,
            findings_base + [("case_type", "=", "nonconformity"), ("is_closed", "=", True)],
            "closed_date",
            periods,
            ["__count"],
            ["closed_on_time"],
            tz=tz,
        )
        open_at_end = Case._kam_open_nonconformities(findings_base, periods)
        closed_count = [total(closed, i) for i in (0, 1)]
        on_time = [total(closed, i, {0: (True,)}) for i in (0, 1)]
        nonconformity = {0: ("nonconformity",)}
        major = {0: ("nonconformity",), 1: ("major", "critical")}
        certificates = self.env["kam.certificate"].sudo().search(base)
        valid = certificates.filtered(
            lambda c: c.date_valid_from <= current.end <= c.date_valid_until
        )
        year_later = current.end + datetime.timedelta(days=365)
        figures = [
            Figure(
                "internal",
                _lt("Internal audits held"),
                total(held, 0, {0: (False,)}),
                total(held, 1, {0: (False,)}),
            ),
            Figure(
                "external",
                _lt("Audits by the certification body"),
                total(held, 0, {0: (True,)}),
                total(held, 1, {0: (True,)}),
            ),
            Figure(
                "not_held",
                _lt("Audits planned in the period and not held"),
                total(planned_not_held, 0),
                total(planned_not_held, 1),
                better="lower",
            ),
            Figure(
                "major",
                _lt("Major nonconformities found"),
                total(found, 0, major),
                total(found, 1, major),
                better="lower",
            ),
            Figure(
                "nonconformities",
                _lt("Nonconformities found"),
                total(found, 0, nonconformity),
                total(found, 1, nonconformity),
                better="lower",
            ),
            Figure(
                "observations",
                _lt("Observations and opportunities for improvement"),
                total(found, 0, {0: ("improvement",)}),
                total(found, 1, {0: ("improvement",)}),
            ),
            Figure(
                "closed_on_time",
                _lt("Audit nonconformities closed by the deadline"),
                share(on_time[0], closed_count[0]),
                share(on_time[1], closed_count[1]),
                unit="percent",
                better="higher",
            ),
            Figure(
                "open_findings",
                _lt("Audit nonconformities open at the end of the period"),
                open_at_end[0],
                open_at_end[1],
                better="lower",
            ),
            Figure("certificates", _lt("Certificates valid at the end of the period"), len(valid)),
            Figure(
                "expiring",
                _lt("Certificates expiring within a year after the period"),
                len(valid.filtered(lambda c: c.date_valid_until <= year_later)),
            ),
        ]
        audits = Audit.search(
            base
            + [
                ("state", "in", DONE_STATES),
                ("date_end", ">=", current.start),
                ("date_end", "<=", current.end),
            ],
            order="date_end, id",
        )
        rows = [
            [
                audit.name,
                audit.title,
                Selection("kam.audit", "audit_type", audit.audit_type),
                audit.date_end,
                audit.finding_count,
                audit.open_finding_count,
            ]
            for audit in audits
        ]
        table = Table(
            "audits",
            _lt("Audits held"),
            [
                _lt("Reference"),
                _lt("Audit"),
                _lt("Type"),
                _lt("Held until"),
                _lt("Findings"),
                _lt("Still open"),
            ],
            rows,
        )
        return [Contribution("audits", figures=figures, tables=[table] if rows else [])]
