from odoo import api, fields, models


class KamStandard(models.Model):
    """Editions of a standard: when an edition was published, when the transition
    from the edition it replaces ends, and the crosswalk from that edition."""

    _inherit = "kam.standard"

    date_published = fields.Date(string="Published on")
    transition_end_date = fields.Date(
        string="Transition ends",
        help="The last day certificates to the edition this one replaces stay valid (as "
        "published; the certification body confirms the date for its certificates).",
    )
    next_edition_ids = fields.One2many("kam.standard", "previous_id", string="Later editions")
    crosswalk_ids = fields.One2many(
        "kam.clause.crosswalk", "new_standard_id", string="Crosswalk from the previous edition"
    )
    crosswalk_count = fields.Integer(compute="_compute_crosswalk_count")

    @api.depends("crosswalk_ids")
    def _compute_crosswalk_count(self):
        counts = dict(
            self.env["kam.clause.crosswalk"]._read_group(
                [("new_standard_id", "in", self.ids)], ["new_standard_id"], ["__count"]
            )
        )
        for standard in self:
            standard.crosswalk_count = counts.get(standard, 0)

    def action_view_crosswalk(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_clause_crosswalk_action"
        )
        action["domain"] = [("new_standard_id", "=", self.id)]
        action["context"] = {
            "default_new_standard_id": self.id,
            "default_old_standard_id": self.previous_id.id,
        }
        action["display_name"] = self.env._(
            "Crosswalk %(old)s to %(new)s",
            old=self.previous_id.display_name,
            new=self.display_name,
        )
        return action

    def action_start_transition(self):
        """The transition wizard, from the edition this one replaces to this one."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transition to %(standard)s", standard=self.display_name),
            "res_model": "kam.standard.transition.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_new_standard_id": self.id,
                "default_old_standard_id": self.previous_id.id,
            },
        }
