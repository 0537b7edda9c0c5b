import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.recurrence import FREQUENCIES, series
from .kam_audit import AUDIT_TYPES, METHODS, scope_key

# from seldom to often: the risk moves a line's frequency along this ladder
LADDER = ("three_yearly", "two_yearly", "yearly", "half_yearly", "quarterly", "monthly")
IMPORTANCE = [("low", "Low"), ("normal", "Normal"), ("high", "High")]
# low: one step less often; high: one step more often; very high: two steps
RISK_LEVELS = [
    ("low", "Low"),
    ("normal", "Normal"),
    ("high", "High"),
    ("very_high", "Very high"),
]
# risk level -> steps along the ladder
RISK_SHIFT = {"low": -1, "normal": 0, "high": 1, "very_high": 2}


def risk_level(importance, recent_changes, major, minor):
    """The risk of a programme line from its importance, recent changes and the
    findings of earlier audits of its scope (ISO 19011 5.3, ISO 9001 9.2.2 a:
    importance, changes and the results of previous audits)."""
    points = {"low": 0, "normal": 1, "high": 2}.get(importance, 1)
    points += 1 if recent_changes else 0
    if major or minor >= 3:
        points += 2
    elif minor:
        points += 1
    if points <= 0:
        return "low"
    if points <= 2:
        return "normal"
    if points == 3:
        return "high"
    return "very_high"


def effective_frequency(frequency, level):
    """The base frequency moved along the ladder by the risk level."""
    index = LADDER.index(frequency) + RISK_SHIFT[level]
    return LADDER[max(0, min(len(LADDER) - 1, index))]


class KamAuditProgrammeLine(models.Model):
    """What the programme audits (a process, a department, a group of standard
    clauses), how often and by whom. The base frequency is moved by the risk:
    importance, recent changes and the findings of the audits of the same scope
    in the three years before the programme."""

    _name = "kam.audit.programme.line"
    _description = "Audit programme line"
    _order = "programme_id, sequence, id"
    _check_company_auto = True

    programme_id = fields.Many2one(
        "kam.audit.programme", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="programme_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Subject", required=True, help="E.g. Purchasing, clause 8.4.")
    audit_type = fields.Selection(AUDIT_TYPES, string="Type", required=True, default="internal")
    method = fields.Selection(METHODS, required=True, default="on_site")
    department_id = fields.Many2one("hr.department", check_company=True)
    process = fields.Char()
    standard_ids = fields.Many2many("kam.standard", string="Standards")
    clause_ids = fields.Many2many("kam.standard.clause", string="Clause group")
    checklist_id = fields.Many2one("kam.audit.checklist", check_company=True)
    lead_auditor_id = fields.Many2one(
        "res.users", string="Lead auditor", domain="[('share', '=', False)]"
    )
    frequency = fields.Selection(
        [(key, label) for key, label in FREQUENCIES if key in LADDER],
        string="Base frequency",
        required=True,
        default="yearly",
    )
    date_first = fields.Date(
        string="First audit on",
        help="The first date of the series; empty: the start of the programme.",
    )
    # risk weighting
    importance = fields.Selection(IMPORTANCE, required=True, default="normal")
    recent_changes = fields.Boolean(
        string="Recent changes",
        help="The process, the department or its requirements changed recently.",
    )
    previous_major_count = fields.Integer(
        string="Earlier major NCs", compute="_compute_risk", help="In the three years before."
    )
    previous_minor_count = fields.Integer(
        string="Earlier minor NCs", compute="_compute_risk", help="In the three years before."
    )
    risk_level = fields.Selection(
        RISK_LEVELS,
        string="Risk",
        compute="_compute_risk",
        help="Low: one step less often than the base frequency; high: one step more often; "
        "very high: two steps more often.",
    )
    effective_frequency = fields.Selection(
        FREQUENCIES, string="Frequency", compute="_compute_risk", help="Moved by the risk level."
    )
    audit_ids = fields.One2many("kam.audit", "programme_line_id", string="Audits")
    audit_count = fields.Integer(string="Number of audits", compute="_compute_audit_count")
    scope_key = fields.Char(compute="_compute_scope_key")
    active = fields.Boolean(default=True)

    @api.depends("audit_type", "department_id", "process", "standard_ids")
    def _compute_scope_key(self):
        for line in self:
            line.scope_key = scope_key(
                line.audit_type, line.department_id.ids, line.process, line.standard_ids.ids
            )

    @api.depends(
        "importance",
        "recent_changes",
        "frequency",
        "scope_key",
        "programme_id.date_start",
        "company_id",
    )
    def _compute_risk(self):
        # one query per programme (company and start) for the findings of the scopes
        for programme, lines in self.grouped("programme_id").items():
            history = {}
            if programme.date_start and programme.company_id:
                history = self.env["kam.audit.programme"]._kam_previous_findings(
                    programme.company_id, set(lines.mapped("scope_key")), programme.date_start
                )
            for line in lines:
                major, minor = history.get(line.scope_key, (0, 0))
                level = risk_level(line.importance, line.recent_changes, major, minor)
                line.previous_major_count = major
                line.previous_minor_count = minor
                line.risk_level = level
                line.effective_frequency = effective_frequency(line.frequency or "yearly", level)

    def _compute_audit_count(self):
        counts = dict(
            self.env["kam.audit"]._read_group(
                [("programme_line_id", "in", self.ids)], ["programme_line_id"], ["__count"]
            )
        )
        for line in self:
            line.audit_count = counts.get(line, 0)

    @api.constrains("lead_auditor_id", "department_id")
    def _check_independence(self):
        """The lead auditor of a department's audits is not from that department."""
        lines = self.filtered(
            lambda line: (
                line.lead_auditor_id
                and line.department_id
                and line.company_id.kam_audit_auditor_rule == "block"
            )
        )
        if not lines:
            return
        employees = (
            self.env["hr.employee"].sudo().search([("user_id", "in", lines.lead_auditor_id.ids)])
        )
        own = {(e.user_id.id, e.department_id.id) for e in employees}
        for line in lines:
            if (line.lead_auditor_id.id, line.department_id.id) in own:
                raise ValidationError(
                    self.env._(
                        "%(auditor)s cannot audit their own department %(department)s.",
                        auditor=line.lead_auditor_id.name,
                        department=line.department_id.name,
                    )
                )

    @api.constrains("date_first", "programme_id")
    def _check_date_first(self):
        for line in self:
            programme = line.programme_id
            if line.date_first and not (
                programme.date_start <= line.date_first <= programme.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "The first audit of %(line)s must fall within the programme "
                        "(%(start)s - %(end)s).",
                        line=line.name,
                        start=programme.date_start,
                        end=programme.date_end,
                    )
                )

    # ------------------------------------------------------------------ generation
    def _kam_periods(self):
        """The dates of this line's series within its programme."""
        self.ensure_one()
        programme = self.programme_id
        start = self.date_first or programme.date_start
        until = datetime.datetime.combine(programme.date_end, datetime.time())
        return [
            moment.date()
            for moment in series(self.effective_frequency, start).between(
                datetime.datetime.combine(start, datetime.time()), until, inc=True
            )
        ]

    def _kam_audit_values(self, period):
        self.ensure_one()
        programme = self.programme_id
        return {
            "title": self.name,
            "audit_type": self.audit_type,
            "method": self.method,
            "company_id": programme.company_id.id,
            "programme_line_id": self.id,
            "programme_period": period,
            "date_planned": period,
            "user_id": programme.user_id.id,
            "lead_auditor_id": self.lead_auditor_id.id,
            "department_ids": [fields.Command.set(self.department_id.ids)],
            "process": self.process,
            "standard_ids": [fields.Command.set(self.standard_ids.ids)],
            "clause_ids": [fields.Command.set(self.clause_ids.ids)],
            "checklist_id": self.checklist_id.id,
        }

    def _kam_generate_audits(self):
        """Plan the missing audits of these lines (of one programme) in one create;
        remove planned audits of periods the frequency no longer has."""
        if not self:
            return self.env["kam.audit"]
        Audit = self.env["kam.audit"].with_context(active_test=False)
        existing = Audit.search_fetch(
            [("programme_line_id", "in", self.ids)],
            ["programme_line_id", "programme_period", "state"],
        )
        have = {(audit.programme_line_id.id, audit.programme_period) for audit in existing}
        wanted, values = set(), []
        for line in self:
            for period in line._kam_periods():
                wanted.add((line.id, period))
                if (line.id, period) not in have:
                    values.append(line._kam_audit_values(period))
        obsolete = existing.filtered(
            lambda a: (
                a.state == "planned"
                and (a.programme_line_id.id, a.programme_period) not in wanted
                and not a.line_ids.filtered("result")
            )
        )
        if obsolete:
            obsolete.unlink()
        return self.env["kam.audit"].create(values)
