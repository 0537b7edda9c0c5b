from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .kam_audit import DONE_STATES

PROGRAMME_STATES = [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")]
CYCLES = [("year", "One year"), ("three_years", "Three-year certification cycle")]
OFFICER = "kam_management.group_kam_officer"
MANAGER = "kam_management.group_kam_manager"
TRANSITIONS = {
    ("draft", "approved"): MANAGER,
    ("approved", "draft"): MANAGER,
    ("approved", "closed"): OFFICER,
    ("closed", "approved"): MANAGER,
}
# the findings of the audits of a scope in this many years before the programme
# weigh in its risk
HISTORY_YEARS = 3


class KamAuditProgramme(models.Model):
    """The audit programme of a company for a year or a three-year certification
    cycle (ISO 19011 5; ISO 9001 9.2.2 a): what is audited how often, by whom,
    with which method, and the risks of the programme. Its lines have a
    frequency and a risk weighting; *Generate audits* plans their audits,
    idempotently (one audit per line and period). A KAM manager approves it."""

    _name = "kam.audit.programme"
    _description = "Audit programme"
    _inherit = ["kam.workflow.mixin", "kam.system.text.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_derived_fields = ("approved_by_id", "approved_date")

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    cycle = fields.Selection(CYCLES, required=True, default="year")
    date_start = fields.Date(
        string="From",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_end = fields.Date(string="Until", required=True, tracking=True)
    standard_ids = fields.Many2many(
        "kam.standard", string="Standards", help="The standards this programme covers."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    objectives = fields.Html(
        help="What the programme must achieve (ISO 19011 5.2): e.g. every process and clause "
        "once per cycle, more often where the risks or the findings are higher."
    )
    risks = fields.Html(
        string="Programme risks",
        help="Risks of the programme itself (ISO 19011 5.3): too few competent auditors, "
        "remote audits without access to records, planning too late for the certification "
        "body...",
    )
    state = fields.Selection(
        PROGRAMME_STATES, string="Status", required=True, default="draft", tracking=True, copy=False
    )
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Date(string="Approved on", readonly=True, copy=False)
    line_ids = fields.One2many(
        "kam.audit.programme.line", "programme_id", string="Lines", copy=True
    )
    audit_ids = fields.One2many("kam.audit", "programme_id", string="Audits")
    audit_count = fields.Integer(string="Number of audits", compute="_compute_audit_counts")
    done_count = fields.Integer(string="Held", compute="_compute_audit_counts")
    overdue_count = fields.Integer(string="Overdue", compute="_compute_audit_counts")
    active = fields.Boolean(default=True)

    _dates_check = models.Constraint(
        "CHECK(date_end >= date_start)", "The programme cannot end before it starts."
    )

    def _kam_creation_note(self):
        return self.env._("Audit programme created")

    @api.onchange("cycle", "date_start")
    def _onchange_cycle(self):
        if self.date_start:
            years = 3 if self.cycle == "three_years" else 1
            self.date_end = self.date_start + relativedelta(years=years, days=-1)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date_start") and not vals.get("date_end"):
                years = 3 if vals.get("cycle") == "three_years" else 1
                vals["date_end"] = fields.Date.to_date(vals["date_start"]) + relativedelta(
                    years=years, days=-1
                )
        return super().create(vals_list)

    def _compute_audit_counts(self):
        today = fields.Date.context_today(self)
        groups = self.env["kam.audit"]._read_group(
            [("programme_id", "in", self.ids), ("state", "!=", "cancelled")],
            ["programme_id", "state"],
            ["__count"],
        )
        overdue = dict(
            self.env["kam.audit"]._read_group(
                [
                    ("programme_id", "in", self.ids),
                    ("state", "in", ("planned", "prepared")),
                    ("date_planned", "<", today),
                ],
                ["programme_id"],
                ["__count"],
            )
        )
        total, done = {}, {}
        for programme, state, count in groups:
            total[programme] = total.get(programme, 0) + count
            if state in DONE_STATES:
                done[programme] = done.get(programme, 0) + count
        for programme in self:
            programme.audit_count = total.get(programme, 0)
            programme.done_count = done.get(programme, 0)
            programme.overdue_count = overdue.get(programme, 0)

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        return self.filtered(lambda p: p.state == "closed")

    def _kam_unlocks(self, vals):
        return set(vals) <= {"state"} and vals.get("state") == "approved"

    def _kam_transition_refused(self, old, new):
        return self.env._("Only KAM managers can approve an audit programme.")

    def _kam_state_values(self, new):
        if new == "approved":
            return {
                "approved_by_id": self.env.uid,
                "approved_date": fields.Date.context_today(self),
            }
        if new == "draft":
            return {"approved_by_id": False, "approved_date": False}
        return {}

    def _kam_check_unlink(self):
        if self.filtered(lambda p: p.state != "draft" or p.audit_ids):
            raise UserError(
                self.env._("Only draft programmes without audits can be deleted; archive it.")
            )

    def action_approve(self):
        self.write({"state": "approved"})
        return True

    def action_back_to_draft(self):
        self.write({"state": "draft"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    # ------------------------------------------------------------------ generation
    def action_generate(self):
        """Plan the audits of every line for every period of its (risk-weighted)
        frequency within the programme; idempotent: a period that has its audit
        gets no second one, and planned audits of periods that the frequency no
        longer has (the risk went down) are removed."""
        for programme in self:
            if programme.state != "approved":
                raise UserError(
                    self.env._(
                        "Programme %(programme)s: a KAM manager approves it before its audits "
                        "are planned.",
                        programme=programme.name,
                    )
                )
        created = self.env["kam.audit"]
        for programme in self:
            created |= programme.line_ids.filtered("active")._kam_generate_audits()
        return created

    def action_generate_audits(self):
        created = self.action_generate()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s audit(s) planned.", count=len(created)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.readonly
    def action_view_audits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kam_management.kam_audit_action")
        action["domain"] = [("programme_id", "=", self.id)]
        action["context"] = {"default_company_id": self.company_id.id}
        return action

    @api.readonly
    def action_view_coverage(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_audit_coverage_action"
        )
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            ("year", ">=", self.date_start.year),
            ("year", "<=", self.date_end.year),
        ]
        if self.standard_ids:
            action["domain"].append(("standard_id", "in", self.standard_ids.ids))
        return action

    @api.model
    def _kam_previous_findings(self, company, keys, before):
        """{scope key: (major, minor)} findings of the audits held of these scopes in
        the HISTORY_YEARS before ``before``: one query."""
        if not keys:
            return {}
        self.env["kam.audit"].flush_model(["scope_key", "company_id", "state", "date_planned"])
        self.env["kam.audit.line"].flush_model(["audit_id", "result"])
        self.env.cr.execute(
            SQL(
                """SELECT a.scope_key,
                          count(*) FILTER (WHERE l.result = 'major'),
                          count(*) FILTER (WHERE l.result = 'minor')
                     FROM kam_audit_line l
                     JOIN kam_audit a ON a.id = l.audit_id
                    WHERE a.company_id = %s AND a.scope_key = ANY(%s) AND a.state IN %s
                      AND a.active AND a.date_planned >= %s AND a.date_planned < %s
                      AND l.result IN ('major', 'minor')
                    GROUP BY a.scope_key""",
                company.id,
                list(keys),
                DONE_STATES,
                before - relativedelta(years=HISTORY_YEARS),
                before,
            )
        )
        return {key: (major, minor) for key, major, minor in self.env.cr.fetchall()}
