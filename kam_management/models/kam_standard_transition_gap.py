from markupsafe import Markup

from odoo import fields, models

from .kam_clause_crosswalk import CROSSWALK_KINDS


class KamStandardTransitionGap(models.Model):
    """Work a transition asks for: a clause of the new edition that is new or
    changed (implement it), or a clause of the old edition without counterpart
    that records still point at (review them). Each gap gets one action, owned
    by the gap's owner."""

    _name = "kam.standard.transition.gap"
    _description = "KAM transition: gap"
    _order = "transition_id, clause_id"

    transition_id = fields.Many2one(
        "kam.standard.transition", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="transition_id.company_id", store=True)
    clause_id = fields.Many2one("kam.standard.clause", required=True)
    kind = fields.Selection(CROSSWALK_KINDS, string="Change", required=True)
    crosswalk_id = fields.Many2one("kam.clause.crosswalk", ondelete="set null")
    note = fields.Char(related="crosswalk_id.note", string="What changed")
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, domain="[('share', '=', False)]"
    )
    action_id = fields.Many2one("kam.action", readonly=True, copy=False)
    action_state = fields.Selection(related="action_id.state", string="Action status")
    action_deadline = fields.Date(related="action_id.deadline", string="Deadline")

    _clause_uniq = models.Constraint(
        "UNIQUE(transition_id, clause_id)", "One gap per clause in a transition."
    )

    def _kam_action_values(self, lang_env, deadline):
        """The values of this gap's action (texts in the company's language)."""
        self.ensure_one()
        transition = self.transition_id
        clause = self.clause_id.with_env(lang_env)
        if self.kind == "removed":
            name = lang_env._(
                "%(standard)s: review the records of %(clause)s (no counterpart)",
                standard=transition.new_standard_id.display_name,
                clause=clause.display_name,
            )
            body = lang_env._(
                "This clause of %(old)s has no counterpart in %(new)s. Review the records that "
                "point at it and link them to the right clause of the new edition.",
                old=transition.old_standard_id.display_name,
                new=transition.new_standard_id.display_name,
            )
        else:
            name = lang_env._(
                "%(standard)s: implement %(clause)s",
                standard=transition.new_standard_id.display_name,
                clause=clause.display_name,
            )
            body = lang_env._(
                "Check what the management system needs for this new or changed clause and "
                "adapt procedures, documents and records."
            )
        description = Markup("<p>%s</p>") % body
        if self.note:
            description += Markup("<p><em>%s</em></p>") % self.note
        return {
            "name": name[:250],
            "description": description,
            "kind": "improvement",
            "user_id": self.user_id.id,
            "deadline": deadline,
            "company_id": transition.company_id.id,
            "transition_id": transition.id,
        }
