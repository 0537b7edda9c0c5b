from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools import xlsx
from ..tools.periods import grouped_by_period
from ..tools.review_inputs import Contribution, Figure, Selection, Status, Table
from .kam_action_source import source_field

_lt = LazyTranslate(__name__)

MANAGER = "kam_management.group_kam_manager"
OBJECTIVE_STATES = [
    ("draft", "In preparation"),
    ("approved", "Approved"),
    ("achieved", "Achieved"),
    ("not_achieved", "Not achieved"),
    ("cancelled", "Cancelled"),
]
CLOSED_STATES = ("achieved", "not_achieved", "cancelled")
# only KAM managers (management) approve, evaluate, cancel and reopen objectives
TRANSITIONS = {
    ("draft", "approved"): MANAGER,
    ("approved", "draft"): MANAGER,
    ("approved", "achieved"): MANAGER,
    ("approved", "not_achieved"): MANAGER,
    ("draft", "cancelled"): MANAGER,
    ("approved", "cancelled"): MANAGER,
    ("achieved", "approved"): MANAGER,
    ("not_achieved", "approved"): MANAGER,
    ("cancelled", "draft"): MANAGER,
}
STATUSES = [
    ("none", "No figures yet"),
    ("green", "On target"),
    ("amber", "Within tolerance"),
    ("red", "Off target"),
]
STATUS_RANK = {"none": 0, "green": 1, "amber": 2, "red": 3}


class KamObjective(models.Model):
    """A KAM objective (ISO 9001 6.2, ISO 14001 6.2, ISO 45001 6.2).

    Strategic objectives come from the strategy (the business plan); operational
    objectives sit under a strategic one, so the strategic PDCA cycle connects to
    the operational one. An objective is planned (target, deadline, owner,
    resources, how it is evaluated), realised through actions (plan -> do),
    measured by its indicators (check) and adjusted by the decisions of the
    management review (act). Only KAM managers approve, evaluate and cancel
    objectives (the workflow mixin's transitions); an approved objective is
    changed by managers only."""

    _name = "kam.objective"
    _description = "KAM objective"
    _inherit = [
        "kam.workflow.mixin",
        "kam.action.source",
        "kam.register.mixin",
        "kam.clause.link.mixin",
        "kam.review.input.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]

    _order = "level desc, sequence, deadline, id"
    _parent_store = True
    _check_company_auto = True
    _kam_action_field = "objective_id"
    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_derived_fields = ("approved_by_id", "approved_date", "evaluated_date")
    _kam_locked_writable_fields = ("active", "color", "sequence", "evaluation_note")
    _kam_lock_expression = "kam_locked"
    _clause_evidence_date_field = "deadline"

    name = fields.Char(string="Objective", required=True, tracking=True)
    sequence = fields.Integer(default=10)
    level = fields.Selection(
        [("strategic", "Strategic"), ("operational", "Operational")],
        required=True,
        default="operational",
        tracking=True,
        help="Strategic objectives come from the strategy or business plan; operational "
        "objectives realise a strategic one.",
    )
    parent_id = fields.Many2one(
        "kam.objective",
        string="Strategic objective",
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('level', '=', 'strategic'), ('company_id', '=', company_id)]",
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("kam.objective", "parent_id", string="Operational objectives")
    theme_id = fields.Many2one(
        "kam.theme", tracking=True, help="Quality, health & safety or environment."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    target = fields.Char(
        string="Measurable target",
        tracking=True,
        help="What will be achieved, measurably: e.g. fewer than 1 complaint per 100 delivered "
        "orders in 2026.",
    )
    deadline = fields.Date(tracking=True, index=True)
    strategy_item = fields.Char(
        string="Strategy item",
        tracking=True,
        help="The item of the strategy or business plan this objective serves.",
    )
    resources = fields.Text(help="People, budget and means needed (ISO 9001 6.2.2 b).")
    evaluation_method = fields.Text(
        string="How it is evaluated",
        help="How and when the result is evaluated (ISO 9001 6.2.2 e), e.g. monthly on the KAM "
        "dashboard, yearly in the management review.",
    )
    description = fields.Html()
    state = fields.Selection(
        OBJECTIVE_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Date(string="Approved on", readonly=True, copy=False)
    evaluated_date = fields.Date(string="Evaluated on", readonly=True, copy=False)
    evaluation_note = fields.Text(
        string="Evaluation", help="The result, written when the objective is evaluated."
    )
    # check: the indicators that measure it
    indicator_ids = fields.One2many("kam.indicator", "objective_id", string="Indicators")
    indicator_count = fields.Integer(
        string="Number of indicators", compute="_compute_indicator_count"
    )
    status = fields.Selection(
        STATUSES,
        compute="_compute_status",
        store=True,
        recursive=True,
        default="none",
        help="The worst status of the latest values of its indicators (and of the "
        "operational objectives under a strategic one).",
    )
    # do: its actions; act: the review decisions about it
    action_ids = fields.One2many("kam.action", "objective_id", string="Actions")
    decision_ids = fields.One2many(
        "kam.review.decision", "objective_id", string="Management review decisions"
    )
    off_target_action_ids = fields.Many2many(
        "kam.action",
        compute="_compute_off_target_actions",
        string="Actions of indicators off target",
    )
    kam_locked = fields.Boolean(
        string="Read-only for me",
        compute="_compute_kam_locked",
        help="Approved or closed: read-only for you.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)

    def _kam_creation_note(self):
        return self.env._("Objective created")

    # ------------------------------------------------------------------ computes
    @api.depends("state")
    @api.depends_context("uid")
    def _compute_kam_locked(self):
        locked = self._kam_is_locked()
        for objective in self:
            objective.kam_locked = objective in locked

    def _compute_indicator_count(self):
        counts = dict(
            self.env["kam.indicator"]._read_group(
                [("objective_id", "in", self.ids)], ["objective_id"], ["__count"]
            )
        )
        for objective in self:
            objective.indicator_count = counts.get(objective, 0)

    @api.depends("indicator_ids.last_status", "child_ids.status", "child_ids.state")
    def _compute_status(self):
        for objective in self:
            statuses = [s or "none" for s in objective.indicator_ids.mapped("last_status")] + [
                child.status or "none"
                for child in objective.child_ids
                if child.state != "cancelled"
            ]
            objective.status = max(statuses, key=STATUS_RANK.__getitem__, default="none")

    def _compute_off_target_actions(self):
        actions = self.env["kam.action"].search(
            [("indicator_id.objective_id", "in", self.ids)], order="deadline desc, id desc"
        )
        for objective in self:
            objective.off_target_action_ids = actions.filtered(
                lambda a, objective=objective: a.indicator_id.objective_id == objective
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("level", "parent_id")
    def _check_levels(self):
        for objective in self:
            if objective.level == "strategic" and objective.parent_id:
                raise ValidationError(
                    self.env._(
                        "Strategic objective %(objective)s cannot sit under another objective.",
                        objective=objective.name,
                    )
                )
            if objective.level == "operational" and not objective.parent_id:
                raise ValidationError(
                    self.env._(
                        "Operational objective %(objective)s needs the strategic objective it "
                        "realises.",
                        objective=objective.name,
                    )
                )
            if objective.parent_id and objective.parent_id.level != "strategic":
                raise ValidationError(
                    self.env._(
                        "%(objective)s: an operational objective sits under a strategic one, "
                        "not under %(parent)s.",
                        objective=objective.name,
                        parent=objective.parent_id.name,
                    )
                )

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        # closed objectives are locked for everyone (a manager reopens them); approved
        # ones for everyone but managers
        if self.env.user.has_group(MANAGER) or self.env.su:
            return self.filtered(lambda o: o.state in CLOSED_STATES)
        return self.filtered(lambda o: o.state != "draft")

    def _kam_unlocks(self, vals):
        return vals.get("state") in ("approved", "draft") and (
            self.env.su or self.env.user.has_group(MANAGER)
        )

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Objective %(objective)s is approved or closed: only KAM managers can change it.",
                objective=", ".join(self.mapped("name")[:5]),
            )
        )

    def _kam_transition_refused(self, old, new):
        return self.env._("Only KAM managers approve, evaluate and cancel objectives.")

    def _kam_check_state_change(self, old, new, vals):
        if new == "approved" and old == "draft":
            missing = [
                self._fields[name]._description_string(self.env)
                for name in ("target", "deadline", "user_id")
                if not vals.get(name, self[name])
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Objective %(objective)s cannot be approved without: %(fields)s.",
                        objective=self.name,
                        fields=", ".join(missing),
                    )
                )
            parent = self.parent_id
            if "parent_id" in vals:
                parent = self.browse(vals["parent_id"])
            if parent and parent.state != "approved":
                raise UserError(
                    self.env._(
                        "Approve the strategic objective %(parent)s before %(objective)s.",
                        parent=parent.name,
                        objective=self.name,
                    )
                )
        if new in ("achieved", "not_achieved"):
            note = vals.get("evaluation_note", self.evaluation_note)
            if not (note or "").strip():
                raise UserError(
                    self.env._(
                        "Write the evaluation of objective %(objective)s first: what was "
                        "achieved and why.",
                        objective=self.name,
                    )
                )

    def _kam_state_values(self, new):
        today = fields.Date.context_today(self)
        if new == "approved":
            return {"approved_by_id": self.env.uid, "approved_date": today, "evaluated_date": False}
        if new in ("achieved", "not_achieved"):
            return {"evaluated_date": today}
        if new == "draft":
            return {"approved_by_id": False, "approved_date": False, "evaluated_date": False}
        return {}

    # ------------------------------------------------------------------ buttons
    def action_approve(self):
        self.write({"state": "approved"})
        return True

    def action_achieved(self):
        self.write({"state": "achieved"})
        return True

    def action_not_achieved(self):
        self.write({"state": "not_achieved"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_reopen(self):
        self.write({"state": "approved"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True

    def action_view_indicators(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_indicator_action"
        )
        action["domain"] = [("objective_id", "in", (self | self.child_ids).ids)]
        action["context"] = {
            "default_objective_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action

    # ------------------------------------------------------------------ registers
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "objective",
                self.env._("Objectives"),
                columns=[
                    xlsx.char("name", width=40),
                    xlsx.selection("level"),
                    xlsx.many2one("parent_id", width=30),
                    xlsx.many2one("theme_id", width=16),
                    xlsx.many2one("user_id", width=22),
                    xlsx.char("target", width=40),
                    xlsx.date("deadline"),
                    xlsx.char("strategy_item", width=30),
                    xlsx.char("resources", width=30),
                    xlsx.char("evaluation_method", width=30),
                    xlsx.selection("state", width=16),
                    xlsx.selection("status", width=16),
                    xlsx.many2one("approved_by_id"),
                    xlsx.date("approved_date"),
                    xlsx.char("evaluation_note", width=40),
                ],
                order="level desc, sequence, deadline, id",
            ),
        ]

    # ------------------------------------------------------------------ review input
    @api.model
    def _kam_review_inputs(self, review, periods):
        """c) 2: the extent to which the objectives were met: the objectives that ran
        in the period (approved, or closed in it) with their status."""
        current, previous = periods
        Objective = self.with_context(active_test=True)
        base = [("company_id", "=", review.company_id.id), ("state", "!=", "cancelled")]
        running = Objective.search(
            base
            + [
                ("approved_date", "<=", current.end),
                "|",
                ("evaluated_date", "=", False),
                ("evaluated_date", ">=", current.start),
            ],
            order="level desc, sequence, deadline, id",
        )
        # evaluated per period: one grouped query for both periods
        evaluated = grouped_by_period(
            Objective,
            base,
            "evaluated_date",
            [current, previous],
            ["__count"],
            groupby=["state"],
        )

        def count(index, state):
            return evaluated.get((index, state), [0])[0]

        figures = [
            Figure("running", _lt("Objectives in force"), len(running), None, unit="count"),
            Figure(
                "strategic",
                _lt("Strategic objectives"),
                len(running.filtered(lambda o: o.level == "strategic")),
                None,
            ),
            Figure(
                "achieved",
                _lt("Objectives achieved"),
                count(0, "achieved"),
                count(1, "achieved"),
                better="higher",
            ),
            Figure(
                "not_achieved",
                _lt("Objectives not achieved"),
                count(0, "not_achieved"),
                count(1, "not_achieved"),
                better="lower",
            ),
            Figure(
                "off_target",
                _lt("Objectives off target now"),
                len(running.filtered(lambda o: o.status == "red")),
                None,
                better="lower",
            ),
        ]
        rows = [
            [
                objective.name,
                Selection("kam.objective", "level", objective.level),
                objective.user_id.name or "",
                objective.target or "",
                objective.deadline or "",
                Selection("kam.objective", "state", objective.state),
                Status(objective.status),
            ]
            for objective in running
        ]
        table = Table(
            "objectives",
            None,
            [
                _lt("Objective"),
                _lt("Level"),
                _lt("Owner"),
                _lt("Target"),
                _lt("Deadline"),
                _lt("Status"),
                _lt("Indicators"),
            ],
            rows,
            limit=20,
        )
        return [Contribution("objectives", figures=figures, tables=[table])]


class KamAction(models.Model):
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    objective_id = source_field("kam.objective", tracking=False)
