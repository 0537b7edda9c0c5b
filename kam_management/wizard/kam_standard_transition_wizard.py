from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.kam_clause_crosswalk import GAP_KINDS


class KamStandardTransitionWizard(models.TransientModel):
    """Start (or continue) the transition of the company's records to a new
    edition: shows what the crosswalk will do, then runs the transition."""

    _name = "kam.standard.transition.wizard"
    _description = "KAM transition wizard"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    old_standard_id = fields.Many2one("kam.standard", string="From edition", required=True)
    new_standard_id = fields.Many2one(
        "kam.standard",
        string="To edition",
        required=True,
        domain="[('previous_id', '=', old_standard_id)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Leads the transition and owns its gap actions (each gap's owner can be changed "
        "later).",
    )
    transition_id = fields.Many2one(
        "kam.standard.transition",
        string="Transition in progress",
        compute="_compute_preview",
    )
    linked_count = fields.Integer(
        string="Records linked to the old edition", compute="_compute_preview"
    )
    counterpart_count = fields.Integer(
        string="Clauses with a counterpart", compute="_compute_preview"
    )
    orphan_clause_count = fields.Integer(
        string="Clauses without counterpart", compute="_compute_preview"
    )
    gap_clause_count = fields.Integer(string="New or changed clauses", compute="_compute_preview")

    @api.depends("company_id", "old_standard_id", "new_standard_id")
    def _compute_preview(self):
        Transition = self.env["kam.standard.transition"]
        for wizard in self:
            wizard.transition_id = Transition.search(
                [
                    ("company_id", "=", wizard.company_id.id),
                    ("old_standard_id", "=", wizard.old_standard_id.id),
                    ("new_standard_id", "=", wizard.new_standard_id.id),
                    ("state", "=", "in_progress"),
                ],
                limit=1,
            )
            if not (wizard.old_standard_id and wizard.new_standard_id):
                wizard.linked_count = wizard.counterpart_count = 0
                wizard.orphan_clause_count = wizard.gap_clause_count = 0
                continue
            mapping = self.env["kam.clause.crosswalk"]._mapping(
                wizard.old_standard_id, wizard.new_standard_id
            )
            wizard.counterpart_count = sum(1 for targets in mapping.values() if targets)
            wizard.orphan_clause_count = sum(1 for targets in mapping.values() if not targets)
            wizard.gap_clause_count = len(
                self.env["kam.clause.crosswalk"]
                .search(
                    [
                        ("old_standard_id", "=", wizard.old_standard_id.id),
                        ("new_standard_id", "=", wizard.new_standard_id.id),
                        ("kind", "in", GAP_KINDS),
                    ]
                )
                .new_clause_id
            )
            probe = Transition.new({"company_id": wizard.company_id.id})
            wizard.linked_count = sum(
                len({record for record, _clause in probe._kam_linked_pairs(model, mapping)})
                for model in probe._kam_link_models()
            )

    def action_start(self):
        """Run the transition (a new one, or the one in progress: nothing twice)."""
        self.ensure_one()
        if self.new_standard_id.previous_id != self.old_standard_id:
            raise UserError(
                self.env._(
                    "%(new)s does not replace %(old)s.",
                    new=self.new_standard_id.display_name,
                    old=self.old_standard_id.display_name,
                )
            )
        transition = self.transition_id or self.env["kam.standard.transition"].create(
            {
                "company_id": self.company_id.id,
                "old_standard_id": self.old_standard_id.id,
                "new_standard_id": self.new_standard_id.id,
                "user_id": self.user_id.id,
            }
        )
        transition.action_run()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.standard.transition",
            "res_id": transition.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
