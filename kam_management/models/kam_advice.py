from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import xlsx
from .kam_action_source import source_field

ADVICE_STATES = [
    ("draft", "Draft"),
    ("given", "Given"),
    ("answered", "Answered"),
    ("closed", "Closed"),
]
OFFICER = "kam_management.group_kam_officer"
TRANSITIONS = {
    ("draft", "given"): None,
    ("given", "answered"): None,
    ("answered", "given"): None,
    ("answered", "closed"): OFFICER,
    ("closed", "answered"): OFFICER,
}


class KamAdvice(models.Model):
    """Advice of the KAM coordinator to management, asked or unasked: subject,
    date, the advice, management's response and decision, and the actions that
    follow (an action source). Numbered ADV/2026/0001. Management is reminded
    once when the answer is due (a periodic duty)."""

    _name = "kam.advice"
    _description = "KAM advice to management"
    _inherit = [
        "kam.workflow.mixin",
        "kam.action.source",
        "kam.register.mixin",
        "kam.periodic.duty",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["reference", "name"]
    _kam_action_field = "advice_id"
    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_derived_fields = ("reference", "response_date", "closed_date")
    _kam_lock_expression = "state == 'closed'"
    _kam_duty_date_field = "response_deadline"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_advice_response"

    reference = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    name = fields.Char(string="Subject", required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    kind = fields.Selection(
        [("asked", "Asked"), ("unasked", "Unasked")],
        string="Asked for",
        required=True,
        default="unasked",
        tracking=True,
    )
    requested_by_id = fields.Many2one(
        "res.users", string="Asked by", domain="[('share', '=', False)]", tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Given by",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    addressee_id = fields.Many2one(
        "res.users",
        string="To",
        domain="[('share', '=', False)]",
        tracking=True,
        help="Who in management receives the advice and answers it.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    theme_ids = fields.Many2many("kam.theme", string="KAM themes")
    advice = fields.Html()
    response_deadline = fields.Date(string="Answer expected by", tracking=True)
    response = fields.Html(string="Response of management")
    decision = fields.Selection(
        [
            ("accepted", "Accepted"),
            ("partly", "Partly accepted"),
            ("rejected", "Not accepted"),
            ("noted", "Noted"),
        ],
        tracking=True,
    )
    response_date = fields.Date(string="Answered on", readonly=True, copy=False)
    closed_date = fields.Date(string="Closed on", readonly=True, copy=False)
    state = fields.Selection(
        ADVICE_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    action_ids = fields.One2many("kam.action", "advice_id", string="Follow-up actions")
    active = fields.Boolean(default=True)

    # ------------------------------------------------------------------ computes
    def _kam_creation_note(self):
        return self.env._("Advice to management created")

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for advice in self:
            if advice.reference and advice.reference != "/":
                advice.display_name = f"{advice.reference} {advice.name or ''}"
            else:
                advice.display_name = advice.name or ""

    # ------------------------------------------------------------------ ORM
    def _kam_create_values(self, vals_list):
        result = []
        for vals in vals_list:
            day = fields.Date.to_date(vals.get("date")) or fields.Date.context_today(self)
            reference = self.env["ir.sequence"].next_by_code("kam.advice", sequence_date=day)
            result.append(dict(vals, reference=reference or "/"))
        return result

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self.filtered(lambda advice: advice.state == "closed")

    def _kam_unlocks(self, vals):
        return set(vals) <= {"state"}

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Advice %(advice)s is closed and can no longer be changed.",
                advice=self[:1].display_name,
            )
        )

    def _kam_check_unlink(self):
        if any(advice.state != "draft" for advice in self):
            raise UserError(
                self.env._("Advice that was given is kept in the register; archive it instead.")
            )

    def _kam_transition_refused(self, old, new):
        return self.env._("Only KAM officers can close or reopen an advice.")

    def _kam_check_state_change(self, old, new, vals):
        if new == "answered":
            decision = vals.get("decision", self.decision)
            if not decision:
                raise UserError(
                    self.env._(
                        "Record the decision of management on %(advice)s first.",
                        advice=self.display_name,
                    )
                )

    def _kam_state_values(self, new):
        today = fields.Date.context_today(self)
        if new == "answered":
            return {"response_date": today, "closed_date": False}
        if new == "closed":
            return {"closed_date": today}
        if new == "given":
            return {"response_date": False}
        return {}

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") in ("answered", "closed"):
            self.activity_feedback(["kam_management.mail_activity_kam_advice_response"])
        return res

    # ------------------------------------------------------------------ buttons
    def action_give(self):
        self.write({"state": "given"})
        return True

    def action_answered(self):
        self.write({"state": "answered"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_reopen(self):
        self.write({"state": "answered"})
        return True

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [("state", "=", "given")]

    def _kam_duty_reminder_values(self, today):
        return {
            advice: {
                "user_id": advice.addressee_id.id,
                "date_deadline": advice.response_deadline,
                "summary": lambda env, advice=advice: env._(
                    "Answer the advice of %(user)s", user=advice.user_id.name
                ),
            }
            for advice in self
            if advice.addressee_id
        }

    # ------------------------------------------------------------------ registers
    def _kam_advice_register_columns(self):
        return [
            xlsx.char("reference", width=16),
            xlsx.date("date"),
            xlsx.char("name", width=40),
            xlsx.selection("kind", width=12),
            xlsx.many2one("requested_by_id", width=22),
            xlsx.many2one("user_id", width=22),
            xlsx.many2one("addressee_id", width=22),
            xlsx.many2many("theme_ids", width=20),
            xlsx.selection("state", self.env._("Status"), width=12),
            xlsx.date("response_deadline"),
            xlsx.selection("decision", width=16),
            xlsx.date("response_date"),
            xlsx.integer("open_action_count", values=self._kam_open_action_counts),
            xlsx.date("closed_date"),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "advice",
                self.env._("Advice register"),
                columns=self._kam_advice_register_columns,
                order="date desc, id desc",
                filename="advice_register",
            ),
        ]


class KamAction(models.Model):
    """A follow-up action of an advice."""

    # the action-source extension point: each source declares its many2one in its own file
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    advice_id = source_field("kam.advice")
