from odoo import fields, models
from odoo.exceptions import UserError

DECISION_KINDS = [
    ("improvement", "Improvement"),
    ("system_change", "Change to the management system"),
    ("resources", "Resources needed"),
    ("strategy", "Strategic direction"),
    ("objective", "Objective (new or changed)"),
]


class KamReviewDecision(models.Model):
    """An output of the management review (ISO 9001 9.3.3, ISO 14001 9.3, ISO
    45001 9.3): an opportunity for improvement, a change to the system, a
    resource need, a consequence for the strategic direction or for an
    objective. Each has an owner and a deadline; when the review is approved
    every decision becomes a ``kam.action`` (source: the review), so the next
    review sees what became of it."""

    _name = "kam.review.decision"
    _description = "KAM management review decision"
    _inherit = ["kam.workflow.mixin"]
    _order = "review_id, sequence, id"
    _check_company_auto = True

    review_id = fields.Many2one("kam.review", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(DECISION_KINDS, required=True, default="improvement")
    name = fields.Char(string="Decision", required=True)
    description = fields.Text()
    section_id = fields.Many2one(
        "kam.review.section",
        string="Following from",
        domain="[('review_id', '=', review_id)]",
        ondelete="set null",
    )
    objective_id = fields.Many2one(
        "kam.objective",
        check_company=True,
        ondelete="set null",
        index="btree_not_null",
        help="The objective this decision acts on (the Act of its PDCA cycle).",
    )
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, domain="[('share', '=', False)]"
    )
    deadline = fields.Date(required=True)
    action_id = fields.Many2one("kam.action", readonly=True, copy=False, ondelete="set null")
    action_state = fields.Selection(related="action_id.state", string="Action status")

    _kam_derived_fields = ("action_id",)

    def _kam_is_locked(self):
        return self.filtered(lambda d: d.review_id.state == "approved")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Management review %(review)s is approved: its decisions can no longer be "
                "changed (change their actions instead).",
                review=", ".join(self.review_id.mapped("name")[:3]),
            )
        )

    def _kam_create_actions(self):
        """One action per decision without one (one create), source: the review."""
        todo = self.filtered(lambda d: not d.action_id)
        if not todo:
            return self.env["kam.action"]
        actions = (
            self.env["kam.action"]
            .sudo()
            .create(
                [
                    {
                        "name": decision.name,
                        "description": decision.description
                        and self.env["ir.qweb.field.text"].value_to_html(decision.description, {}),
                        "kind": "improvement",
                        "review_id": decision.review_id.id,
                        "company_id": decision.company_id.id,
                        "user_id": decision.user_id.id,
                        "deadline": decision.deadline,
                    }
                    for decision in todo
                ]
            )
        )
        for decision, action in zip(todo, actions, strict=True):
            decision._kam_workflow_write().write({"action_id": action.id})
        return actions

    def action_open_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.action",
            "res_id": self.action_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
