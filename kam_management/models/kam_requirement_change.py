from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import xlsx

OFFICER = "kam_management.group_kam_officer"
IMPACTS = [
    ("none", "No impact"),
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]


class KamRequirementChange(models.Model):
    """A change in a requirement, logged when it is noticed: an amended law, a
    new permit condition, a customer's new demand. The officer assesses its
    impact and raises actions; an assessed change is kept as it is (put it back
    to *to assess* to correct it)."""

    _name = "kam.requirement.change"
    _description = "Change in a requirement"
    _inherit = [
        "kam.workflow.mixin",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_noticed desc, id desc"
    _check_company_auto = True
    _kam_state_field = "state"
    _kam_transitions = {("new", "assessed"): OFFICER, ("assessed", "new"): OFFICER}
    _kam_derived_fields = ("assessed_by_id", "assessed_date")
    _kam_locked_writable_fields = ()
    _kam_lock_expression = "state == 'assessed'"

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
    name = fields.Char(string="What changed", required=True, tracking=True)
    description = fields.Html()
    date_noticed = fields.Date(
        string="Noticed on", required=True, default=fields.Date.context_today, tracking=True
    )
    date_effective = fields.Date(string="In force from", tracking=True)
    impact = fields.Selection(IMPACTS, tracking=True)
    impact_description = fields.Text(
        string="Impact on us", help="What it means for the company and what has to be done."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Noticed by",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [("new", "To assess"), ("assessed", "Assessed")],
        string="Status",
        required=True,
        default="new",
        tracking=True,
        index=True,
        copy=False,
    )
    assessed_by_id = fields.Many2one("res.users", string="Assessed by", readonly=True, copy=False)
    assessed_date = fields.Date(string="Assessed on", readonly=True, copy=False)
    action_ids = fields.One2many("kam.action", "requirement_change_id", string="Actions")

    def _kam_creation_note(self):
        return self.env._("Change in a requirement recorded")

    @api.constrains("date_noticed", "date_effective")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for change in self:
            if change.date_noticed and change.date_noticed > today:
                raise ValidationError(
                    self.env._(
                        "Change %(change)s cannot be noticed on a later day than today.",
                        change=change.name,
                    )
                )

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        return self.filtered(lambda c: c.state == "assessed")

    def _kam_unlocks(self, vals):
        return vals.get("state") == "new"

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Change %(change)s has been assessed; put it back to 'to assess' to change it.",
                change=", ".join(self.mapped("name")[:5]),
            )
        )

    def _kam_transition_refused(self, old, new):
        return self.env._("Only KAM officers can assess changes in requirements.")

    def _kam_check_state_change(self, old, new, vals):
        if new == "assessed" and not vals.get("impact", self.impact):
            raise UserError(
                self.env._("Record the impact of change %(change)s first.", change=self.name)
            )

    def _kam_state_values(self, new):
        if new == "assessed":
            return {
                "assessed_by_id": self.env.uid,
                "assessed_date": fields.Date.context_today(self),
            }
        return {"assessed_by_id": False, "assessed_date": False}

    # ------------------------------------------------------------------ buttons
    def action_assessed(self):
        self.write({"state": "assessed"})
        return True

    def action_reassess(self):
        self.write({"state": "new"})
        return True

    def action_raise_action(self):
        """A new action for this change (its source: the requirement)."""
        self.ensure_one()
        requirement = self.requirement_id
        return requirement._kam_new_action(
            requirement_change_id=self.id,
            kind="preventive",
            name=self.name,
            user_id=(requirement.user_id or self.env.user).id,
        )

    # ------------------------------------------------------------------ register
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "requirement_change",
                self.env._("Changes in requirements"),
                columns=[
                    xlsx.date("date_noticed"),
                    xlsx.many2one("requirement_id", width=36),
                    xlsx.char("name", width=40),
                    xlsx.date("date_effective"),
                    xlsx.selection("impact", width=12),
                    xlsx.char("impact_description", width=50),
                    xlsx.many2one("user_id", width=22),
                    xlsx.selection("state", width=14),
                    xlsx.many2one("assessed_by_id", width=22),
                    xlsx.date("assessed_date"),
                    xlsx.many2many("action_ids", width=40),
                ],
                order="date_noticed desc, id desc",
                filename="wijzigingen_eisen",
            ),
        ]
