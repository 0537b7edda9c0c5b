from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, html2plaintext

from ..tools import xlsx
from .kam_requirement import RESULTS

OFFICER = "kam_management.group_kam_officer"
# results that need an action before the evaluation is completed
NOT_COMPLIANT = ("partly", "not_compliant")


class KamRequirementEvaluation(models.Model):
    """One evaluation of compliance with a requirement (ISO 14001 / 45001
    9.1.2): when, by whom, the result and the evidence. Draft while it is
    being done (the daily job prepares one when the requirement is due);
    completed by a KAM officer, after which it is read-only and never deleted:
    the history of evaluations is the evidence for the auditor. A result
    *partly* or *not compliant* needs an action (``kam.action`` whose source is
    the requirement, linked to this evaluation) before it can be completed.
    Completing it moves the requirement's next evaluation date on."""

    _name = "kam.requirement.evaluation"
    _description = "Evaluation of compliance"
    _inherit = [
        "kam.workflow.mixin",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _kam_state_field = "state"
    _kam_transitions = {("draft", "done"): OFFICER}
    _kam_derived_fields = ("done_by_id", "done_on")
    _kam_locked_writable_fields = ()
    _kam_lock_expression = "state == 'done'"

    requirement_id = fields.Many2one(
        "kam.requirement",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="requirement_id.company_id", store=True, index=True, precompute=True
    )
    requirement_kind = fields.Selection(related="requirement_id.kind", string="Kind")
    date = fields.Date(
        string="Evaluated on",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The day of the evaluation (planned while it is a draft).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Evaluator",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    result = fields.Selection(RESULTS, tracking=True, index=True)
    evidence = fields.Html(
        help="What was checked and found: measurements, inspection reports, certificates, "
        "registrations. Attach the documents in the chatter.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Completed")],
        string="Status",
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
    )
    done_by_id = fields.Many2one("res.users", string="Completed by", readonly=True, copy=False)
    done_on = fields.Datetime(string="Completed on", readonly=True, copy=False)
    action_ids = fields.One2many("kam.action", "requirement_evaluation_id", string="Actions")

    def _kam_creation_note(self):
        return self.env._("Evaluation of compliance created")

    @api.depends("requirement_id", "date")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = self.env._(
                "%(requirement)s, evaluation of %(date)s",
                requirement=evaluation.requirement_id.display_name or "",
                date=format_date(self.env, evaluation.date) if evaluation.date else "",
            )

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        """A new evaluation starts as a draft; one created completed (an import of
        history) is completed through write(), under the same rules."""
        states = [vals.get("state", "draft") for vals in vals_list]
        evaluations = super().create(
            [dict(vals, state="draft") if "state" in vals else vals for vals in vals_list]
        )
        for evaluation, state in zip(evaluations, states, strict=True):
            if state != "draft":
                evaluation.write({"state": state})
        return evaluations

    def write(self, vals):
        completing = (
            self.filtered(lambda e: e.state == "draft") if vals.get("state") == "done" else None
        )
        res = super().write(vals)
        if completing:
            completing.requirement_id._kam_evaluated(completing)
        return res

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        return self.filtered(lambda e: e.state == "done")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "%(evaluation)s is completed: it is kept as evidence and can no longer be "
                "changed. Record a new evaluation instead.",
                evaluation=", ".join(self.mapped("display_name")[:5]),
            )
        )

    def _kam_check_unlink(self):
        done = self._kam_is_locked()
        if done:
            raise UserError(
                self.env._(
                    "%(evaluation)s is completed and is kept as evidence: it cannot be deleted.",
                    evaluation=", ".join(done.mapped("display_name")[:5]),
                )
            )

    def _kam_transition_refused(self, old, new):
        return self.env._("Only KAM officers can complete an evaluation of compliance.")

    def _kam_check_state_change(self, old, new, vals):
        if new != "done":
            return
        result = vals.get("result", self.result)
        evidence = vals.get("evidence", self.evidence)
        day = fields.Date.to_date(vals.get("date", self.date))
        name = self.display_name
        if not result:
            raise UserError(
                self.env._("Record the result of %(evaluation)s first.", evaluation=name)
            )
        if not html2plaintext(evidence or "").strip():
            raise UserError(
                self.env._(
                    "Record the evidence of %(evaluation)s first: what was checked and found.",
                    evaluation=name,
                )
            )
        if day > fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "%(evaluation)s is dated in the future: set the day on which the evaluation "
                    "was done.",
                    evaluation=name,
                )
            )
        if result in NOT_COMPLIANT and not self.env["kam.action"].sudo().search_count(
            [("requirement_evaluation_id", "=", self.id)], limit=1
        ):
            raise UserError(
                self.env._(
                    "%(evaluation)s finds that the requirement is not (fully) complied with: "
                    "raise an action first (Raise action).",
                    evaluation=name,
                )
            )

    def _kam_state_values(self, new):
        if new == "done":
            return {"done_by_id": self.env.uid, "done_on": fields.Datetime.now()}
        return {}

    # ------------------------------------------------------------------ buttons
    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_raise_action(self):
        """A new action for this evaluation's finding (its source: the requirement)."""
        self.ensure_one()
        requirement = self.requirement_id
        return requirement._kam_new_action(
            requirement_evaluation_id=self.id,
            kind="corrective",
            user_id=(requirement.user_id or self.env.user).id,
        )

    # ------------------------------------------------------------------ register
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "compliance_evaluation",
                self.env._("Evaluations of compliance"),
                columns=[
                    xlsx.many2one("requirement_id", width=40),
                    xlsx.selection("requirement_id.kind", width=20),
                    xlsx.char("requirement_id.bwb_id", width=14),
                    xlsx.date("date"),
                    xlsx.many2one("user_id", width=22),
                    xlsx.selection("result", width=18),
                    xlsx.html("evidence", width=60),
                    xlsx.selection("state", width=12),
                    xlsx.many2one("done_by_id", width=22),
                    xlsx.datetime("done_on"),
                    xlsx.many2many("action_ids", width=40),
                ],
                order="date desc, id desc",
                filename="nalevingsbeoordelingen",
            ),
        ]
